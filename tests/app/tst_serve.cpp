// End-to-end tests of the headless relay: `mailroutectl serve` as a process,
// configured and pushed with mailroutectl, swaks as the client and
// smtpsink.py as the next hop, all on 127.0.0.1. Includes the crash test of
// issue 3: acknowledged mail survives `kill -9`.
#include "tests/app/ctlrun.h"
#include "tests/app/serveprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace mailroute::testing;

class TestServe : public QObject, private ServeFixture
{
    Q_OBJECT

private:
    void configure(quint16 sinkPort)
    {
        QVERIFY(configureRelay(sinkPort,
                               {QStringLiteral("drypizza.example"), QStringLiteral("frozenpizza.example"),
                                QStringLiteral("outside.example")}));
    }

private slots:
    void init() { QVERIFY(nextPaths()); }

    void refusesToServeWithoutAPush()
    {
        const Run r = ctl({QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:2"),
                           QStringLiteral("--spool"), m_spool});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("push")), qPrintable(r.err));
    }

    // Issue 12: a recipient the relay refuses is in `mailroutectl logs`:
    // client, sender, recipient and the reply, read back from the database.
    void refusedRecipientIsInTheLogs()
    {
        configure(closedPort());
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QVERIFY(swaks(port, QStringLiteral("someone@partner.example")) != 0);
        QString out;
        const bool found = QTest::qWaitFor(
            [&] {
                const Run r = ctl({QStringLiteral("logs"), QStringLiteral("--messages")});
                out = r.out;
                return r.code == 0 && out.contains(QLatin1String(" refused: "));
            },
            15000);
        stopServe(serve);
        QVERIFY2(found, qPrintable(out));
        QString line;
        for (const QString &l : out.split(QLatin1Char('\n'))) {
            if (l.contains(QLatin1String(" refused: ")))
                line = l;
        }
        QVERIFY2(line.contains(QLatin1String("\t-\t- refused: client=127.0.0.1 from=alice@outside.example "
                                             "to=someone@partner.example reply=550 5.7.1 ")),
                 qPrintable(line));
        QVERIFY2(line.contains(QLatin1String("relay access denied")), qPrintable(line));
    }

    void relaysPicksUpPushesAndStopsCleanly()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        configure(sink.port());
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));

        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example"),
                       {QStringLiteral("To: Bob <bob@warmsushi.example>")}),
                 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().at(0)), QStringList{QStringLiteral("<bob@drypizza.example>")});
        QVERIFY(PySink::data(sink.messages().at(0)).contains("To: Bob <bob@drypizza.example>\r\n"));

        // A push made by another process reaches the running relay.
        QVERIFY(ctlOk({QStringLiteral("domains"), QStringLiteral("remove"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("warmsushi.example")}));
        QVERIFY(ctlOk({QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("warmsushi.example"),
                       QStringLiteral("frozenpizza.example")}));
        QVERIFY(ctlOk({QStringLiteral("push")}));
        QString err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += QString::fromUtf8(serve.readAllStandardError());
                return err.contains(QLatin1String("generation 2 is active"));
            },
            10000));
        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().at(1)), QStringList{QStringLiteral("<bob@frozenpizza.example>")});

        // The message log reached the database and mailroutectl shows it.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return ctl({QStringLiteral("logs"), QStringLiteral("--messages")})
                           .out.count(QLatin1String(" delivered: ")) == 2;
            },
            10000));
        const Run logs = ctl({QStringLiteral("logs")});
        QVERIFY2(logs.out.contains(QLatin1String(" received: ")), qPrintable(logs.out));
        QVERIFY2(logs.out.contains(QLatin1String("to=bob@frozenpizza.example")), qPrintable(logs.out));
        QVERIFY2(logs.out.contains(QLatin1String("Update configuration request submitted")),
                 qPrintable(logs.out));

        // SIGTERM: a clean stop, status 0.
        serve.terminate();
        QVERIFY(serve.waitForFinished(15000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    void queueDeleteReachesTheRunningRelay()
    {
        configure(closedPort()); // next hop down: mail waits in the queue
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QCOMPARE(swaks(port, QStringLiteral("one@warmsushi.example")), 0);
        QCOMPARE(swaks(port, QStringLiteral("two@warmsushi.example")), 0);
        const QStringList spoolArgs{QStringLiteral("--spool"), m_spool};
        QString listed;
        QVERIFY(QTest::qWaitFor(
            [&] {
                listed = ctl(QStringList{QStringLiteral("queue"), QStringLiteral("list")} + spoolArgs).out;
                return listed.count(QLatin1Char('\n')) == 2;
            },
            10000));
        const QString line = listed.split(QLatin1Char('\n')).first();
        QVERIFY2(line.contains(QLatin1String("one@drypizza.example")) ||
                     line.contains(QLatin1String("two@drypizza.example")),
                 qPrintable(line));
        const QString id = line.section(QLatin1Char('\t'), 0, 0);
        const Run del = ctl(QStringList{QStringLiteral("queue"), QStringLiteral("delete"), id} + spoolArgs);
        QCOMPARE(del.code, 0);
        QVERIFY2(del.out.contains(QLatin1String("requested")), qPrintable(del.out + del.err));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return ctl(QStringList{QStringLiteral("queue"), QStringLiteral("list")} + spoolArgs)
                           .out.count(QLatin1Char('\n')) == 1;
            },
            10000));
        QVERIFY(
            !ctl(QStringList{QStringLiteral("queue"), QStringLiteral("list")} + spoolArgs).out.contains(id));
        QCOMPARE(
            ctl(QStringList{QStringLiteral("queue"), QStringLiteral("delete"), QStringLiteral("NOSUCHID")} +
                spoolArgs)
                .code,
            1);
        stopServe(serve);
    }

    // Issue 11: `mailroutectl hold` reaches the running relay within seconds;
    // held mail is accepted and queued but never attempted (the sink sees
    // nothing), `hold list` counts it, and after `hold release` it is delivered.
    void holdAndReleaseReachTheRunningRelay()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        configure(sink.port());
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));
        const Run add =
            ctl({QStringLiteral("hold"), QStringLiteral("add"), QStringLiteral("@DryPizza.example")});
        QVERIFY2(add.code == 0, qPrintable(add.err));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return ctl({QStringLiteral("logs"), QStringLiteral("--messages")})
                    .out.contains(QLatin1String(" held: domain=drypizza.example"));
            },
            10000));
        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
        QTest::qWait(3000);
        QCOMPARE(sink.messages().size(), 0);
        QCOMPARE(sink.events(QStringLiteral("connect")).size(), 0);
        const Run list =
            ctl({QStringLiteral("hold"), QStringLiteral("list"), QStringLiteral("--spool"), m_spool});
        QCOMPARE(list.code, 0);
        const QStringList cols = list.out.trimmed().split(QLatin1Char('\t'));
        QCOMPARE(cols.size(), 4);
        QCOMPARE(cols.at(0), QStringLiteral("drypizza.example"));
        QVERIFY2(QDateTime::fromString(cols.at(1), Qt::ISODate).isValid(), qPrintable(cols.at(1)));
        QCOMPARE(cols.at(2), QStringLiteral("-"));
        QCOMPARE(cols.at(3), QStringLiteral("1"));
        const Run release =
            ctl({QStringLiteral("hold"), QStringLiteral("release"), QStringLiteral("drypizza.example")});
        QVERIFY2(release.code == 0, qPrintable(release.err));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcptsOf(sink.messages().first()), QStringList{QStringLiteral("<bob@drypizza.example>")});
        QCOMPARE(ctl({QStringLiteral("hold"), QStringLiteral("list")}).out, QString());
        stopServe(serve);
    }

    // log.retention_days: the relay prunes both logs at its start; entries
    // older than N days go, newer ones stay.
    void retentionPrunesOldLogEntries()
    {
        configure(closedPort());
        QVERIFY(ctlOk({QStringLiteral("settings"), QStringLiteral("set"),
                       QStringLiteral("log.retention_days"), QStringLiteral("30")}));
        QVERIFY(ctlOk({QStringLiteral("push")}));
        const QString inserted =
            sql(QStringLiteral("now = int(time.time() * 1000)\n"
                               "day = 86400 * 1000\n"
                               "for age, tag in ((40, 'old'), (31, 'old'), (10, 'new'), (29, 'new')):\n"
                               "    db.execute(\"INSERT INTO message_log (time, queue_id, event, fields) "
                               "VALUES (?, ?, 'delivered', '{}')\", (now - age * day, tag))\n"
                               "    db.execute(\"INSERT INTO action_log (time, area, message) VALUES (?, "
                               "NULL, ?)\", (now - age * day, tag + ' action'))\n"
                               "print('ok')"));
        QCOMPARE(inserted, QStringLiteral("ok"));
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QString left;
        QVERIFY(QTest::qWaitFor(
            [&] {
                left = sql(QStringLiteral(
                    "print(db.execute(\"SELECT count(*) FROM message_log WHERE queue_id = "
                    "'old'\").fetchone()[0],"
                    " db.execute(\"SELECT count(*) FROM message_log WHERE queue_id = 'new'\").fetchone()[0],"
                    " db.execute(\"SELECT count(*) FROM action_log WHERE message = 'old "
                    "action'\").fetchone()[0],"
                    " db.execute(\"SELECT count(*) FROM action_log WHERE message = 'new "
                    "action'\").fetchone()[0])"));
                return left == QStringLiteral("0 2 0 2");
            },
            10000));
        QVERIFY2(ctl({QStringLiteral("logs"), QStringLiteral("--actions")})
                     .out.contains(QLatin1String(
                         "Logs older than 30 days deleted (log.retention_days): 2 message log and "
                         "2 action log entries.")),
                 qPrintable(left));
        stopServe(serve);
    }

    // Issue 11: a spool the relay cannot write says so (path, user, reason),
    // not "in use by another relay (process N)" about a process that is gone.
    void readOnlySpoolSaysSo()
    {
        configure(closedPort());
        // A spool directory left by another user, with the lock file of a
        // relay that is gone; the relay runs as "nobody" (root writes anywhere).
        QVERIFY(QDir().mkpath(m_spool));
        {
            QFile lock(m_spool + QStringLiteral("/spool.lock"));
            QVERIFY(lock.open(QIODevice::WriteOnly));
            lock.write("999999\nmailroutectl\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        }
        QStringList command{
            QStringLiteral(MAILROUTECTL_PATH), QStringLiteral("serve"),
            QStringLiteral("--listen"),        QStringLiteral("127.0.0.1:%1").arg(closedPort()),
            QStringLiteral("--spool"),         m_spool};
        QString runner;
        if (::geteuid() == 0) {
            // nobody may read and write the database, traverse the folders,
            // but not write the spool directory.
            const QString base = m_dir.path();
            ::chmod(QFile::encodeName(base).constData(), 0755);
            ::chmod(QFile::encodeName(m_spool).constData(), 0755);
            for (const QString &f :
                 QDir(base).entryList({QFileInfo(m_db).fileName() + QLatin1Char('*')}, QDir::Files))
                QVERIFY(::chown(QFile::encodeName(QDir(base).filePath(f)).constData(), 65534, 65534) == 0);
            // SQLite creates -shm/-wal beside the database: the folder must be writable for it.
            const QString dbDir = base;
            ::chmod(QFile::encodeName(dbDir).constData(), 0777);
            command.prepend(QStringLiteral("--clear-groups"));
            command.prepend(QStringLiteral("--regid=65534"));
            command.prepend(QStringLiteral("--reuid=65534"));
            runner = QStringLiteral("setpriv");
        } else {
            ::chmod(QFile::encodeName(m_spool).constData(), 0555);
            runner = command.takeFirst();
        }
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(runner, command);
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        ::chmod(QFile::encodeName(m_spool).constData(), 0755);
        ::chmod(QFile::encodeName(m_dir.path()).constData(), 0700);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(!err.contains(QLatin1String("in use by another relay")), qPrintable(err));
        QVERIFY2(
            err.contains(QStringLiteral("the spool directory %1 cannot be written by user").arg(m_spool)),
            qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("Permission denied")), qPrintable(err));
    }

    void acknowledgedMailSurvivesKill9()
    {
        // Next hop down: messages are acknowledged and wait in the spool.
        const quint16 deadPort = closedPort();
        configure(deadPort);
        const quint16 port = closedPort();
        const int total = 20;
        QStringList acknowledged;
        {
            QProcess serve;
            QVERIFY(startServe(serve, port));
            for (int i = 0; i < total; ++i) {
                if (swaks(port, QStringLiteral("user%1@warmsushi.example").arg(i)) == 0)
                    acknowledged << QStringLiteral("<user%1@drypizza.example>").arg(i);
            }
            QCOMPARE(acknowledged.size(), total);
            ::kill(pid_t(serve.processId()), SIGKILL);
            QVERIFY(serve.waitForFinished(10000));
            QCOMPARE(serve.exitStatus(), QProcess::CrashExit);
        }
        // The queue is readable without a relay.
        const Run queue =
            ctl({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--spool"), m_spool});
        QCOMPARE(queue.code, 0);
        QCOMPARE(queue.out.count(QLatin1Char('\n')), total);

        // Next hop up, relay restarted, queue flushed: every acknowledged message arrives.
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        QVERIFY(ctlOk({QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("drypizza.example"),
                       QStringLiteral("[127.0.0.1]:%1").arg(sink.port())}));
        QVERIFY(ctlOk({QStringLiteral("push")}));
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QVERIFY(
            ctlOk({QStringLiteral("queue"), QStringLiteral("flush"), QStringLiteral("--spool"), m_spool}));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() >= total; }, 30000));
        QStringList received;
        for (const QJsonObject &m : sink.messages())
            received << rcptsOf(m);
        int duplicates = 0;
        for (const QString &a : std::as_const(acknowledged)) {
            QVERIFY2(received.contains(a),
                     qPrintable(a + QStringLiteral(" was acknowledged but never arrived")));
            duplicates += int(received.count(a)) - 1;
        }
        qInfo("kill -9 crash test: %d acknowledged, %d arrived, %d duplicates, 0 lost", total,
              int(received.size()), duplicates);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return ctl({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--spool"),
                            m_spool})
                    .out.isEmpty();
            },
            10000));
        stopServe(serve);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
