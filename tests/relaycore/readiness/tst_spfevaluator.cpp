// SpfEvaluator (RFC 7208 check_host over collected answers), the record to
// publish, and ReadinessAssessment's MX / SPF findings: values in, values out.
#include "relaycore/readiness/readinessreport.h"
#include "relaycore/readiness/spfevaluator.h"

#include <QTest>

using namespace mailroute;
using Code = SpfResult::Code;

namespace {

DnsAnswer records(const QStringList &values, quint32 ttl = 300)
{
    DnsAnswer a;
    a.outcome = DnsAnswer::Outcome::Records;
    a.values = values;
    for (qsizetype i = 0; i < values.size(); ++i)
        a.ttls << ttl;
    return a;
}

DnsAnswer mx(const QList<std::pair<int, QString>> &hosts, quint32 ttl = 300)
{
    DnsAnswer a;
    a.outcome = DnsAnswer::Outcome::Records;
    for (const auto &[pref, host] : hosts) {
        a.values << host;
        a.preferences << pref;
        a.ttls << ttl;
    }
    return a;
}

DnsAnswer outcome(DnsAnswer::Outcome o)
{
    DnsAnswer a;
    a.outcome = o;
    a.error = QStringLiteral("server failure");
    return a;
}

const QHostAddress kRelay(QStringLiteral("192.0.2.25"));

} // namespace

class TestSpfEvaluator final : public QObject
{
    Q_OBJECT
private slots:
    void check_data();
    void check();
    void missingAnswersAreReported();
    void lookupLimit();
    void ipv6();
    void recordWith_data();
    void recordWith();
    void assessMx();
    void assessSpf();
    void describeDuration();
};

void TestSpfEvaluator::check_data()
{
    QTest::addColumn<QStringList>("txt"); // TXT of x.test
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("matched");

    auto row = [](const char *name, QStringList txt, Code code, const char *matched) {
        QTest::newRow(name) << txt << int(code) << QString::fromUtf8(matched);
    };
    row("ip4 exact", {QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}, Code::Pass, "ip4:192.0.2.25");
    row("ip4 network", {QStringLiteral("v=spf1 ip4:192.0.2.0/24 -all")}, Code::Pass, "ip4:192.0.2.0/24");
    row("ip4 other", {QStringLiteral("v=spf1 ip4:198.51.100.1 -all")}, Code::Fail, "-all");
    row("softfail", {QStringLiteral("v=spf1 ip4:198.51.100.1 ~all")}, Code::SoftFail, "~all");
    row("neutral all", {QStringLiteral("v=spf1 ?all")}, Code::Neutral, "?all");
    row("no all", {QStringLiteral("v=spf1 ip4:198.51.100.1")}, Code::Neutral, "");
    row("case and other TXT",
        {QStringLiteral("google-site-verification=abc"), QStringLiteral("V=SPF1 IP4:192.0.2.25 -ALL")},
        Code::Pass, "IP4:192.0.2.25");
    row("v=spf10 is no record", {QStringLiteral("v=spf10 +all")}, Code::None, "");
    row("no TXT", {}, Code::None, "");
    row("two records", {QStringLiteral("v=spf1 -all"), QStringLiteral("v=spf1 +all")}, Code::PermError, "");
    row("include pass", {QStringLiteral("v=spf1 include:spf.provider.test -all")}, Code::Pass,
        "include:spf.provider.test");
    row("include fail goes on", {QStringLiteral("v=spf1 include:deny.test ip4:192.0.2.25 -all")}, Code::Pass,
        "ip4:192.0.2.25");
    row("include without record", {QStringLiteral("v=spf1 include:norecord.test -all")}, Code::PermError, "");
    row("a", {QStringLiteral("v=spf1 a -all")}, Code::Pass, "a");
    row("a other domain", {QStringLiteral("v=spf1 a:relay.test -all")}, Code::Pass, "a:relay.test");
    row("a cidr", {QStringLiteral("v=spf1 a:other.test/24 -all")}, Code::Pass, "a:other.test/24");
    row("a cidr too narrow", {QStringLiteral("v=spf1 a:other.test/32 -all")}, Code::Fail, "-all");
    row("mx", {QStringLiteral("v=spf1 mx -all")}, Code::Pass, "mx");
    row("exists", {QStringLiteral("v=spf1 exists:relay.test -all")}, Code::Pass, "exists:relay.test");
    row("redirect", {QStringLiteral("v=spf1 redirect=spf.provider.test")}, Code::Pass,
        "redirect=spf.provider.test → ip4:192.0.2.0/27");
    row("redirect after no match", {QStringLiteral("v=spf1 ip4:198.51.100.1 redirect=deny.test")}, Code::Fail,
        "redirect=deny.test → -all");
    row("unknown mechanism", {QStringLiteral("v=spf1 ipv4:192.0.2.25 -all")}, Code::PermError, "");
    row("bad address", {QStringLiteral("v=spf1 ip4:192.0.2 -all")}, Code::PermError, "");
    row("bad prefix", {QStringLiteral("v=spf1 ip4:192.0.2.0/33 -all")}, Code::PermError, "");
    row("macro", {QStringLiteral("v=spf1 exists:%{i}.spf.test -all")}, Code::Pass, "exists:%{i}.spf.test");
    row("unknown modifier ignored", {QStringLiteral("v=spf1 foo=bar ip4:192.0.2.25 -all")}, Code::Pass,
        "ip4:192.0.2.25");
    row("two redirects", {QStringLiteral("v=spf1 redirect=a.test redirect=b.test")}, Code::PermError, "");
}

