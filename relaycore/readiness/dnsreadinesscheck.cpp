#include "relaycore/readiness/dnsreadinesscheck.h"

#include <QDnsLookup>
#include <QTimer>

namespace mailroute {

namespace {

QDnsLookup::Type qtType(DnsType type)
{
    switch (type) {
    case DnsType::A:
        return QDnsLookup::A;
    case DnsType::AAAA:
        return QDnsLookup::AAAA;
    case DnsType::MX:
        return QDnsLookup::MX;
    case DnsType::TXT:
        return QDnsLookup::TXT;
    }
    return QDnsLookup::A;
}

DnsAnswer toAnswer(const QDnsLookup &lookup, DnsType type)
{
    DnsAnswer a;
    switch (lookup.error()) {
    case QDnsLookup::NoError:
        a.outcome = DnsAnswer::Outcome::Records;
        break;
    case QDnsLookup::NotFoundError:
        a.outcome = DnsAnswer::Outcome::NxDomain;
        return a;
    case QDnsLookup::InvalidReplyError:
        // Qt 6.4 reports NOERROR without records of the type (NODATA) this way
        // (see NextHopResolver::onMx).
        a.outcome = DnsAnswer::Outcome::NoRecords;
        return a;
    default:
        a.outcome = DnsAnswer::Outcome::Failure;
        a.error = lookup.errorString();
        return a;
    }
    switch (type) {
    case DnsType::A:
    case DnsType::AAAA:
        for (const QDnsHostAddressRecord &r : lookup.hostAddressRecords()) {
            a.values << r.value().toString();
            a.ttls << r.timeToLive();
        }
        break;
    case DnsType::MX:
        for (const QDnsMailExchangeRecord &r : lookup.mailExchangeRecords()) {
            a.values << DnsAnswers::canonicalName(r.exchange()); // "." (null MX) arrives as ""
            a.preferences << r.preference();
            a.ttls << r.timeToLive();
        }
        break;
    case DnsType::TXT:
        for (const QDnsTextRecord &r : lookup.textRecords()) {
            QByteArray joined; // RFC 7208 §3.3: the strings of one record, concatenated
            for (const QByteArray &part : r.values())
                joined += part;
            a.values << QString::fromUtf8(joined);
            a.ttls << r.timeToLive();
        }
        break;
    }
    if (a.values.isEmpty())
        a.outcome = DnsAnswer::Outcome::NoRecords;
    return a;
}

} // namespace

DnsReadinessCheck::DnsReadinessCheck(QObject *parent) : QObject(parent) {}

DnsReadinessCheck::~DnsReadinessCheck() = default;

void DnsReadinessCheck::start(Options options)
{
    ++m_run; // answers of an abandoned run are dropped
    m_options = std::move(options);
    m_options.domains = m_options.domains.mid(0, kMaxDomains);
    m_answers = DnsAnswers();
    m_pending = 0;
    m_lookupCount = 0;
    m_running = true;
    QSet<QString> keys;
    for (const DomainCheck &d : std::as_const(m_options.domains)) {
        if (d.mx)
            keys << DnsAnswers::key(DnsType::MX, d.domain);
        if (d.spf)
            keys << DnsAnswers::key(DnsType::TXT, d.domain);
    }
    if (m_options.relay.addresses.isEmpty() && !m_options.relay.hostname.isEmpty()) {
        keys << DnsAnswers::key(DnsType::A, m_options.relay.hostname)
             << DnsAnswers::key(DnsType::AAAA, m_options.relay.hostname);
    }
    fetch(keys, [this] { afterDomains(); });
}

void DnsReadinessCheck::fetch(QSet<QString> keys, std::function<void()> then)
{
    m_then = std::move(then);
    const quint64 run = m_run;
    for (const QString &key : std::as_const(keys)) {
        if (m_answers.contains(key))
            continue;
        const auto [type, name] = splitDnsKey(key);
        auto *lookup = new QDnsLookup(qtType(type), name, this);
        if (!m_options.nameserver.isNull())
            lookup->setNameserver(m_options.nameserver);
        connect(lookup, &QDnsLookup::finished, this, [this, lookup, key, run] { onLookup(lookup, key, run); });
        ++m_pending;
        ++m_lookupCount;
        lookup->lookup();
    }
    if (m_pending == 0) // nothing to ask: go on from the event loop, never from inside start()
        QTimer::singleShot(0, this, [this, run] {
            if (run == m_run && m_then)
                std::exchange(m_then, {})();
        });
}

void DnsReadinessCheck::onLookup(QDnsLookup *lookup, const QString &key, quint64 run)
{
    lookup->deleteLater();
    if (run != m_run)
        return;
    const auto [type, name] = splitDnsKey(key);
    m_answers.insert(type, name, toAnswer(*lookup, type));
    if (--m_pending == 0 && m_then)
        std::exchange(m_then, {})();
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
