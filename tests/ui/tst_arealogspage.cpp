// Issue 12, the console's logs: a recipient the relay refuses is a line on
// the Logs page with its reply (a real SMTP client against the console's own
// relay); the Rule column says which rule rewrote an address; at a 1024-px
// window addresses are shown whole and the Status column is reachable by
// scrolling; one date/time format on every page; action log lines that name
// what was deleted.
#include "tests/relaycore/delivery/sinkprocesses.h"
#include "tests/ui/uitest.h"
#include "ui/actionlogmodel.h"
#include "ui/arealogspage.h"
#include "ui/displaytime.h"
#include "ui/mainwindow.h"
#include "ui/messagelogfilter.h"
#include "ui/messagelogmodel.h"
#include "ui/queuemodel.h"
#include "ui/settingspage.h"

#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// Python's smtplib: one message, every recipient tried; prints what was refused.
QString sendWithSmtplib(quint16 port, const QString &from, const QStringList &to)
{
    const QString script = uR"(
import smtplib, sys
to = sys.argv[3:]
msg = "From: <%s>\r\nTo: %s\r\nSubject: refusal test\r\n\r\nHello.\r\n" % (sys.argv[2], ", ".join(to))
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20) as s:
    s.ehlo("client.test")
    try:
        print(s.sendmail(sys.argv[2], to, msg))
    except smtplib.SMTPRecipientsRefused as e:
        print(e.recipients)
)"_s;
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(u"/usr/bin/python3"_s, QStringList{u"-c"_s, script, QString::number(port), from} + to);
    if (!python.waitForFinished(30000))
        python.kill();
    return QString::fromUtf8(python.readAll());
}

// The filtered view's row whose event is `event` and whose text has `text`; -1: none.
int viewRow(const QTableView *view, const QString &event, const QString &text)
{
    const QAbstractItemModel *m = view->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, MessageLogModel::EventColumn).data().toString() != event)
            continue;
        for (int c = 0; c < MessageLogModel::ColumnCount; ++c) {
            if (m->index(row, c).data().toString().contains(text))
                return row;
        }
    }
    return -1;
}

// The cell's text fits its column: nothing is elided.
bool shownWhole(const QTableView *view, const QModelIndex &index)
{
    const QString text = index.data().toString();
    return view->fontMetrics().horizontalAdvance(text) <
           view->horizontalHeader()->sectionSize(index.column());
}

} // namespace

class TestAreaLogsPage final : public QObject
{
    Q_OBJECT
private slots:
    void refusedRecipientAndRuleOnTheLogsPage()
    {
        MAILROUTE_REQUIRE(QFile::exists(u"/usr/bin/python3"_s),
                          "/usr/bin/python3 is needed for the SMTP client");
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.test"_s).ok());
        // Mail that stays queued (the smart host is down): no recipient verification.
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok());
        // Nothing listens there: accepted mail waits in the queue, which is all this needs.
        QVERIFY(s->setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(closedPort())).ok());
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->push().ok());

        RelayRunner::Options options;
        options.pollMs = 200;
        MainWindow window(s, options);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Page::Settings);
        click(window.settingsPage()->activateButton());
        QTRY_COMPARE_WITH_TIMEOUT(window.relay()->mode(), RelayRunner::Mode::Running, 15000);

        const QString refusedAddress = u"a.very.long.mailbox.name.for.testing@partner-company.example"_s;
        const QString output =
            sendWithSmtplib(port, u"sender.with.a.long.name@outside-tenant.example"_s,
                            {u"chloe.with.a.long.mailbox.name@warmsushi.com"_s, refusedAddress});
        QVERIFY2(output.contains(u"550"_s) && output.contains(refusedAddress), qPrintable(output));

        // The Inbound Logs page as it opens (this area's messages): the
        // refusal is there with the client's addresses and the reply.
        window.showAreaPage(Area::Inbound, true);
        AreaLogsPage *logs = window.logsPage(Area::Inbound);
        QTableView *view = logs->messageView();
        QTRY_VERIFY_WITH_TIMEOUT(viewRow(view, u"refused"_s, refusedAddress) >= 0, 15000);
        const int refused = viewRow(view, u"refused"_s, refusedAddress);
        const QAbstractItemModel *m = view->model();
        QCOMPARE(m->index(refused, MessageLogModel::ToColumn).data().toString(), refusedAddress);
        QCOMPARE(m->index(refused, MessageLogModel::FromColumn).data().toString(),
                 u"sender.with.a.long.name@outside-tenant.example"_s);
        const QString status = m->index(refused, MessageLogModel::StatusColumn).data().toString();
        QVERIFY2(status.contains(u"550 5.7.1"_s) && status.contains(u"relay access denied"_s),
                 qPrintable(status));
        QVERIFY2(status.contains(u"127.0.0.1"_s), qPrintable(status));
        QCOMPARE(m->index(refused, MessageLogModel::StatusColumn).data(Qt::ToolTipRole).toString(), status);

        // The accepted recipient was rewritten by the Inbound domain rule: the Rule column says so.
        QTRY_VERIFY_WITH_TIMEOUT(
            viewRow(view, u"rewritten"_s, u"chloe.with.a.long.mailbox.name@drypizza.com"_s) >= 0, 15000);
        const int rewritten = viewRow(view, u"rewritten"_s, u"chloe.with.a.long.mailbox.name@drypizza.com"_s);
        QCOMPARE(m->index(rewritten, MessageLogModel::RuleColumn).data().toString(),
                 u"Inbound · domain rule · @warmsushi.com -> @drypizza.com"_s);
        QCOMPARE(MessageLogModel::columnTitle(MessageLogModel::RuleColumn), u"Rule"_s);

        // 1024 px: addresses whole, the rule whole, Status reachable by scrolling.
        QCOMPARE(window.width(), 1024);
        for (int row : {refused, rewritten}) {
            for (int c : {int(MessageLogModel::FromColumn), int(MessageLogModel::ToColumn),
                          int(MessageLogModel::RewrittenColumn), int(MessageLogModel::RuleColumn)})
                QVERIFY2(shownWhole(view, m->index(row, c)), qPrintable(m->index(row, c).data().toString()));
        }
        QVERIFY(view->horizontalHeader()->length() > view->viewport()->width()); // wider than the window ...
        QVERIFY(view->horizontalScrollBar()->maximum() > 0);                     // ... so it scrolls
        const QModelIndex statusCell = m->index(refused, MessageLogModel::StatusColumn);
        view->scrollTo(statusCell);
        QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(statusCell)));
        QVERIFY(view->visualRect(statusCell).width() > 0);

        // The Relay area's page shows the refusal too: it belongs to no area.
        QTRY_VERIFY(viewRow(window.logsPage(Area::Relay)->messageView(), u"refused"_s, refusedAddress) >= 0);
        QCOMPARE(viewRow(window.logsPage(Area::Relay)->messageView(), u"rewritten"_s, u"chloe"_s), -1);

        // Stop mail routing.
        click(window.settingsPage()->stopButton());
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"stopRelayDialog"_s)));
        click(box->button(QMessageBox::Yes));
        QTRY_COMPARE_WITH_TIMEOUT(window.relay()->mode(), RelayRunner::Mode::Stopped, 40000);
    }

    // One date/time format: locale-aware, with seconds, the same on the
    // Logs page, the action log and the Queue.
    void oneDateTimeFormatEverywhere()
    {
        const QDateTime t = QDateTime(QDate(2026, 12, 6), QTime(14, 51, 9)); // local time
        const QString us = DisplayTime::dateTime(t, QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY2(us.startsWith(u"12/6/2026 2:51:09"_s) && us.endsWith(u"PM"_s), qPrintable(us));
        QCOMPARE(DisplayTime::dateTime(t, QLocale(QLocale::German, QLocale::Germany)),
                 u"06.12.2026 14:51:09"_s);
        QVERIFY(DisplayTime::dateTime(QDateTime()).isEmpty());

        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const QDateTime utc = t.toUTC();
        const QString expected = u"06.12.2026 14:51:09"_s;

        MessageLogEntry e;
        e.time = utc;
        e.event = MessageEvent::Delivered;
        e.queueId = u"Q1"_s;
        QCOMPARE(MessageLogRow::fromEntry(e, 0).timeText, expected);

        ActionLogModel actions;
        actions.append({ActionLogEntry{1, utc, Area::Inbound, u"Update configuration request submitted"_s}});
        QCOMPARE(actions.index(0, ActionLogModel::TimeColumn).data().toString(), expected);

        QueueModel queue;
        QueuedMessage q;
        q.id = 1;
        q.queueId = u"Q1"_s;
        q.arrival = utc;
        q.recipients = {{1, u"x@drypizza.com"_s, {}, RecipientStatus::Queued, 1, utc, u"451 4.3.0 later"_s}};
        queue.setMessages({q});
        QCOMPARE(queue.index(0, QueueModel::ArrivalColumn).data().toString(), expected);
        QCOMPARE(queue.index(0, QueueModel::NextAttemptColumn).data().toString(), expected);
        QLocale::setDefault(before);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestAreaLogsPage)
#include "tst_arealogspage.moc"
