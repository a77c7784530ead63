// The relay end to end when DNS misbehaves (issue 11 item 2): the engine on
// its own thread, swaks as the client, smtpsink.py as the only SMTP server
// (on 127.0.0.1, the address every test domain's A record names), and
// fakedns.py as the name server, which answers A but drops or SERVFAILs the
// MX look-up of one domain each, answers NODATA for the MX of another and
// NXDOMAIN for a third. RFC 5321 §5.1: only NODATA allows the implicit MX.
//
// The domains are reached through routes "DOMAIN:PORT" (an MX look-up of
// DOMAIN, the implicit MX, then port PORT on each host) so the sink can sit
// on a high port: the rules are the same as for mail without a route, which
// would need port 25.
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/sinkprocesses.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QSignalSpy>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

int swaks(quint16 port, const QString &from, const QString &to, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"swaks"_s, {u"--server"_s, u"127.0.0.1:%1"_s.arg(port), u"--helo"_s, u"client.test"_s,
                         u"--timeout"_s, u"30"_s, u"--from"_s, from, u"--to"_s, to});
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class TestRelayDnsFaults final : public QObject
{
    Q_OBJECT

private slots:
    void mxFaultsDeferBounceOrUseTheImplicitMx();

private:
    QList<MessageLogEntry> eventsOf(const QString &kind) const
    {
        QList<MessageLogEntry> out;
        for (const MessageLogEntry &e : m_events) {
            if (e.eventName() == kind)
                out << e;
        }
        return out;
    }
    // A field of the first event of `kind` for recipient `to`; empty: none yet.
    QString fieldFor(const QString &kind, const QString &to, const QString &field) const
    {
        for (const MessageLogEntry &e : eventsOf(kind)) {
            if (e.fields.value(u"to"_s).toString() == to)
                return e.fields.value(field).toString();
        }
        return {};
    }
    QString reasonFor(const QString &kind, const QString &to) const
    {
        return fieldFor(kind, to, u"reason"_s);
    }
    int rcptsTo(const PySink &sink, const QString &to) const
    {
        int n = 0;
        for (const QString &c : sink.commands())
            n += c.startsWith(u"RCPT TO:<"_s + to + u'>') ? 1 : 0;
        return n;
    }

    QTemporaryDir m_dir;
    QList<MessageLogEntry> m_events;
};

