// Tests of QueueIdGenerator: the ids the 250 reply and the logs name must
// never repeat and must read back unambiguously.
#include "relaycore/queue/queueidgenerator.h"

#include <QSet>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

class tst_QueueIdGenerator : public QObject
{
    Q_OBJECT

private slots:
    void hundredThousandAreUnique_data()
    {
        QTest::addColumn<bool>("frozenClock");
        QTest::newRow("real clock") << false;
        // All in one millisecond: the counter carries into the time part 97 times.
        QTest::newRow("frozen clock") << true;
    }

    void hundredThousandAreUnique()
    {
        QFETCH(bool, frozenClock);
        QueueIdGenerator generator;
        const QDateTime frozen = QDateTime::currentDateTimeUtc();
        QSet<QString> seen;
        seen.reserve(100000);
        QString previous;
        for (int i = 0; i < 100000; ++i) {
            const QString id = generator.next(frozenClock ? frozen : QDateTime::currentDateTimeUtc());
            if (i < 1000 || i % 997 == 0)
                QVERIFY2(QueueIdGenerator::isWellFormed(id), qPrintable(id));
            QVERIFY2(id > previous, qPrintable(id + u" after "_s + previous));
            seen.insert(id);
            previous = id;
        }
        QCOMPARE(seen.size(), 100000);
    }

    void looksLikeAQueueId()
    {
        QueueIdGenerator generator;
        const QString id = generator.next(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(id.size(), QueueIdGenerator::kLength);
        QVERIFY(id.size() >= 12);
        QCOMPARE(id, id.toUpper());
        // The time part: 1704067200000 ms in Crockford base32.
        QCOMPARE(id.left(9), u"1HK153X00"_s);
        QCOMPARE(id.mid(9, 2), u"00"_s);
    }

    void clockSetBackDoesNotRepeat()
    {
        QueueIdGenerator generator;
        const QDateTime t(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
        const QString a = generator.next(t);
        const QString b = generator.next(t.addSecs(-3600));
        const QString c = generator.next(t.addSecs(-7200));
        QVERIFY(b > a);
        QVERIFY(c > b);
    }

    // A restarted relay seeded with the newest id in its spool continues after
    // it, even with its clock a day behind.
    void observeSeedsAfterRestart()
    {
        const QDateTime t(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
        QueueIdGenerator before;
        QString newest;
        for (int i = 0; i < 5000; ++i)
            newest = before.next(t);
        QueueIdGenerator after;
        after.observe(newest);
        after.observe(u"garbage"_s);
        after.observe(before.next(t.addSecs(-60)).left(3) + u"000000000000"_s); // older: ignored
        QVERIFY(after.next(t.addDays(-1)) > newest);
        QVERIFY(after.next(t.addSecs(1)) > newest);
    }

    void isWellFormed_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("ok");
        QTest::newRow("good") << u"01HK153X000ABCD"_s << true;
        QTest::newRow("all digits") << u"012345678901234"_s << true;
        QTest::newRow("lower case") << u"01hk153x000abcd"_s << false;
        QTest::newRow("short") << u"01HK153X000ABC"_s << false;
        QTest::newRow("long") << u"01HK153X000ABCDE"_s << false;
        QTest::newRow("I") << u"01HK153X000ABCI"_s << false;
        QTest::newRow("L") << u"01HK153X000ABCL"_s << false;
        QTest::newRow("O") << u"01HK153X000ABCO"_s << false;
        QTest::newRow("U") << u"01HK153X000ABCU"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void isWellFormed()
    {
        QFETCH(QString, id);
        QFETCH(bool, ok);
        QCOMPARE(QueueIdGenerator::isWellFormed(id), ok);
    }
};

QTEST_GUILESS_MAIN(tst_QueueIdGenerator)
#include "tst_queueidgenerator.moc"
