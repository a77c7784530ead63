#include "ui/mainwindow.h"

#include "relaycore/engine/relayconfig.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/routing/relayhostname.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/configstore.h"
#include "ui/aboutdialog.h"
#include "ui/actionlogmodel.h"
#include "ui/addresstesterpage.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/backgroundstore.h"
#include "ui/consolelanguage.h"
#include "ui/consolesettings.h"
#include "ui/desktopnotifier.h"
#include "ui/draftundo.h"
#include "ui/holdsummary.h"
#include "ui/ineffect.h"
#include "ui/infobanner.h"
#include "ui/messagelogfeed.h"
#include "ui/overviewpage.h"
#include "ui/postfixexportaction.h"
#include "ui/purgeaction.h"
#include "ui/pushdialog.h"
#include "ui/queuepage.h"
#include "ui/readinesspage.h"
#include "ui/rollbackdialog.h"
#include "ui/settingspage.h"
#include "ui/tracepage.h"
#include "ui/wavespage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSysInfo>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace mailroute {

namespace {

constexpr int kPageRole = Qt::UserRole + 1; // the navigation item's page key

// The row of a page in consolePages(), which is also its place in m_pages.
size_t row(const QString &key)
{
    const ConsolePage *page = consolePage(key);
    Q_ASSERT(page);
    return static_cast<size_t>(page - consolePages().data());
}

QIcon trayIcon(const QString &state)
{
    QIcon icon;
    icon.addFile(QStringLiteral(":/icons/tray-%1-32.png").arg(state));
    icon.addFile(QStringLiteral(":/icons/tray-%1-64.png").arg(state));
    return icon;
}

} // namespace

MainWindow::MainWindow(ConfigStore *store, RelayRunner::Options relayOptions, QWidget *parent)
    : QMainWindow(parent), m_store(store), m_background(new BackgroundStore(store->path(), this)),
      m_relay(new RelayRunner(store, relayOptions, this)), m_feed(new MessageLogFeed(this)),
      m_nameserver(relayOptions.nameserver)
{
    setWindowTitle(QStringLiteral("MailRoute"));
    setObjectName(QStringLiteral("mainWindow"));

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_nav = new QTreeWidget(splitter);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setAccessibleName(tr("Pages"));
    m_nav->setHeaderHidden(true);
    m_nav->setRootIsDecorated(false);
    m_nav->setIndentation(14);
    m_nav->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 12);
    m_stack = new QStackedWidget(splitter);
    m_stack->setObjectName(QStringLiteral("pages"));
    splitter->addWidget(m_nav);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({fontMetrics().horizontalAdvance(QLatin1Char('M')) * 14, 900});
    setCentralWidget(splitter);

    buildPages();
    buildNavigation();
    buildMenus();
    buildStatusBar();
    buildTray();
    // Notices through the tray, or the desktop's notification service without one.
    m_notifier = new DesktopNotifier(m_tray, this);
    m_notices = new DeliveryNotices(m_notifier, this);
    connect(m_relay, &RelayRunner::modeChanged, m_notices, &DeliveryNotices::relayModeChanged);

    connect(m_feed, &MessageLogFeed::rows, this, &MainWindow::onRows);
    connect(m_relay, &RelayRunner::events, m_feed, &MessageLogFeed::add);
    connect(m_relay, &RelayRunner::modeChanged, this, &MainWindow::updateRelayState);
    connect(m_relay, &RelayRunner::statusChanged, this, &MainWindow::updateRelayState);
    connect(m_relay, &RelayRunner::failed, this, [this](const QString &reason) {
        m_settings->banner()->showMessage(tr("The relay reports a problem: %1").arg(reason),
                                          InfoBanner::Kind::Error);
        m_notices->relayFailed(reason);
    });

    // What happened before the window opened: the newest log lines on disk.
    const QList<ActionLogEntry> recent = m_store->recentActionLog(std::nullopt, 2000);
    for (AreaLogsPage *page : m_logsPages) {
        QList<ActionLogEntry> mine;
        for (const ActionLogEntry &e : recent) {
            if (!e.area || *e.area == page->area())
                mine << e;
        }
        page->addActionLog(mine);
    }
    if (!recent.isEmpty())
        m_actionLogId = recent.constLast().id;
    m_feed->add(m_relay->recentLog(1000));
    m_feed->flush();

    refresh();
    // Another process (mailroutectl, a headless relay) may change the database.
    m_poll = new QTimer(this);
    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, this, &MainWindow::pollDatabase);
    m_poll->start();
    updateRelayState();

    resize(1180, 780);
    restoreGeometryFromSettings();
    const bool empty = m_store->domainMappings(Area::Relay).isEmpty() &&
                       m_store->domainMappings(Area::Inbound).isEmpty() &&
                       m_store->userCount(Area::Inbound) == 0;
    // A first start lands where the work starts; once something is
    // configured, the Overview: how the cut-over is going (issue 14).
    showPage(empty ? Page::InboundConfig : Page::Overview);
    // First start on a machine without a domain in its name: the relay's own
    // name comes before any rule (it is in every greeting and bounce).
    if (empty && !relayHostNameWarning(m_store->setting(SettingKey::relayHostname())).isEmpty())
        configPage(Area::Inbound)
            ->banner()
            ->showMessage(tr("First, the relay's name: this machine is called '%1', which has no domain, so "
                             "the relay would "
                             "call itself %2 in its greeting and in bounces. On Settings & Activation, set "
                             "relay.hostname to "
                             "the name your MX records will point at.")
                              .arg(machineHostName(), effectiveRelayHostName(QString())),
                          InfoBanner::Kind::Warning);
}

