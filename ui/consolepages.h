// The console's page table (docs/architecture.md "Where to change what"): one
// row per page of the main window, with its key, its place in the
// navigation, its titles, its View menu shortcut and the factory that creates
// it. The key names the page everywhere (MainWindow::showPage, the
// navigation items, anything that remembers a page); a position in the table
// is never saved, so adding a page shifts no other. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"

#include <QKeyCombination>
#include <QLatin1String>
#include <QString>

#include <optional>
#include <vector>

class QTreeWidget;
class QWidget;

namespace mailroute {

class BackgroundStore;
class ConfigStore;
class MainWindow;

// The keys of the pages: stable strings, the same in every language and
// every version.
struct PageKey
{
    static constexpr QLatin1String RelayConfig{"relay.config"};
    static constexpr QLatin1String RelayLogs{"relay.logs"};
    static constexpr QLatin1String InboundConfig{"inbound.config"};
    static constexpr QLatin1String InboundLogs{"inbound.logs"};
    static constexpr QLatin1String OutboundConfig{"outbound.config"};
    static constexpr QLatin1String OutboundLogs{"outbound.logs"};
    static constexpr QLatin1String Settings{"settings"};
    static constexpr QLatin1String Queue{"queue"};
    static constexpr QLatin1String Tester{"tester"};
    static constexpr QLatin1String Readiness{"readiness"};
    static constexpr QLatin1String Waves{"waves"};
    static constexpr QLatin1String Overview{"overview"};
    static constexpr QLatin1String Trace{"trace"};
};

// What a page's factory gets from the window.
struct PageContext
{
    MainWindow *window = nullptr; // for the page's signals (push, refresh, activation)
    ConfigStore *store = nullptr; // opened, GUI thread
    BackgroundStore *background = nullptr;
    QString nameserver; // empty: the system's
    QWidget *parent = nullptr;
};

struct ConsolePage
{
    // The navigation's top level: the Overview above everything, "Mail
    // Routing" (the areas' pages, each under its area, then the Waves) and
    // "Relay service".
    enum class Group { Top, Routing, Service };

    QLatin1String key;
    Group group;
    int navOrder;             // place in its group, lowest first
    std::optional<Area> area; // a page of one area (the Mapping menu acts on the area last shown)
    bool logs;                // with area: the Logs page, else the Configuration page
    const char *navText;      // QT_TRANSLATE_NOOP("mailroute::MainWindow", …)
    const char *menuText;     // View menu, same context
    QKeyCombination shortcut; // View menu; Qt::Key_unknown: none
    QWidget *(*create)(const PageContext &context);

    QString navTitle() const;
    QString menuTitle() const;
};

// The rows in the order the pages are created and listed under View.
const std::vector<ConsolePage> &consolePages();
// The row of `key`, or nullptr.
const ConsolePage *consolePage(const QString &key);
// The Configuration or Logs page of an area.
QLatin1String areaPageKey(Area area, bool logs);
// Fills `nav` from the table: group items (enabled, not selectable) and
// one item per page carrying its key as `keyRole` data.
void fillNavigation(QTreeWidget *nav, int keyRole);

} // namespace mailroute
