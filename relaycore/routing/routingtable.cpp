// The flat lookup tables behind RoutingSnapshot (see routingtable.h and
// docs/architecture.md "Configuration snapshots").
//
// A user record in UserTable's arena, 4-byte aligned, in 32-bit words:
//   [0] target domain id   [1] source length   [2] target length
//   [3] target local-part length   [4] flags   [5] source local-part length
//   then the text: the source as stored, then the target as stored, one byte
//   per unit (Latin-1) or, when either has a unit above U+00FF, UTF-16;
//   then, only when the source is not plain ASCII or the text is UTF-16
//   (kSeparateKey): the folded key's size and local-part size in bytes and
//   the FoldedKey bytes. An ASCII source is its own key: the lookup folds the
//   stored spelling on the fly while comparing, so most records carry one
//   copy of each string and nothing else.
#include "relaycore/routing/routingtable.h"

#include <algorithm>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

namespace mailroute::routing_table {

namespace {

constexpr uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

// The murmur3 finaliser, so that the low bits used for the position and the
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

// One part of a key (canonical bytes, FoldedKey), eight bytes per multiply.
constexpr uint64_t kNarrowSeed = 0x243f6a8885a308d3ULL;
constexpr uint64_t kWideSeed = 0x13198a2e03707344ULL;

uint64_t hashPart(const char *s, size_t n, bool wide)
{
    uint64_t h = (wide ? kWideSeed : kNarrowSeed) ^ (uint64_t(n) * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, s + i, sizeof w);
        h = rotl((h ^ w) * 0x87c37b91114253d5ULL, 31);
    }
    if (i < n) {
        uint64_t w = 0;
        std::memcpy(&w, s + i, n - i);
        h = rotl((h ^ w) * 0x87c37b91114253d5ULL, 31);
    }
    return avalanche(h);
}

const char16_t *units(QStringView s)
{
    return reinterpret_cast<const char16_t *>(s.utf16());
}

constexpr uint64_t kLanes16 = 0x0001000100010001ULL;
constexpr uint64_t kNonAscii16 = 0xff80ff80ff80ff80ULL;
constexpr uint64_t kLanes8 = 0x0101010101010101ULL;

// Adds 0x20 to every 16-bit lane holding 'A'..'Z'. Only meaningful when all
// four lanes are ASCII (< 0x80); callers check that separately.
inline uint64_t foldAscii16(uint64_t w)
{
    const uint64_t geA = w + (0x80 - 'A') * kLanes16;     // bit 7 set where c >= 'A'
    const uint64_t gtZ = w + (0x80 - 'Z' - 1) * kLanes16; // bit 7 set where c > 'Z'
    return w | ((geA & ~gtZ & (0x80 * kLanes16)) >> 2);
}

// The same over eight ASCII bytes (no lane carries: 0x7f + 0x3f < 0x100).
inline uint64_t foldAscii8(uint64_t w)
{
    const uint64_t geA = w + (0x80 - 'A') * kLanes8;
    const uint64_t gtZ = w + (0x80 - 'Z' - 1) * kLanes8;
    return w | ((geA & ~gtZ & (0x80 * kLanes8)) >> 2);
}

inline unsigned foldAsciiUnit(unsigned c)
{
    return (c >= 'A' && c <= 'Z') ? (c | 0x20) : c;
}

// Copies s[0..n) to out as bytes folded to ASCII lower case and sets `hash`
// to hashPart(out, n, false), in one pass. Returns false when a unit is not
// ASCII (out and hash are then unusable).
bool foldToNarrow(const char16_t *s, size_t n, char *out, uint64_t &hash)
{
    uint64_t h = kNarrowSeed ^ (uint64_t(n) * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    int high = 0;
#if defined(__SSE2__)
    // Eight units at a time: any bit above 0x7f collected, the units narrowed
    // to bytes (exact for ASCII), 'A'..'Z' moved to lower case.
    const __m128i nonAscii = _mm_set1_epi16(static_cast<short>(0xff80));
    const __m128i beforeA = _mm_set1_epi8('A' - 1);
    const __m128i afterZ = _mm_set1_epi8('Z' + 1);
    const __m128i caseBit = _mm_set1_epi8(0x20);
    __m128i seen = _mm_setzero_si128();
    const auto fold8 = [&](size_t at) {
        const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + at));
        seen = _mm_or_si128(seen, _mm_and_si128(units, nonAscii));
        __m128i bytes = _mm_packus_epi16(units, units);
        const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(bytes, beforeA), _mm_cmplt_epi8(bytes, afterZ));
        bytes = _mm_add_epi8(bytes, _mm_and_si128(upper, caseBit));
        const auto w = uint64_t(_mm_cvtsi128_si64(bytes));
        std::memcpy(out + at, &w, sizeof w);
        return w;
    };
    for (; i + 8 <= n; i += 8)
        h = rotl((h ^ fold8(i)) * 0x87c37b91114253d5ULL, 31);
    if (i < n && n >= 8) {
        // The last eight units again, overlapping: the same bytes for the
        // units already done, no unit-by-unit tail.
        fold8(n - 8);
        i = n;
    }
    high |= int(_mm_movemask_epi8(_mm_cmpeq_epi8(seen, _mm_setzero_si128())) != 0xffff);
    const size_t tail = n & ~size_t(7);
