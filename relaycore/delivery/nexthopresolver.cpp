// Next-hop resolution: configuration first, then DNS (RFC 5321 §5.1, RFC 7505).
// Lives on the engine thread; QDnsLookup runs its queries on Qt's thread pool
// and reports back here.
#include "relaycore/delivery/nexthopresolver.h"

#include "relaycore/config/hostport.h"

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
    QString key;    // the destination: "mx:<domain>", "route:<spec>", "smarthost:<spec>"
    QString source; // "mx", "route", "smarthost"
    HopSpec spec;   // spec.host is the DNS name looked up
    Settings settings;
    QList<Waiter> waiters;
    QList<Host> hosts;
    bool implicit = false;
    qint64 ttl = kNoTtl;
    QTimer *timer = nullptr; // deleteLater: it may be the one firing when the look-up ends
    QList<QPointer<QDnsLookup>> lookups;
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
    QString source;
    QString key;
    const auto route = m_settings.routes.constFind(d);
    const QString configured = route != m_settings.routes.cend() ? *route : m_settings.smarthost.trimmed();
    if (!configured.isEmpty()) {
        source = route != m_settings.routes.cend() ? QStringLiteral("route") : QStringLiteral("smarthost");
        key = source + QLatin1Char(':') + configured.toLower();
        const Result<HopSpec> parsed = parseHopSpec(configured);
        if (!parsed) {
            NextHopLookup bad;
            bad.destination = key;
            bad.status = LookupStatus::TemporaryFailure; // fixable by the admin; no bounce meanwhile
            bad.error =
                QStringLiteral("invalid next hop '%1' (%2): %3").arg(configured, source, parsed.error);
            bad.enhancedStatus = QStringLiteral("4.3.5"); // RFC 3463: system incorrectly configured
            deliverLater(std::move(waiter), std::move(bad));
            return;
        }
        spec = *parsed;
    } else {
        source = QStringLiteral("mx");
        key = QStringLiteral("mx:") + d;
        const Result<QString> name = normalizeDomain(d);
        if (!name) {
            NextHopLookup bad;
            bad.destination = key;
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
    p.source = source;
    p.spec = spec;
    p.settings = m_settings;
    p.waiters.append(std::move(waiter));
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, key] {
        const auto it = m_pending.find(key);
        const QString name = it != m_pending.end() ? it->second->spec.host : key;
        fail(key, LookupStatus::TemporaryFailure, QStringLiteral("DNS look-up for %1 timed out").arg(name),
             QStringLiteral("4.4.3"));
    });
    m_pending.emplace(key, std::move(pending));
    p.timer->start(p.settings.timeout);
    if (spec.mxLookup) {
        startMx(p);
    } else {
        p.hosts.append(Host{0, spec.host, {}, {}, 0, 0});
        startAddresses(p);
    }
}

QDnsLookup *NextHopResolver::newLookup(Pending &p, QDnsLookup::Type type, const QString &name)
{
    auto *lookup = new QDnsLookup(type, name, this);
    if (!p.settings.nameserver.isNull())
        lookup->setNameserver(p.settings.nameserver);
    p.lookups.append(lookup);
    return lookup;
}

void NextHopResolver::startMx(Pending &p)
{
    QDnsLookup *lookup = newLookup(p, QDnsLookup::MX, p.spec.host);
    const QString key = p.key;
    connect(lookup, &QDnsLookup::finished, this, [this, key, lookup] { onMx(key, lookup); });
    lookup->lookup();
}

void NextHopResolver::startAddresses(Pending &p)
{
    const QString key = p.key;
    for (qsizetype i = 0; i < p.hosts.size(); ++i) {
        p.hosts[i].pending = 2;
        for (const QDnsLookup::Type type : {QDnsLookup::A, QDnsLookup::AAAA}) {
            QDnsLookup *lookup = newLookup(p, type, p.hosts.at(i).name);
            connect(lookup, &QDnsLookup::finished, this,
                    [this, key, lookup, host = int(i)] { onAddress(key, lookup, host); });
            lookup->lookup();
        }
    }
}

