// The spool database's schema steps, for Spool::open()'s upgrade runner
// (relaycore/sql/migration.h). Internal to relaycore_queue.
#pragma once

#include <QStringList>

namespace mailroute {

int spoolSchemaSteps();                   // the latest version
QStringList spoolSchemaStep(int version); // the statements of step `version` (1-based)

} // namespace mailroute