void TestRelayDnsFaults::mxFaultsDeferBounceOrUseTheImplicitMx()
{
    PySink sink;
    QVERIFY2(sink.start(), qPrintable(sink.error()));
    FakeDnsProcess dns;
    const QString why = dns.start({
        u"--record"_s, u"dropmx.test. 300 A 127.0.0.1"_s, u"--drop"_s, u"dropmx.test. MX"_s, u"--record"_s,
        u"sfmx.test. 300 A 127.0.0.1"_s, u"--servfail"_s, u"sfmx.test. MX"_s, u"--record"_s,
        u"nodatamx.test. 300 A 127.0.0.1"_s, // MX: NODATA (the name exists)
        // nosuch.test: not in the zone, NXDOMAIN
    });
    QVERIFY2(why.isEmpty(), qPrintable(why));

    const quint16 port = closedPort();
    ConfigData c;
    const QString sinkPort = QString::number(sink.port());
    for (const auto &[source, target] :
         {std::pair{"dropmx.example", "dropmx.test"}, std::pair{"sfmx.example", "sfmx.test"},
          std::pair{"nodatamx.example", "nodatamx.test"}, std::pair{"nosuch.example", "nosuch.test"}}) {
        c.area(Area::Relay).domains << DomainMapping{QLatin1String(source), QLatin1String(target)};
        c.routes << TransportRoute{QLatin1String(target), QLatin1String(target) + u':' + sinkPort};
    }
    c.routes << TransportRoute{u"sender.example"_s, u"[127.0.0.1]:"_s + sinkPort}; // DSNs
    c.settings.insert(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port));
    c.settings.insert(u"relay.hostname"_s, u"relay.mailroute.test"_s);
    // DNS faults at delivery, not at RCPT: no recipient verification (issue 18).
    c.settings.insert(u"verify.recipients"_s, u"off"_s);
    auto config = RelayConfig::build(c, 1);
    QVERIFY2(config.ok(), qPrintable(config.error));

    EngineController::Options o;
    o.engine.spoolDirectory = m_dir.filePath(u"spool"_s);
    o.engine.schedulerTickMs = 50;
    o.engine.nameserver = dns.nameserver();
    o.engine.dnsTimeout = std::chrono::milliseconds(3000);
    EngineController engine(o);
    connect(&engine, &EngineController::events, this,
            [this](const QList<MessageLogEntry> &e) { m_events << e; });
    engine.start(*config);
    QTRY_VERIFY_WITH_TIMEOUT(engine.status().listening || !engine.status().error.isEmpty(), 10000);
    QVERIFY2(engine.status().listening, qPrintable(engine.status().error));

    for (const char *to :
         {"bob@dropmx.example", "bob@sfmx.example", "bob@nodatamx.example", "bob@nosuch.example"}) {
        QString out;
        QVERIFY2(swaks(port, u"alice@sender.example"_s, QLatin1String(to), &out) == 0, qPrintable(out));
    }

    // NODATA for MX: the implicit MX, and the message arrives at the A host.
    QTRY_VERIFY_WITH_TIMEOUT(rcptsTo(sink, u"bob@nodatamx.test"_s) == 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!fieldFor(u"delivered"_s, u"bob@nodatamx.test"_s, u"relay"_s).isEmpty(), 10000);
    const QString hop = fieldFor(u"delivered"_s, u"bob@nodatamx.test"_s, u"relay"_s);
    QVERIFY2(hop.contains(u"127.0.0.1"_s), qPrintable(hop));

    // MX never answered: deferred 4.4.3, not sent to the A record. (Our
    // time-out says "no answer"; unbound may give up on the silent server
    // first and say SERVFAIL: the same temporary failure.)
    QTRY_VERIFY_WITH_TIMEOUT(!reasonFor(u"deferred"_s, u"bob@dropmx.test"_s).isEmpty(), 30000);
    const QString dropped = reasonFor(u"deferred"_s, u"bob@dropmx.test"_s);
    QVERIFY2(dropped.startsWith(u"4.4.3 MX look-up for dropmx.test failed: "_s), qPrintable(dropped));
    QVERIFY2(dropped.contains(u"no answer"_s) || dropped.contains(u"did not answer"_s), qPrintable(dropped));

    // MX SERVFAIL: deferred 4.4.3 as well.
    QTRY_VERIFY_WITH_TIMEOUT(!reasonFor(u"deferred"_s, u"bob@sfmx.test"_s).isEmpty(), 30000);
    const QString servfail = reasonFor(u"deferred"_s, u"bob@sfmx.test"_s);
    QVERIFY2(servfail.startsWith(u"4.4.3 MX look-up for sfmx.test failed: "_s), qPrintable(servfail));

    // NXDOMAIN: bounced 5.1.2, the DSN goes to the sender.
    QTRY_VERIFY_WITH_TIMEOUT(!reasonFor(u"bounced"_s, u"bob@nosuch.test"_s).isEmpty(), 30000);
    QCOMPARE(reasonFor(u"bounced"_s, u"bob@nosuch.test"_s),
             u"5.1.2 domain nosuch.test not found (NXDOMAIN)"_s);
    QTRY_VERIFY_WITH_TIMEOUT(rcptsTo(sink, u"alice@sender.example"_s) == 1, 30000);
    QByteArray dsn;
    QTRY_VERIFY_WITH_TIMEOUT(sink.messages().size() == 2, 10000);
    for (const QJsonObject &m : sink.messages()) {
        if (PySink::data(m).contains("Status: 5.1.2"))
            dsn = PySink::data(m);
    }
    QVERIFY2(!dsn.isEmpty(), PySink::data(sink.messages().last()).constData());

    // Nothing for the deferred recipients ever reached the A host; the name
    // server was asked their MX, never their A (no implicit MX).
    QTest::qWait(500);
    QCOMPARE(rcptsTo(sink, u"bob@dropmx.test"_s), 0);
    QCOMPARE(rcptsTo(sink, u"bob@sfmx.test"_s), 0);
    QVERIFY(dns.queries(u"MX dropmx.test"_s) >= 1);
    QCOMPARE(dns.queries(u"A dropmx.test"_s), 0);
    QCOMPARE(dns.queries(u"A sfmx.test"_s), 0);
    QCOMPARE(sink.messages().size(), 2); // the NODATA one and the DSN
    engine.stop();
}

QTEST_GUILESS_MAIN(TestRelayDnsFaults)
#include "tst_relaydnsfaults.moc"
