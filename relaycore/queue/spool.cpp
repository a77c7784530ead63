// The spool over SQLite; see spool.h. Runs on the thread that opened it (the
// relay's engine thread, or an admin process's own thread).
#include "relaycore/queue/spool.h"

#include "relaycore/queue/spoolschema.h"
#include "relaycore/sql/migration.h"
#include "relaycore/sql/sqlite.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

// An Admin's write waits this long for the engine's transaction (and the other
// way round) instead of failing at once; a store() takes a few milliseconds.
constexpr int kBusyTimeoutMs = 5000;
// A second engine waits this long for the lock; an Admin holds it only for
// the moment it applies a request itself.
constexpr int kEngineLockWaitMs = 1000;

using sql::describe;

// Qt Sql binds a null QString or QByteArray as SQL NULL; the columns that hold
// "empty" (the null sender, an empty HELO) are NOT NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(u""_s) : QVariant(value);
}

QVariant blob(const QByteArray &value)
{
    return value.isNull() ? QVariant(QByteArray("", 0)) : QVariant(value);
}

// Times are milliseconds since the epoch (UTC); NULL is "not set".
QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime dateTime(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

bool isFinal(RecipientStatus status)
{
    return status != RecipientStatus::Queued;
}

QString normalizedQueueId(const QString &queueId)
{
    return queueId.trimmed().toUpper();
}

QString commandName(ControlCommand command)
{
    return command == ControlCommand::Delete ? u"delete"_s : u"flush"_s;
}

const QString kMessageColumns =
    u"m.id, m.queue_id, m.sender, m.arrival, m.client, m.helo, m.generation, m.size,"
    " m.smtputf8, m.eight_bit_mime, m.is_dsn,"
    " r.id, r.address, r.original, r.status, r.attempts, r.next_attempt, r.last_error, m.outbound_client,"
    " r.schedule_start, m.delay_warned, m.headers_rewritten"_s;

#ifdef Q_OS_UNIX
// A new file's directory entry is only durable once the directory is synced.
void syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}
#else
void syncDirectory(const QString &) {}
#endif

#ifdef Q_OS_UNIX
QString currentUser()
{
    const passwd *pw = ::getpwuid(::geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(::geteuid());
}

// Empty when the relay may write the spool directory and its database file;
// else the reason, with the path and the user the relay runs as.
QString writeProblem(const QString &directory)
{
    const QString db = QDir(directory).filePath(Spool::databaseFileName());
    for (const QString &path : {directory, db}) {
        if (path == db && !QFileInfo::exists(db))
            continue;
        const QByteArray native = QFile::encodeName(path);
        if (::access(native.constData(), path == directory ? (W_OK | X_OK) : (R_OK | W_OK)) != 0) {
            const int error = errno;
            return u"the spool %1 %2 cannot be written by user %3: %4 (check its owner and permissions, or "
                   u"the "
                   "mount)"_s.arg(path == directory ? u"directory"_s : u"database"_s, path, currentUser(),
                                  QString::fromLocal8Bit(std::strerror(error)));
        }
    }
    return {};
}

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}
#else
QString writeProblem(const QString &)
{
    return {};
}
bool processAlive(qint64)
{
    return true;
}
#endif

} // namespace

