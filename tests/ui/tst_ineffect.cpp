// What is in effect, always visible (issue 12): Push while the Settings page
// has unsaved edits asks to save first; Activate with saved but unpushed
// listener settings asks to push first instead of binding the old address;
// the "push to make them active" banner goes once a push made by another
// process (mailroutectl push) is seen; the diff shows a setting as old -> new
// (push dialog and mailroutectl diff); leaving the Settings page or closing
// the window with unsaved edits asks Save / Discard / Cancel. The real
// MainWindow, driven by clicks and keys; mailroutectl as a process of its own.
#include "tests/app/ctlrun.h"
#include "tests/ui/uitest.h"
#include "ui/infobanner.h"
#include "ui/mainwindow.h"
#include "ui/pushdialog.h"
#include "ui/settingspage.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
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
        if ((*it)->text(0) == text && (*it)->parent() && (*it)->parent()->text(0) == parent)
            return *it;
    }
    return nullptr;
}

// A loopback port nothing listens on now.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QProcessEnvironment ctlEnvironment(const TempDb &db)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MAILROUTE_DB"_s, db.path());
    return env;
}

} // namespace

class TestInEffect final : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempDb> m_db;
    std::unique_ptr<MainWindow> m_window;

    MainWindow *makeWindow()
    {
        m_window.reset();
        m_db = std::make_unique<TempDb>();
        if (!m_db->ok())
            return nullptr;
        RelayRunner::Options options;
        options.pollMs = 100;
        m_window = std::make_unique<MainWindow>(m_db->store(), options);
        m_window->resize(1100, 800);
        m_window->show();
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            return nullptr;
        return m_window.get();
    }

    // Types into a setting's field as a person does.
    void typeSetting(const QString &key, const QString &text)
    {
        QLineEdit *edit = m_window->settingsPage()->field(key);
        QVERIFY(edit);
        typeInto(edit, text);
    }

