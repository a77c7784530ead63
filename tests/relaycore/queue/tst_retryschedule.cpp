// Tests of RetrySchedule (docs/behaviour.md "Retries and holds"), run on a
// ManualClock: an hour of back-off in microseconds.
#include "relaycore/queue/clock.h"
#include "relaycore/queue/retryschedule.h"

#include <QTest>

using namespace mailroute;
using namespace std::chrono_literals;

namespace {

// What a scheduler does with the schedule: attempt when due, every attempt
// failing temporarily, until the schedule is spent. Returns the attempt times
// as seconds after the first.
QList<qint64> runUntilSpent(const RetrySchedule &schedule, ManualClock &clock)
{
    const QDateTime first = clock.now();
    QList<qint64> attempts;
    for (int made = 0; made < 100; ++made) {
        const std::optional<QDateTime> due = schedule.nextAttempt(first, made);
        if (!due)
            break;
        if (*due > clock.now())
            clock.advance(std::chrono::milliseconds(clock.now().msecsTo(*due)));
        attempts.append(first.secsTo(clock.now()));
    }
    return attempts;
}

} // namespace

class tst_RetrySchedule : public QObject
{
    Q_OBJECT

private slots:
    void defaultIsThreeRetriesWithinAnHour()
    {
        ManualClock clock;
        const RetrySchedule schedule;
        QCOMPARE(schedule.offsets(), (QList<qint64>{300, 1200, 3600}));
        QCOMPARE(schedule.maxAttempts(), 4);
        const QDateTime arrival = clock.now();
        QCOMPARE(runUntilSpent(schedule, clock), (QList<qint64>{0, 300, 1200, 3600}));
        QCOMPARE(clock.now(), arrival.addSecs(3600));
        QVERIFY(!schedule.isSpent(3));
        QVERIFY(schedule.isSpent(4));
        QCOMPARE(schedule.nextAttempt(arrival, 4), std::nullopt);
    }

    void schedules_data()
    {
        QTest::addColumn<QList<qint64>>("setting");
        QTest::addColumn<QList<qint64>>("attemptTimes"); // seconds after the first attempt

        QTest::newRow("default") << RetrySchedule::defaultOffsets() << QList<qint64>{0, 300, 1200, 3600};
        QTest::newRow("one retry") << QList<qint64>{600} << QList<qint64>{0, 600};
        QTest::newRow("offsets, not gaps") << QList<qint64>{60, 120, 180} << QList<qint64>{0, 60, 120, 180};
        QTest::newRow("unsorted") << QList<qint64>{3600, 300, 1200} << QList<qint64>{0, 300, 1200, 3600};
        QTest::newRow("duplicates merge") << QList<qint64>{300, 300, 900} << QList<qint64>{0, 300, 900};
        QTest::newRow("a day") << QList<qint64>{3600, 4 * 3600, 24 * 3600}
                               << QList<qint64>{0, 3600, 4 * 3600, 24 * 3600};
        QTest::newRow("empty: no retries") << QList<qint64>{} << QList<qint64>{0};
        QTest::newRow("zero: no retries") << QList<qint64>{0} << QList<qint64>{0};
        QTest::newRow("zero and negative ignored") << QList<qint64>{0, -5, 60} << QList<qint64>{0, 60};
    }

    void schedules()
    {
        QFETCH(QList<qint64>, setting);
        QFETCH(QList<qint64>, attemptTimes);
        ManualClock clock(QDateTime(QDate(2024, 12, 31), QTime(23, 58), Qt::UTC));
        const RetrySchedule schedule(setting);
        QCOMPARE(runUntilSpent(schedule, clock), attemptTimes);
        QCOMPARE(schedule.maxAttempts(), attemptTimes.size());
        QVERIFY(schedule.isSpent(int(attemptTimes.size())));
        QVERIFY(!schedule.isSpent(int(attemptTimes.size()) - 1));
    }

    void nextAttempt_data()
    {
        QTest::addColumn<int>("attemptsMade");
        QTest::addColumn<qint64>("offset"); // -1: spent
        QTest::newRow("none made: the first attempt") << 0 << qint64(0);
        QTest::newRow("negative: the first attempt") << -3 << qint64(0);
        QTest::newRow("after 1") << 1 << qint64(300);
        QTest::newRow("after 2") << 2 << qint64(1200);
        QTest::newRow("after 3") << 3 << qint64(3600);
        QTest::newRow("after 4: spent") << 4 << qint64(-1);
        QTest::newRow("after 50: spent") << 50 << qint64(-1);
    }

