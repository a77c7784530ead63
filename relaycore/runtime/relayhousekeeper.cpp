// RelayHousekeeper; see relayhousekeeper.h. Log thread.
#include "relaycore/runtime/relayhousekeeper.h"

#include "relaycore/runtime/memorypolicy.h"

#include "relaycore/store/operationsstore.h"
#include "relaycore/trace/tracestore.h"

#include <QTimer>

namespace mailroute {

namespace {

constexpr int kPruneIntervalMs = 24 * 3600 * 1000;

} // namespace

RelayHousekeeper::RelayHousekeeper(Options options) : m_options(std::move(options)) {}

RelayHousekeeper::~RelayHousekeeper() = default;

bool RelayHousekeeper::ensureOpen()
{
    if (m_store)
        return true;
    if (m_options.databasePath.isEmpty())
        return false;
    auto store = std::make_unique<OperationsStore>(m_options.databasePath);
    if (const Status st = store->open(); !st) {
        if (!m_reported) {
            m_reported = true;
            emit failed(QStringLiteral("domain holds and log retention: %1").arg(st.error));
        }
        return false;
    }
    m_store = std::move(store);
    return true;
}

void RelayHousekeeper::start(int retentionDays)
{
    m_retentionDays = retentionDays;
    if (!m_holdTimer) {
        m_holdTimer = new QTimer(this);
        m_holdTimer->setInterval(m_options.holdPollMs);
        connect(m_holdTimer, &QTimer::timeout, this, &RelayHousekeeper::pollHolds);
        m_pruneTimer = new QTimer(this);
        m_pruneTimer->setInterval(kPruneIntervalMs);
        connect(m_pruneTimer, &QTimer::timeout, this, &RelayHousekeeper::prune);
    }
    m_sentHolds = false;
    pollHolds();
    m_holdTimer->start();
    prune();
    m_pruneTimer->start();
}

void RelayHousekeeper::setRetention(int retentionDays)
{
    m_retentionDays = retentionDays;
}

void RelayHousekeeper::stop()
{
    if (m_holdTimer)
        m_holdTimer->stop();
    if (m_pruneTimer)
        m_pruneTimer->stop();
}

void RelayHousekeeper::noteActivity(const RelayStatus &status)
{
    if (m_options.idleTrimMs <= 0)
        return;
    // The scheduler republishes an unchanged status on every tick.
    const bool changed = status.sessions != m_lastStatus.sessions || status.queued != m_lastStatus.queued ||
                         status.listening != m_lastStatus.listening ||
                         status.generation != m_lastStatus.generation;
    m_lastStatus = status;
    if (!changed)
        return;
    if (!m_trimTimer) {
        m_trimTimer = new QTimer(this);
        m_trimTimer->setSingleShot(true);
        connect(m_trimTimer, &QTimer::timeout, this, [this] {
            // Once per quiet period: malloc_trim() walks every arena under its
            // lock, which is nothing for an idle relay but not free on a busy one.
            if (m_options.trimMemory)
                m_options.trimMemory();
            else
                memorypolicy::returnFreedMemory();
        });
    }
    m_trimTimer->start(m_options.idleTrimMs);
}

void RelayHousekeeper::pollHolds()
{
    QList<DomainHold> holds;
    if (ensureOpen()) {
        const Result<QList<DomainHold>> read = m_store->holds();
        if (!read) {
            if (!m_reported) {
                m_reported = true;
                emit failed(QStringLiteral("cannot read the domain holds: %1").arg(read.error));
            }
            if (m_sentHolds)
                return; // keep the engine's last view rather than releasing everything
        } else {
            m_reported = false;
            holds = *read;
        }
    }
    // The first answer goes out even when empty: the engine waits for it.
    if (m_sentHolds && holds == m_lastHolds)
        return;
    m_sentHolds = true;
    m_lastHolds = holds;
    emit holdsChanged(holds);
}

void RelayHousekeeper::markWarned(const QString &domain)
{
    if (ensureOpen())
        m_store->markHoldWarned(domain);
}

void RelayHousekeeper::prune()
{
    if (!ensureOpen())
        return;
    const QDateTime now = (m_options.clock ? m_options.clock : &SystemClock::instance())->now();
    const auto result = m_store->prune(m_retentionDays, now);
    if (!result) {
        emit failed(QStringLiteral("log retention: %1").arg(result.error));
        return;
    }
    if (m_retentionDays > 0) {
        // The message trace goes with the message log (relaycore/trace).
        if (!m_trace) {
            m_trace = std::make_unique<TraceStore>(m_options.databasePath);
            if (const Status st = m_trace->open(); !st) {
                m_trace.reset();
                emit failed(QStringLiteral("log retention: message trace: %1").arg(st.error));
            }
        }
        if (m_trace) {
            if (const auto traced = m_trace->prune(now.addDays(-m_retentionDays)); !traced)
                emit failed(QStringLiteral("log retention: message trace: %1").arg(traced.error));
        }
    }
    emit pruned(result->messageLog, result->actionLog);
}

} // namespace mailroute
