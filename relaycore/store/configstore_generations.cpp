// ConfigStore: generations (docs/behaviour.md "Draft, push and generations"):
// push, pushFromActive, rollback, the pending diff and the validation a push
// repeats. See configstore_p.h.
#include "relaycore/store/configstore_p.h"

#include "relaycore/config/settingsdiff.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/message/confirmationrequest.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/generationcodec.h"

#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mailroute {

using namespace storedetail;

namespace {

qint64 domainCount(const ConfigData &c)
{
    qint64 n = 0;
    for (const AreaConfig &a : c.areas)
        n += a.domains.size();
    return n;
}

qint64 userCountOf(const ConfigData &c)
{
    qint64 n = 0;
    for (const AreaConfig &a : c.areas)
        n += a.users.size();
    return n;
}

// Push and pushFromActive: the new generation row, inside their write transaction.
Status insertGeneration(QSqlDatabase &db, qint64 number, const QByteArray &blob, const ConfigData &cfg)
{
    Query q(db,
            u"INSERT INTO generations (number, created, snapshot, domain_count, user_count) "
            "VALUES (?, ?, ?, ?, ?)"_s,
            {number, nowMs(), blob, domainCount(cfg), userCountOf(cfg)});
    return q.exec();
}

// The areas a push logs under: those the diff changes, or the general log
// (std::nullopt) when it changes none.
QList<std::optional<Area>> logAreasOf(const ConfigDiff &diff)
{
    QList<std::optional<Area>> logAreas;
    for (Area a : kAllAreas) {
        if (!diff.area(a).isEmpty())
            logAreas.append(a);
    }
    if (logAreas.isEmpty())
        logAreas.append(std::nullopt);
    return logAreas;
}

// Push and pushFromActive: the confirmation of generation `number` (cfg),
// when the settings ask for one; inside their write transaction.
Status confirmPushIfWanted(QSqlDatabase &db, qint64 number, const ConfigData &cfg, const ConfigDiff &diff)
{
    if (!ConfirmationRequest::wanted(cfg.settings))
        return okStatus();
    return storeConfirmation(db, ConfirmationRequest::forPush(number, domainCount(cfg), userCountOf(cfg),
                                                              diff, QDateTime::currentDateTimeUtc()));
}

// Re-validates what a push is about to store: a database can be older than
// the rules, or edited by hand. Settings are brought to their canonical form.
Status validateForPush(ConfigData &c)
{
    for (auto it = c.settings.begin(); it != c.settings.end(); ++it) {
        const Result<QString> v = SettingsSchema::validate(it.key(), it.value());
        if (!v)
            return Status::failure(u"setting %1: %2"_s.arg(it.key(), v.error));
        it.value() = *v;
    }
    for (Area a : kAllAreas) {
        for (const DomainMapping &m : c.area(a).domains) {
            const Result<QString> s = normalizeDomain(m.source);
            const Result<QString> t = normalizeDomain(m.target);
            if (!s || !t || *s != m.source || *t != m.target || m.source == m.target)
                return Status::failure(
                    u"%1 domain mapping @%2 to @%3 is invalid"_s.arg(areaTitle(a), m.source, m.target));
        }
        if (!areaHasUsers(a) && !c.area(a).users.isEmpty())
            return Status::failure(noUsersError(a));
    }
    // Requiring TLS without a certificate would refuse every such client's mail.
    if (c.settings.value(SettingKey::tlsRequiredBeforeMail(), u"no"_s) != u"no"_s &&
        (c.settings.value(SettingKey::tlsCertificate()).isEmpty() ||
         c.settings.value(SettingKey::tlsKey()).isEmpty()))
        return Status::failure(
            u"tls.required_before_mail is %1 but tls.certificate and tls.key are not both set: "
            "those clients could not send mail at all"_s.arg(
                c.settings.value(SettingKey::tlsRequiredBeforeMail())));
    for (const TransportRoute &r : c.routes) {
        const Result<QString> hop = nextHopArg(r.nextHop);
        if (!normalizeDomain(r.domain) || !hop)
            return Status::failure(u"route %1 to %2 is invalid"_s.arg(r.domain, r.nextHop));
    }
    QSet<QString> signingDomains;
    for (const DkimKey &k : c.dkimKeys) {
        const Result<QString> dom = normalizeDomain(k.domain);
        const Result<QString> sel = dkimSelectorArg(k.selector);
        if (!dom || *dom != k.domain || !sel || *sel != k.selector || k.publicKey.isEmpty() ||
            !QFileInfo(k.keyFile).isAbsolute())
            return Status::failure(u"DKIM key %1 is invalid"_s.arg(dkimKeyText(k)));
        if (k.state != DkimKeyState::Active)
            continue;
        if (signingDomains.contains(k.domain))
            return Status::failure(u"%1 has more than one active DKIM key"_s.arg(k.domain));
        signingDomains.insert(k.domain);
    }
    return okStatus();
}

} // namespace

