// DnsReadinessCheck against a real name server (dnsmasq on 127.0.0.1 at a
// high port, readinesszone.h): MX with low and high TTL, pointing here by name
// and by address, null MX, NXDOMAIN, SPF with include/a, no SPF record; the
// relay's own address from relay.hostname or from relay.public_address. And
// against fakedns.py: a TXT look-up that gets no answer and an MX look-up
// that gets SERVFAIL are "unknown" (amber), never "no record", and yield no
// record to publish; progress while it runs; cancel().
#include "readinesszone.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/readiness/readinessplan.h"
#include "relaycore/routing/relayhostname.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QSignalSpy>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestDnsReadinessCheck final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void zone();
    void publicAddressSetting();
    void unresolvableRelay();
    void planFromConfig();
    void planSaysWhenTheHostNameIsMadeUp();
    void unansweredLookupsAreUnknown();
    void progressAndCancel();

private:
    QList<DomainReadiness> run(DnsReadinessCheck::Options options);
    ReadinessDns m_dns;
    QString m_skip;
};

void TestDnsReadinessCheck::initTestCase()
{
    m_skip = m_dns.start();
}

QList<DomainReadiness> TestDnsReadinessCheck::run(DnsReadinessCheck::Options options)
{
    DnsReadinessCheck check;
    QSignalSpy spy(&check, &DnsReadinessCheck::finished);
    options.nameserver = m_dns.nameserver();
    check.start(options);
    if (!spy.wait(30000))
        return {};
    return spy.at(0).at(0).value<QList<DomainReadiness>>();
}

static const ReadinessFinding *findingOf(const DomainReadiness &r, const QString &check)
{
    for (const ReadinessFinding &f : r.findings) {
        if (f.check == check)
            return &f;
    }
    return nullptr;
}

void TestDnsReadinessCheck::zone()
{
    REQUIRE_DNSMASQ(m_skip);
    DnsReadinessCheck::Options options;
    const auto domains = ReadinessPlan::domainsFromArguments(
        {QStringLiteral("ready.test"), QStringLiteral("@ByAddress.test"), QStringLiteral("elsewhere.test"),
         QStringLiteral("longttl.test."), QStringLiteral("nospf.test"), QStringLiteral("nullmx.test"),
         QStringLiteral("nosuch.test")});
    QVERIFY(domains.ok());
    options.domains = *domains;
    options.relay.hostname = ReadinessZone::relayHost();
    const QList<DomainReadiness> results = run(options);
    QCOMPARE(results.size(), 7);
    QMap<QString, DomainReadiness> by;
    for (const DomainReadiness &r : results)
        by.insert(r.domain, r);

    const DomainReadiness &ready = by.value(QStringLiteral("ready.test"));
    QCOMPARE(ready.status(), ReadinessStatus::Ok);
    QCOMPARE(ready.mx.values, QStringList{QStringLiteral("relay.mailroute.test")});
    QCOMPARE(ready.mx.ttls.value(0), 300u);
    QCOMPARE(ready.spf.value(0).first, QStringLiteral("192.0.2.25")); // relay.hostname's A record
    QCOMPARE(ready.spf.value(0).second.code, SpfResult::Code::Pass);

    const DomainReadiness &byAddress = by.value(QStringLiteral("byaddress.test"));
    QCOMPARE(byAddress.mxPointsHere, QList<bool>{true}); // mx.byaddress.test has the relay's address
    QCOMPARE(byAddress.status(), ReadinessStatus::Ok);
    QCOMPARE(byAddress.spf.value(0).second.matched, QStringLiteral("include:_spf.relayhost.test"));

    const DomainReadiness &elsewhere = by.value(QStringLiteral("elsewhere.test"));
    QCOMPARE(elsewhere.status(), ReadinessStatus::Failure);
    QCOMPARE(findingOf(elsewhere, QStringLiteral("MX"))->status, ReadinessStatus::Warning);
    QCOMPARE(elsewhere.spf.value(0).second.code, SpfResult::Code::SoftFail);
    QCOMPARE(elsewhere.suggestedSpf, QStringLiteral("v=spf1 include:_spf.provider.test ip4:192.0.2.25 ~all"));

    // Forwarded to the second dnsmasq: TTL 3600 (dnsmasq may have counted down a little).
    const DomainReadiness &longTtl = by.value(QStringLiteral("longttl.test"));
    QVERIFY2(longTtl.mx.ttls.value(0) > 3000u, qPrintable(QString::number(longTtl.mx.ttls.value(0))));
    const ReadinessFinding *ttl = findingOf(longTtl, QStringLiteral("MX TTL"));
    QVERIFY(ttl);
    QCOMPARE(ttl->status, ReadinessStatus::Warning);
    QCOMPARE(longTtl.spf.value(0).second.matched, QStringLiteral("a:relay.mailroute.test"));
    QCOMPARE(longTtl.status(), ReadinessStatus::Warning);

    const DomainReadiness &noSpf = by.value(QStringLiteral("nospf.test"));
    QCOMPARE(noSpf.status(), ReadinessStatus::Failure);
    QCOMPARE(findingOf(noSpf, QStringLiteral("SPF"))->detail, QStringLiteral("no SPF record"));
    QCOMPARE(noSpf.suggestedSpf, QStringLiteral("v=spf1 ip4:192.0.2.25 ~all"));
    QCOMPARE(findingOf(noSpf, QStringLiteral("MX"))->status, ReadinessStatus::Ok);

    const DomainReadiness &nullMx = by.value(QStringLiteral("nullmx.test"));
    QCOMPARE(findingOf(nullMx, QStringLiteral("MX"))->status, ReadinessStatus::Failure);
    QVERIFY(findingOf(nullMx, QStringLiteral("MX"))->detail.contains(QStringLiteral("null MX")));

    const DomainReadiness &nosuch = by.value(QStringLiteral("nosuch.test"));
    QCOMPARE(findingOf(nosuch, QStringLiteral("MX"))->status, ReadinessStatus::Failure);
    QVERIFY(findingOf(nosuch, QStringLiteral("MX"))->detail.contains(QStringLiteral("NXDOMAIN")));
}

