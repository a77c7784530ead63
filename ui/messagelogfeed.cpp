#include "ui/messagelogfeed.h"

#include <QTimer>

namespace mailroute {

MessageLogFeed::MessageLogFeed(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kBatchMs);
    connect(m_timer, &QTimer::timeout, this, &MessageLogFeed::flush);
}

void MessageLogFeed::add(const QList<MessageLogEntry> &entries)
{
    if (entries.isEmpty())
        return;
    // First the areas the batch reveals: a message's "received" event comes
    // before its "rewritten" events, usually in the same batch.
    for (const MessageLogEntry &e : entries) {
        if (!e.area || e.queueId.isEmpty())
            continue;
        auto it = m_areasByQueueId.find(e.queueId);
        if (it == m_areasByQueueId.end()) {
            m_areasByQueueId.insert(e.queueId, MessageLogRow::areaBit(*e.area));
            m_queueIdOrder.append(e.queueId);
        } else {
            *it |= MessageLogRow::areaBit(*e.area);
        }
    }
    if (m_queueIdOrder.size() > kRememberedMessages) {
        const qsizetype drop = m_queueIdOrder.size() - kRememberedMessages;
        for (qsizetype i = 0; i < drop; ++i)
            m_areasByQueueId.remove(m_queueIdOrder.at(i));
        m_queueIdOrder.remove(0, drop);
    }
    m_waiting.reserve(m_waiting.size() + entries.size());
    for (const MessageLogEntry &e : entries) {
        quint8 areas = e.area ? MessageLogRow::areaBit(*e.area) : 0;
        if (!e.queueId.isEmpty())
            areas |= m_areasByQueueId.value(e.queueId);
        m_waiting.append(MessageLogRow::fromEntry(e, areas));
    }
    if (!m_timer->isActive())
        m_timer->start();
}

void MessageLogFeed::flush()
{
    m_timer->stop();
    if (m_waiting.isEmpty())
        return;
    emit rows(std::exchange(m_waiting, {}));
}

} // namespace mailroute
