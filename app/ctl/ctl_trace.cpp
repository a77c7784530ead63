// mailroutectl trace: search the message trace (relaycore/trace) by sender,
// recipient (original or rewritten, whole or a part of 3+ characters),
// Message-ID, queue id, status and period. One line per recipient, or with
// --json one JSON object per message (one per line) with its timeline.
#include "app/ctl/ctlapp.h"

#include "relaycore/store/configstore.h"
#include "relaycore/trace/tracestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace mailroute {

namespace {

QString formatTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("-") : s;
}

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(formatTime(t)) : QJsonValue();
}

QJsonValue textJson(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject messageJson(const TraceTimeline &t)
{
    const TraceMessage &m = t.message;
    QJsonArray recipients;
    for (const TraceRecipient &r : m.recipients) {
        recipients.append(QJsonObject{
            {QStringLiteral("to"), r.original},
            {QStringLiteral("delivered_to"), r.deliveredTo},
            {QStringLiteral("status"), traceStatusKey(r.status)},
            {QStringLiteral("area"), r.area ? QJsonValue(areaKey(*r.area)) : QJsonValue()},
            {QStringLiteral("match"), r.match},
            {QStringLiteral("rule"), textJson(r.rule)},
            {QStringLiteral("next_hop"), textJson(r.nextHop)},
            {QStringLiteral("last_reply"), textJson(r.lastReply)},
            {QStringLiteral("attempts"), r.attempts},
            {QStringLiteral("next_attempt"), timeJson(r.nextAttempt)},
            {QStringLiteral("dsn_queue_id"), textJson(r.dsnQueueId)},
        });
    }
    QJsonArray events;
    for (const TraceEvent &e : t.events) {
        events.append(QJsonObject{
            {QStringLiteral("time"), formatTime(e.time)},
            {QStringLiteral("event"), e.kind},
            {QStringLiteral("area"), e.area ? QJsonValue(areaKey(*e.area)) : QJsonValue()},
            {QStringLiteral("fields"), QJsonObject::fromVariantMap(e.fields)},
        });
    }
    return QJsonObject{
        {QStringLiteral("time"), formatTime(m.time)},
        {QStringLiteral("queue_id"), textJson(m.queueId)},
        {QStringLiteral("client"), textJson(m.client)},
        {QStringLiteral("helo"), textJson(m.helo)},
        {QStringLiteral("tls"), m.tls},
        {QStringLiteral("size"), m.size >= 0 ? QJsonValue(m.size) : QJsonValue()},
        {QStringLiteral("message_id"), textJson(m.messageId)},
        {QStringLiteral("subject"), textJson(m.subject)},
        {QStringLiteral("from"), m.from},
        {QStringLiteral("from_rewritten"), m.rewrittenFrom},
        {QStringLiteral("area"), m.area ? QJsonValue(areaKey(*m.area)) : QJsonValue()},
        {QStringLiteral("status"), traceStatusKey(m.status)},
        {QStringLiteral("updated"), formatTime(m.updated)},
        {QStringLiteral("recipients"), recipients},
        {QStringLiteral("events"), events},
    };
}

} // namespace

