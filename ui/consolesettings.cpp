#include "ui/consolesettings.h"

#include <QSettings>

#include <memory>

namespace mailroute {

namespace {

// Explicit names: the application sets no organisation name, because that
// would move the default database (QStandardPaths::AppDataLocation) away
// from where mailroutectl looks for it.
std::unique_ptr<QSettings> open()
{
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                       QStringLiteral("MailRoute"), QStringLiteral("console"));
}

QString languageKey()
{
    return QStringLiteral("language"); // [General] in the INI file
}

} // namespace

QVariant ConsoleSettings::value(const QString &key, const QVariant &fallback)
{
    return open()->value(key, fallback);
}

void ConsoleSettings::setValue(const QString &key, const QVariant &value)
{
    open()->setValue(key, value);
}

QString ConsoleSettings::language()
{
    return value(languageKey()).toString();
}

void ConsoleSettings::setLanguage(const QString &code)
{
    if (code.isEmpty())
        open()->remove(languageKey());
    else
        setValue(languageKey(), code);
}

} // namespace mailroute
