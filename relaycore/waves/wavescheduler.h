// Runs migration waves (issue 15) in the process that runs the relay
// (mailroutectl serve, the console's relay): about once a second (on the
// injected clock) it asks WaveStore::due() and, in order (time, then name),
// runs the T-24 h / T-1 h checks (WaveChecker; results to the action log and
// relay.postmaster, a failure holds the wave), applies waves whose time came
// and expires those whose expiry came — each a new generation made as a push
// makes one, which the GenerationFollower hands to the relay like any push.
// A wave whose time passed while no relay ran is applied at the first tick,
// and its log line says so. One action at a time; a check in flight delays
// the actions after it.
//
// Opens its own ConfigStore on the thread that calls start().
#pragma once

#include "relaycore/queue/clock.h"
#include "relaycore/routing/wave.h"

#include <QMap>
#include <QObject>
#include <QString>

#include <memory>

namespace mailroute {

class WaveScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WaveScheduler)
public:
    struct Options
    {
        QString databasePath;
        const Clock *clock = nullptr; // nullptr: the system clock
        int pollMs = 1000;
        QMap<QString, QString> overrides; // serve --smarthost, for the probes
        QString nameserver;               // MAILROUTE_NAMESERVER
    };
    explicit WaveScheduler(Options options, QObject *parent = nullptr);
    ~WaveScheduler() override;

    // Opens the database and ticks at once, then every pollMs.
    void start();
    void stop();
    // One round now (tests; start() calls it).
    void tick();

signals:
    void applied(const QString &name, qint64 generation, bool late);
    void expired(const QString &name, qint64 generation);
    void checked(const QString &name, const mailroute::WaveCheck &check);
    void failed(const QString &name, const QString &reason);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroute
