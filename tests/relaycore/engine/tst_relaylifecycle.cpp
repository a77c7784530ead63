// Issue 11 (field readiness) on the engine, end to end: bounces from a relay
// whose relay.hostname is empty on a machine with a single-label name ("vm")
// and from a correctly named one, read at a real SMTP sink (smtpsink.py) by
// an independent parser (Python's email package, /usr/bin/python3); a DSN
// that cannot be built leaves the message queued, never drops it. The
// machine name is injected (setMachineHostNameForTesting).
#include "relaycore/routing/relayhostname.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

int swaks(quint16 port, const QString &from, const QString &to, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("swaks"),
            {QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--helo"),
             QStringLiteral("client.test"), QStringLiteral("--from"), from, QStringLiteral("--to"), to,
             QStringLiteral("--timeout"), QStringLiteral("30")});
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// The DSN as Python's email package reads it: one "key=value" line per fact.
QMap<QString, QString> parseDsn(const QByteArray &message, QString *error)
{
    const QString script = QStringLiteral(R"(
import email, sys
from email import policy
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.compat32)
print("content_type=" + m.get_content_type())
print("report_type=" + (m.get_param("report-type") or ""))
print("from=" + email.utils.parseaddr(m["From"])[1])
print("auto_submitted=" + (m["Auto-Submitted"] or ""))
for part in m.walk():
    if part.get_content_type() == "message/delivery-status":
        blocks = part.get_payload()
        print("reporting_mta=" + (blocks[0]["Reporting-MTA"] or ""))
        print("final_recipient=" + (blocks[1]["Final-Recipient"] or ""))
        print("action=" + (blocks[1]["Action"] or ""))
        print("status=" + (blocks[1]["Status"] or ""))
)");
    QProcess py;
    py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script});
    py.write(message);
    py.closeWriteChannel();
    py.waitForFinished(30000);
    QMap<QString, QString> out;
    *error = QString::fromUtf8(py.readAllStandardError());
    for (const QString &line : QString::fromUtf8(py.readAllStandardOutput()).split(QLatin1Char('\n'))) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            out.insert(line.left(eq), line.mid(eq + 1).trimmed());
    }
    return out;
}

} // namespace

class TestRelayLifecycle : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_spools = 0;
    QList<MessageLogEntry> m_events;

    ConfigData config(quint16 listenPort, quint16 sinkPort, const QString &hostname) const
    {
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("verify.recipients"),
                          QStringLiteral("off")); // bounces are the subject
        if (!hostname.isEmpty())
            c.settings.insert(QStringLiteral("relay.hostname"), hostname);
        for (const char *domain : {"drypizza.example", "sender.example"})
            c.routes << TransportRoute{QString::fromLatin1(domain),
                                       QStringLiteral("[127.0.0.1]:%1").arg(sinkPort)};
        return c;
    }

    std::unique_ptr<EngineController> start(const ConfigData &c)
    {
        auto rc = RelayConfig::build(c, 1);
        if (!rc.ok())
            return nullptr;
        EngineController::Options o;
        o.engine.spoolDirectory = m_dir.filePath(QStringLiteral("spool%1").arg(++m_spools));
        o.engine.schedulerTickMs = 50;
        auto e = std::make_unique<EngineController>(o);
        connect(e.get(), &EngineController::events, this,
                [this](const QList<MessageLogEntry> &ev) { m_events << ev; });
        e->start(*rc);
        if (!QTest::qWaitFor([&] { return e->status().listening || !e->status().error.isEmpty(); }, 10000))
            return nullptr;
        return e;
    }

    QList<MessageLogEntry> eventsOf(const QString &kind) const
    {
        QList<MessageLogEntry> out;
        for (const MessageLogEntry &e : m_events) {
            if (e.eventName() == kind)
                out << e;
        }
        return out;
    }

    // A message to a recipient the next hop refuses (550): the relay bounces
    // it to alice@sender.example, which the same sink receives.
    void bounceFrom(const QString &machine, const QString &hostname, const QString &expectedName)
    {
        setMachineHostNameForTesting(machine);
        m_events.clear();
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob@drypizza.example>"),
                                                           QStringLiteral("550 5.1.1 no such user here")}}}}),
                 qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = start(config(port, sink.port(), hostname));
        QVERIFY(engine && engine->status().listening);
        QString out;
        QVERIFY2(swaks(port, QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"),
                       &out) == 0,
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("220 %1 ESMTP").arg(expectedName)), qPrintable(out));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 20000));
        const QJsonObject msg = sink.messages().first();
        QCOMPARE(msg.value(QStringLiteral("rcpts")).toArray().first().toString(),
                 QStringLiteral("<alice@sender.example>"));
        QString error;
        const auto dsn = parseDsn(PySink::data(msg), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(dsn.value(QStringLiteral("content_type")), QStringLiteral("multipart/report"));
        QCOMPARE(dsn.value(QStringLiteral("report_type")), QStringLiteral("delivery-status"));
        QCOMPARE(dsn.value(QStringLiteral("from")), QStringLiteral("MAILER-DAEMON@") + expectedName);
        QCOMPARE(dsn.value(QStringLiteral("reporting_mta")), QStringLiteral("dns; ") + expectedName);
        QCOMPARE(dsn.value(QStringLiteral("final_recipient")).toLower(),
                 QStringLiteral("rfc822; bob@drypizza.example"));
        QCOMPARE(dsn.value(QStringLiteral("action")), QStringLiteral("failed"));
        QCOMPARE(dsn.value(QStringLiteral("status")), QStringLiteral("5.1.1"));
        // The log names the DSN, and never calls this sender null.
        const bool seen =
            QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("bounced")).isEmpty(); }, 5000);
        QVERIFY(seen);
        const QList<MessageLogEntry> bounced = eventsOf(QStringLiteral("bounced"));
        QStringList kinds;
        for (const MessageLogEntry &e : m_events)
            kinds << e.eventName();
        QVERIFY2(!bounced.isEmpty(), qPrintable(kinds.join(QLatin1Char(' '))));
        const QString dsnField = bounced.first().fields.value(QStringLiteral("dsn")).toString();
        QVERIFY2(!dsnField.startsWith(QLatin1String("none")), qPrintable(dsnField));
        setMachineHostNameForTesting({});
    }

