// A private Postfix instance as a test fixture: a real MTA on 127.0.0.1 that
// accepts mail for some domains, refuses unknown users at RCPT
// (relay_recipient_maps, "550 5.1.1 ... User unknown in relay recipient
// table") and discards what it accepts. Its own config, queue and data
// directories in a temporary folder, its log in maillog() (maillog_file),
// started with `postfix -c DIR start` (needs root: Postfix drops to the
// postfix user) and stopped by its master's PID. Test-only; main thread.
//
//   PostfixInstance pf;
//   MAILROUTE_REQUIRE(PostfixInstance::available(), PostfixInstance::requirement());
//   QVERIFY2(pf.start({{"tenant.test"}, {"known@tenant.test"}}), qPrintable(pf.error()));
//   ... pf.port(), pf.waitForLog("NOQUEUE: reject"), pf.logLines("connect from") ...
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailroute::testing {

class PostfixInstance final
{
public:
    struct Options
    {
        QStringList domains;          // relay_domains: mail for these is accepted ...
        QStringList knownUsers;       // ... for these addresses only (relay_recipient_maps)
        QStringList extraMainCf = {}; // more "name = value" lines for main.cf
        quint16 port = 0;             // 0: a free port
    };

    PostfixInstance() = default;
    ~PostfixInstance() { stop(); }
    Q_DISABLE_COPY_MOVE(PostfixInstance)

    // Postfix installed, and we are root (postfix start needs it).
    static bool available()
    {
        return geteuid() == 0 && QFileInfo::exists(QStringLiteral("/usr/sbin/postfix")) &&
               QFileInfo::exists(QStringLiteral("/usr/sbin/postmap")) && getpwnam("postfix") != nullptr;
    }
    static QString requirement()
    {
        return QStringLiteral("Postfix (apt-get install postfix) and root, for a private Postfix instance");
    }

    bool start(const Options &options)
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        // Postfix's daemons run as the postfix user: the folder must be
        // traversable, the data directory its own.
        ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
        const QString etc = m_dir.filePath(QStringLiteral("etc"));
        const QString queue = m_dir.filePath(QStringLiteral("queue"));
        const QString data = m_dir.filePath(QStringLiteral("data"));
        for (const QString &d : {etc, queue, data}) {
            if (!QDir().mkpath(d))
                return fail(QStringLiteral("cannot create ") + d);
        }
        const passwd *pw = getpwnam("postfix");
        if (!pw || ::chown(QFile::encodeName(data).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return fail(QStringLiteral("cannot give %1 to the postfix user").arg(data));
        m_port = options.port ? options.port : freePort();
        m_etc = etc;
        m_queue = queue;
        m_log = m_dir.filePath(QStringLiteral("maillog"));

        QStringList main{
            QStringLiteral("compatibility_level = 3.6"),
            QStringLiteral("queue_directory = ") + queue,
            QStringLiteral("data_directory = ") + data,
            QStringLiteral("mail_owner = postfix"),
            QStringLiteral("setgid_group = postdrop"),
            QStringLiteral("myhostname = target.test"),
            QStringLiteral("mydomain = target.test"),
            QStringLiteral("myorigin = target.test"),
            QStringLiteral("mydestination ="),
            QStringLiteral("alias_maps ="),
            QStringLiteral("alias_database ="),
            QStringLiteral("inet_interfaces = 127.0.0.1"),
            QStringLiteral("inet_protocols = ipv4"),
            QStringLiteral("mynetworks = 127.0.0.0/8"),
            QStringLiteral("relay_domains = ") + options.domains.join(QLatin1Char(' ')),
            QStringLiteral("relay_recipient_maps = hash:") + etc + QStringLiteral("/relay_recipients"),
            // What it accepts goes nowhere.
            QStringLiteral("relay_transport = discard:"),
            QStringLiteral("default_transport = discard:"),
            QStringLiteral("maillog_file_prefixes = ") + m_dir.path(),
            QStringLiteral("maillog_file = ") + m_log,
            QStringLiteral("smtpd_recipient_restrictions = reject_unauth_destination"),
            // A test client may be refused many times: no tarpit, no cut-off.
            QStringLiteral("smtpd_soft_error_limit = 100000"),
            QStringLiteral("smtpd_hard_error_limit = 100000"),
            QStringLiteral("smtpd_junk_command_limit = 100000"),
            QStringLiteral("smtpd_error_sleep_time = 0"),
            QStringLiteral("smtpd_client_connection_rate_limit = 0"),
            // Postfix pauses 1 s before a new message when arrivals outrun
            // deliveries; probes that stop at RCPT never deliver.
            QStringLiteral("in_flow_delay = 0s"),
            QStringLiteral("notify_classes ="),
            QStringLiteral("biff = no"),
        };
        main << options.extraMainCf;
        if (!writeFile(etc + QStringLiteral("/main.cf"), main.join(QLatin1Char('\n')) + QLatin1Char('\n')))
            return fail(QStringLiteral("cannot write main.cf"));
        QString map;
        for (const QString &u : options.knownUsers)
            map += u + QStringLiteral(" OK\n");
        if (!writeFile(etc + QStringLiteral("/relay_recipients"), map))
            return fail(QStringLiteral("cannot write relay_recipients"));
        // master.cf: the system's, without chroot, smtpd on 127.0.0.1:port.
        QFile sys(QStringLiteral("/etc/postfix/master.cf"));
        if (!sys.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read /etc/postfix/master.cf"));
        QStringList master;
        const QStringList lines = QString::fromUtf8(sys.readAll()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.front().isSpace()) {
                master << line;
                continue;
            }
            QStringList f = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            if (f.size() >= 8) {
                f[4] = QStringLiteral("n");
                if (f[0] == QLatin1String("smtp") && f[1] == QLatin1String("inet"))
                    f[0] = QStringLiteral("127.0.0.1:%1").arg(m_port);
            }
            master << f.join(QLatin1Char(' '));
        }
        if (!writeFile(etc + QStringLiteral("/master.cf"), master.join(QLatin1Char('\n'))))
            return fail(QStringLiteral("cannot write master.cf"));
        if (!run(QStringLiteral("/usr/sbin/postmap"),
                 {QStringLiteral("-c"), etc, etc + QStringLiteral("/relay_recipients")}))
            return false;
        if (!run(QStringLiteral("/usr/sbin/postfix"), {QStringLiteral("-c"), etc, QStringLiteral("start")}))
            return false;
        m_started = true;
        // Ready once smtpd answers.
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(500) && s.waitForReadyRead(5000) && s.readAll().startsWith("220")) {
                s.write("QUIT\r\n");
                s.waitForBytesWritten(1000);
                s.disconnectFromHost();
                if (!QTest::qWaitFor([&] { return !logLines(QStringLiteral(": connect from")).isEmpty(); },
                                     5000))
                    return fail(QStringLiteral("Postfix logged nothing in %1").arg(m_log));
                m_readyMarks = int(logLines(QStringLiteral(": connect from")).size());
                return true;
            }
            QTest::qWait(100);
        }
        return fail(QStringLiteral("Postfix did not answer on port %1").arg(m_port));
    }

    // Stops the instance: `postfix stop`, then its master by PID if it stayed.
    void stop()
    {
        if (!m_started)
            return;
        m_started = false;
        const qint64 pid = masterPid();
        run(QStringLiteral("/usr/sbin/postfix"), {QStringLiteral("-c"), m_etc, QStringLiteral("stop")});
        for (int i = 0; i < 50 && pid > 0 && ::kill(pid_t(pid), 0) == 0; ++i)
            QTest::qWait(100);
        if (pid > 0 && ::kill(pid_t(pid), 0) == 0)
            ::kill(pid_t(pid), SIGKILL);
    }

    quint16 port() const { return m_port; }
    QString error() const { return m_error; }
    QString maillogPath() const { return m_log; }
    QString maillog() const
    {
        QFile f(m_log);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    // The log lines of smtpd containing `needle`, after start()'s own check
    // connection.
    QStringList logLines(const QString &needle) const
    {
        QStringList out;
        const QStringList lines = maillog().split(QLatin1Char('\n'));
        for (const QString &l : lines) {
            if (l.contains(QLatin1String("postfix/smtpd[")) && l.contains(needle))
                out << l;
        }
        return out;
    }
    // Client connections since start() (its readiness check excluded).
    int connections() const { return int(logLines(QStringLiteral(": connect from")).size()) - m_readyMarks; }
    bool waitForLog(const QString &needle, int count = 1, int timeoutMs = 15000) const
    {
        return QTest::qWaitFor([&] { return logLines(needle).size() >= count; }, timeoutMs);
    }

private:
    static quint16 freePort()
    {
        QTcpServer s;
        if (!s.listen(QHostAddress::LocalHost, 0))
            return 0;
        return s.serverPort();
    }
    static bool writeFile(const QString &path, const QString &text)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               f.write(text.toUtf8()) == text.toUtf8().size();
    }
    qint64 masterPid() const
    {
        QFile f(m_queue + QStringLiteral("/pid/master.pid"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
    }
    bool run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished(3000);
            return fail(program + QStringLiteral(" did not finish"));
        }
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return fail(program + QLatin1Char(' ') + args.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                        QString::fromUtf8(p.readAll()) + maillog());
        return true;
    }
    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_etc;
    QString m_queue;
    QString m_log;
    QString m_error;
    quint16 m_port = 0;
    int m_readyMarks = 0;
    bool m_started = false;
};

} // namespace mailroute::testing
