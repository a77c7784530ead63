#include "relaycore/trace/tracestore.h"

#include "relaycore/sql/sqlite.h"
#include "relaycore/trace/traceingest.h"

#include <QAtomicInteger>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr int kMinPart = 3;
constexpr int kBusyTimeoutMs = 5000;

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
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

// "%part%" for LIKE ... ESCAPE '\'.
QString likePattern(const QString &part)
{
    QString p = part;
    p.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
    return u'%' + p + u'%';
}

// An FTS5 phrase: the part in double quotes (a trigram phrase is a substring).
QString ftsPhrase(const QString &part)
{
    QString p = part;
    p.replace(u"\""_s, u"\"\""_s);
    return u'"' + p + u'"';
}

std::optional<Area> areaOf(const QVariant &v)
{
    if (v.isNull() || v.toString().isEmpty())
        return std::nullopt;
    return areaFromKey(v.toString());
}

// A query run at once (relaycore/sql/sqlite.h).
class Select : public sql::Query
{
public:
    Select(const QSqlDatabase &db, const QString &sql, const QVariantList &values) : Query(db, sql, values)
    {
        m_ok = exec().ok();
    }
    bool ok() const { return m_ok; }

private:
    bool m_ok = false;
};

// The columns of one recipient row, read by recipientOf() from `first` on.
const QString kRecipientColumns =
    u"original, delivered_to, status, area, match, rule, next_hop, last_reply, attempts, next_attempt, "
    "dsn_queue_id, updated"_s;

TraceRecipient recipientOf(const Select &r, int first)
{
    TraceRecipient t;
    t.original = r.value(first).toString();
    t.deliveredTo = r.value(first + 1).toString();
    t.status = traceStatusFromKey(r.value(first + 2).toString()).value_or(TraceStatus::Queued);
    t.area = areaOf(r.value(first + 3));
    t.match = r.value(first + 4).toString();
    t.rule = r.value(first + 5).toString();
    t.nextHop = r.value(first + 6).toString();
    t.lastReply = r.value(first + 7).toString();
    t.attempts = r.value(first + 8).toInt();
    if (!r.value(first + 9).isNull())
        t.nextAttempt = fromMs(r.value(first + 9).toLongLong());
    t.dsnQueueId = r.value(first + 10).toString();
    t.updated = fromMs(r.value(first + 11).toLongLong());
    return t;
}

const QString kMessageColumns =
    u"m.id, m.time, m.queue_id, m.client, m.helo, m.tls, m.tls_cipher, m.size, m.message_id, m.subject, "
    "m.sender, m.sender_rewritten, m.area, m.status, m.updated"_s;

TraceMessage messageOf(const Select &q)
{
    TraceMessage m;
    m.traceId = q.value(0).toLongLong();
    m.time = fromMs(q.value(1).toLongLong());
    m.queueId = q.value(2).toString();
    m.client = q.value(3).toString();
    m.helo = q.value(4).toString();
    m.tls = q.value(5).toInt() != 0;
    m.tlsCipher = q.value(6).toString();
    m.size = q.value(7).isNull() ? -1 : q.value(7).toLongLong();
    m.messageId = q.value(8).toString();
    m.subject = q.value(9).toString();
    m.from = q.value(10).toString();
    m.rewrittenFrom = q.value(11).toString();
    m.area = areaOf(q.value(12));
    m.status = traceStatusFromKey(q.value(13).toString()).value_or(TraceStatus::Queued);
    m.updated = fromMs(q.value(14).toLongLong());
    return m;
}

} // namespace

struct TraceStore::Private
{
    QString path;
    QString connectionName;
    QSqlDatabase db;
    bool isOpen = false;
    bool fullText = false;
    mutable bool sampled = false; // trigram counts of the newest rows (rareTrigrams)
    mutable QHash<QString, int> sample;
    QString note;

