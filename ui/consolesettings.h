// The console's own preferences (window geometry, last folder, tray choice,
// language), in QSettings under "MailRoute/console". Not the relay's settings, which live
// in the configuration database. Main (GUI) thread.
#pragma once

#include <QVariant>

class QWidget;

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

    // The header state (column widths, sort column and order) of every table
    // and tree view under root whose header is visible, under
    // "headers/<object names from root to the view>". Saved when the window
    // closes, restored when it opens; a state that no longer fits the view
    // (columns added since) is ignored.
    static void saveViewHeaders(const QWidget *root);
    static void restoreViewHeaders(QWidget *root);
    static QString viewHeaderKey(const QWidget *root, const QWidget *view);
};

} // namespace mailroute
