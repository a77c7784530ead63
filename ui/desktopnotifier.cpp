#include "ui/desktopnotifier.h"

#include "ui/messagelogrow.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QGuiApplication>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVariantMap>

#include <utility>

namespace mailroute {

DesktopNotifier::DesktopNotifier(QSystemTrayIcon *tray, QObject *parent) : QObject(parent), m_tray(tray)
{
    setObjectName(QStringLiteral("desktopNotifier"));
}

DesktopNotifier::Channel DesktopNotifier::notify(const QString &summary, const QString &body, Urgency urgency)
{
    if (m_tray && m_tray->isVisible()) {
        const auto icon = urgency == Urgency::Critical ? QSystemTrayIcon::Critical
                          : urgency == Urgency::Normal ? QSystemTrayIcon::Warning
                                                       : QSystemTrayIcon::Information;
        m_tray->showMessage(summary, body, icon);
        return Channel::Tray;
    }
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return Channel::None;
    // org.freedesktop.Notifications.Notify(app_name, replaces_id, app_icon,
    // summary, body, actions, hints, expire_timeout) (Desktop Notifications
    // Specification 1.2); the service may be started by D-Bus activation.
    QDBusMessage call =
        QDBusMessage::createMethodCall(serviceName(), QStringLiteral("/org/freedesktop/Notifications"),
                                       serviceName(), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(static_cast<uchar>(urgency)));
    hints.insert(QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName());
    call << QGuiApplication::applicationDisplayName() << quint32(0) << QStringLiteral("mailroute") << summary
         << body << QStringList() << hints << qint32(-1);
    // No reply awaited: a desktop without the service costs nothing here.
    return bus.send(call) ? Channel::DBus : Channel::None;
}

DeliveryNotices::DeliveryNotices(DesktopNotifier *notifier, QObject *parent)
    : QObject(parent), m_notifier(notifier), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kBurstMs);
    connect(m_timer, &QTimer::timeout, this, &DeliveryNotices::flush);
}

void DeliveryNotices::setBurstInterval(int ms)
{
    m_timer->setInterval(ms);
}

void DeliveryNotices::addRows(const QList<MessageLogRow> &rows)
{
    for (const MessageLogRow &r : rows) {
        if (r.kind == MessageLogKind::Bounced)
            ++m_bounced;
        else if (r.kind == MessageLogKind::Deferred)
            ++m_deferred;
    }
    // The first of a burst starts the window; the notice counts the whole burst.
    if ((m_bounced > 0 || m_deferred > 0) && !m_timer->isActive())
        m_timer->start();
}

void DeliveryNotices::flush()
{
    const int bounced = static_cast<int>(std::exchange(m_bounced, 0));
    const int deferred = static_cast<int>(std::exchange(m_deferred, 0));
    if (bounced > 0 && deferred > 0)
        m_notifier->notify(tr("Delivery problems"),
                           tr("%n message recipient(s) bounced; see the Logs pages.", nullptr, bounced) +
                               QLatin1Char('\n') +
                               tr("%n delivery attempt(s) deferred; the relay retries them (Queue page).",
                                  nullptr, deferred),
                           DesktopNotifier::Urgency::Critical);
    else if (bounced > 0)
        m_notifier->notify(tr("Delivery failed"),
                           tr("%n message recipient(s) bounced; see the Logs pages.", nullptr, bounced),
                           DesktopNotifier::Urgency::Critical);
    else if (deferred > 0)
        m_notifier->notify(
            tr("Mail deferred"),
            tr("%n delivery attempt(s) deferred; the relay retries them (Queue page).", nullptr, deferred),
            DesktopNotifier::Urgency::Normal);
}

void DeliveryNotices::relayFailed(const QString &reason)
{
    m_lastFailure.start();
    m_notifier->notify(tr("MailRoute relay"), reason, DesktopNotifier::Urgency::Critical);
}

void DeliveryNotices::relayModeChanged(RelayRunner::Mode mode)
{
    const RelayRunner::Mode before = std::exchange(m_mode, mode);
    if (mode != RelayRunner::Mode::Stopped)
        return;
    // Stopping -> Stopped is a stop asked for here: no notice.
    if (before == RelayRunner::Mode::Headless)
        m_notifier->notify(
            tr("Mail routing stopped"),
            tr("The headless relay (mailroutectl serve) on this database is no longer running."),
            DesktopNotifier::Urgency::Critical);
    else if (before == RelayRunner::Mode::Running &&
             !(m_lastFailure.isValid() && m_lastFailure.elapsed() < 5000))
        m_notifier->notify(tr("Mail routing stopped"), tr("The relay in this console is no longer running."),
                           DesktopNotifier::Urgency::Critical);
}

} // namespace mailroute
