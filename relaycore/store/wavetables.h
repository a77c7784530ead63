// Rows of the waves and wave_status tables (relaycore/store/schemamigration.cpp)
// for ConfigStore and WaveStore, inside the caller's transaction. Internal to
// relaycore/store.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/routing/wave.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace mailroute {

QList<Wave> readWaveTable(const QSqlDatabase &db); // by name
Status insertWaveRow(const QSqlDatabase &db, const Wave &wave);

// wave_status: nullopt when the wave has no row (Scheduled), or on error
// (then `error` is set).
std::optional<WaveStatus> readWaveStatus(const QSqlDatabase &db, const QString &name,
                                         QString *error = nullptr);
Status writeWaveStatus(const QSqlDatabase &db, const QString &name, const WaveStatus &status);

QString waveCheckToJson(const WaveCheck &check);
std::optional<WaveCheck> waveCheckFromJson(const QString &json);

} // namespace mailroute
