// How `mailroutectl serve` reports itself on a server (issue 14 item 5):
//  - one line per message-log event on standard error, with the journald
//    priority prefix (<6> info, <4> warning, <3> error) when standard error is
//    not a terminal, so `journalctl -u mailroute` is the live log; on a
//    terminal the same line with the UTC time in front instead;
//  - the relay's state in <spool>/relay-status.json (rewritten atomically
//    every couple of seconds), which `mailroutectl status` reads;
//  - READY=1 / STATUS= / STOPPING=1 to systemd (sdnotify.h);
//  - --metrics-file: Prometheus text exposition format, rewritten atomically
//    (temporary file + rename in the same folder) every 15 s, for
//    node-exporter's textfile collector.
// Counters come from the engine's events (EngineController::events), so the
// engine itself knows nothing of this. Main thread only.
#pragma once

#include "app/ctl/sdnotify.h"
#include "relaycore/engine/relaystatus.h"
#include "relaycore/queue/domainhold.h"
#include "relaycore/routing/area.h"
#include "relaycore/store/configstore.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTextStream>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>

namespace mailroute {

class OperationsStore;

// journald priority of a message-log event: 3 (error: bounced, error),
// 4 (warning: deferred, refused, held, warning, ...), 6 (info: the rest).
int journalPriority(MessageEvent event);
// "AREA QUEUEID EVENT: key=value ..." (formatMessageLogLine), AREA "-" for none.
QString journalText(const MessageLogEntry &entry);

// Recipients still to deliver in a spool, by state: "queued" (not attempted
// yet), "deferred" (attempted, waiting for the next attempt), "held" (its
// domain is on hold, final or original address).
struct QueueStates
{
    qint64 messages = 0;
    qint64 queued = 0;
    qint64 deferred = 0;
    qint64 held = 0;
};
// Reads <spoolDirectory>/spool.db as an admin (no spool: all zero).
Result<QueueStates> countQueueStates(const QString &spoolDirectory, const QList<DomainHold> &holds,
                                     const QDateTime &now);

// "relay-status.json" in the spool directory.
QString relayStatusFilePath(const QString &spoolDirectory);

// Whether `name` is a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool isPrometheusName(const QString &name);

class ServeReporter final
{
public:
    struct Options
    {
        QString spoolDirectory;
        QString databasePath;
        QString metricsFile; // empty: no metrics
        int metricsIntervalMs = 15000;
        int statusIntervalMs = 2000;
        bool journalPrefixes = true; // false: plain lines with the time (a terminal)
    };

    ServeReporter(Options options, QTextStream &err);
    ~ServeReporter();
    Q_DISABLE_COPY_MOVE(ServeReporter)

    // stderr's kind decides the line format: prefixes unless a terminal.
    static bool stderrWantsPrefixes();

    void onEvents(const QList<MessageLogEntry> &events);
    void onStatus(const RelayStatus &status);
    // A stop began (SIGTERM): STOPPING=1.
    void onStopping();
    // The relay stopped: last metrics, the status file removed.
    void onStopped();

    // Writes the metrics file now; empty on success, else why not.
    QString writeMetrics();
    QByteArray metricsText(const QueueStates &queue, bool queueKnown) const;

private:
    void writeStatusFile();
    void sendNotify(const QByteArray &state);
    std::optional<Area> areaOf(const MessageLogEntry &e);
    void rememberArea(const QString &queueId, Area area);

    Options m_options;
    QTextStream &m_err;
    SdNotifier m_notifier;
    QObject m_context; // owns the timers' connections
    QTimer m_metricsTimer;
    QTimer m_statusTimer;
    QTimer m_watchdogTimer;
    std::unique_ptr<OperationsStore> m_ops;
    RelayStatus m_status;
    bool m_ready = false;
    QDateTime m_started;
    QString m_metricsError; // the last one reported, so a broken path is said once

    // counters: "area/status" -> n
    QHash<QString, qint64> m_counts;
    QHash<QString, Area> m_areas; // queue id -> area of its rewrite
    std::deque<QString> m_areaOrder;
    QDateTime m_lastDelivery;
    QJsonObject m_lastDeliveryJson;
    QJsonObject m_lastErrorJson;
};

} // namespace mailroute
