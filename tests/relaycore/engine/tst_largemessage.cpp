// Large messages through the real engine (docs/architecture.md "Storage"):
// a 5 MB message with lines starting with '.', 8-bit text, sent over a real
// socket, is spooled as its header section plus a body file, delivered to
// smtpsink.py from that file in chunks and arrives byte for byte; after
// delivery the spool keeps no file; a connection dropped in the middle of
// DATA leaves no spill file; a restart delivers a large message still queued.
#include "relayenginefixture.h"

#include <QDir>

namespace {

// What the client sends (dot-stuffed, with the end of data) and what the
// message is.
struct LargeMessage
{
    QByteArray wire;
    QByteArray text;
};

LargeMessage largeMessage(qsizetype size)
{
    LargeMessage m;
    m.text = "From: Alice <alice@outside.example>\r\nTo: bob@warmsushi.example\r\nSubject: big\r\n\r\n";
    for (int i = 0; m.text.size() < size; ++i) {
        QByteArray line =
            "l" + QByteArray::number(i) + " \xc3\xa9\xe2\x82\xac " + QByteArray(70, char('a' + i % 26));
        if (i % 4 == 0)
            line.prepend(i % 8 == 0 ? "." : "..");
        m.text += line + "\r\n";
    }
    for (const QByteArray &line : m.text.split('\n')) {
        if (line.isEmpty())
            continue;
        m.wire += (line.startsWith('.') ? QByteArray("." + line) : line) + "\n";
    }
    m.wire += ".\r\n";
    return m;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// Reads one SMTP reply (the last line's code), waiting at most 30 s.
int readReply(QTcpSocket &s)
{
    for (int i = 0; i < 300; ++i) {
        while (s.canReadLine()) {
            const QByteArray line = s.readLine();
            if (line.size() >= 4 && line.at(3) == ' ')
                return line.left(3).toInt();
        }
        if (!s.waitForReadyRead(100) && s.state() != QAbstractSocket::ConnectedState)
            return -1;
    }
    return -1;
}

bool command(QTcpSocket &s, const QByteArray &line, int expected)
{
    s.write(line);
    return readReply(s) == expected;
}

// EHLO, MAIL, RCPT, DATA; then `data` in 64 KiB writes.
bool sendData(QTcpSocket &s, quint16 port, const QByteArray &data, bool finish = true)
{
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(10000) || readReply(s) != 220)
        return false;
    if (!command(s, "EHLO client.test\r\n", 250) ||
        !command(s, "MAIL FROM:<alice@outside.example>\r\n", 250) ||
        !command(s, "RCPT TO:<bob@warmsushi.example>\r\n", 250) || !command(s, "DATA\r\n", 354))
        return false;
    for (qsizetype p = 0; p < data.size(); p += 65536) {
        s.write(data.mid(p, 65536));
        while (s.bytesToWrite() > 0 && s.waitForBytesWritten(30000)) {
        }
    }
    return !finish || readReply(s) == 250;
}

} // namespace

class TestLargeMessage : public RelayEngineFixture
{
    Q_OBJECT

private slots:
    void largeMessageArrivesByteForByte()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool);
        QVERIFY(engine && engine->status().listening);
        const LargeMessage m = largeMessage(5 * 1000 * 1000);
        QTcpSocket client;
        QVERIFY(sendData(client, port, m.wire));
        QVERIFY(command(client, "QUIT\r\n", 221));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 60000));
        // smtpsink.py counts the CRLF before the final dot as the marker's.
        const QByteArray got = PySink::data(sink.messages().first()) + "\r\n";
        // The relay adds its Received: field and rewrites To:; the body is as sent.
        QVERIFY2(got.startsWith("Received: from client.test"), got.left(200).constData());
        QVERIFY(got.contains("\r\nTo: bob.owen@drypizza.example\r\n"));
        const qsizetype bodyAt = m.text.indexOf("\r\n\r\n") + 4;
        const QByteArray body = m.text.mid(bodyAt);
        QCOMPARE(got.size() - got.indexOf("\r\n\r\n") - 4, body.size());
        QVERIFY(got.endsWith(body));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("delivered")).size() == 1; }, 10000));
        // Delivered: no body file left, no spill file.
        QVERIFY(QTest::qWaitFor([&] { return filesIn(Spool::dataDirectory(spool)).isEmpty(); }, 10000));
        QCOMPARE(filesIn(Spool::incomingDirectory(spool)), QStringList());
        engine->stop();
    }

    void droppedConnectionLeavesNoFile()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool);
        QVERIFY(engine && engine->status().listening);
        const LargeMessage m = largeMessage(2 * 1000 * 1000);
        {
            QTcpSocket client;
            QVERIFY(sendData(client, port, m.wire.left(m.wire.size() / 2), false));
            QVERIFY(
                QTest::qWaitFor([&] { return filesIn(Spool::incomingDirectory(spool)).size() == 1; }, 10000));
            client.abort();
        }
        QVERIFY(QTest::qWaitFor([&] { return filesIn(Spool::incomingDirectory(spool)).isEmpty(); }, 10000));
        QCOMPARE(filesIn(Spool::dataDirectory(spool)), QStringList());
        QCOMPARE(sink.messages().size(), 0);
        engine->stop();
    }

    // Queued while the next hop is down, the message survives a restart and
    // is delivered from its file by the next engine.
    void queuedLargeMessageSurvivesRestart()
    {
        const quint16 sinkPort = closedPort();
        const quint16 port = closedPort();
        const QString spool = newSpool();
        const LargeMessage m = largeMessage(1000 * 1000);
        ManualClock clock;
        {
            auto engine = startEngine(build(baseConfig(port, sinkPort), 1), spool, &clock);
            QVERIFY(engine && engine->status().listening);
            QTcpSocket client;
            QVERIFY(sendData(client, port, m.wire));
            QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("deferred")).isEmpty(); }, 20000));
            engine->stop();
        }
        QCOMPARE(filesIn(Spool::dataDirectory(spool)).size(), 1);
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{}), qPrintable(sink.error()));
        clock.advance(std::chrono::hours(2)); // past the first retry
        auto engine = startEngine(build(baseConfig(port, sink.port()), 2), spool, &clock);
        QVERIFY(engine && engine->status().listening);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 60000));
        const QByteArray body = m.text.mid(m.text.indexOf("\r\n\r\n") + 4);
        QVERIFY(QByteArray(PySink::data(sink.messages().first()) + "\r\n").endsWith(body));
        QVERIFY(QTest::qWaitFor([&] { return filesIn(Spool::dataDirectory(spool)).isEmpty(); }, 10000));
        engine->stop();
    }
};

QTEST_GUILESS_MAIN(TestLargeMessage)
#include "tst_largemessage.moc"
