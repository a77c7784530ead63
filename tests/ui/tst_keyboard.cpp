// The console with the keyboard only (issue 12): create, filter and delete
// user mappings with keys and the real focus chain (Tab leaves a table,
// Ctrl+F goes to the filter of the table in use, Delete acts on the focused
// table); a table with the focus shows it; a refused in-place edit stays open
// with the reason; enumerated settings are combo boxes. Needs a window
// manager for focus (tests run under Xvfb with openbox).
#include "relaycore/config/settingsschema.h"
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/backgroundstore.h"
#include "ui/infobanner.h"
#include "ui/mainwindow.h"
#include "ui/settingspage.h"
#include "ui/usermappingmodel.h"

#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

QWidget *focused()
{
    return QApplication::focusWidget();
}

QString focusedName()
{
    return focused() ? focused()->objectName() : u"(none)"_s;
}

// Presses `key` on whatever has the focus, as the keyboard does.
void press(int key, Qt::KeyboardModifiers modifiers = {})
{
    QWidget *target = focused();
    QVERIFY2(target, "no widget has the focus");
    QTest::keyClick(target, static_cast<Qt::Key>(key), modifiers);
}

void typeText(const QString &text)
{
    QWidget *target = focused();
    QVERIFY2(target, "no widget has the focus");
    QTest::keyClicks(target, text);
}

} // namespace