void TestSpfEvaluator::check()
{
    QFETCH(QStringList, txt);
    QFETCH(int, code);
    QFETCH(QString, matched);
    DnsAnswers dns;
    dns.insert(DnsType::TXT, QStringLiteral("x.test"),
               txt.isEmpty() ? outcome(DnsAnswer::Outcome::NoRecords) : records(txt));
    dns.insert(DnsType::TXT, QStringLiteral("spf.provider.test"),
               records({QStringLiteral("v=spf1 ip4:192.0.2.0/27 -all")}));
    dns.insert(DnsType::TXT, QStringLiteral("deny.test"), records({QStringLiteral("v=spf1 -all")}));
    dns.insert(DnsType::TXT, QStringLiteral("norecord.test"), records({QStringLiteral("hello")}));
    dns.insert(DnsType::A, QStringLiteral("x.test"), records({QStringLiteral("192.0.2.25")}));
    dns.insert(DnsType::A, QStringLiteral("relay.test"), records({QStringLiteral("192.0.2.25")}));
    dns.insert(DnsType::A, QStringLiteral("192.0.2.25.spf.test"), records({QStringLiteral("127.0.0.2")}));
    dns.insert(DnsType::A, QStringLiteral("other.test"), records({QStringLiteral("192.0.2.200")}));
    dns.insert(DnsType::MX, QStringLiteral("x.test"), mx({{10, QStringLiteral("relay.test")}}));
    SpfEvaluator e(dns);
    const SpfResult r = e.check(kRelay, QStringLiteral("X.test."));
    QVERIFY2(e.missing().isEmpty(), qPrintable(e.missing().values().join(QLatin1Char(','))));
    QCOMPARE(SpfEvaluator::codeName(r.code), SpfEvaluator::codeName(Code(code)));
    QCOMPARE(r.matched, matched);
    if (r.code == Code::PermError || r.code == Code::Unsupported)
        QVERIFY(!r.reason.isEmpty());
}

