// Migration waves (issue 15): a named set of user mappings that a relay makes
// active at a given time ("at") and, optionally, removes again ("expire").
// The definition (Wave) is part of the draft and of every pushed generation,
// like mappings and settings; what happened to it (WaveStatus: checked, held,
// active, expired, cancelled, check results, the generation it made) is
// operational state kept beside the generations (WaveStore), not in them.
// Pure value types; safe to copy across threads. All times are UTC.
#pragma once

#include "relaycore/routing/area.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace mailroute {

// One user mapping of a wave ("bob@warmsushi.com -> bob.owen@drypizza.com"),
// in the form MailAddress::toString() gives. Same meaning as UserMapping; a
// type of its own only so this header needs no configdata.h.
struct WaveMapping
{
    QString source;
    QString target;
    bool operator==(const WaveMapping &o) const { return source == o.source && target == o.target; }
};

struct Wave
{
    // 1 to 64 of [A-Za-z0-9._-], starting with a letter or digit; unique in a
    // configuration (case-sensitive, as typed).
    QString name;
    // Inbound (the usual case: recipients move) or Outbound.
    Area area = Area::Inbound;
    // The wave's mappings of `area`, sources unique (case-insensitive), in
    // the input file's order.
    QList<WaveMapping> users;
    // --with-outbound: the Outbound inverses of `users` (target -> source),
    // computed when the wave is created (relaycore/routing/roundtrip.h) and
    // applied and removed together with `users`. Empty otherwise.
    bool withOutbound = false;
    QList<WaveMapping> outbound;
    QDateTime at;     // activation time, UTC, whole seconds
    QDateTime expire; // UTC; invalid: the mappings stay
    // A failed check does not hold this wave: it is applied at `at` anyway.
    bool applyAnyway = false;

    bool operator==(const Wave &o) const
    {
        return name == o.name && area == o.area && users == o.users && withOutbound == o.withOutbound &&
               outbound == o.outbound && at == o.at && expire == o.expire && applyAnyway == o.applyAnyway;
    }
};

// What happened to a wave. A wave without a status row is Scheduled.
//   Scheduled -> Checked (a check passed) | Held (a check failed, not applyAnyway)
//   Scheduled/Checked/Held -> Active (at its time, or `wave apply`) | Cancelled
//   Active -> Expired (at its expiry) | Cancelled (`wave cancel`: mappings removed)
// A Held wave is not applied at its time; a later passing check makes it
// Checked again, `wave apply` applies it anyway.
enum class WaveState { Scheduled, Checked, Held, Active, Expired, Cancelled };

// "scheduled", "checked", "held", "active", "expired", "cancelled".
QString waveStateName(WaveState state);
std::optional<WaveState> parseWaveState(const QString &text);
// Active, Expired and Cancelled are final for scheduling: the scheduler never
// applies such a wave again (a rollback does not bring it back either).
bool waveStateIsFinal(WaveState state);   // Expired, Cancelled
bool waveStateIsPending(WaveState state); // Scheduled, Checked, Held

// One finding of a check. `passed` false fails the whole check.
struct WaveCheckItem
{
    enum class Kind { Lint, Dns, Probe };
    Kind kind = Kind::Lint;
    bool passed = true;
    QString subject; // the domain or address it is about; empty for lint
    QString text;    // English, one line
    bool operator==(const WaveCheckItem &o) const
    {
        return kind == o.kind && passed == o.passed && subject == o.subject && text == o.text;
    }
};

QString waveCheckKindName(WaveCheckItem::Kind kind); // "lint", "dns", "probe"

struct WaveCheck
{
    QDateTime time;  // UTC, when it finished
    QString trigger; // "T-24h", "T-1h", "on demand", "activation"
    QList<WaveCheckItem> items;
    int probed = 0; // recipient probes made (0: probing off, waves.probe_rate 0)
    bool passed() const;
    // "FAIL probe bob.owen@drypizza.com: 550 5.1.1 unknown user" / "ok dns drypizza.com: ...",
    // failures first. For the log, the mail to relay.postmaster and `wave check`.
    QStringList lines() const;
    bool operator==(const WaveCheck &o) const
    {
        return time == o.time && trigger == o.trigger && items == o.items && probed == o.probed;
    }
};

struct WaveStatus
{
    WaveState state = WaveState::Scheduled;
    std::optional<WaveCheck> lastCheck;
    bool checked24h = false;        // the T-24 h check ran (so it is not repeated)
    bool checked1h = false;         // the T-1 h check ran
    QDateTime activatedAt;          // UTC, invalid until Active
    qint64 activatedGeneration = 0; // the generation the activation made
    QDateTime endedAt;              // UTC: expired or cancelled
    qint64 endedGeneration = 0;     // the generation the expiry/cancel made (0: none needed)
    // The mappings of the active configuration that the wave replaced (same
    // source, other target), per area: restored when it expires.
    QList<WaveMapping> replaced;
    QList<WaveMapping> replacedOutbound;
    QString note; // why it is held, how it was applied ("applied at start: due at ... while no relay ran")
};

// A wave as the CLI and the console list it: the definition (from the draft,
// else from the active generation) and its status.
struct WaveInfo
{
    Wave wave;
    WaveStatus status;
    bool pushed = false;  // in the active generation: the scheduler acts on it
    bool inDraft = false; // in the draft (false: removed from the draft, not yet pushed)
};

// After activation: the wave's messages to its targets during the first hour
// (from the message log): per target the last event of each message.
struct WaveReport
{
    QDateTime from; // activatedAt
    QDateTime to;   // from + 1 h (or now, if earlier)
    qint64 delivered = 0;
    qint64 deferred = 0;
    qint64 bounced = 0;
    struct Row
    {
        QString target;
        qint64 delivered = 0;
        qint64 deferred = 0;
        qint64 bounced = 0;
    };
    QList<Row> rows; // targets with at least one message, by address
};

// "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", or why not.
std::optional<QString> waveNameError(const QString &name);

// TIME of `wave create --at/--expire`: ISO 8601 with a zone
// ("2026-12-12T22:00:00+01:00", "2026-12-12T21:00:00Z"; seconds optional) or
// relative to `now` ("+2h", "+30m", "+1d", "+90s"). Returns UTC, whole seconds.
// A time without a zone is refused (ambiguous across the admin's and the
// relay's zones).
struct WaveTime
{
    std::optional<QDateTime> value;
    QString error;
};
WaveTime parseWaveTime(const QString &text, const QDateTime &now);
// For display: local time with its offset, "2026-12-12 22:00 +01:00".
QString waveTimeText(const QDateTime &utc);
// ISO 8601 UTC, "2026-12-12T21:00:00Z" (wave list, storage in JSON).
QString waveTimeIso(const QDateTime &utc);

} // namespace mailroute
