// The recipient verification cache (docs/behaviour.md "Recipient
// verification"): the target's last verdict per rewritten address, shared by
// every SMTP session, kept in its own SQLite file next to the spool
// (verify-cache.db) so it survives a restart, bounded in size (the oldest
// verdict is evicted first). Only definite verdicts are stored: a probe that
// could not tell (time-out, 4xx, connection refused) is never cached.
// Engine thread only; not thread-safe.
#pragma once

#include "relaycore/routing/result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include <map>
#include <optional>

namespace mailroute {

struct VerifyCacheEntry
{
    bool accepted = false; // false: refused permanently
    QString reply;         // the target's reply, for the log and the client's 550
    QString nextHop;       // the server that gave it
    qint64 checkedMs = 0;  // when the probe ran (ms since the epoch)
    qint64 expiresMs = 0;
};

class VerifyCache final
{
public:
    // The cache's file in the spool folder (RelayEngine opens it there; a
    // purge removes it with the spool).
    static QString fileName() { return QStringLiteral("verify-cache.db"); }

    explicit VerifyCache(int maxEntries = 100'000);
    ~VerifyCache();
    VerifyCache(const VerifyCache &) = delete;
    VerifyCache &operator=(const VerifyCache &) = delete;

    // Opens (creates) the file and loads what has not expired; without a
    // call the cache lives in memory only.
    Status open(const QString &path);
    bool isPersistent() const { return m_db.isOpen(); }

    // The key of an address: local part and domain in lower case (targets
    // treat them so; a dictionary in mixed case makes no extra probes).
    static QString keyOf(const QString &address) { return address.toLower(); }

    std::optional<VerifyCacheEntry> find(const QString &address, qint64 nowMs);
    void store(const QString &address, const VerifyCacheEntry &entry);
    void remove(const QString &address);
    void clear();
    int size() const { return int(m_entries.size()); }
    int maxEntries() const { return m_max; }
    void setMaxEntries(int maxEntries)
    {
        m_max = qMax(1, maxEntries);
        evict();
    }

private:
    struct Slot
    {
        VerifyCacheEntry entry;
        quint64 age = 0; // insertion order, for eviction
    };
    void evict();
    void writeRow(const QString &key, const VerifyCacheEntry &e);
    void deleteRow(const QString &key);

    int m_max;
    quint64 m_serial = 0;
    QHash<QString, Slot> m_entries;
    std::map<quint64, QString> m_byAge; // oldest first
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace mailroute
