// Compiles a ConfigData into per-area lookup tables (SPEC §1 precedence).
// Immutable after compile(): route() and match() are const, keep no caches
// and allocate nothing for ASCII addresses, so one snapshot serves every
// session thread at once (CONVENTIONS "Configuration reaches the engine as an
// immutable snapshot").
//
// Why a hand-written table instead of QHash<QString, ...>: the relay looks up
// every recipient, and a QHash keyed by MailAddress::key() would build (and
// allocate) the folded key for every lookup. Here the key bytes live in one
// arena and the lookup hashes and compares the input while folding it, so a
// lookup is a hash over the address plus, for a million users, a couple of
// cache misses.
#include "relaycore/routing/routingsnapshot.h"

#include <QMutex>

#include <cstdint>
#include <cstring>
#include <limits>
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

constexpr uint32_t kEmptySlot = std::numeric_limits<uint32_t>::max();

constexpr uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

// Final avalanche (the murmur3 finaliser) so that the low bits used for the
// bucket and the high bits used for the tag are both well mixed.
constexpr uint64_t avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// Hash over UTF-16 code units, four per multiply.
uint64_t hashUnits(const char16_t *s, size_t n)
{
    uint64_t h = 0x243f6a8885a308d3ULL ^ (uint64_t(n) * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint64_t w;
        std::memcpy(&w, s + i, sizeof w);
        h = rotl((h ^ w) * 0x87c37b91114253d5ULL, 31);
    }
    if (i < n) {
        uint64_t w = 0;
        std::memcpy(&w, s + i, (n - i) * sizeof(char16_t));
        h = rotl((h ^ w) * 0x87c37b91114253d5ULL, 31);
    }
    return avalanche(h);
}

uint64_t combineUserHash(uint64_t localHash, uint64_t domainHash)
{
    return avalanche(localHash * 0x9e3779b97f4a7c15ULL + rotl(domainHash, 23));
}

// Adds 0x20 to every 16-bit lane holding 'A'..'Z'. Only meaningful when all
// four lanes are ASCII (< 0x80): the caller checks that from the returned
// OR of the input and takes the QString::toLower path otherwise.
inline uint64_t foldAsciiWord(uint64_t w)
{
    constexpr uint64_t lanes = 0x0001000100010001ULL;
    const uint64_t geA = w + (0x80 - 'A') * lanes;     // bit 7 set where c >= 'A'
    const uint64_t gtZ = w + (0x80 - 'Z' - 1) * lanes; // bit 7 set where c > 'Z'
    const uint64_t upper = geA & ~gtZ & (0x80 * lanes);
    return w | (upper >> 2);
}

// Copies s[0..n) to out folded to ASCII lower case; returns the OR of all
// input units (>= 0x80 means "not ASCII, result unusable").
uint64_t foldAscii(const char16_t *s, size_t n, char16_t *out)
{
    uint64_t seen = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint64_t w;
        std::memcpy(&w, s + i, sizeof w);
        seen |= w;
        w = foldAsciiWord(w);
        std::memcpy(out + i, &w, sizeof w);
    }
    for (; i < n; ++i) {
        const char16_t c = s[i];
        seen |= c;
        out[i] = (c >= u'A' && c <= u'Z') ? char16_t(c | 0x20) : c;
    }
    return seen;
}

constexpr uint64_t kNonAsciiLanes = 0xff80ff80ff80ff80ULL;

const char16_t *units(QStringView s)
{
    return reinterpret_cast<const char16_t *>(s.utf16());
}

// The folded form of a key part, the same as MailAddress::key() does for the
// local part (QString::toLower). Domains are normalised already; folding them
// too costs nothing and keeps a hand-made config from missing on case alone.
// Appends to `out` and returns the number of units appended.
size_t appendFolded(std::u16string &out, QStringView s)
{
    const size_t start = out.size();
    out.resize(start + size_t(s.size()));
    if ((foldAscii(units(s), size_t(s.size()), out.data() + start) & kNonAsciiLanes) == 0)
        return size_t(s.size());
    const QString lower = s.toString().toLower();
    out.resize(start);
    out.append(units(lower), size_t(lower.size()));
    return size_t(lower.size());
}

