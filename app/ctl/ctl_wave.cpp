// mailroutectl wave create|list|show|check|apply|cancel|remove (issue 15):
// migration waves. A wave is part of the draft (create, remove; a push makes
// it count); the relay that runs the configuration applies it at its time
// (WaveScheduler). check, apply and cancel act at once on a pushed wave, as
// the console's buttons do. Times print in local time with their offset;
// they are stored in UTC.
#include "app/ctl/ctl_json.h"
#include "app/ctl/ctlapp.h"

#include "relaycore/csv/wavefile.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/wavestore.h"
#include "relaycore/waves/wavechecker.h"

#include <QEventLoop>
#include <QFile>

namespace mailroute {

namespace {

QString localIso(const QDateTime &utc)
{
    // Local time with its offset, so the text is unambiguous (and parses back).
    return utc.isValid() ? utc.toOffsetFromUtc(utc.toLocalTime().offsetFromUtc()).toString(Qt::ISODate)
                         : QStringLiteral("-");
}

} // namespace

// Before the dispatcher looks at wave's word (ctl_verbs.cpp): --json and the
// options of `create`; -1 to go on.
int CtlApp::waveOptions()
{
    const QString verb = m_positionals.value(0);
    if (m_args.has(QStringLiteral("json")) && verb != QLatin1String("list"))
        return usage(QStringLiteral("--json goes with wave list"), m_command);
    // Options that belong to `create` only.
    if (verb != QLatin1String("create")) {
        for (const char *o : {"at", "expire", "target-domain", "with-outbound", "apply-anyway", "area"}) {
            if (m_args.has(QString::fromLatin1(o)) || m_args.hasValue(QString::fromLatin1(o)))
                return usage(QStringLiteral("--%1 goes with wave create").arg(QString::fromLatin1(o)),
                             m_command);
        }
    }
    return -1;
}

int CtlApp::waveList()
{
    WaveStore store(*m_store);
    const auto all = store.list();
    if (!all)
        return fail(all.error);
    if (m_args.has(QStringLiteral("json"))) {
        // The --json convention of the listings (ctl_json.h): one
        // object per line of the text output.
        auto utc = [](const QDateTime &t) {
            return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue();
        };
        JsonList list(m_out);
        for (const WaveInfo &w : *all)
            list.add(QJsonObject{{QStringLiteral("name"), w.wave.name},
                                 {QStringLiteral("area"), areaKey(w.wave.area)},
                                 {QStringLiteral("at"), utc(w.wave.at)},
                                 {QStringLiteral("expire"), utc(w.wave.expire)},
                                 {QStringLiteral("state"), waveStateName(w.status.state)},
                                 {QStringLiteral("users"), int(w.wave.users.size())},
                                 {QStringLiteral("outbound"), int(w.wave.outbound.size())},
                                 {QStringLiteral("apply_anyway"), w.wave.applyAnyway},
                                 {QStringLiteral("pushed"), w.pushed},
                                 {QStringLiteral("in_draft"), w.inDraft}});
        list.finish();
        return kExitOk;
    }
    for (const WaveInfo &w : *all)
        m_out << w.wave.name << '\t' << localIso(w.wave.at) << '\t' << waveStateName(w.status.state) << '\t'
              << w.wave.users.size() << '\n';
    return kExitOk;
}

int CtlApp::waveApply()
{
    WaveStore store(*m_store);
    const auto r =
        store.apply(m_positionals.at(0), QDateTime::currentDateTimeUtc(), QStringLiteral("on demand"));
    if (!r)
        return fail(r.error);
    m_out << "wave " << m_positionals.at(0) << " applied: generation " << r->generation << " is active\n";
    for (const QString &line : r->diff.toLines())
        m_out << "  " << line << '\n';
    return kExitOk;
}

int CtlApp::waveCancel()
{
    WaveStore store(*m_store);
    const auto r = store.cancel(m_positionals.at(0), QDateTime::currentDateTimeUtc());
    if (!r)
        return fail(r.error);
    if (*r > 0)
        m_out << "wave " << m_positionals.at(0) << " cancelled: its mappings are removed, generation " << *r
              << " is active\n";
    else
        m_out << "wave " << m_positionals.at(0) << " cancelled: it will not be applied\n";
    return kExitOk;
}

int CtlApp::waveRemove()
{
    return exitFor(m_store->removeWave(m_positionals.at(0)));
}

int CtlApp::waveCreate()
{
    const QString name = m_positionals.at(0);
    if (const auto e = waveNameError(name))
        return usage(*e, m_command);
    if (!m_args.hasValue(QStringLiteral("at")))
        return usage(QStringLiteral("wave create needs --at TIME"), m_command);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Wave wave;
    wave.name = name;
    const WaveTime at = parseWaveTime(m_args.value(QStringLiteral("at")), now);
    if (!at.value)
        return usage(QStringLiteral("--at: ") + at.error, m_command);
    wave.at = *at.value;
    if (m_args.hasValue(QStringLiteral("expire"))) {
        const WaveTime ex = parseWaveTime(m_args.value(QStringLiteral("expire")), now);
        if (!ex.value)
            return usage(QStringLiteral("--expire: ") + ex.error, m_command);
        wave.expire = *ex.value;
    }
    if (m_args.hasValue(QStringLiteral("area"))) {
        const auto area = areaFromKey(m_args.value(QStringLiteral("area")));
        if (!area || !areaHasUsers(*area))
            return usage(QStringLiteral("--area must be inbound or outbound, got '%1'")
                             .arg(m_args.value(QStringLiteral("area"))),
                         m_command);
        wave.area = *area;
    }
    wave.withOutbound = m_args.has(QStringLiteral("with-outbound"));
    wave.applyAnyway = m_args.has(QStringLiteral("apply-anyway"));
    if (wave.withOutbound && wave.area != Area::Inbound)
        return usage(QStringLiteral("--with-outbound goes with an Inbound wave"), m_command);
    if (wave.at <= now && !m_args.has(QStringLiteral("yes")))
        return usage(QStringLiteral("--at %1 has passed (add --yes to apply it at the next push)")
                         .arg(m_args.value(QStringLiteral("at"))),
                     m_command);
    QFile file(m_positionals.at(1));
    QByteArray data;
    if (m_positionals.at(1) == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read standard input"));
    } else if (!file.open(QIODevice::ReadOnly)) {
        return fail(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    }
    data = file.readAll();
    const auto mappings = parseWaveFile(data, m_args.value(QStringLiteral("target-domain")));
    if (!mappings) {
        for (const QString &line : mappings.error.split(QLatin1Char('\n')))
            m_err << file.fileName() << ": " << line << '\n';
        return fail(QStringLiteral("%1 refused; nothing changed").arg(file.fileName()));
    }
    wave.users = *mappings;
    if (wave.withOutbound) {
        const RoundTripCheck rt =
            checkRoundTrip(toUserMappings(wave.users), m_store->draft().area(Area::Outbound));
        wave.outbound = toWaveMappings(rt.inverses());
        for (const RoundTripConflict &c : rt.conflicts)
            m_err << "note: Outbound " << c.outbound.source << " -> " << c.outbound.target
                  << " stays; no inverse for " << c.inbound.source << " -> " << c.inbound.target << '\n';
        for (const RoundTripAmbiguity &a : rt.ambiguous)
            m_err << "note: " << a.sources.join(QStringLiteral(", ")) << " all go to " << a.target
                  << "; no inverse made for them\n";
    }
    if (const Status st = m_store->addWave(wave); !st)
        return fail(st.error + QStringLiteral("; nothing changed"));
    m_out << "wave " << name << ": " << wave.users.size() << ' ' << areaKey(wave.area) << " users";
    if (wave.withOutbound)
        m_out << " and " << wave.outbound.size() << " outbound inverses";
    m_out << " at " << localIso(wave.at);
    if (wave.expire.isValid())
        m_out << " until " << localIso(wave.expire);
    m_out << " (in the draft: push to schedule it)\n";
    return kExitOk;
}

int CtlApp::waveShow()
{
    WaveStore store(*m_store);
    const auto info = store.info(m_positionals.at(0));
    if (!info)
        return fail(info.error);
    const Wave &w = info->wave;
    const WaveStatus &s = info->status;
    m_out << "name:      " << w.name << '\n';
    m_out << "state:     " << waveStateName(s.state)
          << (info->pushed ? QString() : QStringLiteral(" (not pushed: push to schedule it)")) << '\n';
    m_out << "area:      " << areaKey(w.area) << '\n';
    m_out << "at:        " << localIso(w.at) << " (" << waveTimeIso(w.at) << ")\n";
    m_out << "expire:    "
          << (w.expire.isValid()
                  ? localIso(w.expire) + QStringLiteral(" (") + waveTimeIso(w.expire) + QLatin1Char(')')
                  : QStringLiteral("never"))
          << '\n';
    m_out << "users:     " << w.users.size() << '\n';
    m_out << "outbound:  "
          << (w.withOutbound ? QString::number(w.outbound.size()) + QStringLiteral(" inverses")
                             : QStringLiteral("no"))
          << '\n';
    m_out << "on failed check: " << (w.applyAnyway ? "apply anyway" : "hold") << '\n';
    if (!s.note.isEmpty())
        m_out << "note:      " << s.note << '\n';
    if (s.activatedAt.isValid())
        m_out << "activated: " << localIso(s.activatedAt) << " (generation " << s.activatedGeneration
              << ")\n";
    if (s.endedAt.isValid())
        m_out << "ended:     " << localIso(s.endedAt)
              << (s.endedGeneration > 0 ? QStringLiteral(" (generation %1)").arg(s.endedGeneration)
                                        : QString())
              << '\n';
    if (s.lastCheck) {
        m_out << "last check: " << s.lastCheck->trigger << ' ' << localIso(s.lastCheck->time) << ' '
              << (s.lastCheck->passed() ? "passed" : "FAILED") << '\n';
        for (const QString &line : s.lastCheck->lines())
            m_out << "  " << line << '\n';
    }
    m_out << "mappings:\n";
    for (const WaveMapping &m : w.users)
        m_out << "  " << areaKey(w.area) << ' ' << m.source << " -> " << m.target << '\n';
    for (const WaveMapping &m : w.outbound)
        m_out << "  outbound " << m.source << " -> " << m.target << '\n';
    if (s.activatedAt.isValid()) {
        const auto report = store.report(w.name, QDateTime::currentDateTimeUtc());
        if (report) {
            m_out << "first hour (" << localIso(report->from) << " to " << localIso(report->to)
                  << "): " << report->delivered << " delivered, " << report->deferred << " deferred, "
                  << report->bounced << " bounced\n";
            for (const WaveReport::Row &r : report->rows)
                m_out << "  " << r.target << '\t' << r.delivered << '\t' << r.deferred << '\t' << r.bounced
                      << '\n';
        }
    }
    return kExitOk;
}

int CtlApp::waveCheck()
{
    const QString name = m_positionals.at(0);
    WaveStore store(*m_store);
    const auto info = store.info(name);
    if (!info)
        return fail(info.error);
    const auto after = store.resultingConfig(name);
    if (!after)
        return fail(after.error);
    ConfigData before = m_store->draft();
    if (info->pushed) {
        if (const auto active = m_store->activeGeneration()) {
            if (auto c = m_store->generationConfig(*active))
                before = std::move(*c);
        }
    }
    WaveChecker::Options o;
    o.wave = info->wave;
    o.before = before;
    o.after = *after;
    o.trigger = QStringLiteral("on demand");
    o.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    WaveChecker checker;
    QEventLoop loop;
    WaveCheck check;
    QObject::connect(&checker, &WaveChecker::finished, &loop, [&](const WaveCheck &c) {
        check = c;
        loop.quit();
    });
    checker.start(o);
    loop.exec();
    if (info->pushed) {
        if (const auto st = store.recordCheck(name, check); !st)
            m_err << "warning: " << st.error << '\n';
        else if (st->state == WaveState::Held)
            m_out << "wave " << name << " is held: it will not be applied at its time\n";
    }
    for (const QString &line : check.lines())
        m_out << line << '\n';
    m_out << "wave " << name << " check " << (check.passed() ? "passed" : "FAILED") << '\n';
    return check.passed() ? kExitOk : kExitError;
}

} // namespace mailroute
