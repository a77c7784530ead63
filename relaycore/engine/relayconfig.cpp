#include "relaycore/engine/relayconfig.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/relayhostname.h"
#include "relaycore/routing/settingkeys.h"

namespace mailroute {

namespace {

class SettingReader
{
public:
    explicit SettingReader(const QMap<QString, QString> &explicitValues) : m_values(explicitValues) {}

    // The generation's value, else the schema default; re-validated so a
    // generation written by an older build cannot smuggle in a bad value.
    Result<QString> text(const QString &key) const
    {
        const SettingDef *def = SettingsSchema::find(key);
        if (!def)
            return Result<QString>::failure(QStringLiteral("unknown setting '%1'").arg(key));
        const auto it = m_values.constFind(key);
        if (it == m_values.constEnd())
            return Result<QString>::success(def->defaultValue);
        return SettingsSchema::validate(key, it.value());
    }

private:
    const QMap<QString, QString> &m_values;
};

} // namespace

Result<std::shared_ptr<const RelayConfig>> RelayConfig::build(const ConfigData &config, qint64 generation)
{
    using R = Result<std::shared_ptr<const RelayConfig>>;
    auto rc = std::make_shared<RelayConfig>();
    rc->generation = generation;
    const SettingReader settings(config.settings);
    QString firstError;
    auto get = [&](const QString &key) -> QString {
        const auto v = settings.text(key);
        if (!v.ok()) {
            if (firstError.isEmpty())
                firstError = v.error;
            return {};
        }
        return *v;
    };
    auto integer = [&](const QString &key) { return SettingsSchema::toInteger(get(key)); };

    rc->hostName = effectiveRelayHostName(get(SettingKey::relayHostname()));
    rc->hostNameWarning = relayHostNameWarning(get(SettingKey::relayHostname()));
    const auto listen = parseHostPort(get(SettingKey::relayListen()));
    if (!listen.ok())
        return R::failure(QStringLiteral("relay.listen: %1").arg(listen.error));
    rc->listenHost = listen->host;
    rc->listenPort = listen->portOr(25);
    rc->postmaster = get(SettingKey::relayPostmaster());
    rc->maxHops = static_cast<int>(integer(SettingKey::relayMaxHops()));
    const QString recipientHeaders = get(SettingKey::rewriteRecipientHeaders());
    rc->recipientHeaders = recipientHeaders == u"always"  ? RecipientHeaderRewrite::Always
                           : recipientHeaders == u"never" ? RecipientHeaderRewrite::Never
                                                          : RecipientHeaderRewrite::Unsigned;
    rc->rewriteSenderHeaders = get(SettingKey::rewriteSenderHeaders()) != u"no";
    rc->dmarcReject = get(SettingKey::authDmarcReject()) == u"yes";
    for (const QString &item : SettingsSchema::toList(get(SettingKey::outboundAllowedClients()))) {
        const auto subnet = QHostAddress::parseSubnet(
            item.contains(QLatin1Char('/'))
                ? item
                : item + (item.contains(QLatin1Char(':')) ? QStringLiteral("/128") : QStringLiteral("/32")));
        if (subnet.first.isNull())
            return R::failure(QStringLiteral("outbound.allowed_clients: bad network '%1'").arg(item));
        rc->allowedClients << subnet;
    }
    rc->smartHost = get(SettingKey::deliverySmarthost());
    for (const TransportRoute &route : config.routes) {
        rc->routes.insert(route.domain, route.nextHop);
        if (route.tls)
            rc->routeTls.insert(route.domain, *route.tls);
    }
    for (const DkimKey &key : config.dkimKeys) {
        if (key.state == DkimKeyState::Active)
            rc->dkimSigningKeys.insert(key.domain, key);
    }
    rc->arcDomain = get(SettingKey::arcDomain()).toLower();
    const QString arcSeal = get(SettingKey::arcSeal());
    rc->arcSeal = arcSeal == u"always" ? RelayConfig::ArcSeal::Always
                  : arcSeal == u"off"  ? RelayConfig::ArcSeal::Off
                                       : RelayConfig::ArcSeal::Modified;
    // Validated values, so the fallbacks never apply.
    rc->defaultTls = parseTlsPolicy(get(SettingKey::deliveryTlsPolicy())).value_or(TlsPolicy::May);
    rc->smarthostTls = parseTlsPolicy(get(SettingKey::deliverySmarthostTls())).value_or(TlsPolicy::May);
    rc->smarthostUser = get(SettingKey::smarthostUsername());
    const QString caFile = get(SettingKey::deliveryTlsCaFile());
    if (!caFile.isEmpty()) {
        rc->tlsCaCertificates = QSslCertificate::fromPath(caFile, QSsl::Pem);
        if (rc->tlsCaCertificates.isEmpty())
            return R::failure(
                QStringLiteral("delivery.tls_ca_file: no PEM certificate could be read from %1").arg(caFile));
    }
    rc->retrySchedule = SettingsSchema::toDurationList(get(SettingKey::retrySchedule()));
    rc->retryMinBackoffSecs = integer(SettingKey::retryMinBackoff());
    rc->delayWarningSecs = integer(SettingKey::retryDelayWarning());
    rc->holdMaxSecs = integer(SettingKey::retryHoldMax());
    rc->logRetentionDays = static_cast<int>(integer(SettingKey::logRetentionDays()));
    rc->concurrencyPerDestination =
        static_cast<int>(integer(SettingKey::deliveryConcurrencyPerDestination()));
    SessionLimits &session = rc->limits.session;
    session.messageSize = integer(SettingKey::limitsMessageSize());
    session.recipients = static_cast<int>(integer(SettingKey::limitsRecipients()));
    session.commandLine = static_cast<int>(integer(SettingKey::limitsCommandLine()));
    session.textLine = static_cast<int>(integer(SettingKey::limitsTextLine()));
    session.commandTimeout = std::chrono::seconds(integer(SettingKey::limitsCommandTimeout()));
    session.dataTimeout = std::chrono::seconds(integer(SettingKey::limitsDataTimeout()));
    session.errors = static_cast<int>(integer(SettingKey::limitsErrors()));
    session.junkCommands = static_cast<int>(integer(SettingKey::limitsJunkCommands()));
    rc->limits.sessions = static_cast<int>(integer(SettingKey::limitsSessions()));
    rc->limits.sessionsPerIp = static_cast<int>(integer(SettingKey::limitsSessionsPerIp()));
    rc->tlsCertificate = get(SettingKey::tlsCertificate());
    rc->tlsKey = get(SettingKey::tlsKey());
    rc->tlsRequiredBeforeMail = get(SettingKey::tlsRequiredBeforeMail());
    rc->stopTimeoutSecs = static_cast<int>(integer(SettingKey::relayStopTimeout()));
    const QString confirmations = get(SettingKey::relayConfirmations());
    rc->confirmations = confirmations == QLatin1String("on") ||
                        (confirmations == QLatin1String("auto") && !rc->postmaster.isEmpty());
    rc->verifyRecipients = get(SettingKey::verifyRecipients()) != QLatin1String("off");
    rc->verifyExcludedDomains = SettingsSchema::toList(get(SettingKey::verifyExcludeDomains()));
    rc->verifyPositiveTtlSecs = integer(SettingKey::verifyPositiveTtl());
    rc->verifyNegativeTtlSecs = integer(SettingKey::verifyNegativeTtl());
    rc->verifyConcurrency = static_cast<int>(integer(SettingKey::verifyConcurrency()));
    rc->verifySender = get(SettingKey::relayVerifySender());
    if (!firstError.isEmpty())
        return R::failure(firstError);

    rc->routing = RoutingSnapshot::compile(config, generation);
    return R::success(std::move(rc));
}

} // namespace mailroute