    // The (at most three) trigrams of `part` that the fewest rows contain,
    // estimated from a sample of the newest rows: a phrase of every trigram
    // merges the long lists of the common ones ("exa", "com", the migrated
    // domain), these few are short; the LIKE on the candidates then checks
    // the whole part.
    QStringList rareTrigrams(const QString &part) const
    {
        const QString folded = part.toLower();
        QStringList all;
        for (qsizetype i = 0; i + 3 <= folded.size(); ++i) {
            const QString t = folded.mid(i, 3);
            if (!all.contains(t))
                all << t;
        }
        if (all.size() <= 3)
            return all;
        if (!sampled) {
            sampled = true;
            Select q(
                db,
                u"SELECT senders, recipients, subject, message_id FROM trace_fts ORDER BY rowid DESC LIMIT 2000"_s,
                {});
            while (q.ok() && q.next()) {
                QSet<QString> seen;
                for (int c = 0; c < 4; ++c) {
                    const QString text = q.value(c).toString().toLower();
                    for (qsizetype i = 0; i + 3 <= text.size(); ++i)
                        seen.insert(text.mid(i, 3));
                }
                for (const QString &t : std::as_const(seen))
                    sample[t] += 1;
            }
        }
        QList<QPair<int, qsizetype>> counted;
        for (qsizetype i = 0; i < all.size(); ++i)
            counted << qMakePair(sample.value(all.at(i)), i);
        std::sort(counted.begin(), counted.end());
        QStringList out;
        for (qsizetype i = 0; i < 3; ++i)
            out << all.at(counted.at(i).second);
        return out;
    }

    // WHERE clause and values for a query (no ORDER/LIMIT).
    QString where(const TraceQuery &q, QVariantList &values) const
    {
        QStringList conds;
        QStringList fts;       // MATCH terms
        QStringList ftsVerify; // LIKE on the candidates' columns
        QVariantList ftsValues;
        auto ftsCond = [&](const QString &part, const QStringList &columns) {
            const QString colset = columns.size() == 1 ? columns.first() : u'{' + columns.join(u' ') + u'}';
            for (const QString &t : rareTrigrams(part))
                fts << colset + u" : "_s + ftsPhrase(t);
            QStringList any;
            for (const QString &c : columns) {
                // "+column": a plain filter, not handed to FTS5 as another index constraint.
                any << u"+%1 LIKE ? ESCAPE '\\'"_s.arg(c);
                ftsValues << likePattern(part);
            }
            ftsVerify << u'(' + any.join(u" OR "_s) + u')';
        };
        auto addressCond = [&](const QString &part, bool senders, bool recipients) {
            if (fullText) {
                QStringList cols;
                if (senders)
                    cols << u"senders"_s;
                if (recipients)
                    cols << u"recipients"_s;
                ftsCond(part, cols);
                return;
            }
            QStringList any;
            const QString pattern = likePattern(part);
            if (senders) {
                any << u"m.sender LIKE ? ESCAPE '\\' OR m.sender_rewritten LIKE ? ESCAPE '\\'"_s;
                values << pattern << pattern;
            }
            if (recipients) {
                any << u"EXISTS (SELECT 1 FROM trace_recipients r WHERE r.message = m.id AND "
                       "(r.original LIKE ? ESCAPE '\\' OR r.delivered_to LIKE ? ESCAPE '\\'))"_s;
                values << pattern << pattern;
            }
            conds << u'(' + any.join(u" OR "_s) + u')';
        };
        if (!q.from.trimmed().isEmpty())
            addressCond(q.from.trimmed(), true, false);
        if (!q.to.trimmed().isEmpty())
            addressCond(q.to.trimmed(), false, true);
        if (!q.address.trimmed().isEmpty())
            addressCond(q.address.trimmed(), true, true);
        auto textCond = [&](const QString &part, const QString &column) {
            if (fullText) {
                ftsCond(part, {column});
            } else {
                conds << u"m.%1 LIKE ? ESCAPE '\\'"_s.arg(column);
                values << likePattern(part);
            }
        };
        const QString messageId = stripAngles(q.messageId);
        if (!messageId.isEmpty())
            textCond(messageId, u"message_id"_s);
        if (!q.subject.trimmed().isEmpty())
            textCond(q.subject.trimmed(), u"subject"_s);
        if (!fts.isEmpty()) {
            conds.prepend(u"m.id IN (SELECT rowid FROM trace_fts WHERE trace_fts MATCH ? AND %1)"_s.arg(
                ftsVerify.join(u" AND "_s)));
            QVariantList front{fts.join(u" AND "_s)};
            front << ftsValues;
            values = front + values;
        }
        if (!q.queueId.trimmed().isEmpty()) {
            conds << u"m.queue_id = ?"_s;
            values << q.queueId.trimmed();
        }
        if (!q.client.trimmed().isEmpty()) {
            conds << u"m.client = ?"_s;
            values << q.client.trimmed();
        }
        if (q.status) {
            // Through the recipients' (status, time) index, not one probe per message.
            QString inRecipients = u"SELECT r.message FROM trace_recipients r WHERE r.status = ?"_s;
            QVariantList rv{traceStatusKey(*q.status)};
            if (q.since.isValid()) {
                inRecipients += u" AND r.time >= ?"_s;
                rv << q.since.toMSecsSinceEpoch();
            }
            if (q.until.isValid()) {
                inRecipients += u" AND r.time < ?"_s;
                rv << q.until.toMSecsSinceEpoch();
            }
            conds << u"(m.status = ? OR m.id IN (%1))"_s.arg(inRecipients);
            values << traceStatusKey(*q.status) << rv;
        }
        if (q.area) {
            conds << u"m.area = ?"_s;
            values << areaKey(*q.area);
        }
        if (q.since.isValid()) {
            conds << u"m.time >= ?"_s;
            values << q.since.toMSecsSinceEpoch();
        }
        if (q.until.isValid()) {
            conds << u"m.time < ?"_s;
            values << q.until.toMSecsSinceEpoch();
        }
        return conds.isEmpty() ? QString() : u" WHERE "_s + conds.join(u" AND "_s);
    }

