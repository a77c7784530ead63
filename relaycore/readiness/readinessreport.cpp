#include "relaycore/readiness/readinessreport.h"

#include "relaycore/readiness/mailauthcheck.h"

#include <algorithm>

namespace mailroute {

namespace {

using S = ReadinessStatus;

ReadinessFinding finding(S status, QString check, QString detail, QString advice = {})
{
    return ReadinessFinding{status, std::move(check), std::move(detail), std::move(advice)};
}

QString plural(quint32 n, const char *unit)
{
    return QStringLiteral("%1 %2%3")
        .arg(n)
        .arg(QLatin1String(unit))
        .arg(n == 1 ? QString() : QStringLiteral("s"));
}

bool isRelayAddress(const RelayIdentity &relay, const QString &address)
{
    const QHostAddress a(address);
    return std::any_of(relay.addresses.cbegin(), relay.addresses.cend(),
                       [&](const auto &net) { return !a.isNull() && a.isInSubnet(net.first, net.second); });
}

// The finding's detail for a look-up that failed (no answer, SERVFAIL, ...).
QString unknownDetail(const QString &type, const DnsAnswer *answer)
{
    const QString why = answer ? answer->error : QStringLiteral("no answer");
    return QStringLiteral("unknown: the DNS server did not answer the %1 look-up (%2); cannot tell")
        .arg(type, why);
}

void assessMx(DomainReadiness &r, const RelayIdentity &relay, const DnsAnswers &dns)
{
    const QString &domain = r.domain;
    const DnsAnswer *mx = dns.find(DnsType::MX, domain);
    const QString publish = ReadinessAssessment::mxRecordFor(domain, relay);
    if (!mx || mx->outcome == DnsAnswer::Outcome::Failure) {
        // No answer or SERVFAIL says nothing about the records: unknown, not
        // "no MX" (amber, and no record to publish).
        r.findings << finding(
            S::Warning, QStringLiteral("MX"), unknownDetail(QStringLiteral("MX"), mx),
            QStringLiteral("Check that the domain's name servers answer, then run the check again."));
        return;
    }
    r.mx = *mx;
    if (mx->outcome == DnsAnswer::Outcome::NxDomain) {
        r.findings << finding(
            S::Failure, QStringLiteral("MX"), QStringLiteral("%1 does not exist (NXDOMAIN)").arg(domain),
            QStringLiteral("Check the spelling of the domain mapping; a domain that does not exist "
                           "cannot receive mail."));
        return;
    }
    if (!mx->hasRecords()) {
        r.findings << finding(
            S::Warning, QStringLiteral("MX"),
            QStringLiteral("no MX records: mail goes to the address of %1 itself (implicit MX)").arg(domain),
            QStringLiteral("To receive its mail through the relay, publish: %1").arg(publish));
        return;
    }
    // RFC 7505 §3: a single MX "." with preference 0 says "no mail".
    if (mx->values.size() == 1 && mx->values.first().isEmpty()) {
        r.mxPointsHere << false;
        r.findings << finding(
            S::Failure, QStringLiteral("MX"),
            QStringLiteral("null MX: %1 announces that it accepts no mail (RFC 7505)").arg(domain),
            QStringLiteral("Replace the null MX with an MX record naming the relay: %1").arg(publish));
        return;
    }
    const QString ourName = DnsAnswers::canonicalName(relay.hostname);
    QStringList records;
    QStringList ours;
    quint32 maxTtl = 0;
    for (qsizetype i = 0; i < mx->values.size(); ++i) {
        const QString &exchange = mx->values.at(i);
        bool here = !exchange.isEmpty() && exchange == ourName;
        const DnsAnswer *v4 = dns.find(DnsType::A, exchange);
        const DnsAnswer *v6 = dns.find(DnsType::AAAA, exchange);
        for (const DnsAnswer *a : {v4, v6}) {
            if (!a)
                continue;
            for (const QString &address : a->values)
                here = here || isRelayAddress(relay, address);
        }
        r.mxPointsHere << here;
        const quint32 ttl = mx->ttls.value(i);
        maxTtl = std::max(maxTtl, ttl);
        records << QStringLiteral("%1 %2 (TTL %3 s)")
                       .arg(mx->preferences.value(i))
                       .arg(exchange.isEmpty() ? QStringLiteral(".") : exchange)
                       .arg(ttl);
        if (here)
            ours << exchange;
    }
    if (ours.isEmpty()) {
        r.findings << finding(
            S::Warning, QStringLiteral("MX"),
            QStringLiteral("points elsewhere: %1").arg(records.join(QStringLiteral(", "))),
            QStringLiteral("At the cut-over, replace the MX records with: %1").arg(publish));
    } else {
        const bool all = ours.size() == mx->values.size();
        r.findings << finding(
            all ? S::Ok : S::Warning, QStringLiteral("MX"),
            QStringLiteral("points at this relay (%1): %2")
                .arg(ours.join(QStringLiteral(", ")), records.join(QStringLiteral(", "))),
            all ? QString()
                : QStringLiteral("Other MX hosts are listed too; remove them once the relay takes the "
                                 "domain's mail, or make sure they route the same way."));
    }
    if (maxTtl > ReadinessAssessment::kMaxSwitchTtl) {
        r.findings << finding(
            S::Warning, QStringLiteral("MX TTL"), ReadinessAssessment::describeTtl(maxTtl),
            QStringLiteral(
                "Lower the TTL of the MX records to 300 s and wait %1 before switching MX: until then "
                "resolvers may keep the old answer for up to %1 after the change.")
                .arg(ReadinessAssessment::describeDuration(maxTtl)));
    } else {
        r.findings << finding(
            S::Ok, QStringLiteral("MX TTL"), ReadinessAssessment::describeTtl(maxTtl),
            QStringLiteral("After an MX change, caches may keep the old answer for up to %1.")
                .arg(ReadinessAssessment::describeDuration(maxTtl)));
    }
}

void assessSpf(DomainReadiness &r, const RelayIdentity &relay, const DnsAnswers &dns)
{
    const DnsAnswer *txt = dns.find(DnsType::TXT, r.domain);
    if (!txt || txt->outcome == DnsAnswer::Outcome::Failure) {
        // Never "no SPF record: publish this": the domain may well have one,
        // and a second record breaks SPF for it (RFC 7208 §4.5).
        r.findings << finding(
            S::Warning, QStringLiteral("SPF"), unknownDetail(QStringLiteral("TXT"), txt),
            QStringLiteral("Check that the domain's name servers answer, then run the check again. "
                           "Do not publish an SPF record until the check can see the existing ones: two "
                           "SPF records make SPF fail (RFC 7208 §4.5)."));
        return;
    }
    if (txt->outcome == DnsAnswer::Outcome::NxDomain) {
        if (!r.mxChecked) // the MX finding says it already
            r.findings << finding(
                S::Failure, QStringLiteral("SPF"),
                QStringLiteral("%1 does not exist (NXDOMAIN)").arg(r.domain),
                QStringLiteral("Check the spelling of the domain; a domain that does not exist "
                               "cannot send mail."));
        return;
    }
    if (relay.addresses.isEmpty()) {
        for (const DnsType t : {DnsType::A, DnsType::AAAA}) {
            const DnsAnswer *a = dns.find(t, relay.hostname);
            if (!relay.addressesFromSetting && a && a->outcome == DnsAnswer::Outcome::Failure) {
                r.findings << finding(
                    S::Warning, QStringLiteral("SPF"),
                    unknownDetail(dnsTypeName(t), a) +
                        QStringLiteral(" (the relay's own address, %1)").arg(relay.hostname),
                    QStringLiteral("Check that the name servers of %1 answer, or set relay.public_address, "
                                   "then run the check again.")
                        .arg(relay.hostname));
                return;
            }
        }
        r.findings << finding(
            S::Failure, QStringLiteral("SPF"),
            QStringLiteral("the relay's public address is not known (%1 has no address)").arg(relay.hostname),
            QStringLiteral("Set relay.public_address to the address the relay sends from, or "
                           "relay.hostname to a name that resolves to it."));
        return;
    }
    r.spfRecord = SpfEvaluator::selectRecord(txt->values, &r.spfRecords);
    if (r.spfRecords > 1) {
        r.findings << finding(
            S::Failure, QStringLiteral("SPF"),
            QStringLiteral("%1 SPF records are published; receivers treat that as an error (RFC 7208 §4.5)")
                .arg(r.spfRecords),
            QStringLiteral("Merge them into one TXT record that starts with v=spf1."));
        return;
    }
    QList<std::pair<QHostAddress, int>> missing;
    SpfEvaluator evaluator(dns);
    for (const auto &net : relay.addresses) {
        const SpfResult res = evaluator.check(net.first, r.domain);
        r.spf.append({net.first.toString(), res});
        if (res.code != SpfResult::Code::Pass)
            missing.append(net);
    }
    const bool unanswered = std::any_of(r.spf.cbegin(), r.spf.cend(), [](const auto &res) {
        return res.second.code == SpfResult::Code::TempError;
    });
    // A look-up the record needs went unanswered: what it authorises is not
    // known, so no record is suggested.
    if (!missing.isEmpty() && !unanswered)
        r.suggestedSpf = SpfEvaluator::recordWith(r.spfRecord, missing);
    if (r.spfRecords == 0) {
        r.findings << finding(
            S::Failure, QStringLiteral("SPF"), QStringLiteral("no SPF record"),
            QStringLiteral("Publish this TXT record at %1 (add the include: of your mail system "
                           "too, such as include:_spf.google.com or "
                           "include:spf.protection.outlook.com): %2")
                .arg(r.domain, r.suggestedSpf));
        return;
    }
    for (const auto &[address, res] : std::as_const(r.spf)) {
        const QString check = QStringLiteral("SPF ") + address;
        const QString how =
            res.matched.isEmpty() ? res.reason : QStringLiteral("matched %1").arg(res.matched);
        const QString detail =
            QStringLiteral("%1 (%2): %3").arg(SpfEvaluator::codeName(res.code), how, r.spfRecord);
        switch (res.code) {
        case SpfResult::Code::Pass: r.findings << finding(S::Ok, check, detail); break;
        case SpfResult::Code::TempError:
            r.findings << finding(
                S::Warning, check, QStringLiteral("unknown: ") + detail,
                QStringLiteral("A DNS look-up the record needs got no usable answer; cannot tell "
                               "whether it authorises %1. Run the check again.")
                    .arg(address));
            break;
        case SpfResult::Code::Unsupported:
            r.findings << finding(S::Warning, check, detail,
                                  QStringLiteral("The record could not be evaluated completely; make sure it "
                                                 "authorises %1, for example: %2")
                                      .arg(address, r.suggestedSpf));
            break;
        case SpfResult::Code::PermError:
            r.findings << finding(
                S::Failure, check, detail,
                QStringLiteral("Receivers treat this record as a permanent error; fix it, and "
                               "authorise the relay, for example: %1")
                    .arg(r.suggestedSpf));
            break;
        default:
            r.findings << finding(
                S::Failure, check, detail,
                QStringLiteral("The record does not authorise the relay; publish instead: %1")
                    .arg(r.suggestedSpf));
            break;
        }
    }
}

} // namespace

QString readinessStatusName(ReadinessStatus status)
{
    switch (status) {
    case S::Ok: return QStringLiteral("OK");
    case S::Warning: return QStringLiteral("WARNING");
    case S::Failure: return QStringLiteral("FAILED");
    }
    return {};
}

ReadinessStatus worstOf(ReadinessStatus a, ReadinessStatus b)
{
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

QStringList RelayIdentity::addressTexts() const
{
    QStringList out;
    for (const auto &[address, prefix] : addresses) {
        const bool full =
            prefix < 0 || prefix == (address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128);
        out << (full ? address.toString() : address.toString() + QLatin1Char('/') + QString::number(prefix));
    }
    return out;
}

ReadinessStatus DomainReadiness::status() const
{
    ReadinessStatus s = S::Ok;
    for (const ReadinessFinding &f : findings)
        s = worstOf(s, f.status);
    return s;
}

ReadinessStatus ConnectorReport::status() const
{
    ReadinessStatus s = S::Ok;
    for (const ConnectorStep &step : steps)
        s = worstOf(s, step.status);
    return s;
}

DomainReadiness ReadinessAssessment::assess(const DomainCheck &check, const RelayIdentity &relay,
                                            const DnsAnswers &dns)
{
    DomainReadiness r;
    r.domain = DnsAnswers::canonicalName(check.domain);
    r.mxChecked = check.mx;
    r.spfChecked = check.spf;
    if (check.mx)
        assessMx(r, relay, dns);
    if (check.spf)
        assessSpf(r, relay, dns);
    // The record a MX or SPF finding proposes, for the Copy button.
    const QString mxRecord = mxRecordFor(r.domain, relay);
    for (ReadinessFinding &f : r.findings) {
        if (f.status == S::Ok)
            continue;
        if (f.check == QLatin1String("MX") && f.advice.contains(mxRecord)) {
            f.recordName = r.domain;
            f.record = mxRecord;
        } else if (f.check.startsWith(QLatin1String("SPF")) && !r.suggestedSpf.isEmpty() &&
                   f.advice.contains(r.suggestedSpf)) {
            f.recordName = r.domain;
            f.record = r.suggestedSpf;
        }
    }
    assessMailAuth(r, check, relay, dns);
    return r;
}

QString ReadinessAssessment::describeDuration(quint32 seconds)
{
    if (seconds < 60)
        return plural(seconds, "second");
    struct Unit
    {
        quint32 size;
        const char *name;
    };
    const Unit units[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}};
    QStringList parts;
    quint32 left = seconds;
    for (const Unit &u : units) {
        if (left >= u.size && parts.size() < 2) {
            parts << plural(left / u.size, u.name);
            left %= u.size;
        } else if (!parts.isEmpty()) {
            break; // "1 day 2 hours", never "1 day 0 hours 5 minutes"
        }
    }
    return parts.join(QLatin1Char(' '));
}

QString ReadinessAssessment::describeTtl(quint32 seconds)
{
    return QStringLiteral("%1 s (%2)").arg(seconds).arg(describeDuration(seconds));
}

QString ReadinessAssessment::mxRecordFor(const QString &domain, const RelayIdentity &relay)
{
    return QStringLiteral("%1. 300 IN MX 10 %2.")
        .arg(DnsAnswers::canonicalName(domain), DnsAnswers::canonicalName(relay.hostname));
}

} // namespace mailroute