class TestKeyboard final : public QObject
{
    Q_OBJECT

private slots:
    void createFilterAndDeleteUsersWithTheKeyboardOnly()
    {
        TempDb db;
        QVERIFY(db.ok());
        // A domain table with rows: Tab used to walk its cells and never leave.
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        MainWindow window(db.store());
        window.resize(1100, 800);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showPage(MainWindow::Page::InboundConfig);
        AreaConfigPage *page = window.configPage(Area::Inbound);
        QTableView *domains = page->domainView();
        QTableView *users = page->userView();

        // Create two user mappings: Ctrl+Shift+N, source, Tab, target, Return.
        for (const auto &[source, target] : {std::pair{u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s},
                                             std::pair{u"carol@warmsushi.com"_s, u"carol@drypizza.com"_s}}) {
            // The window is active again after the dialog (the window manager
            // does that; without one, Xvfb alone or offscreen, the test does).
            window.activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QTRY_VERIFY(focused() && focused()->window() == &window);
            QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
            QTRY_VERIFY(focused() && focused()->objectName() == u"sourceEdit"_s);
            typeText(source);
            press(Qt::Key_Tab);
            QTRY_COMPARE(focusedName(), u"targetEdit"_s);
            typeText(target);
            press(Qt::Key_Return);
            QTRY_VERIFY(!findVisible<QDialog>(page, u"createUserDialog"_s));
        }
        QCOMPARE(db.store()->userCount(Area::Inbound), qint64(2));
        QTRY_COMPARE(users->model()->rowCount(), 2);

        // Ctrl+F, nothing used yet: the domain filter. Tab: the domain table;
        // Tab again leaves it for the user filter.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTRY_VERIFY(focused() && focused()->window() == &window);
        QTest::keySequence(&window, QKeySequence::Find);
        QTRY_COMPARE(focusedName(), u"domainFilter"_s);
        press(Qt::Key_Tab);
        QTRY_COMPARE(focused(), static_cast<QWidget *>(domains));
        press(Qt::Key_Tab);
        QTRY_COMPARE(focusedName(), u"userFilter"_s);
        typeText(u"carol"_s);
        QTRY_COMPARE(page->findChild<QLabel *>(u"userCount"_s)->text(), u"1 of 2 user mapping(s) match"_s);
        QTRY_COMPARE(users->model()->rowCount(), 1);
        // Into the user table: it shows its current row.
        press(Qt::Key_Tab);
        QTRY_COMPARE(focused(), static_cast<QWidget *>(users));
        QVERIFY(users->currentIndex().isValid());

        // Ctrl+F in the user table: its own filter, not the domain filter.
        QTest::keySequence(&window, QKeySequence::Find);
        QTRY_COMPARE(focusedName(), u"userFilter"_s);
        QVERIFY(page->findChild<QLineEdit *>(u"userFilter"_s)->hasSelectedText());
        // Leave the tables for the action bar: Ctrl+F still means the user table (last used).
        press(Qt::Key_Tab);
        QTRY_COMPARE(focused(), static_cast<QWidget *>(users));
        press(Qt::Key_Tab);
        QTRY_VERIFY(focused() != users && !users->isAncestorOf(focused()));
        QTest::keySequence(&window, QKeySequence::Find);
        QTRY_COMPARE(focusedName(), u"userFilter"_s);

        // Delete on the user table deletes the user row, not a domain.
        press(Qt::Key_Tab);
        QTRY_COMPARE(focused(), static_cast<QWidget *>(users));
        press(Qt::Key_Home);
        press(Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(page, u"confirmDeleteUsers"_s)));
        QCOMPARE(box->text(), u"Delete the user mapping of carol@warmsushi.com?"_s);
        // Cancel has the focus (the default); the keyboard moves to Delete.
        QAbstractButton *yes = box->button(QMessageBox::Yes);
        QTRY_VERIFY(focused() && box->isAncestorOf(focused()));
        for (int i = 0; i < 4 && focused() != yes; ++i)
            press(Qt::Key_Tab);
        QCOMPARE(focused(), static_cast<QWidget *>(yes));
        press(Qt::Key_Space);
        QTRY_COMPARE(db.store()->userCount(Area::Inbound), qint64(1));
        QCOMPARE(db.store()->userMappings(Area::Inbound).at(0).source, u"bob@warmsushi.com"_s);
        QCOMPARE(db.store()->domainMappings(Area::Inbound).size(), 1);
    }

    void aTableWithTheFocusShowsIt()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(
            db.store()->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s).ok());
        QVERIFY(db.store()
                    ->addUserMapping(Area::Inbound, u"carol@warmsushi.com"_s, u"carol@drypizza.com"_s)
                    .ok());
        BackgroundStore background(db.path());
        AreaConfigPage page(db.store(), &background, Area::Inbound);
        page.resize(900, 700);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTableView *users = page.userView();
        QTRY_COMPARE(users->model()->rowCount(), 2);
        QTRY_COMPARE(users->model()->index(1, 1).data().toString(), u"carol@drypizza.com"_s);
        auto *filter = page.findChild<QLineEdit *>(u"userFilter"_s);
        filter->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(filter->hasFocus());
        QCoreApplication::processEvents();
        const QImage before = users->grab().toImage();
        // Tab from the filter into the table.
        QTest::keyClick(filter, Qt::Key_Tab);
        QTRY_VERIFY(users->hasFocus());
        QVERIFY(users->currentIndex().isValid());
        QCoreApplication::processEvents();
        QTRY_VERIFY(users->grab().toImage() != before);
    }

    void aRefusedEditStaysOpenWithTheReason()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(
            db.store()->addUserMapping(Area::Outbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s).ok());
        BackgroundStore background(db.path());
        AreaConfigPage page(db.store(), &background, Area::Outbound);
        page.resize(900, 700);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QTableView *users = page.userView();
        QTRY_COMPARE(users->model()->index(0, 1).data().toString(), u"bob@drypizza.com"_s);
        // The list has settled (its count and sorted first page come from the
        // pager's thread; a late reset would close any editor).
        QSignalSpy resets(users->model(), &QAbstractItemModel::modelReset);
        for (int i = 0; i < 20; ++i) {
            resets.clear();
            QTest::qWait(200);
            if (resets.isEmpty())
                break;
        }
        QTRY_COMPARE(users->model()->index(0, 1).data().toString(), u"bob@drypizza.com"_s);
        // Keyboard: the table, the target cell, F2.
        users->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(users->hasFocus());
        users->setCurrentIndex(users->model()->index(0, 1));
        QTest::keyClick(users, Qt::Key_F2);
        QLineEdit *editor = nullptr;
        QTRY_VERIFY((editor = users->findChild<QLineEdit *>(u"cellEditor"_s)) && editor->isVisible());
        QTRY_VERIFY(editor->hasFocus());
        editor->selectAll();
        QTest::keyClicks(editor, u"bob.owen@"_s);
        // A refresh of the row meanwhile (the pager) must not undo the typing.
        emit users->model()->dataChanged(users->model()->index(0, 0), users->model()->index(0, 1));
        QCOMPARE(editor->text(), u"bob.owen@"_s);
        // Return and Tab: refused, and the editor stays open with the text and the reason.
        for (Qt::Key key : {Qt::Key_Return, Qt::Key_Tab}) {
            QTest::keyClick(editor, key);
            QTest::qWait(100);
            QVERIFY(editor = users->findChild<QLineEdit *>(u"cellEditor"_s));
            QVERIFY(editor->isVisible());
            QCOMPARE(editor->text(), u"bob.owen@"_s);
            QVERIFY(!editor->toolTip().isEmpty());
            QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Error);
            QVERIFY2(page.banner()->text().contains(u"bob.owen@"_s), qPrintable(page.banner()->text()));
            QCOMPARE(db.store()->userMappings(Area::Outbound).at(0).target, u"bob@drypizza.com"_s);
        }
        // Corrected in place, Return stores it.
        QTest::keyClicks(editor, u"drypizza.com"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(db.store()->userMappings(Area::Outbound).at(0).target, u"bob.owen@drypizza.com"_s);
        QTRY_VERIFY(!users->findChild<QLineEdit *>(u"cellEditor"_s) ||
                    !users->findChild<QLineEdit *>(u"cellEditor"_s)->isVisible());
    }

    void enumeratedSettingsAreComboBoxes()
    {
        TempDb db;
        QVERIFY(db.ok());
        SettingsPage page(db.store());
        page.resize(1000, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        int enumerated = 0;
        for (const SettingDef &def : SettingsSchema::all()) {
            if (def.choices.isEmpty())
                continue;
            ++enumerated;
            QComboBox *combo = page.choiceField(def.key);
            QVERIFY2(combo, qPrintable(def.key));
            QVERIFY2(!page.field(def.key), qPrintable(def.key));
            QVERIFY(!combo->isEditable());
            QStringList values;
            for (int i = 0; i < combo->count(); ++i)
                values << combo->itemData(i).toString();
            QCOMPARE(values, def.choices);
            QCOMPARE(combo->currentData().toString(), def.defaultValue);
        }
        QVERIFY(enumerated >= 5);
        // "Require STARTTLS before MAIL" picked from the list, saved like any setting.
        QComboBox *require = page.choiceField(u"tls.required_before_mail"_s);
        require->setFocus();
        QTest::keyClick(require, Qt::Key_Down);
        QCOMPARE(require->currentData().toString(), u"allowed_clients"_s);
        QVERIFY(page.hasUnsavedChanges());
        QVERIFY(page.save());
        QCOMPARE(db.store()->setting(u"tls.required_before_mail"_s), u"allowed_clients"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestKeyboard)
#include "tst_keyboard.moc"
