// HoldSet (issue 11): which domains are held at a time, which holds ended
// (released or their `until` came) and when the retry.hold_max warning is
// due, once. Times from a ManualClock.
#include "relaycore/queue/clock.h"
#include "relaycore/queue/holdset.h"

#include <QTest>

using namespace mailroute;

class tst_HoldSet : public QObject
{
    Q_OBJECT

private slots:
    void heldUntilReleasedOrUntil()
    {
        ManualClock clock;
        const QDateTime t0 = clock.now();
        HoldSet holds;
        holds.replace({{QStringLiteral("drypizza.com"), t0, {}, false},
                       {QStringLiteral("warmsushi.com"), t0, t0.addSecs(3600), false}});
        HoldSet::Changes c = holds.takeChanges(t0);
        QCOMPARE(c.held, (QStringList{QStringLiteral("drypizza.com"), QStringLiteral("warmsushi.com")}));
        QVERIFY(c.released.isEmpty());
        QVERIFY(holds.isHeld(QStringLiteral("drypizza.com"), t0));
        QVERIFY(!holds.isHeld(QStringLiteral("other.com"), t0));
        QVERIFY(holds.takeChanges(t0).held.isEmpty()); // reported once

        // `until` comes: released by the clock alone.
        clock.advance(std::chrono::hours(1));
        QVERIFY(!holds.isHeld(QStringLiteral("warmsushi.com"), clock.now()));
        c = holds.takeChanges(clock.now());
        QCOMPARE(c.released, QStringList{QStringLiteral("warmsushi.com")});

        // The admin releases the other one: it is gone from the list.
        holds.replace({});
        c = holds.takeChanges(clock.now());
        QCOMPARE(c.released, QStringList{QStringLiteral("drypizza.com")});
        QVERIFY(holds.isEmpty());
    }

    void holdMaxWarningOnce()
    {
        ManualClock clock;
        const QDateTime t0 = clock.now();
        HoldSet holds;
        const QList<DomainHold> fromDb{{QStringLiteral("drypizza.com"), t0, {}, false}};
        holds.replace(fromDb);
        const qint64 holdMax = 5 * 86400;
        QVERIFY(holds.dueWarnings(t0.addSecs(holdMax - 1), holdMax).isEmpty());
        QCOMPARE(holds.dueWarnings(t0.addSecs(holdMax), holdMax).size(), 1);
        holds.markWarned(QStringLiteral("drypizza.com"));
        QVERIFY(holds.dueWarnings(t0.addSecs(holdMax), holdMax).isEmpty());
        // The database still says "not warned" for a moment: no second warning.
        holds.replace(fromDb);
        QVERIFY(holds.dueWarnings(t0.addSecs(holdMax + 10), holdMax).isEmpty());
        // A new hold of the same domain (another start) warns again.
        holds.replace({{QStringLiteral("drypizza.com"), t0.addDays(10), {}, false}});
        QCOMPARE(holds.dueWarnings(t0.addDays(16), holdMax).size(), 1);
        // A hold the database marks as warned never warns.
        holds.replace({{QStringLiteral("warmsushi.com"), t0, {}, true}});
        QVERIFY(holds.dueWarnings(t0.addDays(30), holdMax).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_HoldSet)
#include "tst_holdset.moc"
