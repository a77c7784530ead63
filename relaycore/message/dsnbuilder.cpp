// Building the DSN. Every line this file writes is CRLF-terminated, at most
// 998 octets (RFC 5322 §2.1.1) and, except the original header section,
// 7-bit (RFC 3464 §2.1 message/delivery-status is 7-bit text; RFC 6533 gives
// the 7-bit form for UTF-8 addresses).
#include "relaycore/message/dsnbuilder.h"

#include "relaycore/message/headersection.h"
#include "relaycore/message/messagedate.h"
#include "relaycore/routing/mailaddress.h"

#include <QRandomGenerator>

namespace mailroute {

namespace {

// RFC 5322 §2.1.1: SHOULD 78, MUST 998 (CRLF excluded).
constexpr qsizetype kFoldColumn = 78;
constexpr qsizetype kMaxLineOctets = 998;
// A remote reply is evidence, not a novel: enough for any real server's
// multi-line text, bounded so a hostile one cannot bloat every bounce.
constexpr qsizetype kMaxDiagnosticOctets = 2000;
// The longest run of non-space characters written on one line.
constexpr qsizetype kMaxWordOctets = 900;

bool isAsciiPrintable(char16_t c)
{
    return c >= 0x20 && c < 0x7f;
}

bool isAscii(const QString &s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// Text from the network (a remote reply, a host name) made fit for a
// 7-bit header line: line breaks and tabs become spaces, runs of spaces
// collapse, anything non-printable or non-ASCII becomes '?'.
QByteArray sanitizeText(const QString &text, qsizetype maxOctets)
{
    QByteArray out;
    bool space = false;
    for (QChar ch : text) {
        if (out.size() >= maxOctets)
            break;
        const char16_t c = ch.unicode();
        if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\n') {
            space = !out.isEmpty();
            continue;
        }
        if (space) {
            out.append(' ');
            space = false;
        }
        out.append(isAsciiPrintable(c) ? static_cast<char>(c) : '?');
    }
    return out;
}

// A host name for "dns; <name>" (RFC 3464 §2.1.2 mta-name-type dns): its
// ACE form when it is a valid domain, else its sanitised text.
QByteArray hostName(const QString &name)
{
    const Result<QString> d = normalizeDomain(name.trimmed());
    if (d)
        return d->toLatin1();
    return sanitizeText(name, 255);
}

// Appends `line` (no CRLF) folded at spaces (RFC 5322 §3.2.2) so that lines
// stay within 78 characters where the words allow and never exceed 998: a
// word longer than kMaxWordOctets is cut. `indent` starts continuation lines.
void appendFolded(QByteArray &out, const QByteArray &text, QByteArrayView indent = " ")
{
    const QByteArrayView line(text);
    qsizetype lineLength = 0;
    bool first = true;
    qsizetype i = 0;
    while (i < line.size()) {
        qsizetype j = line.indexOf(' ', i);
        if (j < 0)
            j = line.size();
        QByteArrayView word = line.sliced(i, j - i);
        i = j + 1;
        while (!word.isEmpty()) {
            const QByteArrayView piece = word.first(qMin(word.size(), kMaxWordOctets));
            word = word.sliced(piece.size());
            if (first) {
                first = false;
            } else if (lineLength + 1 + piece.size() > kFoldColumn && lineLength > indent.size()) {
                out.append("\r\n");
                out.append(indent);
                lineLength = indent.size();
            } else {
                out.append(' ');
                ++lineLength;
            }
            out.append(piece);
            lineLength += piece.size();
        }
    }
    out.append("\r\n");
}

// Plain-text paragraph for the human-readable part: wrapped, no indent.
void appendParagraph(QByteArray &out, const QByteArray &text)
{
    appendFolded(out, text, "");
}

void appendField(QByteArray &out, QByteArrayView name, const QByteArray &value)
{
    QByteArray line;
    line.reserve(name.size() + 2 + value.size());
    line.append(name);
    line.append(": ");
    line.append(value);
    appendFolded(out, line);
}

// RFC 2045 §6.7 quoted-printable, for the human-readable part when an
// address in it is UTF-8. Hard line breaks stay CRLF; encoded lines are
// at most 76 characters.
QByteArray quotedPrintable(QByteArrayView text)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    qsizetype col = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            out.append("\r\n");
            col = 0;
            ++i;
            continue;
        }
        const bool lineEnd = i + 1 >= text.size() || text[i + 1] == '\r';
        QByteArray enc;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !lineEnd))
            enc.append(static_cast<char>(c));
        else
            enc.append('=').append(hex[c >> 4]).append(hex[c & 15]);
        if (col + enc.size() > 75) {
            out.append("=\r\n"); // soft line break
            col = 0;
        }
        out.append(enc);
        col += enc.size();
    }
    return out;
}