MainWindow::~MainWindow()
{
    // The relay threads stop before the pages that show them go; its last
    // signals must not reach a half-destroyed window.
    disconnect(m_relay, nullptr, this, nullptr);
    delete m_relay;
    m_relay = nullptr;
    // The pages (and their dialogs) use the store worker: they go before it.
    delete takeCentralWidget();
}

void MainWindow::buildPages()
{
    m_undo = new DraftUndo(m_store, m_background, this);
    connect(m_undo, &DraftUndo::draftChanged, this, [this](Area area) {
        configPage(area)->reload();
        refresh(configPage(area));
    });
    connect(m_undo, &DraftUndo::failed, this, [this](Area area, const QString &error) {
        configPage(area)->reload();
        configPage(area)->banner()->showMessage(
            tr("Cannot undo or redo: %1. The undo history was cleared.").arg(error), InfoBanner::Kind::Error);
        refresh(configPage(area));
    });
    // The pages of the table (ui/consolepages.h), in its order.
    const PageContext context{this, m_store, m_background, m_nameserver, m_stack};
    for (const ConsolePage &page : consolePages()) {
        m_pages.push_back(page.create(context));
        m_stack->addWidget(m_pages.back());
    }
    for (Area area : kAllAreas) {
        const auto i = static_cast<size_t>(areaIndex(area));
        m_configPages[i] = qobject_cast<AreaConfigPage *>(m_pages.at(row(areaPageKey(area, false))));
        m_logsPages[i] = qobject_cast<AreaLogsPage *>(m_pages.at(row(areaPageKey(area, true))));
    }
    m_settings = qobject_cast<SettingsPage *>(m_pages.at(row(Page::Settings)));
    m_queue = qobject_cast<QueuePage *>(m_pages.at(row(Page::Queue)));
    m_tester = qobject_cast<AddressTesterPage *>(m_pages.at(row(Page::Tester)));
    m_readiness = m_pages.at(row(Page::Readiness));
    m_waves = qobject_cast<WavesPage *>(m_pages.at(row(Page::Waves)));
    m_overview = qobject_cast<OverviewPage *>(m_pages.at(row(Page::Overview)));
    m_trace = qobject_cast<TracePage *>(m_pages.at(row(Page::Trace)));
}

