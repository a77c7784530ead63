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

#include "relaycore/mailauth/dmarc.h"
#include "relaycore/readiness/readinessreport.h"

#include <QString>
#include <QStringList>

namespace mailroute {

// The record to publish at _dmarc.DOMAIN where there is none: p=none with
// reports to relay.postmaster (postmaster@DOMAIN when it is not set).
QString suggestedDmarcRecord(const QString &domain, const QString &postmaster);

// The TXT names the mail authentication findings of `check` need.
QStringList mailAuthLookups(const DomainCheck &check);

// Appends the DKIM, DMARC and DMARC preview findings to `r` (after the SPF
// findings: it reuses r.suggestedSpf).
void assessMailAuth(DomainReadiness &r, const DomainCheck &check, const RelayIdentity &relay,
                    const DnsAnswers &dns);

} // namespace mailroute
