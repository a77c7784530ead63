// Migration waves' status (issue 15): what happened to each wave of the
// configuration — checked, held, active, expired, cancelled — and the
// operations that change it. Wave definitions are part of the draft and of
// each generation (ConfigStore::addWave ... push); this class keeps the
// operational side in the wave_status table of the same database, which is
// not part of a generation (a rollback neither undoes nor repeats a wave).
//
// Works on an open ConfigStore, on that store's thread: mailroutectl's main
// thread, the console's GUI thread, or the relay's WaveScheduler. Applying and
// expiring make a generation with ConfigStore::pushFromActive (as a push
// does: diff and lint in the action log, confirmation to relay.postmaster);
// a running relay picks it up like any push (GenerationFollower).
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/routing/wave.h"
#include "relaycore/store/configstore.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace mailroute {

class WaveStore final
{
public:
    // `config` must be open and outlive this object.
    explicit WaveStore(ConfigStore &config);

    // Every wave of the draft and of the active generation, by activation time,
    // then name; the definition from the draft when the wave is in it.
    Result<QList<WaveInfo>> list() const;
    // One wave, or "no wave named NAME".
    Result<WaveInfo> info(const QString &name) const;

    // Stores the result of a check (WaveChecker) and logs it (action log, one
    // line per failed item, and a mail to relay.postmaster with check.lines()).
    // Passed: Scheduled/Held -> Checked. Failed: -> Held, unless the wave is
    // applyAnyway (then it stays as it is, the note says so). The T-24 h and
    // T-1 h triggers also mark that check as done. Refused for a wave that is
    // active, expired or cancelled (except trigger "on demand", only recorded).
    Result<WaveStatus> recordCheck(const QString &name, const WaveCheck &check);

    // Makes the wave active now: a generation from the active one plus the
    // wave's mappings (Outbound inverses too with withOutbound). `how` ends
    // the log line ("at its time", "on demand", "at start: it was due at ...
    // while no relay ran"). Refused: not pushed, already active, expired,
    // cancelled. A Held wave is applied (the admin decided; the scheduler
    // never calls this for a held wave that is not applyAnyway).
    Result<PushResult> apply(const QString &name, const QDateTime &now, const QString &how);
    // Removes an active wave's mappings (and restores what it replaced) with
    // a new generation; -> Expired. Refused unless Active.
    Result<PushResult> expire(const QString &name, const QDateTime &now);
    // Scheduled/Checked/Held -> Cancelled (no generation: returns 0).
    // Active -> its mappings removed as at expiry, then Cancelled (returns the
    // generation). Refused when expired or cancelled already.
    Result<qint64> cancel(const QString &name, const QDateTime &now);

    // The first hour after activation (up to `now`): the wave's messages to
    // its targets, from the message log. Refused when the wave never became active.
    Result<WaveReport> report(const QString &name, const QDateTime &now) const;

    // What the scheduler has to do at `now`, in order (time, then name):
    // checks at at-24h and at-1h not yet run (a check whose window passed
    // while the wave is still pending is run once, late), applications of
    // pending waves whose time came (Held ones only when applyAnyway),
    // expiries of active waves whose expiry came. Only pushed waves.
    enum class Action { Check24h, Check1h, Apply, Expire };
    struct Due
    {
        QString name;
        Action action = Action::Apply;
        QDateTime when; // the time it was due (UTC)
    };
    Result<QList<Due>> due(const QDateTime &now) const;

    // The configuration the wave would make (the active generation plus the
    // wave), for a check; for an unpushed wave the draft plus the wave.
    Result<ConfigData> resultingConfig(const QString &name) const;

private:
    ConfigStore &m_config;
    // due() runs every second: the active generation's waves, decoded once per generation.
    mutable std::optional<qint64> m_cachedGeneration;
    mutable QList<Wave> m_cachedWaves;
};

// "check-24h", "check-1h", "apply", "expire".
QString waveActionName(WaveStore::Action action);

} // namespace mailroute
