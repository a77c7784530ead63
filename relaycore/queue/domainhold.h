// A held recipient domain (docs/behaviour.md "Retries and holds"): while a tenant re-verifies a
// domain that moves, mail for it is accepted and queued but neither attempted
// nor bounced until the admin releases it (or `until` comes). Stored in the
// configuration database's domain_holds table (OperationsStore), handed to the
// running engine as plain values (HoldSet). Header only; safe to copy across threads.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace mailroute {

struct DomainHold
{
    QString domain;      // normalised: lower case, ACE, no '@'
    QDateTime since;     // UTC
    QDateTime until;     // UTC; invalid: until released
    bool warned = false; // the retry.hold_max warning went out

    bool operator==(const DomainHold &o) const
    {
        return domain == o.domain && since == o.since && until == o.until && warned == o.warned;
    }
    bool operator!=(const DomainHold &o) const { return !(*this == o); }
};

} // namespace mailroute

Q_DECLARE_METATYPE(mailroute::DomainHold)
