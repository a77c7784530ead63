// Recipient verification at RCPT (issue 18) against a real Postfix that
// refuses unknown users (tests/postfixinstance.h): the relay on its engine
// thread with swaks as the client, and RecipientVerifier on its own for the
// cache and the per-next-hop concurrency. What reaches the target is read
// from Postfix's own log (maillog_file).
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/recipientverifier.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/engine/verifycache.h"
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/smtp/smtpsession.h"
#include "tests/postfixinstance.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QRandomGenerator>

#include <QRegularExpression>
#include <QTest>
#include <algorithm>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;

namespace {

struct SwaksRun
{
    int code = -1;
    QString output;
};

SwaksRun swaks(quint16 port, const QStringList &args)
{
    QStringList all{QStringLiteral("--server"),  QStringLiteral("127.0.0.1:%1").arg(port),
                    QStringLiteral("--helo"),    QStringLiteral("client.test"),
                    QStringLiteral("--timeout"), QStringLiteral("60"),
                    QStringLiteral("--from"),    QStringLiteral("someone@sender.example")};
    all << args;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("swaks"), all);
    p.closeWriteChannel();
    // The engine runs on its own thread; this one only waits.
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 90000))
        p.kill();
    p.waitForFinished(3000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

// Sum of "rcpt=N" / "rcpt=a/b" (attempted) over smtpd's disconnect lines:
// every RCPT the target has seen on connections that ended.
int rcptCommands(const PostfixInstance &pf)
{
    static const QRegularExpression re(QStringLiteral(" rcpt=(\\d+)(?:/(\\d+))?"));
    int n = 0;
    for (const QString &l : pf.logLines(QStringLiteral(": disconnect from"))) {
        const auto m = re.match(l);
        if (m.hasMatch())
            n += (m.captured(2).isEmpty() ? m.captured(1) : m.captured(2)).toInt();
    }
    return n;
}

// Connections the target has seen end (its readiness check excluded).
int closedConnections(const PostfixInstance &pf)
{
    return int(pf.logLines(QStringLiteral(": disconnect from")).size()) - 1;
}

// Accepts every sender and asks for verification of every recipient.
class VerifyAllPolicy final : public SmtpPolicy
{
public:
    Verdict onMail(const SessionInfo &, const Transaction &) const override { return Verdict::accept(); }
    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &) const override
    {
        Verdict v = Verdict::accept();
        v.verify = true;
        return v;
    }
};

QByteArray repliesOf(std::vector<SessionAction> &actions)
{
    QByteArray out;
    for (const SessionAction &a : actions) {
        if (a.kind == SessionAction::Kind::SendReply)
            out += a.bytes;
    }
    return out;
}

} // namespace