// The hot path's statements, prepared once per open() and reused.
struct Spool::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : transaction(db), syncNormal(db), syncFull(db), insertMessage(db), insertContent(db),
          insertRecipient(db), updateRecipient(db), countQueued(db), deleteContent(db), deleteRecipients(db),
          deleteMessage(db), selectContent(db), selectControl(db), deleteControl(db)
    {}

    bool prepare(QString *error)
    {
        if (const Status st = transaction.prepare(); !st) {
            *error = st.error;
            return false;
        }
        const std::pair<QSqlQuery *, QString> all[] = {
            {&syncNormal, u"PRAGMA synchronous = NORMAL"_s},
            {&syncFull, u"PRAGMA synchronous = FULL"_s},
            {&insertMessage,
             u"INSERT INTO messages (queue_id, sender, arrival, client, helo, generation, size, smtputf8,"
             " eight_bit_mime, is_dsn, outbound_client, headers_rewritten)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s},
            {&insertContent, u"INSERT INTO contents (message_id, data, body_size) VALUES (?, ?, ?)"_s},
            {&insertRecipient, u"INSERT INTO recipients (message_id, address, original, status, attempts, "
                               u"next_attempt, last_error, schedule_start)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s},
            {&updateRecipient,
             u"UPDATE recipients SET status = ?, attempts = ?, next_attempt = ?, last_error = ?"
             " WHERE id = ? AND message_id = ?"_s},
            {&countQueued, u"SELECT count(*) FROM recipients WHERE message_id = ? AND status = 0"_s},
            {&deleteContent, u"DELETE FROM contents WHERE message_id = ?"_s},
            {&deleteRecipients, u"DELETE FROM recipients WHERE message_id = ?"_s},
            {&deleteMessage, u"DELETE FROM messages WHERE id = ?"_s},
            {&selectContent, u"SELECT data, body_size FROM contents WHERE message_id = ?"_s},
            {&selectControl, u"SELECT id, command, queue_id, requested FROM control ORDER BY id"_s},
            {&deleteControl, u"DELETE FROM control WHERE id <= ?"_s},
        };
        for (const auto &[query, sql] : all) {
            query->setForwardOnly(true);
            if (!query->prepare(sql)) {
                *error = describe(query->lastError());
                return false;
            }
        }
        return true;
    }

    // IMMEDIATE: take the write lock up front, so a transaction never
    // fails half-way because an Admin wrote in between.
    sql::PreparedTransaction transaction;
    QSqlQuery syncNormal;
    QSqlQuery syncFull;
    QSqlQuery insertMessage;
    QSqlQuery insertContent;
    QSqlQuery insertRecipient;
    QSqlQuery updateRecipient;
    QSqlQuery countQueued;
    QSqlQuery deleteContent;
    QSqlQuery deleteRecipients;
    QSqlQuery deleteMessage;
    QSqlQuery selectContent;
    QSqlQuery selectControl;
    QSqlQuery deleteControl;
};

namespace {

// Runs a prepared statement; returns the reason it failed, or an empty string.
QString run(QSqlQuery &query)
{
    if (query.exec())
        return {};
    return describe(query.lastError());
}

} // namespace

QString Spool::inTransaction(const std::function<QString()> &body)
{
    m_linked.clear();
    m_unlinkOnCommit.clear();
    QString why;
    {
        sql::Transaction tx(m_sql->transaction);
        if (const Status begun = tx.begin(sql::Transaction::Kind::Write); !begun)
            why = begun.error;
        else if (why = body(); why.isEmpty())
            if (const Status committed = tx.commit(); !committed)
                why = committed.error;
    }
    afterTransaction(why.isEmpty());
    return why;
}

Spool::Spool(QString directory, Role role, const Clock &clock)
    : m_directory(std::move(directory)), m_role(role), m_clock(&clock)
{
    static QAtomicInteger<quint64> serial;
    m_connectionName = u"mailroute.spool.%1"_s.arg(serial.fetchAndAddRelaxed(1));
}

Spool::~Spool()
{
    close();
}

QString Spool::databaseFileName()
{
    return u"spool.db"_s;
}

QString Spool::directory() const
{
    return m_directory;
}

QString Spool::databasePath() const
{
    return QDir(m_directory).filePath(databaseFileName());
}

Spool::Role Spool::role() const
{
    return m_role;
}

bool Spool::isOpen() const
{
    return m_sql != nullptr;
}

Status Spool::open()
{
    if (isOpen())
        return okStatus();
    if (m_directory.isEmpty())
        return Status::failure(u"no spool directory given"_s);

    const QFileInfo dirInfo(m_directory);
    if (!dirInfo.exists()) {
        // Mail content: readable by the relay's user only.
        const QString parent = dirInfo.absolutePath();
        if (!QDir().mkpath(parent) || !QDir().mkdir(dirInfo.absoluteFilePath(),
                                                    QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
            if (!QFileInfo(m_directory).isDir())
                return Status::failure(u"cannot create the spool directory %1"_s.arg(m_directory));
        }
        syncDirectory(parent);
    } else if (!dirInfo.isDir()) {
        return Status::failure(u"%1 is not a directory"_s.arg(m_directory));
    }

    if (m_role == Role::Engine && !m_sharesEngineLock) {
        // The relay writes here; say so plainly when it cannot, instead of
        // blaming a lock (a stale lock it cannot remove looks "in use").
        if (const QString why = writeProblem(m_directory); !why.isEmpty())
            return Status::failure(why);
        auto lock = std::make_unique<QLockFile>(QDir(m_directory).filePath(u"spool.lock"_s));
        // No staleness by age: a relay may run for months. A lock left by a
        // crashed relay is still recognised (its process is gone).
        lock->setStaleLockTime(0);
        if (!lock->tryLock(kEngineLockWaitMs)) {
            qint64 pid = 0;
            QString host;
            QString app;
            const bool info = lock->getLockInfo(&pid, &host, &app);
            if (lock->error() == QLockFile::LockFailedError && info && processAlive(pid))
                return Status::failure(
                    u"the spool %1 is in use by another relay (process %2)"_s.arg(m_directory).arg(pid));
            if (lock->error() == QLockFile::LockFailedError)
                return Status::failure(
                    u"the spool %1 has a lock file left by process %2, which is gone, and it "
                    "cannot be removed: check the permissions of %3"_s.arg(m_directory)
                        .arg(pid)
                        .arg(QDir(m_directory).filePath(u"spool.lock"_s)));
            return Status::failure(lock->error() == QLockFile::PermissionError
                                       ? u"cannot lock the spool %1: permission denied creating %2"_s.arg(
                                             m_directory, QDir(m_directory).filePath(u"spool.lock"_s))
                                       : u"cannot lock the spool %1"_s.arg(m_directory));
        }
        m_engineLock = std::move(lock);
    }

    Status opened = openDatabase();
    if (opened)
        opened = prepareFolders();
    if (!opened)
        close();
    return opened;
}

Status Spool::openDatabase()
{
    const QString path = databasePath();
    // Created here with owner-only permissions; SQLite gives its -wal and -shm
    // files the same mode.
    if (!QFileInfo::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner) &&
            !QFileInfo::exists(path))
            return Status::failure(u"cannot create %1: %2"_s.arg(path, file.errorString()));
        file.close();
        syncDirectory(m_directory);
    }

    // The busy timeout first, so what follows waits for another process's lock.
    // synchronous=FULL: a commit syncs the write-ahead log, so a store() that
    // returned survives a crash or power cut
    // (docs/behaviour.md "Stopping and durability"). secure_delete: deleted
    // mail content is overwritten with zeros, not left in free pages.
    sql::OpenOptions options;
    options.path = path;
    options.connectionName = m_connectionName;
    options.busyTimeoutMs = kBusyTimeoutMs;
    options.synchronous = sql::OpenOptions::Synchronous::Full;
    options.secureDelete = true;
    options.foreignKeys = true;
    Result<QSqlDatabase> db = sql::open(options);
    if (!db)
        return Status::failure(db.error);
    m_db = *db;

    Q_ASSERT(spoolSchemaSteps() == kSchemaVersion);
    // Schema: created or upgraded step by step, each step in its own
    // transaction; the version is read again inside it, since an Admin and the
    // engine may open a new spool at the same moment.
    sql::Schema schema;
    schema.label = u"spool database"_s;
    schema.latestVersion = kSchemaVersion;
    schema.step = spoolSchemaStep;
    if (const Result<int> version = sql::migrate(m_db, schema); !version)
        return Status::failure(u"%1: %2"_s.arg(path, version.error));

    auto statements = std::make_unique<Statements>(m_db);
    QString why;
    if (!statements->prepare(&why))
        return Status::failure(u"%1: %2"_s.arg(path, why));

    // Ids sort by issue time: never issue one at or before the newest queued
    // message's, even with a clock set back since it was stored.
    {
        QSqlQuery query(m_db);
        if (query.exec(u"SELECT max(queue_id) FROM messages"_s) && query.next())
            m_ids.observe(query.value(0).toString());
    }
    m_sql = std::move(statements);
    return okStatus();
}

