#include "ui/consolepages.h"

#include "relaycore/store/configstore.h"
#include "ui/addresstesterpage.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/mainwindow.h"
#include "ui/overviewpage.h"
#include "ui/queuepage.h"
#include "ui/readinesspage.h"
#include "ui/settingspage.h"
#include "ui/tracepage.h"
#include "ui/wavespage.h"

#include <QCoreApplication>
#include <QTreeWidget>

#include <algorithm>
#include <map>

namespace mailroute {

namespace {

// The titles keep the main window's translation context.
constexpr char kContext[] = "mailroute::MainWindow";

QString translated(const char *text)
{
    return QCoreApplication::translate(kContext, text);
}

template <Area area> QWidget *createConfigPage(const PageContext &c)
{
    auto *page = new AreaConfigPage(c.store, c.background, area, c.parent);
    page->setUndo(c.window->undo());
    MainWindow *window = c.window;
    QObject::connect(page, &AreaConfigPage::pushRequested, window, &MainWindow::openPushDialog);
    // The page re-read its own tables already.
    QObject::connect(page, &AreaConfigPage::changed, window, [window, page] { window->refresh(page); });
    return page;
}

template <Area area> QWidget *createLogsPage(const PageContext &c)
{
    return new AreaLogsPage(area, c.parent);
}

QWidget *createSettingsPage(const PageContext &c)
{
    auto *page = new SettingsPage(c.store, c.parent);
    MainWindow *window = c.window;
    QObject::connect(page, &SettingsPage::changed, window, [window] { window->refresh(); });
    QObject::connect(page, &SettingsPage::activateRequested, window, &MainWindow::activateRelay);
    QObject::connect(page, &SettingsPage::stopRequested, window, [window] { window->stopRelay(true); });
    return page;
}

QWidget *createQueuePage(const PageContext &c)
{
    auto *page = new QueuePage(c.window->relay()->spoolDirectory(), c.parent);
    page->setDatabasePath(c.store->path());
    QObject::connect(c.window->relay(), &RelayRunner::events, page, &QueuePage::relayEvents);
    return page;
}

QWidget *createTesterPage(const PageContext &c)
{
    return new AddressTesterPage(c.background, c.parent);
}

QWidget *createReadinessPage(const PageContext &c)
{
    auto *page = new ReadinessPage(c.background, c.nameserver, c.parent);
    page->setHoldsDatabase(c.store->path());
    return page;
}

// Migration waves (issue 15): the draft's and the schedule's.
QWidget *createWavesPage(const PageContext &c)
{
    auto *page = new WavesPage(c.background, c.nameserver, c.parent);
    MainWindow *window = c.window;
    QObject::connect(page, &WavesPage::changed, window, [window] { window->refresh(); });
    QObject::connect(page, &WavesPage::pushRequested, window, &MainWindow::openPushDialog);
    return page;
}

// Issue 14: the Overview and the message trace, read in the background.
QWidget *createOverviewPage(const PageContext &c)
{
    return new OverviewPage(c.background, c.parent);
}

QWidget *createTracePage(const PageContext &c)
{
    return new TracePage(c.background, c.parent);
}

QKeyCombination ctrl(Qt::Key key)
{
    return QKeyCombination(Qt::ControlModifier, key);
}

QKeyCombination ctrlShift(Qt::Key key)
{
    return QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, key);
}

} // namespace

QString ConsolePage::navTitle() const
{
    return translated(navText);
}

QString ConsolePage::menuTitle() const
{
    return translated(menuText);
}

