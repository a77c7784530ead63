// Desktop notifications without a system tray (ui/desktopnotifier.h): the
// console calls org.freedesktop.Notifications.Notify on the session bus. A
// real dbus-daemon of the test's own (never the desktop's bus) and a small
// notification server on it (notificationserver.py, python3-dbus) receive the
// calls; the test checks summary, body and urgency of what arrived: a single
// notice for a burst of deferred mail, bounces, a relay failure, a headless
// relay that stopped, and none for a stop asked for in this console.
#include "tests/ui/uitest.h"
#include "ui/desktopnotifier.h"
#include "ui/messagelogrow.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>
#include <cstdio>
#include <signal.h>
#include <sys/types.h>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// A session bus of its own, started before QApplication (the platform may
// connect to the session bus while starting): DBUS_SESSION_BUS_ADDRESS points
// at it for this process and the server.
struct PrivateBus
{
    pid_t pid = 0;
    QString error;

    PrivateBus()
    {
        FILE *p = ::popen("dbus-daemon --session --fork --print-address=1 --print-pid=1 2>&1", "r");
        if (!p) {
            error = u"cannot run dbus-daemon"_s;
            return;
        }
        char address[1024] = {};
        char pidLine[64] = {};
        const bool read = std::fgets(address, sizeof address, p) && std::fgets(pidLine, sizeof pidLine, p);
        ::pclose(p);
        const QByteArray addr = QByteArray(address).trimmed();
        if (!read || !addr.startsWith("unix:")) {
            error = u"dbus-daemon did not start (package dbus): %1"_s.arg(QString::fromLocal8Bit(address));
            return;
        }
        pid = static_cast<pid_t>(QByteArray(pidLine).trimmed().toLongLong());
        qputenv("DBUS_SESSION_BUS_ADDRESS", addr);
    }
    ~PrivateBus()
    {
        if (pid > 0)
            ::kill(pid, SIGTERM);
    }
};

PrivateBus *g_bus = nullptr;

MessageLogRow row(MessageLogKind kind)
{
    MessageLogRow r;
    r.kind = kind;
    return r;
}

} // namespace

class TestDesktopNotifier final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_server;
    QString m_log;
    qsizetype m_seen = 0; // calls of earlier test functions

    QList<QJsonObject> received() const
    {
        QList<QJsonObject> out;
        QFile f(m_log);
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (!line.trimmed().isEmpty())
                out << QJsonDocument::fromJson(line).object();
        }
        return out.mid(m_seen);
    }

    QString lastSummary() const
    {
        const QList<QJsonObject> all = received();
        return all.isEmpty() ? QString() : all.constLast().value(u"summary"_s).toString();
    }

