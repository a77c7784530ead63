// mailroutectl settings and routes (docs/behaviour.md "The command line
// (mailroutectl)"): the relay settings, validated on entry, and the next hop
// per recipient domain. --json of the listings as ctl_json.h describes.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_json.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/store/configstore.h"

using namespace Qt::StringLiterals;

namespace mailroute {

int CtlApp::settingsList()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const SettingDef &def : SettingsSchema::all())
            list.add(QJsonObject{{u"key"_s, def.key},
                                 {u"value"_s, m_store->setting(def.key)},
                                 {u"default"_s, def.defaultValue}});
        return kExitOk;
    }
    for (const SettingDef &def : SettingsSchema::all())
        m_out << def.key << '\t' << m_store->setting(def.key) << '\n';
    return kExitOk;
}

int CtlApp::settingsGet()
{
    if (!SettingsSchema::find(m_positionals.at(0)))
        return fail(SettingsSchema::validate(m_positionals.at(0), QString()).error);
    if (!openStore())
        return kExitError;
    m_out << m_store->setting(m_positionals.at(0)) << '\n';
    return kExitOk;
}

int CtlApp::settingsSet()
{
    return exitFor(m_store->setSetting(m_positionals.at(0), m_positionals.at(1)));
}

int CtlApp::settingsReset()
{
    return exitFor(m_store->resetSetting(m_positionals.at(0)));
}

int CtlApp::routesList()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const TransportRoute &r : m_store->routes())
            list.add(QJsonObject{{u"domain"_s, r.domain},
                                 {u"next_hop"_s, r.nextHop},
                                 {u"tls"_s, r.tls ? QJsonValue(tlsPolicyName(*r.tls)) : QJsonValue()}});
        return kExitOk;
    }
    for (const TransportRoute &r : m_store->routes())
        m_out << r.domain << '\t' << r.nextHop << '\t'
              << (r.tls ? tlsPolicyName(*r.tls) : QStringLiteral("default")) << '\n';
    return kExitOk;
}

int CtlApp::routesSet()
{
    std::optional<TlsPolicy> tls;
    if (m_args.hasValue(QStringLiteral("tls"))) {
        tls = parseTlsPolicy(m_args.value(QStringLiteral("tls")));
        if (!tls)
            return usage(QStringLiteral("--tls must be may, encrypt or verify, got '%1'")
                             .arg(m_args.value(QStringLiteral("tls"))),
                         m_command);
    }
    return exitFor(m_store->setRoute(m_positionals.at(0), m_positionals.at(1), tls));
}

int CtlApp::routesRemove()
{
    return exitFor(m_store->removeRoute(m_positionals.at(0)));
}

} // namespace mailroute
