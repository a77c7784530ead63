// Shared by the delivery end-to-end tests: hops on 127.0.0.1, requests, short
// time limits, and running requests through a DeliveryAgent (bounded waits).
// Test-only; main thread.
#pragma once

#include "relaycore/delivery/deliveryagent.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QTest>

#include <chrono>
#include <initializer_list>
#include <utility>

namespace mailroute::testing {

using namespace std::chrono_literals;

inline NextHop localHop(quint16 port)
{
    NextHop h;
    h.host = QStringLiteral("127.0.0.1");
    h.address = QStringLiteral("127.0.0.1");
    h.port = port;
    h.source = QStringLiteral("route");
    return h;
}

inline DeliveryRequest
makeRequest(const QList<quint16> &ports, const QStringList &recipients,
            const QByteArray &data = QByteArrayLiteral("Subject: test\r\n\r\nhello\r\n"),
            const QString &sender = QStringLiteral("s@warm.test"))
{
    static qint64 nextId = 1;
    DeliveryRequest r;
    r.messageId = nextId++;
    r.queueId = QStringLiteral("Q%1").arg(r.messageId);
    r.sender = sender;
    r.recipients = recipients;
    for (qsizetype i = 0; i < recipients.size(); ++i)
        r.recipientIds << r.messageId * 100 + i;
    for (const quint16 p : ports)
        r.hops << localHop(p);
    r.destination = QStringLiteral("route:test");
    r.data = data;
    return r;
}

inline DeliveryAgent::Settings fastSettings()
{
    DeliveryAgent::Settings s;
    s.heloName = QStringLiteral("relay.test");
    s.timeouts.connect = 3s;
    s.timeouts.greeting = 3s;
    s.timeouts.helo = 3s;
    s.timeouts.mail = 3s;
    s.timeouts.rcpt = 3s;
    s.timeouts.dataInit = 3s;
    s.timeouts.dataBlock = 3s;
    s.timeouts.dataEnd = 3s;
    s.timeouts.rset = 3s;
    s.timeouts.quit = 3s;
    s.idleTimeout = 2s;
    return s;
}

// Runs the requests through the agent and waits (bounded) for every result,
// returned in request order.
inline QList<DeliveryResult> runAll(DeliveryAgent &agent, const QList<DeliveryRequest> &requests,
                                    int timeoutMs = 20000)
{
    QList<DeliveryResult> results;
    QObject context;
    QObject::connect(&agent, &DeliveryAgent::finished, &context,
                     [&results](const DeliveryResult &r) { results.append(r); });
    for (const DeliveryRequest &r : requests)
        agent.deliver(r);
    if (!QTest::qWaitFor([&] { return results.size() >= requests.size(); }, timeoutMs))
        qWarning("timed out waiting for %d delivery results", int(requests.size()));
    QList<DeliveryResult> ordered;
    for (const DeliveryRequest &r : requests) {
        for (const DeliveryResult &res : std::as_const(results)) {
            if (res.messageId == r.messageId)
                ordered.append(res);
        }
    }
    return ordered;
}

inline DeliveryResult runOne(DeliveryAgent &agent, const DeliveryRequest &request, int timeoutMs = 20000)
{
    const QList<DeliveryResult> all = runAll(agent, {request}, timeoutMs);
    return all.isEmpty() ? DeliveryResult{} : all.first();
}

inline QString verdicts(const DeliveryResult &r)
{
    QString out;
    for (const RecipientResult &rr : r.recipients) {
        switch (rr.verdict) {
        case DeliveryVerdict::Delivered: out += QLatin1Char('D'); break;
        case DeliveryVerdict::TemporaryFailure: out += QLatin1Char('T'); break;
        case DeliveryVerdict::PermanentFailure: out += QLatin1Char('P'); break;
        }
    }
    return out;
}

inline QJsonObject script(std::initializer_list<std::pair<const char *, QJsonValue>> items)
{
    QJsonObject o;
    for (const auto &[k, v] : items)
        o.insert(QLatin1String(k), v);
    return o;
}

} // namespace mailroute::testing
