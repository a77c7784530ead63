#include "relaycore/trace/tracetypes.h"

namespace mailroute {

QString traceStatusKey(TraceStatus s)
{
    switch (s) {
    case TraceStatus::Queued: return QStringLiteral("queued");
    case TraceStatus::Deferred: return QStringLiteral("deferred");
    case TraceStatus::Delivered: return QStringLiteral("delivered");
    case TraceStatus::Bounced: return QStringLiteral("bounced");
    case TraceStatus::Refused: return QStringLiteral("refused");
    }
    return {};
}

std::optional<TraceStatus> traceStatusFromKey(QStringView key)
{
    for (TraceStatus s : {TraceStatus::Queued, TraceStatus::Deferred, TraceStatus::Delivered,
                          TraceStatus::Bounced, TraceStatus::Refused}) {
        if (key.compare(traceStatusKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

bool traceStatusIsFinal(TraceStatus s)
{
    return s == TraceStatus::Delivered || s == TraceStatus::Bounced || s == TraceStatus::Refused;
}

} // namespace mailroute
