// Building the RFC 5321 §4.4 Time-stamp-line. The names in it come from the
// client (HELO) and from DNS, so each is reduced to the characters its
// grammar allows before it is written: a header must never be a way to
// inject a line break or a fake clause.
#include "relaycore/message/receivedfield.h"

#include "relaycore/message/headersection.h"
#include "relaycore/message/messagedate.h"
#include "relaycore/routing/mailaddress.h"

#include <QList>

namespace mailroute {

namespace {

// RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters, CRLF excluded.
constexpr qsizetype kFoldColumn = 78;
// RFC 5321 §4.5.3.1.2: a domain is at most 255 octets; longer is junk.
constexpr qsizetype kMaxNameOctets = 255;

bool isAsciiAlnum(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// A HELO argument or DNS name reduced to Domain / address-literal characters
// (RFC 5321 §4.1.2, §4.1.3); '_' is kept because real HELO names carry it.
// Anything else becomes '?', so the field shows that the name was odd.
QByteArray sanitizeName(const QString &name)
{
    QByteArray out;
    const QString trimmed = name.trimmed();
    for (QChar ch : trimmed) {
        if (out.size() >= kMaxNameOctets)
            break;
        const char16_t c = ch.unicode();
        if (isAsciiAlnum(c) || c == u'-' || c == u'.' || c == u'_' || c == u'[' || c == u']' || c == u':')
            out.append(static_cast<char>(c));
        else
            out.append('?');
    }
    return out;
}

// RFC 5321 §4.1.3 address-literal: "[192.0.2.1]" or "[IPv6:2001:db8::1]".
// A zone index ("%eth0") is local to the relay and left out.
QByteArray addressLiteral(const QString &address)
{
    QByteArray ip;
    for (QChar ch : address.trimmed()) {
        const char16_t c = ch.unicode();
        if (c == u'%')
            break;
        if ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') || c == u'.' ||
            c == u':')
            ip.append(static_cast<char>(c));
        if (ip.size() >= 64)
            break;
    }
    if (ip.isEmpty())
        return {};
    if (ip.contains(':'))
        return QByteArrayLiteral("[IPv6:") + ip + ']';
    return '[' + ip + ']';
}

// RFC 5321 §4.4 ID = Atom / msg-id; the queue id is written as an atom.
QByteArray sanitizeAtom(const QString &text)
{
    QByteArray out;
    for (QChar ch : text) {
        const char16_t c = ch.unicode();
        if (isAsciiAlnum(c) || c == u'-' || c == u'_' || c == u'.' || c == u'+' || c == u'=')
            out.append(static_cast<char>(c));
        if (out.size() >= kMaxNameOctets)
            break;
    }
    return out;
}

// RFC 5321 §4.4 For clause, only with a valid mailbox; a UTF-8 one only
// when the transaction used SMTPUTF8 (RFC 6531 §3.7.3).
QByteArray forClause(const QStringList &recipients, bool smtpUtf8)
{
    if (recipients.size() != 1)
        return {};
    const Result<MailAddress> a = parseMailbox(recipients.front());
    if (!a)
        return {};
    const QByteArray mailbox = recipients.front().toUtf8();
    for (char c : mailbox) {
        if (static_cast<unsigned char>(c) >= 0x80 && !smtpUtf8)
            return {};
    }
    return QByteArrayLiteral("for <") + mailbox + '>';
}

} // namespace

QByteArray ReceivedField::protocolName(bool tls, bool authenticated, bool smtpUtf8)
{
    QByteArray p = smtpUtf8 ? QByteArrayLiteral("UTF8SMTP") : QByteArrayLiteral("ESMTP");
    if (tls)
        p += 'S';
    if (authenticated)
        p += 'A';
    return p;
}

QByteArray ReceivedField::build(const ReceivedInfo &info)
{
    // The pieces between which FWS may go (RFC 5321 §4.4 Stamp).
    QList<QByteArray> pieces;
    QByteArray helo = sanitizeName(info.heloName);
    if (helo.isEmpty())
        helo = QByteArrayLiteral("unknown");
    pieces.append(QByteArrayLiteral("from ") + helo);
    // TCP-info = address-literal / ( Domain FWS address-literal ).
    const QByteArray literal = addressLiteral(info.clientAddress);
    const QByteArray reverse = sanitizeName(info.reverseName);
    if (!literal.isEmpty()) {
        if (!reverse.isEmpty()) {
            pieces.append('(' + reverse);
            pieces.append(literal + ')');
        } else {
            pieces.append('(' + literal + ')');
        }
    }
    QByteArray by = sanitizeName(info.byHost);
    if (by.isEmpty())
        by = QByteArrayLiteral("localhost");
    pieces.append(QByteArrayLiteral("by ") + by);
    pieces.append(QByteArrayLiteral("(MailRoute)"));
    pieces.append(QByteArrayLiteral("with ") + protocolName(info.tls, info.authenticated, info.smtpUtf8));
    const QByteArray id = sanitizeAtom(info.queueId);
    if (!id.isEmpty())
        pieces.append(QByteArrayLiteral("id ") + id);
    const QByteArray forText = forClause(info.recipients, info.smtpUtf8);
    if (!forText.isEmpty())
        pieces.append(forText);
    pieces.last().append(';');
    pieces.append(formatRfc5322Date(info.time));

    QByteArray out = QByteArrayLiteral("Received:");
    qsizetype lineLength = out.size();
    bool first = true;
    for (const QByteArray &piece : pieces) {
        // The first piece stays on the field's first line: "Received:" alone
        // on a line helps nobody, and a sanitised name is at most 255 octets.
        if (!first && lineLength + 1 + piece.size() > kFoldColumn && lineLength > 1) {
            // RFC 5322 §3.2.2 folding; a tab, as Postfix and sendmail write it.
            out += "\r\n\t";
            lineLength = 1;
        } else {
            out += ' ';
            ++lineLength;
        }
        out += piece;
        lineLength += piece.size();
        first = false;
    }
    out += "\r\n";
    return out;
}

int ReceivedField::count(const QByteArray &message)
{
    return HeaderSection(message).count("Received");
}

} // namespace mailroute
