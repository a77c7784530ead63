// Enhanced status codes: parsing (RFC 3463 §2, RFC 2034 §4) and the fallback
// from a bare reply code for servers that do not send one.
#include "relaycore/message/dsnstatus.h"

#include <QByteArray>
#include <QList>

namespace mailroute {

namespace {

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

// 1*3digit without leading junk; returns the index after it or -1.
qsizetype readNumber(QStringView s, qsizetype i, int *value)
{
    qsizetype j = i;
    int v = 0;
    while (j < s.size() && isDigit(s[j].unicode()) && j - i < 3) {
        v = v * 10 + (s[j].unicode() - u'0');
        ++j;
    }
    if (j == i || (j < s.size() && isDigit(s[j].unicode())))
        return -1;
    *value = v;
    return j;
}

// "c.s.d" at the start of `s`; *length is how much it took.
std::optional<DsnStatus> parsePrefix(QStringView s, qsizetype *length)
{
    // RFC 3463 §2: class = "2"/"4"/"5", subject and detail 1*3digit.
    if (s.size() < 5)
        return std::nullopt;
    const char16_t c = s[0].unicode();
    if ((c != u'2' && c != u'4' && c != u'5') || s[1] != QLatin1Char('.'))
        return std::nullopt;
    int subject = 0;
    int detail = 0;
    qsizetype i = readNumber(s, 2, &subject);
    if (i < 0 || i >= s.size() || s[i] != QLatin1Char('.'))
        return std::nullopt;
    i = readNumber(s, i + 1, &detail);
    if (i < 0)
        return std::nullopt;
    *length = i;
    return DsnStatus(c - u'0', subject, detail);
}

} // namespace

bool DsnStatus::isValid() const
{
    return (m_class == 2 || m_class == 4 || m_class == 5) && m_subject >= 0 && m_subject <= 999 &&
           m_detail >= 0 && m_detail <= 999;
}

QString DsnStatus::toString() const
{
    if (!isValid())
        return {};
    return QString::number(m_class) + QLatin1Char('.') + QString::number(m_subject) + QLatin1Char('.') +
           QString::number(m_detail);
}

std::optional<DsnStatus> DsnStatus::parse(QStringView text)
{
    qsizetype len = 0;
    std::optional<DsnStatus> s = parsePrefix(text, &len);
    if (!s || len != text.size())
        return std::nullopt;
    return s;
}

DsnStatus DsnStatus::fromReplyCode(int code)
{
    // RFC 5321 §4.2.2/§4.2.3 reply meanings mapped onto RFC 3463 codes
    // where the reply code has only one meaning; the registry of RFC 5248
    // pairs them the same way. 550 and 554 cover everything from "no such
    // user" to policy, so they stay X.0.0 like any code not listed.
    switch (code) {
    case 421: return DsnStatus(4, 3, 2); // service not available, closing
    case 450: return DsnStatus(4, 2, 0); // mailbox unavailable (busy)
    case 451: return DsnStatus(4, 3, 0); // local error in processing
    case 452: return DsnStatus(4, 3, 1); // insufficient system storage
    case 500: return DsnStatus(5, 5, 2); // syntax error
    case 501: return DsnStatus(5, 5, 4); // syntax error in parameters
    case 502: return DsnStatus(5, 5, 1); // command not implemented
    case 503: return DsnStatus(5, 5, 1); // bad sequence of commands
    case 504: return DsnStatus(5, 5, 4); // parameter not implemented
    case 551: return DsnStatus(5, 1, 6); // user not local (moved)
    case 552: return DsnStatus(5, 2, 2); // exceeded storage allocation
    case 553: return DsnStatus(5, 1, 3); // mailbox name not allowed
    case 555: return DsnStatus(5, 5, 4); // MAIL/RCPT parameters not recognised
    default: break;
    }
    const int c = code / 100;
    if (c == 2 || c == 4 || c == 5)
        return DsnStatus(c, 0, 0);
    return {};
}

DsnStatus DsnStatus::fromSmtpReply(int code, QStringView text)
{
    qsizetype len = 0;
    const QStringView t = text.trimmed();
    const std::optional<DsnStatus> enhanced = parsePrefix(t, &len);
    // RFC 2034 §4: the enhanced code follows the reply code and a space, and
    // its class must agree with the reply code's first digit; a disagreeing
    // or glued-on code ("5.1.1x") is text, not a status.
    if (enhanced && enhanced->statusClass() == code / 100 &&
        (len == t.size() || t[len] == QLatin1Char(' ') || t[len] == QLatin1Char('\t')))
        return *enhanced;
    return fromReplyCode(code);
}

std::optional<DsnStatus> DsnStatus::fromSmtpReply(QByteArrayView reply)
{
    // RFC 5321 §4.2.1: in a multi-line reply every line but the last has
    // '-' after the code; the last line is "code SP text" or just "code".
    QByteArrayView last = reply;
    while (last.endsWith('\n') || last.endsWith('\r'))
        last.chop(1);
    const qsizetype nl = last.lastIndexOf('\n');
    if (nl >= 0)
        last = last.sliced(nl + 1);
    if (last.size() < 3)
        return std::nullopt;
    const char c0 = last[0];
    if ((c0 != '2' && c0 != '4' && c0 != '5') || last[1] < '0' || last[1] > '9' || last[2] < '0' ||
        last[2] > '9')
        return std::nullopt;
    if (last.size() > 3 && last[3] != ' ' && last[3] != '-')
        return std::nullopt;
    const int code = (c0 - '0') * 100 + (last[1] - '0') * 10 + (last[2] - '0');
    const QString text = QString::fromLatin1(last.size() > 4 ? last.sliced(4) : QByteArrayView());
    return fromSmtpReply(code, text);
}

} // namespace mailroute
