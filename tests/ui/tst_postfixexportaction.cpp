// Configuration ▸ Export to Postfix…: the menu item asks for a folder, writes
// the active generation there off the GUI thread and says what it wrote; with
// nothing pushed it says so and writes nothing.
#include "tests/ui/uitest.h"
#include "ui/mainwindow.h"
#include "ui/postfixexportaction.h"

#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestPostfixExportAction final : public QObject
{
    Q_OBJECT

private slots:
    void exportsTheActiveGenerationFromTheMenu()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"@warmsushi.com"_s, u"@drypizza.com"_s).ok());
        QVERIFY(db.store()
                    ->addUserMapping(Area::Outbound, u"bob.owen@drypizza.com"_s, u"bob@warmsushi.com"_s)
                    .ok());
        QVERIFY(db.store()->push().ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto *action = window.findChild<PostfixExportAction *>(u"postfixExportAction"_s);
        QVERIFY(action);
        // It is in the Configuration menu, where push and rollback are.
        bool inConfigMenu = false;
        for (QAction *menu : window.menuBar()->actions()) {
            if (menu->menu() && menu->menu()->actions().contains(action))
                inConfigMenu = menu->text().contains(u"Configuration"_s);
        }
        QVERIFY(inConfigMenu);

        const QString target = db.filePath(u"postfix"_s);
        QVERIFY(QDir().mkpath(target));
        QSignalSpy finished(action, &PostfixExportAction::finished);
        action->trigger();
        QFileDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] { return (dialog = findVisible<QFileDialog>(&window, u"postfixExportDialog"_s)); }));
        QVERIFY(chooseFile(dialog, target));
        QVERIFY(finished.wait(20000) || finished.size() == 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY2(finished.at(0).at(1).toString().contains(u"Generation 1 exported"_s),
                 qPrintable(finished.at(0).at(1).toString()));
        auto *box = findVisible<QMessageBox>(&window, u"postfixExportResult"_s);
        QVERIFY(box);
        QFile rc(QDir(target).filePath(u"recipient_canonical"_s));
        QVERIFY(rc.open(QIODevice::ReadOnly));
        QVERIFY(rc.readAll().contains("@warmsushi.com @drypizza.com\n"));
        QFile sc(QDir(target).filePath(u"sender_canonical"_s));
        QVERIFY(sc.open(QIODevice::ReadOnly));
        QVERIFY(sc.readAll().contains("bob.owen@drypizza.com bob@warmsushi.com\n"));
        QVERIFY(QFileInfo::exists(QDir(target).filePath(u"main.cf.fragment"_s)));
        box->accept();
    }

    void nothingPushedNothingWritten()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"@old.example"_s, u"@new.example"_s).ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *action = window.findChild<PostfixExportAction *>(u"postfixExportAction"_s);
        QVERIFY(action);
        const QString target = db.filePath(u"never"_s);
        QSignalSpy finished(action, &PostfixExportAction::finished);
        action->exportTo(target);
        QVERIFY(finished.wait(20000) || finished.size() == 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(finished.at(0).at(1).toString().contains(u"nothing has been pushed"_s),
                 qPrintable(finished.at(0).at(1).toString()));
        auto *box = findVisible<QMessageBox>(&window, u"postfixExportResult"_s);
        QVERIFY(box);
        QCOMPARE(box->icon(), QMessageBox::Warning);
        QVERIFY(!QFileInfo::exists(target));
        QVERIFY(action->isEnabled());
        box->accept();
    }
};

MAILROUTE_GUI_TEST_MAIN(TestPostfixExportAction)
#include "tst_postfixexportaction.moc"
