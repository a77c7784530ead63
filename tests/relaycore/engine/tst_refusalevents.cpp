// Every refusal the relay's SMTP server gives for a policy reason is a
// "refused" message-log event with the client, the addresses involved and the
// reply (docs/behaviour.md "Who may send what"), written to the database the
// console and `mailroutectl logs` read. A real socket on 127.0.0.1, driven by
// smtp_script.py (Python's socket module) one command at a time.
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/store/configstore.h"

#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;

namespace {

quint16 freePort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

QString runScript(quint16 port, const QStringList &steps)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("/usr/bin/python3"),
            QStringList{QStringLiteral(MAILROUTE_SMTP_SCRIPT), QString::number(port)} + steps);
    if (!p.waitForFinished(60000))
        p.kill();
    return QString::fromUtf8(p.readAll());
}

} // namespace

class TestRefusalEvents : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

private slots:
    void refusalIsALoggedEvent_data()
    {
        QTest::addColumn<QVariantMap>("settings");
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QString>("reply"); // the refusal the client sees (start of the line)
        QTest::addColumn<QString>("from");  // fields of the event; empty: no such field
        QTest::addColumn<QString>("to");

        const QString ehlo = QStringLiteral("EHLO client.test");
        const QString mail = QStringLiteral("MAIL FROM:<alice@outside.example>");
        const QString rcpt = QStringLiteral("RCPT TO:<bob@warmsushi.example>");
        QTest::newRow("relay access denied")
            << QVariantMap{} << QStringList{ehlo, mail, QStringLiteral("RCPT TO:<x@partner.example>")}
            << QStringLiteral("550 5.7.1") << QStringLiteral("alice@outside.example")
            << QStringLiteral("x@partner.example");
        QTest::newRow("declared size")
            << QVariantMap{{QStringLiteral("limits.message_size"), QStringLiteral("2000")}}
            << QStringList{ehlo, mail + QStringLiteral(" SIZE=5000")} << QStringLiteral("552 5.3.4")
            << QStringLiteral("alice@outside.example") << QString();
        QTest::newRow("message too big")
            << QVariantMap{{QStringLiteral("limits.message_size"), QStringLiteral("2000")}}
            << QStringList{ehlo, mail, rcpt, QStringLiteral("DATA"),
                           QStringLiteral("Subject: big\\n\\n") + QString(3000, QLatin1Char('x')) +
                               QStringLiteral("\\n.")}
            << QStringLiteral("552 5.3.4") << QStringLiteral("alice@outside.example")
            << QStringLiteral("bob@warmsushi.example");
        QTest::newRow("hop limit")
            << QVariantMap{{QStringLiteral("relay.max_hops"), QStringLiteral("2")}}
            << QStringList{ehlo, QStringLiteral("MAIL FROM:<>"), rcpt, QStringLiteral("DATA"),
                           QStringLiteral("Received: from a\\nReceived: from b\\nReceived: from c\\n"
                                          "Subject: loop\\n\\nhello\\n.")}
            << QStringLiteral("554 5.4.6") << QStringLiteral("<>") << QStringLiteral("bob@warmsushi.example");
        QTest::newRow("too many recipients")
            << QVariantMap{{QStringLiteral("limits.recipients"), QStringLiteral("1")}}
            << QStringList{ehlo, mail, rcpt, QStringLiteral("RCPT TO:<carol@warmsushi.example>")}
            << QStringLiteral("452 4.5.3") << QStringLiteral("alice@outside.example")
            << QStringLiteral("carol@warmsushi.example");
        QTest::newRow("TLS required")
            << QVariantMap{{QStringLiteral("tls.required_before_mail"), QStringLiteral("all")}}
            << QStringList{ehlo, mail} << QStringLiteral("454 4.7.0")
            << QStringLiteral("alice@outside.example") << QString();
        QTest::newRow("too many errors")
            << QVariantMap{{QStringLiteral("limits.errors"), QStringLiteral("2")}}
            << QStringList{ehlo, QStringLiteral("BOGUS"), QStringLiteral("BOGUS")}
            << QStringLiteral("421 4.7.0") << QString() << QString();
        QTest::newRow("too many junk commands")
            << QVariantMap{{QStringLiteral("limits.junk_commands"), QStringLiteral("2")}}
            << QStringList{ehlo, QStringLiteral("NOOP"), QStringLiteral("VRFY bob"), QStringLiteral("RSET")}
            << QStringLiteral("421 4.7.0") << QString() << QString();
        QTest::newRow("sessions per client")
            << QVariantMap{{QStringLiteral("limits.sessions_per_ip"), QStringLiteral("1")}}
            << QStringList{QStringLiteral("--second")} << QStringLiteral("421 4.7.0") << QString()
            << QString();
    }

    void refusalIsALoggedEvent()
    {
        QFETCH(QVariantMap, settings);
        QFETCH(QStringList, steps);
        QFETCH(QString, reply);
        QFETCH(QString, from);
        QFETCH(QString, to);
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/python3")), "/usr/bin/python3 is needed");

        const quint16 port = freePort();
        QVERIFY(port != 0);
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(port));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        // The refusals of the relay itself; recipient verification has its own tests (tst_recipientverify).
        c.settings.insert(QStringLiteral("verify.recipients"), QStringLiteral("off"));
        for (auto it = settings.cbegin(); it != settings.cend(); ++it)
            c.settings.insert(it.key(), it.value().toString());
        auto config = RelayConfig::build(c, 1);
        QVERIFY2(config.ok(), qPrintable(config.error));

        const QString database = m_dir.filePath(QStringLiteral("config%1.db").arg(++m_counter));
        {
            ConfigStore store(database);
            QVERIFY(store.open().ok());
        }
        QList<MessageLogEntry> live;
        {
            EngineController::Options o;
            o.databasePath = database;
            o.engine.spoolDirectory = m_dir.filePath(QStringLiteral("spool%1").arg(m_counter));
            EngineController engine(o);
            connect(&engine, &EngineController::events, this,
                    [&live](const QList<MessageLogEntry> &e) { live << e; });
            engine.start(*config);
            QVERIFY(QTest::qWaitFor(
                [&] { return engine.status().listening || !engine.status().error.isEmpty(); }, 10000));
            QVERIFY2(engine.status().listening, qPrintable(engine.status().error));

            const QString transcript = runScript(port, steps);
            QVERIFY2(transcript.contains(QLatin1Char('\n') + reply), qPrintable(transcript));
            const auto refusedEvents = [&live] {
                QList<MessageLogEntry> out;
                for (const MessageLogEntry &e : std::as_const(live)) {
                    if (e.event == MessageEvent::Refused)
                        out << e;
                }
                return out;
            };
            QVERIFY(QTest::qWaitFor([&] { return !refusedEvents().isEmpty(); }, 5000));
            const QList<MessageLogEntry> refused = refusedEvents();
            QCOMPARE(refused.size(), 1);
            const QVariantMap f = refused.first().fields;
            QCOMPARE(f.value(QStringLiteral("client")).toString(), QStringLiteral("127.0.0.1"));
            QCOMPARE(f.value(QStringLiteral("from")).toString(), from);
            QCOMPARE(f.value(QStringLiteral("to")).toString(), to);
            const QString reason = f.value(QStringLiteral("reason")).toString();
            QVERIFY2(reason.startsWith(reply), qPrintable(reason));
            // The reply as the client read it, word for word.
            QVERIFY2(transcript.contains(reason),
                     qPrintable(transcript + QStringLiteral("\nevent: ") + reason));
            engine.stop();
        }
        // Written through the message log, where the console and mailroutectl read it.
        ConfigStore store(database);
        QVERIFY(store.open().ok());
        bool stored = false;
        for (const MessageLogEntry &e : store.messageLog(0, 1000)) {
            if (e.event == MessageEvent::Refused &&
                e.fields.value(QStringLiteral("reason")).toString().startsWith(reply))
                stored = true;
        }
        QVERIFY(stored);
    }

    // limits.junk_commands through the relay (issue 16): exactly N junk
    // commands are answered, the next gets 421 4.7.0 and the connection
    // closes; a message taken in between starts the count again.
    void junkCommandLimit_data()
    {
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QStringList>("replies"); // the start of each reply line after the greeting
        const QString ehlo = QStringLiteral("EHLO client.test");
        const QString noop = QStringLiteral("NOOP");
        const QString ok = QStringLiteral("250 2.0.0 Ok");
        const QString junk421 =
            QStringLiteral("421 4.7.0 relay.mailroute.test Error: too many commands without mail");
        QTest::newRow("third junk command")
            << QStringList{ehlo, noop, QStringLiteral("RSET"), QStringLiteral("VRFY bob")}
            << QStringList{QStringLiteral("250-relay.mailroute.test"), ok, ok, junk421};
        QTest::newRow("unknown commands are junk")
            << QStringList{ehlo, QStringLiteral("XYZZY"), QStringLiteral("EXPN staff"), noop}
            << QStringList{QStringLiteral("250-relay.mailroute.test"), QStringLiteral("500 5.5.2"),
                           QStringLiteral("502 5.5.1"), junk421};
        QTest::newRow("a queued message resets the count")
            << QStringList{ehlo,
                           noop,
                           noop,
                           QStringLiteral("MAIL FROM:<alice@outside.example>"),
                           QStringLiteral("RCPT TO:<bob@warmsushi.example>"),
                           QStringLiteral("DATA"),
                           QStringLiteral("Subject: hi\\n\\nhello\\n."),
                           noop,
                           noop,
                           noop}
            << QStringList{QStringLiteral("250-relay.mailroute.test"),
                           ok,
                           ok,
                           QStringLiteral("250 2.1.0"),
                           QStringLiteral("250 2.1.5"),
                           QStringLiteral("354"),
                           QStringLiteral("250 2.0.0 Ok: queued as"),
                           ok,
                           ok,
                           junk421};
    }

    void junkCommandLimit()
    {
        QFETCH(QStringList, steps);
        QFETCH(QStringList, replies);
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/python3")), "/usr/bin/python3 is needed");
        const quint16 port = freePort();
        QVERIFY(port != 0);
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(port));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        c.settings.insert(QStringLiteral("verify.recipients"), QStringLiteral("off"));
        c.settings.insert(QStringLiteral("limits.junk_commands"), QStringLiteral("2"));
        auto config = RelayConfig::build(c, 1);
        QVERIFY2(config.ok(), qPrintable(config.error));
        QCOMPARE((*config)->limits.session.junkCommands, 2);

        const QString database = m_dir.filePath(QStringLiteral("config%1.db").arg(++m_counter));
        {
            ConfigStore store(database);
            QVERIFY(store.open().ok());
        }
        EngineController::Options o;
        o.databasePath = database;
        o.engine.spoolDirectory = m_dir.filePath(QStringLiteral("spool%1").arg(m_counter));
        EngineController engine(o);
        engine.start(*config);
        QVERIFY(QTest::qWaitFor([&] { return engine.status().listening || !engine.status().error.isEmpty(); },
                                10000));
        QVERIFY2(engine.status().listening, qPrintable(engine.status().error));

        const QString transcript = runScript(port, steps);
        QStringList lines = transcript.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(!lines.isEmpty() && lines.takeFirst().startsWith(QStringLiteral("220 ")),
                 qPrintable(transcript));
        // Nothing after the 421: the QUIT the script sends then is never answered.
        QVERIFY2(lines.size() == replies.size(), qPrintable(transcript));
        for (qsizetype i = 0; i < replies.size(); ++i)
            QVERIFY2(lines.at(i).startsWith(replies.at(i)), qPrintable(transcript));
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestRefusalEvents)
#include "tst_refusalevents.moc"
