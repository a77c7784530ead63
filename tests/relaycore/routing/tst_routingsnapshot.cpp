// Tests for RoutingSnapshot: docs/behaviour.md "Routing precedence" (user, then
// domain, then unchanged), no chains, case-insensitive sources, stored target
// spelling.
#include "relaycore/routing/routingsnapshot.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace mailroute;

Q_DECLARE_METATYPE(mailroute::Area)
Q_DECLARE_METATYPE(mailroute::MatchKind)

class TestRoutingSnapshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void route_data();
    void route();
    void matchKindKeys_data();
    void matchKindKeys();
    void emptyConfig();
    void generationAndConfig();
    void duplicateSourceLastWins();
    void manyUsers();
    void concurrentLookups();
    void resultsOutliveSnapshot();
    void userHitStringsAreIndependent();

private:
    std::shared_ptr<const RoutingSnapshot> m_snapshot;
};

namespace {

QString u8(const char *s)
{
    return QString::fromUtf8(s);
}

MailAddress addr(const QString &text)
{
    const Result<MailAddress> r = parseMailbox(text);
    if (!r)
        qFatal("bad test address %s: %s", qPrintable(text), qPrintable(r.error));
    return *r;
}

// Mappings in their stored form, as the console and the store produce them.
UserMapping user(const char *source, const char *target)
{
    return UserMapping{addr(u8(source)).toString(), addr(u8(target)).toString()};
}

DomainMapping domain(const char *source, const char *target)
{
    return DomainMapping{*normalizeDomain(u8(source)), *normalizeDomain(u8(target))};
}

ConfigData fixture()
{
    ConfigData c;
    AreaConfig &in = c.area(Area::Inbound);
    in.domains << domain("@warmsushi.com", "@drypizza.com") // docs/behaviour.md "Areas and mappings"
               << domain("one.example", "two.example")      // chain: one -> two -> three
               << domain("two.example", "three.example") << domain("@Bücher.example", "@books.example");
    in.users << user("bob@warmsushi.com", "bob.owen@drypizza.com") // docs/behaviour.md "Areas and mappings"
             << user("a@chain.example", "b@chain.example")         // chain: a -> b -> c
             << user("b@chain.example", "c@chain.example")
             << user("ping@loop.example", "pong@loop.example") // loop
             << user("pong@loop.example", "ping@loop.example")
             << user("carol@warmsushi.com", "Carol.Ng@DryPizza.com") // stored target spelling
             << user("müller@bücher.example", "Mueller@drypizza.com")
             << user("x@two.example", "special@drypizza.com");
    AreaConfig &relay = c.area(Area::Relay);
    relay.domains << domain("relayonly.example", "tenant.example");
    AreaConfig &out = c.area(Area::Outbound);
    out.domains << domain("drypizza.com", "warmsushi.com");
    out.users << user("bob.owen@drypizza.com", "bob@warmsushi.com");
    return c;
}

} // namespace

void TestRoutingSnapshot::initTestCase()
{
    m_snapshot = RoutingSnapshot::compile(fixture(), 7);
    QVERIFY(m_snapshot);
}

