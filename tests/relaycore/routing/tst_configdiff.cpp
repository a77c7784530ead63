// Tests for diffConfig / ConfigDiff::toLines: what a push would change,
// users joined case-insensitively, domains exactly, lines in a fixed order.
#include "relaycore/routing/configdiff.h"

#include "relaycore/routing/mailaddress.h"

#include <QTest>

using namespace mailroute;

class TestConfigDiff : public QObject
{
    Q_OBJECT

private slots:
    void lines_data();
    void lines();
    void structuredResult();
    void settingsAgainstTheirDefault();
    void largeUserLists();
};

namespace {

// A configuration in a compact text form, one entry per string:
//   "inbound domain warmsushi.com drypizza.com"
//   "outbound user bob@warmsushi.com bob.owen@drypizza.com"
//   "setting relay.hostname mx.example"
//   "route drypizza.com smtp.drypizza.com:25"
//   "dkim example.com mr20261206 rsa-2048 active [PUBLICKEY]"
// Addresses and domains go through the real parsers, as the store's do.
ConfigData build(const QStringList &entries)
{
    ConfigData c;
    for (const QString &e : entries) {
        const QStringList f = e.split(QLatin1Char(' '));
        if (f.value(0) == QLatin1String("setting")) {
            c.settings.insert(f.value(1), f.value(2));
        } else if (f.value(0) == QLatin1String("dkim")) {
            DkimKey k;
            k.domain = *normalizeDomain(f.value(1));
            k.selector = f.value(2);
            k.algorithm = *parseDkimAlgorithm(f.value(3));
            k.state = *parseDkimKeyState(f.value(4));
            k.publicKey = f.value(5, QStringLiteral("MIIB"));
            k.keyFile = QStringLiteral("/var/lib/mailroute/dkim/") + k.domain + QLatin1Char('.') +
                        k.selector + QStringLiteral(".pem");
            c.dkimKeys.append(k);
        } else if (f.value(0) == QLatin1String("route")) {
            c.routes.append(TransportRoute{*normalizeDomain(f.value(1)), f.value(2)});
        } else {
            const std::optional<Area> area = areaFromKey(f.value(0));
            if (!area || f.size() != 4)
                qFatal("bad test entry %s", qPrintable(e));
            if (f[1] == QLatin1String("domain")) {
                c.area(*area).domains.append(DomainMapping{*normalizeDomain(f[2]), *normalizeDomain(f[3])});
            } else {
                const Result<MailAddress> s = parseMailbox(f[2]);
                const Result<MailAddress> t = parseMailbox(f[3]);
                if (!s || !t)
                    qFatal("bad test address in %s", qPrintable(e));
                c.area(*area).users.append(UserMapping{s->toString(), t->toString()});
            }
        }
    }
    return c;
}

} // namespace