private slots:
    void cleanup()
    {
        if (m_window && m_window->relay()->isInProcess()) {
            m_window->stopRelay(false);
            QTRY_COMPARE_WITH_TIMEOUT(m_window->relay()->mode(), RelayRunner::Mode::Stopped, 40000);
        }
        m_window.reset();
        m_db.reset();
    }

    void pushWithUnsavedSettingsAsksToSaveFirst()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(store->push().ok());
        window->refresh();
        QTRY_COMPARE(statusText(window, u"pendingLabel"_s), u"Everything pushed"_s);

        // Typed, not saved: a push must not end in "Everything pushed".
        window->showPage(MainWindow::Page::Settings);
        typeSetting(u"relay.listen"_s, u"127.0.0.1:2525"_s);
        QVERIFY(window->settingsPage()->hasUnsavedChanges());
        QTest::keySequence(window, QKeySequence(Qt::CTRL | Qt::Key_P));
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"saveBeforePushDialog"_s)));
        QVERIFY(!findVisible<PushDialog>(window, u"pushDialog"_s));
        QVERIFY2(box->informativeText().contains(u"relay.listen"_s), qPrintable(box->informativeText()));
        // Cancel: nothing saved, nothing pushed.
        click(box->button(QMessageBox::Cancel));
        QTRY_VERIFY(!findVisible<QMessageBox>(window, u"saveBeforePushDialog"_s));
        QVERIFY(!findVisible<PushDialog>(window, u"pushDialog"_s));
        QCOMPARE(store->setting(u"relay.listen"_s), u"0.0.0.0:25"_s);
        QCOMPARE(store->activeGeneration(), std::optional<qint64>(1));

        // Save and Push: the push dialog shows the setting old -> new and pushes it.
        QTest::keySequence(window, QKeySequence(Qt::CTRL | Qt::Key_P));
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"saveBeforePushDialog"_s)));
        click(box->findChild<QPushButton *>(u"saveAndPushButton"_s));
        PushDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<PushDialog>(window, u"pushDialog"_s)));
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        QVERIFY2(
            dialog->diffText().contains(u"setting ~ relay.listen: 0.0.0.0:25 (default) -> 127.0.0.1:2525"_s),
            qPrintable(dialog->diffText()));
        QCOMPARE(store->setting(u"relay.listen"_s), u"127.0.0.1:2525"_s);
        click(dialog->findChild<QPushButton *>(u"confirmPushButton"_s));
        QTRY_COMPARE(store->activeGeneration(), std::optional<qint64>(2));
        QTRY_COMPARE(statusText(window, u"pendingLabel"_s), u"Everything pushed"_s);
        QVERIFY(!window->settingsPage()->hasUnsavedChanges());
        // The "saved to the draft, push to make them active" note went with the push.
        QTRY_VERIFY(!window->settingsPage()->banner()->isVisible());
    }

    void activateWithAnUnpushedListenAddressAsksToPushFirst()
    {
        const quint16 oldPort = freePort();
        const quint16 newPort = freePort();
        QVERIFY(oldPort != 0 && newPort != 0 && oldPort != newPort);
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(oldPort)).ok());
        QVERIFY(store->setSetting(u"relay.hostname"_s, u"relay.test"_s).ok());
        QVERIFY(store->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(store->push().ok());
        // Saved, not pushed: the field shows the new address.
        QVERIFY(store->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(newPort)).ok());
        window->refresh();
        window->showPage(MainWindow::Page::Settings);
        QTRY_COMPARE(window->settingsPage()->field(u"relay.listen"_s)->text(),
                     u"127.0.0.1:%1"_s.arg(newPort));

        click(window->settingsPage()->activateButton());
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"pushBeforeActivateDialog"_s)));
        QVERIFY2(box->informativeText().contains(u"127.0.0.1:%1"_s.arg(oldPort)) &&
                     box->informativeText().contains(u"127.0.0.1:%1"_s.arg(newPort)),
                 qPrintable(box->informativeText()));
        // Asked, not started on the old address.
        QCOMPARE(window->relay()->mode(), RelayRunner::Mode::Stopped);
        click(box->button(QMessageBox::Cancel));
        QTRY_VERIFY(!findVisible<QMessageBox>(window, u"pushBeforeActivateDialog"_s));
        QTest::qWait(200);
        QCOMPARE(window->relay()->mode(), RelayRunner::Mode::Stopped);

        // Push, Then Activate: the push dialog, then the relay on the new address.
        click(window->settingsPage()->activateButton());
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"pushBeforeActivateDialog"_s)));
        click(box->findChild<QPushButton *>(u"pushThenActivateButton"_s));
        PushDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<PushDialog>(window, u"pushDialog"_s)));
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        click(dialog->findChild<QPushButton *>(u"confirmPushButton"_s));
        QTRY_COMPARE(store->activeGeneration(), std::optional<qint64>(2));
        QTRY_COMPARE_WITH_TIMEOUT(window->relay()->mode(), RelayRunner::Mode::Running, 15000);
        QVERIFY2(window->relay()->status().listenAddress.endsWith(u":%1"_s.arg(newPort)),
                 qPrintable(window->relay()->status().listenAddress));
        QCOMPARE(window->relay()->status().generation, qint64(2));
    }

    void bannerGoesWhenAnotherProcessPushes()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(store->push().ok());
        window->refresh();
        window->showPage(MainWindow::Page::Settings);
        typeSetting(u"relay.listen"_s, u"127.0.0.1:2525"_s);
        click(window->settingsPage()->saveButton());
        InfoBanner *banner = window->settingsPage()->banner();
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(u"Push to make them active"_s), qPrintable(banner->text()));
        QTRY_COMPARE(statusText(window, u"pendingLabel"_s), u"1 unpushed change(s)"_s);

        // mailroutectl push, a process of its own: the window follows the store.
        const Run r = runMailroutectl({u"push"_s}, ctlEnvironment(*m_db));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(statusText(window, u"generationLabel"_s), u"Generation 2"_s, 10000);
        QTRY_COMPARE(statusText(window, u"pendingLabel"_s), u"Everything pushed"_s);
        QTRY_VERIFY(!banner->isVisible());
    }

    void mailroutectlDiffShowsOldAndNew()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(db.store()->setSetting(u"retry.schedule"_s, u"1m,5m"_s).ok());
        QVERIFY(db.store()->push().ok());
        QVERIFY(db.store()->setSetting(u"relay.listen"_s, u"127.0.0.1:2525"_s).ok());
        QVERIFY(db.store()->resetSetting(u"retry.schedule"_s).ok());
        const Run r = runMailroutectl({u"diff"_s}, ctlEnvironment(db));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString listen = u"setting ~ relay.listen: 0.0.0.0:25 (default) -> 127.0.0.1:2525"_s;
        const QString retry = u"setting ~ retry.schedule: "_s +
                              db.store()->generationConfig(1)->settings.value(u"retry.schedule"_s) +
                              u" -> 5m,20m,60m (default)"_s;
        QVERIFY2(r.out.contains(listen) && r.out.contains(retry), qPrintable(r.out));
    }

    void leavingSettingsWithUnsavedEditsAsks()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        auto *nav = window->findChild<QTreeWidget *>(u"navigation"_s);
        QVERIFY(nav);
        QTreeWidgetItem *inbound = navItem(nav, u"Inbound"_s, u"Configuration"_s);
        QVERIFY(inbound);
        window->showPage(MainWindow::Page::Settings);
        typeSetting(u"relay.hostname"_s, u"mx.drypizza.com"_s);

        // A click in the navigation asks; Cancel stays, with the text.
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(inbound).center());
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s)));
        QVERIFY2(box->informativeText().contains(u"relay.hostname"_s), qPrintable(box->informativeText()));
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        QCOMPARE(nav->currentItem()->text(0), u"Settings & Activation"_s);
        click(box->button(QMessageBox::Cancel));
        QTRY_VERIFY(!findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s));
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        QCOMPARE(window->settingsPage()->field(u"relay.hostname"_s)->text(), u"mx.drypizza.com"_s);

        // Discard: the page changes, the field shows the saved value again.
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(inbound).center());
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s)));
        click(box->button(QMessageBox::Discard));
        QTRY_COMPARE(window->currentPage(), MainWindow::Page::InboundConfig);
        QCOMPARE(window->settingsPage()->field(u"relay.hostname"_s)->text(), QString());
        QCOMPARE(store->setting(u"relay.hostname"_s), QString());

        // A keyboard shortcut (Ctrl+3) asks too; Save stores it, then goes.
        window->showPage(MainWindow::Page::Settings);
        typeSetting(u"relay.hostname"_s, u"mx.drypizza.com"_s);
        QTest::keySequence(window, QKeySequence(Qt::CTRL | Qt::Key_3));
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s)));
        QCOMPARE(window->currentPage(), MainWindow::Page::Settings);
        click(box->button(QMessageBox::Save));
        QTRY_COMPARE(window->currentPage(), MainWindow::Page::InboundConfig);
        QCOMPARE(store->setting(u"relay.hostname"_s), u"mx.drypizza.com"_s);

        // Closing the window asks as well; Cancel keeps it open, Discard closes it.
        window->showPage(MainWindow::Page::Settings);
        typeSetting(u"relay.hostname"_s, u"mx2.drypizza.com"_s);
        QSignalSpy closed(window, &MainWindow::windowClosed);
        window->close();
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s)));
        click(box->button(QMessageBox::Cancel));
        QTRY_VERIFY(!findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s));
        QTest::qWait(100);
        QVERIFY(window->isVisible());
        QCOMPARE(closed.count(), 0);
        window->close();
        QTRY_VERIFY((box = findVisible<QMessageBox>(window, u"leaveUnsavedSettingsDialog"_s)));
        click(box->button(QMessageBox::Discard));
        QTRY_COMPARE(closed.count(), 1);
        QVERIFY(!window->isVisible());
        QCOMPARE(store->setting(u"relay.hostname"_s), u"mx.drypizza.com"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestInEffect)
#include "tst_ineffect.moc"
