// Next-hop resolution: configuration first, then DNS (RFC 5321 §5.1, RFC 7505).
// Lives on the engine thread; DnsResolver (libunbound) answers in this
// thread's event loop.
#include "relaycore/delivery/nexthopresolver.h"

#include "relaycore/config/hostport.h"
#include "relaycore/dns/dnsresolver.h"

#include "relaycore/routing/mailaddress.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <utility>

namespace mailroute {

namespace {

constexpr qint64 kNoTtl = std::numeric_limits<qint64>::max();

// An address a message may be sent to: not "any", not multicast or broadcast.
bool usable(const QHostAddress &a)
{
    return !a.isNull() && !a.isMulticast() && !a.isBroadcast() && a != QHostAddress::AnyIPv4 &&
           a != QHostAddress::AnyIPv6;
}

} // namespace

struct NextHopResolver::Pending
{
    QString key; // the destination: "mx:<domain>", "route:<spec>", "smarthost:<spec>"
    DestinationKind kind = DestinationKind::Mx;
    QString source; // destinationKindName(kind), for NextHop::source
    HopSpec spec;   // spec.host is the DNS name looked up
    Settings settings;
    QList<Waiter> waiters;
    QList<Host> hosts;
    bool implicit = false;
    qint64 ttl = kNoTtl;
    bool incomplete = false;          // a look-up failed: the result is not cached
    std::shared_ptr<DnsResolver> dns; // the resolver of the settings it started with
    QElapsedTimer started;            // for what is left of settings.timeout
    QList<quint64> lookups;           // DnsResolver ids in flight
};

Result<NextHopResolver::HopSpec> NextHopResolver::parseHopSpec(QStringView text)
{
    using R = Result<HopSpec>;
    // The one host[:port] parser of MailRoute (settings and routes use it too).
    const Result<HostPort> hp = parseHostPort(text);
    if (!hp)
        return R::failure(hp.error);
    HopSpec spec;
    spec.host = hp->host;
    spec.port = hp->portOr(25);
    spec.literal = hp->isAddress;
    // Postfix: brackets (or an address) turn off the MX look-up.
    spec.mxLookup = !hp->bracketed && !hp->isAddress;
    if (hp->isAddress && !usable(hp->address()))
        return R::failure(QStringLiteral("%1 is not an address mail can be sent to").arg(hp->host));
    return R::success(spec);
}

QList<std::pair<int, QString>> NextHopResolver::orderExchangers(QList<std::pair<int, QString>> exchangers,
                                                                QRandomGenerator *random)
{
    for (qsizetype i = exchangers.size() - 1; i > 0; --i)
        std::swap(exchangers[i], exchangers[qsizetype(random->bounded(quint32(i + 1)))]);
    std::stable_sort(exchangers.begin(), exchangers.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<std::pair<int, QString>> out;
    for (const auto &e : std::as_const(exchangers)) {
        const bool seen =
            std::any_of(out.cbegin(), out.cend(), [&e](const auto &o) { return o.second == e.second; });
        if (!seen)
            out.append(e);
    }
    return out;
}

NextHopResolver::NextHopResolver(Settings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_now = [clock] { return clock->elapsed(); };
}

NextHopResolver::~NextHopResolver() = default;

void NextHopResolver::setSettings(Settings settings)
{
    m_settings = std::move(settings);
    m_cache.clear();
    // A new name server gets a new resolver (dnsResolver()); look-ups in
    // flight keep the old one until they end.
}

void NextHopResolver::deliverLater(Waiter waiter, NextHopLookup lookup)
{
    lookup.domain = waiter.domain;
    QMetaObject::invokeMethod(
        this,
        [waiter = std::move(waiter), lookup = std::move(lookup)] {
            if (waiter.context)
                waiter.done(lookup);
        },
        Qt::QueuedConnection);
}

void NextHopResolver::resolve(const QString &domain, QObject *context, Callback done)
{
    QString d = domain.trimmed().toLower();
    if (d.endsWith(QLatin1Char('.')))
        d.chop(1);
    Waiter waiter{domain, context, std::move(done)};

    HopSpec spec;
    DestinationKind kind = DestinationKind::Mx;
    QString source;
    QString key;
    const auto route = m_settings.routes.constFind(d);
    const QString configured = route != m_settings.routes.cend() ? *route : m_settings.smarthost.trimmed();
    if (!configured.isEmpty()) {
        kind = route != m_settings.routes.cend() ? DestinationKind::Route : DestinationKind::SmartHost;
        source = destinationKindName(kind);
        key = source + QLatin1Char(':') + configured.toLower();
        const Result<HopSpec> parsed = parseHopSpec(configured);
        if (!parsed) {
            NextHopLookup bad;
            bad.destination = key;
            bad.kind = kind;
            bad.status = LookupStatus::TemporaryFailure; // fixable by the admin; no bounce meanwhile
            bad.error =
                QStringLiteral("invalid next hop '%1' (%2): %3").arg(configured, source, parsed.error);
            bad.enhancedStatus = QStringLiteral("4.3.5"); // RFC 3463: system incorrectly configured
            deliverLater(std::move(waiter), std::move(bad));
            return;
        }
        spec = *parsed;
    } else {
        source = destinationKindName(kind);
        key = source + QLatin1Char(':') + d;
        const Result<QString> name = normalizeDomain(d);
        if (!name) {
            NextHopLookup bad;
            bad.destination = key;
            bad.kind = kind;
            bad.status = LookupStatus::PermanentFailure;
            bad.error = QStringLiteral("invalid recipient domain '%1': %2").arg(d, name.error);
            bad.enhancedStatus = QStringLiteral("5.1.2");
            deliverLater(std::move(waiter), std::move(bad));
            return;
        }
        spec.host = *name;
    }

    if (spec.literal) {
        NextHopLookup lookup;
        lookup.destination = key;
        lookup.kind = kind;
        lookup.status = LookupStatus::Ok;
        lookup.hops.append(NextHop{spec.host, spec.port, 0, source, spec.host});
        deliverLater(std::move(waiter), std::move(lookup));
        return;
    }

    if (const auto cached = m_cache.constFind(key); cached != m_cache.cend()) {
        if (cached->expires > m_now()) {
            deliverLater(std::move(waiter), cached->lookup);
            return;
        }
        m_cache.erase(cached);
    }

    if (const auto running = m_pending.find(key); running != m_pending.end()) {
        running->second->waiters.append(std::move(waiter));
        return;
    }

    auto pending = std::make_unique<Pending>();
    Pending &p = *pending;
    p.key = key;
    p.kind = kind;
    p.source = source;
    p.spec = spec;
    p.settings = m_settings;
    p.waiters.append(std::move(waiter));
    p.dns = dnsResolver();
    p.started.start();
    m_pending.emplace(key, std::move(pending));
    if (spec.mxLookup) {
        startMx(p);
    } else {
        p.hosts.append(Host{0, spec.host, {}, {}, 0, 0, 0, {}});
        startAddresses(p);
    }
}

std::shared_ptr<DnsResolver> NextHopResolver::dnsResolver()
{
    if (!m_dns || m_dns->options().nameserver != m_settings.nameserver) {
        DnsResolver::Options o;
        o.nameserver = m_settings.nameserver;
        // Deleted from the event loop: the last look-up of an old resolver
        // may end inside that resolver's own callback.
        m_dns = std::shared_ptr<DnsResolver>(new DnsResolver(o), [](DnsResolver *r) { r->deleteLater(); });
    }
    return m_dns;
}

void NextHopResolver::ask(Pending &p, DnsType type, const QString &name,
                          std::function<void(const DnsAnswer &)> then)
{
    const qint64 left = qint64(p.settings.timeout.count()) - p.started.elapsed();
    const QString key = p.key;
    // Nothing left of the destination's time: its answer is "no answer" now.
    const std::chrono::milliseconds timeout{qMax<qint64>(1, left)};
    p.lookups.append(p.dns->lookup(
        type, name, this,
        [this, key, then = std::move(then)](const DnsAnswer &a) {
            const auto it = m_pending.find(key);
            if (it == m_pending.end())
                return;
            then(a);
        },
        timeout));
}

void NextHopResolver::startMx(Pending &p)
{
    const QString key = p.key;
    ask(p, DnsType::MX, p.spec.host, [this, key](const DnsAnswer &a) { onMx(key, a); });
}

void NextHopResolver::startAddresses(Pending &p)
{
    const QString key = p.key;
    for (qsizetype i = 0; i < p.hosts.size(); ++i) {
        p.hosts[i].pending = 2;
        for (const DnsType type : {DnsType::A, DnsType::AAAA}) {
            ask(p, type, p.hosts.at(i).name, [this, key, host = int(i), type](const DnsAnswer &a) {
                onAddress(key, a, host, type == DnsType::AAAA);
            });
        }
    }
}

void NextHopResolver::onMx(const QString &key, const DnsAnswer &answer)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = *it->second;
    const QString &name = p.spec.host;
    switch (answer.outcome) {
    case DnsAnswer::Outcome::Records: {
        QList<std::pair<int, QString>> exchangers;
        int nullMx = 0;
        p.ttl = qMin<qint64>(p.ttl, answer.ttl);
        for (qsizetype i = 0; i < answer.values.size(); ++i) {
            const QString &host = answer.values.at(i);
            // RFC 7505 §3: "." as exchange (DnsAnswer gives it as an empty name).
            if (host.isEmpty()) {
                ++nullMx;
                continue;
            }
            exchangers.append({answer.preferences.value(i), host});
        }
        if (exchangers.isEmpty() && nullMx > 0) {
            fail(key, LookupStatus::PermanentFailure,
                 QStringLiteral("domain %1 does not accept mail (null MX, RFC 7505)").arg(name),
                 QStringLiteral("5.1.10"));
            return;
        }
        if (exchangers.isEmpty())
            break; // no usable records: as NODATA, the implicit MX below
        const QList<std::pair<int, QString>> ordered =
            orderExchangers(exchangers, QRandomGenerator::global());
        for (const auto &[preference, host] : ordered) {
            if (p.hosts.size() >= qMax(1, p.settings.maxAddresses))
                break;
            p.hosts.append(Host{preference, host, {}, {}, 0, 0, 0, {}});
        }
        startAddresses(p);
        return;
    }
    case DnsAnswer::Outcome::NxDomain:
        fail(key, LookupStatus::PermanentFailure, QStringLiteral("domain %1 not found (NXDOMAIN)").arg(name),
             QStringLiteral("5.1.2"));
        return;
    case DnsAnswer::Outcome::NoRecords:
        // The negative answer's TTL bounds how long the implicit MX is kept.
        p.ttl =
            qMin<qint64>(p.ttl, answer.ttl > 0 ? qint64(answer.ttl) : qint64(p.settings.negativeTtl.count()));
        break;
    case DnsAnswer::Outcome::Failure:
        // No answer, SERVFAIL, REFUSED: nothing is known about the MX records,
        // so the implicit MX must not be used (RFC 5321 §5.1).
        fail(key, LookupStatus::TemporaryFailure,
             QStringLiteral("MX look-up for %1 failed: %2").arg(name, answer.error), QStringLiteral("4.4.3"));
        return;
    }
    // RFC 5321 §5.1: no MX records, so the name itself is the mail exchanger.
    p.implicit = true;
    p.hosts.append(Host{0, name, {}, {}, 0, 0, 0, {}});
    startAddresses(p);
}

void NextHopResolver::onAddress(const QString &key, const DnsAnswer &answer, int host, bool v6)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = *it->second;
    Host &h = p.hosts[host];
    --h.pending;
    switch (answer.outcome) {
    case DnsAnswer::Outcome::Records:
        p.ttl = qMin<qint64>(p.ttl, answer.ttl);
        for (const QString &text : answer.values) {
            const QHostAddress a(text);
            if (!usable(a))
                continue;
            QStringList &list = v6 ? h.v6 : h.v4;
            if (!list.contains(a.toString()))
                list.append(a.toString());
        }
        break;
    case DnsAnswer::Outcome::NoRecords: ++h.noData; break;
    case DnsAnswer::Outcome::NxDomain: ++h.notFound; break;
    case DnsAnswer::Outcome::Failure:
        p.incomplete = true;
        if (h.failure.isEmpty())
            h.failure = QStringLiteral("%1 look-up for %2 failed: %3")
                            .arg(v6 ? QStringLiteral("AAAA") : QStringLiteral("A"), h.name, answer.error);
        break;
    }
    for (const Host &each : std::as_const(p.hosts)) {
        if (each.pending > 0)
            return;
    }
    finishAddresses(key);
}

