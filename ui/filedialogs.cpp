#include "ui/filedialogs.h"

#include "ui/consolesettings.h"

#include <QDir>
#include <QFileDialog>
#include <QFileIconProvider>
#include <QFileInfo>
#include <QMimeDatabase>

namespace mailroute {

namespace {

// Icons and type names from the file name alone: never opens a file (the
// default provider reads the first bytes of any file whose name does not
// say its type, such as mailroute.db-wal). Directories and other kinds come
// from QFileIconProvider's icons by kind, which only stat().
class NameOnlyIconProvider final : public QFileIconProvider
{
public:
    using QFileIconProvider::icon;

    QIcon icon(const QFileInfo &info) const override
    {
        if (!info.isFile())
            return info.isDir() ? icon(Folder) : icon(File);
        const QMimeType mime = mimeType(info);
        const QIcon generic = QIcon::fromTheme(mime.genericIconName(), icon(File));
        return QIcon::fromTheme(mime.iconName(), generic);
    }

    QString type(const QFileInfo &info) const override
    {
        if (!info.isFile())
            return QFileIconProvider::type(info); // "Folder", "Drive": no MIME look-up
        const QMimeType mime = mimeType(info);
        return mime.comment().isEmpty() ? mime.name() : mime.comment();
    }

private:
    QMimeType mimeType(const QFileInfo &info) const
    {
        // Glob patterns only; application/octet-stream when none matches.
        const QList<QMimeType> byName = m_mime.mimeTypesForFileName(info.fileName());
        return byName.isEmpty() ? m_mime.mimeTypeForName(QStringLiteral("application/octet-stream"))
                                : byName.constFirst();
    }

    QMimeDatabase m_mime;
};

QFileDialog *makeDialog(QWidget *parent, const QString &objectName, const QString &title,
                        FileDialogs::Chosen chosen)
{
    auto *dialog = new QFileDialog(parent, title, FileDialogs::lastFolder());
    FileDialogs::prepare(dialog);
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

void FileDialogs::prepare(QFileDialog *dialog)
{
    // One provider for all dialogs (it has no state); GUI thread only.
    static NameOnlyIconProvider provider;
    // A native dialog would list folders with its own (content-sniffing) code.
    dialog->setOption(QFileDialog::DontUseNativeDialog);
    dialog->setIconProvider(&provider);
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