// Open addressing, linear probing, load factor <= 1/2. A slot carries the
// hash tag and the key's place in the arena, so a probe compares keys without
// touching the entry and the key and the entry load in parallel.
class KeyTable
{
public:
    struct Slot
    {
        uint32_t tag = 0;
        uint32_t index = kEmptySlot;
        uint32_t keyOffset = 0;
        uint32_t keyLength = 0;
    };

    void reserve(size_t entries, size_t arenaUnits)
    {
        size_t capacity = 8;
        while (capacity < entries * 2)
            capacity <<= 1;
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
        m_arena.reserve(arenaUnits);
    }

    bool isEmpty() const { return m_size == 0; }
    std::u16string &arena() { return m_arena; }

    // The key is the arena tail from `keyStart` on (appended by the caller).
    // Returns the index already stored for an equal key (the new copy of the
    // key is dropped), else stores `index` and returns kEmptySlot.
    uint32_t insert(uint64_t hash, size_t keyStart, uint32_t index)
    {
        if (m_arena.size() >= std::numeric_limits<uint32_t>::max())
            qFatal("RoutingSnapshot: keys exceed 4 Gi code units");
        const auto length = static_cast<uint32_t>(m_arena.size() - keyStart);
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            Slot &s = m_slots[pos];
            if (s.index == kEmptySlot) {
                s = Slot{tag, index, static_cast<uint32_t>(keyStart), length};
                ++m_size;
                return kEmptySlot;
            }
            if (s.tag == tag && s.keyLength == length &&
                std::memcmp(m_arena.data() + s.keyOffset, m_arena.data() + keyStart,
                            length * sizeof(char16_t)) == 0) {
                m_arena.resize(keyStart);
                return s.index;
            }
        }
    }

    uint32_t find(uint64_t hash, const char16_t *key, size_t length) const
    {
        if (m_size == 0)
            return kEmptySlot;
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            const Slot &s = m_slots[pos];
            if (s.index == kEmptySlot)
                return kEmptySlot;
            if (s.tag == tag && s.keyLength == length &&
                std::memcmp(m_arena.data() + s.keyOffset, key, length * sizeof(char16_t)) == 0)
                return s.index;
        }
    }

private:
    std::vector<Slot> m_slots;
    std::u16string m_arena;
    size_t m_mask = 0;
    size_t m_size = 0;
};

// The looked-up address folded into "local@domain" and hashed once for both
// tables. Valid addresses (local <= 64 octets, domain <= 255) fit the inline
// buffer, so a lookup allocates nothing unless the local part is non-ASCII.
class LookupKey
{
public:
    explicit LookupKey(const MailAddress &a)
    {
        const auto localSize = size_t(a.localPart.size());
        const auto domainSize = size_t(a.domain.size());
        char16_t *buf = reserve(localSize + 1 + domainSize);
        uint64_t seen = foldAscii(units(a.localPart), localSize, buf);
        buf[localSize] = u'@';
        seen |= foldAscii(units(a.domain), domainSize, buf + localSize + 1);
        m_localLength = localSize;
        m_length = localSize + 1 + domainSize;
        if (seen & kNonAsciiLanes) {
            // Rare (SMTPUTF8 local parts): fold as MailAddress::key() does.
            std::u16string folded;
            m_localLength = appendFolded(folded, a.localPart);
            folded.push_back(u'@');
            appendFolded(folded, a.domain);
            m_length = folded.size();
            buf = reserve(m_length);
            std::memcpy(buf, folded.data(), m_length * sizeof(char16_t));
        }
        m_localHash = hashUnits(m_key, m_localLength);
        m_domainHash = hashUnits(domain(), domainLength());
    }
    Q_DISABLE_COPY_MOVE(LookupKey)

