#include "relaycore/trace/traceingest.h"

namespace mailroute {

TraceIngest::TraceIngest() = default;

Status TraceIngest::apply(QSqlDatabase &, const QList<MessageLogEntry> &)
{
    return okStatus();
}

bool TraceIngest::prepareFullText(QSqlDatabase &, bool, QString *)
{
    return false;
}

bool TraceIngest::disabledByEnvironment()
{
    return qEnvironmentVariable("MAILROUTE_TRACE") == QLatin1String("off");
}

} // namespace mailroute
