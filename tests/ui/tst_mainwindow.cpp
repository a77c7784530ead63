// MainWindow: the navigation reaches every page, the status bar tells the
// relay state, generation and unpushed changes, edits by another process show
// up, keyboard shortcuts work, the geometry is restored, and a configured
// console opens on the Overview.
#include "relaycore/routing/wave.h"
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/mainwindow.h"

#include <QDateTime>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

QString statusText(QWidget *window, const QString &name)
{
    auto *label = window->findChild<QLabel *>(name);
    return label ? label->text() : QString();
}

QTreeWidgetItem *navItem(QTreeWidget *nav, const QString &parent, const QString &text)
{
    QTreeWidgetItemIterator it(nav);
    for (; *it; ++it) {
        if ((*it)->text(0) == text &&
            (parent.isEmpty() || ((*it)->parent() && (*it)->parent()->text(0) == parent)))
            return *it;
    }
    return nullptr;
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT
private slots:
    void navigationReachesEveryPage()
    {
        TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Shortcuts need the active window on a real X server (offscreen fakes it).
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.windowTitle(), u"MailRoute"_s);
        // A fresh database opens on the Inbound configuration: where the work starts.
        QCOMPARE(window.currentPage(), MainWindow::Page::InboundConfig);
        auto *nav = window.findChild<QTreeWidget *>(u"navigation"_s);
        QVERIFY(nav);
        const std::tuple<QString, QString, QLatin1String> items[] = {
            {u"Relay"_s, u"Configuration"_s, MainWindow::Page::RelayConfig},
            {u"Relay"_s, u"Logs"_s, MainWindow::Page::RelayLogs},
            {u"Inbound"_s, u"Logs"_s, MainWindow::Page::InboundLogs},
            {u"Outbound"_s, u"Configuration"_s, MainWindow::Page::OutboundConfig},
            {u"Outbound"_s, u"Logs"_s, MainWindow::Page::OutboundLogs},
            {u"Relay service"_s, u"Settings & Activation"_s, MainWindow::Page::Settings},
            {u"Relay service"_s, u"Queue"_s, MainWindow::Page::Queue},
            {u"Relay service"_s, u"Address tester"_s, MainWindow::Page::Tester},
            {u"Relay service"_s, u"Readiness"_s, MainWindow::Page::Readiness},
            {u"Relay service"_s, u"Message trace"_s, MainWindow::Page::Trace},
            {QString(), u"Overview"_s, MainWindow::Page::Overview},
        };
        for (const auto &[parent, text, page] : items) {
            QTreeWidgetItem *item = navItem(nav, parent, text);
            QVERIFY2(item, qPrintable(parent + u'/' + text));
            nav->scrollToItem(item);
            QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(item).center());
            QCOMPARE(window.currentPage(), page);
        }
        // Ctrl+3 is the Inbound configuration, Ctrl+7 the settings.
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_3));
        QCOMPARE(window.currentPage(), MainWindow::Page::InboundConfig);
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_7));
        QCOMPARE(window.currentPage(), MainWindow::Page::Settings);
        QCOMPARE(nav->currentItem()->text(0), u"Settings & Activation"_s);
    }

    void statusBarAndChangesByAnotherProcess()
    {
        TempDb db;
        RelayRunner::Options options;
        options.pollMs = 100;
        MainWindow window(db.store(), options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(statusText(&window, u"relayStateLabel"_s), u"Relay: stopped"_s);
        QCOMPARE(statusText(&window, u"generationLabel"_s), u"Nothing pushed yet"_s);
        QTRY_COMPARE(statusText(&window, u"pendingLabel"_s), u"Nothing to push yet"_s);

        // mailroutectl (another connection, as another process would) adds a rule and pushes.
        ConfigStore other(db.path());
        QVERIFY(other.open().ok());
        QVERIFY(other.addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QTRY_COMPARE(window.configPage(Area::Inbound)->domainView()->model()->rowCount(), 1);
        QTRY_COMPARE(statusText(&window, u"pendingLabel"_s), u"1 unpushed change(s)"_s);
        QVERIFY(other.push().ok());
        QTRY_COMPARE(statusText(&window, u"generationLabel"_s), u"Generation 1"_s);
        QTRY_COMPARE(statusText(&window, u"pendingLabel"_s), u"Everything pushed"_s);

        // A migration wave is part of the draft: unpushed until pushed.
        Wave wave;
        wave.name = u"w1"_s;
        wave.users = {{u"ann@warmsushi.com"_s, u"ann@drypizza.com"_s}};
        wave.at = QDateTime::currentDateTimeUtc().addDays(2);
        wave.at = QDateTime::fromSecsSinceEpoch(wave.at.toSecsSinceEpoch(), Qt::UTC);
        QVERIFY(other.addWave(wave).ok());
        QTRY_COMPARE(statusText(&window, u"pendingLabel"_s), u"1 unpushed change(s)"_s);
        QVERIFY(other.push().ok());
        QTRY_COMPARE(statusText(&window, u"pendingLabel"_s), u"Everything pushed"_s);
    }

    void findShortcutFocusesTheFilter()
    {
        TempDb db;
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showPage(MainWindow::Page::OutboundConfig);
        QTest::keySequence(&window, QKeySequence::Find);
        QTRY_VERIFY(QApplication::focusWidget() &&
                    QApplication::focusWidget()->objectName() == u"domainFilter"_s);
        QVERIFY(window.configPage(Area::Outbound)->isAncestorOf(QApplication::focusWidget()));
    }

    void geometryAndPageAreRestored()
    {
        TempDb db;
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QRect saved;
        {
            MainWindow window(db.store());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1000, 640);
            window.showPage(MainWindow::Page::Queue);
            QTest::qWait(10);
            saved = window.geometry();
            QVERIFY(window.close());
        }
        MainWindow again(db.store());
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), saved.size());
        // Issue 14: once something is configured, the console opens on the Overview.
        QCOMPARE(again.currentPage(), MainWindow::Page::Overview);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