class TestRecipientVerify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_spoolCounter = 0;
    QList<MessageLogEntry> m_events;

    // Inbound @corp.example -> @tenant.test (at Postfix), a user rule
    // boss@corp.example -> known@tenant.test; Relay @old.example ->
    // @tenant.test; sender.example (where a DSN would go) at `sinkPort`.
    ConfigData config(quint16 listenPort, quint16 targetPort, quint16 sinkPort) const
    {
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("corp.example"), QStringLiteral("tenant.test")};
        c.area(Area::Inbound).users << UserMapping{QStringLiteral("boss@corp.example"),
                                                   QStringLiteral("known@tenant.test")};
        c.area(Area::Relay).domains << DomainMapping{QStringLiteral("old.example"),
                                                     QStringLiteral("tenant.test")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        c.settings.insert(QStringLiteral("retry.schedule"), QStringLiteral("1s,2s"));
        c.settings.insert(QStringLiteral("retry.min_backoff"), QStringLiteral("1"));
        c.routes << TransportRoute{QStringLiteral("tenant.test"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(targetPort)};
        c.routes << TransportRoute{QStringLiteral("sender.example"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sinkPort)};
        return c;
    }

    std::shared_ptr<const RelayConfig> build(const ConfigData &c, qint64 generation = 1)
    {
        auto rc = RelayConfig::build(c, generation);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        return *rc;
    }

    std::unique_ptr<EngineController> startEngine(const std::shared_ptr<const RelayConfig> &config,
                                                  const QString &spool)
    {
        EngineController::Options o;
        o.engine.spoolDirectory = spool;
        o.engine.schedulerTickMs = 50;
        o.engine.deliveryTimeouts.connect = std::chrono::milliseconds(3000);
        DeliveryTimeouts vt = defaultVerifyTimeouts();
        vt.connect = std::chrono::milliseconds(3000);
        o.engine.verifyTimeouts = vt;
        auto c = std::make_unique<EngineController>(o);
        connect(c.get(), &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        c->start(config);
        if (!QTest::qWaitFor([&] { return c->status().listening || !c->status().error.isEmpty(); }, 10000))
            return nullptr;
        return c;
    }

    QString newSpool() { return m_dir.filePath(QStringLiteral("spool%1").arg(++m_spoolCounter)); }

    QList<MessageLogEntry> eventsOf(const QString &kind) const
    {
        QList<MessageLogEntry> out;
        for (const MessageLogEntry &e : m_events) {
            if (e.eventName() == kind)
                out << e;
        }
        return out;
    }

    QList<MessageLogEntry> verifyEvents(const QString &to) const
    {
        QList<MessageLogEntry> out;
        for (const MessageLogEntry &e : eventsOf(QStringLiteral("verify"))) {
            if (e.fields.value(QStringLiteral("to")).toString() == to)
                out << e;
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        MAILROUTE_REQUIRE(PostfixInstance::available(), PostfixInstance::requirement());
        MAILROUTE_REQUIRE(!QStandardPaths::findExecutable(QStringLiteral("swaks")).isEmpty(),
                          "swaks (apt-get install swaks)");
        QVERIFY(m_dir.isValid());
    }
    void init() { m_events.clear(); }

    // The whole story at RCPT: a target that is down gets 450 and the
    // client's retry succeeds once it is up; a known user is accepted and
    // delivered, an unknown one refused with the target's own words, no DSN;
    // a second message makes no probe; the probes never sent DATA.
    void verifiesAtRcptAgainstPostfix()
    {
        PySink sink; // where a DSN to someone@sender.example would arrive
        QVERIFY(sink.start());
        const quint16 targetPort = closedPort();
        const quint16 listen = closedPort();
        auto engine = startEngine(build(config(listen, targetPort, sink.port())), newSpool());
        QVERIFY(engine && engine->status().listening);

        // Target down: 450 4.1.1, nothing queued, nothing bounced.
        SwaksRun down = swaks(listen, {QStringLiteral("--to"), QStringLiteral("known@corp.example")});
        QVERIFY2(
            down.output.contains(QLatin1String("450 4.1.1 <known@corp.example>: Recipient address rejected: "
                                               "unverified address")),
            qPrintable(down.output));
        QCOMPARE(engine->status().queued, 0);
        QVERIFY(QTest::qWaitFor([&] { return !verifyEvents(QStringLiteral("known@corp.example")).isEmpty(); },
                                5000));
        QCOMPARE(verifyEvents(QStringLiteral("known@corp.example"))
                     .first()
                     .fields.value(QStringLiteral("verdict")),
                 QVariant(QStringLiteral("unknown")));

        // The target comes up; the client's retry is accepted and delivered.
        PostfixInstance pf;
        QVERIFY2(
            pf.start(
                {{QStringLiteral("tenant.test")}, {QStringLiteral("known@tenant.test")}, {}, targetPort}),
            qPrintable(pf.error()));
        SwaksRun retry = swaks(listen, {QStringLiteral("--to"), QStringLiteral("known@corp.example")});
        QVERIFY2(retry.code == 0 && retry.output.contains(QLatin1String("250 2.1.5")),
                 qPrintable(retry.output));
        QVERIFY2(retry.output.contains(QLatin1String("queued as")), qPrintable(retry.output));
        QVERIFY2(pf.waitForLog(QStringLiteral(" data=1")), qPrintable(pf.maillog()));
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 0; }, 10000));

        // An unknown user: refused at RCPT with Postfix's text; DATA fails.
        SwaksRun unknown = swaks(listen, {QStringLiteral("--to"), QStringLiteral("nobody@corp.example")});
        QVERIFY2(unknown.output.contains(QLatin1String("550 5.1.1 <nobody@corp.example>: Recipient address "
                                                       "rejected: undeliverable address")),
                 qPrintable(unknown.output));
        QVERIFY2(unknown.output.contains(QLatin1String("User unknown in relay recipient table")),
                 qPrintable(unknown.output));
        QVERIFY2(!unknown.output.contains(QLatin1String("queued as")), qPrintable(unknown.output));
        QVERIFY2(pf.waitForLog(QStringLiteral("NOQUEUE: reject: RCPT")), qPrintable(pf.maillog()));
        // The probe's sender is the null sender.
        QVERIFY(
            pf.logLines(QStringLiteral("NOQUEUE: reject: RCPT")).first().contains(QLatin1String("from=<>")));
        // Relay rules verify the same way.
        SwaksRun relay = swaks(listen, {QStringLiteral("--to"), QStringLiteral("ghost@old.example")});
        QVERIFY2(relay.output.contains(QLatin1String("550 5.1.1 <ghost@old.example>")),
                 qPrintable(relay.output));

        QVERIFY(QTest::qWaitFor(
            [&] { return !verifyEvents(QStringLiteral("nobody@corp.example")).isEmpty(); }, 5000));
        const MessageLogEntry refused = verifyEvents(QStringLiteral("nobody@corp.example")).first();
        QCOMPARE(refused.fields.value(QStringLiteral("verdict")), QVariant(QStringLiteral("refused")));
        QCOMPARE(refused.fields.value(QStringLiteral("target")),
                 QVariant(QStringLiteral("nobody@tenant.test")));
        QCOMPARE(refused.fields.value(QStringLiteral("client")), QVariant(QStringLiteral("127.0.0.1")));
        QVERIFY(
            refused.fields.value(QStringLiteral("reply")).toString().startsWith(QLatin1String("550 5.1.1")));

        // A second message to the known user: answered from the cache. Every
        // connection the target saw must have ended to count its RCPTs (the
        // idle probe connection closes after 5 s).
        QVERIFY(QTest::qWaitFor([&] { return closedConnections(pf) == pf.connections(); }, 20000));
        const int rcptsBefore = rcptCommands(pf);
        const int dataBefore = int(pf.logLines(QStringLiteral(" data=1")).size());
        SwaksRun again = swaks(listen, {QStringLiteral("--to"), QStringLiteral("known@corp.example")});
        QVERIFY2(again.output.contains(QLatin1String("queued as")), qPrintable(again.output));
        QVERIFY(QTest::qWaitFor(
            [&] { return int(pf.logLines(QStringLiteral(" data=1")).size()) == dataBefore + 1; }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return closedConnections(pf) == pf.connections(); }, 20000));
        QCOMPARE(rcptCommands(pf), rcptsBefore + 1); // the delivery's RCPT, no probe
        QVERIFY(QTest::qWaitFor(
            [&] { return verifyEvents(QStringLiteral("known@corp.example")).size() >= 3; }, 5000));
        QCOMPARE(
            verifyEvents(QStringLiteral("known@corp.example")).last().fields.value(QStringLiteral("cached")),
            QVariant(true));

        // Probes never sent DATA: only the two real messages did.
        QCOMPARE(pf.logLines(QStringLiteral(" data=")).size(), 2);
        // No DSN ever: nothing arrived at sender.example's server, no bounce.
        QTest::qWait(1500); // a bounce would be generated at once
        QVERIFY(sink.messages().isEmpty());
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        QCOMPARE(engine->status().queued, 0);
    }

    // verify.recipients = off, an excluded domain and an allow-listed client:
    // no probe, the unknown user is accepted at RCPT as before.
    void exceptionsAreNotVerified_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("value");
        QTest::newRow("off") << QStringLiteral("verify.recipients") << QStringLiteral("off");
        QTest::newRow("excluded recipient domain")
            << QStringLiteral("verify.exclude_domains") << QStringLiteral("corp.example");
        QTest::newRow("excluded target domain")
            << QStringLiteral("verify.exclude_domains") << QStringLiteral("other.example, tenant.test");
        QTest::newRow("allow-listed client")
            << QStringLiteral("outbound.allowed_clients") << QStringLiteral("127.0.0.1");
    }
    void exceptionsAreNotVerified()
    {
        QFETCH(QString, setting);
        QFETCH(QString, value);
        PostfixInstance pf;
        QVERIFY2(pf.start({{QStringLiteral("tenant.test")}, {QStringLiteral("known@tenant.test")}}),
                 qPrintable(pf.error()));
        PySink sink;
        QVERIFY(sink.start());
        const quint16 listen = closedPort();
        ConfigData c = config(listen, pf.port(), sink.port());
        c.settings.insert(setting, value);
        auto engine = startEngine(build(c), newSpool());
        QVERIFY(engine && engine->status().listening);
        SwaksRun r = swaks(listen, {QStringLiteral("--to"), QStringLiteral("nobody@corp.example"),
                                    QStringLiteral("--quit-after"), QStringLiteral("RCPT")});
        QVERIFY2(r.output.contains(QLatin1String("250 2.1.5")), qPrintable(r.output));
        QTest::qWait(300);
        QVERIFY(eventsOf(QStringLiteral("verify")).isEmpty());
        QCOMPARE(pf.connections(), 0);
    }

    // A thousand random local parts at once: the target never sees more than
    // verify.concurrency connections at a time (walked through its log:
    // connect +1, disconnect -1), every one refused, one probe each.
    void dictionaryAttackIsThrottled()
    {
        PostfixInstance pf;
        QVERIFY2(pf.start({{QStringLiteral("tenant.test")}, {QStringLiteral("known@tenant.test")}}),
                 qPrintable(pf.error()));
        NextHopResolver::Settings rs;
        rs.routes.insert(QStringLiteral("tenant.test"), QStringLiteral("[127.0.0.1]:%1").arg(pf.port()));
        NextHopResolver resolver(rs);
        RecipientVerifier verifier(&resolver);
        RecipientVerifier::Settings s;
        s.heloName = QStringLiteral("relay.mailroute.test");
        s.concurrency = 2;
        s.idleTimeout = std::chrono::milliseconds(200);
        verifier.setSettings(s);

        constexpr int kProbes = 1000;
        int refused = 0;
        int answered = 0;
        QObject context;
        for (int i = 0; i < kProbes; ++i) {
            const QString local = QString::number(QRandomGenerator::global()->generate64(), 36);
            verifier.verify(local + QStringLiteral("@tenant.test"), &context, [&](const VerifyOutcome &o) {
                ++answered;
                refused += o.verdict == VerifyOutcome::Verdict::Refused ? 1 : 0;
            });
        }
        // The same address asked twice while its probe runs: one probe.
        verifier.verify(QStringLiteral("twice@tenant.test"), &context,
                        [&](const VerifyOutcome &) { ++answered; });
        verifier.verify(QStringLiteral("TWICE@tenant.test"), &context,
                        [&](const VerifyOutcome &) { ++answered; });
        QVERIFY(QTest::qWaitFor([&] { return answered == kProbes + 2; }, 240000));
        QCOMPARE(refused, kProbes);
        QCOMPARE(verifier.stats().probes, quint64(kProbes + 1));
        QCOMPARE(verifier.stats().shared, quint64(1));
        QVERIFY(QTest::qWaitFor([&] { return closedConnections(pf) == pf.connections(); }, 20000));
        QCOMPARE(int(pf.logLines(QStringLiteral("NOQUEUE: reject: RCPT")).size()), kProbes + 1);

        int open = 0;
        int peak = 0;
        for (const QString &l : pf.maillog().split(QLatin1Char('\n'))) {
            if (!l.contains(QLatin1String("postfix/smtpd[")))
                continue;
            if (l.contains(QLatin1String(": connect from")))
                peak = qMax(peak, ++open);
            else if (l.contains(QLatin1String(": disconnect from")))
                --open;
        }
        qInfo("target connections: %d, at most %d at once", pf.connections(), peak);
        QVERIFY2(peak <= s.concurrency, qPrintable(QStringLiteral("peak %1").arg(peak)));
        // Connections are reused (RSET between probes): one per slot.
        QVERIFY(pf.connections() <= s.concurrency);
        QCOMPARE(pf.logLines(QStringLiteral(" data=")).size(), 0);
    }

    // The session waits at RCPT for the verdict and keeps the client's
    // pipelined commands in order: no reply to a later command overtakes it.
    void sessionWaitsForVerdictInOrder()
    {
        auto policy = std::make_shared<const VerifyAllPolicy>();
        SessionConfig config;
        config.hostname = QStringLiteral("relay.test");
        SmtpSession s(config, QHostAddress::LocalHost, 2525, [policy] { return policy; });
        s.start();
        s.takeActions();
        s.feed("EHLO c.test\r\nMAIL FROM:<a@s.test>\r\nRCPT TO:<one@x.test>\r\nRCPT "
               "TO:<two@x.test>\r\nDATA\r\n");
        auto a = s.takeActions();
        QCOMPARE(s.state(), SessionState::AwaitingRecipient);
        QCOMPARE(s.timeoutKind(), TimeoutKind::None);
        QVERIFY(repliesOf(a).contains("250 2.1.0"));
        QVERIFY(!repliesOf(a).contains("2.1.5"));
        QCOMPARE(a.back().kind, SessionAction::Kind::VerifyRecipient);
        QCOMPARE(a.back().recipient, QStringLiteral("one@x.test"));

        s.recipientVerified(Reply{250, "2.1.5", "Ok"});
        a = s.takeActions();
        QCOMPARE(repliesOf(a), QByteArray("250 2.1.5 Ok\r\n"));
        QCOMPARE(a.back().kind, SessionAction::Kind::VerifyRecipient);
        QCOMPARE(a.back().recipient, QStringLiteral("two@x.test"));

        s.recipientVerified(
            Reply{550, "5.1.1", "<two@x.test>: Recipient address rejected: undeliverable address"});
        a = s.takeActions();
        QVERIFY(std::any_of(a.begin(), a.end(), [](const SessionAction &x) {
            return x.kind == SessionAction::Kind::Refused && x.recipient == QLatin1String("two@x.test");
        }));
        // The refusal, then DATA's 354: one recipient was taken.
        const QByteArray r = repliesOf(a);
        QVERIFY2(r.startsWith("550 5.1.1 <two@x.test>") && r.contains("\r\n354 "), r.constData());
        QCOMPARE(s.state(), SessionState::Data);
        // A verdict nobody asked for is a diagnostic, not a reply.
        s.recipientVerified(Reply{250, "2.1.5", "Ok"});
        a = s.takeActions();
        QVERIFY(repliesOf(a).isEmpty());
    }

    // The cache file: verdicts survive a reopen, expire, the oldest is evicted.
    void cachePersistsExpiresAndEvicts()
    {
        const QString path = m_dir.filePath(QStringLiteral("verify-cache.db"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            VerifyCache cache(3);
            QVERIFY(cache.open(path).ok());
            cache.store(QStringLiteral("A@x.test"),
                        {true, QStringLiteral("250 2.1.5 Ok"), QStringLiteral("h"), now, now + 60'000});
            cache.store(QStringLiteral("b@x.test"),
                        {false, QStringLiteral("550 5.1.1 no"), QStringLiteral("h"), now, now + 60'000});
            cache.store(QStringLiteral("gone@x.test"), {true, QStringLiteral("250 Ok"), {}, now, now + 1});
        }
        {
            VerifyCache cache(3);
            QVERIFY(cache.open(path).ok());
            const auto a = cache.find(QStringLiteral("a@X.test"), now);
            QVERIFY(a && a->accepted && a->reply == QLatin1String("250 2.1.5 Ok"));
            const auto b = cache.find(QStringLiteral("b@x.test"), now);
            QVERIFY(b && !b->accepted);
            QVERIFY(!cache.find(QStringLiteral("gone@x.test"), now + 10)); // expired
            QVERIFY(!cache.find(QStringLiteral("a@x.test"), now + 60'000));
            cache.store(QStringLiteral("c@x.test"), {true, {}, {}, now, now + 60'000});
            cache.store(QStringLiteral("d@x.test"), {true, {}, {}, now, now + 60'000});
            cache.store(QStringLiteral("e@x.test"), {true, {}, {}, now, now + 60'000});
            QCOMPARE(cache.size(), 3);
            QVERIFY(!cache.find(QStringLiteral("b@x.test"), now)); // the oldest went first
        }
        VerifyCache cache(10);
        QVERIFY(cache.open(path).ok());
        QCOMPARE(cache.size(), 3);
        QVERIFY(cache.find(QStringLiteral("e@x.test"), now));
    }
};

QTEST_GUILESS_MAIN(TestRecipientVerify)
#include "tst_recipientverify.moc"
