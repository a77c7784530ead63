#include "relaycore/trace/tracestore.h"

namespace mailroute {

struct TraceStore::Private
{
    QString path;
    bool isOpen = false;
};

TraceStore::TraceStore(QString databasePath) : d(std::make_unique<Private>())
{
    d->path = std::move(databasePath);
}

TraceStore::~TraceStore() = default;

Status TraceStore::open()
{
    return Status::failure(QStringLiteral("the trace store is not implemented yet"));
}

bool TraceStore::isOpen() const
{
    return d->isOpen;
}

bool TraceStore::fullText() const
{
    return false;
}

QString TraceStore::fullTextNote() const
{
    return {};
}

Status TraceStore::validate(const TraceQuery &)
{
    return okStatus();
}

Result<QList<TraceMessage>> TraceStore::search(const TraceQuery &) const
{
    return Result<QList<TraceMessage>>::failure(QStringLiteral("not implemented yet"));
}

Result<qint64> TraceStore::count(const TraceQuery &) const
{
    return Result<qint64>::failure(QStringLiteral("not implemented yet"));
}

Result<TraceTimeline> TraceStore::timeline(qint64) const
{
    return Result<TraceTimeline>::failure(QStringLiteral("not implemented yet"));
}

Result<TraceTimeline> TraceStore::timelineOfQueueId(const QString &) const
{
    return Result<TraceTimeline>::failure(QStringLiteral("not implemented yet"));
}

Result<TraceOverview> TraceStore::overview(const QDateTime &, const QDateTime &, int) const
{
    return Result<TraceOverview>::failure(QStringLiteral("not implemented yet"));
}

Result<qint64> TraceStore::prune(const QDateTime &)
{
    return Result<qint64>::failure(QStringLiteral("not implemented yet"));
}

} // namespace mailroute
