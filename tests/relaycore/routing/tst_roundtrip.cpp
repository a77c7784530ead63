// Tests for the round-trip rule (roundtrip.h): which Inbound user mappings
// lack their Outbound inverse, which conflict with an Outbound rule, and that
// the inverses it proposes make the relay's own routing (RoutingSnapshot)
// send the replies back under the original address.
#include "relaycore/routing/roundtrip.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"

#include <QRandomGenerator>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

class TestRoundTrip : public QObject
{
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void conflictIsNotOverwritten();
    void waveAgainstOutbound();
    void invalidMappingsAreSkipped();
    void inversesRouteRepliesBack();
};

namespace {

// "inbound user a@x.example b@y.example" / "outbound domain y.example x.example";
// user addresses are kept exactly as written (the function must normalise).
ConfigData build(const QStringList &entries)
{
    ConfigData c;
    for (const QString &e : entries) {
        const QStringList f = e.split(u' ');
        const std::optional<Area> area = areaFromKey(f.value(0));
        if (!area || f.size() != 4)
            qFatal("bad test entry %s", qPrintable(e));
        if (f[1] == "domain"_L1)
            c.area(*area).domains.append(DomainMapping{*normalizeDomain(f[2]), *normalizeDomain(f[3])});
        else
            c.area(*area).users.append(UserMapping{f[2], f[3]});
    }
    return c;
}

// "missing S>T" (the inverse S -> T), "conflict A>B|X>Y" (Inbound A -> B vs
// Outbound X -> Y), "ambiguous T<S1,S2".
QStringList describe(const RoundTripCheck &c)
{
    QStringList out;
    for (const RoundTripGap &g : c.missing)
        out << u"missing %1>%2"_s.arg(g.inverse.source, g.inverse.target);
    for (const RoundTripConflict &x : c.conflicts)
        out << u"conflict %1>%2|%3>%4"_s.arg(x.inbound.source, x.inbound.target, x.outbound.source,
                                             x.outbound.target);
    for (const RoundTripAmbiguity &a : c.ambiguous)
        out << u"ambiguous %1<%2"_s.arg(a.target, a.sources.join(u','));
    return out;
}

} // namespace

