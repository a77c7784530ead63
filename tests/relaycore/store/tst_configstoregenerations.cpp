// ConfigStore: push and rollback (numbering, unchanged pushes, per-area log
// lines, validation, lint), the action log, the change counter seen by
// another connection, and the message log.
#include "tests/relaycore/store/configstoretest.h"

#include "relaycore/store/generationcodec.h"

#include "tests/skiporfail.h"

using namespace Qt::StringLiterals;
using namespace mailroute;
using namespace mailroute::testing;

class TstConfigStoreGenerations : public QObject, private ConfigStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { CHECK_OK(openFresh()); }
    void cleanup() { closeAll(); }

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
};

QTEST_GUILESS_MAIN(TstConfigStoreGenerations)
#include "tst_configstoregenerations.moc"
