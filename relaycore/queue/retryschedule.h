// When a temporarily failed delivery is tried again, and when it gives up
// (SPEC §3 "Retries"). Pure value type: no clock, no I/O; safe on any thread.
//
// The `retry.schedule` setting lists offsets from the FIRST attempt, not gaps
// between attempts. With the default 5m,20m,60m:
//   attempt 1   at arrival (the first attempt is made as soon as the message is queued)
//   attempt 2   at first + 5 min
//   attempt 3   at first + 20 min
//   attempt 4   at first + 60 min
//   4th failure -> spent: the recipient bounces (or is dropped for a null sender).
// That is "three retries within an hour". Offsets are normalised: zero or
// negative ones are ignored, the rest sorted and duplicates merged, so the
// order an admin typed them in does not matter and "0" or an empty list means
// no retries at all (the first temporary failure bounces).
//
// A returned time may already be in the past (the relay was stopped for a
// while); the scheduler treats that as "due now".
#pragma once

#include <QDateTime>
#include <QList>

#include <optional>

namespace mailroute {

class RetrySchedule final
{
public:
    RetrySchedule(); // the default, 5m,20m,60m
    // Seconds after the first attempt, e.g. SettingsSchema::toDurationList().
    explicit RetrySchedule(const QList<qint64> &offsetsSeconds);

    static QList<qint64> defaultOffsets();

    // The time of the next attempt after `attemptsMade` attempts that all failed
    // temporarily, or nullopt when the schedule is spent. attemptsMade <= 0
    // gives `firstAttempt` itself.
    std::optional<QDateTime> nextAttempt(const QDateTime &firstAttempt, int attemptsMade) const;
    bool isSpent(int attemptsMade) const;
    int maxAttempts() const;       // first attempt plus retries
    QList<qint64> offsets() const; // normalised, seconds

    bool operator==(const RetrySchedule &other) const { return m_offsets == other.m_offsets; }
    bool operator!=(const RetrySchedule &other) const { return !(*this == other); }

private:
    QList<qint64> m_offsets;
};

} // namespace mailroute