void NextHopResolver::finishAddresses(const QString &key)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    const Pending &p = *it->second;
    NextHopLookup result;
    result.destination = key;
    result.kind = p.kind;
    const QString source =
        p.implicit && p.kind == DestinationKind::Mx ? QStringLiteral("implicit-mx") : p.source;
    const int limit = qMax(1, p.settings.maxAddresses);
    bool allNotFound = true;
    QStringList names;
    QStringList failures;
    for (const Host &h : p.hosts) {
        allNotFound = allNotFound && h.notFound == 2;
        names << h.name;
        if (!h.failure.isEmpty())
            failures << h.failure;
        // IPv4 first: a relay without IPv6 connectivity would otherwise spend a
        // connection attempt on every AAAA before reaching a usable address.
        for (const QString &a : h.v4 + h.v6) {
            if (result.hops.size() < limit)
                result.hops.append(NextHop{h.name, p.spec.port, h.preference, source, a});
        }
    }
    if (!result.hops.isEmpty()) {
        result.status = LookupStatus::Ok;
        // A host whose look-up failed may answer next time: not kept.
        finish(key, result, p.incomplete ? 0 : p.ttl);
        return;
    }
    const QString &name = p.spec.host;
    const QString nameList = names.join(QStringLiteral(", "));
    if (!failures.isEmpty()) {
        // Not "no address": the name server did not say (RFC 5321 §5.1 asks
        // for a temporary failure when the look-up itself fails).
        fail(key, LookupStatus::TemporaryFailure,
             QStringLiteral("no address found for %1: %2").arg(nameList, failures.join(QStringLiteral("; "))),
             QStringLiteral("4.4.3"));
        return;
    }
    // Every answer was NXDOMAIN or NODATA.
    if (p.implicit) {
        if (allNotFound)
            fail(key, LookupStatus::PermanentFailure,
                 QStringLiteral("domain %1 not found (NXDOMAIN)").arg(name), QStringLiteral("5.1.2"));
        else
            fail(key, LookupStatus::PermanentFailure,
                 QStringLiteral("no MX or address records found for %1").arg(name), QStringLiteral("5.4.4"));
        return;
    }
    if (allNotFound)
        fail(key, LookupStatus::PermanentFailure,
             QStringLiteral("host or domain name not found: %1").arg(nameList), QStringLiteral("5.4.4"));
    else if (p.kind == DestinationKind::Mx)
        fail(key, LookupStatus::PermanentFailure,
             QStringLiteral("no address records found for the MX hosts of %1: %2").arg(name, nameList),
             QStringLiteral("5.4.4"));
    else
        // A configured route or smart host without addresses is the admin's
        // to fix: deferred meanwhile, like an invalid one (4.3.5).
        fail(key, LookupStatus::TemporaryFailure, QStringLiteral("no address found for %1").arg(nameList),
             QStringLiteral("4.4.3"));
}

