// Test helpers for the delivery end-to-end tests: real SMTP servers on
// 127.0.0.1 run as child processes — smtpsink.py (scriptable) and Postfix's
// smtp-sink. Test-only; main thread.
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <unistd.h>

namespace mailroute::testing {

// A port nothing listens on (bound, then released): connecting is refused.
inline quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

inline void stopProcess(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    p.terminate();
    if (!p.waitForFinished(3000)) {
        p.kill();
        p.waitForFinished(3000);
    }
}

// tests/relaycore/delivery/smtpsink.py: see its docstring for the script keys.
class PySink final
{
public:
    PySink() = default;
    ~PySink() { stopProcess(m_process); }
    Q_DISABLE_COPY_MOVE(PySink)

    bool start(const QJsonObject &script = {})
    {
        return launch({QStringLiteral("--script"),
                       QString::fromUtf8(QJsonDocument(script).toJson(QJsonDocument::Compact))});
    }
    // The STARTTLS-stripping man in the middle in front of 127.0.0.1:upstream.
    bool startStripProxy(quint16 upstream)
    {
        return launch({QStringLiteral("--proxy-to"), QString::number(upstream)});
    }
    // Bytes of transaction commands and message text the sink received in
    // plaintext, over every connection so far (see smtpsink.py).
    qint64 plaintextTransactionBytes() const
    {
        qint64 n = 0;
        for (const QJsonObject &o : events(QStringLiteral("close")))
            n += o.value(QStringLiteral("plain_bytes")).toInteger();
        return n;
    }

private:
    bool launch(const QStringList &arguments)
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        m_log = m_dir.filePath(QStringLiteral("events.jsonl"));
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            return fail(QStringLiteral("python3 not found"));
        m_process.setProgram(python);
        m_process.setArguments(
            QStringList{QStringLiteral(MAILROUTE_TEST_DATA "/smtpsink.py"), QStringLiteral("--log"), m_log} +
            arguments);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return fail(QStringLiteral("python3 did not start: ") + m_process.errorString());
        QElapsedTimer t;
        t.start();
        while (!m_process.canReadLine() && t.elapsed() < 10000 && m_process.state() == QProcess::Running)
            m_process.waitForReadyRead(200);
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("PORT "))
            return fail(QStringLiteral("smtpsink.py did not report its port: ") +
                        QString::fromUtf8(line + m_process.readAllStandardError()));
        m_port = quint16(line.mid(5).toUInt());
        return m_port != 0;
    }

public:
    quint16 port() const { return m_port; }
    QString error() const { return m_error; }

    QList<QJsonObject> events(const QString &kind = {}) const
    {
        QList<QJsonObject> out;
        QFile f(m_log);
        if (!f.open(QIODevice::ReadOnly))
            return out;
        while (!f.atEnd()) {
            const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
            if (!o.isEmpty() && (kind.isEmpty() || o.value(QStringLiteral("ev")).toString() == kind))
                out.append(o);
        }
        return out;
    }
    QList<QJsonObject> messages() const { return events(QStringLiteral("msg")); }
    int connections() const { return int(events(QStringLiteral("connect")).size()); }
    QStringList commands() const
    {
        QStringList out;
        for (const QJsonObject &o : events(QStringLiteral("cmd")))
            out << o.value(QStringLiteral("line")).toString();
        return out;
    }
    static QByteArray data(const QJsonObject &message)
    {
        return QByteArray::fromBase64(message.value(QStringLiteral("data")).toString().toLatin1());
    }

private:
    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_log;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

// Certificates made with openssl at test time: a test CA and, signed by it,
// one for the right name (mail.test, 127.0.0.1), one for another name and an
// expired one; plus a self-signed one no CA vouches for.
class TestPki final
{
public:
    TestPki() = default;
    Q_DISABLE_COPY_MOVE(TestPki)

    bool make()
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        if (!openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                      QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                      QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                      QStringLiteral("-keyout"), path(QStringLiteral("ca.key")), QStringLiteral("-out"),
                      caFile(), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                      QStringLiteral("/CN=MailRoute Test CA")}))
            return false;
        return leaf(QStringLiteral("good"), QStringLiteral("mail.test"), QStringLiteral("2"), true) &&
               leaf(QStringLiteral("wrongname"), QStringLiteral("other.test"), QStringLiteral("2"), true) &&
               leaf(QStringLiteral("expired"), QStringLiteral("mail.test"), QStringLiteral("-1"), true) &&
               leaf(QStringLiteral("selfsigned"), QStringLiteral("mail.test"), QStringLiteral("2"), false);
    }
    QString caFile() const { return path(QStringLiteral("ca.pem")); }
    QString cert(const QString &name) const { return path(name + QStringLiteral(".pem")); }
    QString key(const QString &name) const { return path(name + QStringLiteral(".key")); }
    QString error() const { return m_error; }
    // The smtpsink.py "tls" script value for one of the certificates.
    QJsonObject sinkTls(const QString &name) const
    {
        return QJsonObject{{QStringLiteral("cert"), cert(name)}, {QStringLiteral("key"), key(name)}};
    }