void Spool::close()
{
    m_sql.reset();
    sql::close(m_db, m_connectionName);
    m_engineLock.reset();
}

Status Spool::requireEngine(const char *what) const
{
    if (!isOpen())
        return Status::failure(u"the spool is not open"_s);
    if (m_role != Role::Engine)
        return Status::failure(u"only the relay engine may %1"_s.arg(QLatin1String(what)));
    return okStatus();
}

// ---- the engine's hot path ---------------------------------------------------

Result<QList<QueuedMessage>> Spool::store(const QList<IncomingMessage> &batch)
{
    using R = Result<QList<QueuedMessage>>;
    if (const Status allowed = requireEngine("store messages"); !allowed)
        return R::failure(allowed.error);
    if (batch.isEmpty())
        return R::success({});

    for (qsizetype i = 0; i < batch.size(); ++i) {
        const IncomingMessage &in = batch.at(i);
        QString why;
        if (in.data.isEmpty())
            why = u"no message text"_s;
        else if (in.meta.recipients.isEmpty())
            why = u"no recipients"_s;
        else if (std::all_of(in.meta.recipients.cbegin(), in.meta.recipients.cend(),
                             [](const QueuedRecipient &r) { return isFinal(r.status); }))
            why = u"no recipient left to deliver to"_s;
        else if (!in.meta.queueId.isEmpty() && !QueueIdGenerator::isWellFormed(in.meta.queueId))
            why = u"\"%1\" is not a queue id from reserveQueueId()"_s.arg(in.meta.queueId);
        if (!why.isEmpty())
            return R::failure(u"cannot store message %1 of %2: %3"_s.arg(i + 1).arg(batch.size()).arg(why));
    }

    QList<QueuedMessage> stored;
    stored.reserve(batch.size());
    Statements &sql = *m_sql;
    const QDateTime now = m_clock->now().toUTC();
    const QString why = inTransaction([&]() -> QString {
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const IncomingMessage &in = batch.at(i);
            QueuedMessage m = in.meta;
            if (m.queueId.isEmpty())
                m.queueId = m_ids.next(now);
            m.arrival = m.arrival.isValid() ? m.arrival.toUTC() : now;
            m.size = messageSize(in.data, in.body);
            auto failed = [&](const QString &reason) {
                return u"cannot store message %1 of %2: %3"_s.arg(i + 1).arg(batch.size()).arg(reason);
            };

            QSqlQuery &message = sql.insertMessage;
            message.bindValue(0, m.queueId);
            message.bindValue(1, text(m.sender));
            message.bindValue(2, msecs(m.arrival));
            message.bindValue(3, text(m.clientAddress));
            message.bindValue(4, text(m.heloName));
            message.bindValue(5, m.generation);
            message.bindValue(6, m.size);
            message.bindValue(7, int(m.smtputf8));
            message.bindValue(8, int(m.eightBitMime));
            message.bindValue(9, int(m.isDsn));
            message.bindValue(10, m.outboundClient ? QVariant(int(*m.outboundClient)) : QVariant());
            message.bindValue(11, int(m.headersRewritten));
            if (QString reason = run(message); !reason.isEmpty())
                return failed(reason);
            m.id = message.lastInsertId().toLongLong();

            QSqlQuery &content = sql.insertContent;
            content.bindValue(0, m.id);
            content.bindValue(1, blob(in.data));
            content.bindValue(2,
                              in.body ? QVariant(in.body->size()) : QVariant(QMetaType::fromType<qint64>()));
            if (QString reason = run(content); !reason.isEmpty())
                return failed(reason);
            if (in.body) {
                if (QString reason = linkBody(m.id, *in.body); !reason.isEmpty())
                    return failed(reason);
            }

            QSqlQuery &recipient = sql.insertRecipient;
            for (QueuedRecipient &r : m.recipients) {
                recipient.bindValue(0, m.id);
                recipient.bindValue(1, text(r.address));
                recipient.bindValue(2, text(r.originalAddress));
                recipient.bindValue(3, int(r.status));
                recipient.bindValue(4, r.attempts);
                recipient.bindValue(5, msecs(r.nextAttempt));
                recipient.bindValue(6, text(r.lastError));
                recipient.bindValue(7, msecs(m.scheduleStarts.value(r.id)));
                if (QString reason = run(recipient); !reason.isEmpty())
                    return failed(u"recipient <%1>: %2"_s.arg(r.address, reason));
                r.id = recipient.lastInsertId().toLongLong();
                if (r.nextAttempt.isValid())
                    r.nextAttempt = r.nextAttempt.toUTC();
            }
            stored.append(std::move(m));
        }
        // The links' directory entries are durable before the commit.
        if (!m_linked.isEmpty())
            syncDirectory(dataDirectory(m_directory));
        return {};
    });
    if (!why.isEmpty())
        return R::failure(why);
    return R::success(std::move(stored));
}

