// The spool commit (docs/architecture.md "Two data paths"): the step between
// the intake and the delivery scheduler. Group commit on a thread of its own:
// the messages whose intake completed while the previous batch was being
// synced (or, when none was, in this pass of the event loop) are stored with
// one synced transaction on the commit thread, through its own connection to
// the spool (relaycore/queue/spoolwriter.h), while the engine thread goes on
// reading and parsing sessions. When a batch's store returns, the next batch
// leaves at once, and then, back on the engine thread and in commit order, the
// batch is acknowledged (250 with the queue id), logged and handed to the
// scheduler. A message that is not on disk is never acknowledged (451, the
// client retries).
//
// Threads: a SpoolCommit lives on the engine thread; it owns the commit
// thread, which runs only the batches' Spool::store() and the delivery
// results' Spool::update() (writeUpdates()), one at a time in the order they
// were sent, so the engine thread never waits for the spool's write lock on
// the hot path. Without a commit thread (its connection could not be opened)
// both run on the engine thread as before.
#pragma once

#include "relaycore/engine/deliveryscheduler.h"
#include "relaycore/engine/intake.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace mailroute {

class SmtpServerConnection;
class Spool;
class SpoolWriter;

class SpoolCommit final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SpoolCommit)

public:
    struct Item
    {
        QPointer<SmtpServerConnection> connection; // null: the client left (it is stored all the same)
        IntakeResult intake;
    };
    // A message now on disk, with its content, for the scheduler.
    using Committed = std::function<void(const QueuedMessage &meta, const QByteArray &data)>;

    // Tests only (tst_spoolcommit): called with the batch's queue ids on the
    // commit thread right before its store (it may block there); `added` on
    // the engine thread when a message's intake is done and it waits for the
    // spool; `waiting` on the engine thread when commit() waits for a batch
    // in flight. Set before the engine starts, cleared after it stopped.
    struct TestHooks
    {
        std::function<void(const QStringList &queueIds)> beforeStore;
        std::function<void(const QString &queueId)> added;
        std::function<void()> waiting;
    };
    static void setTestHooks(TestHooks hooks);

    SpoolCommit(DeliveryScheduler::EventSink events, Committed committed, QObject *parent = nullptr);
    ~SpoolCommit() override;

    // The engine's open spool (null: closed, every commit fails). Opens the
    // commit thread's own connection to it; a batch still in flight for the
    // previous spool is answered first.
    void setSpool(Spool *spool);
    // Stored with the next batch.
    void add(Item item);
    // Stores and answers everything received so far, waiting for the batch in
    // flight (a stopping engine answers it before the 421).
    void commit();
    // The delivery scheduler's results (Spool::update(), no sync of their
    // own), written on the commit thread after the batches sent there before
    // them, so the engine thread never waits for a batch's write lock. A
    // failure is logged as the scheduler did.
    void writeUpdates(const QList<RecipientUpdate> &updates);
    bool isEmpty() const { return m_pending.isEmpty() && !m_flight; }

signals:
    // A batch was stored and acknowledged (a refused batch sends no signal).
    void committedBatch();

private:
    struct Flight;

    void scheduleBatch();
    void startBatch();
    void landed(const std::shared_ptr<Flight> &flight);
    void answer(const QList<Item> &batch, const Result<QList<QueuedMessage>> &stored);
    void startThread();
    void stopThread();

    DeliveryScheduler::EventSink m_events;
    Committed m_committed;
    Spool *m_spool = nullptr;
    QList<Item> m_pending;
    bool m_scheduled = false;
    std::shared_ptr<Flight> m_flight; // the batch being stored on the commit thread
    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr;           // lives on m_thread: the context of the work sent there
    std::unique_ptr<SpoolWriter> m_writer; // used (opened, stored, closed) on m_thread only
};

} // namespace mailroute
