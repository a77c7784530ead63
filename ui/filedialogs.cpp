#include "ui/filedialogs.h"

#include "ui/consolesettings.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace mailroute {

namespace {

QFileDialog *makeDialog(QWidget *parent, const QString &objectName, const QString &title,
                        FileDialogs::Chosen chosen)
{
    auto *dialog = new QFileDialog(parent, title, FileDialogs::lastFolder());
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNameFilters({QFileDialog::tr("CSV files (*.csv)"), QFileDialog::tr("All files (*)")});
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                     [chosen = std::move(chosen)](const QString &path) {
                         FileDialogs::rememberFolder(path);
                         chosen(path);
                     });
    return dialog;
}

} // namespace

QFileDialog *FileDialogs::openCsv(QWidget *parent, const QString &objectName, const QString &title,
                                  Chosen chosen)
{
    QFileDialog *dialog = makeDialog(parent, objectName, title, std::move(chosen));
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->open();
    return dialog;
}

QFileDialog *FileDialogs::saveCsv(QWidget *parent, const QString &objectName, const QString &title,
                                  const QString &suggestedName, Chosen chosen)
{
    QFileDialog *dialog = makeDialog(parent, objectName, title, std::move(chosen));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->selectFile(suggestedName);
    dialog->open();
    return dialog;
}

QString FileDialogs::lastFolder()
{
    const QString folder = ConsoleSettings::value(QStringLiteral("files/lastFolder")).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void FileDialogs::rememberFolder(const QString &filePath)
{
    ConsoleSettings::setValue(QStringLiteral("files/lastFolder"), QFileInfo(filePath).absolutePath());
}

} // namespace mailroute