void TestConfigDiff::lines_data()
{
    QTest::addColumn<QStringList>("from");
    QTest::addColumn<QStringList>("to");
    QTest::addColumn<QStringList>("expected");

    const QStringList spec{QStringLiteral("inbound domain warmsushi.com drypizza.com"),
                           QStringLiteral("inbound user bob@warmsushi.com bob.owen@drypizza.com")};
    QTest::newRow("identical") << spec << spec << QStringList();
    QTest::newRow("reordered") << spec << QStringList{spec[1], spec[0]} << QStringList();
    QTest::newRow("empty to spec") << QStringList() << spec
                                   << QStringList{
                                          QStringLiteral("inbound domain + @warmsushi.com -> @drypizza.com"),
                                          QStringLiteral("inbound user + bob@warmsushi.com -> "
                                                         "bob.owen@drypizza.com")};
    QTest::newRow("spec to empty") << spec << QStringList()
                                   << QStringList{
                                          QStringLiteral("inbound domain - @warmsushi.com -> @drypizza.com"),
                                          QStringLiteral("inbound user - bob@warmsushi.com -> "
                                                         "bob.owen@drypizza.com")};
    QTest::newRow("domains added removed changed")
        << QStringList{QStringLiteral("inbound domain old.example new.example"),
                       QStringLiteral("inbound domain a.example b.example")}
        << QStringList{QStringLiteral("inbound domain warmsushi.com drypizza.com"),
                       QStringLiteral("inbound domain a.example c.example")}
        << QStringList{QStringLiteral("inbound domain ~ @a.example: @b.example -> @c.example"),
                       QStringLiteral("inbound domain - @old.example -> @new.example"),
                       QStringLiteral("inbound domain + @warmsushi.com -> @drypizza.com")};
    QTest::newRow("users added removed changed")
        << QStringList{QStringLiteral("inbound user carol@warmsushi.com carol@drypizza.com"),
                       QStringLiteral("inbound user dave@warmsushi.com dave@drypizza.com")}
        << QStringList{QStringLiteral("inbound user dave@warmsushi.com david@drypizza.com"),
                       QStringLiteral("inbound user bob@warmsushi.com bob.owen@drypizza.com")}
        << QStringList{
               QStringLiteral("inbound user + bob@warmsushi.com -> bob.owen@drypizza.com"),
               QStringLiteral("inbound user - carol@warmsushi.com -> carol@drypizza.com"),
               QStringLiteral("inbound user ~ dave@warmsushi.com: dave@drypizza.com -> david@drypizza.com")};
    QTest::newRow("user source compared case-insensitively")
        << QStringList{QStringLiteral("inbound user BOB@WarmSushi.com a@drypizza.com")}
        << QStringList{QStringLiteral("inbound user bob@warmsushi.com b@drypizza.com")}
        << QStringList{
               QStringLiteral("inbound user ~ bob@warmsushi.com (was BOB@warmsushi.com): a@drypizza.com -> "
                              "b@drypizza.com")};
    QTest::newRow("source spelling only")
        << QStringList{QStringLiteral("inbound user Bob@warmsushi.com a@drypizza.com")}
        << QStringList{QStringLiteral("inbound user bob@warmsushi.com a@drypizza.com")}
        << QStringList{
               QStringLiteral("inbound user ~ bob@warmsushi.com (was Bob@warmsushi.com): a@drypizza.com -> "
                              "a@drypizza.com")};
    QTest::newRow("target spelling is a change")
        << QStringList{QStringLiteral("inbound user bob@warmsushi.com bob.owen@drypizza.com")}
        << QStringList{QStringLiteral("inbound user bob@warmsushi.com Bob.Owen@drypizza.com")}
        << QStringList{QStringLiteral("inbound user ~ bob@warmsushi.com: bob.owen@drypizza.com -> "
                                      "Bob.Owen@drypizza.com")};
    QTest::newRow("domain case is normalised, no change")
        << QStringList{QStringLiteral("inbound domain WarmSushi.com drypizza.com")}
        << QStringList{QStringLiteral("inbound domain warmsushi.com. DRYPIZZA.com")} << QStringList();
    QTest::newRow("areas are separate and ordered")
        << QStringList{QStringLiteral("outbound domain drypizza.com warmsushi.com")}
        << QStringList{QStringLiteral("outbound user zed@drypizza.com zed@warmsushi.com"),
                       QStringLiteral("relay domain moving.example tenant.example"),
                       QStringLiteral("inbound domain drypizza.com warmsushi.com")}
        << QStringList{QStringLiteral("relay domain + @moving.example -> @tenant.example"),
                       QStringLiteral("inbound domain + @drypizza.com -> @warmsushi.com"),
                       QStringLiteral("outbound domain - @drypizza.com -> @warmsushi.com"),
                       QStringLiteral("outbound user + zed@drypizza.com -> zed@warmsushi.com")};
    QTest::newRow("domain lines before user lines")
        << QStringList()
        << QStringList{QStringLiteral("inbound user aaa@a.example aaa@b.example"),
                       QStringLiteral("inbound domain zzz.example b.example")}
        << QStringList{QStringLiteral("inbound domain + @zzz.example -> @b.example"),
                       QStringLiteral("inbound user + aaa@a.example -> aaa@b.example")};
    QTest::newRow("sorted by source")
        << QStringList()
        << QStringList{QStringLiteral("inbound user c@x.example c@y.example"),
                       QStringLiteral("inbound user A@x.example a@y.example"),
                       QStringLiteral("inbound user b@x.example b@y.example")}
        << QStringList{QStringLiteral("inbound user + A@x.example -> a@y.example"),
                       QStringLiteral("inbound user + b@x.example -> b@y.example"),
                       QStringLiteral("inbound user + c@x.example -> c@y.example")};
    QTest::newRow("idn domain") << QStringList()
                                << QStringList{QStringLiteral("inbound domain bücher.example books.example")}
                                << QStringList{QStringLiteral(
                                       "inbound domain + @xn--bcher-kva.example -> @books.example")};
    QTest::newRow("settings") << QStringList{QStringLiteral("setting relay.hostname old.example"),
                                             QStringLiteral("setting retry.schedule 5m,20m,60m")}
                              << QStringList{QStringLiteral("setting relay.hostname mx.example"),
                                             QStringLiteral("setting relay.postmaster admin@example.org")}
                              << QStringList{
                                     QStringLiteral("setting ~ relay.hostname: old.example -> mx.example"),
                                     QStringLiteral("setting + relay.postmaster: admin@example.org"),
                                     QStringLiteral("setting - retry.schedule: 5m,20m,60m")};
    QTest::newRow("routes") << QStringList{QStringLiteral("route a.example mx1.a.example:25"),
                                           QStringLiteral("route b.example mx.b.example")}
                            << QStringList{QStringLiteral("route drypizza.com smtp.drypizza.com:25"),
                                           QStringLiteral("route a.example mx2.a.example:2525")}
                            << QStringList{QStringLiteral(
                                               "route ~ a.example: mx1.a.example:25 -> mx2.a.example:2525"),
                                           QStringLiteral("route - b.example -> mx.b.example"),
                                           QStringLiteral("route + drypizza.com -> smtp.drypizza.com:25")};
    QTest::newRow("areas, then settings, then routes")
        << QStringList()
        << QStringList{QStringLiteral("route a.example mx.a.example"), QStringLiteral("setting a.b c"),
                       QStringLiteral("outbound domain a.example b.example")}
        << QStringList{QStringLiteral("outbound domain + @a.example -> @b.example"),
                       QStringLiteral("setting + a.b: c"),
                       QStringLiteral("route + a.example -> mx.a.example")};
    QTest::newRow("dkim keys")
        << QStringList{QStringLiteral("dkim example.com mr20261101 rsa-2048 active"),
                       QStringLiteral("dkim example.com mr20261206 rsa-2048 pending"),
                       QStringLiteral("dkim old.example s1 ed25519 retired"),
                       QStringLiteral("dkim b.example s1 rsa-2048 active AAAA")}
        << QStringList{QStringLiteral("dkim example.com mr20261101 rsa-2048 retired"),
                       QStringLiteral("dkim example.com mr20261206 rsa-2048 active"),
                       QStringLiteral("dkim b.example s1 rsa-3072 active BBBB"),
                       QStringLiteral("dkim c.example mr20261206 rsa-2048 active"),
                       QStringLiteral("route a.example mx.a.example")}
        << QStringList{QStringLiteral("route + a.example -> mx.a.example"),
                       QStringLiteral("dkim ~ b.example s1: (rsa-2048, active) -> (rsa-3072, active)"),
                       QStringLiteral("dkim + c.example mr20261206 (rsa-2048, active)"),
                       QStringLiteral("dkim ~ example.com mr20261101: active -> retired"),
                       QStringLiteral("dkim ~ example.com mr20261206: pending -> active"),
                       QStringLiteral("dkim - old.example s1 (ed25519, retired)")};
    QTest::newRow("duplicate source: last wins")
        << QStringList{QStringLiteral("inbound user bob@x.example one@y.example")}
        << QStringList{QStringLiteral("inbound user bob@x.example one@y.example"),
                       QStringLiteral("inbound user Bob@x.example two@y.example")}
        << QStringList{QStringLiteral("inbound user ~ Bob@x.example (was bob@x.example): one@y.example -> "
                                      "two@y.example")};
}

