// DMARC (RFC 7489) at receipt and for the readiness checks: the record
// (_dmarc.DOMAIN, else the organisational domain's by the Public Suffix
// List), identifier alignment, and the evaluation of one message from its
// SPF and DKIM results. Pure over DNS answers collected beforehand
// (DnsAnswers), like SpfEvaluator: what it still needs is in missing().
#pragma once

#include "relaycore/mailauth/dnsanswers.h"
#include "relaycore/mailauth/spfevaluator.h"

#include <QList>
#include <QSet>
#include <QString>

namespace mailroute {

// The organisational domain (RFC 7489 §3.2): the registrable domain by the
// Public Suffix List (the system's list in /usr/share/publicsuffix, else
// libpsl's built-in one; a name under an unlisted top-level domain such as
// .test counts its last label as the suffix). A public suffix itself, or a
// name that has none: the name.
QString organisationalDomain(const QString &domain);

// Identifier alignment (RFC 7489 §3.1): strict = the same name, relaxed = the
// same organisational domain.
bool dmarcAligned(const QString &fromDomain, const QString &authenticatedDomain, bool strict);

struct DmarcRecord
{
    bool valid = false;
    QString error;           // why it is not valid (p= or sp= missing or unknown)
    QString policy;          // p=: none, quarantine, reject
    QString subdomainPolicy; // sp=; empty: as p=
    int percent = 100;       // pct=
    bool strictDkim = false; // adkim=s
    bool strictSpf = false;  // aspf=s
    QString rua;

    // A TXT record is a DMARC record when its first tag is v=DMARC1 (RFC 7489 §6.4).
    static bool isDmarc(const QString &txt);
    // RFC 7489 §6.3: unknown tags ignored, bad optional values fall back to
    // their defaults; a missing or bad p= (or a bad sp=) makes it invalid.
    static DmarcRecord parse(const QString &txt);
    // "p=reject, sp=quarantine, pct=100, adkim=r, aspf=s"
    QString describe() const;
};

// What the DMARC evaluation of one message needs besides DNS.
struct DmarcInput
{
    QString fromDomain; // the RFC5322.From domain; empty: none or several (no DMARC)
    SpfResult::Code spf = SpfResult::Code::None;
    QString spfDomain;           // the domain SPF checked (MAIL FROM's, HELO for a null sender)
    QStringList dkimPassDomains; // d= of every signature that passed
    int sample = 0;              // 0..99, drawn per message: applied when < pct= (RFC 7489 §6.6.4)
};

struct DmarcResult
{
    enum class Code { None, Pass, Fail, TempError, PermError };
    Code code = Code::None;
    QString recordName;  // the _dmarc name whose record applied
    QString policy;      // the policy requested for this domain: p=, or sp= for a subdomain under an
                         // organisational record
    QString disposition; // what the policy asks for this message: none, quarantine, reject (pct= applied)
    bool spfAligned = false;
    bool dkimAligned = false;
    QString reason; // in English
    bool incomplete = false;
};
QString dmarcCodeName(DmarcResult::Code code); // "none", "pass", "fail", "temperror", "permerror"

class DmarcEvaluator final
{
public:
    explicit DmarcEvaluator(const DnsAnswers &dns) : m_dns(dns) {}
    DmarcResult evaluate(const DmarcInput &input);
    const QSet<QString> &missing() const { return m_missing; }

private:
    const DnsAnswers &m_dns;
    QSet<QString> m_missing;
};

} // namespace mailroute