private slots:
    void initTestCase()
    {
        MAILROUTE_REQUIRE(g_bus && g_bus->pid > 0, g_bus ? g_bus->error : u"no bus"_s);
        QVERIFY(m_dir.isValid());
        m_log = m_dir.filePath(u"notify.jsonl"_s);
        m_server.setProgram(u"/usr/bin/python3"_s);
        m_server.setArguments({QFINDTESTDATA("notificationserver.py"), m_log});
        m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server.start();
        MAILROUTE_REQUIRE(m_server.waitForStarted(10000), "/usr/bin/python3");
        // "ready" once it owns the name (python3-dbus and python3-gi are needed).
        QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine() || m_server.state() == QProcess::NotRunning, 20000);
        MAILROUTE_REQUIRE(m_server.readLine().trimmed() == "ready",
                          "the notification server (notificationserver.py: python3-dbus, python3-gi)");
    }

    void cleanupTestCase()
    {
        if (m_server.state() != QProcess::NotRunning) {
            m_server.terminate();
            if (!m_server.waitForFinished(5000))
                m_server.kill();
        }
    }

    // The server keeps the file open: each test function sees its own calls.
    void init()
    {
        m_seen = 0;
        m_seen = received().size();
    }

    void withoutTrayANoticeGoesOverDBus()
    {
        DesktopNotifier notifier(nullptr);
        QCOMPARE(notifier.notify(u"Mail deferred"_s, u"3 delivery attempt(s) deferred"_s,
                                 DesktopNotifier::Urgency::Normal),
                 DesktopNotifier::Channel::DBus);
        QTRY_COMPARE(received().size(), 1);
        const QJsonObject n = received().constFirst();
        QCOMPARE(n.value(u"summary"_s).toString(), u"Mail deferred"_s);
        QCOMPARE(n.value(u"body"_s).toString(), u"3 delivery attempt(s) deferred"_s);
        QCOMPARE(n.value(u"urgency"_s).toInt(), 1);
        QCOMPARE(n.value(u"urgency_signature"_s).toString(), u"Byte"_s); // the spec's type
        QCOMPARE(n.value(u"desktop_entry"_s).toString(), u"org.mailroute.MailRoute"_s);
        QCOMPARE(n.value(u"app"_s).toString(), u"MailRoute"_s);
    }

    void aBurstOfDeferredMailIsOneNotice()
    {
        DesktopNotifier notifier(nullptr);
        DeliveryNotices notices(&notifier);
        notices.setBurstInterval(200);
        notices.addRows({row(MessageLogKind::Deferred), row(MessageLogKind::Delivered),
                         row(MessageLogKind::Deferred), row(MessageLogKind::Deferred)});
        notices.addRows({row(MessageLogKind::Deferred), row(MessageLogKind::Deferred)});
        QTRY_COMPARE(received().size(), 1);
        QJsonObject n = received().constFirst();
        QCOMPARE(n.value(u"summary"_s).toString(), u"Mail deferred"_s);
        QCOMPARE(n.value(u"body"_s).toString(),
                 u"5 delivery attempt(s) deferred; the relay retries them (Queue page)."_s);

        // Bounces and deferrals in one window: one notice naming both, critical.
        notices.addRows({row(MessageLogKind::Bounced), row(MessageLogKind::Deferred)});
        QTRY_COMPARE(received().size(), 2);
        n = received().at(1);
        QCOMPARE(n.value(u"summary"_s).toString(), u"Delivery problems"_s);
        QCOMPARE(n.value(u"body"_s).toString(),
                 u"1 message recipient(s) bounced; see the Logs pages.\n"
                 u"1 delivery attempt(s) deferred; the relay retries them (Queue page)."_s);
        QCOMPARE(n.value(u"urgency"_s).toInt(), 2);
        // Only delivered mail: nothing.
        notices.addRows({row(MessageLogKind::Delivered)});
        notifier.notify(u"marker"_s, QString());
        // Calls arrive in order: once the marker is there, nothing else came.
        QTRY_COMPARE(lastSummary(), u"marker"_s);
        QCOMPARE(received().size(), 3);
    }

    void relayStopsAreNoticed()
    {
        DesktopNotifier notifier(nullptr);
        DeliveryNotices notices(&notifier);
        // The relay failed.
        notices.relayFailed(u"cannot listen on 0.0.0.0:25: permission denied"_s);
        QTRY_COMPARE(received().size(), 1);
        QCOMPARE(received().at(0).value(u"summary"_s).toString(), u"MailRoute relay"_s);
        QCOMPARE(received().at(0).value(u"body"_s).toString(),
                 u"cannot listen on 0.0.0.0:25: permission denied"_s);
        QCOMPARE(received().at(0).value(u"urgency"_s).toInt(), 2);

        // A stop asked for here (Running -> Stopping -> Stopped): no notice.
        notices.relayModeChanged(RelayRunner::Mode::Starting);
        notices.relayModeChanged(RelayRunner::Mode::Running);
        notices.relayModeChanged(RelayRunner::Mode::Stopping);
        notices.relayModeChanged(RelayRunner::Mode::Stopped);
        // The headless relay went away: a notice.
        notices.relayModeChanged(RelayRunner::Mode::Headless);
        notices.relayModeChanged(RelayRunner::Mode::Stopped);
        notifier.notify(u"marker"_s, QString());
        QTRY_COMPARE(lastSummary(), u"marker"_s);
        QCOMPARE(received().size(), 3);
        QCOMPARE(received().at(1).value(u"summary"_s).toString(), u"Mail routing stopped"_s);
        QVERIFY(received().at(1).value(u"body"_s).toString().contains(u"mailroutectl serve"_s));
    }
};

int main(int argc, char *argv[])
{
    mailroute::testing::prepareGuiTest();
    PrivateBus bus;
    g_bus = &bus;
    QApplication app(argc, argv);
    QGuiApplication::setApplicationDisplayName(u"MailRoute"_s);
    QGuiApplication::setDesktopFileName(u"org.mailroute.MailRoute"_s);
    TestDesktopNotifier tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_desktopnotifier.moc"