QString Spool::reserveQueueId()
{
    return m_ids.next(m_clock->now());
}

Result<QList<QueuedMessage>> Spool::loadQueued() const
{
    using R = Result<QList<QueuedMessage>>;
    if (const Status allowed = requireEngine("recover the queue"); !allowed)
        return R::failure(allowed.error);
    return readMessages(u"SELECT "_s + kMessageColumns +
                            u" FROM messages AS m JOIN recipients AS r ON r.message_id = m.id"
                            " WHERE m.id > :after AND EXISTS (SELECT 1 FROM recipients AS q"
                            "   WHERE q.message_id = m.id AND q.status = 0)"
                            " ORDER BY m.id, r.id"_s,
                        0, -1);
}

Result<QList<QueuedMessage>> Spool::list(qint64 afterMessageId, int limit) const
{
    using R = Result<QList<QueuedMessage>>;
    if (!isOpen())
        return R::failure(u"the spool is not open"_s);
    return readMessages(u"SELECT "_s + kMessageColumns +
                            u" FROM (SELECT * FROM messages WHERE id > :after ORDER BY id LIMIT :limit) AS m"
                            " JOIN recipients AS r ON r.message_id = m.id"
                            " ORDER BY m.id, r.id"_s,
                        afterMessageId, limit);
}

