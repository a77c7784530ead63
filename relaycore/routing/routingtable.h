// The flat lookup tables behind RoutingSnapshot (docs/architecture.md
// "Configuration snapshots"): built once, immutable, read by every session
// thread at once. Internal to relaycore_routing; routingsnapshot.cpp is the
// only user.
//
// A user rule lives in one contiguous arena as a single record (its folded
// key, the rule source and target as stored); the index is open addressing
// over two parallel arrays, 2-byte hash tags and 4-byte arena offsets. A
// lookup that finds nothing reads tags only; a hit reads a tag and an offset
// (the same position, fetched together) and then one record: two dependent
// cache misses, where a table of entries pointing at QStrings needed four.
#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace mailroute::routing_table {

// A key folded as docs/behaviour.md "Areas and mappings" matches addresses:
// each part lower-cased (QString::toLower; ASCII parts folded on the fly),
// then kept in a canonical encoding: one byte per unit when the folded part is
// ASCII, its UTF-16 units otherwise (`wide`). Equal folded parts have equal
// encodings, so keys compare as bytes. Layout in the buffer: local part, one
// '@' byte, domain. Only a non-ASCII part allocates (for toLower).
class FoldedKey
{
public:
    FoldedKey(QStringView localPart, QStringView domain);
    Q_DISABLE_COPY_MOVE(FoldedKey)

    const char *data() const { return m_data; }
    uint32_t size() const { return m_size; }
    uint32_t localBytes() const { return m_localBytes; }
    const char *domain() const { return m_data + m_localBytes + 1; }
    uint32_t domainBytes() const { return size() - m_localBytes - 1; }
    bool localWide() const { return m_localWide; }
    bool domainWide() const { return m_domainWide; }
    bool narrow() const { return !m_localWide && !m_domainWide; }

    uint64_t domainHash() const { return m_domainHash; }
    uint64_t userHash() const;

private:
    void foldSlow(QStringView localPart, QStringView domain);
    char *reserve(size_t bytes);

    char m_inline[704]; // 64 + '@' + 255 units, wide, rounded up: every valid address
    std::unique_ptr<char[]> m_heap;
    char *m_data = m_inline;
    uint32_t m_size = 0;
    uint32_t m_localBytes = 0;
    bool m_localWide = false;
    bool m_domainWide = false;
    uint64_t m_localHash = 0;
    uint64_t m_domainHash = 0;
};

// Open addressing with linear probing; each position holds a 15-bit tag from
// the hash (0: empty) and a 32-bit value. The load factor is 0.8: a miss
// scans ~13 tags, one or two cache lines; the tag rejects all but 1 in 32768
// foreign positions before the caller's `equal(value)` looks further.
class FlatIndex
{
public:
    static constexpr size_t npos = std::numeric_limits<size_t>::max();

    void reserve(size_t entries);
    size_t size() const { return m_size; }
    size_t memoryBytes() const { return m_capacity * (sizeof(uint16_t) + sizeof(uint32_t)); }

    uint32_t value(size_t pos) const { return m_values[pos]; }
    void setValue(size_t pos, uint32_t v) { m_values[pos] = v; }

    // The position holding a value `equal` accepts, or a free one now
    // claimed (`claimed` set; the caller sets its value).
    // Fetches the cache lines insert() or find() will start from (a hint).
    void prefetchHome(uint64_t hash) const
    {
        const size_t pos = home(hash);
        prefetch(&m_tags[pos]);
        prefetch(&m_values[pos]);
    }

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
            if (m_tags[pos] == tag && equal(m_values[pos])) {
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
        size_t pos = home(hash);
        prefetch(&m_values[pos]); // a hit needs it: fetch it with the tag
        for (;; pos = next(pos)) {
            const uint16_t t = m_tags[pos];
            if (t == kEmptyTag)
                return npos;
            if (t == tag && equal(m_values[pos]))
                return pos;
        }
    }

