// End-to-end tests of the relay engine (relayenginefixture.h): TLS, routing
// and rewriting, the smart host, pushes while the relay runs.
#include "tests/relaycore/engine/relayenginefixture.h"

class TestRelayEngine : public RelayEngineFixture
{
    Q_OBJECT

private slots:
    void cleanup() { printEventsIfFailed(); }

    void init() { clearEvents(); }

    // tls.key encrypted (openssl genrsa -aes256), its passphrase from the real
    // keychain (gnome-keyring); a wrong or missing one: an error event, no
    // STARTTLS, the relay keeps running.
    void encryptedKeyWithPassphraseFromTheKeychain()
    {
        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        const QString key = m_dir.filePath(QStringLiteral("encrypted-key.pem"));
        const QString cert = m_dir.filePath(QStringLiteral("encrypted-cert.pem"));
        for (const QStringList &args :
             {QStringList{QStringLiteral("genrsa"), QStringLiteral("-aes256"), QStringLiteral("-passout"),
                          QStringLiteral("pass:right one"), QStringLiteral("-out"), key,
                          QStringLiteral("2048")},
              QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-x509"),
                          QStringLiteral("-key"), key, QStringLiteral("-passin"),
                          QStringLiteral("pass:right one"), QStringLiteral("-days"), QStringLiteral("2"),
                          QStringLiteral("-subj"), QStringLiteral("/CN=relay.mailroute.test"),
                          QStringLiteral("-out"), cert}}) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QStringLiteral("openssl"), args);
            QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
        }
        m_secrets = createSystemSecretStore(m_dir.filePath(QStringLiteral("encrypted.db")));
        auto ehlo = [](quint16 port) {
            return swaks(port, {QStringLiteral("--tls-optional"), QStringLiteral("--to"),
                                QStringLiteral("bob@warmsushi.example"), QStringLiteral("--quit-after"),
                                QStringLiteral("EHLO")});
        };
        for (const QString &stored : {QString(), QStringLiteral("wrong one")}) {
            m_events.clear();
            if (stored.isEmpty())
                QVERIFY(m_secrets->remove(secretnames::tlsKeyPassphrase()).ok());
            else
                QVERIFY(m_secrets->write(secretnames::tlsKeyPassphrase(), stored).ok());
            const quint16 port = closedPort();
            auto engine = startEngine(build(tlsConfig(port, closedPort(), cert, key), 1), newSpool());
            QVERIFY(engine && engine->status().listening);
            QVERIFY(hasErrorEvent(stored.isEmpty() ? QStringLiteral("no tls.key_passphrase is stored")
                                                   : QStringLiteral("does not decrypt tls.key")));
            QVERIFY(hasErrorEvent(QStringLiteral("STARTTLS is not offered")));
            const SwaksRun r = ehlo(port);
            QVERIFY2(r.output.contains(QLatin1String("250 ")) &&
                         !r.output.contains(QLatin1String("250-STARTTLS")) &&
                         !r.output.contains(QLatin1String("250 STARTTLS")),
                     qPrintable(r.output));
            for (const MessageLogEntry &e : std::as_const(m_events))
                QVERIFY(!e.fields.value(QStringLiteral("reason"))
                             .toString()
                             .contains(QLatin1String("wrong one")));
        }
        m_events.clear();
        QVERIFY(m_secrets->write(secretnames::tlsKeyPassphrase(), QStringLiteral("right one")).ok());
        const quint16 port = closedPort();
        auto engine = startEngine(build(tlsConfig(port, closedPort(), cert, key), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = ehlo(port);
        QVERIFY2(r.output.contains(QLatin1String("220 2.0.0")) &&
                     r.output.contains(QLatin1String("TLS started")),
                 qPrintable(r.output));
        QVERIFY(eventsOf(QStringLiteral("error")).isEmpty());
        QVERIFY(m_secrets->remove(secretnames::tlsKeyPassphrase()).ok());
    }

    // tls.required_before_mail = all: swaks in plaintext gets 530 5.7.0 to
    // MAIL; with --tls the message goes through.
    void tlsRequiredBeforeMail()
    {
        QString cert, key;
        QVERIFY(makeCertificate(QStringLiteral("relay.mailroute.test"), QStringLiteral("2"), &cert, &key));
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = tlsConfig(port, sink.port(), cert, key);
        c.settings.insert(QStringLiteral("tls.required_before_mail"), QStringLiteral("all"));
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        SwaksRun r = swaks(port, {QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code != 0 &&
                     r.output.contains(QLatin1String("530 5.7.0 Must issue a STARTTLS command first")),
                 qPrintable(r.output));
        r = swaks(port,
                  {QStringLiteral("--tls"), QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0 && !r.output.contains(QLatin1String("530")), qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(sink.messages().size(), 1);
    }

    void startTlsCarriesTheMessage()
    {
        QString cert, key;
        QVERIFY(makeCertificate(QStringLiteral("relay.mailroute.test"), QStringLiteral("2"), &cert, &key));
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(tlsConfig(port, sink.port(), cert, key), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(
            port, {QStringLiteral("--tls"), QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("STARTTLS")) &&
                     r.output.contains(QLatin1String("220 2.0.0")),
                 qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        // RFC 3848: the trace field says the message came over TLS.
        QVERIFY2(PySink::data(sink.messages().first()).contains("with ESMTPS"),
                 PySink::data(sink.messages().first()).constData());

        // openssl s_client sees this certificate and TLS 1.2 or later.
        QProcess s;
        s.setProcessChannelMode(QProcess::MergedChannels);
        s.start(QStringLiteral("openssl"),
                {QStringLiteral("s_client"), QStringLiteral("-starttls"), QStringLiteral("smtp"),
                 QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(port),
                 QStringLiteral("-brief")});
        s.write("QUIT\r\n");
        s.closeWriteChannel();
        QVERIFY(s.waitForFinished(30000));
        const QString out = QString::fromUtf8(s.readAll());
        QVERIFY2(out.contains(QLatin1String("CN = relay.mailroute.test")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("TLSv1.2")) || out.contains(QLatin1String("TLSv1.3")),
                 qPrintable(out));
    }

    void plaintextPipelinedAfterStartTlsIsNeverExecuted()
    {
        QString cert, key;
        QVERIFY(makeCertificate(QStringLiteral("inject.mailroute.test"), QStringLiteral("2"), &cert, &key));
        const quint16 port = closedPort();
        auto engine = startEngine(build(tlsConfig(port, closedPort(), cert, key), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        QSslSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(5000));
        QVERIFY(QTest::qWaitFor([&] { return s.canReadLine(); }, 5000));
        QVERIFY(s.readLine().startsWith("220 "));
        // CVE-2011-0411: commands injected behind STARTTLS in the same packet.
        s.write("EHLO attacker.test\r\nSTARTTLS\r\nMAIL FROM:<evil@outside.example>\r\n"
                "RCPT TO:<bob@warmsushi.example>\r\n");
        QByteArray plain;
        QVERIFY(QTest::qWaitFor(
            [&] {
                plain += s.readAll();
                return plain.contains("220 2.0.0");
            },
            10000));
        QTest::qWait(300);
        plain += s.readAll();
        QVERIFY2(plain.endsWith("\r\n") && plain.indexOf("220 2.0.0") > plain.indexOf("STARTTLS"),
                 plain.constData());
        QVERIFY2(!plain.contains("250 2.1.0") && !plain.contains("250 2.1.5"),
                 plain.constData()); // never answered
        // Now the TLS handshake: the session starts over inside it (RFC 3207 §4.2).
        s.setPeerVerifyMode(QSslSocket::VerifyNone);
        s.startClientEncryption();
        QVERIFY2(s.waitForEncrypted(10000), qPrintable(s.errorString()));
        s.write("RCPT TO:<bob@warmsushi.example>\r\n");
        QVERIFY(QTest::qWaitFor([&] { return s.canReadLine(); }, 5000));
        const QByteArray rcpt = s.readLine();
        QVERIFY2(rcpt.startsWith("503 "), rcpt.constData()); // the injected MAIL left no transaction
        s.write("MAIL FROM:<a@outside.example>\r\n");
        QVERIFY(QTest::qWaitFor([&] { return s.canReadLine(); }, 5000));
        const QByteArray mail = s.readLine();
        QVERIFY2(mail.startsWith("503 "), mail.constData()); // EHLO again first
    }

    void noStartTlsWithoutAUsableCertificate()
    {
        const quint16 port = closedPort();
        auto engine =
            startEngine(build(tlsConfig(port, closedPort(), m_dir.filePath(QStringLiteral("missing.pem")),
                                        m_dir.filePath(QStringLiteral("missing.key"))),
                              1),
                        newSpool());
        QVERIFY(engine && engine->status().listening); // the relay runs without TLS
        const SwaksRun r = swaks(port, {QStringLiteral("--tls"), QStringLiteral("--to"),
                                        QStringLiteral("bob@warmsushi.example"),
                                        QStringLiteral("--quit-after"), QStringLiteral("EHLO")});
        QVERIFY(!r.output.contains(QLatin1String("250-STARTTLS")) &&
                !r.output.contains(QLatin1String("250 STARTTLS")));
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const MessageLogEntry &e : eventsOf(QStringLiteral("error"))) {
                    if (e.fields.value(QStringLiteral("reason"))
                            .toString()
                            .contains(QLatin1String("STARTTLS is not offered")))
                        return true;
                }
                return false;
            },
            5000));
    }

    void inboundMessageIsRoutedAndRewritten()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);

        const QString msg = messageFile(m_dir, "From: Alice <alice@outside.example>\r\n"
                                               "To: \"Bob (old)\" <bob@warmsushi.example>\r\n"
                                               "Cc: chloe@WarmSushi.example, other@elsewhere.example\r\n"
                                               "Subject: hello\r\n\r\nBody line\r\n");
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@outside.example"),
                                        QStringLiteral("--to"),
                                        QStringLiteral("bob@warmsushi.example,chloe@warmsushi.example"),
                                        QStringLiteral("--data"), msg});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY2(r.output.contains(QLatin1String("250 2.0.0 Ok: queued as ")), qPrintable(r.output));

        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject m = sink.messages().first();
        QCOMPARE(rcpts(m), (QStringList{QStringLiteral("<bob.owen@drypizza.example>"),
                                        QStringLiteral("<chloe@drypizza.example>")}));
        QVERIFY(
            m.value(QStringLiteral("mail")).toString().startsWith(QLatin1String("<alice@outside.example>")));
        const QByteArray data = PySink::data(m);
        QVERIFY2(data.startsWith("Received: from client.test"), data.constData());
        QVERIFY2(data.contains("To: \"Bob (old)\" <bob.owen@drypizza.example>\r\n"), data.constData());
        QVERIFY2(data.contains("Cc: chloe@drypizza.example, other@elsewhere.example\r\n"), data.constData());
        QVERIFY(data.contains("From: Alice <alice@outside.example>\r\n"));
        QVERIFY(data.endsWith("\r\n\r\nBody line\r\n"));

        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("delivered")).size() == 2; }, 5000));
        QCOMPARE(eventsOf(QStringLiteral("received")).size(), 1);
        const auto rewritten = eventsOf(QStringLiteral("rewritten"));
        QVERIFY2(rewritten.size() >= 4, "2 envelope recipients and 2 header addresses");
        bool sawUserRule = false;
        for (const MessageLogEntry &e : rewritten) {
            if (e.fields.value(QStringLiteral("rule")).toString() ==
                QLatin1String("bob@warmsushi.example -> bob.owen@drypizza.example"))
                sawUserRule = e.area == Area::Inbound;
        }
        QVERIFY(sawUserRule);
        // Delivered: the spool is empty again.
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 0; }, 5000));
    }

    void smtplibClientWithMixedRecipients()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        // Python's smtplib: one refused recipient does not stop the others
        // (RFC 5321 §3.3); an 8-bit UTF-8 body travels with BODY=8BITMIME.
        const QString script =
            QStringLiteral(
                "import smtplib, sys\n"
                "s = smtplib.SMTP('127.0.0.1', %1, local_hostname='client.test', timeout=30)\n"
                "msg = 'From: a@outside.example\\r\\nTo: Zoë <zoe@warmsushi.example>\\r\\nSubject: café\\r\\n"
                "Content-Type: text/plain; charset=utf-8\\r\\n\\r\\nçà et là\\r\\n'.encode('utf-8')\n"
                "refused = s.sendmail('a@outside.example', ['zoe@warmsushi.example', 'x@partner.example'], "
                "msg,"
                " mail_options=['BODY=8BITMIME'])\n"
                "print(sorted(refused.items()))\n"
                "s.quit()\n")
                .arg(port);
        QProcess py;
        py.start(QStringLiteral("python3"), {QStringLiteral("-c"), script});
        QVERIFY(py.waitForFinished(60000));
        const QString out = QString::fromUtf8(py.readAllStandardOutput());
        QCOMPARE(py.exitCode(), 0);
        QVERIFY2(out.contains(QLatin1String("x@partner.example")) && out.contains(QLatin1String("550")),
                 qPrintable(out + QString::fromUtf8(py.readAllStandardError())));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject m = sink.messages().first();
        QCOMPARE(rcpts(m), QStringList{QStringLiteral("<zoe@drypizza.example>")});
        QVERIFY(m.value(QStringLiteral("mail")).toString().contains(QLatin1String("BODY=8BITMIME")));
        const QByteArray data = PySink::data(m);
        QVERIFY2(data.contains(QStringLiteral("To: Zoë <zoe@drypizza.example>\r\n").toUtf8()),
                 data.constData());
        QVERIFY(data.contains(QStringLiteral("çà et là").toUtf8()));
    }

    void foreignRecipientIsRefused()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("a@outside.example"),
                                        QStringLiteral("--to"), QStringLiteral("someone@partner.example")});
        QVERIFY2(r.output.contains(QLatin1String("550 5.7.1")), qPrintable(r.output));
        QVERIFY(r.code != 0);
        // The relay domain and the postmaster pass from the same client.
        const SwaksRun ok = swaks(port, {QStringLiteral("--from"), QStringLiteral("a@outside.example"),
                                         QStringLiteral("--to"), QStringLiteral("x@OLDCO.example")});
        QVERIFY2(ok.code == 0, qPrintable(ok.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcpts(sink.messages().first()), QStringList{QStringLiteral("<x@newco.example>")});
    }

    void outboundClientKeepsTheKnownAddress()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.0/8"));
        c.area(Area::Outbound).domains
            << DomainMapping{QStringLiteral("drypizza.example"), QStringLiteral("warmsushi.example")};
        c.area(Area::Outbound).users << UserMapping{QStringLiteral("bob.owen@drypizza.example"),
                                                    QStringLiteral("bob@warmsushi.example")};
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const QString msg = messageFile(m_dir, "From: Bob Owen <bob.owen@drypizza.example>\r\n"
                                               "Reply-To: chloe@drypizza.example\r\n"
                                               "To: someone@partner.example\r\n"
                                               "Subject: hi\r\n\r\nhi\r\n");
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("bob.owen@drypizza.example"),
                                        QStringLiteral("--to"), QStringLiteral("someone@partner.example"),
                                        QStringLiteral("--data"), msg});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject m = sink.messages().first();
        QVERIFY2(
            m.value(QStringLiteral("mail")).toString().startsWith(QLatin1String("<bob@warmsushi.example>")),
            qPrintable(m.value(QStringLiteral("mail")).toString()));
        QCOMPARE(rcpts(m), QStringList{QStringLiteral("<someone@partner.example>")});
        const QByteArray data = PySink::data(m);
        QVERIFY2(data.contains("From: Bob Owen <bob@warmsushi.example>\r\n"), data.constData());
        QVERIFY2(data.contains("Reply-To: chloe@warmsushi.example\r\n"), data.constData());
        QVERIFY(data.contains("To: someone@partner.example\r\n"));
    }

    // outbound.allowed_senders (empty: derived from the Outbound rules): an
    // allow-listed client with a foreign sender is refused for recipients no
    // rule claims, with the reason, and the refusal is in the message log.
    void allowListedClientSendsOnlyForTheOrganisation()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.0/8"));
        c.area(Area::Outbound).domains
            << DomainMapping{QStringLiteral("drypizza.example"), QStringLiteral("warmsushi.example")};
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("ceo@other-tenant.example"),
                                        QStringLiteral("--to"), QStringLiteral("someone@partner.example")});
        QVERIFY2(r.output.contains(QLatin1String(
                     "550 5.7.1 <ceo@other-tenant.example>: sender domain not in outbound.allowed_senders")),
                 qPrintable(r.output));
        QVERIFY(r.code != 0);
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("refused")).isEmpty(); }, 5000));
        const MessageLogEntry e = eventsOf(QStringLiteral("refused")).first();
        QCOMPARE(e.fields.value(QStringLiteral("from")).toString(),
                 QStringLiteral("ceo@other-tenant.example"));
        QCOMPARE(e.fields.value(QStringLiteral("to")).toString(), QStringLiteral("someone@partner.example"));
        QVERIFY(e.fields.value(QStringLiteral("reason"))
                    .toString()
                    .contains(QLatin1String("outbound.allowed_senders")));
        // The organisation's sender relays.
        const SwaksRun ok = swaks(port, {QStringLiteral("--from"), QStringLiteral("bob@drypizza.example"),
                                         QStringLiteral("--to"), QStringLiteral("someone@partner.example")});
        QVERIFY2(ok.code == 0, qPrintable(ok.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QVERIFY(sink.messages()
                    .first()
                    .value(QStringLiteral("mail"))
                    .toString()
                    .startsWith(QLatin1String("<bob@warmsushi.example>")));
    }

    // Issue 5 item 3: the smart host wants AUTH over STARTTLS; the password
    // comes from the real keychain (gnome-keyring), never from the
    // configuration, and never shows in the message log. Without a stored
    // password the recipient defers with that reason and nothing connects.
    void smarthostAuthWithThePasswordFromTheKeychain()
    {
        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        TestPki pki;
        QVERIFY2(pki.make(), qPrintable(pki.error()));
        const QString user = QStringLiteral("relay@smarthost.example");
        const QString password = QStringLiteral("kEy-Ch41n-only-%1").arg(QCoreApplication::applicationPid());
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), pki.sinkTls(QStringLiteral("good"))},
                             {QStringLiteral("auth"),
                              QJsonObject{{QStringLiteral("mechanisms"), QJsonArray{QStringLiteral("PLAIN")}},
                                          {QStringLiteral("user"), user},
                                          {QStringLiteral("password"), password}}}}),
                 qPrintable(sink.error()));
        m_secrets = createSystemSecretStore(m_dir.filePath(QStringLiteral("smarthost.db")));
        QVERIFY(m_secrets->remove(secretnames::smarthostPassword()).ok());
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.routes.clear();
        c.settings.insert(QStringLiteral("delivery.smarthost"),
                          QStringLiteral("[127.0.0.1]:%1").arg(sink.port()));
        c.settings.insert(QStringLiteral("smarthost.username"), user);
        c.settings.insert(QStringLiteral("delivery.smarthost_tls"), QStringLiteral("encrypt"));
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun first = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                            QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(first.code == 0, qPrintable(first.output));
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("deferred")).isEmpty(); }, 15000));
        const QString why =
            eventsOf(QStringLiteral("deferred")).first().fields.value(QStringLiteral("reason")).toString();
        QVERIFY2(
            why.contains(QLatin1String("no password for relay@smarthost.example is stored in the keychain")),
            qPrintable(why));
        QCOMPARE(sink.connections(), 0);

        // Stored now; the next push reads it, and the queued message goes with AUTH inside TLS.
        QVERIFY(m_secrets->write(secretnames::smarthostPassword(), password).ok());
        engine->applyConfig(build(c, 2));
        const SwaksRun second =
            swaks(port, {QStringLiteral("--from"), QStringLiteral("carol@sender.example"),
                         QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(second.code == 0, qPrintable(second.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QList<QJsonObject> auth = sink.events(QStringLiteral("auth"));
        QCOMPARE(auth.size(), 1);
        QCOMPARE(auth.first().value(QStringLiteral("user")).toString(), user);
        QCOMPARE(auth.first().value(QStringLiteral("password")).toString(), password);
        QVERIFY(auth.first().value(QStringLiteral("tls")).toBool());
        QVERIFY(sink.messages().first().value(QStringLiteral("tls")).toBool());
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
        QTest::qWait(300); // the delivered event's batch
        for (const MessageLogEntry &e : std::as_const(m_events)) {
            for (auto it = e.fields.cbegin(); it != e.fields.cend(); ++it)
                QVERIFY2(!it.value().toString().contains(password), qPrintable(it.key()));
        }
        QVERIFY(m_secrets->remove(secretnames::smarthostPassword()).ok());
    }

    void pushTakesEffectWithoutRestart()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        QVERIFY(swaks(port, {QStringLiteral("--to"), QStringLiteral("zoe@warmsushi.example")}).code == 0);
        c.area(Area::Inbound).domains.first().target = QStringLiteral("newco.example");
        engine->applyConfig(build(c, 2));
        QVERIFY(QTest::qWaitFor([&] { return engine->status().generation == 2; }, 5000));
        QVERIFY(engine->status().listening);
        QVERIFY(swaks(port, {QStringLiteral("--to"), QStringLiteral("zoe@warmsushi.example")}).code == 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        QStringList got;
        for (const QJsonObject &m : sink.messages())
            got << rcpts(m);
        got.sort();
        QCOMPARE(got, (QStringList{QStringLiteral("<zoe@drypizza.example>"),
                                   QStringLiteral("<zoe@newco.example>")}));
    }

    // A push that lands between RCPT and the end of DATA: the envelope was
    // decided at MAIL/RCPT with generation 1, so the To: header must be
    // rewritten with generation 1 too, not with the configuration pushed since.
    void pushDuringATransactionKeepsOneConfiguration()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);

        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(5000));
        auto reply = [&s]() -> QByteArray {
            // The last line of a (possibly multi-line) reply.
            QByteArray line;
            while (QTest::qWaitFor([&s] { return s.canReadLine(); }, 10000)) {
                line = s.readLine();
                if (line.size() < 4 || line.at(3) != '-')
                    return line;
            }
            return QByteArray("timeout");
        };
        auto command = [&](const QByteArray &line) {
            s.write(line + "\r\n");
            return reply();
        };
        QVERIFY(reply().startsWith("220 "));
        QVERIFY(command("EHLO client.test").startsWith("250 "));
        QVERIFY(command("MAIL FROM:<alice@outside.example>").startsWith("250 "));
        QVERIFY(command("RCPT TO:<bob@warmsushi.example>").startsWith("250 "));

        // Generation 2 sends bob somewhere else.
        c.area(Area::Inbound).users.first().target = QStringLiteral("bob.moved@newco.example");
        engine->applyConfig(build(c, 2));
        QVERIFY(QTest::qWaitFor([&] { return engine->status().generation == 2; }, 5000));

        QVERIFY(command("DATA").startsWith("354 "));
        const QByteArray done = command("From: alice@outside.example\r\nTo: bob@warmsushi.example\r\n"
                                        "Subject: mid-push\r\n\r\nhello\r\n.");
        QVERIFY2(done.startsWith("250 2.0.0"), done.constData());
        command("QUIT");

        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject m = sink.messages().first();
        QCOMPARE(rcpts(m), QStringList{QStringLiteral("<bob.owen@drypizza.example>")});
        const QByteArray data = PySink::data(m);
        QVERIFY2(data.contains("\r\nTo: bob.owen@drypizza.example\r\n"), data.constData());
        QVERIFY2(!data.contains("bob.moved"), data.constData());

        // The next transaction on the new generation uses the new rule for both.
        QVERIFY(swaks(port, {QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")}).code == 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        QCOMPARE(rcpts(sink.messages().at(1)), QStringList{QStringLiteral("<bob.moved@newco.example>")});
        QVERIFY(PySink::data(sink.messages().at(1)).contains("To: bob.moved@newco.example\r\n"));
    }

    // Issue 16: the header rewriting goes by the generation pinned at MAIL.
    // A push between RCPT and DATA that turns rewrite.recipient_headers and
    // rewrite.sender_headers off does not change how that message's headers
    // are rewritten; the next transaction runs with the new generation.
    void pushBetweenRcptAndDataKeepsTheHeaderRewrite()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.0/8"));
        c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("always"));
        c.settings.insert(QStringLiteral("rewrite.sender_headers"), QStringLiteral("yes"));
        c.area(Area::Outbound).users << UserMapping{QStringLiteral("bob.owen@drypizza.example"),
                                                    QStringLiteral("bob@warmsushi.example")};
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);

        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(5000));
        auto reply = [&s]() -> QByteArray {
            QByteArray line;
            while (QTest::qWaitFor([&s] { return s.canReadLine(); }, 10000)) {
                line = s.readLine();
                if (line.size() < 4 || line.at(3) != '-')
                    return line;
            }
            return QByteArray("timeout");
        };
        auto command = [&](const QByteArray &line) {
            s.write(line + "\r\n");
            return reply();
        };
        const QByteArray message =
            "From: Bob Owen <bob.owen@drypizza.example>\r\nTo: zoe@warmsushi.example\r\n"
            "Subject: mid-push\r\n\r\nhello\r\n.";
        QVERIFY(reply().startsWith("220 "));
        QVERIFY(command("EHLO client.test").startsWith("250 "));
        QVERIFY(command("MAIL FROM:<bob.owen@drypizza.example>").startsWith("250 "));
        QVERIFY(command("RCPT TO:<zoe@warmsushi.example>").startsWith("250 "));

        // Generation 2: no header rewriting at all.
        c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("never"));
        c.settings.insert(QStringLiteral("rewrite.sender_headers"), QStringLiteral("no"));
        engine->applyConfig(build(c, 2));
        QVERIFY(QTest::qWaitFor([&] { return engine->status().generation == 2; }, 5000));

        QVERIFY(command("DATA").startsWith("354 "));
        const QByteArray done = command(message);
        QVERIFY2(done.startsWith("250 2.0.0"), done.constData());
        command("QUIT");

        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QByteArray first = PySink::data(sink.messages().first());
        QVERIFY2(first.contains("\r\nTo: zoe@drypizza.example\r\n"), first.constData());
        QVERIFY2(first.contains("\r\nFrom: Bob Owen <bob@warmsushi.example>\r\n"), first.constData());

        // The next transaction runs with generation 2: the headers stay as written.
        const QString msg = messageFile(m_dir, message.chopped(1));
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("bob.owen@drypizza.example"),
                                        QStringLiteral("--to"), QStringLiteral("zoe@warmsushi.example"),
                                        QStringLiteral("--data"), msg});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        const QByteArray second = PySink::data(sink.messages().at(1));
        QVERIFY2(second.contains("\r\nTo: zoe@warmsushi.example\r\n"), second.constData());
        QVERIFY2(second.contains("\r\nFrom: Bob Owen <bob.owen@drypizza.example>\r\n"), second.constData());
        // The envelope follows the Outbound rule in both (it is not a header switch).
        QVERIFY(sink.messages()
                    .at(1)
                    .value(QStringLiteral("mail"))
                    .toString()
                    .startsWith(QLatin1String("<bob@warmsushi.example>")));
    }
};

QTEST_GUILESS_MAIN(TestRelayEngine)
#include "tst_relayengine.moc"
