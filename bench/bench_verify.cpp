// Recipient verification (issue 18): what it adds to RCPT, and to the
// relay's intake. The relay runs on its engine thread (EngineController)
// with a private Postfix as the target (tests/postfixinstance.h: relay
// recipient table of N users, everything accepted is discarded); this
// thread is the SMTP client on blocking sockets.
//   - RCPT latency: verification off, cold cache (a probe each), warm cache;
//   - intake throughput (messages accepted per second, one RCPT each, on one
//     connection): verification off vs on with a warm cache.
// Usage: bench_verify [USERS] [MESSAGES]   (defaults 300 and 1000; needs root
// for Postfix). Prints a Markdown table.
#include "relaycore/engine/relayconfig.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/postfixinstance.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

// One reply (the last line, multi-line replies included).
QByteArray reply(QTcpSocket &s)
{
    QByteArray buf;
    while (true) {
        while (!s.canReadLine()) {
            if (!s.waitForReadyRead(60000))
                return buf;
        }
        const QByteArray line = s.readLine();
        buf = line;
        if (line.size() >= 4 && line[3] == ' ')
            return line;
    }
}

QByteArray command(QTcpSocket &s, const QByteArray &line)
{
    s.write(line + "\r\n");
    s.waitForBytesWritten(10000);
    return reply(s);
}

struct Latency
{
    double medianMs = 0;
    double p95Ms = 0;
    double meanMs = 0;
};

Latency summarize(std::vector<double> v)
{
    Latency l;
    if (v.empty())
        return l;
    std::sort(v.begin(), v.end());
    l.medianMs = v[v.size() / 2];
    l.p95Ms = v[std::min(v.size() - 1, v.size() * 95 / 100)];
    double sum = 0;
    for (double x : v)
        sum += x;
    l.meanMs = sum / double(v.size());
    return l;
}

// RCPT round trips for user0..user{n-1}@corp.example on one session, RSET
// after every 50 (limits.recipients is 100).
std::vector<double> rcptLatencies(quint16 port, int users, int *refused)
{
    std::vector<double> out;
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(5000))
        return out;
    reply(s);
    command(s, "EHLO bench.test");
    command(s, "MAIL FROM:<bench@sender.example>");
    QElapsedTimer t;
    for (int i = 0; i < users; ++i) {
        if (i > 0 && i % 50 == 0) {
            command(s, "RSET");
            command(s, "MAIL FROM:<bench@sender.example>");
        }
        t.start();
        const QByteArray r = command(s, "RCPT TO:<user" + QByteArray::number(i) + "@corp.example>");
        out.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!r.startsWith("250"))
            ++*refused;
    }
    command(s, "QUIT");
    return out;
}

// Messages accepted per second on one connection, one RCPT each.
double intakeRate(quint16 port, int messages, int users)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(5000))
        return 0;
    reply(s);
    command(s, "EHLO bench.test");
    QByteArray body = "From: bench@sender.example\r\nTo: someone@corp.example\r\nSubject: bench\r\n\r\n";
    for (int l = 0; l < 20; ++l)
        body += QByteArray(48, 'x') + "\r\n";
    body += '.';
    QElapsedTimer t;
    t.start();
    int ok = 0;
    for (int i = 0; i < messages; ++i) {
        const QByteArray mail = command(s, "MAIL FROM:<bench@sender.example>");
        const QByteArray rcpt =
            command(s, "RCPT TO:<user" + QByteArray::number(i % users) + "@corp.example>");
        const QByteArray data = command(s, "DATA");
        if (!data.startsWith("354")) {
            if (i == 0)
                std::fprintf(stderr, "intake: %s / %s / %s\n", mail.constData(), rcpt.constData(),
                             data.constData());
            continue;
        }
        const QByteArray end = command(s, body);
        if (end.startsWith("250"))
            ++ok;
        else if (i == 0)
            std::fprintf(stderr, "intake: end of data: %s\n", end.constData());
    }
    const double secs = double(t.nsecsElapsed()) / 1e9;
    command(s, "QUIT");
    return ok / secs;
}

std::unique_ptr<EngineController> startRelay(quint16 listen, quint16 target, bool verify,
                                             const QString &spool)
{
    ConfigData c;
    c.area(Area::Inbound).domains << DomainMapping{QStringLiteral("corp.example"),
                                                   QStringLiteral("tenant.test")};
    c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listen));
    c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
    c.settings.insert(QStringLiteral("verify.recipients"),
                      verify ? QStringLiteral("inbound") : QStringLiteral("off"));
    c.settings.insert(QStringLiteral("limits.errors"), QStringLiteral("1000"));
    c.routes << TransportRoute{QStringLiteral("tenant.test"), QStringLiteral("[127.0.0.1]:%1").arg(target)};
    auto rc = RelayConfig::build(c, 1);
    if (!rc.ok())
        qFatal("%s", qPrintable(rc.error));
    EngineController::Options o;
    o.engine.spoolDirectory = spool;
    auto e = std::make_unique<EngineController>(o);
    e->start(*rc);
    QElapsedTimer t;
    t.start();
    while (!e->status().listening && t.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return e;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int users = argc > 1 ? atoi(argv[1]) : 300;
    const int messages = argc > 2 ? atoi(argv[2]) : 1000;
    if (!PostfixInstance::available()) {
        std::fprintf(stderr, "%s\n", qPrintable(PostfixInstance::requirement()));
        return 77;
    }
    QTemporaryDir dir;
    PostfixInstance pf;
    QStringList known;
    for (int i = 0; i < users; ++i)
        known << QStringLiteral("user%1@tenant.test").arg(i);
    if (!pf.start({{QStringLiteral("tenant.test")}, known})) {
        std::fprintf(stderr, "postfix: %s\n", qPrintable(pf.error()));
        return 1;
    }
    auto freePort = [] {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    };

    int refused = 0;
    const quint16 offPort = freePort();
    auto off = startRelay(offPort, pf.port(), false, dir.filePath(QStringLiteral("spool-off")));
    const Latency lOff = summarize(rcptLatencies(offPort, users, &refused));
    const double rateOff = intakeRate(offPort, messages, users);
    off.reset();

    const quint16 onPort = freePort();
    auto on = startRelay(onPort, pf.port(), true, dir.filePath(QStringLiteral("spool-on")));
    const Latency lCold = summarize(rcptLatencies(onPort, users, &refused));
    const Latency lWarm = summarize(rcptLatencies(onPort, users, &refused));
    const double rateOn = intakeRate(onPort, messages, users);
    on.reset();

    std::printf(
        "Recipient verification, %d users at a local Postfix, %d messages of 1 kB, one client connection\n\n",
        users, messages);
    std::printf("| RCPT | median | p95 | mean |\n|---|---|---|---|\n");
    std::printf("| verification off | %.2f ms | %.2f ms | %.2f ms |\n", lOff.medianMs, lOff.p95Ms,
                lOff.meanMs);
    std::printf("| cold cache (one probe each) | %.2f ms | %.2f ms | %.2f ms |\n", lCold.medianMs,
                lCold.p95Ms, lCold.meanMs);
    std::printf("| warm cache | %.2f ms | %.2f ms | %.2f ms |\n\n", lWarm.medianMs, lWarm.p95Ms,
                lWarm.meanMs);
    std::printf("| intake | messages/s |\n|---|---|\n");
    std::printf("| verification off | %.0f |\n| verification on, warm cache | %.0f |\n", rateOff, rateOn);
    if (refused > 0)
        std::printf("\n(%d RCPTs were refused: the figures are not valid)\n", refused);
    return refused > 0 ? 1 : 0;
}
