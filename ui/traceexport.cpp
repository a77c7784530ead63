#include "ui/traceexport.h"

#include <QCoreApplication>
#include <QDate>
#include <QSaveFile>

namespace mailroute {

namespace {

QString cell(QString text)
{
    if (!text.isEmpty() && QStringLiteral("=+-@\t\r").contains(text.front()))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char('"')) || text.contains(QLatin1Char(',')) ||
        text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) ||
        text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' ')))
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return text;
}

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QString line(const QStringList &cells)
{
    QStringList out;
    out.reserve(cells.size());
    for (const QString &c : cells)
        out << cell(c);
    return out.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

// Google: "Sent" an outgoing message, "Received" an incoming one.
QString direction(const std::optional<Area> &area)
{
    return area == Area::Outbound ? QStringLiteral("Sent") : QStringLiteral("Received");
}

// Google's event targets: SMTP_OUT handed to an SMTP server, SMTP_IN
// received from one (and not handed on, yet or ever).
QString eventTarget(TraceStatus status)
{
    return status == TraceStatus::Delivered || status == TraceStatus::Bounced ? QStringLiteral("SMTP_OUT")
                                                                              : QStringLiteral("SMTP_IN");
}

QString bracketed(const QString &messageId)
{
    QString id = messageId.trimmed();
    if (id.isEmpty())
        return id;
    if (!id.startsWith(QLatin1Char('<')))
        id.prepend(QLatin1Char('<'));
    if (!id.endsWith(QLatin1Char('>')))
        id.append(QLatin1Char('>'));
    return id;
}

QString bare(const QString &messageId)
{
    QString id = messageId.trimmed();
    if (id.startsWith(QLatin1Char('<')))
        id.remove(0, 1);
    if (id.endsWith(QLatin1Char('>')))
        id.chop(1);
    return id;
}

} // namespace

QStringList TraceExport::googleColumns()
{
    return {QStringLiteral("Message ID"),        QStringLiteral("Start date"),
            QStringLiteral("End date"),          QStringLiteral("Sender"),
            QStringLiteral("Message size"),      QStringLiteral("Subject"),
            QStringLiteral("Direction"),         QStringLiteral("Attachments"),
            QStringLiteral("Recipient address"), QStringLiteral("Event target")};
}

QStringList TraceExport::mailRouteColumns()
{
    return {QStringLiteral("Delivered to"), QStringLiteral("Status"), QStringLiteral("Area"),
            QStringLiteral("Queue ID"),     QStringLiteral("Rule"),   QStringLiteral("Last reply")};
}

QByteArray TraceExport::csv(const QList<TraceMessage> &messages)
{
    QString out = line(googleColumns() + mailRouteColumns());
    for (const TraceMessage &m : messages) {
        const QString size = m.size >= 0 ? QString::number(m.size) : QString();
        const auto row = [&](const TraceRecipient *r) {
            const TraceStatus status = r ? r->status : m.status;
            const std::optional<Area> area = r && r->area ? r->area : m.area;
            const QDateTime end = r && r->updated.isValid() ? r->updated : m.updated;
            out += line({m.messageId, isoUtc(m.time), isoUtc(end), m.from, size, m.subject, direction(area),
                         QString(), r ? r->original : QString(), eventTarget(status),
                         r ? r->deliveredTo : QString(), traceStatusKey(status),
                         area ? areaKey(*area) : QString(), m.queueId, r ? r->rule : QString(),
                         r ? r->lastReply : QString()});
        };
        if (m.recipients.isEmpty())
            row(nullptr);
        for (const TraceRecipient &r : m.recipients)
            row(&r);
    }
    return out.toUtf8();
}

QString TraceExport::write(const QString &path, const QList<TraceMessage> &messages)
{
    QSaveFile file(path);
    const QByteArray data = csv(messages);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return QCoreApplication::translate("TraceExport", "Cannot write %1: %2")
            .arg(path, file.errorString());
    return QString();
}

QString TraceExport::exchangeCommand(const TraceMessage &message)
{
    const QDateTime time = message.time.isValid() ? message.time.toUTC() : QDateTime::currentDateTimeUtc();
    const QString format = QStringLiteral("yyyy-MM-ddTHH:mm:ssZ");
    // PowerShell strings in double quotes expand $ and `; the id is quoted
    // with single quotes when it holds one of them.
    const QString id = bracketed(message.messageId);
    const QString quoted =
        id.contains(QLatin1Char('$')) || id.contains(QLatin1Char('`')) || id.contains(QLatin1Char('"'))
            ? QLatin1Char('\'') + QString(id).replace(QLatin1Char('\''), QStringLiteral("''")) +
                  QLatin1Char('\'')
            : QLatin1Char('"') + id + QLatin1Char('"');
    return QStringLiteral("Get-MessageTraceV2 -MessageId %1 -StartDate \"%2\" -EndDate \"%3\"")
        .arg(quoted, time.addDays(-1).toString(format), time.addDays(9).toString(format));
}

QString TraceExport::googleSearch(const TraceMessage &message)
{
    const QDate day =
        (message.time.isValid() ? message.time.toUTC() : QDateTime::currentDateTimeUtc()).date();
    return QCoreApplication::translate(
               "TraceExport",
               "Google Admin console (https://admin.google.com) > Reporting > Email log search: "
               "Message ID %1, date from %2 to %3")
        .arg(bare(message.messageId), day.addDays(-1).toString(Qt::ISODate),
             day.addDays(1).toString(Qt::ISODate));
}

QString TraceExport::traceQueryText(const TraceMessage &message)
{
    return QCoreApplication::translate("TraceExport", "Exchange Online (PowerShell):") + QLatin1Char('\n') +
           exchangeCommand(message) + QStringLiteral("\n\n") + googleSearch(message) + QLatin1Char('\n');
}

QString TraceExport::suggestedFileName()
{
    return QStringLiteral("mailroute-trace-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate));
}

} // namespace mailroute