void MainWindow::buildNavigation()
{
    fillNavigation(m_nav, kPageRole);
    m_nav->expandAll();
    // Wide enough for "Settings & Activation" in any language, no eliding.
    m_nav->resizeColumnToContents(0);
    m_nav->setMinimumWidth(m_nav->columnWidth(0) + m_nav->frameWidth() * 2 +
                           fontMetrics().horizontalAdvance(QLatin1Char('M')));
    if (auto *splitter = qobject_cast<QSplitter *>(m_nav->parentWidget()))
        splitter->setSizes({m_nav->minimumWidth(), width() - m_nav->minimumWidth()});
    connect(m_nav, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item, QTreeWidgetItem *previous) {
                if (!item || !item->data(0, kPageRole).isValid())
                    return;
                const QString key = item->data(0, kPageRole).toString();
                const ConsolePage *page = consolePage(key);
                if (!page)
                    return;
                if (key != Page::Settings && !mayLeaveSettings([this, key] { showPage(key); })) {
                    const QSignalBlocker block(m_nav);
                    m_nav->setCurrentItem(previous);
                    return;
                }
                setCurrentPage(*page);
            });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(new PurgeAction(
        m_store->path(), m_relay->spoolDirectory(), [this] { return m_relay->isInProcess(); }, this));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &MainWindow::quitApplication);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);

    // Undo/redo of the draft mappings; a push ends the history.
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    edit->addAction(m_undo->undoAction());
    edit->addAction(m_undo->redoAction());
    edit->addSeparator();
    QAction *scope = edit->addAction(tr("Undo history: draft mappings since the last push"));
    scope->setEnabled(false);

    // The mapping actions act on the area last shown.
    QMenu *mappings = menuBar()->addMenu(tr("&Mappings"));
    auto forward = [this, mappings](const QString &text, const QKeySequence &key,
                                    QAction *(AreaConfigPage::*which)() const) {
        QAction *action = mappings->addAction(text);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, [this, which] {
            AreaConfigPage *page = currentAreaConfigPage();
            QAction *target = (page->*which)();
            if (!target) // Relay has no user list
                target = (configPage(Area::Inbound)->*which)();
            if (target)
                target->trigger();
        });
        return action;
    };
    forward(tr("Create &Domain Mapping…"), QKeySequence::New, &AreaConfigPage::createDomainAction);
    forward(tr("Create Use&r Mapping…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
            &AreaConfigPage::createUserAction);
    mappings->addSeparator();
    forward(tr("&Upload CSV…"), QKeySequence(Qt::CTRL | Qt::Key_U), &AreaConfigPage::uploadCsvAction);
    forward(tr("&Export UserList…"), QKeySequence(Qt::CTRL | Qt::Key_E), &AreaConfigPage::exportUsersAction);
    forward(tr("Download &sample CSV…"), {}, &AreaConfigPage::sampleCsvAction);
    mappings->addSeparator();
    QAction *find = mappings->addAction(tr("&Find"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        if (auto *page = qobject_cast<AreaConfigPage *>(m_stack->currentWidget()))
            page->focusFilter();
        else if (auto *logs = qobject_cast<AreaLogsPage *>(m_stack->currentWidget()))
            logs->focusFilter();
    });

    QMenu *config = menuBar()->addMenu(tr("&Configuration"));
    QAction *push = config->addAction(tr("&Push…"), this, &MainWindow::openPushDialog);
    push->setObjectName(QStringLiteral("pushAction"));
    push->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    QAction *rollback =
        config->addAction(tr("&Restore an Earlier Generation…"), this, &MainWindow::openRollbackDialog);
    rollback->setObjectName(QStringLiteral("rollbackAction"));
    config->addAction(new PostfixExportAction(m_background, this));
    config->addSeparator();
    QAction *reload = config->addAction(tr("Re&load"), this, [this] { refresh(); });
    reload->setShortcut(QKeySequence::Refresh);

    QMenu *relay = menuBar()->addMenu(tr("&Relay"));
    QAction *activate = relay->addAction(tr("&Activate"), this, &MainWindow::activateRelay);
    activate->setObjectName(QStringLiteral("activateAction"));
    QAction *stop = relay->addAction(tr("&Stop Mail Routing…"), this, [this] { stopRelay(true); });
    stop->setObjectName(QStringLiteral("stopAction"));
    connect(relay, &QMenu::aboutToShow, this, [this, activate, stop] {
        activate->setEnabled(m_relay->mode() == RelayRunner::Mode::Stopped);
        stop->setEnabled(m_relay->isInProcess());
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (const ConsolePage &page : consolePages()) {
        QAction *action = view->addAction(page.menuTitle());
        if (page.shortcut.key() != Qt::Key_unknown)
            action->setShortcut(QKeySequence(page.shortcut));
        connect(action, &QAction::triggered, this, [this, key = page.key] { showPage(key); });
    }
    view->addSeparator();
    view->addMenu(ConsoleLanguage::createMenu(this));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MailRoute"), this, [this] {
        auto *about = new AboutDialog(this);
        about->setAttribute(Qt::WA_DeleteOnClose);
        about->open();
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::buildStatusBar()
{
    auto make = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setContentsMargins(6, 0, 6, 0);
        return label;
    };
    m_relayLabel = make(QStringLiteral("relayStateLabel"));
    m_sessionsLabel = make(QStringLiteral("sessionsLabel"));
    m_queuedLabel = make(QStringLiteral("queuedLabel"));
    m_generationLabel = make(QStringLiteral("generationLabel"));
    m_pendingLabel = make(QStringLiteral("pendingLabel"));
    m_generationLabel->setToolTip(tr("Database: %1").arg(m_store->path()));
    statusBar()->addWidget(m_relayLabel);
    statusBar()->addWidget(m_sessionsLabel);
    statusBar()->addWidget(m_queuedLabel);
    statusBar()->addPermanentWidget(m_generationLabel);
    statusBar()->addPermanentWidget(m_pendingLabel);
}

void MainWindow::buildTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(trayIcon(QStringLiteral("stopped")), this);
    m_tray->setObjectName(QStringLiteral("trayIcon"));
    auto *menu = new QMenu(this);
    menu->addAction(tr("&Show MailRoute"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addSeparator();
    QAction *activate = menu->addAction(tr("&Activate"), this, &MainWindow::activateRelay);
    QAction *stop = menu->addAction(tr("S&top Mail Routing…"), this, [this] {
        showNormal();
        stopRelay(true);
    });
    connect(menu, &QMenu::aboutToShow, this, [this, activate, stop] {
        activate->setEnabled(m_relay->mode() == RelayRunner::Mode::Stopped);
        stop->setEnabled(m_relay->isInProcess());
    });
    menu->addSeparator();
    menu->addAction(tr("&Quit"), this, &MainWindow::quitApplication);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
            showNormal();
            raise();
            activateWindow();
        }
    });
    m_tray->show();
}

