#include "relaycore/dns/nameserver.h"

#include "relaycore/config/hostport.h"

namespace mailroute {

Result<NameServer> NameServer::parse(QStringView text)
{
    using R = Result<NameServer>;
    const QStringView t = text.trimmed();
    if (t.isEmpty())
        return R::failure(QStringLiteral("no name server given"));
    NameServer ns;
    // A bare IPv6 address ("2001:db8::53") as before ports could be given.
    if (const auto bare = parseIpAddress(t)) {
        ns.address = *bare;
        return R::success(ns);
    }
    const Result<HostPort> hp = parseHostPort(t);
    if (!hp)
        return R::failure(QStringLiteral("'%1' is not HOST[:PORT]: %2").arg(t.toString(), hp.error));
    if (!hp->isAddress)
        return R::failure(QStringLiteral("'%1' is not an IP address (a name server is given by its address, "
                                         "with an optional port: 192.0.2.53:5353, [2001:db8::53]:5353)")
                              .arg(t.toString()));
    ns.address = hp->address();
    ns.port = hp->portOr(53);
    return R::success(ns);
}

QString NameServer::toString() const
{
    const QString a = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(a).arg(port);
    return QStringLiteral("%1:%2").arg(a).arg(port);
}

QByteArray NameServer::toUnbound() const
{
    return address.toString().toLatin1() + '@' + QByteArray::number(port);
}

} // namespace mailroute
