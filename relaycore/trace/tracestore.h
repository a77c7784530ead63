// The message trace store (issue 14, item 1): the indexed, per-message view
// of the message log, in the configuration database (schema version 5, see
// relaycore/store/schemamigration.cpp step5() for the tables).
//
// Written by TraceIngest (traceingest.h) on the message-log thread, in the
// same transaction as the message_log rows of a batch; read here by the
// console's Trace and Overview pages and by `mailroutectl trace`.
//
// Partial matches (addresses, Subject, Message-ID) use an FTS5 table with the
// trigram tokenizer (trace_fts) when this SQLite has FTS5; otherwise the same
// searches run as LIKE scans (slower on large stores), and fullText() says so.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/trace/tracetypes.h"

#include <QString>

#include <memory>

namespace mailroute {

class TraceStore final
{
public:
    // `databasePath`: the configuration database, already created and migrated
    // (ConfigStore::open() does both). The store opens its own connection; use
    // one TraceStore per thread.
    explicit TraceStore(QString databasePath);
    ~TraceStore();
    Q_DISABLE_COPY_MOVE(TraceStore)

    // Opens the connection, checks the schema version (>= 5) and whether the
    // full-text index can be used.
    Status open();
    bool isOpen() const;

    // True when searches use the FTS5 trigram index; false: LIKE scans, and
    // fullTextNote() says why (to show or log once).
    bool fullText() const;
    QString fullTextNote() const;

    // The query's own errors, before any database access: a part of an
    // address, Message-ID or Subject shorter than 3 characters, since after
    // until, a negative offset. The message is for the user.
    static Status validate(const TraceQuery &query);

    // Messages matching `query`, in its sort order, with their recipients.
    Result<QList<TraceMessage>> search(const TraceQuery &query) const;
    // How many messages match (limit and offset ignored).
    Result<qint64> count(const TraceQuery &query) const;

    // One message with its whole timeline (the message_log rows of its queue
    // id, oldest first; for a refusal without a queue id, the refused event).
    // Fails when there is no such message.
    Result<TraceTimeline> timeline(qint64 traceId) const;
    Result<TraceTimeline> timelineOfQueueId(const QString &queueId) const;

    // The Overview page's figures over [since, until), from the hourly
    // roll-ups the writer keeps (cheap on a large store). Hours are whole
    // UTC hours: since is rounded down, until up.
    Result<TraceOverview> overview(const QDateTime &since, const QDateTime &until, int topLimit = 10) const;

    // Retention: removes messages received before `before` with their
    // recipients, full-text rows and roll-up hours. Returns how many messages.
    // (RelayHousekeeper calls it with the message log's cut-off.)
    Result<qint64> prune(const QDateTime &before);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroute
