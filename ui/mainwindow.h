// The console's main window: navigation "Mail Routing" (Relay, Inbound,
// Outbound, each with Configuration and Logs) and a status bar with the active
// generation and unpushed changes. Watches the database so edits made by
// mailroutectl show up. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"

#include <QMainWindow>

#include <array>
#include <memory>

class QLabel;
class QStackedWidget;
class QTableView;
class QTimer;
class QTreeWidget;

namespace mailroute {

class ActionLogModel;
class AreaConfigPage;
class ConfigStore;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    // The window uses `store` (opened, same thread) and does not own it.
    explicit MainWindow(ConfigStore *store, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the page for `area`: its Configuration page or its Logs page.
    void showAreaPage(Area area, bool logs);
    AreaConfigPage *configPage(Area area) const;
    QTableView *logView(Area area) const;

    // Re-reads everything from the database (also called when it changed on disk).
    void refresh();

private:
    void buildNavigation();
    void pollDatabase();
    void updateStatus();

    ConfigStore *m_store;
    QTreeWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    std::array<AreaConfigPage *, kAreaCount> m_configPages{};
    std::array<ActionLogModel *, kAreaCount> m_logModels{};
    std::array<QTableView *, kAreaCount> m_logViews{};
    QLabel *m_generationLabel = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QTimer *m_poll = nullptr;
    qint64 m_seenChange = -1;
};

} // namespace mailroute
