// Warnings a migration admin needs before pushing (issue 2, item 7). Pure.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QList>
#include <QString>

#include <optional>

namespace mailroute {

struct LintFinding
{
    enum class Severity { Info, Warning };
    Severity severity = Severity::Warning;
    std::optional<Area> area; // nullopt: spans areas
    QString message;          // English, one line, names the rules involved
};

// - a domain mapped in both Relay and Inbound (the Inbound rule fires,
//   the order of docs/behaviour.md "Routing precedence": Inbound user, Inbound
//   domain, Relay domain; say so);
// - a rule whose result another rule of the same area would match again
//   (chain "a -> b, b -> c", or loop "a -> b, b -> a"): shown, never followed;
// - several sources mapped to one target (mail of several people merges);
// - a user mapping whose source domain has no domain rule in that area (Info);
// - smarthost.username without a smart host, and mandatory TLS
//   (delivery.tls_policy encrypt/verify) for every MX host;
// - outbound.allowed_clients / outbound.allowed_senders (allowedsenderslint.h):
//   allow-listed clients with no allowed sender domain, a shared cloud range
//   with derived sender domains, an Outbound rule's domain left out;
// - an Inbound user mapping without its Outbound inverse (roundtrip.h): the
//   replies of that user would leave under the new address; wording contains
//   "Outbound inverse";
// - relay.hostname empty on a machine whose name has no domain (last).
QList<LintFinding> lintConfig(const ConfigData &config);

} // namespace mailroute
