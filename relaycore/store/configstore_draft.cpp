// ConfigStore: the rest of the draft (routes, DKIM key rows, settings, waves)
// and reading or replacing the draft as a whole. See configstore_p.h.
#include "relaycore/store/configstore_p.h"

#include "relaycore/config/settingsmigration.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/dkimselector.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/wavetables.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace storedetail;

namespace {

// A route's TLS policy as the routes.tls column holds it: NULL is the default.
QVariant tlsColumn(std::optional<TlsPolicy> tls)
{
    return tls ? QVariant(tlsPolicyName(*tls)) : QVariant(QMetaType(QMetaType::QString));
}

QVariant retiredColumn(qint64 retiredAt)
{
    return retiredAt > 0 ? QVariant(retiredAt) : QVariant(QMetaType(QMetaType::LongLong));
}

} // namespace

QMap<QString, QString> ConfigStore::Private::readSettings() const
{
    QMap<QString, QString> out;
    Query q(db, u"SELECT key, value FROM settings"_s);
    if (!q.exec())
        return out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

Status ConfigStore::Private::migrateRetiredSettings()
{
    {
        Query probe(db, u"SELECT 1 FROM settings WHERE key = ?"_s,
                    {SettingsMigration::legacyRewriteHeaders()});
        if (Status st = probe.exec(); !st)
            return st;
        if (!probe.next())
            return okStatus();
    }
    return write([this](bool &changed) -> Status {
        const QMap<QString, QString> before = readSettings();
        QMap<QString, QString> after = before;
        const QString account = SettingsMigration::migrate(after);
        if (account.isEmpty()) { // another process got there first
            changed = false;
            return okStatus();
        }
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (!after.contains(it.key())) {
                Query q(db, u"DELETE FROM settings WHERE key = ?"_s, {it.key()});
                if (Status st = q.exec(); !st)
                    return st;
            }
        }
        for (auto it = after.cbegin(); it != after.cend(); ++it) {
            if (before.value(it.key()) != it.value()) {
                Query q(db, u"INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"_s,
                        {it.key(), it.value()});
                if (Status st = q.exec(); !st)
                    return st;
            }
        }
        return log(std::nullopt, u"Setting migrated : %1"_s.arg(account));
    });
}

QList<TransportRoute> ConfigStore::Private::readRoutes() const
{
    QList<TransportRoute> out;
    Query q(db, u"SELECT domain, next_hop, tls FROM routes ORDER BY domain"_s);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), parseTlsPolicy(q.value(2).toString())});
    return out;
}

QList<DkimKey> ConfigStore::Private::readDkimKeys(const QString &domain) const
{
    QList<DkimKey> out;
    QString sql = u"SELECT domain, selector, algorithm, state, key_file, public_key, created, retired_at "
                  "FROM dkim_keys"_s;
    QVariantList values;
    if (!domain.isEmpty()) {
        sql += u" WHERE domain = ?"_s;
        values << domain;
    }
    Query q(db, sql + u" ORDER BY domain, selector"_s, values);
    if (!q.exec())
        return out;
    while (q.next()) {
        DkimKey k;
        k.domain = q.value(0).toString();
        k.selector = q.value(1).toString();
        // The table's CHECK constraints keep these parseable.
        k.algorithm = parseDkimAlgorithm(q.value(2).toString()).value_or(DkimAlgorithm::Rsa2048);
        k.state = parseDkimKeyState(q.value(3).toString()).value_or(DkimKeyState::Retired);
        k.keyFile = q.value(4).toString();
        k.publicKey = q.value(5).toString();
        k.created = q.value(6).toLongLong();
        k.retiredAt = q.value(7).isNull() ? 0 : q.value(7).toLongLong();
        out.append(k);
    }
    return out;
}

Status ConfigStore::Private::insertDkimKey(const DkimKey &k)
{
    Query q(db,
            u"INSERT INTO dkim_keys (domain, selector, algorithm, state, key_file, public_key, created, "
            "retired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
            {k.domain, k.selector, dkimAlgorithmName(k.algorithm), dkimKeyStateName(k.state), k.keyFile,
             k.publicKey, k.created, retiredColumn(k.retiredAt)});
    return q.exec();
}

