// Tests of the injectable clocks the scheduler and the spool use.
#include "relaycore/queue/clock.h"

#include <QTest>
#include <QThread>

using namespace mailroute;
using namespace std::chrono_literals;

class tst_Clock : public QObject
{
    Q_OBJECT

private slots:
    void manualClockStartsAtAFixedUtcTime()
    {
        const ManualClock clock;
        QCOMPARE(clock.now(), QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(clock.now().timeSpec(), Qt::UTC);
        QCOMPARE(clock.now(), clock.now()); // it does not move by itself
    }

    void manualClockAdvancesAndIsSet()
    {
        ManualClock clock(QDateTime(QDate(2024, 3, 30), QTime(23, 0), Qt::UTC));
        const Clock &asClock = clock;
        clock.advance(5min);
        QCOMPARE(asClock.now(), QDateTime(QDate(2024, 3, 30), QTime(23, 5), Qt::UTC));
        clock.advance(1h);
        QCOMPARE(asClock.now(), QDateTime(QDate(2024, 3, 31), QTime(0, 5), Qt::UTC));
        clock.advance(1ms);
        QCOMPARE(asClock.now(), QDateTime(QDate(2024, 3, 31), QTime(0, 5, 0, 1), Qt::UTC));
        clock.advance(-2h);
        QCOMPARE(asClock.now(), QDateTime(QDate(2024, 3, 30), QTime(22, 5, 0, 1), Qt::UTC));
        // A local time is stored as the instant it names.
        const QDateTime local = QDateTime(QDate(2025, 7, 1), QTime(12, 0), Qt::OffsetFromUTC, 2 * 3600);
        clock.set(local);
        QCOMPARE(asClock.now(), local);
        QCOMPARE(asClock.now(), QDateTime(QDate(2025, 7, 1), QTime(10, 0), Qt::UTC));
    }

    void manualClockCanBeMovedFromAnotherThread()
    {
        ManualClock clock;
        const QDateTime start = clock.now();
        QThread *mover = QThread::create([&clock] {
            for (int i = 0; i < 10000; ++i)
                clock.advance(1s);
        });
        mover->start();
        QDateTime last = start;
        while (!mover->isFinished()) {
            const QDateTime now = clock.now();
            QVERIFY(now >= last);
            last = now;
        }
        mover->wait();
        delete mover;
        QCOMPARE(clock.now(), start.addSecs(10000));
    }

    void systemClockIsNowInUtc()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const QDateTime now = SystemClock::instance().now();
        const QDateTime after = QDateTime::currentDateTimeUtc();
        QCOMPARE(now.timeSpec(), Qt::UTC);
        QVERIFY(before <= now && now <= after);
    }
};

QTEST_GUILESS_MAIN(tst_Clock)
#include "tst_clock.moc"