void TestSpfEvaluator::missingAnswersAreReported()
{
    DnsAnswers dns;
    SpfEvaluator e(dns);
    SpfResult r = e.check(kRelay, QStringLiteral("x.test"));
    QVERIFY(r.incomplete);
    QCOMPARE(e.missing(), QSet<QString>{QStringLiteral("TXT x.test")});

    // Order matters: nothing after a term is asked for before the term is decided.
    dns.insert(DnsType::TXT, QStringLiteral("x.test"),
               records({QStringLiteral("v=spf1 include:a.test mx ip4:192.0.2.25 -all")}));
    r = e.check(kRelay, QStringLiteral("x.test"));
    QCOMPARE(e.missing(), QSet<QString>{QStringLiteral("TXT a.test")});
    dns.insert(DnsType::TXT, QStringLiteral("a.test"), records({QStringLiteral("v=spf1 -all")}));
    r = e.check(kRelay, QStringLiteral("x.test"));
    QCOMPARE(e.missing(), QSet<QString>{QStringLiteral("MX x.test")});
    dns.insert(DnsType::MX, QStringLiteral("x.test"),
               mx({{10, QStringLiteral("m1.test")}, {20, QStringLiteral("m2.test")}}));
    r = e.check(kRelay, QStringLiteral("x.test"));
    // Every exchanger's address in one round.
    QCOMPARE(e.missing(), (QSet<QString>{QStringLiteral("A m1.test"), QStringLiteral("A m2.test")}));
    dns.insert(DnsType::A, QStringLiteral("m1.test"), records({QStringLiteral("198.51.100.1")}));
    dns.insert(DnsType::A, QStringLiteral("m2.test"), outcome(DnsAnswer::Outcome::NxDomain));
    r = e.check(kRelay, QStringLiteral("x.test"));
    QVERIFY(!r.incomplete);
    QCOMPARE(r.code, Code::Pass);
    QCOMPARE(r.matched, QStringLiteral("ip4:192.0.2.25"));
    QCOMPARE(r.lookups, 2); // include, mx

    // A temporary DNS failure is a temperror, not a "no".
    dns.insert(DnsType::TXT, QStringLiteral("t.test"), outcome(DnsAnswer::Outcome::Failure));
    QCOMPARE(e.check(kRelay, QStringLiteral("t.test")).code, Code::TempError);
}

void TestSpfEvaluator::lookupLimit()
{
    // RFC 7208 §4.6.4: the 11th DNS-querying term is a permerror, even if a
    // later term would match; 10 are fine.
    DnsAnswers dns;
    QStringList ten;
    for (int i = 1; i <= 11; ++i) {
        dns.insert(DnsType::TXT, QStringLiteral("i%1.test").arg(i), records({QStringLiteral("v=spf1 -all")}));
        if (i <= 10)
            ten << QStringLiteral("include:i%1.test").arg(i);
    }
    dns.insert(DnsType::TXT, QStringLiteral("ten.test"),
               records({QStringLiteral("v=spf1 ") + ten.join(QLatin1Char(' ')) +
                        QStringLiteral(" ip4:192.0.2.25 -all")}));
    dns.insert(DnsType::TXT, QStringLiteral("eleven.test"),
               records({QStringLiteral("v=spf1 ") + ten.join(QLatin1Char(' ')) +
                        QStringLiteral(" include:i11.test ip4:192.0.2.25 -all")}));
    SpfEvaluator e(dns);
    SpfResult r = e.check(kRelay, QStringLiteral("ten.test"));
    QCOMPARE(r.code, Code::Pass);
    QCOMPARE(r.lookups, 10);
    r = e.check(kRelay, QStringLiteral("eleven.test"));
    QCOMPARE(r.code, Code::PermError);
    QVERIFY(r.reason.contains(QStringLiteral("10 DNS look-ups")));

    // Nested includes count too, and a loop ends at the limit.
    dns.insert(DnsType::TXT, QStringLiteral("loop.test"),
               records({QStringLiteral("v=spf1 include:loop.test -all")}));
    QCOMPARE(e.check(kRelay, QStringLiteral("loop.test")).code, Code::PermError);

    // More than two void look-ups.
    dns.insert(DnsType::TXT, QStringLiteral("void.test"),
               records({QStringLiteral("v=spf1 a:v1.test a:v2.test a:v3.test ip4:192.0.2.25 -all")}));
    for (const char *n : {"v1.test", "v2.test", "v3.test"})
        dns.insert(DnsType::A, QLatin1String(n), outcome(DnsAnswer::Outcome::NxDomain));
    QCOMPARE(e.check(kRelay, QStringLiteral("void.test")).code, Code::PermError);
}

