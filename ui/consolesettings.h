// The console's own preferences (window geometry, last folder, tray choice),
// in QSettings under "MailRoute/console". Not the relay's settings, which live
// in the configuration database. Main (GUI) thread.
#pragma once

#include <QVariant>

namespace mailroute {

class ConsoleSettings final
{
public:
    static QVariant value(const QString &key, const QVariant &fallback = {});
    static void setValue(const QString &key, const QVariant &value);
};

} // namespace mailroute
