// DKIM signing in the relay (relaycore/engine/dkimsigningstage.h): which
// messages get which key, and end to end through the real RelayEngine — an
// Outbound message from an allow-listed client, its From: rewritten by an
// Outbound domain rule, signed, delivered to smtpsink.py, then verified by
// dkimpy with the key record served by dnsmasq. An unreadable key file makes
// the message deferred, nothing delivered.
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/engine/dkimsigningstage.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QDir>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

DkimKey keyOf(const QString &domain, const QString &selector, DkimAlgorithm algorithm, const QString &file,
              const QString &publicKey)
{
    DkimKey k;
    k.domain = domain;
    k.selector = selector;
    k.algorithm = algorithm;
    k.state = DkimKeyState::Active;
    k.keyFile = file;
    k.publicKey = publicKey;
    return k;
}

QueuedMessage meta(std::optional<bool> outbound, const QString &client = QStringLiteral("192.0.2.7"))
{
    QueuedMessage m;
    m.id = 1;
    m.outboundClient = outbound;
    m.clientAddress = client;
    return m;
}

// dkimpy's verdict for every *.eml in `folder`, key records looked up at `nameserver`.
QHash<QString, QString> dkimpyVerify(const QString &folder, const QString &nameserver, QString *log)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(MAILROUTE_DKIM_ORACLE), QStringLiteral("verify-dns"), folder, nameserver});
    p.waitForFinished(60000);
    const QByteArray out = p.readAllStandardOutput();
    *log = QString::fromUtf8(out + p.readAllStandardError());
    QHash<QString, QString> verdicts;
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() >= 2)
            verdicts.insert(QString::fromUtf8(parts[0]), QString::fromUtf8(parts[1]));
    }
    return verdicts;
}

} // namespace

