// Writes message-log events into the configuration database in batches, on
// its own thread, so the relay's hot path never waits for the database
// (issue 3, item 9). Owned by EngineController; lives on the log thread.
#pragma once

#include "relaycore/store/configstore.h"
#include "relaycore/trace/traceingest.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace mailroute {

class MessageLogWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogWriter)

public:
    explicit MessageLogWriter(QString databasePath);
    ~MessageLogWriter() override;

    // Log thread: opens the store on first use; one transaction per batch,
    // which also writes the message trace (relaycore/trace). When the trace
    // rows fail, the batch is written without them (and failed() says so).
    void write(const QList<mailroute::MessageLogEntry> &events);

    // Hands memory back once the relay is idle (kIdleReleaseMs after the last
    // batch; issue 17): the trace's open-message table shrunk to fit, SQLite's
    // page cache of this connection released, and free heap pages returned
    // to the system (memorypolicy::returnFreedMemory()), so that what the relay keeps after
    // traffic does not grow with the traffic. Log thread; public for the
    // benchmark (bench/bench_logpath.cpp).
    void releaseMemory();

signals:
    void failed(const QString &reason);
    // Once, when this SQLite has no FTS5 (trace searches fall back to LIKE).
    void notice(const QString &text);

private:
    static constexpr int kIdleReleaseMs = 1000;

    QString m_path;
    std::unique_ptr<ConfigStore> m_store;
    bool m_reported = false;
    TraceIngest m_trace;
    bool m_traceOn = !TraceIngest::disabledByEnvironment();
    bool m_traceReported = false;
    bool m_noticeSent = false;
    QTimer *m_idle = nullptr; // releaseMemory() once no batch came for kIdleReleaseMs
};

} // namespace mailroute
