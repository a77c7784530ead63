// The replies MailRoute's SMTP server sends, as data from one table
// (docs/architecture.md "Replies and errors"). Every reply the session,
// the policies and the engine send is built here, so codes, enhanced status
// codes (RFC 3463, RFC 2034) and texts stay consistent and reviewable in one
// place. Pure value code, safe from any thread.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroute {

struct Reply
{
    int code = 0;        // RFC 5321 §4.2 three-digit reply code
    QByteArray enhanced; // RFC 3463 "class.subject.detail"; empty where RFC 2034 §3 omits it
    QByteArray text;     // ASCII; '\n' separates the lines of a multi-line reply

    bool isPositive() const { return code >= 200 && code < 400; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500 && code < 600; }
    // RFC 5321 §3.8: a 421 reply announces that the server closes the channel.
    bool closesConnection() const { return code == 421; }

    // The bytes on the wire (RFC 5321 §4.2.1): "250-first\r\n250 last\r\n",
    // the enhanced code repeated on every line (RFC 2034 §4). Characters that
    // could break the framing (CR, NUL, other controls, 8-bit) are replaced
    // by '?', so no reply text can ever smuggle a line end.
    QByteArray toWire() const;
    // Appends toWire() to `out` without a temporary (replies are batched when
    // the client pipelines, RFC 2920 §3.2).
    void appendWire(QByteArray &out) const;

    bool operator==(const Reply &o) const
    {
        return code == o.code && enhanced == o.enhanced && text == o.text;
    }
    bool operator!=(const Reply &o) const { return !(*this == o); }
};

// The reply table. Functions rather than constants because some replies name
// the server (RFC 5321 §4.2: 220/221/421 start with the server's domain) and
// QByteArray has no constexpr form. Texts never contain client input.
namespace replies {

// 2xx
Reply greeting(const QByteArray &hostname); // 220, RFC 5321 §4.3.1, no enhanced code (RFC 2034 §3)
Reply bye(const QByteArray &hostname);      // 221 2.0.0
Reply helo(const QByteArray &hostname);     // 250, RFC 2034 §3: no enhanced code
// 250 multi-line, no enhanced code; `extensions` are '\n'-separated keywords.
Reply ehlo(const QByteArray &hostname, const QByteArray &extensions);
Reply ok();                              // 250 2.0.0 (NOOP, RSET)
Reply senderOk();                        // 250 2.1.0 (MAIL)
Reply recipientOk();                     // 250 2.1.5 (RCPT)
Reply queued(const QByteArray &queueId); // 250 2.0.0 Ok: queued as <ID>
                                         // (docs/behaviour.md "Stopping and durability")
Reply cannotVerify();                    // 252 2.0.0 (VRFY, RFC 5321 §3.5.3)
Reply help();                            // 214 2.0.0
Reply readyToStartTls();                 // 220 2.0.0 (RFC 3207 §4)
Reply startMailInput();                  // 354, RFC 2034 §3 lists no enhanced code for it

// 4xx
Reply shuttingDown(const QByteArray &hostname);        // 421 4.3.2
Reply tooManySessions(const QByteArray &hostname);     // 421 4.7.0
Reply tooManyErrors(const QByteArray &hostname);       // 421 4.7.0
Reply tooManyJunkCommands(const QByteArray &hostname); // 421 4.7.0 (limits.junk_commands)
Reply timeout(const QByteArray &hostname);             // 421 4.4.2 (RFC 5321 §4.5.3.2)
Reply pipelineOverflow(const QByteArray &hostname);    // 421 4.7.0 too much input while a reply is pending
Reply internalError();                                 // 451 4.3.0, fixed text: details go to the log only
Reply tooManyRecipients();                             // 452 4.5.3 (RFC 5321 §4.5.3.1.10)
Reply tlsNotAvailable();                               // 454 4.7.0 (RFC 3207 §4)

// 5xx
Reply commandUnrecognized();           // 500 5.5.2
Reply emptyCommand();                  // 500 5.5.2
Reply lineTooLong();                   // 500 5.5.2 (RFC 5321 §4.5.3.1.4)
Reply bareLineEnding();                // 500 5.5.2 (docs/behaviour.md "Strict input")
Reply syntax(const QByteArray &usage); // 501 5.5.4 "Syntax: <usage>"
Reply badParameter();                  // 501 5.5.4 malformed or repeated MAIL parameter
Reply badSizeParameter();              // 501 5.5.4 (RFC 1870 §6)
Reply badBodyParameter();              // 501 5.5.4 (RFC 6152 §2)
Reply badHelo();                       // 501 5.5.4
Reply commandNotImplemented();         // 502 5.5.1
Reply needHelo();                      // 503 5.5.1
Reply nestedMail();                    // 503 5.5.1
Reply needMail();                      // 503 5.5.1
Reply needRecipient();                 // 503 5.5.1
Reply transactionInProgress();         // 503 5.5.1 (STARTTLS inside a transaction, as Postfix)
Reply tlsAlreadyActive();              // 503 5.5.1
Reply badSequenceRejected();           // 503 5.5.1 after a refused connection (RFC 5321 §3.1)
Reply parameterNotImplemented();       // 504 5.5.4 (BODY=BINARYMIME: no CHUNKING, RFC 3030)
Reply mustStartTlsFirst();             // 530 5.7.0 (RFC 3207 §4, tls.required_before_mail)
Reply relayDenied();                   // 550 5.7.1
// 550 5.7.1 "<sender>: sender domain not in outbound.allowed_senders": an
// allow-listed client relaying for another organisation. The one reply that
// names client input, as Postfix's access-map refusals do, so the admin of
// the sending tenant sees which address was refused: only a parsed address
// (MailAddress::toString()), and toWire() replaces anything non-printable.
Reply senderNotAllowed(const QString &sender);
Reply messageTooBig();        // 552 5.3.4 (RFC 1870 §6)
Reply needSmtputf8();         // 553 5.6.7 (RFC 6531 §3.5)
Reply badSenderSyntax();      // 553 5.1.7
Reply badRecipientSyntax();   // 553 5.1.3
Reply hopLimitExceeded();     // 554 5.4.6 (RFC 5321 §6.3)
Reply noValidRecipients();    // 554 5.5.1
Reply badMessageLineEnding(); // 554 5.6.0 bare CR, bare LF or NUL in the text
Reply messageLineTooLong();   // 554 5.6.0 (RFC 5321 §4.5.3.1.6)
Reply connectionRefused();    // 554 5.7.1 (RFC 5321 §3.1)
// 550 5.7.1 under auth.dmarc_reject yes: the From: domain's p=reject applies (RFC 7489 §6.7)
Reply dmarcRejected();
Reply parameterNotRecognized(); // 555 5.5.4 (RFC 5321 §4.1.1.11)

} // namespace replies

} // namespace mailroute
