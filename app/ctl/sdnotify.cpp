#include "app/ctl/sdnotify.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace mailroute {

SdNotifier::SdNotifier() : m_socket(qgetenv("NOTIFY_SOCKET"))
{
    bool ok = false;
    const qint64 usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    const QByteArray pid = qgetenv("WATCHDOG_PID");
    const bool forUs = pid.isEmpty() || pid.toLongLong() == static_cast<qint64>(::getpid());
    if (ok && usec > 0 && forUs)
        m_watchdogMs = static_cast<int>(std::max<qint64>(1, std::min<qint64>(usec / 2000, 3'600'000)));
}

bool SdNotifier::notify(const QByteArray &state, QString *error) const
{
    if (m_socket.isEmpty())
        return true;
    auto failWith = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("NOTIFY_SOCKET %1: %2").arg(QString::fromLocal8Bit(m_socket), why);
        return false;
    };
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (m_socket.size() >= static_cast<qsizetype>(sizeof address.sun_path))
        return failWith(QStringLiteral("name too long"));
    if (m_socket.at(0) != '/' && m_socket.at(0) != '@')
        return failWith(QStringLiteral("neither a path nor an abstract name (@...)"));
    std::memcpy(address.sun_path, m_socket.constData(), static_cast<size_t>(m_socket.size()));
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + m_socket.size());
    if (address.sun_path[0] == '@')
        address.sun_path[0] = '\0'; // abstract namespace: no terminating NUL counted
    else
        length += 1;

    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failWith(QString::fromLocal8Bit(std::strerror(errno)));
    ssize_t sent = -1;
    do {
        sent = ::sendto(fd, state.constData(), static_cast<size_t>(state.size()), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr *>(&address), length);
    } while (sent < 0 && errno == EINTR);
    const int saved = errno;
    ::close(fd);
    if (sent != static_cast<ssize_t>(state.size()))
        return failWith(QString::fromLocal8Bit(std::strerror(sent < 0 ? saved : EMSGSIZE)));
    return true;
}

} // namespace mailroute
