// The latency DKIM verification adds to inbound mail under
// rewrite.recipient_headers unsigned: the time from the final dot to the
// 250, measured by the client (tests/relaycore/engine/inbound_dkim.py bench,
// one SMTP session), for an unsigned message, the same message signed by
// dkimpy with RSA 2048 and with Ed25519 (h=From:To:Cc:Subject, To/Cc matched
// by the Inbound rules, so the relay verifies), and the RSA one under
// `always` (no verification: the baseline for signed mail). Key records come
// from dnsmasq on 127.0.0.1 through the relay's libunbound resolver, which
// caches them for their TTL; the first message per key pays the look-up.
//
//   bench_inbounddkim [rounds=200]
// Prints median and p95 per kind; figures go to the notes, never to tests.
#include "relaycore/engine/dkiminboundcheck.h"
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 200;
    QTemporaryDir dir;
    auto file = [&dir](const char *name) { return dir.filePath(QString::fromLatin1(name)); };

    // Keys and messages.
    QFile plain(file("plain.eml"));
    if (!plain.open(QIODevice::WriteOnly))
        return 1;
    plain.write("From: Alice <alice@sender.example>\r\nTo: Bob <bob@warmsushi.example>\r\n"
                "Cc: chloe@warmsushi.example\r\nSubject: bench\r\nMessage-ID: <b@sender.example>\r\n\r\n");
    for (int i = 0; i < 40; ++i)
        plain.write("A line of an ordinary message body, some seventy octets long, repeated.\r\n");
    plain.close();
    const QString rsaRecord = python({QStringLiteral("keygen"), QStringLiteral("rsa"), file("rsa.key")});
    const QString edRecord = python({QStringLiteral("keygen"), QStringLiteral("ed25519"), file("ed.key")});
    python({QStringLiteral("sign"), QStringLiteral("rsa"), file("rsa.key"), QStringLiteral("sel"),
            QStringLiteral("sender.example"), QStringLiteral("From:To:Cc:Subject"), file("plain.eml"),
            file("rsa.eml")});
    python({QStringLiteral("sign"), QStringLiteral("ed25519"), file("ed.key"), QStringLiteral("ed"),
            QStringLiteral("sender.example"), QStringLiteral("From:To:Cc:Subject"), file("plain.eml"),
            file("ed.eml")});

    // dnsmasq on a high port.
    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    const quint16 dnsPort = probe.localPort();
    probe.close();
    auto chunks = [](const QString &v) {
        QStringList c;
        for (qsizetype i = 0; i < v.size(); i += 255)
            c << v.mid(i, 255);
        return c.join(QLatin1Char(','));
    };
    QStringList dnsArgs{QStringLiteral("--no-daemon"),
                        QStringLiteral("--conf-file=/dev/null"),
                        QStringLiteral("--no-resolv"),
                        QStringLiteral("--no-hosts"),
                        QStringLiteral("--listen-address=127.0.0.1"),
                        QStringLiteral("--bind-interfaces"),
                        QStringLiteral("--port=%1").arg(dnsPort),
                        QStringLiteral("--local-ttl=300"),
                        QStringLiteral("--txt-record=sel._domainkey.sender.example,") + chunks(rsaRecord),
                        QStringLiteral("--txt-record=ed._domainkey.sender.example,") + chunks(edRecord)};
    if (::geteuid() == 0)
        dnsArgs << QStringLiteral("--user=root");
    QProcess dns;
    dns.start(QStringLiteral("/usr/sbin/dnsmasq"), dnsArgs);
    if (!dns.waitForStarted(5000))
        return 1;
    QThread::msleep(300);

    PySink sink;
    if (!sink.start())
        return 1;

    struct Kind
    {
        const char *name;
        const char *mode;
        QStringList files;
    };
    const QList<Kind> kinds{
        {"unsigned, unsigned mode", "unsigned", {file("plain.eml")}},
        {"signed, always mode (no verification)", "always", {file("rsa.eml")}},
        {"signed, unsigned mode (RSA and Ed25519 verified)", "unsigned", {file("rsa.eml"), file("ed.eml")}}};
    std::printf("rounds %d; times from the final dot to the 250, ms\n", rounds);
    int spool = 0;
    for (const Kind &k : kinds) {
        EngineController::Options o;
        o.engine.spoolDirectory = dir.filePath(QStringLiteral("spool%1").arg(++spool));
        o.engine.nameserver = QStringLiteral("127.0.0.1:%1").arg(dnsPort);
        EngineController engine(o);
        ConfigData c;
        c.area(Area::Inbound).domains
            << DomainMapping{QStringLiteral("warmsushi.example"), QStringLiteral("drypizza.example")};
        c.area(Area::Inbound).users << UserMapping{QStringLiteral("bob@warmsushi.example"),
                                                   QStringLiteral("bob.owen@drypizza.example")};
        const quint16 port = closedPort();
        c.settings.insert(QStringLiteral("relay.listen"), QStringLiteral("127.0.0.1:%1").arg(port));
        c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QString::fromLatin1(k.mode));
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
                   k.files);
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QStringList parts = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const QString name = QFileInfo(parts.takeFirst()).fileName();
            QList<double> ms;
            for (const QString &p : parts)
                ms << p.toDouble();
            const double first = ms.isEmpty() ? 0 : ms.first();
            if (!ms.isEmpty())
                ms.removeFirst(); // the first one pays the key look-up; reported apart
            std::printf("%-50s %-10s first %7.3f  median %7.3f  p95 %7.3f  (n=%lld)\n", k.name,
                        qPrintable(name), first, percentile(ms, 0.5), percentile(ms, 0.95),
                        qlonglong(ms.size()));
        }
        engine.stop();
    }

    // The check alone, as the engine runs it (DkimInboundCheck: look-up
    // through libunbound, verification on the thread pool), without the
    // spool's fsync that dominates the times above.
    std::printf("\nDkimInboundCheck alone, start() to its callback, ms\n");
    {
        DkimInboundCheck::Options co;
        co.nameserver = QStringLiteral("127.0.0.1:%1").arg(dnsPort);
        DkimInboundCheck check(co);
        for (const char *name : {"rsa.eml", "ed.eml"}) {
            QFile f(file(name));
            if (!f.open(QIODevice::ReadOnly))
                return 1;
            const QByteArray message = f.readAll();
            QList<double> ms;
            QString verdict;
            for (int i = 0; i < rounds; ++i) {
                QElapsedTimer t;
                t.start();
                bool done = false;
                check.start(message, nullptr, [&](const QList<SignatureOutcome> &o) {
                    ms << double(t.nsecsElapsed()) / 1e6;
                    verdict = o.isEmpty()                                  ? QStringLiteral("none")
                              : o.first().status == SignatureStatus::Valid ? QStringLiteral("valid")
                                                                           : o.first().reason;
                    done = true;
                });
                while (!done)
                    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            }
            const double first = ms.takeFirst();
            std::printf("%-10s %-6s first %7.3f  median %7.3f  p95 %7.3f  (n=%lld)\n", name,
                        qPrintable(verdict), first, percentile(ms, 0.5), percentile(ms, 0.95),
                        qlonglong(ms.size()));
        }
    }
    dns.terminate();
    dns.waitForFinished(3000);
    return 0;
}
