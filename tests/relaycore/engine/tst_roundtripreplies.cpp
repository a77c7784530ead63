// The round-trip rule end to end (issue 15 item 3): the Outbound inverses that
// addOutboundInverses() creates make a real relay send the replies of a moved
// user back out under the original address. swaks is the client (an allow-
// listed outbound client, as the new mail system is), smtpsink.py the next hop,
// every socket on 127.0.0.1.
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::StringLiterals;

namespace {

struct SwaksRun
{
    int code = -1;
    QString output;
};

SwaksRun swaks(quint16 port, const QStringList &args)
{
    QStringList all{u"--server"_s,  u"127.0.0.1:%1"_s.arg(port),
                    u"--helo"_s,    u"newsystem.test"_s,
                    u"--timeout"_s, u"30"_s};
    all << args;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"swaks"_s, all);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

} // namespace

class TestRoundTripReplies : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;

    // The staged migration of the spec: warmsushi.example's users moved to
    // drypizza.example, two of them under new names (one typed in another
    // case); the Outbound side has only the domain rule back.
    static ConfigData migration(quint16 listenPort, quint16 sinkPort)
    {
        ConfigData c;
        c.area(Area::Inbound).domains << DomainMapping{u"warmsushi.example"_s, u"drypizza.example"_s};
        c.area(Area::Inbound).users << UserMapping{u"bob@warmsushi.example"_s, u"bob.owen@drypizza.example"_s}
                                    << UserMapping{u"Carol@warmsushi.example"_s,
                                                   u"C.Smith@drypizza.example"_s};
        c.area(Area::Outbound).domains << DomainMapping{u"drypizza.example"_s, u"warmsushi.example"_s};
        c.settings.insert(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(listenPort));
        c.settings.insert(u"relay.hostname"_s, u"relay.mailroute.test"_s);
        c.settings.insert(u"outbound.allowed_clients"_s, u"127.0.0.0/8"_s);
        c.settings.insert(u"verify.recipients"_s, u"off"_s);
        const QString sink = u"[127.0.0.1]:%1"_s.arg(sinkPort);
        for (const QString &domain : {u"drypizza.example"_s, u"partner.example"_s})
            c.routes << TransportRoute{domain, sink};
        return c;
    }

    std::unique_ptr<EngineController> start(const ConfigData &c)
    {
        auto rc = RelayConfig::build(c, ++m_n);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        EngineController::Options o;
        o.engine.spoolDirectory = m_dir.filePath(u"spool%1"_s.arg(m_n));
        o.engine.schedulerTickMs = 50;
        auto e = std::make_unique<EngineController>(o);
        e->start(*rc);
        if (!QTest::qWaitFor([&] { return e->status().listening || !e->status().error.isEmpty(); }, 10000) ||
            !e->status().listening)
            return nullptr;
        return e;
    }

    // A reply written on the new system by `from` (envelope and From:) to
    // a partner; what the sink received: MAIL FROM and the From: line.
    QPair<QString, QString> reply(quint16 port, PySink &sink, const QString &from)
    {
        const qsizetype before = sink.messages().size();
        const QString file = m_dir.filePath(u"reply%1.eml"_s.arg(++m_n));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write("From: <" + from.toUtf8() +
                ">\r\nTo: <partner@partner.example>\r\nSubject: Re: contract\r\n\r\n"
                "Agreed.\r\n");
        f.close();
        const SwaksRun r =
            swaks(port, {u"--from"_s, from, u"--to"_s, u"partner@partner.example"_s, u"--data"_s, file});
        if (r.code != 0) {
            qWarning("%s", qPrintable(r.output));
            return {};
        }
        if (!QTest::qWaitFor([&] { return sink.messages().size() > before; }, 15000))
            return {};
        const QJsonObject m = sink.messages().last();
        const QByteArray data = PySink::data(m);
        const qsizetype at = data.indexOf("\r\nFrom: ");
        const QByteArray fromLine = at < 0 && data.startsWith("From: ")
                                        ? data.left(data.indexOf("\r\n"))
                                        : data.mid(at + 2, data.indexOf("\r\n", at + 2) - at - 2);
        return {m.value(u"mail"_s).toString().section(u' ', 0, 0), QString::fromUtf8(fromLine)};
    }

private slots:
    void repliesLeaveUnderTheOriginalAddress()
    {
        MAILROUTE_REQUIRE(!QStandardPaths::findExecutable(u"swaks"_s).isEmpty(), "swaks is not installed");
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));

        // Without the inverses: lint names both, and a reply leaves under the
        // address the Outbound domain rule makes, which is nobody's.
        const quint16 port1 = closedPort();
        const ConfigData before = migration(port1, sink.port());
        QStringList warned;
        for (const LintFinding &f : lintConfig(before)) {
            if (f.message.contains(u"Outbound inverse"_s))
                warned << f.message;
        }
        QCOMPARE(warned.size(), qsizetype(2));
        QVERIFY(warned[0].startsWith(
            u"Inbound bob@warmsushi.example -> bob.owen@drypizza.example has no Outbound "
            "inverse"_s));
        {
            auto engine = start(before);
            QVERIFY(engine);
            const auto [mail, from] = reply(port1, sink, u"bob.owen@drypizza.example"_s);
            QCOMPARE(mail, u"<bob.owen@warmsushi.example>"_s);
            QCOMPARE(from, u"From: <bob.owen@warmsushi.example>"_s);
        }

        // With them: MAIL FROM and From: carry the original address, in the
        // spelling of the Inbound list; lint has nothing left to say about it.
        ConfigData after = before;
        const quint16 port2 = closedPort();
        after.settings.insert(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port2));
        QCOMPARE(addOutboundInverses(after),
                 (QList<UserMapping>{{u"bob.owen@drypizza.example"_s, u"bob@warmsushi.example"_s},
                                     {u"C.Smith@drypizza.example"_s, u"Carol@warmsushi.example"_s}}));
        for (const LintFinding &f : lintConfig(after))
            QVERIFY2(!f.message.contains(u"Outbound inverse"_s), qPrintable(f.message));
        auto engine = start(after);
        QVERIFY(engine);
        {
            const auto [mail, from] = reply(port2, sink, u"bob.owen@drypizza.example"_s);
            QCOMPARE(mail, u"<bob@warmsushi.example>"_s);
            QCOMPARE(from, u"From: <bob@warmsushi.example>"_s);
        }
        {
            // The local part matches in any case, as the relay matches it.
            const auto [mail, from] = reply(port2, sink, u"c.smith@DRYPIZZA.example"_s);
            QCOMPARE(mail, u"<Carol@warmsushi.example>"_s);
            QCOMPARE(from, u"From: <Carol@warmsushi.example>"_s);
        }
        // And the other half of the trip still works: mail to the original
        // address reaches the new mailbox.
        const qsizetype n = sink.messages().size();
        const SwaksRun in =
            swaks(port2, {u"--from"_s, u"partner@partner.example"_s, u"--to"_s, u"bob@warmsushi.example"_s});
        QVERIFY2(in.code == 0, qPrintable(in.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() > n; }, 15000));
        QCOMPARE(sink.messages().last().value(u"rcpts"_s).toArray().first().toString(),
                 u"<bob.owen@drypizza.example>"_s);
    }
};

QTEST_GUILESS_MAIN(TestRoundTripReplies)
#include "tst_roundtripreplies.moc"
