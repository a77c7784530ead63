#include "relaycore/readiness/readinessplan.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"

#include <QMap>

#include <algorithm>

namespace mailroute {

Result<ReadinessPlan> ReadinessPlan::fromConfig(const ConfigData &config)
{
    // RelayConfig reads the settings the relay runs with, defaults included;
    // without the mappings, so no routing snapshot is compiled for nothing.
    ConfigData settingsOnly;
    settingsOnly.settings = config.settings;
    settingsOnly.routes = config.routes;
    const auto rc = RelayConfig::build(settingsOnly, 0);
    if (!rc.ok())
        return Result<ReadinessPlan>::failure(rc.error);
    ReadinessPlan plan;
    plan.relay.hostname = (*rc)->hostName;
    plan.relay.port = (*rc)->listenPort;
    plan.relay.tls = !(*rc)->tlsCertificate.isEmpty();
    plan.postmaster = (*rc)->postmaster;
    plan.relay.postmaster = plan.postmaster;
    if (!(*rc)->hostNameWarning.isEmpty())
        plan.findings.append(
            {ReadinessStatus::Warning, QStringLiteral("HOSTNAME"), (*rc)->hostNameWarning,
             QStringLiteral("Set relay.hostname to the name your MX records point at (and that "
                            "resolves to this relay's public address), then push.")});
    const QString key = SettingKey::relayPublicAddress();
    const SettingDef *def = SettingsSchema::find(key);
    const QString publicAddress = config.settings.value(key, def ? def->defaultValue : QString());
    for (const QString &item : SettingsSchema::toList(publicAddress)) {
        const bool network = item.contains(QLatin1Char('/'));
        const auto subnet = QHostAddress::parseSubnet(
            network
                ? item
                : item + (item.contains(QLatin1Char(':')) ? QStringLiteral("/128") : QStringLiteral("/32")));
        if (subnet.first.isNull())
            return Result<ReadinessPlan>::failure(
                QStringLiteral("relay.public_address: bad address '%1'").arg(item));
        plan.relay.addresses.append({subnet.first, subnet.second});
    }
    plan.relay.addressesFromSetting = !plan.relay.addresses.isEmpty();

    // Mail for Relay and Inbound sources arrives here (MX); mail from Outbound
    // domains, rewritten or not, leaves from here (SPF).
    QMap<QString, DomainCheck> domains;
    auto add = [&](const QString &domain, bool mx, bool spf) {
        auto it = domains.find(domain);
        if (it == domains.end()) {
            domains.insert(domain, DomainCheck{domain, mx, spf});
            return;
        }
        it->mx = it->mx || mx;
        it->spf = it->spf || spf;
    };
    for (Area area : {Area::Relay, Area::Inbound}) {
        for (const DomainMapping &m : config.area(area).domains)
            add(m.source, true, false);
    }
    // Outbound rewrites senders to the targets: mail leaves with their domains.
    // Its DKIM signature and SPF must pass DMARC there: per target domain its
    // keys and, for the DMARC preview, the rules that rewrite to it.
    QMap<QString, int> userRules;
    for (const DomainMapping &m : config.area(Area::Outbound).domains) {
        add(m.target, false, true);
        domains[m.target].auth = true;
        domains[m.target].outboundRules << QLatin1Char('@') + m.source;
    }
    for (const UserMapping &u : config.area(Area::Outbound).users) {
        const QString target = u.target.section(QLatin1Char('@'), -1);
        add(target, false, true);
        domains[target].auth = true;
        ++userRules[target];
    }
    for (auto it = userRules.cbegin(); it != userRules.cend(); ++it)
        domains[it.key()].outboundRules
            << (it.value() == 1 ? QStringLiteral("1 user rule")
                                : QStringLiteral("%1 user rules").arg(it.value()));
    // arc.domain: the key that seals must be published like any DKIM key.
    if (!(*rc)->arcDomain.isEmpty()) {
        add((*rc)->arcDomain, false, false);
        domains[(*rc)->arcDomain].arc = true;
    }
    for (const DkimKey &k : config.dkimKeys) {
        auto it = domains.find(k.domain);
        if (it != domains.end() && (it->auth || it->arc) && k.state != DkimKeyState::Retired)
            it->dkimKeys << k;
    }
    plan.domains = domains.values();

    plan.defaultTls = (*rc)->defaultTls;
    plan.caCertificates = (*rc)->tlsCaCertificates;
    if (!(*rc)->smartHost.isEmpty())
        plan.hops.append({(*rc)->smartHost, QStringLiteral("smart host"), (*rc)->smarthostTls});
    QList<TransportRoute> routes = config.routes;
    std::sort(routes.begin(), routes.end(), [](const auto &a, const auto &b) { return a.domain < b.domain; });
    for (const TransportRoute &r : routes)
        plan.hops.append(
            {r.nextHop, QStringLiteral("route for %1").arg(r.domain), r.tls.value_or((*rc)->defaultTls)});
    return Result<ReadinessPlan>::success(std::move(plan));
}

Result<QList<DomainCheck>> ReadinessPlan::domainsFromArguments(const QStringList &domains)
{
    QList<DomainCheck> out;
    for (const QString &text : domains) {
        const auto domain = normalizeDomain(text);
        if (!domain.ok())
            return Result<QList<DomainCheck>>::failure(
                QStringLiteral("invalid domain '%1': %2").arg(text, domain.error));
        out.append(DomainCheck{*domain, true, true});
    }
    return Result<QList<DomainCheck>>::success(std::move(out));
}

QList<DomainCheck> ReadinessPlan::withConfiguration(QList<DomainCheck> named) const
{
    for (DomainCheck &d : named) {
        for (const DomainCheck &c : domains) {
            if (c.domain == d.domain && (c.auth || c.arc)) {
                d.auth = c.auth;
                d.arc = c.arc;
                d.dkimKeys = c.dkimKeys;
                d.outboundRules = c.outboundRules;
            }
        }
    }
    return named;
}

} // namespace mailroute
