// What a push would change: the draft against the active generation. Pure.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <array>

namespace mailroute {

struct AreaDiff
{
    QList<DomainMapping> domainsAdded;
    QList<DomainMapping> domainsRemoved;
    QList<QPair<DomainMapping, DomainMapping>> domainsChanged; // (old, new), same source
    QList<UserMapping> usersAdded;
    QList<UserMapping> usersRemoved;
    QList<QPair<UserMapping, UserMapping>> usersChanged; // (old, new), same source (case-insensitive)
    bool isEmpty() const;
};

struct SettingChange
{
    QString key;
    QString oldValue; // empty when unset
    QString newValue; // empty when unset
    // The value an unset setting has (the schema's default), filled in by
    // describeSettingDefaults() (relaycore/config/settingsdiff.h): with it a
    // setting set or reset shows as old -> new instead of + or -.
    QString defaultValue = {};
};

struct ConfigDiff
{
    std::array<AreaDiff, kAreaCount> areas;
    QList<SettingChange> settings;
    QList<TransportRoute> routesAdded;
    QList<TransportRoute> routesRemoved;
    QList<QPair<TransportRoute, TransportRoute>> routesChanged;
    QList<DkimKey> dkimAdded;
    QList<DkimKey> dkimRemoved;
    QList<QPair<DkimKey, DkimKey>> dkimChanged; // (old, new), same domain and selector
    QList<Wave> wavesAdded;                     // migration waves, by name
    QList<Wave> wavesRemoved;
    QList<QPair<Wave, Wave>> wavesChanged;

    const AreaDiff &area(Area a) const { return areas[static_cast<size_t>(areaIndex(a))]; }
    bool isEmpty() const;
    // One line per change, sorted by area then source, in this format:
    //   inbound domain + @warmsushi.com -> @drypizza.com
    //   inbound domain - @old.example -> @new.example
    //   inbound domain ~ @a.example: @b.example -> @c.example
    //   inbound user + bob@warmsushi.com -> bob.owen@drypizza.com
    //   setting ~ relay.hostname: old -> new
    //   setting ~ relay.listen: 0.0.0.0:25 (default) -> 127.0.0.1:2525
    //   route + drypizza.com -> smtp.drypizza.com:25
    //   dkim + example.com mr20261206 (rsa-2048, active)
    //   dkim ~ example.com mr20261206: pending -> active
    //   wave + w1 at 2026-12-12T21:00:00Z, 120 inbound users
    QStringList toLines() const;
};

// Linear in the size of both configurations (hash joins), fit for 1,000,000 users.
ConfigDiff diffConfig(const ConfigData &from, const ConfigData &to);

} // namespace mailroute
