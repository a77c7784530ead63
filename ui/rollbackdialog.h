// "Restore an earlier generation" (rollback): the pushed generations, newest
// first; the chosen one becomes active again and replaces the draft, after a
// confirmation that says so. Runs on the store's worker thread.
// Main (GUI) thread.
#pragma once

#include "relaycore/store/configstore.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace mailroute {

class BackgroundStore;

class RollbackDialog final : public QDialog
{
    Q_OBJECT
public:
    RollbackDialog(BackgroundStore *background, const QList<GenerationInfo> &generations,
                   QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    // Asks for confirmation, then restores the selected generation.
    void restoreSelected();

signals:
    void restored(qint64 generation);

private:
    void updateButtons();

    BackgroundStore *m_background;
    QLabel *m_status;
    QTreeWidget *m_list;
    QPushButton *m_restore;
    bool m_busy = false;
};

} // namespace mailroute
