// The relay's housekeeping against the configuration database, on the log
// thread (EngineController), so the engine itself never opens that database:
// - domain holds: reads domain_holds about once a second and hands every
//   change to the engine (holdsChanged), so `mailroutectl hold add|release`
//   and the console's Hold / Release act within a couple of seconds, like a
//   queue flush; records that the retry.hold_max warning went out;
// - log retention (log.retention_days): prunes the message log and the action
//   log when the relay starts and then every 24 hours. Only the process that
//   runs the relay (serve, or the console's relay) does this;
// - freed memory back to the system: once the relay's open sessions and
//   queue have not changed for idleTrimMs after a change, the allocator's
//   free pages go back (memorypolicy.h), so a burst of traffic or a large
//   message does not leave the process at its peak.
#pragma once

#include "relaycore/engine/relaystatus.h"
#include "relaycore/queue/clock.h"
#include "relaycore/queue/domainhold.h"

#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace mailroute {

class OperationsStore;
class TraceStore;

class RelayHousekeeper final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayHousekeeper)

public:
    struct Options
    {
        QString databasePath;
        int holdPollMs = 1000;
        const Clock *clock = nullptr;          // the retention cut-off; nullptr: the system clock
        int idleTrimMs = 2000;                 // quiet time before freed memory goes back; 0: never
        std::function<void()> trimMemory = {}; // empty: memorypolicy::returnFreedMemory()
    };
    explicit RelayHousekeeper(Options options);
    ~RelayHousekeeper() override;

    // Log thread. start() reads the holds at once (the engine waits for them
    // before its first delivery) and prunes; setRetention() follows a push.
    void start(int retentionDays);
    void setRetention(int retentionDays);
    void markWarned(const QString &domain);
    void stop();
    // The engine's status (queued from the engine thread, also when nothing
    // changed): a change of its sessions or queue is activity; idleTrimMs
    // after the last change, freed memory goes back, once.
    void noteActivity(const mailroute::RelayStatus &status);

signals:
    void holdsChanged(const QList<mailroute::DomainHold> &holds);
    void pruned(qint64 messageLogEntries, qint64 actionLogEntries);
    void failed(const QString &reason);

private:
    bool ensureOpen();
    void pollHolds();
    void prune();

    Options m_options;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<TraceStore> m_trace;
    QTimer *m_holdTimer = nullptr;
    QTimer *m_pruneTimer = nullptr;
    QTimer *m_trimTimer = nullptr;
    RelayStatus m_lastStatus;
    int m_retentionDays = 30;
    QList<DomainHold> m_lastHolds;
    bool m_sentHolds = false;
    bool m_reported = false;
};

} // namespace mailroute