#else
    const size_t tail = 0;
#endif
    for (; i + 4 <= n; i += 4) {
        uint64_t w;
        std::memcpy(&w, s + i, sizeof w);
        high |= int((w & kNonAscii16) != 0);
        w = foldAscii16(w);
        const auto packed =
            uint32_t((w & 0xff) | ((w >> 8) & 0xff00) | ((w >> 16) & 0xff0000) | ((w >> 24) & 0xff000000));
        std::memcpy(out + i, &packed, sizeof packed);
    }
    for (; i < n; ++i) {
        high |= int(s[i] >= 0x80);
        out[i] = char(foldAsciiUnit(s[i]));
    }
    // The bytes not hashed yet, as hashPart reads them.
    for (size_t j = tail; j < n; j += 8) {
        uint64_t w = 0;
        std::memcpy(&w, out + j, std::min<size_t>(8, n - j));
        h = rotl((h ^ w) * 0x87c37b91114253d5ULL, 31);
    }
    hash = avalanche(h);
    return high == 0;
}

// Latin-1 bytes to UTF-16 units.
void widen(const char *latin1, size_t n, char16_t *out)
{
    const auto *in = reinterpret_cast<const unsigned char *>(latin1);
    size_t i = 0;
#if defined(__SSE2__)
    const auto widen16 = [&](size_t at) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + at));
        const __m128i zero = _mm_setzero_si128();
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + at), _mm_unpacklo_epi8(bytes, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + at + 8), _mm_unpackhi_epi8(bytes, zero));
    };
    for (; i + 16 <= n; i += 16)
        widen16(i);
    if (i < n && n >= 16) {
        widen16(n - 16); // overlapping: the same units again
        return;
    }
#endif
    for (; i < n; ++i)
        out[i] = in[i];
}

// Does the ASCII text, folded, equal the (folded, narrow) key bytes?
bool asciiFoldedEquals(const char *text, const char *key, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t a;
        uint64_t b;
        std::memcpy(&a, text + i, sizeof a);
        std::memcpy(&b, key + i, sizeof b);
        if (foldAscii8(a) != b)
            return false;
    }
    for (; i < n; ++i) {
        if (foldAsciiUnit(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(key[i]))
            return false;
    }
    return true;
}

bool isAscii(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

bool isLatin1(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() > 0xff)
            return false;
    }
    return true;
}

// Record flags (word 4).
constexpr uint32_t kTextWide = 1;    // the text is UTF-16
constexpr uint32_t kSeparateKey = 2; // the folded key follows the text
constexpr uint32_t kKeyLocalWide = 4;
constexpr uint32_t kKeyDomainWide = 8;

