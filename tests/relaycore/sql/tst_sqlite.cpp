// The shared SQLite layer (relaycore/sql): the pragmas a store asks for are
// in force, a Transaction rolls back on scope exit, migration steps run in
// order and only once, a file newer than the build is refused with a clear
// error and left as it was, and describe() gives one sentence.
#include "relaycore/sql/migration.h"
#include "relaycore/sql/sqlite.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

QVariant scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

// A connection named after the test function, closed and removed at scope exit.
struct Connection
{
    QSqlDatabase db;
    QString name;
    ~Connection() { sql::close(db, name); }
};

} // namespace

class TestSqlite : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_serial = 0;

    sql::OpenOptions options(const QString &file)
    {
        sql::OpenOptions o;
        o.path = m_dir.filePath(file);
        o.connectionName = u"tst_sqlite.%1"_s.arg(++m_serial);
        return o;
    }

    void openInto(Connection &c, const sql::OpenOptions &o)
    {
        const Result<QSqlDatabase> db = sql::open(o);
        QVERIFY2(db.ok(), qPrintable(db.error));
        c.db = *db;
        c.name = o.connectionName;
    }

    // Three steps; each records its number in `steps`, so the order shows.
    static sql::Schema threeSteps(sql::VersionIn where = sql::VersionIn::MetaTable)
    {
        sql::Schema s;
        s.label = u"test database"_s;
        s.latestVersion = 3;
        s.versionIn = where;
        s.step = [where](int version) -> QStringList {
            QStringList out;
            if (version == 1) {
                if (where == sql::VersionIn::MetaTable)
                    out << u"CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID"_s;
                out << u"CREATE TABLE steps (n INTEGER NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT)"_s;
            }
            out << u"INSERT INTO steps (n) VALUES (%1)"_s.arg(version);
            return out;
        };
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void pragmasOfTheSpoolAreInForce()
    {
        sql::OpenOptions o = options(u"spool.db"_s);
        o.busyTimeoutMs = 4321;
        o.synchronous = sql::OpenOptions::Synchronous::Full;
        o.secureDelete = true;
        o.foreignKeys = true;
        Connection c;
        openInto(c, o);
        QCOMPARE(scalar(c.db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(scalar(c.db, u"PRAGMA busy_timeout"_s).toInt(), 4321);
        QCOMPARE(scalar(c.db, u"PRAGMA synchronous"_s).toInt(), 2);
        QCOMPARE(scalar(c.db, u"PRAGMA secure_delete"_s).toInt(), 1);
        QCOMPARE(scalar(c.db, u"PRAGMA foreign_keys"_s).toInt(), 1);
    }

    void pragmasOfTheConfigurationAreInForce()
    {
        sql::OpenOptions o = options(u"config.db"_s);
        o.synchronous = sql::OpenOptions::Synchronous::Normal;
        o.foreignKeys = true;
        o.journalSizeLimit = 32 * 1024 * 1024;
        Connection c;
        openInto(c, o);
        QCOMPARE(scalar(c.db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(scalar(c.db, u"PRAGMA busy_timeout"_s).toInt(), 5000);
        QCOMPARE(scalar(c.db, u"PRAGMA synchronous"_s).toInt(), 1);
        QCOMPARE(scalar(c.db, u"PRAGMA journal_size_limit"_s).toLongLong(), 32LL * 1024 * 1024);
    }

    void aFileThatIsNotSqliteIsRefusedByName()
    {
        const QString path = m_dir.filePath(u"garbage.db"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        sql::OpenOptions o = options(u"garbage.db"_s);
        const Result<QSqlDatabase> db = sql::open(o);
        QVERIFY(!db.ok());
        QVERIFY2(db.error.contains(path), qPrintable(db.error));
        QVERIFY2(db.error.contains(u"not a database"_s), qPrintable(db.error));
        QVERIFY(!QSqlDatabase::contains(o.connectionName)); // nothing left registered
    }

    void transactionRollsBackOnScopeExit()
    {
        Connection c;
        openInto(c, options(u"tx.db"_s));
        QVERIFY(sql::run(c.db, u"CREATE TABLE t (x INTEGER)"_s).isEmpty());
        {
            sql::Transaction tx(c.db);
            QVERIFY(tx.begin(sql::Transaction::Kind::Write).ok());
            sql::Query q(c.db, u"INSERT INTO t (x) VALUES (?)"_s, {7});
            QVERIFY(q.exec().ok());
            QCOMPARE(q.rowsAffected(), 1);
            QVERIFY(tx.isOpen());
        } // not committed
        QCOMPARE(scalar(c.db, u"SELECT count(*) FROM t"_s).toInt(), 0);
        {
            sql::Transaction tx(c.db);
            QVERIFY(tx.begin(sql::Transaction::Kind::Write).ok());
            {
                sql::Query q(c.db, u"INSERT INTO t (x) VALUES (?)"_s, {8});
                QVERIFY(q.exec().ok());
            }
            QVERIFY(tx.commit().ok());
            QVERIFY(!tx.isOpen());
        }
        QCOMPARE(scalar(c.db, u"SELECT x FROM t"_s).toInt(), 8);
    }

    void preparedTransactionRollsBackToo()
    {
        Connection c;
        openInto(c, options(u"prepared.db"_s));
        QVERIFY(sql::run(c.db, u"CREATE TABLE t (x INTEGER)"_s).isEmpty());
        sql::PreparedTransaction prepared(c.db);
        QVERIFY(prepared.prepare().ok());
        for (int round = 0; round < 2; ++round) { // the statements are reused
            sql::Transaction tx(prepared);
            QVERIFY(tx.begin(sql::Transaction::Kind::Write).ok());
            QVERIFY(sql::run(c.db, u"INSERT INTO t (x) VALUES (1)"_s).isEmpty());
        }
        QCOMPARE(scalar(c.db, u"SELECT count(*) FROM t"_s).toInt(), 0);
        {
            sql::Transaction tx(prepared);
            QVERIFY(tx.begin(sql::Transaction::Kind::Write).ok());
            QVERIFY(sql::run(c.db, u"INSERT INTO t (x) VALUES (2)"_s).isEmpty());
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(scalar(c.db, u"SELECT sum(x) FROM t"_s).toInt(), 2);
    }

    void queryErrorsAreSentences()
    {
        Connection c;
        openInto(c, options(u"errors.db"_s));
        QVERIFY(sql::run(c.db, u"CREATE TABLE u (k TEXT PRIMARY KEY)"_s).isEmpty());
        sql::Query bad(c.db, u"SELECT nope FROM nowhere"_s);
        const Status unprepared = bad.exec();
        QVERIFY(!unprepared.ok());
        QCOMPARE(unprepared.error, u"no such table: nowhere"_s);
        {
            sql::Query first(c.db, u"INSERT INTO u (k) VALUES (?)"_s, {u"a"_s});
            QVERIFY(first.exec().ok());
        }
        sql::Query dup(c.db, u"INSERT INTO u (k) VALUES (?)"_s, {u"a"_s});
        const Status st = dup.exec();
        QVERIFY(!st.ok());
        QCOMPARE(st.error, u"UNIQUE constraint failed: u.k"_s);
        QCOMPARE(dup.error(), st.error);
    }

    void describeGivesOneSentence()
    {
        QCOMPARE(sql::describe(QSqlError(u"Unable to fetch row"_s, u"database is locked"_s)),
                 u"database is locked"_s);
        QCOMPARE(sql::describe(QSqlError(u"Driver not loaded."_s, {})), u"Driver not loaded"_s);
        QCOMPARE(sql::describe(QSqlError()), u"unknown database error"_s);
    }

    void migrationStepsRunInOrderOnce_data()
    {
        QTest::addColumn<int>("where");
        QTest::newRow("meta table") << int(sql::VersionIn::MetaTable);
        QTest::newRow("user_version") << int(sql::VersionIn::UserVersion);
    }

    void migrationStepsRunInOrderOnce()
    {
        QFETCH(int, where);
        const auto in = sql::VersionIn(where);
        Connection c;
        openInto(c, options(u"steps%1.db"_s.arg(where)));
        QCOMPARE(*sql::schemaVersion(c.db, in), 0);
        const Result<int> reached = sql::migrate(c.db, threeSteps(in));
        QVERIFY2(reached.ok(), qPrintable(reached.error));
        QCOMPARE(*reached, 3);
        QCOMPARE(*sql::schemaVersion(c.db, in), 3);
        QStringList order;
        QSqlQuery q(c.db);
        QVERIFY(q.exec(u"SELECT n FROM steps ORDER BY seq"_s));
        while (q.next())
            order << q.value(0).toString();
        QCOMPARE(order, (QStringList{u"1"_s, u"2"_s, u"3"_s}));
        q.finish();
        // Opening again applies nothing.
        QCOMPARE(*sql::migrate(c.db, threeSteps(in)), 3);
        QCOMPARE(scalar(c.db, u"SELECT count(*) FROM steps"_s).toInt(), 3);
    }

    void upgradeFromAnOlderVersionRunsOnlyTheMissingSteps()
    {
        Connection c;
        openInto(c, options(u"older.db"_s));
        sql::Schema one = threeSteps();
        one.latestVersion = 1;
        QCOMPARE(*sql::migrate(c.db, one), 1);
        QCOMPARE(*sql::migrate(c.db, threeSteps()), 3);
        QCOMPARE(scalar(c.db, u"SELECT group_concat(n) FROM (SELECT n FROM steps ORDER BY seq)"_s).toString(),
                 u"1,2,3"_s);
    }

    void aNewerFileIsRefusedUnchanged()
    {
        Connection c;
        openInto(c, options(u"newer.db"_s));
        QCOMPARE(*sql::migrate(c.db, threeSteps()), 3);
        sql::Schema older = threeSteps();
        older.latestVersion = 2;
        const Result<int> refused = sql::migrate(c.db, older);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error, u"the test database has schema version 3, newer than this build of MailRoute "
                                "knows (2); use a newer MailRoute to open it"_s);
        QCOMPARE(*sql::schemaVersion(c.db, sql::VersionIn::MetaTable), 3);
        // No transaction left open: a write goes through.
        QVERIFY(sql::run(c.db, u"INSERT INTO steps (n) VALUES (9)"_s).isEmpty());
    }

    void aFailingStepLeavesTheLastWholeVersion()
    {
        Connection c;
        openInto(c, options(u"failing.db"_s));
        sql::Schema s = threeSteps();
        const auto good = s.step;
        s.step = [good](int version) {
            QStringList out = good(version);
            if (version == 3)
                out << u"INSERT INTO missing_table VALUES (1)"_s;
            return out;
        };
        const Result<int> r = sql::migrate(c.db, s);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.startsWith(u"upgrading the test database to schema version 3 failed: "_s),
                 qPrintable(r.error));
        QVERIFY2(r.error.contains(u"missing_table"_s), qPrintable(r.error));
        QCOMPARE(*sql::schemaVersion(c.db, sql::VersionIn::MetaTable), 2);
        QCOMPARE(scalar(c.db, u"SELECT count(*) FROM steps"_s).toInt(), 2); // step 3's insert rolled back
    }

    void aForeignFileIsNotMigrated()
    {
        Connection c;
        openInto(c, options(u"foreign.db"_s));
        QVERIFY(sql::run(c.db, u"CREATE TABLE photos (id INTEGER)"_s).isEmpty());
        const Result<int> r = sql::migrate(c.db, threeSteps());
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"not a MailRoute database"_s), qPrintable(r.error));
        QCOMPARE(scalar(c.db, u"SELECT count(*) FROM sqlite_master WHERE name = 'steps'"_s).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSqlite)
#include "tst_sqlite.moc"
