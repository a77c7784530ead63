// The spool commit on its own thread (docs/architecture.md "Two data paths"),
// end to end: the engine on its thread (EngineController), real sockets, a
// real spool. A test hook holds the commit thread right before a batch's
// store, so what the engine thread does meanwhile is seen without any timing:
// it goes on reading and parsing other sessions, their messages wait for the
// next batch, and no client hears 250 before its message is on disk (read
// through a second, Admin connection to the spool when the 250 arrives).
// Delivery results are written through the commit thread too.
#include "relaycore/engine/spoolcommit.h"
#include "tests/relaycore/engine/relayenginefixture.h"

#include <QMutex>
#include <QWaitCondition>

namespace {

// The commit thread waits here before the first batch's store until the
// test opens it; every batch's queue ids are recorded.
class StoreLatch final
{
public:
    StoreLatch()
    {
        SpoolCommit::TestHooks hooks;
        hooks.beforeStore = [this](const QStringList &ids) {
            QMutexLocker lock(&m_mutex);
            m_batches << ids;
            // Bounded, so a failing test cannot hang the engine forever.
            for (int i = 0; m_batches.size() == 1 && !m_open && i < 600; ++i)
                m_opened.wait(&m_mutex, 100);
        };
        hooks.added = [this](const QString &id) {
            QMutexLocker lock(&m_mutex);
            m_added << id;
        };
        hooks.waiting = [this] {
            QMutexLocker lock(&m_mutex);
            ++m_waits;
        };
        SpoolCommit::setTestHooks(hooks);
    }
    ~StoreLatch() { SpoolCommit::setTestHooks({}); }
    Q_DISABLE_COPY_MOVE(StoreLatch)

    void open()
    {
        QMutexLocker lock(&m_mutex);
        m_open = true;
        m_opened.wakeAll();
    }
    QList<QStringList> batches() const
    {
        QMutexLocker lock(&m_mutex);
        return m_batches;
    }
    QStringList added() const
    {
        QMutexLocker lock(&m_mutex);
        return m_added;
    }
    int waits() const
    {
        QMutexLocker lock(&m_mutex);
        return m_waits;
    }

private:
    mutable QMutex m_mutex;
    QWaitCondition m_opened;
    bool m_open = false;
    QList<QStringList> m_batches;
    QStringList m_added;
    int m_waits = 0;
};

// An SMTP client on a real socket, one reply at a time.
class Client final
{
public:
    bool connect(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(10000) && reply().startsWith("220 ");
    }
    // The reply's last line (continuation lines skipped).
    QByteArray reply()
    {
        for (int i = 0; i < 100; ++i) {
            if (!m_socket.canReadLine() && !QTest::qWaitFor([&] { return m_socket.canReadLine(); }, 30000))
                return {};
            const QByteArray line = m_socket.readLine();
            if (line.size() < 4 || line.at(3) != '-')
                return line.trimmed();
        }
        return {};
    }
    QByteArray command(const QByteArray &line)
    {
        m_socket.write(line + "\r\n");
        return reply();
    }
    // EHLO to the 354 of DATA.
    bool startData(const QByteArray &to)
    {
        return command("EHLO client.test").startsWith("250 ") &&
               command("MAIL FROM:<someone@outside.example>").startsWith("250 ") &&
               command("RCPT TO:<" + to + ">").startsWith("250 ") && command("DATA").startsWith("354 ");
    }
    void sendText(const QByteArray &subject)
    {
        m_socket.write("From: someone@outside.example\r\nTo: bob@warmsushi.example\r\nSubject: " + subject +
                       "\r\n\r\nHello.\r\n.\r\n");
        m_socket.flush();
    }
    // Nothing has arrived (the engine has not answered the final dot).
    bool silent()
    {
        QCoreApplication::processEvents();
        return m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(300);
    }
    static QString queueIdOf(const QByteArray &reply)
    {
        const QByteArray prefix = "250 2.0.0 Ok: queued as ";
        return reply.startsWith(prefix) ? QString::fromLatin1(reply.mid(prefix.size())) : QString();
    }

private:
    QTcpSocket m_socket;
};

// The queue ids on disk, read through a connection of our own.
QStringList onDisk(const QString &spool)
{
    Spool admin(spool, Spool::Role::Admin);
    if (!admin.open())
        return {QStringLiteral("(cannot open the spool)")};
    QStringList ids;
    const auto listed = admin.list();
    for (const QueuedMessage &m : listed ? *listed : QList<QueuedMessage>())
        ids << m.queueId;
    return ids;
}

} // namespace

