// The engine's view of the domain holds (docs/behaviour.md "Retries and holds"): which recipient
// domains are held at a given time, which holds ended since the last look
// (released by the admin, or their `until` came) and which are due for the
// retry.hold_max warning. Pure: the time is always passed in (the engine's
// injectable clock). Lives on the engine thread.
#pragma once

#include "relaycore/queue/domainhold.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace mailroute {

class HoldSet final
{
public:
    // The holds as the database has them now (replaces the previous list).
    void replace(const QList<DomainHold> &holds);

    // Whether mail for `domain` is held at `now` (lower case, ACE).
    bool isHeld(const QString &domain, const QDateTime &now) const;
    bool isEmpty() const { return m_holds.isEmpty(); }

    struct Changes
    {
        QStringList held;     // held now, not at the last call
        QStringList released; // held at the last call, not now
    };
    // What changed since the previous call; the first call reports every
    // active hold as held.
    Changes takeChanges(const QDateTime &now);

    // Active holds older than `holdMaxSecs` whose warning has not gone out;
    // markWarned() keeps one from being reported again, even when the
    // database still says "not warned" for a moment.
    QList<DomainHold> dueWarnings(const QDateTime &now, qint64 holdMaxSecs) const;
    void markWarned(const QString &domain);

    QList<DomainHold> active(const QDateTime &now) const;

private:
    static QString warnKey(const DomainHold &hold);

    QHash<QString, DomainHold> m_holds;
    QSet<QString> m_lastActive;
    QSet<QString> m_warned; // domain + since
};

} // namespace mailroute
