#include "relaycore/engine/spoolcommit.h"

#include "relaycore/engine/smtpserverconnection.h"
#include "relaycore/queue/spool.h"
#include "relaycore/queue/spoolwriter.h"

#include <QMutex>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>

#include <atomic>
#include <optional>

namespace mailroute {

namespace {

QMutex g_hooksMutex;
SpoolCommit::TestHooks g_hooks;
std::atomic<bool> g_hooksSet{false}; // the hot path looks only at this

SpoolCommit::TestHooks hooks()
{
    if (!g_hooksSet.load(std::memory_order_acquire))
        return {};
    QMutexLocker lock(&g_hooksMutex);
    return g_hooks;
}

} // namespace

// A batch handed to the commit thread. `batch` is the engine thread's; the
// rest is written once by the commit thread and read after `done`.
struct SpoolCommit::Flight
{
    QList<Item> batch;
    QMutex mutex;
    QWaitCondition finished;
    bool done = false;
    std::optional<Result<QList<QueuedMessage>>> stored;
};

void SpoolCommit::setTestHooks(TestHooks hooks)
{
    QMutexLocker lock(&g_hooksMutex);
    const bool set = hooks.beforeStore || hooks.added || hooks.waiting;
    g_hooks = std::move(hooks);
    g_hooksSet.store(set, std::memory_order_release);
}

SpoolCommit::SpoolCommit(DeliveryScheduler::EventSink events, Committed committed, QObject *parent)
    : QObject(parent), m_events(std::move(events)), m_committed(std::move(committed))
{}

SpoolCommit::~SpoolCommit()
{
    // The engine is going away: a batch in flight is finished on disk (the
    // client never got its 250 and sends again), nothing more is answered.
    stopThread();
}

void SpoolCommit::setSpool(Spool *spool)
{
    if (m_thread)
        commit(); // what the previous spool's connection took is answered first
    stopThread();
    m_spool = spool;
    if (m_spool)
        startThread();
}

void SpoolCommit::startThread()
{
    auto writer = std::make_unique<SpoolWriter>(*m_spool);
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("spool commit"));
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    m_thread->start();
    // The connection belongs to the thread that opens it.
    Status opened = Status::failure(QStringLiteral("the spool commit thread did not start"));
    QMetaObject::invokeMethod(
        m_worker, [&opened, &writer] { opened = writer->open(); }, Qt::BlockingQueuedConnection);
    m_writer = std::move(writer);
    if (!opened) {
        stopThread();
        m_events(MessageEvent::Warning, {}, std::nullopt,
                 {{QStringLiteral("reason"),
                   QString(QStringLiteral("the spool commit runs on the engine thread: cannot open its own "
                                          "connection: ") +
                           opened.error)}});
    }
}

void SpoolCommit::stopThread()
{
    if (!m_thread)
        return;
    // After the store in flight, if any (the thread runs one task at a time):
    // the connection is closed on its own thread.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_writer.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void SpoolCommit::add(Item item)
{
    if (const auto added = hooks().added)
        added(item.intake.message.meta.queueId);
    m_pending << std::move(item);
    scheduleBatch();
}

void SpoolCommit::scheduleBatch()
{
    // Group commit: while a batch is being synced, what completes meanwhile
    // waits and leaves as the next batch when it returns (landed()); else
    // everything that completes in this pass of the event loop goes together.
    if (m_flight || m_scheduled)
        return;
    m_scheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_scheduled = false;
        startBatch();
    });
}

void SpoolCommit::startBatch()
{
    if (m_flight || m_pending.isEmpty())
        return;
    QList<Item> batch = std::exchange(m_pending, {});
    QList<IncomingMessage> incoming;
    incoming.reserve(batch.size());
    for (const Item &p : std::as_const(batch))
        incoming << p.intake.message;
    if (!m_writer) {
        const auto stored =
            m_spool ? m_spool->store(incoming)
                    : Result<QList<QueuedMessage>>::failure(QStringLiteral("the spool is closed"));
        answer(batch, stored);
        return;
    }
    auto flight = std::make_shared<Flight>();
    flight->batch = std::move(batch);
    m_flight = flight;
    QMetaObject::invokeMethod(
        m_worker,
        [self = this, writer = m_writer.get(), flight, incoming = std::move(incoming)] {
            if (const auto before = hooks().beforeStore) {
                QStringList ids;
                for (const IncomingMessage &m : incoming)
                    ids << m.meta.queueId;
                before(ids);
            }
            auto stored = writer->store(incoming);
            {
                QMutexLocker lock(&flight->mutex);
                flight->stored = std::move(stored);
                flight->done = true;
            }
            flight->finished.wakeAll();
            // The SpoolCommit outlives this task (its destructor waits for it);
            // a posted call it does not live to see is dropped.
            QMetaObject::invokeMethod(
                self, [self, flight] { self->landed(flight); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SpoolCommit::writeUpdates(const QList<RecipientUpdate> &updates)
{
    const auto failed = [this](const QString &why) {
        // The in-memory state is ahead of the disk: at worst a message is
        // delivered again after a restart, never lost.
        m_events(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QString(QStringLiteral("cannot update the spool: ") + why)}});
    };
    if (!m_writer) {
        if (!m_spool)
            return;
        if (const Status st = m_spool->update(updates); !st.ok())
            failed(st.error);
        return;
    }
    QMetaObject::invokeMethod(
        m_worker,
        [self = this, writer = m_writer.get(), updates, failed] {
            if (const Status st = writer->update(updates); !st.ok())
                QMetaObject::invokeMethod(
                    self, [failed, why = st.error] { failed(why); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SpoolCommit::landed(const std::shared_ptr<Flight> &flight)
{
    if (flight != m_flight)
        return; // commit() answered it already
    m_flight.reset();
    // The next batch syncs while this one is answered.
    startBatch();
    answer(flight->batch, *flight->stored);
}

void SpoolCommit::commit()
{
    while (m_flight || !m_pending.isEmpty()) {
        if (!m_flight) {
            startBatch(); // stored and answered here without a commit thread
            continue;
        }
        const std::shared_ptr<Flight> flight = std::exchange(m_flight, {});
        if (const auto waiting = hooks().waiting)
            waiting();
        {
            QMutexLocker lock(&flight->mutex);
            while (!flight->done)
                flight->finished.wait(&flight->mutex);
        }
        answer(flight->batch, *flight->stored);
    }
}

void SpoolCommit::answer(const QList<Item> &batch, const Result<QList<QueuedMessage>> &stored)
{
    if (!stored.ok()) {
        // Nothing is acknowledged that is not on disk: the client gets 451 and retries.
        m_events(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"),
                   QStringLiteral("cannot spool %1 message(s): %2").arg(batch.size()).arg(stored.error)}});
        for (const Item &p : batch) {
            if (p.connection)
                p.connection->reject(replies::internalError());
        }
        return;
    }
    for (int i = 0; i < batch.size(); ++i) {
        const Item &p = batch.at(i);
        const QueuedMessage &meta = stored->at(i);
        if (p.connection)
            p.connection->accept(meta.queueId.toLatin1());
        QVariantMap received = p.intake.received;
        QStringList finals;
        for (const QueuedRecipient &r : meta.recipients)
            finals << r.address;
        received.insert(QStringLiteral("recipients"), finals.join(QStringLiteral(", ")));
        m_events(MessageEvent::Received, meta.queueId, std::nullopt, received);
        for (const MessageLogEntry &e : p.intake.events)
            m_events(e.event, e.queueId, e.area, e.fields);
        m_committed(meta, p.intake.message.data);
    }
    emit committedBatch();
}

} // namespace mailroute
