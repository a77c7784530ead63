// outbound.allowed_senders (README "Who may send what"): the
// envelope-sender domains for which a client in outbound.allowed_clients may
// relay to any recipient. Shared cloud ranges (Exchange Online, Google
// Workspace) are used by every tenant of that cloud, so the client network
// alone cannot tell this organisation's mail from another tenant's; the
// sender domain narrows it to the organisation's own. Pure; safe from any
// thread. Computed once per snapshot (RoutingSnapshot::allowedSenders()), and
// by the lint and the Postfix export from the same function.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QString>
#include <QStringList>

namespace mailroute {

struct AllowedSenders
{
    // Normalised domains (lower case, ACE), sorted, each once.
    QStringList domains;
    // True when outbound.allowed_senders is empty and `domains` was derived
    // from the Outbound rules: the source and target domains of its domain
    // rules and the domains of both addresses of its user rules.
    bool derived = false;
};

AllowedSenders allowedSenders(const ConfigData &config);

} // namespace mailroute
