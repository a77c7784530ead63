// The configuration as plain values: what the admin edits (the draft), what a
// push stores as a generation, what the routing snapshot is compiled from.
// Pure value types; safe to copy across threads.
#pragma once

#include "relaycore/routing/area.h"

#include <QList>
#include <QMap>
#include <QString>

#include <array>
#include <optional>

namespace mailroute {

// "@original -> @redirected". Both domains normalised (see normalizeDomain),
// stored without the leading '@'.
struct DomainMapping
{
    QString source;
    QString target;
    bool operator==(const DomainMapping &o) const { return source == o.source && target == o.target; }
};

// "bob@warmsushi.com -> bob.owen@drypizza.com". Both are valid mailboxes in the
// form MailAddress::toString() gives (user's local-part spelling, normalised domain).
struct UserMapping
{
    QString source;
    QString target;
    bool operator==(const UserMapping &o) const { return source == o.source && target == o.target; }
};

// How much TLS the relay insists on towards a next hop (SPEC §3 "TLS"), with
// the meaning of Postfix's smtp_tls_security_level: `may` uses STARTTLS when
// offered and falls back to plaintext; `encrypt` sends nothing of a
// transaction unless TLS is up (certificate not checked); `verify` also
// checks the certificate chain and the next hop's host name.
enum class TlsPolicy { May, Encrypt, Verify };

inline QString tlsPolicyName(TlsPolicy policy)
{
    switch (policy) {
    case TlsPolicy::May: return QStringLiteral("may");
    case TlsPolicy::Encrypt: return QStringLiteral("encrypt");
    case TlsPolicy::Verify: return QStringLiteral("verify");
    }
    return QStringLiteral("may");
}

// "may" / "encrypt" / "verify" in any case, surrounding blanks ignored.
inline std::optional<TlsPolicy> parseTlsPolicy(const QString &text)
{
    const QString t = text.trimmed().toLower();
    for (TlsPolicy p : {TlsPolicy::May, TlsPolicy::Encrypt, TlsPolicy::Verify}) {
        if (t == tlsPolicyName(p))
            return p;
    }
    return std::nullopt;
}

// A per-domain next hop (SPEC §3 "Next hop"): mail whose final recipient
// domain is `domain` goes to `nextHop` ("host" or "host:port", "[1.2.3.4]:25").
struct TransportRoute
{
    QString domain; // normalised, without '@'
    QString nextHop;
    // The route's own TLS policy; nullopt: the delivery.tls_policy setting.
    std::optional<TlsPolicy> tls = std::nullopt;
    bool operator==(const TransportRoute &o) const
    {
        return domain == o.domain && nextHop == o.nextHop && tls == o.tls;
    }
};

struct AreaConfig
{
    QList<DomainMapping> domains;
    QList<UserMapping> users; // always empty for Area::Relay
    bool operator==(const AreaConfig &o) const { return domains == o.domains && users == o.users; }
};

struct ConfigData
{
    std::array<AreaConfig, kAreaCount> areas;
    // Validated settings (key -> canonical text value), only those that differ
    // from their defaults or were set explicitly.
    QMap<QString, QString> settings;
    QList<TransportRoute> routes;

    AreaConfig &area(Area a) { return areas[static_cast<size_t>(areaIndex(a))]; }
    const AreaConfig &area(Area a) const { return areas[static_cast<size_t>(areaIndex(a))]; }
    bool operator==(const ConfigData &o) const { return areas == o.areas && settings == o.settings && routes == o.routes; }
};

} // namespace mailroute
