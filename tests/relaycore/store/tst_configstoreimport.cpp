// ConfigStore: the CSV user-list import (plan, apply, only the differences
// written, a failure half-way changes nothing) and the export.
#include "tests/relaycore/store/configstoretest.h"

#include <algorithm>
#include <random>

#include "tests/skiporfail.h"

using namespace Qt::StringLiterals;
using namespace mailroute;
using namespace mailroute::testing;

class TstConfigStoreImport : public QObject, private ConfigStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { CHECK_OK(openFresh()); }
    void cleanup() { closeAll(); }

    // ---- CSV import / export ---------------------------------------------------

    void importPlanCounts()
    {
        // Current: 0..9. File: 0..4 unchanged, 5 and 6 with a new target, 7 with
        // a new spelling of its source, 20 and 21 new; 8 and 9 removed.
        QList<UserMapping> current = numberedUsers(10);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(current))));
        QList<UserMapping> file = current.mid(0, 5);
        file << UserMapping{current.at(5).source, u"moved5@drypizza.com"_s}
             << UserMapping{current.at(6).source, u"moved6@drypizza.com"_s}
             << UserMapping{current.at(7).source.toUpper().replace(u"WARMSUSHI.COM"_s, u"warmsushi.com"_s),
                            current.at(7).target}
             << UserMapping{u"new20@warmsushi.com"_s, u"new20@drypizza.com"_s}
             << UserMapping{u"new21@warmsushi.com"_s, u"new21@drypizza.com"_s};

        const Fingerprint before = fingerprint();
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(file));
        QVERIFY(plan.ok());
        QCOMPARE(plan.area, Area::Inbound);
        QCOMPARE(plan.parsed.rows.size(), 10);
        QCOMPARE(plan.unchanged, 5);
        QCOMPARE(plan.changed, 3);
        QCOMPARE(plan.added, 2);
        QCOMPARE(plan.removed, 2);
        QVERIFY(fingerprint() == before); // planning writes nothing

        CHECK_OK(store().applyImport(plan));
        QCOMPARE(lastLog(Area::Inbound), u"User list uploaded : 10 users (2 new, 3 changed, 2 removed)."_s);
        QCOMPARE(store().changeCounter(), before.counter + 1);
        QCOMPARE(store().userCount(Area::Inbound), 10);
        // The file's spelling wins, and the result is the file, sorted by key.
        const QList<UserMapping> now = store().userMappings(Area::Inbound);
        QVERIFY(now.contains(file.at(7)));
        QVERIFY(!now.contains(current.at(8)));
        QList<UserMapping> expected = file;
        std::sort(expected.begin(), expected.end(), [](const UserMapping &a, const UserMapping &b) {
            return a.source.toLower() < b.source.toLower();
        });
        QCOMPARE(now, expected);
        // Other areas untouched.
        QCOMPARE(store().userCount(Area::Outbound), 0);
    }

    void importAnyOrder_data()
    {
        QTest::addColumn<QString>("order");
        QTest::newRow("sorted") << u"sorted"_s;
        QTest::newRow("reversed") << u"reversed"_s;
        QTest::newRow("shuffled") << u"shuffled"_s;
        QTest::newRow("nearly sorted") << u"nearly"_s;
    }

    void importAnyOrder()
    {
        // The store sorts rows by key before writing them (and picks a sort by
        // how sorted they are): every order must give the same list and counts.
        QFETCH(QString, order);
        const QList<UserMapping> sorted = numberedUsers(3000);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(sorted.mid(0, 2000)))));
        QList<UserMapping> rows = sorted.mid(1000); // 1000 unchanged, 1000 new, 1000 removed
        for (qsizetype i = 0; i < 500; ++i)         // and 500 changed
            rows[i].target = u"changed%1@drypizza.com"_s.arg(i);
        if (order == u"reversed") {
            std::reverse(rows.begin(), rows.end());
        } else if (order == u"shuffled") {
            std::mt19937 rng(42);
            std::shuffle(rows.begin(), rows.end(), rng);
        } else if (order == u"nearly") {
            for (qsizetype i = 0; i + 7 < rows.size(); i += 97)
                rows.swapItemsAt(i, i + 7);
        }
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(rows));
        QVERIFY(plan.ok());
        QCOMPARE(plan.added, 1000);
        QCOMPARE(plan.removed, 1000);
        QCOMPARE(plan.changed, 500);
        QCOMPARE(plan.unchanged, 500);
        CHECK_OK(store().applyImport(plan));
        QList<UserMapping> expected = sorted.mid(1000);
        for (qsizetype i = 0; i < 500; ++i)
            expected[i].target = u"changed%1@drypizza.com"_s.arg(i);
        QCOMPARE(store().userMappings(Area::Inbound), expected);
        QCOMPARE(lastLog(Area::Inbound),
                 u"User list uploaded : 2000 users (1000 new, 500 changed, 1000 removed)."_s);
    }

    void reimportWritesOnlyTheDifferences_data()
    {
        QTest::addColumn<bool>("shuffled");
        QTest::newRow("sorted") << false;
        QTest::newRow("shuffled") << true;
    }

    void reimportWritesOnlyTheDifferences()
    {
        // Uploading the same list with a few changes rewrites only those rows
        // (counted here by triggers), with the same result as a replacement.
        QFETCH(bool, shuffled);
        const QList<UserMapping> before = numberedUsers(1000);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(before))));
        CHECK_OK(store().addUserMapping(Area::Outbound, u"keep@warmsushi.com"_s, u"keep@drypizza.com"_s));
        {
            RawDb raw(dbPath());
            QVERIFY(raw.exec(u"CREATE TABLE writes (kind TEXT)"_s));
            QVERIFY(raw.exec(
                u"CREATE TRIGGER count_ins AFTER INSERT ON user_mappings BEGIN INSERT INTO writes VALUES ('insert'); END"_s));
            QVERIFY(raw.exec(
                u"CREATE TRIGGER count_upd AFTER UPDATE ON user_mappings BEGIN INSERT INTO writes VALUES ('update'); END"_s));
            QVERIFY(raw.exec(
                u"CREATE TRIGGER count_del AFTER DELETE ON user_mappings BEGIN INSERT INTO writes VALUES ('delete'); END"_s));
        }
        QList<UserMapping> rows = before.mid(5); // 5 removed
        for (qsizetype i = 100; i < 110; ++i)    // 10 new targets
            rows[i].target = u"moved%1@drypizza.com"_s.arg(i);
        rows[200].source =
            rows[200].source.toUpper().replace(u"WARMSUSHI.COM"_s, u"warmsushi.com"_s); // 1 respelled
        for (int i = 0; i < 5; ++i)                                                     // 5 added
            rows.append({u"zz%1@warmsushi.com"_s.arg(i), u"zz%1@drypizza.com"_s.arg(i)});
        QList<UserMapping> expected = rows;
        if (shuffled) {
            std::mt19937 rng(7);
            std::shuffle(rows.begin(), rows.end(), rng);
        }
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(rows));
        QVERIFY(plan.ok());
        CHECK_OK(store().applyImport(plan));
        QCOMPARE(lastLog(Area::Inbound),
                 u"User list uploaded : 1000 users (5 new, 11 changed, 5 removed)."_s);
        QCOMPARE(store().userMappings(Area::Inbound), expected);
        QCOMPARE(store().userCount(Area::Outbound), 1);
        RawDb raw(dbPath());
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM writes WHERE kind = 'delete'"_s).toInt(), 5);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM writes WHERE kind = 'update'"_s).toInt(), 11);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM writes WHERE kind = 'insert'"_s).toInt(), 5);
    }

    void failureMidEditsRollsBack()
    {
        // The same all-or-nothing on the few-differences path: deletions that
        // already ran are undone when a later update fails.
        const QList<UserMapping> before = numberedUsers(1000);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(before))));
        {
            RawDb raw(dbPath());
            QVERIFY(raw.exec(u"CREATE TRIGGER inject BEFORE UPDATE ON user_mappings "
                             "WHEN NEW.source_key = 'user00500@warmsushi.com' "
                             "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_s));
        }
        QList<UserMapping> rows = before.mid(3);
        rows[497].target = u"moved@drypizza.com"_s; // user00500
        rows.append({u"new@warmsushi.com"_s, u"new@drypizza.com"_s});
        const Fingerprint fp = fingerprint();
        const Status st = store().applyImport(store().planImport(Area::Inbound, csvOf(rows)));
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"injected failure"_s), qPrintable(st.error));
        QVERIFY(fingerprint() == fp);
        QCOMPARE(store().userMappings(Area::Inbound), before);
    }

    void importIntoEmptyList()
    {
        const ImportPlan plan = store().planImport(Area::Outbound, csvOf(numberedUsers(3)));
        QVERIFY(plan.ok());
        QCOMPARE(plan.added, 3);
        QCOMPARE(plan.removed + plan.changed + plan.unchanged, 0);
        CHECK_OK(store().applyImport(plan));
        QCOMPARE(lastLog(Area::Outbound), u"User list uploaded : 3 users (3 new, 0 changed, 0 removed)."_s);
    }

    void badFileChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("area");
        QTest::newRow("invalid address")
            << QByteArray("Source;Target\r\nbob@warmsushi.com;bob@drypizza.com\r\n"
                          "amy@;amy@drypizza.com\r\n")
            << int(Area::Inbound);
        QTest::newRow("wrong header")
            << QByteArray("From;To\r\nbob@warmsushi.com;bob@drypizza.com\r\n") << int(Area::Inbound);
        QTest::newRow("column count")
            << QByteArray("Source;Target\r\nbob@warmsushi.com;bob@drypizza.com;x\r\n") << int(Area::Inbound);
        QTest::newRow("header only") << QByteArray("Source;Target\r\n") << int(Area::Inbound);
        QTest::newRow("relay") << QByteArray("Source;Target\r\nbob@warmsushi.com;bob@drypizza.com\r\n")
                               << int(Area::Relay);
    }

    void badFileChangesNothing()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, area);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(5)))));
        const Fingerprint before = fingerprint();
        const ImportPlan plan = store().planImport(Area(area), csv);
        QVERIFY(!plan.ok());
        QVERIFY(!plan.parsed.errors.isEmpty());
        QVERIFY(plan.parsed.rows.isEmpty());
        const Status st = store().applyImport(plan);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"unchanged"_s) || st.error.contains(u"Relay"_s), qPrintable(st.error));
        QVERIFY(fingerprint() == before);
    }

    void failureMidImportRollsBack()
    {
        // A fault injected into the database after 600 of 1,000 rows: the old
        // list must survive whole, and the counter and log must not move.
        CHECK_OK(store().applyImport(
            store().planImport(Area::Inbound, csvOf(numberedUsers(5, u"old.example"_s)))));
        {
            RawDb raw(dbPath());
            QVERIFY(raw.exec(u"CREATE TRIGGER inject BEFORE INSERT ON user_mappings "
                             "WHEN NEW.source_key = 'user00600@warmsushi.com' "
                             "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_s));
        }
        const Fingerprint before = fingerprint();
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(numberedUsers(1000)));
        QVERIFY(plan.ok());
        QCOMPARE(plan.added, 1000);
        QCOMPARE(plan.removed, 5);
        const Status st = store().applyImport(plan);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"injected failure"_s), qPrintable(st.error));
        QVERIFY(fingerprint() == before);
        QCOMPARE(store().userMappings(Area::Inbound), numberedUsers(5, u"old.example"_s));
    }

    void listChangedSincePlan()
    {
        // The preview is older than the list: the apply still replaces the
        // whole list, and its log line counts against what was really there.
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(4)))));
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(numberedUsers(3)));
        QCOMPARE(plan.removed, 1);
        CHECK_OK(store().addUserMapping(Area::Inbound, u"late@warmsushi.com"_s, u"late@drypizza.com"_s));
        CHECK_OK(store().applyImport(plan));
        QCOMPARE(lastLog(Area::Inbound), u"User list uploaded : 3 users (0 new, 0 changed, 2 removed)."_s);
        QCOMPARE(store().userMappings(Area::Inbound), numberedUsers(3));
    }

    void editedPlanIsSortedAgain()
    {
        // Rows edited after planning must be stored as edited, in key order.
        ImportPlan plan = store().planImport(Area::Inbound, csvOf(numberedUsers(3)));
        QVERIFY(plan.ok());
        plan.parsed.rows[0].source = u"zz@warmsushi.com"_s;
        CHECK_OK(store().applyImport(plan));
        const QList<UserMapping> stored = store().userMappings(Area::Inbound);
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored.constLast().source, u"zz@warmsushi.com"_s);
        QCOMPARE(store().userMappings(Area::Inbound, 0, -1, u"user00000@warmsushi"_s).size(), 0);
        // And a plan applied twice: the second apply counts against the first.
        const ImportPlan again = store().planImport(Area::Inbound, csvOf(numberedUsers(2)));
        CHECK_OK(store().applyImport(again));
        CHECK_OK(store().applyImport(again));
        QCOMPARE(lastLog(Area::Inbound), u"User list uploaded : 2 users (0 new, 0 changed, 0 removed)."_s);
    }

    void duplicateRowsInHandMadePlanAreRefused()
    {
        ImportPlan plan;
        plan.area = Area::Inbound;
        plan.parsed.rows = {{u"bob@warmsushi.com"_s, u"a@drypizza.com"_s},
                            {u"BOB@warmsushi.com"_s, u"b@drypizza.com"_s}};
        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().applyImport(plan), u"duplicate source"_s);
        QVERIFY(fingerprint() == before);
    }

    void exportRoundTrip()
    {
        QList<UserMapping> rows = numberedUsers(50);
        rows << UserMapping{u"Ünïcode.Ñame@warmsushi.com"_s, u"ascii@drypizza.com"_s}
             << UserMapping{u"\"quoted;semi\"@warmsushi.com"_s, u"q@drypizza.com"_s};
        const ImportPlan plan = store().planImport(Area::Inbound, UserCsvCodec::write(rows));
        QVERIFY2(plan.ok(),
                 plan.parsed.errors.isEmpty() ? "" : qPrintable(plan.parsed.errors.constFirst().reason));
        CHECK_OK(store().applyImport(plan));

        const QByteArray exported = store().exportUsers(Area::Inbound);
        QVERIFY(exported.startsWith("Source;Target\r\n"));
        QCOMPARE(exported, UserCsvCodec::write(store().userMappings(Area::Inbound)));
        // Re-importing the export changes nothing at all.
        const ImportPlan again = store().planImport(Area::Inbound, exported);
        QVERIFY(again.ok());
        QCOMPARE(again.unchanged, rows.size());
        QCOMPARE(again.added + again.changed + again.removed, 0);
        CHECK_OK(store().applyImport(again));
        QCOMPARE(store().exportUsers(Area::Inbound), exported);
        QCOMPARE(store().exportUsers(Area::Outbound), UserCsvCodec::write({}));
    }
};

QTEST_GUILESS_MAIN(TstConfigStoreImport)
#include "tst_configstoreimport.moc"
