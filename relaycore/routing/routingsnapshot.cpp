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

#include <QByteArray>

#include <cstdint>
#include <cstring>
#include <limits>
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

// Final avalanche (the murmur3 / splitmix finaliser) so that the low bits used
// for the bucket and the high bits used for the tag are both well mixed.
constexpr uint64_t avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// Streaming hash over bytes, one multiply per 8 bytes. Fed either directly
// from UTF-16 ASCII (the fast path) or from UTF-8 bytes (everything else):
// for ASCII both are the same byte sequence, so keys stored from UTF-8 are
// found from UTF-16 input without converting it.
class ByteHasher
{
public:
    void add(unsigned char b)
    {
        m_word |= uint64_t(b) << (m_fill * 8);
        if (++m_fill == 8)
            flush();
    }
    uint64_t finish()
    {
        m_length += m_fill;
        m_state = (m_state ^ m_word ^ (m_length << 56)) * 0x9e3779b97f4a7c15ULL;
        return avalanche(m_state);
    }

private:
    void flush()
    {
        m_state = rotl((m_state ^ m_word) * 0x87c37b91114253d5ULL, 31);
        m_length += 8;
        m_word = 0;
        m_fill = 0;
    }
    uint64_t m_state = 0x243f6a8885a308d3ULL;
    uint64_t m_word = 0;
    uint64_t m_length = 0;
    unsigned m_fill = 0;
};

uint64_t combineUserHash(uint64_t localHash, uint64_t domainHash)
{
    return avalanche(localHash * 0x9e3779b97f4a7c15ULL + rotl(domainHash, 23));
}

inline char16_t foldAscii(char16_t c)
{
    return (c >= u'A' && c <= u'Z') ? char16_t(c | 0x20) : c;
}

// Hashes `s` folded to ASCII lower case. Returns false (and a useless hash)
// when `s` is not ASCII: the caller then takes the UTF-8 path.
bool hashAsciiFolded(QStringView s, uint64_t &out)
{
    ByteHasher h;
    char16_t seen = 0;
    for (QChar ch : s) {
        const char16_t c = ch.unicode();
        seen |= c;
        h.add(static_cast<unsigned char>(foldAscii(c)));
    }
    out = h.finish();
    return seen < 0x80;
}

uint64_t hashBytes(const char *p, size_t n)
{
    ByteHasher h;
    for (size_t i = 0; i < n; ++i)
        h.add(static_cast<unsigned char>(p[i]));
    return h.finish();
}

bool isAsciiView(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// Case folding of stored keys, the same as MailAddress::key() for the local
// part (QString::toLower). Domains are normalised already; folding them too
// costs nothing and keeps a hand-made config from missing on case alone.
void appendFoldedUtf8(std::vector<char> &out, QStringView s)
{
    if (isAsciiView(s)) {
        for (QChar ch : s)
            out.push_back(static_cast<char>(foldAscii(ch.unicode())));
        return;
    }
    const QByteArray bytes = s.toString().toLower().toUtf8();
    out.insert(out.end(), bytes.constData(), bytes.constData() + bytes.size());
}

// Open addressing, linear probing, load factor <= 1/2. A slot carries the
// hash tag and the key's place in the arena so a probe compares keys without
// touching the entry; `index` points into the caller's entry array.
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

    void reserve(size_t entries, size_t arenaBytes)
    {
        size_t capacity = 8;
        while (capacity < entries * 2)
            capacity <<= 1;
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
        m_arena.reserve(arenaBytes);
    }

    bool isEmpty() const { return m_size == 0; }

    // The key is the arena tail from `keyStart` on (appended by the caller).
    // Returns the index already stored for an equal key (the new copy of the
    // key is dropped from the arena), else stores `index` and returns
    // kEmptySlot.
    uint32_t insert(uint64_t hash, size_t keyStart, uint32_t index)
    {
        const uint32_t length = static_cast<uint32_t>(m_arena.size() - keyStart);
        const uint32_t tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            Slot &s = m_slots[pos];
            if (s.index == kEmptySlot) {
                s.tag = tag;
                s.index = index;
                s.keyOffset = static_cast<uint32_t>(keyStart);
                s.keyLength = length;
                ++m_size;
                return kEmptySlot;
            }
            if (s.tag == tag && s.keyLength == length &&
                std::memcmp(m_arena.data() + s.keyOffset, m_arena.data() + keyStart, length) == 0) {
                m_arena.resize(keyStart);
                return s.index;
            }
        }
    }

    std::vector<char> &arena() { return m_arena; }

    // `equal(const char *key, uint32_t length)` compares a candidate key.
    template <typename Equal> uint32_t find(uint64_t hash, Equal &&equal) const
    {
        if (m_size == 0)
            return kEmptySlot;
        const uint32_t tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            const Slot &s = m_slots[pos];
            if (s.index == kEmptySlot)
                return kEmptySlot;
            if (s.tag == tag && equal(m_arena.data() + s.keyOffset, s.keyLength))
                return s.index;
        }
    }