void TestRoutingSnapshot::route_data()
{
    QTest::addColumn<Area>("area");
    QTest::addColumn<QString>("input");
    QTest::addColumn<MatchKind>("kind");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("ruleSource");
    QTest::addColumn<QString>("ruleTarget");

    const QString none;
    QTest::newRow("spec user") << Area::Inbound << u8("bob@warmsushi.com") << MatchKind::User
                               << u8("bob.owen@drypizza.com") << u8("bob@warmsushi.com")
                               << u8("bob.owen@drypizza.com");
    QTest::newRow("spec domain") << Area::Inbound << u8("chloe@warmsushi.com") << MatchKind::Domain
                                 << u8("chloe@drypizza.com") << u8("@warmsushi.com") << u8("@drypizza.com");
    QTest::newRow("user match ignores case")
        << Area::Inbound << u8("BOB@WarmSushi.COM") << MatchKind::User << u8("bob.owen@drypizza.com")
        << u8("bob@warmsushi.com") << u8("bob.owen@drypizza.com");
    QTest::newRow("domain keeps local part as typed")
        << Area::Inbound << u8("Chloe.X@WARMSUSHI.com") << MatchKind::Domain << u8("Chloe.X@drypizza.com")
        << u8("@warmsushi.com") << u8("@drypizza.com");
    QTest::newRow("stored target spelling")
        << Area::Inbound << u8("CAROL@warmsushi.com") << MatchKind::User << u8("Carol.Ng@drypizza.com")
        << u8("carol@warmsushi.com") << u8("Carol.Ng@drypizza.com");
    QTest::newRow("user chain not followed")
        << Area::Inbound << u8("a@chain.example") << MatchKind::User << u8("b@chain.example")
        << u8("a@chain.example") << u8("b@chain.example");
    QTest::newRow("second link alone")
        << Area::Inbound << u8("b@chain.example") << MatchKind::User << u8("c@chain.example")
        << u8("b@chain.example") << u8("c@chain.example");
    QTest::newRow("loop not followed")
        << Area::Inbound << u8("ping@loop.example") << MatchKind::User << u8("pong@loop.example")
        << u8("ping@loop.example") << u8("pong@loop.example");
    QTest::newRow("domain chain not followed")
        << Area::Inbound << u8("x@one.example") << MatchKind::Domain << u8("x@two.example")
        << u8("@one.example") << u8("@two.example");
    QTest::newRow("domain result would hit a user: not followed")
        << Area::Inbound << u8("X@one.example") << MatchKind::Domain << u8("X@two.example")
        << u8("@one.example") << u8("@two.example");
    QTest::newRow("user beats domain of same domain")
        << Area::Inbound << u8("x@two.example") << MatchKind::User << u8("special@drypizza.com")
        << u8("x@two.example") << u8("special@drypizza.com");
    QTest::newRow("utf8 user ignores case")
        << Area::Inbound << u8("MÜLLER@BÜCHER.example") << MatchKind::User << u8("Mueller@drypizza.com")
        << u8("müller@xn--bcher-kva.example") << u8("Mueller@drypizza.com");
    QTest::newRow("utf8 local domain rule")
        << Area::Inbound << u8("Jürgen@bücher.example") << MatchKind::Domain << u8("Jürgen@books.example")
        << u8("@xn--bcher-kva.example") << u8("@books.example");
    QTest::newRow("miss") << Area::Inbound << u8("nobody@elsewhere.example") << MatchKind::None
                          << u8("nobody@elsewhere.example") << none << none;
    QTest::newRow("miss keeps spelling") << Area::Inbound << u8("NoBody@Elsewhere.example") << MatchKind::None
                                         << u8("NoBody@elsewhere.example") << none << none;
    QTest::newRow("near-miss domain") << Area::Inbound << u8("bob@warmsushi.co") << MatchKind::None
                                      << u8("bob@warmsushi.co") << none << none;
    QTest::newRow("subdomain not matched") << Area::Inbound << u8("bob@mail.warmsushi.com") << MatchKind::None
                                           << u8("bob@mail.warmsushi.com") << none << none;
    QTest::newRow("same bytes other split") << Area::Inbound << u8("bo@bwarmsushi.com") << MatchKind::None
                                            << u8("bo@bwarmsushi.com") << none << none;
    QTest::newRow("local prefix") << Area::Inbound << u8("bobby@warmsushi.com") << MatchKind::Domain
                                  << u8("bobby@drypizza.com") << u8("@warmsushi.com") << u8("@drypizza.com");
    QTest::newRow("areas are independent: relay")
        << Area::Relay << u8("chloe@warmsushi.com") << MatchKind::None << u8("chloe@warmsushi.com") << none
        << none;
    QTest::newRow("relay domain") << Area::Relay << u8("x@RelayOnly.example") << MatchKind::Domain
                                  << u8("x@tenant.example") << u8("@relayonly.example")
                                  << u8("@tenant.example");
    QTest::newRow("relay rule not in inbound")
        << Area::Inbound << u8("x@relayonly.example") << MatchKind::None << u8("x@relayonly.example") << none
        << none;
    QTest::newRow("outbound user") << Area::Outbound << u8("Bob.Owen@drypizza.com") << MatchKind::User
                                   << u8("bob@warmsushi.com") << u8("bob.owen@drypizza.com")
                                   << u8("bob@warmsushi.com");
    QTest::newRow("outbound domain") << Area::Outbound << u8("someone@drypizza.com") << MatchKind::Domain
                                     << u8("someone@warmsushi.com") << u8("@drypizza.com")
                                     << u8("@warmsushi.com");
    QTest::newRow("inbound user not outbound") << Area::Outbound << u8("bob@warmsushi.com") << MatchKind::None
                                               << u8("bob@warmsushi.com") << none << none;
}

void TestRoutingSnapshot::route()
{
    QFETCH(Area, area);
    QFETCH(QString, input);
    QFETCH(MatchKind, kind);
    QFETCH(QString, result);
    QFETCH(QString, ruleSource);
    QFETCH(QString, ruleTarget);

    const MailAddress in = addr(input);
    const RouteResult r = m_snapshot->route(area, in);
    QCOMPARE(matchKindKey(r.kind), matchKindKey(kind));
    QCOMPARE(r.address.toString(), result);
    QCOMPARE(r.ruleSource, ruleSource);
    QCOMPARE(r.ruleTarget, ruleTarget);
    QCOMPARE(matchKindKey(m_snapshot->match(area, in)), matchKindKey(kind));
}

