// DNS figures (issue 11 item 2), by hand, never in the test suite:
//  1. DnsResolver: N look-ups of distinct names in flight at once against
//     dnsmasq on 127.0.0.1 (the old QDnsLookup ran five at a time);
//  2. DnsReadinessCheck over 500 domains (MX, SPF with one include:, the MX
//     hosts' addresses), the run the Readiness page shows progress for.
// Usage: bench_dns [N]   (default 1000). Needs dnsmasq; no root.
#include "relaycore/dns/dnsresolver.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace mailroute;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, atoi(argv[1])) : 1000;
    QStringList zone{QStringLiteral("--local=/test/"), QStringLiteral("--local-ttl=300"),
                     QStringLiteral("--address=/many.test/127.0.0.1"),
                     QStringLiteral("--host-record=relay.mailroute.test,192.0.2.25"),
                     QStringLiteral("--txt-record=_spf.provider.test,v=spf1 ip4:192.0.2.0/24 -all")};
    for (int i = 0; i < 500; ++i) {
        zone << QStringLiteral("--mx-host=d%1.test,mx%1.many.test,10").arg(i)
             << QStringLiteral("--txt-record=d%1.test,v=spf1 include:_spf.provider.test -all").arg(i);
    }
    testing::DnsmasqProcess dns;
    const QString why = dns.start(zone + QStringList{QStringLiteral("--cache-size=0")});
    if (!why.isEmpty()) {
        std::fprintf(stderr, "bench_dns: %s\n", qPrintable(why));
        return 1;
    }

    {
        DnsResolver::Options o;
        o.nameserver = dns.nameserver();
        DnsResolver resolver(o);
        QObject context;
        int answered = 0;
        int records = 0;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < n; ++i) {
            resolver.lookup(DnsType::A, QStringLiteral("h%1.many.test").arg(i), &context,
                            [&](const DnsAnswer &a) {
                                ++answered;
                                records += a.hasRecords() ? 1 : 0;
                                if (answered == n)
                                    app.quit();
                            });
        }
        app.exec();
        std::printf("DnsResolver: %d A look-ups of distinct names at once: %lld ms (%d with records)\n", n,
                    static_cast<long long>(t.elapsed()), records);
    }
    {
        DnsReadinessCheck check;
        DnsReadinessCheck::Options o;
        for (int i = 0; i < 500; ++i)
            o.domains << DomainCheck{QStringLiteral("d%1.test").arg(i), true, true};
        o.relay.hostname = QStringLiteral("relay.mailroute.test");
        o.nameserver = dns.nameserver();
        int progressSignals = 0;
        QObject::connect(&check, &DnsReadinessCheck::progress, &app, [&](int, int) { ++progressSignals; });
        int ok = 0;
        QObject::connect(&check, &DnsReadinessCheck::finished, &app, [&](const QList<DomainReadiness> &r) {
            for (const DomainReadiness &d : r)
                ok += d.status() != ReadinessStatus::Failure ? 1 : 0;
            app.quit();
        });
        QElapsedTimer t;
        t.start();
        check.start(o);
        app.exec();
        std::printf(
            "DnsReadinessCheck: 500 domains (MX + SPF): %lld ms, %d look-ups, %d progress signals, %d not "
            "failing\n",
            static_cast<long long>(t.elapsed()), check.lookups(), progressSignals, ok);
    }
    return 0;
}
