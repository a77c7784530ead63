#include "relaycore/runtime/enginecontroller.h"

#include "relaycore/runtime/messagelogwriter.h"
#include "relaycore/runtime/relayhousekeeper.h"
#include "relaycore/secrets/secretstore.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QMetaObject>

namespace mailroute {

EngineController::EngineController(Options options, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<mailroute::RelayStatus>("mailroute::RelayStatus");
    qRegisterMetaType<QList<mailroute::MessageLogEntry>>("QList<mailroute::MessageLogEntry>");

    m_engineThread.setObjectName(QStringLiteral("mailroute-engine"));
    m_logThread.setObjectName(QStringLiteral("mailroute-log"));

    // The keychain scope is the database's absolute path, as mailroutectl
    // secret and the console's settings page use it.
    if (!options.engine.secrets && !options.databasePath.isEmpty())
        options.engine.secrets = createSystemSecretStore(QFileInfo(options.databasePath).absoluteFilePath());
    qRegisterMetaType<QList<mailroute::DomainHold>>("QList<mailroute::DomainHold>");
    // Holds and log retention need the database (the engine never opens it):
    // the engine waits for the first list of holds before it delivers.
    if (!options.databasePath.isEmpty()) {
        options.engine.awaitHolds = true;
        m_housekeeper =
            new RelayHousekeeper({options.databasePath, options.holdPollMs, options.engine.clock});
        m_housekeeper->moveToThread(&m_logThread);
        connect(&m_logThread, &QThread::finished, m_housekeeper, &QObject::deleteLater);
    }
    // Neither worker has a parent: each is moved to its thread and deleted there.
    m_engine = new RelayEngine(std::move(options.engine));
    m_engine->moveToThread(&m_engineThread);
    connect(&m_engineThread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_log = new MessageLogWriter(options.databasePath);
    m_log->moveToThread(&m_logThread);
    connect(&m_logThread, &QThread::finished, m_log, &QObject::deleteLater);

    connect(m_engine, &RelayEngine::statusChanged, this, [this](const RelayStatus &s) {
        m_status = s;
        emit statusChanged(s);
    });
    connect(m_engine, &RelayEngine::events, m_log, &MessageLogWriter::write);
    connect(m_engine, &RelayEngine::events, this, &EngineController::events);
    connect(m_engine, &RelayEngine::stopped, this, [this] {
        m_running = false;
        emit stopped();
    });
    connect(m_log, &MessageLogWriter::failed, this, &EngineController::logFailed);
    connect(m_log, &MessageLogWriter::notice, this, &EngineController::logFailed); // no FTS5: said once
    if (m_housekeeper) {
        connect(m_housekeeper, &RelayHousekeeper::holdsChanged, m_engine, &RelayEngine::setHolds);
        connect(m_engine, &RelayEngine::holdWarned, m_housekeeper, &RelayHousekeeper::markWarned);
        connect(m_housekeeper, &RelayHousekeeper::failed, this, &EngineController::logFailed);
        connect(m_engine, &RelayEngine::statusChanged, m_housekeeper, &RelayHousekeeper::noteActivity);
    }
    connect(m_engine, &RelayEngine::confirmationHandled, this, &EngineController::confirmationHandled);

    m_logThread.start();
    m_engineThread.start();
}

EngineController::~EngineController()
{
    if (m_running) {
        // Wait for the engine to answer its sessions and write back its state.
        QEventLoop loop;
        connect(this, &EngineController::stopped, &loop, &QEventLoop::quit);
        stop();
        if (m_running)
            loop.exec();
    }
    m_engineThread.quit();
    m_engineThread.wait();
    // The log thread goes last: the engine's final events are queued to it.
    m_logThread.quit();
    m_logThread.wait();
}

void EngineController::start(std::shared_ptr<const RelayConfig> config)
{
    m_running = true;
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, config] { engine->start(config); }, Qt::QueuedConnection);
    if (m_housekeeper && config) {
        QMetaObject::invokeMethod(
            m_housekeeper, [h = m_housekeeper, days = config->logRetentionDays] { h->start(days); },
            Qt::QueuedConnection);
    }
}

void EngineController::applyConfig(std::shared_ptr<const RelayConfig> config)
{
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, config] { engine->applyConfig(config); }, Qt::QueuedConnection);
    if (m_housekeeper && config) {
        QMetaObject::invokeMethod(
            m_housekeeper, [h = m_housekeeper, days = config->logRetentionDays] { h->setRetention(days); },
            Qt::QueuedConnection);
    }
}

void EngineController::submitConfirmation(const ConfirmationRequest &request)
{
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, request] { engine->submitConfirmation(request); },
        Qt::QueuedConnection);
}

void EngineController::stop()
{
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine] { engine->stop(); }, Qt::QueuedConnection);
    if (m_housekeeper)
        QMetaObject::invokeMethod(
            m_housekeeper, [h = m_housekeeper] { h->stop(); }, Qt::QueuedConnection);
}

} // namespace mailroute
