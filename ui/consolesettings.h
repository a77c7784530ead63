// The console's own preferences (window geometry, last folder, tray choice,
// language), in QSettings under "MailRoute/console". Not the relay's settings, which live
// in the configuration database. Main (GUI) thread.
#pragma once

#include <QVariant>

namespace mailroute {

class ConsoleSettings final
{
public:
    static QVariant value(const QString &key, const QVariant &fallback = {});
    static void setValue(const QString &key, const QVariant &value);

    // The language chosen under View ▸ Language: "en", "fr", "de", or empty
    // for the system's language. Takes effect at the next start.
    static QString language();
    static void setLanguage(const QString &code);
};

} // namespace mailroute
