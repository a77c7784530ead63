#include "relaycore/engine/relayconfig.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/relayhostname.h"


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
    auto get = [&](const char *key) -> QString {
        const auto v = settings.text(QString::fromLatin1(key));
        if (!v.ok()) {
            if (firstError.isEmpty())
                firstError = v.error;
            return {};
        }
        return *v;
    };
    auto integer = [&](const char *key) { return SettingsSchema::toInteger(get(key)); };

    rc->hostName = effectiveRelayHostName(get("relay.hostname"));
    rc->hostNameWarning = relayHostNameWarning(get("relay.hostname"));
    const auto listen = parseHostPort(get("relay.listen"));
    if (!listen.ok())
        return R::failure(QStringLiteral("relay.listen: %1").arg(listen.error));
    rc->listenHost = listen->host;
    rc->listenPort = listen->portOr(25);
    rc->postmaster = get("relay.postmaster");
    rc->maxHops = static_cast<int>(integer("relay.max_hops"));
    const QString recipientHeaders = get("rewrite.recipient_headers");
    rc->recipientHeaders = recipientHeaders == u"always"  ? RecipientHeaderRewrite::Always
                           : recipientHeaders == u"never" ? RecipientHeaderRewrite::Never
                                                          : RecipientHeaderRewrite::Unsigned;
    rc->rewriteSenderHeaders = get("rewrite.sender_headers") != u"no";
    rc->dmarcReject = get("auth.dmarc_reject") == u"yes";
    for (const QString &item : SettingsSchema::toList(get("outbound.allowed_clients"))) {
        const auto subnet = QHostAddress::parseSubnet(item.contains(QLatin1Char('/')) ? item
                                                      : item + (item.contains(QLatin1Char(':'))
                                                                    ? QStringLiteral("/128")
                                                                    : QStringLiteral("/32")));
        if (subnet.first.isNull())
            return R::failure(QStringLiteral("outbound.allowed_clients: bad network '%1'").arg(item));
        rc->allowedClients << subnet;
    }
    rc->smartHost = get("delivery.smarthost");
    for (const TransportRoute &route : config.routes) {
        rc->routes.insert(route.domain, route.nextHop);
        if (route.tls)
            rc->routeTls.insert(route.domain, *route.tls);
    }
    for (const DkimKey &key : config.dkimKeys) {
        if (key.state == DkimKeyState::Active)
            rc->dkimSigningKeys.insert(key.domain, key);
    }
    rc->arcDomain = get("arc.domain").toLower();
    const QString arcSeal = get("arc.seal");
    rc->arcSeal = arcSeal == u"always" ? RelayConfig::ArcSeal::Always
                  : arcSeal == u"off"  ? RelayConfig::ArcSeal::Off
                                       : RelayConfig::ArcSeal::Modified;
    // Validated values, so the fallbacks never apply.
    rc->defaultTls = parseTlsPolicy(get("delivery.tls_policy")).value_or(TlsPolicy::May);
    rc->smarthostTls = parseTlsPolicy(get("delivery.smarthost_tls")).value_or(TlsPolicy::May);
    rc->smarthostUser = get("smarthost.username");
    const QString caFile = get("delivery.tls_ca_file");
    if (!caFile.isEmpty()) {
        rc->tlsCaCertificates = QSslCertificate::fromPath(caFile, QSsl::Pem);
        if (rc->tlsCaCertificates.isEmpty())
            return R::failure(
                QStringLiteral("delivery.tls_ca_file: no PEM certificate could be read from %1").arg(caFile));
    }
    rc->retrySchedule = SettingsSchema::toDurationList(get("retry.schedule"));
    rc->retryMinBackoffSecs = integer("retry.min_backoff");
    rc->delayWarningSecs = integer("retry.delay_warning");
    rc->holdMaxSecs = integer("retry.hold_max");
    rc->logRetentionDays = static_cast<int>(integer("log.retention_days"));
    rc->concurrencyPerDestination = static_cast<int>(integer("delivery.concurrency_per_destination"));
    SessionLimits &session = rc->limits.session;
    session.messageSize = integer("limits.message_size");
    session.recipients = static_cast<int>(integer("limits.recipients"));
    session.commandLine = static_cast<int>(integer("limits.command_line"));
    session.textLine = static_cast<int>(integer("limits.text_line"));
    session.commandTimeout = std::chrono::seconds(integer("limits.command_timeout"));
    session.dataTimeout = std::chrono::seconds(integer("limits.data_timeout"));
    session.errors = static_cast<int>(integer("limits.errors"));
    session.junkCommands = static_cast<int>(integer("limits.junk_commands"));
    rc->limits.sessions = static_cast<int>(integer("limits.sessions"));
    rc->limits.sessionsPerIp = static_cast<int>(integer("limits.sessions_per_ip"));
    rc->tlsCertificate = get("tls.certificate");
    rc->tlsKey = get("tls.key");
    rc->tlsRequiredBeforeMail = get("tls.required_before_mail");
    rc->stopTimeoutSecs = static_cast<int>(integer("relay.stop_timeout"));
    const QString confirmations = get("relay.confirmations");
    rc->confirmations = confirmations == QLatin1String("on")
        || (confirmations == QLatin1String("auto") && !rc->postmaster.isEmpty());
    rc->verifyRecipients = get("verify.recipients") != QLatin1String("off");
    rc->verifyExcludedDomains = SettingsSchema::toList(get("verify.exclude_domains"));
    rc->verifyPositiveTtlSecs = integer("verify.positive_ttl");
    rc->verifyNegativeTtlSecs = integer("verify.negative_ttl");
    rc->verifyConcurrency = static_cast<int>(integer("verify.concurrency"));
    rc->verifySender = get("relay.verify_sender");
    if (!firstError.isEmpty())
        return R::failure(firstError);

    rc->routing = RoutingSnapshot::compile(config, generation);
    return R::success(std::move(rc));
}

} // namespace mailroute
