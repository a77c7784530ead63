// ARC sealing in the relay (relaycore/engine/arcsealingstage.h), dkimpy as
// the oracle, the key records served by dnsmasq:
// - which messages are sealed under arc.seal modified / always / off, with
//   and without an active key of arc.domain, and never a DSN;
// - two hops through a real engine on 127.0.0.1: a message DKIM-signed and
//   ARC-sealed by dkimpy, sent by swaks to an Inbound address whose To: the
//   relay rewrites (rewrite.recipient_headers always), delivered to
//   smtpsink.py with the relay's seal i=2 cv=pass, which dkimpy's
//   arc_verify passes; the log has the ARC-Seal event;
// - through the stage: a broken incoming chain sealed cv=fail (dkimpy
//   reads the newest seal as the end of a failed chain); modified leaves an
//   unrewritten message as it is, always seals it, off never; an
//   unreadable key defers with 4.3.5.
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/engine/arcsealingstage.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/arc/arcoracle.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QDateTime>
#include <QDir>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;
using namespace arctest;

namespace {

const QString kRelay = QStringLiteral("relay.mailroute.test");

QByteArray plainMessage()
{
    return "From: Ann Sender <ann@sender.test>\r\n"
           "To: bob@warmsushi.test\r\n"
           "Subject: quarterly figures\r\n"
           "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
           "Message-ID: <arc-e2e@sender.test>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n"
           "\r\n"
           "Figures attached.\r\n";
}

} // namespace

