// ConfigStore: the configuration database. Runs on the thread that opened it
// (one named Qt Sql connection per instance); see configstore.h.
//
// Concurrency model: SQLite in WAL mode, so readers never wait for the writer
// and the writer never waits for readers. Every write begins with BEGIN
// IMMEDIATE: it takes the single write lock up front (waiting up to the busy
// timeout) instead of upgrading a read transaction later, which in WAL mode
// can fail at once with SQLITE_BUSY_SNAPSHOT instead of waiting.
#include "relaycore/store/configstore_p.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsmigration.h"
#include "relaycore/message/confirmationrequest.h"
#include "relaycore/routing/dkimselector.h"
#include "relaycore/store/schemamigration.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailroute {

Q_LOGGING_CATEGORY(lcStore, "mailroute.store")

namespace storedetail {

QString notOpenError()
{
    return u"the configuration database is not open"_s;
}

QString noUsersError(Area area)
{
    return u"%1 has no user mappings; only Inbound and Outbound do"_s.arg(areaTitle(area));
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

QVariant areaValue(std::optional<Area> area)
{
    return area ? QVariant(areaKey(*area)) : nullText();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Status storeConfirmation(QSqlDatabase &db, const ConfirmationRequest &request)
{
    const QString key =
        u"confirmation:%1:%2"_s.arg(request.time.toMSecsSinceEpoch(), 16, 10, QLatin1Char('0'))
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO meta (key, value) VALUES (?, ?)"_s);
    q.addBindValue(key);
    q.addBindValue(request.toJson());
    if (!q.exec())
        return Status::failure(u"cannot store the confirmation: %1"_s.arg(q.lastError().text()));
    return okStatus();
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

Result<QString> domainArg(const QString &text, const QString &role)
{
    const Result<QString> d = normalizeDomain(QStringView(text).trimmed());
    if (!d)
        return Result<QString>::failure(u"invalid %1 domain \"%2\": %3"_s.arg(role, text, d.error));
    return d;
}

Result<QString> nextHopArg(const QString &text)
{
    const Result<HostPort> hp = parseHostPort(text);
    if (!hp)
        return Result<QString>::failure(u"invalid next hop \"%1\": %2"_s.arg(text.trimmed(), hp.error));
    return Result<QString>::success(hp->toString());
}

Result<QString> dkimSelectorArg(const QString &text)
{
    return normalizeDkimSelector(text);
}

QString dkimKeyText(const DkimKey &k)
{
    return u"%1 %2 (%3, %4)"_s.arg(k.domain, k.selector, dkimAlgorithmName(k.algorithm),
                                   dkimKeyStateName(k.state));
}

} // namespace storedetail

using namespace storedetail;

Status ConfigStore::Private::write(const std::function<Status(bool &changed)> &body, bool bumpCounter)
{
    if (!isOpen)
        return Status::failure(notOpenError());
    Transaction tx(db);
    if (Status st = tx.begin(Transaction::Kind::Write); !st)
        return st;
    // Holding the write lock: never commit into a WAL another process deleted.
    if (Status st = guard.check(); !st) {
        qCWarning(lcStore).noquote() << st.error;
        return st;
    }
    bool changed = true;
    if (Status st = body(changed); !st)
        return st;
    if (!changed)
        return okStatus();
    if (bumpCounter) {
        Query q(db, u"UPDATE meta SET value = value + 1 WHERE key = 'change_counter'"_s);
        if (Status st = q.exec(); !st)
            return st;
    }
    return tx.commit();
}

Status ConfigStore::Private::log(std::optional<Area> area, const QString &message)
{
    Query q(db, u"INSERT INTO action_log (time, area, message) VALUES (?, ?, ?)"_s,
            {nowMs(), areaValue(area), message});
    return q.exec();
}

std::optional<qint64> ConfigStore::Private::metaInt(const QString &key) const
{
    Query q(db, u"SELECT value FROM meta WHERE key = ?"_s, {key});
    if (!q.exec() || !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

Status ConfigStore::Private::setMeta(const QString &key, const QVariant &value)
{
    Query q(db, u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s, {key, value});
    return q.exec();
}

// ---------------------------------------------------------------------------

ConfigStore::ConfigStore(QString path) : d(std::make_unique<Private>())
{
    static QAtomicInteger<quint64> serial;
    d->path = std::move(path);
    d->connectionName = u"mailroute.configstore.%1"_s.arg(serial.fetchAndAddRelaxed(1));
}

ConfigStore::~ConfigStore()
{
    sql::close(d->db, d->connectionName);
}

QString ConfigStore::resolveDatabasePath(const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return explicitPath;
    const QString env = qEnvironmentVariable("MAILROUTE_DB");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/mailroute.db"_s;
}

int ConfigStore::latestSchemaVersion()
{
    return SchemaMigration::latestVersion();
}

Status ConfigStore::open()
{
    if (d->isOpen)
        return okStatus();
    if (d->path.isEmpty())
        return Status::failure(u"no database path given"_s);
    const QFileInfo info(d->path);
    if (!QDir().mkpath(info.absolutePath()))
        return Status::failure(u"cannot create the folder %1"_s.arg(info.absolutePath()));
    if (info.exists() && !info.isFile())
        return Status::failure(u"%1 is not a file"_s.arg(d->path));

    sql::OpenOptions options;
    options.path = d->path;
    options.connectionName = d->connectionName;
    options.busyTimeoutMs = kBusyTimeoutMs;
    // NORMAL is durable enough for configuration in WAL mode (a power cut
    // can lose the last commit, never corrupt); the spool uses FULL.
    options.synchronous = sql::OpenOptions::Synchronous::Normal;
    options.foreignKeys = true;
    // A million-row import leaves a WAL of its size; cut it back after
    // the checkpoint instead of keeping 100+ MB of stale log on disk.
    options.journalSizeLimit = 32 * 1024 * 1024;
    Result<QSqlDatabase> db = sql::open(options);
    if (!db)
        return Status::failure(db.error);
    d->db = *db;

    auto fail = [this](const QString &why) {
        d->db.close();
        return Status::failure(why);
    };
    const Result<int> version = SchemaMigration::migrate(d->db);
    if (!version)
        return fail(u"%1: %2"_s.arg(d->path, version.error));
    d->schemaVersion = *version;
    d->guard = DatabaseFileGuard(d->path);
    d->isOpen = true;
    if (const Status st = d->migrateRetiredSettings(); !st) {
        d->isOpen = false;
        return fail(u"%1: cannot migrate retired settings: %2"_s.arg(d->path, st.error));
    }
    return okStatus();
}

QString ConfigStore::path() const
{
    return d->path;
}

int ConfigStore::schemaVersion() const
{
    return d->schemaVersion;
}

// ---- confirmations (confirmationrequest.h) ----------------------------------
// Kept as rows of the meta table ("confirmation:<ms>:<random>" -> JSON), so
// no schema step is needed: a push or upload writes one in its own
// transaction, the process that runs the relay reads and removes them.

QList<ConfirmationRequest> ConfigStore::pendingConfirmations(int limit) const
{
    QList<ConfirmationRequest> out;
    if (!d->isOpen)
        return out;
    Query q(
        d->db,
        u"SELECT key, value FROM meta WHERE key > 'confirmation:' AND key < 'confirmation;' ORDER BY key LIMIT ?"_s,
        {limit});
    if (!q.exec())
        return out;
    while (q.next()) {
        if (auto r = ConfirmationRequest::fromJson(q.value(0).toString(), q.value(1).toString()))
            out << *r;
    }
    return out;
}

Status ConfigStore::removeConfirmation(const QString &key)
{
    if (!key.startsWith(u"confirmation:"_s))
        return Status::failure(u"not a confirmation: %1"_s.arg(key));
    return d->write(
        [&](bool &) -> Status {
            Query q(d->db, u"DELETE FROM meta WHERE key = ?"_s, {key});
            return q.exec();
        },
        false);
}

qint64 ConfigStore::changeCounter() const
{
    if (!d->isOpen)
        return 0;
    return d->metaInt(u"change_counter"_s).value_or(0);
}

QSqlDatabase ConfigStore::connection() const
{
    return d->db;
}

Status ConfigStore::writeTransaction(const std::function<Status(QSqlDatabase &)> &body)
{
    return d->write([&](bool &) -> Status { return body(d->db); });
}

Status ConfigStore::queueConfirmation(const ConfirmationRequest &request)
{
    return d->write([&](bool &) -> Status { return storeConfirmation(d->db, request); }, false);
}

} // namespace mailroute
