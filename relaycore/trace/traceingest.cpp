#include "relaycore/trace/traceingest.h"

#include "relaycore/trace/tracetypes.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <map>
#include <tuple>

using namespace Qt::StringLiterals;

namespace mailroute {

// The ingest's statements, prepared once per connection: a batch runs a
// dozen per message, and preparing them each time cost more than running them.
struct StatementCache
{
    explicit StatementCache(QSqlDatabase &database) : db(database), connection(database.connectionName()) {}
    QSqlQuery &get(const QString &sql, QString *error)
    {
        auto it = statements.find(sql);
        if (it == statements.end()) {
            auto q = std::make_unique<QSqlQuery>(db);
            q->setForwardOnly(true);
            if (!q->prepare(sql)) {
                const QSqlError e = q->lastError();
                *error = u"trace store: %1"_s.arg(e.databaseText().isEmpty() ? e.text() : e.databaseText());
                failed = std::move(q);
                return *failed;
            }
            it = statements.emplace(sql, std::move(q)).first;
        }
        return *it->second;
    }
    QSqlDatabase db;
    QString connection;
    std::map<QString, std::unique_ptr<QSqlQuery>> statements;
    std::unique_ptr<QSqlQuery> failed;
};

namespace {

constexpr qint64 kHourMs = 3600 * 1000;

QString describe(const QSqlQuery &q)
{
    const QSqlError e = q.lastError();
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return u"trace store: %1"_s.arg(text.isEmpty() ? u"unknown database error"_s : text);
}

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

QVariant areaValue(const std::optional<Area> &a)
{
    return a ? QVariant(areaKey(*a)) : QVariant(QMetaType(QMetaType::QString));
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

QStringList splitList(const QString &joined)
{
    QStringList out;
    for (const QString &s : joined.split(u", "_s, Qt::SkipEmptyParts)) {
        const QString t = s.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QString stripAngles(QString id)
{
    id = id.trimmed();
    if (id.startsWith(u'<'))
        id.remove(0, 1);
    if (id.endsWith(u'>'))
        id.chop(1);
    return id;
}

// Runs `sql` with positional `values` on a statement prepared once per
// connection (TraceIngest's cache); the caller reads the result.
struct Sql
{
    QSqlQuery &q;
    QString error;
    Sql(StatementCache &cache, const QString &sql, const QVariantList &values = {}) : q(cache.get(sql, &error))
    {
        if (!error.isEmpty())
            return;
        for (qsizetype i = 0; i < values.size(); ++i)
            q.bindValue(int(i), values.at(i));
        if (!q.exec())
            error = describe(q);
    }
    ~Sql() { q.finish(); }
    Q_DISABLE_COPY_MOVE(Sql)
    bool ok() const { return error.isEmpty(); }
};

// A recipient's key in trace_route_hourly: area, rcpt_domain, target_domain, match.
using RouteKey = std::tuple<QString, QString, QString, QString>;

struct Touched
{
    bool isNew = false;
    bool ftsDirty = false;
    bool routes = false; // add its recipients to trace_route_hourly at the end
    qint64 oldHour = 0;
    QString oldArea;
    QString oldStatus;
    qint64 lastEvent = 0; // the newest event of the batch: trace_messages.updated, set once in finishOne()
};

TraceStatus messageStatus(const QStringList &recipientStatuses, const QString &current)
{
    if (current == u"refused"_s)
        return TraceStatus::Refused;
    bool deferred = false, queued = false, bounced = false;
    for (const QString &s : recipientStatuses) {
        deferred = deferred || s == u"deferred"_s;
        queued = queued || s == u"queued"_s;
        bounced = bounced || s == u"bounced"_s;
    }
    if (recipientStatuses.isEmpty())
        return TraceStatus::Queued;
    if (deferred)
        return TraceStatus::Deferred;
    if (queued)
        return TraceStatus::Queued;
    if (bounced)
        return TraceStatus::Bounced;
    return TraceStatus::Delivered;
}

class Batch
{
public:
    Batch(StatementCache &db, bool fullText) : m_db(db), m_fullText(fullText) {}

    QString apply(const MessageLogEntry &e)
    {
        const qint64 ms = e.time.isValid() ? e.time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
        if (e.event == u"refused"_s)
            return refused(e, ms);
        if (e.queueId.isEmpty())
            return {};
        if (e.event == u"received"_s)
            return received(e, ms);
        const std::optional<qint64> id = idOf(e.queueId);
        if (!id)
            return {}; // not traced (e.g. a DSN logged before its own received, or pruned)
        if (QString err = touch(*id, false); !err.isEmpty())
            return err;
        const QVariantMap &f = e.fields;
        if (e.event == u"rewritten"_s)
            return rewritten(*id, e, ms);
        if (e.event == u"delivered"_s || e.event == u"deferred"_s || e.event == u"bounced"_s)
            return attempt(*id, e.event, f, ms);
        noteEvent(*id, ms);
        return {};
    }

    QString finish()
    {
        for (auto it = m_touched.begin(); it != m_touched.end(); ++it) {
            if (QString err = finishOne(it->first, it->second); !err.isEmpty())
                return err;
        }
        return flushRollups();
    }

    QString flushRollups()
    {
        for (const auto &[key, n] : m_hourly) {
            if (n == 0)
                continue;
            if (QString err = bump(u"INSERT INTO trace_hourly (hour, area, status, messages) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT (hour, area, status) DO UPDATE SET messages = messages + excluded.messages"_s,
                                   {std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
                !err.isEmpty())
                return err;
        }
        for (const auto &[hour, inOut] : m_queue) {
            if (inOut.first == 0 && inOut.second == 0)
                continue;
            if (QString err = bump(u"INSERT INTO trace_queue_hourly (hour, entered, left) VALUES (?, ?, ?) "
                                   "ON CONFLICT (hour) DO UPDATE SET entered = entered + excluded.entered, "
                                   "left = left + excluded.left"_s,
                                   {hour, inOut.first, inOut.second});
                !err.isEmpty())
                return err;
        }
        for (const auto &[key, n] : m_routes) {
            if (QString err = bump(u"INSERT INTO trace_route_hourly (hour, area, rcpt_domain, target_domain, match, "
                                   "recipients) VALUES (?, ?, ?, ?, ?, ?) "
                                   "ON CONFLICT (hour, area, rcpt_domain, target_domain, match) DO UPDATE SET "
                                   "recipients = recipients + excluded.recipients"_s,
                                   {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key),
                                    std::get<4>(key), n});
                !err.isEmpty())
                return err;
        }
        return {};
    }

private:
    std::optional<qint64> idOf(const QString &queueId)
    {
        if (const auto it = m_ids.constFind(queueId); it != m_ids.constEnd())
            return *it;
        Sql q(m_db, u"SELECT id FROM trace_messages WHERE queue_id = ?"_s, {queueId});
        if (!q.ok() || !q.q.next())
            return std::nullopt;
        const qint64 id = q.q.value(0).toLongLong();
        m_ids.insert(queueId, id);
        return id;
    }

    void noteEvent(qint64 id, qint64 ms)
    {
        Touched &t = m_touched.at(id);
        t.lastEvent = qMax(t.lastEvent, ms);
    }

    QString touch(qint64 id, bool isNew)
    {
        if (m_touched.count(id))
            return {};
        Touched t;
        t.isNew = isNew;
        if (!isNew) {
            Sql q(m_db, u"SELECT time, coalesce(area, ''), status FROM trace_messages WHERE id = ?"_s, {id});
            if (!q.ok())
                return q.error;
            if (q.q.next()) {
                t.oldHour = q.q.value(0).toLongLong() / kHourMs;
                t.oldArea = q.q.value(1).toString();
                t.oldStatus = q.q.value(2).toString();
            }
        }
        m_touched.emplace(id, t);
        return {};
    }

    QString insertMessage(const QVariantList &values, qint64 *id)
    {
        Sql q(m_db,
              u"INSERT INTO trace_messages (time, queue_id, client, helo, tls, tls_cipher, size, message_id, "
              "subject, sender, sender_rewritten, status, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              values);
        if (!q.ok())
            return q.error;
        *id = q.q.lastInsertId().toLongLong();
        return {};
    }

    QString insertRecipient(qint64 id, int position, qint64 ms, const QString &original, const QString &final,
                            const QString &status, const QString &reply)
    {
        Sql q(m_db,
              u"INSERT INTO trace_recipients (message, position, time, original, delivered_to, rcpt_domain, "
              "target_domain, status, last_reply, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {id, position, ms, original, final, domainOf(original), domainOf(final), status, nullable(reply), ms});
        return q.error;
    }

    QString received(const MessageLogEntry &e, qint64 ms)
    {
        if (idOf(e.queueId))
            return {}; // logged twice: the first one counts
        const QVariantMap &f = e.fields;
        const QString from = f.value(u"from"_s).toString();
        qint64 id = 0;
        const QVariant tls = f.value(u"tls"_s);
        if (QString err = insertMessage({ms, e.queueId, nullable(f.value(u"client"_s).toString()),
                                         nullable(f.value(u"helo"_s).toString()), tls.toBool() ? 1 : 0,
                                         nullable(f.value(u"tls_cipher"_s).toString()),
                                         f.contains(u"size"_s) ? f.value(u"size"_s) : QVariant(),
                                         nullable(stripAngles(f.value(u"message_id"_s).toString())),
                                         nullable(f.value(u"subject"_s).toString()), from, from, u"queued"_s, ms},
                                        &id);
            !err.isEmpty())
            return err;
        m_ids.insert(e.queueId, id);
        const QStringList originals = splitList(f.value(u"to"_s).toString());
        const QStringList finals = splitList(f.value(u"recipients"_s).toString());
        for (int i = 0; i < originals.size(); ++i) {
            const QString final = finals.size() == originals.size() ? finals.at(i) : originals.at(i);
            if (QString err = insertRecipient(id, i, ms, originals.at(i), final, u"queued"_s, {}); !err.isEmpty())
                return err;
        }
        if (QString err = touch(id, true); !err.isEmpty())
            return err;
        Touched &t = m_touched.at(id);
        t.ftsDirty = true;
        t.routes = true;
        return {};
    }

    QString refused(const MessageLogEntry &e, qint64 ms)
    {
        const QVariantMap &f = e.fields;
        const QString reason = f.value(u"reason"_s).toString();
        std::optional<qint64> id = e.queueId.isEmpty() ? std::nullopt : idOf(e.queueId);
        if (id) {
            if (QString err = touch(*id, false); !err.isEmpty())
                return err;
            Sql q(m_db, u"UPDATE trace_messages SET status = 'refused', updated = max(updated, ?) WHERE id = ?"_s,
                  {ms, *id});
            if (!q.ok())
                return q.error;
            Sql r(m_db, u"UPDATE trace_recipients SET status = 'refused', last_reply = ?, updated = ? WHERE message = ?"_s,
                  {reason, ms, *id});
            return r.error;
        }
        const QString from = f.value(u"from"_s).toString();
        qint64 newId = 0;
        if (QString err = insertMessage({ms, nullable(e.queueId), nullable(f.value(u"client"_s).toString()),
                                         nullable(f.value(u"helo"_s).toString()), 0, QVariant(QMetaType(QMetaType::QString)),
                                         QVariant(), QVariant(QMetaType(QMetaType::QString)),
                                         QVariant(QMetaType(QMetaType::QString)), from, from, u"refused"_s, ms},
                                        &newId);
            !err.isEmpty())
            return err;
        if (!e.queueId.isEmpty())
            m_ids.insert(e.queueId, newId);
        const QStringList to = splitList(f.value(u"to"_s).toString());
        for (int i = 0; i < to.size(); ++i) {
            if (QString err = insertRecipient(newId, i, ms, to.at(i), to.at(i), u"refused"_s, reason); !err.isEmpty())
                return err;
        }
        if (QString err = touch(newId, true); !err.isEmpty())
            return err;
        m_touched.at(newId).ftsDirty = true;
        return {};
    }

    QString rewritten(qint64 id, const MessageLogEntry &e, qint64 ms)
    {
        const QVariantMap &f = e.fields;
        const QString scope = f.value(u"scope"_s).toString();
        const QString from = f.value(u"from"_s).toString();
        const QString to = f.value(u"to"_s).toString();
        if (scope == u"envelope sender"_s) {
            // The message's area: a recipient rule's first, else the sender rule's.
            Sql q(m_db,
                  u"UPDATE trace_messages SET sender_rewritten = ?, area = coalesce(area, ?), "
                  "updated = max(updated, ?) WHERE id = ?"_s,
                  {to, areaValue(e.area), ms, id});
            if (!q.ok())
                return q.error;
            m_touched.at(id).ftsDirty = true;
            return {};
        }
        if (scope == u"envelope recipient"_s) {
            Sql q(m_db,
                  u"UPDATE trace_recipients SET delivered_to = ?, target_domain = ?, area = ?, match = ?, rule = ?, "
                  "updated = ? WHERE message = ? AND (original = ? COLLATE NOCASE OR delivered_to = ? COLLATE NOCASE)"_s,
                  {to, domainOf(to), areaValue(e.area),
                   f.value(u"match"_s).toString() == u"user"_s     ? u"user"_s
                   : f.value(u"match"_s).toString() == u"domain"_s ? u"domain"_s
                                                                   : u"none"_s,
                   nullable(f.value(u"rule"_s).toString()), ms, id, from, from});
            if (!q.ok())
                return q.error;
            if (e.area && !m_recipientArea.contains(id)) {
                // A recipient rule decides the message's area over a sender rule.
                Sql a(m_db, u"UPDATE trace_messages SET area = ? WHERE id = ?"_s, {areaKey(*e.area), id});
                if (!a.ok())
                    return a.error;
                m_recipientArea.insert(id);
            }
            m_touched.at(id).ftsDirty = true;
            noteEvent(id, ms);
            return {};
        }
        noteEvent(id, ms);
        return {};
    }

    QString attempt(qint64 id, const QString &event, const QVariantMap &f, qint64 ms)
    {
        const QString to = f.value(u"to"_s).toString();
        const QString reply = event == u"delivered"_s ? f.value(u"reply"_s).toString() : f.value(u"reason"_s).toString();
        QVariant next(QMetaType(QMetaType::LongLong));
        if (event == u"deferred"_s) {
            const QDateTime t = QDateTime::fromString(f.value(u"next_attempt"_s).toString(), Qt::ISODate);
            if (t.isValid())
                next = t.toMSecsSinceEpoch();
        }
        const QVariant attempts = f.contains(u"attempts"_s) ? f.value(u"attempts"_s) : QVariant();
        const QString dsn = event == u"bounced"_s ? f.value(u"dsn"_s).toString() : QString();
        Sql q(m_db,
              u"UPDATE trace_recipients SET status = ?, next_hop = coalesce(?, next_hop), last_reply = ?, "
              "attempts = coalesce(?, attempts + 1), next_attempt = ?, "
              "dsn_queue_id = coalesce(?, dsn_queue_id), updated = ? "
              "WHERE message = ? AND delivered_to = ? COLLATE NOCASE AND status <> 'refused'"_s,
              {event, nullable(f.value(u"relay"_s).toString()), nullable(reply), attempts, next,
               dsn.startsWith(u"none"_s) ? QVariant(QMetaType(QMetaType::QString)) : nullable(dsn), ms, id, to});
        if (!q.ok())
            return q.error;
        if (q.q.numRowsAffected() == 0) {
            // A recipient the received event did not name the same way: match
            // the only one still open, if there is exactly one.
            Sql one(m_db,
                    u"UPDATE trace_recipients SET status = ?, delivered_to = ?, target_domain = ?, last_reply = ?, "
                    "attempts = attempts + 1, updated = ? WHERE message = ? AND position = (SELECT min(position) "
                    "FROM trace_recipients WHERE message = ? AND status IN ('queued', 'deferred') "
                    "HAVING count(*) = 1)"_s,
                    {event, to, domainOf(to), nullable(reply), ms, id, id});
            if (!one.ok())
                return one.error;
        }
        noteEvent(id, ms);
        return {};
    }

    QString bump(const QString &sql, const QVariantList &values)
    {
        Sql q(m_db, sql, values);
        return q.error;
    }

    QString finishOne(qint64 id, const Touched &t)
    {
        Sql m(m_db,
              u"SELECT time, coalesce(area, ''), status, updated, coalesce(sender, ''), coalesce(sender_rewritten, ''), "
              "coalesce(subject, ''), coalesce(message_id, '') FROM trace_messages WHERE id = ?"_s,
              {id});
        if (!m.ok())
            return m.error;
        if (!m.q.next())
            return {};
        const qint64 time = m.q.value(0).toLongLong();
        const qint64 hour = time / kHourMs;
        const QString area = m.q.value(1).toString();
        const QString current = m.q.value(2).toString();
        const qint64 storedUpdated = m.q.value(3).toLongLong();
        const QString senders = m.q.value(4).toString() + u' ' + m.q.value(5).toString();
        const QString subject = m.q.value(6).toString();
        const QString messageId = m.q.value(7).toString();
        m.q.finish();

        QStringList statuses;
        QStringList addresses;
        QList<RouteKey> routes;
        {
            Sql r(m_db,
                  u"SELECT status, original, delivered_to, coalesce(area, ''), rcpt_domain, target_domain, match "
                  "FROM trace_recipients WHERE message = ? ORDER BY position"_s,
                  {id});
            if (!r.ok())
                return r.error;
            while (r.q.next()) {
                if (t.routes)
                    routes << RouteKey{r.q.value(3).toString(), r.q.value(4).toString(), r.q.value(5).toString(),
                                       r.q.value(6).toString()};
                statuses << r.q.value(0).toString();
                addresses << r.q.value(1).toString();
                if (r.q.value(2).toString().compare(r.q.value(1).toString(), Qt::CaseInsensitive) != 0)
                    addresses << r.q.value(2).toString();
            }
        }
        const QString status = traceStatusKey(messageStatus(statuses, current));
        const qint64 updated = qMax(storedUpdated, t.lastEvent);
        if (status != current || updated != storedUpdated) {
            Sql u(m_db, u"UPDATE trace_messages SET status = ?, updated = ? WHERE id = ?"_s, {status, updated, id});
            if (!u.ok())
                return u.error;
        }
        // Roll-ups: move the message from its old bucket to its new one
        // (summed over the batch, written once per key in flushRollups()).
        if (!t.isNew && (t.oldHour != hour || t.oldArea != area || t.oldStatus != status))
            m_hourly[{t.oldHour, t.oldArea, t.oldStatus}] -= 1;
        if (t.isNew || t.oldHour != hour || t.oldArea != area || t.oldStatus != status)
            m_hourly[{hour, area, status}] += 1;
        auto final = [](const QString &key) {
            const std::optional<TraceStatus> s = traceStatusFromKey(key);
            return s && traceStatusIsFinal(*s);
        };
        const bool wasFinal = !t.isNew && final(t.oldStatus);
        const bool isFinal = final(status);
        const bool refused = status == u"refused"_s;
        if (t.isNew && !refused)
            m_queue[hour].first += 1;
        if (!refused && isFinal != wasFinal && (!t.isNew || isFinal))
            m_queue[updated / kHourMs].second += isFinal ? 1 : -1;
        if (t.routes && !refused) {
            for (const RouteKey &r : std::as_const(routes))
                m_routes[{hour, std::get<0>(r), std::get<1>(r), std::get<2>(r), std::get<3>(r)}] += 1;
        }
        if (m_fullText && t.ftsDirty) {
            if (!t.isNew) {
                if (QString err = bump(u"DELETE FROM trace_fts WHERE rowid = ?"_s, {id}); !err.isEmpty())
                    return err;
            }
            if (QString err = bump(u"INSERT INTO trace_fts (rowid, senders, recipients, subject, message_id) "
                                   "VALUES (?, ?, ?, ?, ?)"_s,
                                   {id, senders, addresses.join(u' '), subject, messageId});
                !err.isEmpty())
                return err;
        }
        return {};
    }

    StatementCache &m_db;
    bool m_fullText;
    QHash<QString, qint64> m_ids;
    std::map<qint64, Touched> m_touched;
    std::map<std::tuple<qint64, QString, QString>, qint64> m_hourly;           // hour, area, status
    std::map<qint64, std::pair<qint64, qint64>> m_queue;                       // hour: entered, left
    std::map<std::tuple<qint64, QString, QString, QString, QString>, qint64> m_routes; // hour, area, domains, match
    QSet<qint64> m_recipientArea;
};

} // namespace

TraceIngest::TraceIngest() = default;

TraceIngest::~TraceIngest() = default;

bool TraceIngest::prepareFullText(QSqlDatabase &db, bool create, QString *note)
{
    {
        QSqlQuery q(db);
        if (q.exec(u"SELECT 1 FROM trace_fts WHERE trace_fts MATCH '\"abc\"' LIMIT 1"_s))
            return true;
    }
    QSqlQuery probe(db);
    // trigram needs SQLite 3.34 or later with FTS5.
    if (!probe.exec(u"CREATE VIRTUAL TABLE temp.mailroute_fts_probe USING fts5(x, tokenize='trigram')"_s)) {
        if (note)
            *note = u"this SQLite has no FTS5 with the trigram tokenizer (%1): trace searches scan the "
                    "store with LIKE instead, which is slower on a large store"_s.arg(probe.lastError().databaseText());
        return false;
    }
    probe.exec(u"DROP TABLE temp.mailroute_fts_probe"_s);
    if (!create)
        return false;
    QSqlQuery c(db);
    if (!c.exec(u"CREATE VIRTUAL TABLE IF NOT EXISTS trace_fts USING fts5(senders, recipients, subject, message_id, "
                "tokenize='trigram')"_s)) {
        if (note)
            *note = u"cannot create the trace's full-text index (%1): trace searches scan the store with LIKE"_s.arg(
                c.lastError().databaseText());
        return false;
    }
    // Messages traced before the index existed (a store that had none).
    QSqlQuery fill(db);
    fill.exec(u"INSERT INTO trace_fts (rowid, senders, recipients, subject, message_id) "
              "SELECT m.id, coalesce(m.sender, '') || ' ' || coalesce(m.sender_rewritten, ''), "
              "(SELECT group_concat(r.original || ' ' || r.delivered_to, ' ') FROM trace_recipients r WHERE r.message = m.id), "
              "coalesce(m.subject, ''), coalesce(m.message_id, '') FROM trace_messages m"_s);
    return true;
}

Status TraceIngest::apply(QSqlDatabase &db, const QList<MessageLogEntry> &events)
{
    if (!m_fullText)
        m_fullText = prepareFullText(db, true, &m_note);
    if (!m_cache || m_cache->connection != db.connectionName())
        m_cache = std::make_unique<StatementCache>(db);
    Batch batch(*m_cache, *m_fullText);
    for (const MessageLogEntry &e : events) {
        if (QString err = batch.apply(e); !err.isEmpty())
            return Status::failure(err);
    }
    if (QString err = batch.finish(); !err.isEmpty())
        return Status::failure(err);
    return okStatus();
}

bool TraceIngest::disabledByEnvironment()
{
    return qEnvironmentVariable("MAILROUTE_TRACE") == QLatin1String("off");
}

} // namespace mailroute
