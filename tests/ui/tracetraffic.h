// Message traffic for the Trace and Overview page tests, the screenshots and
// bench_overview: message-log events as the relay engine writes them
// (relayengine.cpp: received, rewritten, delivered, deferred, bounced,
// refused), written through the relay's MessageLogWriter — the trace store's
// write path — never as hand-made trace rows. Test-only; any thread.
#pragma once

#include "relaycore/runtime/messagelogwriter.h"
#include "relaycore/store/configstore.h"
#include "relaycore/trace/tracetypes.h"

#include <QDateTime>
#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace mailroute::testing {

struct TrafficMessage
{
    QDateTime time; // received (UTC)
    QString queueId;
    QString from;
    QString to;          // as sent
    QString deliveredTo; // after the rule (== to: no rule)
    std::optional<Area> area;
    QString match = QStringLiteral("none"); // "user", "domain" or "none"
    TraceStatus status = TraceStatus::Delivered;
    QString messageId;
    QString subject;
};

inline QList<MessageLogEntry> eventsOf(const TrafficMessage &m)
{
    QList<MessageLogEntry> out;
    if (m.status == TraceStatus::Refused) {
        out << MessageLogEntry{
            0,
            m.time,
            QString(),
            MessageEvent::Refused,
            std::nullopt,
            {{QStringLiteral("client"), QStringLiteral("192.0.2.10")},
             {QStringLiteral("from"), m.from},
             {QStringLiteral("to"), m.to},
             {QStringLiteral("reason"), QStringLiteral("550 5.1.1 <%1>: no such user").arg(m.to)}}};
        return out;
    }
    out << MessageLogEntry{0,
                           m.time,
                           m.queueId,
                           MessageEvent::Received,
                           std::nullopt,
                           {{QStringLiteral("session"), 1},
                            {QStringLiteral("client"), QStringLiteral("192.0.2.10")},
                            {QStringLiteral("helo"), QStringLiteral("mail.partner.example")},
                            {QStringLiteral("from"), m.from},
                            {QStringLiteral("to"), m.to},
                            {QStringLiteral("size"), 2048},
                            {QStringLiteral("generation"), 1},
                            {QStringLiteral("message_id"), m.messageId},
                            {QStringLiteral("subject"), m.subject},
                            {QStringLiteral("recipients"), m.deliveredTo}}};
    if (m.area && m.match != QStringLiteral("none")) {
        const QString rule = m.match == QStringLiteral("user")
                                 ? m.to + QStringLiteral(" -> ") + m.deliveredTo
                                 : m.to.section(QLatin1Char('@'), 1) + QStringLiteral(" -> ") +
                                       m.deliveredTo.section(QLatin1Char('@'), 1);
        out << MessageLogEntry{0,
                               m.time,
                               m.queueId,
                               MessageEvent::Rewritten,
                               m.area,
                               {{QStringLiteral("scope"), QStringLiteral("envelope recipient")},
                                {QStringLiteral("from"), m.to},
                                {QStringLiteral("to"), m.deliveredTo},
                                {QStringLiteral("rule"), rule},
                                {QStringLiteral("match"), m.match}}};
    }
    const QDateTime later = m.time.addSecs(2);
    const QString relay =
        QStringLiteral("mx.") + m.deliveredTo.section(QLatin1Char('@'), 1) + QStringLiteral(":25");
    switch (m.status) {
    case TraceStatus::Delivered:
        out << MessageLogEntry{0,
                               later,
                               m.queueId,
                               MessageEvent::Delivered,
                               std::nullopt,
                               {{QStringLiteral("to"), m.deliveredTo},
                                {QStringLiteral("relay"), relay},
                                {QStringLiteral("reply"), QStringLiteral("250 2.0.0 Ok: queued")},
                                {QStringLiteral("delay"), 2.0}}};
        break;
    case TraceStatus::Deferred:
        out << MessageLogEntry{0,
                               later,
                               m.queueId,
                               MessageEvent::Deferred,
                               std::nullopt,
                               {{QStringLiteral("to"), m.deliveredTo},
                                {QStringLiteral("relay"), relay},
                                {QStringLiteral("reason"), QStringLiteral("451 4.7.1 Try again later")},
                                {QStringLiteral("attempts"), 1},
                                {QStringLiteral("next_attempt"), later.addSecs(600).toString(Qt::ISODate)}}};
        break;
    case TraceStatus::Bounced:
        out << MessageLogEntry{0,
                               later,
                               m.queueId,
                               MessageEvent::Bounced,
                               std::nullopt,
                               {{QStringLiteral("to"), m.deliveredTo},
                                {QStringLiteral("relay"), relay},
                                {QStringLiteral("reason"), QStringLiteral("550 5.1.1 No such user")},
                                {QStringLiteral("dsn"), QString(m.queueId + QStringLiteral("D"))}}};
        break;
    case TraceStatus::Queued:
    case TraceStatus::Refused: break;
    }
    return out;
}

