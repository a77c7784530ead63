// Tests for lintConfig: the warnings a migration admin sees before a push.
#include "relaycore/routing/allowedsenderslint.h"
#include "relaycore/routing/configlint.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/relayhostname.h"
#include "relaycore/routing/roundtrip.h"

#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

class TestConfigLint : public QObject
{
    Q_OBJECT

private slots:
    // The machine's own name must not add a finding to these configurations.
    void initTestCase() { setMachineHostNameForTesting(QStringLiteral("relay.lint.test")); }
    void findings_data();
    void findings();
    void manyFindingsAreCapped();
    void transportSecurity();
    void singleLabelMachineName();
    void networksOverlap_data();
    void networksOverlap();
    void allowedSenders();
    void roundTrip_data();
    void roundTrip();
    void roundTripOnTheSeed();
};

namespace {

// Same compact form as tst_configdiff: "inbound domain a.example b.example",
// "outbound user bob@a.example bob@b.example"; through the real parsers.
ConfigData build(const QStringList &entries)
{
    ConfigData c;
    for (const QString &e : entries) {
        const QStringList f = e.split(QLatin1Char(' '));
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
    return c;
}

// "inbound|warning|fragment one|fragment two": area key ("-" when the
// finding spans areas), severity, and fragments its message must contain.
QString describe(const LintFinding &f)
{
    return (f.area ? areaKey(*f.area) : QStringLiteral("-")) + QLatin1Char('|') +
           (f.severity == LintFinding::Severity::Info ? QStringLiteral("info") : QStringLiteral("warning")) +
           QLatin1Char('|') + f.message;
}

bool matches(const LintFinding &f, const QString &expectation)
{
    const QStringList parts = expectation.split(QLatin1Char('|'));
    const QString area = f.area ? areaKey(*f.area) : QStringLiteral("-");
    const QString severity =
        f.severity == LintFinding::Severity::Info ? QStringLiteral("info") : QStringLiteral("warning");
    if (parts.size() < 3 || parts[0] != area || parts[1] != severity)
        return false;
    for (qsizetype i = 2; i < parts.size(); ++i) {
        if (!f.message.contains(parts[i]))
            return false;
    }
    return true;
}

} // namespace

void TestConfigLint::findings_data()
{
    QTest::addColumn<QStringList>("config");
    QTest::addColumn<QStringList>("expected"); // each matched by its own finding, nothing else

    QTest::newRow("spec example is clean")
        << QStringList{QStringLiteral("inbound domain warmsushi.com drypizza.com"),
                       QStringLiteral("inbound user bob@warmsushi.com bob.owen@drypizza.com")}
        << QStringList();
    QTest::newRow("outbound mirror is clean")
        << QStringList{QStringLiteral("outbound domain drypizza.com warmsushi.com"),
                       QStringLiteral("outbound user bob.owen@drypizza.com bob@warmsushi.com")}
        << QStringList();
    QTest::newRow("relay and inbound both map a domain")
        << QStringList{QStringLiteral("relay domain warmsushi.com tenant.example"),
                       QStringLiteral("inbound domain WarmSushi.com drypizza.com")}
        << QStringList{QStringLiteral("-|warning|@warmsushi.com|Relay (@warmsushi.com -> @tenant.example)|"
                                      "Inbound (@warmsushi.com -> @drypizza.com)|Relay rule never applies")};
    QTest::newRow("relay and inbound different domains")
        << QStringList{QStringLiteral("relay domain a.example b.example"),
                       QStringLiteral("inbound domain c.example d.example")}
        << QStringList();
    QTest::newRow("user chain")
        << QStringList{QStringLiteral("inbound domain chain.example out.example"),
                       QStringLiteral("inbound user a@chain.example b@chain.example"),
                       QStringLiteral("inbound user b@chain.example c@out.example")}
        << QStringList{
               QStringLiteral("inbound|warning|a@chain.example -> b@chain.example is followed by "
                              "b@chain.example -> c@out.example|a@chain.example goes to b@chain.example")};
    QTest::newRow("user chain through case")
        << QStringList{QStringLiteral("inbound domain chain.example out.example"),
                       QStringLiteral("inbound user a@chain.example B@chain.example"),
                       QStringLiteral("inbound user b@chain.example c@out.example")}
        << QStringList{QStringLiteral("inbound|warning|a@chain.example -> B@chain.example is followed by "
                                      "b@chain.example -> c@out.example")};
    QTest::newRow("user result hits a domain rule")
        << QStringList{QStringLiteral("inbound domain x.example z.example"),
                       QStringLiteral("inbound domain y.example z.example"),
                       QStringLiteral("inbound user a@x.example b@y.example")}
        << QStringList{
               QStringLiteral("inbound|warning|a@x.example -> b@y.example is followed by @y.example -> "
                              "@z.example"),
               QStringLiteral("inbound|warning|2 domains map to @z.example|@x.example, @y.example")};
    QTest::newRow("user loop")
        << QStringList{QStringLiteral("outbound domain loop.example other.example"),
                       QStringLiteral("outbound user ping@loop.example pong@loop.example"),
                       QStringLiteral("outbound user pong@loop.example ping@loop.example")}
        << QStringList{QStringLiteral("outbound|warning|ping@loop.example -> pong@loop.example and "
                                      "pong@loop.example -> ping@loop.example form a loop")};
    QTest::newRow("user maps to itself")
        << QStringList{QStringLiteral("inbound domain x.example y.example"),
                       QStringLiteral("inbound user Bob@x.example bob@x.example")}
        << QStringList{
               QStringLiteral("inbound|warning|Bob@x.example -> bob@x.example maps the address to itself")};
    QTest::newRow("domain chain")
        << QStringList{QStringLiteral("inbound domain one.example two.example"),
                       QStringLiteral("inbound domain two.example three.example")}
        << QStringList{
               QStringLiteral("inbound|warning|@one.example -> @two.example is followed by @two.example -> "
                              "@three.example|@one.example goes to @two.example")};
    QTest::newRow("domain loop")
        << QStringList{QStringLiteral("relay domain b.example a.example"),
                       QStringLiteral("relay domain a.example b.example")}
        << QStringList{
               QStringLiteral("relay|warning|@a.example -> @b.example and @b.example -> @a.example form a "
                              "loop")};
    QTest::newRow("domain maps to itself")
        << QStringList{QStringLiteral("relay domain a.example A.example.")}
        << QStringList{QStringLiteral("relay|warning|@a.example -> @a.example "
                                      "maps the domain to itself")};
    QTest::newRow("domain rule leads into a user rule")
        << QStringList{QStringLiteral("inbound domain old.example new.example"),
                       QStringLiteral("inbound domain new.example final.example"),
                       QStringLiteral("inbound user bob@new.example robert@final.example")}
        << QStringList{
               QStringLiteral("inbound|warning|@old.example -> @new.example is followed by @new.example -> "
                              "@final.example"),
               QStringLiteral("inbound|warning|@old.example -> @new.example is followed by "
                              "bob@new.example -> robert@final.example|bob@old.example goes to "
                              "bob@new.example")};
    QTest::newRow("user rule of its own comes first")
        << QStringList{QStringLiteral("inbound domain old.example new.example"),
                       QStringLiteral("inbound domain new.example final.example"),
                       QStringLiteral("inbound user bob@old.example bob@final.example"),
                       QStringLiteral("inbound user bob@new.example robert@final.example")}
        << QStringList{
               QStringLiteral("inbound|warning|@old.example -> @new.example is followed by @new.example -> "
                              "@final.example")};
    QTest::newRow("user and domain loop")
        << QStringList{QStringLiteral("inbound domain y.example x.example"),
                       QStringLiteral("inbound domain x.example z.example"),
                       QStringLiteral("inbound user a@x.example a@y.example")}
        << QStringList{
               QStringLiteral("inbound|warning|a@x.example -> a@y.example and @y.example -> @x.example form "
                              "a loop"),
               QStringLiteral("inbound|warning|@y.example -> @x.example is followed by @x.example -> "
                              "@z.example")};
    QTest::newRow("users merge")
        << QStringList{QStringLiteral("inbound domain x.example y.example"),
                       QStringLiteral("inbound user a@x.example team@y.example"),
                       QStringLiteral("inbound user b@x.example Team@y.example"),
                       QStringLiteral("inbound user c@x.example c@y.example")}
        << QStringList{
               QStringLiteral("inbound|warning|2 users map to Team@y.example|a@x.example, b@x.example|"
                              "merges into one mailbox")};
    QTest::newRow("domains merge")
        << QStringList{QStringLiteral("inbound domain a.example c.example"),
                       QStringLiteral("inbound domain b.example c.example"),
                       QStringLiteral("inbound domain d.example e.example")}
        << QStringList{
               QStringLiteral("inbound|warning|2 domains map to @c.example (@a.example, @b.example)")};
    QTest::newRow("inbound users without domain rule")
        << QStringList{QStringLiteral("inbound user bob@warmsushi.com bob.owen@drypizza.com"),
                       QStringLiteral("inbound user eve@warmsushi.com eve@drypizza.com"),
                       QStringLiteral("inbound user zed@other.example zed@drypizza.com")}
        << QStringList{
               QStringLiteral("inbound|info|2 user mapping(s) in @other.example|no domain rule for "
                              "@other.example|not routed")
                   .replace(QStringLiteral("2 user"), QStringLiteral("1 user")),
               QStringLiteral("inbound|info|2 user mapping(s) in @warmsushi.com (such as bob@warmsushi.com)|"
                              "no domain rule for @warmsushi.com|not routed")};
    QTest::newRow("outbound users without domain rule")
        << QStringList{QStringLiteral("outbound user bob.owen@drypizza.com bob@warmsushi.com")}
        << QStringList{QStringLiteral("outbound|info|1 user mapping(s) in @drypizza.com|senders are not "
                                      "rewritten")};
    QTest::newRow("duplicate source: only the effective rule counts")
        << QStringList{QStringLiteral("inbound domain x.example y.example"),
                       QStringLiteral("inbound user a@x.example a@x.example"),
                       QStringLiteral("inbound user A@x.example b@y.example")}
        << QStringList();
}

void TestConfigLint::findings()
{
    QFETCH(QStringList, config);
    QFETCH(QStringList, expected);

    // The round-trip rule (roundTrip()) is tested on its own; here its
    // findings are left out so that each row shows the rule it is about.
    QList<LintFinding> found = lintConfig(build(config));
    found.removeIf([](const LintFinding &f) { return f.message.contains(u"Outbound inverse"_s); });
    QStringList all;
    for (const LintFinding &f : found)
        all << describe(f);
    const QString context = QStringLiteral("\nfound:\n  ") + all.join(QStringLiteral("\n  "));
    QCOMPARE(found.size(), expected.size());
    QList<bool> used(found.size(), false);
    for (const QString &e : std::as_const(expected)) {
        bool ok = false;
        for (qsizetype i = 0; i < found.size() && !ok; ++i) {
            if (!used[i] && matches(found[i], e)) {
                used[i] = true;
                ok = true;
            }
        }
        QVERIFY2(ok, qPrintable(QStringLiteral("no finding matches ") + e + context));
    }
    // One line each, so a console row or a CLI line holds a whole finding.
    for (const LintFinding &f : found)
        QVERIFY(!f.message.contains(QLatin1Char('\n')));
}

void TestConfigLint::manyFindingsAreCapped()
{
    // u0 -> u1 -> ... -> u40: 40 chains (u40@d.example hits the domain rule).
    // The console gets the first ones and a count, not a wall of text.
    ConfigData c;
    c.area(Area::Inbound)
        .domains.append(DomainMapping{QStringLiteral("d.example"), QStringLiteral("e.example")});
    for (int i = 0; i < 40; ++i)
        c.area(Area::Inbound)
            .users.append(UserMapping{QStringLiteral("u%1@d.example").arg(i),
                                      QStringLiteral("u%1@d.example").arg(i + 1)});
    const QList<LintFinding> found = lintConfig(c);
    qsizetype chains = 0;
    QString summary;
    for (const LintFinding &f : found) {
        if (f.message.contains(QStringLiteral(" is followed by ")))
            ++chains;
        if (f.message.startsWith(QStringLiteral("... and ")) && summary.isEmpty())
            summary = f.message;
    }
    QCOMPARE(chains, qsizetype(25));
    QCOMPARE(summary, QStringLiteral("... and 15 more chained rules."));
    // None of the 40 has its Outbound inverse: 25 of those and a count too.
    const auto inverses = std::count_if(found.cbegin(), found.cend(), [](const LintFinding &f) {
        return f.message.contains(u"Outbound inverse"_s);
    });
    QCOMPARE(inverses, 26);
    QCOMPARE(found.last().message, u"... and 15 more Inbound user mappings without an Outbound inverse."_s);
    QCOMPARE(found.size(), qsizetype(52));
    // The first chain reported is the first in list order.
    QVERIFY(found.first().message.startsWith(QStringLiteral("u0@d.example -> u1@d.example is followed by")));
}

void TestConfigLint::transportSecurity()
{
    ConfigData c;
    QVERIFY(lintConfig(c).isEmpty());
    c.settings.insert(QStringLiteral("smarthost.username"), QStringLiteral("relay@isp.example"));
    c.settings.insert(QStringLiteral("delivery.tls_policy"), QStringLiteral("may"));
    QList<LintFinding> found = lintConfig(c);
    QCOMPARE(found.size(), 1);
    QVERIFY(matches(found.first(), QStringLiteral("-|warning|smarthost.username is set (relay@isp.example)|"
                                                  "SMTP AUTH is never used")));
    c.settings.insert(QStringLiteral("delivery.smarthost"), QStringLiteral("smtp.isp.example:587"));
    c.settings.insert(QStringLiteral("delivery.tls_policy"), QStringLiteral("encrypt"));
    found = lintConfig(c);
    QCOMPARE(found.size(), 1);
    QVERIFY(matches(found.first(),
                    QStringLiteral("-|warning|delivery.tls_policy is encrypt|waits and then bounces")));
    // A route's own policy is what the admin asked for: no finding.
    c.settings.remove(QStringLiteral("delivery.tls_policy"));
    c.routes.append(TransportRoute{QStringLiteral("partner.example"), QStringLiteral("mx.partner.example"),
                                   TlsPolicy::Verify});
    QVERIFY(lintConfig(c).isEmpty());
}

// Issue 11 item 1: relay.hostname empty on a machine called "vm" -> the relay
// says vm.localdomain, and every push warns once, naming the setting.
void TestConfigLint::singleLabelMachineName()
{
    setMachineHostNameForTesting(QStringLiteral("vm"));
    ConfigData c;
    QList<LintFinding> found = lintConfig(c);
    QCOMPARE(found.size(), 1);
    QCOMPARE(
        found.first().message,
        QStringLiteral("relay.hostname is empty and this machine's name 'vm' has no domain: the relay calls "
                       "itself vm.localdomain; set relay.hostname to the name in your MX records"));
    QCOMPARE(effectiveRelayHostName(QString()), QStringLiteral("vm.localdomain"));
    // A set relay.hostname wins, and needs no warning.
    c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("mx.drypizza.example"));
    QVERIFY(lintConfig(c).isEmpty());
    QCOMPARE(effectiveRelayHostName(QStringLiteral("mx.drypizza.example")),
             QStringLiteral("mx.drypizza.example"));
    // A machine name with a domain is used as it is.
    setMachineHostNameForTesting(QStringLiteral("relay1.corp.example"));
    QCOMPARE(effectiveRelayHostName(QString()), QStringLiteral("relay1.corp.example"));
    QVERIFY(relayHostNameWarning(QString()).isEmpty());
    setMachineHostNameForTesting(QStringLiteral("relay.lint.test"));
}

void TestConfigLint::networksOverlap_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("overlap");
    QTest::newRow("equal") << QStringLiteral("40.107.0.0/16") << QStringLiteral("40.107.0.0/16") << true;
    QTest::newRow("inside") << QStringLiteral("40.107.12.0/24") << QStringLiteral("40.107.0.0/16") << true;
    QTest::newRow("around") << QStringLiteral("40.0.0.0/8") << QStringLiteral("40.107.0.0/16") << true;
    QTest::newRow("host") << QStringLiteral("40.107.3.4/32") << QStringLiteral("40.107.0.0/16") << true;
    QTest::newRow("neighbour") << QStringLiteral("40.108.0.0/16") << QStringLiteral("40.107.0.0/16") << false;
    QTest::newRow("/15 second half") << QStringLiteral("40.93.1.0/24") << QStringLiteral("40.92.0.0/15")
                                     << true;
    QTest::newRow("just outside /15")
        << QStringLiteral("40.94.0.0/24") << QStringLiteral("40.92.0.0/15") << false;
    QTest::newRow("IPv6 inside") << QStringLiteral("2a01:111:f400:7e00::/56")
                                 << QStringLiteral("2a01:111:f400::/48") << true;
    QTest::newRow("IPv6 outside") << QStringLiteral("2a01:111:f401::/48")
                                  << QStringLiteral("2a01:111:f400::/48") << false;
    QTest::newRow("IPv6 short prefix")
        << QStringLiteral("2000::/3") << QStringLiteral("2607:f8b0:4000::/36") << true;
    QTest::newRow("mixed families") << QStringLiteral("::/1") << QStringLiteral("40.107.0.0/16") << false;
    QTest::newRow("garbage") << QStringLiteral("example.com") << QStringLiteral("40.107.0.0/16") << false;
}