void TestRoutingSnapshot::matchKindKeys_data()
{
    QTest::addColumn<MatchKind>("kind");
    QTest::addColumn<QString>("key");
    QTest::newRow("none") << MatchKind::None << u8("none");
    QTest::newRow("user") << MatchKind::User << u8("user");
    QTest::newRow("domain") << MatchKind::Domain << u8("domain");
}

void TestRoutingSnapshot::matchKindKeys()
{
    QFETCH(MatchKind, kind);
    QFETCH(QString, key);
    QCOMPARE(matchKindKey(kind), key);
}

void TestRoutingSnapshot::emptyConfig()
{
    const auto s = RoutingSnapshot::compile(ConfigData{});
    for (Area a : kAllAreas) {
        const RouteResult r = s->route(a, addr(u8("bob@warmsushi.com")));
        QCOMPARE(matchKindKey(r.kind), u8("none"));
        QCOMPARE(r.address.toString(), u8("bob@warmsushi.com"));
        QVERIFY(r.ruleSource.isEmpty());
        QVERIFY(r.ruleTarget.isEmpty());
    }
}

void TestRoutingSnapshot::generationAndConfig()
{
    QCOMPARE(m_snapshot->generation(), qint64(7));
    QVERIFY(m_snapshot->config() == fixture());
    QCOMPARE(RoutingSnapshot::compile(ConfigData{}, 42)->generation(), qint64(42));
}

void TestRoutingSnapshot::duplicateSourceLastWins()
{
    ConfigData c;
    c.area(Area::Inbound).users << user("dup@warmsushi.com", "first@x.example")
                                << user("other@warmsushi.com", "other@x.example")
                                << user("DUP@warmsushi.com", "second@x.example");
    c.area(Area::Inbound).domains << domain("warmsushi.com", "first.example")
                                  << domain("WarmSushi.com", "second.example");
    const auto s = RoutingSnapshot::compile(c);
    const RouteResult u = s->route(Area::Inbound, addr(u8("dup@warmsushi.com")));
    QCOMPARE(u.address.toString(), u8("second@x.example"));
    QCOMPARE(u.ruleSource, u8("DUP@warmsushi.com"));
    QCOMPARE(s->route(Area::Inbound, addr(u8("other@warmsushi.com"))).address.toString(),
             u8("other@x.example"));
    const RouteResult d = s->route(Area::Inbound, addr(u8("z@warmsushi.com")));
    QCOMPARE(d.address.toString(), u8("z@second.example"));
    QCOMPARE(d.ruleTarget, u8("@second.example"));
}

void TestRoutingSnapshot::manyUsers()
{
    // Enough entries for long probe sequences and colliding tags; every
    // source must still find its own target and no other.
    constexpr int n = 200000;
    ConfigData c;
    QList<UserMapping> &users = c.area(Area::Inbound).users;
    users.reserve(n);
    for (int i = 0; i < n; ++i)
        users.append(UserMapping{QStringLiteral("user%1@d%2.example").arg(i).arg(i % 97),
                                 QStringLiteral("U%1@t%2.example").arg(i).arg(i % 1013)});
    c.area(Area::Inbound).domains << domain("d5.example", "moved.example");
    const auto s = RoutingSnapshot::compile(c);
    for (int i = 0; i < n; i += 7) {
        const MailAddress in{QStringLiteral("USER%1").arg(i), QStringLiteral("d%1.example").arg(i % 97)};
        const RouteResult r = s->route(Area::Inbound, in);
        if (r.kind != MatchKind::User ||
            r.address.toString() != QStringLiteral("U%1@t%2.example").arg(i).arg(i % 1013))
            QFAIL(qPrintable(in.toString() + QStringLiteral(" -> ") + r.address.toString()));
    }
    // user7 lives in d7, not d5: the d5 domain rule applies, not the user.
    const RouteResult miss = s->route(Area::Inbound, MailAddress{u8("user7"), u8("d5.example")});
    QCOMPARE(matchKindKey(miss.kind), u8("domain"));
    QCOMPARE(miss.address.toString(), u8("user7@moved.example"));
    QCOMPARE(matchKindKey(s->match(Area::Inbound, MailAddress{u8("user200000"), u8("d0.example")})),
             u8("none"));
}