    // A store opened before the relay wrote its first batch has no full-text
    // table yet; look again (cheap) until it has one.
    void refreshFullText()
    {
        if (!fullText && note.isEmpty())
            fullText = TraceIngest::prepareFullText(db, false, &note);
    }

    Result<QList<TraceRecipient>> recipientsOf(qint64 id) const
    {
        using R = Result<QList<TraceRecipient>>;
        Select r(
            db,
            u"SELECT %1 FROM trace_recipients WHERE message = ? ORDER BY position"_s.arg(kRecipientColumns),
            {id});
        if (!r.ok())
            return R::failure(r.error());
        QList<TraceRecipient> out;
        while (r.next())
            out << recipientOf(r, 0);
        return R::success(out);
    }

    Result<TraceTimeline> timelineWhere(const QString &cond, const QVariant &value) const
    {
        using R = Result<TraceTimeline>;
        if (!isOpen)
            return R::failure(u"the trace store is not open"_s);
        TraceTimeline t;
        {
            Select q(db, u"SELECT %1 FROM trace_messages m WHERE %2"_s.arg(kMessageColumns, cond), {value});
            if (!q.ok())
                return R::failure(q.error());
            if (!q.next())
                return R::failure(u"no such message in the trace"_s);
            t.message = messageOf(q);
        }
        const auto rcpts = recipientsOf(t.message.traceId);
        if (!rcpts)
            return R::failure(rcpts.error);
        t.message.recipients = *rcpts;
        if (t.message.queueId.isEmpty()) {
            // A refusal before a queue id existed: its one event.
            TraceEvent e;
            e.time = t.message.time;
            e.kind = u"refused"_s;
            QVariantMap f{{u"client"_s, t.message.client}, {u"from"_s, t.message.from}};
            if (!t.message.recipients.isEmpty()) {
                f.insert(u"to"_s, t.message.recipients.first().original);
                f.insert(u"reason"_s, t.message.recipients.first().lastReply);
            }
            e.fields = f;
            t.events << e;
            return R::success(t);
        }
        Select ev(db,
                  u"SELECT id, time, event, area, fields FROM message_log WHERE queue_id = ? ORDER BY id"_s,
                  {t.message.queueId});
        if (!ev.ok())
            return R::failure(ev.error());
        while (ev.next()) {
            TraceEvent e;
            e.id = ev.value(0).toLongLong();
            e.time = fromMs(ev.value(1).toLongLong());
            e.kind = ev.value(2).toString();
            e.area = areaOf(ev.value(3));
            e.fields = QJsonDocument::fromJson(ev.value(4).toString().toUtf8()).object().toVariantMap();
            t.events << e;
        }
        return R::success(t);
    }