void TestConfigLint::networksOverlap()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, overlap);
    QCOMPARE(mailroute::networksOverlap(a, b), overlap);
    QCOMPARE(mailroute::networksOverlap(b, a), overlap);
}

void TestConfigLint::allowedSenders()
{
    auto messages = [](const ConfigData &c) {
        QStringList out;
        for (const LintFinding &f : lintConfig(c))
            out << QStringLiteral("%1: %2").arg(
                f.severity == LintFinding::Severity::Warning ? u"W"_s : u"I"_s, f.message);
        return out.join(QLatin1Char('\n'));
    };
    const QString key = QStringLiteral("outbound.allowed_clients");
    const QString senders = QStringLiteral("outbound.allowed_senders");

    // Nothing allow-listed: nothing to say.
    QVERIFY(!messages(build({})).contains(u"allowed_"_s));

    // A shared range, no setting, no Outbound rule: only bounces would go out.
    ConfigData c = build({QStringLiteral("inbound domain a.example b.example")});
    c.settings.insert(key, QStringLiteral("10.0.0.0/8, 40.107.96.0/20"));
    QString m = messages(c);
    QVERIFY2(m.contains(u"W: outbound.allowed_clients is set but no sender domain is allowed"_s),
             qPrintable(m));
    QVERIFY2(
        m.contains(u"40.107.96.0/20 (Microsoft Exchange Online 40.107.0.0/16) is shared by every Microsoft "
                   "Exchange Online tenant"_s),
        qPrintable(m));
    // A private network alone: the same warning, without the cloud.
    c.settings.insert(key, QStringLiteral("10.0.0.0/8"));
    m = messages(c);
    QVERIFY2(m.contains(u"no sender domain is allowed"_s) && !m.contains(u"shared"_s), qPrintable(m));
    // The setting silences it.
    c.settings.insert(senders, QStringLiteral("a.example"));
    QVERIFY(!messages(c).contains(u"allowed_"_s));

    // A Google range with domains derived from the Outbound rules: say so (Info).
    ConfigData d = build({QStringLiteral("outbound domain new.example old.example")});
    d.settings.insert(key, QStringLiteral("209.85.128.0/17"));
    m = messages(d);
    QVERIFY2(
        m.contains(u"I: outbound.allowed_clients holds 209.85.128.0/17 (Google Workspace 209.85.128.0/17), "
                   "shared by every Google Workspace tenant"_s),
        qPrintable(m));
    QVERIFY2(m.contains(u"(new.example, old.example)"_s), qPrintable(m));
    // An explicit list that leaves out an Outbound source domain.
    d.settings.insert(senders, QStringLiteral("old.example"));
    m = messages(d);
    QVERIFY2(m.contains(u"W: Outbound rule @new.example -> @old.example: new.example is not in "
                        "outbound.allowed_senders"_s),
             qPrintable(m));
    QVERIFY(!m.contains(u"shared by every"_s));
}

