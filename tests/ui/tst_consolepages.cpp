// The console's page table (ui/consolepages.h): its keys are unique and
// stable, every page is reachable by its key, its navigation item and its
// View menu shortcut, the navigation and the View menu list the pages in the
// order they always had, and a key no page has changes nothing.
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/consolepages.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QMenuBar>
#include <QSet>
#include <QStackedWidget>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// The navigation as a person reads it: one line per item, indented by depth.
QStringList navigationLines(QTreeWidget *nav)
{
    QStringList lines;
    QTreeWidgetItemIterator it(nav);
    for (; *it; ++it) {
        int depth = 0;
        for (QTreeWidgetItem *p = (*it)->parent(); p; p = p->parent())
            ++depth;
        lines << QString(depth * 2, u' ') + (*it)->text(0);
    }
    return lines;
}

QTreeWidgetItem *navItemOf(QTreeWidget *nav, const ConsolePage &page)
{
    QString parent;
    if (page.area)
        parent = areaTitle(*page.area);
    else if (page.group == ConsolePage::Group::Routing)
        parent = u"Mail Routing"_s;
    else if (page.group == ConsolePage::Group::Service)
        parent = u"Relay service"_s;
    QTreeWidgetItemIterator it(nav);
    for (; *it; ++it) {
        const QTreeWidgetItem *p = (*it)->parent();
        if ((*it)->text(0) == page.navTitle() && (p ? p->text(0) : QString()) == parent)
            return *it;
    }
    return nullptr;
}

QMenu *viewMenu(QMainWindow &window)
{
    const QList<QAction *> menus = window.menuBar()->actions();
    for (QAction *a : menus) {
        if (a->text() == u"&View"_s)
            return a->menu();
    }
    return nullptr;
}

} // namespace

class TestConsolePages final : public QObject
{
    Q_OBJECT
private slots:
    void keysAreUniqueAndStable()
    {
        QSet<QString> keys;
        QSet<int> shortcuts;
        for (const ConsolePage &page : consolePages()) {
            const QString key = page.key;
            QVERIFY2(!key.isEmpty(), qPrintable(page.navTitle()));
            QVERIFY2(!keys.contains(key), qPrintable(key));
            keys << key;
            QCOMPARE(consolePage(key), &page);
            QVERIFY(page.create);
            QVERIFY(!page.navTitle().isEmpty());
            QVERIFY(!page.menuTitle().isEmpty());
            if (page.shortcut.key() != Qt::Key_unknown) {
                QVERIFY2(!shortcuts.contains(page.shortcut.toCombined()), qPrintable(key));
                shortcuts << page.shortcut.toCombined();
            }
        }
        // The keys are the pages' names wherever a page is named: renaming
        // one is a change of format, not a refactoring.
        const QSet<QString> expected{
            u"relay.config"_s,  u"relay.logs"_s, u"inbound.config"_s, u"inbound.logs"_s, u"outbound.config"_s,
            u"outbound.logs"_s, u"settings"_s,   u"queue"_s,          u"tester"_s,       u"readiness"_s,
            u"waves"_s,         u"overview"_s,   u"trace"_s};
        QCOMPARE(keys, expected);
        QCOMPARE(consolePage(u"no.such.page"_s), nullptr);
        // Each area has one Configuration and one Logs page.
        for (Area area : kAllAreas) {
            for (bool logs : {false, true}) {
                const ConsolePage *page = consolePage(areaPageKey(area, logs));
                QVERIFY(page);
                QCOMPARE(page->area, std::optional<Area>(area));
                QCOMPARE(page->logs, logs);
            }
        }
    }

