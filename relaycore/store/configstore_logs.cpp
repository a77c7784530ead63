// ConfigStore: the action log and the message log (docs/behaviour.md "Logs"):
// an action-log line per change, the relay's events appended in batches
// (with the trace rows in the same transaction), reads for the log pages and
// followers, pruning. See configstore_p.h.
#include "relaycore/store/configstore_p.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

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
            QSqlQuery q(d->db);
            if (!q.prepare(
                    u"INSERT INTO message_log (time, queue_id, event, area, fields) VALUES (?, ?, ?, ?, ?)"_s))
                return Status::failure(describe(q.lastError()));
            for (const MessageLogEntry &e : events) {
                if (e.event == MessageEvent::Other)
                    return Status::failure(u"a message log entry needs an event of a known kind"_s);
                q.bindValue(0, e.time.isValid() ? e.time.toMSecsSinceEpoch() : nowMs());
                q.bindValue(1, e.queueId.isEmpty() ? nullText() : QVariant(e.queueId));
                q.bindValue(2, e.eventName());
                q.bindValue(3, areaValue(e.area));
                q.bindValue(
                    4,
                    QString::fromUtf8(
                        QJsonDocument(QJsonObject::fromVariantMap(e.fields)).toJson(QJsonDocument::Compact)));
                if (!q.exec())
                    return Status::failure(describe(q.lastError()));
                lastId = q.lastInsertId().toLongLong();
            }
            q.finish();
            return alsoInTransaction ? alsoInTransaction(d->db) : okStatus();
        },
        false);
    if (!st)
        return R::failure(st.error);
    return R::success(lastId);
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
