#include "relaycore/store/schemamigration.h"

#include "relaycore/sql/migration.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

// Version 1: the draft (per-area mappings, settings), pushed generations, the
// action log, and the meta table that carries the version and the counters.
QStringList step1()
{
    return {
        // key/value: schema_version, change_counter, active_generation (absent: none)
        u"CREATE TABLE meta ("
        "  key   TEXT PRIMARY KEY NOT NULL,"
        "  value NOT NULL"
        ") WITHOUT ROWID"_s,
        u"INSERT INTO meta (key, value) VALUES ('change_counter', 0)"_s,
        // Domains are stored normalised (lower case, ACE, no '@'), so the primary
        // key is the case-insensitive uniqueness
        // docs/behaviour.md "Areas and mappings" asks for.
        u"CREATE TABLE domain_mappings ("
        "  area   TEXT NOT NULL CHECK (area IN ('relay', 'inbound', 'outbound')),"
        "  source TEXT NOT NULL,"
        "  target TEXT NOT NULL,"
        "  PRIMARY KEY (area, source),"
        "  CHECK (source <> target)"
        ") WITHOUT ROWID"_s,
        // source_key is the case-folded identity (MailAddress::key()); source keeps
        // the admin's spelling. The WITHOUT ROWID primary key is the only b-tree:
        // it enforces uniqueness and serves paging in source_key order, and a
        // sorted bulk insert appends to it.
        u"CREATE TABLE user_mappings ("
        "  area       TEXT NOT NULL CHECK (area IN ('inbound', 'outbound')),"
        "  source_key TEXT NOT NULL,"
        "  source     TEXT NOT NULL,"
        "  target     TEXT NOT NULL,"
        "  PRIMARY KEY (area, source_key)"
        ") WITHOUT ROWID"_s,
        // Only canonical values that SettingsSchema::validate() accepted.
        u"CREATE TABLE settings ("
        "  key   TEXT PRIMARY KEY NOT NULL,"
        "  value TEXT NOT NULL"
        ") WITHOUT ROWID"_s,
        // created: milliseconds since the epoch (UTC); snapshot: GenerationCodec.
        u"CREATE TABLE generations ("
        "  number       INTEGER PRIMARY KEY CHECK (number >= 1),"
        "  created      INTEGER NOT NULL,"
        "  snapshot     BLOB NOT NULL,"
        "  domain_count INTEGER NOT NULL,"
        "  user_count   INTEGER NOT NULL"
        ")"_s,
        // area NULL: not tied to an area (settings, routes). AUTOINCREMENT so an
        // id is never reused: followers poll with "id > last seen".
        u"CREATE TABLE action_log ("
        "  id      INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  time    INTEGER NOT NULL,"
        "  area    TEXT CHECK (area IN ('relay', 'inbound', 'outbound')),"
        "  message TEXT NOT NULL"
        ")"_s,
        u"CREATE INDEX action_log_by_area ON action_log (area, id)"_s,
    };
}

// Version 2: per-domain next hops (docs/behaviour.md "Next hops and DNS") and the relay engine's message log
// (docs/behaviour.md "Logs"), one row per event with its details as a JSON object.
QStringList step2()
{
    return {
        u"CREATE TABLE routes ("
        "  domain   TEXT PRIMARY KEY NOT NULL,"
        "  next_hop TEXT NOT NULL"
        ") WITHOUT ROWID"_s,
        u"CREATE TABLE message_log ("
        "  id       INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  time     INTEGER NOT NULL,"
        "  queue_id TEXT,"
        "  event    TEXT NOT NULL,"
        "  area     TEXT CHECK (area IN ('relay', 'inbound', 'outbound')),"
        "  fields   TEXT NOT NULL DEFAULT '{}'"
        ")"_s,
        // Pruning by age and the live view's time range; a message's history.
        u"CREATE INDEX message_log_by_time ON message_log (time)"_s,
        u"CREATE INDEX message_log_by_queue_id ON message_log (queue_id) WHERE queue_id IS NOT NULL"_s,
    };
}

// Version 3: a route's own outbound TLS policy (docs/behaviour.md "TLS"); NULL
// means the delivery.tls_policy setting, which is what every older route meant.
QStringList step3()
{
    return {
        u"ALTER TABLE routes ADD COLUMN tls TEXT CHECK (tls IN ('may', 'encrypt', 'verify'))"_s,
    };
}

