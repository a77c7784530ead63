// What the readiness checks look at, taken from a configuration (normally the
// pushed generation): the relay as the outside world sees it (relay.hostname,
// relay.public_address, the port of relay.listen, whether STARTTLS is
// offered), the domains to check and which checks apply to each, and the
// next hops the connector test talks to. Pure.
#pragma once

#include "relaycore/readiness/readinessreport.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QSslCertificate>

namespace mailroute {

struct ReadinessHop
{
    QString hop;                    // "smtp.example.com:587", "[192.0.2.7]:25"
    QString role;                   // "smart host", "route for example.com"
    TlsPolicy tls = TlsPolicy::May; // delivery.smarthost_tls, the route's own, or delivery.tls_policy
};

struct ReadinessPlan
{
    RelayIdentity relay;
    QString postmaster;                    // relay.postmaster (may be empty)
    QList<DomainCheck> domains;            // sorted by domain
    QList<ReadinessHop> hops;              // smart host first, then routes by domain
    TlsPolicy defaultTls = TlsPolicy::May; // delivery.tls_policy, for a next hop typed by hand
    QList<QSslCertificate> caCertificates; // delivery.tls_ca_file
    // About the relay itself, before any DNS question (relay.hostname made up
    // from a machine name without a domain): shown above the domain results.
    QList<ReadinessFinding> findings;

    // Fails with the reason of a bad setting. relay.public_address, when
    // set, gives the relay's addresses; otherwise they stay empty and the
    // DNS check resolves relay.hostname.
    static Result<ReadinessPlan> fromConfig(const ConfigData &config);
    // Domains named by hand: both MX and SPF; each normalised, or a failure
    // naming the bad one.
    static Result<QList<DomainCheck>> domainsFromArguments(const QStringList &domains);
    // Domains named by hand that are Outbound targets of the configuration
    // get its mail authentication checks (DKIM keys, the DMARC preview of
    // its rules) too.
    QList<DomainCheck> withConfiguration(QList<DomainCheck> named) const;
};

} // namespace mailroute