void TestDnsReadinessCheck::publicAddressSetting()
{
    REQUIRE_DNSMASQ(m_skip);
    // relay.public_address wins over the host name's address: 198.51.100.9 is
    // in _spf.provider.test's network, so elsewhere.test passes and ready.test fails.
    DnsReadinessCheck::Options options;
    options.domains = {DomainCheck{QStringLiteral("elsewhere.test"), false, true},
                       DomainCheck{QStringLiteral("ready.test"), false, true}};
    options.relay.hostname = ReadinessZone::relayHost();
    options.relay.addresses = {{QHostAddress(QStringLiteral("198.51.100.9")), 32}};
    const auto results = run(options);
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0).status(), ReadinessStatus::Ok);
    QCOMPARE(results.at(1).status(), ReadinessStatus::Failure);
    QCOMPARE(results.at(1).suggestedSpf, QStringLiteral("v=spf1 ip4:192.0.2.25 ip4:198.51.100.9 -all"));
}

void TestDnsReadinessCheck::unresolvableRelay()
{
    REQUIRE_DNSMASQ(m_skip);
    DnsReadinessCheck::Options options;
    options.domains = {DomainCheck{QStringLiteral("ready.test"), true, true}};
    options.relay.hostname = QStringLiteral("unknown-relay.test");
    const auto results = run(options);
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.at(0).status(), ReadinessStatus::Failure);
    QVERIFY(findingOf(results.at(0), QStringLiteral("SPF"))
                ->advice.contains(QStringLiteral("relay.public_address")));
    // The MX still names relay.mailroute.test, which is not us now.
    QCOMPARE(results.at(0).mxPointsHere, QList<bool>{false});
}

void TestDnsReadinessCheck::planFromConfig()
{
    ConfigData config;
    config.area(Area::Inbound).domains = {{QStringLiteral("ready.test"), QStringLiteral("new.test")}};
    config.area(Area::Relay).domains = {{QStringLiteral("nullmx.test"), QStringLiteral("other.test")}};
    config.area(Area::Outbound).domains = {{QStringLiteral("new.test"), QStringLiteral("ready.test")}};
    config.area(Area::Outbound).users = {
        {QStringLiteral("bob.owen@new.test"), QStringLiteral("bob@elsewhere.test")}};
    config.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
    config.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("0.0.0.0:2525"));
    config.settings.insert(QStringLiteral("relay.public_address"),
                           QStringLiteral("192.0.2.25, 2001:db8::/64"));
    config.settings.insert(QStringLiteral("delivery.smarthost"), QStringLiteral("[smtp.new.test]:587"));
    config.settings.insert(QStringLiteral("delivery.smarthost_tls"), QStringLiteral("verify"));
    config.routes = {{QStringLiteral("zeta.test"), QStringLiteral("mx.zeta.test"), TlsPolicy::Encrypt},
                     {QStringLiteral("alpha.test"), QStringLiteral("192.0.2.7:25")}};
    const auto plan = ReadinessPlan::fromConfig(config);
    QVERIFY2(plan.ok(), qPrintable(plan.error));
    QCOMPARE(plan->relay.hostname, QStringLiteral("relay.mailroute.test"));
    QCOMPARE(plan->relay.port, quint16(2525));
    QVERIFY(!plan->relay.tls);
    QCOMPARE(plan->relay.addressTexts(),
             (QStringList{QStringLiteral("192.0.2.25"), QStringLiteral("2001:db8::/64")}));
    QStringList domains;
    for (const DomainCheck &d : plan->domains)
        domains << QStringLiteral("%1:%2%3").arg(d.domain, d.mx ? QStringLiteral("M") : QString(),
                                                 d.spf ? QStringLiteral("S") : QString());
    // Inbound/Relay sources: MX; Outbound targets (domains and users): SPF.
    QCOMPARE(domains, (QStringList{QStringLiteral("elsewhere.test:S"), QStringLiteral("nullmx.test:M"),
                                   QStringLiteral("ready.test:MS")}));
    QCOMPARE(plan->hops.size(), 3);
    QCOMPARE(plan->hops.at(0).hop, QStringLiteral("[smtp.new.test]:587"));
    QCOMPARE(plan->hops.at(1).role, QStringLiteral("route for alpha.test"));
    QCOMPARE(plan->hops.at(0).tls, TlsPolicy::Verify);  // delivery.smarthost_tls
    QCOMPARE(plan->hops.at(1).tls, TlsPolicy::May);     // delivery.tls_policy
    QCOMPARE(plan->hops.at(2).tls, TlsPolicy::Encrypt); // the route's own

    config.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("nonsense:"));
    QVERIFY(!ReadinessPlan::fromConfig(config).ok());
    QVERIFY(
        !ReadinessPlan::domainsFromArguments({QStringLiteral("ok.test"), QStringLiteral("bad..test")}).ok());
}