class TestSpoolCommit : public RelayEngineFixture
{
    Q_OBJECT

private slots:
    void cleanup() { printEventsIfFailed(); }

    void init() { clearEvents(); }

    // While batch 1 waits on the commit thread, a second session goes
    // through EHLO to DATA and its message completes its intake: the engine
    // thread kept reading and parsing. Its message waits for the next batch;
    // neither client hears 250 before its batch is on disk.
    void sessionsKeepParsingWhileABatchSyncs()
    {
        StoreLatch latch;
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, closedPort()), 1), spool);
        QVERIFY(engine && engine->status().listening);

        Client first;
        QVERIFY(first.connect(port));
        QVERIFY(first.startData("bob@warmsushi.example"));
        first.sendText("first");
        QVERIFY(QTest::qWaitFor([&] { return latch.batches().size() == 1; }, 30000));
        const QString firstId = latch.batches().at(0).value(0);
        QCOMPARE(latch.batches().at(0).size(), 1);

        Client second;
        QVERIFY(second.connect(port));
        QVERIFY(second.startData("bob@warmsushi.example"));
        second.sendText("second");
        QVERIFY(QTest::qWaitFor([&] { return latch.added().size() == 2; }, 30000));
        const QString secondId = latch.added().at(1);
        QVERIFY(secondId != firstId);
        // The first batch has not returned: nothing acknowledged, nothing on disk,
        // and the second message did not leave (it forms the next batch).
        QCOMPARE(latch.batches().size(), 1);
        QVERIFY(first.silent());
        QVERIFY(second.silent());
        QCOMPARE(onDisk(spool), QStringList());

        latch.open();
        const QByteArray firstReply = first.reply();
        QCOMPARE(Client::queueIdOf(firstReply), firstId);
        QVERIFY(onDisk(spool).contains(firstId));
        const QByteArray secondReply = second.reply();
        QCOMPARE(Client::queueIdOf(secondReply), secondId);
        QVERIFY(onDisk(spool).contains(secondId));
        // Two batches, in the order the intakes completed.
        QCOMPARE(latch.batches(), (QList<QStringList>{{firstId}, {secondId}}));
        // Logged on the engine thread in commit order.
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("received")).size() == 2; }, 10000));
        QCOMPARE(eventsOf(QStringLiteral("received")).at(0).queueId, firstId);
        QCOMPARE(eventsOf(QStringLiteral("received")).at(1).queueId, secondId);

        QSignalSpy stopped(engine.get(), &EngineController::stopped);
        engine->stop();
        QVERIFY(stopped.wait(10000) || stopped.size() == 1);
    }

    // Stopping while batch 1 is on the commit thread and a second message
    // waits for the next batch: both are stored and get their 250 before the
    // 421, and both are on disk.
    void stopAnswersTheBatchInFlightBefore421()
    {
        StoreLatch latch;
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, closedPort()), 1), spool);
        QVERIFY(engine && engine->status().listening);

        Client first;
        QVERIFY(first.connect(port));
        QVERIFY(first.startData("bob@warmsushi.example"));
        first.sendText("first");
        QVERIFY(QTest::qWaitFor([&] { return latch.batches().size() == 1; }, 30000));
        Client second;
        QVERIFY(second.connect(port));
        QVERIFY(second.startData("bob@warmsushi.example"));
        second.sendText("second");
        QVERIFY(QTest::qWaitFor([&] { return latch.added().size() == 2; }, 30000));

        QSignalSpy stopped(engine.get(), &EngineController::stopped);
        engine->stop();
        // The stopping engine waits for the batch in flight.
        QVERIFY(QTest::qWaitFor([&] { return latch.waits() == 1; }, 30000));
        QVERIFY(first.silent());
        latch.open();

        const QString firstId = Client::queueIdOf(first.reply());
        QCOMPARE(firstId, latch.added().at(0));
        QVERIFY(first.reply().startsWith("421 4.3.2 "));
        const QString secondId = Client::queueIdOf(second.reply());
        QCOMPARE(secondId, latch.added().at(1));
        QVERIFY(second.reply().startsWith("421 4.3.2 "));
        QVERIFY(stopped.wait(10000) || stopped.size() == 1);
        const QStringList stored = onDisk(spool);
        QVERIFY(stored.contains(firstId));
        QVERIFY(stored.contains(secondId));
        QCOMPARE(latch.batches().size(), 2);
    }

    // Delivery results are written through the commit thread's connection
    // (after the batch that stored the message): a delivered message leaves
    // the spool while the engine runs, and a restart recovers nothing.
    void deliveryResultsReachTheSpool()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool);
        QVERIFY(engine && engine->status().listening);
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            Client c;
            QVERIFY(c.connect(port));
            QVERIFY(c.startData("bob@warmsushi.example"));
            c.sendText("delivered");
            ids << Client::queueIdOf(c.reply());
            QVERIFY(!ids.constLast().isEmpty());
        }
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("delivered")).size() == 3; }, 30000));
        QVERIFY(QTest::qWaitFor([&] { return onDisk(spool).isEmpty(); }, 10000));
        QSignalSpy stopped(engine.get(), &EngineController::stopped);
        engine->stop();
        QVERIFY(stopped.wait(10000) || stopped.size() == 1);
        engine->start(build(baseConfig(port, sink.port()), 1));
        QVERIFY(QTest::qWaitFor([&] { return engine->status().listening; }, 10000));
        // One more message: its events come after a recovery's would have.
        Client c;
        QVERIFY(c.connect(port));
        QVERIFY(c.startData("bob@warmsushi.example"));
        c.sendText("after the restart");
        QVERIFY(!Client::queueIdOf(c.reply()).isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("delivered")).size() == 4; }, 30000));
        QVERIFY(eventsOf(QStringLiteral("recovered")).isEmpty());
        QCOMPARE(sink.messages().size(), 4);
        engine->stop();
        QVERIFY(stopped.wait(10000) || stopped.size() == 2);
    }

    // The engine starts again on the same spool (a new commit thread and
    // connection): what was queued is recovered once, new mail is stored.
    void restartOpensANewCommitConnection()
    {
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, closedPort()), 1), spool);
        QVERIFY(engine && engine->status().listening);
        QStringList ids;
        for (int round = 0; round < 2; ++round) {
            if (round == 1) {
                QSignalSpy stopped(engine.get(), &EngineController::stopped);
                engine->stop();
                QVERIFY(stopped.wait(10000) || stopped.size() == 1);
                engine->start(build(baseConfig(port, closedPort()), 1));
                QVERIFY(QTest::qWaitFor([&] { return engine->status().listening; }, 10000));
                QVERIFY(
                    QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("recovered")).isEmpty(); }, 10000));
                QCOMPARE(eventsOf(QStringLiteral("recovered")).at(0).fields.value(QStringLiteral("messages")),
                         QVariant(1));
            }
            Client c;
            QVERIFY(c.connect(port));
            QVERIFY(c.startData("bob@warmsushi.example"));
            c.sendText("round");
            ids << Client::queueIdOf(c.reply());
            QVERIFY(!ids.constLast().isEmpty());
            QVERIFY(onDisk(spool).contains(ids.constLast()));
        }
        QCOMPARE(eventsOf(QStringLiteral("recovered")).size(), 1);
        QSignalSpy stopped(engine.get(), &EngineController::stopped);
        engine->stop();
        QVERIFY(stopped.wait(10000) || stopped.size() == 1);
        QCOMPARE(onDisk(spool), ids);
    }
};

QTEST_GUILESS_MAIN(TestSpoolCommit)
#include "tst_spoolcommit.moc"