    void nextAttempt()
    {
        QFETCH(int, attemptsMade);
        QFETCH(qint64, offset);
        const QDateTime first(QDate(2024, 6, 1), QTime(12, 0, 0, 250), Qt::UTC);
        const std::optional<QDateTime> next = RetrySchedule().nextAttempt(first, attemptsMade);
        if (offset < 0) {
            QVERIFY(!next.has_value());
        } else {
            QVERIFY(next.has_value());
            QCOMPARE(*next, first.addSecs(offset));
        }
    }

    // A late attempt (the relay was stopped) does not move the later ones:
    // they are fixed offsets from the first attempt.
    void lateAttemptKeepsTheSchedule()
    {
        ManualClock clock;
        const QDateTime first = clock.now();
        const RetrySchedule schedule;
        clock.advance(15min); // attempt 2 happens 10 minutes late
        QCOMPARE(*schedule.nextAttempt(first, 2), first.addSecs(1200));
        clock.advance(2h);
        QVERIFY(*schedule.nextAttempt(first, 3) < clock.now()); // due at once
    }

    // Issue 11: scheduling by time. After a failed attempt the next one is
    // the first slot still ahead, never sooner than the minimum back-off;
    // past the lifetime (the last offset) a failure bounces.
    void nextAfterFailure_data()
    {
        QTest::addColumn<QList<qint64>>("offsets");
        QTest::addColumn<qint64>("minBackoff");
        QTest::addColumn<qint64>("failedAt"); // seconds after the start
        QTest::addColumn<qint64>("next");     // -1: bounce

        const QList<qint64> def = RetrySchedule::defaultOffsets();
        QTest::newRow("first failure: the 5m slot") << def << qint64(60) << qint64(0) << qint64(300);
        QTest::newRow("Retry Now at 1m: still the 5m slot") << def << qint64(60) << qint64(60) << qint64(300);
        QTest::newRow("Retry Now at 4m30: back-off past the slot")
            << def << qint64(60) << qint64(270) << qint64(330);
        QTest::newRow("at the 5m slot: the 20m slot") << def << qint64(60) << qint64(301) << qint64(1200);
        QTest::newRow("at 59m30: back-off beyond the lifetime")
            << def << qint64(60) << qint64(3570) << qint64(3630);
        QTest::newRow("at the 60m slot: bounce") << def << qint64(60) << qint64(3600) << qint64(-1);
        QTest::newRow("after a day stopped: bounce") << def << qint64(60) << qint64(86400) << qint64(-1);
        QTest::newRow("slots closer than the back-off")
            << QList<qint64>{10, 20, 30} << qint64(120) << qint64(0) << qint64(120);
        QTest::newRow("no retries: bounce") << QList<qint64>{} << qint64(60) << qint64(0) << qint64(-1);
    }

    void nextAfterFailure()
    {
        QFETCH(QList<qint64>, offsets);
        QFETCH(qint64, minBackoff);
        QFETCH(qint64, failedAt);
        QFETCH(qint64, next);
        const QDateTime start(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
        const RetrySchedule schedule(offsets, minBackoff);
        const std::optional<QDateTime> got = schedule.nextAfterFailure(start, start.addSecs(failedAt));
        if (next < 0) {
            QVERIFY(!got.has_value());
        } else {
            QVERIFY(got.has_value());
            QCOMPARE(*got, start.addSecs(next));
        }
    }

    // A relay that retries on every tick (each failure answered at once)
    // never makes two scheduled attempts closer than the back-off, and makes
    // exactly one attempt after the lifetime.
    void attemptsNeverCloserThanTheBackoff()
    {
        ManualClock clock;
        const QDateTime start = clock.now();
        const RetrySchedule schedule({30, 40, 50, 600}, 60);
        QList<qint64> attempts{0};
        for (int i = 0; i < 100; ++i) {
            const auto next = schedule.nextAfterFailure(start, clock.now());
            if (!next)
                break;
            clock.set(*next);
            attempts << start.secsTo(clock.now());
        }
        QCOMPARE(attempts, (QList<qint64>{0, 60, 600})); // the 40s and 50s slots passed: skipped
    }

    void equality()
    {
        QCOMPARE(RetrySchedule(), RetrySchedule({3600, 1200, 300}));
        QVERIFY(RetrySchedule() != RetrySchedule({300, 1200}));
        QCOMPARE(RetrySchedule(QList<qint64>{}), RetrySchedule({0}));
    }
};

QTEST_GUILESS_MAIN(tst_RetrySchedule)
#include "tst_retryschedule.moc"