void TestSpfEvaluator::ipv6()
{
    DnsAnswers dns;
    dns.insert(DnsType::TXT, QStringLiteral("x.test"),
               records({QStringLiteral("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8:25::/48 a//64 -all")}));
    dns.insert(DnsType::AAAA, QStringLiteral("x.test"), records({QStringLiteral("2001:db8:99::1")}));
    SpfEvaluator e(dns);
    QCOMPARE(e.check(QHostAddress(QStringLiteral("2001:db8:25::7")), QStringLiteral("x.test")).matched,
             QStringLiteral("ip6:2001:db8:25::/48"));
    QCOMPARE(e.check(QHostAddress(QStringLiteral("2001:db8:99::abcd")), QStringLiteral("x.test")).matched,
             QStringLiteral("a//64"));
    QCOMPARE(e.check(QHostAddress(QStringLiteral("2001:db8:98::1")), QStringLiteral("x.test")).code,
             Code::Fail);
}

void TestSpfEvaluator::recordWith_data()
{
    QTest::addColumn<QString>("record");
    QTest::addColumn<QString>("expected");
    QTest::newRow("before -all")
        << QStringLiteral("v=spf1 include:_spf.google.com -all")
        << QStringLiteral("v=spf1 include:_spf.google.com ip4:192.0.2.25 ip6:2001:db8::/64 -all");
    QTest::newRow("before ~ALL") << QStringLiteral("v=spf1 mx ~ALL exp=explain.test")
                                 << QStringLiteral(
                                        "v=spf1 mx ip4:192.0.2.25 ip6:2001:db8::/64 ~ALL exp=explain.test");
    QTest::newRow("before redirect")
        << QStringLiteral("v=spf1 a redirect=_spf.provider.test")
        << QStringLiteral("v=spf1 a ip4:192.0.2.25 ip6:2001:db8::/64 redirect=_spf.provider.test");
    QTest::newRow("at the end") << QStringLiteral("v=spf1  a")
                                << QStringLiteral("v=spf1 a ip4:192.0.2.25 ip6:2001:db8::/64");
    QTest::newRow("no record") << QString() << QStringLiteral("v=spf1 ip4:192.0.2.25 ip6:2001:db8::/64 ~all");
}

void TestSpfEvaluator::recordWith()
{
    QFETCH(QString, record);
    QFETCH(QString, expected);
    const QList<std::pair<QHostAddress, int>> addresses{
        {kRelay, 32}, {QHostAddress(QStringLiteral("2001:db8::")), 64}, {kRelay, 32}};
    QCOMPARE(SpfEvaluator::recordWith(record, addresses), expected);

    // What it suggests passes.
    DnsAnswers dns;
    dns.insert(DnsType::TXT, QStringLiteral("x.test"), records({expected}));
    dns.insert(DnsType::A, QStringLiteral("x.test"), records({}));
    dns.insert(DnsType::MX, QStringLiteral("x.test"), records({}));
    dns.insert(DnsType::TXT, QStringLiteral("_spf.google.com"), records({QStringLiteral("v=spf1 -all")}));
    SpfEvaluator e(dns);
    QCOMPARE(e.check(kRelay, QStringLiteral("x.test")).code, Code::Pass);
}

