#include "relaycore/waves/wavechecker.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/recipientverifier.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/readiness/readinessplan.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/routing/waveplan.h"

#include <QPointer>
#include <QSet>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mailroute {

struct WaveChecker::Private
{
    Options options;
    WaveCheck check;
    bool running = false;
    quint64 run = 0;
    QPointer<DnsReadinessCheck> dns;
    QPointer<RecipientVerifier> verifier;
    QPointer<NextHopResolver> resolver;
    QPointer<QTimer> pacer;
    QStringList toProbe;
    qsizetype nextProbe = 0;
    int outstanding = 0;
    int rate = 0;
    std::shared_ptr<const RelayConfig> relay;
    QSet<QString> routed; // target domains with a route of their own, or all with a smart host
};

WaveChecker::WaveChecker(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) {}

WaveChecker::~WaveChecker() = default;

bool WaveChecker::isRunning() const
{
    return d->running;
}

void WaveChecker::start(Options options)
{
    ++d->run;
    delete d->dns;
    delete d->verifier;
    delete d->resolver;
    delete d->pacer;
    d->options = std::move(options);
    d->check = WaveCheck{};
    d->check.trigger = d->options.trigger;
    d->running = true;
    d->toProbe.clear();
    d->nextProbe = 0;
    d->outstanding = 0;
    d->routed.clear();
    const quint64 run = d->run;
    const Clock &clock = d->options.clock ? *d->options.clock : SystemClock::instance();
    const auto finish = [this, run, &clock] {
        if (run != d->run)
            return;
        d->running = false;
        d->check.time = clock.now();
        emit finished(d->check);
    };

    // 1. The configuration the wave makes: valid, and what lint says that it
    // did not say before.
    ConfigData after = d->options.after;
    for (auto it = d->options.overrides.cbegin(); it != d->options.overrides.cend(); ++it)
        after.settings.insert(it.key(), it.value());
    const auto built = RelayConfig::build(after, 0);
    if (!built) {
        d->check.items.append({WaveCheckItem::Kind::Lint,
                               false,
                               {},
                               u"the configuration with this wave is invalid: %1"_s.arg(built.error)});
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
        return;
    }
    d->relay = *built;
    QSet<QString> known;
    for (const LintFinding &f : lintConfig(d->options.before))
        known.insert(f.message);
    int fresh = 0;
    for (const LintFinding &f : lintConfig(d->options.after)) {
        if (known.contains(f.message))
            continue;
        ++fresh;
        d->check.items.append({WaveCheckItem::Kind::Lint, true, {}, u"new finding: "_s + f.message});
    }
    if (fresh == 0)
        d->check.items.append({WaveCheckItem::Kind::Lint, true, {}, u"valid; no new findings"_s});

    // 2. DNS readiness of the target domains that delivery looks up in DNS.
    const QStringList domains = waveTargetDomains(d->options.wave);
    QList<DomainCheck> lookups;
    for (const QString &domain : domains) {
        if (!d->relay->smartHost.isEmpty() || d->relay->routes.contains(domain)) {
            const QString hop = d->relay->routes.value(domain, d->relay->smartHost);
            d->routed.insert(domain);
            d->check.items.append(
                {WaveCheckItem::Kind::Dns, true, domain, u"delivered through %1 (no MX look-up)"_s.arg(hop)});
            continue;
        }
        DomainCheck c;
        c.domain = domain;
        c.mx = true;
        c.spf = false;
        lookups.append(c);
    }
    const auto probes = [this, run, finish] {
        if (run != d->run)
            return;
        int rate = d->options.probeRate;
        if (rate < 0)
            rate = static_cast<int>(SettingsSchema::toInteger(d->options.after.settings.value(
                SettingKey::wavesProbeRate(),
                SettingsSchema::find(SettingKey::wavesProbeRate())->defaultValue)));
        d->rate = rate;
        if (rate <= 0) {
            finish();
            return;
        }
        QSet<QString> seen;
        for (const WaveMapping &m : d->options.wave.users) {
            if (!seen.contains(m.target.toLower())) {
                seen.insert(m.target.toLower());
                d->toProbe.append(m.target);
            }
        }
        NextHopResolver::Settings rs;
        rs.routes = d->relay->routes;
        rs.smarthost = d->relay->smartHost;
        rs.nameserver = d->options.nameserver;
        d->resolver = new NextHopResolver(rs, this);
        d->verifier = new RecipientVerifier(d->resolver, this);
        RecipientVerifier::Settings vs = RecipientVerifier::Settings::fromConfig(*d->relay);
        vs.concurrency = 1;
        vs.idleTimeout = std::chrono::milliseconds(500);
        d->verifier->setSettings(vs);
        d->pacer = new QTimer(this);
        d->pacer->setInterval(std::max(1, 60'000 / rate));
        const auto next = [this, run, finish] {
            if (run != d->run)
                return;
            if (d->nextProbe >= d->toProbe.size()) {
                d->pacer->stop();
                if (d->outstanding == 0)
                    finish();
                return;
            }
            const QString address = d->toProbe.at(d->nextProbe++);
            ++d->outstanding;
            ++d->check.probed;
            d->verifier->verify(
                address, this,
                [this, run, finish, address](const VerifyOutcome &o) {
                    if (run != d->run)
                        return;
                    --d->outstanding;
                    const bool refused = o.verdict == VerifyOutcome::Verdict::Refused;
                    const QString where = o.nextHop.isEmpty() ? QString() : u" (%1)"_s.arg(o.nextHop);
                    d->check.items.append({WaveCheckItem::Kind::Probe, !refused, address,
                                           u"%1: %2%3"_s.arg(o.verdictName(), o.targetReply, where)});
                    if (d->nextProbe >= d->toProbe.size() && d->outstanding == 0) {
                        d->pacer->stop();
                        d->verifier->closeIdleConnections();
                        finish();
                    }
                },
                false);
        };
        connect(d->pacer, &QTimer::timeout, this, next);
        d->pacer->start();
        next(); // the first at once, then one per interval
    };
    if (lookups.isEmpty()) {
        QMetaObject::invokeMethod(this, probes, Qt::QueuedConnection);
        return;
    }
    d->dns = new DnsReadinessCheck(this);
    connect(d->dns, &DnsReadinessCheck::finished, this,
            [this, run, probes](const QList<DomainReadiness> &results) {
                if (run != d->run)
                    return;
                for (const DomainReadiness &r : results) {
                    const DnsAnswer &mx = r.mx;
                    WaveCheckItem item{WaveCheckItem::Kind::Dns, true, r.domain, {}};
                    switch (mx.outcome) {
                    case DnsAnswer::Outcome::Records: {
                        const bool nullMx = std::all_of(mx.values.cbegin(), mx.values.cend(),
                                                        [](const QString &v) { return v.isEmpty(); });
                        const bool here = r.mxPointsHere.contains(true);
                        if (nullMx) {
                            item.passed = false;
                            item.text = u"null MX: the domain accepts no mail"_s;
                        } else if (here) {
                            item.passed = false;
                            item.text = u"its MX is this relay (%1): mail to the targets would loop"_s.arg(
                                mx.values.join(u", "_s));
                        } else {
                            item.text = u"MX %1"_s.arg(mx.values.join(u", "_s));
                        }
                        break;
                    }
                    case DnsAnswer::Outcome::NoRecords:
                        item.text = u"no MX record; delivery uses the domain's address records"_s;
                        break;
                    case DnsAnswer::Outcome::NxDomain:
                        item.passed = false;
                        item.text = u"the domain does not exist (NXDOMAIN)"_s;
                        break;
                    case DnsAnswer::Outcome::Failure:
                        item.text = u"no answer from DNS; not known yet"_s;
                        break;
                    }
                    d->check.items.append(item);
                }
                probes();
            });
    DnsReadinessCheck::Options dnsOptions;
    dnsOptions.domains = lookups;
    if (const auto plan = ReadinessPlan::fromConfig(after))
        dnsOptions.relay = plan->relay;
    dnsOptions.nameserver = d->options.nameserver;
    dnsOptions.timeout = d->options.dnsTimeout;
    d->dns->start(dnsOptions);
}

} // namespace mailroute