Result<ConfigData> ConfigStore::Private::readGeneration(qint64 number) const
{
    using R = Result<ConfigData>;
    Query q(db, u"SELECT snapshot FROM generations WHERE number = ?"_s, {number});
    if (Status st = q.exec(); !st)
        return R::failure(st.error);
    if (!q.next())
        return R::failure(u"generation %1 does not exist"_s.arg(number));
    Result<ConfigData> c = GenerationCodec::decode(q.value(0).toByteArray());
    if (!c)
        return R::failure(u"generation %1 cannot be read: %2"_s.arg(number).arg(c.error));
    return c;
}

qint64 ConfigStore::Private::maxGeneration() const
{
    Query q(db, u"SELECT coalesce(max(number), 0) FROM generations"_s);
    if (!q.exec() || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

// ---- draft, generations, push, rollback ------------------------------------

ConfigData ConfigStore::draft() const
{
    if (!d->isOpen)
        return {};
    Transaction tx(d->db);
    if (!tx.begin(Transaction::Kind::Read))
        return {};
    ConfigData c = d->readDraft();
    tx.commit();
    return c;
}

std::optional<qint64> ConfigStore::activeGeneration() const
{
    if (!d->isOpen)
        return std::nullopt;
    return d->metaInt(u"active_generation"_s);
}

Result<ConfigData> ConfigStore::generationConfig(qint64 generation) const
{
    if (!d->isOpen)
        return Result<ConfigData>::failure(notOpenError());
    return d->readGeneration(generation);
}

QList<GenerationInfo> ConfigStore::generations() const
{
    QList<GenerationInfo> out;
    if (!d->isOpen)
        return out;
    Transaction tx(d->db);
    if (!tx.begin(Transaction::Kind::Read))
        return out;
    const std::optional<qint64> active = d->metaInt(u"active_generation"_s);
    Query q(d->db,
            u"SELECT number, created, domain_count, user_count FROM generations ORDER BY number DESC"_s);
    if (!q.exec())
        return out;
    while (q.next()) {
        GenerationInfo g;
        g.number = q.value(0).toLongLong();
        g.created = fromMs(q.value(1).toLongLong());
        g.domainCount = q.value(2).toLongLong();
        g.userCount = q.value(3).toLongLong();
        g.active = active && *active == g.number;
        out.append(g);
    }
    return out;
}

ConfigDiff ConfigStore::pendingDiff() const
{
    if (!d->isOpen)
        return {};
    ConfigData active;
    ConfigData draftCfg;
    {
        Transaction tx(d->db);
        if (!tx.begin(Transaction::Kind::Read))
            return {};
        if (const std::optional<qint64> g = d->metaInt(u"active_generation"_s)) {
            Result<ConfigData> c = d->readGeneration(*g);
            if (c)
                active = std::move(*c);
            else
                qCWarning(lcStore) << c.error;
        }
        draftCfg = d->readDraft();
    }
    ConfigDiff diff = diffConfig(active, draftCfg);
    describeSettingDefaults(diff); // old -> new for a setting set or reset
    return diff;
}

Result<PushResult> ConfigStore::push()
{
    using R = Result<PushResult>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    for (int attempt = 0; attempt < kPushAttempts; ++attempt) {
        // Read and compile outside the write lock: for a million users this is
        // the slow part, and other writers should not wait for it. The counter
        // read with the draft detects a change in between.
        ConfigData draftCfg;
        std::optional<qint64> active;
        qint64 counter = 0;
        qint64 next = 0;
        PushResult result;
        {
            ConfigData activeCfg;
            {
                Transaction tx(d->db);
                if (Status st = tx.begin(Transaction::Kind::Read); !st)
                    return R::failure(st.error);
                counter = d->metaInt(u"change_counter"_s).value_or(0);
                active = d->metaInt(u"active_generation"_s);
                if (active) {
                    Result<ConfigData> c = d->readGeneration(*active);
                    if (!c)
                        return R::failure(u"the active configuration cannot be read: %1"_s.arg(c.error));
                    activeCfg = std::move(*c);
                }
                draftCfg = d->readDraft();
                next = d->maxGeneration() + 1;
            }
            if (Status st = validateForPush(draftCfg); !st)
                return R::failure(u"the draft is invalid: %1; nothing was pushed"_s.arg(st.error));
            result.diff = diffConfig(activeCfg, draftCfg);
            describeSettingDefaults(result.diff);
        }
        result.lint = lintConfig(draftCfg);
        if (active && result.diff.isEmpty()) {
            result.unchanged = true;
            result.generation = *active;
            result.snapshot = RoutingSnapshot::compile(draftCfg, *active);
            return R::success(std::move(result));
        }
        result.snapshot = RoutingSnapshot::compile(draftCfg, next);
        if (!result.snapshot)
            return R::failure(u"the draft cannot be compiled; nothing was pushed"_s);
        const QByteArray blob = GenerationCodec::encode(draftCfg);

        bool raced = false;
        const Status st = d->write([&](bool &) -> Status {
            if (d->metaInt(u"change_counter"_s).value_or(0) != counter) {
                raced = true;
                return Status::failure(u"the draft changed during the push"_s);
            }
            if (Status e = insertGeneration(d->db, next, blob, draftCfg); !e)
                return e;
            if (Status e = d->setMeta(u"active_generation"_s, next); !e)
                return e;
            for (const std::optional<Area> &a : logAreasOf(result.diff)) {
                if (Status e = d->log(a, u"Update configuration request submitted"_s); !e)
                    return e;
                if (Status e = d->log(a, u"Configuration generation %1 is active."_s.arg(next)); !e)
                    return e;
            }
            return confirmPushIfWanted(d->db, next, draftCfg, result.diff);
        });
        if (raced)
            continue;
        if (!st)
            return R::failure(st.error + u"; nothing was pushed"_s);
        result.generation = next;
        return R::success(std::move(result));
    }
    return R::failure(u"the draft kept changing during the push; nothing was pushed, try again"_s);
}

Result<qint64> ConfigStore::rollback(std::optional<qint64> generation)
{
    using R = Result<qint64>;
    qint64 target = 0;
    const Status st = d->write([&](bool &) -> Status {
        const std::optional<qint64> active = d->metaInt(u"active_generation"_s);
        if (generation) {
            target = *generation;
        } else {
            if (!active)
                return Status::failure(u"no generation is active, so there is nothing to roll back"_s);
            Query q(d->db, u"SELECT max(number) FROM generations WHERE number < ?"_s, {*active});
            if (Status e = q.exec(); !e)
                return e;
            if (!q.next() || q.value(0).isNull())
                return Status::failure(
                    u"generation %1 is the oldest one; there is no earlier generation to roll back to"_s.arg(
                        *active));
            target = q.value(0).toLongLong();
        }
        if (active && *active == target)
            return Status::failure(u"generation %1 is already active"_s.arg(target));
        Result<ConfigData> cfg = d->readGeneration(target);
        if (!cfg)
            return Status::failure(cfg.error);
        ConfigData before;
        if (active) {
            Result<ConfigData> cur = d->readGeneration(*active);
            if (cur)
                before = std::move(*cur);
        }
        if (Status e = d->replaceDraft(*cfg); !e)
            return e;
        if (Status e = d->setMeta(u"active_generation"_s, target); !e)
            return e;
        // Both snapshots list rows in store order, so == tells which areas change.
        QList<std::optional<Area>> logAreas;
        for (Area a : kAllAreas) {
            if (!(before.area(a) == cfg->area(a)))
                logAreas.append(a);
        }
        if (logAreas.isEmpty())
            logAreas.append(std::nullopt);
        for (const std::optional<Area> &a : std::as_const(logAreas)) {
            if (Status e = d->log(a, u"Configuration rolled back to generation %1."_s.arg(target)); !e)
                return e;
        }
        return okStatus();
    });
    if (!st)
        return R::failure(st.error);
    return R::success(target);
}

Result<PushResult>
ConfigStore::pushFromActive(const std::function<void(ConfigData &)> &edit, const QString &what,
                            const std::function<Status(QSqlDatabase &, qint64)> &inTransaction)
{
    using R = Result<PushResult>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    for (int attempt = 0; attempt < kPushAttempts; ++attempt) {
        ConfigData activeCfg;
        ConfigData draftCfg;
        qint64 active = 0;
        qint64 counter = 0;
        qint64 next = 0;
        {
            Transaction tx(d->db);
            if (Status st = tx.begin(Transaction::Kind::Read); !st)
                return R::failure(st.error);
            counter = d->metaInt(u"change_counter"_s).value_or(0);
            const std::optional<qint64> a = d->metaInt(u"active_generation"_s);
            if (!a)
                return R::failure(u"no configuration has been pushed yet"_s);
            active = *a;
            Result<ConfigData> c = d->readGeneration(active);
            if (!c)
                return R::failure(u"the active configuration cannot be read: %1"_s.arg(c.error));
            activeCfg = std::move(*c);
            draftCfg = d->readDraft();
            next = d->maxGeneration() + 1;
        }
        ConfigData newActive = activeCfg;
        edit(newActive);
        ConfigData newDraft = draftCfg;
        edit(newDraft);
        if (Status st = validateForPush(newActive); !st)
            return R::failure(u"the resulting configuration is invalid: %1; nothing changed"_s.arg(st.error));
        PushResult result;
        result.diff = diffConfig(activeCfg, newActive);
        describeSettingDefaults(result.diff);
        result.lint = lintConfig(newActive);
        const bool unchanged = result.diff.isEmpty();
        if (!unchanged) {
            result.snapshot = RoutingSnapshot::compile(newActive, next);
            if (!result.snapshot)
                return R::failure(u"the resulting configuration cannot be compiled; nothing changed"_s);
        }
        const QByteArray blob = unchanged ? QByteArray() : GenerationCodec::encode(newActive);
        const ConfigDiff draftDiff = diffConfig(draftCfg, newDraft);
        bool raced = false;
        const Status st = d->write([&](bool &) -> Status {
            if (d->metaInt(u"change_counter"_s).value_or(0) != counter) {
                raced = true;
                return Status::failure(u"the draft changed meanwhile"_s);
            }
            if (unchanged) {
                if (Status e = d->log(std::nullopt, what + u"; the configuration already had its mappings"_s);
                    !e)
                    return e;
                return inTransaction ? inTransaction(d->db, active) : okStatus();
            }
            if (Status e = insertGeneration(d->db, next, blob, newActive); !e)
                return e;
            if (Status e = d->setMeta(u"active_generation"_s, next); !e)
                return e;
            // The draft gets the same edit: the next push keeps what happened.
            for (Area a : kAllAreas) {
                const AreaDiff &ad = draftDiff.area(a);
                for (const UserMapping &m : ad.usersRemoved) {
                    const Result<MailAddress> k = parseMailbox(m.source);
                    Query q(d->db, u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                            {areaKey(a), k ? k->key() : m.source});
                    if (Status e = q.exec(); !e)
                        return e;
                }
                QList<UserMapping> upserts = ad.usersAdded;
                for (const auto &[o, n] : ad.usersChanged) {
                    const Result<MailAddress> k = parseMailbox(o.source);
                    Query q(d->db, u"DELETE FROM user_mappings WHERE area = ? AND source_key = ?"_s,
                            {areaKey(a), k ? k->key() : o.source});
                    if (Status e = q.exec(); !e)
                        return e;
                    upserts.append(n);
                }
                for (const UserMapping &m : std::as_const(upserts)) {
                    const Result<MailAddress> k = parseMailbox(m.source);
                    Query q(
                        d->db,
                        u"INSERT OR REPLACE INTO user_mappings (area, source_key, source, target) VALUES (?, ?, ?, ?)"_s,
                        {areaKey(a), k ? k->key() : m.source, m.source, m.target});
                    if (Status e = q.exec(); !e)
                        return e;
                }
            }
            for (const std::optional<Area> &a : logAreasOf(result.diff)) {
                if (Status e = d->log(a, what); !e)
                    return e;
                for (const QString &line : result.diff.toLines()) {
                    if (a && !line.startsWith(areaKey(*a) + u' '))
                        continue;
                    if (Status e = d->log(a, line); !e)
                        return e;
                }
                for (const LintFinding &f : result.lint) {
                    if (f.area != a)
                        continue;
                    if (Status e = d->log(a, u"Lint: "_s + f.message); !e)
                        return e;
                }
                if (Status e = d->log(a, u"Configuration generation %1 is active."_s.arg(next)); !e)
                    return e;
            }
            if (inTransaction) {
                if (Status e = inTransaction(d->db, next); !e)
                    return e;
            }
            return confirmPushIfWanted(d->db, next, newActive, result.diff);
        });
        if (raced)
            continue;
        if (!st)
            return R::failure(st.error + u"; nothing changed"_s);
        result.unchanged = unchanged;
        result.generation = unchanged ? active : next;
        return R::success(std::move(result));
    }
    return R::failure(u"the configuration kept changing; nothing changed, try again"_s);
}

Result<bool> ConfigStore::generationsUseDkimKeyFile(const QString &keyFile) const
{
    using R = Result<bool>;
    if (!d->isOpen)
        return R::failure(notOpenError());
    Query q(d->db, u"SELECT snapshot FROM generations"_s);
    if (Status st = q.exec(); !st)
        return R::failure(st.error);
    const QByteArray needle = keyFile.toUtf8();
    while (q.next()) {
        if (GenerationCodec::mentions(q.value(0).toByteArray(), needle))
            return R::success(true);
    }
    return R::success(false);
}

} // namespace mailroute
