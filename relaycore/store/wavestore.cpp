#include "relaycore/store/wavestore.h"

#include "relaycore/message/confirmationrequest.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/wavetables.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

const Wave *findWave(const QList<Wave> &waves, const QString &name)
{
    for (const Wave &w : waves) {
        if (w.name == name)
            return &w;
    }
    return nullptr;
}

QString noWave(const QString &name)
{
    return u"no wave named %1"_s.arg(name);
}

// The active generation's configuration, or an empty one.
Result<ConfigData> activeConfig(const ConfigStore &store)
{
    const std::optional<qint64> g = store.activeGeneration();
    if (!g)
        return Result<ConfigData>::success({});
    return store.generationConfig(*g);
}

} // namespace

QString waveActionName(WaveStore::Action action)
{
    switch (action) {
    case WaveStore::Action::Check24h: return u"check-24h"_s;
    case WaveStore::Action::Check1h: return u"check-1h"_s;
    case WaveStore::Action::Apply: return u"apply"_s;
    case WaveStore::Action::Expire: return u"expire"_s;
    }
    return u"apply"_s;
}

WaveStore::WaveStore(ConfigStore &config) : m_config(config) {}

Result<QList<WaveInfo>> WaveStore::list() const
{
    using R = Result<QList<WaveInfo>>;
    const Result<ConfigData> active = activeConfig(m_config);
    if (!active)
        return R::failure(active.error);
    const QList<Wave> draft = m_config.waves();
    QList<WaveInfo> out;
    for (const Wave &w : draft) {
        WaveInfo info;
        info.wave = w;
        info.inDraft = true;
        info.pushed = findWave(active->waves, w.name) != nullptr;
        out.append(info);
    }
    for (const Wave &w : active->waves) {
        if (findWave(draft, w.name))
            continue;
        WaveInfo info;
        info.wave = w;
        info.pushed = true;
        out.append(info);
    }
    const QSqlDatabase db = m_config.connection();
    for (WaveInfo &info : out) {
        QString error;
        if (std::optional<WaveStatus> s = readWaveStatus(db, info.wave.name, &error))
            info.status = std::move(*s);
        else if (!error.isEmpty())
            return R::failure(error);
    }
    std::sort(out.begin(), out.end(), [](const WaveInfo &a, const WaveInfo &b) {
        if (a.wave.at != b.wave.at)
            return a.wave.at < b.wave.at;
        return a.wave.name < b.wave.name;
    });
    return R::success(out);
}

Result<WaveInfo> WaveStore::info(const QString &name) const
{
    using R = Result<WaveInfo>;
    const Result<QList<WaveInfo>> all = list();
    if (!all)
        return R::failure(all.error);
    for (const WaveInfo &i : *all) {
        if (i.wave.name == name)
            return R::success(i);
    }
    return R::failure(noWave(name));
}

Result<ConfigData> WaveStore::resultingConfig(const QString &name) const
{
    using R = Result<ConfigData>;
    const Result<WaveInfo> i = info(name);
    if (!i)
        return R::failure(i.error);
    if (i->pushed) {
        const Result<ConfigData> active = activeConfig(m_config);
        if (!active)
            return active;
        return R::success(withWaveApplied(*active, i->wave));
    }
    return R::success(withWaveApplied(m_config.draft(), i->wave));
}

