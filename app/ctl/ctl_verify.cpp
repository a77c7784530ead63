// mailroutectl verify ADDRESS [--pushed] | verify exclude|include DOMAIN |
// verify excluded (issue 18): recipient verification on demand and its
// per-domain exceptions. "verify ADDRESS" routes the address through the
// recipient rules (the draft, or the active generation with --pushed), asks
// the target's next hop (EHLO, MAIL FROM:<>, RCPT TO, QUIT; never DATA) and
// prints the verdict and the target's reply; nothing goes into the relay's
// cache. Exit status 0 when the target accepts, 1 when it refuses or cannot
// tell, 2 for usage errors. The exceptions are the draft's
// verify.exclude_domains setting (a push activates them).
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/dns/nameserver.h"
#include "relaycore/engine/recipientcheck.h"
#include "relaycore/readiness/catchallcheck.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/configstore.h"

#include <QEventLoop>

namespace mailroute {

// Before the dispatcher looks at verify's word (ctl_verbs.cpp): -1 to go on.
int CtlApp::verifyWords()
{
    const QString first = m_positionals.value(0);
    if (first.isEmpty())
        return usage(QStringLiteral("verify needs an ADDRESS, or exclude, include, excluded or targets"),
                     m_command);
    const bool json = m_args.has(QStringLiteral("json"));
    if (json && first != QLatin1String("excluded") && first != QLatin1String("targets"))
        return usage(QStringLiteral("--json goes with 'verify excluded' and 'verify targets'"), m_command);
    return -1;
}

int CtlApp::cmdVerify()
{
    // m_verb: exclude, include, excluded, targets, or none for ADDRESS; its
    // arguments and, for excluded and targets, the store: the dispatcher's.
    const QString first = m_verb.isEmpty() ? m_positionals.at(0) : m_verb;
    const QString key = SettingKey::verifyExcludeDomains();
    const bool json = m_args.has(QStringLiteral("json"));
    if (first == QLatin1String("excluded")) {
        std::optional<JsonList> list;
        if (json)
            list.emplace(m_out);
        for (const QString &d : SettingsSchema::toList(m_store->setting(key))) {
            if (list)
                list->add(QJsonObject{{QStringLiteral("domain"), d}});
            else
                m_out << d << '\n';
        }
        return kExitOk;
    }
    if (first == QLatin1String("targets")) {
        // The readiness check: does each target refuse an address nobody has?
        std::optional<ConfigData> chosen = draftOrPushed();
        if (!chosen)
            return kExitError;
        const ConfigData &config = *chosen;
        RecipientCheckRun::Options options;
        options.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
        CatchAllCheck check(options);
        QEventLoop loop;
        QList<CatchAllResult> results;
        QObject::connect(&check, &CatchAllCheck::finished, &loop, [&](const QList<CatchAllResult> &r) {
            results = r;
            loop.quit();
        });
        check.start(config);
        loop.exec();
        if (results.isEmpty())
            return fail(QStringLiteral("no Inbound or Relay rules: no targets to check"));
        bool warned = false;
        std::optional<JsonList> list;
        if (json)
            list.emplace(m_out);
        for (const CatchAllResult &r : results) {
            warned = warned || r.status != ReadinessStatus::Ok;
            if (list) {
                list->add(QJsonObject{
                    {QStringLiteral("domain"), r.domain},
                    {QStringLiteral("status"), readinessStatusName(r.status)},
                    {QStringLiteral("verdict"), r.verdict},
                    {QStringLiteral("excluded"), r.excluded},
                    {QStringLiteral("server"), r.server.isEmpty() ? QJsonValue() : QJsonValue(r.server)},
                    {QStringLiteral("reply"), r.reply}});
                continue;
            }
            m_out << r.domain << '\t' << readinessStatusName(r.status) << '\t' << r.verdict
                  << (r.excluded ? QStringLiteral(" (excluded)") : QString()) << '\t'
                  << (r.server.isEmpty() ? QStringLiteral("-") : r.server) << '\t' << r.reply << '\n';
        }
        return warned ? kExitError : kExitOk;
    }
    if (first == QLatin1String("exclude") || first == QLatin1String("include")) {
        // Normalised like the setting (ACE, lower case); a bad domain changes nothing.
        QString given = m_positionals.at(0).trimmed();
        if (given.startsWith(QLatin1Char('@')))
            given = given.mid(1);
        const auto one = SettingsSchema::validate(key, given);
        if (!one.ok() || one->isEmpty() || SettingsSchema::toList(*one).size() != 1)
            return usage(one.ok() ? QStringLiteral("give one domain, got '%1'").arg(m_positionals.at(0))
                                  : one.error,
                         m_command);
        const QString domain = SettingsSchema::toList(*one).first();
        if (!openStore())
            return kExitError;
        QStringList list = SettingsSchema::toList(m_store->setting(key));
        if (first == QLatin1String("exclude")) {
            if (list.contains(domain)) {
                m_out << domain << " is already excluded\n";
                return kExitOk;
            }
            list << domain;
        } else {
            if (!list.removeAll(domain))
                return fail(QStringLiteral("%1 is not excluded from recipient verification").arg(domain));
        }
        if (list.isEmpty())
            return exitFor(m_store->resetSetting(key));
        return exitFor(m_store->setSetting(key, list.join(QStringLiteral(", "))));
    }

    if (const auto a = parseMailbox(first); !a.ok())
        return usage(QStringLiteral("invalid address '%1': %2").arg(first, a.error), m_command);
    const QString nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!nameserver.isEmpty()) {
        if (const auto ns = NameServer::parse(nameserver); !ns.ok())
            return fail(QStringLiteral("MAILROUTE_NAMESERVER: %1").arg(ns.error));
    }
    if (!openStore())
        return kExitError;
    ConfigData config;
    if (m_args.has(QStringLiteral("pushed"))) {
        const auto active = m_store->activeGeneration();
        if (!active)
            return fail(QStringLiteral("nothing has been pushed yet"));
        auto cfg = m_store->generationConfig(*active);
        if (!cfg.ok())
            return fail(cfg.error);
        config = std::move(*cfg);
    } else {
        config = m_store->draft();
    }
    RecipientCheckRun::Options options;
    options.nameserver = nameserver;
    RecipientCheckRun run(options);
    QEventLoop loop;
    RecipientCheck check;
    QObject::connect(&run, &RecipientCheckRun::finished, &loop, [&](const RecipientCheck &c) {
        check = c;
        loop.quit();
    });
    run.start(config, first);
    loop.exec();
    if (!check.error.isEmpty())
        return fail(check.error);
    const VerifyOutcome &o = check.outcome;
    m_out << "address: " << check.recipient << '\n';
    m_out << "target:  " << check.target << " ("
          << (check.area ? areaKey(*check.area) + QStringLiteral(" rule") : QStringLiteral("no rule"))
          << ")\n";
    m_out << "server:  " << (o.nextHop.isEmpty() ? QStringLiteral("-") : o.nextHop) << '\n';
    m_out << "verdict: " << o.verdictName() << '\n';
    m_out << "reply:   " << o.targetReply << '\n';
    // What a client outside outbound.allowed_clients gets at RCPT.
    QString relay;
    if (!check.area)
        relay = QStringLiteral("not verified: no Inbound or Relay rule matches");
    else if (!check.enabled)
        relay = QStringLiteral("not verified: verify.recipients is off");
    else if (check.excluded)
        relay = QStringLiteral("not verified: the domain is excluded (verify.exclude_domains)");
    else
        relay = QString::fromUtf8(o.clientReply(check.recipient).toWire().trimmed());
    m_out << "relay:   " << relay << '\n';
    return o.verdict == VerifyOutcome::Verdict::Accepted || o.verdict == VerifyOutcome::Verdict::Unchecked
               ? kExitOk
               : kExitError;
}

} // namespace mailroute
