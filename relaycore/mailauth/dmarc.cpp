#include "relaycore/mailauth/dmarc.h"

#include <libpsl.h>

namespace mailroute {

namespace {

const psl_ctx_t *publicSuffixList()
{
    // Loaded once, read-only afterwards (libpsl contexts are safe to share).
    static const psl_ctx_t *const psl = [] {
        const psl_ctx_t *latest = psl_latest(nullptr);
        return latest ? latest : psl_builtin();
    }();
    return psl;
}

} // namespace

QString organisationalDomain(const QString &domain)
{
    const QString name = DnsAnswers::canonicalName(domain);
    const QByteArray utf8 = name.toUtf8();
    const char *registrable = psl_registrable_domain(publicSuffixList(), utf8.constData());
    return registrable ? QString::fromUtf8(registrable) : name;
}

bool dmarcAligned(const QString &fromDomain, const QString &authenticatedDomain, bool strict)
{
    const QString a = DnsAnswers::canonicalName(fromDomain);
    const QString b = DnsAnswers::canonicalName(authenticatedDomain);
    if (a.isEmpty() || b.isEmpty())
        return false;
    return strict ? a == b : organisationalDomain(a) == organisationalDomain(b);
}

bool DmarcRecord::isDmarc(const QString &txt)
{
    const QString first = txt.section(QLatin1Char(';'), 0, 0);
    const qsizetype eq = first.indexOf(QLatin1Char('='));
    return eq > 0 && first.left(eq).trimmed() == QLatin1String("v") &&
           first.mid(eq + 1).trimmed() == QLatin1String("DMARC1");
}

DmarcRecord DmarcRecord::parse(const QString &txt)
{
    DmarcRecord d;
    if (!isDmarc(txt)) {
        d.error = QStringLiteral("not a DMARC record (v=DMARC1 must come first)");
        return d;
    }
    static const QStringList policies{QStringLiteral("none"), QStringLiteral("quarantine"),
                                      QStringLiteral("reject")};
    bool badSp = false;
    const QStringList tags = txt.split(QLatin1Char(';'));
    for (qsizetype i = 1; i < tags.size(); ++i) {
        const qsizetype eq = tags.at(i).indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString name = tags.at(i).left(eq).trimmed().toLower();
        const QString value = tags.at(i).mid(eq + 1).trimmed();
        const QString lower = value.toLower();
        if (name == QLatin1String("p")) {
            d.policy = policies.contains(lower) ? lower : QStringLiteral("?") + value;
        } else if (name == QLatin1String("sp")) {
            badSp = !policies.contains(lower);
            d.subdomainPolicy = lower;
        } else if (name == QLatin1String("pct")) {
            bool ok = false;
            const int n = value.toInt(&ok);
            if (ok && n >= 0 && n <= 100)
                d.percent = n;
        } else if (name == QLatin1String("adkim")) {
            d.strictDkim = lower == QLatin1String("s");
        } else if (name == QLatin1String("aspf")) {
            d.strictSpf = lower == QLatin1String("s");
        } else if (name == QLatin1String("rua")) {
            d.rua = value;
        }
    }
    if (d.policy.isEmpty()) {
        d.error = QStringLiteral("no p= tag");
    } else if (d.policy.startsWith(QLatin1Char('?'))) {
        d.error = QStringLiteral("unknown policy p=%1").arg(d.policy.mid(1));
        d.policy.clear();
    } else if (badSp) {
        d.error = QStringLiteral("unknown subdomain policy sp=%1").arg(d.subdomainPolicy);
        d.subdomainPolicy.clear();
    }
    d.valid = d.error.isEmpty();
    return d;
}

QString DmarcRecord::describe() const
{
    QStringList parts{QStringLiteral("p=") + policy};
    if (!subdomainPolicy.isEmpty())
        parts << QStringLiteral("sp=") + subdomainPolicy;
    parts << QStringLiteral("pct=%1").arg(percent)
          << QStringLiteral("adkim=%1").arg(strictDkim ? QLatin1Char('s') : QLatin1Char('r'))
          << QStringLiteral("aspf=%1").arg(strictSpf ? QLatin1Char('s') : QLatin1Char('r'));
    return parts.join(QStringLiteral(", "));
}

QString dmarcCodeName(DmarcResult::Code code)
{
    switch (code) {
    case DmarcResult::Code::None: return QStringLiteral("none");
    case DmarcResult::Code::Pass: return QStringLiteral("pass");
    case DmarcResult::Code::Fail: return QStringLiteral("fail");
    case DmarcResult::Code::TempError: return QStringLiteral("temperror");
    case DmarcResult::Code::PermError: return QStringLiteral("permerror");
    }
    return {};
}

DmarcResult DmarcEvaluator::evaluate(const DmarcInput &input)
{
    m_missing.clear();
    DmarcResult r;
    const QString from = DnsAnswers::canonicalName(input.fromDomain);
    if (from.isEmpty()) {
        r.reason = QStringLiteral("no single From: domain");
        return r;
    }
    // RFC 7489 §6.6.3: the record at the From: domain, else at its
    // organisational domain. Several DMARC records at a name: none applies.
    const QString org = organisationalDomain(from);
    QString text;
    bool atOrganisation = false;
    QStringList candidates{from};
    if (org != from)
        candidates << org;
    for (const QString &domain : std::as_const(candidates)) {
        const QString name = QStringLiteral("_dmarc.") + domain;
        const DnsAnswer *a = m_dns.find(DnsType::TXT, name);
        if (!a) {
            m_missing.insert(DnsAnswers::key(DnsType::TXT, name));
            r.incomplete = true;
            r.code = DmarcResult::Code::TempError;
            r.reason = QStringLiteral("look-ups still to be made");
            return r;
        }
        if (a->isFailure()) {
            r.code = DmarcResult::Code::TempError;
            r.recordName = name;
            r.reason = QStringLiteral("TXT look-up of %1 failed: %2").arg(name, a->error);
            return r;
        }
        QStringList found;
        for (const QString &txt : a->values) {
            if (DmarcRecord::isDmarc(txt))
                found << txt;
        }
        if (found.size() > 1) {
            r.recordName = name;
            r.reason = QStringLiteral("%1 DMARC records at %2: none applies").arg(found.size()).arg(name);
            return r;
        }
        if (found.size() == 1) {
            text = found.first();
            r.recordName = name;
            atOrganisation = domain != from;
            break;
        }
    }
    if (text.isEmpty()) {
        r.reason = QStringLiteral("no DMARC record for %1").arg(from);
        return r;
    }
    const DmarcRecord record = DmarcRecord::parse(text);
    if (!record.valid) {
        r.code = DmarcResult::Code::PermError;
        r.reason = QStringLiteral("%1: %2").arg(r.recordName, record.error);
        return r;
    }
    r.policy = atOrganisation && !record.subdomainPolicy.isEmpty() ? record.subdomainPolicy : record.policy;
    // §3.1: SPF aligns when it passed for a domain aligned with From:, DKIM
    // when a passing signature's d= is.
    r.spfAligned =
        input.spf == SpfResult::Code::Pass && dmarcAligned(from, input.spfDomain, record.strictSpf);
    for (const QString &d : input.dkimPassDomains)
        r.dkimAligned = r.dkimAligned || dmarcAligned(from, d, record.strictDkim);
    if (r.spfAligned || r.dkimAligned) {
        r.code = DmarcResult::Code::Pass;
        r.disposition = QStringLiteral("none");
        return r;
    }
    r.code = DmarcResult::Code::Fail;
    r.reason = QStringLiteral("neither SPF nor DKIM passed aligned with %1").arg(from);
    // §6.6.4: pct= of the failing messages get the policy, the others the next weaker one.
    QString disposition = r.policy;
    if (input.sample >= record.percent) {
        if (disposition == u"reject")
            disposition = QStringLiteral("quarantine");
        else if (disposition == u"quarantine")
            disposition = QStringLiteral("none");
    }
    r.disposition = disposition;
    return r;
}

} // namespace mailroute
