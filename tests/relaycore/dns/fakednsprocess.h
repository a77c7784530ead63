// tests/relaycore/dns/fakedns.py as a child process: an authoritative DNS
// server on 127.0.0.1 (UDP and TCP, a port the system chose) serving the
// records it is given and dropping, SERVFAILing or NXDOMAINing the (name,
// type) pairs it is told to. For the tests of DnsResolver, the next-hop
// rules and the readiness checks when a server misbehaves. Needs no root.
// The test target defines MAILROUTE_FAKEDNS (the script's path). Stopped by
// its own PID.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>

namespace mailroute::testing {

class FakeDnsProcess final
{
public:
    FakeDnsProcess() = default;
    ~FakeDnsProcess() { stop(); }
    Q_DISABLE_COPY_MOVE(FakeDnsProcess)

    // `args`: fakedns.py's options (--record "NAME TTL TYPE RDATA",
    // --drop/--servfail/--refused/--nxdomain/--truncate "NAME TYPE").
    // Empty on success, else why it did not start.
    QString start(const QStringList &args)
    {
        m_process.setProgram(QStringLiteral("/usr/bin/python3"));
        m_process.setArguments(QStringList{QStringLiteral(MAILROUTE_FAKEDNS)} + args);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return QStringLiteral("fakedns.py did not start: ") + m_process.errorString();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000 && m_process.state() == QProcess::Running && m_port == 0) {
            m_process.waitForReadyRead(100);
            m_log += m_process.readAllStandardOutput();
            const qsizetype at = m_log.indexOf("PORT ");
            const qsizetype eol = m_log.indexOf('\n', at);
            if (at >= 0 && eol > at)
                m_port = quint16(m_log.mid(at + 5, eol - at - 5).toUInt());
        }
        if (m_port == 0) {
            const QString why = QString::fromUtf8(m_process.readAllStandardError()).trimmed();
            stop();
            return QStringLiteral("fakedns.py did not listen: ") + why;
        }
        return {};
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.closeWriteChannel(); // it exits at the end of its input
        if (!m_process.waitForFinished(2000)) {
            m_process.terminate(); // by its own PID, nothing else
            if (!m_process.waitForFinished(3000)) {
                m_process.kill();
                m_process.waitForFinished(3000);
            }
        }
    }

    quint16 port() const { return m_port; }
    // For DnsResolver::Options::nameserver and MAILROUTE_NAMESERVER.
    QString nameserver() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

    // How many queries of that type and name arrived ("MX good.test"), over
    // UDP and TCP.
    int queries(const QString &typeAndName)
    {
        m_log += m_process.readAllStandardOutput();
        const QString type = typeAndName.section(QLatin1Char(' '), 0, 0);
        QString name = typeAndName.section(QLatin1Char(' '), 1);
        if (!name.endsWith(QLatin1Char('.')))
            name += QLatin1Char('.');
        const QString needle = QStringLiteral("query ") + type + QLatin1Char(' ') + name + QLatin1Char(' ');
        return int(QString::fromUtf8(m_log).count(needle));
    }

private:
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

} // namespace mailroute::testing
