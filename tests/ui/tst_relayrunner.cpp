// The relay inside the console, end to end: push, Activate on the Settings
// page, a real SMTP client (Python's smtplib) sends through the listening
// port, the next hop is a real SMTP sink (smtpsink.py), and the message shows
// up live in the Inbound Logs page: received, rewritten, delivered. Then Stop
// mail routing, after its checklist.
#include "tests/app/ctlrun.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"
#include "tests/ui/uitest.h"
#include "ui/arealogspage.h"
#include "ui/mainwindow.h"
#include "ui/messagelogmodel.h"
#include "ui/settingspage.h"

#include "relaycore/queue/spool.h"
#include "relaycore/store/operationsstore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

#include <unistd.h>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

bool sendWithSmtplib(quint16 port, const QString &from, const QString &to, QString *output)
{
    const QString script = uR"(
import smtplib, sys
msg = "From: <%2>\r\nTo: <%3>\r\nSubject: console test\r\n\r\nHello through MailRoute.\r\n"
with smtplib.SMTP("127.0.0.1", %1, timeout=20) as s:
    s.ehlo("client.test")
    print(s.sendmail("%2", ["%3"], msg))
)"_s.arg(port)
                               .arg(from, to);
    QProcess python;
    python.start(QStandardPaths::findExecutable(u"python3"_s), {u"-c"_s, script});
    if (!python.waitForFinished(30000))
        return false;
    *output = QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError());
    return python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0;
}

bool logHas(const MessageLogModel *log, const QString &event, const QString &text)
{
    for (int i = 0; i < log->rowCount(); ++i) {
        const MessageLogRow &r = log->rowAt(i);
        if (r.event == event && r.contains(text))
            return true;
    }
    return false;
}

} // namespace

