// Measures what connection reuse buys: N messages to one next hop (Postfix's
// smtp-sink on 127.0.0.1) with reuse on and off, at the default concurrency.
// Not a test (docs/architecture.md "Tests": no timing assertions in the suite);
// run by hand:
//   build-delivery/tests/relaycore/delivery/measure_deliveryreuse [messages]
#include "relaycore/delivery/deliveryagent.h"

#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

struct Figures
{
    double seconds = 0;
    int delivered = 0;
    DeliveryAgent::Stats stats;
};

Figures run(quint16 port, int messages, bool reuse)
{
    DeliveryAgent::Settings s;
    s.heloName = QStringLiteral("relay.test");
    s.reuseConnections = reuse;
    DeliveryAgent agent(s);
    Figures f;
    // A real event loop: QTest::qWaitFor sleeps 10 ms between rounds of
    // events, which would measure the harness instead of the agent.
    QEventLoop loop;
    int finished = 0;
    QObject::connect(&agent, &DeliveryAgent::finished, &loop, [&](const DeliveryResult &r) {
        ++finished;
        if (r.recipients.value(0).verdict == DeliveryVerdict::Delivered)
            ++f.delivered;
        if (finished == messages)
            loop.quit();
    });
    QTimer::singleShot(600'000, &loop, &QEventLoop::quit);
    const QByteArray data = "Subject: bench\r\n\r\n" + QByteArray(4000, 'x') + "\r\n";
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < messages; ++i) {
        DeliveryRequest r;
        r.messageId = i + 1;
        r.sender = QStringLiteral("s@warm.test");
        r.recipients = {QStringLiteral("r%1@dry.test").arg(i)};
        r.recipientIds = {i + 1};
        r.destination = QStringLiteral("route:bench");
        r.hops = {NextHop{QStringLiteral("127.0.0.1"), port, 0, QStringLiteral("route"),
                          QStringLiteral("127.0.0.1")}};
        r.data = data;
        agent.deliver(r);
    }
    loop.exec();
    if (finished != messages)
        std::fprintf(stderr, "timed out after %d of %d\n", finished, messages);
    f.seconds = double(t.nsecsElapsed()) / 1e9;
    f.stats = agent.stats();
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int messages = argc > 1 ? QByteArray(argv[1]).toInt() : 5000;
    if (!PostfixSink::available()) {
        std::fprintf(stderr, "needs /usr/sbin/smtp-sink\n");
        return 2;
    }
    PostfixSink sink;
    if (!sink.start({}, false)) {
        std::fprintf(stderr, "smtp-sink did not start\n");
        return 2;
    }
    std::printf("%d messages of 4 KB to smtp-sink on 127.0.0.1, concurrency 10\n", messages);
    for (const bool reuse : {false, true, false, true}) {
        const Figures f = run(sink.port(), messages, reuse);
        std::printf("reuse %-3s  %6.2f s  %7.0f msg/s  delivered %d  connections %llu  reused %llu\n",
                    reuse ? "on" : "off", f.seconds, f.delivered / f.seconds, f.delivered,
                    static_cast<unsigned long long>(f.stats.connectionsOpened),
                    static_cast<unsigned long long>(f.stats.reusedTransactions));
    }
    return 0;
}
