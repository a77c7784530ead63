// Tests of SpoolWriter: the spool commit's own connection to the engine's
// spool (docs/architecture.md "Two data paths"). It stores on another thread
// while the engine's Spool holds the lock, keeps the engine's queue ids, and
// the two connections' writes (batches there, delivery results and control
// requests here) wait for each other instead of failing or deadlocking.
#include "relaycore/queue/spoolwriter.h"

#include "tests/relaycore/queue/spooltest.h"

#include <QMutex>
#include <QThread>

#include <atomic>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::StringLiterals;

class tst_SpoolWriter : public QObject
{
    Q_OBJECT

private slots:
    void storesOnAnotherThreadUnderTheEngineLock();
    void heavyUpdatesDuringCommitsNeitherFailNorDeadlock();
};

void tst_SpoolWriter::storesOnAnotherThreadUnderTheEngineLock()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(u"spool"_s);
    Spool engine(dir);
    const Status opened = engine.open();
    QVERIFY2(opened, qPrintable(opened.error));

    // The engine reserves the id; the writer keeps it.
    IncomingMessage in = message("Subject: one\r\n\r\nbody\r\n");
    in.meta.queueId = engine.reserveQueueId();
    Result<QList<QueuedMessage>> stored = Result<QList<QueuedMessage>>::failure(u"not run"_s);
    Status writerOpened = Status::failure(u"not run"_s);
    std::unique_ptr<QThread> thread(QThread::create([&] {
        SpoolWriter writer(engine);
        writerOpened = writer.open();
        if (writerOpened)
            stored = writer.store({in, message("Subject: two\r\n\r\nbody\r\n")});
    }));
    thread->start();
    QVERIFY(thread->wait(60000));
    QVERIFY2(writerOpened, qPrintable(writerOpened.error));
    QVERIFY2(stored, qPrintable(stored.error));
    QCOMPARE(stored->size(), 2);
    QCOMPARE(stored->at(0).queueId, in.meta.queueId);
    QVERIFY(QueueIdGenerator::isWellFormed(stored->at(1).queueId));

    // The engine's connection sees both, with their content; the lock is
    // still the engine's: a second relay cannot open the spool.
    const auto queued = engine.loadQueued();
    QVERIFY2(queued, qPrintable(queued.error));
    QCOMPARE(queued->size(), 2);
    QCOMPARE(queued->at(0).queueId, in.meta.queueId);
    QCOMPARE(*engine.data(stored->at(1).id), QByteArray("Subject: two\r\n\r\nbody\r\n"));
    Spool second(dir);
    QVERIFY(!second.open());
    Spool admin(dir, Spool::Role::Admin);
    QVERIFY(admin.open());
    QVERIFY(admin.isEngineRunning());
}

// The engine thread writes delivery results (update(), no sync of its own),
// takes control requests and checkpoints while the commit thread stores
// batches with a sync each: every call succeeds, all messages are delivered
// and removed, nothing hangs (the test's time-out would say so).
void tst_SpoolWriter::heavyUpdatesDuringCommitsNeitherFailNorDeadlock()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(u"spool"_s);
    Spool engine(dir);
    QVERIFY(engine.open());

    constexpr int kBatches = 150;
    constexpr int kPerBatch = 4;
    QMutex mutex;
    QList<QueuedMessage> landed; // stored, not yet taken by the engine side
    QStringList storeErrors;
    std::atomic<bool> writerDone{false};
    QStringList ids;
    for (int i = 0; i < kBatches * kPerBatch; ++i)
        ids << engine.reserveQueueId();

    std::unique_ptr<QThread> thread(QThread::create([&] {
        SpoolWriter writer(engine);
        if (const Status st = writer.open(); !st) {
            QMutexLocker lock(&mutex);
            storeErrors << st.error;
            writerDone = true;
            return;
        }
        for (int b = 0; b < kBatches; ++b) {
            QList<IncomingMessage> batch;
            for (int i = 0; i < kPerBatch; ++i) {
                IncomingMessage in =
                    message(QByteArray("Subject: x\r\n\r\n") + QByteArray(2000, 'a'),
                            {u"a@drypizza.example"_s, u"b@drypizza.example"_s, u"c@drypizza.example"_s});
                in.meta.queueId = ids.at(b * kPerBatch + i);
                batch << in;
            }
            const auto stored = writer.store(batch);
            QMutexLocker lock(&mutex);
            if (stored)
                landed << *stored;
            else
                storeErrors << stored.error;
        }
        writerDone = true;
    }));
    thread->start();

    Spool admin(dir, Spool::Role::Admin);
    QVERIFY(admin.open());
    int delivered = 0;
    QStringList updateErrors;
    // Bounded: every pass either takes stored messages or waits a little for
    // the writer; the writer ends after kBatches stores.
    for (int pass = 0; pass < 200000 && (!writerDone || delivered < kBatches * kPerBatch); ++pass) {
        QList<QueuedMessage> take;
        {
            QMutexLocker lock(&mutex);
            take = std::exchange(landed, {});
            if (!storeErrors.isEmpty())
                break;
        }
        if (take.isEmpty()) {
            QThread::usleep(200);
            continue;
        }
        // One recipient at a time, as results come in, then the rest.
        for (int r = 0; r < 3; ++r) {
            QList<RecipientUpdate> updates;
            for (const QueuedMessage &m : std::as_const(take)) {
                RecipientUpdate u;
                u.messageId = m.id;
                u.recipientId = m.recipients.at(r).id;
                u.status = RecipientStatus::Delivered;
                u.attempts = 1;
                updates << u;
            }
            if (const Status st = engine.update(updates); !st)
                updateErrors << st.error;
        }
        delivered += int(take.size());
        if (pass % 7 == 0) {
            const auto flush = admin.requestFlush();
            if (!flush)
                updateErrors << flush.error;
            const auto requests = engine.takeControlRequests();
            if (!requests)
                updateErrors << requests.error;
            for (const ControlRequest &req : requests ? *requests : QList<ControlRequest>()) {
                if (const Status st = engine.flush(req.queueId); !st)
                    updateErrors << st.error;
            }
        }
    }
    QVERIFY(thread->wait(120000));
    QVERIFY2(storeErrors.isEmpty(), qPrintable(storeErrors.join(u"; "_s)));
    QVERIFY2(updateErrors.isEmpty(), qPrintable(updateErrors.join(u"; "_s)));
    QCOMPARE(delivered, kBatches * kPerBatch);
    // Every message was delivered to all its recipients and removed.
    QCOMPARE(*engine.messageCount(), qint64(0));
    QVERIFY(engine.checkpoint());
}

QTEST_GUILESS_MAIN(tst_SpoolWriter)
#include "tst_spoolwriter.moc"
