// The operational side of the configuration database, which is not part of a
// pushed generation and acts at once: domain holds (domain_holds), log
// retention (pruning message_log and action_log) and the end-of-project purge
// of the logs. Opens its own named connection on the database file (migrated
// to the latest schema first) and must be used on the thread that opened it:
// mailroutectl's main thread, the console's GUI thread, or the relay's log
// thread (RelayHousekeeper).
#pragma once

#include "relaycore/queue/domainhold.h"
#include "relaycore/routing/result.h"
#include "relaycore/store/databasefileguard.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace mailroute {

class OperationsStore final
{
public:
    explicit OperationsStore(QString databasePath);
    ~OperationsStore();
    Q_DISABLE_COPY_MOVE(OperationsStore)

    Status open();
    QString path() const { return m_path; }

    // "@Drypizza.com" -> "drypizza.com" (lower case, ACE), or why not.
    static Result<QString> normalizeHoldDomain(const QString &text);

    // ---- domain holds
    // Every hold row, by domain (expired ones too: the engine judges `until`
    // by its own clock).
    Result<QList<DomainHold>> holds() const;
    // Holds `domain` from `now` (an existing hold keeps its start and gets the
    // new `until`); until invalid: until released. Writes the action-log line.
    Status addHold(const QString &domain, const QDateTime &until, const QDateTime &now);
    // Fails when the domain is not on hold. Writes the action-log line.
    Status releaseHold(const QString &domain, const QDateTime &now);
    Status markHoldWarned(const QString &domain);

    // ---- log retention
    struct Pruned
    {
        qint64 messageLog = 0;
        qint64 actionLog = 0;
        qint64 holds = 0; // holds whose `until` passed
    };
    // Deletes message-log and action-log entries older than `days` before
    // `now` (days 0: nothing) and holds that ended before `now`, in one
    // transaction; logs what it deleted in the action log.
    Result<Pruned> prune(int days, const QDateTime &now);

    // ---- purge (end of a project)
    struct LogCounts
    {
        qint64 messageLog = 0;
        qint64 actionLog = 0;
        qint64 holds = 0;
        qint64 dkimKeys = 0;
    };
    Result<LogCounts> counts() const;
    // The key files the dkim_keys rows name (absolute paths).
    Result<QStringList> dkimKeyFiles() const;
    // Deletes every message-log and action-log row, every hold and every DKIM
    // key row; resets the tls.certificate / tls.key settings that name one of
    // `removedFiles`. One transaction.
    Result<LogCounts> purgeData(const QStringList &removedFiles);

private:
    QString inTransaction(const std::function<QString()> &body);
    QString logAction(const QString &message, const QDateTime &now);

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    bool m_open = false;
    DatabaseFileGuard m_guard;
};

} // namespace mailroute
