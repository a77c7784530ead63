// ConfigStore: two connections and two processes on one database: writers
// in another thread or process, an import while reading, the busy timeout,
// a lock held too long, a push racing another writer.
#include "tests/relaycore/store/configstoretest.h"

#include <QThread>

#include "tests/skiporfail.h"

using namespace Qt::StringLiterals;
using namespace mailroute;
using namespace mailroute::testing;

class TstConfigStoreConcurrency : public QObject, private ConfigStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { CHECK_OK(openFresh()); }
    void cleanup() { closeAll(); }

    // ---- concurrency -----------------------------------------------------------

    void writerInAnotherThread()
    {
        constexpr int kWrites = 150;
        QString threadError;
        QThread *thread = QThread::create([this, &threadError] {
            ConfigStore mine(dbPath());
            if (const Status st = mine.open(); !st) {
                threadError = st.error;
                return;
            }
            for (int i = 0; i < kWrites; ++i) {
                const Status st = mine.addDomainMapping(Area::Relay, u"t%1.example"_s.arg(i), u"z.example"_s);
                if (!st) {
                    threadError = st.error;
                    return;
                }
            }
        });
        thread->start();
        for (int i = 0; i < kWrites; ++i) {
            CHECK_OK(
                store().addUserMapping(Area::Inbound, u"u%1@a.example"_s.arg(i), u"u%1@b.example"_s.arg(i)));
            store().domainMappings(Area::Relay);
        }
        QVERIFY(thread->wait(60000));
        delete thread;
        QVERIFY2(threadError.isEmpty(), qPrintable(threadError));
        QCOMPARE(store().domainMappings(Area::Relay).size(), kWrites);
        QCOMPARE(store().userCount(Area::Inbound), kWrites);
        QCOMPARE(store().actionLog(std::nullopt, 0, 100000).size(), 2 * kWrites);
    }

    void writerInAnotherProcess()
    {
        constexpr int kWrites = 200;
        QProcess child;
        child.start(QStringLiteral(MAILROUTE_STORE_WRITER),
                    {dbPath(), u"domains"_s, QString::number(kWrites)});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        int mine = 0;
        while (child.state() != QProcess::NotRunning || mine < 50) {
            CHECK_OK(store().addUserMapping(Area::Outbound, u"p%1@a.example"_s.arg(mine), u"p@b.example"_s));
            ++mine;
            store().userCount(Area::Outbound);
            child.waitForFinished(1);
        }
        QVERIFY(finished(child, 60000));
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 child.readAllStandardError().constData());
        QCOMPARE(store().domainMappings(Area::Relay).size(), kWrites);
        QCOMPARE(store().userCount(Area::Outbound), mine);
        RawDb raw(dbPath());
        QCOMPARE(raw.scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
        QCOMPARE(store().changeCounter(), qint64(kWrites + mine));
    }

    void importInAnotherProcessWhileReading()
    {
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(100)))));
        QProcess child;
        child.start(QStringLiteral(MAILROUTE_STORE_WRITER), {dbPath(), u"import"_s, u"100000"_s});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        // Readers see the old list or the new one, never a mix.
        while (child.state() != QProcess::NotRunning) {
            const qint64 n = store().userCount(Area::Inbound);
            QVERIFY2(n == 100 || n == 100000, qPrintable(QString::number(n)));
            child.waitForFinished(5);
        }
        QVERIFY2(child.exitCode() == 0, child.readAllStandardError().constData());
        QCOMPARE(store().userCount(Area::Inbound), 100000);
        QCOMPARE(lastLog(Area::Inbound),
                 u"User list uploaded : 100000 users (100000 new, 0 changed, 100 removed)."_s);
    }

    void writerWaitsForLockHolder()
    {
        // Another process holds the write lock for a moment: reads go on, and a
        // write waits for it (busy timeout) instead of failing.
        QProcess child;
        child.start(QStringLiteral(MAILROUTE_STORE_WRITER), {dbPath(), u"hold"_s, u"1500"_s});
        QVERIFY(child.waitForStarted());
        QVERIFY(child.waitForReadyRead(10000));
        QCOMPARE(child.readLine().trimmed(), QByteArray("locked"));
        // Make sure the lock really is held as the write starts (on a loaded
        // machine this process may only get here after the holder is done).
        bool held = false;
        {
            RawDb probe(dbPath());
            QVERIFY(probe.exec(u"PRAGMA busy_timeout = 0"_s));
            held = !probe.tryExec(u"BEGIN IMMEDIATE"_s);
            if (!held)
                probe.exec(u"ROLLBACK"_s);
        }
        QVERIFY(store().domainMappings(Area::Relay).isEmpty()); // the uncommitted row is not seen
        CHECK_OK(store().addDomainMapping(Area::Relay, u"mine.example"_s, u"z.example"_s));
        QVERIFY(finished(child, 10000));
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(store().domainMappings(Area::Relay).size(), 2);
        MAILROUTE_REQUIRE(held, "the lock holder finished before the write started; nothing overlapped");
    }

    void lockHeldTooLongIsAClearError()
    {
        // A writer that keeps the lock past the busy timeout: the write fails
        // with a clear error and changes nothing. Then the holder dies without
        // committing, and its half-done transaction leaves no trace.
        QProcess child;
        child.start(QStringLiteral(MAILROUTE_STORE_WRITER), {dbPath(), u"hold"_s, u"60000"_s});
        QVERIFY(child.waitForStarted());
        QVERIFY(child.waitForReadyRead(10000));
        const qint64 counter = store().changeCounter();
        CHECK_FAILS(store().addDomainMapping(Area::Relay, u"mine.example"_s, u"z.example"_s), u"busy"_s);
        QCOMPARE(store().changeCounter(), counter);
        child.kill();
        QVERIFY(finished(child, 10000));
        QVERIFY(store().domainMappings(Area::Relay).isEmpty());
        CHECK_OK(store().addDomainMapping(Area::Relay, u"mine.example"_s, u"z.example"_s));
        RawDb raw(dbPath());
        QCOMPARE(raw.scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }

    void pushRacingAnotherWriter()
    {
        // A push whose draft changes between its read and its write retries and
        // stores the newer draft, never the stale one.
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(50000)))));
        QProcess child;
        child.start(QStringLiteral(MAILROUTE_STORE_WRITER), {dbPath(), u"domains"_s, u"30"_s});
        QVERIFY(child.waitForStarted());
        const Result<PushResult> p = store().push();
        QVERIFY(finished(child, 60000));
        QCOMPARE(child.exitCode(), 0);
        if (!p.ok())
            QVERIFY2(p.error.contains(u"kept changing"_s), qPrintable(p.error));
        else {
            const Result<ConfigData> stored = store().generationConfig(p->generation);
            CHECK_OK(stored);
            // What was stored is a draft that really existed: its domain list is
            // a prefix child0..childN of the child's writes.
            const qsizetype n = stored->area(Area::Relay).domains.size();
            QVERIFY(n <= 30);
            QCOMPARE(p->diff.area(Area::Relay).domainsAdded.size(), n);
        }
        // The final push catches up with everything.
        const Result<PushResult> last = store().push();
        CHECK_OK(last);
        QCOMPARE(store().generationConfig(*store().activeGeneration())->area(Area::Relay).domains.size(), 30);
    }
};

QTEST_GUILESS_MAIN(TstConfigStoreConcurrency)
#include "tst_configstoreconcurrency.moc"
