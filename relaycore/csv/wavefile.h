// A migration wave's mappings from a file (issue 15 item 2). Pure.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/routing/wave.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroute {

// The mappings of a wave file, or every error (line numbers included) in one
// message. With `targetDomain` empty: the user-list CSV
// (docs/behaviour.md "CSV user lists", `Source;Target`, UserCsvCodec). With
// `targetDomain`: a migration tool's batch file, a CSV (',' or ';') whose
// header has an `EmailAddress` column (case-insensitive; other columns
// ignored); each address maps to its local part @ targetDomain. Refused: no
// such column, an invalid address, a duplicate source, an empty list.
Result<QList<WaveMapping>> parseWaveFile(const QByteArray &data, const QString &targetDomain = {});

} // namespace mailroute
