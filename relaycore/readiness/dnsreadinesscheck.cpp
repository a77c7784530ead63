#include "relaycore/readiness/dnsreadinesscheck.h"

#include "relaycore/dns/dnsresolver.h"
#include "relaycore/readiness/mailauthcheck.h"

#include <QTimer>

namespace mailroute {

DnsReadinessCheck::DnsReadinessCheck(QObject *parent) : QObject(parent) {}

DnsReadinessCheck::~DnsReadinessCheck() = default;

void DnsReadinessCheck::start(Options options)
{
    dropLookups();
    ++m_run; // answers of an abandoned run are dropped
    m_options = std::move(options);
    m_options.domains = m_options.domains.mid(0, kMaxDomains);
    if (!m_resolver || m_resolver->options().nameserver != m_options.nameserver) {
        if (m_resolver)
            m_resolver->deleteLater(); // start() may run inside one of its callbacks
        DnsResolver::Options o;
        o.nameserver = m_options.nameserver;
        o.timeout = m_options.timeout;
        m_resolver = new DnsResolver(o, this);
    }
    m_answers = DnsAnswers();
    m_pending = 0;
    m_lookupCount = 0;
    m_answered = 0;
    m_running = true;
    QSet<QString> keys;
    for (const DomainCheck &d : std::as_const(m_options.domains)) {
        if (d.mx)
            keys << DnsAnswers::key(DnsType::MX, d.domain);
        if (d.spf)
            keys << DnsAnswers::key(DnsType::TXT, d.domain);
        // DKIM records of its keys, its DMARC record and its organisational domain's.
        for (const QString &name : mailAuthLookups(d))
            keys << DnsAnswers::key(DnsType::TXT, name);
    }
    if (m_options.relay.addresses.isEmpty() && !m_options.relay.hostname.isEmpty()) {
        keys << DnsAnswers::key(DnsType::A, m_options.relay.hostname)
             << DnsAnswers::key(DnsType::AAAA, m_options.relay.hostname);
    }
    fetch(keys, [this] { afterDomains(); });
}

void DnsReadinessCheck::cancel()
{
    if (!m_running)
        return;
    dropLookups();
    ++m_run;
    m_then = {};
    m_running = false;
    emit cancelled();
}

void DnsReadinessCheck::dropLookups()
{
    if (m_resolver) {
        for (const quint64 id : std::as_const(m_inFlight))
            m_resolver->cancel(id);
    }
    m_inFlight.clear();
}

void DnsReadinessCheck::fetch(QSet<QString> keys, std::function<void()> then)
{
    m_then = std::move(then);
    const quint64 run = m_run;
    for (const QString &key : std::as_const(keys)) {
        if (m_answers.contains(key))
            continue;
        const auto [type, name] = splitDnsKey(key);
        ++m_pending;
        ++m_lookupCount;
        m_inFlight << m_resolver->lookup(type, name, this,
                                         [this, key, run](const DnsAnswer &a) { onAnswer(key, a, run); });
    }
    if (m_pending == 0) { // nothing to ask: go on from the event loop, never from inside start()
        QTimer::singleShot(0, this, [this, run] {
            if (run == m_run && m_then)
                std::exchange(m_then, {})();
        });
        return;
    }
    emit progress(m_answered, m_lookupCount);
}

void DnsReadinessCheck::onAnswer(const QString &key, const DnsAnswer &answer, quint64 run)
{
    if (run != m_run)
        return;
    const auto [type, name] = splitDnsKey(key);
    m_answers.insert(type, name, answer);
    ++m_answered;
    emit progress(m_answered, m_lookupCount);
    if (--m_pending == 0) {
        m_inFlight.clear();
        if (m_then)
            std::exchange(m_then, {})();
    }
}

void DnsReadinessCheck::afterDomains()
{
    RelayIdentity &relay = m_options.relay;
    if (relay.addresses.isEmpty()) {
        for (DnsType t : {DnsType::A, DnsType::AAAA}) {
            if (const DnsAnswer *a = m_answers.find(t, relay.hostname)) {
                for (const QString &address : a->values)
                    relay.addresses.append({QHostAddress(address), t == DnsType::A ? 32 : 128});
            }
        }
    }
    // Whether an MX points here by address: the exchangers' addresses.
    QSet<QString> keys;
    for (const DomainCheck &d : std::as_const(m_options.domains)) {
        const DnsAnswer *mx = d.mx ? m_answers.find(DnsType::MX, d.domain) : nullptr;
        if (!mx)
            continue;
        for (const QString &exchange : mx->values.mid(0, SpfEvaluator::kMxAddressLimit)) {
            if (!exchange.isEmpty())
                keys << DnsAnswers::key(DnsType::A, exchange) << DnsAnswers::key(DnsType::AAAA, exchange);
        }
    }
    fetch(keys, [this] { spfRound(0); });
}

void DnsReadinessCheck::spfRound(int round)
{
    // Evaluate with what is known; ask for what was missing; again.
    QSet<QString> missing;
    SpfEvaluator evaluator(m_answers);
    for (const DomainCheck &d : std::as_const(m_options.domains)) {
        if (!d.spf)
            continue;
        for (const auto &net : std::as_const(m_options.relay.addresses)) {
            evaluator.check(net.first, d.domain);
            missing.unite(evaluator.missing());
        }
    }
    if (missing.isEmpty() || round >= kMaxRounds) {
        finish();
        return;
    }
    fetch(missing, [this, round] { spfRound(round + 1); });
}

void DnsReadinessCheck::finish()
{
    QList<DomainReadiness> results;
    for (const DomainCheck &d : std::as_const(m_options.domains))
        results << ReadinessAssessment::assess(d, m_options.relay, m_answers);
    m_running = false;
    emit finished(results);
}

} // namespace mailroute
