// What a migration wave (relaycore/routing/wave.h) does to a configuration,
// Pure. Reading one from a file: relaycore/csv/wavefile.h.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"
#include "relaycore/routing/wave.h"

#include <QList>
#include <QString>

namespace mailroute {

QList<UserMapping> toUserMappings(const QList<WaveMapping> &mappings);
QList<WaveMapping> toWaveMappings(const QList<UserMapping> &mappings);

// Checks a wave's definition on its own: name, area (Inbound or Outbound),
// at least one mapping, valid and unique sources, expire after at, outbound
// only with withOutbound. Addresses are normalised in place.
Status validateWave(Wave &wave);

// `config` with the wave's mappings in effect: each mapping replaces the one
// with the same source (case-insensitive) or is appended; same for the
// Outbound inverses. `replaced`/`replacedOutbound` (optional) receive the
// mappings that were replaced (to restore at expiry).
ConfigData withWaveApplied(ConfigData config, const Wave &wave, QList<WaveMapping> *replaced = nullptr,
                           QList<WaveMapping> *replacedOutbound = nullptr);
// `config` without the wave: each of its mappings still present unchanged
// (same source and target) is removed, and the `replaced` ones restored
// where their source is then free. Mappings changed by hand since are kept.
ConfigData withWaveRemoved(ConfigData config, const Wave &wave, const QList<WaveMapping> &replaced = {},
                           const QList<WaveMapping> &replacedOutbound = {});

// The target domains of a wave (normalised, sorted, unique): what the DNS
// readiness check and the probe look at.
QStringList waveTargetDomains(const Wave &wave);

} // namespace mailroute
