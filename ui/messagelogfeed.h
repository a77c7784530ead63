// Turns relay events into message-log rows and hands them on in batches about
// every 100 ms, whatever the source (the in-process engine's signal, or the
// message_log table of a headless relay polled), so a flood of mail costs the
// GUI thread one model update per batch, not one per event. Learns which
// areas each message belongs to from its "rewritten" events.
// Main (GUI) thread.
#pragma once

#include "ui/messagelogrow.h"

#include <QHash>
#include <QList>
#include <QObject>

class QTimer;

namespace mailroute {

class MessageLogFeed final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kBatchMs = 100;
    static constexpr int kRememberedMessages = 100000;

    explicit MessageLogFeed(QObject *parent = nullptr);

    void add(const QList<MessageLogEntry> &entries);
    // Sends what is waiting now (tests, and before a page is first shown).
    void flush();

signals:
    void rows(const QList<mailroute::MessageLogRow> &rows);

private:
    QTimer *m_timer;
    QList<MessageLogRow> m_waiting;
    QHash<QString, quint8> m_areasByQueueId;
    QList<QString> m_queueIdOrder; // oldest first, to forget beyond kRememberedMessages
};

} // namespace mailroute
