// The values an SMTP session hands to the policy and, once a message is
// complete, to the engine: what is known about the connection (SessionInfo)
// kept apart from what belongs to one mail transaction (Transaction), as in
// OpenSMTPD's smtp_session.c. Plain values, safe to copy and to move across
// threads (the engine hands a ReceivedMessage to the spool).
#pragma once

#include "relaycore/message/bodyfile.h"
#include "relaycore/routing/area.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace mailroute {

class SmtpPolicy;

// Lives as long as the connection; reset only by STARTTLS (RFC 3207 §4.2).
struct SessionInfo
{
    QHostAddress clientAddress;
    quint16 clientPort = 0;
    QString heloName;   // the EHLO/HELO argument (printable ASCII), empty before it
    bool esmtp = false; // EHLO rather than HELO
    bool tls = false;   // the channel is TLS-protected
};

// RFC 6152 BODY= (7BIT is the RFC 5321 default when absent).
enum class BodyType { SevenBit, EightBitMime };

// The MAIL FROM parameters MailRoute understands (RFC 1870, 6152, 6531).
struct MailParameters
{
    qint64 declaredSize = -1; // SIZE=, -1 when not given
    BodyType body = BodyType::SevenBit;
    bool bodyGiven = false;
    bool smtputf8 = false;
};

// What the policy decided for one address: which area's rule rewrote it (if
// any) and the result, carried in the transaction so the spool and the
// message log record the decision made with the transaction's snapshot.
struct RoutingDecision
{
    std::optional<Area> area; // the area whose rule matched; nullopt: unchanged
    RouteResult route;        // kind, resulting address, rule; address unchanged when kind == None
    // RFC 5321 §4.5.1 postmaster: accepted always; route.address is the
    // admin's relay.postmaster when one is configured.
    bool postmaster = false;
};

struct EnvelopeRecipient
{
    QString original;    // the forward-path as received, without brackets ("postmaster" for <postmaster>)
    MailAddress address; // parsed; <postmaster> becomes postmaster@<server host name>
    bool postmasterAlias = false; // the client wrote <postmaster> without a domain
    RoutingDecision routing;
};

struct Transaction
{
    bool nullSender = false; // MAIL FROM:<> (RFC 5321 §4.5.5)
    QString senderText;      // the reverse-path as received, without brackets; empty for <>
    MailAddress sender;      // parsed; empty for <>
    RoutingDecision senderRouting;
    MailParameters parameters;
    QList<EnvelopeRecipient> recipients;
    qint64 generation = 0; // the configuration generation the transaction runs with
    // The message as received: dot-unstuffed (RFC 5321 §4.5.2), CRLF line
    // ends, without the terminating ".CRLF". Filled only at end of DATA.
    // A message larger than BodyFile::kSpillThreshold whose header section
    // ended within it is `data` = the header section with the empty line
    // that ends it, followed by `body`'s bytes (docs/architecture.md
    // "Storage"); otherwise `data` is the whole message and `body` is null.
    QByteArray data;
    BodyFilePtr body = nullptr;
    qint64 size() const { return messageSize(data, body); }
};

// Handed to the engine at end of DATA (SessionAction::Kind::MessageReady).
struct ReceivedMessage
{
    SessionInfo session;
    Transaction transaction;
    // The policy pinned at MAIL, which decided the envelope: the engine
    // rewrites the headers with it too, so a push landing between MAIL and
    // the end of DATA cannot give one message two configurations.
    std::shared_ptr<const SmtpPolicy> policy;
};

} // namespace mailroute