void TestSpfEvaluator::assessMx()
{
    RelayIdentity relay;
    relay.hostname = QStringLiteral("relay.mailroute.test");
    relay.addresses = {{kRelay, 32}};
    DnsAnswers dns;
    dns.insert(DnsType::MX, QStringLiteral("here.test"),
               mx({{10, QStringLiteral("relay.mailroute.test")}}, 300));
    dns.insert(DnsType::MX, QStringLiteral("byaddress.test"),
               mx({{5, QStringLiteral("mx.byaddress.test")}}, 3600));
    dns.insert(DnsType::A, QStringLiteral("mx.byaddress.test"), records({QStringLiteral("192.0.2.25")}));
    dns.insert(DnsType::MX, QStringLiteral("elsewhere.test"),
               mx({{10, QStringLiteral("mx.elsewhere.test")}}, 900));
    dns.insert(DnsType::MX, QStringLiteral("nullmx.test"), mx({{0, QString()}}));
    dns.insert(DnsType::MX, QStringLiteral("nosuch.test"), outcome(DnsAnswer::Outcome::NxDomain));
    dns.insert(DnsType::MX, QStringLiteral("broken.test"), outcome(DnsAnswer::Outcome::Failure));
    dns.insert(DnsType::MX, QStringLiteral("nomx.test"), outcome(DnsAnswer::Outcome::NoRecords));
    auto assess = [&](const char *domain) {
        return ReadinessAssessment::assess(DomainCheck{QLatin1String(domain), true, false}, relay, dns);
    };

    DomainReadiness r = assess("here.test");
    QCOMPARE(r.status(), ReadinessStatus::Ok);
    QCOMPARE(r.findings.size(), 2);
    QCOMPARE(r.mxPointsHere, QList<bool>{true});
    QVERIFY(r.findings.at(1).detail.startsWith(QStringLiteral("300 s")));

    r = assess("byaddress.test"); // here by address, TTL an hour: lower it first
    QCOMPARE(r.mxPointsHere, QList<bool>{true});
    QCOMPARE(r.findings.at(0).status, ReadinessStatus::Ok);
    QCOMPARE(r.findings.at(1).status, ReadinessStatus::Warning);
    QCOMPARE(r.findings.at(1).check, QStringLiteral("MX TTL"));
    QVERIFY2(r.findings.at(1).advice.contains(QStringLiteral("up to 1 hour")),
             qPrintable(r.findings.at(1).advice));

    r = assess("elsewhere.test"); // 900 s is still fine; pointing elsewhere is a warning
    QCOMPARE(r.status(), ReadinessStatus::Warning);
    QCOMPARE(r.findings.at(0).status, ReadinessStatus::Warning);
    QVERIFY(r.findings.at(0).advice.contains(
        QStringLiteral("elsewhere.test. 300 IN MX 10 relay.mailroute.test.")));
    QCOMPARE(r.findings.at(1).status, ReadinessStatus::Ok);

    for (const char *failing : {"nullmx.test", "nosuch.test"}) {
        r = assess(failing);
        QCOMPARE(r.status(), ReadinessStatus::Failure);
        QCOMPARE(r.findings.size(), 1);
    }
    // No answer / SERVFAIL: unknown (amber), never "no MX", no record to publish.
    r = assess("broken.test");
    QCOMPARE(r.status(), ReadinessStatus::Warning);
    QCOMPARE(r.findings.size(), 1);
    QVERIFY2(r.findings.at(0).detail.startsWith(QStringLiteral("unknown: ")),
             qPrintable(r.findings.at(0).detail));
    QVERIFY(!r.findings.at(0).advice.contains(QStringLiteral("IN MX")));
    QVERIFY(assess("nullmx.test").findings.at(0).detail.contains(QStringLiteral("RFC 7505")));
    QVERIFY(assess("nosuch.test").findings.at(0).detail.contains(QStringLiteral("NXDOMAIN")));
    QCOMPARE(assess("nomx.test").status(), ReadinessStatus::Warning);
}