Result<QList<QueuedMessage>> Spool::readMessages(const QString &sqlText, qint64 afterMessageId,
                                                 int limit) const
{
    using R = Result<QList<QueuedMessage>>;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sqlText))
        return R::failure(describe(query.lastError()));
    query.bindValue(u":after"_s, afterMessageId);
    if (sqlText.contains(u":limit"_s))
        query.bindValue(u":limit"_s, limit);
    if (!query.exec())
        return R::failure(u"cannot read the spool: "_s + describe(query.lastError()));

    QList<QueuedMessage> out;
    while (query.next()) {
        const qint64 messageId = query.value(0).toLongLong();
        if (out.isEmpty() || out.constLast().id != messageId) {
            QueuedMessage m;
            m.id = messageId;
            m.queueId = query.value(1).toString();
            m.sender = query.value(2).toString();
            m.arrival = dateTime(query.value(3));
            m.clientAddress = query.value(4).toString();
            m.heloName = query.value(5).toString();
            m.generation = query.value(6).toLongLong();
            m.size = query.value(7).toLongLong();
            m.smtputf8 = query.value(8).toBool();
            m.eightBitMime = query.value(9).toBool();
            m.isDsn = query.value(10).toBool();
            if (!query.value(18).isNull())
                m.outboundClient = query.value(18).toBool();
            m.headersRewritten = query.value(21).toBool();
            out.append(std::move(m));
        }
        QueuedRecipient r;
        r.id = query.value(11).toLongLong();
        r.address = query.value(12).toString();
        r.originalAddress = query.value(13).toString();
        r.status = RecipientStatus(query.value(14).toInt());
        r.attempts = query.value(15).toInt();
        r.nextAttempt = dateTime(query.value(16));
        r.lastError = query.value(17).toString();
        if (!query.value(19).isNull())
            out.last().scheduleStarts.insert(r.id, dateTime(query.value(19)));
        out.last().delayWarned = query.value(20).toBool();
        out.last().recipients.append(std::move(r));
    }
    if (query.lastError().isValid())
        return R::failure(u"cannot read the spool: "_s + describe(query.lastError()));
    return R::success(std::move(out));
}