ConfigData ConfigStore::Private::readDraft() const
{
    ConfigData c;
    for (Area a : kAllAreas) {
        c.area(a).domains = readDomains(a);
        c.area(a).users = readUsers(a, 0, -1, {});
    }
    c.settings = readSettings();
    c.routes = readRoutes();
    c.dkimKeys = readDkimKeys({});
    c.waves = readWaveTable(db);
    return c;
}

Status ConfigStore::Private::replaceDraft(const ConfigData &c)
{
    for (const QString &sql :
         {u"DELETE FROM domain_mappings"_s, u"DELETE FROM user_mappings"_s, u"DELETE FROM settings"_s,
          u"DELETE FROM routes"_s, u"DELETE FROM dkim_keys"_s, u"DELETE FROM waves"_s}) {
        Query q(db, sql);
        if (Status st = q.exec(); !st)
            return st;
    }
    for (Area a : kAllAreas) {
        for (const DomainMapping &m : c.area(a).domains) {
            Query q(db, u"INSERT INTO domain_mappings (area, source, target) VALUES (?, ?, ?)"_s,
                    {areaKey(a), m.source, m.target});
            if (Status st = q.exec(); !st)
                return st;
        }
        if (!c.area(a).users.isEmpty()) {
            if (!areaHasUsers(a))
                return Status::failure(noUsersError(a));
            const SortedKeys keys(c.area(a).users);
            if (Status st = insertUsers(a, c.area(a).users, keys); !st)
                return st;
        }
    }
    for (auto it = c.settings.cbegin(); it != c.settings.cend(); ++it) {
        Query q(db, u"INSERT INTO settings (key, value) VALUES (?, ?)"_s, {it.key(), it.value()});
        if (Status st = q.exec(); !st)
            return st;
    }
    for (const TransportRoute &r : c.routes) {
        Query q(db, u"INSERT INTO routes (domain, next_hop, tls) VALUES (?, ?, ?)"_s,
                {r.domain, r.nextHop, tlsColumn(r.tls)});
        if (Status st = q.exec(); !st)
            return st;
    }
    for (const DkimKey &k : c.dkimKeys) {
        if (Status st = insertDkimKey(k); !st)
            return st;
    }
    for (const Wave &w : c.waves) {
        if (Status st = insertWaveRow(db, w); !st)
            return st;
    }
    return okStatus();
}

// ---- routes ----------------------------------------------------------------

QList<TransportRoute> ConfigStore::routes() const
{
    if (!d->isOpen)
        return {};
    return d->readRoutes();
}

Status ConfigStore::setRoute(const QString &domain, const QString &nextHop, std::optional<TlsPolicy> tls)
{
    const Result<QString> dom = domainArg(domain, u"route"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> hop = nextHopArg(nextHop);
    if (!hop)
        return Status::failure(hop.error);
    return d->write([&](bool &changed) -> Status {
        {
            Query cur(d->db, u"SELECT next_hop, tls FROM routes WHERE domain = ?"_s, {*dom});
            if (Status st = cur.exec(); !st)
                return st;
            if (cur.next() && cur.value(0).toString() == *hop &&
                parseTlsPolicy(cur.value(1).toString()) == tls) {
                changed = false;
                return okStatus();
            }
        }
        Query q(d->db, u"INSERT OR REPLACE INTO routes (domain, next_hop, tls) VALUES (?, ?, ?)"_s,
                {*dom, *hop, tlsColumn(tls)});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt,
                      tls ? u"Route set : %1 to %2 (tls %3),"_s.arg(*dom, *hop, tlsPolicyName(*tls))
                          : u"Route set : %1 to %2,"_s.arg(*dom, *hop));
    });
}

Status ConfigStore::removeRoute(const QString &domain)
{
    const Result<QString> dom = domainArg(domain, u"route"_s);
    if (!dom)
        return Status::failure(dom.error);
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"DELETE FROM routes WHERE domain = ?"_s, {*dom});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1)
            return Status::failure(u"no route for %1"_s.arg(*dom));
        return d->log(std::nullopt, u"Route deleted : %1,"_s.arg(*dom));
    });
}

// ---- DKIM keys -------------------------------------------------------------

QList<DkimKey> ConfigStore::dkimKeys(const QString &domain) const
{
    if (!d->isOpen)
        return {};
    if (domain.isEmpty())
        return d->readDkimKeys({});
    const Result<QString> dom = normalizeDomain(QStringView(domain).trimmed());
    return dom ? d->readDkimKeys(*dom) : QList<DkimKey>();
}

