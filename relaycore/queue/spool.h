// The relay's durable queue (docs/behaviour.md "Stopping and durability"):
// <spool dir>/spool.db, SQLite through Qt Sql in WAL mode with
// synchronous=FULL, so once store() returns the messages and their routing
// results are on disk and synced and the engine may answer `250 2.0.0 Ok:
// queued as <ID>`. secure_delete=ON and checkpoint() make sure no mail content
// lingers once a message is done.
//
// Threads: a Spool and its Qt Sql connection (one uniquely named connection
// per instance) belong to the ONE thread that opened it, in the relay the
// engine thread. It is not thread-safe; other threads and processes open their
// own instance (the spool commit's thread: a SpoolWriter, spoolwriter.h).
//
// Roles: the relay engine opens the spool as Role::Engine; it holds
// <spool dir>/spool.lock, so a second relay on the same spool (which would
// deliver every message twice) fails to open. The console and mailroutectl open
// it as Role::Admin to list the queue and to ask for a flush or a delete: the
// running engine keeps the schedule in memory, so those requests go through
// the `control` table and reach it via takeControlRequests(), which the engine
// polls about once a second. When no relay runs, an Admin applies them itself.
//
// The engine's cycle: open(), loadQueued() (recovery); on the spool commit's
// thread, through its SpoolWriter, store() each batch of messages that
// finished DATA (the next batch as soon as the previous one returns; the 250
// replies only after it) and update() with the delivery results; on the
// engine thread content() for the deliveries that are not in the
// scheduler's memory, takeControlRequests() about once a second,
// checkpoint() when the queue runs empty.
#pragma once

#include "relaycore/message/bodyfile.h"
#include "relaycore/queue/clock.h"
#include "relaycore/queue/queuedmessage.h"
#include "relaycore/queue/queueidgenerator.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QList>
#include <QLockFile>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>

namespace mailroute {

class Spool final
{
public:
    enum class Role { Engine, Admin };
    // What became of an Admin's flush or delete.
    enum class ControlOutcome {
        Applied,   // no relay was running (or the caller is the engine): the spool was changed
        Requested, // the running relay applies it within about a second
    };

    static constexpr int kSchemaVersion = 5;

    // `clock` (arrival times, queue ids, request times) must outlive the Spool.
    explicit Spool(QString directory, Role role = Role::Engine, const Clock &clock = SystemClock::instance());
    ~Spool();
    Q_DISABLE_COPY_MOVE(Spool)

    static QString databaseFileName(); // "spool.db"
    // Large messages (docs/architecture.md "Storage"): the SMTP sessions
    // write bodies into <dir>/incoming/ as they arrive (emptied when the
    // engine opens the spool); store() links them into <dir>/data/ as
    // <message id>, synced before its transaction commits, and a message's
    // file goes when the message does. Both folders are mode 0700.
    static QString incomingDirectory(const QString &spoolDirectory);
    static QString dataDirectory(const QString &spoolDirectory);

    // Creates the directory (mode 0700) and the schema, upgrading an older one.
    Status open();
    void close();
    bool isOpen() const;
    QString directory() const;
    QString databasePath() const;
    Role role() const;

    // ---- the engine's hot path (Role::Engine) --------------------------------

    // A queue id for a message before it is stored, for the Received: field
    // ("id <queue id>") and log lines written while it is still in DATA; pass
    // it as meta.queueId to store(). After open(). An id reserved but never
    // stored is simply not used.
    QString reserveQueueId();

    // Group commit: the whole batch in ONE transaction with ONE sync, all or
    // nothing. Assigns row ids, and a queue id to each message whose
    // meta.queueId is empty (otherwise it must be one from reserveQueueId());
    // sets size from the data (and body), arrival (UTC) from the clock when
    // invalid. Each message needs a non-empty data and at least one
    // recipient, one of them Queued. A message's body file (a complete
    // BodyFile on this spool's file system) is synced and linked into the
    // data folder before the transaction commits. Returns the messages as
    // stored, in batch order.
    Result<QList<QueuedMessage>> store(const QList<IncomingMessage> &batch);