private:
    std::vector<Slot> m_slots;
    std::vector<char> m_arena;
    size_t m_mask = 0;
    size_t m_size = 0;
};

// The looked-up address, hashed once for both tables.
struct LookupKey
{
    QStringView local;
    QStringView domain;
    bool ascii = true;
    QByteArray localBytes; // UTF-8 path only: folded local part
    QByteArray domainBytes;
    uint64_t localHash = 0;
    uint64_t domainHash = 0;

    explicit LookupKey(const MailAddress &a) : local(a.localPart), domain(a.domain)
    {
        ascii = hashAsciiFolded(local, localHash);
        ascii = hashAsciiFolded(domain, domainHash) && ascii;
        if (!ascii) {
            // Rare (SMTPUTF8 local parts): allocate, as MailAddress::key() does.
            localBytes = a.localPart.toLower().toUtf8();
            domainBytes = a.domain.toLower().toUtf8();
            localHash = hashBytes(localBytes.constData(), size_t(localBytes.size()));
            domainHash = hashBytes(domainBytes.constData(), size_t(domainBytes.size()));
        }
    }

    static bool equalsFolded(const char *key, QStringView s)
    {
        for (qsizetype i = 0; i < s.size(); ++i) {
            if (static_cast<char16_t>(static_cast<unsigned char>(key[i])) != foldAscii(s[i].unicode()))
                return false;
        }
        return true;
    }

    bool userEquals(const char *key, uint32_t length) const
    {
        if (ascii) {
            const auto l = size_t(local.size());
            if (length != l + 1 + size_t(domain.size()) || key[l] != '@')
                return false;
            return equalsFolded(key, local) && equalsFolded(key + l + 1, domain);
        }
        const auto l = size_t(localBytes.size());
        return length == l + 1 + size_t(domainBytes.size()) && key[l] == '@' &&
               std::memcmp(key, localBytes.constData(), l) == 0 &&
               std::memcmp(key + l + 1, domainBytes.constData(), size_t(domainBytes.size())) == 0;
    }

    bool domainEquals(const char *key, uint32_t length) const
    {
        if (ascii)
            return length == size_t(domain.size()) && equalsFolded(key, domain);
        return length == size_t(domainBytes.size()) &&
               std::memcmp(key, domainBytes.constData(), size_t(domainBytes.size())) == 0;
    }
};

