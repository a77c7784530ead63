// The configuration as plain values: what the admin edits (the draft), what a
// push stores as a generation, what the routing snapshot is compiled from.
// Pure value types; safe to copy across threads.
#pragma once

#include "relaycore/routing/area.h"

#include <QList>
#include <QMap>
#include <QString>

#include <array>

namespace mailroute {

// "@original -> @redirected". Both domains normalised (see normalizeDomain),
// stored without the leading '@'.
struct DomainMapping
{
    QString source;
    QString target;
    bool operator==(const DomainMapping &o) const { return source == o.source && target == o.target; }
};

// "bob@warmsushi.com -> bob.owen@drypizza.com". Both are valid mailboxes in the
// form MailAddress::toString() gives (user's local-part spelling, normalised domain).
struct UserMapping
{
    QString source;
    QString target;
    bool operator==(const UserMapping &o) const { return source == o.source && target == o.target; }
};

// A per-domain next hop (SPEC §3 "Next hop"): mail whose final recipient
// domain is `domain` goes to `nextHop` ("host" or "host:port", "[1.2.3.4]:25").
struct TransportRoute
{
    QString domain; // normalised, without '@'
    QString nextHop;
    bool operator==(const TransportRoute &o) const { return domain == o.domain && nextHop == o.nextHop; }
};

struct AreaConfig
{
    QList<DomainMapping> domains;
    QList<UserMapping> users; // always empty for Area::Relay
    bool operator==(const AreaConfig &o) const { return domains == o.domains && users == o.users; }
};

struct ConfigData
{
    std::array<AreaConfig, kAreaCount> areas;
    // Validated settings (key -> canonical text value), only those that differ
    // from their defaults or were set explicitly.
    QMap<QString, QString> settings;
    QList<TransportRoute> routes;

    AreaConfig &area(Area a) { return areas[static_cast<size_t>(areaIndex(a))]; }
    const AreaConfig &area(Area a) const { return areas[static_cast<size_t>(areaIndex(a))]; }
    bool operator==(const ConfigData &o) const { return areas == o.areas && settings == o.settings && routes == o.routes; }
};

} // namespace mailroute
