// RetrySchedule; see retryschedule.h for the exact semantics. Pure.
#include "relaycore/queue/retryschedule.h"

#include <algorithm>

namespace mailroute {

namespace {

constexpr qint64 kMinute = 60;

} // namespace

RetrySchedule::RetrySchedule() : m_offsets(defaultOffsets()) {}

RetrySchedule::RetrySchedule(const QList<qint64> &offsetsSeconds, qint64 minBackoffSeconds)
    : m_minBackoff(std::max<qint64>(0, minBackoffSeconds))
{
    for (const qint64 offset : offsetsSeconds) {
        if (offset > 0)
            m_offsets.append(offset);
    }
    std::sort(m_offsets.begin(), m_offsets.end());
    m_offsets.erase(std::unique(m_offsets.begin(), m_offsets.end()), m_offsets.end());
}

QList<qint64> RetrySchedule::defaultOffsets()
{
    // docs/behaviour.md "Retry timing": as the hosted service this relay replaces does.
    return {5 * kMinute, 20 * kMinute, 60 * kMinute};
}

std::optional<QDateTime> RetrySchedule::nextAttempt(const QDateTime &firstAttempt, int attemptsMade) const
{
    if (attemptsMade <= 0)
        return firstAttempt;
    if (isSpent(attemptsMade))
        return std::nullopt;
    return firstAttempt.addSecs(m_offsets.at(attemptsMade - 1));
}

std::optional<QDateTime> RetrySchedule::nextAfterFailure(const QDateTime &start,
                                                         const QDateTime &failedAt) const
{
    if (failedAt >= expiry(start))
        return std::nullopt;
    QDateTime slot = expiry(start);
    for (const qint64 offset : m_offsets) {
        const QDateTime candidate = start.addSecs(offset);
        if (candidate > failedAt) {
            slot = candidate;
            break;
        }
    }
    return std::max(slot, failedAt.addSecs(m_minBackoff));
}

QDateTime RetrySchedule::expiry(const QDateTime &start) const
{
    return start.addSecs(lifetime());
}

qint64 RetrySchedule::lifetime() const
{
    return m_offsets.isEmpty() ? 0 : m_offsets.constLast();
}

qint64 RetrySchedule::minBackoff() const
{
    return m_minBackoff;
}

bool RetrySchedule::isSpent(int attemptsMade) const
{
    return attemptsMade > m_offsets.size();
}

int RetrySchedule::maxAttempts() const
{
    return int(m_offsets.size()) + 1;
}

QList<qint64> RetrySchedule::offsets() const
{
    return m_offsets;
}

} // namespace mailroute
