// ConfigStore: draft CRUD and its errors (which must change nothing), settings,
// routes, CSV import/export, push/rollback, the action log, the change counter,
// the message log, and two connections / two processes on one database.
#include "relaycore/store/configstore.h"
#include "relaycore/store/generationcodec.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <memory>
#include <random>

#include "tests/skiporfail.h"

using namespace Qt::StringLiterals;
using namespace mailroute;

#define CHECK_OK(expr)                                                                                       \
    do {                                                                                                     \
        const auto check_ = (expr);                                                                          \
        QVERIFY2(check_.ok(), qPrintable(check_.error));                                                     \
    } while (false)

#define CHECK_FAILS(expr, fragment)                                                                          \
    do {                                                                                                     \
        const auto check_ = (expr);                                                                          \
        QVERIFY2(!check_.ok(), "succeeded but should have failed");                                          \
        QVERIFY2(check_.error.contains(fragment), qPrintable(u"unexpected error: "_s + check_.error));       \
    } while (false)

namespace {

// A plain connection to the same file, to look at or tamper with it.
class RawDb final
{
public:
    explicit RawDb(const QString &path) : m_name(u"tst.raw.%1"_s.arg(s_serial++))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    // For statements expected to fail: no warning.
    bool tryExec(const QString &sql)
    {
        QSqlQuery q(m_db);
        return q.exec(sql);
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_serial = 0;
    QString m_name;
    QSqlDatabase m_db;
};

QByteArray csvOf(const QList<UserMapping> &rows)
{
    QByteArray out("Source;Target\r\n");
    for (const UserMapping &m : rows)
        out += m.source.toUtf8() + ';' + m.target.toUtf8() + "\r\n";
    return out;
}

QList<UserMapping> numberedUsers(int n, const QString &domain = u"warmsushi.com"_s)
{
    QList<UserMapping> rows;
    for (int i = 0; i < n; ++i)
        rows.append({u"user%1@%2"_s.arg(i, 5, 10, QLatin1Char('0')).arg(domain),
                     u"user%1@drypizza.com"_s.arg(i, 5, 10, QLatin1Char('0'))});
    return rows;
}

// waitForFinished() is false for a child that has already been seen to exit.
bool finished(QProcess &p, int ms)
{
    return p.state() == QProcess::NotRunning || p.waitForFinished(ms);
}

QStringList messages(const QList<ActionLogEntry> &entries)
{
    QStringList out;
    for (const ActionLogEntry &e : entries)
        out << e.message;
    return out;
}

} // namespace

class TstConfigStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ConfigStore> m_store;

    QString dbPath() const { return m_dir->filePath(u"mailroute.db"_s); }
    ConfigStore &store() { return *m_store; }
    QString lastLog(std::optional<Area> area)
    {
        const QList<ActionLogEntry> log = store().recentActionLog(area, 1);
        return log.isEmpty() ? QString() : log.constLast().message;
    }

    // Everything a failed call must leave alone.
    struct Fingerprint
    {
        qint64 counter;
        ConfigData draft;
        qint64 logSize;
        qsizetype generations;
        bool operator==(const Fingerprint &o) const
        {
            return counter == o.counter && draft == o.draft && logSize == o.logSize &&
                   generations == o.generations;
        }
    };
    Fingerprint fingerprint()
    {
        return {store().changeCounter(), store().draft(), store().actionLog(std::nullopt, 0, 1000000).size(),
                store().generations().size()};
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<ConfigStore>(dbPath());
        CHECK_OK(m_store->open());
    }

    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    // ---- opening ---------------------------------------------------------------

