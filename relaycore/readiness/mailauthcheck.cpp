#include "relaycore/readiness/mailauthcheck.h"

#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/readiness/dkimrecordcheck.h"

#include <algorithm>

namespace mailroute {

namespace {

using S = ReadinessStatus;

ReadinessFinding finding(S status, QString check, QString detail, QString advice = {},
                         QString recordName = {}, QString record = {})
{
    return ReadinessFinding{
        status,           std::move(check), std::move(detail), std::move(advice), std::move(recordName),
        std::move(record)};
}

QString failureText(const DnsAnswer *answer)
{
    return answer && !answer->error.isEmpty() ? answer->error : QStringLiteral("no answer");
}

// What DNS says about the DMARC record at one name.
struct DmarcLookup
{
    enum class State { Found, None, Unknown, Multiple };
    State state = State::None;
    QString name;
    QString text; // the record (Found)
    int count = 0;
    QString error; // Unknown
    DmarcRecord record;
};

DmarcLookup lookupDmarc(const DnsAnswers &dns, const QString &domain)
{
    DmarcLookup l;
    l.name = QStringLiteral("_dmarc.") + domain;
    const DnsAnswer *a = dns.find(DnsType::TXT, l.name);
    if (!a || a->outcome == DnsAnswer::Outcome::Failure) {
        l.state = DmarcLookup::State::Unknown;
        l.error = failureText(a);
        return l;
    }
    for (const QString &txt : a->values) {
        if (DmarcRecord::isDmarc(txt)) {
            ++l.count;
            if (l.text.isEmpty())
                l.text = txt;
        }
    }
    l.state = l.count == 0  ? DmarcLookup::State::None
              : l.count > 1 ? DmarcLookup::State::Multiple
                            : DmarcLookup::State::Found;
    if (l.state == DmarcLookup::State::Found)
        l.record = DmarcRecord::parse(l.text);
    return l;
}

QString dkimPublish(const DkimKey &key)
{
    return QStringLiteral("%1 TXT \"%2\"")
        .arg(dkimRecordName(key), dkimRecordValue(key.algorithm, key.publicKey));
}

void assessDkim(DomainReadiness &r, const DomainCheck &check, const DnsAnswers &dns,
                QList<DkimRecordStatus> &statuses)
{
    const QList<DkimKey> &keys = check.dkimKeys;
    if (keys.isEmpty() && check.arc && !check.auth) {
        r.findings << finding(
            S::Warning, QStringLiteral("DKIM"), QStringLiteral("no DKIM key"),
            QStringLiteral("no DKIM key: %1 is arc.domain, but nothing is ARC-sealed without "
                           "an active key; generate one (mailroutectl dkim generate %1)")
                .arg(r.domain));
        return;
    }
    if (keys.isEmpty()) {
        r.findings << finding(S::Warning, QStringLiteral("DKIM"), QStringLiteral("no DKIM key"),
                              QStringLiteral("no DKIM key: mail rewritten to %1 is not signed; generate one "
                                             "(mailroutectl dkim generate %1)")
                                  .arg(r.domain));
        return;
    }
    for (const DkimKey &key : keys) {
        const DkimRecordStatus st = assessDkimRecord(key, dns.find(DnsType::TXT, dkimRecordName(key)));
        statuses << st;
        const bool active = key.state == DkimKeyState::Active;
        const QString name = QStringLiteral("DKIM ") + key.selector;
        const QString what =
            QStringLiteral("%1 key, %2").arg(dkimKeyStateName(key.state), dkimAlgorithmName(key.algorithm));
        const QString value = dkimRecordValue(key.algorithm, key.publicKey);
        const QString publish = QStringLiteral("Publish this TXT record at %1: %2").arg(st.name, value);
        using O = DkimRecordStatus::Outcome;
        switch (st.outcome) {
        case O::Published:
            r.findings << finding(
                S::Ok, name,
                QStringLiteral("published at %1, matches the private key (%2)%3")
                    .arg(st.name, what,
                         active ? QString() : QStringLiteral("; the next push makes it active")));
            break;
        case O::Missing:
        case O::Different: {
            const QString found = st.outcome == O::Missing
                                      ? QStringLiteral("no record at %1 (%2)").arg(st.name, st.detail)
                                      : QStringLiteral("%1: %2").arg(st.name, st.detail);
            if (active)
                r.findings << finding(
                    S::Failure, name,
                    QStringLiteral("%1 (%2): receivers cannot verify the signature, mail fails DKIM")
                        .arg(found, what),
                    publish, st.name, value);
            else
                r.findings << finding(
                    S::Warning, name, QStringLiteral("%1 (%2): not published yet").arg(found, what),
                    publish + QStringLiteral("; the first push that sees it makes the key active."), st.name,
                    value);
            break;
        }
        case O::Failure:
            r.findings << finding(
                S::Warning, name,
                QStringLiteral(
                    "unknown: the DNS server did not answer the TXT look-up of %1 (%2); cannot tell")
                    .arg(st.name, st.detail),
                QStringLiteral("Check that the domain's name servers answer, then run the check again."));
            break;
        }
    }
}

// The DMARC record that applies to the domain, its finding, and the policy.
DmarcLookup assessDmarc(DomainReadiness &r, const RelayIdentity &relay, const DnsAnswers &dns,
                        bool *fromOrganisation)
{
    const QString org = organisationalDomain(r.domain);
    DmarcLookup used = lookupDmarc(dns, r.domain);
    *fromOrganisation = false;
    if (used.state == DmarcLookup::State::None && org != r.domain) {
        // RFC 7489 §6.6.3: no record at the domain: the organisational domain's.
        DmarcLookup parent = lookupDmarc(dns, org);
        if (parent.state != DmarcLookup::State::None) {
            used = parent;
            *fromOrganisation = true;
        }
    }
    const QString check = QStringLiteral("DMARC");
    switch (used.state) {
    case DmarcLookup::State::Unknown:
        r.findings << finding(
            S::Warning, check,
            QStringLiteral("unknown: the DNS server did not answer the TXT look-up of %1 (%2); cannot tell")
                .arg(used.name, used.error),
            QStringLiteral("Check that the domain's name servers answer, then run the check again. Do "
                           "not publish a DMARC record until the check can see the existing ones: two "
                           "DMARC records make receivers ignore both (RFC 7489 §6.6.3)."));
        break;
    case DmarcLookup::State::None: {
        const QString name = QStringLiteral("_dmarc.") + r.domain;
        const QString record = suggestedDmarcRecord(r.domain, relay.postmaster);
        QString advice =
            QStringLiteral("Publish this TXT record at %1 to see in reports who sends mail as %2 "
                           "(p=none only reports; raise it to quarantine or reject once every DMARC "
                           "preview passes): %3")
                .arg(name, r.domain, record);
        const QString rua = relay.postmaster.section(QLatin1Char('@'), -1).toLower();
        if (!relay.postmaster.isEmpty() && organisationalDomain(rua) != organisationalDomain(r.domain))
            advice += QStringLiteral(". Reports go to another domain: %1 must publish the TXT record "
                                     "%2._report._dmarc.%1 \"v=DMARC1\" (RFC 7489 §7.1)")
                          .arg(rua, r.domain);
        r.findings << finding(
            S::Warning, check,
            org == r.domain
                ? QStringLiteral("no DMARC record at %1").arg(name)
                : QStringLiteral("no DMARC record at %1 nor at _dmarc.%2 (its organisational domain)")
                      .arg(name, org),
            advice, name, record);
        break;
    }
    case DmarcLookup::State::Multiple:
        r.findings << finding(
            S::Failure, check,
            QStringLiteral(
                "%1 DMARC records at %2: a permanent error, receivers apply no DMARC (RFC 7489 §6.6.3)")
                .arg(used.count)
                .arg(used.name),
            QStringLiteral("Keep one TXT record starting with v=DMARC1 at %1 and delete the others.")
                .arg(used.name));
        break;
    case DmarcLookup::State::Found: {
        r.dmarcRecord = used.text;
        const QString inherited =
            *fromOrganisation
                ? QStringLiteral(" (no record at _dmarc.%1: its organisational domain's applies%2)")
                      .arg(r.domain,
                           used.record.subdomainPolicy.isEmpty() ? QString() : QStringLiteral(", with sp="))
                : QString();
        if (!used.record.valid) {
            r.findings << finding(
                S::Warning, check,
                QStringLiteral("%1: %2 — %3%4").arg(used.name, used.text, used.record.error, inherited),
                QStringLiteral("Receivers ignore a DMARC record without a valid p= (or treat it as p=none); "
                               "fix it: p=none, quarantine or reject."));
            r.dmarcPolicy = QStringLiteral("none");
            break;
        }
        r.dmarcPolicy = *fromOrganisation && !used.record.subdomainPolicy.isEmpty()
                            ? used.record.subdomainPolicy
                            : used.record.policy;
        const QString detail =
            QStringLiteral("p=%1 for %2: %3 at %4%5")
                .arg(r.dmarcPolicy, r.domain, used.record.describe(), used.name, inherited);
        r.findings << finding(
            S::Ok, check, detail,
            r.dmarcPolicy == QLatin1String("none")
                ? QStringLiteral("p=none only asks for reports; receivers deliver failing mail as usual.")
                : QStringLiteral("Receivers %1 mail as %2 that fails DMARC: every DMARC preview must pass.")
                      .arg(r.dmarcPolicy == QLatin1String("reject") ? QStringLiteral("refuse")
                                                                    : QStringLiteral("junk"),
                           r.domain));
        break;
    }
    }
    return used;
}

void assessPreview(DomainReadiness &r, const DomainCheck &check, const RelayIdentity &relay,
                   const DnsAnswers &dns, const QList<DkimRecordStatus> &dkim, const DmarcLookup &dmarc)
{
    const bool dmarcFound = dmarc.state == DmarcLookup::State::Found;
    const bool strictSpf = dmarcFound && dmarc.record.strictSpf;
    const bool strictDkim = dmarcFound && dmarc.record.strictDkim;

    // SPF: every address the relay sends from must pass for the domain the
    // envelope sender is rewritten into (the domain itself).
    enum class Verdict { Pass, Fail, Unknown };
    Verdict spf = Verdict::Pass;
    QStringList spfWhy;
    if (relay.addresses.isEmpty()) {
        spf = Verdict::Fail;
        for (const DnsType t : {DnsType::A, DnsType::AAAA}) {
            const DnsAnswer *a = dns.find(t, relay.hostname);
            if (!relay.addressesFromSetting && a && a->outcome == DnsAnswer::Outcome::Failure)
                spf = Verdict::Unknown;
        }
        spfWhy << QStringLiteral("the relay's address is not known");
    } else {
        const DnsAnswer *txt = dns.find(DnsType::TXT, r.domain);
        int records = 0;
        if (txt && txt->outcome != DnsAnswer::Outcome::Failure)
            SpfEvaluator::selectRecord(txt->values, &records);
        SpfEvaluator evaluator(dns);
        for (const auto &net : relay.addresses) {
            const SpfResult res = records > 1 ? SpfResult{SpfResult::Code::PermError, {}, {}, 0, false}
                                              : evaluator.check(net.first, r.domain);
            if (res.code == SpfResult::Code::Pass)
                continue;
            const bool unknown =
                res.code == SpfResult::Code::TempError || res.code == SpfResult::Code::Unsupported;
            if (unknown && spf == Verdict::Pass)
                spf = Verdict::Unknown;
            if (!unknown)
                spf = Verdict::Fail;
            spfWhy << QStringLiteral("%1 %2").arg(net.first.toString(), SpfEvaluator::codeName(res.code));
        }
    }
    const bool spfAligned = spf == Verdict::Pass && dmarcAligned(r.domain, r.domain, strictSpf);

    // DKIM: an active key of the domain whose record is published.
    QString signer;
    bool dkimUnknown = false;
    const DkimKey *active = nullptr;
    for (const DkimRecordStatus &st : dkim) {
        if (st.key.state != DkimKeyState::Active)
            continue;
        active = &st.key;
        if (st.outcome == DkimRecordStatus::Outcome::Published &&
            dmarcAligned(r.domain, st.key.domain, strictDkim))
            signer = st.key.selector;
        dkimUnknown = dkimUnknown || st.outcome == DkimRecordStatus::Outcome::Failure;
    }
    const bool dkimAligned = !signer.isEmpty();

    const QString spfText = spfAligned ? QStringLiteral("SPF pass, aligned (aspf=%1)")
                                             .arg(strictSpf ? QLatin1Char('s') : QLatin1Char('r'))
                            : spf == Verdict::Unknown
                                ? QStringLiteral("SPF unknown (%1)").arg(spfWhy.join(QStringLiteral(", ")))
                                : QStringLiteral("SPF fail (%1)").arg(spfWhy.join(QStringLiteral(", ")));
    const QString dkimText =
        dkimAligned ? QStringLiteral("DKIM pass, aligned (%1, d=%2, adkim=%3)")
                          .arg(signer, r.domain)
                          .arg(strictDkim ? QLatin1Char('s') : QLatin1Char('r'))
        : !active     ? QStringLiteral("DKIM fail (no active key: not signed)")
        : dkimUnknown ? QStringLiteral("DKIM unknown (the key's record could not be looked up)")
                      : QStringLiteral("DKIM fail (the record of %1 is not published)").arg(active->selector);

    S status = S::Ok;
    QString verdict;
    QString advice;
    QString recordName;
    QString record;
    if (spfAligned || dkimAligned) {
        verdict = QStringLiteral("pass");
    } else {
        const bool unknown =
            spf == Verdict::Unknown || dkimUnknown || dmarc.state == DmarcLookup::State::Unknown;
        const bool enforced =
            r.dmarcPolicy == QLatin1String("quarantine") || r.dmarcPolicy == QLatin1String("reject");
        if (unknown) {
            status = S::Warning;
            verdict = QStringLiteral("unknown");
        } else {
            status = enforced ? S::Failure : S::Warning;
            verdict = QStringLiteral("fail");
        }
        const QString consequence = r.dmarcPolicy == QLatin1String("reject")
                                        ? QStringLiteral("p=reject: receivers refuse the mail")
                                    : r.dmarcPolicy == QLatin1String("quarantine")
                                        ? QStringLiteral("p=quarantine: receivers junk the mail")
                                    : r.dmarcPolicy == QLatin1String("none")
                                        ? QStringLiteral("p=none: receivers only report it")
                                        : QStringLiteral("no DMARC policy: receivers decide on their own");
        verdict += QStringLiteral(" (%1)").arg(consequence);
        QStringList ways;
        if (active) {
            recordName = dkimRecordName(*active);
            record = dkimRecordValue(active->algorithm, active->publicKey);
            ways << QStringLiteral("the DKIM record %1").arg(dkimPublish(*active));
        } else {
            ways << QStringLiteral("a DKIM key (mailroutectl dkim generate %1) and its record").arg(r.domain);
        }
        if (spf == Verdict::Fail && !r.suggestedSpf.isEmpty()) {
            ways << QStringLiteral("the SPF record %1 TXT \"%2\"").arg(r.domain, r.suggestedSpf);
            if (!active) {
                recordName = r.domain;
                record = r.suggestedSpf;
            }
        }
        advice = unknown
                     ? QStringLiteral(
                           "A DNS look-up got no usable answer; run the check again. To pass, publish %1.")
                           .arg(ways.join(QStringLiteral(" or ")))
                     : QStringLiteral("To make DMARC pass for mail rewritten to %1, publish %2.")
                           .arg(r.domain, ways.join(QStringLiteral(" or ")));
    }
    const QString detail = QStringLiteral("%1: %2; %3").arg(verdict, dkimText, spfText);
    const QStringList rules = check.outboundRules.isEmpty() ? QStringList{QString()} : check.outboundRules;
    for (const QString &rule : rules) {
        const QString name =
            rule.isEmpty() ? QStringLiteral("DMARC preview") : QStringLiteral("DMARC preview %1").arg(rule);
        r.findings << finding(status, name, detail, advice, recordName, record);
    }
}

} // namespace

QString suggestedDmarcRecord(const QString &domain, const QString &postmaster)
{
    const QString to = postmaster.trimmed().isEmpty()
                           ? QStringLiteral("postmaster@") + DnsAnswers::canonicalName(domain)
                           : postmaster.trimmed();
    return QStringLiteral("v=DMARC1; p=none; rua=mailto:%1").arg(to);
}

QStringList mailAuthLookups(const DomainCheck &check)
{
    QStringList names;
    if (!check.auth && !check.arc)
        return names;
    const QString domain = DnsAnswers::canonicalName(check.domain);
    for (const DkimKey &key : check.dkimKeys)
        names << dkimRecordName(key);
    if (!check.auth)
        return names; // arc.domain only: its key records, no DMARC
    names << QStringLiteral("_dmarc.") + domain;
    const QString org = organisationalDomain(domain);
    if (org != domain)
        names << QStringLiteral("_dmarc.") + org;
    return names;
}

void assessMailAuth(DomainReadiness &r, const DomainCheck &check, const RelayIdentity &relay,
                    const DnsAnswers &dns)
{
    if (!check.auth && !check.arc)
        return;
    r.authChecked = true;
    QList<DkimRecordStatus> dkim;
    assessDkim(r, check, dns, dkim);
    if (!check.auth)
        return; // arc.domain only: the records of the keys that seal
    bool fromOrganisation = false;
    const DmarcLookup dmarc = assessDmarc(r, relay, dns, &fromOrganisation);
    assessPreview(r, check, relay, dns, dkim, dmarc);
}

} // namespace mailroute
