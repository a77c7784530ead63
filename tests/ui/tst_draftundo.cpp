// Edit ▸ Undo / Redo of draft mapping edits (ui/draftundo.h) in the real
// window: each step is made as a person makes it (dialogs, check boxes,
// in-place edit, CSV upload), undone with Ctrl+Z and redone with
// Ctrl+Shift+Z, and the store's whole draft (ConfigStore::draft()) is
// compared with what it was before and after. A push ends the history.
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/backgroundstore.h"
#include "ui/csvimportdialog.h"
#include "ui/domainmappingmodel.h"
#include "ui/draftundo.h"
#include "ui/mainwindow.h"
#include "ui/mappingdialog.h"
#include "ui/pushdialog.h"
#include "ui/usermappingmodel.h"

#include <QFile>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QUndoStack>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

QList<UserMapping> users(ConfigStore *store, Area area)
{
    return store->userMappings(area);
}

} // namespace

class TestDraftUndo final : public QObject
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
        m_window = std::make_unique<MainWindow>(m_db->store());
        m_window->show();
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            return nullptr;
        return m_window.get();
    }

    // Ctrl+Z / Ctrl+Shift+Z as typed, with the window active (shortcuts).
    void undo()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_Z));
    }
    void redo()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keySequence(m_window.get(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    }

    void confirm(AreaConfigPage *page, const QString &boxName)
    {
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(page, boxName)));
        click(box->button(QMessageBox::Yes));
        QTRY_VERIFY(!findVisible<QMessageBox>(page, boxName));
    }

