// The three independent rule sets of docs/behaviour.md "Areas and mappings" and their names on the command
// line.
#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace mailroute {

enum class Area { Relay = 0, Inbound = 1, Outbound = 2 };

inline constexpr std::array<Area, 3> kAllAreas{Area::Relay, Area::Inbound, Area::Outbound};
inline constexpr int kAreaCount = 3;

constexpr int areaIndex(Area a)
{
    return static_cast<int>(a);
}

// "relay", "inbound", "outbound": the spelling used by mailroutectl and the database.
QString areaKey(Area a);
// "Relay", "Inbound", "Outbound": the spelling used in log lines.
QString areaTitle(Area a);
std::optional<Area> areaFromKey(QStringView key); // case-insensitive

// Relay has only domain mappings (docs/behaviour.md "Areas and mappings").
constexpr bool areaHasUsers(Area a)
{
    return a != Area::Relay;
}
// Relay and Inbound rewrite recipients, Outbound rewrites senders.
constexpr bool areaRewritesRecipients(Area a)
{
    return a != Area::Outbound;
}

} // namespace mailroute
