#include "relaycore/engine/spoolcommit.h"

#include "relaycore/engine/smtpserverconnection.h"
#include "relaycore/queue/spool.h"

#include <QTimer>

namespace mailroute {

SpoolCommit::SpoolCommit(DeliveryScheduler::EventSink events, Committed committed, QObject *parent)
    : QObject(parent), m_events(std::move(events)), m_committed(std::move(committed))
{}

void SpoolCommit::add(Item item)
{
    m_pending << std::move(item);
    // Group commit: every message that completes in this pass of the event
    // loop is synced with one transaction, then all are acknowledged.
    if (!m_scheduled) {
        m_scheduled = true;
        QTimer::singleShot(0, this, &SpoolCommit::commit);
    }
}

void SpoolCommit::commit()
{
    m_scheduled = false;
    if (m_pending.isEmpty())
        return;
    const QList<Item> batch = std::exchange(m_pending, {});
    QList<IncomingMessage> incoming;
    incoming.reserve(batch.size());
    for (const Item &p : batch)
        incoming << p.intake.message;
    const auto stored = m_spool
                            ? m_spool->store(incoming)
                            : Result<QList<QueuedMessage>>::failure(QStringLiteral("the spool is closed"));
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
