// ARC sealing figures (issue 13; BENCHMARKS.md):
//
//   bench_arc seal [SECONDS]
//       On one core, 4 KB message: seals per second for RSA-2048 and
//       Ed25519, first hop (cv=none) and after a chain of one (cv=pass); and
//       chain validations per second (key records answered at once).
//   bench_arc serve LISTEN_PORT SINK_PORT SPOOL_DIR off|always
//       The relay (RelayEngine on its thread, as mailroutectl serve runs it)
//       with outbound.allowed_clients 127.0.0.1 (senders @warmsushi.example),
//       no rewriting rule, every domain routed to
//       [127.0.0.1]:SINK_PORT, an active RSA-2048 key of arc.domain
//       seal.example, and arc.seal off or always (every message sealed). No
//       DKIM key signs. Runs until SIGINT/SIGTERM; bench/arc-bench.sh
//       drives it.
// Prints key=value lines.
#include "relaycore/arc/arcchain.h"
#include "relaycore/arc/arcsealer.h"
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/runtime/enginecontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace mailroute;

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int)
{
    g_stop = 1;
}

QByteArray message4k()
{
    QByteArray m = "Authentication-Results: relay.example; spf=pass smtp.mailfrom=bob@drypizza.example\r\n"
                   "Received: from client.example (client.example [192.0.2.7])\r\n"
                   "\tby relay.example with ESMTP id 0123456789AB; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                   "From: Bob Owen <bob@drypizza.example>\r\n"
                   "To: Chloe <chloe@partner.example>, dan@partner.example\r\n"
                   "Subject: The quarterly figures\r\n"
                   "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                   "Message-ID: <20240101100000.1234@drypizza.example>\r\n"
                   "MIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n"
                   "\r\n";
    while (m.size() < 4096)
        m += "The quick brown fox jumps over the lazy dog; the figures follow below.\r\n";
    m.truncate(4094);
    m += "\r\n";
    return m;
}

int benchSeal(double seconds)
{
    const QByteArray message = message4k();
    for (DkimAlgorithm a : {DkimAlgorithm::Rsa2048, DkimAlgorithm::Ed25519}) {
        const Result<GeneratedDkimKey> generated = generateDkimKey(a);
        const Result<DkimSigningKey> key = generated ? DkimSigningKey::fromPem(generated->privatePem)
                                                     : Result<DkimSigningKey>::failure(generated.error);
        if (!key) {
            std::fprintf(stderr, "bench_arc: %s\n", qPrintable(key.error));
            return 1;
        }
        const QString name = dkimAlgorithmName(a).replace(QLatin1Char('-'), QLatin1Char('_'));
        ArcSealRequest r{QStringLiteral("relay.example"), QStringLiteral("seal.example"),
                         QStringLiteral("bench"), 1700000000, ArcChainStatus::None};
        const QByteArray first = *ArcSealer::seal(message, *key, r);
        QHash<QString, DkimKeyAnswer> keys;
        DkimKeyAnswer answer;
        answer.kind = DkimKeyAnswer::Kind::Records;
        answer.records = {dkimRecordValue(a, generated->publicKey).toLatin1()};
        keys.insert(QStringLiteral("bench._domainkey.seal.example"), answer);
        for (const auto &[label, input, cv] : {std::tuple{"first_hop", message, ArcChainStatus::None},
                                               std::tuple{"second_hop", first, ArcChainStatus::Pass}}) {
            r.cv = cv;
            QElapsedTimer t;
            t.start();
            qint64 n = 0;
            bool ok = true;
            while (t.elapsed() < qint64(seconds * 1000)) {
                r.timestamp = 1700000000 + n;
                ok = ArcSealer::seal(input, *key, r).ok() && ok;
                ++n;
            }
            std::printf("seal_%s_%s_msgs_per_s=%.0f seal_%s_%s_ok=%d\n", qPrintable(name), label,
                        n * 1000.0 / double(t.elapsed()), qPrintable(name), label, int(ok));
        }
        QElapsedTimer t;
        t.start();
        qint64 v = 0;
        bool allPassed = true;
        while (t.elapsed() < qint64(seconds * 1000)) {
            allPassed =
                ArcChain::evaluate(first, keys, 1700000000).status == ArcChainStatus::Pass && allPassed;
            ++v;
        }
        std::printf("validate_%s_msgs_per_s=%.0f validate_%s_all_pass=%d\n", qPrintable(name),
                    v * 1000.0 / double(t.elapsed()), qPrintable(name), int(allPassed));
        std::fflush(stdout);
    }
    return 0;
}

