// The keys of a user list sorted as the user_mappings primary key sorts them;
// what the CSV import (configstore_import.cpp) and a rollback's bulk insert
// go by. Internal to relaycore/store.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <algorithm>
#include <cstring>
#include <vector>

namespace mailroute {

// The user list's case-insensitive identity: MailAddress::key(). Rows in a
// store or a parsed CSV have a normalised (lower-case ASCII) domain already,
// so folding the whole address gives the same key.
inline QString userKey(const QString &source)
{
    return source.toLower();
}

// The user rows of a list sorted by their key in SQLite's BINARY order
// (memcmp of UTF-8), the order of the user_mappings primary key. Sorting a
// million rows this way lets an import append to the b-tree instead of
// scattering inserts over it, and lets the comparison with the stored list
// be a merge instead of a hash table of a million strings.
class SortedKeys final
{
public:
    explicit SortedKeys(const QList<UserMapping> &rows)
    {
        m_refs.reserve(static_cast<size_t>(rows.size()));
        qsizetype total = 0;
        for (const UserMapping &m : rows)
            total += m.source.size();
        m_arena.reserve(total + total / 8);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString &s = rows.at(i).source;
            const auto offset = static_cast<quint32>(m_arena.size());
            appendFolded(s);
            m_refs.push_back({offset, static_cast<quint32>(m_arena.size()) - offset, static_cast<qint32>(i)});
        }
        const char *base = m_arena.constData();
        const auto less = [base](const Ref &a, const Ref &b) {
            return compare(base + a.offset, a.length, base + b.offset, b.length) < 0;
        };
        // Lists are mostly sorted already (an export of this store is sorted
        // exactly, other tools sort by address). Measured on a million keys:
        // a nearly sorted list takes 0.2 s with merge sort and 1 s with
        // introsort, a shuffled one 0.9 s with introsort and 1.7 s merging.
        qsizetype descents = 0;
        for (size_t i = 1; i < m_refs.size(); ++i) {
            if (less(m_refs[i], m_refs[i - 1]))
                ++descents;
        }
        if (descents == 0)
            return;
        if (descents < size() / 4)
            std::stable_sort(m_refs.begin(), m_refs.end(), less);
        else
            std::sort(m_refs.begin(), m_refs.end(), less);
    }

    qsizetype size() const { return static_cast<qsizetype>(m_refs.size()); }
    qint32 row(qsizetype i) const { return m_refs[static_cast<size_t>(i)].row; }
    QByteArrayView key(qsizetype i) const
    {
        const Ref &r = m_refs[static_cast<size_t>(i)];
        return QByteArrayView(m_arena.constData() + r.offset, r.length);
    }
    QString keyString(qsizetype i) const { return QString::fromUtf8(key(i)); }

    // Index of a key equal to its predecessor, or -1.
    qsizetype firstDuplicate() const
    {
        for (qsizetype i = 1; i < size(); ++i) {
            if (key(i) == key(i - 1))
                return i;
        }
        return -1;
    }

    static int compare(const char *a, quint32 alen, const char *b, quint32 blen)
    {
        const int c = std::memcmp(a, b, std::min(alen, blen));
        if (c != 0)
            return c;
        return alen < blen ? -1 : (alen > blen ? 1 : 0);
    }
    static int compare(QByteArrayView a, QByteArrayView b)
    {
        return compare(a.data(), static_cast<quint32>(a.size()), b.data(), static_cast<quint32>(b.size()));
    }

private:
    struct Ref
    {
        quint32 offset;
        quint32 length;
        qint32 row;
    };

    void appendFolded(const QString &s)
    {
        // ASCII fast path without temporaries; anything else through QString.
        const QChar *p = s.constData();
        const qsizetype n = s.size();
        for (qsizetype i = 0; i < n; ++i) {
            if (p[i].unicode() >= 0x80) {
                m_arena.append(userKey(s).toUtf8());
                return;
            }
        }
        const qsizetype at = m_arena.size();
        m_arena.resize(at + n);
        char *out = m_arena.data() + at;
        for (qsizetype i = 0; i < n; ++i) {
            const char c = static_cast<char>(p[i].unicode());
            out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
        }
    }

    QByteArray m_arena;
    std::vector<Ref> m_refs;
};

} // namespace mailroute