constexpr size_t kHeaderWords = 6;

size_t wordsFor(size_t bytes)
{
    return (bytes + sizeof(uint32_t) - 1) / sizeof(uint32_t);
}

} // namespace

FoldedKey::FoldedKey(QStringView localPart, QStringView domain)
{
    const auto localSize = size_t(localPart.size());
    const auto domainSize = size_t(domain.size());
    char *out = reserve(localSize + 1 + domainSize);
    bool ascii = foldToNarrow(units(localPart), localSize, out, m_localHash);
    out[localSize] = '@';
    ascii = foldToNarrow(units(domain), domainSize, out + localSize + 1, m_domainHash) && ascii;
    m_localBytes = uint32_t(localSize);
    if (!ascii) {
        foldSlow(localPart, domain); // rare: SMTPUTF8 local parts
        m_localHash = hashPart(m_data, m_localBytes, m_localWide);
        m_domainHash = hashPart(this->domain(), domainBytes(), m_domainWide);
    }
}

char *FoldedKey::reserve(size_t bytes)
{
    if (bytes <= sizeof m_inline) {
        m_data = m_inline;
    } else {
        m_heap = std::make_unique<char[]>(bytes);
        m_data = m_heap.get();
    }
    m_size = uint32_t(bytes);
    return m_data;
}

void FoldedKey::foldSlow(QStringView localPart, QStringView domain)
{
    // QString::toLower, as MailAddress::key() folds (for ASCII the same as
    // the fast path), then narrow again when the result is ASCII, so that
    // equal folded parts always have the same bytes.
    std::string folded;
    const auto append = [&folded](QStringView part, bool &wide) {
        const QString lower = part.toString().toLower();
        wide = !isAscii(lower);
        if (wide) {
            folded.append(reinterpret_cast<const char *>(lower.utf16()),
                          size_t(lower.size()) * sizeof(char16_t));
        } else {
            for (QChar c : lower)
                folded.push_back(char(c.unicode()));
        }
    };
    append(localPart, m_localWide);
    m_localBytes = uint32_t(folded.size());
    folded.push_back('@');
    append(domain, m_domainWide);
    std::memcpy(reserve(folded.size()), folded.data(), folded.size());
}

uint64_t FoldedKey::userHash() const
{
    return avalanche(m_localHash * 0x9e3779b97f4a7c15ULL + rotl(m_domainHash, 23));
}

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

void FlatIndex::reserve(size_t entries)
{
    m_capacity = entries + entries / 4 + 8; // > entries: a probe always ends
    m_size = 0;
    m_tags.clear();
    m_tags.reserve(m_capacity);
    adviseHugePages(m_tags.data(), m_capacity * sizeof(uint16_t));
    m_tags.assign(m_capacity, kEmptyTag);
    m_values.clear();
    m_values.reserve(m_capacity);
    adviseHugePages(m_values.data(), m_capacity * sizeof(uint32_t));
    m_values.assign(m_capacity, 0);
}

// A user hit returns three strings. Allocated one by one they cost three
// mallocs and three frees, more than the cache miss that found the record.
// So they share one block holding "source\0target\0targetLocal\0": each
// QString points at its own part (a QArrayDataPointer may start anywhere in
// its block) and holds one of the block's three references. Each part is
// null-terminated like any QString's data; writing to one of them detaches
// it first (the block is shared) or, once it is the last, may reuse the
// space of the others, which are gone.
void UserTable::Hit::strings(QString &ruleSource, QString &targetLocal, QString &ruleTarget) const
{
    const qsizetype total = qsizetype(sourceLength) + targetLength + targetLocalLength + 3;
    auto [header, data] = QTypedArrayData<char16_t>::allocate(total);
    Q_CHECK_PTR(data);
    if (wide) {
        std::memcpy(data, text, sourceLength * sizeof(char16_t));
        std::memcpy(data + sourceLength + 1, text + sourceLength * sizeof(char16_t),
                    targetLength * sizeof(char16_t));
    } else {
        widen(text, sourceLength, data);
        widen(text + sourceLength, targetLength, data + sourceLength + 1);
    }
    char16_t *const source = data;
    char16_t *const target = data + sourceLength + 1;
    char16_t *const local = target + targetLength + 1;
    source[sourceLength] = 0;
    target[targetLength] = 0;
    std::memcpy(local, target, targetLocalLength * sizeof(char16_t));
    local[targetLocalLength] = 0;
    header->ref_.storeRelaxed(3); // not shared yet: no other thread sees it
    ruleSource = QString(QString::DataPointer(header, source, sourceLength));
    ruleTarget = QString(QString::DataPointer(header, target, targetLength));
    targetLocal = QString(QString::DataPointer(header, local, targetLocalLength));
}