    void resolveDatabasePath()
    {
        const QByteArray saved = qgetenv("MAILROUTE_DB");
        qunsetenv("MAILROUTE_DB");
        const QString fallback = ConfigStore::resolveDatabasePath();
        QVERIFY(fallback.endsWith(u"/mailroute.db"_s));
        QVERIFY2(fallback.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)),
                 qPrintable(fallback));
        qputenv("MAILROUTE_DB", "/tmp/from-env.db");
        QCOMPARE(ConfigStore::resolveDatabasePath(), u"/tmp/from-env.db"_s);
        QCOMPARE(ConfigStore::resolveDatabasePath(u"/tmp/explicit.db"_s), u"/tmp/explicit.db"_s);
        if (saved.isNull())
            qunsetenv("MAILROUTE_DB");
        else
            qputenv("MAILROUTE_DB", saved);
    }

    void notOpenFailsCleanly()
    {
        ConfigStore closed(m_dir->filePath(u"never-opened.db"_s));
        CHECK_FAILS(closed.addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s), u"not open"_s);
        CHECK_FAILS(closed.push(), u"not open"_s);
        QVERIFY(closed.domainMappings(Area::Relay).isEmpty());
        QCOMPARE(closed.changeCounter(), 0);
        QVERIFY(!QFile::exists(m_dir->filePath(u"never-opened.db"_s)));
        QVERIFY(!closed.planImport(Area::Inbound, csvOf(numberedUsers(1))).ok());
    }

    void twoStoresInOneThread()
    {
        // Each store has its own named connection; destroying one leaves the other working.
        {
            ConfigStore other(dbPath());
            CHECK_OK(other.open());
            CHECK_OK(other.addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s));
        }
        QCOMPARE(store().domainMappings(Area::Relay).size(), 1);
        CHECK_OK(store().addDomainMapping(Area::Relay, u"c.example"_s, u"d.example"_s));
    }

    // ---- domain mappings -------------------------------------------------------

    void addDomainMapping_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("storedSource"); // empty: refused
        QTest::addColumn<QString>("storedTarget");
        QTest::addColumn<QString>("error");
        QTest::newRow("with @") << u"@warmsushi.com"_s << u"@drypizza.com"_s << u"warmsushi.com"_s
                                << u"drypizza.com"_s << QString();
        QTest::newRow("without @") << u"warmsushi.com"_s << u"drypizza.com"_s << u"warmsushi.com"_s
                                   << u"drypizza.com"_s << QString();
        QTest::newRow("case folded") << u"@WarmSushi.COM"_s << u"DryPizza.com."_s << u"warmsushi.com"_s
                                     << u"drypizza.com"_s << QString();
        QTest::newRow("idn to ace") << u"bücher.example"_s << u"books.example"_s << u"xn--bcher-kva.example"_s
                                    << u"books.example"_s << QString();
        QTest::newRow("padded") << u"  warmsushi.com "_s << u"drypizza.com"_s << u"warmsushi.com"_s
                                << u"drypizza.com"_s << QString();
        QTest::newRow("to itself") << u"@warmsushi.com"_s << u"WARMSUSHI.com"_s << QString() << QString()
                                   << u"@warmsushi.com cannot be mapped to itself"_s;
        QTest::newRow("bad source") << u"warm sushi.com"_s << u"drypizza.com"_s << QString() << QString()
                                    << u"invalid source domain"_s;
        QTest::newRow("bad target") << u"warmsushi.com"_s << u"dry_pizza..com"_s << QString() << QString()
                                    << u"invalid target domain"_s;
        QTest::newRow("empty") << QString() << u"drypizza.com"_s << QString() << QString()
                               << u"invalid source domain"_s;
    }

    void addDomainMapping()
    {
        QFETCH(QString, source);
        QFETCH(QString, target);
        QFETCH(QString, storedSource);
        QFETCH(QString, storedTarget);
        QFETCH(QString, error);
        const Fingerprint before = fingerprint();
        const Status st = store().addDomainMapping(Area::Inbound, source, target);
        if (storedSource.isEmpty()) {
            QVERIFY(!st.ok());
            QVERIFY2(st.error.contains(error), qPrintable(st.error));
            QVERIFY(fingerprint() == before);
            return;
        }
        QVERIFY2(st.ok(), qPrintable(st.error));
        QCOMPARE(store().domainMappings(Area::Inbound), QList<DomainMapping>({{storedSource, storedTarget}}));
        QVERIFY(store().domainMappings(Area::Relay).isEmpty());
        QCOMPARE(store().changeCounter(), before.counter + 1);
        QCOMPARE(lastLog(Area::Inbound), u"Domains inserted : @%1 to @%2,"_s.arg(storedSource, storedTarget));
    }

    void duplicateDomainIsRefused()
    {
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"@warmsushi.com"_s, u"@drypizza.com"_s));
        const Fingerprint before = fingerprint();
        const Status st = store().addDomainMapping(Area::Inbound, u"WarmSushi.com"_s, u"other.example"_s);
        QVERIFY(!st.ok());
        QCOMPARE(st.error, u"a domain mapping for @warmsushi.com already exists in Inbound"_s);
        QVERIFY(fingerprint() == before);
        // Areas are independent.
        CHECK_OK(store().addDomainMapping(Area::Relay, u"warmsushi.com"_s, u"other.example"_s));
        CHECK_OK(store().addDomainMapping(Area::Outbound, u"warmsushi.com"_s, u"other.example"_s));
        QCOMPARE(store().domainMappings(Area::Inbound).constFirst().target, u"drypizza.com"_s);
    }

    void domainsAreSorted()
    {
        for (const QString &s : {u"c.example"_s, u"a.example"_s, u"b.example"_s})
            CHECK_OK(store().addDomainMapping(Area::Relay, s, u"z.example"_s));
        const QList<DomainMapping> list = store().domainMappings(Area::Relay);
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).source, u"a.example"_s);
        QCOMPARE(list.at(2).source, u"c.example"_s);
    }

    void updateDomainMapping()
    {
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"x.example"_s, u"y.example"_s));

        CHECK_OK(store().updateDomainMapping(Area::Inbound, u"@A.example"_s, u"a.example"_s, u"c.example"_s));
        QCOMPARE(lastLog(Area::Inbound), u"Domain updated : @a.example to @c.example,"_s);
        CHECK_OK(
            store().updateDomainMapping(Area::Inbound, u"a.example"_s, u"new.example"_s, u"c.example"_s));
        QCOMPARE(
            store().domainMappings(Area::Inbound),
            QList<DomainMapping>({{u"new.example"_s, u"c.example"_s}, {u"x.example"_s, u"y.example"_s}}));

        // Unchanged: success, but nothing written.
        Fingerprint before = fingerprint();
        CHECK_OK(
            store().updateDomainMapping(Area::Inbound, u"new.example"_s, u"new.example"_s, u"c.example"_s));
        QVERIFY(fingerprint() == before);

        CHECK_FAILS(
            store().updateDomainMapping(Area::Inbound, u"new.example"_s, u"x.example"_s, u"c.example"_s),
            u"a domain mapping for @x.example already exists in Inbound"_s);
        CHECK_FAILS(
            store().updateDomainMapping(Area::Inbound, u"gone.example"_s, u"gone.example"_s, u"c.example"_s),
            u"no domain mapping for @gone.example in Inbound"_s);
        CHECK_FAILS(
            store().updateDomainMapping(Area::Inbound, u"new.example"_s, u"new.example"_s, u"new.example"_s),
            u"itself"_s);
        CHECK_FAILS(
            store().updateDomainMapping(Area::Relay, u"new.example"_s, u"new.example"_s, u"d.example"_s),
            u"in Relay"_s);
        QVERIFY(fingerprint() == before);
    }

    void removeDomainMappings()
    {
        for (const QString &s : {u"a.example"_s, u"b.example"_s, u"c.example"_s})
            CHECK_OK(store().addDomainMapping(Area::Inbound, s, u"z.example"_s));

        // One unknown source: nothing removed.
        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().removeDomainMappings(Area::Inbound, {u"a.example"_s, u"nope.example"_s}),
                    u"no domain mapping for @nope.example in Inbound; nothing was removed"_s);
        CHECK_FAILS(store().removeDomainMappings(Area::Relay, {u"a.example"_s}), u"in Relay"_s);
        CHECK_FAILS(store().removeDomainMappings(Area::Inbound, {u"not a domain"_s}), u"invalid"_s);
        QVERIFY(fingerprint() == before);

        const Result<qint64> one = store().removeDomainMappings(Area::Inbound, {u"@B.example"_s});
        CHECK_OK(one);
        QCOMPARE(*one, 1);
        QCOMPARE(lastLog(Area::Inbound), u"Domains deleted : @b.example,"_s);

        const Result<qint64> two =
            store().removeDomainMappings(Area::Inbound, {u"a.example"_s, u"c.example"_s, u"@a.example"_s});
        CHECK_OK(two);
        QCOMPARE(*two, 2);
        QCOMPARE(lastLog(Area::Inbound), u"Domains deleted : @a.example, @c.example,"_s);
        QVERIFY(store().domainMappings(Area::Inbound).isEmpty());
    }

    void removeManyDomainsLogsCount()
    {
        QStringList sources;
        for (int i = 0; i < 12; ++i) {
            sources << u"d%1.example"_s.arg(i);
            CHECK_OK(store().addDomainMapping(Area::Relay, sources.last(), u"z.example"_s));
        }
        const Result<qint64> removed = store().removeDomainMappings(Area::Relay, sources);
        CHECK_OK(removed);
        QCOMPARE(*removed, 12);
        // Issue 12: the first ten named, then how many more.
        QCOMPARE(lastLog(Area::Relay),
                 u"12 domains have been deleted: @d0.example, @d1.example, @d2.example, @d3.example, "
                 "@d4.example, @d5.example, @d6.example, @d7.example, @d8.example, @d9.example and 2 more."_s);
    }

    // ---- user mappings ---------------------------------------------------------

    void addUserMapping_data()
    {
        QTest::addColumn<int>("area");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("storedSource"); // empty: refused
        QTest::addColumn<QString>("storedTarget");
        QTest::addColumn<QString>("error");
        QTest::newRow("plain") << int(Area::Inbound) << u"bob@warmsushi.com"_s << u"bob.owen@drypizza.com"_s
                               << u"bob@warmsushi.com"_s << u"bob.owen@drypizza.com"_s << QString();
        QTest::newRow("spelling kept")
            << int(Area::Outbound) << u"Bob.Owen@WarmSushi.com"_s << u"Bob.Owen@DryPizza.com"_s
            << u"Bob.Owen@warmsushi.com"_s << u"Bob.Owen@drypizza.com"_s << QString();
        QTest::newRow("relay has no users")
            << int(Area::Relay) << u"bob@warmsushi.com"_s << u"bob@drypizza.com"_s << QString() << QString()
            << u"Relay has no user mappings"_s;
        QTest::newRow("to itself") << int(Area::Inbound) << u"Bob@warmsushi.com"_s << u"bob@WARMSUSHI.com"_s
                                   << QString() << QString() << u"cannot be mapped to itself"_s;
        QTest::newRow("bad source") << int(Area::Inbound) << u"bob@"_s << u"bob@drypizza.com"_s << QString()
                                    << QString() << u"invalid source address \"bob@\""_s;
        QTest::newRow("bad target") << int(Area::Inbound) << u"bob@warmsushi.com"_s << u"bob%x@drypizza.com"_s
                                    << QString() << QString() << u"invalid target address"_s;
        QTest::newRow("domain only") << int(Area::Inbound) << u"@warmsushi.com"_s << u"bob@drypizza.com"_s
                                     << QString() << QString() << u"invalid source address"_s;
    }

    void addUserMapping()
    {
        QFETCH(int, area);
        QFETCH(QString, source);
        QFETCH(QString, target);
        QFETCH(QString, storedSource);
        QFETCH(QString, storedTarget);
        QFETCH(QString, error);
        const Area a = Area(area);
        const Fingerprint before = fingerprint();
        const Status st = store().addUserMapping(a, source, target);
        if (storedSource.isEmpty()) {
            QVERIFY(!st.ok());
            QVERIFY2(st.error.contains(error), qPrintable(st.error));
            QVERIFY(fingerprint() == before);
            return;
        }
        QVERIFY2(st.ok(), qPrintable(st.error));
        QCOMPARE(store().userMappings(a), QList<UserMapping>({{storedSource, storedTarget}}));
        QCOMPARE(store().userCount(a), 1);
        QCOMPARE(lastLog(a), u"Users inserted : %1 to %2,"_s.arg(storedSource, storedTarget));
        QCOMPARE(store().changeCounter(), before.counter + 1);
    }

    void duplicateUserIsRefusedCaseInsensitively()
    {
        CHECK_OK(store().addUserMapping(Area::Inbound, u"Bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s));
        const Fingerprint before = fingerprint();
        const Status st = store().addUserMapping(Area::Inbound, u"BOB@WarmSushi.com"_s, u"x@drypizza.com"_s);
        QVERIFY(!st.ok());
        QCOMPARE(st.error, u"a user mapping for BOB@warmsushi.com already exists in Inbound"_s);
        QVERIFY(fingerprint() == before);
        CHECK_OK(store().addUserMapping(Area::Outbound, u"bob@warmsushi.com"_s, u"x@drypizza.com"_s));
    }

    void updateUserMapping()
    {
        CHECK_OK(store().addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"amy@warmsushi.com"_s, u"amy@drypizza.com"_s));
        // A new spelling of the same source is an update, not a duplicate.
        CHECK_OK(store().updateUserMapping(Area::Inbound, u"BOB@warmsushi.com"_s, u"Bob@warmsushi.com"_s,
                                           u"bob.owen@drypizza.com"_s));
        QCOMPARE(lastLog(Area::Inbound), u"User updated : Bob@warmsushi.com to bob.owen@drypizza.com,"_s);
        QCOMPARE(store().userMappings(Area::Inbound, 1, 1),
                 QList<UserMapping>({{u"Bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s}}));
        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().updateUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"amy@warmsushi.com"_s,
                                              u"x@drypizza.com"_s),
                    u"a user mapping for amy@warmsushi.com already exists in Inbound"_s);
        CHECK_FAILS(store().updateUserMapping(Area::Inbound, u"zed@warmsushi.com"_s, u"zed@warmsushi.com"_s,
                                              u"x@drypizza.com"_s),
                    u"no user mapping for zed@warmsushi.com in Inbound"_s);
        CHECK_FAILS(store().updateUserMapping(Area::Relay, u"bob@warmsushi.com"_s, u"bob@warmsushi.com"_s,
                                              u"x@drypizza.com"_s),
                    u"Relay has no user mappings"_s);
        CHECK_OK(store().updateUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"Bob@warmsushi.com"_s,
                                           u"bob.owen@drypizza.com"_s));
        QVERIFY(fingerprint() == before);
    }

    void removeUserMappings()
    {
        CHECK_OK(store().addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob@drypizza.com"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"amy@warmsushi.com"_s, u"amy@drypizza.com"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"cat@warmsushi.com"_s, u"cat@drypizza.com"_s));
        const Fingerprint before = fingerprint();
        CHECK_FAILS(
            store().removeUserMappings(Area::Inbound, {u"bob@warmsushi.com"_s, u"nobody@warmsushi.com"_s}),
            u"no user mapping for nobody@warmsushi.com in Inbound; nothing was removed"_s);
        CHECK_FAILS(store().removeUserMappings(Area::Relay, {u"bob@warmsushi.com"_s}), u"Relay"_s);
        QVERIFY(fingerprint() == before);

        const Result<qint64> one = store().removeUserMappings(Area::Inbound, {u"BOB@warmsushi.com"_s});
        CHECK_OK(one);
        QCOMPARE(*one, 1);
        QCOMPARE(lastLog(Area::Inbound), u"1 user has been deleted: bob@warmsushi.com."_s);
        const Result<qint64> two =
            store().removeUserMappings(Area::Inbound, {u"amy@warmsushi.com"_s, u"cat@warmsushi.com"_s});
        CHECK_OK(two);
        QCOMPARE(*two, 2);
        QCOMPARE(lastLog(Area::Inbound), u"2 users have been deleted: amy@warmsushi.com, cat@warmsushi.com."_s);
        QCOMPARE(store().userCount(Area::Inbound), 0);
    }

    // Issue 12: a deletion names up to ten users, then "and N more".
    void removeManyUsersNamesTen()
    {
        QStringList sources;
        for (int i = 0; i < 50; ++i) {
            sources << u"user%1@warmsushi.com"_s.arg(i, 2, 10, QLatin1Char('0'));
            CHECK_OK(store().addUserMapping(Area::Inbound, sources.last(), u"x%1@drypizza.com"_s.arg(i)));
        }
        const Result<qint64> removed = store().removeUserMappings(Area::Inbound, sources);
        CHECK_OK(removed);
        QCOMPARE(*removed, 50);
        const QString line = lastLog(Area::Inbound);
        QVERIFY2(line.startsWith(u"50 users have been deleted: user00@warmsushi.com, user01@warmsushi.com, "_s),
                 qPrintable(line));
        QVERIFY2(line.endsWith(u", user09@warmsushi.com and 40 more."_s), qPrintable(line));
        QVERIFY2(!line.contains(u"user10@"_s), qPrintable(line));
    }

    void pagingAndFilter()
    {
        const QList<UserMapping> rows = numberedUsers(250);
        const ImportPlan plan = store().planImport(Area::Inbound, csvOf(rows));
        QVERIFY(plan.ok());
        CHECK_OK(store().applyImport(plan));
        CHECK_OK(
            store().addUserMapping(Area::Inbound, u"Zoe.Special@other.example"_s, u"zoe@drypizza.com"_s));

        QCOMPARE(store().userCount(Area::Inbound), 251);
        QCOMPARE(store().userMappings(Area::Inbound).size(), 251);
        const QList<UserMapping> page = store().userMappings(Area::Inbound, 100, 50);
        QCOMPARE(page.size(), 50);
        QCOMPARE(page.constFirst(), rows.at(100));
        QCOMPARE(page.constLast(), rows.at(149));
        QCOMPARE(store().userMappings(Area::Inbound, 240).size(), 11);
        QCOMPARE(store().userMappings(Area::Inbound, 0, 0).size(), 0);

        // Filter on source or target, case-insensitive, LIKE wildcards literal.
        QCOMPARE(store().userCount(Area::Inbound, u"USER0012"_s), 10);
        QCOMPARE(store().userMappings(Area::Inbound, 0, -1, u"user0012"_s).size(), 10);
        QCOMPARE(store().userCount(Area::Inbound, u"zoe.special"_s), 1);
        QCOMPARE(store().userCount(Area::Inbound, u"ZOE@DRYPIZZA"_s), 1);
        QCOMPARE(store().userCount(Area::Inbound, u"%"_s), 0);
        QCOMPARE(store().userCount(Area::Inbound, u"_"_s), 0);
        QCOMPARE(store().userCount(Area::Relay), 0);
        QVERIFY(store().userMappings(Area::Relay).isEmpty());
    }

    void keysetPaging()
    {
        const QList<UserMapping> rows = numberedUsers(250);
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(rows))));
        QList<UserMapping> all;
        QString after;
        for (;;) {
            const QList<UserMapping> page = store().userMappingsAfter(Area::Inbound, after, 60);
            all += page;
            if (page.size() < 60)
                break;
            after = page.constLast().source;
        }
        QCOMPARE(all, rows);
        // The position is case-insensitive, and a filter applies on top.
        QCOMPARE(store().userMappingsAfter(Area::Inbound, u"USER00247@WarmSushi.com"_s, 10), rows.mid(248));
        QCOMPARE(store().userMappingsAfter(Area::Inbound, u"user00100@warmsushi.com"_s, 100, u"user0012"_s),
                 rows.mid(120, 10));
        QVERIFY(store().userMappingsAfter(Area::Relay, QString(), 10).isEmpty());
    }

    void usersSortedBySourceKey()
    {
        CHECK_OK(store().addUserMapping(Area::Inbound, u"bob@b.example"_s, u"x@z.example"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"Amy@b.example"_s, u"x@z.example"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"carl@a.example"_s, u"x@z.example"_s));
        const QList<UserMapping> list = store().userMappings(Area::Inbound);
        QCOMPARE(list.at(0).source, u"Amy@b.example"_s);
        QCOMPARE(list.at(1).source, u"bob@b.example"_s);
        QCOMPARE(list.at(2).source, u"carl@a.example"_s);
    }

    // ---- settings and routes ---------------------------------------------------

    void setSetting_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("stored"); // empty: refused
        QTest::newRow("hostname") << u"relay.hostname"_s << u"mx.example.org"_s << u"mx.example.org"_s;
        QTest::newRow("size canonical") << u"limits.message_size"_s << u"35M"_s << u"36700160"_s;
        QTest::newRow("choice canonical") << u"rewrite.recipient_headers"_s << u"NEVER"_s << u"never"_s;
        QTest::newRow("retired key") << u"rewrite.headers"_s << u"false"_s << QString();
        QTest::newRow("unknown key") << u"relay.colour"_s << u"blue"_s << QString();
        QTest::newRow("bad value") << u"limits.recipients"_s << u"lots"_s << QString();
        QTest::newRow("out of range") << u"relay.max_hops"_s << u"0"_s << QString();
    }

    void setSetting()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, stored);
        const QString defaultValue = store().setting(key);
        const Fingerprint before = fingerprint();
        const Status st = store().setSetting(key, value);
        if (stored.isEmpty()) {
            QVERIFY(!st.ok());
            QVERIFY(!st.error.isEmpty());
            QVERIFY(fingerprint() == before);
            QCOMPARE(store().setting(key), defaultValue);
            QVERIFY(!store().explicitSettings().contains(key));
            return;
        }
        QVERIFY2(st.ok(), qPrintable(st.error));
        QCOMPARE(store().setting(key), stored);
        QCOMPARE(store().explicitSettings().value(key), stored);
        QCOMPARE(store().draft().settings.value(key), stored);
        QCOMPARE(lastLog(std::nullopt), u"Setting changed : %1 = %2"_s.arg(key, stored));
        QCOMPARE(store().recentActionLog(std::nullopt, 1).constFirst().area, std::nullopt);
        QCOMPARE(store().changeCounter(), before.counter + 1);
    }

    void resetSetting()
    {
        QCOMPARE(store().setting(u"limits.recipients"_s), u"100"_s); // the default
        CHECK_OK(store().setSetting(u"limits.recipients"_s, u"250"_s));
        QCOMPARE(store().setting(u"limits.recipients"_s), u"250"_s);
        const qint64 counter = store().changeCounter();
        CHECK_OK(store().setSetting(u"limits.recipients"_s, u"250"_s)); // same value: no write
        QCOMPARE(store().changeCounter(), counter);
        CHECK_OK(store().resetSetting(u"limits.recipients"_s));
        QCOMPARE(store().setting(u"limits.recipients"_s), u"100"_s);
        QVERIFY(store().explicitSettings().isEmpty());
        QCOMPARE(lastLog(std::nullopt), u"Setting reset : limits.recipients = 100 (default)"_s);
        CHECK_FAILS(store().resetSetting(u"no.such.key"_s), u"unknown setting"_s);
        QCOMPARE(store().setting(u"no.such.key"_s), QString());
    }

    // rewrite.headers (before issue 10) in the draft and in a pushed
    // generation: both read as its two successors, the draft once rewritten
    // on open with an action-log line; the pending diff shows no change.
    void retiredRewriteHeadersIsMigrated_data()
    {
        QTest::addColumn<QString>("old");       // empty: never set
        QTest::addColumn<QString>("recipient"); // empty: not explicit (the default applies)
        QTest::addColumn<QString>("sender");
        QTest::newRow("false") << u"false"_s << u"never"_s << u"no"_s;
        QTest::newRow("true") << u"true"_s << u"unsigned"_s << u"yes"_s;
        QTest::newRow("never set") << QString() << QString() << QString();
    }

    void retiredRewriteHeadersIsMigrated()
    {
        QFETCH(QString, old);
        QFETCH(QString, recipient);
        QFETCH(QString, sender);
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().push());
        const ConfigData pushed = *store().generationConfig(1);
        m_store.reset();
        {
            // What an older build left: the old key in the draft and inside generation 1.
            ConfigData legacy = pushed;
            if (!old.isEmpty())
                legacy.settings.insert(u"rewrite.headers"_s, old);
            RawDb raw(dbPath());
            const QByteArray blob = GenerationCodec::encode(legacy);
            QVERIFY(raw.exec(u"UPDATE generations SET snapshot = x'%1' WHERE number = 1"_s
                                 .arg(QString::fromLatin1(blob.toHex()))));
            if (!old.isEmpty())
                QVERIFY(raw.exec(u"INSERT INTO settings (key, value) VALUES ('rewrite.headers', '%1')"_s.arg(old)));
        }
        m_store = std::make_unique<ConfigStore>(dbPath());
        CHECK_OK(m_store->open());

        const QMap<QString, QString> draft = store().explicitSettings();
        QVERIFY(!draft.contains(u"rewrite.headers"_s));
        QCOMPARE(draft.value(u"rewrite.recipient_headers"_s), recipient);
        QCOMPARE(draft.value(u"rewrite.sender_headers"_s), sender);
        QCOMPARE(store().setting(u"rewrite.recipient_headers"_s), recipient.isEmpty() ? u"unsigned"_s : recipient);
        const Result<ConfigData> generation = store().generationConfig(1);
        CHECK_OK(generation);
        QVERIFY(!generation->settings.contains(u"rewrite.headers"_s));
        QCOMPARE(generation->settings.value(u"rewrite.recipient_headers"_s), recipient);
        QCOMPARE(generation->settings.value(u"rewrite.sender_headers"_s), sender);
        QVERIFY2(store().pendingDiff().isEmpty(), qPrintable(store().pendingDiff().toLines().join(u'\n')));
        if (!old.isEmpty())
            QCOMPARE(lastLog(std::nullopt),
                     u"Setting migrated : rewrite.headers = %1 replaced by rewrite.recipient_headers = %2 and "
                     "rewrite.sender_headers = %3"_s.arg(old, recipient, sender));

        // Opening again changes nothing more.
        const qint64 counter = store().changeCounter();
        m_store = std::make_unique<ConfigStore>(dbPath());
        CHECK_OK(m_store->open());
        QCOMPARE(store().changeCounter(), counter);

        // The old key is refused, naming its successors, and changes nothing.
        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().setSetting(u"rewrite.headers"_s, u"false"_s), u"rewrite.recipient_headers"_s);
        CHECK_FAILS(store().resetSetting(u"rewrite.headers"_s), u"rewrite.sender_headers"_s);
        QVERIFY(fingerprint() == before);
    }

    void routes()
    {
        CHECK_OK(store().setRoute(u"@DryPizza.com"_s, u"SMTP.DryPizza.com:25"_s));
        CHECK_OK(store().setRoute(u"a.example"_s, u"[2001:db8::1]:2525"_s));
        CHECK_OK(store().setRoute(u"b.example"_s, u"192.0.2.7"_s));
        QCOMPARE(lastLog(std::nullopt), u"Route set : b.example to 192.0.2.7,"_s);
        CHECK_OK(store().setRoute(u"c.example"_s, u"LocalHost:2525"_s));
        QCOMPARE(store().routes().at(2).nextHop, u"localhost:2525"_s);
        CHECK_OK(store().removeRoute(u"c.example"_s));
        QCOMPARE(store().routes(), QList<TransportRoute>({{u"a.example"_s, u"[2001:db8::1]:2525"_s},
                                                          {u"b.example"_s, u"192.0.2.7"_s},
                                                          {u"drypizza.com"_s, u"smtp.drypizza.com:25"_s}}));
        QCOMPARE(lastLog(std::nullopt), u"Route deleted : c.example,"_s);
        CHECK_OK(store().setRoute(u"b.example"_s, u"relay.b.example"_s)); // replaces
        QCOMPARE(store().routes().at(1).nextHop, u"relay.b.example"_s);

        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"host:0"_s), u"port"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"host:99999"_s), u"port"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"2001:db8::1"_s), u"brackets"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"[256.0.0.1]"_s), u"not an IP address"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"-bad-:25"_s), u"invalid next hop"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, u"host:25x"_s), u"port"_s);
        CHECK_FAILS(store().setRoute(u"c.example"_s, QString()), u"empty"_s);
        CHECK_FAILS(store().setRoute(u"bad domain"_s, u"host.example"_s), u"invalid route domain"_s);
        CHECK_FAILS(store().removeRoute(u"c.example"_s), u"no route for c.example"_s);
        QVERIFY(fingerprint() == before);

        // Postfix syntax: a bracketed host name is that host, without an MX look-up.
        CHECK_OK(store().setRoute(u"c.example"_s, u"[Relay.C.example]:587"_s));
        QCOMPARE(store().routes().at(2).nextHop, u"[relay.c.example]:587"_s);
        CHECK_OK(store().removeRoute(u"c.example"_s));

        CHECK_OK(store().removeRoute(u"@a.example"_s));
        QCOMPARE(lastLog(std::nullopt), u"Route deleted : a.example,"_s);
        QCOMPARE(store().routes().size(), 2);

        // A route's own TLS policy (issue 5): stored, logged, changed alone,
        // and cleared back to the delivery.tls_policy default.
        CHECK_OK(store().setRoute(u"b.example"_s, u"relay.b.example"_s, TlsPolicy::Encrypt));
        QCOMPARE(lastLog(std::nullopt), u"Route set : b.example to relay.b.example (tls encrypt),"_s);
        QCOMPARE(store().routes().at(0).tls, std::optional<TlsPolicy>(TlsPolicy::Encrypt));
        const qint64 counter = store().changeCounter();
        CHECK_OK(store().setRoute(u"b.example"_s, u"relay.b.example"_s, TlsPolicy::Encrypt));
        QCOMPARE(store().changeCounter(), counter); // unchanged: nothing written
        CHECK_OK(store().setRoute(u"b.example"_s, u"relay.b.example"_s));
        QVERIFY(!store().routes().at(0).tls.has_value());
        QCOMPARE(lastLog(std::nullopt), u"Route set : b.example to relay.b.example,"_s);
    }

    // ---- DKIM keys ---------------------------------------------------------------

    static DkimKey dkimKey(const QString &domain, const QString &selector, DkimKeyState state)
    {
        DkimKey k;
        k.domain = domain;
        k.selector = selector;
        k.state = state;
        k.keyFile = u"/var/lib/mailroute/dkim/%1.%2.pem"_s.arg(domain.toLower(), selector.toLower());
        k.publicKey = u"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"_s + selector;
        k.created = 1764979200000;
        return k;
    }

    void dkimKeys()
    {
        CHECK_OK(store().addDkimKey(dkimKey(u"Example.COM"_s, u"MR20261206"_s, DkimKeyState::Active)));
        QCOMPARE(lastLog(std::nullopt), u"DKIM key added : example.com mr20261206 (rsa-2048, active),"_s);
        DkimKey pending = dkimKey(u"example.com"_s, u"mr20261207"_s, DkimKeyState::Pending);
        pending.algorithm = DkimAlgorithm::Ed25519;
        CHECK_OK(store().addDkimKey(pending));
        CHECK_OK(store().addDkimKey(dkimKey(u"b.example"_s, u"s1"_s, DkimKeyState::Active)));
        QList<DkimKey> keys = store().dkimKeys();
        QCOMPARE(keys.size(), 3);
        QCOMPARE(keys.at(0).domain, u"b.example"_s);
        QCOMPARE(keys.at(1).selector, u"mr20261206"_s);
        QCOMPARE(keys.at(2).algorithm, DkimAlgorithm::Ed25519);
        QCOMPARE(store().dkimKeys(u"EXAMPLE.com"_s).size(), 2);
        QCOMPARE(store().draft().dkimKeys, keys);

        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().addDkimKey(dkimKey(u"example.com"_s, u"mr20261206"_s, DkimKeyState::Pending)),
                    u"already has a DKIM key with selector mr20261206"_s);
        CHECK_FAILS(store().addDkimKey(dkimKey(u"example.com"_s, u"other"_s, DkimKeyState::Active)),
                    u"already has an active DKIM key"_s);
        CHECK_FAILS(store().addDkimKey(dkimKey(u"example.com"_s, u"a/b"_s, DkimKeyState::Pending)),
                    u"invalid DKIM selector"_s);
        CHECK_FAILS(store().addDkimKey(dkimKey(u"example.com"_s, u"-x"_s, DkimKeyState::Pending)),
                    u"hyphen"_s);
        CHECK_FAILS(store().addDkimKey(dkimKey(u"bad domain"_s, u"x"_s, DkimKeyState::Pending)),
                    u"invalid DKIM domain"_s);
        DkimKey relative = dkimKey(u"example.com"_s, u"rel"_s, DkimKeyState::Pending);
        relative.keyFile = u"dkim/x.pem"_s;
        CHECK_FAILS(store().addDkimKey(relative), u"absolute path"_s);
        CHECK_FAILS(store().setDkimKeyState(u"example.com"_s, u"nope"_s, DkimKeyState::Active),
                    u"no DKIM key with selector nope"_s);
        CHECK_FAILS(store().removeDkimKey(u"example.com"_s, u"nope"_s), u"no DKIM key with selector nope"_s);
        QVERIFY(fingerprint() == before);

        // Activating the pending key retires the active one, in one step.
        CHECK_OK(store().setDkimKeyState(u"example.com"_s, u"mr20261207"_s, DkimKeyState::Active));
        keys = store().dkimKeys(u"example.com"_s);
        QCOMPARE(keys.at(0).state, DkimKeyState::Retired);
        QVERIFY(keys.at(0).retiredAt >= QDateTime::currentMSecsSinceEpoch() - 60000);
        QCOMPARE(keys.at(1).state, DkimKeyState::Active);
        QCOMPARE(keys.at(1).retiredAt, 0);
        QCOMPARE(lastLog(std::nullopt), u"DKIM key active : example.com mr20261207 (ed25519, active),"_s);

        CHECK_OK(store().removeDkimKey(u"b.example"_s, u"S1"_s));
        QCOMPARE(lastLog(std::nullopt), u"DKIM key deleted : b.example s1 (rsa-2048, active),"_s);
        QCOMPARE(store().dkimKeys().size(), 2);
    }

    void dkimKeysTravelWithGenerations()
    {
        CHECK_OK(store().addDkimKey(dkimKey(u"example.com"_s, u"old"_s, DkimKeyState::Active)));
        CHECK_OK(store().addDkimKey(dkimKey(u"example.com"_s, u"new"_s, DkimKeyState::Pending)));
        QCOMPARE(store().pendingDiff().toLines(),
                 QStringList({u"dkim + example.com new (rsa-2048, pending)"_s,
                              u"dkim + example.com old (rsa-2048, active)"_s}));
        const Result<PushResult> first = store().push();
        QVERIFY2(first.ok(), qPrintable(first.error));
        QCOMPARE(store().generationConfig(first->generation)->dkimKeys, store().dkimKeys());
        QVERIFY(store().pendingDiff().isEmpty());
        QCOMPARE(*store().generationsUseDkimKeyFile(u"/var/lib/mailroute/dkim/example.com.new.pem"_s), true);
        QCOMPARE(*store().generationsUseDkimKeyFile(u"/var/lib/mailroute/dkim/example.com.other.pem"_s), false);

        CHECK_OK(store().setDkimKeyState(u"example.com"_s, u"new"_s, DkimKeyState::Active));
        QCOMPARE(store().pendingDiff().toLines(), QStringList({u"dkim ~ example.com new: pending -> active"_s,
                                                               u"dkim ~ example.com old: active -> retired"_s}));
        const Result<PushResult> second = store().push();
        QVERIFY2(second.ok(), qPrintable(second.error));
        const QList<DkimKey> rotated = store().dkimKeys();

        // Rollback brings the draft's keys back as generation 1 had them.
        const Result<qint64> back = store().rollback();
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(store().dkimKeys(), store().generationConfig(first->generation)->dkimKeys);
        QCOMPARE(store().dkimKeys().at(0).state, DkimKeyState::Pending); // "new"
        QCOMPARE(store().dkimKeys().at(1).state, DkimKeyState::Active);  // "old"
        QVERIFY(store().dkimKeys() != rotated);
    }

    void pushRefusesTwoActiveKeysForADomain()
    {
        CHECK_OK(store().addDkimKey(dkimKey(u"example.com"_s, u"a"_s, DkimKeyState::Active)));
        // A database edited by hand: two active keys. The push refuses it.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst.dkim.raw"_s);
            db.setDatabaseName(dbPath());
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"INSERT INTO dkim_keys (domain, selector, algorithm, state, key_file, public_key, created) "
                           "VALUES ('example.com', 'b', 'rsa-2048', 'active', '/k.pem', 'AAAA', 1)"_s));
        }
        QSqlDatabase::removeDatabase(u"tst.dkim.raw"_s);
        const Result<PushResult> r = store().push();
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"more than one active DKIM key"_s), qPrintable(r.error));
        QVERIFY(store().generations().isEmpty());
    }

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

    // ---- push and rollback -----------------------------------------------------

    void pushNumbersFromOne()
    {
        QVERIFY(!store().activeGeneration());
        QVERIFY(store().generations().isEmpty());
        // The first push stores even an empty draft: the relay needs a generation.
        const Result<PushResult> first = store().push();
        CHECK_OK(first);
        QCOMPARE(first->generation, 1);
        QVERIFY(!first->unchanged);
        QVERIFY(first->snapshot);
        QCOMPARE(first->snapshot->generation(), 1);
        QCOMPARE(store().activeGeneration(), std::optional<qint64>(1));
        QCOMPARE(lastLog(std::nullopt), u"Configuration generation 1 is active."_s);

        CHECK_OK(store().addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s));
        const ConfigDiff pending = store().pendingDiff();
        QCOMPARE(pending.area(Area::Inbound).domainsAdded.size(), 1);
        QCOMPARE(pending.area(Area::Inbound).usersAdded.size(), 1);

        const Result<PushResult> second = store().push();
        CHECK_OK(second);
        QCOMPARE(second->generation, 2);
        QCOMPARE(second->diff.area(Area::Inbound).domainsAdded,
                 QList<DomainMapping>({{u"warmsushi.com"_s, u"drypizza.com"_s}}));
        QVERIFY(second->diff.area(Area::Relay).isEmpty());
        QVERIFY(store().pendingDiff().isEmpty());
        QCOMPARE(second->snapshot->route(Area::Inbound, {u"chloe"_s, u"warmsushi.com"_s}).address.toString(),
                 u"chloe@drypizza.com"_s);

        const QList<GenerationInfo> gens = store().generations();
        QCOMPARE(gens.size(), 2);
        QCOMPARE(gens.at(0).number, 2); // newest first
        QVERIFY(gens.at(0).active);
        QVERIFY(!gens.at(1).active);
        QCOMPARE(gens.at(0).domainCount, 1);
        QCOMPARE(gens.at(0).userCount, 1);
        QCOMPARE(gens.at(1).userCount, 0);
        QVERIFY(qAbs(gens.at(0).created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QCOMPARE(gens.at(0).created.timeSpec(), Qt::UTC);

        const Result<ConfigData> g2 = store().generationConfig(2);
        CHECK_OK(g2);
        QVERIFY(*g2 == store().draft());
        CHECK_FAILS(store().generationConfig(3), u"generation 3 does not exist"_s);

        QCOMPARE(messages(store().actionLog(Area::Inbound)).mid(2),
                 QStringList({u"Update configuration request submitted"_s,
                              u"Configuration generation 2 is active."_s}));
        QVERIFY(messages(store().actionLog(Area::Relay)).isEmpty());
    }

    void unchangedPushStoresNothing()
    {
        CHECK_OK(store().addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().push());
        const Fingerprint before = fingerprint();
        const Result<PushResult> again = store().push();
        CHECK_OK(again);
        QVERIFY(again->unchanged);
        QCOMPARE(again->generation, 1);
        QVERIFY(again->diff.isEmpty());
        QVERIFY(fingerprint() == before);

        // Add and remove again: the draft equals generation 1, so still unchanged.
        CHECK_OK(store().addDomainMapping(Area::Relay, u"c.example"_s, u"d.example"_s));
        CHECK_OK(store().removeDomainMappings(Area::Relay, {u"c.example"_s}));
        const Result<PushResult> third = store().push();
        CHECK_OK(third);
        QVERIFY(third->unchanged);
        QCOMPARE(store().generations().size(), 1);
    }

    void pushLogsPerChangedArea()
    {
        CHECK_OK(store().push());
        CHECK_OK(store().addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().addUserMapping(Area::Outbound, u"x@a.example"_s, u"y@b.example"_s));
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"mx.example.org"_s));
        CHECK_OK(store().push());
        QCOMPARE(lastLog(Area::Relay), u"Configuration generation 2 is active."_s);
        QCOMPARE(lastLog(Area::Outbound), u"Configuration generation 2 is active."_s);
        QVERIFY(lastLog(Area::Inbound).isEmpty());
        // Only a setting changed: the line goes to the log of no area.
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"mx2.example.org"_s));
        const Result<PushResult> p = store().push();
        CHECK_OK(p);
        QCOMPARE(p->diff.settings.size(), 1);
        QCOMPARE(p->diff.settings.constFirst().newValue, u"mx2.example.org"_s);
        const QList<ActionLogEntry> tail = store().recentActionLog(std::nullopt, 2);
        QCOMPARE(messages(tail), QStringList({u"Update configuration request submitted"_s,
                                              u"Configuration generation 3 is active."_s}));
        QCOMPARE(tail.constFirst().area, std::nullopt);
        QCOMPARE(lastLog(Area::Relay), u"Configuration generation 2 is active."_s);
    }

    void pushRefusesInvalidDraft()
    {
        // A database edited by hand (or by an older build) with a value the
        // schema no longer accepts: push refuses and stores nothing.
        CHECK_OK(store().push());
        {
            RawDb raw(dbPath());
            QVERIFY(raw.exec(u"INSERT INTO settings (key, value) VALUES ('limits.recipients', 'many')"_s));
        }
        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().push(), u"limits.recipients"_s);
        QVERIFY(fingerprint() == before);
        QCOMPARE(store().activeGeneration(), std::optional<qint64>(1));
    }

    void pushReportsLint()
    {
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"b.example"_s, u"c.example"_s));
        const Result<PushResult> p = store().push();
        CHECK_OK(p);
        QVERIFY2(!p->lint.isEmpty(), "a chain a -> b -> c should be reported");
    }

    void rollback()
    {
        CHECK_FAILS(store().rollback(), u"no generation is active"_s);
        CHECK_OK(store().addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s));
        CHECK_OK(store().addUserMapping(Area::Inbound, u"Bob@a.example"_s, u"bob@b.example"_s));
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"one.example.org"_s));
        CHECK_OK(store().setRoute(u"b.example"_s, u"mx.b.example"_s));
        CHECK_OK(store().push()); // 1
        const ConfigData one = store().draft();
        CHECK_OK(store().addDomainMapping(Area::Relay, u"c.example"_s, u"d.example"_s));
        CHECK_OK(store().removeUserMappings(Area::Inbound, {u"bob@a.example"_s}));
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"two.example.org"_s));
        CHECK_OK(store().push()); // 2
        const ConfigData two = store().draft();
        CHECK_OK(store().addDomainMapping(Area::Outbound, u"unpushed.example"_s, u"e.example"_s));

        const qint64 counter = store().changeCounter();
        const Result<qint64> back = store().rollback();
        CHECK_OK(back);
        QCOMPARE(*back, 1);
        QCOMPARE(store().activeGeneration(), std::optional<qint64>(1));
        QVERIFY(store().draft() == one); // the draft follows, unpushed edits included
        QCOMPARE(store().userMappings(Area::Inbound).constFirst().source, u"Bob@a.example"_s);
        QVERIFY(store().pendingDiff().isEmpty());
        QCOMPARE(store().changeCounter(), counter + 1);
        QCOMPARE(lastLog(Area::Relay), u"Configuration rolled back to generation 1."_s);
        QCOMPARE(lastLog(Area::Inbound), u"Configuration rolled back to generation 1."_s);
        QVERIFY(lastLog(Area::Outbound).startsWith(u"Domains inserted"_s));

        const Fingerprint before = fingerprint();
        CHECK_FAILS(store().rollback(), u"no earlier generation"_s);
        CHECK_FAILS(store().rollback(1), u"generation 1 is already active"_s);
        CHECK_FAILS(store().rollback(7), u"generation 7 does not exist"_s);
        QVERIFY(fingerprint() == before);

        const Result<qint64> forward = store().rollback(2);
        CHECK_OK(forward);
        QVERIFY(store().draft() == two);
        QCOMPARE(store().activeGeneration(), std::optional<qint64>(2));

        // After a rollback the next push still takes a new number.
        CHECK_OK(store().rollback(1));
        CHECK_OK(store().addDomainMapping(Area::Relay, u"f.example"_s, u"g.example"_s));
        const Result<PushResult> p = store().push();
        CHECK_OK(p);
        QCOMPARE(p->generation, 3);
        QCOMPARE(store().generations().size(), 3);
    }

    void rollbackOfBigList()
    {
        CHECK_OK(store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(20000)))));
        CHECK_OK(store().push());
        CHECK_OK(
            store().applyImport(store().planImport(Area::Inbound, csvOf(numberedUsers(10, u"x.example"_s)))));
        CHECK_OK(store().push());
        CHECK_OK(store().rollback());
        QCOMPARE(store().userCount(Area::Inbound), 20000);
        QCOMPARE(store().userMappings(Area::Inbound, 19999, 1), numberedUsers(20000).mid(19999));
    }

    // ---- logs and counter ------------------------------------------------------

    void actionLogApi()
    {
        CHECK_OK(store().logAction(Area::Inbound, u"first"_s));
        CHECK_OK(store().logAction(std::nullopt, u"second"_s));
        CHECK_OK(store().logAction(Area::Inbound, u"third"_s));
        const QList<ActionLogEntry> all = store().actionLog(std::nullopt);
        QCOMPARE(messages(all), QStringList({u"first"_s, u"second"_s, u"third"_s}));
        QCOMPARE(all.at(0).area, std::optional<Area>(Area::Inbound));
        QCOMPARE(all.at(1).area, std::nullopt);
        QVERIFY(all.at(0).id < all.at(1).id);
        QCOMPARE(all.at(0).time.timeSpec(), Qt::UTC);
        QVERIFY(qAbs(all.at(0).time.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QCOMPARE(messages(store().actionLog(Area::Inbound)), QStringList({u"first"_s, u"third"_s}));
        QCOMPARE(messages(store().actionLog(std::nullopt, all.at(0).id)),
                 QStringList({u"second"_s, u"third"_s}));
        QCOMPARE(messages(store().actionLog(std::nullopt, 0, 1)), QStringList({u"first"_s}));
        QCOMPARE(messages(store().recentActionLog(std::nullopt, 2)), QStringList({u"second"_s, u"third"_s}));
        QVERIFY(store().actionLog(Area::Outbound).isEmpty());
    }

    void changeCounterSeenByOtherConnection()
    {
        ConfigStore other(dbPath());
        CHECK_OK(other.open());
        const qint64 start = other.changeCounter();
        CHECK_OK(store().addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s));
        QCOMPARE(other.changeCounter(), start + 1);
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"mx.example.org"_s));
        QCOMPARE(other.changeCounter(), start + 2);
        CHECK_OK(store().logAction(std::nullopt, u"note"_s));
        QCOMPARE(other.changeCounter(), start + 3);
        CHECK_OK(store().push());
        QCOMPARE(other.changeCounter(), start + 4);
        // Failures and no-ops do not count.
        QVERIFY(!store().addDomainMapping(Area::Relay, u"a.example"_s, u"c.example"_s).ok());
        CHECK_OK(store().push()); // unchanged
        CHECK_OK(store().setSetting(u"relay.hostname"_s, u"mx.example.org"_s));
        QCOMPARE(other.changeCounter(), start + 4);
        // And the other connection's writes are seen here.
        CHECK_OK(other.addDomainMapping(Area::Relay, u"x.example"_s, u"y.example"_s));
        QCOMPARE(store().changeCounter(), start + 5);
        QCOMPARE(store().domainMappings(Area::Relay).size(), 2);
    }

    void messageLog()
    {
        const qint64 counter = store().changeCounter();
        MessageLogEntry received;
        received.time = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
        received.queueId = u"4F2A91C0"_s;
        received.event = MessageEvent::Received;
        received.fields = {{u"client"_s, u"192.0.2.1"_s},
                           {u"size"_s, 1234},
                           {u"recipients"_s, QStringList{u"bob@warmsushi.com"_s}}};
        MessageLogEntry rewritten;
        rewritten.queueId = u"4F2A91C0"_s;
        rewritten.event = MessageEvent::Rewritten;
        rewritten.area = Area::Inbound;
        rewritten.fields = {{u"old"_s, u"bob@warmsushi.com"_s}, {u"new"_s, u"bob.owen@drypizza.com"_s}};
        MessageLogEntry other;
        other.queueId = u"77"_s;
        other.event = MessageEvent::Delivered;
        const Result<qint64> last = store().appendMessageEvents({received, rewritten, other});
        CHECK_OK(last);
        QCOMPARE(store().changeCounter(), counter); // the message log is polled by id

        const QList<MessageLogEntry> all = store().messageLog();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.constLast().id, *last);
        QCOMPARE(all.at(0).time, received.time);
        QCOMPARE(all.at(0).fields.value(u"client"_s).toString(), u"192.0.2.1"_s);
        QCOMPARE(all.at(0).fields.value(u"size"_s).toInt(), 1234);
        QCOMPARE(all.at(0).fields.value(u"recipients"_s).toStringList(), QStringList{u"bob@warmsushi.com"_s});
        QCOMPARE(all.at(1).area, std::optional<Area>(Area::Inbound));
        QCOMPARE(all.at(0).area, std::nullopt);
        QVERIFY(all.at(1).time.isValid());
        QCOMPARE(store().messageLog(all.at(0).id).size(), 2);
        QCOMPARE(store().messageLog(0, 1000, u"4F2A91C0"_s).size(), 2);

        const Result<qint64> pruned =
            store().pruneMessageLog(QDateTime(QDate(2026, 1, 3), QTime(0, 0), Qt::UTC));
        CHECK_OK(pruned);
        QCOMPARE(*pruned, 1);
        QCOMPARE(store().messageLog().size(), 2);

        MessageLogEntry bad;
        CHECK_FAILS(store().appendMessageEvents({other, bad}), u"needs an event"_s);
        QCOMPARE(store().messageLog().size(), 2); // the whole batch or nothing
    }

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

QTEST_GUILESS_MAIN(TstConfigStore)
#include "tst_configstore.moc"