    // Every message with at least one Queued recipient, with all its
    // recipients, in arrival order; no content. Recovery after a restart.
    Result<QList<QueuedMessage>> loadQueued() const;
    // The message as spooled: its header section in memory and its body as
    // a file when it was large, else all of it in `head`.
    struct Content
    {
        QByteArray head;
        BodyFilePtr body = nullptr;
        qint64 size() const { return messageSize(head, body); }
    };
    Result<Content> content(qint64 messageId) const;
    // The whole message in memory (tests, tools).
    Result<QByteArray> data(qint64 messageId) const;

    // One transaction. A message whose recipients are all final (Delivered,
    // Bounced, Dropped) is deleted with its content in that same transaction.
    // An update for a recipient that is no longer in the spool is ignored.
    // Queue the DSN for a bounce (store()) BEFORE marking the recipient
    // Bounced here: a crash in between then sends the DSN twice rather than not at all.
    Status update(const QList<RecipientUpdate> &updates);

    // The message's sender got its delay notice (retry.delay_warning): never
    // a second one, also after a restart.
    Status markDelayWarned(qint64 messageId);
    // A domain hold ended: these recipients (message id, recipient id) are
    // due now and their retry lifetime starts at `start`. One transaction.
    Status restartSchedule(const QList<QPair<qint64, qint64>> &recipients, const QDateTime &start);

    // Applying control requests (Admins call requestDelete()/requestFlush()).
    // Drops the message without a DSN and removes its content.
    Status deleteMessage(const QString &queueId);
    // Makes every Queued recipient of the message (empty: of all messages) due
    // now: nextAttempt becomes invalid ("as soon as possible").
    Status flush(const QString &queueIdOrAll = {});

    // Requests from Admins since the last call, oldest first; each is returned
    // once. The engine applies them with deleteMessage()/flush() and updates
    // its schedule; one may name a message that has left the queue since
    // (delivered meanwhile), and then fails there: log it and go on.
    Result<QList<ControlRequest>> takeControlRequests();

    // Folds the write-ahead log into spool.db and truncates it, so content of
    // deleted messages left in old log frames is gone too. The engine calls it
    // when the queue runs empty and now and then; it costs a sync.
    Status checkpoint();

    // ---- administration (either role) -----------------------------------------

    // Messages with their recipients (attempts, next attempt, last error) in
    // arrival order, paged by message id for a view over a large queue;
    // limit < 0: all.
    Result<QList<QueuedMessage>> list(qint64 afterMessageId = 0, int limit = -1) const;
    Result<qint64> messageCount() const;
    // `mailroutectl queue flush [ID]` / `queue delete ID`. Queue ids compare
    // case-insensitively; an unknown one is an error.
    Result<ControlOutcome> requestFlush(const QString &queueIdOrAll = {});
    Result<ControlOutcome> requestDelete(const QString &queueId);
    // Whether a relay engine holds this spool now.
    bool isEngineRunning() const;

private:
    friend class SpoolWriter; // a second engine connection (spoolwriter.h)
    struct Statements;

    Status openDatabase();
    // Runs `body` in one IMMEDIATE transaction: commits when it returns no
    // error, rolls back otherwise. Returns the error.
    QString inTransaction(const std::function<QString()> &body);
    Status applyDelete(const QString &queueId);
    Status applyFlush(const QString &queueIdOrAll);
    Result<QList<QueuedMessage>> readMessages(const QString &sql, qint64 afterMessageId, int limit) const;
    QString removeMessage(qint64 messageId);
    // spoolfiles.cpp: the body files.
    QString bodyPath(qint64 messageId) const;
    QString linkBody(qint64 messageId, const BodyFile &body);
    void afterTransaction(bool committed);
    Status prepareFolders();
    Result<qint64> findMessage(const QString &queueId) const;
    Result<ControlOutcome> request(ControlCommand command, const QString &queueId);
    Status requireEngine(const char *what) const;

    QString m_directory;
    Role m_role;
    const Clock *m_clock;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<Statements> m_sql; // prepared once per open(), reused on the hot path
    std::unique_ptr<QLockFile> m_engineLock;
    bool m_sharesEngineLock = false; // a SpoolWriter's: the engine's Spool holds spool.lock
    QueueIdGenerator m_ids;
    QStringList m_linked;         // body files linked by the open transaction
    QStringList m_unlinkOnCommit; // body files of messages the open transaction removes
};

} // namespace mailroute