    void everyPageByKeyNavigationAndShortcut()
    {
        TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Shortcuts need the active window on a real X server (offscreen fakes it).
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *nav = window.findChild<QTreeWidget *>(u"navigation"_s);
        auto *stack = window.findChild<QStackedWidget *>(u"pages"_s);
        QVERIFY(nav && stack);
        QCOMPARE(stack->count(), int(consolePages().size()));
        QSet<QWidget *> widgets;
        for (const ConsolePage &page : consolePages()) {
            const QString key = page.key;
            // By key, as the code (or a remembered key) names it.
            QVERIFY(window.showPage(u"overview"_s));
            QVERIFY2(window.showPage(key), qPrintable(key));
            QCOMPARE(window.currentPage(), page.key);
            QVERIFY(!widgets.contains(stack->currentWidget())); // a page of its own
            widgets << stack->currentWidget();
            QVERIFY(nav->currentItem());
            QCOMPARE(nav->currentItem()->text(0), page.navTitle());

            // By its item in the navigation.
            window.showPage(key == PageKey::Overview ? PageKey::Queue : PageKey::Overview);
            QTreeWidgetItem *item = navItemOf(nav, page);
            QVERIFY2(item, qPrintable(key));
            nav->scrollToItem(item);
            QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(item).center());
            QCOMPARE(window.currentPage(), page.key);

            // By its shortcut.
            QVERIFY2(page.shortcut.key() != Qt::Key_unknown, qPrintable(key));
            window.showPage(key == PageKey::Overview ? PageKey::Queue : PageKey::Overview);
            QTest::keySequence(&window, QKeySequence(page.shortcut));
            QCOMPARE(window.currentPage(), page.key);
        }
        // The area pages are the window's area pages.
        window.showAreaPage(Area::Outbound, true);
        QCOMPARE(window.currentPage(), PageKey::OutboundLogs);
        QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(window.logsPage(Area::Outbound)));
        window.showAreaPage(Area::Relay, false);
        QCOMPARE(stack->currentWidget(), static_cast<QWidget *>(window.configPage(Area::Relay)));
    }

    // The table reproduces the navigation and the View menu of the enum it
    // replaced, item by item, with the same shortcuts.
    void navigationAndViewMenuAsBefore()
    {
        TempDb db;
        MainWindow window(db.store());
        auto *nav = window.findChild<QTreeWidget *>(u"navigation"_s);
        QVERIFY(nav);
        QCOMPARE(nav->accessibleName(), u"Pages"_s);
        const QStringList expectedNav{u"Overview"_s,          u"Mail Routing"_s,
                                      u"  Relay"_s,           u"    Configuration"_s,
                                      u"    Logs"_s,          u"  Inbound"_s,
                                      u"    Configuration"_s, u"    Logs"_s,
                                      u"  Outbound"_s,        u"    Configuration"_s,
                                      u"    Logs"_s,          u"  Waves"_s,
                                      u"Relay service"_s,     u"  Settings & Activation"_s,
                                      u"  Queue"_s,           u"  Message trace"_s,
                                      u"  Address tester"_s,  u"  Readiness"_s};
        QCOMPARE(navigationLines(nav), expectedNav);
        // Only the pages are selectable; the group and area items are headings.
        QTreeWidgetItemIterator it(nav);
        for (; *it; ++it) {
            const bool isPage = (*it)->childCount() == 0;
            QCOMPARE(bool((*it)->flags() & Qt::ItemIsSelectable), isPage);
        }

        QMenu *view = viewMenu(window);
        QVERIFY(view);
        QStringList menu;
        const QList<QAction *> actions = view->actions();
        for (const QAction *a : actions) {
            if (a->isSeparator())
                break;
            menu << a->text() + u'\t' + a->shortcut().toString(QKeySequence::PortableText);
        }
        const QStringList expectedMenu{u"Relay Configuration\tCtrl+1"_s,
                                       u"Relay Logs\tCtrl+2"_s,
                                       u"Inbound Configuration\tCtrl+3"_s,
                                       u"Inbound Logs\tCtrl+4"_s,
                                       u"Outbound Configuration\tCtrl+5"_s,
                                       u"Outbound Logs\tCtrl+6"_s,
                                       u"Settings && Activation\tCtrl+7"_s,
                                       u"Queue\tCtrl+8"_s,
                                       u"Address Tester\tCtrl+9"_s,
                                       u"Readiness\tCtrl+0"_s,
                                       u"Waves\tCtrl+Shift+W"_s,
                                       u"Overview\tCtrl+Shift+O"_s,
                                       u"Message Trace\tCtrl+Shift+T"_s};
        QCOMPARE(menu, expectedMenu);
    }

    // A key read back as a string (from QSettings, say) shows its page; a key
    // no page has (one saved by a later version, a typo) changes nothing, and
    // the window stays on the page it opened on.
    void aStoredKeyShowsItsPageAndAnUnknownOneNothing()
    {
        TempDb db;
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Configured: the console opens on the Overview.
        QCOMPARE(window.currentPage(), PageKey::Overview);
        QVERIFY(!window.showPage(u"no.such.page"_s));
        QVERIFY(!window.showPage(QString()));
        QVERIFY(!window.showPage(u"7"_s)); // a position, as the enum was saved once: not a key
        QCOMPARE(window.currentPage(), PageKey::Overview);
        const QVariant stored(u"inbound.logs"_s);
        QVERIFY(window.showPage(stored.toString()));
        QCOMPARE(window.currentPage(), PageKey::InboundLogs);
        QCOMPARE(window.findChild<QTreeWidget *>(u"navigation"_s)->currentItem()->parent()->text(0),
                 u"Inbound"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestConsolePages)
#include "tst_consolepages.moc"
