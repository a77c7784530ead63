// Follows the configuration database for the process that runs the relay
// (mailroutectl serve, or the console's in-process relay): a push or
// rollback made by any process (console, mailroutectl, another console)
// reaches the running relay within a second, and the confirmation emails
// that pushes and uploads asked for (ConfigStore::pendingConfirmations) are
// handed to it. The engine never opens the admin database (docs/architecture.md):
// this class reads it and hands over values.
//
// Lives on the thread that creates it; it reads the database and builds the
// RelayConfig (seconds for a million users) on a worker thread of its own,
// with its own connection, so a window never freezes.
#pragma once

#include "relaycore/engine/relayconfig.h"
#include "relaycore/message/confirmationrequest.h"

#include <QMap>
#include <QObject>
#include <QThread>

#include <memory>

namespace mailroute {

class EngineController;

class GenerationFollower final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GenerationFollower)

public:
    struct Options
    {
        QString databasePath;
        // Settings that replace the generation's own (serve --listen, --smarthost).
        QMap<QString, QString> overrides;
        int pollMs = 500;
    };

    explicit GenerationFollower(Options options, QObject *parent = nullptr);
    ~GenerationFollower() override; // joins the worker thread

    // Builds the configuration of the active generation now (on the calling
    // thread: for the first start, which has to wait for it anyway).
    Result<std::shared_ptr<const RelayConfig>> buildActive() const;
    Result<std::shared_ptr<const RelayConfig>> build(qint64 generation) const;

    // Starts following from `current` (the generation the relay runs), and
    // wires `relay`: new generations go to its applyConfig(), confirmations
    // to its submitConfirmation(), and what it has spooled is removed from
    // the database. `relay` must outlive this object or be its sibling.
    void follow(EngineController *relay, qint64 current);

signals:
    // A new active generation is running (or could not be built and the relay
    // keeps the one it has).
    void activated(qint64 generation);
    void failed(qint64 generation, const QString &reason);

private:
    class Worker;
    Options m_options;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace mailroute
