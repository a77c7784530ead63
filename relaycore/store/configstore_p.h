// What the parts of ConfigStore share (docs/architecture.md): the
// private state (one connection, its file guard, the last import's plan),
// the write transaction every change runs in, and the argument checks. The
// facade is configstore.h; its parts are configstore.cpp (opening, the write
// transaction, confirmations), configstore_mappings.cpp and
// configstore_draft.cpp (the draft tables), configstore_import.cpp (the CSV
// user-list import), configstore_generations.cpp (push, rollback, diff,
// validation) and configstore_logs.cpp (the action and message logs).
// Included by those files only.
#pragma once

#include "relaycore/routing/mailaddress.h"
#include "relaycore/sql/sqlite.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/databasefileguard.h"
#include "relaycore/store/sortedkeys.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QVariant>

#include <memory>
#include <optional>

namespace mailroute {

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace storedetail {

using sql::describe;
using sql::Query;
using sql::Transaction;

// Long enough to ride out another process's import or push of a big list,
// short enough that a stuck lock surfaces as an error, not a hang.
constexpr int kBusyTimeoutMs = 5000;
// A deletion log line names the domains up to this many, then only counts.
constexpr qsizetype kListedDeletions = 10;
// Optimistic push: retries when another writer changed the draft meanwhile.
constexpr int kPushAttempts = 3;
// Rows per INSERT statement in bulk imports (4 values each, far below
// SQLite's limit on bound variables).
constexpr int kInsertBatch = 128;

QString notOpenError();
QString noUsersError(Area area);
QVariant nullText();
QVariant areaValue(std::optional<Area> area);
qint64 nowMs();
QDateTime fromMs(qint64 ms);
// Inside the caller's write transaction (push, upload).
Status storeConfirmation(QSqlDatabase &db, const ConfirmationRequest &request);
Result<QString> domainArg(const QString &text, const QString &role);
// A next hop in its canonical form, or why not (relaycore/config/hostport.h:
// the same parser as settings and the relay's resolver).
Result<QString> nextHopArg(const QString &text);
Result<QString> dkimSelectorArg(const QString &text);
// "example.com mr20261206 (rsa-2048, active)": how logs name a key.
QString dkimKeyText(const DkimKey &k);

struct ImportCounts
{
    qint64 added = 0;
    qint64 changed = 0;
    qint64 removed = 0;
    qint64 unchanged = 0;
};

// What turns a stored user list into an imported one. Positions index the
// SortedKeys of the new rows, so edits run in key order.
struct ImportEdits
{
    ImportCounts counts;
    bool complete = false; // false: not collected (too many); replace the list
    QStringList removedKeys;
    std::vector<qsizetype> changed;
    std::vector<qsizetype> added;
};

// The sort and counts of the last planImport(), reused by applyImport() of
// that same plan.
struct PlanCache
{
    Area area;
    QList<UserMapping> rows;
    std::shared_ptr<const SortedKeys> keys;
    qint64 counter; // change counter the counts were taken at
    ImportCounts counts;
};

} // namespace storedetail

struct ConfigStore::Private
{
    QString path;
    QString connectionName;
    QSqlDatabase db;
    bool isOpen = false;
    int schemaVersion = 0;
    DatabaseFileGuard guard;
    std::optional<storedetail::PlanCache> lastPlan;

    // ---- configstore.cpp: the write transaction, the action-log line, meta

    // Runs `body` in one write transaction that also bumps the change counter.
    // A failure rolls everything back; `changed = false` means "nothing to do"
    // and rolls back quietly.
    Status write(const std::function<Status(bool &changed)> &body, bool bumpCounter = true);

    Status log(std::optional<Area> area, const QString &message);

    std::optional<qint64> metaInt(const QString &key) const;

    Status setMeta(const QString &key, const QVariant &value);

    // ---- configstore_mappings.cpp

    QList<DomainMapping> readDomains(Area area) const;

    std::optional<QString> domainTarget(Area area, const QString &source) const;

    std::optional<UserMapping> userByKey(Area area, const QString &key) const;

    QList<UserMapping> readUsers(Area area, qint64 offset, qint64 limit, const QString &filter,
                                 const QString &afterKey = {}) const;

    qint64 countUsers(Area area, const QString &filter) const;

    // ---- configstore_draft.cpp

    QMap<QString, QString> readSettings() const;

    // Settings a previous release stored under a retired key (SettingsMigration)
    // are rewritten once, in one transaction with an action-log line; opening
    // a database that has none costs one SELECT.
    Status migrateRetiredSettings();

    QList<TransportRoute> readRoutes() const;

    QList<DkimKey> readDkimKeys(const QString &domain) const;

    Status insertDkimKey(const DkimKey &k);

    ConfigData readDraft() const;

    // Replaces the whole draft with `c` (rollback).
    Status replaceDraft(const ConfigData &c);

    // ---- configstore_generations.cpp

    Result<ConfigData> readGeneration(qint64 number) const;

    qint64 maxGeneration() const;

    // ---- configstore_import.cpp

    // Merge of the sorted new rows with the stored list (same order): the
    // counts, and with `maxEdits` > 0 also the edits that turn the stored list
    // into the new one, unless there are more than `maxEdits` of them.
    Result<storedetail::ImportEdits> compareWithStored(Area area, const QList<UserMapping> &rows,
                                                       const SortedKeys &keys, qsizetype maxEdits = 0) const;

    // Applies the edits of compareWithStored() inside the caller's transaction.
    Status applyEdits(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                      const storedetail::ImportEdits &e);

    // Bulk insert in key order, inside the caller's transaction. Rows go in
    // batches of kInsertBatch per statement: the statement is prepared once
    // and reused, values bound positionally, and the per-exec overhead of
    // Qt Sql (which dominated one-row inserts) is paid once per batch.
    Status insertUsers(Area area, const QList<UserMapping> &rows, const SortedKeys &keys,
                       const std::vector<qsizetype> *only = nullptr);

    // ---- configstore_logs.cpp

    QList<ActionLogEntry> readActionLog(const QString &sql, const QVariantList &values) const;
};

} // namespace mailroute
