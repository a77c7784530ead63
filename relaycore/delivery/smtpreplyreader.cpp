// Strict SMTP reply parsing (RFC 5321 §4.2, §4.2.1, §4.5.3.1.5). Pure; used on
// the engine thread.
#include "relaycore/delivery/smtpreplyreader.h"

namespace mailroute {

namespace {

constexpr qsizetype kMaxTextChars = 1000;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// RFC 3463 §2: class "." subject "." detail, subject and detail 1-3 digits.
qsizetype enhancedCodeLength(const QByteArray &text, int replyClass)
{
    if (text.size() < 5 || text.at(0) != char('0' + replyClass) || text.at(1) != '.')
        return 0;
    qsizetype i = 2;
    for (int part = 0; part < 2; ++part) {
        const qsizetype start = i;
        while (i < text.size() && isDigit(text.at(i)) && i - start < 4)
            ++i;
        if (i == start || i - start > 3)
            return 0;
        if (part == 0) {
            if (i >= text.size() || text.at(i) != '.')
                return 0;
            ++i;
        }
    }
    if (i < text.size() && text.at(i) != ' ')
        return 0;
    return i;
}

QString describeByte(char c)
{
    return QStringLiteral("0x") +
           QString::number(static_cast<uchar>(c), 16).rightJustified(2, QLatin1Char('0'));
}

} // namespace

QString SmtpReply::enhancedStatus() const
{
    if (lines.isEmpty())
        return {};
    const qsizetype n = enhancedCodeLength(lines.first(), codeClass());
    return n > 0 ? QString::fromLatin1(lines.first().left(n)) : QString();
}

QString SmtpReply::text() const
{
    QString out = QString::number(code);
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        out += QLatin1Char(' ') + QString::fromUtf8(line);
        if (out.size() > kMaxTextChars)
            return out.left(kMaxTextChars) + QStringLiteral("...");
    }
    return out;
}

SmtpReplyReader::Status SmtpReplyReader::fail(QString why)
{
    m_error = std::move(why);
    m_buffer.clear();
    m_partial = {};
    return Status::Error;
}

SmtpReplyReader::Status SmtpReplyReader::next(SmtpReply *reply)
{
    if (!m_error.isEmpty())
        return Status::Error;
    for (;;) {
        const qsizetype lf = m_buffer.indexOf('\n');
        if (lf < 0) {
            if (m_buffer.size() > kMaxLineLength)
                return fail(QStringLiteral("reply line longer than %1 octets").arg(kMaxLineLength));
            return Status::NeedMore;
        }
        if (lf + 1 > kMaxLineLength)
            return fail(QStringLiteral("reply line longer than %1 octets").arg(kMaxLineLength));
        // RFC 5321 §2.3.8: lines end in CRLF; a bare LF means the stream is not
        // SMTP (or is being tampered with).
        if (lf == 0 || m_buffer.at(lf - 1) != '\r')
            return fail(QStringLiteral("reply line not terminated by CRLF"));
        const QByteArray line = m_buffer.left(lf - 1);
        m_buffer.remove(0, lf + 1);

        for (const char c : line) {
            if ((static_cast<uchar>(c) < 0x20 && c != '\t') || c == 0x7f)
                return fail(QStringLiteral("control character %1 in reply").arg(describeByte(c)));
        }
        // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39
        if (line.size() < 3 || line.at(0) < '2' || line.at(0) > '5' || line.at(1) < '0' || line.at(1) > '5' ||
            !isDigit(line.at(2)))
            return fail(QStringLiteral("malformed reply line: ") +
                        QString::fromLatin1(line.left(40).toPercentEncoding(" ")));
        const int code = (line.at(0) - '0') * 100 + (line.at(1) - '0') * 10 + (line.at(2) - '0');
        bool last = true;
        if (line.size() > 3) {
            if (line.at(3) == '-')
                last = false;
            else if (line.at(3) != ' ')
                return fail(QStringLiteral("malformed reply line: ") +
                            QString::fromLatin1(line.left(40).toPercentEncoding(" ")));
        }
        if (!m_partial.lines.isEmpty() && m_partial.code != code)
            return fail(QStringLiteral("reply code changed inside a multi-line reply (%1, then %2)")
                            .arg(m_partial.code)
                            .arg(code));
        if (m_partial.lines.size() >= kMaxLines)
            return fail(QStringLiteral("more than %1 lines in one reply").arg(kMaxLines));
        m_partial.code = code;
        m_partial.lines.append(line.mid(4));
        if (last) {
            *reply = std::move(m_partial);
            m_partial = {};
            return Status::Reply;
        }
    }
}

} // namespace mailroute
