#include "relaycore/routing/relayhostname.h"

#include <QMutex>
#include <QSysInfo>

namespace mailroute {

namespace {

QMutex g_lock;
QString g_testName; // guarded by g_lock

} // namespace

QString machineHostName()
{
    {
        QMutexLocker lock(&g_lock);
        if (!g_testName.isEmpty())
            return g_testName;
    }
    return QSysInfo::machineHostName();
}

void setMachineHostNameForTesting(const QString &name)
{
    QMutexLocker lock(&g_lock);
    g_testName = name;
}

QString effectiveRelayHostName(const QString &configured)
{
    if (!configured.isEmpty())
        return configured;
    QString name = machineHostName().trimmed();
    while (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty())
        return QStringLiteral("localhost.localdomain");
    // Postfix: myhostname = the machine name, made fully qualified with
    // mydomain ("localdomain") when it has no dot. A single-label name is not
    // a valid EHLO argument for most receivers, nor a DSN's Reporting-MTA.
    if (!name.contains(QLatin1Char('.')))
        name += QStringLiteral(".localdomain");
    return name;
}

QString relayHostNameWarning(const QString &configured)
{
    if (!configured.isEmpty())
        return {};
    const QString machine = machineHostName().trimmed();
    if (machine.contains(QLatin1Char('.')) && !machine.endsWith(QLatin1Char('.')))
        return {};
    return QStringLiteral(
               "relay.hostname is empty and this machine's name '%1' has no domain: the relay calls "
               "itself %2; set relay.hostname to the name in your MX records")
        .arg(machine, effectiveRelayHostName(configured));
}

} // namespace mailroute
