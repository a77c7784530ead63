#include "relaycore/routing/area.h"

namespace mailroute {

QString areaKey(Area a)
{
    switch (a) {
    case Area::Relay: return QStringLiteral("relay");
    case Area::Inbound: return QStringLiteral("inbound");
    case Area::Outbound: return QStringLiteral("outbound");
    }
    return {};
}

QString areaTitle(Area a)
{
    switch (a) {
    case Area::Relay: return QStringLiteral("Relay");
    case Area::Inbound: return QStringLiteral("Inbound");
    case Area::Outbound: return QStringLiteral("Outbound");
    }
    return {};
}

std::optional<Area> areaFromKey(QStringView key)
{
    for (Area a : kAllAreas) {
        if (key.compare(areaKey(a), Qt::CaseInsensitive) == 0)
            return a;
    }
    return std::nullopt;
}

} // namespace mailroute
