// ConfigStore: the action log and the message log (docs/behaviour.md "Logs"):
// an action-log line per change, the relay's events appended in batches
// (with the trace rows in the same transaction), reads for the log pages and
// followers, pruning. See configstore_p.h.
#include "relaycore/store/configstore_p.h"
#include "relaycore/store/logfieldsjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <array>
#include <optional>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace storedetail;

QList<ActionLogEntry> ConfigStore::Private::readActionLog(const QString &sql,
                                                          const QVariantList &values) const
{
    QList<ActionLogEntry> out;
    Query q(db, sql, values);
    if (!q.exec())
        return out;
    while (q.next()) {
        ActionLogEntry e;
        e.id = q.value(0).toLongLong();
        e.time = fromMs(q.value(1).toLongLong());
        if (!q.value(2).isNull())
            e.area = areaFromKey(q.value(2).toString());
        e.message = q.value(3).toString();
        out.append(e);
    }
    return out;
}

// ---- logs ------------------------------------------------------------------

Status ConfigStore::logAction(std::optional<Area> area, const QString &message)
{
    return d->write([&](bool &) { return d->log(area, message); });
}

QList<ActionLogEntry> ConfigStore::actionLog(std::optional<Area> area, qint64 afterId, int limit) const
{
    if (!d->isOpen)
        return {};
    if (area)
        return d->readActionLog(
            u"SELECT id, time, area, message FROM action_log WHERE area = ? AND id > ? ORDER BY id LIMIT ?"_s,
            {areaKey(*area), afterId, limit});
    return d->readActionLog(
        u"SELECT id, time, area, message FROM action_log WHERE id > ? ORDER BY id LIMIT ?"_s,
        {afterId, limit});
}

QList<ActionLogEntry> ConfigStore::recentActionLog(std::optional<Area> area, int limit) const
{
    if (!d->isOpen)
        return {};
    QList<ActionLogEntry> out;
    if (area)
        out = d->readActionLog(
            u"SELECT id, time, area, message FROM action_log WHERE area = ? ORDER BY id DESC LIMIT ?"_s,
            {areaKey(*area), limit});
    else
        out = d->readActionLog(u"SELECT id, time, area, message FROM action_log ORDER BY id DESC LIMIT ?"_s,
                               {limit});
    std::reverse(out.begin(), out.end());
    return out;
}

Result<qint64> ConfigStore::appendMessageEvents(const QList<MessageLogEntry> &events)
{
    return appendMessageEvents(events, {});
}

namespace {

// Rows per INSERT into message_log: 5 values each, far below SQLite's limit
// on bound variables; one statement per 32 events instead of one per event.
constexpr int kLogRowsPerInsert = 32;

// The stored word of each kind, made once (messageEventName builds it anew).
const QString &storedEventName(MessageEvent event)
{
    static const std::array<QString, size_t(MessageEvent::Other) + 1> names = [] {
        std::array<QString, size_t(MessageEvent::Other) + 1> out;
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = messageEventName(MessageEvent(i));
        return out;
    }();
    return names[size_t(event)];
}

QString logInsertSql(int rows)
{
    QString sql = u"INSERT INTO message_log (time, queue_id, event, area, fields) VALUES "_s;
    for (int r = 0; r < rows; ++r)
        sql += r ? u", (?, ?, ?, ?, ?)"_s : u"(?, ?, ?, ?, ?)"_s;
    return sql;
}

} // namespace

Result<qint64>
ConfigStore::appendMessageEvents(const QList<MessageLogEntry> &events,
                                 const std::function<Status(QSqlDatabase &)> &alsoInTransaction)
{
    using R = Result<qint64>;
    qint64 lastId = 0;
    const Status st = d->write(
        [&](bool &changed) -> Status {
            if (events.isEmpty()) {
                changed = false;
                return okStatus();
            }
            for (const MessageLogEntry &e : events) {
                if (e.event == MessageEvent::Other)
                    return Status::failure(u"a message log entry needs an event of a known kind"_s);
            }
            // Multi-row INSERTs of kLogRowsPerInsert events, the rest in one
            // shorter statement; the fields written once as JSON text
            // (relaycore/store/logfieldsjson.h).
            const qint64 now = nowMs();
            const QVariant noQueueId = nullText();
            std::optional<QSqlQuery> full;
            for (qsizetype from = 0; from < events.size(); from += kLogRowsPerInsert) {
                const int n = int(qMin<qsizetype>(kLogRowsPerInsert, events.size() - from));
                std::optional<QSqlQuery> rest;
                std::optional<QSqlQuery> &q = n == kLogRowsPerInsert ? full : rest;
                if (!q) {
                    q.emplace(d->db);
                    if (!q->prepare(logInsertSql(n)))
                        return Status::failure(describe(q->lastError()));
                }
                for (int r = 0; r < n; ++r) {
                    const MessageLogEntry &e = events.at(from + r);
                    const int c = r * 5;
                    q->bindValue(c, e.time.isValid() ? e.time.toMSecsSinceEpoch() : now);
                    q->bindValue(c + 1, e.queueId.isEmpty() ? noQueueId : QVariant(e.queueId));
                    q->bindValue(c + 2, storedEventName(e.event));
                    q->bindValue(c + 3, areaValue(e.area));
                    q->bindValue(c + 4, messageFieldsJson(e.fields));
                }
                if (!q->exec())
                    return Status::failure(describe(q->lastError()));
                lastId = q->lastInsertId().toLongLong();
                q->finish();
            }
            return alsoInTransaction ? alsoInTransaction(d->db) : okStatus();
        },
        false);
    if (!st)
        return R::failure(st.error);
    return R::success(lastId);
}

void ConfigStore::releaseMemory()
{
    if (d->isOpen)
        QSqlQuery(d->db).exec(u"PRAGMA shrink_memory"_s);
}

QList<MessageLogEntry> ConfigStore::messageLog(qint64 afterId, int limit, const QString &queueId) const
{
    QList<MessageLogEntry> out;
    if (!d->isOpen)
        return out;
    QString sql = u"SELECT id, time, queue_id, event, area, fields FROM message_log WHERE id > ?"_s;
    QVariantList values{afterId};
    if (!queueId.isEmpty()) {
        sql += u" AND queue_id = ?"_s;
        values << queueId;
    }
    sql += u" ORDER BY id LIMIT ?"_s;
    values << limit;
    Query q(d->db, sql, values);
    if (!q.exec())
        return out;
    while (q.next()) {
        MessageLogEntry e;
        e.id = q.value(0).toLongLong();
        e.time = fromMs(q.value(1).toLongLong());
        e.queueId = q.value(2).toString();
        e.event = messageEventFromName(q.value(3).toString()).value_or(MessageEvent::Other);
        if (!q.value(4).isNull())
            e.area = areaFromKey(q.value(4).toString());
        e.fields = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object().toVariantMap();
        out.append(e);
    }
    return out;
}

Result<qint64> ConfigStore::pruneMessageLog(const QDateTime &before)
{
    using R = Result<qint64>;
    qint64 removed = 0;
    const Status st = d->write(
        [&](bool &changed) -> Status {
            Query q(d->db, u"DELETE FROM message_log WHERE time < ?"_s, {before.toMSecsSinceEpoch()});
            if (Status e = q.exec(); !e)
                return e;
            removed = q.rowsAffected();
            changed = removed > 0;
            return okStatus();
        },
        false);
    if (!st)
        return R::failure(st.error);
    return R::success(removed);
}

} // namespace mailroute
