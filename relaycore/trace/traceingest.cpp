#include "relaycore/trace/traceingest.h"

#include "relaycore/trace/traceingest_p.h"
#include "relaycore/trace/tracetypes.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace tracedetail;

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
// Open messages kept in memory: received in the last half hour (older ones
// are read again when an event comes), at most this many (about 2 KB each);
// past it the oldest go, down to kOpenKeepAfterTrim.
constexpr qint64 kOpenKeepMs = 30 * 60 * 1000;
constexpr qsizetype kOpenMax = 4096;
constexpr qsizetype kOpenKeepAfterTrim = kOpenMax * 3 / 4;
// Queue ids per existence check of a batch's new messages (one statement of
// this many parameters, padded, instead of one SELECT per received event).
constexpr int kIdsPerCheck = 64;
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

// `column = ? COLLATE NOCASE` as SQLite compares: ASCII letters fold, nothing
// else does; a null value (bound as NULL) equals nothing.
bool nocaseEquals(const QString &column, const QString &value)
{
    if (value.isNull() || column.isNull() || column.size() != value.size())
        return false;
    for (qsizetype i = 0; i < column.size(); ++i) {
        char16_t a = column.at(i).unicode(), b = value.at(i).unicode();
        if (a >= u'A' && a <= u'Z')
            a = char16_t(a + 32);
        if (b >= u'A' && b <= u'Z')
            b = char16_t(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

// coalesce(v, ''): never a null string (which would be bound as NULL).
QString text(const QVariant &v)
{
    QString s = v.toString();
    return s.isNull() ? u""_s : s;
}

QVariant orNull(const QVariant &v)
{
    return v.isValid() ? v : QVariant(QMetaType(QMetaType::QString));
}

// A recipient's key in trace_route_hourly: area, rcpt_domain, target_domain, match.
using RouteKey = std::tuple<QString, QString, QString, QString>;

struct Touched
{
    bool isNew = false;
    bool ftsDirty = false;
    bool routes = false;     // add its recipients to trace_route_hourly at the end
    bool fromMemory = false; // its row may have gone (pruned): finish() checks
    bool messageDirty = false;
    bool recipientArea = false; // a recipient rule set the message's area in this batch
    qint64 oldHour = 0;
    QString oldArea;
    QString oldStatus;
    qint64 lastEvent = 0; // the newest event of the batch: trace_messages.updated, set once in finish()
};

struct Work
{
    TraceOpenMessage m;
    Touched t;
    bool gone = false;
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

bool isFinalKey(const QString &key)
{
    const std::optional<TraceStatus> s = traceStatusFromKey(key);
    return s && traceStatusIsFinal(*s);
}

// A batch of events applied to the messages in memory (read from the open
// messages of earlier batches or, failing that, from the database), then
// written with as few statements as it takes: new messages, their recipients
// and full-text rows in multi-row INSERTs, a message seen before in one UPDATE
// and one per changed recipient. What is stored is what the statements of
// one event at a time would store.
class Batch
{
public:
    Batch(StatementCache &db, bool fullText) : m_db(db), m_fullText(fullText) {}

    // Before the events: which of the batch's received messages are traced
    // already (logged twice), with one statement per kIdsPerCheck queue ids
    // instead of a SELECT per message in received().
    QString checkReceived(const QList<MessageLogEntry> &events)
    {
        QStringList ids;
        for (const MessageLogEntry &e : events) {
            if (e.event == MessageEvent::Received && !e.queueId.isEmpty() && !m_db.open.contains(e.queueId) &&
                !m_checked.contains(e.queueId)) {
                m_checked.insert(e.queueId);
                ids << e.queueId;
            }
        }
        static const QString sql = [] {
            QString text = u"SELECT queue_id FROM trace_messages WHERE queue_id IN (?"_s;
            for (int i = 1; i < kIdsPerCheck; ++i)
                text += u", ?"_s;
            text += u')';
            return text;
        }();
        for (qsizetype from = 0; from < ids.size(); from += kIdsPerCheck) {
            const qsizetype n = qMin<qsizetype>(kIdsPerCheck, ids.size() - from);
            QVariantList values;
            values.reserve(kIdsPerCheck);
            for (qsizetype i = 0; i < kIdsPerCheck; ++i)
                values << ids.at(from + qMin(i, n - 1)); // padded with the last id
            Sql q(m_db, sql, values);
            if (!q.ok())
                return q.error;
            while (q.q.next())
                m_traced.insert(q.q.value(0).toString());
        }
        return {};
    }

    QString apply(const MessageLogEntry &e)
    {
        const qint64 ms = e.time.isValid() ? e.time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
        m_newest = qMax(m_newest, ms);
        if (e.event == MessageEvent::Refused)
            return refused(e, ms);
        if (e.queueId.isEmpty())
            return {};
        if (e.event == MessageEvent::Received)
            return received(e, ms);
        QString err;
        const qsizetype w = load(e.queueId, &err);
        if (w < 0)
            return err; // not traced (e.g. a DSN logged before its own received, or pruned)
        if (e.event == MessageEvent::Rewritten)
            return rewritten(m_work[w], e, ms);
        if (e.event == MessageEvent::Delivered || e.event == MessageEvent::Deferred ||
            e.event == MessageEvent::Bounced)
            return attempt(m_work[w], e.event, e.fields, ms);
        noteEvent(m_work[w], ms);
        return {};
    }

    QString finish()
    {
        // The messages' new statuses; the rows of those seen before, updated
        // with one statement per kRowsPerInsert messages (a pruned one
        // updates nothing and is then left out, as if it was never found).
        QList<QVariantList> messageUpdates;
        QList<qsizetype> updated; // m_work index of each row of messageUpdates
        for (qsizetype k = 0; k < qsizetype(m_work.size()); ++k) {
            Work &w = m_work[k];
            TraceOpenMessage &m = w.m;
            Touched &t = w.t;
            QStringList statuses;
            for (const TraceOpenRecipient &r : m.recipients)
                statuses << r.status;
            const QString status = traceStatusKey(messageStatus(statuses, m.status));
            const qint64 newest = qMax(m.updated, t.lastEvent);
            if (status != m.status || newest != m.updated)
                t.messageDirty = true;
            m.status = status;
            m.updated = newest;
            if (!t.isNew && (t.messageDirty || t.fromMemory)) {
                messageUpdates << QVariantList{m.id, m.senderRewritten, m.area, m.status, m.updated};
                updated << k;
            }
        }
        if (QString err = updateMessages(messageUpdates, updated); !err.isEmpty())
            return err;

        QList<QVariantList> newMessages, newRecipients, newFts, recipientUpdates;
        for (Work &w : m_work) {
            if (w.gone)
                continue;
            TraceOpenMessage &m = w.m;
            Touched &t = w.t;
            if (t.isNew) {
                newMessages << QVariantList{m.id,        m.time,    m.queueId,   m.client,
                                            m.helo,      m.tls,     m.tlsCipher, orNull(m.size),
                                            m.messageId, m.subject, m.sender,    m.senderRewritten,
                                            m.area,      m.status,  m.updated};
                for (qsizetype i = 0; i < qsizetype(m.recipients.size()); ++i) {
                    const TraceOpenRecipient &r = m.recipients[i];
                    newRecipients << QVariantList{
                        m.id,           i,          m.time,        r.original,   r.deliveredTo, r.rcptDomain,
                        r.targetDomain, r.status,   r.area,        r.match,      r.rule,        r.nextHop,
                        r.lastReply,    r.attempts, r.nextAttempt, r.dsnQueueId, r.updated};
                }
            } else {
                for (qsizetype i = 0; i < qsizetype(m.recipients.size()); ++i) {
                    const TraceOpenRecipient &r = m.recipients[i];
                    if (r.dirty)
                        recipientUpdates << QVariantList{
                            m.id,         i,        r.deliveredTo, r.targetDomain, r.status,   r.area,
                            r.match,      r.rule,   r.nextHop,     r.lastReply,    r.attempts, r.nextAttempt,
                            r.dsnQueueId, r.updated};
                }
            }
            for (TraceOpenRecipient &r : m.recipients)
                r.dirty = false;
            rollups(m, t);
            if (m_fullText && t.ftsDirty) {
                QStringList addresses;
                for (const TraceOpenRecipient &r : m.recipients) {
                    addresses << r.original;
                    if (r.deliveredTo.compare(r.original, Qt::CaseInsensitive) != 0)
                        addresses << r.deliveredTo;
                }
                const QVariantList row{m.id, QString(text(m.sender) + u' ' + text(m.senderRewritten)),
                                       addresses.join(u' '), text(m.subject), text(m.messageId)};
                if (t.isNew) {
                    newFts << row;
                } else {
                    if (QString err = bump(u"DELETE FROM trace_fts WHERE rowid = ?"_s, {m.id});
                        !err.isEmpty())
                        return err;
                    if (QString err =
                            bump(u"INSERT INTO trace_fts (rowid, senders, recipients, subject, message_id) "
                                 "VALUES (?, ?, ?, ?, ?)"_s,
                                 row);
                        !err.isEmpty())
                        return err;
                }
            }
        }
        static const QStringList messageColumns{
            u"id"_s,         u"time"_s,   u"queue_id"_s,   u"client"_s,  u"helo"_s,   u"tls"_s,
            u"tls_cipher"_s, u"size"_s,   u"message_id"_s, u"subject"_s, u"sender"_s, u"sender_rewritten"_s,
            u"area"_s,       u"status"_s, u"updated"_s};
        static const QStringList recipientColumns{
            u"message"_s,      u"position"_s,      u"time"_s,       u"original"_s, u"delivered_to"_s,
            u"rcpt_domain"_s,  u"target_domain"_s, u"status"_s,     u"area"_s,     u"match"_s,
            u"rule"_s,         u"next_hop"_s,      u"last_reply"_s, u"attempts"_s, u"next_attempt"_s,
            u"dsn_queue_id"_s, u"updated"_s};
        static const QStringList ftsColumns{u"rowid"_s, u"senders"_s, u"recipients"_s, u"subject"_s,
                                            u"message_id"_s};
        if (QString err = insertRows(m_db, u"trace_messages"_s, messageColumns, newMessages); !err.isEmpty())
            return err;
        if (QString err = insertRows(m_db, u"trace_recipients"_s, recipientColumns, newRecipients);
            !err.isEmpty())
            return err;
        if (QString err = insertRows(m_db, u"trace_fts"_s, ftsColumns, newFts); !err.isEmpty())
            return err;
        // The rows of recipients seen before: the columns one UPDATE ...
        // WHERE message = ? AND position = ? per row would set.
        if (QString err =
                updateRows(m_db,
                           u"trace_recipients SET delivered_to = v.column3, target_domain = v.column4, "
                           "status = v.column5, area = v.column6, match = v.column7, rule = v.column8, "
                           "next_hop = v.column9, last_reply = v.column10, attempts = v.column11, "
                           "next_attempt = v.column12, dsn_queue_id = v.column13, updated = v.column14"_s,
                           u"trace_recipients.message = v.column1 AND trace_recipients.position = "
                           "v.column2"_s,
                           14, recipientUpdates, nullptr);
            !err.isEmpty())
            return err;
        return flushRollups();
    }

    // After a successful batch: what the open messages look like now.
    void remember(QHash<QString, TraceOpenMessage> &open) const
    {
        for (const Work &w : m_work) {
            if (!w.m.queueId.isValid() || w.m.queueId.isNull())
                continue;
            const QString queueId = w.m.queueId.toString();
            if (w.gone || isFinalKey(w.m.status) || w.m.time < m_newest - kOpenKeepMs)
                open.remove(queueId);
            else
                open.insert(queueId, w.m);
        }
    }

    qint64 newest() const { return m_newest; }

private:
    // The trace_messages rows of messages seen before (id, sender_rewritten,
    // area, status, updated); marks gone those whose row was pruned meanwhile.
    QString updateMessages(const QList<QVariantList> &rows, const QList<qsizetype> &works)
    {
        qint64 changed = 0;
        if (QString err =
                updateRows(m_db,
                           u"trace_messages SET sender_rewritten = v.column2, area = v.column3, status = "
                           "v.column4, updated = v.column5"_s,
                           u"trace_messages.id = v.column1"_s, 5, rows, &changed);
            !err.isEmpty())
            return err;
        if (changed == rows.size())
            return {};
        // Some were pruned meanwhile: which ones (rare, one look-up each).
        for (qsizetype i = 0; i < rows.size(); ++i) {
            Sql q(m_db, u"SELECT 1 FROM trace_messages WHERE id = ?"_s, {rows.at(i).at(0)});
            if (!q.ok())
                return q.error;
            if (!q.q.next())
                m_work[works.at(i)].gone = true;
        }
        return {};
    }

    QString flushRollups()
    {
        for (const auto &[key, n] : m_hourly) {
            if (n == 0)
                continue;
            if (QString err = bump(
                    u"INSERT INTO trace_hourly (hour, area, status, messages) VALUES (?, ?, ?, ?) "
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
            if (QString err =
                    bump(u"INSERT INTO trace_route_hourly (hour, area, rcpt_domain, target_domain, match, "
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

    // Roll-ups: move the message from its old bucket to its new one (summed
    // over the batch, written once per key in flushRollups()).
    void rollups(const TraceOpenMessage &m, const Touched &t)
    {
        const qint64 hour = m.time / kHourMs;
        const QString area = text(m.area);
        const QString &status = m.status;
        if (!t.isNew && (t.oldHour != hour || t.oldArea != area || t.oldStatus != status))
            m_hourly[{t.oldHour, t.oldArea, t.oldStatus}] -= 1;
        if (t.isNew || t.oldHour != hour || t.oldArea != area || t.oldStatus != status)
            m_hourly[{hour, area, status}] += 1;
        const bool wasFinal = !t.isNew && isFinalKey(t.oldStatus);
        const bool isFinal = isFinalKey(status);
        const bool refused = status == u"refused"_s;
        if (t.isNew && !refused)
            m_queue[hour].first += 1;
        if (!refused && isFinal != wasFinal && (!t.isNew || isFinal))
            m_queue[m.updated / kHourMs].second += isFinal ? 1 : -1;
        if (t.routes && !refused) {
            for (const TraceOpenRecipient &r : m.recipients)
                m_routes[{hour, text(r.area), r.rcptDomain, r.targetDomain, r.match}] += 1;
        }
    }

    // The message with this queue id in this batch: from the batch, the open
    // messages in memory or the database. -1 when there is none (or on error).
    qsizetype load(const QString &queueId, QString *error)
    {
        if (const auto it = m_byQueueId.constFind(queueId); it != m_byQueueId.constEnd())
            return *it;
        Work w;
        if (const auto it = m_db.open.constFind(queueId); it != m_db.open.constEnd()) {
            w.m = *it;
            w.t.fromMemory = true;
        } else {
            Sql q(m_db,
                  u"SELECT id, time, area, status, updated, sender, sender_rewritten, subject, message_id "
                  "FROM trace_messages WHERE queue_id = ?"_s,
                  {queueId});
            if (!q.ok()) {
                *error = q.error;
                return -1;
            }
            if (!q.q.next())
                return -1;
            w.m.id = q.q.value(0).toLongLong();
            w.m.time = q.q.value(1).toLongLong();
            w.m.queueId = queueId;
            w.m.area = q.q.value(2);
            w.m.status = q.q.value(3).toString();
            w.m.updated = q.q.value(4).toLongLong();
            w.m.sender = q.q.value(5);
            w.m.senderRewritten = q.q.value(6);
            w.m.subject = q.q.value(7);
            w.m.messageId = q.q.value(8);
            q.q.finish();
            Sql r(m_db,
                  u"SELECT original, delivered_to, rcpt_domain, target_domain, status, area, match, rule, "
                  u"next_hop, "
                  "last_reply, attempts, next_attempt, dsn_queue_id, updated FROM trace_recipients WHERE "
                  "message = ? "
                  "ORDER BY position"_s,
                  {w.m.id});
            if (!r.ok()) {
                *error = r.error;
                return -1;
            }
            while (r.q.next()) {
                TraceOpenRecipient x;
                x.original = text(r.q.value(0));
                x.deliveredTo = text(r.q.value(1));
                x.rcptDomain = text(r.q.value(2));
                x.targetDomain = text(r.q.value(3));
                x.status = text(r.q.value(4));
                x.area = r.q.value(5);
                x.match = text(r.q.value(6));
                x.rule = r.q.value(7);
                x.nextHop = r.q.value(8);
                x.lastReply = r.q.value(9);
                x.attempts = r.q.value(10).toLongLong();
                x.nextAttempt = r.q.value(11);
                x.dsnQueueId = r.q.value(12);
                x.updated = r.q.value(13).toLongLong();
                w.m.recipients.push_back(std::move(x));
            }
        }
        w.t.oldHour = w.m.time / kHourMs;
        w.t.oldArea = text(w.m.area);
        w.t.oldStatus = w.m.status;
        return add(std::move(w), queueId);
    }

    qsizetype add(Work &&w, const QString &queueId)
    {
        m_work.push_back(std::move(w));
        const qsizetype i = qsizetype(m_work.size()) - 1;
        if (!queueId.isEmpty())
            m_byQueueId.insert(queueId, i);
        return i;
    }

    QString newId(qint64 *id)
    {
        if (m_nextId == 0) {
            Sql q(m_db, u"SELECT coalesce(max(id), 0) FROM trace_messages"_s);
            if (!q.ok())
                return q.error;
            m_nextId = (q.q.next() ? q.q.value(0).toLongLong() : 0) + 1;
        }
        *id = m_nextId++;
        return {};
    }

    static void noteEvent(Work &w, qint64 ms) { w.t.lastEvent = qMax(w.t.lastEvent, ms); }

    static TraceOpenRecipient newRecipient(qint64 ms, const QString &original, const QString &final,
                                           const QString &status, const QVariant &reply)
    {
        TraceOpenRecipient r;
        r.original = original;
        r.deliveredTo = final;
        r.rcptDomain = domainOf(original);
        r.targetDomain = domainOf(final);
        r.status = status;
        r.area = QVariant(QMetaType(QMetaType::QString));
        r.lastReply = reply;
        r.rule = r.nextHop = r.dsnQueueId = QVariant(QMetaType(QMetaType::QString));
        r.nextAttempt = QVariant(QMetaType(QMetaType::LongLong));
        r.updated = ms;
        r.dirty = true;
        return r;
    }

    QString received(const MessageLogEntry &e, qint64 ms)
    {
        // Known untraced (checkReceived) and not in this batch: no SELECT.
        const bool isNew = m_checked.contains(e.queueId) && !m_traced.contains(e.queueId) &&
                           !m_byQueueId.contains(e.queueId);
        QString loadError;
        if (!isNew && (load(e.queueId, &loadError) >= 0 || !loadError.isEmpty()))
            return loadError; // logged twice: the first one counts
        const QVariantMap &f = e.fields;
        const QString from = f.value(u"from"_s).toString();
        Work w;
        TraceOpenMessage &m = w.m;
        if (QString err = newId(&m.id); !err.isEmpty())
            return err;
        m.time = ms;
        m.queueId = e.queueId;
        m.client = nullable(f.value(u"client"_s).toString());
        m.helo = nullable(f.value(u"helo"_s).toString());
        m.tls = f.value(u"tls"_s).toBool() ? 1 : 0;
        m.tlsCipher = nullable(f.value(u"tls_cipher"_s).toString());
        m.size = f.contains(u"size"_s) ? f.value(u"size"_s) : QVariant();
        m.messageId = nullable(stripAngles(f.value(u"message_id"_s).toString()));
        m.subject = nullable(f.value(u"subject"_s).toString());
        m.sender = from;
        m.senderRewritten = from;
        m.area = QVariant(QMetaType(QMetaType::QString));
        m.status = u"queued"_s;
        m.updated = ms;
        const QStringList originals = splitList(f.value(u"to"_s).toString());
        const QStringList finals = splitList(f.value(u"recipients"_s).toString());
        for (int i = 0; i < originals.size(); ++i) {
            const QString final = finals.size() == originals.size() ? finals.at(i) : originals.at(i);
            m.recipients.push_back(
                newRecipient(ms, originals.at(i), final, u"queued"_s, nullable(QString())));
        }
        w.t.isNew = true;
        w.t.ftsDirty = true;
        w.t.routes = true;
        add(std::move(w), e.queueId);
        return {};
    }

    QString refused(const MessageLogEntry &e, qint64 ms)
    {
        const QVariantMap &f = e.fields;
        const QString reason = f.value(u"reason"_s).toString();
        if (!e.queueId.isEmpty()) {
            QString err;
            const qsizetype i = load(e.queueId, &err);
            if (!err.isEmpty())
                return err;
            if (i >= 0) {
                Work &w = m_work[i];
                w.m.status = u"refused"_s;
                w.m.updated = qMax(w.m.updated, ms);
                w.t.messageDirty = true;
                for (TraceOpenRecipient &r : w.m.recipients) {
                    r.status = u"refused"_s;
                    r.lastReply = reason;
                    r.updated = ms;
                    r.dirty = true;
                }
                return {};
            }
        }
        const QString from = f.value(u"from"_s).toString();
        Work w;
        TraceOpenMessage &m = w.m;
        if (QString err = newId(&m.id); !err.isEmpty())
            return err;
        const QVariant nullText(QMetaType(QMetaType::QString));
        m.time = ms;
        m.queueId = nullable(e.queueId);
        m.client = nullable(f.value(u"client"_s).toString());
        m.helo = nullable(f.value(u"helo"_s).toString());
        m.tls = 0;
        m.tlsCipher = m.messageId = m.subject = m.area = nullText;
        m.size = QVariant();
        m.sender = from;
        m.senderRewritten = from;
        m.status = u"refused"_s;
        m.updated = ms;
        const QStringList to = splitList(f.value(u"to"_s).toString());
        for (int i = 0; i < to.size(); ++i)
            m.recipients.push_back(newRecipient(ms, to.at(i), to.at(i), u"refused"_s, reason));
        w.t.isNew = true;
        w.t.ftsDirty = true;
        add(std::move(w), e.queueId);
        return {};
    }

    QString rewritten(Work &w, const MessageLogEntry &e, qint64 ms)
    {
        const QVariantMap &f = e.fields;
        const QString scope = f.value(u"scope"_s).toString();
        const QString from = f.value(u"from"_s).toString();
        const QString to = f.value(u"to"_s).toString();
        if (scope == u"envelope sender"_s) {
            // The message's area: a recipient rule's first, else the sender rule's.
            w.m.senderRewritten = to;
            if (w.m.area.isNull())
                w.m.area = areaValue(e.area);
            w.m.updated = qMax(w.m.updated, ms);
            w.t.messageDirty = true;
            w.t.ftsDirty = true;
            return {};
        }
        if (scope == u"envelope recipient"_s) {
            const QString match = f.value(u"match"_s).toString() == u"user"_s     ? u"user"_s
                                  : f.value(u"match"_s).toString() == u"domain"_s ? u"domain"_s
                                                                                  : u"none"_s;
            for (TraceOpenRecipient &r : w.m.recipients) {
                if (!nocaseEquals(r.original, from) && !nocaseEquals(r.deliveredTo, from))
                    continue;
                r.deliveredTo = to;
                r.targetDomain = domainOf(to);
                r.area = areaValue(e.area);
                r.match = match;
                r.rule = nullable(f.value(u"rule"_s).toString());
                r.updated = ms;
                r.dirty = true;
            }
            if (e.area && !w.t.recipientArea) {
                // A recipient rule decides the message's area over a sender rule.
                w.m.area = areaKey(*e.area);
                w.t.messageDirty = true;
                w.t.recipientArea = true;
            }
            w.t.ftsDirty = true;
        }
        noteEvent(w, ms);
        return {};
    }

    QString attempt(Work &w, MessageEvent event, const QVariantMap &f, qint64 ms)
    {
        const QString to = f.value(u"to"_s).toString();
        const QString reply = event == MessageEvent::Delivered ? f.value(u"reply"_s).toString()
                                                               : f.value(u"reason"_s).toString();
        QVariant next(QMetaType(QMetaType::LongLong));
        if (event == MessageEvent::Deferred) {
            const QDateTime t = QDateTime::fromString(f.value(u"next_attempt"_s).toString(), Qt::ISODate);
            if (t.isValid())
                next = t.toMSecsSinceEpoch();
        }
        const QVariant attempts = f.contains(u"attempts"_s) ? f.value(u"attempts"_s) : QVariant();
        const QString dsn = event == MessageEvent::Bounced ? f.value(u"dsn"_s).toString() : QString();
        const QVariant dsnValue =
            dsn.startsWith(u"none"_s) ? QVariant(QMetaType(QMetaType::QString)) : nullable(dsn);
        const QVariant relay = nullable(f.value(u"relay"_s).toString());
        int matched = 0;
        for (TraceOpenRecipient &r : w.m.recipients) {
            if (!nocaseEquals(r.deliveredTo, to) || r.status == u"refused"_s)
                continue;
            ++matched;
            r.status = messageEventName(event);
            if (!relay.isNull())
                r.nextHop = relay;
            r.lastReply = nullable(reply);
            r.attempts = attempts.isValid() && !attempts.isNull() ? attempts.toLongLong() : r.attempts + 1;
            r.nextAttempt = next;
            if (!dsnValue.isNull())
                r.dsnQueueId = dsnValue;
            r.updated = ms;
            r.dirty = true;
        }
        if (matched == 0) {
            // A recipient the received event did not name the same way: match
            // the only one still open, if there is exactly one.
            TraceOpenRecipient *only = nullptr;
            int open = 0;
            for (TraceOpenRecipient &r : w.m.recipients) {
                if (r.status == u"queued"_s || r.status == u"deferred"_s) {
                    ++open;
                    if (!only)
                        only = &r;
                }
            }
            if (open == 1) {
                only->status = messageEventName(event);
                only->deliveredTo = to;
                only->targetDomain = domainOf(to);
                only->lastReply = nullable(reply);
                only->attempts += 1;
                only->updated = ms;
                only->dirty = true;
            }
        }
        noteEvent(w, ms);
        return {};
    }

    QString bump(const QString &sql, const QVariantList &values)
    {
        Sql q(m_db, sql, values);
        return q.error;
    }

    StatementCache &m_db;
    bool m_fullText;
    QSet<QString> m_checked;  // received queue ids checkReceived() looked up
    QSet<QString> m_traced;   // ... of which trace_messages had a row
    std::vector<Work> m_work; // in order of first event
    QHash<QString, qsizetype> m_byQueueId;
    qint64 m_nextId = 0;
    qint64 m_newest = 0;
    std::map<std::tuple<qint64, QString, QString>, qint64> m_hourly; // hour, area, status
    std::map<qint64, std::pair<qint64, qint64>> m_queue;             // hour: entered, left
    std::map<std::tuple<qint64, QString, QString, QString, QString>, qint64>
        m_routes; // hour, area, domains, match
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
                    "store with LIKE instead, which is slower on a large store"_s.arg(
                        probe.lastError().databaseText());
        return false;
    }
    probe.exec(u"DROP TABLE temp.mailroute_fts_probe"_s);
    if (!create)
        return false;
    QSqlQuery c(db);
    if (!c.exec(u"CREATE VIRTUAL TABLE IF NOT EXISTS trace_fts USING fts5(senders, recipients, subject, "
                u"message_id, "
                "tokenize='trigram')"_s)) {
        if (note)
            *note =
                u"cannot create the trace's full-text index (%1): trace searches scan the store with LIKE"_s
                    .arg(c.lastError().databaseText());
        return false;
    }
    // Messages traced before the index existed (a store that had none).
    QSqlQuery fill(db);
    fill.exec(u"INSERT INTO trace_fts (rowid, senders, recipients, subject, message_id) "
              "SELECT m.id, coalesce(m.sender, '') || ' ' || coalesce(m.sender_rewritten, ''), "
              "(SELECT group_concat(r.original || ' ' || r.delivered_to, ' ') FROM trace_recipients r WHERE "
              "r.message = m.id), "
              "coalesce(m.subject, ''), coalesce(m.message_id, '') FROM trace_messages m"_s);
    return true;
}

Status TraceIngest::apply(QSqlDatabase &db, const QList<MessageLogEntry> &events)
{
    if (!m_fullText)
        m_fullText = prepareFullText(db, true, &m_note);
    if (!m_cache || m_cache->connection != db.connectionName())
        m_cache = std::make_unique<StatementCache>(db);
    StatementCache &cache = *m_cache;
    {
        // Another connection committed since this one's last batch (a prune,
        // a restored database): what is in memory may no longer be so.
        Sql v(cache, u"PRAGMA data_version"_s);
        if (!v.ok())
            return Status::failure(v.error);
        const qint64 version = v.q.next() ? v.q.value(0).toLongLong() : -2;
        if (version != cache.dataVersion)
            cache.open.clear();
        cache.dataVersion = version;
    }
    Batch batch(cache, *m_fullText);
    QString err = batch.checkReceived(events);
    for (const MessageLogEntry &e : events) {
        if (!err.isEmpty())
            break;
        if (err = batch.apply(e); !err.isEmpty())
            break;
    }
    if (err.isEmpty())
        err = batch.finish();
    if (!err.isEmpty()) {
        cache.open.clear(); // the transaction is rolled back
        return Status::failure(err);
    }
    batch.remember(cache.open);
    if (++cache.batches % 256 == 0 || cache.open.size() > kOpenMax) {
        for (auto it = cache.open.begin(); it != cache.open.end();)
            it = it->time < batch.newest() - kOpenKeepMs ? cache.open.erase(it) : std::next(it);
        if (cache.open.size() > kOpenMax) {
            // The oldest go (read again from the database when an event comes).
            std::vector<qint64> times;
            times.reserve(size_t(cache.open.size()));
            for (const TraceOpenMessage &m : std::as_const(cache.open))
                times.push_back(m.time);
            const auto cut = times.end() - kOpenKeepAfterTrim;
            std::nth_element(times.begin(), cut, times.end());
            const qint64 oldestKept = *cut;
            for (auto it = cache.open.begin(); it != cache.open.end();)
                it = it->time < oldestKept ? cache.open.erase(it) : std::next(it);
            if (cache.open.size() > kOpenMax)
                cache.open.clear(); // all received in the same millisecond
        }
    }
    return okStatus();
}

void TraceIngest::releaseMemory()
{
    if (!m_cache)
        return;
    m_cache->open.squeeze();
    // Prepared again by the next batch.
    m_cache->statements.clear();
    m_cache->failed.reset();
}

void TraceIngest::forget()
{
    if (m_cache)
        m_cache->open.clear();
}

bool TraceIngest::disabledByEnvironment()
{
    return qEnvironmentVariable("MAILROUTE_TRACE") == QLatin1String("off");
}

} // namespace mailroute