Result<Spool::Content> Spool::content(qint64 messageId) const
{
    using R = Result<Content>;
    if (!isOpen())
        return R::failure(u"the spool is not open"_s);
    QSqlQuery &query = m_sql->selectContent;
    query.bindValue(0, messageId);
    if (QString why = run(query); !why.isEmpty())
        return R::failure(u"cannot read message %1: %2"_s.arg(messageId).arg(why));
    const bool found = query.next();
    Content content;
    bool hasBody = false;
    if (found) {
        content.head = query.value(0).toByteArray();
        hasBody = !query.value(1).isNull();
    }
    // A statement left open would pin a read snapshot and stall checkpoints.
    query.finish();
    if (!found)
        return R::failure(u"message %1 is not in the spool"_s.arg(messageId));
    if (hasBody) {
        QString why;
        content.body = BodyFile::open(bodyPath(messageId), &why);
        if (!content.body)
            return R::failure(u"cannot read message %1: %2"_s.arg(messageId).arg(why));
    }
    return R::success(std::move(content));
}

Result<QByteArray> Spool::data(qint64 messageId) const
{
    Result<Content> c = content(messageId);
    if (!c)
        return Result<QByteArray>::failure(c.error);
    return Result<QByteArray>::success(wholeMessage(c->head, c->body));
}

QString Spool::removeMessage(qint64 messageId)
{
    // Children first: the foreign keys point at messages.
    for (QSqlQuery *query : {&m_sql->deleteContent, &m_sql->deleteRecipients, &m_sql->deleteMessage}) {
        query->bindValue(0, messageId);
        if (QString why = run(*query); !why.isEmpty())
            return u"cannot delete message %1: %2"_s.arg(messageId).arg(why);
    }
    m_unlinkOnCommit << bodyPath(messageId); // a small message has none: nothing happens
    return {};
}

