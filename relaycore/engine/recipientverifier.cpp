#include "relaycore/engine/recipientverifier.h"

#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/relayconfig.h"

#include <QDateTime>
#include <QThread>

namespace mailroute {

namespace {

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1);
}

// One line, without the framing a reply to our client must not carry.
QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.simplified();
}

} // namespace

QString VerifyOutcome::verdictName() const
{
    switch (verdict) {
    case Verdict::Accepted: return QStringLiteral("accepted");
    case Verdict::Refused: return QStringLiteral("refused");
    case Verdict::Unknown: return QStringLiteral("unknown");
    case Verdict::Unchecked: return QStringLiteral("unchecked");
    }
    return QStringLiteral("unknown");
}

Reply VerifyOutcome::clientReply(const QString &recipient) const
{
    // Postfix's wording (smtpd_check.c, reject_unverified_recipient).
    const QByteArray who = '<' + recipient.toUtf8() + ">: Recipient address rejected: ";
    switch (verdict) {
    case Verdict::Accepted:
    case Verdict::Unchecked: return Reply{250, QByteArrayLiteral("2.1.5"), QByteArrayLiteral("Ok")};
    case Verdict::Refused:
        return Reply{550, QByteArrayLiteral("5.1.1"),
                     who + "undeliverable address: " + oneLine(targetReply).toUtf8()};
    case Verdict::Unknown: break;
    }
    return Reply{450, QByteArrayLiteral("4.1.1"),
                 who + "unverified address: " + oneLine(targetReply).toUtf8()};
}

