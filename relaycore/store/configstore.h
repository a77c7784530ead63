// The configuration database (SQLite through Qt Sql, WAL): draft mappings per
// area, settings, routes, pushed generations, the action log and the message
// log. One ConfigStore owns one named QSqlDatabase connection and must be used
// on the thread that opened it; other threads open their own ConfigStore on
// the same file (the console and mailroutectl may run at the same time).
//
// Every mutating call validates first, then writes in one transaction, then
// appends the docs/behaviour.md "Logs" action-log line; a failure changes
// nothing.
#pragma once

#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/message/confirmationrequest.h"
#include "relaycore/message/messageevent.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/configdiff.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/result.h"
#include "relaycore/routing/routingsnapshot.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <optional>

class QSqlDatabase;

namespace mailroute {

struct ActionLogEntry
{
    qint64 id = 0;
    QDateTime time;           // UTC
    std::optional<Area> area; // nullopt: not tied to an area (settings, routes)
    QString message;
};

struct GenerationInfo
{
    qint64 number = 0;
    QDateTime created; // UTC
    bool active = false;
    qint64 domainCount = 0;
    qint64 userCount = 0;
};

// What an import would do (preview) or did.
struct ImportPlan
{
    Area area = Area::Inbound;
    CsvParseResult parsed; // rows and every error
    qint64 added = 0;      // sources not in the current list
    qint64 changed = 0;    // same source (case-insensitive), other target
    qint64 removed = 0;    // current sources absent from the file
    qint64 unchanged = 0;
    bool ok() const { return parsed.ok(); }
};

struct PushResult
{
    qint64 generation = 0;
    bool unchanged = false; // the draft equals the active generation: nothing stored
    ConfigDiff diff;
    QList<LintFinding> lint;
    // The pushed configuration compiled (push validates by compiling it), with
    // `generation`: ready to hand to a running relay without compiling twice.
    std::shared_ptr<const RoutingSnapshot> snapshot;
};

class ConfigStore final
{
public:
    // `path` must be resolved already (see resolveDatabasePath).
    explicit ConfigStore(QString path);
    ~ConfigStore();
    Q_DISABLE_COPY_MOVE(ConfigStore)

    // --db FILE, else $MAILROUTE_DB, else <AppDataLocation>/mailroute.db.
    static QString resolveDatabasePath(const QString &explicitPath = {});
    static int latestSchemaVersion();

    // Creates the folder and file if needed, enables WAL and a busy timeout,
    // and migrates the schema step by step to the latest version.
    Status open();
    QString path() const;
    int schemaVersion() const;

    // ---- draft: domain mappings (source/target accept "@x" or "x")
    QList<DomainMapping> domainMappings(Area area) const; // sorted by source
    Status addDomainMapping(Area area, const QString &source, const QString &target);
    Status updateDomainMapping(Area area, const QString &oldSource, const QString &source,
                               const QString &target);
    Result<qint64> removeDomainMappings(Area area, const QStringList &sources); // all must exist

    // ---- draft: user mappings (Inbound and Outbound only; Relay -> error)
    qint64 userCount(Area area) const;
    // Sorted by source (case-insensitive); offset/limit for paging big lists;
    // `filter` keeps rows whose source or target contains it (case-insensitive).
    QList<UserMapping> userMappings(Area area, qint64 offset = 0, qint64 limit = -1,
                                    const QString &filter = {}) const;
    qint64 userCount(Area area, const QString &filter) const;
    // Keyset paging for big lists: up to `limit` rows after `afterSource`
    // (compared case-insensitively; empty: from the start), in the order of
    // userMappings(). Unlike an offset, its cost does not grow with the
    // position in a million-row list.
    QList<UserMapping> userMappingsAfter(Area area, const QString &afterSource, qint64 limit,
                                         const QString &filter = {}) const;
    Status addUserMapping(Area area, const QString &source, const QString &target);
    Status updateUserMapping(Area area, const QString &oldSource, const QString &source,
                             const QString &target);
    Result<qint64> removeUserMappings(Area area, const QStringList &sources); // all must exist

    // ---- CSV (docs/behaviour.md "CSV user lists"): preview, then apply; the
    // apply replaces the area's
    // whole user list in one transaction, or changes nothing.
    ImportPlan planImport(Area area, const QByteArray &csv, const CsvParseOptions &opts = {}) const;
    Status applyImport(const ImportPlan &plan);
    QByteArray exportUsers(Area area) const;

    // ---- next-hop routes (domain -> host[:port], optional TLS policy)
    QList<TransportRoute> routes() const;
    // tls nullopt: the route follows the delivery.tls_policy setting.
    Status setRoute(const QString &domain, const QString &nextHop,
                    std::optional<TlsPolicy> tls = std::nullopt);
    Status removeRoute(const QString &domain);