void TestConfigDiff::lines()
{
    QFETCH(QStringList, from);
    QFETCH(QStringList, to);
    QFETCH(QStringList, expected);

    const ConfigDiff diff = diffConfig(build(from), build(to));
    QCOMPARE(diff.toLines(), expected);
    QCOMPARE(diff.isEmpty(), expected.isEmpty());
}

void TestConfigDiff::structuredResult()
{
    const ConfigData from = build({QStringLiteral("inbound domain a.example b.example"),
                                   QStringLiteral("inbound user bob@a.example bob@b.example"),
                                   QStringLiteral("inbound user old@a.example old@b.example")});
    const ConfigData to = build({QStringLiteral("inbound domain a.example c.example"),
                                 QStringLiteral("inbound user BOB@a.example robert@b.example"),
                                 QStringLiteral("inbound user new@a.example new@b.example")});
    const ConfigDiff diff = diffConfig(from, to);
    const AreaDiff &in = diff.area(Area::Inbound);
    QVERIFY(diff.area(Area::Relay).isEmpty());
    QVERIFY(diff.area(Area::Outbound).isEmpty());
    QVERIFY(!in.isEmpty());
    QCOMPARE(in.domainsChanged.size(), 1);
    QCOMPARE(in.domainsChanged[0].first.target, QStringLiteral("b.example"));
    QCOMPARE(in.domainsChanged[0].second.target, QStringLiteral("c.example"));
    QVERIFY(in.domainsAdded.isEmpty());
    QVERIFY(in.domainsRemoved.isEmpty());
    QCOMPARE(in.usersChanged.size(), 1);
    QCOMPARE(in.usersChanged[0].first.source, QStringLiteral("bob@a.example"));
    QCOMPARE(in.usersChanged[0].second.source, QStringLiteral("BOB@a.example"));
    QCOMPARE(in.usersAdded, (QList<UserMapping>{UserMapping{QStringLiteral("new@a.example"),
                                                            QStringLiteral("new@b.example")}}));
    QCOMPARE(in.usersRemoved, (QList<UserMapping>{UserMapping{QStringLiteral("old@a.example"),
                                                              QStringLiteral("old@b.example")}}));
    QVERIFY(diff.settings.isEmpty());
    QVERIFY(diffConfig(to, to).isEmpty());
}

