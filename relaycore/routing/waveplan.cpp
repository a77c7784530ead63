#include "relaycore/routing/waveplan.h"

#include "relaycore/routing/mailaddress.h"

#include <QHash>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

QString keyOf(const QString &address)
{
    const Result<MailAddress> a = parseMailbox(address);
    return a ? a->key() : address.toLower();
}

// Upserts `mappings` into `users` by source key; the replaced ones to `replaced`.
void upsert(QList<UserMapping> &users, const QList<WaveMapping> &mappings, QList<WaveMapping> *replaced)
{
    QHash<QString, qsizetype> at;
    at.reserve(users.size());
    for (qsizetype i = 0; i < users.size(); ++i)
        at.insert(keyOf(users.at(i).source), i);
    for (const WaveMapping &m : mappings) {
        const QString key = keyOf(m.source);
        const auto it = at.constFind(key);
        if (it == at.cend()) {
            at.insert(key, users.size());
            users.append({m.source, m.target});
            continue;
        }
        UserMapping &u = users[*it];
        if (u.source == m.source && u.target == m.target)
            continue;
        if (replaced)
            replaced->append({u.source, u.target});
        u = {m.source, m.target};
    }
}

void takeOut(QList<UserMapping> &users, const QList<WaveMapping> &mappings, const QList<WaveMapping> &restore)
{
    QSet<QString> mine;
    for (const WaveMapping &m : mappings)
        mine.insert(m.source + QLatin1Char('\n') + m.target);
    users.erase(std::remove_if(users.begin(), users.end(),
                               [&](const UserMapping &u) {
                                   return mine.contains(u.source + QLatin1Char('\n') + u.target);
                               }),
                users.end());
    QSet<QString> present;
    for (const UserMapping &u : std::as_const(users))
        present.insert(keyOf(u.source));
    for (const WaveMapping &r : restore) {
        if (!present.contains(keyOf(r.source)))
            users.append({r.source, r.target});
    }
}

} // namespace

QList<UserMapping> toUserMappings(const QList<WaveMapping> &mappings)
{
    QList<UserMapping> out;
    out.reserve(mappings.size());
    for (const WaveMapping &m : mappings)
        out.append({m.source, m.target});
    return out;
}

QList<WaveMapping> toWaveMappings(const QList<UserMapping> &mappings)
{
    QList<WaveMapping> out;
    out.reserve(mappings.size());
    for (const UserMapping &m : mappings)
        out.append({m.source, m.target});
    return out;
}

Status validateWave(Wave &wave)
{
    if (const std::optional<QString> e = waveNameError(wave.name))
        return Status::failure(*e);
    if (!areaHasUsers(wave.area))
        return Status::failure(
            u"wave %1: a wave maps users, so its area is inbound or outbound, not %2"_s.arg(
                wave.name, areaKey(wave.area)));
    if (wave.users.isEmpty())
        return Status::failure(u"wave %1 has no user mappings"_s.arg(wave.name));
    if (!wave.at.isValid())
        return Status::failure(u"wave %1 has no activation time"_s.arg(wave.name));
    wave.at = wave.at.toUTC();
    if (wave.expire.isValid()) {
        wave.expire = wave.expire.toUTC();
        if (wave.expire <= wave.at)
            return Status::failure(u"wave %1 expires at %2, not after its activation at %3"_s.arg(
                wave.name, waveTimeIso(wave.expire), waveTimeIso(wave.at)));
    }
    if (!wave.withOutbound && !wave.outbound.isEmpty())
        return Status::failure(
            u"wave %1 has Outbound inverses but was not made --with-outbound"_s.arg(wave.name));
    if (wave.withOutbound && wave.area != Area::Inbound)
        return Status::failure(u"wave %1: --with-outbound is for Inbound waves"_s.arg(wave.name));
    for (QList<WaveMapping> *list : {&wave.users, &wave.outbound}) {
        QSet<QString> seen;
        for (WaveMapping &m : *list) {
            const Result<MailAddress> s = parseMailbox(m.source);
            const Result<MailAddress> t = parseMailbox(m.target);
            if (!s)
                return Status::failure(
                    u"wave %1: invalid source address \"%2\": %3"_s.arg(wave.name, m.source, s.error));
            if (!t)
                return Status::failure(
                    u"wave %1: invalid target address \"%2\": %3"_s.arg(wave.name, m.target, t.error));
            if (s->key() == t->key())
                return Status::failure(u"wave %1 maps %2 to itself"_s.arg(wave.name, m.source));
            if (seen.contains(s->key()))
                return Status::failure(u"wave %1 lists %2 twice"_s.arg(wave.name, m.source));
            seen.insert(s->key());
            m = {s->toString(), t->toString()};
        }
    }
    return okStatus();
}

ConfigData withWaveApplied(ConfigData config, const Wave &wave, QList<WaveMapping> *replaced,
                           QList<WaveMapping> *replacedOutbound)
{
    upsert(config.area(wave.area).users, wave.users, replaced);
    if (wave.withOutbound)
        upsert(config.area(Area::Outbound).users, wave.outbound, replacedOutbound);
    return config;
}

ConfigData withWaveRemoved(ConfigData config, const Wave &wave, const QList<WaveMapping> &replaced,
                           const QList<WaveMapping> &replacedOutbound)
{
    takeOut(config.area(wave.area).users, wave.users, replaced);
    if (wave.withOutbound)
        takeOut(config.area(Area::Outbound).users, wave.outbound, replacedOutbound);
    return config;
}

QStringList waveTargetDomains(const Wave &wave)
{
    QSet<QString> domains;
    for (const WaveMapping &m : wave.users) {
        const qsizetype at = m.target.lastIndexOf(u'@');
        if (at >= 0)
            domains.insert(m.target.mid(at + 1).toLower());
    }
    QStringList out(domains.cbegin(), domains.cend());
    out.sort();
    return out;
}

} // namespace mailroute
