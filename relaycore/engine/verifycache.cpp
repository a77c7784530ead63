#include "relaycore/engine/verifycache.h"

#include "relaycore/sql/sqlite.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace mailroute {

namespace {
QAtomicInteger<quint64> g_connections;
}

VerifyCache::VerifyCache(int maxEntries) : m_max(qMax(1, maxEntries)) {}

VerifyCache::~VerifyCache()
{
    if (m_db.isValid())
        sql::close(m_db, m_connectionName);
}

Status VerifyCache::open(const QString &path)
{
    m_connectionName = QStringLiteral("mailroute-verify-%1").arg(++g_connections);
    // A lost verdict costs one probe: no fsync per verdict. Only the engine
    // thread uses the file: no busy timeout.
    sql::OpenOptions options;
    options.path = path;
    options.connectionName = m_connectionName;
    options.busyTimeoutMs = 0;
    options.synchronous = sql::OpenOptions::Synchronous::Normal;
    Result<QSqlDatabase> db = sql::open(options);
    if (!db)
        return Status::failure(db.error);
    m_db = *db;
    if (const QString why = sql::run(
            m_db, QStringLiteral(
                      "CREATE TABLE IF NOT EXISTS verify_cache (address TEXT PRIMARY KEY, accepted INTEGER "
                      "NOT NULL, reply TEXT NOT NULL, next_hop TEXT NOT NULL, checked INTEGER NOT NULL, "
                      "expires INTEGER NOT NULL)"));
        !why.isEmpty()) {
        m_db.close();
        return Status::failure(QStringLiteral("cannot prepare %1: %2").arg(path, why));
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM verify_cache WHERE expires <= ?"));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.exec();
    if (!q.exec(
            QStringLiteral("SELECT address, accepted, reply, next_hop, checked, expires FROM verify_cache "
                           "ORDER BY checked")))
        return Status::failure(QStringLiteral("cannot read %1: %2").arg(path, q.lastError().text()));
    while (q.next()) {
        const QString key = q.value(0).toString();
        Slot slot;
        slot.entry = VerifyCacheEntry{q.value(1).toInt() != 0, q.value(2).toString(), q.value(3).toString(),
                                      q.value(4).toLongLong(), q.value(5).toLongLong()};
        slot.age = ++m_serial;
        if (auto old = m_entries.constFind(key); old != m_entries.constEnd())
            m_byAge.erase(old->age);
        m_entries.insert(key, slot);
        m_byAge.emplace(slot.age, key);
    }
    evict();
    return okStatus();
}

std::optional<VerifyCacheEntry> VerifyCache::find(const QString &address, qint64 nowMs)
{
    const QString key = keyOf(address);
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd())
        return std::nullopt;
    if (it->entry.expiresMs <= nowMs) {
        remove(address);
        return std::nullopt;
    }
    return it->entry;
}

void VerifyCache::store(const QString &address, const VerifyCacheEntry &entry)
{
    const QString key = keyOf(address);
    if (auto old = m_entries.constFind(key); old != m_entries.constEnd())
        m_byAge.erase(old->age);
    Slot slot{entry, ++m_serial};
    m_entries.insert(key, slot);
    m_byAge.emplace(slot.age, key);
    writeRow(key, entry);
    evict();
}

void VerifyCache::remove(const QString &address)
{
    const QString key = keyOf(address);
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd())
        return;
    m_byAge.erase(it->age);
    m_entries.erase(it);
    deleteRow(key);
}

void VerifyCache::clear()
{
    m_entries.clear();
    m_byAge.clear();
    if (m_db.isOpen())
        QSqlQuery(m_db).exec(QStringLiteral("DELETE FROM verify_cache"));
}

void VerifyCache::evict()
{
    while (m_entries.size() > m_max && !m_byAge.empty()) {
        const QString key = m_byAge.begin()->second;
        m_byAge.erase(m_byAge.begin());
        m_entries.remove(key);
        deleteRow(key);
    }
}

void VerifyCache::writeRow(const QString &key, const VerifyCacheEntry &e)
{
    if (!m_db.isOpen())
        return;
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO verify_cache (address, accepted, reply, next_hop, checked, "
                       "expires) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(key);
    q.addBindValue(e.accepted ? 1 : 0);
    // A null QString binds as NULL: store "" instead.
    q.addBindValue(e.reply.isNull() ? QStringLiteral("") : e.reply);
    q.addBindValue(e.nextHop.isNull() ? QStringLiteral("") : e.nextHop);
    q.addBindValue(e.checkedMs);
    q.addBindValue(e.expiresMs);
    if (!q.exec()) // a verdict that is not written costs one probe after a restart
        qWarning("verify cache: %s", qPrintable(q.lastError().text()));
}

void VerifyCache::deleteRow(const QString &key)
{
    if (!m_db.isOpen())
        return;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM verify_cache WHERE address = ?"));
    q.addBindValue(key);
    q.exec();
}

} // namespace mailroute
