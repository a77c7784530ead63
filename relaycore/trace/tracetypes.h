// Message trace (issue 14, items 1 and 3): the values the trace store's read
// API (tracestore.h) hands to the console's Trace and Overview pages and to
// `mailroutectl trace`. Plain values, no I/O. Times are UTC.
#pragma once

#include "relaycore/routing/area.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace mailroute {

// The state of a recipient, and of a message as a whole:
//   Queued    received, not attempted yet (or waiting on a hold)
//   Deferred  at least one attempt failed temporarily; will be tried again
//   Delivered accepted by the next hop
//   Bounced   failed permanently (or the retry schedule ran out); a DSN went out
//   Refused   refused at receipt (RCPT, DATA or policy), never queued
// A message's status: Refused if refused; else Deferred if any recipient is
// deferred, else Queued if any is queued; else Bounced if any bounced; else
// Delivered.
enum class TraceStatus { Queued = 0, Deferred = 1, Delivered = 2, Bounced = 3, Refused = 4 };

QString traceStatusKey(TraceStatus s);                          // "queued", "deferred", ...
std::optional<TraceStatus> traceStatusFromKey(QStringView key); // case-insensitive
bool traceStatusIsFinal(TraceStatus s);                         // delivered, bounced, refused

enum class TraceSort {
    NewestFirst, // by time received, newest first (the default)
    OldestFirst,
    BySender,    // original sender (case-insensitive), then newest first
    ByRecipient, // first original recipient, then newest first
    ByStatus,    // status key, then newest first
};

// A search. Every set criterion must hold (AND). Address criteria match the
// original OR the rewritten address, whole or any part of 3 characters or
// more, case-insensitively; TraceStore::validate() refuses shorter parts.
struct TraceQuery
{
    QString from;                      // sender (envelope, original or rewritten)
    QString to;                        // any recipient (original, rewritten or delivered-to)
    QString address;                   // sender OR recipient (the Trace page's one address box)
    QString messageId;                 // Message-ID, with or without <>; whole or a part of >= 3 characters
    QString queueId;                   // exact queue id
    QString client;                    // exact client IP address as logged (e.g. "127.0.0.1", "::1")
    QString subject;                   // part of the Subject, >= 3 characters
    std::optional<TraceStatus> status; // the message's OR any recipient's status
    std::optional<Area> area;
    QDateTime since;  // received at or after (invalid: no lower bound)
    QDateTime until;  // received before (invalid: no upper bound)
    int limit = 1000; // rows (messages); <= 0: no limit
    int offset = 0;
    TraceSort sort = TraceSort::NewestFirst;
};

// One recipient of a traced message.
struct TraceRecipient
{
    QString original;    // as the client sent it in RCPT TO ("to as sent")
    QString deliveredTo; // after the envelope rules (equals original when no rule applied)
    TraceStatus status = TraceStatus::Queued;
    std::optional<Area> area; // the area whose rule routed it
    QString match;            // "user", "domain" or "none": which rule routed it
    QString rule;             // "bob@old.example -> bob@new.example", empty for none
    QString nextHop;          // the relay of the last attempt ("host:port" or as logged)
    QString lastReply;        // the last remote reply or failure reason
    int attempts = 0;
    QDateTime nextAttempt; // deferred: the next attempt (invalid: none or on hold)
    QString dsnQueueId;    // bounced: the queue id of the DSN
    QDateTime updated;
};

// One message: the Trace page's result row and the CLI's line(s).
struct TraceMessage
{
    qint64 traceId = 0; // the store's row id (stable while the row lives)
    QDateTime time;     // received (or refused)
    QString queueId;    // empty for a refusal before DATA
    QString client;     // client IP address
    QString helo;
    bool tls = false;         // the client's session was TLS-protected
    QString tlsCipher;        // when known (empty otherwise)
    qint64 size = -1;         // bytes as queued; -1 when unknown (refused)
    QString messageId;        // without <>, empty when absent
    QString subject;          // decoded Subject, empty when absent
    QString from;             // envelope sender as sent ("" for the null sender <>)
    QString rewrittenFrom;    // after the Outbound rules (equals from when unchanged)
    std::optional<Area> area; // the area whose rule routed it (recipient rule first, else sender rule)
    TraceStatus status = TraceStatus::Queued;
    QDateTime updated; // last event
    QList<TraceRecipient> recipients;
};

// One event of a message's timeline: a message_log row of its queue id
// (kind = the event: received, auth, rewritten, kept, delivered, deferred,
// bounced, refused, held, deleted, delay_notice, error, ...; fields as
// logged: client, helo, tls, message_id, subject, from, to, scope, rule,
// match, relay, reply, reason, attempts, next_attempt, dsn, ...).
struct TraceEvent
{
    qint64 id = 0;
    QDateTime time;
    QString kind;
    std::optional<Area> area;
    QVariantMap fields;
};

struct TraceTimeline
{
    TraceMessage message;
    QList<TraceEvent> events; // oldest first
};

// The Overview page's figures over [since, until).
struct TraceOverview
{
    QDateTime since;
    QDateTime until;
    // Messages by the hour they were received, per area (nullopt: no rule
    // applied) and current status. Only non-zero buckets are listed.
    struct HourBucket
    {
        QDateTime hour; // start of the hour, UTC
        std::optional<Area> area;
        TraceStatus status = TraceStatus::Queued;
        qint64 messages = 0;
    };
    QList<HourBucket> perHour;
    // Messages neither delivered, bounced nor refused at the end of each hour
    // of the period (one sample per hour, oldest first).
    struct QueueSample
    {
        QDateTime hour;
        qint64 queued = 0;
    };
    QList<QueueSample> queueDepth;
    // Recipients per delivered-to domain, most first (at most `topLimit`).
    struct DomainCount
    {
        QString domain;
        qint64 recipients = 0;
    };
    QList<DomainCount> topTargetDomains;
    // The cut-over view: per Inbound domain (the domain of the recipient as
    // sent), recipients routed by a user rule against the domain rule.
    struct CutOver
    {
        QString domain;
        qint64 byUserRule = 0;
        qint64 byDomainRule = 0;
    };
    QList<CutOver> inboundCutOver; // by domain name
};

} // namespace mailroute