    const char16_t *key() const { return m_key; }
    size_t length() const { return m_length; }
    const char16_t *domain() const { return m_key + m_localLength + 1; }
    size_t domainLength() const { return m_length - m_localLength - 1; }
    uint64_t userHash() const { return combineUserHash(m_localHash, m_domainHash); }
    uint64_t domainHash() const { return m_domainHash; }

private:
    char16_t *reserve(size_t n)
    {
        if (n <= sizeof m_inline / sizeof m_inline[0]) {
            m_key = m_inline;
        } else {
            m_heap.resize(n);
            m_key = m_heap.data();
        }
        return m_key;
    }

    // 64 + '@' + 255 rounded up: every valid address.
    char16_t m_inline[328];
    std::u16string m_heap;
    char16_t *m_key = m_inline;
    size_t m_localLength = 0;
    size_t m_length = 0;
    uint64_t m_localHash = 0;
    uint64_t m_domainHash = 0;
};

struct UserEntry
{
    // The result's parts, stored spelling (SPEC §1). Copies of the config's
    // strings made one after another, so a hit touches neighbouring memory
    // rather than wherever the importer happened to allocate them.
    QString targetLocal;
    QString ruleSource;
    QString ruleTarget;
    uint32_t targetDomain = 0; // into AreaTables::targetDomains
};

struct DomainEntry
{
    QString target;     // normalised domain
    QString ruleSource; // "@warmsushi.com"
    QString ruleTarget; // "@drypizza.com"
};

struct AreaTables
{
    KeyTable users;
    std::vector<UserEntry> userEntries;
    std::vector<QString> targetDomains; // interned: many users share few domains
    KeyTable domains;
    std::vector<DomainEntry> domainEntries;
};

} // namespace

struct RoutingSnapshot::Private
{
    ConfigData config;
    qint64 generation = 0;
    std::array<AreaTables, kAreaCount> areas;
};

namespace {

QString deepCopy(QStringView s)
{
    return QString(s.data(), s.size());
}

// Domain strings (rule targets, "@source", "@target", users' target domains)
// are shared by every lookup that hits them. As ordinary QStrings each copy
// into a RouteResult is an atomic increment on one shared counter, and with
// several session threads that cache line bounces between cores: measured
// with bench_routing, two threads were slower than one. So they live in a
// process-wide pool that is never freed, and results carry raw-data QStrings
// into it (QString::fromRawData: copying one touches no counter, and it can
// never dangle, whichever snapshot or thread outlives which). The pool only
// grows by distinct domain names ever configured, a few KiB in practice.
QString internForever(QStringView s)
{
    static QBasicMutex mutex;
    // Node-based, never destroyed: element addresses (and the characters of
    // each std::u16string) stay put for the life of the process.
    static auto *pool = new std::unordered_set<std::u16string>;
    const QMutexLocker lock(&mutex);
    const std::u16string &stored = *pool->emplace(units(s), size_t(s.size())).first;
    return QString::fromRawData(reinterpret_cast<const QChar *>(stored.data()), qsizetype(stored.size()));
}

void compileDomains(AreaTables &t, const QList<DomainMapping> &domains)
{
    size_t arena = 0;
    for (const DomainMapping &m : domains)
        arena += size_t(m.source.size());
    t.domains.reserve(size_t(domains.size()), arena);
    t.domainEntries.reserve(size_t(domains.size()));
    for (const DomainMapping &m : domains) {
        std::u16string &a = t.domains.arena();
        const size_t start = a.size();
        const size_t n = appendFolded(a, m.source);
        const uint64_t hash = hashUnits(a.data() + start, n);
        DomainEntry e{internForever(m.target), internForever(displayDomain(m.source)),
                      internForever(displayDomain(m.target))};
        const uint32_t existing = t.domains.insert(hash, start, uint32_t(t.domainEntries.size()));
        if (existing == kEmptySlot)
            t.domainEntries.push_back(std::move(e));
        else
            t.domainEntries[existing] = std::move(e); // duplicate source: the last one wins
    }
}

void compileUsers(AreaTables &t, const QList<UserMapping> &users)
{
    size_t arena = 0;
    for (const UserMapping &m : users)
        arena += size_t(m.source.size());
    t.users.reserve(size_t(users.size()), arena);
    t.userEntries.reserve(size_t(users.size()));

    KeyTable domainIds; // interns target domains
    domainIds.reserve(64, 1024);

    for (const UserMapping &m : users) {
        const qsizetype sourceAt = m.source.lastIndexOf(QLatin1Char('@'));
        const qsizetype targetAt = m.target.lastIndexOf(QLatin1Char('@'));
        if (sourceAt <= 0 || targetAt <= 0)
            continue; // not a mailbox; the store never holds one (see header)

        std::u16string &a = t.users.arena();
        const size_t start = a.size();
        const size_t localLength = appendFolded(a, QStringView(m.source).first(sourceAt));
        a.push_back(u'@');
        const size_t domainLength = appendFolded(a, QStringView(m.source).mid(sourceAt + 1));
        const uint64_t hash = combineUserHash(hashUnits(a.data() + start, localLength),
                                              hashUnits(a.data() + start + localLength + 1, domainLength));

        const QStringView targetDomain = QStringView(m.target).mid(targetAt + 1);
        std::u16string &da = domainIds.arena();
        const size_t dstart = da.size();
        const size_t dn = appendFolded(da, targetDomain);
        uint32_t domainId =
            domainIds.insert(hashUnits(da.data() + dstart, dn), dstart, uint32_t(t.targetDomains.size()));
        if (domainId == kEmptySlot) {
            domainId = uint32_t(t.targetDomains.size());
            t.targetDomains.push_back(internForever(targetDomain));
        }

        UserEntry e{deepCopy(QStringView(m.target).first(targetAt)), deepCopy(m.source), deepCopy(m.target),
                    domainId};
        const uint32_t existing = t.users.insert(hash, start, uint32_t(t.userEntries.size()));
        if (existing == kEmptySlot)
            t.userEntries.push_back(std::move(e));
        else
            t.userEntries[existing] = std::move(e); // duplicate source: the last one wins
    }
}

} // namespace