bool MainWindow::showPage(const QString &key)
{
    const ConsolePage *page = consolePage(key);
    if (!page)
        return false;
    if (key != Page::Settings && !mayLeaveSettings([this, key] { showPage(key); }))
        return true;
    QTreeWidgetItemIterator it(m_nav);
    for (; *it; ++it) {
        if ((*it)->data(0, kPageRole).toString() == key) {
            m_nav->setCurrentItem(*it);
            break;
        }
    }
    setCurrentPage(*page);
    return true;
}

void MainWindow::setCurrentPage(const ConsolePage &page)
{
    m_stack->setCurrentWidget(m_pages.at(row(page.key)));
    if (page.area)
        m_currentArea = *page.area;
}

bool MainWindow::mayLeaveSettings(std::function<void()> then)
{
    if (m_stack->currentWidget() != m_settings || !m_settings->hasUnsavedChanges())
        return true;
    if (m_leaveQuestion && m_leaveQuestion->isVisible()) {
        m_leaveQuestion->raise();
        return false;
    }
    m_leaveQuestion = InEffect::askLeaveSettings(
        this, m_settings->unsavedKeys(), [this, then = std::move(then)](InEffect::Leave leave) {
            if (leave == InEffect::Leave::Cancel)
                return;
            if (leave == InEffect::Leave::Save && !m_settings->save())
                return; // not valid: the page's banner says why, and it stays
            if (leave == InEffect::Leave::Discard)
                m_settings->discardChanges();
            then();
        });
    return false;
}

QLatin1String MainWindow::currentPage() const
{
    const auto at = std::find(m_pages.cbegin(), m_pages.cend(), m_stack->currentWidget());
    return at == m_pages.cend() ? QLatin1String() : consolePages().at(size_t(at - m_pages.cbegin())).key;
}

void MainWindow::showAreaPage(Area area, bool logs)
{
    showPage(areaPageKey(area, logs));
}

AreaConfigPage *MainWindow::configPage(Area area) const
{
    return m_configPages[static_cast<size_t>(areaIndex(area))];
}

AreaLogsPage *MainWindow::logsPage(Area area) const
{
    return m_logsPages[static_cast<size_t>(areaIndex(area))];
}

AreaConfigPage *MainWindow::currentAreaConfigPage()
{
    const QLatin1String key = areaPageKey(m_currentArea, false);
    if (currentPage() != key)
        showPage(key);
    return configPage(m_currentArea);
}

void MainWindow::refresh(AreaConfigPage *alreadyReloaded)
{
    m_seenChange = m_store->changeCounter();
    for (AreaConfigPage *page : m_configPages) {
        if (page != alreadyReloaded)
            page->reload();
    }
    m_settings->reload();
    m_tester->invalidate();
    for (;;) {
        const QList<ActionLogEntry> entries = m_store->actionLog(std::nullopt, m_actionLogId, 5000);
        if (entries.isEmpty())
            break;
        m_actionLogId = entries.constLast().id;
        // Lines of no area (settings, routes) concern every area.
        for (AreaLogsPage *page : m_logsPages) {
            QList<ActionLogEntry> mine;
            for (const ActionLogEntry &e : entries) {
                if (!e.area || *e.area == page->area())
                    mine << e;
            }
            page->addActionLog(mine);
        }
        if (entries.size() < 5000)
            break;
    }
    const auto active = m_store->activeGeneration();
    m_generationLabel->setText(active ? tr("Generation %1").arg(*active) : tr("Nothing pushed yet"));
    // A push or rollback, from here or by another process (mailroutectl push,
    // another console): the "push to apply" notes are out of date.
    if (m_seenGeneration && *m_seenGeneration != active) {
        for (InfoBanner *banner : {configPage(Area::Relay)->banner(), configPage(Area::Inbound)->banner(),
                                   configPage(Area::Outbound)->banner(), m_settings->banner()}) {
            if (banner->kind() == InfoBanner::Kind::Success || banner->kind() == InfoBanner::Kind::Info)
                banner->hide();
        }
        if (active)
            statusBar()->showMessage(tr("Generation %1 is now active.").arg(*active), 8000);
    }
    m_seenGeneration = active;
    m_undo->setActiveGeneration(active); // a push or rollback elsewhere ends the undo history too
    updatePending();
}