// The header section of the original message as text/rfc822-headers
// content: CRLF lines, no NUL (RFC 2045 §2.8 8bit data), no line over 998
// octets (an overlong line is continued on a folded line).
QByteArray originalHeaderPart(const QByteArray &original, bool *eightBit)
{
    const HeaderSection section(original);
    const QByteArrayView headers = section.headerBytes();
    QByteArray out;
    out.reserve(headers.size() + 16);
    qsizetype lineLength = 0;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        char c = headers[i];
        if (c == '\n' || (c == '\r' && i + 1 < headers.size() && headers[i + 1] == '\n')) {
            if (c == '\r')
                ++i;
            out.append("\r\n");
            lineLength = 0;
            continue;
        }
        if (c == '\0' || c == '\r')
            c = '?';
        if (static_cast<unsigned char>(c) >= 0x80)
            *eightBit = true;
        if (lineLength >= kMaxLineOctets) {
            out.append("\r\n ");
            lineLength = 1;
        }
        out.append(c);
        ++lineLength;
    }
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        out.append("\r\n");
    return out;
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        raw[i] = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return raw.toHex();
}

// RFC 2046 §5.1.1 bchars, at most 70; bchars outside these are replaced.
QByteArray sanitizeBoundary(const QString &b)
{
    QByteArray out;
    for (QChar ch : b) {
        const char16_t c = ch.unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                        QStringView(u"'()+_,-./:=?").contains(ch);
        out.append(ok ? static_cast<char>(c) : '_');
        if (out.size() >= 60)
            break;
    }
    return out;
}

QByteArray statusFor(const DsnRecipient &r)
{
    if (r.status.isValid())
        return r.status.toString().toLatin1();
    return r.action == DsnAction::Delayed ? QByteArrayLiteral("4.0.0") : QByteArrayLiteral("5.0.0");
}

// RFC 3464 §2.3.6 diagnostic-type is an atom-like name ("smtp", "X-...").
QByteArray diagnosticType(const QString &type)
{
    QByteArray out;
    for (QChar ch : type) {
        const char16_t c = ch.unicode();
        if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-')
            out.append(static_cast<char>(c));
    }
    return out.isEmpty() ? QByteArrayLiteral("smtp") : out;
}

// One recipient's line in the human-readable part.
QByteArray humanLine(const DsnRecipient &r)
{
    QByteArray line = '<' + r.finalRecipient.toUtf8() + '>';
    if (!r.originalRecipient.isEmpty() && r.originalRecipient != r.finalRecipient)
        line += " (originally <" + r.originalRecipient.toUtf8() + ">)";
    line += ": ";
    switch (r.action) {
    case DsnAction::Failed: line += "delivery failed"; break;
    case DsnAction::Delayed: line += "delivery delayed"; break;
    case DsnAction::Delivered: line += "delivered"; break;
    case DsnAction::Relayed: line += "relayed to a system that does not send notifications"; break;
    case DsnAction::Expanded: line += "expanded"; break;
    }
    const QByteArray diag = sanitizeText(r.diagnosticCode, kMaxDiagnosticOctets);
    if (!r.remoteMta.isEmpty())
        line += ", host " + hostName(r.remoteMta) + (diag.isEmpty() ? QByteArray() : " said: " + diag);
    else if (!diag.isEmpty())
        line += ": " + diag;
    line += " (status " + statusFor(r) + ')';
    return line;
}

} // namespace

QByteArray DsnBuilder::actionName(DsnAction action)
{
    switch (action) {
    case DsnAction::Failed: return QByteArrayLiteral("failed");
    case DsnAction::Delayed: return QByteArrayLiteral("delayed");
    case DsnAction::Delivered: return QByteArrayLiteral("delivered");
    case DsnAction::Relayed: return QByteArrayLiteral("relayed");
    case DsnAction::Expanded: return QByteArrayLiteral("expanded");
    }
    return QByteArrayLiteral("failed");
}

