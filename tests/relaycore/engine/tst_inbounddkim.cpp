// rewrite.recipient_headers end to end (docs/behaviour.md, "Header
// rewriting"): a message signed by dkimpy (relaxed/relaxed, h= From:To:Cc:
// Subject, RSA and Ed25519) goes through the real relay (EngineController,
// its own thread) to smtpsink.py, with a user rule (To:) and a domain rule
// (Cc:). The key record is served by dnsmasq on 127.0.0.1 at a high port
// (tests/relaycore/delivery/dnsmasqprocess.h) through the relay's libunbound
// resolver; dkimpy, the independent verifier,
// judges the message the sink received. A DNS server that never answers
// must leave the fields as they are. Every socket on 127.0.0.1.
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include "tests/skiporfail.h"
#include <QJsonArray>

#include <QTest>
#include <QUdpSocket>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QString kScript = QStringLiteral(MAILROUTE_INBOUND_DKIM);

QString runPython(const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), QStringList{kScript} + args);
    if (!p.waitForFinished(120000))
        p.kill();
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (!err.isEmpty())
        qWarning("%s", qPrintable(err));
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// --txt-record values: dnsmasq splits a record into strings at commas and
// keeps quotes given on the command line, so each 255-octet string (RFC 1035
// §3.3.14) goes unquoted.
QString txtRecord(const QString &name, const QString &value)
{
    QStringList chunks;
    for (qsizetype i = 0; i < value.size(); i += 255)
        chunks << value.mid(i, 255);
    return QStringLiteral("--txt-record=%1,%2").arg(name, chunks.join(QLatin1Char(',')));
}

struct Key
{
    QString kind;     // "rsa", "ed25519"
    QString selector; // "sel", "ed"
    QString file;
    QString record;
    QString recordFile;
};

} // namespace

