// Values that cross between the scheduler and the delivery agent: which next
// hop, which recipients, and what the next hop answered for each of them.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroute {

// One SMTP server to try (SPEC §3 "Next hop"): a configured route, the smart
// host, or an MX / implicit-MX host, in order of preference.
struct NextHop
{
    QString host;        // host name or literal address, as configured / from DNS
    quint16 port = 25;
    int preference = 0;  // MX preference (lower first); 0 for routes and smart host
    QString source;      // "route", "smarthost", "mx", "implicit-mx": for logs
    QString toString() const;
};

// One SMTP transaction: one message, the recipients that share a next hop.
struct DeliveryRequest
{
    qint64 messageId = 0;
    QString queueId;
    QString sender;                 // empty: null sender
    QList<qint64> recipientIds;     // parallel to recipients
    QStringList recipients;         // final addresses
    QString destination;            // grouping key, e.g. "route:smtp.x:25", "smarthost", "mx:drypizza.com"
    QList<NextHop> hops;            // candidates in order; tried until one answers
    QByteArray data;                // the complete message as it must leave (Received: and rewritten headers)
    bool smtputf8 = false;
    bool eightBitMime = false;
};

enum class DeliveryVerdict { Delivered, TemporaryFailure, PermanentFailure };

struct RecipientResult
{
    qint64 recipientId = 0;
    DeliveryVerdict verdict = DeliveryVerdict::TemporaryFailure;
    QString reply; // "250 2.0.0 Ok: queued as X" / "550 5.1.1 unknown user" / "connection refused by mx.x:25"
};

struct DeliveryResult
{
    qint64 messageId = 0;
    QString nextHop; // the hop that answered ("mx1.drypizza.com:25"), or the last one tried
    QList<RecipientResult> recipients;
};

} // namespace mailroute
