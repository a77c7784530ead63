// The relay's view of one pushed generation: the compiled routing snapshot
// plus every setting the engine uses, parsed once. Immutable and shared
// between threads as std::shared_ptr<const RelayConfig>; a session keeps the
// one it started with while a push swaps in the next
// (docs/behaviour.md "Draft, push and generations", hot push).
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/smtp/sessionlimits.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <memory>

namespace mailroute {

// rewrite.recipient_headers (docs/behaviour.md, "Header rewriting").
enum class RecipientHeaderRewrite {
    Unsigned, // only a field no valid DKIM signature of the sender covers; kept on doubt
    Always,   // every field, whatever that does to signatures
    Never,    // envelope only
};

struct RelayLimits
{
    // Each SMTP session's (limits.message_size, .recipients, .command_line,
    // .text_line, .command_timeout, .data_timeout, .errors, .junk_commands).
    SessionLimits session;
    int sessions = 200;     // limits.sessions
    int sessionsPerIp = 20; // limits.sessions_per_ip
};

struct RelayConfig
{
    qint64 generation = 0;
    std::shared_ptr<const RoutingSnapshot> routing;

    QString hostName; // relay.hostname, else effectiveRelayHostName() (relaycore/routing/relayhostname.h)
    QString hostNameWarning; // relayHostNameWarning(): empty, or why hostName was made up
    QString listenHost;      // relay.listen host part ("0.0.0.0", "::", "127.0.0.1")
    quint16 listenPort = 25;
    QString postmaster; // relay.postmaster (may be empty)
    int maxHops = 50;
    // rewrite.recipient_headers: To:/Cc: through the recipient rules.
    RecipientHeaderRewrite recipientHeaders = RecipientHeaderRewrite::Unsigned;
    bool rewriteSenderHeaders = true; // rewrite.sender_headers: From:/Sender:/Reply-To: through Outbound
    bool dmarcReject = false;         // auth.dmarc_reject: refuse p=reject failures at receipt
    QList<QPair<QHostAddress, int>> allowedClients; // outbound.allowed_clients
    QString smartHost;                              // delivery.smarthost ("" = DNS)
    QHash<QString, QString> routes;                 // recipient domain -> next hop
    // Outbound TLS (docs/behaviour.md "TLS"): routes with a policy of their
    // own, the policy for every other route and MX host, and the one for the
    // smart host.
    QHash<QString, TlsPolicy> routeTls;
    TlsPolicy defaultTls = TlsPolicy::May;    // delivery.tls_policy
    TlsPolicy smarthostTls = TlsPolicy::May;  // delivery.smarthost_tls
    QList<QSslCertificate> tlsCaCertificates; // delivery.tls_ca_file, for `verify`
    QString smarthostUser; // smarthost.username; its password is read from the keychain, never kept here
    QList<qint64> retrySchedule;     // seconds after the first attempt
    qint64 retryMinBackoffSecs = 60; // retry.min_backoff
    qint64 delayWarningSecs = 0;     // retry.delay_warning; 0: no delay notices
    qint64 holdMaxSecs = 5 * 86400;  // retry.hold_max
    int logRetentionDays = 30;       // log.retention_days; 0: kept forever
    int concurrencyPerDestination = 10;
    RelayLimits limits;
    QString tlsCertificate;
    QString tlsKey;
    QString tlsRequiredBeforeMail; // tls.required_before_mail: "no", "allowed_clients" or "all"
    int stopTimeoutSecs = 30;      // relay.stop_timeout: how long a stop waits for deliveries in flight
    bool confirmations = false; // relay.confirmations resolved: send push/upload confirmations to postmaster
    // DKIM keys that sign (state active), by domain: the one a message whose
    // From: domain is the key's is signed with.
    QHash<QString, DkimKey> dkimSigningKeys;
    // ARC sealing (arc.domain, arc.seal; relaycore/engine/arcsealingstage.h):
    // the domain whose active DKIM key seals, and which messages.
    QString arcDomain;
    enum class ArcSeal { Modified, Always, Off };
    ArcSeal arcSeal = ArcSeal::Modified;
    // Recipient verification at RCPT (relaycore/engine/recipientverifier.h).
    bool verifyRecipients = true;      // verify.recipients = inbound
    QStringList verifyExcludedDomains; // verify.exclude_domains, normalised
    qint64 verifyPositiveTtlSecs = 7 * 86400;
    qint64 verifyNegativeTtlSecs = 3 * 3600;
    int verifyConcurrency = 2;
    QString verifySender; // relay.verify_sender; empty: <>

    // Builds the relay configuration of `config` (a pushed generation or, for
    // the address tester, the draft). Fails with a reason on a bad setting.
    static Result<std::shared_ptr<const RelayConfig>> build(const ConfigData &config, qint64 generation);
};

} // namespace mailroute
