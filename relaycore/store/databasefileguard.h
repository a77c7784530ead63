// DatabaseFileGuard: notices that a SQLite database this process has open was
// deleted or replaced underneath it, before anything more is written.
//
// SQLite's locks are POSIX advisory locks, which belong to the process: when
// any code in the process opens and closes one of the database's files
// (cfg.sqlite, -wal, -shm, -journal), all of its locks on that file are gone
// (sqlite.org/howtocorrupt.html §2.2). Another process then believes it is the
// last connection, checkpoints and deletes the WAL this process still has
// open, and every later commit here lands in a deleted file that nobody else
// ever sees. The guard detects that state from the outside: the path now
// names another inode than the one opened, or a descriptor of this process
// points at one of the database's files marked " (deleted)" (/proc/self/fd).
// Linux only (/proc); elsewhere only the inode comparison runs. Any thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace mailroute {

class DatabaseFileGuard final
{
public:
    DatabaseFileGuard() = default;
    // Call right after the connection is open: remembers the database's inode.
    explicit DatabaseFileGuard(const QString &databasePath);

    bool isArmed() const { return m_armed; }
    QString path() const { return m_path; }

    // OK while the files this process writes are still the ones on disk;
    // otherwise a failure that says which file went away and what to do.
    Status check() const;

    // The database's files (the database, -wal, -shm, -journal) that a
    // descriptor of this process still holds although they were deleted;
    // empty when none (or without /proc).
    static QStringList deletedOpenFiles(const QString &databasePath);

private:
    QString m_path;
    QString m_canonicalPath;
    dev_t m_device = 0;
    ino_t m_inode = 0;
    // The WAL as it was right after opening (0: there was none).
    dev_t m_walDevice = 0;
    ino_t m_walInode = 0;
    bool m_armed = false;
};

} // namespace mailroute