Status ConfigStore::addDkimKey(const DkimKey &key)
{
    const Result<QString> dom = domainArg(key.domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(key.selector);
    if (!sel)
        return Status::failure(sel.error);
    if (key.publicKey.isEmpty() || !QFileInfo(key.keyFile).isAbsolute())
        return Status::failure(u"a DKIM key needs its public key and the absolute path of its key file"_s);
    DkimKey k = key;
    k.domain = *dom;
    k.selector = *sel;
    if (k.created <= 0)
        k.created = nowMs();
    return d->write([&](bool &) -> Status {
        for (const DkimKey &other : d->readDkimKeys(k.domain)) {
            if (other.selector == k.selector)
                return Status::failure(
                    u"%1 already has a DKIM key with selector %2; choose another selector"_s.arg(k.domain,
                                                                                                 k.selector));
            if (k.state == DkimKeyState::Active && other.state == DkimKeyState::Active)
                return Status::failure(
                    u"%1 already has an active DKIM key (%2); a new one starts pending"_s.arg(
                        k.domain, other.selector));
        }
        if (Status st = d->insertDkimKey(k); !st)
            return st;
        return d->log(std::nullopt, u"DKIM key added : %1,"_s.arg(dkimKeyText(k)));
    });
}

Status ConfigStore::setDkimKeyState(const QString &domain, const QString &selector, DkimKeyState state)
{
    const Result<QString> dom = domainArg(domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(selector);
    if (!sel)
        return Status::failure(sel.error);
    return d->write([&](bool &changed) -> Status {
        const QList<DkimKey> keys = d->readDkimKeys(*dom);
        const auto it =
            std::find_if(keys.cbegin(), keys.cend(), [&](const DkimKey &k) { return k.selector == *sel; });
        if (it == keys.cend())
            return Status::failure(u"%1 has no DKIM key with selector %2"_s.arg(*dom, *sel));
        if (it->state == state) {
            changed = false;
            return okStatus();
        }
        const qint64 now = nowMs();
        auto update = [&](const DkimKey &k, DkimKeyState to) -> Status {
            Query q(d->db,
                    u"UPDATE dkim_keys SET state = ?, retired_at = ? WHERE domain = ? AND selector = ?"_s,
                    {dkimKeyStateName(to), retiredColumn(to == DkimKeyState::Retired ? now : 0), k.domain,
                     k.selector});
            if (Status st = q.exec(); !st)
                return st;
            DkimKey after = k;
            after.state = to;
            return d->log(std::nullopt, u"DKIM key %1 : %2,"_s.arg(dkimKeyStateName(to), dkimKeyText(after)));
        };
        if (state == DkimKeyState::Active) {
            // One key signs per domain: the one it replaces retires.
            for (const DkimKey &k : keys) {
                if (k.selector != *sel && k.state == DkimKeyState::Active) {
                    if (Status st = update(k, DkimKeyState::Retired); !st)
                        return st;
                }
            }
        }
        return update(*it, state);
    });
}

Status ConfigStore::removeDkimKey(const QString &domain, const QString &selector)
{
    const Result<QString> dom = domainArg(domain, u"DKIM"_s);
    if (!dom)
        return Status::failure(dom.error);
    const Result<QString> sel = dkimSelectorArg(selector);
    if (!sel)
        return Status::failure(sel.error);
    return d->write([&](bool &) -> Status {
        const QList<DkimKey> keys = d->readDkimKeys(*dom);
        const auto it =
            std::find_if(keys.cbegin(), keys.cend(), [&](const DkimKey &k) { return k.selector == *sel; });
        if (it == keys.cend())
            return Status::failure(u"%1 has no DKIM key with selector %2"_s.arg(*dom, *sel));
        Query q(d->db, u"DELETE FROM dkim_keys WHERE domain = ? AND selector = ?"_s, {*dom, *sel});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt, u"DKIM key deleted : %1,"_s.arg(dkimKeyText(*it)));
    });
}

// ---- settings --------------------------------------------------------------

Status ConfigStore::setSetting(const QString &key, const QString &value)
{
    const Result<QString> canonical = SettingsSchema::validate(key, value);
    if (!canonical)
        return Status::failure(canonical.error);
    return d->write([&](bool &changed) -> Status {
        {
            Query cur(d->db, u"SELECT value FROM settings WHERE key = ?"_s, {key});
            if (Status st = cur.exec(); !st)
                return st;
            if (cur.next() && cur.value(0).toString() == *canonical) {
                changed = false;
                return okStatus();
            }
        }
        Query q(d->db, u"INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"_s, {key, *canonical});
        if (Status st = q.exec(); !st)
            return st;
        return d->log(std::nullopt, u"Setting changed : %1 = %2"_s.arg(key, *canonical));
    });
}

Status ConfigStore::resetSetting(const QString &key)
{
    const SettingDef *def = SettingsSchema::find(key);
    if (const QString retired = SettingsMigration::retiredKeyMessage(key); !def && !retired.isEmpty())
        return Status::failure(retired);
    if (!def)
        return Status::failure(u"unknown setting \"%1\""_s.arg(key));
    return d->write([&](bool &changed) -> Status {
        Query q(d->db, u"DELETE FROM settings WHERE key = ?"_s, {key});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1) {
            changed = false;
            return okStatus();
        }
        return d->log(std::nullopt, u"Setting reset : %1 = %2 (default)"_s.arg(key, def->defaultValue));
    });
}

