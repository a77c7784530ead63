#include "ui/displaytime.h"

namespace mailroute::DisplayTime {

QString timeFormat(const QLocale &locale)
{
    // The locale's short time ("h:mm AP", "HH:mm") with seconds after the minutes.
    QString f = locale.timeFormat(QLocale::ShortFormat);
    if (!f.contains(QLatin1Char('s'))) {
        const qsizetype minutes = f.indexOf(QLatin1String("mm"));
        if (minutes >= 0)
            f.insert(minutes + 2, QLatin1String(":ss"));
        else
            f = QStringLiteral("HH:mm:ss");
    }
    return f;
}

QString dateTimeFormat(const QLocale &locale)
{
    // The locale's short date with the whole year: "yy" is ambiguous in a log kept for years.
    QString d = locale.dateFormat(QLocale::ShortFormat);
    if (!d.contains(QLatin1String("yyyy")))
        d.replace(QLatin1String("yy"), QLatin1String("yyyy"));
    return d + QLatin1Char(' ') + timeFormat(locale);
}

QString dateTime(const QDateTime &time, const QLocale &locale)
{
    return time.isValid() ? locale.toString(time.toLocalTime(), dateTimeFormat(locale)) : QString();
}

QString timeOfDay(const QDateTime &time, const QLocale &locale)
{
    return time.isValid() ? locale.toString(time.toLocalTime().time(), timeFormat(locale)) : QString();
}

} // namespace mailroute::DisplayTime
