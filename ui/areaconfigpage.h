// The Configuration page of one area (docs/behaviour.md "The console"): the
// domain mapping table and, for Inbound and Outbound, the user mapping table,
// each row with a check box, sortable, filterable and editable in place; and
// the action bar at the bottom with the Domains menu, the Users menu and Push.
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolButton;

namespace mailroute {

class BackgroundStore;
class ConfigStore;
class CsvImportDialog;
class DomainMappingModel;
class DraftUndo;
class EmptyStateOverlay;
class InfoBanner;
class UserMappingModel;

class AreaConfigPage final : public QWidget
{
    Q_OBJECT
public:
    AreaConfigPage(ConfigStore *store, BackgroundStore *background, Area area, QWidget *parent = nullptr);

    Area area() const { return m_area; }
    // Re-reads the tables from the store (after a change here or elsewhere).
    void reload();
    // "3 unpushed changes" next to Push; negative: unknown yet.
    void setPendingChanges(qint64 count, bool pushedOnce = true);

    QTableView *domainView() const { return m_domainView; }
    QTableView *userView() const { return m_userView; }
    DomainMappingModel *domainModel() const { return m_domainModel; }
    UserMappingModel *userModel() const { return m_userModel; }
    InfoBanner *banner() const { return m_banner; }
    QPushButton *pushButton() const { return m_pushButton; }

    // The Domains and Users menu entries (also in the window's menu bar).
    QAction *createDomainAction() const { return m_createDomain; }
    QAction *deleteDomainsAction() const { return m_deleteDomains; }
    QAction *uploadCsvAction() const { return m_uploadCsv; }
    QAction *sampleCsvAction() const { return m_sampleCsv; }
    QAction *exportUsersAction() const { return m_exportUsers; }
    QAction *createUserAction() const { return m_createUser; }
    QAction *deleteUsersAction() const { return m_deleteUsers; }

    // The upload flow for a chosen or dropped file: check, preview, confirm.
    CsvImportDialog *startImport(const QString &fileName);
    void focusFilter();
    // Records every change made here for Edit ▸ Undo (not owned; may be null).
    void setUndo(DraftUndo *undo);

signals:
    void pushRequested();
    // The draft changed here (create, delete, edit, import).
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildActions();
    QWidget *buildActionBar();
    void createDomain();
    void deleteDomains();
    void createUser();
    void deleteUsers();
    void uploadCsv();
    void downloadSample();
    void exportUsers();
    bool userExists(const QString &source) const;
    void updateCounts();
    void confirmDelete(const QString &question, const QString &objectName, std::function<void()> onYes);

    ConfigStore *m_store;
    BackgroundStore *m_background;
    Area m_area;
    DraftUndo *m_undo = nullptr;

    InfoBanner *m_banner = nullptr;
    QLabel *m_emptyHint = nullptr;
    DomainMappingModel *m_domainModel = nullptr;
    QSortFilterProxyModel *m_domainProxy = nullptr;
    QTableView *m_domainView = nullptr;
    QLineEdit *m_domainFilter = nullptr;
    QLabel *m_domainCount = nullptr;
    UserMappingModel *m_userModel = nullptr;
    QTableView *m_userView = nullptr;
    QLineEdit *m_userFilter = nullptr;
    QLabel *m_userCount = nullptr;
    QTimer *m_userFilterDelay = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QPushButton *m_pushButton = nullptr;
    QToolButton *m_domainsButton = nullptr;
    QToolButton *m_usersButton = nullptr;
    QTableView *m_lastTable = nullptr; // the table the keyboard last worked in (Ctrl+F)

    QAction *m_createDomain = nullptr;
    QAction *m_deleteDomains = nullptr;
    QAction *m_uploadCsv = nullptr;
    QAction *m_sampleCsv = nullptr;
    QAction *m_exportUsers = nullptr;
    QAction *m_createUser = nullptr;
    QAction *m_deleteUsers = nullptr;
};

} // namespace mailroute
