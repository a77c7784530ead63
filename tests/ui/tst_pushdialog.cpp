// Push and rollback through the window: Push on the action bar shows the diff
// and the lint warnings, Push in the dialog stores the generation off the GUI
// thread; the status bar and the action log show it. Restoring an earlier
// generation asks first.
#include "tests/ui/uitest.h"
#include "ui/actionlogmodel.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/draftundo.h"
#include "ui/mainwindow.h"
#include "ui/pushdialog.h"
#include "ui/rollbackdialog.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

QString lastActionLine(MainWindow *window, Area area)
{
    const ActionLogModel *model = window->logsPage(area)->actionLogModel();
    if (model->rowCount() == 0)
        return {};
    return model->index(model->rowCount() - 1, ActionLogModel::MessageColumn).data().toString();
}

QString statusText(MainWindow *window, const QString &name)
{
    auto *label = window->findChild<QLabel *>(name);
    return label ? label->text() : QString();
}

} // namespace

class TestPushDialog final : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempDb> m_db;
    std::unique_ptr<MainWindow> m_window;

    PushDialog *clickPush(Area area)
    {
        m_window->showAreaPage(area, false);
        click(m_window->configPage(area)->pushButton());
        PushDialog *dialog = nullptr;
        (void)QTest::qWaitFor(
            [&] { return (dialog = findVisible<PushDialog>(m_window.get(), u"pushDialog"_s)); });
        return dialog;
    }

