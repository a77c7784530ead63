// dnsmasq serving a test zone on 127.0.0.1 at a free high port, for the
// tests that need a real DNS server (NextHopResolver, the readiness checks,
// mailroutectl check dns, the console's MX check). No root needed: the code
// under test is given "127.0.0.1:PORT" (nameserver()), which DnsResolver
// (libunbound) asks. Each instance takes its own port, so tests run by
// ctest -j do not collide. Stopped by its own PID.
//
// Under CI=true a missing dnsmasq fails the test (REQUIRE_DNSMASQ); elsewhere
// the DNS parts skip with the reason.
#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTcpServer>
#include <QTest>
#include <QUdpSocket>

#include <unistd.h>

namespace mailroute::testing {

class DnsmasqProcess final
{
public:
    DnsmasqProcess() = default;
    ~DnsmasqProcess() { stop(); }
    Q_DISABLE_COPY_MOVE(DnsmasqProcess)

    static QString missingText() { return QStringLiteral("dnsmasq is not installed"); }
    // CI=true: a test that needs dnsmasq must not skip.
    static bool requiredByCi() { return qEnvironmentVariable("CI") == QLatin1String("true"); }

    // `options`: the zone (--mx-host=, --txt-record=, --host-record=, ...)
    // and any option beyond the fixed ones (--local-ttl=, --local=/test/,
    // --server=). Empty on success, else why it could not run
    // (missingText() when dnsmasq is not installed).
    QString start(const QStringList &options)
    {
        const QString program = QStandardPaths::findExecutable(
            QStringLiteral("dnsmasq"),
            {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin")});
        if (program.isEmpty())
            return missingText();
        QString last;
        // A port free for UDP and TCP now may be taken before dnsmasq binds
        // it: a few tries.
        for (int attempt = 0; attempt < 5; ++attempt) {
            const quint16 port = freePort();
            if (port == 0)
                continue;
            QStringList fixed{QStringLiteral("--no-daemon"),
                              QStringLiteral("--conf-file=/dev/null"),
                              QStringLiteral("--no-resolv"),
                              QStringLiteral("--no-hosts"),
                              QStringLiteral("--listen-address=127.0.0.1"),
                              QStringLiteral("--bind-interfaces"),
                              QStringLiteral("--port=%1").arg(port),
                              QStringLiteral("--log-queries"),
                              QStringLiteral("--log-facility=-")};
            if (::geteuid() == 0)
                fixed << QStringLiteral("--user=root"); // as root it would switch to nobody
            m_log.clear();
            m_process.setProcessChannelMode(QProcess::MergedChannels);
            m_process.start(program, fixed + options);
            if (!m_process.waitForStarted(5000))
                return QStringLiteral("dnsmasq did not start: ") + m_process.errorString();
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000 && m_process.state() == QProcess::Running &&
                   !m_log.contains("started, version")) {
                if (m_process.waitForReadyRead(100))
                    m_log += m_process.readAll();
            }
            if (m_process.state() == QProcess::Running && m_log.contains("started, version")) {
                m_port = port;
                return {};
            }
            m_process.waitForFinished(1000);
            m_log += m_process.readAll();
            last = QString::fromUtf8(m_log).trimmed();
            stop();
        }
        return QStringLiteral("dnsmasq could not listen on 127.0.0.1: ") + last;
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

    QHostAddress address() const { return QHostAddress(QHostAddress::LocalHost); }
    quint16 port() const { return m_port; }
    // "127.0.0.1:PORT": for MAILROUTE_NAMESERVER and the nameserver options.
    QString nameserver() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    // dnsmasq's own syntax for forwarding to this one (--server=/zone/...).
    QString dnsmasqServer() const { return QStringLiteral("127.0.0.1#%1").arg(m_port); }

    // How many queries of that type and name it answered ("MX good.test"),
    // from its query log.
    int queries(const QString &typeAndName)
    {
        m_log += m_process.readAll();
        const QString needle = QStringLiteral("query[") + typeAndName.section(QLatin1Char(' '), 0, 0) +
                               QStringLiteral("] ") + typeAndName.section(QLatin1Char(' '), 1) +
                               QStringLiteral(" from");
        return int(QString::fromUtf8(m_log).count(needle));
    }

private:
    static quint16 freePort()
    {
        QUdpSocket udp;
        if (!udp.bind(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = udp.localPort();
        QTcpServer tcp;
        if (!tcp.listen(QHostAddress::LocalHost, port))
            return 0;
        return port;
    }

    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

} // namespace mailroute::testing

// In a test slot: QSKIP when dnsmasq is missing (QFAIL under CI=true), QFAIL
// when it could not run. `problem`: what DnsmasqProcess::start() returned.
#define REQUIRE_DNSMASQ(problem)                                                                             \
    do {                                                                                                     \
        const QString mailrouteDnsProblem_ = (problem);                                                      \
        if (!mailrouteDnsProblem_.isEmpty()) {                                                               \
            if (mailrouteDnsProblem_ == mailroute::testing::DnsmasqProcess::missingText() &&                 \
                !mailroute::testing::DnsmasqProcess::requiredByCi())                                         \
                QSKIP(qPrintable(mailrouteDnsProblem_));                                                     \
            QFAIL(qPrintable(QStringLiteral("needs dnsmasq: ") + mailrouteDnsProblem_));                     \
        }                                                                                                    \
    } while (false)
