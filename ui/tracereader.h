// The console's reads of the trace store (relaycore/trace/tracestore.h), on
// the store worker's thread (ui/backgroundstore.h): a TraceStore belongs to
// the thread that opened it, so each thread keeps one of its own, opened on
// first use for the database its ConfigStore has open. Worker thread.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/trace/tracetypes.h"

namespace mailroute {

class ConfigStore;

class TraceReader final
{
public:
    static Result<QList<TraceMessage>> search(ConfigStore &store, const TraceQuery &query);
    static Result<TraceTimeline> timeline(ConfigStore &store, qint64 traceId);
    static Result<TraceOverview> overview(ConfigStore &store, const QDateTime &since, const QDateTime &until,
                                          int topLimit);
    // Empty when the full-text index is in use, else why not.
    static QString fullTextNote(ConfigStore &store);
};

} // namespace mailroute