const std::vector<ConsolePage> &consolePages()
{
    using G = ConsolePage::Group;
    // Ctrl+1 … Ctrl+9, Ctrl+0: the first ten pages one keystroke away; the
    // later ones by their initial: Ctrl+Shift+W, O and T.
    static const std::vector<ConsolePage> pages{
        {PageKey::RelayConfig, G::Routing, 0, Area::Relay, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Configuration"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Relay Configuration"), ctrl(Qt::Key_1),
         &createConfigPage<Area::Relay>},
        {PageKey::RelayLogs, G::Routing, 1, Area::Relay, true,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Logs"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Relay Logs"), ctrl(Qt::Key_2),
         &createLogsPage<Area::Relay>},
        {PageKey::InboundConfig, G::Routing, 2, Area::Inbound, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Configuration"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Inbound Configuration"), ctrl(Qt::Key_3),
         &createConfigPage<Area::Inbound>},
        {PageKey::InboundLogs, G::Routing, 3, Area::Inbound, true,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Logs"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Inbound Logs"), ctrl(Qt::Key_4),
         &createLogsPage<Area::Inbound>},
        {PageKey::OutboundConfig, G::Routing, 4, Area::Outbound, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Configuration"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Outbound Configuration"), ctrl(Qt::Key_5),
         &createConfigPage<Area::Outbound>},
        {PageKey::OutboundLogs, G::Routing, 5, Area::Outbound, true,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Logs"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Outbound Logs"), ctrl(Qt::Key_6),
         &createLogsPage<Area::Outbound>},
        {PageKey::Settings, G::Service, 0, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Settings & Activation"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Settings && Activation"), ctrl(Qt::Key_7),
         &createSettingsPage},
        {PageKey::Queue, G::Service, 1, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Queue"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Queue"), ctrl(Qt::Key_8), &createQueuePage},
        {PageKey::Tester, G::Service, 3, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Address tester"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Address Tester"), ctrl(Qt::Key_9), &createTesterPage},
        {PageKey::Readiness, G::Service, 4, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Readiness"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Readiness"), ctrl(Qt::Key_0), &createReadinessPage},
        {PageKey::Waves, G::Routing, 6, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Waves"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Waves"), ctrlShift(Qt::Key_W), &createWavesPage},
        {PageKey::Overview, G::Top, 0, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Overview"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Overview"), ctrlShift(Qt::Key_O), &createOverviewPage},
        {PageKey::Trace, G::Service, 2, std::nullopt, false,
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Message trace"),
         QT_TRANSLATE_NOOP("mailroute::MainWindow", "Message Trace"), ctrlShift(Qt::Key_T), &createTracePage},
    };
    return pages;
}

const ConsolePage *consolePage(const QString &key)
{
    for (const ConsolePage &page : consolePages()) {
        if (key == page.key)
            return &page;
    }
    return nullptr;
}

QLatin1String areaPageKey(Area area, bool logs)
{
    for (const ConsolePage &page : consolePages()) {
        if (page.area == area && page.logs == logs)
            return page.key;
    }
    Q_UNREACHABLE();
    return {};
}

void fillNavigation(QTreeWidget *nav, int keyRole)
{
    using G = ConsolePage::Group;
    std::vector<const ConsolePage *> rows;
    for (const ConsolePage &page : consolePages())
        rows.push_back(&page);
    std::stable_sort(rows.begin(), rows.end(), [](const ConsolePage *a, const ConsolePage *b) {
        return std::make_pair(a->group, a->navOrder) < std::make_pair(b->group, b->navOrder);
    });
    QFont bold = nav->font();
    bold.setBold(true);
    auto groupItem = [nav, &bold](const char *text) {
        auto *item = new QTreeWidgetItem(nav, {translated(text)});
        item->setFlags(Qt::ItemIsEnabled);
        item->setFont(0, bold);
        return item;
    };
    std::map<G, QTreeWidgetItem *> groups;
    std::map<Area, QTreeWidgetItem *> areas;
    for (const ConsolePage *page : rows) {
        QTreeWidgetItem *item = nullptr;
        if (page->group == G::Top) {
            item = new QTreeWidgetItem(nav, {page->navTitle()});
            item->setFont(0, bold);
        } else {
            QTreeWidgetItem *&group = groups[page->group];
            if (!group)
                group = groupItem(page->group == G::Routing
                                      ? QT_TRANSLATE_NOOP("mailroute::MainWindow", "Mail Routing")
                                      : QT_TRANSLATE_NOOP("mailroute::MainWindow", "Relay service"));
            QTreeWidgetItem *parent = group;
            if (page->area) {
                QTreeWidgetItem *&areaItem = areas[*page->area];
                if (!areaItem) {
                    areaItem = new QTreeWidgetItem(group, {areaTitle(*page->area)});
                    areaItem->setFlags(Qt::ItemIsEnabled);
                }
                parent = areaItem;
            }
            item = new QTreeWidgetItem(parent, {page->navTitle()});
        }
        item->setData(0, keyRole, QString(page->key));
    }
}

} // namespace mailroute
