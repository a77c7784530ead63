// Compiles a ConfigData into per-area lookup tables
// (docs/behaviour.md "Routing precedence"). Immutable after compile(): route()
// and match() are const and keep no caches, so one snapshot serves every
// session thread at once (docs/architecture.md "Configuration snapshots").
//
// Why hand-written tables instead of QHash<QString, ...>: the relay looks up
// every recipient, and a QHash keyed by MailAddress::key() would build (and
// allocate) the folded key for every lookup and follow a node and two string
// pointers for every hit. Here the input is folded into a stack buffer and
// hashed eight bytes at a time, a miss (the common case for recipients
// outside the user list) reads only 2-byte hash tags, and a user hit reads a
// tag, an offset and one record of a contiguous arena (routingtable.h):
// there is no QString per user at all. A hit builds the result's strings
// from the record, which the key comparison has just brought into cache.
#include "relaycore/routing/routingsnapshot.h"

#include "relaycore/routing/routingtable.h"

#include <QHashFunctions>
#include <QMutex>
#include <QSet>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace mailroute {

QString matchKindKey(MatchKind k)
{
    switch (k) {
    case MatchKind::None: return QStringLiteral("none");
    case MatchKind::User: return QStringLiteral("user");
    case MatchKind::Domain: return QStringLiteral("domain");
    }
    return {};
}

namespace {

using routing_table::DomainTable;
using routing_table::FlatIndex;
using routing_table::FoldedKey;
using routing_table::UserTable;

const char16_t *units(QStringView s)
{
    return reinterpret_cast<const char16_t *>(s.utf16());
}

// Domain strings (rule targets, "@source", "@target", users' target domains)
// are shared by every lookup that hits them. As ordinary QStrings each copy
// into a RouteResult is an atomic increment on one shared counter, and with
// several session threads that cache line bounces between cores: measured
// with bench_routing, two threads were slower than one. So they live in a
// process-wide pool that is never freed, and results carry raw-data QStrings
// into it (QString::fromRawData: copying one touches no counter, and it can
// never dangle, whichever snapshot or thread outlives which). The pool only
// grows by the distinct domain names ever configured: a few KiB in practice.
QString internForever(QStringView s)
{
    static QBasicMutex mutex;
    // Node-based and never destroyed: each element, and the characters of
    // each std::u16string in it, stay where they are for the process' life.
    static auto *pool = new std::unordered_set<std::u16string>;
    const QMutexLocker lock(&mutex);
    // std::u16string keeps a '\0' after its characters, so these raw-data
    // strings are even null-terminated like ordinary QStrings.
    const std::u16string &stored = *pool->emplace(units(s), size_t(s.size())).first;
    return QString::fromRawData(reinterpret_cast<const QChar *>(stored.data()), qsizetype(stored.size()));
}

struct DomainEntry
{
    QString target;     // normalised domain
    QString ruleSource; // "@warmsushi.com"
    QString ruleTarget; // "@drypizza.com"
};

// One area's rules (routingtable.h).
struct AreaTables
{
    UserTable users;
    std::vector<QString> targetDomains; // interned; UserTable::Hit::targetDomain indexes it
    DomainTable domains;
    std::vector<DomainEntry> domainEntries; // DomainTable's entry indexes
};

void compileDomains(AreaTables &t, const QList<DomainMapping> &domains)
{
    t.domains.reserve(size_t(domains.size()));
    t.domainEntries.reserve(size_t(domains.size()));
    for (const DomainMapping &m : domains) {
        const FoldedKey key({}, m.source);
        const uint32_t entry = t.domains.add(key);
        DomainEntry e{internForever(m.target), internForever(displayDomain(m.source)),
                      internForever(displayDomain(m.target))};
        if (entry == t.domainEntries.size())
            t.domainEntries.push_back(std::move(e));
        else
            t.domainEntries[entry] = std::move(e); // a duplicate source: the last one wins
    }
}

void compileUsers(AreaTables &t, const QList<UserMapping> &users)
{
    size_t textUnits = 0;
    for (const UserMapping &m : users)
        textUnits += size_t(m.source.size() + m.target.size());
    t.users.reserve(size_t(users.size()), textUnits);

    // Interns the target domains: most lists target a few, so the index
    // starts small and is rebuilt larger when it fills.
    FlatIndex domainIds;
    domainIds.reserve(64);
    size_t domainIdsCapacity = 64;

    for (const UserMapping &m : users) {
        const qsizetype sourceAt = m.source.lastIndexOf(QLatin1Char('@'));
        const qsizetype targetAt = m.target.lastIndexOf(QLatin1Char('@'));
        if (sourceAt <= 0 || targetAt <= 0)
            continue; // not a mailbox; the store never holds one (see header)
        const FoldedKey key(QStringView(m.source).first(sourceAt), QStringView(m.source).mid(sourceAt + 1));

        const QStringView targetDomain = QStringView(m.target).mid(targetAt + 1);
        if (t.targetDomains.size() >= domainIdsCapacity) {
            domainIdsCapacity *= 4;
            domainIds.reserve(domainIdsCapacity);
            for (uint32_t id = 0; id < t.targetDomains.size(); ++id) {
                bool fresh = false;
                const size_t pos = domainIds.insert(
                    qHash(t.targetDomains[id]), [](uint32_t) { return false; }, fresh);
                domainIds.setValue(pos, id);
            }
        }
        bool claimed = false;
        const size_t dpos = domainIds.insert(
            qHash(targetDomain), [&](uint32_t id) { return t.targetDomains[id] == targetDomain; }, claimed);
        if (claimed) {
            domainIds.setValue(dpos, uint32_t(t.targetDomains.size()));
            t.targetDomains.push_back(internForever(targetDomain));
        }
        t.users.add(key, m.source, m.target, uint32_t(targetAt), domainIds.value(dpos));
    }
    t.users.finish();
}

} // namespace