    Status exec(const QString &sql, const QVariantList &values = {}, qint64 *affected = nullptr)
    {
        Select q(db, sql, values);
        if (!q.ok())
            return Status::failure(q.error());
        if (affected)
            *affected = q.rowsAffected();
        return okStatus();
    }
};

TraceStore::TraceStore(QString databasePath) : d(std::make_unique<Private>())
{
    static QAtomicInteger<quint64> serial;
    d->path = std::move(databasePath);
    d->connectionName = u"mailroute.tracestore.%1"_s.arg(serial.fetchAndAddRelaxed(1));
}

TraceStore::~TraceStore()
{
    sql::close(d->db, d->connectionName);
}

Status TraceStore::open()
{
    if (d->isOpen)
        return okStatus();
    if (d->path.isEmpty())
        return Status::failure(u"no database path given"_s);
    // The file is the configuration database: ConfigStore chose its journal
    // mode and schema; a reader only waits for a writer's lock.
    sql::OpenOptions options;
    options.path = d->path;
    options.connectionName = d->connectionName;
    options.busyTimeoutMs = kBusyTimeoutMs;
    options.wal = false;
    options.strict = false;
    Result<QSqlDatabase> db = sql::open(options);
    if (!db)
        return Status::failure(db.error);
    d->db = *db;
    {
        Select v(d->db, u"SELECT value FROM meta WHERE key = 'schema_version'"_s, {});
        if (!v.ok() || !v.next())
            return Status::failure(u"%1 is not a MailRoute database"_s.arg(d->path));
        if (v.value(0).toInt() < 5)
            return Status::failure(
                u"%1 has no message trace yet (schema version %2; open it with this MailRoute once)"_s
                    .arg(d->path)
                    .arg(v.value(0).toInt()));
    }
    d->fullText = TraceIngest::prepareFullText(d->db, false, &d->note);

    if (!d->fullText && d->note.isEmpty()) {
        // FTS5 is there but the relay has not written a trace yet: nothing to
        // search, so LIKE over the (empty) tables is as fast.
    }
    d->isOpen = true;
    return okStatus();
}

bool TraceStore::isOpen() const
{
    return d->isOpen;
}

bool TraceStore::fullText() const
{
    return d->fullText;
}

QString TraceStore::fullTextNote() const
{
    return d->note;
}

Status TraceStore::validate(const TraceQuery &query)
{
    auto tooShort = [](const QString &part) {
        const QString t = part.trimmed();
        return !t.isEmpty() && t.size() < kMinPart;
    };
    if (tooShort(query.from) || tooShort(query.to) || tooShort(query.address))
        return Status::failure(
            u"an address to search for needs at least %1 characters (a whole address or any part of it)"_s
                .arg(kMinPart));
    if (tooShort(stripAngles(query.messageId)))
        return Status::failure(u"a Message-ID to search for needs at least %1 characters"_s.arg(kMinPart));
    if (tooShort(query.subject))
        return Status::failure(u"a Subject to search for needs at least %1 characters"_s.arg(kMinPart));
    if (query.since.isValid() && query.until.isValid() && query.since >= query.until)
        return Status::failure(u"the start of the period must come before its end"_s);
    if (query.offset < 0)
        return Status::failure(u"the offset must not be negative"_s);
    return okStatus();
}