Status Spool::update(const QList<RecipientUpdate> &updates)
{
    if (const Status allowed = requireEngine("update recipients"); !allowed)
        return allowed;
    if (updates.isEmpty())
        return okStatus();
    Statements &sql = *m_sql;
    // Delivery results are written back without a sync of their own: losing
    // one to a power cut only means a message is delivered again
    // (docs/behaviour.md "Stopping and durability" allows that), never lost;
    // the next store()'s sync (synchronous=FULL) makes them durable with it.
    // This halves the syncs on the hot path.
    run(sql.syncNormal);
    const auto restoreFull = qScopeGuard([&sql] { run(sql.syncFull); });
    const QString why = inTransaction([&]() -> QString {
        QList<qint64> touched; // in update order
        QSet<qint64> seen;
        for (const RecipientUpdate &u : updates) {
            QSqlQuery &query = sql.updateRecipient;
            query.bindValue(0, int(u.status));
            query.bindValue(1, u.attempts);
            query.bindValue(2, msecs(u.nextAttempt));
            query.bindValue(3, text(u.lastError));
            query.bindValue(4, u.recipientId);
            query.bindValue(5, u.messageId);
            if (QString reason = run(query); !reason.isEmpty())
                return u"cannot update recipient %1 of message %2: %3"_s.arg(u.recipientId)
                    .arg(u.messageId)
                    .arg(reason);
            if (!seen.contains(u.messageId)) {
                seen.insert(u.messageId);
                touched.append(u.messageId);
            }
        }
        for (const qint64 messageId : std::as_const(touched)) {
            QSqlQuery &count = sql.countQueued;
            count.bindValue(0, messageId);
            if (QString reason = run(count); !reason.isEmpty())
                return reason;
            const bool done = count.next() && count.value(0).toLongLong() == 0;
            count.finish();
            if (done) {
                if (QString reason = removeMessage(messageId); !reason.isEmpty())
                    return reason;
            }
        }
        return {};
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Status Spool::markDelayWarned(qint64 messageId)
{
    if (const Status allowed = requireEngine("mark delay notices"); !allowed)
        return allowed;
    const QString why = inTransaction([&]() -> QString {
        QSqlQuery query(m_db);
        query.prepare(u"UPDATE messages SET delay_warned = 1 WHERE id = ?"_s);
        query.bindValue(0, messageId);
        return run(query);
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Status Spool::restartSchedule(const QList<QPair<qint64, qint64>> &recipients, const QDateTime &start)
{
    if (const Status allowed = requireEngine("restart retry schedules"); !allowed)
        return allowed;
    if (recipients.isEmpty())
        return okStatus();
    const QString why = inTransaction([&]() -> QString {
        QSqlQuery query(m_db);
        query.prepare(u"UPDATE recipients SET schedule_start = ?, next_attempt = NULL"
                      " WHERE message_id = ? AND id = ? AND status = 0"_s);
        for (const auto &[messageId, recipientId] : recipients) {
            query.bindValue(0, msecs(start));
            query.bindValue(1, messageId);
            query.bindValue(2, recipientId);
            if (QString reason = run(query); !reason.isEmpty())
                return reason;
        }
        return {};
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Result<qint64> Spool::findMessage(const QString &queueId) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT id FROM messages WHERE queue_id = ?"_s);
    query.bindValue(0, normalizedQueueId(queueId));
    if (!query.exec())
        return Result<qint64>::failure(describe(query.lastError()));
    if (!query.next())
        return Result<qint64>::failure(u"no message with queue id %1 in the spool"_s.arg(queueId.trimmed()));
    return Result<qint64>::success(query.value(0).toLongLong());
}

Status Spool::deleteMessage(const QString &queueId)
{
    if (const Status allowed = requireEngine("delete messages directly; use requestDelete()"); !allowed)
        return allowed;
    return applyDelete(queueId);
}

Status Spool::applyDelete(const QString &queueId)
{
    const QString why = inTransaction([&]() -> QString {
        const Result<qint64> id = findMessage(queueId);
        if (!id)
            return id.error;
        return removeMessage(*id);
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Status Spool::flush(const QString &queueIdOrAll)
{
    if (const Status allowed = requireEngine("flush directly; use requestFlush()"); !allowed)
        return allowed;
    return applyFlush(queueIdOrAll);
}

Status Spool::applyFlush(const QString &queueIdOrAll)
{
    const QString why = inTransaction([&]() -> QString {
        QSqlQuery query(m_db);
        if (queueIdOrAll.trimmed().isEmpty()) {
            query.prepare(u"UPDATE recipients SET next_attempt = NULL WHERE status = 0"_s);
        } else {
            const Result<qint64> id = findMessage(queueIdOrAll);
            if (!id)
                return id.error;
            query.prepare(u"UPDATE recipients SET next_attempt = NULL WHERE status = 0 AND message_id = ?"_s);
            query.bindValue(0, *id);
        }
        return run(query);
    });
    return why.isEmpty() ? okStatus() : Status::failure(why);
}

Result<QList<ControlRequest>> Spool::takeControlRequests()
{
    using R = Result<QList<ControlRequest>>;
    if (const Status allowed = requireEngine("take control requests"); !allowed)
        return R::failure(allowed.error);
    // Polled every second: a plain read while the table is empty, no write
    // transaction and no sync.
    QSqlQuery &select = m_sql->selectControl;
    if (QString why = run(select); !why.isEmpty())
        return R::failure(u"cannot read control requests: "_s + why);
    QList<ControlRequest> out;
    while (select.next()) {
        ControlRequest request;
        request.id = select.value(0).toLongLong();
        request.command =
            select.value(1).toString() == u"delete"_s ? ControlCommand::Delete : ControlCommand::Flush;
        request.queueId = select.value(2).toString();
        request.requested = dateTime(select.value(3));
        out.append(std::move(request));
    }
    select.finish();
    if (out.isEmpty())
        return R::success({});
    // Rows an Admin adds meanwhile have higher ids and stay for the next call.
    QSqlQuery &remove = m_sql->deleteControl;
    remove.bindValue(0, out.constLast().id);
    if (QString why = run(remove); !why.isEmpty())
        return R::failure(u"cannot remove control requests: "_s + why);
    return R::success(std::move(out));
}

Status Spool::checkpoint()
{
    if (!isOpen())
        return Status::failure(u"the spool is not open"_s);
    QSqlQuery query(m_db);
    if (!query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s) || !query.next())
        return Status::failure(u"checkpoint failed: "_s + describe(query.lastError()));
    // (busy, frames in the log, frames checkpointed): busy means a reader in
    // another process still needs old frames; the next checkpoint catches up.
    if (query.value(0).toInt() != 0)
        return Status::failure(u"checkpoint incomplete: another process is reading the spool"_s);
    return okStatus();
}

// ---- administration ---------------------------------------------------------

Result<qint64> Spool::messageCount() const
{
    if (!isOpen())
        return Result<qint64>::failure(u"the spool is not open"_s);
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT count(*) FROM messages"_s) || !query.next())
        return Result<qint64>::failure(describe(query.lastError()));
    return Result<qint64>::success(query.value(0).toLongLong());
}

bool Spool::isEngineRunning() const
{
    if (m_role == Role::Engine)
        return isOpen();
    QLockFile probe(QDir(m_directory).filePath(u"spool.lock"_s));
    probe.setStaleLockTime(0);
    if (probe.tryLock(0)) {
        probe.unlock();
        return false;
    }
    return probe.error() == QLockFile::LockFailedError;
}

Result<Spool::ControlOutcome> Spool::requestFlush(const QString &queueIdOrAll)
{
    return request(ControlCommand::Flush, queueIdOrAll);
}

Result<Spool::ControlOutcome> Spool::requestDelete(const QString &queueId)
{
    if (queueId.trimmed().isEmpty())
        return Result<ControlOutcome>::failure(u"no queue id given"_s);
    return request(ControlCommand::Delete, queueId);
}

Result<Spool::ControlOutcome> Spool::request(ControlCommand command, const QString &queueId)
{
    using R = Result<ControlOutcome>;
    if (!isOpen())
        return R::failure(u"the spool is not open"_s);
    auto apply = [&]() {
        return command == ControlCommand::Delete ? applyDelete(queueId) : applyFlush(queueId);
    };
    if (m_role == Role::Engine) {
        const Status applied = apply();
        return applied ? R::success(ControlOutcome::Applied) : R::failure(applied.error);
    }

    // No relay running: apply it here, holding the engine's lock so none
    // starts (and loads the queue) half-way.
    QLockFile lock(QDir(m_directory).filePath(u"spool.lock"_s));
    lock.setStaleLockTime(0);
    if (lock.tryLock(0)) {
        const Status applied = apply();
        lock.unlock();
        return applied ? R::success(ControlOutcome::Applied) : R::failure(applied.error);
    }
    if (lock.error() != QLockFile::LockFailedError)
        return R::failure(u"cannot lock the spool %1"_s.arg(m_directory));

    const QString id = normalizedQueueId(queueId);
    const QString why = inTransaction([&]() -> QString {
        if (!id.isEmpty()) {
            if (const Result<qint64> found = findMessage(id); !found)
                return found.error;
        }
        QSqlQuery insert(m_db);
        insert.prepare(u"INSERT INTO control (command, queue_id, requested) VALUES (?, ?, ?)"_s);
        insert.bindValue(0, commandName(command));
        insert.bindValue(1, id.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(id));
        insert.bindValue(2, msecs(m_clock->now()));
        return run(insert);
    });
    return why.isEmpty() ? R::success(ControlOutcome::Requested) : R::failure(why);
}

} // namespace mailroute
