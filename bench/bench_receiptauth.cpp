// What mail authentication at receipt (SPF, DKIM, DMARC and the
// Authentication-Results field, for clients off outbound.allowed_clients)
// costs per inbound message:
//  - latency: the time from the final dot to the 250, measured by the client
//    (tests/relaycore/engine/inbound_dkim.py bench, one SMTP session), with
//    the verification off (a null ReceiptCheck) and on, for an unsigned
//    message and messages signed by dkimpy with RSA 2048 and Ed25519;
//  - throughput: 4 clients in parallel, each sending `rounds` messages
//    (RSA-signed), wall-clock messages per second, off and on;
//  - ReceiptVerifier alone: start() to its callback.
// Records (SPF, DKIM keys, DMARC) come from dnsmasq on 127.0.0.1 through the
// relay's libunbound resolver, which caches them for their TTL: the first
// message pays the look-ups and is reported apart.
//
//   bench_receiptauth [rounds=200]
// Figures go to the notes (BENCHMARKS.md), never to tests.
#include "relaycore/mailauth/receiptverifier.h"
#include "relaycore/runtime/enginecontroller.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUdpSocket>

#include <algorithm>
#include <cstdio>

#include <unistd.h>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QString kScript = QStringLiteral(MAILROUTE_INBOUND_DKIM);

QString python(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), QStringList{kScript} + args);
    if (!p.waitForFinished(600000))
        p.kill();
    if (p.exitCode() != 0)
        std::fprintf(stderr, "%s\n", p.readAllStandardError().constData());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype i = std::min<qsizetype>(v.size() - 1, qsizetype(p * double(v.size() - 1) + 0.5));
    return v.at(i);
}