void NextHopResolver::fail(const QString &key, LookupStatus status, const QString &why,
                           const QString &enhanced)
{
    NextHopLookup result;
    result.destination = key;
    if (const auto it = m_pending.find(key); it != m_pending.end())
        result.kind = it->second->kind;
    result.status = status;
    result.error = why;
    result.enhancedStatus = enhanced;
    finish(key, result, kNoTtl);
}

void NextHopResolver::finish(const QString &key, NextHopLookup result, qint64 ttlSeconds)
{
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    std::unique_ptr<Pending> p = std::move(it->second);
    m_pending.erase(it);
    for (const quint64 id : std::as_const(p->lookups))
        p->dns->cancel(id); // those still in flight; answered ones are gone already
    switch (result.status) {
    case LookupStatus::Ok: store(key, result, ttlSeconds); break;
    case LookupStatus::PermanentFailure: store(key, result, qint64(p->settings.negativeTtl.count())); break;
    case LookupStatus::TemporaryFailure: break; // asked again next time
    }
    for (Waiter &w : p->waiters) {
        if (!w.context)
            continue;
        NextHopLookup copy = result;
        copy.domain = w.domain;
        w.done(copy);
    }
}

void NextHopResolver::store(const QString &key, const NextHopLookup &lookup, qint64 ttlSeconds)
{
    const qint64 ttl = qMin<qint64>(ttlSeconds, m_settings.maxTtl.count());
    if (ttl <= 0 || m_settings.cacheEntries <= 0)
        return;
    const qint64 now = m_now();
    if (m_cache.size() >= m_settings.cacheEntries) {
        for (auto it = m_cache.begin(); it != m_cache.end();)
            it = it->expires <= now ? m_cache.erase(it) : std::next(it);
    }
    while (!m_cache.isEmpty() && m_cache.size() >= m_settings.cacheEntries) {
        auto soonest = m_cache.begin();
        for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
            if (it->expires < soonest->expires)
                soonest = it;
        }
        m_cache.erase(soonest);
    }
    m_cache.insert(key, CacheEntry{lookup, now + ttl * 1000});
}

} // namespace mailroute