class TestInboundDkim : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QHash<QString, Key> m_keys;
    DnsmasqProcess m_dns;
    QList<MessageLogEntry> m_events;
    int m_serial = 0;

    // Inbound: user bob@warmsushi.example -> bob.owen@drypizza.example, domain
    // @warmsushi.example -> @drypizza.example; drypizza.example goes to the sink.
    ConfigData config(quint16 listenPort, quint16 sinkPort, const QString &recipientHeaders) const
    {
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.area(Area::Inbound).users << UserMapping{QStringLiteral("bob@warmsushi.example"),
                                                   QStringLiteral("bob.owen@drypizza.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        // Some tests have no next hop at all: no recipient verification (issue 18).
        c.settings.insert(QStringLiteral("verify.recipients"), QStringLiteral("off"));
        if (!recipientHeaders.isEmpty())
            c.settings.insert(QStringLiteral("rewrite.recipient_headers"), recipientHeaders);
        c.routes << TransportRoute{QStringLiteral("drypizza.example"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sinkPort)};
        return c;
    }

    QString path(const QString &name)
    {
        return m_dir.filePath(QStringLiteral("%1-%2").arg(++m_serial).arg(name));
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

    // What the relay logged about header fields, for failure messages.
    QString headerReasons() const
    {
        QStringList out;
        for (const MessageLogEntry &e : m_events) {
            if (e.fields.value(QStringLiteral("scope")).toString().startsWith(QLatin1String("header")))
                out << e.eventName() + QLatin1Char(' ') + e.fields.value(QStringLiteral("scope")).toString() +
                           QStringLiteral(": ") + e.fields.value(QStringLiteral("reason")).toString();
        }
        return out.join(QLatin1Char('\n'));
    }

    // The plain test message, signed by dkimpy with `key` over `headers`
    // (empty key: unsigned).
    QString message(const QString &key, const QString &headers)
    {
        const QString plain = path(QStringLiteral("plain.eml"));
        writeFile(plain, "From: Alice <alice@sender.example>\r\n"
                         "To: Bob <bob@warmsushi.example>\r\n"
                         "Cc: chloe@warmsushi.example, other@elsewhere.example\r\n"
                         "Subject: migration test\r\n"
                         "Date: Sun, 06 Dec 2026 16:00:00 +0000\r\n"
                         "Message-ID: <t1@sender.example>\r\n"
                         "\r\n"
                         "Hello Bob,\r\n.leading dot\r\n");
        if (key.isEmpty())
            return plain;
        const Key &k = m_keys[key];
        const QString signedFile = path(QStringLiteral("signed.eml"));
        int code = -1;
        runPython({QStringLiteral("sign"), k.kind, k.file, k.selector, QStringLiteral("sender.example"),
                   headers, plain, signedFile},
                  &code);
        return code == 0 ? signedFile : QString();
    }

    struct Delivery
    {
        QString reply;
        QStringList rcpts;
        QByteArray data;
    };

    // Sends `file` through a fresh relay to a fresh sink.
    Delivery relay(const QString &file, const QString &recipientHeaders, const QString &nameserver,
                   int checkTimeoutMs = 10000)
    {
        Delivery d;
        PySink sink;
        if (!sink.start()) {
            qWarning("sink: %s", qPrintable(sink.error()));
            return d;
        }
        const quint16 port = closedPort();
        EngineController::Options o;
        o.engine.spoolDirectory = path(QStringLiteral("spool"));
        o.engine.schedulerTickMs = 50;
        o.engine.nameserver = nameserver;
        o.engine.signatureCheckTimeoutMs = checkTimeoutMs;
        EngineController engine(o);
        connect(&engine, &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        auto rc = RelayConfig::build(config(port, sink.port(), recipientHeaders), 1);
        if (!rc.ok())
            qFatal("RelayConfig::build: %s", qPrintable(rc.error));
        engine.start(*rc);
        if (!QTest::qWaitFor([&] { return engine.status().listening; }, 10000))
            return d;
        d.reply =
            runPython({QStringLiteral("send"), QString::number(port), QStringLiteral("alice@sender.example"),
                       QStringLiteral("bob@warmsushi.example,chloe@warmsushi.example"), file});
        if (!QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 20000))
            return d;
        const QJsonObject m = sink.messages().first();
        for (const QJsonValue &v : m.value(QStringLiteral("rcpts")).toArray())
            d.rcpts << v.toString();
        d.data = PySink::data(m);
        if (!QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("delivered")).isEmpty(); }, 5000))
            qWarning("no delivered event");
        return d;
    }

    QString oracle(const QString &key, const QByteArray &data)
    {
        const QString file = path(QStringLiteral("received.eml"));
        writeFile(file, data);
        return runPython({QStringLiteral("verify"), m_keys[key].recordFile, file});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/python3")),
                          "/usr/bin/python3 (with python3-dkim) is needed");
        QStringList records{QStringLiteral("--local-ttl=300")};
        for (const auto &[kind, selector] : {std::pair{"rsa", "sel"}, std::pair{"ed25519", "ed"}}) {
            Key k;
            k.kind = QString::fromLatin1(kind);
            k.selector = QString::fromLatin1(selector);
            k.file = m_dir.filePath(k.kind + QStringLiteral(".key"));
            int code = -1;
            k.record = runPython({QStringLiteral("keygen"), k.kind, k.file}, &code);
            QVERIFY2(code == 0 && k.record.startsWith(QLatin1String("v=DKIM1;")), qPrintable(k.record));
            k.recordFile = m_dir.filePath(k.kind + QStringLiteral(".record"));
            QVERIFY(writeFile(k.recordFile, k.record.toLatin1()));
            records << txtRecord(k.selector + QStringLiteral("._domainkey.sender.example"), k.record);
            m_keys.insert(k.kind, k);
        }
        const QString why = m_dns.start(records);
        REQUIRE_DNSMASQ(why);
    }

    void init() { m_events.clear(); }

    void signedFieldsAreKeptUnderUnsigned_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("rsa-sha256") << u"rsa"_qs;
        QTest::newRow("ed25519-sha256") << u"ed25519"_qs;
    }

    // The default: the envelope is rewritten (the sink sees the new RCPT TO),
    // To: and Cc: stay as signed, and dkimpy still verifies at the sink.
    void signedFieldsAreKeptUnderUnsigned()
    {
        QFETCH(QString, key);
        const QString file = message(key, QStringLiteral("From:To:Cc:Subject"));
        QVERIFY(!file.isEmpty());
        QCOMPARE(oracle(key, readFile(file)), u"pass"_qs); // valid before the relay
        const Delivery d = relay(file, QString(), m_dns.nameserver());
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QCOMPARE(d.rcpts, (QStringList{u"<bob.owen@drypizza.example>"_qs, u"<chloe@drypizza.example>"_qs}));
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob@warmsushi.example>\r\n"), qPrintable(headerReasons()));
        QVERIFY2(d.data.contains("\r\nCc: chloe@warmsushi.example, other@elsewhere.example\r\n"),
                 d.data.constData());
        QCOMPARE(oracle(key, d.data), u"pass"_qs);
        QVERIFY(m_dns.queries(u"TXT "_qs + m_keys[key].selector + u"._domainkey.sender.example"_qs) >= 1);

        const QList<MessageLogEntry> kept = eventsOf(u"kept"_qs);
        QCOMPARE(kept.size(), 2);
        QCOMPARE(kept[0].fields.value(u"scope"_qs).toString(), u"header To"_qs);
        QCOMPARE(kept[0].fields.value(u"address"_qs).toString(), u"bob@warmsushi.example"_qs);
        QCOMPARE(kept[0].fields.value(u"would_be"_qs).toString(), u"bob.owen@drypizza.example"_qs);
        QCOMPARE(kept[0].fields.value(u"reason"_qs).toString(), u"covered by DKIM d=sender.example"_qs);
        QCOMPARE(kept[1].fields.value(u"scope"_qs).toString(), u"header Cc"_qs);
        for (const MessageLogEntry &e : eventsOf(u"rewritten"_qs))
            QVERIFY2(!e.fields.value(u"scope"_qs).toString().startsWith(u"header"_qs),
                     qPrintable(e.fields.value(u"scope"_qs).toString()));
    }

    void alwaysBreaksTheSignature_data() { signedFieldsAreKeptUnderUnsigned_data(); }

    // `always`, the old behaviour: the fields are rewritten and the signature
    // no longer verifies (what DMARC at the target tenant would see).
    void alwaysBreaksTheSignature()
    {
        QFETCH(QString, key);
        const QString file = message(key, QStringLiteral("From:To:Cc:Subject"));
        QVERIFY(!file.isEmpty());
        const Delivery d = relay(file, u"always"_qs, m_dns.nameserver());
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QCOMPARE(d.rcpts, (QStringList{u"<bob.owen@drypizza.example>"_qs, u"<chloe@drypizza.example>"_qs}));
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob.owen@drypizza.example>\r\n"), d.data.constData());
        QVERIFY2(d.data.contains("\r\nCc: chloe@drypizza.example, other@elsewhere.example\r\n"),
                 d.data.constData());
        QCOMPARE(oracle(key, d.data), u"fail"_qs);
        QVERIFY(eventsOf(u"kept"_qs).isEmpty());
    }

    // `never`: only the envelope.
    void neverLeavesHeadersAlone()
    {
        const QString file = message(QString(), {});
        const Delivery d = relay(file, u"never"_qs, m_dns.nameserver());
        QCOMPARE(d.rcpts, (QStringList{u"<bob.owen@drypizza.example>"_qs, u"<chloe@drypizza.example>"_qs}));
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob@warmsushi.example>\r\n"), d.data.constData());
        QVERIFY(eventsOf(u"kept"_qs).isEmpty());
    }

    // A DNS server that never answers: no verdict, so the fields are kept.
    void silentDnsKeepsTheFields()
    {
        QUdpSocket silent; // bound, never read: every query goes unanswered
        QVERIFY(silent.bind(QHostAddress::LocalHost, 0));
        const QString file = message(u"rsa"_qs, QStringLiteral("From:To:Cc:Subject"));
        QVERIFY(!file.isEmpty());
        const Delivery d =
            relay(file, QString(), QStringLiteral("127.0.0.1:%1").arg(silent.localPort()), 3000);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QCOMPARE(d.rcpts, (QStringList{u"<bob.owen@drypizza.example>"_qs, u"<chloe@drypizza.example>"_qs}));
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob@warmsushi.example>\r\n"), d.data.constData());
        QVERIFY2(d.data.contains("\r\nCc: chloe@warmsushi.example, other@elsewhere.example\r\n"),
                 d.data.constData());
        QCOMPARE(oracle(u"rsa"_qs, d.data), u"pass"_qs);
        const QList<MessageLogEntry> kept = eventsOf(u"kept"_qs);
        QCOMPARE(kept.size(), 2);
        const QString reason = kept[0].fields.value(u"reason"_qs).toString();
        QVERIFY2(reason.startsWith(u"may be covered by DKIM d=sender.example, which could not be checked"_qs),
                 qPrintable(reason));
    }

    // The relay stops while a message waits for its verdict: the client still
    // gets its 250 before the session closes, the signed fields kept.
    void stopWhileWaitingAnswersTheClient()
    {
        QUdpSocket silent;
        QVERIFY(silent.bind(QHostAddress::LocalHost, 0));
        const QString file = message(u"rsa"_qs, QStringLiteral("From:To:Cc:Subject"));
        QVERIFY(!file.isEmpty());
        const quint16 port = closedPort();
        EngineController::Options o;
        o.engine.spoolDirectory = path(QStringLiteral("spool"));
        o.engine.nameserver = QStringLiteral("127.0.0.1:%1").arg(silent.localPort());
        // The wait under test is the DKIM one: no SPF/DMARC look-ups to the silent server first.
        o.engine.receiptCheck = [] { return std::unique_ptr<ReceiptCheck>(); };
        o.engine.signatureCheckTimeoutMs = 60000; // longer than this test waits
        EngineController engine(o);
        connect(&engine, &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        engine.start(*RelayConfig::build(config(port, closedPort(), QString()), 1));
        QVERIFY(QTest::qWaitFor([&] { return engine.status().listening; }, 10000));
        QProcess client;
        client.start(QStringLiteral("/usr/bin/python3"),
                     {kScript, QStringLiteral("send"), QString::number(port),
                      QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"), file});
        // The key look-up goes to the silent server: the 250 waits.
        QVERIFY(QTest::qWaitFor([&] { return silent.hasPendingDatagrams(); }, 20000));
        QVERIFY(!client.waitForFinished(500));
        engine.stop();
        QVERIFY(client.waitForFinished(20000));
        const QString reply = QString::fromUtf8(client.readAllStandardOutput());
        QVERIFY2(reply.startsWith(QLatin1String("250")),
                 qPrintable(reply + QString::fromUtf8(client.readAllStandardError())));
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(u"kept"_qs).isEmpty(); }, 5000));
        QCOMPARE(eventsOf(u"kept"_qs).first().fields.value(u"reason"_qs).toString(),
                 u"may be covered by DKIM d=sender.example, which could not be checked (the relay stopped "
                 u"before the "
                 "verdict)"_qs);
    }

    // The client leaves while its message waits: it never got a 250 and will
    // send again, so this copy is not queued (no duplicate delivery).
    void clientLeavingWhileWaitingQueuesNothing()
    {
        QUdpSocket silent;
        QVERIFY(silent.bind(QHostAddress::LocalHost, 0));
        const QString file = message(u"rsa"_qs, QStringLiteral("From:To:Cc:Subject"));
        QVERIFY(!file.isEmpty());
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        EngineController::Options o;
        o.engine.spoolDirectory = path(QStringLiteral("spool"));
        o.engine.schedulerTickMs = 50;
        o.engine.nameserver = QStringLiteral("127.0.0.1:%1").arg(silent.localPort());
        // The wait under test is the DKIM one: no SPF/DMARC look-ups to the silent server first.
        o.engine.receiptCheck = [] { return std::unique_ptr<ReceiptCheck>(); };
        o.engine.signatureCheckTimeoutMs = 2000;
        EngineController engine(o);
        connect(&engine, &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        engine.start(*RelayConfig::build(config(port, sink.port(), QString()), 1));
        QVERIFY(QTest::qWaitFor([&] { return engine.status().listening; }, 10000));
        QCOMPARE(runPython({QStringLiteral("abandon"), QString::number(port),
                            QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"),
                            file}),
                 u"abandoned"_qs);
        auto left = [&] {
            for (const MessageLogEntry &e : eventsOf(u"error"_qs)) {
                if (e.fields.value(u"reason"_qs)
                        .toString()
                        .contains(u"the client left before the DKIM check finished"_qs))
                    return true;
            }
            return false;
        };
        QVERIFY(QTest::qWaitFor(left, 15000));
        QVERIFY(eventsOf(u"received"_qs).isEmpty());
        QTest::qWait(500);
        QVERIFY(sink.messages().isEmpty());
        QCOMPARE(engine.status().queued, 0);
    }

    // Unsigned mail is rewritten under `unsigned` as before, and says why.
    void unsignedMailIsRewritten()
    {
        const QString file = message(QString(), {});
        const Delivery d = relay(file, QString(), m_dns.nameserver());
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob.owen@drypizza.example>\r\n"), d.data.constData());
        QVERIFY2(d.data.contains("\r\nCc: chloe@drypizza.example, other@elsewhere.example\r\n"),
                 d.data.constData());
        QVERIFY(eventsOf(u"kept"_qs).isEmpty());
        int headerEvents = 0;
        for (const MessageLogEntry &e : eventsOf(u"rewritten"_qs)) {
            if (!e.fields.value(u"scope"_qs).toString().startsWith(u"header"_qs))
                continue;
            ++headerEvents;
            QCOMPARE(e.fields.value(u"reason"_qs).toString(), u"no DKIM signature"_qs);
        }
        QCOMPARE(headerEvents, 2);
    }

    // A signature whose h= leaves To and Cc out: rewriting them cannot break
    // it, so they are rewritten and dkimpy still verifies.
    void fieldsOutsideTheSignatureAreRewritten()
    {
        const QString file = message(u"ed25519"_qs, QStringLiteral("From:Subject"));
        QVERIFY(!file.isEmpty());
        const Delivery d = relay(file, QString(), m_dns.nameserver());
        QVERIFY2(d.data.contains("\r\nTo: Bob <bob.owen@drypizza.example>\r\n"), d.data.constData());
        QVERIFY2(d.data.contains("\r\nCc: chloe@drypizza.example, other@elsewhere.example\r\n"),
                 d.data.constData());
        QCOMPARE(oracle(u"ed25519"_qs, d.data), u"pass"_qs);
        QVERIFY(eventsOf(u"kept"_qs).isEmpty());
        bool sawReason = false;
        for (const MessageLogEntry &e : eventsOf(u"rewritten"_qs))
            sawReason =
                sawReason || e.fields.value(u"reason"_qs).toString() == u"no DKIM signature covers it"_qs;
        QVERIFY(sawReason);
    }
};

QTEST_GUILESS_MAIN(TestInboundDkim)
#include "tst_inbounddkim.moc"