struct RoutingSnapshot::Private
{
    ConfigData config;
    qint64 generation = 0;
    std::array<AreaTables, kAreaCount> areas;
    AllowedSenders allowedSenders;
    QSet<QString> allowedSenderSet;
};

RoutingSnapshot::RoutingSnapshot() : d(std::make_unique<Private>()) {}

RoutingSnapshot::~RoutingSnapshot() = default;

std::shared_ptr<const RoutingSnapshot> RoutingSnapshot::compile(const ConfigData &config, qint64 generation)
{
    std::shared_ptr<RoutingSnapshot> s(new RoutingSnapshot);
    s->d->config = config;
    s->d->generation = generation;
    for (Area a : kAllAreas) {
        AreaTables &t = s->d->areas[size_t(areaIndex(a))];
        const AreaConfig &ac = s->d->config.area(a);
        compileDomains(t, ac.domains);
        if (areaHasUsers(a))
            compileUsers(t, ac.users);
    }
    s->d->allowedSenders = mailroute::allowedSenders(s->d->config);
    for (const QString &domain : std::as_const(s->d->allowedSenders.domains))
        s->d->allowedSenderSet.insert(domain);
    return s;
}

const AllowedSenders &RoutingSnapshot::allowedSenders() const
{
    return d->allowedSenders;
}

bool RoutingSnapshot::isAllowedSenderDomain(const QString &domain) const
{
    return d->allowedSenderSet.contains(domain);
}

qint64 RoutingSnapshot::generation() const
{
    return d->generation;
}

const ConfigData &RoutingSnapshot::config() const
{
    return d->config;
}

RouteResult RoutingSnapshot::route(Area area, const MailAddress &address) const
{
    const AreaTables &t = d->areas[size_t(areaIndex(area))];
    const FoldedKey key(address.localPart, address.domain);
    UserTable::Hit hit;
    if (!t.users.isEmpty() && t.users.find(key, &hit)) {
        // The stored spelling of the target is used (docs/behaviour.md "Areas and mappings").
        RouteResult r{MatchKind::User, MailAddress{{}, t.targetDomains[hit.targetDomain]}, {}, {}};
        hit.strings(r.ruleSource, r.address.localPart, r.ruleTarget);
        return r;
    }
    const int64_t entry = t.domains.find(key);
    if (entry >= 0) {
        const DomainEntry &e = t.domainEntries[size_t(entry)];
        // The local part is kept as typed: only the domain moves (docs/behaviour.md "Areas and mappings").
        return RouteResult{MatchKind::Domain, MailAddress{address.localPart, e.target}, e.ruleSource,
                           e.ruleTarget};
    }
    return RouteResult{MatchKind::None, address, {}, {}};
}

MatchKind RoutingSnapshot::match(Area area, const MailAddress &address) const
{
    const AreaTables &t = d->areas[size_t(areaIndex(area))];
    const FoldedKey key(address.localPart, address.domain);
    if (!t.users.isEmpty() && t.users.find(key, nullptr))
        return MatchKind::User;
    if (t.domains.find(key) >= 0)
        return MatchKind::Domain;
    return MatchKind::None;
}

} // namespace mailroute