class TestDkimSigningStage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<MessageLogEntry> m_events;
    int m_spools = 0;

    std::shared_ptr<const RelayConfig> build(const ConfigData &c, qint64 generation)
    {
        auto rc = RelayConfig::build(c, generation);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        return *rc;
    }

    // Outbound: allow-listed 127.0.0.0/8; @drypizza.example -> @warmsushi.example
    // for senders; partner.example routed to the sink.
    ConfigData outboundConfig(quint16 listenPort, quint16 sinkPort, const DkimKey &key) const
    {
        ConfigData c;
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.0/8"));
        c.area(Area::Outbound).domains
            << DomainMapping{QStringLiteral("drypizza.example"), QStringLiteral("warmsushi.example")};
        c.routes << TransportRoute{QStringLiteral("partner.example"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sinkPort)};
        c.dkimKeys << key;
        return c;
    }

    std::unique_ptr<EngineController> startEngine(const std::shared_ptr<const RelayConfig> &config)
    {
        EngineController::Options o;
        o.engine.spoolDirectory = m_dir.filePath(QStringLiteral("spool%1").arg(++m_spools));
        o.engine.schedulerTickMs = 50;
        o.engine.deliveryTimeouts.connect = std::chrono::milliseconds(3000);
        auto c = std::make_unique<EngineController>(o);
        connect(c.get(), &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        c->start(config);
        if (!QTest::qWaitFor([&] { return c->status().listening || !c->status().error.isEmpty(); }, 10000))
            return nullptr;
        return c;
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

    bool send(quint16 port, const QByteArray &message)
    {
        const QString file = m_dir.filePath(QStringLiteral("in-%1.eml").arg(m_spools));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(message) != message.size())
            return false;
        f.close();
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("swaks"),
                {QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(port),
                 QStringLiteral("--helo"), QStringLiteral("client.test"), QStringLiteral("--from"),
                 QStringLiteral("bob.owen@drypizza.example"), QStringLiteral("--to"),
                 QStringLiteral("someone@partner.example"), QStringLiteral("--data"), file,
                 QStringLiteral("--timeout"), QStringLiteral("30")});
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            p.kill();
        if (p.exitCode() != 0)
            qWarning("%s", p.readAll().constData());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

private slots:
    void whichKeySigns()
    {
        ConfigData c;
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("192.0.2.0/24"));
        c.dkimKeys << keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("s1"), DkimAlgorithm::Rsa2048,
                            QStringLiteral("/k1"), {});
        c.dkimKeys << keyOf(QStringLiteral("mailroute.test"), QStringLiteral("s2"), DkimAlgorithm::Ed25519,
                            QStringLiteral("/k2"), {});
        DkimKey retired = keyOf(QStringLiteral("other.example"), QStringLiteral("s3"), DkimAlgorithm::Rsa2048,
                                QStringLiteral("/k3"), {});
        retired.state = DkimKeyState::Retired;
        c.dkimKeys << retired;
        const auto config = build(c, 1);
        const QByteArray fromKeyed =
            "From: \"Bob, Owen\" <bob@WarmSushi.example>\r\nTo: x@y.example\r\n\r\nhi\r\n";
        const QByteArray fromOther = "From: bob@other.example\r\n\r\nhi\r\n";
        const QByteArray group = "From: Team: bob@warmsushi.example;\r\n\r\nhi\r\n";

        auto selector = [&](const QueuedMessage &m, const QByteArray &data) {
            const std::optional<DkimKey> k = DkimSigningStage::keyFor(m, data, *config);
            return k ? k->selector : QString();
        };
        QCOMPARE(selector(meta(true), fromKeyed), QStringLiteral("s1"));
        QCOMPARE(selector(meta(true), group), QStringLiteral("s1"));
        QCOMPARE(selector(meta(false), fromKeyed), QString()); // not allow-listed: never signed
        QCOMPARE(selector(meta(true), fromOther), QString());  // a retired key never signs
        QCOMPARE(selector(meta(true), "Subject: no from\r\n\r\nx\r\n"), QString());
        // An older spool's message: the client against today's allow list.
        QCOMPARE(selector(meta(std::nullopt, QStringLiteral("192.0.2.99")), fromKeyed), QStringLiteral("s1"));
        QCOMPARE(selector(meta(std::nullopt, QStringLiteral("198.51.100.1")), fromKeyed), QString());
        // The relay's DSNs: the host name's parent domain here.
        QueuedMessage dsn = meta(false, QString());
        dsn.isDsn = true;
        QCOMPARE(
            selector(dsn, "From: Mail Delivery System <MAILER-DAEMON@relay.mailroute.test>\r\n\r\nx\r\n"),
            QStringLiteral("s2"));
        // ... and the host name's own key first, when it has one.
        c.dkimKeys << keyOf(QStringLiteral("relay.mailroute.test"), QStringLiteral("s4"),
                            DkimAlgorithm::Ed25519, QStringLiteral("/k4"), {});
        QCOMPARE(DkimSigningStage::keyFor(dsn, "From: x@relay.mailroute.test\r\n\r\nx\r\n", *build(c, 2))
                     ->selector,
                 QStringLiteral("s4"));
    }

    void signsOffTheEngineThreadAndFailsClearly()
    {
        const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Ed25519);
        const QString file = m_dir.filePath(QStringLiteral("dkim/unit.pem"));
        QVERIFY(writeDkimPrivateKey(file, generated->privatePem).ok());
        ConfigData c;
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("192.0.2.0/24"));
        c.dkimKeys << keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("s1"), DkimAlgorithm::Ed25519,
                            file, generated->publicKey);
        DkimSigningStage stage;
        const QByteArray data = "From: bob@warmsushi.example\r\n\r\nhi\r\n";
        std::optional<DkimSigningStage::Outcome> outcome;
        stage.prepare(meta(true), data, build(c, 1), 1700000000,
                      [&](const DkimSigningStage::Outcome &o) { outcome = o; });
        QVERIFY(!outcome); // never answered from inside prepare() when signing
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        QCOMPARE(outcome->kind, DkimSigningStage::Outcome::Kind::Signed);
        QVERIFY(outcome->data.startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"));
        QVERIFY(outcome->data.endsWith(data));
        QCOMPARE(stage.lastSignature(1).value(QStringLiteral("d")).toString(),
                 QStringLiteral("warmsushi.example"));

        // Not signed: answered at once, bytes untouched.
        outcome.reset();
        stage.prepare(meta(false), data, build(c, 1), 1700000000,
                      [&](const DkimSigningStage::Outcome &o) { outcome = o; });
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, DkimSigningStage::Outcome::Kind::NotSigned);
        QCOMPARE(outcome->data, data);

        // A key file that does not match the published record, a missing
        // one, one of the wrong type: Failed with the reason.
        const QString otherPublicKey = generateDkimKey(DkimAlgorithm::Ed25519)->publicKey;
        const QList<std::pair<DkimKey, QString>> bad{
            {keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("s1"), DkimAlgorithm::Ed25519, file,
                   otherPublicKey),
             QStringLiteral("does not match")},
            {keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("s1"), DkimAlgorithm::Ed25519,
                   m_dir.filePath(QStringLiteral("missing.pem")), {}),
             QStringLiteral("cannot read")},
            {keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("s1"), DkimAlgorithm::Rsa2048, file,
                   {}),
             QStringLiteral("declared rsa-2048")},
        };
        qint64 generation = 10;
        for (const auto &[key, reason] : bad) {
            ConfigData b = c;
            b.dkimKeys = {key};
            outcome.reset();
            stage.prepare(meta(true), data, build(b, ++generation), 1700000000,
                          [&](const DkimSigningStage::Outcome &o) { outcome = o; });
            QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
            QCOMPARE(outcome->kind, DkimSigningStage::Outcome::Kind::Failed);
            QVERIFY2(outcome->error.contains(reason), qPrintable(outcome->error));
            QVERIFY(outcome->error.startsWith(QStringLiteral("4.")));
        }
    }

    void endToEnd_data()
    {
        QTest::addColumn<DkimAlgorithm>("algorithm");
        QTest::addColumn<int>("bodyLines"); // above about 3,000 the body spills to a file (BodyFile)
        QTest::newRow("rsa-2048") << DkimAlgorithm::Rsa2048 << 0;
        QTest::newRow("ed25519") << DkimAlgorithm::Ed25519 << 0;
        QTest::newRow("rsa-2048, 2 MB body from the spool's file") << DkimAlgorithm::Rsa2048 << 20000;
    }
    void endToEnd()
    {
        QFETCH(DkimAlgorithm, algorithm);
        QFETCH(int, bodyLines);
        const Result<GeneratedDkimKey> generated = generateDkimKey(algorithm);
        QVERIFY(generated.ok());
        const QString file =
            m_dir.filePath(QStringLiteral("dkim/warmsushi-%1.pem").arg(dkimAlgorithmName(algorithm)));
        QVERIFY(writeDkimPrivateKey(file, generated->privatePem).ok());
        const DkimKey key = keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("mr1"), algorithm, file,
                                  generated->publicKey);

        // The key record in DNS, as an administrator would publish it: the
        // zone strings of dkimZoneStrings (a 2048-bit record needs two).
        DnsmasqProcess dns;
        const QStringList strings = dkimZoneStrings(dkimRecordValue(algorithm, generated->publicKey));
        const QString dnsError = dns.start({QStringLiteral("--txt-record=mr1._domainkey.warmsushi.example,") +
                                            strings.join(QLatin1Char(','))});
        REQUIRE_DNSMASQ(dnsError);

        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(outboundConfig(port, sink.port(), key), 1));
        QVERIFY(engine && engine->status().listening);
        m_events.clear();
        const QByteArray message = "From: =?utf-8?q?Bob_=C3=96wen?= <bob.owen@drypizza.example>\r\n"
                                   "Reply-To: Team: chloe@drypizza.example, dan@drypizza.example;\r\n"
                                   "To: someone@partner.example,\r\n\tother@partner.example\r\n"
                                   "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
                                   "Date: Mon, 1 Jan 2024 10:00:00 +0100\r\n"
                                   "Message-ID: <e2e@drypizza.example>\r\n"
                                   "MIME-Version: 1.0\r\n"
                                   "Content-Type: text/plain; charset=utf-8\r\n"
                                   "Content-Transfer-Encoding: 8bit\r\n"
                                   "\r\n"
                                   "Gr\xc3\xbc\xc3\x9f"
                                   "e  \r\n" +
                                   QByteArray(900, 'x') + "\r\n\r\n\r\n";
        QByteArray large;
        for (int i = 0; i < bodyLines; ++i)
            large += "line " + QByteArray::number(i) + " \xc3\xa9  " + QByteArray(90, char('a' + i % 26)) +
                     " \r\n";
        QVERIFY(send(port, message + large));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 20000));
        const QByteArray delivered = PySink::data(sink.messages().first());
        QVERIFY2(delivered.startsWith("DKIM-Signature: v=1;"), delivered.left(300).constData());
        QVERIFY2(delivered.contains("From: =?utf-8?q?Bob_=C3=96wen?= <bob.owen@warmsushi.example>\r\n"),
                 delivered.constData());
        QVERIFY(delivered.contains(" d=warmsushi.example;"));

        // dkimpy verifies it, fetching the record from dnsmasq itself.
        QTemporaryDir out;
        QFile f(QDir(out.path()).filePath(QStringLiteral("delivered.eml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(delivered);
        f.close();
        QString log;
        const QHash<QString, QString> verdicts = dkimpyVerify(out.path(), dns.nameserver(), &log);
        QVERIFY2(verdicts.value(QStringLiteral("delivered.eml")) == QStringLiteral("pass"), qPrintable(log));
        QVERIFY(delivered.endsWith(large));
        QVERIFY(QTest::qWaitFor(
            [&] { return dns.queries(QStringLiteral("TXT mr1._domainkey.warmsushi.example")) >= 1; }, 5000));

        // The log: the signing as a header change, and on the delivered event.
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("delivered")).isEmpty(); }, 5000));
        const MessageLogEntry d = eventsOf(QStringLiteral("delivered")).first();
        QCOMPARE(d.fields.value(QStringLiteral("dkim")).toString(), QStringLiteral("signed"));
        QCOMPARE(d.fields.value(QStringLiteral("d")).toString(), QStringLiteral("warmsushi.example"));
        QCOMPARE(d.fields.value(QStringLiteral("s")).toString(), QStringLiteral("mr1"));
        bool rewritten = false;
        for (const MessageLogEntry &e : eventsOf(QStringLiteral("rewritten"))) {
            if (e.fields.value(QStringLiteral("dkim")).toString() == QStringLiteral("signed")) {
                rewritten = true;
                QCOMPARE(e.area, std::optional<Area>(Area::Outbound));
                QCOMPARE(e.fields.value(QStringLiteral("d")).toString(), QStringLiteral("warmsushi.example"));
            }
        }
        QVERIFY(rewritten);
        engine->stop();
    }

    void dsnSignedWithTheHostNamesDomain()
    {
        // relay.hostname relay.mailroute.test; the key is its parent domain's.
        const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Ed25519);
        const QString file = m_dir.filePath(QStringLiteral("dkim/mailroute.test.pem"));
        QVERIFY(writeDkimPrivateKey(file, generated->privatePem).ok());
        const DkimKey key = keyOf(QStringLiteral("mailroute.test"), QStringLiteral("dsn"),
                                  DkimAlgorithm::Ed25519, file, generated->publicKey);
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<someone@partner.example>"),
                                                           QStringLiteral("550 5.1.1 no such user here")}}}}),
                 qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = outboundConfig(port, sink.port(), key);
        c.routes << TransportRoute{QStringLiteral("warmsushi.example"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sink.port())};
        auto engine = startEngine(build(c, 1));
        QVERIFY(engine && engine->status().listening);
        m_events.clear();
        QVERIFY(send(
            port,
            "From: bob.owen@drypizza.example\r\nTo: someone@partner.example\r\nSubject: x\r\n\r\nx\r\n"));
        // The refused message was not signed (warmsushi.example has no key);
        // its DSN to the rewritten sender is, and dkimpy verifies it.
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 20000));
        const QByteArray dsn = PySink::data(sink.messages().first());
        QVERIFY2(dsn.startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"), dsn.left(300).constData());
        QVERIFY(dsn.contains("From: Mail Delivery System <MAILER-DAEMON@relay.mailroute.test>"));
        QVERIFY(dsn.contains(" d=mailroute.test;"));
        QTemporaryDir out;
        QFile f(QDir(out.path()).filePath(QStringLiteral("dsn.eml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(dsn);
        f.close();
        QFile record(QDir(out.path()).filePath(QStringLiteral("record.txt")));
        QVERIFY(record.open(QIODevice::WriteOnly));
        record.write(dkimRecordValue(DkimAlgorithm::Ed25519, generated->publicKey).toLatin1());
        record.close();
        QProcess p;
        p.start(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(MAILROUTE_DKIM_ORACLE), QStringLiteral("verify"), out.path(), record.fileName()});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray verdict = p.readAllStandardOutput();
        QVERIFY2(verdict.startsWith("dsn.eml pass"), verdict.constData());
        engine->stop();
    }

    void unreadableKeyDefers()
    {
        const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Ed25519);
        const DkimKey key =
            keyOf(QStringLiteral("warmsushi.example"), QStringLiteral("mr1"), DkimAlgorithm::Ed25519,
                  m_dir.filePath(QStringLiteral("dkim/not-there.pem")), generated->publicKey);
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(outboundConfig(port, sink.port(), key), 1));
        QVERIFY(engine && engine->status().listening);
        m_events.clear();
        QVERIFY(send(
            port,
            "From: bob.owen@drypizza.example\r\nTo: someone@partner.example\r\nSubject: x\r\n\r\nx\r\n"));
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("deferred")).isEmpty(); }, 20000));
        const MessageLogEntry e = eventsOf(QStringLiteral("deferred")).first();
        const QString reason = e.fields.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(QStringLiteral("DKIM")) && reason.contains(QStringLiteral("not-there.pem")),
                 qPrintable(reason));
        QTRY_COMPARE_WITH_TIMEOUT(engine->status().queued, 1, 5000);
        // The sink saw no transaction at all: nothing left unsigned.
        QTest::qWait(500);
        QCOMPARE(sink.messages().size(), 0);
        QVERIFY(eventsOf(QStringLiteral("delivered")).isEmpty());
        engine->stop();
    }
};

QTEST_GUILESS_MAIN(TestDkimSigningStage)
#include "tst_dkimsigningstage.moc"
