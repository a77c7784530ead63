// Where the relay's scheduler, the spool and the retry schedule get "now" from,
// so tests run a whole retry schedule (an hour of back-off) in milliseconds.
// SystemClock is stateless; ManualClock may be read on the engine thread while
// a test moves it on another, so it keeps its time in an atomic.
#pragma once

#include <QDateTime>
#include <QtGlobal>

#include <atomic>
#include <chrono>

namespace mailroute {

class Clock
{
public:
    Clock() = default;
    virtual ~Clock();
    Q_DISABLE_COPY_MOVE(Clock)

    // UTC.
    virtual QDateTime now() const = 0;
};

class SystemClock final : public Clock
{
public:
    SystemClock() = default;
    QDateTime now() const override;

    // The one instance the engine uses when nothing else is injected.
    static const SystemClock &instance();
};

class ManualClock final : public Clock
{
public:
    // 2024-01-01T00:00:00Z: a fixed start, so test expectations are literal.
    ManualClock();
    explicit ManualClock(const QDateTime &start);

    QDateTime now() const override;
    void set(const QDateTime &time);
    void advance(std::chrono::milliseconds step);

private:
    std::atomic<qint64> m_msecsSinceEpoch;
};

} // namespace mailroute
