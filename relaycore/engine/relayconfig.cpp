#include "relaycore/engine/relayconfig.h"

#include "relaycore/config/settingsschema.h"

#include <QSysInfo>

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

Result<QPair<QString, quint16>> splitHostPort(const QString &text, quint16 defaultPort)
{
    using R = Result<QPair<QString, quint16>>;
    QString host = text.trimmed();
    quint16 port = defaultPort;
    QString portText;
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype close = host.indexOf(QLatin1Char(']'));
        if (close < 0)
            return R::failure(QStringLiteral("'%1': missing ']'").arg(text));
        const QString rest = host.mid(close + 1);
        host = host.mid(1, close - 1);
        if (rest.startsWith(QLatin1Char(':')))
            portText = rest.mid(1);
        else if (!rest.isEmpty())
            return R::failure(QStringLiteral("'%1': unexpected text after ']'").arg(text));
    } else if (host.count(QLatin1Char(':')) == 1) {
        const qsizetype colon = host.indexOf(QLatin1Char(':'));
        portText = host.mid(colon + 1);
        host.truncate(colon);
    }
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint p = portText.toUInt(&ok);
        if (!ok || p == 0 || p > 65535)
            return R::failure(QStringLiteral("'%1': port must be 1..65535").arg(text));
        port = static_cast<quint16>(p);
    }
    if (host.isEmpty())
        return R::failure(QStringLiteral("'%1': no host").arg(text));
    return R::success({host, port});
}

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

    rc->hostName = get("relay.hostname");
    if (rc->hostName.isEmpty())
        rc->hostName = QSysInfo::machineHostName();
    const auto listen = splitHostPort(get("relay.listen"), 25);
    if (!listen.ok())
        return R::failure(QStringLiteral("relay.listen: %1").arg(listen.error));
    rc->listenHost = listen->first;
    rc->listenPort = listen->second;
    rc->postmaster = get("relay.postmaster");
    rc->maxHops = static_cast<int>(integer("relay.max_hops"));
    rc->rewriteHeaders = SettingsSchema::toBool(get("rewrite.headers"));
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
    for (const TransportRoute &route : config.routes)
        rc->routes.insert(route.domain, route.nextHop);
    rc->retrySchedule = SettingsSchema::toDurationList(get("retry.schedule"));
    rc->concurrencyPerDestination = static_cast<int>(integer("delivery.concurrency_per_destination"));
    rc->limits.messageSize = integer("limits.message_size");
    rc->limits.recipients = static_cast<int>(integer("limits.recipients"));
    rc->limits.commandLine = static_cast<int>(integer("limits.command_line"));
    rc->limits.textLine = static_cast<int>(integer("limits.text_line"));
    rc->limits.sessions = static_cast<int>(integer("limits.sessions"));
    rc->limits.sessionsPerIp = static_cast<int>(integer("limits.sessions_per_ip"));
    rc->limits.commandTimeoutSecs = static_cast<int>(integer("limits.command_timeout"));
    rc->limits.dataTimeoutSecs = static_cast<int>(integer("limits.data_timeout"));
    rc->limits.errors = static_cast<int>(integer("limits.errors"));
    rc->tlsCertificate = get("tls.certificate");
    rc->tlsKey = get("tls.key");
    if (!firstError.isEmpty())
        return R::failure(firstError);

    rc->routing = RoutingSnapshot::compile(config, generation);
    return R::success(std::move(rc));
}

} // namespace mailroute
