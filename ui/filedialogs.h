// Open and save dialogs for CSV files, non-blocking (QDialog::open), so the
// window keeps painting and tests can reach the dialog like a person would.
// The folder last used is remembered. Main (GUI) thread.
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

    static QString lastFolder();
    static void rememberFolder(const QString &filePath);
};

} // namespace mailroute
