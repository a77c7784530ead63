#include "ui/relayrunner.h"

#include "relaycore/queue/spool.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/runtime/generationfollower.h"
#include "relaycore/waves/wavescheduler.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <climits>

namespace mailroute {

RelayRunner::RelayRunner(ConfigStore *store, Options options, QObject *parent)
    : QObject(parent), m_store(store), m_options(std::move(options)), m_poll(new QTimer(this))
{
    m_spoolDirectory = !m_options.spoolDirectory.isEmpty()
                           ? m_options.spoolDirectory
                           : QFileInfo(m_store->path()).absolutePath() + QStringLiteral("/spool");
    m_probe = std::make_unique<Spool>(m_spoolDirectory, Spool::Role::Admin);
    m_logId = lastLogId();
    m_poll->setInterval(m_options.pollMs);
    connect(m_poll, &QTimer::timeout, this, &RelayRunner::poll);
    m_poll->start();
    poll();
}

RelayRunner::~RelayRunner()
{
    // EngineController's destructor stops the relay and waits for it, in a
    // nested event loop: its signals must not reach this half-destroyed object.
    m_waves.reset();
    m_follower.reset();
    if (m_engine)
        disconnect(m_engine.get(), nullptr, this, nullptr);
    m_engine.reset();
}

void RelayRunner::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    emit modeChanged(mode);
}

QString RelayRunner::start(std::shared_ptr<const RelayConfig> config)
{
    if (m_mode == Mode::Headless)
        return tr("A relay (mailroutectl serve) already runs on this database; it uses every push. Stop it "
                  "first to run the relay here.");
    if (isInProcess())
        return tr("The relay is already running.");
    if (!config)
        return tr("There is no pushed configuration to run.");
    m_lastError.clear();
    EngineController::Options options;
    options.engine.spoolDirectory = m_spoolDirectory;
    options.engine.nameserver = m_options.nameserver;
    options.databasePath = m_store->path();
    m_engine = std::make_unique<EngineController>(options);
    connect(m_engine.get(), &EngineController::statusChanged, this, &RelayRunner::onEngineStatus);
    connect(m_engine.get(), &EngineController::events, this, &RelayRunner::events);
    connect(m_engine.get(), &EngineController::stopped, this, &RelayRunner::onEngineStopped);
    connect(m_engine.get(), &EngineController::logFailed, this, &RelayRunner::failed);
    setMode(Mode::Starting);
    m_status = RelayStatus{};
    m_status.generation = config->generation;
    emit statusChanged(m_status);
    const qint64 generation = config->generation;
    m_engine->start(std::move(config));
    GenerationFollower::Options follow;
    follow.databasePath = m_store->path();
    m_follower = std::make_unique<GenerationFollower>(follow);
    connect(m_follower.get(), &GenerationFollower::failed, this, [this](qint64 g, const QString &reason) {
        emit failed(
            tr("generation %1 is not used, the relay keeps its configuration: %2").arg(g).arg(reason));
    });
    m_follower->follow(m_engine.get(), generation);
    WaveScheduler::Options waves;
    waves.databasePath = m_store->path();
    waves.nameserver = m_options.nameserver;
    m_waves = std::make_unique<WaveScheduler>(waves);
    connect(m_waves.get(), &WaveScheduler::failed, this, [this](const QString &name, const QString &reason) {
        emit failed(name.isEmpty() ? reason : tr("wave %1: %2").arg(name, reason));
    });
    m_waves->start();
    return {};
}

void RelayRunner::applyConfig(std::shared_ptr<const RelayConfig> config)
{
    if (m_engine && config && (m_mode == Mode::Running || m_mode == Mode::Starting))
        m_engine->applyConfig(std::move(config));
}

void RelayRunner::stop()
{
    if (!m_engine || m_mode == Mode::Stopping)
        return;
    setMode(Mode::Stopping);
    m_engine->stop();
}

