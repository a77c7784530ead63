// Open and save dialogs for CSV files, non-blocking (QDialog::open), so the
// window keeps painting and tests can reach the dialog like a person would.
// The folder last used is remembered. Main (GUI) thread.
//
// Every file dialog of the console goes through prepare(): the widget-based
// dialog with an icon provider that never reads a file. Qt's default provider
// (and a native GTK dialog, in process) sniff each listed file's content to
// find its MIME type; opening and closing the database's files that way drops
// SQLite's POSIX locks (sqlite.org/howtocorrupt.html §2.2), and another
// process may then delete the WAL the console still writes into.
#pragma once

#include <QString>

#include <functional>

class QFileDialog;
class QWidget;

namespace mailroute {

class FileDialogs final
{
public:
    using Chosen = std::function<void(const QString &path)>;

    // objectName lets tests find the dialog; `chosen` runs once, if the user picks a file.
    static QFileDialog *openCsv(QWidget *parent, const QString &objectName, const QString &title,
                                Chosen chosen);
    static QFileDialog *saveCsv(QWidget *parent, const QString &objectName, const QString &title,
                                const QString &suggestedName, Chosen chosen);

    // The widget-based dialog with an icon provider that knows file types
    // from their names only. Call right after constructing the dialog.
    static void prepare(QFileDialog *dialog);

    static QString lastFolder();
    static void rememberFolder(const QString &filePath);
};

} // namespace mailroute
