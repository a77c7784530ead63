// The console's side of the relay: starts and stops the in-process relay
// (EngineController: its own engine and log threads), or, when a headless
// relay (`mailroutectl serve`) already holds the spool of this database,
// follows that one instead: its live log from the message_log table, its
// queue from the spool. Never starts a second listener on the same spool.
// Main (GUI) thread.
#pragma once

#include "relaycore/engine/relayconfig.h"
#include "relaycore/engine/relaystatus.h"
#include "relaycore/store/configstore.h"

#include <QObject>

#include <memory>

class QTimer;

namespace mailroute {

class EngineController;
class GenerationFollower;
class WaveScheduler;
class Spool;

class RelayRunner final : public QObject
{
    Q_OBJECT
public:
    enum class Mode {
        Stopped,  // no relay on this database
        Starting, // in-process relay asked to listen
        Running,  // in-process relay listening
        Stopping, // in-process relay closing its listener
        Headless, // `mailroutectl serve` runs on this database
    };
    struct Options
    {
        QString spoolDirectory; // empty: "<database folder>/spool"
        QString nameserver;     // DNS server for MX look-ups, "HOST[:PORT]"; empty: the system's
        int pollMs = 500;       // headless detection and log polling
    };

    RelayRunner(ConfigStore *store, Options options, QObject *parent = nullptr);
    // Stops the in-process relay (open sessions get 421) and joins its threads.
    ~RelayRunner() override;

    Mode mode() const { return m_mode; }
    RelayStatus status() const { return m_status; }
    QString spoolDirectory() const { return m_spoolDirectory; }
    bool isInProcess() const
    {
        return m_mode == Mode::Starting || m_mode == Mode::Running || m_mode == Mode::Stopping;
    }
    QString lastError() const { return m_lastError; }

    // Starts the in-process relay; an empty string, or why it cannot start.
    QString start(std::shared_ptr<const RelayConfig> config);
    // A configuration for the in-process relay now. Pushes and rollbacks need
    // no call: the running relay follows the database (GenerationFollower),
    // whichever process made them.
    void applyConfig(std::shared_ptr<const RelayConfig> config);
    void stop();
    // Looks for a headless relay and reads its new log lines now.
    void poll();
    // The newest `count` message-log lines already in the database, oldest first.
    QList<MessageLogEntry> recentLog(int count);

signals:
    void modeChanged(mailroute::RelayRunner::Mode mode);
    void statusChanged(const mailroute::RelayStatus &status);
    void events(const QList<mailroute::MessageLogEntry> &events);
    // The relay could not start or stopped on an error.
    void failed(const QString &reason);

private:
    void setMode(Mode mode);
    void onEngineStatus(const RelayStatus &status);
    void onEngineStopped();
    qint64 lastLogId() const;
    void pollHeadless();

    ConfigStore *m_store;
    Options m_options;
    QString m_spoolDirectory;
    Mode m_mode = Mode::Stopped;
    RelayStatus m_status;
    QString m_lastError;
    std::unique_ptr<EngineController> m_engine;
    // Pushes and rollbacks by any process, and their confirmations, for the
    // in-process relay; goes before m_engine.
    std::unique_ptr<GenerationFollower> m_follower;
    // Migration waves of the pushed configuration, applied at their time (issue 15).
    std::unique_ptr<WaveScheduler> m_waves;
    std::unique_ptr<Spool> m_probe;      // Admin role, never opened: lock-file check only
    std::unique_ptr<Spool> m_adminSpool; // opened while headless, for the queue count
    QTimer *m_poll;
    qint64 m_logId = -1; // last message_log id seen
    int m_pollsSinceQueueCount = 0;
};

} // namespace mailroute
