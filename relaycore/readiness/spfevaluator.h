// SPF (RFC 7208) for the readiness checks: does a domain's record authorise
// the relay's address, and which record would? check_host() runs over DNS
// answers collected beforehand (DnsAnswers); an answer it needs but does not
// have is reported in missing(), so the caller looks it up and runs it again.
// That keeps the evaluation pure and the DNS traffic in one place
// (DnsReadinessCheck). Not evaluated: macros (§7) and ptr (§5.5, "do not
// use"); a record that needs them is reported as such.
#pragma once

#include "relaycore/readiness/dnsanswers.h"

#include <QHostAddress>
#include <QSet>
#include <QString>
#include <QStringList>

namespace mailroute {

struct SpfResult
{
    // RFC 7208 §2.6; Unsupported: the record needs a macro or ptr to decide.
    enum class Code { None, Neutral, Pass, Fail, SoftFail, TempError, PermError, Unsupported };
    Code code = Code::None;
    QString matched; // the term that decided ("ip4:192.0.2.0/24", "include:_spf.x.test", "-all"); empty: default
    QString reason;  // errors: why, in English
    int lookups = 0; // DNS-querying terms counted against the limit of 10 (§4.6.4)
    bool incomplete = false; // needed answers are missing: see SpfEvaluator::missing()
};

class SpfEvaluator final
{
public:
    static constexpr int kLookupLimit = 10;      // RFC 7208 §4.6.4
    static constexpr int kVoidLookupLimit = 2;   // §4.6.4
    static constexpr int kMxAddressLimit = 10;   // §4.6.4, per mx mechanism

    explicit SpfEvaluator(const DnsAnswers &dns) : m_dns(dns) {}

    // check_host(ip, domain) (RFC 7208 §4).
    SpfResult check(const QHostAddress &ip, const QString &domain);
    // DnsAnswers keys the last check() needed and did not find.
    const QSet<QString> &missing() const { return m_missing; }

    // The SPF record among a name's TXT records: empty when there is none;
    // `count` gets how many there are (more than one is a permerror, §4.5).
    static QString selectRecord(const QStringList &txt, int *count = nullptr);
    // The record to publish so that `addresses` pass: `record` with an
    // ip4:/ip6: term for each of them inserted before its "all" term (or its
    // redirect=, or at the end), keeping every existing mechanism; without a
    // record, "v=spf1 ip4:… ~all". Networks keep their prefix length.
    static QString recordWith(const QString &record, const QList<std::pair<QHostAddress, int>> &addresses);
    static QString codeName(SpfResult::Code code); // "pass", "softfail", ...

private:
    SpfResult checkHost(const QHostAddress &ip, const QString &domain, int depth);
    const DnsAnswer *lookup(DnsType type, const QString &name);

    const DnsAnswers &m_dns;
    QSet<QString> m_missing;
    int m_lookups = 0;
    int m_voidLookups = 0;
};

} // namespace mailroute
