// HoldSet; see holdset.h. Pure; engine thread.
#include "relaycore/queue/holdset.h"

#include <algorithm>

namespace mailroute {

namespace {

bool activeAt(const DomainHold &hold, const QDateTime &now)
{
    return !hold.until.isValid() || hold.until > now;
}

} // namespace

void HoldSet::replace(const QList<DomainHold> &holds)
{
    m_holds.clear();
    for (const DomainHold &h : holds)
        m_holds.insert(h.domain, h);
}

bool HoldSet::isHeld(const QString &domain, const QDateTime &now) const
{
    const auto it = m_holds.constFind(domain);
    return it != m_holds.constEnd() && activeAt(*it, now);
}

HoldSet::Changes HoldSet::takeChanges(const QDateTime &now)
{
    QSet<QString> current;
    for (const DomainHold &h : std::as_const(m_holds)) {
        if (activeAt(h, now))
            current.insert(h.domain);
    }
    Changes c;
    for (const QString &d : std::as_const(current)) {
        if (!m_lastActive.contains(d))
            c.held << d;
    }
    for (const QString &d : std::as_const(m_lastActive)) {
        if (!current.contains(d))
            c.released << d;
    }
    std::sort(c.held.begin(), c.held.end());
    std::sort(c.released.begin(), c.released.end());
    m_lastActive = std::move(current);
    return c;
}

QList<DomainHold> HoldSet::dueWarnings(const QDateTime &now, qint64 holdMaxSecs) const
{
    QList<DomainHold> due;
    for (const DomainHold &h : m_holds) {
        if (activeAt(h, now) && !h.warned && !m_warned.contains(warnKey(h)) &&
            h.since.addSecs(holdMaxSecs) <= now)
            due << h;
    }
    std::sort(due.begin(), due.end(),
              [](const DomainHold &a, const DomainHold &b) { return a.domain < b.domain; });
    return due;
}

void HoldSet::markWarned(const QString &domain)
{
    const auto it = m_holds.find(domain);
    if (it == m_holds.end())
        return;
    it->warned = true;
    m_warned.insert(warnKey(*it));
}

QList<DomainHold> HoldSet::active(const QDateTime &now) const
{
    QList<DomainHold> out;
    for (const DomainHold &h : m_holds) {
        if (activeAt(h, now))
            out << h;
    }
    std::sort(out.begin(), out.end(),
              [](const DomainHold &a, const DomainHold &b) { return a.domain < b.domain; });
    return out;
}

QString HoldSet::warnKey(const DomainHold &hold)
{
    return hold.domain + QLatin1Char('|') + QString::number(hold.since.toMSecsSinceEpoch());
}

} // namespace mailroute