void MainWindow::pollDatabase()
{
    // While the worker writes (an import, a push) the GUI thread stays off
    // the database: a read then can wait on SQLite's locks for a while. The
    // task's own completion refreshes the window.
    if (m_background->isBusy())
        return;
    if (m_store->changeCounter() != m_seenChange)
        refresh();
}

void MainWindow::updatePending()
{
    // The diff of a million-user draft takes a while: on the worker, one at a
    // time, and once more if something changed meanwhile.
    if (m_pendingBusy) {
        m_pendingAgain = true;
        return;
    }
    m_pendingBusy = true;
    m_background->run(
        this,
        [](ConfigStore &store) -> qint64 {
            const qint64 users = store.userCount(Area::Inbound) + store.userCount(Area::Outbound);
            if (users > kExactPendingLimit) {
                // An exact count holds the draft and the active generation in
                // memory at once (hundreds of MB for a million users). Whether
                // anything waits is read from the action log instead: an edit
                // logged after the last push or rollback.
                if (!store.activeGeneration())
                    return kPendingUncounted;
                const QList<ActionLogEntry> recent = store.recentActionLog(std::nullopt, 500);
                for (auto it = recent.crbegin(); it != recent.crend(); ++it) {
                    const QString &m = it->message;
                    if (m.startsWith(QLatin1String("Configuration generation")) ||
                        m.startsWith(QLatin1String("Configuration rolled back")) ||
                        m.startsWith(QLatin1String("Update configuration request")))
                        return it == recent.crbegin() ? 0 : kPendingUncounted;
                }
                return kPendingUncounted;
            }
            const ConfigDiff diff = store.pendingDiff();
            qint64 n = diff.settings.size() + diff.routesAdded.size() + diff.routesRemoved.size() +
                       diff.routesChanged.size() + diff.wavesAdded.size() + diff.wavesRemoved.size() +
                       diff.wavesChanged.size();
            for (const AreaDiff &a : diff.areas)
                n += a.domainsAdded.size() + a.domainsRemoved.size() + a.domainsChanged.size() +
                     a.usersAdded.size() + a.usersRemoved.size() + a.usersChanged.size();
            return n;
        },
        [this](qint64 n) {
            m_pendingBusy = false;
            if (m_pendingAgain) {
                m_pendingAgain = false;
                updatePending();
                return;
            }
            m_pending = n;
            const bool pushedOnce = m_store->activeGeneration().has_value();
            m_pendingLabel->setText(n == kPendingUncounted ? tr("Unpushed changes")
                                    : n > 0      ? tr("%1 unpushed change(s)").arg(QLocale().toString(n))
                                    : pushedOnce ? tr("Everything pushed")
                                                 : tr("Nothing to push yet"));
            QFont f = m_pendingLabel->font();
            f.setBold(n != 0);
            m_pendingLabel->setFont(f);
            for (AreaConfigPage *page : m_configPages)
                page->setPendingChanges(n, pushedOnce);
            emit pendingChangesUpdated(n);
        });
}