QString ConfigStore::setting(const QString &key) const
{
    if (d->isOpen) {
        Query q(d->db, u"SELECT value FROM settings WHERE key = ?"_s, {key});
        if (q.exec() && q.next())
            return q.value(0).toString();
    }
    const SettingDef *def = SettingsSchema::find(key);
    return def ? def->defaultValue : QString();
}

QMap<QString, QString> ConfigStore::explicitSettings() const
{
    if (!d->isOpen)
        return {};
    return d->readSettings();
}

// ---- migration waves (issue 15) ---------------------------------------------

QList<Wave> ConfigStore::waves() const
{
    if (!d->isOpen)
        return {};
    return readWaveTable(d->db);
}

std::optional<Wave> ConfigStore::wave(const QString &name) const
{
    for (const Wave &w : waves()) {
        if (w.name == name)
            return w;
    }
    return std::nullopt;
}

Status ConfigStore::addWave(const Wave &wave)
{
    Wave w = wave;
    if (Status st = validateWave(w); !st)
        return st;
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"SELECT 1 FROM waves WHERE name = ?"_s, {w.name});
        if (Status st = q.exec(); !st)
            return st;
        if (q.next())
            return Status::failure(u"a wave named %1 already exists"_s.arg(w.name));
        if (Status st = insertWaveRow(d->db, w); !st)
            return st;
        return d->log(w.area, u"Wave %1 created: %2 users at %3%4%5"_s.arg(w.name)
                                  .arg(w.users.size())
                                  .arg(waveTimeIso(w.at),
                                       w.expire.isValid() ? u" until "_s + waveTimeIso(w.expire) : QString(),
                                       w.withOutbound ? u" with their Outbound inverses"_s : QString()));
    });
}

Status ConfigStore::removeWave(const QString &name)
{
    return d->write([&](bool &) -> Status {
        Query q(d->db, u"DELETE FROM waves WHERE name = ?"_s, {name});
        if (Status st = q.exec(); !st)
            return st;
        if (q.rowsAffected() < 1)
            return Status::failure(u"no wave named %1 in the draft"_s.arg(name));
        return d->log(std::nullopt, u"Wave %1 removed from the draft"_s.arg(name));
    });
}

Status ConfigStore::setWaveApplyAnyway(const QString &name, bool applyAnyway)
{
    return d->write([&](bool &changed) -> Status {
        Query q(d->db, u"SELECT apply_anyway FROM waves WHERE name = ?"_s, {name});
        if (Status st = q.exec(); !st)
            return st;
        if (!q.next())
            return Status::failure(u"no wave named %1 in the draft"_s.arg(name));
        if ((q.value(0).toInt() != 0) == applyAnyway) {
            changed = false;
            return okStatus();
        }
        Query u(d->db, u"UPDATE waves SET apply_anyway = ? WHERE name = ?"_s, {applyAnyway ? 1 : 0, name});
        if (Status st = u.exec(); !st)
            return st;
        return d->log(std::nullopt, applyAnyway
                                        ? u"Wave %1 will be applied even if its check fails"_s.arg(name)
                                        : u"Wave %1 will be held if its check fails"_s.arg(name));
    });
}

} // namespace mailroute