void TestConfigLint::roundTrip_data()
{
    QTest::addColumn<QStringList>("config");
    QTest::addColumn<QStringList>("expected"); // the whole list, in order

    QTest::newRow("spec example: the Outbound half is missing")
        << QStringList{u"inbound domain warmsushi.com drypizza.com"_s,
                       u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s}
        << QStringList{u"inbound|warning|Inbound bob@warmsushi.com -> bob.owen@drypizza.com has no Outbound "
                       "inverse: replies from bob.owen@drypizza.com leave under that address, not as "
                       "bob@warmsushi.com; add Outbound bob.owen@drypizza.com -> bob@warmsushi.com."_s};
    QTest::newRow("spec example with its Outbound mirror")
        << QStringList{u"inbound domain warmsushi.com drypizza.com"_s,
                       u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound domain drypizza.com warmsushi.com"_s,
                       u"outbound user bob.owen@drypizza.com bob@warmsushi.com"_s}
        << QStringList();
    QTest::newRow("case and IDNA")
        << QStringList{u"inbound domain bücher.example drypizza.com"_s,
                       u"inbound user Jörg@Bücher.example Jorg@DryPizza.com"_s,
                       u"outbound domain drypizza.com xn--bcher-kva.example"_s,
                       u"outbound user jorg@drypizza.com jörg@xn--bcher-kva.example"_s}
        << QStringList();
    QTest::newRow("an Outbound rule to another address")
        << QStringList{u"inbound domain warmsushi.com drypizza.com"_s,
                       u"inbound user bob@warmsushi.com bob.owen@drypizza.com"_s,
                       u"outbound domain drypizza.com warmsushi.com"_s,
                       u"outbound user bob.owen@drypizza.com robert@warmsushi.com"_s}
        << QStringList{u"inbound|warning|Inbound bob@warmsushi.com -> bob.owen@drypizza.com has no Outbound "
                       "inverse: Outbound bob.owen@drypizza.com -> robert@warmsushi.com sends replies from "
                       "bob.owen@drypizza.com as robert@warmsushi.com, not as bob@warmsushi.com."_s};
    QTest::newRow("a merge")
        << QStringList{u"inbound domain x.example y.example"_s, u"inbound user a@x.example team@y.example"_s,
                       u"inbound user b@x.example team@y.example"_s}
        << QStringList{
               u"inbound|warning|2 users map to team@y.example (a@x.example, b@x.example): their mail "
               "merges into one mailbox."_s,
               u"inbound|warning|2 users map to team@y.example (a@x.example, b@x.example) and none is "
               "its Outbound inverse: replies from team@y.example leave under that address."_s};
}

