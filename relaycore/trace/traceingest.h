// Turns message-log events into trace rows (tracestore.h), inside the message
// log writer's batch transaction on the log thread: never on the relay's
// event loop.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/store/configstore.h"

#include <QSqlDatabase>

#include <memory>
#include <optional>

namespace mailroute {

struct StatementCache;

class TraceIngest final
{
public:
    TraceIngest();
    ~TraceIngest();
    Q_DISABLE_COPY_MOVE(TraceIngest)

    // Applies `events` (in log order) to the trace tables of `db`, which is in
    // a write transaction. The first call checks for FTS5 and creates the
    // full-text table when it can; fullText() tells the outcome after that.
    Status apply(QSqlDatabase &db, const QList<MessageLogEntry> &events);

    // The batch that apply() wrote to was not committed after all: forget the
    // open messages it keeps in memory (they are read again).
    void forget();

    // The relay is idle: the open-message table shrunk to what it holds.
    void releaseMemory();

    bool fullText() const { return m_fullText.value_or(false); }
    // Set once FTS5 was found missing: the sentence to log once.
    QString fullTextNote() const { return m_note; }

    // Whether a SQLite connection has FTS5 with the trigram tokenizer; creates
    // trace_fts when `create` and it is missing. `note` gets why not.
    static bool prepareFullText(QSqlDatabase &db, bool create, QString *note);

    // MAILROUTE_TRACE=off in the environment turns trace writing off (for the
    // throughput benchmark only; not a setting).
    static bool disabledByEnvironment();

private:
    std::optional<bool> m_fullText;
    QString m_note;
    std::unique_ptr<StatementCache> m_cache; // prepared statements of the last connection
};

} // namespace mailroute
