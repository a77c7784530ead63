// The Received trace field the relay prepends to every message it accepts
// (RFC 5321 §4.4, docs/behaviour.md "Loop protection") and the count of those
// fields that the hop limit looks at (docs/behaviour.md "Loop protection": more
// than relay.max_hops, default 50, is refused with 554 5.4.6). Pure, any
// thread.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace mailroute {

// What the session knows when DATA ends. Every string comes from the
// network or from DNS and is sanitised before it reaches the header.
struct ReceivedInfo
{
    QString heloName;      // the EHLO/HELO argument as the client gave it
    QString reverseName;   // the client's verified reverse DNS name; empty when none
    QString clientAddress; // "192.0.2.1" or "2001:db8::1"
    QString byHost;        // this relay's host name
    QString queueId;
    QStringList recipients;     // envelope recipients; named in "for" only when there is one
    bool tls = false;           // STARTTLS was in effect (RFC 3848 "S")
    bool authenticated = false; // SMTP AUTH succeeded (RFC 3848 "A")
    bool smtpUtf8 = false;      // MAIL FROM carried SMTPUTF8 (RFC 6531 §3.7.3)
    QDateTime time;             // invalid means now
};

class ReceivedField final
{
public:
    // "Received: from <helo> (<reverse> [ip]) by <host> (MailRoute) with
    // ESMTP[S][A] id <queue id> for <rcpt>; <date>" + CRLF, folded so that
    // no line is longer than 78 characters (RFC 5322 §2.1.1) unless a single
    // name is longer than that by itself.
    static QByteArray build(const ReceivedInfo &info);

    // Received fields in the header section of `message` (names compare
    // case-insensitively; the body is not looked at).
    static int count(const QByteArray &message);

    // "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA" (RFC 3848) or their "UTF8SMTP"
    // forms (RFC 6531 §3.7.3).
    static QByteArray protocolName(bool tls, bool authenticated, bool smtpUtf8);
};

} // namespace mailroute
