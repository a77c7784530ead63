// Compiles a ConfigData into per-area lookup tables (SPEC §1 precedence).
// Immutable after compile(): route() and match() are const, keep no caches
// and allocate nothing for ASCII addresses, so one snapshot serves every
// session thread at once (CONVENTIONS "Configuration reaches the engine as an
// immutable snapshot").
//
// Why hand-written tables instead of QHash<QString, ...>: the relay looks up
// every recipient, and a QHash keyed by MailAddress::key() would build (and
// allocate) the folded key for every lookup. Here the input is folded into a
// stack buffer and hashed four UTF-16 units at a time, and the table is a
// flat array of 8-byte slots (hash tag + entry index): a miss, the common
// case for recipients outside the user list, touches one slot of a table
// small enough to stay largely in cache even for a million users; a hit then
// compares against the rule's own source string, which it needs anyway.
#include "relaycore/routing/routingsnapshot.h"

#include <QMutex>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

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

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

constexpr uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

// The murmur3 finaliser, so that the low bits used for the bucket and the
// high bits used for the tag are both well mixed.
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

constexpr uint64_t kLanes = 0x0001000100010001ULL;
constexpr uint64_t kNonAsciiLanes = 0xff80ff80ff80ff80ULL;

// Adds 0x20 to every 16-bit lane holding 'A'..'Z'. Only meaningful when all
// four lanes are ASCII (< 0x80); callers check that separately.
inline uint64_t foldAsciiWord(uint64_t w)
{
    const uint64_t geA = w + (0x80 - 'A') * kLanes;     // bit 7 set where c >= 'A'
    const uint64_t gtZ = w + (0x80 - 'Z' - 1) * kLanes; // bit 7 set where c > 'Z'
    return w | ((geA & ~gtZ & (0x80 * kLanes)) >> 2);
}

inline char16_t foldAsciiUnit(char16_t c)
{
    return (c >= u'A' && c <= u'Z') ? char16_t(c | 0x20) : c;
}

// Copies s[0..n) to out folded to ASCII lower case; returns the OR of all
// input units (any bit of kNonAsciiLanes set: not ASCII, result unusable).
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
        seen |= s[i];
        out[i] = foldAsciiUnit(s[i]);
    }
    return seen;
}

// Does the ASCII string `stored`, folded, equal the folded `key`?
bool asciiFoldedEquals(const char16_t *stored, const char16_t *key, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint64_t a;
        uint64_t b;
        std::memcpy(&a, stored + i, sizeof a);
        std::memcpy(&b, key + i, sizeof b);
        if (foldAsciiWord(a) != b)
            return false;
    }
    for (; i < n; ++i) {
        if (foldAsciiUnit(stored[i]) != key[i])
            return false;
    }
    return true;
}

const char16_t *units(QStringView s)
{
    return reinterpret_cast<const char16_t *>(s.utf16());
}

// Appends the folded form of a key part: the same as MailAddress::key() does
// for the local part (QString::toLower). Domains are normalised already;
// folding them too costs nothing and keeps a hand-made config from missing on
// case alone. Returns the number of units appended; sets `ascii` to false
// when the part was not ASCII.
size_t appendFolded(std::u16string &out, QStringView s, bool &ascii)
{
    const size_t start = out.size();
    out.resize(start + size_t(s.size()));
    if ((foldAscii(units(s), size_t(s.size()), out.data() + start) & kNonAsciiLanes) == 0)
        return size_t(s.size());
    ascii = false;
    const QString lower = s.toString().toLower();
    out.resize(start);
    out.append(units(lower), size_t(lower.size()));
    return size_t(lower.size());
}

// Big tables are touched at random; on Linux ask for transparent huge pages
// so a lookup does not also pay a page walk per cache miss. A hint only.
void adviseHugePages(const void *data, size_t bytes)
{
#if defined(Q_OS_LINUX) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t huge = uintptr_t(2) << 20;
    const auto begin = reinterpret_cast<uintptr_t>(data);
    const uintptr_t alignedBegin = (begin + huge - 1) & ~(huge - 1);
    const uintptr_t alignedEnd = (begin + bytes) & ~(huge - 1);
    if (alignedEnd > alignedBegin)
        madvise(reinterpret_cast<void *>(alignedBegin), alignedEnd - alignedBegin, MADV_HUGEPAGE);
#else
    Q_UNUSED(data)
    Q_UNUSED(bytes)
#endif
}

