#include "relaycore/message/bodyfile.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailroute {

namespace {

QString systemError(const QString &what, const QString &path)
{
    return QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace

BodyFile::BodyFile(QString path, int fd, bool owned, qint64 size)
    : m_path(std::move(path)), m_fd(fd), m_owned(owned), m_size(size)
{}

std::shared_ptr<BodyFile> BodyFile::create(const QString &directory, QString *error)
{
    const QByteArray dir = QFile::encodeName(directory);
    if (::mkdir(dir.constData(), 0700) != 0 && errno != EEXIST) {
        if (error)
            *error = systemError(QStringLiteral("cannot create"), directory);
        return nullptr;
    }
    QByteArray name = dir + "/spill-XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC); // mode 0600
    if (fd < 0) {
        if (error)
            *error = systemError(QStringLiteral("cannot create a file in"), directory);
        return nullptr;
    }
    std::shared_ptr<BodyFile> f(new BodyFile(QFile::decodeName(name), fd, true, 0));
    f->m_buffer.reserve(kBufferSize);
    return f;
}

std::shared_ptr<BodyFile> BodyFile::open(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st
    {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (error)
            *error = systemError(QStringLiteral("cannot open"), path);
        if (fd >= 0)
            ::close(fd);
        return nullptr;
    }
    return std::shared_ptr<BodyFile>(new BodyFile(path, fd, false, qint64(st.st_size)));
}

BodyFile::~BodyFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_owned)
        ::unlink(QFile::encodeName(m_path).constData());
}

bool BodyFile::append(const char *s, qsizetype n)
{
    if (!m_error.isEmpty())
        return false;
    m_size += n;
    if (m_buffer.size() + n <= kBufferSize) {
        m_buffer.append(s, n);
        return true;
    }
    if (!finish())
        return false;
    if (n >= kBufferSize)
        return writeAll(s, n);
    m_buffer.append(s, n);
    return true;
}

bool BodyFile::finish()
{
    if (!m_error.isEmpty() || !writeAll(m_buffer.constData(), m_buffer.size()))
        return false;
    m_buffer.clear(); // keeps the capacity for the next run of appends
    return true;
}

bool BodyFile::writeAll(const char *p, qsizetype left)
{
    while (left > 0) {
        const ssize_t w = ::write(m_fd, p, size_t(left));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            m_error = systemError(QStringLiteral("cannot write"), m_path);
            return false;
        }
        p += w;
        left -= w;
    }
    return true;
}

bool BodyFile::sync() const
{
    return ::fsync(m_fd) == 0;
}

QString BodyFile::error() const
{
    return m_error;
}

QString BodyFile::path() const
{
    return m_path;
}

qint64 BodyFile::size() const
{
    return m_size;
}

qint64 BodyFile::read(qint64 offset, char *into, qint64 n) const
{
    qint64 done = 0;
    while (done < n) {
        const ssize_t r = ::pread(m_fd, into + done, size_t(n - done), off_t(offset + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        done += r;
    }
    return done;
}

bool BodyFile::forEachChunk(const std::function<bool(const char *, qsizetype)> &chunk) const
{
    QByteArray buffer(qsizetype(qMin<qint64>(kBufferSize, qMax<qint64>(m_size, 1))), Qt::Uninitialized);
    for (qint64 offset = 0; offset < m_size;) {
        const qint64 r = read(offset, buffer.data(), qMin<qint64>(buffer.size(), m_size - offset));
        if (r <= 0)
            return false;
        if (!chunk(buffer.constData(), qsizetype(r)))
            return false;
        offset += r;
    }
    return true;
}

QByteArray BodyFile::readAll() const
{
    QByteArray out(qsizetype(m_size), Qt::Uninitialized);
    if (read(0, out.data(), m_size) != m_size)
        return {};
    return out;
}

QByteArray wholeMessage(const QByteArray &head, const BodyFilePtr &body)
{
    if (!body)
        return head;
    QByteArray out;
    out.reserve(qsizetype(head.size() + body->size()));
    out.append(head);
    body->forEachChunk([&out](const char *s, qsizetype n) {
        out.append(s, n);
        return true;
    });
    return out;
}

} // namespace mailroute