    static void prefetch(const void *p)
    {
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(p);
#else
        Q_UNUSED(p)
#endif
    }

private:
    static constexpr uint16_t kEmptyTag = 0;
    // Top 15 bits, never 0; the home position comes from the low 32 bits.
    static uint16_t tagOf(uint64_t hash)
    {
        return static_cast<uint16_t>((hash >> 48) | 1);
    }
    // Lemire's multiply-shift range reduction: any capacity, no division.
    size_t home(uint64_t hash) const
    {
        return size_t(((hash & 0xffffffffULL) * m_capacity) >> 32);
    }
    size_t next(size_t pos) const
    {
        return pos + 1 == m_capacity ? 0 : pos + 1;
    }

    std::vector<uint16_t> m_tags;
    std::vector<uint32_t> m_values;
    size_t m_capacity = 0;
    size_t m_size = 0;
};

// One area's user rules: the index and the arena of records.
class UserTable
{
public:
    // One record, as found by find(); valid while the table lives.
    struct Hit
    {
        const char *text = nullptr; // source then target: Latin-1 bytes, or UTF-16 when `wide`
        bool wide = false;
        uint32_t sourceLength = 0; // units
        uint32_t targetLength = 0;
        uint32_t targetLocalLength = 0;
        uint32_t targetDomain = 0; // the caller's id (compile() hands it in)

        // The result's three strings, made in one allocation (see the .cpp).
        void strings(QString &ruleSource, QString &targetLocal, QString &ruleTarget) const;
    };

    // `users` rules will be added, `textUnits` units of source and target in all.
    void reserve(size_t users, size_t textUnits);
    // Adds "source -> target" under `key` (the folded source); a rule already
    // under the same key is replaced (the last one wins). Findable once
    // finish() has run.
    void add(const FoldedKey &key, QStringView source, QStringView target, uint32_t targetLocalLength,
             uint32_t targetDomain);
    // Indexes the added records, in the order they were added. The index is
    // written at random positions: done apart from add(), a few positions
    // ahead are fetched while one is written.
    void finish();

    bool isEmpty() const { return m_index.size() == 0; }
    bool find(const FoldedKey &key, Hit *hit) const;
    size_t memoryBytes() const { return m_index.memoryBytes() + m_arena.capacity() * sizeof(uint32_t); }

private:
    bool equals(uint32_t offset, const FoldedKey &key) const;
    bool sameKey(uint32_t offset, uint32_t otherOffset) const;

    FlatIndex m_index;             // value: the record's offset in m_arena, in 4-byte words
    std::vector<uint32_t> m_arena; // the records, 4-byte aligned (layout in routingtable.cpp)
    struct Pending
    {
        uint64_t hash;
        uint32_t offset;
    };
    std::vector<Pending> m_pending; // added, not yet indexed
};

// One area's domain rules: few (hundreds), so the entries are ordinary
// structs; their result strings are the caller's (interned, routingsnapshot.cpp).
class DomainTable
{
public:
    void reserve(size_t domains);
    // The entry index for the domain part of `key` (the folded rule source),
    // new or the existing one for the same key (the last rule wins).
    uint32_t add(const FoldedKey &key);
    // The entry index, or -1.
    int64_t find(const FoldedKey &key) const;
    size_t memoryBytes() const { return m_index.memoryBytes() + m_keys.capacity(); }

private:
    struct Key
    {
        uint32_t offset;
        uint32_t bytes;
        bool wide;
    };
    bool equals(uint32_t entry, const char *domain, uint32_t bytes, bool wide) const;

    FlatIndex m_index; // value: the entry index
    std::vector<Key> m_entries;
    std::string m_keys;
};

// Asks the kernel for transparent huge pages over a big, randomly read array
// (a hint only; Linux).
void adviseHugePages(const void *data, size_t bytes);

} // namespace mailroute::routing_table
