// The queue's value types: one immutable message, one envelope per recipient
// (status, attempts, next attempt). Shared by the spool, the scheduler, the
// delivery agent, the console's queue view and `mailroutectl queue`.
// Plain values: safe to copy across threads.
#pragma once

#include "relaycore/message/bodyfile.h"
#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace mailroute {

enum class RecipientStatus {
    Queued,    // waiting for (another) delivery attempt
    Delivered, // the next hop accepted it (2xx)
    Bounced,   // permanent failure or schedule spent; a DSN was queued
    Dropped,   // failed, but no DSN: null sender (docs/behaviour.md "Bounces"), or deleted by the admin
};

struct QueuedRecipient
{
    qint64 id = 0;           // spool row id
    QString address;         // final envelope recipient (after rewriting)
    QString originalAddress; // as given in RCPT TO (DSN Original-Recipient)
    RecipientStatus status = RecipientStatus::Queued;
    int attempts = 0;
    QDateTime nextAttempt; // UTC; invalid = as soon as possible
    QString lastError;     // last failure reply or reason, for the queue view and DSNs
};

struct QueuedMessage
{
    qint64 id = 0;         // spool row id
    QString queueId;       // unique, what the 250 reply and the logs name
    QString sender;        // final envelope sender; empty = null sender <>
    QDateTime arrival;     // UTC
    QString clientAddress; // "192.0.2.7" (empty for locally generated DSNs)
    QString heloName;
    qint64 generation = 0;     // configuration generation the message was routed with
    qint64 size = 0;           // octets of the stored message
    bool smtputf8 = false;     // MAIL FROM had SMTPUTF8
    bool eightBitMime = false; // MAIL FROM had BODY=8BITMIME
    bool isDsn = false;        // the relay's own message (bounce, notice, confirmation): never bounced itself
    // The client was one of outbound.allowed_clients when the message arrived
    // (what DKIM signing goes by); nullopt: unknown, spooled before the spool
    // recorded it.
    std::optional<bool> outboundClient;
    // The relay rewrote header fields at intake (To/Cc, From/Sender/Reply-To):
    // what ARC sealing under arc.seal = modified goes by.
    bool headersRewritten = false;
    bool delayWarned = false; // the sender got its one delay notice (retry.delay_warning)
    QList<QueuedRecipient> recipients;
    // Recipient id -> when its retry lifetime starts (RetrySchedule::
    // nextAfterFailure): the release of a domain hold. Absent: the arrival.
    QHash<qint64, QDateTime> scheduleStarts;

    bool nullSender() const { return sender.isEmpty(); }
    QDateTime scheduleStart(const QueuedRecipient &r) const { return scheduleStarts.value(r.id, arrival); }
};

// A recipient's outcome after a delivery attempt, written back to the spool.
struct RecipientUpdate
{
    qint64 messageId = 0;
    qint64 recipientId = 0;
    RecipientStatus status = RecipientStatus::Queued;
    int attempts = 0;
    QDateTime nextAttempt;
    QString lastError;
};

// A message that finished DATA, handed to Spool::store(): the envelope and
// routing result (recipients without ids) and the complete message text as it
// must leave (Received: and rewritten headers included).
struct IncomingMessage
{
    QueuedMessage meta;
    // The message, or for a large one its header section followed by
    // `body`'s bytes (relaycore/message/bodyfile.h).
    QByteArray data;
    BodyFilePtr body = nullptr;
    qint64 size() const { return messageSize(data, body); }
};

// An administrator's request from another process (`mailroutectl queue
// flush|delete`, the console's queue view) for the running engine, which holds
// the queue schedule in memory and applies it (Spool::takeControlRequests()).
enum class ControlCommand {
    Flush,  // retry now: the next attempt of every queued recipient becomes "as soon as possible"
    Delete, // drop the message without a DSN and remove its content
};

struct ControlRequest
{
    qint64 id = 0; // control row id, increasing
    ControlCommand command = ControlCommand::Flush;
    QString queueId;     // empty: every message (Flush only)
    QDateTime requested; // UTC
};

} // namespace mailroute