void TestConfigDiff::settingsAgainstTheirDefault()
{
    // Unset means the default: once the schema's default is known
    // (describeSettingDefaults), setting or resetting reads old -> new.
    ConfigDiff diff = diffConfig(build({QStringLiteral("setting retry.schedule 1m,5m")}),
                                 build({QStringLiteral("setting relay.listen 127.0.0.1:2525"),
                                        QStringLiteral("setting relay.postmaster admin@example.org")}));
    QCOMPARE(diff.settings.size(), 3);
    for (SettingChange &c : diff.settings) {
        if (c.key == QLatin1String("relay.listen"))
            c.defaultValue = QStringLiteral("0.0.0.0:25");
        else if (c.key == QLatin1String("retry.schedule"))
            c.defaultValue = QStringLiteral("5m,20m,60m");
        // relay.postmaster: empty by default, so "+" as before
    }
    QCOMPARE(diff.toLines(),
             (QStringList{QStringLiteral("setting ~ relay.listen: 0.0.0.0:25 (default) -> 127.0.0.1:2525"),
                          QStringLiteral("setting + relay.postmaster: admin@example.org"),
                          QStringLiteral("setting ~ retry.schedule: 1m,5m -> 5m,20m,60m (default)")}));
}

void TestConfigDiff::largeUserLists()
{
    // Migration scale, with every kind of change; counts must be exact.
    constexpr int n = 200000;
    ConfigData from;
    ConfigData to;
    QList<UserMapping> &f = from.area(Area::Inbound).users;
    QList<UserMapping> &t = to.area(Area::Inbound).users;
    f.reserve(n);
    t.reserve(n);
    for (int i = 0; i < n; ++i)
        f.append(UserMapping{QStringLiteral("user%1@src.example").arg(i),
                             QStringLiteral("u%1@dst.example").arg(i)});
    // New list in reverse order: drop every 10th, retarget every 7th, add 1000,
    // and upper-case every 3rd source (the same source for the join).
    int expectRemoved = 0;
    int expectChanged = 0;
    for (int i = n - 1; i >= 0; --i) {
        if (i % 10 == 0) {
            ++expectRemoved;
            continue;
        }
        const QString source = i % 3 == 0 ? QStringLiteral("USER%1@src.example").arg(i)
                                          : QStringLiteral("user%1@src.example").arg(i);
        const bool retarget = i % 7 == 0;
        if (retarget || i % 3 == 0)
            ++expectChanged;
        t.append(UserMapping{source, retarget ? QStringLiteral("moved%1@dst.example").arg(i)
                                              : QStringLiteral("u%1@dst.example").arg(i)});
    }
    for (int i = 0; i < 1000; ++i)
        t.append(UserMapping{QStringLiteral("fresh%1@src.example").arg(i),
                             QStringLiteral("f%1@dst.example").arg(i)});

    const ConfigDiff diff = diffConfig(from, to);
    const AreaDiff &in = diff.area(Area::Inbound);
    QCOMPARE(in.usersRemoved.size(), qsizetype(expectRemoved));
    QCOMPARE(in.usersChanged.size(), qsizetype(expectChanged));
    QCOMPARE(in.usersAdded.size(), qsizetype(1000));
    const QStringList lines = diff.toLines();
    QCOMPARE(lines.size(), qsizetype(expectRemoved + expectChanged + 1000));
    QCOMPARE(lines.first(), QStringLiteral("inbound user + fresh0@src.example -> f0@dst.example"));
}

QTEST_GUILESS_MAIN(TestConfigDiff)
#include "tst_configdiff.moc"