Result<WaveStatus> WaveStore::recordCheck(const QString &name, const WaveCheck &check)
{
    using R = Result<WaveStatus>;
    const Result<WaveInfo> i = info(name);
    if (!i)
        return R::failure(i.error);
    const bool onDemand = check.trigger == u"on demand"_s;
    if (!waveStateIsPending(i->status.state) && !onDemand)
        return R::failure(
            u"wave %1 is %2; it is not checked any more"_s.arg(name, waveStateName(i->status.state)));
    WaveStatus st;
    const Status written = m_config.writeTransaction([&](QSqlDatabase &db) -> Status {
        QString error;
        st = readWaveStatus(db, name, &error).value_or(WaveStatus{});
        if (!error.isEmpty())
            return Status::failure(error);
        st.lastCheck = check;
        if (check.trigger == u"T-24h"_s)
            st.checked24h = true;
        if (check.trigger == u"T-1h"_s)
            st.checked1h = true;
        if (waveStateIsPending(st.state)) {
            if (check.passed()) {
                st.state = WaveState::Checked;
                st.note.clear();
            } else if (i->wave.applyAnyway) {
                st.note = u"check failed; applied anyway at its time"_s;
            } else {
                st.state = WaveState::Held;
                st.note = u"held: the %1 check failed"_s.arg(check.trigger);
            }
        }
        if (Status e = writeWaveStatus(db, name, st); !e)
            return e;
        QSqlQuery q(db);
        q.prepare(u"INSERT INTO action_log (time, area, message) VALUES (?, ?, ?)"_s);
        const QString head = u"Wave %1 %2 check %3 (%4 item%5%6)%7"_s
                                 .arg(name, check.trigger, check.passed() ? u"passed"_s : u"FAILED"_s)
                                 .arg(check.items.size())
                                 .arg(check.items.size() == 1 ? QString() : u"s"_s,
                                      check.probed > 0 ? u", %1 probes"_s.arg(check.probed) : QString(),
                                      st.state == WaveState::Held ? u"; the wave is held"_s : QString());
        QStringList lines{head};
        for (const WaveCheckItem &item : check.items) {
            if (!item.passed)
                lines << u"Wave %1: %2 %3: %4"_s.arg(name, waveCheckKindName(item.kind), item.subject,
                                                     item.text);
        }
        for (const QString &line : std::as_const(lines)) {
            q.addBindValue(check.time.isValid() ? check.time.toMSecsSinceEpoch()
                                                : QDateTime::currentMSecsSinceEpoch());
            q.addBindValue(areaKey(i->wave.area));
            q.addBindValue(line);
            if (!q.exec())
                return Status::failure(u"cannot log the check of wave %1"_s.arg(name));
        }
        return okStatus();
    });
    if (!written)
        return R::failure(written.error);
    // The mail to relay.postmaster, as confirmations go.
    const Result<ConfigData> active = activeConfig(m_config);
    if (active && ConfirmationRequest::wanted(active->settings)) {
        ConfirmationRequest mail;
        mail.time = check.time.isValid() ? check.time : QDateTime::currentDateTimeUtc();
        mail.subject = u"MailRoute: wave %1 %2 check %3"_s.arg(name, check.trigger,
                                                               check.passed() ? u"passed"_s : u"FAILED"_s);
        QStringList body{u"Wave %1 (%2 users, due %3) was checked %4."_s.arg(name)
                             .arg(i->wave.users.size())
                             .arg(waveTimeIso(i->wave.at), check.trigger),
                         QString()};
        body << check.lines();
        if (st.state == WaveState::Held)
            body << QString()
                 << u"The wave is held: it will not be applied at its time. Fix the problem and check it "
                    u"again "
                    "(mailroutectl wave check %1), or apply it anyway (mailroutectl wave apply %1)."_s.arg(
                        name);
        mail.body = body.join(u'\n') + u'\n';
        m_config.queueConfirmation(mail);
    }
    return R::success(st);
}

Result<PushResult> WaveStore::apply(const QString &name, const QDateTime &now, const QString &how)
{
    using R = Result<PushResult>;
    const Result<ConfigData> active = activeConfig(m_config);
    if (!active)
        return R::failure(active.error);
    const Wave *pushed = findWave(active->waves, name);
    if (!pushed) {
        if (m_config.wave(name))
            return R::failure(u"wave %1 is in the draft but not pushed yet: push first"_s.arg(name));
        return R::failure(noWave(name));
    }
    const Wave wave = *pushed;
    QList<WaveMapping> replaced;
    QList<WaveMapping> replacedOutbound;
    int calls = 0;
    const auto edit = [&](ConfigData &c) {
        // First call: the active configuration (what the wave replaces there
        // is what its expiry restores); second: the draft.
        if (calls++ == 0)
            c = withWaveApplied(std::move(c), wave, &replaced, &replacedOutbound);
        else
            c = withWaveApplied(std::move(c), wave);
    };
    const QString what = u"Wave %1 applied %2 (due %3, %4 users)"_s.arg(name, how, waveTimeIso(wave.at))
                             .arg(wave.users.size() + wave.outbound.size());
    return m_config.pushFromActive(edit, what, [&](QSqlDatabase &db, qint64 generation) -> Status {
        QString error;
        WaveStatus st = readWaveStatus(db, name, &error).value_or(WaveStatus{});
        if (!error.isEmpty())
            return Status::failure(error);
        if (!waveStateIsPending(st.state))
            return Status::failure(u"wave %1 is %2 already"_s.arg(name, waveStateName(st.state)));
        st.state = WaveState::Active;
        st.activatedAt = now.toUTC();
        st.activatedGeneration = generation;
        st.replaced = replaced;
        st.replacedOutbound = replacedOutbound;
        st.note = u"applied "_s + how;
        return writeWaveStatus(db, name, st);
    });
}

