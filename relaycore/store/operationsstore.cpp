// OperationsStore; see operationsstore.h. Runs on the thread that opened it.
#include "relaycore/store/operationsstore.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/sql/sqlite.h"
#include "relaycore/store/schemamigration.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <functional>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

using sql::describe;

QString exec(QSqlQuery &q)
{
    return q.exec() ? QString() : describe(q.lastError());
}

QVariant msecs(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime dateTime(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QString connectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"mailroute-operations-%1"_s.arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

OperationsStore::OperationsStore(QString databasePath)
    : m_path(std::move(databasePath)), m_connectionName(connectionName())
{}

OperationsStore::~OperationsStore()
{
    sql::close(m_db, m_connectionName);
}

Status OperationsStore::open()
{
    if (m_open)
        return okStatus();
    if (m_path.isEmpty())
        return Status::failure(u"no database path given"_s);
    if (!QFileInfo(m_path).isFile())
        return Status::failure(u"%1 does not exist"_s.arg(m_path));
    // The configuration database's own choices (ConfigStore::open()).
    sql::OpenOptions options;
    options.path = m_path;
    options.connectionName = m_connectionName;
    options.busyTimeoutMs = kBusyTimeoutMs;
    options.synchronous = sql::OpenOptions::Synchronous::Normal;
    Result<QSqlDatabase> db = sql::open(options);
    if (!db)
        return Status::failure(db.error);
    m_db = *db;
    const Result<int> version = SchemaMigration::migrate(m_db);
    if (!version)
        return Status::failure(u"%1: %2"_s.arg(m_path, version.error));
    m_guard = DatabaseFileGuard(m_path);
    m_open = true;
    return okStatus();
}

Result<QString> OperationsStore::normalizeHoldDomain(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('@')))
        t.remove(0, 1);
    if (t.isEmpty())
        return Result<QString>::failure(u"no domain given"_s);
    const Result<QString> domain = normalizeDomain(t);
    if (!domain)
        return Result<QString>::failure(u"'%1' is not a domain: %2"_s.arg(text.trimmed(), domain.error));
    return domain;
}

QString OperationsStore::inTransaction(const std::function<QString()> &body)
{
    sql::Transaction tx(m_db);
    if (const Status st = tx.begin(sql::Transaction::Kind::Write); !st)
        return st.error;
    // Never commit into a WAL another process deleted (databasefileguard.h).
    if (const Status files = m_guard.check(); !files)
        return files.error;
    if (QString why = body(); !why.isEmpty())
        return why;
    const Status committed = tx.commit();
    return committed ? QString() : committed.error;
}

// The action-log line (README "Draft, push, generations"), as ConfigStore writes it (area NULL: not tied
// to an area), and the change counter followers poll.
QString OperationsStore::logAction(const QString &message, const QDateTime &now)
{
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO action_log (time, area, message) VALUES (?, NULL, ?)"_s);
    q.addBindValue(now.toMSecsSinceEpoch());
    q.addBindValue(message);
    if (QString why = exec(q); !why.isEmpty())
        return why;
    QSqlQuery bump(m_db);
    bump.prepare(u"UPDATE meta SET value = value + 1 WHERE key = 'change_counter'"_s);
    return exec(bump);
}

Result<QList<DomainHold>> OperationsStore::holds() const
{
    using R = Result<QList<DomainHold>>;
    if (!m_open)
        return R::failure(u"the database is not open"_s);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT domain, since, until, warned FROM domain_holds ORDER BY domain"_s))
        return R::failure(describe(q.lastError()));
    QList<DomainHold> out;
    while (q.next())
        out << DomainHold{q.value(0).toString(), dateTime(q.value(1)), dateTime(q.value(2)),
                          q.value(3).toBool()};
    return R::success(std::move(out));
}