void TestRoundTrip::check_data()
{
    QTest::addColumn<QStringList>("config");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("spec example without the Outbound half")
        << QStringList{u"inbound domain warmsushi.com drypizza.com"_s,
                       u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s}
        << QStringList{u"missing bob.owen@drypizza.com>bob@warmsushi.com"_s};
    QTest::newRow("spec example with its Outbound mirror")
        << QStringList{u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound user bob.owen@drypizza.com bob@warmsushi.com"_s}
        << QStringList();
    QTest::newRow("case of local parts and domains does not matter")
        << QStringList{u"inbound user Bob@WarmSushi.com Bob.Owen@DryPizza.com"_s,
                       u"outbound user bob.owen@drypizza.com BOB@warmsushi.com"_s}
        << QStringList();
    QTest::newRow("an IDN and its ACE form are one domain")
        << QStringList{u"inbound user jörg@Bücher.example jorg@drypizza.com"_s,
                       u"outbound user JORG@drypizza.com jörg@xn--bcher-kva.example"_s}
        << QStringList();
    QTest::newRow("the inverse of an IDN mapping is in stored form")
        << QStringList{u"inbound user jörg@Bücher.example Jorg@DryPizza.com"_s}
        << QStringList{u"missing Jorg@drypizza.com>jörg@xn--bcher-kva.example"_s};
    QTest::newRow("an Outbound domain rule that gives the source back is enough")
        << QStringList{u"inbound user bob@warmsushi.com bob@drypizza.com"_s,
                       u"outbound domain drypizza.com warmsushi.com"_s}
        << QStringList();
    QTest::newRow("an Outbound domain rule that gives another address is not")
        << QStringList{u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound domain drypizza.com warmsushi.com"_s}
        << QStringList{u"missing bob.owen@drypizza.com>bob@warmsushi.com"_s};
    QTest::newRow("an Outbound user rule to another address is a conflict")
        << QStringList{u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound user bob.owen@drypizza.com robert@warmsushi.com"_s}
        << QStringList{u"conflict bob@warmsushi.com>bob.owen@drypizza.com|bob.owen@drypizza.com>"
                       "robert@warmsushi.com"_s};
    QTest::newRow("only the Outbound rule in effect counts")
        << QStringList{u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound user bob.owen@drypizza.com bob@warmsushi.com"_s,
                       u"outbound user Bob.Owen@drypizza.com robert@warmsushi.com"_s}
        << QStringList{u"conflict bob@warmsushi.com>bob.owen@drypizza.com|Bob.Owen@drypizza.com>"
                       "robert@warmsushi.com"_s};
    QTest::newRow("only the Inbound rule in effect counts")
        << QStringList{u"inbound user bob@warmsushi.com old@drypizza.com"_s,
                       u"inbound user BOB@warmsushi.com bob.owen@drypizza.com"_s}
        << QStringList{u"missing bob.owen@drypizza.com>BOB@warmsushi.com"_s};
    QTest::newRow("a merge with no way back is ambiguous")
        << QStringList{u"inbound user a@x.example team@y.example"_s,
                       u"inbound user b@x.example Team@y.example"_s,
                       u"inbound user c@x.example c@y.example"_s}
        << QStringList{u"missing c@y.example>c@x.example"_s,
                       u"ambiguous team@y.example<a@x.example,b@x.example"_s};
    QTest::newRow("a merge mapped back to one of its sources is fine")
        << QStringList{u"inbound user a@x.example team@y.example"_s,
                       u"inbound user b@x.example Team@y.example"_s,
                       u"outbound user team@y.example B@x.example"_s}
        << QStringList();
    QTest::newRow("a merge mapped back elsewhere conflicts for each source")
        << QStringList{u"inbound user a@x.example team@y.example"_s,
                       u"inbound user b@x.example team@y.example"_s,
                       u"outbound user team@y.example boss@x.example"_s}
        << QStringList{u"conflict a@x.example>team@y.example|team@y.example>boss@x.example"_s,
                       u"conflict b@x.example>team@y.example|team@y.example>boss@x.example"_s};
    QTest::newRow("a mapping to itself needs no inverse")
        << QStringList{u"inbound user Bob@x.example bob@x.example"_s} << QStringList();
    QTest::newRow("domain rules alone are not user mappings")
        << QStringList{u"inbound domain warmsushi.com drypizza.com"_s} << QStringList();
    QTest::newRow("order follows the Inbound list")
        << QStringList{u"inbound user z@a.example z@b.example"_s, u"inbound user a@a.example a@b.example"_s}
        << QStringList{u"missing z@b.example>z@a.example"_s, u"missing a@b.example>a@a.example"_s};
}

void TestRoundTrip::check()
{
    QFETCH(QStringList, config);
    QFETCH(QStringList, expected);
    const RoundTripCheck c = checkRoundTrip(build(config));
    QCOMPARE(describe(c), expected);
    QCOMPARE(c.isClean(), expected.isEmpty());
}

void TestRoundTrip::conflictIsNotOverwritten()
{
    ConfigData c = build({u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                          u"inbound user alice@warmsushi.com alice.owen@drypizza.com"_s,
                          u"outbound user bob.owen@drypizza.com robert@warmsushi.com"_s});
    const QList<UserMapping> added = addOutboundInverses(c);
    QCOMPARE(added, (QList<UserMapping>{{u"alice.owen@drypizza.com"_s, u"alice@warmsushi.com"_s}}));
    QCOMPARE(c.area(Area::Outbound).users,
             (QList<UserMapping>{{u"bob.owen@drypizza.com"_s, u"robert@warmsushi.com"_s},
                                 {u"alice.owen@drypizza.com"_s, u"alice@warmsushi.com"_s}}));
    // What is left is the conflict, and a second call adds nothing.
    const RoundTripCheck after = checkRoundTrip(c);
    QVERIFY(after.missing.isEmpty());
    QCOMPARE(after.conflicts.size(), qsizetype(1));
    QVERIFY(addOutboundInverses(c).isEmpty());
}

void TestRoundTrip::waveAgainstOutbound()
{
    // A wave's own mappings checked against the configuration's Outbound rules.
    const ConfigData c = build({u"outbound user bob.owen@drypizza.com bob@warmsushi.com"_s});
    const QList<UserMapping> wave{{u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s},
                                  {u"carol@warmsushi.com"_s, u"carol@drypizza.com"_s}};
    const RoundTripCheck r = checkRoundTrip(wave, c.area(Area::Outbound));
    QCOMPARE(r.inverses(), (QList<UserMapping>{{u"carol@drypizza.com"_s, u"carol@warmsushi.com"_s}}));
    QCOMPARE(r.missing.first().inbound, wave.at(1));
}

void TestRoundTrip::invalidMappingsAreSkipped()
{
    const ConfigData c = build({u"inbound user not-an-address bob@drypizza.com"_s,
                                u"inbound user bob@localhost bob@drypizza.com"_s,
                                u"inbound user bob@warmsushi.com bob@drypizza.com"_s});
    QCOMPARE(describe(checkRoundTrip(c)), QStringList{u"missing bob@drypizza.com>bob@warmsushi.com"_s});
}

void TestRoundTrip::inversesRouteRepliesBack()
{
    // Random lists (with case variants, duplicates, merges and Outbound rules
    // of both kinds); after addOutboundInverses, the relay's own routing sends
    // every Inbound target that is not in a conflict or a merge back to its
    // source.
    QRandomGenerator rng(15);
    int roundTrips = 0, created = 0;
    for (int round = 0; round < 200; ++round) {
        ConfigData c;
        const auto addr = [&](const char *domain) -> QString {
            QString local = u"u%1"_s.arg(rng.bounded(12));
            if (rng.bounded(4) == 0)
                local = local.toUpper();
            return local + u'@' + QString::fromLatin1(domain);
        };
        const int n = int(rng.bounded(1, 10));
        for (int i = 0; i < n; ++i)
            c.area(Area::Inbound).users.append({addr("old.example"), addr("new.example")});
        for (int i = int(rng.bounded(4)); i > 0; --i)
            c.area(Area::Outbound).users.append({addr("new.example"), addr("old.example")});
        if (rng.bounded(2))
            c.area(Area::Outbound).domains.append({u"new.example"_s, u"old.example"_s});

        const RoundTripCheck before = checkRoundTrip(c);
        ConfigData fixed = c;
        const QList<UserMapping> added = addOutboundInverses(fixed);
        QCOMPARE(added, before.inverses());
        created += int(added.size());
        const auto snap = RoutingSnapshot::compile(fixed);
        for (const RoundTripGap &g : before.missing) {
            const RouteResult r = snap->route(Area::Outbound, *parseMailbox(g.inbound.target));
            QCOMPARE(r.address.key(), parseMailbox(g.inbound.source)->key());
        }
        const RoundTripCheck after = checkRoundTrip(fixed);
        QVERIFY(after.missing.isEmpty());
        QCOMPARE(after.conflicts, before.conflicts);
        QCOMPARE(after.ambiguous, before.ambiguous);
        // Independently of the check: every Inbound rule in effect whose target
        // is not shared and not in a conflict now round-trips.
        const auto inSnap = RoutingSnapshot::compile(c);
        for (const UserMapping &m : c.area(Area::Inbound).users) {
            const MailAddress s = *parseMailbox(m.source);
            const RouteResult in = inSnap->route(Area::Inbound, s);
            if (in.ruleTarget != m.target)
                continue; // not the rule in effect
            qsizetype sharing = 0;
            for (const UserMapping &o : c.area(Area::Inbound).users)
                sharing +=
                    inSnap->route(Area::Inbound, *parseMailbox(o.source)).address == in.address ? 1 : 0;
            bool conflicted = false;
            for (const RoundTripConflict &x : before.conflicts)
                conflicted = conflicted || x.inbound == m;
            if (sharing > 1 || conflicted || in.address == s)
                continue;
            QCOMPARE(snap->route(Area::Outbound, in.address).address.key(), s.key());
            ++roundTrips;
        }
    }
    // Not vacuous: many inverses were created and checked.
    QVERIFY2(created > 200 && roundTrips > 200, qPrintable(u"%1 %2"_s.arg(created).arg(roundTrips)));
}

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_roundtrip.moc"
