// Issue 14 items 5 and 6 with `mailroutectl serve` as a process: a relay that
// reports itself (status --json while it runs and after it stopped, journald
// priority prefixes on its standard error, READY=1 / STOPPING=1 over a
// NOTIFY_SOCKET the test binds, a Prometheus metrics file parsed by the
// exposition format's rules) and --json for every listing command, parsed.
// Real peers: swaks as the client, smtpsink.py as the next hop.
#include "tests/app/ctlrun.h"
#include "tests/app/serveprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include "tests/skiporfail.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <QTest>

#include <cstddef>
#include <cstring>

#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace mailroute::testing;

namespace {

// A datagram socket like systemd's notification socket: a path, or an
// abstract name (leading '@' in NOTIFY_SOCKET).
class NotifySocket final
{
public:
    explicit NotifySocket(const QByteArray &name) : m_name(name)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (m_fd < 0 || name.size() >= static_cast<qsizetype>(sizeof address.sun_path))
            return;
        memcpy(address.sun_path, name.constData(), static_cast<size_t>(name.size()));
        socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
        if (name.startsWith('@'))
            address.sun_path[0] = '\0';
        else
            length += 1;
        m_bound = ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), length) == 0;
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (m_bound && !m_name.startsWith('@'))
            ::unlink(m_name.constData());
    }
    Q_DISABLE_COPY_MOVE(NotifySocket)

    bool isBound() const { return m_bound; }

    // Datagrams until one contains `key` (bounded wait); all of them joined.
    QByteArray waitFor(const QByteArray &key, int timeoutMs = 30000)
    {
        QByteArray all;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0)
                continue;
            char buffer[4096];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                continue;
            all += QByteArray(buffer, n) + "\n--\n";
            if (QByteArray(buffer, n).split('\n').contains(key))
                return all;
        }
        return all + "(timed out)";
    }

private:
    QByteArray m_name;
    int m_fd = -1;
    bool m_bound = false;
};

} // namespace

class TestReports : public QObject, private ServeFixture
{
    Q_OBJECT

private:
    // The JSON a command prints (exit status 0 expected).
    QJsonDocument json(const QStringList &args, int expectedCode = 0) const
    {
        const Run r = ctl(args);
        if (r.code != expectedCode)
            qWarning("mailroutectl %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))), r.code,
                     qPrintable(r.err));
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("mailroutectl %s: not JSON (%s): %s", qPrintable(args.join(QLatin1Char(' '))),
                     qPrintable(error.errorString()), qPrintable(r.out));
        return r.code == expectedCode ? doc : QJsonDocument();
    }

    void configure(quint16 sinkPort)
    {
        QVERIFY(
            configureRelay(sinkPort, {QStringLiteral("drypizza.example"), QStringLiteral("outside.example"),
                                      QStringLiteral("frozen.example")}));
    }

    // Starts serve with `extraEnv` and `extraArgs`; waits for "listening on".
    bool startServe(QProcess &serve, quint16 port, const QProcessEnvironment &extraEnv,
                    const QStringList &extraArgs, QString *err)
    {
        QProcessEnvironment e = env();
        for (const QString &k : extraEnv.keys())
            e.insert(k, extraEnv.value(k));
        return startServeProcess(serve, e, port, m_spool, extraArgs, err, 30000);
    }

    static void stopServe(QProcess &serve) { ServeFixture::stopServe(serve, 30000); }

private slots:
    void init() { QVERIFY(nextPaths()); }

