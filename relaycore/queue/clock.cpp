// Clock implementations; see clock.h. SystemClock is safe from any thread;
// ManualClock too (its time is one atomic).
#include "relaycore/queue/clock.h"

namespace mailroute {

Clock::~Clock() = default;

QDateTime SystemClock::now() const
{
    return QDateTime::currentDateTimeUtc();
}

const SystemClock &SystemClock::instance()
{
    static const SystemClock clock;
    return clock;
}

ManualClock::ManualClock() : ManualClock(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC)) {}

ManualClock::ManualClock(const QDateTime &start) : m_msecsSinceEpoch(start.toMSecsSinceEpoch()) {}

QDateTime ManualClock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(m_msecsSinceEpoch.load(std::memory_order_acquire), Qt::UTC);
}

void ManualClock::set(const QDateTime &time)
{
    m_msecsSinceEpoch.store(time.toMSecsSinceEpoch(), std::memory_order_release);
}

void ManualClock::advance(std::chrono::milliseconds step)
{
    m_msecsSinceEpoch.fetch_add(step.count(), std::memory_order_acq_rel);
}

} // namespace mailroute
