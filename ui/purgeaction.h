// File ▸ Purge Project Data… (issue 11): the console's `mailroutectl purge
// --all --yes`. Shows what would be deleted (relaycore/runtime/projectpurge)
// in a confirmation dialog, refuses while a relay runs on the database, and
// then deletes it. Lives on the GUI thread.
#pragma once

#include <QAction>
#include <QPointer>
#include <QString>

#include <functional>

class QWidget;

namespace mailroute {

class PurgeAction final : public QAction
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PurgeAction)

public:
    // `relayRunning` says whether the console's own relay runs (the spool
    // lock tells about a headless one).
    PurgeAction(QString databasePath, QString spoolDirectory, std::function<bool()> relayRunning,
                QWidget *window);

    // Shows the confirmation (object name "purgeConfirmation"); Yes purges.
    void confirm();
    // Purges without asking; the outcome goes to finished().
    void purge();

signals:
    void finished(bool ok, const QString &message);

private:
    QString m_databasePath;
    QString m_spoolDirectory;
    std::function<bool()> m_relayRunning;
    QPointer<QWidget> m_window;
};

} // namespace mailroute
