// Writes an area's user list (or the sample) to a CSV file in the format the
// upload reads back unchanged (docs/behaviour.md "CSV user lists"). The export
// of a big list runs on the store's worker thread. Main (GUI) thread API.
#pragma once

#include "relaycore/routing/area.h"

#include <QString>

#include <functional>

class QObject;

namespace mailroute {

class BackgroundStore;

class UserListExport final
{
public:
    // done(error, rows): error empty on success.
    using Done = std::function<void(const QString &error, qint64 rows)>;

    static void exportUsers(BackgroundStore *background, QObject *context, Area area, const QString &path,
                            Done done);
    // Writes the two-line sample; returns an error or an empty string.
    static QString writeSample(const QString &path);
    // "inbound-users-2024-05-01.csv"
    static QString suggestedFileName(Area area);
};

} // namespace mailroute
