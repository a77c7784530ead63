// The console's main window (docs/behaviour.md "The console"): the navigation
// "Mail Routing" (Relay, Inbound, Outbound, each with Configuration and Logs)
// and "Relay service" (Settings & Activation, Queue, Address tester,
// Readiness); the status bar (relay state, sessions, queued, active generation,
// unpushed changes); push, rollback, activation; the tray icon. Watches the
// database so edits made by mailroutectl or a headless relay show up. Main
// (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/routing/result.h"
#include "ui/consolepages.h"
#include "ui/relayrunner.h"

#include <QMainWindow>
#include <QPointer>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QMessageBox;
class QStackedWidget;
class QSystemTrayIcon;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace mailroute {

class AddressTesterPage;
class AreaConfigPage;
class AreaLogsPage;
class OverviewPage;
class TracePage;
class BackgroundStore;
class ConfigStore;
class DeliveryNotices;
class DesktopNotifier;
class DraftUndo;
class MessageLogFeed;
class PushDialog;
class WavesPage;
class QueuePage;
struct RelayConfig;
class RollbackDialog;
class SettingsPage;
struct MessageLogRow;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    // The pages are named by their keys in the page table (ui/consolepages.h).
    using Page = PageKey;
    // Above this many user mappings, unpushed changes are not counted (see updatePending).
    static constexpr qint64 kExactPendingLimit = 200000;
    static constexpr qint64 kPendingUncounted = -2;

    // The window uses `store` (opened, same thread) and does not own it.
    explicit MainWindow(ConfigStore *store, RelayRunner::Options relayOptions = {},
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the page of `key` (a row of consolePages()); false, and nothing
    // changes, for a key no page has.
    bool showPage(const QString &key);
    QLatin1String currentPage() const;
    void showAreaPage(Area area, bool logs);
    AreaConfigPage *configPage(Area area) const;
    AreaLogsPage *logsPage(Area area) const;
    SettingsPage *settingsPage() const { return m_settings; }
    QueuePage *queuePage() const { return m_queue; }
    AddressTesterPage *testerPage() const { return m_tester; }
    WavesPage *wavesPage() const { return m_waves; }
    OverviewPage *overviewPage() const { return m_overview; }
    TracePage *tracePage() const { return m_trace; }
    RelayRunner *relay() const { return m_relay; }
    BackgroundStore *background() const { return m_background; }
    MessageLogFeed *logFeed() const { return m_feed; }
    // Edit ▸ Undo / Redo of the draft mappings (cleared by a push or rollback).
    DraftUndo *undo() const { return m_undo; }

    // Re-reads everything from the database (also when it changed on disk).
    void refresh(AreaConfigPage *alreadyReloaded = nullptr);
    // The push dialog (diff, lint, confirm); the rollback dialog.
    PushDialog *openPushDialog();
    RollbackDialog *openRollbackDialog();
    // Activate: the in-process relay with the active generation.
    void activateRelay();
    // Stop mail routing, after the checklist (confirm = false: at once).
    void stopRelay(bool confirm = true);
    // Unpushed changes, as last computed (-1 while computing, kPendingUncounted:
    // some, not counted).
    qint64 pendingChanges() const { return m_pending; }

signals:
    // The count of unpushed changes was computed again.
    void pendingChangesUpdated(qint64 count);
    void pushed(qint64 generation);
    // The window really closed (not hidden to the tray): the application
    // ends (main() connects it to quit).
    void windowClosed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildPages();
    void buildNavigation();
    void setCurrentPage(const ConsolePage &page);
    void buildMenus();
    void buildStatusBar();
    void buildTray();
    void pollDatabase();
    void updatePending();
    void updateRelayState();
    void onRows(const QList<MessageLogRow> &rows);
    void onPushed(qint64 generation);
    void applyActiveToRelay();
    static Result<std::shared_ptr<const RelayConfig>> activeRelayConfig(ConfigStore &store);
    void quitApplication();
    void restoreGeometryFromSettings();
    void saveGeometryToSettings();
    AreaConfigPage *currentAreaConfigPage();
    // Issue 12, what is in effect (ui/ineffect.h): leaving the Settings page
    // with unsaved edits asks first; false while the question is open, and
    // `then` runs once the edits are saved or discarded.
    bool mayLeaveSettings(std::function<void()> then);
    void startRelay(std::shared_ptr<const RelayConfig> config);

    ConfigStore *m_store;
    BackgroundStore *m_background;
    RelayRunner *m_relay;
    MessageLogFeed *m_feed;
    DraftUndo *m_undo = nullptr;
    QTreeWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    std::vector<QWidget *> m_pages; // one per row of consolePages(), in its order
    std::array<AreaConfigPage *, kAreaCount> m_configPages{};
    std::array<AreaLogsPage *, kAreaCount> m_logsPages{};
    SettingsPage *m_settings = nullptr;
    QueuePage *m_queue = nullptr;
    AddressTesterPage *m_tester = nullptr;
    QWidget *m_readiness = nullptr;
    WavesPage *m_waves = nullptr;
    OverviewPage *m_overview = nullptr;
    TracePage *m_trace = nullptr;
    Area m_currentArea = Area::Inbound;

    QLabel *m_relayLabel = nullptr;
    QLabel *m_sessionsLabel = nullptr;
    QLabel *m_queuedLabel = nullptr;
    QLabel *m_generationLabel = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer *m_poll = nullptr;
    qint64 m_seenChange = -1;
    qint64 m_actionLogId = 0;
    qint64 m_pending = -1;
    bool m_pendingBusy = false;
    bool m_pendingAgain = false;
    bool m_quitting = false;
    bool m_closeAfterStop = false;
    DesktopNotifier *m_notifier = nullptr;
    DeliveryNotices *m_notices = nullptr;
    QPointer<PushDialog> m_pushDialog;
    QString m_nameserver;                  // for the MX check before stopping; empty: the system's
    bool m_activateAfterPush = false;      // Activate asked to push first
    QPointer<QMessageBox> m_leaveQuestion; // Save / Discard / Cancel, while open
    std::optional<std::optional<qint64>> m_seenGeneration; // active generation at the last refresh
};

} // namespace mailroute
