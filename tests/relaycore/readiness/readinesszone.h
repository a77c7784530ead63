// Test helpers for the readiness checks: a real DNS server (dnsmasq) on a
// loopback address serving a small zone under .test, used by the relaycore,
// mailroutectl and console tests and the screenshots. Two dnsmasq processes:
// the main one (TTL 300, on one of 127.0.81-88.53) forwards longttl.test to a
// second one with TTL 3600 (127.0.91-98.53), so one name server answers with a
// low and a high MX TTL. Needs root (QDnsLookup in Qt 6.4 only talks to port
// 53). Each process is stopped by its own PID.
#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

#include <unistd.h>

namespace mailroute::testing {

// The zone. The relay is relay.mailroute.test = 192.0.2.25.
//  ready.test      MX 10 relay.mailroute.test, SPF ip4:192.0.2.25 -all      -> all OK
//  byaddress.test  MX 10 mx.byaddress.test (A 192.0.2.25), SPF include: that authorises the relay
//  elsewhere.test  MX 10 mx.elsewhere.test, SPF include:_spf.provider.test ~all (not the relay)
//  longttl.test    MX 10 relay.mailroute.test with TTL 3600, SPF a:relay.mailroute.test -all
//  nospf.test      MX 10 relay.mailroute.test, no TXT
//  nullmx.test     null MX (RFC 7505)
//  nosuch.test     NXDOMAIN
struct ReadinessZone
{
    static QString relayHost() { return QStringLiteral("relay.mailroute.test"); }
    static QString relayAddress() { return QStringLiteral("192.0.2.25"); }

    static QStringList mainRecords()
    {
        return {
            QStringLiteral("--host-record=relay.mailroute.test,192.0.2.25"),
            QStringLiteral("--mx-host=ready.test,relay.mailroute.test,10"),
            QStringLiteral("--txt-record=ready.test,v=spf1 ip4:192.0.2.25 -all"),
            QStringLiteral("--mx-host=byaddress.test,mx.byaddress.test,10"),
            QStringLiteral("--host-record=mx.byaddress.test,192.0.2.25"),
            QStringLiteral("--txt-record=byaddress.test,v=spf1 include:_spf.relayhost.test -all"),
            QStringLiteral("--txt-record=_spf.relayhost.test,v=spf1 ip4:192.0.2.0/24 -all"),
            QStringLiteral("--mx-host=elsewhere.test,mx.elsewhere.test,10"),
            QStringLiteral("--host-record=mx.elsewhere.test,198.51.100.7"),
            QStringLiteral("--txt-record=elsewhere.test,v=spf1 include:_spf.provider.test ~all"),
            QStringLiteral("--txt-record=_spf.provider.test,v=spf1 ip4:198.51.100.0/24 -all"),
            QStringLiteral("--mx-host=nospf.test,relay.mailroute.test,10"),
            QStringLiteral("--mx-host=nullmx.test,.,0"),
        };
    }
    static QStringList longTtlRecords()
    {
        return {
            QStringLiteral("--mx-host=longttl.test,relay.mailroute.test,10"),
            QStringLiteral("--txt-record=longttl.test,v=spf1 a:relay.mailroute.test -all"),
        };
    }
};

class DnsmasqProcess final
{
public:
    DnsmasqProcess() = default;
    ~DnsmasqProcess() { stop(); }
    Q_DISABLE_COPY_MOVE(DnsmasqProcess)

    // Empty on success, else why it could not run (the test then skips).
    QString start(const QStringList &records, int ttl, const QStringList &candidates)
    {
        const QString program = QStandardPaths::findExecutable(
            QStringLiteral("dnsmasq"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin")});
        if (program.isEmpty())
            return QStringLiteral("dnsmasq is not installed");
        if (::geteuid() != 0)
            return QStringLiteral("dnsmasq must bind port 53 (QDnsLookup in Qt 6.4 cannot use another port): run as root");
        QString last;
        for (const QString &address : candidates) {
            QStringList args{QStringLiteral("--no-daemon"), QStringLiteral("--conf-file=/dev/null"),
                             QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
                             QStringLiteral("--listen-address=") + address, QStringLiteral("--bind-interfaces"),
                             QStringLiteral("--port=53"), QStringLiteral("--local-ttl=%1").arg(ttl),
                             QStringLiteral("--log-queries"), QStringLiteral("--log-facility=-"),
                             QStringLiteral("--user=root")};
            m_process.setProcessChannelMode(QProcess::MergedChannels);
            m_process.start(program, args + records);
            if (!m_process.waitForStarted(5000))
                return QStringLiteral("dnsmasq did not start: ") + m_process.errorString();
            QByteArray log;
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000 && m_process.state() == QProcess::Running && !log.contains("started, version")) {
                if (m_process.waitForReadyRead(100))
                    log += m_process.readAll();
            }
            if (m_process.state() == QProcess::Running && log.contains("started, version")) {
                m_address = QHostAddress(address);
                return {};
            }
            m_process.waitForFinished(1000);
            last = QString::fromUtf8(log + m_process.readAll()).trimmed();
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

private:
    QProcess m_process;
    QHostAddress m_address;
};

// The zone above on one name server address (main + long-TTL forwarder).
class ReadinessDns final
{
    // ctest -j runs several tests with this zone at once: each takes the
    // first free address of its range.
    static QStringList candidates(int first)
    {
        QStringList out;
        for (int i = first; i < first + 8; ++i)
            out << QStringLiteral("127.0.%1.53").arg(i);
        return out;
    }

public:
    QString start()
    {
        QString why = m_longTtl.start(ReadinessZone::longTtlRecords(), 3600,
                                      candidates(91));
        if (!why.isEmpty())
            return why;
        QStringList records = ReadinessZone::mainRecords();
        records << QStringLiteral("--server=/longttl.test/") + m_longTtl.address().toString()
                << QStringLiteral("--local=/test/");
        return m_main.start(records, 300, candidates(81));
    }
    QHostAddress address() const { return m_main.address(); }

private:
    DnsmasqProcess m_longTtl;
    DnsmasqProcess m_main;
};

} // namespace mailroute::testing