private slots:
    void init()
    {
        m_db = std::make_unique<TempDb>();
        QVERIFY(m_db->ok());
        RelayRunner::Options options;
        options.pollMs = 200;
        m_window = std::make_unique<MainWindow>(m_db->store(), options);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_db.reset();
    }

    void pushWithConfirmation()
    {
        QCOMPARE(statusText(m_window.get(), u"generationLabel"_s), u"Nothing pushed yet"_s);
        QVERIFY(m_db->store()->addDomainMapping(Area::Relay, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(m_db->store()
                    ->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s)
                    .ok());
        m_window->refresh();
        QTRY_COMPARE(statusText(m_window.get(), u"pendingLabel"_s), u"2 unpushed change(s)"_s);

        PushDialog *dialog = clickPush(Area::Inbound);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        const QString diff = dialog->findChild<QPlainTextEdit *>(u"diffView"_s)->toPlainText();
        QVERIFY2(diff.contains(u"relay domain + @warmsushi.com -> @drypizza.com"_s), qPrintable(diff));
        QVERIFY2(diff.contains(u"inbound user + bob@warmsushi.com -> bob.owen@drypizza.com"_s),
                 qPrintable(diff));
        QVERIFY(dialog->findChild<QLabel *>(u"pushHeadline"_s)->text().contains(u"first generation"_s));
        // Nothing is pushed until confirmed.
        QVERIFY(!m_db->store()->activeGeneration());

        click(dialog->findChild<QPushButton *>(u"confirmPushButton"_s));
        QTRY_VERIFY(!findVisible<PushDialog>(m_window.get(), u"pushDialog"_s));
        QCOMPARE(m_db->store()->activeGeneration().value_or(0), 1);
        QTRY_COMPARE(statusText(m_window.get(), u"generationLabel"_s), u"Generation 1"_s);
        QTRY_COMPARE(statusText(m_window.get(), u"pendingLabel"_s), u"Everything pushed"_s);
        QCOMPARE(lastActionLine(m_window.get(), Area::Inbound), u"Configuration generation 1 is active."_s);
        QCOMPARE(lastActionLine(m_window.get(), Area::Relay), u"Configuration generation 1 is active."_s);
        const ActionLogModel *log = m_window->logsPage(Area::Inbound)->actionLogModel();
        QCOMPARE(log->index(log->rowCount() - 2, ActionLogModel::MessageColumn).data().toString(),
                 u"Update configuration request submitted"_s);

        // A second change: the generation and the log move on.
        QVERIFY(m_db->store()->addDomainMapping(Area::Outbound, u"old.example"_s, u"new.example"_s).ok());
        m_window->refresh();
        dialog = clickPush(Area::Outbound);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        QVERIFY(dialog->findChild<QLabel *>(u"pushHeadline"_s)->text().contains(u"generation 2"_s));
        QTest::keyClick(dialog, Qt::Key_Return);
        QTRY_COMPARE(statusText(m_window.get(), u"generationLabel"_s), u"Generation 2"_s);
        QCOMPARE(lastActionLine(m_window.get(), Area::Outbound), u"Configuration generation 2 is active."_s);
        // Inbound did not change in generation 2: its log did not get the line.
        QCOMPARE(lastActionLine(m_window.get(), Area::Inbound), u"Configuration generation 1 is active."_s);
    }

    void cancelPushesNothingAndLintIsShown()
    {
        // A chain: a -> b and b -> c in one area; lint says so.
        QVERIFY(m_db->store()->addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(m_db->store()->addDomainMapping(Area::Inbound, u"b.example"_s, u"c.example"_s).ok());
        m_window->refresh();
        PushDialog *dialog = clickPush(Area::Inbound);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        auto *lint = dialog->findChild<QListWidget *>(u"lintList"_s);
        QVERIFY(lint->isVisible());
        QVERIFY(lint->count() >= 1);
        QVERIFY(lint->item(0)->text().startsWith(u"Inbound: "_s));
        click(dialog->findChild<QPushButton *>(u"cancelPushButton"_s));
        QTRY_VERIFY(!findVisible<PushDialog>(m_window.get(), u"pushDialog"_s));
        QVERIFY(!m_db->store()->activeGeneration());
    }

    // The round-trip rule: each Inbound user mapping without its Outbound
    // inverse is a warning; "Create the Outbound inverse" adds them all to
    // the draft as one undo step, the preview is computed again, and a
    // conflicting Outbound mapping is left as it is.
    void createTheOutboundInverse()
    {
        ConfigStore *s = m_db->store();
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s).ok());
        QVERIFY(
            s->addUserMapping(Area::Inbound, u"carol@warmsushi.com"_s, u"carol.smith@drypizza.com"_s).ok());
        QVERIFY(s->addUserMapping(Area::Inbound, u"dave@warmsushi.com"_s, u"dave.x@drypizza.com"_s).ok());
        QVERIFY(s->addUserMapping(Area::Outbound, u"dave.x@drypizza.com"_s, u"david@warmsushi.com"_s).ok());
        m_window->refresh();
        PushDialog *dialog = clickPush(Area::Inbound);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        auto *lint = dialog->findChild<QListWidget *>(u"lintList"_s);
        const auto roundTripItems = [lint] {
            QStringList out;
            for (int i = 0; i < lint->count(); ++i) {
                if (lint->item(i)->text().contains(u"Outbound inverse"_s))
                    out << lint->item(i)->text();
            }
            return out;
        };
        QCOMPARE(roundTripItems().size(), 3);
        QVERIFY(roundTripItems().contains(
            u"Inbound: Inbound bob@warmsushi.com -> bob.owen@drypizza.com has no Outbound inverse: replies "
            u"from "
            "bob.owen@drypizza.com leave under that address, not as bob@warmsushi.com; add Outbound "
            "bob.owen@drypizza.com -> bob@warmsushi.com."_s));
        auto *create = dialog->findChild<QPushButton *>(u"createInversesButton"_s);
        QVERIFY(create->isVisible());
        QCOMPARE(create->text(), u"Create the Outbound inverse (2)"_s);
        QCOMPARE(dialog->missingInverses(), 2);

        click(create);
        QTRY_COMPARE(s->userMappings(Area::Outbound).size(), 3);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::Review);
        QTRY_COMPARE(dialog->missingInverses(), 0);
        QCOMPARE(s->userMappings(Area::Outbound),
                 (QList<UserMapping>{{u"bob.owen@drypizza.com"_s, u"bob@warmsushi.com"_s},
                                     {u"carol.smith@drypizza.com"_s, u"carol@warmsushi.com"_s},
                                     {u"dave.x@drypizza.com"_s, u"david@warmsushi.com"_s}}));
        QVERIFY(create->isHidden());
        // Only the conflict is left, and the diff shows the new mappings.
        QCOMPARE(roundTripItems().size(), 1);
        QVERIFY(roundTripItems().first().contains(u"Outbound dave.x@drypizza.com -> david@warmsushi.com"_s));
        QVERIFY(dialog->diffText().contains(u"outbound user + bob.owen@drypizza.com -> bob@warmsushi.com"_s));
        const QString summary = dialog->findChild<QLabel *>(u"pushSummary"_s)->text();
        QVERIFY2(summary.contains(u"2 Outbound user mapping(s) created in the draft."_s),
                 qPrintable(summary));
        QVERIFY2(summary.contains(u"1 Inbound mapping(s) left as they are"_s), qPrintable(summary));

        // One step of the undo history, both ways.
        QAction *undo = m_window->undo()->undoAction();
        QCOMPARE(undo->text(), u"&Undo Create 2 Outbound inverse(s)"_s);
        click(dialog->findChild<QPushButton *>(u"cancelPushButton"_s));
        undo->trigger();
        QTRY_COMPARE(s->userMappings(Area::Outbound).size(), 1);
        QTRY_VERIFY(!m_window->undo()->isBusy());
        m_window->undo()->redoAction()->trigger();
        QTRY_COMPARE(s->userMappings(Area::Outbound).size(), 3);
        QTRY_VERIFY(!m_window->undo()->isBusy());
        QVERIFY(s->push().ok());
        QCOMPARE(s->generationConfig(*s->activeGeneration()).value->area(Area::Outbound).users.size(), 3);
    }

    void nothingToPush()
    {
        QVERIFY(m_db->store()->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(m_db->store()->push().ok());
        m_window->refresh();
        PushDialog *dialog = clickPush(Area::Relay);
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->stage(), PushDialog::Stage::NothingToPush);
        QVERIFY(dialog->findChild<QLabel *>(u"pushHeadline"_s)->text().contains(u"Nothing to push"_s));
        QVERIFY(dialog->findChild<QPushButton *>(u"confirmPushButton"_s)->isHidden());
        click(dialog->findChild<QPushButton *>(u"cancelPushButton"_s));
        QCOMPARE(m_db->store()->generations().size(), 1);
    }

    void rollbackAsksFirst()
    {
        QVERIFY(m_db->store()->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(m_db->store()->push().ok());
        QVERIFY(m_db->store()->addDomainMapping(Area::Relay, u"c.example"_s, u"d.example"_s).ok());
        QVERIFY(m_db->store()->push().ok());
        m_window->refresh();
        QTRY_COMPARE(statusText(m_window.get(), u"generationLabel"_s), u"Generation 2"_s);

        // Deleted when it closes (WA_DeleteOnClose): a guarded pointer.
        const QPointer<RollbackDialog> dialog = m_window->openRollbackDialog();
        QTRY_VERIFY(dialog->isVisible());
        QTreeWidget *list = dialog->list();
        QCOMPARE(list->topLevelItemCount(), 2);
        // The one before the active generation is preselected.
        QCOMPARE(list->currentItem()->text(0), u"1"_s);
        auto *restore = dialog->findChild<QPushButton *>(u"restoreButton"_s);
        QVERIFY(restore->isEnabled());
        click(restore);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(dialog, u"confirmRollback"_s)));
        click(box->button(QMessageBox::Cancel));
        QCOMPARE(m_db->store()->activeGeneration().value_or(0), 2);
        click(restore);
        QTRY_VERIFY((box = findVisible<QMessageBox>(dialog, u"confirmRollback"_s)));
        click(box->button(QMessageBox::Yes));
        QTRY_VERIFY(!dialog || !dialog->isVisible());
        QCOMPARE(m_db->store()->domainMappings(Area::Relay).size(), 1);
        QTRY_VERIFY(statusText(m_window.get(), u"generationLabel"_s) != u"Generation 2"_s);
        QCOMPARE(m_window->configPage(Area::Relay)->domainView()->model()->rowCount(), 1);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestPushDialog)
#include "tst_pushdialog.moc"