QByteArray DsnBuilder::typedAddress(const QString &address)
{
    if (isAscii(address))
        return "rfc822; " + sanitizeText(address, 512);
    // RFC 6533 §3 utf-8-addr-xtext: QCHAR is printable ASCII except '+',
    // '=' and '\'; everything else is written \x{HEXPOINT}.
    QByteArray out = QByteArrayLiteral("utf-8; ");
    const QList<uint> points = address.toUcs4();
    for (uint cp : points) {
        if (cp > 0x20 && cp < 0x7f && cp != '+' && cp != '=' && cp != '\\')
            out.append(static_cast<char>(cp));
        else
            out += "\\x{" + QByteArray::number(cp, 16).toUpper() + '}';
    }
    return out;
}

Result<DsnMessage> DsnBuilder::build(const DsnInput &in)
{
    using R = Result<DsnMessage>;
    if (in.envelopeSender.isEmpty())
        return R::failure(QStringLiteral(
            "The message has a null sender; a delivery status notification is never sent for it "
            "(RFC 5321 §4.5.5)."));
    const Result<MailAddress> sender = parseMailbox(in.envelopeSender);
    if (!sender)
        return R::failure(QStringLiteral("The envelope sender is not a valid address: ") + sender.error);
    const Result<QString> reporting = normalizeDomain(in.reportingMta);
    if (!reporting)
        return R::failure(QStringLiteral("The reporting MTA name is not a valid host name: ") +
                          reporting.error);
    if (in.recipients.isEmpty())
        return R::failure(QStringLiteral("A delivery status notification needs at least one recipient."));

    DsnMessage result;
    const QByteArray host = reporting->toLatin1();
    const QDateTime now = in.date.isValid() ? in.date : QDateTime::currentDateTime();
    const QByteArray senderText = sender->toString().toUtf8();
    result.needsSmtpUtf8 = !isAscii(sender->toString());

    bool anyFailed = false;
    bool allDelayed = true;
    QDateTime retryUntil;
    for (const DsnRecipient &r : in.recipients) {
        anyFailed = anyFailed || r.action == DsnAction::Failed;
        allDelayed = allDelayed && r.action == DsnAction::Delayed;
        if (r.action == DsnAction::Delayed && r.willRetryUntil.isValid())
            retryUntil = r.willRetryUntil;
    }

    // Part 1: for people (RFC 6522 §3: the first part is human-readable).
    QByteArray text;
    appendParagraph(text, "This is the mail system at host " + host + '.');
    text += "\r\n";
    if (allDelayed) {
        appendParagraph(text, "Your message could not be delivered yet to the recipients below. The mail "
                              "system keeps trying; you do not need to send it again.");
        if (retryUntil.isValid())
            appendParagraph(text, "It will give up after " + formatRfc5322Date(retryUntil) +
                                      " and tell you if it does.");
    } else {
        appendParagraph(text, "Your message could not be delivered to one or more recipients. The reasons "
                              "are given below; the headers of your message are attached.");
    }
    text += "\r\n";
    appendParagraph(text, "If you need help, forward this message to your mail administrator.");
    text += "\r\n";
    for (qsizetype k = 0; k < in.recipients.size(); ++k) {
        if (k > 0)
            text += "\r\n";
        appendFolded(text, humanLine(in.recipients[k]), "    ");
    }
    const bool textIsAscii = isAscii(QString::fromUtf8(text));

    // Part 2: message/delivery-status (RFC 3464 §2.2 per-message fields,
    // then §2.3 per-recipient blocks, each after an empty line).
    QByteArray status;
    if (!in.envelopeId.isEmpty())
        appendField(status, "Original-Envelope-Id", sanitizeText(in.envelopeId, 100));
    appendField(status, "Reporting-MTA", "dns; " + host);
    if (!in.queueId.isEmpty())
        appendField(status, "X-MailRoute-Queue-ID", sanitizeText(in.queueId, 100));
    if (in.arrivalDate.isValid())
        appendField(status, "Arrival-Date", formatRfc5322Date(in.arrivalDate));
    for (const DsnRecipient &r : in.recipients) {
        status += "\r\n";
        if (!r.originalRecipient.isEmpty() && r.originalRecipient != r.finalRecipient)
            appendField(status, "Original-Recipient", typedAddress(r.originalRecipient));
        appendField(status, "Final-Recipient", typedAddress(r.finalRecipient));
        appendField(status, "Action", actionName(r.action));
        appendField(status, "Status", statusFor(r));
        if (!r.remoteMta.isEmpty())
            appendField(status, "Remote-MTA", "dns; " + hostName(r.remoteMta));
        const QByteArray diag = sanitizeText(r.diagnosticCode, kMaxDiagnosticOctets);
        if (!diag.isEmpty())
            appendField(status, "Diagnostic-Code", diagnosticType(r.diagnosticType) + "; " + diag);
        if (r.lastAttempt.isValid())
            appendField(status, "Last-Attempt-Date", formatRfc5322Date(r.lastAttempt));
        if (r.action == DsnAction::Delayed && r.willRetryUntil.isValid())
            appendField(status, "Will-Retry-Until", formatRfc5322Date(r.willRetryUntil));
    }

    // Part 3: the original header section (RFC 6522 §4 text/rfc822-headers).
    const QByteArray headers = originalHeaderPart(in.originalMessage, &result.eightBit);

    const QByteArray textBody = textIsAscii ? text : quotedPrintable(text);
    QByteArray boundary = sanitizeBoundary(in.boundary);
    if (boundary.isEmpty())
        boundary = "=_MailRoute_" + sanitizeBoundary(in.queueId).left(20) + '_' + randomHex(8);
    // RFC 2046 §5.1.1: the delimiter must not occur in any part.
    const auto collides = [&](const QByteArray &b) {
        const QByteArray delimiter = "--" + b;
        return textBody.contains(delimiter) || status.contains(delimiter) || headers.contains(delimiter);
    };
    while (collides(boundary))
        boundary = boundary.left(40) + '_' + randomHex(8);

    result.messageId =
        in.messageId.isEmpty()
            ? QString::fromLatin1(now.toUTC().toString(QStringLiteral("yyyyMMddHHmmss")).toLatin1() + '.' +
                                  randomHex(8) + '@' + host)
            : QString::fromLatin1(sanitizeText(in.messageId, 200));

    QByteArray out;
    out.reserve(1024 + text.size() + status.size() + headers.size());
    appendField(out, "From", "Mail Delivery System <MAILER-DAEMON@" + host + '>');
    appendField(out, "To", senderText);
    appendField(out, "Subject",
                anyFailed || !allDelayed ? QByteArrayLiteral("Undelivered Mail Returned to Sender")
                                         : QByteArrayLiteral("Delayed Mail (still being retried)"));
    appendField(out, "Date", formatRfc5322Date(now));
    appendField(out, "Message-ID", '<' + result.messageId.toLatin1() + '>');
    // RFC 3834 §5: a DSN is an automatic response.
    appendField(out, "Auto-Submitted", "auto-replied");
    appendField(out, "MIME-Version", "1.0");
    out +=
        "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + boundary + "\"\r\n";
    // RFC 2045 §6.4: a multipart entity is 8bit when any part is.
    if (result.eightBit)
        appendField(out, "Content-Transfer-Encoding", "8bit");
    out += "\r\nThis is a MIME-encapsulated message.\r\n";

    out += "\r\n--" + boundary + "\r\n";
    appendField(out, "Content-Description", "Notification");
    if (textIsAscii) {
        appendField(out, "Content-Type", "text/plain; charset=us-ascii");
    } else {
        appendField(out, "Content-Type", "text/plain; charset=utf-8");
        appendField(out, "Content-Transfer-Encoding", "quoted-printable");
    }
    out += "\r\n";
    out += textBody;

    out += "\r\n--" + boundary + "\r\n";
    appendField(out, "Content-Description", "Delivery report");
    appendField(out, "Content-Type", "message/delivery-status");
    out += "\r\n";
    out += status;

    if (!headers.isEmpty()) {
        out += "\r\n--" + boundary + "\r\n";
        appendField(out, "Content-Description", "Undelivered Message Headers");
        appendField(out, "Content-Type", "text/rfc822-headers");
        if (result.eightBit)
            appendField(out, "Content-Transfer-Encoding", "8bit");
        out += "\r\n";
        out += headers;
    }
    out += "\r\n--" + boundary + "--\r\n";
    result.message = std::move(out);
    return R::success(std::move(result));
}

} // namespace mailroute
