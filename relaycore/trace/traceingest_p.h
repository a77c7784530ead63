// What traceingest.cpp and tracestatements.cpp share (docs/architecture.md
// "Message events"): the open messages the log thread keeps in memory, the
// statements it prepares once per connection, and the multi-row statements a
// batch is written with. Included by those two files only.
#pragma once

#include "relaycore/trace/traceingest.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <map>
#include <memory>
#include <vector>

namespace mailroute {

// A trace_recipients row as the log thread last wrote it.
struct TraceOpenRecipient
{
    QString original;
    QString deliveredTo;
    QString rcptDomain;
    QString targetDomain;
    QString status;
    QVariant area;
    QString match = QStringLiteral("none");
    QVariant rule;
    QVariant nextHop;
    QVariant lastReply;
    qint64 attempts = 0;
    QVariant nextAttempt;
    QVariant dsnQueueId;
    qint64 updated = 0;
    bool dirty = false; // changed in this batch: written back in finish()
};

// A trace_messages row (the columns a later event can change or the
// full-text row needs) with its recipients in RCPT order.
struct TraceOpenMessage
{
    qint64 id = 0;
    qint64 time = 0;
    QVariant queueId;
    QVariant client;
    QVariant helo;
    int tls = 0;
    QVariant tlsCipher;
    QVariant size;
    QVariant messageId;
    QVariant subject;
    QVariant sender;
    QVariant senderRewritten;
    QVariant area;
    QString status;
    qint64 updated = 0;
    std::vector<TraceOpenRecipient> recipients;
};

// The ingest's statements, prepared once per connection: a batch runs a
// dozen per message, and preparing them each time cost more than running them.
// Also the messages still open (queued or deferred) as the last batches left
// them, so that the next events of a message need no SELECT (issue 14).
struct StatementCache
{
    explicit StatementCache(QSqlDatabase &database) : db(database), connection(database.connectionName()) {}
    QSqlQuery &get(const QString &sql, QString *error)
    {
        auto it = statements.find(sql);
        if (it == statements.end()) {
            auto q = std::make_unique<QSqlQuery>(db);
            q->setForwardOnly(true);
            if (!q->prepare(sql)) {
                const QSqlError e = q->lastError();
                *error = QStringLiteral("trace store: %1")
                             .arg(e.databaseText().isEmpty() ? e.text() : e.databaseText());
                failed = std::move(q);
                return *failed;
            }
            it = statements.emplace(sql, std::move(q)).first;
        }
        return *it->second;
    }
    QSqlDatabase db;
    QString connection;
    std::map<QString, std::unique_ptr<QSqlQuery>> statements;
    std::unique_ptr<QSqlQuery> failed;
    QHash<QString, TraceOpenMessage> open; // by queue id; only rows this connection committed
    qint64 dataVersion = -1;               // PRAGMA data_version when `open` was last right
    quint64 batches = 0;
};

namespace tracedetail {

// Rows per multi-row INSERT (17 columns x 32 rows stays under SQLite's
// oldest limit of 999 parameters).
constexpr int kRowsPerInsert = 32;

// Rows for the next multi-row statement when `left` remain: kRowsPerInsert,
// then powers of two, so that each statement kind has at most six shapes to
// prepare and keep (not one per remainder: a prepared statement of 32 rows
// holds tens of kilobytes).
int rowsPerStatement(qsizetype left);

// "trace store: <SQLite's message>".
QString describe(const QSqlQuery &q);

// Runs `sql` with positional `values` on a statement prepared once per
// connection (TraceIngest's cache); the caller reads the result.
struct Sql
{
    QSqlQuery &q;
    QString error;
    Sql(StatementCache &cache, const QString &sql, const QVariantList &values = {});
    ~Sql() { q.finish(); }
    Q_DISABLE_COPY_MOVE(Sql)
    bool ok() const { return error.isEmpty(); }
};

// "INSERT INTO table (columns) VALUES (?, ...), (?, ...)" for `rows` rows.
QString multiRowInsert(const QString &table, const QStringList &columns, int rows);

// Inserts `rows` (each columns.size() values) in statements of up to kRowsPerInsert rows.
QString insertRows(StatementCache &db, const QString &table, const QStringList &columns,
                   const QList<QVariantList> &rows);

// "UPDATE <set> FROM (VALUES (?, ...), ...) AS v WHERE <where>" for `rows`
// rows of `width` values: one statement per kRowsPerInsert rows doing what
// one UPDATE per row would (each row names its own target by its key).
// `changed` (optional) gets the number of rows updated.
QString updateRows(StatementCache &db, const QString &set, const QString &where, int width,
                   const QList<QVariantList> &rows, qint64 *changed);

} // namespace tracedetail

} // namespace mailroute
