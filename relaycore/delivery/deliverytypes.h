// Values that cross between the scheduler and the delivery agent: which next
// hop, which recipients, and what the next hop answered for each of them.
#pragma once

#include "relaycore/message/bodyfile.h"
#include "relaycore/routing/configdata.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace mailroute {

// One SMTP server to try (docs/behaviour.md "Next hops and DNS"): a configured
// route, the smart host, or an MX / implicit-MX host, in order of preference.
struct NextHop
{
    QString host; // host name or literal address, as configured / from DNS
    quint16 port = 25;
    int preference = 0; // MX preference (lower first); 0 for routes and smart host
    QString source;     // "route", "smarthost", "mx", "implicit-mx": for logs
    // The literal IP address to connect to, as NextHopResolver found it (one
    // NextHop per address of an MX host, like Postfix). Empty: connect to
    // `host` by name through the system resolver.
    QString address;
    // "mx1.drypizza.com[192.0.2.1]:25", "[192.0.2.1]:2526", "smtp.x:25": the
    // Postfix notation, for logs, DSNs and DeliveryResult::nextHop.
    QString toString() const;
    // Identity of the server for connection reuse: address (or host) and port.
    QString connectionKey() const;
};

// SMTP AUTH (RFC 4954) towards a smart host. The password comes from the OS
// keychain (relaycore/secrets/secretstore.h) and is never logged.
struct SmtpCredentials
{
    QString username;
    QString password;
    bool operator==(const SmtpCredentials &o) const
    {
        return username == o.username && password == o.password;
    }
};

// One SMTP transaction: one message, the recipients that share a next hop.
struct DeliveryRequest
{
    qint64 messageId = 0;
    QString queueId;
    QString sender;             // empty: null sender
    QList<qint64> recipientIds; // parallel to recipients
    QStringList recipients;     // final addresses
    QString destination;        // grouping key, e.g. "route:smtp.x:25", "smarthost", "mx:drypizza.com"
    QList<NextHop> hops;        // candidates in order; tried until one answers
    QByteArray data;            // the complete message as it must leave (Received: and rewritten headers)
    // A large message: `data` is its header section and the body follows
    // from this file, sent in chunks (relaycore/message/bodyfile.h).
    BodyFilePtr body = nullptr;
    qint64 size() const { return messageSize(data, body); }
    bool smtputf8 = false;
    bool eightBitMime = false;
    // docs/behaviour.md "TLS": STARTTLS policy towards these hops (Postfix's
    // smtp_tls_security_level); verify checks the name in NextHop::host.
    TlsPolicy tls = TlsPolicy::May;
    // Set: AUTH PLAIN/LOGIN after STARTTLS, and never without TLS.
    std::optional<SmtpCredentials> auth = std::nullopt;
    // Recipient verification (relaycore/engine/recipientverifier.h): MAIL and
    // RCPT only, never DATA; a recipient the server accepts at RCPT is
    // Delivered with that reply. The connection stays reusable (RSET next).
    bool probe = false;
};

enum class DeliveryVerdict { Delivered, TemporaryFailure, PermanentFailure };

// Why a recipient was not delivered, as a value the scheduler decides on
// (never by matching the reply's text).
enum class FailureCause {
    None,           // delivered, or no failure recorded
    Refused,        // the server's own reply to MAIL, RCPT or DATA
    Connection,     // no connection, a lost one, or a time-out waiting for the server
    Tls,            // STARTTLS was required and not possible, or the handshake failed
    Authentication, // the server refused the SMTP AUTH credentials (535 and the like)
    Local,          // the relay's side: no usable credentials, an aborted delivery, a configuration
};

struct RecipientResult
{
    qint64 recipientId = 0;
    DeliveryVerdict verdict = DeliveryVerdict::TemporaryFailure;
    QString reply; // "250 2.0.0 Ok: queued as X" / "550 5.1.1 unknown user" / "connection refused by mx.x:25"
    // RFC 3463 status for the DSN's Status: field ("2.0.0", "5.1.1", "4.4.1"):
    // the server's enhanced code when it sent one, else derived from the reply
    // class or the local condition.
    QString enhancedStatus;
    QString nextHop; // NextHop::toString() of the server that gave this verdict; empty if none answered
    FailureCause cause = FailureCause::None; // failures: why, as a value
};

struct DeliveryResult
{
    qint64 messageId = 0;
    QString nextHop;                   // the hop that answered ("mx1.drypizza.com:25"), or the last one tried
    QList<RecipientResult> recipients; // same order as DeliveryRequest::recipients
    QString queueId;                   // copied from the request, for logs
    QString destination;               // copied from the request: the scheduler's concurrency key
};

// Time limits of the SMTP client (RFC 5321 §4.5.3.2 for the commands; Postfix's
// smtp_connect_timeout, smtp_helo_timeout, smtp_rset_timeout and
// smtp_quit_timeout for the rest). Tests shorten them.
struct DeliveryTimeouts
{
    std::chrono::milliseconds connect{30'000};
    std::chrono::milliseconds greeting{300'000}; // §4.5.3.2.1 initial 220 message: 5 minutes
    std::chrono::milliseconds helo{300'000};
    std::chrono::milliseconds mail{300'000};      // §4.5.3.2.2 MAIL: 5 minutes
    std::chrono::milliseconds rcpt{300'000};      // §4.5.3.2.3 RCPT: 5 minutes
    std::chrono::milliseconds dataInit{120'000};  // §4.5.3.2.4 DATA initiation: 2 minutes
    std::chrono::milliseconds dataBlock{180'000}; // §4.5.3.2.5 data block: 3 minutes per write
    std::chrono::milliseconds dataEnd{600'000};   // §4.5.3.2.6 DATA termination: 10 minutes
    std::chrono::milliseconds rset{20'000};
    std::chrono::milliseconds quit{30'000};
};

// What NextHopResolver found for one recipient domain (docs/behaviour.md "Next hops and DNS").
enum class LookupStatus { Ok, TemporaryFailure, PermanentFailure };

// Where a recipient domain's mail goes (docs/behaviour.md "Next hops and DNS"):
// its MX hosts (or the implicit MX), a configured route, or the smart host.
// The TLS policy and SMTP AUTH go by it.
enum class DestinationKind { Mx, Route, SmartHost };
// "mx", "route", "smarthost": the prefix of NextHopLookup::destination and NextHop::source.
QString destinationKindName(DestinationKind kind);

struct NextHopLookup
{
    QString domain; // the recipient domain asked for
    // DeliveryRequest::destination, the grouping key only (never parsed):
    // "route:<spec>", "smarthost:<spec>", "mx:<domain>".
    QString destination;
    DestinationKind kind = DestinationKind::Mx; // which kind of destination `destination` is
    LookupStatus status = LookupStatus::TemporaryFailure;
    QList<NextHop> hops;    // Ok: the candidates in the order to try them
    QString error;          // failures: the reason, for logs and DSNs
    QString enhancedStatus; // failures: RFC 3463 code ("5.1.10" null MX, "5.1.2" no such domain, "4.4.3" DNS)
};

} // namespace mailroute