RoutingSnapshot::RoutingSnapshot() : d(std::make_unique<Private>()) {}

RoutingSnapshot::~RoutingSnapshot() = default;

std::shared_ptr<const RoutingSnapshot> RoutingSnapshot::compile(const ConfigData &config, qint64 generation)
{
    std::shared_ptr<RoutingSnapshot> s(new RoutingSnapshot);
    s->d->config = config;
    s->d->generation = generation;
    for (Area a : kAllAreas) {
        AreaTables &t = s->d->areas[size_t(areaIndex(a))];
        // Index into our own copy: its lists are never modified, so the
        // pointers stay valid for the snapshot's lifetime.
        const AreaConfig &ac = s->d->config.area(a);
        compileDomains(t, ac.domains);
        if (areaHasUsers(a))
            compileUsers(t, ac.users);
    }
    return s;
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
    const LookupKey key(address);
    if (!t.users.isEmpty()) {
        const uint32_t i = t.users.find(key.userHash(), key.key(), key.length());
        if (i != kEmptySlot) {
            const UserEntry &e = t.userEntries[i];
            // The stored spelling of the target is used (SPEC §1).
            return RouteResult{MatchKind::User, MailAddress{e.targetLocal, t.targetDomains[e.targetDomain]},
                               e.ruleSource, e.ruleTarget};
        }
    }
    const uint32_t i = t.domains.find(key.domainHash(), key.domain(), key.domainLength());
    if (i != kEmptySlot) {
        const DomainEntry &e = t.domainEntries[i];
        // The local part is kept as typed: only the domain moves (SPEC §1).
        return RouteResult{MatchKind::Domain, MailAddress{address.localPart, e.target}, e.ruleSource,
                           e.ruleTarget};
    }
    return RouteResult{MatchKind::None, address, {}, {}};
}

MatchKind RoutingSnapshot::match(Area area, const MailAddress &address) const
{
    const AreaTables &t = d->areas[size_t(areaIndex(area))];
    const LookupKey key(address);
    if (!t.users.isEmpty() && t.users.find(key.userHash(), key.key(), key.length()) != kEmptySlot)
        return MatchKind::User;
    if (t.domains.find(key.domainHash(), key.domain(), key.domainLength()) != kEmptySlot)
        return MatchKind::Domain;
    return MatchKind::None;
}

} // namespace mailroute