// A RouteResult copies the entry's strings, an atomic increment of each
// one's reference count; with a million users those counters are cold. A
// locked increment waits for its cache line, and x86 does not overlap them,
// so fetch the lines ahead (a hint: no effect on the result).
inline void prefetchForWrite(const QString &s)
{
#if defined(__GNUC__) || defined(__clang__)
    // d_ptr() (the header holding the counter) has no const overload in Qt
    // 6.4; reading the pointer modifies nothing. Null for raw data: harmless.
    __builtin_prefetch(const_cast<QString &>(s).data_ptr().d_ptr(), 1);
#else
    Q_UNUSED(s)
#endif
}

// Open addressing, linear probing, load factor <= 1/2, 8-byte slots. The tag
// (the hash's high half) rejects almost every non-matching slot without
// touching the entry; the caller's `equal(index)` settles the rest.
class SlotTable
{
public:
    void reserve(size_t entries)
    {
        size_t capacity = 8;
        while (capacity < entries * 2)
            capacity <<= 1;
        m_slots.clear();
        m_slots.reserve(capacity);
        adviseHugePages(m_slots.data(), capacity * sizeof(Slot));
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
    }

    bool isEmpty() const { return m_size == 0; }

    // Returns the index already stored for an equal key, else stores `index`
    // and returns kNone.
    template <typename Equal> uint32_t insert(uint64_t hash, uint32_t index, Equal &&equal)
    {
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            Slot &s = m_slots[pos];
            if (s.index == kNone) {
                s = Slot{tag, index};
                ++m_size;
                return kNone;
            }
            if (s.tag == tag && equal(s.index))
                return s.index;
        }
    }

    template <typename Equal> uint32_t find(uint64_t hash, Equal &&equal) const
    {
        if (m_size == 0)
            return kNone;
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t pos = hash & m_mask;; pos = (pos + 1) & m_mask) {
            const Slot &s = m_slots[pos];
            if (s.index == kNone)
                return kNone;
            if (s.tag == tag && equal(s.index))
                return s.index;
        }
    }

private:
    struct Slot
    {
        uint32_t tag = 0;
        uint32_t index = kNone;
    };
    std::vector<Slot> m_slots;
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
            bool ascii = true;
            m_localLength = appendFolded(folded, a.localPart, ascii);
            folded.push_back(u'@');
            appendFolded(folded, a.domain, ascii);
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

    char16_t m_inline[328]; // 64 + '@' + 255, rounded up: every valid address
    std::u16string m_heap;
    char16_t *m_key = m_inline;
    size_t m_localLength = 0;
    size_t m_length = 0;
    uint64_t m_localHash = 0;
    uint64_t m_domainHash = 0;
};

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
    const std::u16string &stored = *pool->emplace(units(s), size_t(s.size())).first;
    return QString::fromRawData(reinterpret_cast<const QChar *>(stored.data()), qsizetype(stored.size()));
}

struct UserEntry
{
    QString ruleSource;            // the config's string: the rule's spelling, and the key when ASCII
    QString ruleTarget;            // the config's string: the stored target spelling (SPEC §1)
    QString targetLocal;           // the result's local part
    uint32_t targetDomain = 0;     // into AreaTables::targetDomains
    uint32_t foldedOffset = kNone; // non-ASCII sources: folded key in AreaTables::foldedKeys
    uint32_t foldedLength = 0;
};

struct DomainEntry
{
    QString key;        // folded source domain
    QString target;     // normalised domain
    QString ruleSource; // "@warmsushi.com"
    QString ruleTarget; // "@drypizza.com"
};

struct AreaTables
{
    SlotTable users;
    std::vector<UserEntry> userEntries;
    std::u16string foldedKeys; // only for sources that are not ASCII
    std::vector<QString> targetDomains;
    SlotTable domains;
    std::vector<DomainEntry> domainEntries;

    bool userKeyEquals(uint32_t index, const char16_t *key, size_t length) const
    {
        const UserEntry &e = userEntries[index];
        if (e.foldedOffset == kNone)
            return size_t(e.ruleSource.size()) == length &&
                   asciiFoldedEquals(units(e.ruleSource), key, length);
        return e.foldedLength == length &&
               std::memcmp(foldedKeys.data() + e.foldedOffset, key, length * sizeof(char16_t)) == 0;
    }

    bool domainKeyEquals(uint32_t index, const char16_t *key, size_t length) const
    {
        const QString &k = domainEntries[index].key;
        return size_t(k.size()) == length && std::memcmp(k.constData(), key, length * sizeof(char16_t)) == 0;
    }
};