private slots:
    void bounceFromASingleLabelMachineName()
    {
        bounceFrom(QStringLiteral("vm"), QString(), QStringLiteral("vm.localdomain"));
        // The start said why the name is made up, naming the setting.
        bool warned = false;
        for (const MessageLogEntry &e : eventsOf(QStringLiteral("warning")))
            warned = warned || e.fields.value(QStringLiteral("reason"))
                                   .toString()
                                   .startsWith(QLatin1String(
                                       "relay.hostname is empty and this machine's name 'vm' has no domain"));
        QVERIFY(warned);
    }

    void bounceFromACorrectlyNamedRelay()
    {
        bounceFrom(QStringLiteral("vm"), QStringLiteral("relay.drypizza.example"),
                   QStringLiteral("relay.drypizza.example"));
        QVERIFY(eventsOf(QStringLiteral("warning")).isEmpty());
        bounceFrom(QStringLiteral("mx1.corp.example"), QString(), QStringLiteral("mx1.corp.example"));
    }

    // A DSN that cannot be built (a machine name no host name can be made
    // from) keeps the message queued and deferred with the reason: never dropped.
    void unbuildableDsnDefersInsteadOfDropping()
    {
        setMachineHostNameForTesting(QStringLiteral("bad_name"));
        m_events.clear();
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob@drypizza.example>"),
                                                           QStringLiteral("550 5.1.1 no such user here")}}}}),
                 qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = start(config(port, sink.port(), QString()));
        QVERIFY(engine && engine->status().listening);
        QString out;
        QVERIFY2(swaks(port, QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"),
                       &out) == 0,
                 qPrintable(out));
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const MessageLogEntry &e : eventsOf(QStringLiteral("deferred"))) {
                    if (e.fields.value(QStringLiteral("reason"))
                            .toString()
                            .startsWith(QLatin1String("cannot build a DSN")))
                        return true;
                }
                return false;
            },
            20000));
        QTest::qWait(300);
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        QCOMPARE(engine->status().queued, 1);
        QCOMPARE(sink.messages().size(), 0);
        setMachineHostNameForTesting({});
    }

    // relay.stop_timeout: a stop waits for a delivery whose final dot is sent,
    // but not forever; past the timeout it is cut off and recorded as
    // deferred (the message stays queued), and the relay stops.
    void stopWaitsForDeliveriesUpToTheTimeout()
    {
        setMachineHostNameForTesting(QStringLiteral("relay.lifecycle.test"));
        m_events.clear();
        PySink sink;
        QVERIFY2(
            sink.start(QJsonObject{{QStringLiteral("delay"), QJsonObject{{QStringLiteral("EOD"), 30.0}}}}),
            qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = config(port, sink.port(), QString());
        c.settings.insert(QStringLiteral("relay.stop_timeout"), QStringLiteral("1"));
        auto engine = start(c);
        QVERIFY(engine && engine->status().listening);
        QString out;
        QVERIFY2(swaks(port, QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"),
                       &out) == 0,
                 qPrintable(out));
        const bool dot =
            QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("sent-dot")).isEmpty(); }, 15000);
        QVERIFY(dot);
        bool stopped = false;
        connect(engine.get(), &EngineController::stopped, this, [&stopped] { stopped = true; });
        engine->stop();
        QTest::qWait(300);
        QVERIFY(!stopped); // waiting for the next hop's answer
        const bool done = QTest::qWaitFor([&] { return stopped; }, 10000);
        QVERIFY(done);
        bool deferred = false;
        for (const MessageLogEntry &e : eventsOf(QStringLiteral("deferred")))
            deferred = deferred ||
                       e.fields.value(QStringLiteral("reason")).toString().contains(QLatin1String("aborted"));
        QVERIFY(deferred);
        bool warned = false;
        for (const MessageLogEntry &e : eventsOf(QStringLiteral("warning")))
            warned = warned || e.fields.value(QStringLiteral("reason"))
                                   .toString()
                                   .startsWith(QLatin1String("relay.stop_timeout (1 s) reached"));
        QVERIFY(warned);
        setMachineHostNameForTesting({});
    }
};

QTEST_GUILESS_MAIN(TestRelayLifecycle)
#include "tst_relaylifecycle.moc"
