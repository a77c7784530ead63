// DnsReadinessCheck against a real name server (dnsmasq on a loopback
// address, readinesszone.h): MX with low and high TTL, pointing here by name
// and by address, null MX, NXDOMAIN, SPF with include/a, no SPF record; the
// relay's own address from relay.hostname or from relay.public_address.
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/readiness/readinessplan.h"
#include "readinesszone.h"

#include <QSignalSpy>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;

class TestDnsReadinessCheck final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void zone();
    void publicAddressSetting();
    void unresolvableRelay();
    void planFromConfig();

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
    options.nameserver = m_dns.address();
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
    MAILROUTE_REQUIRE(m_skip.isEmpty(), m_skip);
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
    MAILROUTE_REQUIRE(m_skip.isEmpty(), m_skip);
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
    MAILROUTE_REQUIRE(m_skip.isEmpty(), m_skip);
    DnsReadinessCheck::Options options;
    options.domains = {DomainCheck{QStringLiteral("ready.test"), true, true}};
    options.relay.hostname = QStringLiteral("unknown-relay.test");
    const auto results = run(options);
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.at(0).status(), ReadinessStatus::Failure);
    QVERIFY(findingOf(results.at(0), QStringLiteral("SPF"))->advice.contains(QStringLiteral("relay.public_address")));
    // The MX still names relay.mailroute.test, which is not us now.
    QCOMPARE(results.at(0).mxPointsHere, QList<bool>{false});
}

void TestDnsReadinessCheck::planFromConfig()
{
    ConfigData config;
    config.area(Area::Inbound).domains = {{QStringLiteral("ready.test"), QStringLiteral("new.test")}};
    config.area(Area::Relay).domains = {{QStringLiteral("nullmx.test"), QStringLiteral("other.test")}};
    config.area(Area::Outbound).domains = {{QStringLiteral("new.test"), QStringLiteral("ready.test")}};
    config.area(Area::Outbound).users = {{QStringLiteral("bob.owen@new.test"), QStringLiteral("bob@elsewhere.test")}};
    config.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
    config.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("0.0.0.0:2525"));
    config.settings.insert(QStringLiteral("relay.public_address"), QStringLiteral("192.0.2.25, 2001:db8::/64"));
    config.settings.insert(QStringLiteral("delivery.smarthost"), QStringLiteral("[smtp.new.test]:587"));
    config.settings.insert(QStringLiteral("delivery.smarthost_tls"), QStringLiteral("verify"));
    config.routes = {{QStringLiteral("zeta.test"), QStringLiteral("mx.zeta.test"), TlsPolicy::Encrypt},
                     {QStringLiteral("alpha.test"), QStringLiteral("192.0.2.7:25")}};
    const auto plan = ReadinessPlan::fromConfig(config);
    QVERIFY2(plan.ok(), qPrintable(plan.error));
    QCOMPARE(plan->relay.hostname, QStringLiteral("relay.mailroute.test"));
    QCOMPARE(plan->relay.port, quint16(2525));
    QVERIFY(!plan->relay.tls);
    QCOMPARE(plan->relay.addressTexts(), (QStringList{QStringLiteral("192.0.2.25"), QStringLiteral("2001:db8::/64")}));
    QStringList domains;
    for (const DomainCheck &d : plan->domains)
        domains << QStringLiteral("%1:%2%3").arg(d.domain, d.mx ? QStringLiteral("M") : QString(), d.spf ? QStringLiteral("S") : QString());
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
    QVERIFY(!ReadinessPlan::domainsFromArguments({QStringLiteral("ok.test"), QStringLiteral("bad..test")}).ok());
}

QTEST_GUILESS_MAIN(TestDnsReadinessCheck)
#include "tst_dnsreadinesscheck.moc"