// ISO 8601 with a zone ("2026-12-08T06:00Z", "2026-12-08T06:00:00+01:00"), a
// UTC date ("2026-12-08"), or a time before now: "-2h", "-7d", "-30m", "-90s".
std::optional<QDateTime> CtlApp::parseTraceTime(const QString &text, const QDateTime &now)
{
    static const QRegularExpression relative(QStringLiteral("^-(\\d{1,6})([smhd])$"));
    static const QRegularExpression zoned(QStringLiteral("(Z|[+-]\\d\\d:?\\d\\d)$"));
    static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d$"));
    const QString t = text.trimmed();
    if (const auto m = relative.match(t.toLower()); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        const qint64 factor = unit == u's' ? 1 : unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400;
        return now.addSecs(-n * factor);
    }
    if (date.match(t).hasMatch()) {
        const QDate d = QDate::fromString(t, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        return QDateTime(d, QTime(0, 0), Qt::UTC);
    }
    if (!zoned.match(t).hasMatch() || !t.contains(u'T'))
        return std::nullopt;
    const QDateTime when = QDateTime::fromString(t, Qt::ISODate);
    if (!when.isValid())
        return std::nullopt;
    return when.toUTC();
}

int CtlApp::cmdTrace()
{
    TraceQuery q;
    q.from = m_args.value(QStringLiteral("from")).trimmed();
    q.to = m_args.value(QStringLiteral("to")).trimmed();
    q.messageId = m_args.value(QStringLiteral("message-id")).trimmed();
    q.queueId = m_args.value(QStringLiteral("queue-id")).trimmed();
    for (const char *name : {"from", "to", "message-id", "queue-id", "status", "since", "until"}) {
        const QString option = QString::fromLatin1(name);
        if (m_args.hasValue(option) && m_args.value(option).trimmed().isEmpty())
            return usage(QStringLiteral("--%1 needs a value").arg(option), m_command);
    }
    if (m_args.hasValue(QStringLiteral("status"))) {
        const QString key = m_args.value(QStringLiteral("status"));
        q.status = traceStatusFromKey(key);
        if (!q.status)
            return usage(
                QStringLiteral("unknown status '%1' (delivered, deferred, bounced, refused or queued)")
                    .arg(key),
                m_command);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &[option, target] :
         {std::pair{QStringLiteral("since"), &q.since}, std::pair{QStringLiteral("until"), &q.until}}) {
        if (!m_args.hasValue(option))
            continue;
        const auto parsed = parseTraceTime(m_args.value(option), now);
        if (!parsed)
            return usage(QStringLiteral("--%1 must be a time with its zone such as 2026-12-08T06:00Z or "
                                        "2026-12-08T06:00+01:00, a date such as 2026-12-08 (UTC), or a time "
                                        "before now such as -2h or -7d, got '%2'")
                             .arg(option, m_args.value(option)),
                         m_command);
        *target = *parsed;
    }
    if (const Status st = TraceStore::validate(q); !st)
        return usage(st.error, m_command);
    if (!openStore())
        return kExitError;
    TraceStore trace(m_store->path());
    if (const Status st = trace.open(); !st)
        return fail(QStringLiteral("cannot open the message trace: %1").arg(st.error));
    if (!trace.fullText() && !trace.fullTextNote().isEmpty())
        m_err << "mailroutectl: note: " << trace.fullTextNote() << '\n';
    const bool json = m_args.has(QStringLiteral("json"));
    // Oldest first, like `logs`; in pages so a large result streams.
    q.sort = TraceSort::OldestFirst;
    q.limit = 2000;
    for (q.offset = 0;; q.offset += q.limit) {
        const auto page = trace.search(q);
        if (!page)
            return fail(QStringLiteral("cannot search the message trace: %1").arg(page.error));
        for (const TraceMessage &m : *page) {
            if (json) {
                TraceTimeline t{m, {}};
                if (const auto full = trace.timeline(m.traceId))
                    t = *full;
                m_out << QString::fromUtf8(QJsonDocument(messageJson(t)).toJson(QJsonDocument::Compact))
                      << '\n';
                continue;
            }
            const QString head = formatTime(m.time) + u'\t' + orDash(m.queueId) + u'\t' +
                                 (m.from.isEmpty() ? QStringLiteral("<>") : m.from) + u'\t';
            if (m.recipients.isEmpty())
                m_out << head << "-\t-\t" << traceStatusKey(m.status) << '\n';
            for (const TraceRecipient &r : m.recipients)
                m_out << head << r.original << '\t' << r.deliveredTo << '\t' << traceStatusKey(r.status)
                      << '\n';
        }
        if (page->size() < q.limit)
            break;
    }
    m_out.flush();
    return kExitOk;
}

} // namespace mailroute
