// ConfigStore: opening, the draft's CRUD and its errors (which must change
// nothing): domain and user mappings, paging, settings, routes, DKIM keys.
// The import, push and rollback, logs and concurrency are in
// tst_configstoreimport.cpp, tst_configstoregenerations.cpp and
// tst_configstoreconcurrency.cpp.
#include "tests/relaycore/store/configstoretest.h"

#include "relaycore/store/generationcodec.h"

#include <algorithm>

#include "tests/skiporfail.h"

using namespace Qt::StringLiterals;
using namespace mailroute;
using namespace mailroute::testing;

class TstConfigStore : public QObject, private ConfigStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { CHECK_OK(openFresh()); }
    void cleanup() { closeAll(); }

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
        QCOMPARE(
            lastLog(Area::Relay),
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
        QCOMPARE(lastLog(Area::Inbound),
                 u"2 users have been deleted: amy@warmsushi.com, cat@warmsushi.com."_s);
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
        QVERIFY2(
            line.startsWith(u"50 users have been deleted: user00@warmsushi.com, user01@warmsushi.com, "_s),
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
            QVERIFY(raw.exec(u"UPDATE generations SET snapshot = x'%1' WHERE number = 1"_s.arg(
                QString::fromLatin1(blob.toHex()))));
            if (!old.isEmpty())
                QVERIFY(raw.exec(
                    u"INSERT INTO settings (key, value) VALUES ('rewrite.headers', '%1')"_s.arg(old)));
        }
        m_store = std::make_unique<ConfigStore>(dbPath());
        CHECK_OK(m_store->open());

        const QMap<QString, QString> draft = store().explicitSettings();
        QVERIFY(!draft.contains(u"rewrite.headers"_s));
        QCOMPARE(draft.value(u"rewrite.recipient_headers"_s), recipient);
        QCOMPARE(draft.value(u"rewrite.sender_headers"_s), sender);
        QCOMPARE(store().setting(u"rewrite.recipient_headers"_s),
                 recipient.isEmpty() ? u"unsigned"_s : recipient);
        const Result<ConfigData> generation = store().generationConfig(1);
        CHECK_OK(generation);
        QVERIFY(!generation->settings.contains(u"rewrite.headers"_s));
        QCOMPARE(generation->settings.value(u"rewrite.recipient_headers"_s), recipient);
        QCOMPARE(generation->settings.value(u"rewrite.sender_headers"_s), sender);
        QVERIFY2(store().pendingDiff().isEmpty(), qPrintable(store().pendingDiff().toLines().join(u'\n')));
        if (!old.isEmpty())
            QCOMPARE(
                lastLog(std::nullopt),
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
        QCOMPARE(*store().generationsUseDkimKeyFile(u"/var/lib/mailroute/dkim/example.com.other.pem"_s),
                 false);

        CHECK_OK(store().setDkimKeyState(u"example.com"_s, u"new"_s, DkimKeyState::Active));
        QCOMPARE(store().pendingDiff().toLines(),
                 QStringList({u"dkim ~ example.com new: pending -> active"_s,
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
            QVERIFY(q.exec(
                u"INSERT INTO dkim_keys (domain, selector, algorithm, state, key_file, public_key, created) "
                "VALUES ('example.com', 'b', 'rsa-2048', 'active', '/k.pem', 'AAAA', 1)"_s));
        }
        QSqlDatabase::removeDatabase(u"tst.dkim.raw"_s);
        const Result<PushResult> r = store().push();
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(u"more than one active DKIM key"_s), qPrintable(r.error));
        QVERIFY(store().generations().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstConfigStore)
#include "tst_configstore.moc"
