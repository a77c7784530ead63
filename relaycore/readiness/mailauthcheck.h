// Mail authentication for the readiness checks (issue 10 item 5): for each
// Outbound target domain, mail rewritten to it must pass DMARC (RFC 7489) at
// receivers. Three kinds of finding, from DNS answers collected beforehand
// (DnsReadinessCheck), so everything here is pure:
//  - "DKIM SELECTOR": each active and pending key's record at
//    SELECTOR._domainkey.DOMAIN against the private key (assessDkimRecord);
//  - "DMARC": the _dmarc.DOMAIN record, or the organisational domain's
//    (Public Suffix List, libpsl) when the domain has none;
//  - "DMARC preview RULE": per Outbound rule, whether SPF (the relay's
//    address, the envelope sender rewritten into the domain) or DKIM (an
//    active key whose record is published) passes and aligns.
#pragma once

#include "relaycore/readiness/readinessreport.h"

#include <QString>
#include <QStringList>

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

// The record to publish at _dmarc.DOMAIN where there is none: p=none with
// reports to relay.postmaster (postmaster@DOMAIN when it is not set).
QString suggestedDmarcRecord(const QString &domain, const QString &postmaster);

// The TXT names the mail authentication findings of `check` need.
QStringList mailAuthLookups(const DomainCheck &check);

// Appends the DKIM, DMARC and DMARC preview findings to `r` (after the SPF
// findings: it reuses r.suggestedSpf).
void assessMailAuth(DomainReadiness &r, const DomainCheck &check, const RelayIdentity &relay, const DnsAnswers &dns);

} // namespace mailroute