void RelayRunner::onEngineStatus(const RelayStatus &status)
{
    m_status = status;
    if (status.listening) {
        if (m_mode == Mode::Starting)
            setMode(Mode::Running);
    } else if (!status.error.isEmpty() && m_mode != Mode::Stopping) {
        // Could not listen (port taken, no permission for port 25): nothing
        // to keep running. The spool stays as it is.
        m_lastError = status.error;
        emit failed(status.error);
        stop();
    }
    emit statusChanged(m_status);
}

void RelayRunner::onEngineStopped()
{
    // Not inside the controller's own signal: its destructor joins threads.
    QTimer::singleShot(0, this, [this] {
        m_waves.reset();
        m_follower.reset();
        m_engine.reset();
        m_status.listening = false;
        m_status.listenAddress.clear();
        m_status.sessions = 0;
        if (m_lastError.isEmpty())
            m_status.error.clear();
        // The engine's lines are in the database now; do not read them again.
        m_logId = lastLogId();
        setMode(Mode::Stopped);
        emit statusChanged(m_status);
        poll();
    });
}

qint64 RelayRunner::lastLogId() const
{
    // The store offers "lines after id"; the newest id is found by bisection
    // (about 40 indexed look-ups) rather than by reading the whole log.
    if (m_store->messageLog(0, 1).isEmpty())
        return 0;
    qint64 lo = 0; // messageLog(lo) is not empty
    qint64 hi = 1;
    while (!m_store->messageLog(hi, 1).isEmpty()) {
        lo = hi;
        hi *= 2;
    }
    while (hi - lo > 1) { // messageLog(hi) is empty
        const qint64 mid = lo + (hi - lo) / 2;
        (m_store->messageLog(mid, 1).isEmpty() ? hi : lo) = mid;
    }
    return hi;
}

QList<MessageLogEntry> RelayRunner::recentLog(int count)
{
    const qint64 last = lastLogId();
    return m_store->messageLog(std::max<qint64>(0, last - count), count);
}

void RelayRunner::poll()
{
    if (isInProcess())
        return;
    const bool headless = m_probe->isEngineRunning();
    if (headless && m_mode != Mode::Headless) {
        m_status = RelayStatus{};
        m_status.listening = true;
        m_status.listenAddress = m_store->setting(SettingKey::relayListen());
        setMode(Mode::Headless);
        m_pollsSinceQueueCount = INT_MAX / 2;
    } else if (!headless && m_mode == Mode::Headless) {
        m_adminSpool.reset();
        m_status = RelayStatus{};
        setMode(Mode::Stopped);
        emit statusChanged(m_status);
    }
    if (m_mode == Mode::Headless)
        pollHeadless();
}

void RelayRunner::pollHeadless()
{
    // Its live log: the lines it wrote since the last look.
    for (int round = 0; round < 20; ++round) {
        const QList<MessageLogEntry> lines = m_store->messageLog(m_logId, 2000);
        if (lines.isEmpty())
            break;
        m_logId = lines.constLast().id;
        emit events(lines);
        if (lines.size() < 2000)
            break;
    }
    RelayStatus status = m_status;
    status.generation = m_store->activeGeneration().value_or(0);
    // The queue size every two seconds or so: it costs a query on the spool.
    if (++m_pollsSinceQueueCount * m_options.pollMs >= 2000) {
        m_pollsSinceQueueCount = 0;
        if (!m_adminSpool) {
            m_adminSpool = std::make_unique<Spool>(m_spoolDirectory, Spool::Role::Admin);
            if (!m_adminSpool->open())
                m_adminSpool.reset();
        }
        if (m_adminSpool) {
            const Result<qint64> queued = m_adminSpool->messageCount();
            if (queued)
                status.queued = static_cast<int>(*queued);
        }
    }
    if (status.generation != m_status.generation || status.queued != m_status.queued) {
        m_status = status;
        emit statusChanged(m_status);
    } else if (m_pollsSinceQueueCount == 0) {
        emit statusChanged(m_status);
    }
}

} // namespace mailroute
