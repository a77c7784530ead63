// One name per setting key (docs/architecture.md "Where to change what"): the
// code reads and writes a setting as SettingKey::limitsErrors(), never by
// spelling its key, so a typo is a compile error and a renamed key changes
// one line. The settings table (relaycore/config/settingsschema.cpp) defines
// each setting under its name here. Tests keep the literal keys: they check
// the spelling an administrator types.
//
// Header-only and in relaycore/routing, the lowest library, so that every
// library may include it. Functions rather than namespace-scope QString
// objects: QStringLiteral builds its QString from static data without
// allocating, and no caller depends on static initialisation order.
// tests/setting_key_literals.sh fails when a key is spelt out in relaycore/,
// ui/ or app/ outside this file.
#pragma once

#include <QString>
#include <QStringList>

namespace mailroute {

struct SettingKey
{
    static QString relayHostname() { return QStringLiteral("relay.hostname"); }
    static QString relayListen() { return QStringLiteral("relay.listen"); }
    static QString relayPublicAddress() { return QStringLiteral("relay.public_address"); }
    static QString relayPostmaster() { return QStringLiteral("relay.postmaster"); }
    static QString relayMaxHops() { return QStringLiteral("relay.max_hops"); }
    static QString rewriteRecipientHeaders() { return QStringLiteral("rewrite.recipient_headers"); }
    static QString rewriteSenderHeaders() { return QStringLiteral("rewrite.sender_headers"); }
    static QString outboundAllowedClients() { return QStringLiteral("outbound.allowed_clients"); }
    static QString outboundAllowedSenders() { return QStringLiteral("outbound.allowed_senders"); }
    static QString deliverySmarthost() { return QStringLiteral("delivery.smarthost"); }
    static QString deliveryConcurrencyPerDestination()
    {
        return QStringLiteral("delivery.concurrency_per_destination");
    }
    static QString retrySchedule() { return QStringLiteral("retry.schedule"); }
    static QString retryMinBackoff() { return QStringLiteral("retry.min_backoff"); }
    static QString retryDelayWarning() { return QStringLiteral("retry.delay_warning"); }
    static QString retryHoldMax() { return QStringLiteral("retry.hold_max"); }
    static QString logRetentionDays() { return QStringLiteral("log.retention_days"); }
    static QString limitsMessageSize() { return QStringLiteral("limits.message_size"); }
    static QString limitsRecipients() { return QStringLiteral("limits.recipients"); }
    static QString limitsCommandLine() { return QStringLiteral("limits.command_line"); }
    static QString limitsTextLine() { return QStringLiteral("limits.text_line"); }
    static QString limitsSessions() { return QStringLiteral("limits.sessions"); }
    static QString limitsSessionsPerIp() { return QStringLiteral("limits.sessions_per_ip"); }
    static QString limitsCommandTimeout() { return QStringLiteral("limits.command_timeout"); }
    static QString limitsDataTimeout() { return QStringLiteral("limits.data_timeout"); }
    static QString limitsErrors() { return QStringLiteral("limits.errors"); }
    static QString limitsJunkCommands() { return QStringLiteral("limits.junk_commands"); }
    static QString tlsCertificate() { return QStringLiteral("tls.certificate"); }
    static QString tlsKey() { return QStringLiteral("tls.key"); }
    static QString tlsRequiredBeforeMail() { return QStringLiteral("tls.required_before_mail"); }
    static QString smarthostUsername() { return QStringLiteral("smarthost.username"); }
    static QString deliveryTlsPolicy() { return QStringLiteral("delivery.tls_policy"); }
    static QString deliverySmarthostTls() { return QStringLiteral("delivery.smarthost_tls"); }
    static QString deliveryTlsCaFile() { return QStringLiteral("delivery.tls_ca_file"); }
    static QString relayStopTimeout() { return QStringLiteral("relay.stop_timeout"); }
    static QString relayConfirmations() { return QStringLiteral("relay.confirmations"); }
    static QString authDmarcReject() { return QStringLiteral("auth.dmarc_reject"); }
    static QString arcDomain() { return QStringLiteral("arc.domain"); }
    static QString arcSeal() { return QStringLiteral("arc.seal"); }
    static QString verifyRecipients() { return QStringLiteral("verify.recipients"); }
    static QString verifyExcludeDomains() { return QStringLiteral("verify.exclude_domains"); }
    static QString verifyPositiveTtl() { return QStringLiteral("verify.positive_ttl"); }
    static QString verifyNegativeTtl() { return QStringLiteral("verify.negative_ttl"); }
    static QString verifyConcurrency() { return QStringLiteral("verify.concurrency"); }
    static QString relayVerifySender() { return QStringLiteral("relay.verify_sender"); }
    static QString wavesProbeRate() { return QStringLiteral("waves.probe_rate"); }

    // Every key above, in the order of the settings table; tst_settingsschema
    // checks that the table defines exactly these.
    static QStringList all()
    {
        return {
            relayHostname(),
            relayListen(),
            relayPublicAddress(),
            relayPostmaster(),
            relayMaxHops(),
            rewriteRecipientHeaders(),
            rewriteSenderHeaders(),
            outboundAllowedClients(),
            outboundAllowedSenders(),
            deliverySmarthost(),
            deliveryConcurrencyPerDestination(),
            retrySchedule(),
            retryMinBackoff(),
            retryDelayWarning(),
            retryHoldMax(),
            logRetentionDays(),
            limitsMessageSize(),
            limitsRecipients(),
            limitsCommandLine(),
            limitsTextLine(),
            limitsSessions(),
            limitsSessionsPerIp(),
            limitsCommandTimeout(),
            limitsDataTimeout(),
            limitsErrors(),
            limitsJunkCommands(),
            tlsCertificate(),
            tlsKey(),
            tlsRequiredBeforeMail(),
            smarthostUsername(),
            deliveryTlsPolicy(),
            deliverySmarthostTls(),
            deliveryTlsCaFile(),
            relayStopTimeout(),
            relayConfirmations(),
            authDmarcReject(),
            arcDomain(),
            arcSeal(),
            verifyRecipients(),
            verifyExcludeDomains(),
            verifyPositiveTtl(),
            verifyNegativeTtl(),
            verifyConcurrency(),
            relayVerifySender(),
            wavesProbeRate(),
        };
    }
};

} // namespace mailroute