    // ---- DKIM keys of the draft (docs/behaviour.md "Mail authentication").
    // Rows only: the private key stays in its file (keyFile); creating and
    // deleting files is DkimKeyring's job (relaycore/dkimadmin).
    QList<DkimKey> dkimKeys(const QString &domain = {}) const; // by domain, then selector
    // Refused when the (domain, selector) exists, the selector is not a valid
    // DNS label sequence (RFC 6376 §3.1), or a second active key for the domain.
    Status addDkimKey(const DkimKey &key);
    // Active also retires the domain's other active key (retiredAt = now), in
    // the same transaction; Retired sets retiredAt = now.
    Status setDkimKeyState(const QString &domain, const QString &selector, DkimKeyState state);
    Status removeDkimKey(const QString &domain, const QString &selector);
    // Whether any stored generation names `keyFile` (a rollback could make it
    // sign again, so its file must stay).
    Result<bool> generationsUseDkimKeyFile(const QString &keyFile) const;

    // ---- settings (validated by SettingsSchema)
    Status setSetting(const QString &key, const QString &value);
    Status resetSetting(const QString &key);   // back to the default
    QString setting(const QString &key) const; // draft value, else the default
    QMap<QString, QString> explicitSettings() const;

    // ---- draft, generations, push, rollback
    ConfigData draft() const;
    std::optional<qint64> activeGeneration() const;
    Result<ConfigData> generationConfig(qint64 generation) const;
    QList<GenerationInfo> generations() const; // newest first
    ConfigDiff pendingDiff() const;            // active generation (or empty) -> draft
    Result<PushResult> push();
    // Makes `generation` (default: the one before the active one) active again;
    // the draft is replaced by its content.
    Result<qint64> rollback(std::optional<qint64> generation = std::nullopt);

    // ---- draft: migration waves (issue 15, relaycore/routing/wave.h). Part of
    // the draft like mappings: a wave acts only once pushed; its status lives
    // in WaveStore (relaycore/store/wavestore.h).
    QList<Wave> waves() const; // by name
    std::optional<Wave> wave(const QString &name) const;
    // Validated (validateWave, which normalises addresses); refused when the name exists.
    Status addWave(const Wave &wave);
    Status removeWave(const QString &name);
    Status setWaveApplyAnyway(const QString &name, bool applyAnyway);

    // A new generation made from the active one by `edit`, the same edit
    // applied to the draft, stored exactly as push() stores one (validation,
    // diff, lint, action-log lines, confirmation to relay.postmaster). `what`
    // is logged first ("Wave w1 applied (due 2026-12-12T21:00:00Z)").
    // `inTransaction` runs inside the same write transaction with the new
    // generation's number (WaveStore records the wave's status there). An
    // edit that changes nothing stores no generation (PushResult::unchanged).
    Result<PushResult>
    pushFromActive(const std::function<void(ConfigData &)> &edit, const QString &what,
                   const std::function<Status(QSqlDatabase &, qint64)> &inTransaction = {});

    // For stores of other tables in the same file (WaveStore), on this
    // store's thread: its connection, and a write transaction that bumps the
    // change counter (the body fails: nothing is written).
    QSqlDatabase connection() const;
    Status writeTransaction(const std::function<Status(QSqlDatabase &)> &body);
    // Queues a mail to relay.postmaster (sent by the process that runs the relay).
    Status queueConfirmation(const ConfirmationRequest &request);

    // ---- action log (docs/behaviour.md "Logs")
    Status logAction(std::optional<Area> area, const QString &message);
    // Entries with id > afterId, oldest first; area nullopt = every area.
    QList<ActionLogEntry> actionLog(std::optional<Area> area, qint64 afterId = 0, int limit = 1000) const;
    // The newest `limit` entries, oldest first (a log page's initial fill).
    QList<ActionLogEntry> recentActionLog(std::optional<Area> area, int limit = 1000) const;

    // ---- message log (docs/behaviour.md "Logs"), written by the relay in
    // batches
    // One transaction for the whole batch; returns the id of the last entry.
    // Does not bump changeCounter(): followers poll messageLog(afterId).
    Result<qint64> appendMessageEvents(const QList<MessageLogEntry> &events);
    // The same, and `alsoInTransaction` runs on the same connection before the
    // commit (the trace store's rows, relaycore/trace/traceingest.h); its
    // failure rolls the whole batch back.
    Result<qint64> appendMessageEvents(const QList<MessageLogEntry> &events,
                                       const std::function<Status(QSqlDatabase &)> &alsoInTransaction);
    // Frees what SQLite holds for this connection (its page cache) that it can
    // read again (PRAGMA shrink_memory): the log writer, once idle (issue 17).
    void releaseMemory();
    // Entries with id > afterId, oldest first; `queueId` non-empty: that message only.
    QList<MessageLogEntry> messageLog(qint64 afterId = 0, int limit = 1000,
                                      const QString &queueId = {}) const;
    // Deletes entries older than `before`; returns how many.
    Result<qint64> pruneMessageLog(const QDateTime &before);

    // Bumped by every committed change of the draft, settings or generations,
    // and by every action-log line, by any process: cheap to poll for
    // "something changed on disk" (mailroutectl logs --follow does).
    qint64 changeCounter() const;

    // ---- confirmations to relay.postmaster (issue 11): push() and
    // applyImport() store one when ConfirmationRequest::wanted(); the process
    // that runs the relay sends and removes them (GenerationFollower).
    QList<ConfirmationRequest> pendingConfirmations(int limit = 20) const; // oldest first
    Status removeConfirmation(const QString &key);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroute
