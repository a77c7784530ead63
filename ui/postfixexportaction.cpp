#include "ui/postfixexportaction.h"

#include "relaycore/export/postfixexport.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/filedialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>

namespace mailroute {

PostfixExportAction::PostfixExportAction(BackgroundStore *background, QWidget *window)
    : QAction(tr("E&xport to Postfix…"), window), m_background(background), m_window(window)
{
    setObjectName(QStringLiteral("postfixExportAction"));
    setToolTip(
        tr("Write the active generation as Postfix lookup tables, for several relays behind the MX records"));
    connect(this, &QAction::triggered, this, &PostfixExportAction::chooseDirectory);
}

void PostfixExportAction::chooseDirectory()
{
    // Not modal-blocking: the window keeps repainting, and tests can drive it.
    auto *dialog = new QFileDialog(m_window, tr("Export to Postfix: choose a folder"),
                                   m_lastDirectory.isEmpty() ? QDir::homePath() : m_lastDirectory);
    FileDialogs::prepare(dialog);
    dialog->setObjectName(QStringLiteral("postfixExportDialog"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &PostfixExportAction::exportTo);
    dialog->open();
}

void PostfixExportAction::exportTo(const QString &directory)
{
    m_lastDirectory = directory;
    setEnabled(false);
    m_background->run(
        this,
        [directory](ConfigStore &store) { return PostfixExport::exportActiveGeneration(store, directory); },
        [this, directory](const Result<PostfixExportResult> &result) {
            setEnabled(true);
            QString text;
            QString details;
            if (result) {
                text = tr("Generation %1 exported to %2: %3 recipient and %4 sender entries.\n\n"
                          "On each Postfix relay: run postmap.sh, add main.cf.fragment to main.cf and "
                          "master.cf.fragment to master.cf, then \"postfix reload\". Export again after "
                          "every push.")
                           .arg(result->generation)
                           .arg(QDir::toNativeSeparators(directory))
                           .arg(result->recipientRules)
                           .arg(result->senderRules);
                if (!result->warnings.isEmpty())
                    text += QStringLiteral("\n\n") +
                            tr("%n warning(s): see the details.", nullptr, int(result->warnings.size()));
                // Warnings and file names come from relaycore, in English
                // (docs/architecture.md "Files, names and comments": no tr()
                // there).
                details = result->warnings.join(QLatin1Char('\n'));
            } else {
                text = tr("Nothing was exported: %1").arg(result.error);
            }
            auto *box = new QMessageBox(result ? QMessageBox::Information : QMessageBox::Warning,
                                        tr("Export to Postfix"), text, QMessageBox::Ok, m_window);
            box->setObjectName(QStringLiteral("postfixExportResult"));
            if (!details.isEmpty())
                box->setDetailedText(details);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            emit finished(result.ok(), text);
        });
}

} // namespace mailroute
