// Delivery status notifications (RFC 3464 inside an RFC 6522 multipart/report;
// docs/behaviour.md "Bounces"): the bounce the relay sends to the envelope
// sender when delivery fails for good or the retry schedule runs out, from
// plain values. Pure, any thread; the caller spools the result with a null
// envelope sender.
#pragma once

#include "relaycore/message/dsnstatus.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace mailroute {

// RFC 3464 §2.3.3.
enum class DsnAction { Failed, Delayed, Delivered, Relayed, Expanded };

struct DsnRecipient
{
    QString finalRecipient;    // where delivery was attempted (after rewriting)
    QString originalRecipient; // as the sender gave it, when rewriting changed it; else empty
    DsnAction action = DsnAction::Failed;
    DsnStatus status;  // invalid: 5.0.0 for failed, 4.0.0 for delayed
    QString remoteMta; // the next hop's host name; empty when none answered
    // The reply or reason, e.g. "550 5.1.1 user unknown"; a multi-line reply
    // may keep its line breaks. Empty when there is none.
    QString diagnosticCode;
    // "smtp" for a remote reply (RFC 3464 §2.3.6); a local reason
    // (timeout, DNS) uses "X-MailRoute".
    QString diagnosticType = QStringLiteral("smtp");
    QDateTime lastAttempt;    // invalid: no Last-Attempt-Date
    QDateTime willRetryUntil; // delayed only; invalid: none
};

struct DsnInput
{
    QString reportingMta;   // this relay's host name (From: MAILER-DAEMON@<it>)
    QString envelopeSender; // the original MAIL FROM: the DSN's To; never empty
    QString queueId;        // the original message's queue id
    QString envelopeId;     // the ENVID parameter (RFC 3461 §4.4), as received; may be empty
    QDateTime arrivalDate;
    QDateTime date; // when the DSN is made; invalid means now
    QList<DsnRecipient> recipients;
    // The original message, or only its header section: only the header
    // section is used, as the text/rfc822-headers part (RFC 6522 §4).
    QByteArray originalMessage;
    // Normally generated; tests pin them. The boundary is changed if it
    // occurs in the content (RFC 2046 §5.1.1).
    QString boundary;
    QString messageId; // without angle brackets
};

struct DsnMessage
{
    QByteArray message;         // CRLF lines, each at most 998 octets
    QString messageId;          // without angle brackets
    bool eightBit = false;      // 8-bit original headers: needs 8BITMIME to travel
    bool needsSmtpUtf8 = false; // the envelope sender is a UTF-8 address (RFC 6531)
};

class DsnBuilder final
{
public:
    // Fails for a null or invalid envelope sender (a message with a null
    // sender is never bounced, docs/behaviour.md "Bounces", RFC 5321 §4.5.5),
    // an invalid reporting MTA name, or no recipients.
    static Result<DsnMessage> build(const DsnInput &input);

    // "failed", "delayed", ... (RFC 3464 §2.3.3).
    static QByteArray actionName(DsnAction action);
    // An address with its type for Final-/Original-Recipient: "rfc822; a@b",
    // or "utf-8; " with the 7-bit utf-8-addr-xtext form of RFC 6533 §3 for a
    // non-ASCII address.
    static QByteArray typedAddress(const QString &address);
};

} // namespace mailroute