void TestConfigLint::roundTrip()
{
    QFETCH(QStringList, config);
    QFETCH(QStringList, expected);
    QStringList found;
    for (const LintFinding &f : lintConfig(build(config)))
        found << describe(f);
    QCOMPARE(found, expected);
}

void TestConfigLint::roundTripOnTheSeed()
{
    // The demo configuration the screenshots and the accessibility test are
    // seeded with (tests/ui/screenshots.cpp demoData): 19 Inbound users of
    // warmsushi.com moved to NAME.owen@drypizza.com plus zoe, an Outbound
    // domain rule back and only bob and alice mapped back as users. The
    // domain rule gives NAME.owen@warmsushi.com, not NAME@warmsushi.com, so
    // everyone else is warned about, in list order.
    ConfigData c;
    c.area(Area::Inbound).domains = {{u"warmsushi.com"_s, u"drypizza.com"_s},
                                     {u"sushi-bar.example"_s, u"drypizza.com"_s}};
    c.area(Area::Outbound).domains = {{u"drypizza.com"_s, u"warmsushi.com"_s}};
    const QStringList names{u"alice"_s,   u"bob"_s,   u"carol"_s,  u"dave"_s,  u"erin"_s,
                            u"frank"_s,   u"grace"_s, u"heidi"_s,  u"ivan"_s,  u"judy"_s,
                            u"mallory"_s, u"niaj"_s,  u"olivia"_s, u"peggy"_s, u"rupert"_s,
                            u"sybil"_s,   u"trent"_s, u"victor"_s, u"walter"_s};
    for (const QString &n : names)
        c.area(Area::Inbound).users.append({n + u"@warmsushi.com"_s, n + u".owen@drypizza.com"_s});
    c.area(Area::Outbound).users = {{u"bob.owen@drypizza.com"_s, u"bob@warmsushi.com"_s},
                                    {u"alice.owen@drypizza.com"_s, u"alice@warmsushi.com"_s}};
    c.area(Area::Inbound).users.append({u"zoe@warmsushi.com"_s, u"zoe.park@drypizza.com"_s});

    QStringList warned;
    for (const LintFinding &f : lintConfig(c)) {
        if (!f.message.contains(u"Outbound inverse"_s))
            continue;
        QCOMPARE(f.area, std::optional<Area>(Area::Inbound));
        QCOMPARE(f.severity, LintFinding::Severity::Warning);
        warned << f.message.section(u' ', 1, 1); // "Inbound SOURCE -> ..."
    }
    QStringList expected = names.mid(2);
    for (QString &n : expected)
        n += u"@warmsushi.com"_s;
    expected << u"zoe@warmsushi.com"_s;
    QCOMPARE(warned, expected);

    // After the inverses are added, the rule is satisfied and nothing else changed.
    ConfigData fixed = c;
    QCOMPARE(addOutboundInverses(fixed).size(), qsizetype(18));
    QList<LintFinding> before = lintConfig(c), after = lintConfig(fixed);
    before.removeIf([](const LintFinding &f) { return f.message.contains(u"Outbound inverse"_s); });
    QCOMPARE(after.size(), before.size());
    for (qsizetype i = 0; i < after.size(); ++i)
        QCOMPARE(after[i].message, before[i].message);
}

QTEST_GUILESS_MAIN(TestConfigLint)
#include "tst_configlint.moc"