// A week of traffic before `until` (UTC, whole hour): `perHour` messages an
// hour on average, a fixed mix of areas, rules and statuses (seeded, so the
// same every run). Inbound: warmsushi.com and coldsoup.example move to
// drypizza.com by user rules, the rest goes on by the domain rule.
inline QList<TrafficMessage> weekOfTraffic(const QDateTime &until, int perHour, quint32 seed = 14)
{
    QRandomGenerator random(seed);
    QList<TrafficMessage> out;
    const QString inboundDomains[] = {QStringLiteral("warmsushi.com"), QStringLiteral("coldsoup.example")};
    int n = 0;
    for (int h = 7 * 24; h > 0; --h) {
        const QDateTime hour = until.addSecs(-3600LL * h);
        const int count = int(random.bounded(perHour * 2 + 1));
        for (int i = 0; i < count; ++i) {
            TrafficMessage m;
            m.time = hour.addSecs(random.bounded(3600));
            m.queueId = QStringLiteral("T%1").arg(++n, 8, 10, QLatin1Char('0'));
            m.messageId = QStringLiteral("msg%1@partner.example").arg(n);
            m.subject = QStringLiteral("Message %1").arg(n);
            const int kind = int(random.bounded(10));
            const int user = int(random.bounded(200));
            if (kind < 6) { // Inbound
                const QString domain = inboundDomains[random.bounded(2)];
                m.from = QStringLiteral("sender%1@partner.example").arg(user);
                m.to = QStringLiteral("user%1@%2").arg(user).arg(domain);
                m.area = Area::Inbound;
                if (random.bounded(3) < 2) {
                    m.match = QStringLiteral("user");
                    m.deliveredTo = QStringLiteral("user%1@drypizza.com").arg(user);
                } else {
                    m.match = QStringLiteral("domain");
                    m.deliveredTo = QStringLiteral("user%1@old-%2").arg(user).arg(domain);
                }
            } else if (kind < 8) { // Relay
                m.from = QStringLiteral("app%1@internal.example").arg(user);
                m.to = QStringLiteral("ops%1@sushi-bar.example").arg(user);
                m.area = Area::Relay;
                m.match = QStringLiteral("domain");
                m.deliveredTo = QStringLiteral("ops%1@fish-bar.example").arg(user);
            } else { // no rule
                m.from = QStringLiteral("staff%1@drypizza.com").arg(user);
                m.to = QStringLiteral("client%1@customer%2.example").arg(user).arg(user % 7);
                m.deliveredTo = m.to;
            }
            const int fate = int(random.bounded(20));
            m.status = fate < 15   ? TraceStatus::Delivered
                       : fate < 17 ? TraceStatus::Deferred
                       : fate < 18 ? TraceStatus::Bounced
                       : fate < 19 ? TraceStatus::Refused
                                   : TraceStatus::Queued;
            out << m;
        }
    }
    return out;
}

// Writes `messages` to the database at `path` through the relay's message
// log writer (relaycore/runtime/messagelogwriter.h), in batches as the log
// thread does. False on the first failure (`error` says why).
inline bool writeTraffic(const QString &path, const QList<TrafficMessage> &messages, QString *error = nullptr,
                         int batch = 2000)
{
    MessageLogWriter writer(path);
    QString failure;
    QObject::connect(&writer, &MessageLogWriter::failed, &writer,
                     [&failure](const QString &why) { failure = why; });
    QList<MessageLogEntry> events;
    for (qsizetype i = 0; i < messages.size() && failure.isEmpty(); ++i) {
        events << eventsOf(messages.at(i));
        if (events.size() >= batch || i + 1 == messages.size()) {
            writer.write(events);
            events.clear();
        }
    }
    if (error)
        *error = failure;
    return failure.isEmpty();
}

} // namespace mailroute::testing
