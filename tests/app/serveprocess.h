// `mailroutectl serve` (MAILROUTECTL_PATH) as a child process for the tests in
// tests/app: the environment that points mailroutectl at a test database,
// mailroutectl commands that must succeed, starting serve on 127.0.0.1 and
// waiting until it listens, stopping it, and swaks as the SMTP client; and
// ServeFixture, which gives each test function its own database and spool.
#pragma once

#include "tests/app/ctlrun.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

namespace mailroute::testing {

// The system environment with MAILROUTE_DB set to `db`.
inline QProcessEnvironment environmentWithDatabase(const QString &db)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("MAILROUTE_DB"), db);
    return e;
}

// Runs mailroutectl (60 s at most); false, with a warning that shows its
// standard error, unless it exits 0. The run in *out when asked.
inline bool mailroutectlSucceeds(const QStringList &args, const QProcessEnvironment &env, Run *out = nullptr)
{
    const Run r = runMailroutectl(args, env, {}, 60000);
    if (r.code != 0)
        qWarning("mailroutectl %s: %s", qPrintable(args.join(QLatin1Char(' '))), qPrintable(r.err));
    if (out)
        *out = r;
    return r.code == 0;
}

// Starts `mailroutectl serve --listen 127.0.0.1:PORT --spool SPOOL EXTRA...`
// and waits (waitMs at most) until its standard error says "listening on" or
// it ends. What it wrote to standard error meanwhile is appended to
// *stderrText when asked. False, with a warning, when it does not listen.
inline bool startServeProcess(QProcess &serve, const QProcessEnvironment &env, quint16 port,
                              const QString &spool, const QStringList &extraArgs = {},
                              QString *stderrText = nullptr, int waitMs = 20000)
{
    serve.setProcessEnvironment(env);
    serve.start(QStringLiteral(MAILROUTECTL_PATH),
                QStringList{QStringLiteral("serve"), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--spool"), spool} +
                    extraArgs);
    if (!serve.waitForStarted(10000))
        return false;
    QString own;
    QString &err = stderrText ? *stderrText : own;
    const bool ok = QTest::qWaitFor(
        [&] {
            err += QString::fromUtf8(serve.readAllStandardError());
            return err.contains(QLatin1String("listening on")) || serve.state() != QProcess::Running;
        },
        waitMs);
    if (!ok || !err.contains(QLatin1String("listening on")))
        qWarning("serve did not start: %s", qPrintable(err));
    return ok && err.contains(QLatin1String("listening on"));
}

// SIGTERM, waitMs for it to finish, then SIGKILL.
inline void stopServeProcess(QProcess &serve, int waitMs)
{
    if (serve.state() == QProcess::NotRunning)
        return;
    serve.terminate();
    if (!serve.waitForFinished(waitMs)) {
        serve.kill();
        serve.waitForFinished(5000);
    }
}

// One message from alice@outside.example to `to` through 127.0.0.1:port
// with swaks (HELO client.test), with the extra header fields given; swaks'
// exit status, -1 when it did not finish normally.
inline int sendWithSwaks(quint16 port, const QString &to, const QStringList &headers = {})
{
    QProcess p;
    QStringList args{QStringLiteral("--server"),  QStringLiteral("127.0.0.1:%1").arg(port),
                     QStringLiteral("--helo"),    QStringLiteral("client.test"),
                     QStringLiteral("--from"),    QStringLiteral("alice@outside.example"),
                     QStringLiteral("--to"),      to,
                     QStringLiteral("--timeout"), QStringLiteral("30")};
    for (const QString &h : headers)
        args << QStringLiteral("--header") << h;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("swaks"), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// The database at `db` through Python's sqlite3 (/usr/bin/python3), an
// independent reader: runs `code` with `db` connected (sqlite3, time and sys
// imported), commits, and gives what it printed, trimmed; "python failed: "
// and its standard error when it fails.
inline QString sqliteWithPython(const QString &db, const QString &code)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import sqlite3, time, sys\ndb = sqlite3.connect(sys.argv[1])\n") + code +
                 QStringLiteral("\ndb.commit()\n"),
             db});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return QStringLiteral("python failed: ") + QString::fromUtf8(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// The recipients of one message smtpsink.py received (its "rcpts").
inline QStringList rcptsOf(const QJsonObject &msg)
{
    QStringList out;
    for (const QJsonValue &v : msg.value(QStringLiteral("rcpts")).toArray())
        out << v.toString();
    return out;
}

// A test class's database and spool, new for each test function (call
// nextPaths() from init()), and mailroutectl run against them. Mixed into the
// QObject test class: class TestX : public QObject, private ServeFixture.
class ServeFixture
{
protected:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_spool;
    int m_counter = 0;

    // Fresh paths in the temporary folder; false when it could not be made.
    bool nextPaths()
    {
        ++m_counter;
        m_db = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(m_counter));
        m_spool = m_dir.filePath(QStringLiteral("spool%1").arg(m_counter));
        return m_dir.isValid();
    }

    // MAILROUTE_DB set; no NOTIFY_SOCKET or WATCHDOG_USEC, so that serve never
    // notifies a service manager of the machine that runs the tests.
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = environmentWithDatabase(m_db);
        e.remove(QStringLiteral("NOTIFY_SOCKET"));
        e.remove(QStringLiteral("WATCHDOG_USEC"));
        return e;
    }

    // The test database through Python's sqlite3: sqliteWithPython().
    QString sql(const QString &code) const { return sqliteWithPython(m_db, code); }

    Run ctl(const QStringList &args) const { return runMailroutectl(args, env(), {}, 60000); }

    bool ctlOk(const QStringList &args, Run *out = nullptr) const
    {
        return mailroutectlSucceeds(args, env(), out);
    }

    bool startServe(QProcess &serve, quint16 port) const
    {
        return startServeProcess(serve, env(), port, m_spool);
    }

    static void stopServe(QProcess &serve, int waitMs = 15000) { stopServeProcess(serve, waitMs); }

    static int swaks(quint16 port, const QString &to, const QStringList &headers = {})
    {
        return sendWithSwaks(port, to, headers);
    }

    // The relay these tests serve, pushed: Inbound warmsushi.example ->
    // drypizza.example, relay.hostname relay.mailroute.test, no recipient
    // verification at RCPT (the tests are about the queue, delivery and what
    // serve reports, issue 18), each of `routed` routed to 127.0.0.1:sinkPort,
    // and the commands of `more` before the push. False (with a warning) at
    // the first command that fails.
    bool configureRelay(quint16 sinkPort, const QStringList &routed,
                        const QList<QStringList> &more = {}) const
    {
        QList<QStringList> commands{{QStringLiteral("domains"), QStringLiteral("add"),
                                     QStringLiteral("--area"), QStringLiteral("inbound"),
                                     QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")},
                                    {QStringLiteral("settings"), QStringLiteral("set"),
                                     QStringLiteral("relay.hostname"),
                                     QStringLiteral("relay.mailroute.test")},
                                    {QStringLiteral("settings"), QStringLiteral("set"),
                                     QStringLiteral("verify.recipients"), QStringLiteral("off")}};
        for (const QString &domain : routed) {
            commands.append({QStringLiteral("routes"), QStringLiteral("set"), domain,
                             QStringLiteral("[127.0.0.1]:%1").arg(sinkPort)});
        }
        commands += more;
        commands.append({QStringLiteral("push")});
        for (const QStringList &args : std::as_const(commands)) {
            if (!ctlOk(args))
                return false;
        }
        return true;
    }
};

} // namespace mailroute::testing