Result<QList<TraceMessage>> TraceStore::search(const TraceQuery &query) const
{
    using R = Result<QList<TraceMessage>>;
    if (!d->isOpen)
        return R::failure(u"the trace store is not open"_s);
    if (const Status st = validate(query); !st)
        return R::failure(st.error);
    d->refreshFullText();
    QVariantList values;
    QString sql = u"SELECT %1 FROM trace_messages m"_s.arg(kMessageColumns) + d->where(query, values);
    switch (query.sort) {
    case TraceSort::NewestFirst: sql += u" ORDER BY m.time DESC, m.id DESC"_s; break;
    case TraceSort::OldestFirst: sql += u" ORDER BY m.time, m.id"_s; break;
    case TraceSort::BySender: sql += u" ORDER BY m.sender COLLATE NOCASE, m.time DESC, m.id DESC"_s; break;
    case TraceSort::ByRecipient:
        sql += u" ORDER BY (SELECT r.original FROM trace_recipients r WHERE r.message = m.id ORDER BY "
               u"r.position "
               "LIMIT 1) COLLATE NOCASE, m.time DESC, m.id DESC"_s;
        break;
    case TraceSort::ByStatus: sql += u" ORDER BY m.status, m.time DESC, m.id DESC"_s; break;
    }
    sql += u" LIMIT ? OFFSET ?"_s;
    values << (query.limit > 0 ? query.limit : -1) << query.offset;
    QList<TraceMessage> out;
    {
        Select q(d->db, sql, values);
        if (!q.ok())
            return R::failure(q.error());
        while (q.next())
            out << messageOf(q);
    }
    if (out.isEmpty())
        return R::success(out);
    // The recipients of the page in one query.
    std::map<qint64, qsizetype> index;
    QStringList ids;
    for (qsizetype i = 0; i < out.size(); ++i) {
        index.emplace(out.at(i).traceId, i);
        ids << QString::number(out.at(i).traceId);
    }
    Select r(
        d->db,
        u"SELECT message, %1 FROM trace_recipients WHERE message IN (%2) ORDER BY message, position"_s.arg(
            kRecipientColumns, ids.join(u',')),
        {});
    if (!r.ok())
        return R::failure(r.error());
    while (r.next()) {
        const auto it = index.find(r.value(0).toLongLong());
        if (it == index.end())
            continue;
        out[it->second].recipients << recipientOf(r, 1);
    }
    return R::success(out);
}

Result<qint64> TraceStore::count(const TraceQuery &query) const
{
    using R = Result<qint64>;
    if (!d->isOpen)
        return R::failure(u"the trace store is not open"_s);
    if (const Status st = validate(query); !st)
        return R::failure(st.error);
    d->refreshFullText();
    QVariantList values;
    const QString sql = u"SELECT count(*) FROM trace_messages m"_s + d->where(query, values);
    Select q(d->db, sql, values);
    if (!q.ok() || !q.next())
        return R::failure(q.ok() ? u"no count"_s : q.error());
    return R::success(q.value(0).toLongLong());
}

Result<TraceTimeline> TraceStore::timeline(qint64 traceId) const
{
    return d->timelineWhere(u"m.id = ?"_s, traceId);
}

Result<TraceTimeline> TraceStore::timelineOfQueueId(const QString &queueId) const
{
    return d->timelineWhere(u"m.queue_id = ?"_s, queueId);
}