private slots:
    void cleanup()
    {
        m_window.reset();
        m_db.reset();
    }

    void editMenuHasUndoAndRedo()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        auto *edit = window->findChild<QMenu *>(u"editMenu"_s);
        QVERIFY(edit);
        QAction *undoAction = window->undo()->undoAction();
        QAction *redoAction = window->undo()->redoAction();
        QVERIFY(edit->actions().contains(undoAction));
        QVERIFY(edit->actions().contains(redoAction));
        QCOMPARE(undoAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Z));
        QCOMPARE(redoAction->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
        QVERIFY(!undoAction->isEnabled()); // nothing to undo yet
        // The menu says what the history covers.
        bool scopeShown = false;
        for (const QAction *a : edit->actions())
            scopeShown = scopeShown || a->text().contains(u"since the last push"_s);
        QVERIFY(scopeShown);
    }

    void addThenUndoGivesTheSameDraft()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->addDomainMapping(Area::Inbound, u"kept.example"_s, u"new.example"_s).ok());
        window->refresh();
        window->showPage(MainWindow::Page::InboundConfig);
        AreaConfigPage *page = window->configPage(Area::Inbound);
        const ConfigData before = store->draft();

        page->createDomainAction()->trigger();
        MappingDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<MappingDialog>(page, u"createDomainDialog"_s)));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"sourceEdit"_s), u"@warmsushi.com"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"targetEdit"_s), u"@drypizza.com"_s);
        click(dialog->findChild<QPushButton *>(u"createButton"_s));
        QTRY_VERIFY(!findVisible<MappingDialog>(page, u"createDomainDialog"_s));
        QCOMPARE(store->domainMappings(Area::Inbound).size(), 2);
        const ConfigData after = store->draft();
        QVERIFY(!(after == before));
        QVERIFY(window->undo()->undoAction()->text().contains(u"warmsushi.com"_s));

        undo();
        QTRY_VERIFY(store->draft() == before);
        QTRY_COMPARE(page->domainView()->model()->rowCount(), 1); // the table follows
        redo();
        QTRY_VERIFY(store->draft() == after);
        QTRY_COMPARE(page->domainView()->model()->rowCount(), 2);

        // A user mapping the same way.
        page->createUserAction()->trigger();
        QTRY_VERIFY((dialog = findVisible<MappingDialog>(page, u"createUserDialog"_s)));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"sourceEdit"_s), u"bob@warmsushi.com"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"targetEdit"_s), u"bob.owen@drypizza.com"_s);
        click(dialog->findChild<QPushButton *>(u"createButton"_s));
        QTRY_VERIFY(!findVisible<MappingDialog>(page, u"createUserDialog"_s));
        QCOMPARE(store->userCount(Area::Inbound), 1);
        undo();
        QTRY_VERIFY(store->draft() == after);
        // Two steps back: the first draft.
        undo();
        QTRY_VERIFY(store->draft() == before);
    }

    void deleteThenUndoBringsTheMappingsBack()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        for (const char *d : {"a.example", "b.example", "c.example"})
            QVERIFY(store->addDomainMapping(Area::Outbound, QString::fromLatin1(d), u"new.example"_s).ok());
        QVERIFY(store->addDomainMapping(Area::Outbound, u"d.example"_s, u"other.example"_s).ok());
        for (int i = 0; i < 5; ++i)
            QVERIFY(store
                        ->addUserMapping(Area::Outbound, u"User%1@a.example"_s.arg(i),
                                         u"v%1@new.example"_s.arg(i))
                        .ok());
        window->refresh();
        window->showPage(MainWindow::Page::OutboundConfig);
        AreaConfigPage *page = window->configPage(Area::Outbound);
        QTableView *domains = page->domainView();
        QTRY_COMPARE(domains->model()->rowCount(), 4);
        const ConfigData before = store->draft();

        // Domains b and d (d with its own target) checked and deleted.
        clickCheckBox(domains, domains->model()->index(1, 0));
        clickCheckBox(domains, domains->model()->index(3, 0));
        page->deleteDomainsAction()->trigger();
        confirm(page, u"confirmDeleteDomains"_s);
        QTRY_COMPARE(store->domainMappings(Area::Outbound).size(), 2);
        const ConfigData afterDomains = store->draft();
        undo();
        QTRY_VERIFY(store->draft() == before);
        // d.example came back with its own target, not a default.
        bool dBack = false;
        for (const DomainMapping &m : store->domainMappings(Area::Outbound))
            dBack = dBack || (m.source == u"d.example"_s && m.target == u"other.example"_s);
        QVERIFY(dBack);
        redo();
        QTRY_VERIFY(store->draft() == afterDomains);

        // Users: two rows selected and deleted, then undone (restored on the worker).
        QTableView *userView = page->userView();
        QTRY_COMPARE(userView->model()->rowCount(), 5);
        QTRY_COMPARE(userView->model()->index(1, 1).data().toString(), u"v1@new.example"_s);
        QTest::mouseClick(userView->viewport(), Qt::LeftButton, {},
                          userView->visualRect(userView->model()->index(1, 1)).center());
        QTest::mouseClick(userView->viewport(), Qt::LeftButton, Qt::ControlModifier,
                          userView->visualRect(userView->model()->index(3, 1)).center());
        QCOMPARE(userView->selectionModel()->selectedRows().size(), 2);
        page->deleteUsersAction()->trigger();
        confirm(page, u"confirmDeleteUsers"_s);
        QTRY_COMPARE(store->userCount(Area::Outbound), 3);
        const ConfigData afterUsers = store->draft();
        undo();
        QTRY_VERIFY(!window->undo()->isBusy() && store->draft() == afterDomains);
        // The local-part spelling (User1) and targets are as they were.
        QCOMPARE(users(store, Area::Outbound), before.area(Area::Outbound).users);
        QTRY_COMPARE(userView->model()->rowCount(), 5);
        redo();
        QTRY_VERIFY(store->draft() == afterUsers);

        // Checked rows (targets not at hand): undone from a snapshot of the whole list.
        QTRY_COMPARE(userView->model()->rowCount(), 3);
        QTRY_VERIFY(!userView->model()->index(0, 0).data().toString().isEmpty());
        clickCheckBox(userView, userView->model()->index(0, 0));
        clickCheckBox(userView, userView->model()->index(2, 0));
        QCOMPARE(page->userModel()->checkedCount(), 2);
        page->deleteUsersAction()->trigger();
        confirm(page, u"confirmDeleteUsers"_s);
        QTRY_COMPARE(store->userCount(Area::Outbound), 1);
        undo();
        QTRY_VERIFY(!window->undo()->isBusy() && store->draft() == afterUsers);
        undo();
        QTRY_VERIFY(!window->undo()->isBusy() && store->draft() == afterDomains);
    }

    void inPlaceEditThenUndo()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->addDomainMapping(Area::Relay, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(store->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s).ok());
        window->refresh();
        const ConfigData before = store->draft();

        AreaConfigPage *relay = window->configPage(Area::Relay);
        QAbstractItemModel *domainModel = relay->domainView()->model();
        QTRY_COMPARE(domainModel->rowCount(), 1);
        QVERIFY(domainModel->setData(domainModel->index(0, 1), u"@coldpizza.com"_s));
        QCOMPARE(store->domainMappings(Area::Relay).at(0).target, u"coldpizza.com"_s);
        AreaConfigPage *inbound = window->configPage(Area::Inbound);
        QAbstractItemModel *userModel = inbound->userView()->model();
        QTRY_COMPARE(userModel->rowCount(), 1);
        QTRY_COMPARE(userModel->index(0, 0).data().toString(), u"bob@warmsushi.com"_s);
        QVERIFY(userModel->setData(userModel->index(0, 0), u"robert@warmsushi.com"_s));
        const ConfigData after = store->draft();
        QCOMPARE(after.area(Area::Inbound).users.at(0).source, u"robert@warmsushi.com"_s);

        undo();
        undo();
        QTRY_VERIFY(store->draft() == before);
        redo();
        redo();
        QTRY_VERIFY(store->draft() == after);
    }

    void csvUploadIsOneStep()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        QVERIFY(store->addUserMapping(Area::Inbound, u"ann@warmsushi.com"_s, u"ann@drypizza.com"_s).ok());
        QVERIFY(store->addUserMapping(Area::Inbound, u"Bob@warmsushi.com"_s, u"bob@drypizza.com"_s).ok());
        window->refresh();
        const ConfigData before = store->draft();
        const QString path = m_db->filePath(u"upload.csv"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Source;Target\r\nbob@warmsushi.com;bob.owen@drypizza.com\r\n"
                    "cat@warmsushi.com;cat@drypizza.com\r\ndan@warmsushi.com;dan@drypizza.com\r\n");
        }
        AreaConfigPage *page = window->configPage(Area::Inbound);
        CsvImportDialog *dialog = page->startImport(path);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), CsvImportDialog::Stage::Preview);
        click(dialog->findChild<QPushButton *>(u"replaceButton"_s));
        QTRY_VERIFY(!findVisible<CsvImportDialog>(page, u"csvImportDialog"_s));
        QCOMPARE(store->userCount(Area::Inbound), 3);
        const ConfigData after = store->draft();
        // One step for the whole upload, once the list after it is read.
        QTRY_VERIFY(!window->undo()->isBusy());
        QCOMPARE(window->undo()->stack()->count(), 1);

        undo();
        QTRY_VERIFY(!window->undo()->isBusy() && store->draft() == before);
        QTRY_COMPARE(page->userView()->model()->rowCount(), 2);
        redo();
        QTRY_VERIFY(!window->undo()->isBusy() && store->draft() == after);
        QTRY_COMPARE(page->userView()->model()->rowCount(), 3);
    }

    void pushEndsTheHistory()
    {
        MainWindow *window = makeWindow();
        QVERIFY(window);
        ConfigStore *store = m_db->store();
        AreaConfigPage *page = window->configPage(Area::Relay);
        QVERIFY(page->domainModel());
        page->createDomainAction()->trigger();
        MappingDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<MappingDialog>(page, u"createDomainDialog"_s)));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"sourceEdit"_s), u"warmsushi.com"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"targetEdit"_s), u"drypizza.com"_s);
        click(dialog->findChild<QPushButton *>(u"createButton"_s));
        QTRY_VERIFY(!findVisible<MappingDialog>(page, u"createDomainDialog"_s));
        QVERIFY(window->undo()->undoAction()->isEnabled());

        PushDialog *push = window->openPushDialog();
        QTRY_COMPARE(push->stage(), PushDialog::Stage::Review);
        click(push->findChild<QPushButton *>(u"confirmPushButton"_s));
        QTRY_VERIFY(!findVisible<PushDialog>(window, u"pushDialog"_s));
        QTRY_VERIFY(store->activeGeneration().has_value());
        QVERIFY(!window->undo()->undoAction()->isEnabled());
        QCOMPARE(window->undo()->stack()->count(), 0);
        // Ctrl+Z now changes nothing.
        const ConfigData pushed = store->draft();
        undo();
        QTest::qWait(50);
        QVERIFY(store->draft() == pushed);

        // A push by another process (mailroutectl) ends the history as well.
        page->createDomainAction()->trigger();
        QTRY_VERIFY((dialog = findVisible<MappingDialog>(page, u"createDomainDialog"_s)));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"sourceEdit"_s), u"coldsushi.com"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"targetEdit"_s), u"drypizza.com"_s);
        click(dialog->findChild<QPushButton *>(u"createButton"_s));
        QTRY_VERIFY(!findVisible<MappingDialog>(page, u"createDomainDialog"_s));
        QVERIFY(window->undo()->undoAction()->isEnabled());
        ConfigStore other(m_db->path());
        QVERIFY(other.open().ok());
        QVERIFY(other.push().ok());
        QTRY_VERIFY(!window->undo()->undoAction()->isEnabled()); // the window polls the database
    }

    void packedListsComeBackExactly()
    {
        const QList<UserMapping> rows{{u"Ann.Lee@warmsushi.com"_s, u"ann@drypizza.com"_s},
                                      {u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s}};
        QCOMPARE(DraftUndo::unpack(DraftUndo::pack(rows)), rows);
        QVERIFY(DraftUndo::pack({}).isEmpty());
        QVERIFY(DraftUndo::unpack({}).isEmpty());
    }
};

MAILROUTE_GUI_TEST_MAIN(TestDraftUndo)
#include "tst_draftundo.moc"
