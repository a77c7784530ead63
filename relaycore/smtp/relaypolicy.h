// The relay's real SMTP policy
// (docs/behaviour.md "Who may send what", "Loop protection"): who may relay to
// whom, and the routing decision for every accepted address. Pure and
// immutable: one RelayPolicy per pushed generation, shared by every session as
// std::shared_ptr<const SmtpPolicy>; safe from any thread.
#pragma once

#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/smtp/smtppolicy.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace mailroute {

// tls.required_before_mail: which clients must issue STARTTLS before MAIL.
enum class TlsBeforeMail {
    No,             // opportunistic TLS only (RFC 3207 §4: a public MX must not require it)
    AllowedClients, // the outbound.allowed_clients networks (the mail systems sending out through the relay)
    All,            // every client
};

struct RelayPolicyConfig
{
    // outbound.allowed_clients, as QHostAddress::parseSubnet() returns them
    // (IPv4 and IPv6). An IPv4-mapped IPv6 client (::ffff:a.b.c.d, what a
    // dual-stack listener reports) is matched as the IPv4 address.
    QList<QPair<QHostAddress, int>> allowedClients;
    QString hostname;   // relay.hostname: postmaster@<hostname> is always accepted
    QString postmaster; // relay.postmaster: where postmaster mail goes; empty: not configured
    int maxHops = 50;   // relay.max_hops (docs/behaviour.md "Loop protection")
    TlsBeforeMail tlsBeforeMail = TlsBeforeMail::No;
    // A certificate is loaded (STARTTLS is offered). When TLS is required but
    // the certificate failed to load, MAIL gets 454 4.7.0 rather than 530, so
    // senders retry instead of bouncing while the admin fixes it.
    bool tlsAvailable = false;
    // verify.recipients = inbound: Inbound and Relay recipients of clients
    // that are not allow-listed are verified at their next hop before the
    // RCPT is answered (Verdict::verify), except for these domains
    // (verify.exclude_domains, normalised), matched against the recipient's
    // domain as received and the rewritten one.
    bool verifyRecipients = false;
    QStringList verifyExcludedDomains;
};

class RelayPolicy : public SmtpPolicy
{
public:
    // A null snapshot routes nothing (every address unchanged).
    RelayPolicy(std::shared_ptr<const RoutingSnapshot> snapshot, RelayPolicyConfig config);
    ~RelayPolicy() override;
    Q_DISABLE_COPY_MOVE(RelayPolicy)

    qint64 generation() const override;

    // A client that must use TLS (tls.required_before_mail) and has not:
    // 530 5.7.0. Allow-listed clients' senders go through the Outbound area;
    // the null sender is never rewritten
    // (docs/behaviour.md "Envelope rewriting").
    Verdict onMail(const SessionInfo &session, const Transaction &transaction) const override;
    // Postmaster, then Inbound user, Inbound domain, Relay domain (docs/behaviour.md "Who may send what"),
    // for any client and sender; anything else only for allow-listed clients
    // whose envelope sender is <> or in one of the snapshot's allowed sender
    // domains (outbound.allowed_senders), else 550 5.7.1 (relay denied, or
    // for an allow-listed client the reply naming outbound.allowed_senders).
    Verdict onRecipient(const SessionInfo &session, const Transaction &transaction,
                        const EnvelopeRecipient &recipient) const override;
    // More than maxHops Received: fields: 554 5.4.6 (RFC 5321 §6.3).
    Verdict onMessageEnd(const SessionInfo &session, const Transaction &transaction) const override;

    bool isAllowedClient(const QHostAddress &client) const;
    bool requiresTls(const QHostAddress &client) const;
    // The canonical setting ("no", "allowed_clients", "all"); anything else: No.
    static TlsBeforeMail tlsBeforeMailFromSetting(const QString &canonical);
    // The routing rules this policy decides with (null: routes nothing).
    const std::shared_ptr<const RoutingSnapshot> &snapshot() const { return m_snapshot; }
    // The recipient rules alone (no postmaster, no relay check): the area
    // whose rule matches first, or nullopt.
    RoutingDecision routeRecipient(const MailAddress &address) const;

    // Received: header fields in the header section of an RFC 5322 message
    // with CRLF line ends (continuation lines are not counted again).
    static int countReceivedFields(QByteArrayView message);

private:
    bool isPostmaster(const EnvelopeRecipient &recipient) const;

    const std::shared_ptr<const RoutingSnapshot> m_snapshot;
    QList<QPair<QHostAddress, int>> m_allowed; // IPv4-mapped subnets turned into IPv4 ones
    QString m_hostDomain;                      // normalised relay.hostname
    std::optional<MailAddress> m_postmaster;
    int m_maxHops;
    TlsBeforeMail m_tlsBeforeMail;
    bool m_tlsAvailable;
    bool m_verify = false;
    QSet<QString> m_verifyExcluded;
};

} // namespace mailroute
