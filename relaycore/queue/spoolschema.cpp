// The spool database's schema, step by step (see spoolschema.h).
#include "relaycore/queue/spoolschema.h"

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

// Version 1. Envelopes, recipients and content live in separate tables: the
// recovery scan and the queue view read small rows and never page through
// message text, and a finished message's content goes with one row delete.
// AUTOINCREMENT because the engine keeps ids in memory: a deleted message's id
// must never name a new one.
const QStringList &schemaStep1()
{
    static const QStringList step{
        u"CREATE TABLE messages ("
        "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  queue_id       TEXT NOT NULL UNIQUE,"
        "  sender         TEXT NOT NULL,"
        "  arrival        INTEGER NOT NULL,"
        "  client         TEXT NOT NULL,"
        "  helo           TEXT NOT NULL,"
        "  generation     INTEGER NOT NULL,"
        "  size           INTEGER NOT NULL CHECK (size >= 0),"
        "  smtputf8       INTEGER NOT NULL,"
        "  eight_bit_mime INTEGER NOT NULL,"
        "  is_dsn         INTEGER NOT NULL"
        ")"_s,
        u"CREATE TABLE contents ("
        "  message_id INTEGER PRIMARY KEY REFERENCES messages (id),"
        "  data       BLOB NOT NULL"
        ")"_s,
        // status: RecipientStatus (0 Queued, 1 Delivered, 2 Bounced, 3 Dropped).
        u"CREATE TABLE recipients ("
        "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  message_id   INTEGER NOT NULL REFERENCES messages (id),"
        "  address      TEXT NOT NULL CHECK (address <> ''),"
        "  original     TEXT NOT NULL,"
        "  status       INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),"
        "  attempts     INTEGER NOT NULL CHECK (attempts >= 0),"
        "  next_attempt INTEGER,"
        "  last_error   TEXT NOT NULL"
        ")"_s,
        u"CREATE INDEX recipients_by_message ON recipients (message_id)"_s,
        // Requests from other processes for the running engine; queue_id NULL:
        // every message (flush only).
        u"CREATE TABLE control ("
        "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  command   TEXT NOT NULL CHECK (command IN ('flush', 'delete')),"
        "  queue_id  TEXT,"
        "  requested INTEGER NOT NULL,"
        "  CHECK (command = 'flush' OR queue_id IS NOT NULL)"
        ")"_s,
    };
    return step;
}

// Version 2. Whether the client was one of outbound.allowed_clients when the
// message arrived: what decides DKIM signing at delivery (docs/behaviour.md
// "Mail authentication"), which must not change with a later push. NULL for
// messages spooled by version 1: unknown, judged by the client address
// against the current allow list.
const QStringList &schemaStep2()
{
    static const QStringList step{
        u"ALTER TABLE messages ADD COLUMN outbound_client INTEGER CHECK (outbound_client IN (0, 1))"_s,
    };
    return step;
}

// Version 3: the retry lifetime of a recipient counts from the release of a
// domain hold (schedule_start; NULL: the arrival), and a message's sender gets
// at most one delay notice (delay_warned).
const QStringList &schemaStep3()
{
    static const QStringList step{
        u"ALTER TABLE recipients ADD COLUMN schedule_start INTEGER"_s,
        u"ALTER TABLE messages ADD COLUMN delay_warned INTEGER NOT NULL DEFAULT 0"_s,
    };
    return step;
}

// Version 4: whether the relay rewrote header fields of the message at
// intake (To/Cc, From/Sender/Reply-To), what arc.seal = modified goes by
// (relaycore/engine/arcsealingstage.h). 0 for messages spooled before.
const QStringList &schemaStep4()
{
    static const QStringList step{
        u"ALTER TABLE messages ADD COLUMN headers_rewritten INTEGER NOT NULL DEFAULT 0"_s,
    };
    return step;
}

// Version 5: the body of a large message lives in a file of its own,
// <spool dir>/data/<message id> (docs/architecture.md "Storage"): body_size
// is its size, and `data` then holds the header section only. NULL: `data`
// is the whole message (every message spooled before).
const QStringList &schemaStep5()
{
    static const QStringList step{
        u"ALTER TABLE contents ADD COLUMN body_size INTEGER CHECK (body_size >= 0)"_s,
    };
    return step;
}

const QList<QStringList> &schemaSteps()
{
    static const QList<QStringList> steps{schemaStep1(), schemaStep2(), schemaStep3(), schemaStep4(),
                                          schemaStep5()};
    return steps;
}

} // namespace

int spoolSchemaSteps()
{
    return int(schemaSteps().size());
}

// Step `version` for the runner (relaycore/sql/migration.h); the meta table
// that holds the version comes with step 1.
QStringList spoolSchemaStep(int version)
{
    if (version < 1 || version > int(schemaSteps().size()))
        return {};
    QStringList statements;
    if (version == 1)
        statements << u"CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID"_s;
    return statements + schemaSteps().at(version - 1);
}

} // namespace mailroute
