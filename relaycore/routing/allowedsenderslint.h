// Lint findings about outbound.allowed_clients and outbound.allowed_senders
// (README "Who may send what"), part of lintConfig(). Pure.
#pragma once

#include "relaycore/routing/configlint.h"

#include <QList>
#include <QString>

namespace mailroute {

// The outbound ranges that mail clouds share between all their tenants.
struct SharedCloudRange
{
    QString network;  // canonical CIDR, as outbound.allowed_clients stores it
    QString provider; // "Microsoft Exchange Online", "Google Workspace"
};
const QList<SharedCloudRange> &sharedCloudRanges();

// Do two canonical CIDR networks ("40.107.0.0/16", "2001:db8::/32",
// "192.0.2.7/32") share an address? False for malformed text or mixed families.
bool networksOverlap(const QString &a, const QString &b);

// - Warning: outbound.allowed_clients is set but no sender domain is allowed
//   (outbound.allowed_senders empty and no Outbound rule to derive it from):
//   those clients reach only Inbound and Relay recipients; the warning names
//   the shared cloud range among them, if any.
// - Info: a shared cloud range is allow-listed and the sender domains are
//   derived from the Outbound rules: every tenant of that cloud may send as
//   them; listing them in outbound.allowed_senders makes that a decision.
// - Warning: outbound.allowed_senders is set and leaves out the source domain
//   of an Outbound rule: allow-listed clients sending as it reach only
//   Inbound and Relay recipients.
QList<LintFinding> lintAllowedSenders(const ConfigData &config);

} // namespace mailroute