    // Item 5: status, journal lines, notify, metrics of one real relay run.
    void serveReportsItself()
    {
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/swaks")), "swaks is not installed");
        PySink sink;
        // carol is refused for good (a bounce), dave for now (a deferral).
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<carol@drypizza.example>"),
                                                           QStringLiteral("550 5.1.1 no such user")},
                                                          {QStringLiteral("<dave@drypizza.example>"),
                                                           QStringLiteral("451 4.2.0 try later")}}}}),
                 qPrintable(sink.error()));
        configure(sink.port());
        QVERIFY(ctlOk({QStringLiteral("hold"), QStringLiteral("add"), QStringLiteral("frozen.example")}));

        // No relay yet: said clearly, exit status 3, the queue and holds still shown.
        Run r = ctl({QStringLiteral("status"), QStringLiteral("--spool"), m_spool});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.out.startsWith(QLatin1String("relay: not running")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("\nhold: frozen.example since ")), qPrintable(r.out));
        QJsonObject st =
            json({QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--spool"), m_spool}, 3)
                .object();
        QCOMPARE(st.value(QStringLiteral("running")), QJsonValue(false));
        QCOMPARE(st.value(QStringLiteral("generation")).toInteger(), 1);
        QVERIFY(st.value(QStringLiteral("last_delivery")).isNull());

        const QByteArray notifyPath =
            m_dir.filePath(QStringLiteral("notify%1.sock").arg(m_counter)).toLocal8Bit();
        NotifySocket notify(notifyPath);
        QVERIFY(notify.isBound());
        const QString metricsFile = m_dir.filePath(QStringLiteral("mailroute%1.prom").arg(m_counter));
        QProcessEnvironment extra;
        extra.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLocal8Bit(notifyPath));
        const quint16 port = closedPort();
        QProcess serve;
        QString err;
        QVERIFY(startServe(serve, port, extra,
                           {QStringLiteral("--metrics-file"), metricsFile,
                            QStringLiteral("--metrics-interval"), QStringLiteral("1")},
                           &err));
        const QByteArray ready = notify.waitFor("READY=1");
        QVERIFY2(ready.contains("READY=1\n") || ready.endsWith("READY=1\n--\n"), ready.constData());
        QVERIFY2(ready.contains(QByteArray("STATUS=listening on 127.0.0.1:" + QByteArray::number(port) +
                                           ", generation 1")),
                 ready.constData());
        QVERIFY2(ready.contains(QByteArray("MAINPID=" + QByteArray::number(serve.processId()))),
                 ready.constData());

        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
        QCOMPARE(swaks(port, QStringLiteral("carol@warmsushi.example")), 0);
        QCOMPARE(swaks(port, QStringLiteral("dave@warmsushi.example")), 0);
        QVERIFY(swaks(port, QStringLiteral("someone@partner.example")) != 0); // relay access denied

        // Reported by the running relay: delivered, bounced, deferred.
        const QStringList statusJson{QStringLiteral("status"), QStringLiteral("--json"),
                                     QStringLiteral("--spool"), m_spool};
        auto inbound = [&] {
            return st.value(QStringLiteral("messages"))
                .toObject()
                .value(QStringLiteral("inbound"))
                .toObject();
        };
        const bool reported = QTest::qWaitFor(
            [&] {
                st = json(statusJson).object();
                return inbound().value(QStringLiteral("delivered")).toInteger() == 1 &&
                       inbound().value(QStringLiteral("bounced")).toInteger() == 1 &&
                       inbound().value(QStringLiteral("deferred")).toInteger() >= 1;
            },
            30000);
        QVERIFY2(reported, QJsonDocument(st).toJson().constData());
        QCOMPARE(st.value(QStringLiteral("running")), QJsonValue(true));
        QCOMPARE(st.value(QStringLiteral("reporting")), QJsonValue(true));
        QCOMPARE(st.value(QStringLiteral("listening")), QJsonValue(true));
        QCOMPARE(st.value(QStringLiteral("pid")).toInteger(), serve.processId());
        QCOMPARE(st.value(QStringLiteral("listen")).toArray(),
                 QJsonArray{QStringLiteral("127.0.0.1:%1").arg(port)});
        QCOMPARE(st.value(QStringLiteral("generation")).toInteger(), 1);
        QVERIFY(st.value(QStringLiteral("sessions")).isDouble());
        QCOMPARE(inbound().value(QStringLiteral("received")).toInteger(), 3);
        QCOMPARE(st.value(QStringLiteral("messages"))
                     .toObject()
                     .value(QStringLiteral("none"))
                     .toObject()
                     .value(QStringLiteral("refused"))
                     .toInteger(),
                 1);
        const QJsonObject lastDelivery = st.value(QStringLiteral("last_delivery")).toObject();
        // The last delivery is bob's, or the bounce (DSN) to alice that followed it.
        QVERIFY2(
            QStringList({QStringLiteral("bob@drypizza.example"), QStringLiteral("alice@outside.example")})
                .contains(lastDelivery.value(QStringLiteral("to")).toString()),
            QJsonDocument(lastDelivery).toJson().constData());
        QCOMPARE(st.value(QStringLiteral("last_error")).toObject().value(QStringLiteral("event")).toString(),
                 QStringLiteral("bounced"));
        const QJsonObject queue = st.value(QStringLiteral("queue")).toObject();
        QCOMPARE(queue.value(QStringLiteral("deferred")).toInteger(), 1); // dave
        QCOMPARE(queue.value(QStringLiteral("held")).toInteger(), 0);
        QCOMPARE(st.value(QStringLiteral("holds")).toArray().size(), 1);
        QCOMPARE(st.value(QStringLiteral("holds")).toArray().at(0).toObject().value(QStringLiteral("domain")),
                 QJsonValue(QStringLiteral("frozen.example")));

        r = ctl({QStringLiteral("status"), QStringLiteral("--spool"), m_spool});
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 8, qPrintable(r.out));
        QVERIFY2(
            lines.at(0).startsWith(QStringLiteral("relay: running (pid %1, since ").arg(serve.processId())),
            qPrintable(r.out));
        QCOMPARE(lines.at(1), QStringLiteral("listening: 127.0.0.1:%1").arg(port));
        QCOMPARE(lines.at(2), QStringLiteral("generation: 1"));
        QVERIFY2(lines.at(3).startsWith(QLatin1String("sessions: ")), qPrintable(r.out));
        QVERIFY2(lines.at(4).contains(QLatin1String("1 deferred, 0 held")), qPrintable(r.out));
        QVERIFY2(lines.at(5).startsWith(QLatin1String("last delivery: ")), qPrintable(r.out));
        QVERIFY2(lines.at(6).startsWith(QLatin1String("last error: ")) &&
                     lines.at(6).contains(QLatin1String("bounced: ")),
                 qPrintable(r.out));

        // queue list --json: dave, attempted once, waiting.
        const QJsonArray queued = json({QStringLiteral("queue"), QStringLiteral("list"),
                                        QStringLiteral("--json"), QStringLiteral("--spool"), m_spool})
                                      .array();
        QCOMPARE(queued.size(), 1);
        QCOMPARE(queued.at(0).toObject().value(QStringLiteral("recipient")),
                 QJsonValue(QStringLiteral("dave@drypizza.example")));
        QCOMPARE(queued.at(0).toObject().value(QStringLiteral("original_recipient")),
                 QJsonValue(QStringLiteral("dave@warmsushi.example")));
        QVERIFY(queued.at(0).toObject().value(QStringLiteral("attempts")).toInteger() >= 1);
        QVERIFY(queued.at(0).toObject().value(QStringLiteral("next_attempt")).isString());

        // The metrics file, by the exposition format's rules, once it counts the delivery.
        QString metrics;
        const QString deliveredSample =
            QStringLiteral("mailroute_messages_total{area=\"inbound\",status=\"delivered\"} 1");
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         QFile f(metricsFile);
                         metrics = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
                         return metrics.contains(deliveredSample + QLatin1Char('\n'));
                     },
                     15000),
                 qPrintable(metrics));
        QVERIFY(QFileInfo(metricsFile).permissions().testFlag(QFileDevice::ReadOther));
        static const QRegularExpression sample(QStringLiteral(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
            "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*)\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$"));
        static const QRegularExpression comment(
            QStringLiteral("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$"));
        QHash<QString, QString> types;
        QHash<QString, double> samples;
        QVERIFY(metrics.endsWith(QLatin1Char('\n')));
        for (const QString &line : metrics.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1Char('#'))) {
                const auto m = comment.match(line);
                QVERIFY2(m.hasMatch(), qPrintable(line));
                if (m.captured(1) == QLatin1String("TYPE"))
                    types.insert(m.captured(2), m.captured(3));
                continue;
            }
            const auto m = sample.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(line));
            QVERIFY2(m.captured(1).startsWith(QLatin1String("mailroute_")), qPrintable(line));
            QVERIFY2(types.contains(m.captured(1)), qPrintable(QStringLiteral("no TYPE before ") + line));
            QVERIFY2(!samples.contains(m.captured(1) + m.captured(2)),
                     qPrintable(QStringLiteral("twice: ") + line));
            samples.insert(m.captured(1) + m.captured(2), m.captured(m.lastCapturedIndex()).toDouble());
        }
        QCOMPARE(types.value(QStringLiteral("mailroute_messages_total")), QStringLiteral("counter"));
        QCOMPARE(types.value(QStringLiteral("mailroute_queue_recipients")), QStringLiteral("gauge"));
        QCOMPARE(
            samples.value(QStringLiteral("mailroute_messages_total{area=\"inbound\",status=\"received\"}")),
            3.0);
        QCOMPARE(
            samples.value(QStringLiteral("mailroute_messages_total{area=\"inbound\",status=\"bounced\"}")),
            1.0);
        QCOMPARE(samples.value(QStringLiteral("mailroute_messages_total{area=\"none\",status=\"refused\"}")),
                 1.0);
        QCOMPARE(samples.value(QStringLiteral("mailroute_queue_recipients{state=\"deferred\"}")), 1.0);
        QCOMPARE(samples.value(QStringLiteral("mailroute_generation")), 1.0);
        QCOMPARE(samples.value(QStringLiteral("mailroute_listening")), 1.0);
        QVERIFY(samples.value(QStringLiteral("mailroute_last_delivery_timestamp_seconds")) > 1.7e9);
        QVERIFY(!QDir(QFileInfo(metricsFile).absolutePath())
                     .entryList({QFileInfo(metricsFile).fileName() + QStringLiteral(".*")}, QDir::Files)
                     .size()); // no temporary file left beside it

        // logs --json: the same events from the database.
        const QJsonArray logs =
            json({QStringLiteral("logs"), QStringLiteral("--messages"), QStringLiteral("--json")}).array();
        bool deliveredLogged = false;
        for (const QJsonValue &v : logs) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.value(QStringLiteral("kind")), QJsonValue(QStringLiteral("message")));
            if (o.value(QStringLiteral("event")) == QJsonValue(QStringLiteral("delivered")) &&
                o.value(QStringLiteral("fields")).toObject().value(QStringLiteral("to")) ==
                    QJsonValue(QStringLiteral("bob@drypizza.example")))
                deliveredLogged = !o.value(QStringLiteral("queue_id")).toString().isEmpty();
        }
        QVERIFY(deliveredLogged);

        // Stop: STOPPING=1, then nothing runs and the status says so.
        serve.terminate();
        const QByteArray stopping = notify.waitFor("STOPPING=1");
        QVERIFY2(stopping.contains("STOPPING=1"), stopping.constData());
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 0);
        err += QString::fromUtf8(serve.readAllStandardError());
        QVERIFY(!QFile::exists(m_spool + QStringLiteral("/relay-status.json")));
        r = ctl({QStringLiteral("status"), QStringLiteral("--spool"), m_spool});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.out.startsWith(QLatin1String("relay: not running")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("1 deferred")), qPrintable(r.out)); // read from the spool

        // Standard error (a pipe here): one line per event with its journald priority.
        const QStringList errLines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        static const QRegularExpression prefixed(
            QStringLiteral("^<([346])>(relay|inbound|outbound|-) (\\S+) ([a-z_-]+): ?"));
        QHash<QString, QString> priorityOf; // event -> priorities seen
        for (const QString &line : errLines) {
            if (line.startsWith(QLatin1String("mailroutectl: ")))
                continue;
            const auto m = prefixed.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("not a journal line: ") + line));
            priorityOf[m.captured(4)] += m.captured(1);
        }
        QVERIFY2(priorityOf.value(QStringLiteral("received")).count(QLatin1Char('6')) == 3, qPrintable(err));
        QVERIFY2(priorityOf.value(QStringLiteral("rewritten")).contains(QLatin1Char('6')), qPrintable(err));
        QVERIFY2(priorityOf.value(QStringLiteral("delivered")).startsWith(QLatin1Char('6')), qPrintable(err));
        QCOMPARE(priorityOf.value(QStringLiteral("bounced")), QStringLiteral("3"));
        QVERIFY2(priorityOf.value(QStringLiteral("deferred")).startsWith(QLatin1Char('4')), qPrintable(err));
        QCOMPARE(priorityOf.value(QStringLiteral("refused")), QStringLiteral("4"));
        QVERIFY2(err.contains(QRegularExpression(QStringLiteral("\n<6>inbound \\S+ rewritten: "))),
                 qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("<4>- - refused: client=127.0.0.1 from=alice@outside.example "
                                            "to=someone@partner.example reply=550 5.7.1 ")),
                 qPrintable(err));
        QVERIFY(rcptsOf(sink.messages().value(0)).size() == 1);
    }

    // NOTIFY_SOCKET as an abstract name ("@..."), as systemd may hand it out.
    void notifiesAnAbstractSocket()
    {
        configure(closedPort());
        const QByteArray name = "@mailroute-test-" + QByteArray::number(QCoreApplication::applicationPid()) +
                                "-" + QByteArray::number(m_counter);
        NotifySocket notify(name);
        QVERIFY(notify.isBound());
        QProcessEnvironment extra;
        extra.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLatin1(name));
        // WatchdogSec=0.4s: a keep-alive every 200 ms.
        extra.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));
        QProcess serve;
        QString err;
        QVERIFY(startServe(serve, closedPort(), extra, {}, &err));
        const QByteArray ready = notify.waitFor("READY=1");
        QVERIFY2(ready.contains("READY=1"), ready.constData());
        const QByteArray watchdog = notify.waitFor("WATCHDOG=1", 10000);
        QVERIFY2(watchdog.contains("WATCHDOG=1"), watchdog.constData());
        stopServe(serve);
        QCOMPARE(serve.exitCode(), 0);
        // Bad options: a clear usage error, nothing started.
        Run r = ctl({QStringLiteral("serve"), QStringLiteral("--metrics-file"),
                     m_dir.filePath(QStringLiteral("no/such/folder/m.prom"))});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("does not exist")), qPrintable(r.err));
        r = ctl({QStringLiteral("serve"), QStringLiteral("--metrics-interval"), QStringLiteral("5")});
        QCOMPARE(r.code, 2);
    }

    // On a terminal (a pseudo-terminal from script(1)): plain lines that
    // start with the UTC time, no journald prefixes.
    void terminalGetsPlainLines()
    {
        MAILROUTE_REQUIRE(QFile::exists(QStringLiteral("/usr/bin/script")),
                          "script (util-linux) is not installed");
        configure(closedPort());
        const quint16 port = closedPort();
        QProcess script;
        script.setProcessEnvironment(env());
        script.setProcessChannelMode(QProcess::MergedChannels);
        const QString command = QStringLiteral("exec '%1' serve --listen 127.0.0.1:%2 --spool '%3'")
                                    .arg(QStringLiteral(MAILROUTECTL_PATH))
                                    .arg(port)
                                    .arg(m_spool);
        script.start(QStringLiteral("/usr/bin/script"),
                     {QStringLiteral("-qfec"), command, QStringLiteral("/dev/null")});
        QVERIFY(script.waitForStarted(10000));
        QString out;
        const bool listening = QTest::qWaitFor(
            [&] {
                out += QString::fromUtf8(script.readAll());
                return out.contains(QLatin1String(" - - listening: ")) || script.state() != QProcess::Running;
            },
            30000);
        // Stop serve itself (SIGTERM by its pid, from the status file), then script.
        qint64 pid = 0;
        [[maybe_unused]] const bool reporting = QTest::qWaitFor(
            [&] {
                out += QString::fromUtf8(script.readAll());
                pid = json({QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--spool"),
                            m_spool})
                          .object()
                          .value(QStringLiteral("pid"))
                          .toInteger();
                return pid > 0 || script.state() != QProcess::Running;
            },
            20000);
        if (pid > 0)
            ::kill(static_cast<pid_t>(pid), SIGTERM);
        QVERIFY(script.waitForFinished(30000) || (script.kill(), script.waitForFinished(5000), false));
        out += QString::fromUtf8(script.readAll());
        QVERIFY2(listening, qPrintable(out));
        QVERIFY2(pid > 0, "no pid in status --json");
        static const QRegularExpression plain(
            QStringLiteral(R"((^|\n)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ - - listening: address=127\.0\.0\.1:)"));
        QVERIFY2(plain.match(out).hasMatch(), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("<6>")), qPrintable(out));
    }

    // Item 6: every listing command's --json parses, with its keys.
    void listingsPrintJson()
    {
        QVERIFY(ctlOk({QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("warmsushi.example"),
                       QStringLiteral("drypizza.example")}));
        QVERIFY(ctlOk({QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("bob@warmsushi.example"),
                       QStringLiteral("bob.owen@drypizza.example")}));
        QVERIFY(
            ctlOk({QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("drypizza.example"),
                   QStringLiteral("[127.0.0.1]:2525"), QStringLiteral("--tls"), QStringLiteral("verify")}));
        // Before the first push: the diff lists the changes; the lint warns
        // about the domain in two areas.
        QVERIFY(ctlOk({QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                       QStringLiteral("relay"), QStringLiteral("warmsushi.example"),
                       QStringLiteral("elsewhere.example")}));
        const QJsonArray diff = json({QStringLiteral("diff"), QStringLiteral("--json")}).array();
        QVERIFY(diff.size() >= 3);
        for (const QJsonValue &v : diff)
            QVERIFY(!v.toObject().value(QStringLiteral("change")).toString().isEmpty());
        const QJsonArray lint = json({QStringLiteral("lint"), QStringLiteral("--json")}).array();
        QVERIFY(!lint.isEmpty());
        QCOMPARE(lint.at(0).toObject().value(QStringLiteral("severity")),
                 QJsonValue(QStringLiteral("warning")));
        QVERIFY(lint.at(0).toObject().contains(QStringLiteral("area")));
        QVERIFY(!lint.at(0).toObject().value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(ctlOk({QStringLiteral("push")}));
        QCOMPARE(json({QStringLiteral("diff"), QStringLiteral("--json")}).array(), QJsonArray());

        QCOMPARE(json({QStringLiteral("domains"), QStringLiteral("list"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("--json")})
                     .array(),
                 (QJsonArray{QJsonObject{{QStringLiteral("source"), QStringLiteral("@warmsushi.example")},
                                         {QStringLiteral("target"), QStringLiteral("@drypizza.example")}}}));
        const QJsonArray users{
            QJsonObject{{QStringLiteral("source"), QStringLiteral("bob@warmsushi.example")},
                        {QStringLiteral("target"), QStringLiteral("bob.owen@drypizza.example")}}};
        QCOMPARE(json({QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("--json")})
                     .array(),
                 users);
        QCOMPARE(json({QStringLiteral("users"), QStringLiteral("export"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("--json")})
                     .array(),
                 users);
        const QString exported = m_dir.filePath(QStringLiteral("users%1.json").arg(m_counter));
        QVERIFY(ctlOk({QStringLiteral("users"), QStringLiteral("export"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("--json"), exported}));
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(file.readAll()).array(), users);
        QCOMPARE(json({QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--area"),
                       QStringLiteral("outbound"), QStringLiteral("--json")})
                     .toJson(QJsonDocument::Compact),
                 QByteArray("[]"));

        const QJsonArray generations =
            json({QStringLiteral("generations"), QStringLiteral("--json")}).array();
        QCOMPARE(generations.size(), 1);
        QCOMPARE(generations.at(0).toObject().value(QStringLiteral("generation")).toInteger(), 1);
        QCOMPARE(generations.at(0).toObject().value(QStringLiteral("active")), QJsonValue(true));
        QCOMPARE(generations.at(0).toObject().value(QStringLiteral("domains")).toInteger(), 2);
        QCOMPARE(generations.at(0).toObject().value(QStringLiteral("users")).toInteger(), 1);

        bool listenFound = false;
        for (const QJsonValue &v :
             json({QStringLiteral("settings"), QStringLiteral("list"), QStringLiteral("--json")}).array()) {
            const QJsonObject o = v.toObject();
            QVERIFY(o.contains(QStringLiteral("value")) && o.contains(QStringLiteral("default")));
            if (o.value(QStringLiteral("key")) == QJsonValue(QStringLiteral("relay.listen")))
                listenFound = o.value(QStringLiteral("value")) == QJsonValue(QStringLiteral("0.0.0.0:25"));
        }
        QVERIFY(listenFound);
        QCOMPARE(json({QStringLiteral("routes"), QStringLiteral("list"), QStringLiteral("--json")}).array(),
                 (QJsonArray{QJsonObject{{QStringLiteral("domain"), QStringLiteral("drypizza.example")},
                                         {QStringLiteral("next_hop"), QStringLiteral("[127.0.0.1]:2525")},
                                         {QStringLiteral("tls"), QStringLiteral("verify")}}}));
        QCOMPARE(json({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--json"),
                       QStringLiteral("--spool"), m_spool})
                     .array(),
                 QJsonArray());
        QVERIFY(ctlOk({QStringLiteral("hold"), QStringLiteral("add"), QStringLiteral("drypizza.example"),
                       QStringLiteral("--until"), QStringLiteral("2d")}));
        const QJsonArray holds =
            json({QStringLiteral("hold"), QStringLiteral("list"), QStringLiteral("--json")}).array();
        QCOMPARE(holds.size(), 1);
        QCOMPARE(holds.at(0).toObject().value(QStringLiteral("domain")),
                 QJsonValue(QStringLiteral("drypizza.example")));
        QVERIFY(holds.at(0).toObject().value(QStringLiteral("until")).isString());
        QCOMPARE(json({QStringLiteral("dkim"), QStringLiteral("list"), QStringLiteral("--json")}).array(),
                 QJsonArray());
        QVERIFY(
            ctlOk({QStringLiteral("verify"), QStringLiteral("exclude"), QStringLiteral("drypizza.example")}));
        QCOMPARE(
            json({QStringLiteral("verify"), QStringLiteral("excluded"), QStringLiteral("--json")}).array(),
            (QJsonArray{QJsonObject{{QStringLiteral("domain"), QStringLiteral("drypizza.example")}}}));

        // logs: the edits and the push, as action entries.
        const QJsonArray logs =
            json({QStringLiteral("logs"), QStringLiteral("--actions"), QStringLiteral("--json")}).array();
        QVERIFY(logs.size() >= 4);
        for (const QJsonValue &v : logs) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.value(QStringLiteral("kind")), QJsonValue(QStringLiteral("action")));
            QVERIFY(QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate).isValid());
            QVERIFY(!o.value(QStringLiteral("message")).toString().isEmpty());
        }
        // logs --follow --json: JSON Lines, one object per line, as they come.
        QProcess follow;
        follow.setProcessEnvironment(env());
        follow.start(QStringLiteral(MAILROUTECTL_PATH),
                     {QStringLiteral("logs"), QStringLiteral("--actions"), QStringLiteral("--follow"),
                      QStringLiteral("--json")});
        QVERIFY(follow.waitForStarted(10000));
        QByteArray followed;
        QVERIFY(QTest::qWaitFor(
            [&] {
                followed += follow.readAllStandardOutput();
                return followed.count('\n') >= logs.size();
            },
            20000));
        follow.terminate();
        QVERIFY(follow.waitForFinished(10000));
        for (const QByteArray &line : followed.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error{};
            QVERIFY2(QJsonDocument::fromJson(line, &error).isObject(), line.constData());
        }

        // --json where there is nothing to list: a usage error, nothing done.
        for (const QStringList &args :
             {QStringList{QStringLiteral("push"), QStringLiteral("--json")},
              QStringList{QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                          QStringLiteral("inbound"), QStringLiteral("a.example"), QStringLiteral("b.example"),
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("hold"), QStringLiteral("release"),
                          QStringLiteral("drypizza.example"), QStringLiteral("--json")},
              QStringList{QStringLiteral("verify"), QStringLiteral("include"),
                          QStringLiteral("drypizza.example"), QStringLiteral("--json")}}) {
            const Run r = ctl(args);
            QVERIFY2(r.code == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
            QVERIFY2(r.err.contains(QLatin1String("--json")), qPrintable(r.err));
        }
        QCOMPARE(json({QStringLiteral("domains"), QStringLiteral("list"), QStringLiteral("--area"),
                       QStringLiteral("inbound"), QStringLiteral("--json")})
                     .array()
                     .size(),
                 1);
        QCOMPARE(
            json({QStringLiteral("hold"), QStringLiteral("list"), QStringLiteral("--json")}).array().size(),
            1);

        // check connector --json: the table's rows, against a real SMTP sink.
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const QString hop = QStringLiteral("127.0.0.1:%1").arg(sink.port());
        const QJsonArray steps =
            json({QStringLiteral("check"), QStringLiteral("connector"), hop, QStringLiteral("--json")})
                .array();
        QStringList tasks;
        for (const QJsonValue &v : steps) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.value(QStringLiteral("next_hop")), QJsonValue(hop));
            QVERIFY(QStringList({QStringLiteral("OK"), QStringLiteral("WARNING"), QStringLiteral("FAILED")})
                        .contains(o.value(QStringLiteral("status")).toString()));
            tasks << o.value(QStringLiteral("task")).toString();
            if (tasks.last() == QLatin1String("Banner"))
                QCOMPARE(o.value(QStringLiteral("detail")),
                         QJsonValue(QStringLiteral("220 sink.test ESMTP")));
        }
        QVERIFY2(tasks.contains(QStringLiteral("Connect")) && tasks.contains(QStringLiteral("EHLO")),
                 qPrintable(tasks.join(QLatin1Char(','))));
    }
};

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