void TestRoutingSnapshot::concurrentLookups()
{
    // One snapshot, several threads (docs/architecture.md "Configuration snapshots": shared read-only between
    // sessions).
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([this, &failures] {
            const MailAddress bob = addr(u8("Bob@warmsushi.com"));
            const MailAddress chloe = addr(u8("chloe@warmsushi.com"));
            for (int i = 0; i < 20000; ++i) {
                if (m_snapshot->route(Area::Inbound, bob).address.toString() != u8("bob.owen@drypizza.com"))
                    ++failures;
                if (m_snapshot->route(Area::Inbound, chloe).address.toString() != u8("chloe@drypizza.com"))
                    ++failures;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(failures.load(), 0);
}

void TestRoutingSnapshot::resultsOutliveSnapshot()
{
    // A session may log a result after a push replaced (and freed) the
    // snapshot that produced it: every string in it must still be valid.
    RouteResult userHit;
    RouteResult domainHit;
    {
        ConfigData c;
        c.area(Area::Inbound).domains << domain("gone.example", "Kept.Example");
        c.area(Area::Inbound).users << user("bob@gone.example", "Bob.Owen@kept.example");
        auto s = RoutingSnapshot::compile(c);
        userHit = s->route(Area::Inbound, addr(u8("BOB@gone.example")));
        domainHit = s->route(Area::Inbound, addr(u8("chloe@gone.example")));
        s.reset();
        c = ConfigData{};
    }
    QCOMPARE(userHit.address.toString(), u8("Bob.Owen@kept.example"));
    QCOMPARE(userHit.ruleSource, u8("bob@gone.example"));
    QCOMPARE(userHit.ruleTarget, u8("Bob.Owen@kept.example"));
    QCOMPARE(domainHit.address.toString(), u8("chloe@kept.example"));
    QCOMPARE(domainHit.ruleSource, u8("@gone.example"));
    QCOMPARE(domainHit.ruleTarget, u8("@kept.example"));
    // Usable like any string: modifying a copy leaves the original alone.
    QString d = domainHit.address.domain;
    d.append(u8(".x"));
    QCOMPARE(domainHit.address.domain, u8("kept.example"));
    QCOMPARE(QString::fromUtf16(reinterpret_cast<const char16_t *>(domainHit.address.domain.utf16())),
             u8("kept.example"));
}

void TestRoutingSnapshot::userHitStringsAreIndependent()
{
    // A user hit's three strings share one allocation (routingtable.cpp):
    // each must still be an ordinary, null-terminated QString that can be
    // changed, kept or dropped on its own, in any order.
    const auto nullTerminated = [](const QString &s) { return s.utf16()[s.size()] == 0; };
    for (int order = 0; order < 3; ++order) {
        RouteResult r = m_snapshot->route(Area::Inbound, addr(u8("CAROL@warmsushi.com")));
        QCOMPARE(matchKindKey(r.kind), u8("user"));
        QVERIFY(nullTerminated(r.ruleSource));
        QVERIFY(nullTerminated(r.ruleTarget));
        QVERIFY(nullTerminated(r.address.localPart));
        QString kept[3] = {r.ruleSource, r.ruleTarget, r.address.localPart};
        QString *parts[3] = {&r.ruleSource, &r.ruleTarget, &r.address.localPart};
        // Drop one, grow the next, keep the last as it is.
        *parts[order] = QString();
        parts[(order + 1) % 3]->append(QString(100, QLatin1Char('x')));
        parts[(order + 1) % 3]->replace(0, 1, QLatin1Char('#'));
        QCOMPARE(kept[0], u8("carol@warmsushi.com"));
        QCOMPARE(kept[1], u8("Carol.Ng@drypizza.com"));
        QCOMPARE(kept[2], u8("Carol.Ng"));
        QCOMPARE(*parts[(order + 2) % 3], kept[(order + 2) % 3]);
        QVERIFY(nullTerminated(*parts[(order + 2) % 3]));
        QVERIFY(parts[(order + 1) % 3]->startsWith(QLatin1Char('#')));
        QVERIFY(parts[(order + 1) % 3]->endsWith(QString(100, QLatin1Char('x'))));
        // The last holder of the block may grow in place.
        for (QString &k : kept)
            k = QString();
        QString last = std::move(*parts[(order + 2) % 3]);
        *parts[(order + 1) % 3] = QString();
        last.append(QString(200, QLatin1Char('y')));
        QVERIFY(last.endsWith(QString(200, QLatin1Char('y'))));
        QVERIFY(nullTerminated(last));
    }
}

QTEST_GUILESS_MAIN(TestRoutingSnapshot)
#include "tst_routingsnapshot.moc"
