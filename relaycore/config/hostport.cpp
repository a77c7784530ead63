#include "relaycore/config/hostport.h"

#include "relaycore/routing/mailaddress.h"

#include <algorithm>

namespace mailroute {

namespace {

bool allDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

bool isStrictIpv4(QStringView s)
{
    const QList<QStringView> parts = s.split(u'.');
    if (parts.size() != 4)
        return false;
    for (const QStringView part : parts) {
        if (!allDigits(part) || part.size() > 3 || (part.size() > 1 && part[0] == u'0') || part.toInt() > 255)
            return false;
    }
    return true;
}

bool looksNumeric(QStringView s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return (c >= u'0' && c <= u'9') || c == u'.'; });
}

// "localhost" or a LAN smart host "mailhub": a next hop may be unqualified,
// unlike a mail domain (which normalizeDomain insists on).
bool isSingleLdhLabel(QStringView s)
{
    if (s.isEmpty() || s.size() > 63 || s.front() == u'-' || s.back() == u'-')
        return false;
    return std::all_of(s.begin(), s.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

} // namespace

std::optional<QHostAddress> parseIpAddress(QStringView s)
{
    QHostAddress address;
    if (s.contains(u':')) {
        if (!address.setAddress(s.toString()) || address.protocol() != QAbstractSocket::IPv6Protocol ||
            !address.scopeId().isEmpty())
            return std::nullopt;
        return address;
    }
    if (!isStrictIpv4(s) || !address.setAddress(s.toString()))
        return std::nullopt;
    return address;
}

QString HostPort::toString() const
{
    const bool v6 = isAddress && host.contains(u':');
    QString out = bracketed || v6 ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    if (port)
        out += QLatin1Char(':') + QString::number(*port);
    return out;
}

Result<HostPort> parseHostPort(QStringView text)
{
    using R = Result<HostPort>;
    text = text.trimmed();
    if (text.isEmpty())
        return R::failure(QStringLiteral("the host is empty"));
    HostPort hp;
    QStringView hostText;
    QStringView portText;
    bool hasPort = false;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return R::failure(QStringLiteral("'[' without ']'"));
        hp.bracketed = true;
        hostText = text.mid(1, close - 1);
        const QStringView rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return R::failure(QStringLiteral("unexpected text after ']'"));
            hasPort = true;
            portText = rest.mid(1);
        }
    } else {
        if (text.count(u':') > 1)
            return R::failure(
                QStringLiteral("an IPv6 address must be in brackets, such as [2001:db8::1]:25"));
        const qsizetype colon = text.indexOf(u':');
        hostText = colon < 0 ? text : text.left(colon);
        if (colon >= 0) {
            hasPort = true;
            portText = text.mid(colon + 1);
        }
    }
    if (hasPort) {
        const uint port = allDigits(portText) && portText.size() <= 5 ? portText.toUInt() : 0;
        if (port < 1 || port > 65535)
            return R::failure(QStringLiteral("the port must be a number between 1 and 65535"));
        hp.port = static_cast<quint16>(port);
    }
    if (hostText.isEmpty())
        return R::failure(QStringLiteral("the host is empty"));
    if (hostText.contains(u':') || looksNumeric(hostText)) {
        const auto address = parseIpAddress(hostText);
        if (!address)
            return R::failure(QStringLiteral("'%1' is not an IP address").arg(hostText));
        hp.host = address->toString();
        hp.isAddress = true;
        return R::success(hp);
    }
    if (hostText.contains(u'@'))
        return R::failure(QStringLiteral("a host name has no '@'"));
    if (isSingleLdhLabel(hostText)) {
        hp.host = hostText.toString().toLower();
        return R::success(hp);
    }
    const Result<QString> name = normalizeDomain(hostText);
    if (!name)
        return R::failure(name.error);
    hp.host = *name;
    return R::success(hp);
}

} // namespace mailroute