// Version 4: DKIM keys (docs/behaviour.md "Mail authentication") and domain
// holds (docs/behaviour.md "Retries and holds").
QStringList step4()
{
    return {
        // DKIM keys of the draft, one per domain and selector. The private key is
        // never here: key_file names a PEM file of mode 0600 in the dkim/ folder
        // beside the database. public_key is the base64 DER SubjectPublicKeyInfo
        // (the p= of the record). state: active (signs once pushed), pending
        // (waits for its record in DNS), retired (published until retired_at,
        // never signs). Times: milliseconds since the epoch (UTC).
        u"CREATE TABLE dkim_keys ("
        "  domain     TEXT NOT NULL,"
        "  selector   TEXT NOT NULL,"
        "  algorithm  TEXT NOT NULL CHECK (algorithm IN ('rsa-2048', 'rsa-3072', 'ed25519')),"
        "  state      TEXT NOT NULL CHECK (state IN ('active', 'pending', 'retired')),"
        "  key_file   TEXT NOT NULL,"
        "  public_key TEXT NOT NULL,"
        "  created    INTEGER NOT NULL,"
        "  retired_at INTEGER,"
        "  PRIMARY KEY (domain, selector)"
        ") WITHOUT ROWID"_s,
        // Held recipient domains (normalised, ACE): mail for them is queued but
        // neither attempted nor bounced. since/until: milliseconds since the
        // epoch (UTC); until NULL: until released. warned: retry.hold_max warning sent.
        u"CREATE TABLE domain_holds ("
        "  domain TEXT PRIMARY KEY NOT NULL,"
        "  since  INTEGER NOT NULL,"
        "  until  INTEGER,"
        "  warned INTEGER NOT NULL DEFAULT 0"
        ") WITHOUT ROWID"_s,
    };
}

// Version 5: the message trace (issue 14; relaycore/trace/tracestore.h), the
// indexed per-message view of message_log, written in the same transaction
// as the log rows. Times: milliseconds since the epoch (UTC); hours: whole
// hours since the epoch (time / 3600000). area: NULL (or '' in the roll-ups'
// keys) when no rule applied. status: queued, deferred, delivered, bounced,
// refused (tracetypes.h). The full-text table trace_fts (FTS5, trigram) is not
// here: TraceIngest creates it when this SQLite has FTS5.
QStringList step5()
{
    return {
        // One row per message (queue id), or per refusal without a queue id.
        // sender: the envelope sender as sent ('' for <>); sender_rewritten:
        // after the Outbound rules. message_id without <>.
        u"CREATE TABLE trace_messages ("
        "  id               INTEGER PRIMARY KEY,"
        "  time             INTEGER NOT NULL,"
        "  queue_id         TEXT,"
        "  client           TEXT,"
        "  helo             TEXT,"
        "  tls              INTEGER NOT NULL DEFAULT 0,"
        "  tls_cipher       TEXT,"
        "  size             INTEGER,"
        "  message_id       TEXT,"
        "  subject          TEXT,"
        "  sender           TEXT,"
        "  sender_rewritten TEXT,"
        "  area             TEXT CHECK (area IN ('relay', 'inbound', 'outbound')),"
        "  status           TEXT NOT NULL CHECK (status IN ('queued', 'deferred', 'delivered', 'bounced', "
        "'refused')),"
        "  updated          INTEGER NOT NULL"
        ")"_s,
        u"CREATE UNIQUE INDEX trace_messages_by_queue_id ON trace_messages (queue_id) WHERE queue_id IS NOT NULL"_s,
        // Time ranges, retention; the exact look-ups of the search form.
        u"CREATE INDEX trace_messages_by_time ON trace_messages (time)"_s,
        u"CREATE INDEX trace_messages_by_message_id ON trace_messages (message_id COLLATE NOCASE) WHERE message_id IS NOT NULL"_s,
        u"CREATE INDEX trace_messages_by_client ON trace_messages (client, time)"_s,
        u"CREATE INDEX trace_messages_by_status ON trace_messages (status, time)"_s,
        u"CREATE INDEX trace_messages_by_sender ON trace_messages (sender COLLATE NOCASE)"_s,
        u"CREATE INDEX trace_messages_by_sender_rewritten ON trace_messages (sender_rewritten COLLATE NOCASE)"_s,
        // One row per recipient of a message, in RCPT order. original: as
        // sent; delivered_to: after the envelope rules; rcpt_domain and
        // target_domain: their domains in lower case; match: user, domain or
        // none; time: the message's, for range scans.
        u"CREATE TABLE trace_recipients ("
        "  message       INTEGER NOT NULL REFERENCES trace_messages (id) ON DELETE CASCADE,"
        "  position      INTEGER NOT NULL,"
        "  time          INTEGER NOT NULL,"
        "  original      TEXT NOT NULL,"
        "  delivered_to  TEXT NOT NULL,"
        "  rcpt_domain   TEXT NOT NULL DEFAULT '',"
        "  target_domain TEXT NOT NULL DEFAULT '',"
        "  status        TEXT NOT NULL CHECK (status IN ('queued', 'deferred', 'delivered', 'bounced', "
        "'refused')),"
        "  area          TEXT CHECK (area IN ('relay', 'inbound', 'outbound')),"
        "  match         TEXT NOT NULL DEFAULT 'none' CHECK (match IN ('user', 'domain', 'none')),"
        "  rule          TEXT,"
        "  next_hop      TEXT,"
        "  last_reply    TEXT,"
        "  attempts      INTEGER NOT NULL DEFAULT 0,"
        "  next_attempt  INTEGER,"
        "  dsn_queue_id  TEXT,"
        "  updated       INTEGER NOT NULL,"
        "  PRIMARY KEY (message, position)"
        ") WITHOUT ROWID"_s,
        u"CREATE INDEX trace_recipients_by_original ON trace_recipients (original COLLATE NOCASE)"_s,
        u"CREATE INDEX trace_recipients_by_delivered_to ON trace_recipients (delivered_to COLLATE NOCASE)"_s,
        u"CREATE INDEX trace_recipients_by_status ON trace_recipients (status, time)"_s,
        // Roll-ups for the Overview page, kept by the writer: messages per hour
        // of receipt, area and current status; messages entering (received)
        // and leaving (delivered, bounced or refused) the queue per hour; and
        // recipients per hour of receipt, area, domain as sent, delivered-to
        // domain and rule kind (the top target domains and the cut-over view).
        u"CREATE TABLE trace_hourly ("
        "  hour     INTEGER NOT NULL,"
        "  area     TEXT NOT NULL,"
        "  status   TEXT NOT NULL,"
        "  messages INTEGER NOT NULL,"
        "  PRIMARY KEY (hour, area, status)"
        ") WITHOUT ROWID"_s,
        u"CREATE TABLE trace_queue_hourly ("
        "  hour    INTEGER PRIMARY KEY,"
        "  entered INTEGER NOT NULL DEFAULT 0,"
        "  left    INTEGER NOT NULL DEFAULT 0"
        ")"_s,
        u"CREATE TABLE trace_route_hourly ("
        "  hour          INTEGER NOT NULL,"
        "  area          TEXT NOT NULL,"
        "  rcpt_domain   TEXT NOT NULL,"
        "  target_domain TEXT NOT NULL,"
        "  match         TEXT NOT NULL,"
        "  recipients    INTEGER NOT NULL,"
        "  PRIMARY KEY (hour, area, rcpt_domain, target_domain, match)"
        ") WITHOUT ROWID"_s,
    };
}

