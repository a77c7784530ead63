// Owns the relay's threads (Qt's worker/controller pattern): the engine
// thread with its RelayEngine, and the log thread with its MessageLogWriter.
// Lives on the thread that creates it (the console's GUI thread or
// mailroutectl serve's main thread); every call here is asynchronous, and
// results come back as queued signals carrying values only.
#pragma once

#include "relaycore/engine/relayconfig.h"
#include "relaycore/engine/relayengine.h"
#include "relaycore/engine/relaystatus.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace mailroute {

class MessageLogWriter;
class RelayHousekeeper;

class EngineController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineController)

public:
    struct Options
    {
        RelayEngine::Options engine;
        QString databasePath; // where the message log goes; empty: not stored
        // How often the domain holds are read from the database (RelayHousekeeper).
        int holdPollMs = 1000;
    };

    explicit EngineController(Options options, QObject *parent = nullptr);
    // Stops the relay (if running) and joins both threads.
    ~EngineController() override;

    void start(std::shared_ptr<const RelayConfig> config);
    void applyConfig(std::shared_ptr<const RelayConfig> config);
    // Closes the listener (open sessions get 421 4.3.2); the spool is kept.
    // Emits stopped() when done.
    void stop();
    // RelayEngine::submitConfirmation on the engine thread.
    void submitConfirmation(const mailroute::ConfirmationRequest &request);

    RelayStatus status() const { return m_status; }
    bool isRunning() const { return m_running; }

signals:
    void statusChanged(const mailroute::RelayStatus &status);
    void events(const QList<mailroute::MessageLogEntry> &events);
    void logFailed(const QString &reason);
    void stopped();
    void confirmationHandled(const QString &key);

private:
    QThread m_engineThread;
    QThread m_logThread;
    RelayEngine *m_engine = nullptr;
    MessageLogWriter *m_log = nullptr;
    RelayHousekeeper *m_housekeeper = nullptr; // log thread; null without a database
    RelayStatus m_status;
    bool m_running = false;
};

} // namespace mailroute
