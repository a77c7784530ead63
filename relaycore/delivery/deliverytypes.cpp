// Out-of-line parts of the delivery value types. Pure; safe from any thread.
#include "relaycore/delivery/deliverytypes.h"

namespace mailroute {

namespace {

QString bracketed(const QString &address)
{
    return QLatin1Char('[') + address + QLatin1Char(']');
}

} // namespace

QString NextHop::toString() const
{
    const QString suffix = QLatin1Char(':') + QString::number(port);
    if (address.isEmpty())
        return (host.contains(QLatin1Char(':')) ? bracketed(host) : host) + suffix;
    // A literal route ("[192.0.2.1]:2526") has no name worth repeating.
    if (host.isEmpty() || host == address)
        return bracketed(address) + suffix;
    return host + bracketed(address) + suffix;
}

QString NextHop::connectionKey() const
{
    return (address.isEmpty() ? host.toLower() : address) + QLatin1Char('/') + QString::number(port);
}

QString destinationKindName(DestinationKind kind)
{
    switch (kind) {
    case DestinationKind::Route: return QStringLiteral("route");
    case DestinationKind::SmartHost: return QStringLiteral("smarthost");
    case DestinationKind::Mx: break;
    }
    return QStringLiteral("mx");
}

} // namespace mailroute
