// The spool's body files (docs/architecture.md "Storage"): a large message's
// body lives in <spool dir>/data/<message id>, linked there from the SMTP
// session's spill file in <spool dir>/incoming/ by store() and synced,
// directory entry included, before the batch's transaction commits. A crash
// before the commit leaves at worst a file no row names: open() removes it.
#include "relaycore/queue/spool.h"

#include "relaycore/sql/sqlite.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QSqlQuery>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

QString systemError(const QString &what, const QString &path)
{
    return u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errno)));
}

bool makeFolder(const QString &path, QString *error)
{
    if (::mkdir(QFile::encodeName(path).constData(), 0700) == 0 || errno == EEXIST)
        return true;
    *error = systemError(u"cannot create"_s, path);
    return false;
}

// A copy when the spill file is on another file system (a link cannot cross).
QString copyBody(const BodyFile &body, const QString &to)
{
    const int fd = ::open(QFile::encodeName(to).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return systemError(u"cannot create"_s, to);
    bool ok = body.forEachChunk([fd](const char *s, qsizetype n) {
        while (n > 0) {
            const ssize_t w = ::write(fd, s, size_t(n));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return false;
            s += w;
            n -= w;
        }
        return true;
    });
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        QString why = systemError(u"cannot write"_s, to);
        ::unlink(QFile::encodeName(to).constData());
        return why;
    }
    return {};
}

} // namespace

QString Spool::incomingDirectory(const QString &spoolDirectory)
{
    return QDir(spoolDirectory).filePath(u"incoming"_s);
}

QString Spool::dataDirectory(const QString &spoolDirectory)
{
    return QDir(spoolDirectory).filePath(u"data"_s);
}

QString Spool::bodyPath(qint64 messageId) const
{
    return dataDirectory(m_directory) + u'/' + QString::number(messageId);
}

// Called inside store()'s transaction: the file's data synced, then linked
// (the caller syncs the folder once for the batch).
QString Spool::linkBody(qint64 messageId, const BodyFile &body)
{
    if (!body.error().isEmpty())
        return body.error();
    const QString to = bodyPath(messageId);
    const QByteArray target = QFile::encodeName(to);
    // A file left by a transaction that never committed may carry this id.
    ::unlink(target.constData());
    if (!body.sync())
        return systemError(u"cannot sync"_s, body.path());
    if (::link(QFile::encodeName(body.path()).constData(), target.constData()) != 0) {
        if (errno != EXDEV)
            return systemError(u"cannot link the message body to"_s, to);
        if (QString why = copyBody(body, to); !why.isEmpty())
            return why;
    }
    m_linked << to;
    return {};
}

// After the commit the files of removed messages go; after a rollback the
// files linked for the messages that were not stored go instead.
void Spool::afterTransaction(bool committed)
{
    for (const QString &path : committed ? m_unlinkOnCommit : m_linked)
        ::unlink(QFile::encodeName(path).constData());
    m_linked.clear();
    m_unlinkOnCommit.clear();
}

// The engine's recovery of the folders: both exist (mode 0700), the spill
// files of sessions of an earlier run are gone (none of them was
// acknowledged), and so is every body file no message names.
Status Spool::prepareFolders()
{
    // Only the engine's own connection clears folders: a second connection
    // (SpoolWriter) opens while sessions may be spilling into incoming/.
    if (m_role != Role::Engine || m_sharesEngineLock)
        return okStatus();
    const QString incoming = incomingDirectory(m_directory);
    const QString data = dataDirectory(m_directory);
    QString why;
    if (!makeFolder(incoming, &why) || !makeFolder(data, &why))
        return Status::failure(why);
    const QDir::Filters files = QDir::Files | QDir::Hidden | QDir::System;
    for (const QString &name : QDir(incoming).entryList(files))
        ::unlink(QFile::encodeName(incoming + u'/' + name).constData());

    QSet<QString> named;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT message_id FROM contents WHERE body_size IS NOT NULL"_s))
        return Status::failure(u"cannot read the spool: "_s + sql::describe(query.lastError()));
    while (query.next())
        named.insert(query.value(0).toString());
    for (const QString &name : QDir(data).entryList(files)) {
        if (!named.contains(name))
            ::unlink(QFile::encodeName(data + u'/' + name).constData());
    }
    return okStatus();
}

} // namespace mailroute