void MainWindow::updateRelayState()
{
    const RelayStatus status = m_relay->status();
    const RelayRunner::Mode mode = m_relay->mode();
    QString state;
    QString trayState = QStringLiteral("stopped");
    switch (mode) {
    case RelayRunner::Mode::Stopped:
        state = status.error.isEmpty() ? tr("Relay: stopped") : tr("Relay: stopped (%1)").arg(status.error);
        if (!status.error.isEmpty())
            trayState = QStringLiteral("error");
        break;
    case RelayRunner::Mode::Starting: state = tr("Relay: starting…"); break;
    case RelayRunner::Mode::Running:
        state = tr("Relay: listening on %1").arg(status.listenAddress);
        trayState = QStringLiteral("active");
        break;
    case RelayRunner::Mode::Stopping: state = tr("Relay: stopping…"); break;
    case RelayRunner::Mode::Headless:
        state = tr("Relay: mailroutectl serve (headless) on this database");
        trayState = QStringLiteral("headless");
        break;
    }
    m_relayLabel->setText(state);
    const bool running = mode == RelayRunner::Mode::Running;
    m_sessionsLabel->setText(running ? tr("Sessions: %1").arg(status.sessions) : tr("Sessions: –"));
    m_queuedLabel->setText(running || mode == RelayRunner::Mode::Headless
                               ? tr("Queued: %1").arg(status.queued)
                               : tr("Queued: –"));
    m_settings->setRelayState(mode, status, m_relay->spoolDirectory());
    if (m_tray) {
        m_tray->setIcon(trayIcon(trayState));
        m_tray->setToolTip(QStringLiteral("MailRoute — ") + state);
    }
    if (mode == RelayRunner::Mode::Stopped && m_closeAfterStop) {
        m_closeAfterStop = false;
        QTimer::singleShot(0, this, &QWidget::close);
    }
}

void MainWindow::onRows(const QList<MessageLogRow> &rows)
{
    for (AreaLogsPage *page : m_logsPages)
        page->addRows(rows);
    // At most one notice of bounced or deferred mail per ten seconds.
    m_notices->addRows(rows);
}

PushDialog *MainWindow::openPushDialog()
{
    if (m_pushDialog) {
        m_pushDialog->raise();
        return m_pushDialog;
    }
    // A push sends the draft: typed but unsaved settings would not go with
    // it while the window said "Everything pushed". Save first, or nothing.
    if (m_settings->hasUnsavedChanges()) {
        InEffect::askSaveBeforePush(
            this, m_settings->unsavedKeys(),
            [this] {
                if (m_settings->save()) {
                    openPushDialog();
                } else {
                    m_activateAfterPush = false;
                    showPage(Page::Settings); // the banner says which field is not valid
                }
            },
            [this] { m_activateAfterPush = false; });
        return nullptr;
    }
    auto *dialog = new PushDialog(m_background, this);
    dialog->setUndo(m_undo);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PushDialog::pushed, this, &MainWindow::onPushed);
    connect(dialog, &QDialog::rejected, this, [this] { m_activateAfterPush = false; });
    m_pushDialog = dialog;
    dialog->open();
    dialog->start();
    return dialog;
}

void MainWindow::onPushed(qint64 generation)
{
    m_undo->clear(); // the history covers the draft only
    refresh();
    statusBar()->showMessage(tr("Generation %1 is active.").arg(generation), 8000);
    for (AreaConfigPage *page : m_configPages)
        page->banner()->hide();
    if (m_tray)
        m_tray->showMessage(tr("Push done"), tr("Configuration generation %1 is active.").arg(generation),
                            QSystemTrayIcon::Information, 5000);
    applyActiveToRelay();
    emit pushed(generation);
    if (m_activateAfterPush) { // Activate asked to push first
        m_activateAfterPush = false;
        QTimer::singleShot(0, this, &MainWindow::activateRelay);
    }
}

// The relay's configuration from the active (pushed) generation; on the
// BackgroundStore's thread.
Result<std::shared_ptr<const RelayConfig>> MainWindow::activeRelayConfig(ConfigStore &store)
{
    const auto active = store.activeGeneration();
    if (!active)
        return Result<std::shared_ptr<const RelayConfig>>::failure(tr("nothing has been pushed"));
    const Result<ConfigData> config = store.generationConfig(*active);
    if (!config)
        return Result<std::shared_ptr<const RelayConfig>>::failure(config.error);
    return RelayConfig::build(*config, *active);
}

void MainWindow::applyActiveToRelay()
{
    // Nothing to do here any more: the relay, in this window or headless,
    // follows the database itself (GenerationFollower), so a push made here,
    // by mailroutectl or by another console reaches it the same way; a
    // generation it cannot use comes back as RelayRunner::failed.
}

