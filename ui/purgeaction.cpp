#include "ui/purgeaction.h"

#include "relaycore/runtime/projectpurge.h"
#include "relaycore/secrets/secretstore.h"

#include <QMessageBox>
#include <QPushButton>

namespace mailroute {

PurgeAction::PurgeAction(QString databasePath, QString spoolDirectory, std::function<bool()> relayRunning,
                         QWidget *window)
    : QAction(tr("P&urge Project Data…"), window), m_databasePath(std::move(databasePath)),
      m_spoolDirectory(std::move(spoolDirectory)), m_relayRunning(std::move(relayRunning)), m_window(window)
{
    setObjectName(QStringLiteral("purgeAction"));
    setToolTip(
        tr("End of a project: delete the logs, the queue, the keys MailRoute generated and its keychain "
           "entries"));
    connect(this, &QAction::triggered, this, &PurgeAction::confirm);
}

void PurgeAction::confirm()
{
    const Result<PurgePlan> plan = ProjectPurge::plan(m_databasePath, m_spoolDirectory);
    if (!plan) {
        QMessageBox::warning(m_window, tr("Purge Project Data"),
                             tr("Cannot read the database: %1").arg(plan.error));
        return;
    }
    if (plan->relayRunning || (m_relayRunning && m_relayRunning())) {
        auto *box =
            new QMessageBox(QMessageBox::Information, tr("Purge Project Data"),
                            tr("The relay is running on this database. Stop mail routing first (Relay ▸ Stop "
                               "Mail Routing, or stop mailroutectl serve); nothing was deleted."),
                            QMessageBox::Ok, m_window);
        box->setObjectName(QStringLiteral("purgeRefused"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    QStringList lines;
    lines << tr("%1 message log and %2 action log entries, %3 domain hold(s)")
                 .arg(plan->messageLogEntries)
                 .arg(plan->actionLogEntries)
                 .arg(plan->holds);
    lines << tr("the queue in %1 (%n message(s))", nullptr, int(plan->queuedMessages))
                 .arg(plan->spoolDirectory);
    for (const QString &f : plan->keyFiles)
        lines << tr("the key or certificate file %1").arg(f);
    lines << tr("the smart host password and the TLS key passphrase of this database in the keychain");
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Purge Project Data"),
                                tr("Delete everything MailRoute kept about this project's mail?"),
                                QMessageBox::Yes | QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("purgeConfirmation"));
    box->setInformativeText(tr("This deletes, for good:") + QStringLiteral("\n• ") +
                            lines.join(QStringLiteral("\n• ")) + QStringLiteral("\n\n") +
                            tr("Domain and user mappings, settings and pushed generations stay; delete the "
                               "database file to remove them too."));
    box->button(QMessageBox::Yes)->setText(tr("Purge"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            purge();
    });
    box->open();
}

void PurgeAction::purge()
{
    const Result<PurgePlan> plan = ProjectPurge::plan(m_databasePath, m_spoolDirectory);
    Status done = plan ? okStatus() : Status::failure(plan.error);
    if (plan && (m_relayRunning && m_relayRunning()))
        done = Status::failure(tr("the relay is running"));
    if (plan && done) {
        const std::unique_ptr<SecretStore> secrets = createSystemSecretStore(plan->databasePath);
        done = ProjectPurge::run(*plan, secrets.get());
    }
    const QString message =
        done ? tr("The project's logs, queue, generated keys and keychain entries are deleted.")
             : tr("The purge is incomplete: %1").arg(done.error);
    if (m_window) {
        auto *box = new QMessageBox(done ? QMessageBox::Information : QMessageBox::Warning,
                                    tr("Purge Project Data"), message, QMessageBox::Ok, m_window);
        box->setObjectName(QStringLiteral("purgeResult"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    emit finished(done.ok(), message);
}

} // namespace mailroute