// relay.hostname empty on a machine called "vm": the plan carries one HOSTNAME
// warning that names the setting and the name the relay will use; a set
// relay.hostname, or a machine name with a domain, gives none.
void TestDnsReadinessCheck::planSaysWhenTheHostNameIsMadeUp()
{
    setMachineHostNameForTesting(QStringLiteral("vm"));
    ConfigData config;
    auto plan = ReadinessPlan::fromConfig(config);
    QVERIFY2(plan.ok(), qPrintable(plan.error));
    QCOMPARE(plan->relay.hostname, QStringLiteral("vm.localdomain"));
    QCOMPARE(plan->findings.size(), 1);
    QCOMPARE(plan->findings.first().status, ReadinessStatus::Warning);
    QCOMPARE(plan->findings.first().check, QStringLiteral("HOSTNAME"));
    QVERIFY2(plan->findings.first().detail.contains(QLatin1String("relay.hostname")) &&
                 plan->findings.first().detail.contains(QLatin1String("vm.localdomain")),
             qPrintable(plan->findings.first().detail));

    config.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("mx.drypizza.example"));
    plan = ReadinessPlan::fromConfig(config);
    QVERIFY(plan.ok());
    QVERIFY(plan->findings.isEmpty());

    config.settings.remove(QStringLiteral("relay.hostname"));
    setMachineHostNameForTesting(QStringLiteral("relay1.corp.example"));
    plan = ReadinessPlan::fromConfig(config);
    QVERIFY(plan.ok());
    QCOMPARE(plan->relay.hostname, QStringLiteral("relay1.corp.example"));
    QVERIFY(plan->findings.isEmpty());
    setMachineHostNameForTesting({});
}