void UserTable::reserve(size_t users, size_t textUnits)
{
    m_index.reserve(users);
    m_arena.clear();
    // Most records: header + Latin-1 text + padding.
    const size_t words = users * (kHeaderWords + 1) + wordsFor(textUnits);
    m_arena.reserve(words);
    adviseHugePages(m_arena.data(), words * sizeof(uint32_t));
    m_pending.clear();
    m_pending.reserve(users);
}

void UserTable::add(const FoldedKey &key, QStringView source, QStringView target, uint32_t targetLocalLength,
                    uint32_t targetDomain)
{
    const bool wide = !isLatin1(source) || !isLatin1(target);
    const bool separateKey = wide || !isAscii(source);
    const size_t unitBytes = wide ? sizeof(char16_t) : 1;
    const size_t textBytes = size_t(source.size() + target.size()) * unitBytes;
    const size_t words = kHeaderWords + wordsFor(textBytes) + (separateKey ? 2 + wordsFor(key.size()) : 0);
    const size_t offset = m_arena.size();
    if (offset + words > std::numeric_limits<uint32_t>::max())
        qFatal("RoutingSnapshot: the user rules exceed 16 GiB");
    m_arena.resize(offset + words, 0);
    uint32_t *r = m_arena.data() + offset;
    r[0] = targetDomain;
    r[1] = uint32_t(source.size());
    r[2] = uint32_t(target.size());
    r[3] = targetLocalLength;
    r[4] = (wide ? kTextWide : 0) | (separateKey ? kSeparateKey : 0) | (key.localWide() ? kKeyLocalWide : 0) |
           (key.domainWide() ? kKeyDomainWide : 0);
    r[5] = uint32_t(source.lastIndexOf(QLatin1Char('@')));
    auto *text = reinterpret_cast<char *>(r + kHeaderWords);
    if (wide) {
        std::memcpy(text, source.utf16(), size_t(source.size()) * sizeof(char16_t));
        std::memcpy(text + source.size() * 2, target.utf16(), size_t(target.size()) * sizeof(char16_t));
    } else {
        for (QChar c : source)
            *text++ = char(c.unicode());
        for (QChar c : target)
            *text++ = char(c.unicode());
    }
    if (separateKey) {
        uint32_t *k = r + kHeaderWords + wordsFor(textBytes);
        k[0] = key.size();
        k[1] = key.localBytes();
        std::memcpy(k + 2, key.data(), key.size());
    }

    m_pending.push_back(Pending{key.userHash(), uint32_t(offset)});
}

void UserTable::finish()
{
    constexpr size_t ahead = 16;
    for (size_t i = 0; i < m_pending.size(); ++i) {
        if (i + ahead < m_pending.size())
            m_index.prefetchHome(m_pending[i + ahead].hash);
        const Pending &p = m_pending[i];
        bool claimed = false;
        const size_t pos = m_index.insert(
            p.hash, [&](uint32_t existing) { return sameKey(existing, p.offset); }, claimed);
        // A duplicate source points the slot at the newer record: the last one wins.
        m_index.setValue(pos, p.offset);
    }
    m_pending.clear();
    m_pending.shrink_to_fit();
}

