#include "ui/tracereader.h"

#include "relaycore/store/configstore.h"
#include "relaycore/trace/tracestore.h"

#include <memory>

namespace mailroute {

namespace {

// This thread's trace store for `store`'s database, or an error.
Result<TraceStore *> traceStoreFor(ConfigStore &store)
{
    thread_local std::unique_ptr<TraceStore> open;
    thread_local QString openPath;
    if (!open || openPath != store.path() || !open->isOpen()) {
        auto fresh = std::make_unique<TraceStore>(store.path());
        const Status opened = fresh->open();
        if (!opened)
            return Result<TraceStore *>::failure(opened.error);
        open = std::move(fresh);
        openPath = store.path();
    }
    return Result<TraceStore *>::success(open.get());
}

} // namespace

Result<QList<TraceMessage>> TraceReader::search(ConfigStore &store, const TraceQuery &query)
{
    const Status valid = TraceStore::validate(query);
    if (!valid)
        return Result<QList<TraceMessage>>::failure(valid.error);
    auto trace = traceStoreFor(store);
    if (!trace)
        return Result<QList<TraceMessage>>::failure(trace.error);
    return (*trace)->search(query);
}

Result<TraceTimeline> TraceReader::timeline(ConfigStore &store, qint64 traceId)
{
    auto trace = traceStoreFor(store);
    if (!trace)
        return Result<TraceTimeline>::failure(trace.error);
    return (*trace)->timeline(traceId);
}

Result<TraceOverview> TraceReader::overview(ConfigStore &store, const QDateTime &since,
                                            const QDateTime &until, int topLimit)
{
    auto trace = traceStoreFor(store);
    if (!trace)
        return Result<TraceOverview>::failure(trace.error);
    return (*trace)->overview(since, until, topLimit);
}

QString TraceReader::fullTextNote(ConfigStore &store)
{
    auto trace = traceStoreFor(store);
    if (!trace)
        return trace.error;
    return (*trace)->fullText() ? QString() : (*trace)->fullTextNote();
}

} // namespace mailroute
