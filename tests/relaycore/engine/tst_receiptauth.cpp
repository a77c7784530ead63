// Mail authentication at receipt end to end (docs/behaviour.md, "Mail
// authentication at receipt"): messages from a client off
// outbound.allowed_clients go through the real relay (EngineController, its
// own thread) to smtpsink.py; SPF, DKIM keys and DMARC records are served by
// dnsmasq on 127.0.0.1 at a high port through the relay's libunbound
// resolver; dkimpy signs (RSA and Ed25519) and, at the sink, confirms the
// signature still verifies. The sink must see the relay's
// Authentication-Results field with the expected verdicts (a forged one
// with the relay's authserv-id gone, another host's kept), the log must
// carry them ("auth" event), and under auth.dmarc_reject yes a p=reject
// failure must be refused with 550 5.7.1. Every socket on 127.0.0.1.
#include "relaycore/mailauth/authresults.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"
#include "tests/skiporfail.h"

#include <QJsonArray>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QString kScript = QStringLiteral(MAILROUTE_INBOUND_DKIM);
const QByteArray kHost = "relay.mailroute.test";

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

// dnsmasq splits --txt-record values at commas: 255-octet strings, unquoted.
QString txtRecord(const QString &name, const QString &value)
{
    QStringList chunks;
    for (qsizetype i = 0; i < value.size(); i += 255)
        chunks << value.mid(i, 255);
    return QStringLiteral("--txt-record=%1,%2").arg(name, chunks.join(QLatin1Char(',')));
}

struct Key
{
    QString kind, selector, file, recordFile;
};

} // namespace