RollbackDialog *MainWindow::openRollbackDialog()
{
    auto *dialog = new RollbackDialog(m_background, m_store->generations(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RollbackDialog::restored, this, [this](qint64 generation) {
        m_undo->clear(); // the draft was replaced
        refresh();
        statusBar()->showMessage(tr("Generation %1 is active again.").arg(generation), 8000);
        applyActiveToRelay();
    });
    dialog->open();
    return dialog;
}

void MainWindow::activateRelay()
{
    if (m_relay->mode() == RelayRunner::Mode::Headless) {
        m_settings->banner()->showMessage(
            tr("A headless relay (mailroutectl serve) already runs on this database and "
               "uses every push. Stop it first to run the relay here."),
            InfoBanner::Kind::Warning);
        return;
    }
    if (m_relay->mode() != RelayRunner::Mode::Stopped)
        return;
    if (!m_store->activeGeneration()) {
        showPage(Page::Settings);
        m_settings->banner()->showMessage(
            tr("Nothing has been pushed yet: the relay runs the active generation. "
               "Create your mappings, click Push, then Activate."),
            InfoBanner::Kind::Warning);
        return;
    }
    // The relay runs the active generation: when the listener's settings in
    // the draft (or on the page) differ from it, ask to push first rather than
    // bind the old address while the field shows the new one.
    m_background->run(this, &InEffect::planActivation, [this](const ActivationPlan &plan) {
        if (!plan.config) {
            m_settings->banner()->showMessage(tr("The relay cannot start: %1").arg(plan.config.error),
                                              InfoBanner::Kind::Error);
            return;
        }
        if (m_relay->mode() != RelayRunner::Mode::Stopped)
            return;
        QStringList unsaved;
        for (const QString &key : m_settings->unsavedKeys()) {
            if (InEffect::affectsListener(key))
                unsaved << key;
        }
        if (plan.listenerChanges.isEmpty() && unsaved.isEmpty()) {
            startRelay(*plan.config);
            return;
        }
        InEffect::askPushBeforeActivate(
            this, plan, unsaved,
            [this] {
                m_activateAfterPush = true;
                openPushDialog();
            },
            [this, config = *plan.config] { startRelay(config); });
    });
}

void MainWindow::startRelay(std::shared_ptr<const RelayConfig> config)
{
    if (m_relay->mode() != RelayRunner::Mode::Stopped)
        return;
    const QString refused = m_relay->start(std::move(config));
    if (!refused.isEmpty())
        m_settings->banner()->showMessage(refused, InfoBanner::Kind::Error);
    else if (m_settings->hasUnsavedChanges())
        m_settings->banner()->showMessage(
            tr("Unsaved settings are not used: the relay runs the pushed generation."),
            InfoBanner::Kind::Info);
    else
        m_settings->banner()->hide();
}

void MainWindow::stopRelay(bool confirm)
{
    if (!m_relay->isInProcess())
        return;
    if (!confirm) {
        m_relay->stop();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Stop mail routing"), tr("Stop mail routing?"),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("stopRelayDialog"));
    const QString holds = holdChecklistLine(m_store->path()); // issue 11: held domains stay held
    const QString checklist = tr("Before you stop the relay:\n"
                                 "• Inbound: point the MX records at the new mail system first, and wait out "
                                 "their TTL, or mail for "
                                 "those domains is refused or delayed.\n"
                                 "• Outbound: turn off the connectors (Google Workspace outbound gateway, "
                                 "Office 365 connector) that "
                                 "send through this relay.\n\n"
                                 "Open sessions are told to come back later (421 4.3.2); queued messages "
                                 "stay in the spool and go out "
                                 "when the relay runs again.") +
                              (holds.isEmpty() ? QString() : QStringLiteral("\n") + holds);
    // docs/behaviour.md "Activation": warn when MX records still point here.
    // Looked up while the admin reads the checklist; the answer is added to it.
    QStringList domains;
    for (Area area : {Area::Inbound, Area::Relay}) {
        const QList<DomainMapping> mappings = m_store->domainMappings(area);
        for (const DomainMapping &m : mappings) {
            if (!domains.contains(m.source))
                domains << m.source;
        }
    }
    if (domains.isEmpty()) {
        box->setInformativeText(checklist);
    } else {
        box->setInformativeText(checklist + QStringLiteral("\n\n") +
                                tr("Checking the MX records of your Inbound and Relay domains…"));
        // The Readiness page's DNS check, MX only: by the relay's name or address.
        auto *check = new DnsReadinessCheck(box);
        connect(
            check, &DnsReadinessCheck::finished, box,
            [box, checklist](const QList<DomainReadiness> &results) {
                QStringList names;
                QStringList failed;
                for (const DomainReadiness &d : results) {
                    if (d.mx.outcome == DnsAnswer::Outcome::Failure)
                        failed << d.domain;
                    else if (const qsizetype at = d.mxPointsHere.indexOf(true); at >= 0)
                        names << tr("%1 (MX %2)").arg(d.domain, d.mx.values.at(at));
                }
                QString result;
                if (!names.isEmpty()) {
                    result = tr("Warning: the MX records of %1 still point to this relay. Mail for them is "
                                "refused or delayed while routing is stopped.")
                                 .arg(names.join(QStringLiteral(", ")));
                    box->setIcon(QMessageBox::Critical);
                } else {
                    result =
                        tr("No MX record of your Inbound and Relay domains points to this relay any more.");
                }
                if (!failed.isEmpty())
                    result +=
                        QLatin1Char(' ') + tr("No answer for: %1.").arg(failed.join(QStringLiteral(", ")));
                box->setInformativeText(checklist + QStringLiteral("\n\n") + result);
            });
        DnsReadinessCheck::Options options;
        for (const QString &domain : std::as_const(domains))
            options.domains.append(DomainCheck{domain, true, false});
        options.relay.hostname = effectiveRelayHostName(m_store->setting(SettingKey::relayHostname()));
        options.nameserver = m_nameserver;
        check->start(options);
    }
    box->button(QMessageBox::Yes)->setText(tr("Stop Mail Routing"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            m_relay->stop();
    });
    box->open();
}

void MainWindow::quitApplication()
{
    m_quitting = true;
    // From the tray while hidden: the question about the running relay needs a window.
    if (!isVisible() && m_relay->isInProcess())
        showNormal();
    close();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Unsaved settings first: Save / Discard / Cancel, then close again.
    if (m_settings && m_settings->hasUnsavedChanges()) {
        event->ignore();
        if (m_leaveQuestion && m_leaveQuestion->isVisible()) {
            m_leaveQuestion->raise();
            return;
        }
        showPage(Page::Settings);
        m_leaveQuestion =
            InEffect::askLeaveSettings(this, m_settings->unsavedKeys(), [this](InEffect::Leave leave) {
                if (leave == InEffect::Leave::Cancel ||
                    (leave == InEffect::Leave::Save && !m_settings->save())) {
                    m_quitting = false;
                    return;
                }
                if (leave == InEffect::Leave::Discard)
                    m_settings->discardChanges();
                QTimer::singleShot(0, this, &QWidget::close);
            });
        return;
    }
    if (m_relay && m_relay->isInProcess()) {
        event->ignore();
        if (m_relay->mode() == RelayRunner::Mode::Stopping) {
            m_closeAfterStop = true;
            return;
        }
        // The relay lives in this process: closing must not end mail routing by surprise.
        const bool tray = m_tray && !m_quitting;
        auto *box = new QMessageBox(QMessageBox::Question, tr("The relay is running"),
                                    tray ? tr("Mail routing is active. Keep it running in the system tray?")
                                         : tr("Mail routing is active. Stop it and quit?"),
                                    QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("closeWhileRunningDialog"));
        box->setInformativeText(
            tr("Stopping tells open sessions to come back later; queued messages stay in the "
               "spool."));
        QPushButton *keep =
            tray ? box->addButton(tr("Keep Running in Tray"), QMessageBox::AcceptRole) : nullptr;
        QPushButton *stop = box->addButton(tr("Stop and Quit"), QMessageBox::DestructiveRole);
        box->addButton(QMessageBox::Cancel);
        if (keep)
            box->setDefaultButton(keep);
        else
            box->setDefaultButton(QMessageBox::Cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, keep, stop](int) {
            if (keep && box->clickedButton() == keep) {
                saveGeometryToSettings();
                hide();
                m_tray->showMessage(
                    tr("MailRoute keeps routing mail"),
                    tr("The relay runs in the background. Use the tray icon to open the console or "
                       "to quit."),
                    QSystemTrayIcon::Information, 5000);
            } else if (box->clickedButton() == stop) {
                m_quitting = true;
                m_closeAfterStop = true;
                m_relay->stop();
            } else {
                m_quitting = false;
            }
        });
        box->open();
        return;
    }
    saveGeometryToSettings();
    event->accept();
    m_quitting = false;
    emit windowClosed();
}

void MainWindow::restoreGeometryFromSettings()
{
    const QByteArray geometry = ConsoleSettings::value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = ConsoleSettings::value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter"))) {
        const QByteArray sizes = ConsoleSettings::value(QStringLiteral("window/splitter")).toByteArray();
        if (!sizes.isEmpty())
            splitter->restoreState(sizes);
    }
    ConsoleSettings::restoreViewHeaders(this); // issue 12: column widths and sort order
}

void MainWindow::saveGeometryToSettings()
{
    ConsoleSettings::setValue(QStringLiteral("window/geometry"), saveGeometry());
    ConsoleSettings::setValue(QStringLiteral("window/state"), saveState());
    if (auto *splitter = findChild<QSplitter *>(QStringLiteral("mainSplitter")))
        ConsoleSettings::setValue(QStringLiteral("window/splitter"), splitter->saveState());
    ConsoleSettings::saveViewHeaders(this); // issue 12: column widths and sort order
}

} // namespace mailroute