QString chunks(const QString &v)
{
    QStringList c;
    for (qsizetype i = 0; i < v.size(); i += 255)
        c << v.mid(i, 255);
    return c.join(QLatin1Char(','));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(2, atoi(argv[1])) : 200;
    QTemporaryDir dir;
    auto file = [&dir](const char *name) { return dir.filePath(QString::fromLatin1(name)); };

    QFile plain(file("plain.eml"));
    if (!plain.open(QIODevice::WriteOnly))
        return 1;
    plain.write("From: Alice <alice@sender.example>\r\nTo: Bob <bob@warmsushi.example>\r\n"
                "Subject: bench\r\nMessage-ID: <b@sender.example>\r\n\r\n");
    for (int i = 0; i < 40; ++i)
        plain.write("A line of an ordinary message body, some seventy octets long, repeated.\r\n");
    plain.close();
    const QString rsaRecord = python({QStringLiteral("keygen"), QStringLiteral("rsa"), file("rsa.key")});
    const QString edRecord = python({QStringLiteral("keygen"), QStringLiteral("ed25519"), file("ed.key")});
    python({QStringLiteral("sign"), QStringLiteral("rsa"), file("rsa.key"), QStringLiteral("sel"),
            QStringLiteral("sender.example"), QStringLiteral("From:To:Subject"), file("plain.eml"),
            file("rsa.eml")});
    python({QStringLiteral("sign"), QStringLiteral("ed25519"), file("ed.key"), QStringLiteral("ed"),
            QStringLiteral("sender.example"), QStringLiteral("From:To:Subject"), file("plain.eml"),
            file("ed.eml")});

    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    const quint16 dnsPort = probe.localPort();
    probe.close();
    QStringList dnsArgs{QStringLiteral("--no-daemon"),
                        QStringLiteral("--conf-file=/dev/null"),
                        QStringLiteral("--no-resolv"),
                        QStringLiteral("--no-hosts"),
                        QStringLiteral("--listen-address=127.0.0.1"),
                        QStringLiteral("--bind-interfaces"),
                        QStringLiteral("--port=%1").arg(dnsPort),
                        QStringLiteral("--local-ttl=300"),
                        QStringLiteral("--local=/sender.example/"),
                        QStringLiteral("--txt-record=sel._domainkey.sender.example,") + chunks(rsaRecord),
                        QStringLiteral("--txt-record=ed._domainkey.sender.example,") + chunks(edRecord),
                        QStringLiteral("--txt-record=sender.example,v=spf1 ip4:127.0.0.0/8 -all"),
                        QStringLiteral("--txt-record=_dmarc.sender.example,v=DMARC1; p=reject")};
    if (::geteuid() == 0)
        dnsArgs << QStringLiteral("--user=root");
    QProcess dns;
    dns.start(QStringLiteral("/usr/sbin/dnsmasq"), dnsArgs);
    if (!dns.waitForStarted(5000))
        return 1;
    QThread::msleep(300);
    const QString nameserver = QStringLiteral("127.0.0.1:%1").arg(dnsPort);

    PySink sink;
    if (!sink.start())
        return 1;

    const QStringList files{file("plain.eml"), file("rsa.eml"), file("ed.eml")};
    std::printf("rounds %d; times from the final dot to the 250, ms\n", rounds);
    int spool = 0;
    for (const bool on : {false, true}) {
        EngineController::Options o;
        o.engine.spoolDirectory = dir.filePath(QStringLiteral("spool%1").arg(++spool));
        o.engine.nameserver = nameserver;
        if (!on)
            o.engine.receiptCheck = [] { return std::unique_ptr<ReceiptCheck>(); };
        EngineController engine(o);
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        const quint16 port = closedPort();
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(port));
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.bench.test"));
        c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("always"));
        c.routes << TransportRoute{QStringLiteral("drypizza.example"),
                                   QStringLiteral("[127.0.0.1]:%1").arg(sink.port())};
        auto rc = RelayConfig::build(c, 1);
        if (!rc.ok())
            return 1;
        engine.start(*rc);
        for (int i = 0; i < 100 && !engine.status().listening; ++i)
            QThread::msleep(50);
        const QString out =
            python(QStringList{QStringLiteral("bench"), QString::number(port),
                               QStringLiteral("alice@sender.example"),
                               QStringLiteral("bob@warmsushi.example"), QString::number(rounds)} +
                   files);
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QStringList parts = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const QString name = QFileInfo(parts.takeFirst()).fileName();
            QList<double> ms;
            for (const QString &p : parts)
                ms << p.toDouble();
            const double first = ms.isEmpty() ? 0 : ms.takeFirst();
            std::printf("verification %-3s %-10s first %7.3f  median %7.3f  p95 %7.3f  (n=%lld)\n",
                        on ? "on" : "off", qPrintable(name), first, percentile(ms, 0.5), percentile(ms, 0.95),
                        qlonglong(ms.size()));
        }
        // Throughput: 4 sessions at once, RSA-signed messages.
        QElapsedTimer t;
        t.start();
        QList<QProcess *> clients;
        for (int i = 0; i < 4; ++i) {
            auto *p = new QProcess;
            p->start(QStringLiteral("/usr/bin/python3"),
                     {kScript, QStringLiteral("bench"), QString::number(port),
                      QStringLiteral("alice@sender.example"), QStringLiteral("bob@warmsushi.example"),
                      QString::number(rounds), file("rsa.eml")});
            clients << p;
        }
        for (QProcess *p : clients) {
            p->waitForFinished(600000);
            delete p;
        }
        const double secs = double(t.nsecsElapsed()) / 1e9;
        std::printf("verification %-3s throughput: %d messages in %.2f s = %.1f messages/s (4 sessions)\n",
                    on ? "on" : "off", 4 * rounds, secs, 4 * rounds / secs);
        engine.stop();
    }

    std::printf("\nReceiptVerifier alone, start() to its callback, ms (answers cached after the first)\n");
    {
        ReceiptVerifier::Options vo;
        vo.nameserver = nameserver;
        ReceiptVerifier verifier(vo);
        for (const char *name : {"plain.eml", "rsa.eml", "ed.eml"}) {
            QFile f(file(name));
            if (!f.open(QIODevice::ReadOnly))
                return 1;
            const ReceiptInput input{f.readAll(), QHostAddress(QStringLiteral("127.0.0.1")),
                                     QStringLiteral("client.test"), QStringLiteral("alice@sender.example"),
                                     nullptr};
            QList<double> ms;
            QString verdict;
            for (int i = 0; i < rounds; ++i) {
                QElapsedTimer t;
                t.start();
                bool done = false;
                verifier.start(input, [&](const AuthVerdicts &v) {
                    ms << double(t.nsecsElapsed()) / 1e6;
                    verdict = AuthVerdicts::logText(v.logFields());
                    done = true;
                });
                while (!done)
                    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            }
            const double first = ms.takeFirst();
            std::printf("%-10s first %7.3f  median %7.3f  p95 %7.3f  (n=%lld)  %s\n", name, first,
                        percentile(ms, 0.5), percentile(ms, 0.95), qlonglong(ms.size()), qPrintable(verdict));
        }
    }
    dns.terminate();
    dns.waitForFinished(3000);
    return 0;
}
