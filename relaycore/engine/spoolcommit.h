// The spool commit (docs/architecture.md "Two data paths"): the step between
// the intake and the delivery scheduler. Every message whose intake completes
// in one pass of the event loop is stored with one synced transaction, then
// all of them are acknowledged (250 with the queue id) and logged; a message
// that is not on disk is never acknowledged (451, the client retries).
// Lives on the engine thread.
#pragma once

#include "relaycore/engine/deliveryscheduler.h"
#include "relaycore/engine/intake.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace mailroute {

class SmtpServerConnection;
class Spool;

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

    SpoolCommit(DeliveryScheduler::EventSink events, Committed committed, QObject *parent = nullptr);

    // The spool to store in (null: closed, every commit fails).
    void setSpool(Spool *spool) { m_spool = spool; }
    // Stored with the others of this pass of the event loop.
    void add(Item item);
    // Stores what waits now (a stopping engine answers it before the 421).
    void commit();
    bool isEmpty() const { return m_pending.isEmpty(); }

signals:
    // A batch was stored and acknowledged (a refused batch sends no signal).
    void committedBatch();

private:
    DeliveryScheduler::EventSink m_events;
    Committed m_committed;
    Spool *m_spool = nullptr;
    QList<Item> m_pending;
    bool m_scheduled = false;
};

} // namespace mailroute
