// A migration wave in a running `mailroutectl serve` process (issue 15), on
// the real clock: the wave is pushed with its time a few seconds ahead; mail
// to a wave user goes to the old target before that time and, once serve has
// applied the wave (a new generation, handed to the relay by the generation
// follower), to the new target; `wave list` then says active. The scheduler's
// own schedule (T-24 h and T-1 h checks, expiry, waves missed while stopped,
// two waves in the same minute) is tested on an injected clock in
// tests/relaycore/waves/tst_wavescheduler.cpp.
#include "tests/app/ctlrun.h"
#include "tests/app/serveprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace mailroute::testing;

class TestServeWave : public QObject, private ServeFixture
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(nextPaths()); }

    void waveAppliesAtItsTimeInServe()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        // Inbound warmsushi.example -> drypizza.example (the old system); the
        // new system newhome.example, both routed to the sink.
        QVERIFY(configureRelay(sink.port(),
                               {QStringLiteral("drypizza.example"), QStringLiteral("newhome.example")}));
        const QString csv = QDir(QFileInfo(m_db).absolutePath()).filePath(QStringLiteral("wave.csv"));
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Source;Target\nann@warmsushi.example;ann@newhome.example\n");
        }
        const QDateTime at = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() + 15, Qt::UTC);
        QVERIFY(ctlOk({QStringLiteral("wave"), QStringLiteral("create"), QStringLiteral("w1"),
                       QStringLiteral("--at"), at.toString(Qt::ISODate), csv}));
        QVERIFY(ctlOk({QStringLiteral("push")}));

        const quint16 port = closedPort();
        QProcess serve;
        QString err;
        QVERIFY(startServeProcess(serve, env(), port, m_spool, {}, &err));
        // Before the wave's time: the domain rule, the old system.
        QCOMPARE(swaks(port, QStringLiteral("ann@warmsushi.example")), 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().at(0)), QStringList{QStringLiteral("<ann@drypizza.example>")});
        QVERIFY2(QDateTime::currentDateTimeUtc() < at, "the first message was sent after the wave's time");

        // serve applies the wave at its time and then runs its generation.
        static const QRegularExpression applied(QStringLiteral("wave w1 applied, generation (\\d+)"));
        QString generation;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         err += QString::fromUtf8(serve.readAllStandardError());
                         const auto m = applied.match(err);
                         if (m.hasMatch())
                             generation = m.captured(1);
                         return !generation.isEmpty() &&
                                err.contains(QStringLiteral("generation %1 is active").arg(generation));
                     },
                     60000),
                 qPrintable(err));
        QVERIFY(QDateTime::currentDateTimeUtc() >= at);
        QVERIFY2(!err.contains(QLatin1String("at start")), qPrintable(err)); // applied on time, not as missed

        QCOMPARE(swaks(port, QStringLiteral("ann@warmsushi.example")), 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().at(1)), QStringList{QStringLiteral("<ann@newhome.example>")});
        // Users outside the wave keep the domain rule.
        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 3; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().at(2)), QStringList{QStringLiteral("<bob@drypizza.example>")});

        const Run list = ctl({QStringLiteral("wave"), QStringLiteral("list")});
        QVERIFY2(list.out.contains(QLatin1String("\tactive\t1\n")), qPrintable(list.out));
        stopServe(serve);
    }
};

QTEST_GUILESS_MAIN(TestServeWave)
#include "tst_servewave.moc"