namespace {

// The wave as it was applied: from the generation its activation made.
std::optional<Wave> appliedWave(const ConfigStore &store, const QString &name, const WaveStatus &st)
{
    if (st.activatedGeneration > 0) {
        const Result<ConfigData> g = store.generationConfig(st.activatedGeneration);
        if (g) {
            if (const Wave *w = findWave(g->waves, name))
                return *w;
        }
    }
    if (const std::optional<qint64> a = store.activeGeneration()) {
        const Result<ConfigData> g = store.generationConfig(*a);
        if (g) {
            if (const Wave *w = findWave(g->waves, name))
                return *w;
        }
    }
    return store.wave(name);
}

// Expire and cancel of an active wave: a generation without the wave's
// mappings (the same edit on the draft) and, in its transaction, the wave's
// status `ended` as of that generation, provided the wave is still active.
Result<PushResult> endActiveWave(ConfigStore &config, const QString &name, const Wave &wave,
                                 const WaveStatus &before, const QString &what, WaveState ended,
                                 const QDateTime &now)
{
    const auto edit = [&](ConfigData &c) {
        c = withWaveRemoved(std::move(c), wave, before.replaced, before.replacedOutbound);
    };
    return config.pushFromActive(edit, what, [&](QSqlDatabase &db, qint64 generation) -> Status {
        QString e;
        WaveStatus s = readWaveStatus(db, name, &e).value_or(WaveStatus{});
        if (!e.isEmpty())
            return Status::failure(e);
        if (s.state != WaveState::Active)
            return Status::failure(u"wave %1 is %2, not active"_s.arg(name, waveStateName(s.state)));
        s.state = ended;
        s.endedAt = now.toUTC();
        s.endedGeneration = generation;
        return writeWaveStatus(db, name, s);
    });
}

} // namespace

Result<PushResult> WaveStore::expire(const QString &name, const QDateTime &now)
{
    using R = Result<PushResult>;
    QString error;
    const std::optional<WaveStatus> st = readWaveStatus(m_config.connection(), name, &error);
    if (!error.isEmpty())
        return R::failure(error);
    if (!st || st->state != WaveState::Active)
        return R::failure(u"wave %1 is %2, not active: there is nothing to expire"_s.arg(
            name, waveStateName(st ? st->state : WaveState::Scheduled)));
    const std::optional<Wave> wave = appliedWave(m_config, name, *st);
    if (!wave)
        return R::failure(noWave(name));
    const QString what =
        u"Wave %1 expired (due %2): its mappings are removed"_s.arg(name, waveTimeIso(wave->expire));
    return endActiveWave(m_config, name, *wave, *st, what, WaveState::Expired, now);
}

Result<qint64> WaveStore::cancel(const QString &name, const QDateTime &now)
{
    using R = Result<qint64>;
    const Result<WaveInfo> i = info(name);
    if (!i)
        return R::failure(i.error);
    const WaveState state = i->status.state;
    if (waveStateIsFinal(state))
        return R::failure(u"wave %1 is %2 already"_s.arg(name, waveStateName(state)));
    if (state == WaveState::Active) {
        const std::optional<Wave> wave = appliedWave(m_config, name, i->status);
        if (!wave)
            return R::failure(noWave(name));
        const Result<PushResult> r = endActiveWave(m_config, name, *wave, i->status,
                                                   u"Wave %1 cancelled: its mappings are removed"_s.arg(name),
                                                   WaveState::Cancelled, now);
        if (!r)
            return R::failure(r.error);
        return R::success(r->generation);
    }
    const Status st = m_config.writeTransaction([&](QSqlDatabase &db) -> Status {
        QString e;
        WaveStatus s = readWaveStatus(db, name, &e).value_or(WaveStatus{});
        if (!e.isEmpty())
            return Status::failure(e);
        if (!waveStateIsPending(s.state))
            return Status::failure(u"wave %1 is %2 now"_s.arg(name, waveStateName(s.state)));
        s.state = WaveState::Cancelled;
        s.endedAt = now.toUTC();
        if (Status w = writeWaveStatus(db, name, s); !w)
            return w;
        QSqlQuery q(db);
        q.prepare(u"INSERT INTO action_log (time, area, message) VALUES (?, ?, ?)"_s);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        q.addBindValue(areaKey(i->wave.area));
        q.addBindValue(u"Wave %1 cancelled: it will not be applied"_s.arg(name));
        if (!q.exec())
            return Status::failure(u"cannot log the cancellation of wave %1"_s.arg(name));
        return okStatus();
    });
    if (!st)
        return R::failure(st.error);
    return R::success(0);
}

