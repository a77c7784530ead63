#include "relaycore/message/confirmationmessage.h"

#include "relaycore/message/messagedate.h"

namespace mailroute {

namespace {

bool isAscii(const QByteArray &bytes)
{
    for (char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

// A header value made of what we wrote ourselves; CR/LF can never end a field early.
QByteArray field(const QString &text)
{
    QByteArray v = text.toUtf8();
    v.replace('\r', ' ').replace('\n', ' ');
    if (isAscii(v))
        return v;
    return "=?UTF-8?B?" + v.toBase64() + "?="; // RFC 2047
}

} // namespace

ConfirmationMessage ConfirmationMessage::build(const QString &hostName, const QString &postmaster,
                                               const QString &subject, const QString &body,
                                               const QDateTime &date, const QString &uniquePart)
{
    ConfirmationMessage m;
    m.messageId = QStringLiteral("confirmation.%1@%2").arg(uniquePart, hostName);
    QByteArray text = body.toUtf8();
    text.replace("\r\n", "\n");
    if (!text.endsWith('\n'))
        text += '\n';
    const bool ascii = isAscii(text);
    QByteArray out;
    out += "From: MailRoute <MAILER-DAEMON@" + hostName.toUtf8() + ">\r\n";
    out += "To: <" + field(postmaster) + ">\r\n";
    out += "Subject: " + field(subject) + "\r\n";
    out += "Date: " + formatRfc5322Date(date) + "\r\n";
    out += "Message-ID: <" + m.messageId.toUtf8() + ">\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    if (ascii) {
        out += "Content-Transfer-Encoding: 7bit\r\n\r\n";
        text.replace("\n", "\r\n");
        out += text;
    } else {
        out += "Content-Transfer-Encoding: base64\r\n\r\n";
        const QByteArray b64 = text.toBase64();
        for (qsizetype i = 0; i < b64.size(); i += 76)
            out += b64.mid(i, 76) + "\r\n";
    }
    m.data = out;
    return m;
}

} // namespace mailroute
