// Compiles a ConfigData into per-area lookup tables
// (docs/behaviour.md "Routing precedence"). Immutable after compile(): route()
// and match() are const, keep no caches and allocate nothing for ASCII
// addresses, so one snapshot serves every session thread at once
// (docs/architecture.md "Configuration snapshots").
//
// Why hand-written tables instead of QHash<QString, ...>: the relay looks up
// every recipient, and a QHash keyed by MailAddress::key() would build (and
// allocate) the folded key for every lookup. Here the input is folded into a
// stack buffer and hashed four UTF-16 units at a time, and the table is a
// compact array of 2-byte hash tags (see TagTable): a miss, the common case
// for recipients outside the user list, reads only tags, small enough to
// stay largely in cache even for a million users; a hit then compares
// against the rule's own source string, which the result needs anyway.
#include "relaycore/routing/routingsnapshot.h"

#include <QMutex>
#include <QSet>

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

// Open addressing with linear probing over a compact array of 2-byte tags.
// The entries themselves sit in the caller's array at the same position, so
// a hit goes tag -> entry -> the entry's strings, and a lookup that finds
// nothing (most recipients are not in the user list) reads only tags: 2.5 MiB
// for a million users, which mostly stays in cache. A 15-bit tag from the
// hash's top bits rejects all but 1 in 32768 foreign slots, so the load
// factor can be 0.8 (a miss scans ~13 tags, one or two cache lines) and the
// entry array wastes little; the caller's `equal(position)` settles the rest.
class TagTable
{
public:
    static constexpr size_t npos = std::numeric_limits<size_t>::max();

    void reserve(size_t entries)
    {
        m_capacity = entries + entries / 4 + 8; // > entries: a probe always ends
        m_tags.clear();
        m_tags.reserve(m_capacity);
        adviseHugePages(m_tags.data(), m_capacity * sizeof(uint16_t));
        m_tags.assign(m_capacity, kEmptyTag);
    }

    size_t capacity() const { return m_capacity; }
    bool isEmpty() const { return m_size == 0; }

    // The position of the entry equal to the key, or a free position now
    // claimed for it (`claimed` set). The caller fills its entry there.
    template <typename Equal> size_t insert(uint64_t hash, Equal &&equal, bool &claimed)
    {
        const uint16_t tag = tagOf(hash);
        for (size_t pos = home(hash);; pos = next(pos)) {
            if (m_tags[pos] == kEmptyTag) {
                m_tags[pos] = tag;
                ++m_size;
                claimed = true;
                return pos;
            }
            if (m_tags[pos] == tag && equal(pos)) {
                claimed = false;
                return pos;
            }
        }
    }

    template <typename Equal> size_t find(uint64_t hash, Equal &&equal) const
    {
        if (m_size == 0)
            return npos;
        const uint16_t tag = tagOf(hash);
        for (size_t pos = home(hash);; pos = next(pos)) {
            const uint16_t t = m_tags[pos];
            if (t == kEmptyTag)
                return npos;
            if (t == tag && equal(pos))
                return pos;
        }
    }

private:
    static constexpr uint16_t kEmptyTag = 0;
    // Top 15 bits, never 0; the home position comes from the low 32 bits.
    static uint16_t tagOf(uint64_t hash) { return static_cast<uint16_t>((hash >> 48) | 1); }
    // Lemire's multiply-shift range reduction: any capacity, no division.
    size_t home(uint64_t hash) const { return size_t(((hash & 0xffffffffULL) * m_capacity) >> 32); }
    size_t next(size_t pos) const { return pos + 1 == m_capacity ? 0 : pos + 1; }

    std::vector<uint16_t> m_tags;
    size_t m_capacity = 0;
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
    // std::u16string keeps a '\0' after its characters, so these raw-data
    // strings are even null-terminated like ordinary QStrings.
    const std::u16string &stored = *pool->emplace(units(s), size_t(s.size())).first;
    return QString::fromRawData(reinterpret_cast<const QChar *>(stored.data()), qsizetype(stored.size()));
}

struct UserEntry
{
    QString ruleSource;            // the config's string: the rule's spelling, and the key when ASCII
    QString targetLocal;           // the result's local part
    QString ruleTarget;            // the config's string: the stored target spelling
                                   // (docs/behaviour.md "Routing precedence")
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

// One area's rules. Entries are indexed by their table position.
struct AreaTables
{
    TagTable users;
    std::vector<UserEntry> userEntries;
    std::u16string foldedKeys; // only for sources that are not ASCII
    std::vector<QString> targetDomains;
    TagTable domains;
    std::vector<DomainEntry> domainEntries;

    bool userKeyEquals(size_t pos, const char16_t *key, size_t length) const
    {
        const UserEntry &e = userEntries[pos];
        if (e.foldedOffset == kNone)
            return size_t(e.ruleSource.size()) == length &&
                   asciiFoldedEquals(units(e.ruleSource), key, length);
        return e.foldedLength == length &&
               std::memcmp(foldedKeys.data() + e.foldedOffset, key, length * sizeof(char16_t)) == 0;
    }

