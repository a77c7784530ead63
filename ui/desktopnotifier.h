// Desktop notifications of the console (issue 12, "Conventions"): through
// the tray icon when there is one, else through the desktop's notification
// service, org.freedesktop.Notifications on the session bus (Qt D-Bus), so a
// desktop without a system tray (GNOME) still tells about deferred or bounced
// mail and a relay that stopped. DeliveryNotices turns the log's rows and the
// relay's state changes into such notices, at most one per burst window.
// Main (GUI) thread.
#pragma once

#include "ui/relayrunner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QTimer;

namespace mailroute {

struct MessageLogRow;

class DesktopNotifier final : public QObject
{
    Q_OBJECT
public:
    enum class Urgency { Low = 0, Normal = 1, Critical = 2 }; // the spec's urgency hint
    enum class Channel { Tray, DBus, None };

    static QString serviceName() { return QStringLiteral("org.freedesktop.Notifications"); }

    // `tray` may be null (no system tray): then D-Bus.
    explicit DesktopNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);

    // Shows the notice; returns how it was sent (None: no tray and no session bus).
    Channel notify(const QString &summary, const QString &body, Urgency urgency = Urgency::Normal);

private:
    QPointer<QSystemTrayIcon> m_tray;
};

// Bursts of deferred and bounced recipients and relay stops, as notices.
class DeliveryNotices final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kBurstMs = 10000; // at most one delivery notice per window

    explicit DeliveryNotices(DesktopNotifier *notifier, QObject *parent = nullptr);
    void setBurstInterval(int ms); // tests

    // New rows of the message log (MessageLogFeed::rows).
    void addRows(const QList<MessageLogRow> &rows);
    // The relay's mode (RelayRunner::modeChanged) and failures (RelayRunner::failed).
    void relayModeChanged(RelayRunner::Mode mode);
    void relayFailed(const QString &reason);

private:
    void flush();

    DesktopNotifier *m_notifier;
    QTimer *m_timer;
    qint64 m_deferred = 0;
    qint64 m_bounced = 0;
    RelayRunner::Mode m_mode = RelayRunner::Mode::Stopped;
    QElapsedTimer m_lastFailure;
};

} // namespace mailroute
