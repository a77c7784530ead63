// SPF (RFC 7208): check_host() over DNS answers collected beforehand
// (DnsAnswers); an answer it needs but does not have is reported in
// missing(), so the caller looks it up and runs it again. That keeps the
// evaluation pure and the DNS traffic with the caller: the readiness checks
// (DnsReadinessCheck: does a domain's record authorise the relay's address)
// and the verification at receipt (ReceiptVerifier: the client's address
// against MAIL FROM, or HELO for a null sender). Macros (§7) and ptr (§5.5)
// are evaluated; exp= is not (the relay never refuses on SPF, so it has no
// explanation to give).
#pragma once

#include "relaycore/mailauth/dnsanswers.h"

#include <QHostAddress>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace mailroute {

struct SpfResult
{
    // RFC 7208 §2.6; Unsupported: kept for callers, no longer produced.
    enum class Code { None, Neutral, Pass, Fail, SoftFail, TempError, PermError, Unsupported };
    Code code = Code::None;
    QString
        matched; // the term that decided ("ip4:192.0.2.0/24", "include:_spf.x.test", "-all"); empty: default
    QString reason;          // errors: why, in English
    int lookups = 0;         // DNS-querying terms counted against the limit of 10 (§4.6.4)
    bool incomplete = false; // needed answers are missing: see SpfEvaluator::missing()
};

class SpfEvaluator final
{
public:
    static constexpr int kLookupLimit = 10;    // RFC 7208 §4.6.4
    static constexpr int kVoidLookupLimit = 2; // §4.6.4
    static constexpr int kMxAddressLimit = 10; // §4.6.4, per mx mechanism

    explicit SpfEvaluator(const DnsAnswers &dns) : m_dns(dns) {}

    // check_host(ip, domain, sender) (RFC 7208 §4) with sender
    // postmaster@domain and helo = domain.
    SpfResult check(const QHostAddress &ip, const QString &domain);
    // The SMTP check (§2.3, §2.4, §4.3): `mailFrom` ("" for the null sender,
    // then the HELO identity postmaster@helo is checked); a local part that
    // is empty counts as "postmaster". A domain that is not a valid
    // fully-qualified name gives None without a look-up.
    SpfResult checkSender(const QHostAddress &ip, const QString &mailFrom, const QString &helo);
    // The domain checkSender() checks ("" when none): the MAIL FROM domain, or HELO.
    static QString senderDomain(const QString &mailFrom, const QString &helo);
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

    // Reverse look-up name of an address: "4.3.2.1.in-addr.arpa", "...ip6.arpa".
    static QString reverseName(const QHostAddress &ip);

private:
    struct Context
    {
        QHostAddress ip;
        QString sender; // local@domain
        QString helo;
    };
    SpfResult run(const QHostAddress &ip, const QString &domain, const QString &sender, const QString &helo);
    SpfResult checkHost(const QString &domain, int depth);
    const DnsAnswer *lookup(DnsType type, const QString &name);
    // §7: expands `spec` for `domain`; nullopt with *error set on a syntax
    // error; with *incomplete set when %{p} needs answers still missing.
    std::optional<QString> expand(const QString &spec, const QString &domain, QString *error,
                                  bool *incomplete);
    // The validated names of the client (§5.5), or nullopt while answers are missing.
    std::optional<QStringList> validatedNames(bool countVoid, bool *tooManyVoid);

    Context m_ctx;

    const DnsAnswers &m_dns;
    QSet<QString> m_missing;
    int m_lookups = 0;
    int m_voidLookups = 0;
};

} // namespace mailroute
