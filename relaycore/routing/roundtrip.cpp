// The round-trip rule (roundtrip.h): one pass over the Inbound users against
// hash indexes of the Outbound rules, with RoutingSnapshot's matching
// semantics (user rule first, then the domain rule; the last rule for a
// source is the one in effect; local parts compared case-insensitively).
#include "relaycore/routing/roundtrip.h"

#include "relaycore/routing/mailaddress.h"

#include <QHash>

#include <optional>
#include <vector>

namespace mailroute {

namespace {

// The stored spelling of a mailbox (MailAddress::toString()). What the store
// holds already is returned as it is without parsing (ASCII, no quoting, a
// lower-case LDH domain of two labels or more); anything else goes through parseMailbox, so
// "Bob@Bücher.Example" and "bob@xn--bcher-kva.example" are one address.
std::optional<QString> canonical(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    bool plain = at > 0 && at <= 64 && at + 1 < address.size() && !address.endsWith(QLatin1Char('.')) &&
                 address.indexOf(QLatin1Char('.'), at) > at + 1;
    for (qsizetype i = 0; plain && i < address.size(); ++i) {
        const char16_t c = address.at(i).unicode();
        if (c >= 0x80 || c == u'"' || c == u'\\' || c <= 0x20)
            plain = false;
        else if (i > at && !((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-'))
            plain = false;
    }
    if (plain)
        return address;
    const Result<MailAddress> parsed = parseMailbox(address);
    if (!parsed)
        return std::nullopt;
    return parsed->toString();
}

// MailAddress::key() of a stored spelling: its domain is lower case already.
QString keyOf(const QString &stored)
{
    return stored.toLower();
}

struct Entry
{
    qsizetype index = -1; // in the Inbound list
    QString source;       // canonical
    QString target;       // canonical
    QString sourceKey;
};

// The Outbound side: where would the relay send a sender address?
class OutboundIndex
{
public:
    explicit OutboundIndex(const AreaConfig &outbound) : m_area(outbound)
    {
        m_users.reserve(outbound.users.size());
        for (qsizetype i = 0; i < outbound.users.size(); ++i) {
            const std::optional<QString> source = canonical(outbound.users[i].source);
            if (source)
                m_users.insert(keyOf(*source), i); // the last one wins, as in the snapshot
        }
        for (const DomainMapping &m : outbound.domains)
            m_domains.insert(m.source, m.target);
    }

    struct Route
    {
        QString resultKey;   // empty: no rule matches
        qsizetype user = -1; // the user rule that matched, or -1
    };

    Route route(const QString &target) const
    {
        const QString key = keyOf(target);
        if (const qsizetype j = m_users.value(key, -1); j >= 0) {
            const std::optional<QString> result = canonical(m_area.users[j].target);
            return Route{result ? keyOf(*result) : keyOf(m_area.users[j].target), j};
        }
        const qsizetype at = target.lastIndexOf(QLatin1Char('@'));
        const auto rule = m_domains.constFind(target.mid(at + 1));
        if (rule == m_domains.cend())
            return {};
        return Route{keyOf(target.left(at + 1) + *rule), -1};
    }

    const UserMapping &user(qsizetype j) const { return m_area.users[j]; }

private:
    const AreaConfig &m_area;
    QHash<QString, qsizetype> m_users;
    QHash<QString, QString> m_domains;
};

} // namespace

QList<UserMapping> RoundTripCheck::inverses() const
{
    QList<UserMapping> out;
    out.reserve(missing.size());
    for (const RoundTripGap &g : missing)
        out.append(g.inverse);
    return out;
}

RoundTripCheck checkRoundTrip(const QList<UserMapping> &inboundUsers, const AreaConfig &outbound)
{
    // The Inbound rules in effect (the last one for each source key), in
    // list order, grouped by target key in order of first appearance.
    std::vector<Entry> entries;
    entries.reserve(size_t(inboundUsers.size()));
    QHash<QString, qsizetype> lastBySource;
    lastBySource.reserve(inboundUsers.size());
    for (qsizetype i = 0; i < inboundUsers.size(); ++i) {
        const std::optional<QString> source = canonical(inboundUsers[i].source);
        const std::optional<QString> target = canonical(inboundUsers[i].target);
        if (!source || !target)
            continue; // not a mailbox: the store never holds one
        Entry e{i, *source, *target, keyOf(*source)};
        lastBySource.insert(e.sourceKey, qsizetype(entries.size()));
        entries.push_back(std::move(e));
    }
    QHash<QString, QList<qsizetype>> groups; // target key -> entries
    QList<QString> order;
    for (qsizetype k = 0; k < qsizetype(entries.size()); ++k) {
        const Entry &e = entries[size_t(k)];
        if (lastBySource.value(e.sourceKey) != k)
            continue; // overridden by a later rule for the same source
        const QString targetKey = keyOf(e.target);
        if (targetKey == e.sourceKey)
            continue; // maps the address to itself: nothing to send back
        QList<qsizetype> &group = groups[targetKey];
        if (group.isEmpty())
            order.append(targetKey);
        group.append(k);
    }

    RoundTripCheck check;
    const OutboundIndex index(outbound);
    for (const QString &targetKey : std::as_const(order)) {
        const QList<qsizetype> &group = groups[targetKey];
        const Entry &first = entries[size_t(group.first())];
        const OutboundIndex::Route back = index.route(first.target);
        bool satisfied = false;
        for (qsizetype k : group)
            satisfied =
                satisfied || (!back.resultKey.isEmpty() && entries[size_t(k)].sourceKey == back.resultKey);
        if (satisfied)
            continue;
        if (back.user >= 0) {
            for (qsizetype k : group)
                check.conflicts.append(
                    RoundTripConflict{inboundUsers[entries[size_t(k)].index], index.user(back.user)});
        } else if (group.size() == 1) {
            check.missing.append(
                RoundTripGap{inboundUsers[first.index], UserMapping{first.target, first.source}});
        } else {
            RoundTripAmbiguity a{inboundUsers[first.index].target, {}};
            for (qsizetype k : group)
                a.sources.append(inboundUsers[entries[size_t(k)].index].source);
            check.ambiguous.append(std::move(a));
        }
    }
    return check;
}

RoundTripCheck checkRoundTrip(const ConfigData &config)
{
    return checkRoundTrip(config.area(Area::Inbound).users, config.area(Area::Outbound));
}

QList<UserMapping> addOutboundInverses(ConfigData &config)
{
    const QList<UserMapping> inverses = checkRoundTrip(config).inverses();
    config.area(Area::Outbound).users.append(inverses);
    return inverses;
}

} // namespace mailroute