class TestArcSealingStage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DnsmasqProcess m_dns;
    QString m_dnsProblem;
    TestKey m_sender, m_hop1, m_relay;
    QString m_relayKeyFile;
    QList<MessageLogEntry> m_events;

    DkimKey relayKey(const QString &file) const
    {
        DkimKey k;
        k.domain = kRelay;
        k.selector = QStringLiteral("mr");
        k.algorithm = DkimAlgorithm::Rsa2048;
        k.state = DkimKeyState::Active;
        k.keyFile = file;
        return k;
    }

    ConfigData config(const QString &seal, bool withKey = true, const QString &keyFile = QString()) const
    {
        ConfigData c;
        c.settings.insert(QStringLiteral("relay.hostname"), kRelay);
        c.settings.insert(QStringLiteral("arc.domain"), kRelay);
        if (!seal.isEmpty())
            c.settings.insert(QStringLiteral("arc.seal"), seal);
        if (withKey)
            c.dkimKeys << relayKey(keyFile.isEmpty() ? m_relayKeyFile : keyFile);
        return c;
    }

    static std::shared_ptr<const RelayConfig> build(const ConfigData &c, qint64 generation = 1)
    {
        auto rc = RelayConfig::build(c, generation);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        return *rc;
    }

    QByteArray firstHop(QString *log)
    {
        const QByteArray signedMessage = dkimpySign(m_dir.path(), plainMessage(), m_sender.pem,
                                                    QStringLiteral("s1"), QStringLiteral("sender.test"), log);
        if (signedMessage.isEmpty())
            return {};
        return dkimpyArcSign(
            m_dir.path(),
            "Authentication-Results: hop1.test; dkim=pass header.d=sender.test header.s=s1\r\n" +
                signedMessage,
            m_hop1.pem, QStringLiteral("arc1"), QStringLiteral("hop1.test"), QStringLiteral("hop1.test"),
            log);
    }

    ArcSealingStage::Outcome runStage(ArcSealingStage &stage, const QueuedMessage &meta,
                                      const QByteArray &data, const std::shared_ptr<const RelayConfig> &rc)
    {
        std::optional<ArcSealingStage::Outcome> out;
        stage.prepare(meta, data, rc, QDateTime::currentSecsSinceEpoch(),
                      [&out](const ArcSealingStage::Outcome &o) { out = o; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 20000))
            qWarning("the stage did not answer");
        return out.value_or(ArcSealingStage::Outcome{
            ArcSealingStage::Outcome::Kind::Failed, {}, {}, {}, 0, {}, {}, QStringLiteral("no answer")});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sender = makeKey(DkimAlgorithm::Rsa2048);
        m_hop1 = makeKey(DkimAlgorithm::Rsa2048);
        m_relay = makeKey(DkimAlgorithm::Rsa2048);
        QVERIFY(!m_sender.pem.isEmpty() && !m_hop1.pem.isEmpty() && !m_relay.pem.isEmpty());
        m_relayKeyFile = m_dir.filePath(QStringLiteral("dkim/relay.pem"));
        QVERIFY(writeDkimPrivateKey(m_relayKeyFile, m_relay.pem).ok());
        m_dnsProblem = m_dns.start({txtRecord(QStringLiteral("s1._domainkey.sender.test"), m_sender.record),
                                    txtRecord(QStringLiteral("arc1._domainkey.hop1.test"), m_hop1.record),
                                    txtRecord(QStringLiteral("mr._domainkey.") + kRelay, m_relay.record),
                                    QStringLiteral("--local=/test/")});
    }

    void whichMessagesAreSealed()
    {
        QueuedMessage rewritten;
        rewritten.headersRewritten = true;
        QueuedMessage untouched;
        QueuedMessage dsn;
        dsn.isDsn = true;
        dsn.headersRewritten = true;
        const auto modified = build(config(QString())); // the default
        QCOMPARE(modified->arcSeal, RelayConfig::ArcSeal::Modified);
        QVERIFY(ArcSealingStage::wanted(rewritten, *modified));
        QVERIFY(!ArcSealingStage::wanted(untouched, *modified));
        QVERIFY(!ArcSealingStage::wanted(dsn, *modified));
        const auto always = build(config(QStringLiteral("always")));
        QVERIFY(ArcSealingStage::wanted(rewritten, *always));
        QVERIFY(ArcSealingStage::wanted(untouched, *always));
        const auto off = build(config(QStringLiteral("off")));
        QVERIFY(!ArcSealingStage::wanted(rewritten, *off));
        const auto noKey = build(config(QStringLiteral("always"), false));
        QVERIFY(!ArcSealingStage::wanted(rewritten, *noKey));
        ConfigData noDomain = config(QStringLiteral("always"));
        noDomain.settings.remove(QStringLiteral("arc.domain"));
        QVERIFY(!ArcSealingStage::wanted(rewritten, *build(noDomain)));
        // A retired key never seals.
        ConfigData retired = config(QStringLiteral("always"), false);
        DkimKey k = relayKey(m_relayKeyFile);
        k.state = DkimKeyState::Retired;
        retired.dkimKeys << k;
        QVERIFY(!ArcSealingStage::wanted(rewritten, *build(retired)));
    }

    void modesThroughTheStage()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        ArcSealingStage stage(ArcSealingStage::Options{m_dns.nameserver(), std::chrono::milliseconds(5000)});
        QueuedMessage meta;
        meta.queueId = QStringLiteral("Q1");
        // modified, nothing rewritten: the bytes leave as they are.
        ArcSealingStage::Outcome o = runStage(stage, meta, plainMessage(), build(config(QString())));
        QVERIFY(o.kind == ArcSealingStage::Outcome::Kind::NotSealed);
        QCOMPARE(o.data, plainMessage());
        // always: sealed (i=1, cv=none), and dkimpy passes it.
        o = runStage(stage, meta, plainMessage(), build(config(QStringLiteral("always"))));
        QVERIFY2(o.kind == ArcSealingStage::Outcome::Kind::Sealed, qPrintable(o.error));
        QVERIFY(o.data.startsWith("ARC-Seal: i=1;"));
        QCOMPARE(o.logFields().value(QStringLiteral("cv")).toString(), QStringLiteral("none"));
        QCOMPARE(dkimpyArcVerify(m_dir.path(), o.data, m_dns.nameserver()).cv, QStringLiteral("pass"));
        // off: never.
        meta.headersRewritten = true;
        o = runStage(stage, meta, plainMessage(), build(config(QStringLiteral("off"))));
        QVERIFY(o.kind == ArcSealingStage::Outcome::Kind::NotSealed);
        QCOMPARE(o.data, plainMessage());
        // An unreadable key defers, never sends unsealed.
        o = runStage(stage, meta, plainMessage(),
                     build(config(QString(), true, m_dir.filePath(QStringLiteral("dkim/missing.pem"))), 2));
        QVERIFY(o.kind == ArcSealingStage::Outcome::Kind::Failed);
        QVERIFY2(o.error.startsWith(u"4.3.5 ARC sealing"), qPrintable(o.error));
    }

    // A large message: the stage gets its header section and its body file;
    // the seal's body hash is taken over the file in chunks, the body goes
    // on as it is, and dkimpy passes header section + file.
    void largeBodyFromItsFile()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        ArcSealingStage stage(ArcSealingStage::Options{m_dns.nameserver(), std::chrono::milliseconds(5000)});
        QueuedMessage meta;
        meta.queueId = QStringLiteral("Q9");
        const QByteArray plain = plainMessage();
        const qsizetype headEnd = plain.indexOf("\r\n\r\n") + 4;
        QByteArray bodyBytes = plain.mid(headEnd);
        for (int i = 0; bodyBytes.size() < 1024 * 1024; ++i)
            bodyBytes += "line " + QByteArray::number(i) + "  \xc3\xa9\t" + QByteArray(70, 'q') + " \r\n";
        QString error;
        const std::shared_ptr<BodyFile> file =
            BodyFile::create(m_dir.filePath(QStringLiteral("spill")), &error);
        QVERIFY2(file, qPrintable(error));
        QVERIFY(file->append(bodyBytes.constData(), bodyBytes.size()) && file->finish());
        std::optional<ArcSealingStage::Outcome> out;
        stage.prepare(meta, plain.left(headEnd), file, build(config(QStringLiteral("always"))),
                      QDateTime::currentSecsSinceEpoch(),
                      [&out](const ArcSealingStage::Outcome &o) { out = o; });
        QVERIFY(QTest::qWaitFor([&] { return out.has_value(); }, 20000));
        QVERIFY2(out->kind == ArcSealingStage::Outcome::Kind::Sealed, qPrintable(out->error));
        QCOMPARE(out->body, BodyFilePtr(file));
        QVERIFY(out->data.startsWith("ARC-Seal: i=1;"));
        QVERIFY(out->data.endsWith(plain.left(headEnd)));
        const QByteArray whole = wholeMessage(out->data, out->body);
        QCOMPARE(dkimpyArcVerify(m_dir.path(), whole, m_dns.nameserver()).cv, QStringLiteral("pass"));

        // Loaded again with its chain (as after a restart): the chain is
        // validated with the AMS body hash taken over the file, so it
        // passes; a body changed after sealing fails it.
        QByteArray changed = bodyBytes;
        changed.replace("line 5000 ", "line 5001 ");
        const std::shared_ptr<BodyFile> changedFile =
            BodyFile::create(m_dir.filePath(QStringLiteral("spill")), &error);
        QVERIFY(changedFile && changedFile->append(changed.constData(), changed.size()) &&
                changedFile->finish());
        for (const auto &[body, expected] : {std::pair{BodyFilePtr(file), ArcChainStatus::Pass},
                                             std::pair{BodyFilePtr(changedFile), ArcChainStatus::Fail}}) {
            meta.queueId = QStringLiteral("Q10");
            std::optional<ArcSealingStage::Outcome> again;
            stage.prepare(meta, out->data, body, build(config(QStringLiteral("always"))),
                          QDateTime::currentSecsSinceEpoch(),
                          [&again](const ArcSealingStage::Outcome &o) { again = o; });
            QVERIFY(QTest::qWaitFor([&] { return again.has_value(); }, 20000));
            QVERIFY2(again->kind == ArcSealingStage::Outcome::Kind::Sealed, qPrintable(again->error));
            QCOMPARE(again->instance, 2);
            QCOMPARE(again->cv, expected);
        }
    }

    void brokenChainThroughTheStage()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        QString log;
        QByteArray hop1 = firstHop(&log);
        QVERIFY2(!hop1.isEmpty(), qPrintable(log));
        hop1.replace("Subject: quarterly figures\r\n", "Subject: quarterly figures (revised)\r\n");
        QCOMPARE(dkimpyArcVerify(m_dir.path(), hop1, m_dns.nameserver()).cv, QStringLiteral("fail"));
        ArcSealingStage stage(ArcSealingStage::Options{m_dns.nameserver(), std::chrono::milliseconds(5000)});
        const auto rc = build(config(QString()));
        stage.receivedAt(QStringLiteral("Q2"), hop1, *rc, QDateTime::currentSecsSinceEpoch());
        QueuedMessage meta;
        meta.queueId = QStringLiteral("Q2");
        meta.headersRewritten = true;
        const ArcSealingStage::Outcome o = runStage(stage, meta, hop1, rc);
        QVERIFY2(o.kind == ArcSealingStage::Outcome::Kind::Sealed, qPrintable(o.error));
        QCOMPARE(o.cv, ArcChainStatus::Fail);
        QCOMPARE(o.instance, 2);
        QVERIFY(o.data.contains("cv=fail;"));
        QVERIFY(o.data.contains("Authentication-Results: relay.mailroute.test; arc=fail\r\n"));
        const ArcVerdict v = dkimpyArcVerify(m_dir.path(), o.data, m_dns.nameserver());
        QVERIFY2(v.reason.contains(u"ARC-Seal[2] reported failure"), qPrintable(v.cv + u' ' + v.reason));
        QVERIFY(v.has(QStringLiteral("ams-valid 2 yes")));
        stage.forget(QStringLiteral("Q2"));
        QVERIFY(!stage.arrivalVerdict(QStringLiteral("Q2")));
    }

    void twoHopsThroughTheRelay()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        QString log;
        const QByteArray hop1 = firstHop(&log);
        QVERIFY2(!hop1.isEmpty(), qPrintable(log));

        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = config(QString());
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(port));
        c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("always"));
        c.area(Area::Inbound).users << UserMapping{QStringLiteral("bob@warmsushi.test"),
                                                   QStringLiteral("bob.owen@drypizza.test")};
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.test"), QStringLiteral("drypizza.test")};
        c.routes << TransportRoute{QStringLiteral("drypizza.test"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sink.port())};

        EngineController::Options o;
        o.engine.spoolDirectory = m_dir.filePath(QStringLiteral("spool"));
        o.engine.schedulerTickMs = 50;
        o.engine.nameserver = m_dns.nameserver();
        o.engine.deliveryTimeouts.connect = std::chrono::milliseconds(3000);
        EngineController engine(o);
        connect(&engine, &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        engine.start(build(c));
        QVERIFY(QTest::qWaitFor([&] { return engine.status().listening || !engine.status().error.isEmpty(); },
                                10000));
        QVERIFY2(engine.status().listening, qPrintable(engine.status().error));

        const QString file = m_dir.filePath(QStringLiteral("hop1.eml"));
        QVERIFY(writeFile(file, hop1));
        QProcess swaks;
        swaks.setProcessChannelMode(QProcess::MergedChannels);
        swaks.start(QStringLiteral("swaks"),
                    {QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(port),
                     QStringLiteral("--helo"), QStringLiteral("hop1.test"), QStringLiteral("--from"),
                     QStringLiteral("ann@sender.test"), QStringLiteral("--to"),
                     QStringLiteral("bob@warmsushi.test"), QStringLiteral("--data"), file,
                     QStringLiteral("--timeout"), QStringLiteral("30")});
        QVERIFY(swaks.waitForFinished(60000));
        QVERIFY2(swaks.exitCode() == 0, swaks.readAll().constData());

        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 30000));
        const QByteArray delivered = PySink::data(sink.messages().first());
        QVERIFY2(delivered.startsWith("ARC-Seal: i=2;"), delivered.left(400).constData());
        QVERIFY(delivered.contains("cv=pass;"));
        QVERIFY2(delivered.contains("To: bob.owen@drypizza.test\r\n"), delivered.constData());
        // Our Authentication-Results (with the receipt's spf/dkim/dmarc verdicts)
        // gains arc=pass, and the ARC-Authentication-Results carries the same.
        QByteArray unfolded = delivered.left(delivered.indexOf("\r\n\r\n"));
        unfolded.replace("\r\n\t", " ").replace("\r\n ", " ");
        const QRegularExpression ours(
            QStringLiteral("(^|\r\n)Authentication-Results: relay\\.mailroute\\.test;[^\r\n]*arc=pass\r\n"));
        QVERIFY2(ours.match(QString::fromUtf8(unfolded + "\r\n")).hasMatch(), unfolded.constData());
        const QRegularExpression aar(QStringLiteral(
            "(^|\r\n)ARC-Authentication-Results: i=2; relay\\.mailroute\\.test;[^\r\n]*arc=pass\r\n"));
        QVERIFY2(aar.match(QString::fromUtf8(unfolded + "\r\n")).hasMatch(), unfolded.constData());
        const ArcVerdict v = dkimpyArcVerify(m_dir.path(), delivered, m_dns.nameserver());
        QVERIFY2(v.cv == u"pass", qPrintable(v.cv + u' ' + v.reason + u' ' + v.lines.join(u',')));
        QVERIFY(v.has(QStringLiteral("as-valid 1 yes")) && v.has(QStringLiteral("as-valid 2 yes")));

        // The engine hands its events over in batches: wait for the seal's.
        auto logged = [this] {
            for (const MessageLogEntry &e : std::as_const(m_events)) {
                if (e.event == MessageEvent::Rewritten &&
                    e.fields.value(QStringLiteral("scope")).toString() == u"header ARC-Seal")
                    return e.fields.value(QStringLiteral("cv")).toString() == u"pass" &&
                           e.fields.value(QStringLiteral("d")).toString() == kRelay;
            }
            return false;
        };
        QVERIFY(QTest::qWaitFor(logged, 10000));
        // The "auth" line of the message log has the chain's verdict on arrival.
        auto authLogged = [this] {
            for (const MessageLogEntry &e : std::as_const(m_events)) {
                if (e.event == MessageEvent::Auth)
                    return e.fields.value(QStringLiteral("arc")).toString() == u"pass";
            }
            return false;
        };
        QVERIFY(QTest::qWaitFor(authLogged, 10000));
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestArcSealingStage)
#include "tst_arcsealingstage.moc"
