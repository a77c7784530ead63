// The shared SQLite layer; see sqlite.h.
#include "relaycore/sql/sqlite.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QSqlError>
#include <QThread>

#include <utility>

using namespace Qt::StringLiterals;

namespace mailroute::sql {

namespace {

Q_LOGGING_CATEGORY(lcSql, "mailroute.sql")

// SQLITE_BUSY (5) or SQLITE_LOCKED (6), whichever way the driver reports it.
bool isBusy(const QSqlError &e)
{
    const QString code = e.nativeErrorCode();
    return code == u"5"_s || code == u"6"_s || e.databaseText().contains(u"locked"_s);
}

struct Pragma
{
    QString statement;
    QString check;    // a statement whose first value must be `expected`
    QString expected; // empty: not checked
};

} // namespace

QString describe(const QSqlError &error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    while (text.endsWith(u'.'))
        text.chop(1);
    return text.isEmpty() ? u"unknown database error"_s : text;
}

Result<QSqlDatabase> open(const OpenOptions &o)
{
    using R = Result<QSqlDatabase>;
    QSqlDatabase db = QSqlDatabase::contains(o.connectionName)
                          ? QSqlDatabase::database(o.connectionName, false)
                          : QSqlDatabase::addDatabase(u"QSQLITE"_s, o.connectionName);
    db.setDatabaseName(o.path);
    auto fail = [&](const QString &why) {
        close(db, o.connectionName);
        return R::failure(why);
    };
    if (!db.open())
        return fail(u"cannot open %1: %2"_s.arg(o.path, describe(db.lastError())));

    QList<Pragma> pragmas;
    if (o.busyTimeoutMs > 0)
        pragmas.append({u"PRAGMA busy_timeout = %1"_s.arg(o.busyTimeoutMs), {}, {}});
    if (o.wal)
        pragmas.append({u"PRAGMA journal_mode = WAL"_s, {}, u"wal"_s});
    if (o.synchronous != OpenOptions::Synchronous::Unchanged) {
        const bool full = o.synchronous == OpenOptions::Synchronous::Full;
        pragmas.append({full ? u"PRAGMA synchronous = FULL"_s : u"PRAGMA synchronous = NORMAL"_s,
                        u"PRAGMA synchronous"_s, full ? u"2"_s : u"1"_s});
    }
    if (o.secureDelete)
        pragmas.append({u"PRAGMA secure_delete = ON"_s, {}, u"1"_s});
    if (o.foreignKeys)
        pragmas.append({u"PRAGMA foreign_keys = ON"_s, u"PRAGMA foreign_keys"_s, u"1"_s});
    if (o.journalSizeLimit >= 0)
        pragmas.append({u"PRAGMA journal_size_limit = %1"_s.arg(o.journalSizeLimit), {}, {}});

    for (const Pragma &p : std::as_const(pragmas)) {
        QString got;
        bool matched = true;
        {
            QSqlQuery q(db);
            bool ran = q.exec(p.statement);
            // Two programs opening a new file at once: switching it to WAL
            // can answer SQLITE_BUSY (5) at once, without SQLite's busy
            // handler, when the other connection holds the lock for its own
            // switch. Try again until the busy timeout, as the handler would.
            const QDeadlineTimer deadline(o.busyTimeoutMs);
            while (!ran && p.statement.contains(u"journal_mode"_s) && isBusy(q.lastError()) &&
                   !deadline.hasExpired()) {
                q.finish();
                QThread::msleep(10);
                ran = q.exec(p.statement);
            }
            if (!ran) {
                if (!o.strict)
                    continue;
                const QString why = describe(q.lastError());
                q.finish();
                return fail(
                    u"%1 is not a usable MailRoute database: %2 failed: %3"_s.arg(o.path, p.statement, why));
            }
            if (!p.expected.isEmpty()) {
                if (!p.check.isEmpty()) {
                    q.finish();
                    q.exec(p.check);
                }
                got = q.next() ? q.value(0).toString() : QString();
                matched = got.compare(p.expected, Qt::CaseInsensitive) == 0;
            }
        }
        if (matched || !o.strict)
            continue;
        if (p.statement.contains(u"journal_mode"_s))
            return fail(
                u"cannot switch %1 to write-ahead logging (journal mode is \"%2\")"_s.arg(o.path, got));
        return fail(u"%1: %2 gave \"%3\", not \"%4\""_s.arg(o.path, p.check.isEmpty() ? p.statement : p.check,
                                                            got, p.expected));
    }
    return R::success(db);
}

void close(QSqlDatabase &db, const QString &connectionName)
{
    if (db.isValid())
        db.close();
    db = QSqlDatabase();
    if (QSqlDatabase::contains(connectionName))
        QSqlDatabase::removeDatabase(connectionName);
}

Query::Query(const QSqlDatabase &db, const QString &sql, const QVariantList &values) : m_q(db)
{
    m_q.setForwardOnly(true);
    if (!m_q.prepare(sql)) {
        m_error = describe(m_q.lastError());
        m_unprepared = true;
        return;
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        m_q.bindValue(static_cast<int>(i), values.at(i));
}

Status Query::exec()
{
    if (m_unprepared)
        return Status::failure(m_error);
    if (!m_q.exec()) {
        m_error = describe(m_q.lastError());
        qCWarning(lcSql) << "query failed:" << m_q.lastQuery() << m_error;
        return Status::failure(m_error);
    }
    m_error.clear();
    return okStatus();
}

QString run(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return {};
    return describe(q.lastError());
}

Status PreparedTransaction::prepare()
{
    const std::pair<QSqlQuery *, QString> all[] = {
        {&begin, u"BEGIN IMMEDIATE"_s}, {&commit, u"COMMIT"_s}, {&rollback, u"ROLLBACK"_s}};
    for (const auto &[query, sql] : all) {
        if (!query->prepare(sql))
            return Status::failure(describe(query->lastError()));
    }
    return okStatus();
}

Transaction::~Transaction()
{
    rollback();
}

QString Transaction::runControl(QSqlQuery *prepared, const QString &sql)
{
    if (!prepared)
        return run(m_db, sql);
    if (prepared->exec())
        return {};
    return describe(prepared->lastError());
}

Status Transaction::begin(Kind kind)
{
    Q_ASSERT(!m_prepared || kind == Kind::Write);
    const QString sql = kind == Kind::Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
    if (const QString why = runControl(m_prepared ? &m_prepared->begin : nullptr, sql); !why.isEmpty())
        return Status::failure(kind == Kind::Write ? u"the database is busy or read-only: %1"_s.arg(why)
                                                   : why);
    m_open = true;
    return okStatus();
}

Status Transaction::commit()
{
    if (const QString why = runControl(m_prepared ? &m_prepared->commit : nullptr, u"COMMIT"_s);
        !why.isEmpty())
        return Status::failure(u"cannot commit: %1"_s.arg(why));
    m_open = false;
    return okStatus();
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    runControl(m_prepared ? &m_prepared->rollback : nullptr, u"ROLLBACK"_s);
    m_open = false;
}

} // namespace mailroute::sql
