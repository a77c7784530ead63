// DatabaseFileGuard; see databasefileguard.h.
#include "relaycore/store/databasefileguard.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

const std::array<QString, 4> kSuffixes{QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s};

// The absolute path SQLite opened: symbolic links of the folder resolved, the
// file name kept (it may not exist yet, and /proc shows the name as opened).
QString canonicalDatabasePath(const QString &path)
{
    const QFileInfo info(path);
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    return (folder.isEmpty() ? info.absolutePath() : folder) + u'/' + info.fileName();
}

} // namespace

DatabaseFileGuard::DatabaseFileGuard(const QString &databasePath)
    : m_path(databasePath), m_canonicalPath(canonicalDatabasePath(databasePath))
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(m_canonicalPath).constData(), &st) == 0) {
        m_device = st.st_dev;
        m_inode = st.st_ino;
        m_armed = true;
    }
    if (::stat(QFile::encodeName(m_canonicalPath + u"-wal"_s).constData(), &st) == 0) {
        m_walDevice = st.st_dev;
        m_walInode = st.st_ino;
    }
    // Another connection of this process already writes into a deleted file:
    // no fast path, so check() reports it.
    if (!deletedOpenFiles(databasePath).isEmpty())
        m_walInode = 0;
}

QStringList DatabaseFileGuard::deletedOpenFiles(const QString &databasePath)
{
    const QString base = canonicalDatabasePath(databasePath);
    QStringList deleted;
    DIR *fds = ::opendir("/proc/self/fd");
    if (!fds)
        return deleted;
    while (const dirent *entry = ::readdir(fds)) {
        if (entry->d_name[0] == '.')
            continue;
        std::array<char, 4096> target{};
        const ssize_t n = ::readlinkat(::dirfd(fds), entry->d_name, target.data(), target.size() - 1);
        if (n <= 0)
            continue;
        const QString name = QFile::decodeName(QByteArray(target.data(), int(n)));
        if (!name.endsWith(u" (deleted)"_s))
            continue;
        const QString file = name.chopped(10);
        for (const QString &suffix : kSuffixes) {
            if (file == base + suffix && !deleted.contains(file))
                deleted.append(file);
        }
    }
    ::closedir(fds);
    return deleted;
}

Status DatabaseFileGuard::check() const
{
    if (!m_armed)
        return okStatus();
    QString what;
    struct stat st
    {};
    if (::stat(QFile::encodeName(m_canonicalPath).constData(), &st) != 0) {
        what = u"the database file was deleted"_s;
    } else if (st.st_dev != m_device || st.st_ino != m_inode) {
        what = u"the database file was replaced by another file"_s;
    } else if (m_walInode != 0 &&
               ::stat(QFile::encodeName(m_canonicalPath + u"-wal"_s).constData(), &st) == 0 &&
               st.st_dev == m_walDevice && st.st_ino == m_walInode) {
        // The WAL this connection opened is still the one on disk: the
        // common case, two stat() calls and no look through /proc.
        return okStatus();
    } else if (const QStringList gone = deletedOpenFiles(m_path); !gone.isEmpty()) {
        what = u"%1 was deleted while this process still had it open"_s.arg(gone.join(u", "_s));
    } else {
        return okStatus();
    }
    return Status::failure(
        u"MailRoute stopped writing to %1: %2, so anything written now would be lost to every other "
        "program (another program opened and closed the database's files, which drops SQLite's locks). "
        "Nothing was written; quit and restart MailRoute (the console or mailroutectl serve) to continue "
        "with the database as it is on disk."_s.arg(m_path, what));
}

} // namespace mailroute
