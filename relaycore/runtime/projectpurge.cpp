// ProjectPurge; see projectpurge.h. Caller's thread.
#include "relaycore/runtime/projectpurge.h"

#include "relaycore/engine/verifycache.h"
#include "relaycore/queue/spool.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/operationsstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

namespace mailroute {

namespace {

const QStringList &spoolFileNames()
{
    static const QStringList names{
        Spool::databaseFileName(), Spool::databaseFileName() + QStringLiteral("-wal"),
        Spool::databaseFileName() + QStringLiteral("-shm"), QStringLiteral("spool.lock"),
        // recipient verification's verdicts (addresses of the project's users)
        VerifyCache::fileName(), VerifyCache::fileName() + QStringLiteral("-wal"),
        VerifyCache::fileName() + QStringLiteral("-shm"),
        VerifyCache::fileName() + QStringLiteral("-journal"),
        // what a crashed `mailroutectl serve` left for `status` (last delivery's address)
        QStringLiteral("relay-status.json")};
    return names;
}

// The self-signed pairs the console generates (ui/selfsignedcertificate.cpp):
// <host>.crt and <host>.key, and their .new files from an interrupted run.
QStringList generatedTlsFiles(const QDir &tls)
{
    QStringList out;
    const QStringList names = tls.entryList({QStringLiteral("*.crt"), QStringLiteral("*.key"),
                                             QStringLiteral("*.crt.new"), QStringLiteral("*.key.new")},
                                            QDir::Files | QDir::Hidden);
    for (const QString &name : names)
        out << tls.absoluteFilePath(name);
    return out;
}

} // namespace

QStringList PurgePlan::describe() const
{
    QStringList lines;
    lines << QStringLiteral(
                 "%1 message log and %2 action log entries, %3 domain hold(s), %4 DKIM key record(s) in %5")
                 .arg(messageLogEntries)
                 .arg(actionLogEntries)
                 .arg(holds)
                 .arg(dkimKeys)
                 .arg(databasePath);
    lines << QStringLiteral("the spool %1 with %2 queued message(s)").arg(spoolDirectory).arg(queuedMessages);
    for (const QString &f : keyFiles)
        lines << QStringLiteral("key/certificate file %1").arg(f);
    for (const QString &s : secrets)
        lines << QStringLiteral("keychain entry %1 of this database").arg(s);
    lines << QStringLiteral("kept: domain and user mappings, settings and pushed generations");
    return lines;
}

Result<PurgePlan> ProjectPurge::plan(const QString &databasePath, const QString &spoolDirectory)
{
    using R = Result<PurgePlan>;
    PurgePlan p;
    p.databasePath = QFileInfo(databasePath).absoluteFilePath();
    p.spoolDirectory = QDir::cleanPath(QDir::current().absoluteFilePath(spoolDirectory));
    OperationsStore store(p.databasePath);
    if (const Status st = store.open(); !st)
        return R::failure(st.error);
    const auto counts = store.counts();
    if (!counts)
        return R::failure(counts.error);
    p.messageLogEntries = counts->messageLog;
    p.actionLogEntries = counts->actionLog;
    p.holds = counts->holds;
    p.dkimKeys = counts->dkimKeys;

    const QDir base = QFileInfo(p.databasePath).absoluteDir();
    const QString dkimDir = QDir::cleanPath(base.absoluteFilePath(QStringLiteral("dkim")));
    const auto dkimFiles = store.dkimKeyFiles();
    if (!dkimFiles)
        return R::failure(dkimFiles.error);
    for (const QString &f : *dkimFiles) {
        // Only what MailRoute generated in its own folder.
        if (QFileInfo(f).absolutePath() == dkimDir && QFileInfo::exists(f))
            p.keyFiles << f;
    }
    p.keyFiles << generatedTlsFiles(QDir(base.absoluteFilePath(QStringLiteral("tls"))));

    const QDir spool(p.spoolDirectory);
    for (const QString &name : spoolFileNames()) {
        if (QFileInfo::exists(spool.absoluteFilePath(name)))
            p.spoolFiles << spool.absoluteFilePath(name);
    }
    if (QFileInfo::exists(spool.absoluteFilePath(Spool::databaseFileName()))) {
        Spool admin(p.spoolDirectory, Spool::Role::Admin);
        p.relayRunning = admin.isEngineRunning();
        if (admin.open()) {
            if (const auto n = admin.messageCount())
                p.queuedMessages = *n;
        }
    }
    p.secrets = {secretnames::smarthostPassword(), secretnames::tlsKeyPassphrase()};
    return R::success(std::move(p));
}

Status ProjectPurge::run(const PurgePlan &plan, SecretStore *secrets)
{
    // The spool lock: no relay may start (and re-create the spool) while the
    // purge runs, and none may be running.
    QLockFile lock(QDir(plan.spoolDirectory).filePath(QStringLiteral("spool.lock")));
    lock.setStaleLockTime(0);
    const bool haveSpool = QFileInfo(plan.spoolDirectory).isDir();
    if (haveSpool && !lock.tryLock(0)) {
        if (lock.error() == QLockFile::LockFailedError)
            return Status::failure(
                QStringLiteral("a relay is running on this database (it holds the spool %1): stop "
                               "it first; nothing was deleted")
                    .arg(plan.spoolDirectory));
        return Status::failure(
            QStringLiteral("cannot lock the spool %1; nothing was deleted").arg(plan.spoolDirectory));
    }

    QStringList errors;
    for (const QString &f : plan.keyFiles) {
        if (QFileInfo::exists(f) && !QFile::remove(f))
            errors << QStringLiteral("cannot delete %1").arg(f);
    }
    OperationsStore store(plan.databasePath);
    if (const Status st = store.open(); !st) {
        errors << st.error;
    } else if (const auto purged = store.purgeData(plan.keyFiles); !purged) {
        errors << QStringLiteral("cannot delete the logs: %1").arg(purged.error);
    }
    const QDir base = QFileInfo(plan.databasePath).absoluteDir();
    for (const char *folder : {"dkim", "tls"})
        base.rmdir(QString::fromLatin1(folder)); // only when nothing else is left in it

    if (haveSpool) {
        for (const QString &name : spoolFileNames()) {
            const QString f = QDir(plan.spoolDirectory).absoluteFilePath(name);
            if (name == QLatin1String("spool.lock"))
                continue;
            if (QFileInfo::exists(f) && !QFile::remove(f))
                errors << QStringLiteral("cannot delete %1").arg(f);
        }
        // The bodies of large queued messages and unfinished spill files.
        for (const QString &folder :
             {Spool::dataDirectory(plan.spoolDirectory), Spool::incomingDirectory(plan.spoolDirectory)}) {
            const QDir dir(folder);
            for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
                if (!QFile::remove(dir.absoluteFilePath(name)))
                    errors << QStringLiteral("cannot delete %1").arg(dir.absoluteFilePath(name));
            }
            QDir().rmdir(folder);
        }
        lock.unlock(); // removes spool.lock
        QDir().rmdir(plan.spoolDirectory);
    }

    if (!secrets) {
        errors << QStringLiteral("the keychain entries were not removed: no keychain");
    } else {
        for (const QString &name : plan.secrets) {
            if (const Status st = secrets->remove(name); !st)
                errors << QStringLiteral("keychain entry %1: %2").arg(name, st.error);
        }
    }
    if (!errors.isEmpty())
        return Status::failure(errors.join(QStringLiteral("; ")));
    return okStatus();
}

} // namespace mailroute
