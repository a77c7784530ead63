// What the readiness checks found (docs/behaviour.md "The console", issue 6
// items 1-2), as values: per domain its MX and SPF findings, per next hop the
// connector test's TASK / STATUS rows. Every finding carries a status
// (OK / warning / failure) and a sentence saying what to do. The texts are
// English, like Result errors: mailroutectl prints them, the console shows
// them. Pure; safe to copy across threads.
#pragma once

#include "relaycore/readiness/dnsanswers.h"
#include "relaycore/readiness/spfevaluator.h"
#include "relaycore/routing/configdata.h"

#include <QHostAddress>
#include <QList>
#include <QString>

namespace mailroute {

enum class ReadinessStatus { Ok, Warning, Failure };
QString readinessStatusName(ReadinessStatus status); // "OK", "WARNING", "FAILED"
ReadinessStatus worstOf(ReadinessStatus a, ReadinessStatus b);

struct ReadinessFinding
{
    ReadinessStatus status = ReadinessStatus::Ok;
    QString check;  // "MX", "MX TTL", "SPF", "SPF 192.0.2.25", ...
    QString detail; // what was found ("10 mx1.example.com (TTL 300 s)")
    QString advice; // what to do, one or two sentences; empty when nothing is to be done
    // The DNS record the advice proposes (the Copy button): its name and its
    // TXT value; empty when there is none to publish.
    QString recordName{};
    QString record{};
};

// This relay as the outside world sees it.
struct RelayIdentity
{
    QString hostname; // relay.hostname, else the machine's name
    // relay.public_address, else the addresses of `hostname`; a prefix length
    // below 32/128 is a network.
    QList<std::pair<QHostAddress, int>> addresses;
    bool addressesFromSetting = false;
    quint16 port = 25;
    bool tls = false;   // a certificate is configured: STARTTLS is offered
    QString postmaster; // relay.postmaster: the rua= of a proposed DMARC record (may be empty)

    QStringList addressTexts() const; // "192.0.2.25", "2001:db8::/64"
};

// Which checks apply to a domain: MX where mail for it arrives at the relay
// (Relay and Inbound sources), SPF where mail from it leaves through the
// relay (Outbound targets: senders are rewritten to them); both for a domain
// named by hand. Mail authentication (DKIM, DMARC and the DMARC preview,
// relaycore/readiness/mailauthcheck.h) for Outbound targets: mail rewritten
// to them must pass DMARC at receivers.
struct DomainCheck
{
    QString domain;
    bool mx = true;
    bool spf = true;
    bool auth = false;
    QList<DkimKey> dkimKeys{};   // the domain's active and pending keys (auth)
    QStringList outboundRules{}; // the Outbound rules that rewrite to it, for the DMARC preview ("@old.test",
                                 // "3 user rules")
    bool arc = false; // arc.domain: its keys' records are checked (they seal with ARC), even without auth
};

struct DomainReadiness
{
    QString domain;
    bool mxChecked = false;
    bool spfChecked = false;
    DnsAnswer mx;
    QList<bool> mxPointsHere; // parallel to mx.values
    QString spfRecord;        // the published record; empty: none
    int spfRecords = 0;
    QList<std::pair<QString, SpfResult>> spf; // per relay address
    QString suggestedSpf;                     // the record to publish; empty when every address passes
    bool authChecked = false;
    QString dmarcRecord; // the DMARC record that applies (the domain's or its organisational domain's);
                         // empty: none
    QString
        dmarcPolicy; // what receivers do with failing mail: "none", "quarantine", "reject"; empty: no DMARC
    QList<ReadinessFinding> findings;

    ReadinessStatus status() const; // the worst of the findings
};

class ReadinessAssessment final
{
public:
    static constexpr quint32 kMaxSwitchTtl = 900; // seconds: above this, lower the TTL before switching MX

    // The findings for one domain from what DNS answered (`dns` holds the MX
    // and TXT answers of the domain, the addresses of its exchangers and what
    // SPF needed).
    static DomainReadiness assess(const DomainCheck &check, const RelayIdentity &relay,
                                  const DnsAnswers &dns);
    // "300 s (5 minutes)", "86400 s (1 day)".
    static QString describeTtl(quint32 seconds);
    // "5 minutes", "1 hour", "1 day 2 hours".
    static QString describeDuration(quint32 seconds);
    // The MX record to publish for the cut-over: "example.com. 300 IN MX 10 relay.example.net."
    static QString mxRecordFor(const QString &domain, const RelayIdentity &relay);
};

// One row of the connector test's TASK / STATUS table.
struct ConnectorStep
{
    QString task; // "Connect", "Banner", "EHLO", "STARTTLS offered", "TLS handshake", "Send test email"
    ReadinessStatus status = ReadinessStatus::Ok;
    QString detail; // the server's reply or what happened
};

struct ConnectorReport
{
    QString hop;       // as configured ("smtp.example.com:587")
    QString role;      // "smart host", "route for example.com", "given"
    QString tlsPolicy; // "may", "encrypt", "verify": what the relay requires of this hop
    QList<ConnectorStep> steps;
    ReadinessStatus status() const;
};

} // namespace mailroute