void NextHopResolver::onMx(const QString &key, QDnsLookup *lookup)
{
    lookup->deleteLater();
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = *it->second;
    p.lookups.removeAll(lookup);
    const QString &name = p.spec.host;
    switch (lookup->error()) {
    case QDnsLookup::NoError: {
        QList<std::pair<int, QString>> exchangers;
        int nullMx = 0;
        for (const QDnsMailExchangeRecord &r : lookup->mailExchangeRecords()) {
            p.ttl = qMin<qint64>(p.ttl, r.timeToLive());
            QString host = r.exchange().toLower();
            if (host.endsWith(QLatin1Char('.')))
                host.chop(1);
            // RFC 7505 §3: "." as exchange (Qt gives it as an empty name).
            if (host.isEmpty()) {
                ++nullMx;
                continue;
            }
            exchangers.append({int(r.preference()), host});
        }
        if (exchangers.isEmpty() && nullMx > 0) {
            fail(key, LookupStatus::PermanentFailure,
                 QStringLiteral("domain %1 does not accept mail (null MX, RFC 7505)").arg(name),
                 QStringLiteral("5.1.10"));
            return;
        }
        if (exchangers.isEmpty())
            break; // an empty answer: the implicit MX below
        const QList<std::pair<int, QString>> ordered =
            orderExchangers(exchangers, QRandomGenerator::global());
        for (const auto &[preference, host] : ordered) {
            if (p.hosts.size() >= qMax(1, p.settings.maxAddresses))
                break;
            p.hosts.append(Host{preference, host, {}, {}, 0, 0});
        }
        startAddresses(p);
        return;
    }
    case QDnsLookup::NotFoundError:
        fail(key, LookupStatus::PermanentFailure, QStringLiteral("domain %1 not found (NXDOMAIN)").arg(name),
             QStringLiteral("5.1.2"));
        return;
    case QDnsLookup::InvalidReplyError:
        // Qt 6.4 reports "no MX records" (NOERROR without answers) this way —
        // and also a server that did not answer at all. The implicit MX
        // look-up below tells them apart as far as possible.
        break;
    default:
        fail(key, LookupStatus::TemporaryFailure,
             QStringLiteral("MX look-up for %1 failed: %2").arg(name, lookup->errorString()),
             QStringLiteral("4.4.3"));
        return;
    }
    // RFC 5321 §5.1: no MX records, so the name itself is the mail exchanger.
    p.implicit = true;
    p.hosts.append(Host{0, name, {}, {}, 0, 0});
    startAddresses(p);
}

void NextHopResolver::onAddress(const QString &key, QDnsLookup *lookup, int host)
{
    lookup->deleteLater();
    const auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = *it->second;
    p.lookups.removeAll(lookup);
    Host &h = p.hosts[host];
    --h.pending;
    if (lookup->error() == QDnsLookup::NoError) {
        for (const QDnsHostAddressRecord &r : lookup->hostAddressRecords()) {
            const QHostAddress a = r.value();
            if (!usable(a))
                continue;
            p.ttl = qMin<qint64>(p.ttl, r.timeToLive());
            QStringList &list = a.protocol() == QAbstractSocket::IPv4Protocol ? h.v4 : h.v6;
            if (!list.contains(a.toString()))
                list.append(a.toString());
        }
    } else if (lookup->error() == QDnsLookup::NotFoundError) {
        ++h.notFound;
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
    const QString source =
        p.implicit && p.source == QLatin1String("mx") ? QStringLiteral("implicit-mx") : p.source;
    const int limit = qMax(1, p.settings.maxAddresses);
    bool allNotFound = true;
    QStringList names;
    for (const Host &h : p.hosts) {
        allNotFound = allNotFound && h.notFound == 2;
        names << h.name;
        // IPv4 first: a relay without IPv6 connectivity would otherwise spend a
        // connection attempt on every AAAA before reaching a usable address.
        for (const QString &a : h.v4 + h.v6) {
            if (result.hops.size() < limit)
                result.hops.append(NextHop{h.name, p.spec.port, h.preference, source, a});
        }
    }
    if (!result.hops.isEmpty()) {
        result.status = LookupStatus::Ok;
        finish(key, result, p.ttl);
        return;
    }
    const QString &name = p.spec.host;
    if (p.implicit) {
        if (allNotFound)
            fail(key, LookupStatus::PermanentFailure,
                 QStringLiteral("domain %1 not found (NXDOMAIN)").arg(name), QStringLiteral("5.1.2"));
        else
            // Qt 6.4 cannot tell "no such records" from "no answer" here, so
            // this stays temporary; the retry schedule ends it.
            fail(key, LookupStatus::TemporaryFailure,
                 QStringLiteral("no MX or address records found for %1 (or no answer from the name server)")
                     .arg(name),
                 QStringLiteral("4.4.3"));
        return;
    }
    if (allNotFound)
        fail(key, LookupStatus::PermanentFailure,
             QStringLiteral("host or domain name not found: %1").arg(names.join(QStringLiteral(", "))),
             QStringLiteral("5.4.4"));
    else
        fail(key, LookupStatus::TemporaryFailure,
             QStringLiteral("no address found for %1 (or no answer from the name server)")
                 .arg(names.join(QStringLiteral(", "))),
             QStringLiteral("4.4.3"));
}

void NextHopResolver::fail(const QString &key, LookupStatus status, const QString &why,
                           const QString &enhanced)
{
    NextHopLookup result;
    result.destination = key;
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
    p->timer->stop();
    p->timer->deleteLater();
    for (const QPointer<QDnsLookup> &l : std::as_const(p->lookups)) {
        if (l) {
            l->disconnect(this);
            l->abort();
            l->deleteLater();
        }
    }
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