Status OperationsStore::addHold(const QString &domainText, const QDateTime &until, const QDateTime &now)
{
    const Result<QString> domain = normalizeHoldDomain(domainText);
    if (!domain)
        return Status::failure(domain.error);
    if (until.isValid() && until <= now)
        return Status::failure(
            u"the hold would end at %1, which has passed"_s.arg(until.toUTC().toString(Qt::ISODate)));
    if (!m_open)
        return Status::failure(u"the database is not open"_s);
    const QString why = inTransaction([&]() -> QString {
        // A hold that ended (its until passed) starts again; an active one
        // keeps its start, so retry.hold_max counts from the first hold.
        QSqlQuery q(m_db);
        q.prepare(
            u"INSERT INTO domain_holds (domain, since, until, warned) VALUES (?, ?, ?, 0)"
            " ON CONFLICT (domain) DO UPDATE SET"
            "   since = CASE WHEN until IS NOT NULL AND until <= excluded.since THEN excluded.since ELSE "
            "since END,"
            "   warned = CASE WHEN until IS NOT NULL AND until <= excluded.since THEN 0 ELSE warned END,"
            "   until = excluded.until"_s);
        q.addBindValue(*domain);
        q.addBindValue(now.toMSecsSinceEpoch());
        q.addBindValue(msecs(until));
        if (QString e = exec(q); !e.isEmpty())
            return e;
        return logAction(until.isValid() ? u"Domain hold added : @%1 until %2"_s.arg(
                                               *domain, until.toUTC().toString(Qt::ISODate))
                                         : u"Domain hold added : @%1"_s.arg(*domain),
                         now);
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Status OperationsStore::releaseHold(const QString &domainText, const QDateTime &now)
{
    const Result<QString> domain = normalizeHoldDomain(domainText);
    if (!domain)
        return Status::failure(domain.error);
    if (!m_open)
        return Status::failure(u"the database is not open"_s);
    const QString why = inTransaction([&]() -> QString {
        QSqlQuery q(m_db);
        q.prepare(u"DELETE FROM domain_holds WHERE domain = ? AND (until IS NULL OR until > ?)"_s);
        q.addBindValue(*domain);
        q.addBindValue(now.toMSecsSinceEpoch());
        if (QString e = exec(q); !e.isEmpty())
            return e;
        if (q.numRowsAffected() < 1)
            return u"@%1 is not on hold"_s.arg(*domain);
        return logAction(u"Domain hold released : @%1"_s.arg(*domain), now);
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Status OperationsStore::markHoldWarned(const QString &domain)
{
    if (!m_open)
        return Status::failure(u"the database is not open"_s);
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE domain_holds SET warned = 1 WHERE domain = ?"_s);
    q.addBindValue(domain);
    const QString why = exec(q);
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Result<OperationsStore::Pruned> OperationsStore::prune(int days, const QDateTime &now)
{
    using R = Result<Pruned>;
    if (!m_open)
        return R::failure(u"the database is not open"_s);
    Pruned pruned;
    const QString why = inTransaction([&]() -> QString {
        const qint64 nowMs = now.toMSecsSinceEpoch();
        if (days > 0) {
            const qint64 cutoff = nowMs - qint64(days) * kDayMs;
            for (auto [table, count] : {std::pair{u"message_log"_s, &pruned.messageLog},
                                        std::pair{u"action_log"_s, &pruned.actionLog}}) {
                QSqlQuery q(m_db);
                q.prepare(u"DELETE FROM %1 WHERE time < ?"_s.arg(table));
                q.addBindValue(cutoff);
                if (QString e = exec(q); !e.isEmpty())
                    return e;
                *count = q.numRowsAffected();
            }
        }
        QSqlQuery holds(m_db);
        holds.prepare(u"DELETE FROM domain_holds WHERE until IS NOT NULL AND until <= ?"_s);
        holds.addBindValue(nowMs);
        if (QString e = exec(holds); !e.isEmpty())
            return e;
        pruned.holds = holds.numRowsAffected();
        if (pruned.messageLog + pruned.actionLog > 0)
            return logAction(
                u"Logs older than %1 days deleted (log.retention_days): %2 message log and %3 action "
                "log entries."_s.arg(days)
                    .arg(pruned.messageLog)
                    .arg(pruned.actionLog),
                now);
        return {};
    });
    return why.isEmpty() ? R::success(pruned) : R::failure(why);
}

Result<OperationsStore::LogCounts> OperationsStore::counts() const
{
    using R = Result<LogCounts>;
    if (!m_open)
        return R::failure(u"the database is not open"_s);
    LogCounts c;
    for (auto [table, count] :
         {std::pair{u"message_log"_s, &c.messageLog}, std::pair{u"action_log"_s, &c.actionLog},
          std::pair{u"domain_holds"_s, &c.holds}, std::pair{u"dkim_keys"_s, &c.dkimKeys}}) {
        QSqlQuery q(m_db);
        if (!q.exec(u"SELECT count(*) FROM %1"_s.arg(table)) || !q.next())
            return R::failure(describe(q.lastError()));
        *count = q.value(0).toLongLong();
    }
    return R::success(c);
}

Result<QStringList> OperationsStore::dkimKeyFiles() const
{
    using R = Result<QStringList>;
    if (!m_open)
        return R::failure(u"the database is not open"_s);
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT key_file FROM dkim_keys ORDER BY domain, selector"_s))
        return R::failure(describe(q.lastError()));
    QStringList files;
    const QDir base = QFileInfo(m_path).absoluteDir();
    while (q.next()) {
        const QString f = q.value(0).toString();
        if (!f.isEmpty())
            files << QDir::cleanPath(base.absoluteFilePath(f));
    }
    return R::success(files);
}

Result<OperationsStore::LogCounts> OperationsStore::purgeData(const QStringList &removedFiles)
{
    using R = Result<LogCounts>;
    const Result<LogCounts> before = counts();
    if (!before)
        return before;
    const QString why = inTransaction([&]() -> QString {
        for (const QString &table : {u"message_log"_s, u"action_log"_s, u"domain_holds"_s, u"dkim_keys"_s}) {
            QSqlQuery q(m_db);
            if (!q.exec(u"DELETE FROM %1"_s.arg(table)))
                return describe(q.lastError());
        }
        // The message trace (relaycore/trace) goes with the message log; its
        // full-text index is dropped (the relay makes a new one).
        for (const QString &table : {u"trace_recipients"_s, u"trace_messages"_s, u"trace_hourly"_s,
                                     u"trace_queue_hourly"_s, u"trace_route_hourly"_s}) {
            QSqlQuery q(m_db);
            if (!q.exec(u"DELETE FROM %1"_s.arg(table)))
                return describe(q.lastError());
        }
        if (QSqlQuery fts(m_db); !fts.exec(u"DROP TABLE IF EXISTS trace_fts"_s))
            return describe(fts.lastError());
        // Settings that name a file the purge removed would point at nothing.
        for (const QString &key : {SettingKey::tlsCertificate(), SettingKey::tlsKey()}) {
            QSqlQuery get(m_db);
            get.prepare(u"SELECT value FROM settings WHERE key = ?"_s);
            get.addBindValue(key);
            if (!get.exec())
                return describe(get.lastError());
            if (!get.next() || !removedFiles.contains(QDir::cleanPath(get.value(0).toString())))
                continue;
            get.finish();
            QSqlQuery del(m_db);
            del.prepare(u"DELETE FROM settings WHERE key = ?"_s);
            del.addBindValue(key);
            if (QString e = exec(del); !e.isEmpty())
                return e;
        }
        QSqlQuery bump(m_db);
        bump.prepare(u"UPDATE meta SET value = value + 1 WHERE key = 'change_counter'"_s);
        return exec(bump);
    });
    if (!why.isEmpty())
        return R::failure(why);
    // Deleted rows must not linger in free pages or the write-ahead log.
    QSqlQuery(m_db).exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    QSqlQuery(m_db).exec(u"VACUUM"_s);
    return before;
}

} // namespace mailroute