class TestRelayRunner final : public QObject
{
    Q_OBJECT
private slots:
    // Issue 11 item 3: the console's relay follows pushes and rollbacks made
    // by another process (mailroutectl) within a second, as serve does: a
    // recipient only the pushed rules accept is refused before, routed after.
    void cliPushAndRollbackReachTheConsolesRelay()
    {
        MAILROUTE_REQUIRE(!QStandardPaths::findExecutable(u"python3"_s).isEmpty(),
                          "python3 is needed for the SMTP client and sink");
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok()); // delivery is the subject (issue 18)
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.test"_s).ok());
        QVERIFY(s->setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(sink.port())).ok());
        QVERIFY(s->setSetting(u"relay.postmaster"_s, u"admin@drypizza.com"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->push().ok());

        RelayRunner::Options options;
        options.pollMs = 200;
        RelayRunner runner(s, options);
        auto pushed = s->generationConfig(1);
        QVERIFY(pushed.ok());
        auto first = RelayConfig::build(*pushed, 1);
        QVERIFY(first.ok());
        QCOMPARE(runner.start(*first), QString());
        QTRY_COMPARE_WITH_TIMEOUT(runner.mode(), RelayRunner::Mode::Running, 15000);

        QString output;
        QVERIFY(!sendWithSmtplib(port, u"partner@partner.example"_s, u"ann@oldname.example"_s, &output));
        QVERIFY2(output.contains(u"550"_s), qPrintable(output));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MAILROUTE_DB"_s, db.path());
        Run r = runMailroutectl(
            {u"domains"_s, u"add"_s, u"--area"_s, u"inbound"_s, u"@oldname.example"_s, u"@newname.example"_s},
            env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runMailroutectl({u"push"_s}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, u"generation 2 is active\n"_s);
        QTRY_COMPARE_WITH_TIMEOUT(runner.status().generation, qint64(2), 10000);

        QVERIFY2(sendWithSmtplib(port, u"partner@partner.example"_s, u"ann@oldname.example"_s, &output),
                 qPrintable(output));
        auto delivered = [&sink](const QString &address) {
            for (const QJsonObject &m : sink.messages()) {
                for (const QJsonValue &v : m.value(u"rcpts"_s).toArray()) {
                    if (v.toString().contains(address))
                        return true;
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(delivered(u"ann@newname.example"_s), 20000);
        // The console's relay also sends the confirmations: of the push made
        // before it started, and of the one mailroutectl made.
        auto confirmations = [&sink] {
            QStringList subjects;
            for (const QJsonObject &m : sink.messages()) {
                const QByteArray data = PySink::data(m);
                if (m.value(u"rcpts"_s).toArray().first().toString() == u"<admin@drypizza.com>"_s &&
                    data.contains("Auto-Submitted: auto-generated"))
                    subjects << QString::fromUtf8(
                        data.mid(data.indexOf("Subject: ") + 9).split('\r').value(0));
            }
            return subjects;
        };
        QTRY_COMPARE_WITH_TIMEOUT(confirmations().size(), 2, 20000);
        QVERIFY(confirmations().contains(u"MailRoute: configuration generation 2 is active"_s));

        // A rollback by mailroutectl takes the rule away again.
        r = runMailroutectl({u"rollback"_s}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(runner.status().generation, qint64(1), 10000);
        QVERIFY(!sendWithSmtplib(port, u"partner@partner.example"_s, u"bea@oldname.example"_s, &output));
        QVERIFY2(output.contains(u"550"_s), qPrintable(output));

        runner.stop();
        QTRY_COMPARE_WITH_TIMEOUT(runner.mode(), RelayRunner::Mode::Stopped, 40000);
    }

    void routeAMessageAndSeeItLive()
    {
        MAILROUTE_REQUIRE(!QStandardPaths::findExecutable(u"python3"_s).isEmpty(),
                          "python3 is needed for the SMTP client and sink");
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        QVERIFY(port != 0);

        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok()); // delivery is the subject (issue 18)
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.test"_s).ok());
        QVERIFY(s->setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(sink.port())).ok());
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->push().ok());

        RelayRunner::Options options;
        options.pollMs = 200;
        MainWindow window(s, options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Page::Settings);
        click(window.settingsPage()->activateButton());
        auto *state = window.findChild<QLabel *>(u"relayStateLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT(state->text() == u"Relay: listening on 127.0.0.1:%1"_s.arg(port), 15000);
        QCOMPARE(window.relay()->mode(), RelayRunner::Mode::Running);
        QVERIFY(!window.settingsPage()->activateButton()->isEnabled());
        QVERIFY(window.settingsPage()->stopButton()->isEnabled());

        QString output;
        QVERIFY2(sendWithSmtplib(port, u"partner@partner.example"_s, u"chloe@warmsushi.com"_s, &output),
                 qPrintable(output));

        // Live in the Inbound Logs page, within the batching delay.
        window.showAreaPage(Area::Inbound, true);
        AreaLogsPage *logs = window.logsPage(Area::Inbound);
        const MessageLogModel *log = logs->messageLogModel();
        QTRY_VERIFY_WITH_TIMEOUT(logHas(log, u"received"_s, u"chloe@warmsushi.com"_s), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(log, u"rewritten"_s, u"chloe@drypizza.com"_s), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(log, u"delivered"_s, u"chloe@drypizza.com"_s), 20000);
        // The area filter shows them (the message touched an Inbound rule) …
        QVERIFY(logs->messageView()->model()->rowCount() >= 3);
        // … and the Relay area's page does not.
        QTRY_COMPARE(window.logsPage(Area::Relay)->messageView()->model()->rowCount(), 0);
        // The next hop got the rewritten recipient.
        QTRY_VERIFY_WITH_TIMEOUT(!sink.messages().isEmpty(), 10000);
        const QJsonArray rcpts = sink.messages().constFirst().value(u"rcpts"_s).toArray();
        QCOMPARE(rcpts.size(), 1);
        QVERIFY(rcpts.at(0).toString().contains(u"chloe@drypizza.com"_s));

        // Stop mail routing: the checklist first.
        click(window.settingsPage()->stopButton());
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"stopRelayDialog"_s)));
        QVERIFY(box->informativeText().contains(u"MX records"_s));
        click(box->button(QMessageBox::Yes));
        QTRY_VERIFY_WITH_TIMEOUT(state->text() == u"Relay: stopped"_s, 15000);
        QCOMPARE(window.relay()->mode(), RelayRunner::Mode::Stopped);
    }

    void stopWarnsWhenMxRecordsStillPointHere()
    {
        DnsmasqProcess dns;
        const QString why = dns.start({u"--mx-host=warmsushi.test,relay.console.test,10"_s,
                                       u"--mx-host=moved.test,mx.elsewhere.test,10"_s, u"--local=/test/"_s});
        REQUIRE_DNSMASQ(why);
        const quint16 port = closedPort();
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok()); // delivery is the subject (issue 18)
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.console.test"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.test"_s, u"drypizza.test"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Relay, u"moved.test"_s, u"new.test"_s).ok());
        QVERIFY(s->push().ok());
        RelayRunner::Options options;
        options.nameserver = dns.nameserver();
        MainWindow window(s, options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateRelay();
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Running, 15000);
        window.stopRelay(true);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"stopRelayDialog"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(!box->informativeText().contains(u"Checking the MX records"_s), 15000);
        const QString text = box->informativeText();
        QVERIFY2(text.contains(
                     u"the MX records of warmsushi.test (MX relay.console.test) still point to this relay"_s),
                 qPrintable(text));
        QVERIFY2(!text.contains(u"moved.test"_s), qPrintable(text));
        click(box->button(QMessageBox::Cancel));
        QCOMPARE(window.relay()->mode(), RelayRunner::Mode::Running);
        window.stopRelay(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Stopped, 15000);
    }

    // Issue 11: the console's relay sees a hold within seconds, and the stop
    // checklist names the active holds.
    void stopChecklistNamesActiveHolds()
    {
        const quint16 port = closedPort();
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok()); // delivery is the subject (issue 18)
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.console.test"_s).ok());
        QVERIFY(s->push().ok());
        MainWindow window(s, RelayRunner::Options{});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateRelay();
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Running, 15000);
        QList<MessageLogEntry> seen;
        connect(window.relay(), &RelayRunner::events, this,
                [&seen](const QList<MessageLogEntry> &e) { seen << e; });
        OperationsStore ops(s->path());
        QVERIFY(ops.open().ok());
        QVERIFY(ops.addHold(u"drypizza.com"_s, {}, QDateTime::currentDateTimeUtc()).ok());
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(seen.cbegin(), seen.cend(),
                                             [](const MessageLogEntry &e) {
                                                 return e.event == MessageEvent::Held &&
                                                        e.fields.value(u"domain"_s).toString() ==
                                                            u"drypizza.com"_s;
                                             }),
                                 10000);
        window.stopRelay(true);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"stopRelayDialog"_s)));
        QVERIFY2(box->informativeText().contains(u"1 domain(s) on hold: @drypizza.com."_s),
                 qPrintable(box->informativeText()));
        click(box->button(QMessageBox::Yes));
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Stopped, 15000);
    }

    void closingWhileRunningAsks()
    {
        const quint16 port = closedPort();
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok());
        QVERIFY(s->setSetting(u"verify.recipients"_s, u"off"_s).ok()); // delivery is the subject (issue 18)
        QVERIFY(s->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(s->push().ok());
        MainWindow window(s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateRelay();
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Running, 15000);
        QSignalSpy closed(&window, &MainWindow::windowClosed);
        QVERIFY(!window.close()); // not closed: it asks first
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"closeWhileRunningDialog"_s)));
        // Cancel keeps everything as it was.
        click(box->button(QMessageBox::Cancel));
        QTRY_VERIFY(!findVisible<QMessageBox>(&window, u"closeWhileRunningDialog"_s));
        QVERIFY(window.isVisible());
        QCOMPARE(window.relay()->mode(), RelayRunner::Mode::Running);
        QCOMPARE(closed.size(), 0);
        // Stop and Quit stops the relay, then closes.
        QVERIFY(!window.close());
        QTRY_VERIFY((box = findVisible<QMessageBox>(&window, u"closeWhileRunningDialog"_s)));
        QAbstractButton *stop = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            if (b->text() == u"Stop and Quit"_s)
                stop = b;
        }
        QVERIFY(stop);
        click(stop);
        QTRY_VERIFY_WITH_TIMEOUT(window.relay()->mode() == RelayRunner::Mode::Stopped, 15000);
        QTRY_VERIFY(!window.isVisible());
        // Closed for real: the console ends.
        QCOMPARE(closed.size(), 1);
    }

    void headlessRelayIsFollowedNotDuplicated()
    {
        // A relay engine holding the spool of this database (what
        // `mailroutectl serve` does): the console follows it instead of
        // starting a second listener.
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(s->push().ok());
        const QString spoolDir = QFileInfo(db.path()).absolutePath() + u"/spool"_s;
        auto engine = std::make_unique<Spool>(spoolDir, Spool::Role::Engine);
        QVERIFY(engine->open().ok());

        RelayRunner::Options options;
        options.pollMs = 100;
        MainWindow window(s, options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(window.relay()->mode(), RelayRunner::Mode::Headless);
        auto *state = window.findChild<QLabel *>(u"relayStateLabel"_s);
        QVERIFY(state->text().contains(u"headless"_s));
        QVERIFY(!window.settingsPage()->activateButton()->isEnabled());
        // Its log lines, written to the database, appear live.
        MessageLogEntry e;
        e.queueId = u"HEADLESS1"_s;
        e.event = MessageEvent::Received;
        e.fields = {{u"from"_s, u"x@partner.example"_s}, {u"to"_s, u"y@a.example"_s}, {u"size"_s, 10}};
        ConfigStore other(db.path());
        QVERIFY(other.open().ok());
        QVERIFY(other.appendMessageEvents({e}).ok());
        window.showAreaPage(Area::Relay, true);
        AreaLogsPage *logs = window.logsPage(Area::Relay);
        QTRY_VERIFY(logHas(logs->messageLogModel(), u"received"_s, u"HEADLESS1"_s));
        // It goes away: the console sees that too.
        engine.reset();
        QTRY_COMPARE(window.relay()->mode(), RelayRunner::Mode::Stopped);
        QTRY_COMPARE(state->text(), u"Relay: stopped"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestRelayRunner)
#include "tst_relayrunner.moc"