DeliveryTimeouts defaultVerifyTimeouts()
{
    DeliveryTimeouts t;
    t.connect = std::chrono::milliseconds(10'000);
    t.greeting = std::chrono::milliseconds(30'000);
    t.helo = std::chrono::milliseconds(30'000);
    t.mail = std::chrono::milliseconds(30'000);
    t.rcpt = std::chrono::milliseconds(30'000);
    t.rset = std::chrono::milliseconds(10'000);
    t.quit = std::chrono::milliseconds(10'000);
    return t;
}

RecipientVerifier::Settings RecipientVerifier::Settings::fromConfig(const RelayConfig &config)
{
    Settings s;
    s.heloName = config.hostName;
    s.sender = config.verifySender;
    s.concurrency = config.verifyConcurrency;
    s.positiveTtl = std::chrono::seconds(config.verifyPositiveTtlSecs);
    s.negativeTtl = std::chrono::seconds(config.verifyNegativeTtlSecs);
    s.defaultTls = config.defaultTls;
    s.smarthostTls = config.smarthostTls;
    s.routeTls = config.routeTls;
    s.caCertificates = config.tlsCaCertificates;
    s.smarthostNeedsAuth = !config.smarthostUser.isEmpty();
    return s;
}

RecipientVerifier::RecipientVerifier(NextHopResolver *resolver, QObject *parent)
    : QObject(parent),
      m_resolver(resolver ? resolver : new NextHopResolver(NextHopResolver::Settings{}, this)),
      m_agent(new DeliveryAgent(DeliveryAgent::Settings{}, this)),
      m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    connect(m_agent, &DeliveryAgent::finished, this, &RecipientVerifier::onDelivered);
    setSettings(m_settings);
}

RecipientVerifier::~RecipientVerifier() = default;

void RecipientVerifier::setSettings(const Settings &settings)
{
    m_settings = settings;
    DeliveryAgent::Settings a;
    a.heloName = settings.heloName;
    a.concurrencyPerDestination = qMax(1, settings.concurrency);
    a.globalConcurrency = 100;
    a.timeouts = settings.timeouts;
    a.reuseConnections = true;
    a.idleTimeout = settings.idleTimeout;
    a.maxTransactionsPerConnection = qMax(1, settings.probesPerConnection);
    a.caCertificates = settings.caCertificates;
    m_agent->setSettings(a);
}

void RecipientVerifier::closeIdleConnections()
{
    m_agent->closeIdleConnections();
}

void RecipientVerifier::verify(const QString &address, QObject *context, Callback done, bool useCache)
{
    const QString key = VerifyCache::keyOf(address);
    if (useCache) {
        if (const auto hit = m_cache.find(address, m_now())) {
            ++m_stats.cacheHits;
            VerifyOutcome o;
            o.verdict = hit->accepted ? VerifyOutcome::Verdict::Accepted : VerifyOutcome::Verdict::Refused;
            o.address = address;
            o.targetReply = hit->reply;
            o.nextHop = hit->nextHop;
            o.cached = true;
            QMetaObject::invokeMethod(
                context, [done = std::move(done), o] { done(o); }, Qt::QueuedConnection);
            return;
        }
        if (const auto it = m_inFlight.constFind(key); it != m_inFlight.constEnd()) {
            ++m_stats.shared;
            m_probes[it.value()].waiters.push_back(Waiter{context, std::move(done)});
            return;
        }
    }
    const quint64 id = ++m_serial;
    Probe &p = m_probes[id];
    p.address = address;
    p.store = useCache;
    p.waiters.push_back(Waiter{context, std::move(done)});
    if (useCache)
        m_inFlight.insert(key, id);
    ++m_stats.probes;
    m_resolver->resolve(domainOf(address), this,
                        [this, id](const NextHopLookup &lookup) { onLookup(id, lookup); });
}

TlsPolicy RecipientVerifier::tlsPolicyFor(const NextHopLookup &lookup) const
{
    switch (lookup.kind) {
    case DestinationKind::SmartHost: return m_settings.smarthostTls;
    case DestinationKind::Route: return m_settings.routeTls.value(lookup.domain, m_settings.defaultTls);
    case DestinationKind::Mx: break;
    }
    return m_settings.defaultTls;
}

void RecipientVerifier::onLookup(quint64 id, const NextHopLookup &lookup)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    VerifyOutcome o;
    o.address = it->second.address;
    if (lookup.status != LookupStatus::Ok || lookup.hops.isEmpty()) {
        // The routing of a configured domain is broken: the admin's problem,
        // not the sender's. The client retries; nothing is cached.
        o.verdict = VerifyOutcome::Verdict::Unknown;
        o.targetReply = lookup.error.isEmpty() ? QStringLiteral("no next hop") : lookup.error;
        finish(id, std::move(o));
        return;
    }
    if (m_settings.smarthostNeedsAuth && lookup.kind == DestinationKind::SmartHost) {
        o.verdict = VerifyOutcome::Verdict::Unchecked;
        o.targetReply = QStringLiteral("not verified: the smart host requires SMTP AUTH");
        finish(id, std::move(o));
        return;
    }
    DeliveryRequest r;
    r.probe = true;
    r.messageId = qint64(id);
    r.queueId = QStringLiteral("verify");
    r.sender = m_settings.sender;
    r.recipientIds = {1};
    r.recipients = {it->second.address};
    // The concurrency limit is per server, not per domain: two domains routed
    // to one tenant share it.
    r.destination = QStringLiteral("verify:") + lookup.hops.first().connectionKey();
    r.hops = lookup.hops;
    r.tls = tlsPolicyFor(lookup);
    m_agent->deliver(std::move(r));
}

void RecipientVerifier::onDelivered(const DeliveryResult &result)
{
    const quint64 id = quint64(result.messageId);
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    VerifyOutcome o;
    o.address = it->second.address;
    const RecipientResult r = result.recipients.value(0);
    o.targetReply = r.reply;
    o.nextHop = r.nextHop.isEmpty() ? result.nextHop : r.nextHop;
    switch (r.verdict) {
    case DeliveryVerdict::Delivered: o.verdict = VerifyOutcome::Verdict::Accepted; break;
    case DeliveryVerdict::PermanentFailure: o.verdict = VerifyOutcome::Verdict::Refused; break;
    case DeliveryVerdict::TemporaryFailure: o.verdict = VerifyOutcome::Verdict::Unknown; break;
    }
    if (it->second.store && o.verdict != VerifyOutcome::Verdict::Unknown) {
        const qint64 now = m_now();
        const auto ttl =
            o.verdict == VerifyOutcome::Verdict::Accepted ? m_settings.positiveTtl : m_settings.negativeTtl;
        m_cache.store(o.address,
                      VerifyCacheEntry{o.verdict == VerifyOutcome::Verdict::Accepted, o.targetReply,
                                       o.nextHop, now, now + qint64(ttl.count()) * 1000});
    }
    finish(id, std::move(o));
}

void RecipientVerifier::finish(quint64 id, VerifyOutcome outcome)
{
    const auto it = m_probes.find(id);
    if (it == m_probes.end())
        return;
    Probe probe = std::move(it->second);
    m_probes.erase(it);
    if (probe.store) {
        const QString key = VerifyCache::keyOf(probe.address);
        if (m_inFlight.value(key) == id)
            m_inFlight.remove(key);
    }
    for (Waiter &w : probe.waiters) {
        if (!w.context)
            continue;
        VerifyOutcome o = outcome;
        if (QThread::currentThread() == w.context->thread())
            w.done(o);
        else
            QMetaObject::invokeMethod(
                w.context.data(), [done = std::move(w.done), o] { done(o); }, Qt::QueuedConnection);
    }
}

} // namespace mailroute
