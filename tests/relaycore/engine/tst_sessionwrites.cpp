// SmtpServerConnection's replies on plain TCP (docs/architecture.md
// "Threads": sessions live on the engine thread): they go straight to the
// kernel while it takes them and through Qt's buffer once it does not. A
// client that pipelines 20,000 EHLO commands with a 2 KiB receive buffer and
// reads nothing for two seconds makes the kernel refuse the relay's replies
// (2.3 MB of them) part way; every reply must still arrive whole, once, in
// order, followed by the 221 to its QUIT.
#include "tests/relaycore/engine/relayenginefixture.h"

#include <chrono>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace mailroute;
using namespace mailroute::testing;

class TestSessionWrites : public RelayEngineFixture
{
    Q_OBJECT

private slots:
    void backedUpRepliesArriveWholeAndInOrder()
    {
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, closedPort()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);

        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        const int small = 2048;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        timeval timeout{30, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QVERIFY(::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) == 0);

        constexpr int kCommands = 20000;
        QByteArray commands;
        for (int i = 0; i < kCommands; ++i)
            commands += "EHLO c" + QByteArray::number(i) + ".test\r\n";
        commands += "QUIT\r\n";
        qsizetype sent = 0;
        while (sent < commands.size()) {
            const ssize_t n =
                ::send(fd, commands.constData() + sent, size_t(commands.size() - sent), MSG_NOSIGNAL);
            QVERIFY2(n > 0, "the relay stopped reading the pipelined commands");
            sent += n;
        }
        std::this_thread::sleep_for(std::chrono::seconds(2)); // the relay's replies back up

        QByteArray received;
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break; // the relay closed after its 221 (or 30 s without a byte)
            received.append(buffer, n);
        }
        ::close(fd);

        const QList<QByteArray> lines = received.split('\n');
        QVERIFY2(received.endsWith("\r\n"), received.right(200).constData());
        QVERIFY2(lines.first().startsWith("220 "), lines.first().constData());
        int finals = 0;
        for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            QVERIFY2(line.size() >= 5 && line.endsWith('\r') && (line.at(3) == '-' || line.at(3) == ' '),
                     line.constData());
            if (line.startsWith("250 "))
                ++finals;
        }
        QCOMPARE(finals, kCommands);
        QVERIFY2(lines.at(lines.size() - 2).startsWith("221 "), lines.at(lines.size() - 2).constData());
        // Every EHLO reply is the same text: nothing lost, doubled or interleaved.
        const qsizetype start = received.indexOf('\n') + 1; // after the 220
        const qsizetype end = received.indexOf('\n', received.indexOf("\n250 ", start) + 1) + 1;
        const QByteArray oneReply = received.mid(start, end - start);
        const qsizetype quitReply = lines.at(lines.size() - 2).size() + 1;
        QCOMPARE(received.size() - start - quitReply, oneReply.size() * kCommands);
        QCOMPARE(received.count(oneReply), qsizetype(kCommands));
    }
};

QTEST_GUILESS_MAIN(TestSessionWrites)
#include "tst_sessionwrites.moc"