Result<TraceOverview> TraceStore::overview(const QDateTime &since, const QDateTime &until, int topLimit) const
{
    using R = Result<TraceOverview>;
    if (!d->isOpen)
        return R::failure(u"the trace store is not open"_s);
    if (!since.isValid() || !until.isValid() || since >= until)
        return R::failure(u"the overview needs a period whose start comes before its end"_s);
    const qint64 first = since.toMSecsSinceEpoch() / kHourMs;
    const qint64 end = (until.toMSecsSinceEpoch() + kHourMs - 1) / kHourMs; // exclusive
    TraceOverview o;
    o.since = fromMs(first * kHourMs);
    o.until = fromMs(end * kHourMs);
    {
        Select q(d->db,
                 u"SELECT hour, area, status, sum(messages) FROM trace_hourly WHERE hour >= ? AND hour < ? "
                 "GROUP BY hour, area, status HAVING sum(messages) > 0 ORDER BY hour, area, status"_s,
                 {first, end});
        if (!q.ok())
            return R::failure(q.error());
        while (q.next()) {
            TraceOverview::HourBucket b;
            b.hour = fromMs(q.value(0).toLongLong() * kHourMs);
            b.area = areaOf(q.value(1));
            b.status = traceStatusFromKey(q.value(2).toString()).value_or(TraceStatus::Queued);
            b.messages = q.value(3).toLongLong();
            o.perHour << b;
        }
    }
    {
        qint64 depth = 0;
        Select base(d->db,
                    u"SELECT coalesce(sum(entered - left), 0) FROM trace_queue_hourly WHERE hour < ?"_s,
                    {first});
        if (!base.ok())
            return R::failure(base.error());
        if (base.next())
            depth = base.value(0).toLongLong();
        QHash<qint64, qint64> delta;
        Select q(d->db, u"SELECT hour, entered - left FROM trace_queue_hourly WHERE hour >= ? AND hour < ?"_s,
                 {first, end});
        if (!q.ok())
            return R::failure(q.error());
        while (q.next())
            delta.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
        for (qint64 h = first; h < end; ++h) {
            depth += delta.value(h);
            o.queueDepth << TraceOverview::QueueSample{fromMs(h * kHourMs), qMax<qint64>(0, depth)};
        }
    }
    {
        Select q(d->db,
                 u"SELECT target_domain, sum(recipients) AS n FROM trace_route_hourly WHERE hour >= ? AND "
                 u"hour < ? "
                 "AND target_domain <> '' GROUP BY target_domain ORDER BY n DESC, target_domain LIMIT ?"_s,
                 {first, end, topLimit > 0 ? topLimit : -1});
        if (!q.ok())
            return R::failure(q.error());
        while (q.next())
            o.topTargetDomains << TraceOverview::DomainCount{q.value(0).toString(), q.value(1).toLongLong()};
    }
    {
        Select q(
            d->db,
            u"SELECT rcpt_domain, sum(CASE match WHEN 'user' THEN recipients ELSE 0 END), "
            "sum(CASE match WHEN 'domain' THEN recipients ELSE 0 END) FROM trace_route_hourly "
            "WHERE hour >= ? AND hour < ? AND area = 'inbound' GROUP BY rcpt_domain ORDER BY rcpt_domain"_s,
            {first, end});
        if (!q.ok())
            return R::failure(q.error());
        while (q.next())
            o.inboundCutOver << TraceOverview::CutOver{q.value(0).toString(), q.value(1).toLongLong(),
                                                       q.value(2).toLongLong()};
    }
    return R::success(o);
}

Result<qint64> TraceStore::prune(const QDateTime &before)
{
    using R = Result<qint64>;
    if (!d->isOpen)
        return R::failure(u"the trace store is not open"_s);
    const qint64 cutoff = before.toMSecsSinceEpoch();
    const qint64 cutoffHour = cutoff / kHourMs; // hours wholly before the cut-off
    qint64 removed = 0;
    sql::Transaction tx(d->db);
    if (Status st = tx.begin(sql::Transaction::Kind::Write); !st)
        return R::failure(st.error);
    auto run = [&]() -> Status {
        if (d->fullText) {
            if (Status st = d->exec(
                    u"DELETE FROM trace_fts WHERE rowid IN (SELECT id FROM trace_messages WHERE time < ?)"_s,
                    {cutoff});
                !st)
                return st;
        }
        if (Status st = d->exec(u"DELETE FROM trace_recipients WHERE time < ?"_s, {cutoff}); !st)
            return st;
        if (Status st = d->exec(u"DELETE FROM trace_messages WHERE time < ?"_s, {cutoff}, &removed); !st)
            return st;
        for (const QString &table : {u"trace_hourly"_s, u"trace_route_hourly"_s}) {
            if (Status st = d->exec(u"DELETE FROM %1 WHERE hour < ?"_s.arg(table), {cutoffHour}); !st)
                return st;
        }
        // The queue's balance before the cut-off moves into its first kept hour.
        return d->exec(u"DELETE FROM trace_queue_hourly WHERE hour < ? AND entered = left"_s, {cutoffHour});
    };
    if (Status st = run(); !st)
        return R::failure(st.error);
    if (Status st = tx.commit(); !st)
        return R::failure(st.error);
    return R::success(removed);
}

} // namespace mailroute