    bool domainKeyEquals(size_t pos, const char16_t *key, size_t length) const
    {
        const QString &k = domainEntries[pos].key;
        return size_t(k.size()) == length && std::memcmp(k.constData(), key, length * sizeof(char16_t)) == 0;
    }
};

// Sizes a position-indexed entry array, asking for huge pages before it is
// first touched.
template <typename T> void sizeEntries(std::vector<T> &entries, size_t capacity)
{
    entries.clear();
    entries.reserve(capacity);
    adviseHugePages(entries.data(), capacity * sizeof(T));
    entries.resize(capacity);
}

void compileDomains(AreaTables &t, const QList<DomainMapping> &domains)
{
    t.domains.reserve(size_t(domains.size()));
    sizeEntries(t.domainEntries, t.domains.capacity());
    std::u16string folded;
    for (const DomainMapping &m : domains) {
        folded.clear();
        bool ascii = true;
        appendFolded(folded, m.source, ascii);
        bool claimed = false;
        const size_t pos = t.domains.insert(
            hashUnits(folded.data(), folded.size()),
            [&](size_t p) { return t.domainKeyEquals(p, folded.data(), folded.size()); }, claimed);
        // A duplicate source overwrites: the last one wins.
        t.domainEntries[pos] = DomainEntry{
            internForever(QStringView(folded.data(), qsizetype(folded.size()))), internForever(m.target),
            internForever(displayDomain(m.source)), internForever(displayDomain(m.target))};
    }
}

void compileUsers(AreaTables &t, const QList<UserMapping> &users)
{
    t.users.reserve(size_t(users.size()));
    sizeEntries(t.userEntries, t.users.capacity());

    TagTable domainIds; // interns the target domains
    domainIds.reserve(64);
    std::vector<uint32_t> domainIdAt(domainIds.capacity(), kNone);
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
        if (domainIds.capacity() <= t.targetDomains.size() + t.targetDomains.size() / 4 + 1) {
            // Grow the intern table (rare: most lists target a few domains).
            TagTable bigger;
            bigger.reserve(t.targetDomains.size() * 2);
            std::vector<uint32_t> biggerIds(bigger.capacity(), kNone);
            for (uint32_t id = 0; id < t.targetDomains.size(); ++id) {
                const QString &d = t.targetDomains[id];
                bool claimed = false;
                const size_t pos = bigger.insert(
                    hashUnits(units(d), size_t(d.size())), [](size_t) { return false; }, claimed);
                biggerIds[pos] = id;
            }
            domainIds = std::move(bigger);
            domainIdAt = std::move(biggerIds);
        }
        bool claimed = false;
        const size_t dpos = domainIds.insert(
            hashUnits(units(targetDomain), size_t(targetDomain.size())),
            [&](size_t p) { return t.targetDomains[domainIdAt[p]] == targetDomain; }, claimed);
        if (claimed) {
            domainIdAt[dpos] = uint32_t(t.targetDomains.size());
            t.targetDomains.push_back(internForever(targetDomain));
        }

        UserEntry e{m.source, m.target.left(targetAt), m.target, domainIdAt[dpos], kNone, 0};
        if (!ascii) {
            if (t.foldedKeys.size() + key.size() >= kNone)
                qFatal("RoutingSnapshot: folded keys exceed 4 Gi code units");
            e.foldedOffset = uint32_t(t.foldedKeys.size());
            e.foldedLength = uint32_t(key.size());
            t.foldedKeys += key;
        }
        const size_t pos = t.users.insert(
            hash, [&](size_t p) { return t.userKeyEquals(p, key.data(), key.size()); }, claimed);
        t.userEntries[pos] = std::move(e); // a duplicate source overwrites: the last one wins
    }
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
    const LookupKey key(address);
    if (!t.users.isEmpty()) {
        const size_t pos = t.users.find(key.userHash(), [&](size_t p) {
            // A tag match is almost always the hit: start fetching the
            // counters the result will increment while the key compares.
            prefetchForWrite(t.userEntries[p].targetLocal);
            prefetchForWrite(t.userEntries[p].ruleTarget);
            return t.userKeyEquals(p, key.key(), key.length());
        });
        if (pos != TagTable::npos) {
            const UserEntry &e = t.userEntries[pos];
            // The stored spelling of the target is used (docs/behaviour.md "Areas and mappings").
            return RouteResult{MatchKind::User, MailAddress{e.targetLocal, t.targetDomains[e.targetDomain]},
                               e.ruleSource, e.ruleTarget};
        }
    }
    const size_t pos = t.domains.find(
        key.domainHash(), [&](size_t p) { return t.domainKeyEquals(p, key.domain(), key.domainLength()); });
    if (pos != TagTable::npos) {
        const DomainEntry &e = t.domainEntries[pos];
        // The local part is kept as typed: only the domain moves (docs/behaviour.md "Areas and mappings").
        return RouteResult{MatchKind::Domain, MailAddress{address.localPart, e.target}, e.ruleSource,
                           e.ruleTarget};
    }
    return RouteResult{MatchKind::None, address, {}, {}};
}

MatchKind RoutingSnapshot::match(Area area, const MailAddress &address) const
{
    const AreaTables &t = d->areas[size_t(areaIndex(area))];
    const LookupKey key(address);
    if (!t.users.isEmpty() && t.users.find(key.userHash(), [&](size_t p) {
            return t.userKeyEquals(p, key.key(), key.length());
        }) != TagTable::npos)
        return MatchKind::User;
    if (t.domains.find(key.domainHash(), [&](size_t p) {
            return t.domainKeyEquals(p, key.domain(), key.domainLength());
        }) != TagTable::npos)
        return MatchKind::Domain;
    return MatchKind::None;
}

} // namespace mailroute
