// The active domain holds in one line, for the stop checklist and the
// Readiness page (issue 11). GUI thread; reads the database directly.
#pragma once

#include <QString>

namespace mailroute {

// Empty when no domain is on hold; else a checklist line such as
// "• 2 domain(s) on hold: @a.example, @b.example …".
QString holdChecklistLine(const QString &databasePath);

} // namespace mailroute