private:
    QString path(const QString &file) const { return m_dir.filePath(file); }
    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }
    bool openssl(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return fail(QStringLiteral("openssl %1 failed: %2")
                            .arg(args.value(0), QString::fromUtf8(p.readAllStandardError())));
        return true;
    }
    bool leaf(const QString &name, const QString &cn, const QString &days, bool caSigned)
    {
        QFile ext(path(name + QStringLiteral(".ext")));
        if (!ext.open(QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write ") + ext.fileName());
        ext.write("subjectAltName=DNS:" + cn.toLatin1() + ",IP:127.0.0.1\n");
        ext.close();
        const QString csr = path(name + QStringLiteral(".csr"));
        if (!openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                      QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"),
                      QStringLiteral("-nodes"), QStringLiteral("-keyout"), key(name), QStringLiteral("-out"),
                      csr, QStringLiteral("-subj"), QStringLiteral("/CN=") + cn}))
            return false;
        QStringList sign{QStringLiteral("x509"),     QStringLiteral("-req"),
                         QStringLiteral("-in"),      csr,
                         QStringLiteral("-days"),    days,
                         QStringLiteral("-extfile"), ext.fileName(),
                         QStringLiteral("-out"),     cert(name)};
        if (caSigned)
            sign << QStringLiteral("-CA") << caFile() << QStringLiteral("-CAkey")
                 << path(QStringLiteral("ca.key")) << QStringLiteral("-CAcreateserial");
        else
            sign << QStringLiteral("-signkey") << key(name);
        return openssl(sign);
    }

    QTemporaryDir m_dir;
    QString m_error;
};

// Postfix's smtp-sink, dumping each transaction (-D) to a file.
class PostfixSink final
{
public:
    PostfixSink() = default;
    ~PostfixSink() { stopProcess(m_process); }
    Q_DISABLE_COPY_MOVE(PostfixSink)

    static QString program() { return QStringLiteral("/usr/sbin/smtp-sink"); }
    static bool available() { return QFile::exists(program()); }

    // `dump`: write every transaction to a file (-D); costly, so a
    // throughput measurement turns it off.
    bool start(const QStringList &options = {}, bool dump = true)
    {
        if (!m_dir.isValid())
            return false;
        // smtp-sink drops privileges before it opens the dump file.
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                QFileDevice::WriteOther | QFileDevice::ExeOther);
        m_dump = m_dir.filePath(QStringLiteral("dump"));
        // smtp-sink cannot report a port it chose: take a free one, and try
        // again in the unlikely case somebody grabbed it in between.
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = closedPort();
            QStringList args = options;
            if (::geteuid() == 0)
                args << QStringLiteral("-u") << QStringLiteral("nobody");
            if (dump)
                args << QStringLiteral("-D") << m_dump;
            args << QStringLiteral("127.0.0.1:%1").arg(m_port) << QStringLiteral("100");
            m_process.start(program(), args);
            if (!m_process.waitForStarted(5000))
                return false;
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < 5000 && m_process.state() == QProcess::Running) {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_port);
                if (probe.waitForConnected(200)) {
                    probe.abort();
                    return true;
                }
                QTest::qWait(50);
            }
            stopProcess(m_process);
        }
        return false;
    }
    quint16 port() const { return m_port; }
    QString errorOutput() { return QString::fromUtf8(m_process.readAllStandardError()); }

    // One entry per transaction: the lines of its dump record, LF line ends.
    QList<QStringList> transactions() const
    {
        QList<QStringList> out;
        QFile f(m_dump);
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("X-Client-Addr:")))
                out.append(QStringList());
            if (!out.isEmpty())
                out.last().append(line);
        }
        return out;
    }

private:
    QTemporaryDir m_dir;
    QString m_dump;
    QProcess m_process;
    quint16 m_port = 0;
};

// Largest number of [start, end] intervals that overlap at one moment.
inline int maxOverlap(QList<std::pair<double, double>> intervals)
{
    QList<std::pair<double, int>> edges;
    for (const auto &[start, end] : intervals) {
        edges.append({start, +1});
        edges.append({end, -1});
    }
    std::sort(edges.begin(), edges.end());
    int now = 0;
    int most = 0;
    for (const auto &e : edges) {
        now += e.second;
        most = std::max(most, now);
    }
    return most;
}

} // namespace mailroute::testing
