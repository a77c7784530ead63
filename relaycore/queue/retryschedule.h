// When a temporarily failed delivery is tried again, and when it gives up
// (docs/behaviour.md "Retries and holds"). Pure value type: no clock, no I/O; safe on
// any thread.
//
// The `retry.schedule` setting lists offsets from the FIRST attempt, not gaps
// between attempts. With the default 5m,20m,60m:
//   attempt 1   at arrival (the first attempt is made as soon as the message is queued)
//   attempt 2   at first + 5 min
//   attempt 3   at first + 20 min
//   attempt 4   at first + 60 min
//   4th failure -> spent: the recipient bounces (or is dropped for a null sender).
// That is "three retries within an hour". The setting refuses offsets that
// are not strictly increasing (SettingsSchema); here they are normalised
// anyway (zero or negative ones ignored, the rest sorted, duplicates merged)
// for generations written before that check, and "0" or an empty list means
// no retries at all (the first temporary failure bounces).
//
// The relay schedules by time, as Postfix's queue manager does, not by
// counting attempts (nextAfterFailure()): after a failed attempt the next one
// is the first slot of the schedule still ahead, but never sooner than
// `retry.min_backoff` after the failure. An extra attempt (the admin's "Retry
// Now") therefore uses up nothing, and a relay that was stopped for longer
// than the schedule makes ONE attempt after its start and bounces only when
// that one fails, instead of firing the remaining slots back to back.
// The lifetime (the last offset) counts from the recipient's schedule start:
// its arrival, or the release of a domain hold.
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
    explicit RetrySchedule(const QList<qint64> &offsetsSeconds,
                           qint64 minBackoffSeconds = kDefaultMinBackoff);

    static constexpr qint64 kDefaultMinBackoff = 60; // retry.min_backoff
    static QList<qint64> defaultOffsets();

    // After an attempt at `failedAt` failed temporarily, for a recipient whose
    // schedule counts from `start`: when to try next, or nullopt when its
    // lifetime (start + the last offset) has passed and it bounces.
    std::optional<QDateTime> nextAfterFailure(const QDateTime &start, const QDateTime &failedAt) const;
    // start + the last offset: a failure at or after this bounces.
    QDateTime expiry(const QDateTime &start) const;
    qint64 lifetime() const;   // seconds: the last offset, 0 without retries
    qint64 minBackoff() const; // seconds

    // The slot view (fixed offsets from the first attempt), for displays:
    // The time of the next attempt after `attemptsMade` attempts that all failed
    // temporarily, or nullopt when the schedule is spent. attemptsMade <= 0
    // gives `firstAttempt` itself.
    std::optional<QDateTime> nextAttempt(const QDateTime &firstAttempt, int attemptsMade) const;
    bool isSpent(int attemptsMade) const;
    int maxAttempts() const;       // first attempt plus retries
    QList<qint64> offsets() const; // normalised, seconds

    bool operator==(const RetrySchedule &other) const
    {
        return m_offsets == other.m_offsets && m_minBackoff == other.m_minBackoff;
    }
    bool operator!=(const RetrySchedule &other) const { return !(*this == other); }

private:
    QList<qint64> m_offsets;
    qint64 m_minBackoff = kDefaultMinBackoff;
};

} // namespace mailroute