Result<WaveReport> WaveStore::report(const QString &name, const QDateTime &now) const
{
    using R = Result<WaveReport>;
    const Result<WaveInfo> i = info(name);
    if (!i)
        return R::failure(i.error);
    if (!i->status.activatedAt.isValid())
        return R::failure(
            u"wave %1 has not been applied (it is %2)"_s.arg(name, waveStateName(i->status.state)));
    WaveReport report;
    report.from = i->status.activatedAt;
    report.to = std::min(report.from.addSecs(3600), now.toUTC());
    QSet<QString> targets;
    for (const WaveMapping &m : i->wave.users) {
        const Result<MailAddress> a = parseMailbox(m.target);
        targets.insert(a ? a->key() : m.target.toLower());
    }
    // The last event per (message, target) in the window.
    std::map<std::pair<QString, QString>, MessageEvent> last;
    qint64 after = 0;
    for (;;) {
        const QList<MessageLogEntry> batch = m_config.messageLog(after, 5000);
        if (batch.isEmpty())
            break;
        for (const MessageLogEntry &e : batch) {
            after = e.id;
            if (e.time < report.from || e.time > report.to)
                continue;
            if (e.event != MessageEvent::Delivered && e.event != MessageEvent::Deferred &&
                e.event != MessageEvent::Bounced)
                continue;
            const QString to = e.fields.value(u"to"_s).toString();
            const Result<MailAddress> a = parseMailbox(to);
            const QString key = a ? a->key() : to.toLower();
            if (!targets.contains(key))
                continue;
            last[{e.queueId, key}] = e.event;
        }
        if (batch.size() < 5000)
            break;
    }
    QMap<QString, WaveReport::Row> rows;
    for (const auto &[k, event] : last) {
        WaveReport::Row &row = rows[k.second];
        row.target = k.second;
        if (event == MessageEvent::Delivered) {
            ++row.delivered;
            ++report.delivered;
        } else if (event == MessageEvent::Deferred) {
            ++row.deferred;
            ++report.deferred;
        } else {
            ++row.bounced;
            ++report.bounced;
        }
    }
    report.rows = rows.values();
    return R::success(report);
}

Result<QList<WaveStore::Due>> WaveStore::due(const QDateTime &now) const
{
    using R = Result<QList<Due>>;
    const std::optional<qint64> g = m_config.activeGeneration();
    if (!g)
        return R::success({});
    if (!m_cachedGeneration || *m_cachedGeneration != *g) {
        const Result<ConfigData> c = m_config.generationConfig(*g);
        if (!c)
            return R::failure(c.error);
        m_cachedWaves = c->waves;
        m_cachedGeneration = *g;
    }
    QList<Due> out;
    const QSqlDatabase db = m_config.connection();
    for (const Wave &w : std::as_const(m_cachedWaves)) {
        QString error;
        const WaveStatus st = readWaveStatus(db, w.name, &error).value_or(WaveStatus{});
        if (!error.isEmpty())
            return R::failure(error);
        if (waveStateIsPending(st.state)) {
            if (now >= w.at) {
                if (st.state != WaveState::Held || w.applyAnyway)
                    out.append({w.name, Action::Apply, w.at});
            } else if (now >= w.at.addSecs(-3600)) {
                if (!st.checked1h)
                    out.append({w.name, Action::Check1h, w.at.addSecs(-3600)});
            } else if (now >= w.at.addSecs(-86400) && !st.checked24h) {
                out.append({w.name, Action::Check24h, w.at.addSecs(-86400)});
            }
        } else if (st.state == WaveState::Active && w.expire.isValid() && now >= w.expire) {
            out.append({w.name, Action::Expire, w.expire});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Due &a, const Due &b) {
        if (a.when != b.when)
            return a.when < b.when;
        return a.name < b.name;
    });
    return R::success(out);
}

} // namespace mailroute
