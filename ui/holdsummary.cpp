#include "ui/holdsummary.h"

#include "relaycore/store/operationsstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

namespace mailroute {

QString holdChecklistLine(const QString &databasePath)
{
    OperationsStore store(databasePath);
    if (!store.open())
        return {};
    const auto holds = store.holds();
    if (!holds)
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList domains;
    for (const DomainHold &h : *holds) {
        if (!h.until.isValid() || h.until > now)
            domains << QLatin1Char('@') + h.domain;
    }
    if (domains.isEmpty())
        return {};
    return QCoreApplication::translate(
               "MainWindow",
               "• %n domain(s) on hold: %1. Their mail stays in the queue, neither attempted "
               "nor bounced, until you release them (Queue page).",
               nullptr, int(domains.size()))
        .arg(domains.join(QStringLiteral(", ")));
}

} // namespace mailroute