void TestSpfEvaluator::assessSpf()
{
    RelayIdentity relay;
    relay.hostname = QStringLiteral("relay.mailroute.test");
    relay.addresses = {{kRelay, 32}};
    DnsAnswers dns;
    dns.insert(DnsType::TXT, QStringLiteral("ok.test"),
               records({QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
    dns.insert(DnsType::TXT, QStringLiteral("soft.test"),
               records({QStringLiteral("v=spf1 include:p.test ~all")}));
    dns.insert(DnsType::TXT, QStringLiteral("p.test"),
               records({QStringLiteral("v=spf1 ip4:198.51.100.0/24 -all")}));
    dns.insert(DnsType::TXT, QStringLiteral("none.test"), outcome(DnsAnswer::Outcome::NoRecords));
    dns.insert(DnsType::TXT, QStringLiteral("two.test"),
               records({QStringLiteral("v=spf1 -all"), QStringLiteral("v=spf1 mx -all")}));
    auto assess = [&](const char *domain) {
        return ReadinessAssessment::assess(DomainCheck{QLatin1String(domain), false, true}, relay, dns);
    };
    DomainReadiness r = assess("ok.test");
    QCOMPARE(r.status(), ReadinessStatus::Ok);
    QVERIFY(r.suggestedSpf.isEmpty());

    r = assess("soft.test");
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QCOMPARE(r.suggestedSpf, QStringLiteral("v=spf1 include:p.test ip4:192.0.2.25 ~all"));
    QVERIFY(r.findings.at(0).detail.startsWith(QStringLiteral("softfail")));
    QVERIFY(r.findings.at(0).advice.contains(r.suggestedSpf));

    r = assess("none.test");
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QCOMPARE(r.findings.at(0).detail, QStringLiteral("no SPF record"));
    QCOMPARE(r.suggestedSpf, QStringLiteral("v=spf1 ip4:192.0.2.25 ~all"));

    QCOMPARE(assess("two.test").status(), ReadinessStatus::Failure);

    // A domain that does not exist: one finding, no record to publish.
    dns.insert(DnsType::TXT, QStringLiteral("nosuch.test"), outcome(DnsAnswer::Outcome::NxDomain));
    r = assess("nosuch.test");
    QCOMPARE(r.findings.size(), 1);
    QVERIFY(r.findings.at(0).detail.contains(QStringLiteral("NXDOMAIN")));
    QVERIFY(r.suggestedSpf.isEmpty());
    dns.insert(DnsType::MX, QStringLiteral("nosuch.test"), outcome(DnsAnswer::Outcome::NxDomain));
    r = ReadinessAssessment::assess(DomainCheck{QStringLiteral("nosuch.test"), true, true}, relay, dns);
    QCOMPARE(r.findings.size(), 1); // the MX finding says it
    QCOMPARE(r.findings.at(0).check, QStringLiteral("MX"));

    relay.addresses.clear(); // unknown public address: say how to set it
    r = assess("ok.test");
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QVERIFY(r.findings.at(0).advice.contains(QStringLiteral("relay.public_address")));
}

void TestSpfEvaluator::describeDuration()
{
    QCOMPARE(ReadinessAssessment::describeDuration(1), QStringLiteral("1 second"));
    QCOMPARE(ReadinessAssessment::describeDuration(300), QStringLiteral("5 minutes"));
    QCOMPARE(ReadinessAssessment::describeDuration(3600), QStringLiteral("1 hour"));
    QCOMPARE(ReadinessAssessment::describeDuration(5400), QStringLiteral("1 hour 30 minutes"));
    QCOMPARE(ReadinessAssessment::describeDuration(93784), QStringLiteral("1 day 2 hours"));
    QCOMPARE(ReadinessAssessment::describeTtl(86400), QStringLiteral("86400 s (1 day)"));
}

QTEST_GUILESS_MAIN(TestSpfEvaluator)
#include "tst_spfevaluator.moc"
