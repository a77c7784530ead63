// systemd's service notification protocol (sd_notify(3)) without libsystemd:
// one datagram of "KEY=VALUE" lines on the AF_UNIX SOCK_DGRAM socket that
// $NOTIFY_SOCKET names (a path, or an abstract name written with a leading
// '@'). `mailroutectl serve` sends READY=1 once its listener is bound and its
// spool is open (the unit is Type=notify), STATUS=... when that changes,
// STOPPING=1 on a clean stop and WATCHDOG=1 when $WATCHDOG_USEC asks for it.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroute {

class SdNotifier final
{
public:
    // Reads $NOTIFY_SOCKET (and $WATCHDOG_USEC/$WATCHDOG_PID) once.
    SdNotifier();

    // Whether a service manager listens (NOTIFY_SOCKET is set).
    bool enabled() const { return !m_socket.isEmpty(); }
    // Sends `state` ("READY=1\nSTATUS=..."); false with *error set when the
    // socket cannot be reached. Without NOTIFY_SOCKET: does nothing, true.
    bool notify(const QByteArray &state, QString *error = nullptr) const;
    // Half of $WATCHDOG_USEC in milliseconds when the watchdog is on for this
    // process, else 0.
    int watchdogIntervalMs() const { return m_watchdogMs; }

private:
    QByteArray m_socket;
    int m_watchdogMs = 0;
};

} // namespace mailroute