void TestDnsReadinessCheck::unansweredLookupsAreUnknown()
{
    testing::FakeDnsProcess dns;
    const QString why = dns.start({
        u"--record"_s, u"relay.mailroute.test. 300 A 192.0.2.25"_s, u"--record"_s,
        u"silent.test. 300 MX 10 relay.mailroute.test."_s, u"--drop"_s,
        u"silent.test. TXT"_s, // SPF: the server never answers
        u"--record"_s, u"sfail.test. 300 TXT \"v=spf1 ip4:192.0.2.25 -all\""_s, u"--servfail"_s,
        u"sfail.test. MX"_s, // MX: SERVFAIL
        u"--record"_s, u"inc.test. 300 MX 10 relay.mailroute.test."_s, u"--record"_s,
        u"inc.test. 300 TXT \"v=spf1 include:_spf.gone.test -all\""_s, u"--drop"_s,
        u"_spf.gone.test. TXT"_s, // an include: that never answers
    });
    QVERIFY2(why.isEmpty(), qPrintable(why));
    DnsReadinessCheck check;
    QSignalSpy spy(&check, &DnsReadinessCheck::finished);
    DnsReadinessCheck::Options options;
    options.domains = {DomainCheck{u"silent.test"_s, true, true}, DomainCheck{u"sfail.test"_s, true, true},
                       DomainCheck{u"inc.test"_s, true, true}};
    options.relay.hostname = ReadinessZone::relayHost();
    options.nameserver = dns.nameserver();
    options.timeout = std::chrono::milliseconds(1500);
    check.start(options);
    QVERIFY(spy.wait(60000));
    const auto results = spy.at(0).at(0).value<QList<DomainReadiness>>();
    QCOMPARE(results.size(), 3);

    const DomainReadiness &silent = results.at(0);
    const ReadinessFinding *spf = findingOf(silent, u"SPF"_s);
    QVERIFY(spf);
    QCOMPARE(spf->status, ReadinessStatus::Warning); // amber: unknown
    QVERIFY2(spf->detail.startsWith(u"unknown: the DNS server did not answer the TXT look-up"_s),
             qPrintable(spf->detail));
    QVERIFY(spf->detail.endsWith(u"cannot tell"_s));
    QVERIFY(silent.suggestedSpf.isEmpty()); // never a record to publish
    QVERIFY(!spf->advice.contains(u"v=spf1"_s));
    QCOMPARE(silent.spfRecords, 0);
    for (const ReadinessFinding &f : silent.findings)
        QVERIFY2(!f.detail.contains(u"no SPF record"_s), qPrintable(f.detail));
    QCOMPARE(findingOf(silent, u"MX"_s)->status, ReadinessStatus::Ok); // the MX answered

    const DomainReadiness &sfail = results.at(1);
    const ReadinessFinding *mx = findingOf(sfail, u"MX"_s);
    QVERIFY(mx);
    QCOMPARE(mx->status, ReadinessStatus::Warning);
    QVERIFY2(mx->detail.startsWith(u"unknown: "_s), qPrintable(mx->detail));
    QVERIFY2(!mx->detail.contains(u"no MX records"_s), qPrintable(mx->detail));
    QCOMPARE(findingOf(sfail, u"SPF 192.0.2.25"_s)->status, ReadinessStatus::Ok); // its TXT answered

    // The include: never answers: temperror, unknown, and no record to publish.
    const DomainReadiness &inc = results.at(2);
    const ReadinessFinding *incSpf = findingOf(inc, u"SPF 192.0.2.25"_s);
    QVERIFY(incSpf);
    QCOMPARE(incSpf->status, ReadinessStatus::Warning);
    QVERIFY2(incSpf->detail.startsWith(u"unknown: temperror"_s), qPrintable(incSpf->detail));
    QVERIFY(inc.suggestedSpf.isEmpty());
    QVERIFY(!incSpf->advice.contains(u"v=spf1"_s));
}

void TestDnsReadinessCheck::progressAndCancel()
{
    QStringList args;
    QList<DomainCheck> domains;
    for (int i = 0; i < 120; ++i) {
        args << u"--record"_s << u"d%1.many.test. 300 MX 10 relay.mailroute.test."_s.arg(i);
        domains << DomainCheck{u"d%1.many.test"_s.arg(i), true, false};
    }
    args << u"--record"_s << u"relay.mailroute.test. 300 A 192.0.2.25"_s << u"--drop"_s << u"hang.test. *"_s;
    testing::FakeDnsProcess dns;
    const QString why = dns.start(args);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    DnsReadinessCheck check;
    QSignalSpy finished(&check, &DnsReadinessCheck::finished);
    QSignalSpy cancelled(&check, &DnsReadinessCheck::cancelled);
    QList<std::pair<int, int>> steps;
    connect(&check, &DnsReadinessCheck::progress, this, [&steps](int answered, int asked) {
        steps.append({answered, asked});
    });
    DnsReadinessCheck::Options options;
    options.domains = domains;
    options.relay.hostname = ReadinessZone::relayHost();
    options.nameserver = dns.nameserver();
    check.start(options);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).value<QList<DomainReadiness>>().size(), 120);
    QVERIFY(steps.size() >= 120);
    for (qsizetype i = 1; i < steps.size(); ++i)
        QVERIFY(steps.at(i).first >= steps.at(i - 1).first); // never backwards
    QCOMPARE(steps.last().first, steps.last().second);       // all asked were answered
    QCOMPARE(steps.last().second, check.lookups());

    // A run with a domain whose name server never answers: cancelled before
    // its time-out, it never finishes.
    steps.clear();
    options.domains << DomainCheck{u"hang.test"_s, true, false};
    options.timeout = std::chrono::milliseconds(3000);
    check.start(options);
    QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty() && steps.last().first >= 120, 30000);
    QVERIFY(check.isRunning());
    check.cancel();
    QCOMPARE(cancelled.size(), 1);
    QVERIFY(!check.isRunning());
    QTest::qWait(3500); // past the time-out of the cancelled look-up
    QCOMPARE(finished.size(), 1);
    // The same object runs again.
    options.domains.removeLast();
    check.start(options);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 2);
}

QTEST_GUILESS_MAIN(TestDnsReadinessCheck)
#include "tst_dnsreadinesscheck.moc"
