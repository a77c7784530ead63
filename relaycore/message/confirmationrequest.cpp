#include "relaycore/message/confirmationrequest.h"

#include "relaycore/routing/settingkeys.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace mailroute {

namespace {

QString origin()
{
    // "mailroutectl" or "mailroute" (the console): who pushed.
    const QString app = QCoreApplication::instance()
                            ? QFileInfo(QCoreApplication::applicationFilePath()).fileName()
                            : QString();
    return app.isEmpty() ? QStringLiteral("MailRoute") : app;
}

QString number(qint64 n)
{
    return QLocale::c().toString(n);
}

} // namespace

bool ConfirmationRequest::wanted(const QMap<QString, QString> &settings)
{
    const QString mode = settings.value(SettingKey::relayConfirmations(), QStringLiteral("auto"));
    if (mode == QLatin1String("off"))
        return false;
    if (mode == QLatin1String("on"))
        return true;
    return !settings.value(SettingKey::relayPostmaster()).isEmpty();
}

ConfirmationRequest ConfirmationRequest::forPush(qint64 generation, qint64 domains, qint64 users,
                                                 const ConfigDiff &diff, const QDateTime &time)
{
    ConfirmationRequest r;
    r.time = time.toUTC();
    r.subject = QStringLiteral("MailRoute: configuration generation %1 is active").arg(generation);
    const QStringList lines = diff.toLines();
    QString body;
    body += QStringLiteral("Configuration generation %1 is active on this relay.\n\n").arg(generation);
    body += QStringLiteral("Pushed:    %1 by %2\n").arg(r.time.toString(Qt::ISODate), origin());
    body += QStringLiteral("Domains:   %1 domain mapping(s)\n").arg(number(domains));
    body += QStringLiteral("Users:     %1 user mapping(s)\n").arg(number(users));
    body += QStringLiteral("Changes:   %1 line(s)\n\n").arg(number(lines.size()));
    if (lines.isEmpty())
        body += QStringLiteral("Nothing changed against the previous generation.\n");
    else
        body += QStringLiteral("What changed (mailroutectl diff format):\n\n");
    for (qsizetype i = 0; i < lines.size() && i < kMaxDiffLines; ++i)
        body += QStringLiteral("  ") + lines.at(i) + QLatin1Char('\n');
    if (lines.size() > kMaxDiffLines)
        body += QStringLiteral(
                    "  ... and %1 more line(s): mailroutectl generations, or the console's action log\n")
                    .arg(number(lines.size() - kMaxDiffLines));
    body += QStringLiteral(
        "\nTo undo it: mailroutectl rollback (or Configuration > Restore an Earlier Generation).\n");
    r.body = body;
    return r;
}

ConfirmationRequest ConfirmationRequest::forUpload(Area area, qint64 rows, qint64 added, qint64 changed,
                                                   qint64 removed, const QDateTime &time)
{
    ConfirmationRequest r;
    r.time = time.toUTC();
    const QString name = areaKey(area);
    r.subject = QStringLiteral("MailRoute: %1 user list uploaded (%2 users)").arg(name, number(rows));
    QString body;
    body += QStringLiteral("The %1 user list was replaced by an upload.\n\n").arg(name);
    body += QStringLiteral("Uploaded:  %1 by %2\n").arg(r.time.toString(Qt::ISODate), origin());
    body += QStringLiteral("Area:      %1\n").arg(name);
    body += QStringLiteral("Rows:      %1\n").arg(number(rows));
    body += QStringLiteral("New:       %1\n").arg(number(added));
    body += QStringLiteral("Changed:   %1\n").arg(number(changed));
    body += QStringLiteral("Removed:   %1\n\n").arg(number(removed));
    body += QStringLiteral("The upload changed the draft: the relay uses it after the next push.\n");
    r.body = body;
    return r;
}

QString ConfirmationRequest::toJson() const
{
    const QJsonObject o{{QStringLiteral("time"), time.toMSecsSinceEpoch()},
                        {QStringLiteral("subject"), subject},
                        {QStringLiteral("body"), body}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<ConfirmationRequest> ConfirmationRequest::fromJson(const QString &key, const QString &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    if (o.isEmpty() || !o.value(QStringLiteral("subject")).isString())
        return std::nullopt;
    ConfirmationRequest r;
    r.key = key;
    r.time = QDateTime::fromMSecsSinceEpoch(o.value(QStringLiteral("time")).toInteger(), Qt::UTC);
    r.subject = o.value(QStringLiteral("subject")).toString();
    r.body = o.value(QStringLiteral("body")).toString();
    return r;
}

} // namespace mailroute
