#include "relaycore/runtime/generationfollower.h"

#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/store/configstore.h"

#include <QPointer>
#include <QSet>
#include <QTimer>

namespace mailroute {

namespace {

using ConfigResult = Result<std::shared_ptr<const RelayConfig>>;

ConfigResult buildFrom(ConfigStore &store, qint64 generation, const QMap<QString, QString> &overrides)
{
    auto config = store.generationConfig(generation);
    if (!config.ok())
        return ConfigResult::failure(config.error);
    ConfigData data = std::move(*config);
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        data.settings.insert(it.key(), it.value());
    return RelayConfig::build(data, generation);
}

// Every this many polls the confirmations handed over without an answer are
// offered again (the engine could not spool them).
constexpr int kResendPolls = 240;

} // namespace

// On the follower's worker thread: its own database connection, its own timer.
// No signals of its own: results go to the follower through invokeMethod.
class GenerationFollower::Worker final : public QObject
{
public:
    Worker(GenerationFollower *owner, GenerationFollower::Options options)
        : m_owner(owner), m_options(std::move(options))
    {}

    void begin(EngineController *relay, qint64 current)
    {
        m_relay = relay;
        m_current = current;
        m_store = std::make_unique<ConfigStore>(m_options.databasePath);
        if (const Status st = m_store->open(); !st.ok()) {
            post([reason = st.error](GenerationFollower *f) { emit f->failed(0, reason); });
            m_store.reset();
            return;
        }
        m_timer = new QTimer(this);
        m_timer->setInterval(m_options.pollMs);
        connect(m_timer, &QTimer::timeout, this, [this] { poll(); });
        m_timer->start();
        poll();
    }

    void handled(const QString &key)
    {
        if (m_store)
            m_store->removeConfirmation(key);
        m_offered.remove(key);
    }

private:
    template <typename F> void post(F &&f)
    {
        GenerationFollower *owner = m_owner;
        QMetaObject::invokeMethod(
            owner, [owner, f = std::forward<F>(f)] { f(owner); }, Qt::QueuedConnection);
    }

    void poll()
    {
        const std::optional<qint64> active = m_store->activeGeneration();
        if (active && *active != m_current) {
            const qint64 generation = *active;
            m_current = generation;
            ConfigResult next = buildFrom(*m_store, generation, m_options.overrides);
            if (!next.ok()) {
                post([generation, reason = next.error](GenerationFollower *f) {
                    emit f->failed(generation, reason);
                });
            } else {
                post([relay = m_relay, generation, config = *next](GenerationFollower *f) {
                    relay->applyConfig(config);
                    emit f->activated(generation);
                });
            }
        }
        if (++m_polls % kResendPolls == 0)
            m_offered.clear();
        for (const ConfirmationRequest &r : m_store->pendingConfirmations()) {
            if (m_offered.contains(r.key))
                continue;
            m_offered.insert(r.key);
            post([relay = m_relay, r](GenerationFollower *) { relay->submitConfirmation(r); });
        }
    }

    GenerationFollower *m_owner;
    GenerationFollower::Options m_options;
    EngineController *m_relay = nullptr; // used on the owner's thread only
    std::unique_ptr<ConfigStore> m_store;
    QTimer *m_timer = nullptr;
    qint64 m_current = 0;
    quint64 m_polls = 0;
    QSet<QString> m_offered; // handed to the relay, not yet answered
};

GenerationFollower::GenerationFollower(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    m_thread.setObjectName(QStringLiteral("mailroute-follower"));
    m_worker = new Worker(this, m_options);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

GenerationFollower::~GenerationFollower()
{
    m_thread.quit();
    m_thread.wait();
}

ConfigResult GenerationFollower::build(qint64 generation) const
{
    ConfigStore store(m_options.databasePath);
    if (const Status st = store.open(); !st.ok())
        return ConfigResult::failure(st.error);
    return buildFrom(store, generation, m_options.overrides);
}

ConfigResult GenerationFollower::buildActive() const
{
    ConfigStore store(m_options.databasePath);
    if (const Status st = store.open(); !st.ok())
        return ConfigResult::failure(st.error);
    const auto active = store.activeGeneration();
    if (!active)
        return ConfigResult::failure(QStringLiteral("nothing has been pushed yet"));
    return buildFrom(store, *active, m_options.overrides);
}

void GenerationFollower::follow(EngineController *relay, qint64 current)
{
    Worker *worker = m_worker;
    connect(relay, &EngineController::confirmationHandled, this, [worker](const QString &key) {
        QMetaObject::invokeMethod(
            worker, [worker, key] { worker->handled(key); }, Qt::QueuedConnection);
    });
    QMetaObject::invokeMethod(
        worker, [worker, relay, current] { worker->begin(relay, current); }, Qt::QueuedConnection);
}

} // namespace mailroute
