// The small SQLite layer every MailRoute database shares (the configuration
// database, the spool, the message trace, the verification cache): opening
// a connection with its pragmas, prepared statements whose errors become a
// Status, a transaction that rolls back unless committed, and one sentence
// for a database error. The schema upgrades are in relaycore/sql/migration.h.
//
// A connection (QSqlDatabase) and everything made from it belong to the
// thread that opened it (docs/architecture.md "Threads"). Depends on Qt Core
// and Qt Sql only.
#pragma once

#include "relaycore/routing/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <optional>

namespace mailroute::sql {

// A database or driver error as one sentence without a final period
// ("UNIQUE constraint failed: settings.key"), never empty.
QString describe(const QSqlError &error);

// How a store opens its file: each store keeps its own choices
// (docs/architecture.md).
struct OpenOptions
{
    enum class Synchronous { Unchanged, Normal, Full };

    QString path;
    QString connectionName; // unique per connection (QSqlDatabase::addDatabase)
    // Set first, so the statements after it wait for another process's lock
    // instead of failing. 0: not set.
    int busyTimeoutMs = 5000;
    bool wal = true;                                  // journal_mode = WAL, checked
    Synchronous synchronous = Synchronous::Unchanged; // checked when set
    bool secureDelete = false;                        // deleted content overwritten with zeros, checked
    bool foreignKeys = false;                         // foreign_keys = ON, checked
    qint64 journalSizeLimit = -1;                     // bytes; -1: not set
    // A pragma that fails or does not take is an error (the connection is
    // closed); false: pragma failures are ignored (a reader that only needs
    // the busy timeout).
    bool strict = true;
};

// Adds the named connection, opens the file (SQLite creates it when it does
// not exist) and applies the pragmas. On failure the connection is closed
// and removed, and the error names the file.
Result<QSqlDatabase> open(const OpenOptions &options);

// Closes the connection and removes it from Qt's registry; `db` is reset.
// Every query made from it must be gone already.
void close(QSqlDatabase &db, const QString &connectionName);

// A prepared statement with positional values: errors become a Status with
// describe()'s text. Failures are logged (category mailroute.sql) with the
// statement.
class Query
{
public:
    Query(const QSqlDatabase &db, const QString &sql, const QVariantList &values = {});
    Q_DISABLE_COPY_MOVE(Query)

    void bind(int position, const QVariant &value) { m_q.bindValue(position, value); }
    Status exec();
    bool next() { return m_q.next(); }
    QVariant value(int i) const { return m_q.value(i); }
    int rowsAffected() const { return m_q.numRowsAffected(); }
    QVariant lastInsertId() const { return m_q.lastInsertId(); }
    // Releases the statement's read snapshot (a query kept open pins one).
    void finish() { m_q.finish(); }
    const QString &error() const { return m_error; }

private:
    QSqlQuery m_q;
    QString m_error;
    bool m_unprepared = false;
};

// Runs one statement without values; the error text, or an empty string.
QString run(const QSqlDatabase &db, const QString &sql);

// BEGIN IMMEDIATE, COMMIT and ROLLBACK prepared once, for a hot path (the
// spool's store() and update()): a Transaction made with them prepares
// nothing per use.
struct PreparedTransaction
{
    explicit PreparedTransaction(const QSqlDatabase &db) : begin(db), commit(db), rollback(db) {}
    Status prepare();

    QSqlQuery begin;
    QSqlQuery commit;
    QSqlQuery rollback;
};

// BEGIN ... COMMIT; rolls back on scope exit unless committed. Queries run
// inside must be finished or destroyed before commit().
class Transaction final
{
public:
    // Read: a deferred BEGIN, which pins one read snapshot at the first
    // SELECT, so a multi-query read sees one consistent state. Write: BEGIN
    // IMMEDIATE takes the write lock up front (waiting up to the busy
    // timeout) instead of upgrading later, which in WAL mode can fail at
    // once with SQLITE_BUSY_SNAPSHOT.
    enum class Kind { Read, Write };

    explicit Transaction(const QSqlDatabase &db) : m_db(db) {}
    // Kind::Write only, with the statements of `prepared`.
    explicit Transaction(PreparedTransaction &prepared) : m_prepared(&prepared) {}
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    Status begin(Kind kind);
    Status commit();
    void rollback();
    bool isOpen() const { return m_open; }

private:
    QString runControl(QSqlQuery *prepared, const QString &sql);

    QSqlDatabase m_db;
    PreparedTransaction *m_prepared = nullptr;
    bool m_open = false;
};

} // namespace mailroute::sql
