// The draft against the active generation (configdiff.h). Each table is one
// hash join: index the old list by source, walk the new one, then report the
// old sources nobody claimed; linear, so a push of a million users shows its
// preview without a pause. The lists keep configuration order (new list for
// added and changed, old list for removed); toLines() sorts for display.
#include "relaycore/routing/configdiff.h"

#include "relaycore/routing/mailaddress.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <vector>

namespace mailroute {

namespace {

// MailAddress::key() for a stored mailbox: the domain is normalised (lower
// case ACE), so folding the whole string folds exactly the local part, and
// QString::toLower shares the data when nothing changes.
QString userKey(const QString &storedMailbox)
{
    return storedMailbox.toLower();
}

QString domainKey(const QString &normalizedDomain)
{
    return normalizedDomain;
}

// Indexes `list` by key, the last of duplicate sources winning (as in
// RoutingSnapshot::compile). Walking backwards, the first insertion of a key
// is its winner, so one findOrInsert per entry decides both. Returns the
// keys; `winner[i]` says whether entry i is the effective one.
template <typename T, typename KeyFn>
QList<QString> indexList(const QList<T> &list, KeyFn key, QHash<QString, qsizetype> &index,
                         std::vector<bool> &winner)
{
    QList<QString> keys;
    keys.reserve(list.size());
    for (const T &e : list)
        keys.append(key(e));
    index.reserve(list.size());
    winner.assign(size_t(list.size()), false);
    for (qsizetype i = list.size() - 1; i >= 0; --i) {
        qsizetype &slot = index[keys[i]]; // 0: just inserted; else index + 1
        if (slot == 0) {
            slot = i + 1;
            winner[size_t(i)] = true;
        }
    }
    return keys;
}

// Generic join over (source, value) lists. `key` maps an entry to its join
// key; `same` says whether two entries with the same key are unchanged.
template <typename T, typename KeyFn, typename SameFn>
void join(const QList<T> &from, const QList<T> &to, KeyFn key, SameFn same, QList<T> &added,
          QList<T> &removed, QList<QPair<T, T>> &changed)
{
    QHash<QString, qsizetype> oldIndex;
    std::vector<bool> oldWinner;
    indexList(from, key, oldIndex, oldWinner);
    QHash<QString, qsizetype> newIndex;
    std::vector<bool> newWinner;
    const QList<QString> newKeys = indexList(to, key, newIndex, newWinner);

    std::vector<bool> claimed(size_t(from.size()), false);
    for (qsizetype i = 0; i < to.size(); ++i) {
        if (!newWinner[size_t(i)])
            continue; // shadowed by a later duplicate
        const auto old = oldIndex.constFind(newKeys[i]);
        if (old == oldIndex.cend()) {
            added.append(to[i]);
            continue;
        }
        const qsizetype o = *old - 1;
        claimed[size_t(o)] = true;
        if (!same(from[o], to[i]))
            changed.append(qMakePair(from[o], to[i]));
    }
    for (qsizetype i = 0; i < from.size(); ++i) {
        if (oldWinner[size_t(i)] && !claimed[size_t(i)])
            removed.append(from[i]);
    }
}

QString arrow(const QString &a, const QString &b)
{
    return a + QStringLiteral(" -> ") + b;
}

struct Line
{
    int area;      // kAreaCount for settings, kAreaCount + 1 for routes, + 2 for DKIM keys
    int table;     // 0 domains, 1 users
    QString order; // the source's join key
    QString text;
};

} // namespace

bool AreaDiff::isEmpty() const
{
    return domainsAdded.isEmpty() && domainsRemoved.isEmpty() && domainsChanged.isEmpty() &&
           usersAdded.isEmpty() && usersRemoved.isEmpty() && usersChanged.isEmpty();
}

bool ConfigDiff::isEmpty() const
{
    return std::all_of(areas.cbegin(), areas.cend(), [](const AreaDiff &a) { return a.isEmpty(); }) &&
           settings.isEmpty() && routesAdded.isEmpty() && routesRemoved.isEmpty() &&
           routesChanged.isEmpty() && dkimAdded.isEmpty() && dkimRemoved.isEmpty() && dkimChanged.isEmpty() &&
           wavesAdded.isEmpty() && wavesRemoved.isEmpty() && wavesChanged.isEmpty();
}

QStringList ConfigDiff::toLines() const
{
    std::vector<Line> lines;
    for (Area a : kAllAreas) {
        const AreaDiff &d = area(a);
        const int ai = areaIndex(a);
        const QString domainPrefix = areaKey(a) + QStringLiteral(" domain ");
        const QString userPrefix = areaKey(a) + QStringLiteral(" user ");
        for (const DomainMapping &m : d.domainsAdded)
            lines.push_back({ai, 0, domainKey(m.source),
                             domainPrefix + QStringLiteral("+ ") +
                                 arrow(displayDomain(m.source), displayDomain(m.target))});
        for (const DomainMapping &m : d.domainsRemoved)
            lines.push_back({ai, 0, domainKey(m.source),
                             domainPrefix + QStringLiteral("- ") +
                                 arrow(displayDomain(m.source), displayDomain(m.target))});
        for (const auto &[o, n] : d.domainsChanged)
            lines.push_back({ai, 0, domainKey(n.source),
                             domainPrefix + QStringLiteral("~ ") + displayDomain(n.source) +
                                 QStringLiteral(": ") +
                                 arrow(displayDomain(o.target), displayDomain(n.target))});
        for (const UserMapping &m : d.usersAdded)
            lines.push_back(
                {ai, 1, userKey(m.source), userPrefix + QStringLiteral("+ ") + arrow(m.source, m.target)});
        for (const UserMapping &m : d.usersRemoved)
            lines.push_back(
                {ai, 1, userKey(m.source), userPrefix + QStringLiteral("- ") + arrow(m.source, m.target)});
        for (const auto &[o, n] : d.usersChanged) {
            // Same source case-insensitively; say so when only its spelling moved.
            const QString source = o.source == n.source
                                       ? n.source
                                       : n.source + QStringLiteral(" (was ") + o.source + QLatin1Char(')');
            lines.push_back({ai, 1, userKey(n.source),
                             userPrefix + QStringLiteral("~ ") + source + QStringLiteral(": ") +
                                 arrow(o.target, n.target)});
        }
    }
    for (const SettingChange &c : settings) {
        QString text;
        // Unset means the default: with it known, a set or reset reads old -> new.
        const QString byDefault = c.defaultValue + QStringLiteral(" (default)");
        if (c.oldValue.isEmpty() && !c.defaultValue.isEmpty())
            text = QStringLiteral("setting ~ ") + c.key + QStringLiteral(": ") + arrow(byDefault, c.newValue);
        else if (c.newValue.isEmpty() && !c.defaultValue.isEmpty())
            text = QStringLiteral("setting ~ ") + c.key + QStringLiteral(": ") + arrow(c.oldValue, byDefault);
        else if (c.oldValue.isEmpty())
            text = QStringLiteral("setting + ") + c.key + QStringLiteral(": ") + c.newValue;
        else if (c.newValue.isEmpty())
            text = QStringLiteral("setting - ") + c.key + QStringLiteral(": ") + c.oldValue;
        else
            text =
                QStringLiteral("setting ~ ") + c.key + QStringLiteral(": ") + arrow(c.oldValue, c.newValue);
        lines.push_back({kAreaCount, 0, c.key, text});
    }
    // A route's own TLS policy is part of what it says: "smtp.x:25 (tls encrypt)".
    auto hop = [](const TransportRoute &r) {
        return r.tls ? r.nextHop + QStringLiteral(" (tls ") + tlsPolicyName(*r.tls) + QLatin1Char(')')
                     : r.nextHop;
    };
    for (const TransportRoute &r : routesAdded)
        lines.push_back({kAreaCount + 1, 0, r.domain, QStringLiteral("route + ") + arrow(r.domain, hop(r))});
    for (const TransportRoute &r : routesRemoved)
        lines.push_back({kAreaCount + 1, 0, r.domain, QStringLiteral("route - ") + arrow(r.domain, hop(r))});
    for (const auto &[o, n] : routesChanged)
        lines.push_back(
            {kAreaCount + 1, 0, n.domain,
             QStringLiteral("route ~ ") + n.domain + QStringLiteral(": ") + arrow(hop(o), hop(n))});

    // DKIM keys by domain, then selector. A state change names both states;
    // anything else about the key (a new key under an old selector) shows
    // both descriptions.
    auto dkimKey = [](const DkimKey &k) -> QString { return k.domain + QLatin1Char(' ') + k.selector; };
    auto dkimWhat = [](const DkimKey &k) -> QString {
        return QStringLiteral("(") + dkimAlgorithmName(k.algorithm) + QStringLiteral(", ") +
               dkimKeyStateName(k.state) + QLatin1Char(')');
    };
    for (const DkimKey &k : dkimAdded)
        lines.push_back({kAreaCount + 2, 0, dkimKey(k),
                         QStringLiteral("dkim + ") + dkimKey(k) + QLatin1Char(' ') + dkimWhat(k)});
    for (const DkimKey &k : dkimRemoved)
        lines.push_back({kAreaCount + 2, 0, dkimKey(k),
                         QStringLiteral("dkim - ") + dkimKey(k) + QLatin1Char(' ') + dkimWhat(k)});
    for (const auto &[o, n] : dkimChanged) {
        const bool onlyState = o.algorithm == n.algorithm && o.publicKey == n.publicKey &&
                               o.keyFile == n.keyFile && o.state != n.state;
        lines.push_back({kAreaCount + 2, 0, dkimKey(n),
                         QStringLiteral("dkim ~ ") + dkimKey(n) + QStringLiteral(": ") +
                             (onlyState ? arrow(dkimKeyStateName(o.state), dkimKeyStateName(n.state))
                                        : arrow(dkimWhat(o), dkimWhat(n)))});
    }

    // Waves by name: when, how many users, whether anything else changed.
    auto waveWhat = [](const Wave &w) -> QString {
        QString text = QStringLiteral("at ") + waveTimeIso(w.at);
        if (w.expire.isValid())
            text += QStringLiteral(" until ") + waveTimeIso(w.expire);
        return text + QStringLiteral(", %1 %2 users").arg(w.users.size()).arg(areaKey(w.area)) +
               (w.withOutbound ? QStringLiteral(" with outbound") : QString()) +
               (w.applyAnyway ? QStringLiteral(", apply anyway") : QString());
    };
    for (const Wave &w : wavesAdded)
        lines.push_back(
            {kAreaCount + 3, 0, w.name, QStringLiteral("wave + ") + w.name + QLatin1Char(' ') + waveWhat(w)});
    for (const Wave &w : wavesRemoved)
        lines.push_back(
            {kAreaCount + 3, 0, w.name, QStringLiteral("wave - ") + w.name + QLatin1Char(' ') + waveWhat(w)});
    for (const auto &[o, n] : wavesChanged) {
        const QString ow = waveWhat(o);
        const QString nw = waveWhat(n);
        lines.push_back({kAreaCount + 3, 0, n.name,
                         QStringLiteral("wave ~ ") + n.name + QStringLiteral(": ") +
                             (ow == nw ? QStringLiteral("other mappings") : arrow(ow, nw))});
    }

    // A source appears at most once per table, so (area, table, source) is a
    // total order; the text breaks ties only for duplicate-laden input.
    std::sort(lines.begin(), lines.end(), [](const Line &x, const Line &y) {
        if (x.area != y.area)
            return x.area < y.area;
        if (x.table != y.table)
            return x.table < y.table;
        if (const int c = QString::compare(x.order, y.order); c != 0)
            return c < 0;
        return x.text < y.text;
    });
    QStringList out;
    out.reserve(qsizetype(lines.size()));
    for (Line &l : lines)
        out.append(std::move(l.text));
    return out;
}

ConfigDiff diffConfig(const ConfigData &from, const ConfigData &to)
{
    ConfigDiff diff;
    for (Area a : kAllAreas) {
        AreaDiff &d = diff.areas[size_t(areaIndex(a))];
        const AreaConfig &f = from.area(a);
        const AreaConfig &t = to.area(a);
        join(
            f.domains, t.domains, [](const DomainMapping &m) { return domainKey(m.source); },
            [](const DomainMapping &x, const DomainMapping &y) { return x == y; }, d.domainsAdded,
            d.domainsRemoved, d.domainsChanged);
        // A different spelling of the source or the target is a change: the
        // stored spelling is what the rewrite writes and the log shows.
        join(
            f.users, t.users, [](const UserMapping &m) { return userKey(m.source); },
            [](const UserMapping &x, const UserMapping &y) { return x == y; }, d.usersAdded, d.usersRemoved,
            d.usersChanged);
    }

    // QMap iterates in key order, so the changes come out sorted by key.
    for (auto it = to.settings.cbegin(); it != to.settings.cend(); ++it) {
        const auto old = from.settings.constFind(it.key());
        if (old == from.settings.cend())
            diff.settings.append(SettingChange{it.key(), QString(), it.value(), QString()});
        else if (*old != it.value())
            diff.settings.append(SettingChange{it.key(), *old, it.value(), QString()});
    }
    for (auto it = from.settings.cbegin(); it != from.settings.cend(); ++it) {
        if (!to.settings.contains(it.key()))
            diff.settings.append(SettingChange{it.key(), it.value(), QString(), QString()});
    }
    std::stable_sort(diff.settings.begin(), diff.settings.end(),
                     [](const SettingChange &x, const SettingChange &y) { return x.key < y.key; });

    join(
        from.routes, to.routes, [](const TransportRoute &r) { return domainKey(r.domain); },
        [](const TransportRoute &x, const TransportRoute &y) { return x == y; }, diff.routesAdded,
        diff.routesRemoved, diff.routesChanged);
    join(
        from.dkimKeys, to.dkimKeys,
        [](const DkimKey &k) -> QString { return k.domain + QLatin1Char(' ') + k.selector; },
        [](const DkimKey &x, const DkimKey &y) { return x == y; }, diff.dkimAdded, diff.dkimRemoved,
        diff.dkimChanged);
    join(
        from.waves, to.waves, [](const Wave &w) { return w.name; },
        [](const Wave &x, const Wave &y) { return x == y; }, diff.wavesAdded, diff.wavesRemoved,
        diff.wavesChanged);
    return diff;
}

} // namespace mailroute
