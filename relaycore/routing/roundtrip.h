// The round-trip rule (issue 15 item 3). A user whose inbound mail goes to a
// new address (Inbound "bob@warmsushi.com -> bob.owen@drypizza.com") must be
// mapped back in Outbound ("bob.owen@drypizza.com -> bob@warmsushi.com"), or
// the replies written on the new system leave under the new address.
//
// "Mapped back" means what the relay does (RoutingSnapshot,
// docs/behaviour.md "Areas and mappings"): the Outbound route of the Inbound
// target (its user rule, else its domain rule) is the Inbound source, compared
// case-insensitively in the local part with normalised (lower-case ACE)
// domains. Only the rule in effect for a source counts (the last one, as in the
// snapshot). An Outbound user rule that sends the target somewhere else is a
// conflict: reported, never overwritten. Several Inbound sources sharing one
// target (a merge) cannot all be mapped back: when none is, the group is
// reported as ambiguous and nothing is proposed.
//
// Pure, linear in the number of mappings (one hash index per area).
#pragma once

#include "relaycore/routing/configdata.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

// An Inbound user mapping without its Outbound inverse, and the inverse to add.
struct RoundTripGap
{
    UserMapping inbound; // as stored in the Inbound list
    UserMapping inverse; // inbound.target -> inbound.source (canonical spelling)
    bool operator==(const RoundTripGap &o) const { return inbound == o.inbound && inverse == o.inverse; }
};

// An Inbound user mapping whose target has an Outbound user rule to another address.
struct RoundTripConflict
{
    UserMapping inbound;
    UserMapping outbound; // the Outbound rule in effect for inbound.target
    bool operator==(const RoundTripConflict &o) const
    {
        return inbound == o.inbound && outbound == o.outbound;
    }
};

// Several Inbound sources share one target and none is its Outbound result.
struct RoundTripAmbiguity
{
    QString target;      // as in the first Inbound mapping of the group
    QStringList sources; // Inbound list order
    bool operator==(const RoundTripAmbiguity &o) const { return target == o.target && sources == o.sources; }
};

struct RoundTripCheck
{
    QList<RoundTripGap> missing; // Inbound list order
    QList<RoundTripConflict> conflicts;
    QList<RoundTripAmbiguity> ambiguous;

    bool isClean() const { return missing.isEmpty() && conflicts.isEmpty() && ambiguous.isEmpty(); }
    // The Outbound user mappings to create (missing[i].inverse), list order.
    QList<UserMapping> inverses() const;
};

// `inboundUsers`: the Inbound user mappings to check (a whole Inbound list, or
// just a wave's); `outbound`: the Outbound rules they must round-trip through.
// Addresses are expected in stored form (MailAddress::toString()); other
// spellings (upper-case or Unicode domains, needless quotes) are normalised
// with parseMailbox, and mappings that are not mailboxes at all are skipped.
RoundTripCheck checkRoundTrip(const QList<UserMapping> &inboundUsers, const AreaConfig &outbound);
// The configuration's Inbound user list against its Outbound rules.
RoundTripCheck checkRoundTrip(const ConfigData &config);

// Appends every missing inverse to the Outbound user list of `config` and
// returns them (empty: nothing to do). Conflicts and ambiguities are left as
// they are; checkRoundTrip(config) afterwards reports only those.
QList<UserMapping> addOutboundInverses(ConfigData &config);

} // namespace mailroute
