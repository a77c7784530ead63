// DKIM signing figures (BENCHMARKS.md "DKIM"):
//
//   bench_dkim sign [SECONDS]
//       Messages signed per second on one core, 4 KB message (header of a
//       typical outbound message, relaxed/relaxed, the h= MailRoute signs),
//       for RSA-2048, RSA-3072 and Ed25519; and verifications per second.
//   bench_dkim serve LISTEN_PORT SINK_PORT SPOOL_DIR none|rsa-2048|rsa-3072|ed25519
//       The relay (RelayEngine on its thread, as mailroutectl serve runs it)
//       with outbound.allowed_clients 127.0.0.1, the Outbound rule
//       @warmsushi.example -> @drypizza.example, every domain routed to
//       [127.0.0.1]:SINK_PORT and, unless "none", an active key for
//       drypizza.example: every message from smtp-source is signed. Runs
//       until SIGINT/SIGTERM. bench/dkim-bench.sh drives it.
// Prints key=value lines.
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/dkim/dkimsigner.h"
#include "relaycore/dkim/dkimverifier.h"
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
    QByteArray m = "Received: from client.example (client.example [192.0.2.7])\r\n"
                   "\tby relay.example with ESMTP id 0123456789AB; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                   "From: Bob Owen <bob@drypizza.example>\r\n"
                   "To: Chloe <chloe@partner.example>, dan@partner.example\r\n"
                   "Subject: The quarterly figures\r\n"
                   "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
                   "Message-ID: <20240101100000.1234@drypizza.example>\r\n"
                   "MIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n"
                   "\r\n";
    while (m.size() < 4096)
        m += "The quick brown fox jumps over the lazy dog; the figures follow below.\r\n";
    m.truncate(4094);
    m += "\r\n";
    return m;
}

int benchSign(double seconds)
{
    const QByteArray message = message4k();
    for (DkimAlgorithm a : {DkimAlgorithm::Rsa2048, DkimAlgorithm::Rsa3072, DkimAlgorithm::Ed25519}) {
        const Result<GeneratedDkimKey> generated = generateDkimKey(a);
        const Result<DkimSigningKey> key = generated ? DkimSigningKey::fromPem(generated->privatePem)
                                                     : Result<DkimSigningKey>::failure(generated.error);
        if (!key) {
            std::fprintf(stderr, "bench_dkim: %s\n", qPrintable(key.error));
            return 1;
        }
        const QString name = dkimAlgorithmName(a).replace(QLatin1Char('-'), QLatin1Char('_'));
        QElapsedTimer t;
        t.start();
        qint64 n = 0;
        QByteArray last;
        while (t.elapsed() < qint64(seconds * 1000)) {
            last = *DkimSigner::sign(message, *key, QStringLiteral("drypizza.example"),
                                     QStringLiteral("bench"), 1700000000 + n);
            ++n;
        }
        std::printf("sign_%s_msgs_per_s=%.0f\n", qPrintable(name), n * 1000.0 / double(t.elapsed()));
        // Verification of the same message (the key record answered at once).
        DkimKeyAnswer answer;
        answer.kind = DkimKeyAnswer::Kind::Records;
        answer.records = {dkimRecordValue(a, generated->publicKey).toLatin1()};
        t.restart();
        qint64 v = 0;
        bool allPassed = true;
        while (t.elapsed() < qint64(seconds * 1000)) {
            DkimVerifier::verify(
                last, 1700000000,
                [&](const QString &, const DkimVerifier::KeyReply &reply) { reply(answer); },
                [&](const QList<DkimVerification> &r) {
                    allPassed = allPassed && r.value(0).outcome == DkimOutcome::Pass;
                });
            ++v;
        }
        std::printf("verify_%s_msgs_per_s=%.0f verify_%s_all_pass=%d\n", qPrintable(name),
                    v * 1000.0 / double(t.elapsed()), qPrintable(name), int(allPassed));
        std::fflush(stdout);
    }
    return 0;
}

int serve(QCoreApplication &app, quint16 listenPort, quint16 sinkPort, const QString &spool,
          const QString &mode)
{
    ConfigData c;
    c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(listenPort));
    c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("mailroute-bench.invalid"));
    c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("127.0.0.1"));
    c.settings.insert(QStringLiteral("limits.sessions"), QStringLiteral("5000"));
    c.settings.insert(QStringLiteral("limits.sessions_per_ip"), QStringLiteral("5000"));
    c.area(Area::Outbound).domains << DomainMapping{QStringLiteral("warmsushi.example"),
                                                    QStringLiteral("drypizza.example")};
    const QString sink = QStringLiteral("[127.0.0.1]:%1").arg(sinkPort);
    for (const char *d : {"warmsushi.example", "drypizza.example", "partner.example"})
        c.routes << TransportRoute{QString::fromLatin1(d), sink};
    if (mode != QLatin1String("none")) {
        const std::optional<DkimAlgorithm> a = parseDkimAlgorithm(mode);
        if (!a) {
            std::fprintf(stderr, "bench_dkim: unknown key type %s\n", qPrintable(mode));
            return 2;
        }
        const Result<GeneratedDkimKey> generated = generateDkimKey(*a);
        DkimKey key;
        key.domain = QStringLiteral("drypizza.example");
        key.selector = QStringLiteral("bench");
        key.algorithm = *a;
        key.keyFile = QDir(spool).filePath(QStringLiteral("../dkim/bench.pem"));
        key.publicKey = generated->publicKey;
        if (const Status st = writeDkimPrivateKey(key.keyFile, generated->privatePem); !st) {
            std::fprintf(stderr, "bench_dkim: %s\n", qPrintable(st.error));
            return 1;
        }
        c.dkimKeys << key;
    }
    const Result<std::shared_ptr<const RelayConfig>> config = RelayConfig::build(c, 1);
    if (!config) {
        std::fprintf(stderr, "bench_dkim: %s\n", qPrintable(config.error));
        return 1;
    }
    EngineController::Options o;
    o.engine.spoolDirectory = spool;
    EngineController engine(o);
    qint64 signedCount = 0;
    QObject::connect(&engine, &EngineController::events, &app, [&](const QList<MessageLogEntry> &events) {
        for (const MessageLogEntry &e : events) {
            if (e.event == MessageEvent::Delivered && e.fields.contains(QStringLiteral("dkim")))
                ++signedCount;
            if (e.event == MessageEvent::Deferred || e.event == MessageEvent::Error)
                std::fprintf(stderr, "bench_dkim: %s %s\n", qPrintable(e.eventName()),
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
            // The engine batches its events every 100 ms: let the last batch in.
            QTimer::singleShot(500, &app, [&] {
                std::printf("signed_deliveries=%lld\n", signedCount);
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
    if (args.size() >= 2 && args.at(1) == QLatin1String("sign"))
        return benchSign(args.size() >= 3 ? args.at(2).toDouble() : 3.0);
    if (args.size() == 6 && args.at(1) == QLatin1String("serve"))
        return serve(app, quint16(args.at(2).toUInt()), quint16(args.at(3).toUInt()), args.at(4), args.at(5));
    std::fprintf(stderr, "usage: bench_dkim sign [SECONDS] | serve LISTEN_PORT SINK_PORT SPOOL_DIR "
                         "none|rsa-2048|rsa-3072|ed25519\n");
    return 2;
}
