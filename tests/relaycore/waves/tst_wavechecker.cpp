// The recipient probe of a migration wave's check (issue 15 item 4) against
// a real Postfix that refuses unknown users with check_recipient_access in
// smtpd_recipient_restrictions: the refused target fails the check (the wave
// would be held), the known one passes, and Postfix's log shows RCPT TO for
// each and never a message (no DATA, nothing queued). At most
// waves.probe_rate probes a minute: one connection carries them in turn.
#include "relaycore/waves/wavechecker.h"
#include "tests/postfixinstance.h"
#include "tests/skiporfail.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::StringLiterals;

class TestWaveChecker : public QObject
{
    Q_OBJECT

private slots:
    void probeListsTheTargetsTheNewSystemRefuses()
    {
        MAILROUTE_REQUIRE(PostfixInstance::available(), PostfixInstance::requirement());
        // The access map lives where the postfix user can read it.
        QTemporaryDir maps;
        QVERIFY(maps.isValid());
        ::chmod(QFile::encodeName(maps.path()).constData(), 0755);
        const QString access = maps.filePath(u"access"_s);
        {
            QFile f(access);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                "gone@tenant.test 550 5.1.1 <gone@tenant.test>: Recipient address rejected: User unknown\n");
        }
        ::chmod(QFile::encodeName(access).constData(), 0644);
        PostfixInstance pf;
        QVERIFY2(pf.start({{u"tenant.test"_s},
                           {u"known@tenant.test"_s, u"gone@tenant.test"_s},
                           {u"smtpd_recipient_restrictions = check_recipient_access texthash:"_s + access +
                            u", reject_unauth_destination"_s}}),
                 qPrintable(pf.error()));

        Wave wave;
        wave.name = u"w1"_s;
        wave.at = QDateTime::currentDateTimeUtc().addSecs(3600);
        wave.users = {{u"known@corp.example"_s, u"known@tenant.test"_s},
                      {u"gone@corp.example"_s, u"gone@tenant.test"_s}};
        ConfigData before;
        before.routes << TransportRoute{u"tenant.test"_s, u"[127.0.0.1]:%1"_s.arg(pf.port())};
        before.settings.insert(u"waves.probe_rate"_s, u"120"_s); // one every 0.5 s
        ConfigData after = before;
        for (const WaveMapping &m : wave.users)
            after.area(Area::Inbound).users << UserMapping{m.source, m.target};

        WaveChecker checker;
        WaveCheck check;
        bool done = false;
        connect(&checker, &WaveChecker::finished, this, [&](const WaveCheck &c) {
            check = c;
            done = true;
        });
        WaveChecker::Options o;
        o.wave = wave;
        o.before = before;
        o.after = after;
        o.trigger = u"T-1h"_s;
        checker.start(o);
        QVERIFY(QTest::qWaitFor([&] { return done; }, 60000));

        QVERIFY(!check.passed());
        QCOMPARE(check.probed, 2);
        QStringList probes;
        for (const WaveCheckItem &i : check.items) {
            if (i.kind == WaveCheckItem::Kind::Probe)
                probes << u"%1 %2 %3"_s.arg(i.passed ? u"ok"_s : u"FAIL"_s, i.subject, i.text);
        }
        QCOMPARE(probes.size(), 2);
        QVERIFY2(probes.at(0).startsWith(u"ok known@tenant.test accepted"_s), qPrintable(probes.join(u'\n')));
        QVERIFY2(probes.at(1).startsWith(u"FAIL gone@tenant.test refused"_s) &&
                     probes.at(1).contains(u"550 5.1.1"_s),
                 qPrintable(probes.join(u'\n')));
        QVERIFY(check.lines().first().startsWith(u"FAIL probe gone@tenant.test"_s));
        // The routed target domain needs no MX look-up.
        bool dnsRouted = false;
        for (const WaveCheckItem &i : check.items)
            dnsRouted = dnsRouted ||
                        (i.kind == WaveCheckItem::Kind::Dns && i.passed && i.subject == u"tenant.test"_s);
        QVERIFY(dnsRouted);

        // Postfix's side: the refusal at RCPT, and no message ever.
        QVERIFY(pf.waitForLog(u"NOQUEUE: reject: RCPT from"_s));
        QVERIFY2(pf.logLines(u"<gone@tenant.test>: Recipient address rejected: User unknown"_s).size() == 1,
                 qPrintable(pf.maillog()));
        // The probe connection's summary (after its QUIT): the fixture's own readiness connection has no
        // RCPT.
        QVERIFY(pf.waitForLog(u" rcpt="_s));
        const QString log = pf.maillog();
        QVERIFY2(pf.logLines(u"postfix/cleanup["_s).isEmpty() && pf.logLines(u": message-id="_s).isEmpty() &&
                     pf.logLines(u"queued as"_s).isEmpty(),
                 qPrintable(log));
        // One connection, both RCPTs, closed with QUIT: the disconnect line counts commands.
        QCOMPARE(pf.connections(), 1);
        const QStringList disconnect = pf.logLines(u" rcpt="_s);
        QCOMPARE(disconnect.size(), 1);
        QVERIFY2(disconnect.last().contains(u"rcpt=2"_s) || disconnect.last().contains(u"rcpt=1/2"_s),
                 qPrintable(disconnect.join(u'\n')));
        QVERIFY2(!disconnect.last().contains(u"data="_s), qPrintable(disconnect.last()));
        QVERIFY2(disconnect.last().contains(u"rset="_s), qPrintable(disconnect.last()));
    }
};

QTEST_GUILESS_MAIN(TestWaveChecker)
#include "tst_wavechecker.moc"