void compileDomains(AreaTables &t, const QList<DomainMapping> &domains)
{
    t.domains.reserve(size_t(domains.size()));
    t.domainEntries.reserve(size_t(domains.size()));
    std::u16string folded;
    for (const DomainMapping &m : domains) {
        folded.clear();
        bool ascii = true;
        appendFolded(folded, m.source, ascii);
        DomainEntry e{internForever(QStringView(folded.data(), qsizetype(folded.size()))),
                      internForever(m.target), internForever(displayDomain(m.source)),
                      internForever(displayDomain(m.target))};
        const uint32_t existing =
            t.domains.insert(hashUnits(folded.data(), folded.size()), uint32_t(t.domainEntries.size()),
                             [&](uint32_t i) { return t.domainKeyEquals(i, folded.data(), folded.size()); });
        if (existing == kNone)
            t.domainEntries.push_back(std::move(e));
        else
            t.domainEntries[existing] = std::move(e); // duplicate source: the last one wins
    }
}

void compileUsers(AreaTables &t, const QList<UserMapping> &users)
{
    t.users.reserve(size_t(users.size()));
    t.userEntries.reserve(size_t(users.size()));
    adviseHugePages(t.userEntries.data(), t.userEntries.capacity() * sizeof(UserEntry));

    SlotTable domainIds; // interns the target domains
    domainIds.reserve(64);
    std::u16string key;

    for (const UserMapping &m : users) {
        const qsizetype sourceAt = m.source.lastIndexOf(QLatin1Char('@'));
        const qsizetype targetAt = m.target.lastIndexOf(QLatin1Char('@'));
        if (sourceAt <= 0 || targetAt <= 0)
            continue; // not a mailbox; the store never holds one (see header)

        key.clear();
        bool ascii = true;
        const size_t localLength = appendFolded(key, QStringView(m.source).first(sourceAt), ascii);
        key.push_back(u'@');
        const size_t domainLength = appendFolded(key, QStringView(m.source).mid(sourceAt + 1), ascii);
        const uint64_t hash = combineUserHash(hashUnits(key.data(), localLength),
                                              hashUnits(key.data() + localLength + 1, domainLength));

        const QStringView targetDomain = QStringView(m.target).mid(targetAt + 1);
        const uint64_t domainHash = hashUnits(units(targetDomain), size_t(targetDomain.size()));
        uint32_t domainId = domainIds.insert(domainHash, uint32_t(t.targetDomains.size()),
                                             [&](uint32_t i) { return t.targetDomains[i] == targetDomain; });
        if (domainId == kNone) {
            domainId = uint32_t(t.targetDomains.size());
            t.targetDomains.push_back(internForever(targetDomain));
        }

        UserEntry e{m.source, m.target, m.target.left(targetAt), domainId, kNone, 0};
        if (!ascii) {
            if (t.foldedKeys.size() + key.size() >= kNone)
                qFatal("RoutingSnapshot: folded keys exceed 4 Gi code units");
            e.foldedOffset = uint32_t(t.foldedKeys.size());
            e.foldedLength = uint32_t(key.size());
            t.foldedKeys += key;
        }
        const uint32_t existing = t.users.insert(hash, uint32_t(t.userEntries.size()), [&](uint32_t i) {
            return t.userKeyEquals(i, key.data(), key.size());
        });
        if (existing == kNone)
            t.userEntries.push_back(std::move(e));
        else
            t.userEntries[existing] = std::move(e); // duplicate source: the last one wins
    }
}

} // namespace

struct RoutingSnapshot::Private
{
    ConfigData config;
    qint64 generation = 0;
    std::array<AreaTables, kAreaCount> areas;
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
        const uint32_t i = t.users.find(key.userHash(), [&](uint32_t idx) {
            // A tag match is almost always the hit: start fetching the
            // counters the result will increment while the key compares.
            prefetchForWrite(t.userEntries[idx].targetLocal);
            prefetchForWrite(t.userEntries[idx].ruleTarget);
            return t.userKeyEquals(idx, key.key(), key.length());
        });
        if (i != kNone) {
            const UserEntry &e = t.userEntries[i];
            // The stored spelling of the target is used (SPEC §1).
            return RouteResult{MatchKind::User, MailAddress{e.targetLocal, t.targetDomains[e.targetDomain]},
                               e.ruleSource, e.ruleTarget};
        }
    }
    const uint32_t i = t.domains.find(key.domainHash(), [&](uint32_t idx) {
        return t.domainKeyEquals(idx, key.domain(), key.domainLength());
    });
    if (i != kNone) {
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
    if (!t.users.isEmpty() && t.users.find(key.userHash(), [&](uint32_t idx) {
            return t.userKeyEquals(idx, key.key(), key.length());
        }) != kNone)
        return MatchKind::User;
    if (t.domains.find(key.domainHash(), [&](uint32_t idx) {
            return t.domainKeyEquals(idx, key.domain(), key.domainLength());
        }) != kNone)
        return MatchKind::Domain;
    return MatchKind::None;
}

} // namespace mailroute