int serve(QCoreApplication &app, quint16 listenPort, quint16 sinkPort, const QString &spool,
          const QString &mode)
{
    if (mode != QLatin1String("off") && mode != QLatin1String("always")) {
        std::fprintf(stderr, "bench_arc: mode is off or always\n");
        return 2;
    }
    ConfigData c;
    c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
    c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("mailroute-bench.invalid"));
    c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.1"));
    c.settings.insert(QStringLiteral("limits.sessions"), QStringLiteral("5000"));
    c.settings.insert(QStringLiteral("limits.sessions_per_ip"), QStringLiteral("5000"));
    c.settings.insert(QStringLiteral("outbound.allowed_senders"), QStringLiteral("warmsushi.example"));
    c.settings.insert(QStringLiteral("arc.domain"), QStringLiteral("seal.example"));
    c.settings.insert(QStringLiteral("arc.seal"), mode);
    const QString sink = QStringLiteral("[127.0.0.1]:%1").arg(sinkPort);
    for (const char *d : {"warmsushi.example", "drypizza.example", "partner.example"})
        c.routes << TransportRoute{QString::fromLatin1(d), sink};
    const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Rsa2048);
    DkimKey key;
    key.domain = QStringLiteral("seal.example");
    key.selector = QStringLiteral("bench");
    key.algorithm = DkimAlgorithm::Rsa2048;
    key.keyFile = QDir(spool).filePath(QStringLiteral("../dkim/seal.pem"));
    key.publicKey = generated->publicKey;
    if (const Status st = writeDkimPrivateKey(key.keyFile, generated->privatePem); !st) {
        std::fprintf(stderr, "bench_arc: %s\n", qPrintable(st.error));
        return 1;
    }
    c.dkimKeys << key;
    const Result<std::shared_ptr<const RelayConfig>> config = RelayConfig::build(c, 1);
    if (!config) {
        std::fprintf(stderr, "bench_arc: %s\n", qPrintable(config.error));
        return 1;
    }
    EngineController::Options o;
    o.engine.spoolDirectory = spool;
    EngineController engine(o);
    qint64 sealed = 0;
    QObject::connect(&engine, &EngineController::events, &app, [&](const QList<MessageLogEntry> &events) {
        for (const MessageLogEntry &e : events) {
            if (e.event == MessageEvent::Rewritten &&
                e.fields.value(QStringLiteral("arc")).toString() == u"sealed")
                ++sealed;
            if (e.event == MessageEvent::Deferred || e.event == MessageEvent::Error)
                std::fprintf(stderr, "bench_arc: %s %s\n", qPrintable(e.eventName()),
                             qPrintable(e.fields.value(QStringLiteral("reason")).toString()));
        }
    });
    QObject::connect(&engine, &EngineController::stopped, &app, &QCoreApplication::quit);
    engine.start(*config);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (g_stop) {
            poll.stop();
            QTimer::singleShot(500, &app, [&] {
                std::printf("sealed_deliveries=%lld\n", sealed);
                std::fflush(stdout);
                engine.stop();
            });
        }
    });
    poll.start(100);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 2 && args.at(1) == QLatin1String("seal"))
        return benchSeal(args.size() >= 3 ? args.at(2).toDouble() : 3.0);
    if (args.size() == 6 && args.at(1) == QLatin1String("serve"))
        return serve(app, quint16(args.at(2).toUInt()), quint16(args.at(3).toUInt()), args.at(4), args.at(5));
    std::fprintf(stderr,
                 "usage: bench_arc seal [SECONDS] | serve LISTEN_PORT SINK_PORT SPOOL_DIR off|always\n");
    return 2;
}
