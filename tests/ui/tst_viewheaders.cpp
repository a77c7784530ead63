// Column widths and sort order remembered (issue 12): what the person sets in
// the tables (widths of resizable columns, the sort column and order) is
// saved when the console closes and restored by the next window on the same
// settings file; a saved state that no longer fits a view is ignored.
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/consolesettings.h"
#include "ui/domainmappingmodel.h"
#include "ui/mainwindow.h"
#include "ui/messagelogmodel.h"
#include "ui/queuemodel.h"
#include "ui/usermappingmodel.h"

#include <QFile>
#include <QHeaderView>
#include <QSettings>
#include <QTableView>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

void clearConsoleSettings()
{
    QSettings s(QSettings::IniFormat, QSettings::UserScope, u"MailRoute"_s, u"console"_s);
    s.remove(u"headers"_s);
    s.remove(u"window"_s);
    s.sync();
}

QString settingsFile()
{
    return QSettings(QSettings::IniFormat, QSettings::UserScope, u"MailRoute"_s, u"console"_s).fileName();
}

QTableView *table(QWidget *window, const QString &name)
{
    return window->findChild<QTableView *>(name);
}

} // namespace

class TestViewHeaders final : public QObject
{
    Q_OBJECT
private slots:
    void init() { clearConsoleSettings(); }
    void initTestCase()
    {
        QVERIFY2(settingsFile().startsWith(qEnvironmentVariable("HOME")), qPrintable(settingsFile()));
    }
    void cleanupTestCase() { clearConsoleSettings(); }

    void widthsAndSortOrderSurviveARestart()
    {
        TempDb db;
        QVERIFY(db.ok());
        ConfigStore *s = db.store();
        // Sorted by target, descending, the order differs from the default
        // (source, ascending).
        s->addDomainMapping(Area::Inbound, u"a-old.example"_s, u"y-new.example"_s);
        s->addDomainMapping(Area::Inbound, u"b-old.example"_s, u"z-new.example"_s);
        s->addUserMapping(Area::Inbound, u"ann@a-old.example"_s, u"amy@z-new.example"_s);
        s->addUserMapping(Area::Inbound, u"bob@a-old.example"_s, u"zed@z-new.example"_s);
        int queueSender = 0;
        int logFrom = 0;
        {
            MainWindow window(db.store());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.showPage(MainWindow::Page::InboundConfig);
            QTableView *domains = table(window.configPage(Area::Inbound), u"domainTable"_s);
            QTableView *users = table(window.configPage(Area::Inbound), u"userTable"_s);
            QVERIFY(domains && users);
            // Sorted by source, ascending, out of the box.
            QTRY_COMPARE(domains->model()->index(0, 0).data().toString(), u"@a-old.example"_s);
            // What clicks on the Target header do: by target, descending.
            domains->sortByColumn(DomainMappingModel::TargetColumn, Qt::DescendingOrder);
            users->sortByColumn(UserMappingModel::TargetColumn, Qt::DescendingOrder);
            QCOMPARE(domains->model()->index(0, 0).data().toString(), u"@b-old.example"_s);
            QTRY_COMPARE(users->model()->index(0, UserMappingModel::TargetColumn).data().toString(),
                         u"zed@z-new.example"_s);
            // Widths where columns are resizable.
            window.showPage(MainWindow::Page::Queue);
            QHeaderView *queue = table(&window, u"queueTable"_s)->horizontalHeader();
            QCOMPARE(queue->sectionResizeMode(QueueModel::SenderColumn), QHeaderView::Interactive);
            queueSender = queue->sectionSize(QueueModel::SenderColumn) + 57;
            queue->resizeSection(QueueModel::SenderColumn, queueSender);
            window.showPage(MainWindow::Page::InboundLogs);
            QHeaderView *log = table(&window, u"messageLog_inbound"_s)->horizontalHeader();
            QCOMPARE(log->sectionResizeMode(MessageLogModel::FromColumn), QHeaderView::Interactive);
            logFrom = log->sectionSize(MessageLogModel::FromColumn) + 43;
            log->resizeSection(MessageLogModel::FromColumn, logFrom);
            // Saved per view, under the names of its page.
            QCOMPARE(ConsoleSettings::viewHeaderKey(&window, domains),
                     u"headers/mainSplitter.pages.configPage_inbound.domainTable"_s);
            QVERIFY(window.close());
        }
        QVERIFY(ConsoleSettings::value(u"headers/mainSplitter.pages.configPage_inbound.domainTable"_s)
                    .toString()
                    .endsWith(u";1;1"_s)); // Target, descending
        QVERIFY(ConsoleSettings::value(u"headers/mainSplitter.pages.configPage_relay.domainTable"_s)
                    .toString()
                    .endsWith(u";0;0"_s)); // Source, ascending

        MainWindow again(db.store());
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        again.showPage(MainWindow::Page::InboundConfig);
        QTableView *domains = table(again.configPage(Area::Inbound), u"domainTable"_s);
        QCOMPARE(domains->horizontalHeader()->sortIndicatorSection(), int(DomainMappingModel::TargetColumn));
        QCOMPARE(domains->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QTRY_COMPARE(domains->model()->index(0, 0).data().toString(), u"@b-old.example"_s); // z-new first
        QCOMPARE(domains->model()->index(0, 1).data().toString(), u"@z-new.example"_s);
        QTableView *users = table(again.configPage(Area::Inbound), u"userTable"_s);
        QCOMPARE(users->horizontalHeader()->sortIndicatorSection(), int(UserMappingModel::TargetColumn));
        QCOMPARE(users->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QTRY_COMPARE(users->model()->index(0, UserMappingModel::TargetColumn).data().toString(),
                     u"zed@z-new.example"_s);
        QCOMPARE(table(&again, u"queueTable"_s)->horizontalHeader()->sectionSize(QueueModel::SenderColumn),
                 queueSender);
        QCOMPARE(table(&again, u"messageLog_inbound"_s)
                     ->horizontalHeader()
                     ->sectionSize(MessageLogModel::FromColumn),
                 logFrom);
        // Another area's page kept its own order.
        auto *relayDomains =
            again.findChild<QWidget *>(u"configPage_relay"_s)->findChild<QTableView *>(u"domainTable"_s);
        QCOMPARE(relayDomains->horizontalHeader()->sortIndicatorSection(),
                 int(DomainMappingModel::SourceColumn));
        QCOMPARE(relayDomains->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    }

    void aStateThatNoLongerFitsIsIgnored()
    {
        TempDb db;
        QVERIFY(db.ok());
        // Three columns saved for a two-column view, garbage for another.
        ConsoleSettings::setValue(u"headers/mainSplitter.pages.configPage_inbound.domainTable"_s,
                                  u"100,200,300;2;1"_s);
        ConsoleSettings::setValue(u"headers/mainSplitter.pages.queuePage.queueTable"_s, u"nonsense"_s);
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTableView *domains =
            window.findChild<QWidget *>(u"configPage_inbound"_s)->findChild<QTableView *>(u"domainTable"_s);
        QCOMPARE(domains->horizontalHeader()->sortIndicatorSection(), int(DomainMappingModel::SourceColumn));
        QCOMPARE(domains->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    }
};

int main(int argc, char *argv[])
{
    // A settings file of its own (under this HOME): ctest may run other GUI
    // tests, which save their windows' state too, at the same time.
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    qputenv("HOME", QFile::encodeName(home.path()));
    mailroute::testing::prepareGuiTest();
    QApplication app(argc, argv);
    TestViewHeaders tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_viewheaders.moc"