class TestReceiptAuth : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QHash<QString, Key> m_keys;
    DnsmasqProcess m_dns;
    QList<MessageLogEntry> m_events;
    int m_serial = 0;

    ConfigData config(quint16 listenPort, quint16 sinkPort, bool dmarcReject, bool allowListed = false) const
    {
        ConfigData c;
        if (allowListed)
            c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.1"));
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
        c.settings.insert(QStringLiteral("relay.hostname"), QString::fromLatin1(kHost));
        if (dmarcReject)
            c.settings.insert(QStringLiteral("auth.dmarc_reject"), QStringLiteral("yes"));
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

    // The test message with a forged Authentication-Results under the
    // relay's id and another host's, signed by dkimpy with `key` (empty: unsigned).
    QString message(const QString &key, const QByteArray &body = "Hello Bob,\r\n")
    {
        const QString plain = path(QStringLiteral("plain.eml"));
        writeFile(plain,
                  "Authentication-Results: " + kHost +
                      "; dkim=pass header.d=bank.example; dmarc=pass\r\n"
                      "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=x@other.example\r\n"
                      "From: Alice <alice@sender.example>\r\n"
                      "To: Bob <bob@warmsushi.example>\r\n"
                      "Subject: receipt test\r\n"
                      "Date: Sun, 06 Dec 2026 16:00:00 +0000\r\n"
                      "Message-ID: <r1@sender.example>\r\n"
                      "\r\n" +
                      body);
        if (key.isEmpty())
            return plain;
        const Key &k = m_keys[key];
        const QString signedFile = path(QStringLiteral("signed.eml"));
        int code = -1;
        runPython({QStringLiteral("sign"), k.kind, k.file, k.selector, QStringLiteral("sender.example"),
                   QStringLiteral("From:To:Subject"), plain, signedFile},
                  &code);
        return code == 0 ? signedFile : QString();
    }

    struct Delivery
    {
        QString reply;
        QByteArray data; // empty: nothing reached the sink
    };

    Delivery relay(const QString &file, const QString &mailFrom, bool dmarcReject, bool allowListed = false)
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
        o.engine.nameserver = m_dns.nameserver();
        EngineController engine(o);
        connect(&engine, &EngineController::events, this,
                [this](const QList<MessageLogEntry> &e) { m_events << e; });
        auto rc = RelayConfig::build(config(port, sink.port(), dmarcReject, allowListed), 1);
        if (!rc.ok())
            qFatal("RelayConfig::build: %s", qPrintable(rc.error));
        engine.start(*rc);
        if (!QTest::qWaitFor([&] { return engine.status().listening; }, 10000))
            return d;
        d.reply = runPython({QStringLiteral("send"), QString::number(port), mailFrom,
                             QStringLiteral("bob@warmsushi.example"), file});
        if (!d.reply.startsWith(QLatin1String("250")))
            return d;
        if (QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 20000))
            d.data = PySink::data(sink.messages().first());
        if (!d.data.isEmpty() &&
            !QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("delivered")).isEmpty(); }, 5000))
            qWarning("no delivered event");
        return d;
    }

    QString oracle(const QString &key, const QByteArray &data)
    {
        const QString file = path(QStringLiteral("received.eml"));
        writeFile(file, data);
        return runPython({QStringLiteral("verify"), m_keys[key].recordFile, file});
    }

    static int count(const QByteArray &data, const QByteArray &what)
    {
        int n = 0;
        for (qsizetype at = data.indexOf(what); at >= 0; at = data.indexOf(what, at + 1))
            ++n;
        return n;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/python3")),
                          "/usr/bin/python3 (with python3-dkim) is needed");
        QStringList records{QStringLiteral("--local-ttl=300"), QStringLiteral("--local=/sender.example/")};
        for (const auto &[kind, selector] : {std::pair{"rsa", "sel"}, std::pair{"ed25519", "ed"}}) {
            Key k;
            k.kind = QString::fromLatin1(kind);
            k.selector = QString::fromLatin1(selector);
            k.file = m_dir.filePath(k.kind + QStringLiteral(".key"));
            int code = -1;
            const QString record = runPython({QStringLiteral("keygen"), k.kind, k.file}, &code);
            QVERIFY2(code == 0 && record.startsWith(QLatin1String("v=DKIM1;")), qPrintable(record));
            k.recordFile = m_dir.filePath(k.kind + QStringLiteral(".record"));
            QVERIFY(writeFile(k.recordFile, record.toLatin1()));
            records << txtRecord(k.selector + QStringLiteral("._domainkey.sender.example"), record);
            m_keys.insert(k.kind, k);
        }
        // sender.example: SPF fails for every client, DMARC p=reject.
        // macro.sender.example: SPF passes through exists:%{i} (RFC 7208 §7).
        records << txtRecord(u"sender.example"_qs, u"v=spf1 -all"_qs)
                << txtRecord(u"_dmarc.sender.example"_qs, u"v=DMARC1; p=reject"_qs)
                << txtRecord(u"macro.sender.example"_qs, u"v=spf1 exists:%{i}.ok.sender.example -all"_qs)
                << QStringLiteral("--host-record=127.0.0.1.ok.sender.example,127.0.0.2");
        REQUIRE_DNSMASQ(m_dns.start(records));
    }

    void init() { m_events.clear(); }

    // On failure, what the relay logged.
    void cleanup()
    {
        if (!QTest::currentTestFailed())
            return;
        for (const MessageLogEntry &e : std::as_const(m_events)) {
            QStringList f;
            for (auto it = e.fields.cbegin(); it != e.fields.cend(); ++it)
                f << it.key() + QLatin1Char('=') + it.value().toString();
            qWarning("%s %s: %s", qPrintable(e.queueId), qPrintable(e.eventName()), qPrintable(f.join(u' ')));
        }
    }

    void signedMessage_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("selector");
        QTest::newRow("rsa-sha256") << u"rsa"_qs << u"sel"_qs;
        QTest::newRow("ed25519-sha256") << u"ed25519"_qs << u"ed"_qs;
    }

    // SPF fails (sender.example allows no client), the signature passes and
    // aligns, so DMARC passes. The forged field with the relay's id is gone,
    // the other host's is kept, the signature still verifies at the sink.
    void signedMessage()
    {
        QFETCH(QString, key);
        QFETCH(QString, selector);
        const QString file = message(key);
        QVERIFY(!file.isEmpty());
        const Delivery d = relay(file, u"alice@sender.example"_qs, false);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY(!d.data.isEmpty());
        const QByteArray expected = "Authentication-Results: " + kHost +
                                    ";\r\n\tspf=fail smtp.mailfrom=alice@sender.example;\r\n"
                                    "\tdkim=pass header.d=sender.example header.s=" +
                                    selector.toLatin1() + ";\r\n\tdmarc=pass header.from=sender.example\r\n";
        QVERIFY2(d.data.contains(expected), d.data.constData());
        QCOMPARE(count(d.data, "Authentication-Results: " + kHost), 1);
        QVERIFY(!d.data.contains("header.d=bank.example"));
        QVERIFY(d.data.contains(
            "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=x@other.example\r\n"));
        QCOMPARE(oracle(key, d.data), u"pass"_qs);
        const QList<MessageLogEntry> auth = eventsOf(u"auth"_qs);
        QCOMPARE(auth.size(), 1);
        QCOMPARE(AuthVerdicts::logText(auth.first().fields),
                 u"spf=fail dkim=pass dmarc=pass arc=none header.from=sender.example policy=reject"_qs);
        QCOMPARE(auth.first().queueId, eventsOf(u"received"_qs).value(0).queueId);
    }

    void largeSignedMessage_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("tampered");
        QTest::newRow("rsa-sha256") << u"rsa"_qs << false;
        QTest::newRow("ed25519-sha256") << u"ed25519"_qs << false;
        QTest::newRow("rsa-sha256, body changed after signing") << u"rsa"_qs << true;
    }

    // A message far above the spill threshold (its body goes to a file as it
    // arrives, relaycore/message/bodyfile.h) is verified with its body hashed
    // from that file: dkimpy's signature passes, and a body changed past the
    // first 256 KiB after signing fails.
    void largeSignedMessage()
    {
        QFETCH(QString, key);
        QFETCH(bool, tampered);
        QByteArray body;
        for (int i = 0; body.size() < 700 * 1024; ++i)
            body += "Line " + QByteArray::number(i).rightJustified(6, '0') +
                    " of a large  signed\tmessage, trailing blanks \t \r\n";
        body += "\r\n\r\n"; // empty lines at the end (§3.4.3, §3.4.4)
        const QString file = message(key, body);
        QVERIFY(!file.isEmpty());
        if (tampered) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray bytes = f.readAll();
            f.close();
            const qsizetype at = bytes.indexOf("Line 010000 ");
            QVERIFY(at > 300 * 1024);
            bytes[at] = 'l';
            body.replace("Line 010000 ", "line 010000 ");
            QVERIFY(writeFile(file, bytes));
        }
        QVERIFY(QFileInfo(file).size() > 2 * 256 * 1024);
        const Delivery d = relay(file, u"alice@sender.example"_qs, false);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY(!d.data.isEmpty());
        const QList<MessageLogEntry> auth = eventsOf(u"auth"_qs);
        QCOMPARE(auth.size(), 1);
        const QString verdicts = AuthVerdicts::logText(auth.first().fields);
        if (tampered) {
            QVERIFY2(verdicts.startsWith(u"spf=fail dkim=fail dmarc=fail"_qs), qPrintable(verdicts));
            QVERIFY(d.data.contains("\tdkim=fail"));
            const QString dkimpy = oracle(key, d.data); // the same verdict, for the same reason
            QVERIFY2(dkimpy.startsWith(u"fail ValidationError(\"body hash mismatch"_qs), qPrintable(dkimpy));
        } else {
            QVERIFY2(verdicts.startsWith(u"spf=fail dkim=pass dmarc=pass"_qs), qPrintable(verdicts));
            QVERIFY(d.data.contains("\tdkim=pass header.d=sender.example"));
            QCOMPARE(oracle(key, d.data), u"pass"_qs);
        }
        QVERIFY(d.data.contains(body.chopped(4))); // the body arrived whole
    }

    // Unsigned, SPF fails: DMARC fails under p=reject, and by default the
    // relay only says so (the target tenant decides).
    void dmarcFailureIsDeliveredByDefault()
    {
        const Delivery d = relay(message(QString()), u"alice@sender.example"_qs, false);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY2(d.data.contains(
                     QByteArray("Authentication-Results: " + kHost +
                                ";\r\n\tspf=fail smtp.mailfrom=alice@sender.example;\r\n\tdkim=none;\r\n")),
                 d.data.constData());
        QVERIFY(d.data.contains("\tdmarc=fail (p=reject dis=reject) header.from=sender.example\r\n"));
        QCOMPARE(eventsOf(u"auth"_qs).value(0).fields.value(u"dmarc"_qs).toString(), u"fail"_qs);
    }

    // auth.dmarc_reject yes: the same message is refused at the end of DATA
    // with 550 5.7.1, logged as refused with the verdicts; nothing is queued.
    void dmarcRejectRefuses()
    {
        const Delivery d = relay(message(QString()), u"alice@sender.example"_qs, true);
        QVERIFY2(d.reply.startsWith(QLatin1String("550 5.7.1")), qPrintable(d.reply));
        QVERIFY(d.data.isEmpty());
        const QList<MessageLogEntry> refused = eventsOf(u"refused"_qs);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().fields.value(u"dmarc"_qs).toString(), u"fail"_qs);
        QCOMPARE(refused.first().fields.value(u"spf"_qs).toString(), u"fail"_qs);
        QVERIFY(eventsOf(u"received"_qs).isEmpty());
    }

    // A client on outbound.allowed_clients: no verification, no field of
    // ours, no "auth" event, but the forged field with our id is gone too.
    void allowListedClientIsNotVerified()
    {
        const Delivery d = relay(message(QString()), u"alice@sender.example"_qs, true, true);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY(!d.data.isEmpty());
        QCOMPARE(count(d.data, "Authentication-Results: " + kHost), 0);
        QVERIFY(d.data.contains(
            "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=x@other.example\r\n"));
        QVERIFY(eventsOf(u"auth"_qs).isEmpty());
    }

    void spfPassesAndAligns_data()
    {
        QTest::addColumn<QString>("mailFrom");
        QTest::newRow("exists:%{i} macro") << u"bounce@macro.sender.example"_qs;
        // No ptr row: libunbound answers 1.0.0.127.in-addr.arpa itself
        // ("localhost", its default local zone), so a client on 127.0.0.1
        // cannot have a PTR name from the test's zone. ptr and %{p} are
        // covered by tst_spfsuite.
    }

    // Under auth.dmarc_reject yes a message that passes is delivered: SPF
    // passes (an exists:%{i} macro) for the envelope sender's subdomain,
    // which aligns relaxed with From: sender.example.
    void spfPassesAndAligns()
    {
        QFETCH(QString, mailFrom);
        const Delivery d = relay(message(QString()), mailFrom, true);
        QVERIFY2(d.reply.startsWith(QLatin1String("250")), qPrintable(d.reply));
        QVERIFY2(d.data.contains(QByteArray("Authentication-Results: " + kHost +
                                            ";\r\n\tspf=pass smtp.mailfrom=" + mailFrom.toLatin1() +
                                            ";\r\n\tdkim=none;\r\n")),
                 d.data.constData());
        QVERIFY(d.data.contains("\tdmarc=pass header.from=sender.example\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestReceiptAuth)
#include "tst_receiptauth.moc"