// Migration waves (issue 15); its version is its place in steps() below.
// waves: the draft's wave definitions (part of a generation once pushed);
// users/outbound: JSON arrays of [source, target]; at/expire: seconds since
// the epoch (UTC), expire NULL: never.
// wave_status: what happened to each wave (operational, never in a
// generation): state, the T-24 h / T-1 h checks done, the last check (JSON),
// the generations its activation and end made, the mappings it replaced
// (JSON, restored at expiry), a note. Times: milliseconds since the epoch (UTC).
QStringList wavesStep()
{
    return {
        u"CREATE TABLE waves ("
        "  name          TEXT PRIMARY KEY NOT NULL,"
        "  area          TEXT NOT NULL CHECK (area IN ('inbound', 'outbound')),"
        "  at            INTEGER NOT NULL,"
        "  expire        INTEGER,"
        "  with_outbound INTEGER NOT NULL DEFAULT 0,"
        "  apply_anyway  INTEGER NOT NULL DEFAULT 0,"
        "  users         TEXT NOT NULL,"
        "  outbound      TEXT NOT NULL DEFAULT '[]'"
        ") WITHOUT ROWID"_s,
        u"CREATE TABLE wave_status ("
        "  name                 TEXT PRIMARY KEY NOT NULL,"
        "  state                TEXT NOT NULL CHECK (state IN ('scheduled', 'checked', 'held', 'active', "
        "'expired', 'cancelled')),"
        "  checked_24h          INTEGER NOT NULL DEFAULT 0,"
        "  checked_1h           INTEGER NOT NULL DEFAULT 0,"
        "  last_check           TEXT,"
        "  activated_at         INTEGER,"
        "  activated_generation INTEGER,"
        "  ended_at             INTEGER,"
        "  ended_generation     INTEGER,"
        "  replaced             TEXT NOT NULL DEFAULT '{}',"
        "  note                 TEXT NOT NULL DEFAULT ''"
        ") WITHOUT ROWID"_s,
    };
}

const QList<std::function<QStringList()>> &steps()
{
    static const QList<std::function<QStringList()>> s{step1, step2, step3, step4, step5, wavesStep};
    return s;
}

} // namespace

int SchemaMigration::latestVersion()
{
    return static_cast<int>(steps().size());
}

QStringList SchemaMigration::stepStatements(int version)
{
    if (version < 1 || version > latestVersion())
        return {};
    return steps().at(version - 1)();
}

Result<int> SchemaMigration::currentVersion(QSqlDatabase &db)
{
    return sql::schemaVersion(db, sql::VersionIn::MetaTable);
}

Result<int> SchemaMigration::migrate(QSqlDatabase &db)
{
    sql::Schema schema;
    schema.label = u"database"_s;
    schema.latestVersion = latestVersion();
    schema.step = &SchemaMigration::stepStatements;
    return sql::migrate(db, schema);
}

} // namespace mailroute
