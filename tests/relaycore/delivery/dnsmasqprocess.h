// dnsmasq serving a test zone on <loopback address>:53, for the tests that
// need a real DNS server (NextHopResolver, the readiness checks, the console's
// MX check). QDnsLookup in Qt 6.4 only talks to port 53, so dnsmasq runs as
// root on a loopback address nothing else uses; each test passes its own
// candidates so tests run by ctest -j do not collide. Stopped by its own PID.
#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

#include <unistd.h>

namespace mailroute::testing {

class DnsmasqProcess final
{
public:
    DnsmasqProcess() = default;
    ~DnsmasqProcess() { stop(); }
    Q_DISABLE_COPY_MOVE(DnsmasqProcess)

    // `options`: the zone (--mx-host=, --txt-record=, --host-record=, ...)
    // and any option beyond the fixed ones (--local-ttl=, --local=/test/,
    // --server=). Tries each candidate address in turn. Empty on success,
    // else why it could not run (the test then skips).
    QString start(const QStringList &options, const QStringList &candidates)
    {
        const QString program = QStandardPaths::findExecutable(
            QStringLiteral("dnsmasq"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin")});
        if (program.isEmpty())
            return QStringLiteral("dnsmasq is not installed");
        if (::geteuid() != 0)
            return QStringLiteral("dnsmasq must bind port 53 (QDnsLookup in Qt 6.4 cannot use another port): run as root");
        QString last;
        for (const QString &address : candidates) {
            const QStringList fixed{QStringLiteral("--no-daemon"),    QStringLiteral("--conf-file=/dev/null"),
                                    QStringLiteral("--no-resolv"),    QStringLiteral("--no-hosts"),
                                    QStringLiteral("--listen-address=") + address,
                                    QStringLiteral("--bind-interfaces"), QStringLiteral("--port=53"),
                                    QStringLiteral("--log-queries"),  QStringLiteral("--log-facility=-"),
                                    QStringLiteral("--user=root")};
            m_log.clear();
            m_process.setProcessChannelMode(QProcess::MergedChannels);
            m_process.start(program, fixed + options);
            if (!m_process.waitForStarted(5000))
                return QStringLiteral("dnsmasq did not start: ") + m_process.errorString();
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000 && m_process.state() == QProcess::Running && !m_log.contains("started, version")) {
                if (m_process.waitForReadyRead(100))
                    m_log += m_process.readAll();
            }
            if (m_process.state() == QProcess::Running && m_log.contains("started, version")) {
                m_address = QHostAddress(address);
                return {};
            }
            m_process.waitForFinished(1000);
            m_log += m_process.readAll();
            last = QString::fromUtf8(m_log).trimmed();
            stop();
        }
        return QStringLiteral("dnsmasq could not listen on a loopback address: ") + last;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate(); // by its own PID, nothing else
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }

    QHostAddress address() const { return m_address; }

    // How many queries of that type and name it answered ("MX good.test"),
    // from its query log.
    int queries(const QString &typeAndName)
    {
        m_log += m_process.readAll();
        const QString needle = QStringLiteral("query[") + typeAndName.section(QLatin1Char(' '), 0, 0)
            + QStringLiteral("] ") + typeAndName.section(QLatin1Char(' '), 1) + QStringLiteral(" from");
        return int(QString::fromUtf8(m_log).count(needle));
    }

private:
    QProcess m_process;
    QByteArray m_log;
    QHostAddress m_address;
};

} // namespace mailroute::testing