// Do two records have the same folded source? Only asked when their hash
// tags match (rare): the key is rebuilt from the second record's text.
bool UserTable::sameKey(uint32_t offset, uint32_t otherOffset) const
{
    const uint32_t *r = m_arena.data() + otherOffset;
    const auto *text = reinterpret_cast<const char *>(r + kHeaderWords);
    const QString source = (r[4] & kTextWide)
                               ? QString(reinterpret_cast<const QChar *>(text), qsizetype(r[1]))
                               : QString::fromLatin1(text, qsizetype(r[1]));
    const FoldedKey key(QStringView(source).first(r[5]), QStringView(source).mid(r[5] + 1));
    return equals(offset, key);
}

bool UserTable::equals(uint32_t offset, const FoldedKey &key) const
{
    const uint32_t *r = m_arena.data() + offset;
    // The record is read from its start: fetch its second cache line now.
    FlatIndex::prefetch(reinterpret_cast<const char *>(r) + 64);
    const uint32_t flags = r[4];
    const auto *text = reinterpret_cast<const char *>(r + kHeaderWords);
    if (!(flags & kSeparateKey)) // an ASCII source in Latin-1 text: its own key
        return key.narrow() && r[1] == key.size() && r[5] == key.localBytes() &&
               asciiFoldedEquals(text, key.data(), key.size());
    const size_t unitBytes = (flags & kTextWide) ? sizeof(char16_t) : 1;
    const uint32_t *k = r + kHeaderWords + wordsFor(size_t(r[1] + r[2]) * unitBytes);
    return k[0] == key.size() && k[1] == key.localBytes() && bool(flags & kKeyLocalWide) == key.localWide() &&
           bool(flags & kKeyDomainWide) == key.domainWide() &&
           std::memcmp(k + 2, key.data(), key.size()) == 0;
}

bool UserTable::find(const FoldedKey &key, Hit *hit) const
{
    const size_t pos = m_index.find(key.userHash(), [&](uint32_t offset) { return equals(offset, key); });
    if (pos == FlatIndex::npos)
        return false;
    if (hit) {
        const uint32_t *r = m_arena.data() + m_index.value(pos);
        hit->text = reinterpret_cast<const char *>(r + kHeaderWords);
        hit->wide = r[4] & kTextWide;
        hit->sourceLength = r[1];
        hit->targetLength = r[2];
        hit->targetLocalLength = r[3];
        hit->targetDomain = r[0];
    }
    return true;
}

void DomainTable::reserve(size_t domains)
{
    m_index.reserve(domains);
    m_entries.clear();
    m_entries.reserve(domains);
    m_keys.clear();
}

bool DomainTable::equals(uint32_t entry, const char *domain, uint32_t bytes, bool wide) const
{
    const Key &k = m_entries[entry];
    return k.bytes == bytes && k.wide == wide && std::memcmp(m_keys.data() + k.offset, domain, bytes) == 0;
}

uint32_t DomainTable::add(const FoldedKey &key)
{
    bool claimed = false;
    const size_t pos = m_index.insert(
        key.domainHash(),
        [&](uint32_t entry) { return equals(entry, key.domain(), key.domainBytes(), key.domainWide()); },
        claimed);
    if (!claimed)
        return m_index.value(pos);
    const auto entry = uint32_t(m_entries.size());
    m_entries.push_back(Key{uint32_t(m_keys.size()), key.domainBytes(), key.domainWide()});
    m_keys.append(key.domain(), key.domainBytes());
    m_index.setValue(pos, entry);
    return entry;
}

int64_t DomainTable::find(const FoldedKey &key) const
{
    const size_t pos = m_index.find(key.domainHash(), [&](uint32_t entry) {
        return equals(entry, key.domain(), key.domainBytes(), key.domainWide());
    });
    return pos == FlatIndex::npos ? -1 : int64_t(m_index.value(pos));
}

} // namespace mailroute::routing_table