struct UserEntry
{
    QString targetLocal;
    uint32_t targetDomain = 0; // into AreaTables::targetDomains
    uint32_t mapping = 0;      // into the config's user list (rule spelling)
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
    const UserMapping *mappings = nullptr;
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

void compileDomains(AreaTables &t, const QList<DomainMapping> &domains)
{
    size_t arena = 0;
    for (const DomainMapping &m : domains)
        arena += size_t(m.source.size());
    t.domains.reserve(size_t(domains.size()), arena);
    t.domainEntries.reserve(size_t(domains.size()));
    for (const DomainMapping &m : domains) {
        std::vector<char> &a = t.domains.arena();
        const size_t start = a.size();
        appendFoldedUtf8(a, m.source);
        const uint64_t hash = hashBytes(a.data() + start, a.size() - start);
        DomainEntry e{m.target, displayDomain(m.source), displayDomain(m.target)};
        const uint32_t existing = t.domains.insert(hash, start, uint32_t(t.domainEntries.size()));
        if (existing == kEmptySlot)
            t.domainEntries.push_back(std::move(e));
        else
            t.domainEntries[existing] = std::move(e); // duplicate source: the last one wins
    }
}

void compileUsers(AreaTables &t, const QList<UserMapping> &users)
{
    t.mappings = users.constData();
    size_t arena = 0;
    for (const UserMapping &m : users)
        arena += size_t(m.source.size());
    t.users.reserve(size_t(users.size()), arena);
    t.userEntries.reserve(size_t(users.size()));

    // Target domains interned through a small table of their own.
    KeyTable domainIds;
    domainIds.reserve(64, 1024);

    for (qsizetype i = 0; i < users.size(); ++i) {
        const UserMapping &m = users[i];
        const qsizetype sourceAt = m.source.lastIndexOf(QLatin1Char('@'));
        const qsizetype targetAt = m.target.lastIndexOf(QLatin1Char('@'));
        if (sourceAt <= 0 || targetAt <= 0)
            continue; // not a mailbox; the store never holds one (see header)
        const QStringView sourceLocal = QStringView(m.source).first(sourceAt);
        const QStringView sourceDomain = QStringView(m.source).mid(sourceAt + 1);

        std::vector<char> &a = t.users.arena();
        const size_t start = a.size();
        appendFoldedUtf8(a, sourceLocal);
        const size_t localLength = a.size() - start;
        const uint64_t localHash = hashBytes(a.data() + start, localLength);
        a.push_back('@');
        appendFoldedUtf8(a, sourceDomain);
        const uint64_t domainHash =
            hashBytes(a.data() + start + localLength + 1, a.size() - start - localLength - 1);
        if (a.size() >= std::numeric_limits<uint32_t>::max())
            qFatal("RoutingSnapshot: user keys exceed 4 GiB");

        // Intern the target domain.
        const QStringView targetDomain = QStringView(m.target).mid(targetAt + 1);
        std::vector<char> &da = domainIds.arena();
        const size_t dstart = da.size();
        appendFoldedUtf8(da, targetDomain);
        uint32_t domainId = domainIds.insert(hashBytes(da.data() + dstart, da.size() - dstart), dstart,
                                             uint32_t(t.targetDomains.size()));
        if (domainId == kEmptySlot) {
            domainId = uint32_t(t.targetDomains.size());
            t.targetDomains.push_back(targetDomain.toString());
        }

        UserEntry e{m.target.left(targetAt), domainId, uint32_t(i)};
        const uint32_t existing =
            t.users.insert(combineUserHash(localHash, domainHash), start, uint32_t(t.userEntries.size()));
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
        const uint32_t i = t.users.find(combineUserHash(key.localHash, key.domainHash),
                                        [&key](const char *k, uint32_t n) { return key.userEquals(k, n); });
        if (i != kEmptySlot) {
            const UserEntry &e = t.userEntries[i];
            const UserMapping &m = t.mappings[e.mapping];
            // The stored spelling of the target is used (SPEC §1).
            return RouteResult{MatchKind::User, MailAddress{e.targetLocal, t.targetDomains[e.targetDomain]},
                               m.source, m.target};
        }
    }
    const uint32_t i =
        t.domains.find(key.domainHash, [&key](const char *k, uint32_t n) { return key.domainEquals(k, n); });
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
    if (!t.users.isEmpty() &&
        t.users.find(combineUserHash(key.localHash, key.domainHash),
                     [&key](const char *k, uint32_t n) { return key.userEquals(k, n); }) != kEmptySlot)
        return MatchKind::User;
    if (t.domains.find(key.domainHash,
                       [&key](const char *k, uint32_t n) { return key.domainEquals(k, n); }) != kEmptySlot)
        return MatchKind::Domain;
    return MatchKind::None;
}

} // namespace mailroute
