// The queue view: QueueModel (passes QAbstractItemModelTester, shows only
// recipients still to deliver) and QueuePage over a real spool, with Retry now
// and Delete (after a confirmation) as a person clicks them.
#include "tests/ui/uitest.h"
#include "ui/infobanner.h"
#include "ui/queuemodel.h"
#include "ui/queuepage.h"

#include "relaycore/queue/spool.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/operationsstore.h"
#include "ui/holddialog.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

IncomingMessage message(const QString &sender, const QStringList &recipients)
{
    IncomingMessage in;
    in.meta.sender = sender;
    in.meta.clientAddress = u"192.0.2.7"_s;
    in.meta.heloName = u"client.example"_s;
    in.meta.generation = 1;
    for (const QString &r : recipients) {
        QueuedRecipient q;
        q.address = r;
        q.originalAddress = r;
        in.meta.recipients << q;
    }
    in.data = "Subject: test\r\n\r\nHello\r\n";
    return in;
}

} // namespace

class TestQueuePage final : public QObject
{
    Q_OBJECT
private slots:
    void modelShowsWhatIsStillQueued()
    {
        QueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QueuedMessage a;
        a.id = 1;
        a.queueId = u"AAA"_s;
        a.sender = u"bob@warmsushi.com"_s;
        a.arrival = QDateTime::currentDateTimeUtc();
        a.recipients = {{1, u"x@drypizza.com"_s, {}, RecipientStatus::Delivered, 1, {}, {}},
                        {2,
                         u"y@drypizza.com"_s,
                         {},
                         RecipientStatus::Queued,
                         2,
                         a.arrival.addSecs(300),
                         u"451 4.3.0 try later"_s}};
        QueuedMessage b = a;
        b.id = 2;
        b.queueId = u"BBB"_s;
        b.sender.clear();
        b.recipients = {{3, u"z@drypizza.com"_s, {}, RecipientStatus::Bounced, 3, {}, u"550 no"_s}};
        model.setMessages({a, b});
        QCOMPARE(model.rowCount(), 1); // b has nothing left to deliver
        QCOMPARE(model.index(0, QueueModel::RecipientsColumn).data().toString(), u"y@drypizza.com"_s);
        QCOMPARE(model.index(0, QueueModel::AttemptsColumn).data().toInt(), 2);
        QCOMPARE(model.index(0, QueueModel::LastErrorColumn).data().toString(), u"451 4.3.0 try later"_s);
        b.recipients << QueuedRecipient{4, u"w@drypizza.com"_s, {}, RecipientStatus::Queued, 0, {}, {}};
        model.setMessages({a, b});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, QueueModel::SenderColumn).data().toString(), u"<>"_s);
        QCOMPARE(model.index(1, QueueModel::NextAttemptColumn).data().toString(), u"now"_s);
        model.setMessages({});
        QCOMPARE(model.rowCount(), 0);
    }

    void retryAndDeleteOnARealSpool()
    {
        QTemporaryDir dir;
        const QString spoolDir = dir.filePath(u"spool"_s);
        QString first;
        {
            Spool engine(spoolDir, Spool::Role::Engine);
            QVERIFY(engine.open().ok());
            const auto stored = engine.store({message(u"bob@warmsushi.com"_s, {u"chloe@drypizza.com"_s}),
                                              message(u"ann@warmsushi.com"_s, {u"dan@drypizza.com"_s})});
            QVERIFY(stored.ok());
            first = stored->at(0).queueId;
            const QueuedMessage &m = stored->at(0);
            QVERIFY(engine
                        .update({{m.id, m.recipients.at(0).id, RecipientStatus::Queued, 1,
                                  QDateTime::currentDateTimeUtc().addSecs(3600), u"421 4.7.0 busy"_s}})
                        .ok());
        } // the engine is gone: the page's requests apply at once

        QueuePage page(spoolDir);
        page.resize(1000, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTableView *view = page.view();
        QTRY_COMPARE(view->model()->rowCount(), 2);
        QCOMPARE(view->model()->index(0, QueueModel::QueueIdColumn).data().toString(), first);
        QCOMPARE(view->model()->index(0, QueueModel::LastErrorColumn).data().toString(), u"421 4.7.0 busy"_s);
        QVERIFY(view->model()->index(0, QueueModel::NextAttemptColumn).data().toString() != u"now"_s);

        // Retry now on the first message: due at once.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(0, QueueModel::SenderColumn)).center());
        click(page.findChild<QPushButton *>(u"retryButton"_s));
        QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Success);
        QTRY_COMPARE(view->model()->index(0, QueueModel::NextAttemptColumn).data().toString(), u"now"_s);

        // Delete the second, after saying yes.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(1, QueueModel::SenderColumn)).center());
        click(page.findChild<QPushButton *>(u"deleteQueuedButton"_s));
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&page, u"confirmDeleteQueued"_s)));
        QCOMPARE(box->text(), u"Delete 1 queued message(s)?"_s);
        click(box->button(QMessageBox::Yes));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, QueueModel::QueueIdColumn).data().toString(), first);
        Spool admin(spoolDir, Spool::Role::Admin);
        QVERIFY(admin.open().ok());
        QCOMPARE(admin.messageCount().value.value_or(-1), 1);
    }

    // Issue 12: at 1024 px every header is readable ("Last error" was
    // squashed), and the list follows the relay's events at once instead of
    // waiting for its two-second poll.
    void headersReadableAndRefreshOnRelayEvents()
    {
        QTemporaryDir dir;
        const QString spoolDir = dir.filePath(u"spool"_s);
        Spool engine(spoolDir, Spool::Role::Engine);
        QVERIFY(engine.open().ok());
        QVERIFY(engine.store({message(u"bob@warmsushi.com"_s, {u"chloe@drypizza.com"_s})}).ok());

        QueuePage page(spoolDir);
        page.resize(1024, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTableView *view = page.view();
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QHeaderView *header = view->horizontalHeader();
        for (int c = 0; c < QueueModel::ColumnCount; ++c) {
            const QString title = view->model()->headerData(c, Qt::Horizontal).toString();
            QVERIFY2(header->sectionSize(c) > header->fontMetrics().horizontalAdvance(title),
                     qPrintable(title));
        }

        // The poll is stopped: only an event can refresh the list now.
        auto *poll = page.findChild<QTimer *>(u"queuePollTimer"_s);
        QVERIFY(poll);
        poll->stop();
        const auto stored = engine.store({message(u"ann@warmsushi.com"_s, {u"dan@drypizza.com"_s})});
        QVERIFY(stored.ok());
        // A refusal is no queue event: nothing changes.
        MessageLogEntry refusal;
        refusal.event = MessageEvent::Refused;
        page.relayEvents({refusal});
        QTest::qWait(QueuePage::kEventRefreshMs * 3);
        QCOMPARE(view->model()->rowCount(), 1);
        MessageLogEntry received;
        received.event = MessageEvent::Received;
        received.queueId = stored->at(0).queueId;
        page.relayEvents({received});
        QTRY_COMPARE(view->model()->rowCount(), 2);
        QVERIFY(!poll->isActive());
    }

    // Issue 11: held domains listed with the mail waiting for them; Hold…
    // asks for the domain (checked as you type), Release ends the hold.
    void holdAndReleaseADomain()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"mailroute.db"_s);
        {
            ConfigStore store(db);
            QVERIFY(store.open().ok());
        }
        const QString spoolDir = dir.filePath(u"spool"_s);
        {
            Spool engine(spoolDir, Spool::Role::Engine);
            QVERIFY(engine.open().ok());
            QVERIFY(engine
                        .store({message(u"bob@warmsushi.com"_s,
                                        {u"chloe@drypizza.com"_s, u"dan@drypizza.com"_s})})
                        .ok());
        }
        QueuePage page(spoolDir);
        page.setDatabasePath(db);
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTableWidget *holds = page.holdsTable();
        QCOMPARE(holds->rowCount(), 0);

        click(page.findChild<QPushButton *>(u"holdButton"_s));
        HoldDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<HoldDialog>(&page, u"holdDialog"_s)));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(dialog->domainEdit(), u"not a domain"_s);
        QVERIFY(!ok->isEnabled());
        dialog->domainEdit()->clear();
        QTest::keyClicks(dialog->domainEdit(), u"@DryPizza.com"_s);
        QVERIFY(ok->isEnabled());
        click(ok);
        QTRY_COMPARE(holds->rowCount(), 1);
        QCOMPARE(holds->item(0, 0)->text(), u"@drypizza.com"_s);
        QCOMPARE(holds->item(0, 3)->text(), u"2"_s); // two recipients wait
        OperationsStore ops(db);
        QVERIFY(ops.open().ok());
        QCOMPARE(ops.holds()->size(), 1);
        QVERIFY(!ops.holds()->first().until.isValid());

        holds->selectRow(0);
        click(page.findChild<QPushButton *>(u"releaseButton"_s));
        QTRY_COMPARE(holds->rowCount(), 0);
        QCOMPARE(ops.holds()->size(), 0);
        QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Success);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestQueuePage)
#include "tst_queuepage.moc"
