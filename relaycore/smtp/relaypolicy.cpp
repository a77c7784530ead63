// docs/behaviour.md "Who may send what" as an SmtpPolicy. The relay must never
// become an open relay: a recipient is accepted from an arbitrary client only
// when a rule of this relay claims it (or it is the postmaster).
#include "relaycore/smtp/relaypolicy.h"

#include "relaycore/message/receivedfield.h"

namespace mailroute {

namespace {

// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d (RFC 4291
// §2.5.5.2); the admin writes them as IPv4.
QHostAddress unmapped(const QHostAddress &a)
{
    if (a.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = a.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
    }
    return a;
}

RoutingDecision unchanged(const MailAddress &address)
{
    RoutingDecision d;
    d.route.kind = MatchKind::None;
    d.route.address = address;
    return d;
}

} // namespace

RelayPolicy::RelayPolicy(std::shared_ptr<const RoutingSnapshot> snapshot, RelayPolicyConfig config)
    : m_snapshot(std::move(snapshot)), m_maxHops(config.maxHops), m_tlsBeforeMail(config.tlsBeforeMail),
      m_tlsAvailable(config.tlsAvailable), m_verify(config.verifyRecipients),
      m_verifyExcluded(config.verifyExcludedDomains.cbegin(), config.verifyExcludedDomains.cend())
{
    for (const QPair<QHostAddress, int> &subnet : std::as_const(config.allowedClients)) {
        if (subnet.first.isNull() || subnet.second < 0)
            continue;
        const QHostAddress base = unmapped(subnet.first);
        if (base.protocol() == QAbstractSocket::IPv4Protocol &&
            subnet.first.protocol() == QAbstractSocket::IPv6Protocol) {
            // "::ffff:192.0.2.0/120" is the IPv4 subnet 192.0.2.0/24. A
            // shorter prefix spans more than the mapped range: keep it IPv6.
            if (subnet.second >= 96) {
                m_allowed.append({base, subnet.second - 96});
                continue;
            }
        }
        m_allowed.append(subnet);
    }
    if (Result<QString> host = normalizeDomain(config.hostname))
        m_hostDomain = *host;
    if (!config.postmaster.isEmpty()) {
        if (Result<MailAddress> pm = parseMailbox(config.postmaster))
            m_postmaster = *pm;
    }
}

RelayPolicy::~RelayPolicy() = default;

qint64 RelayPolicy::generation() const
{
    return m_snapshot ? m_snapshot->generation() : 0;
}

bool RelayPolicy::isAllowedClient(const QHostAddress &client) const
{
    const QHostAddress a = unmapped(client);
    for (const QPair<QHostAddress, int> &subnet : m_allowed) {
        if (a.isInSubnet(subnet))
            return true;
    }
    return false;
}

RoutingDecision RelayPolicy::routeRecipient(const MailAddress &address) const
{
    if (!m_snapshot)
        return unchanged(address);
    // docs/behaviour.md "Routing precedence": Inbound user, Inbound domain
    // (route() checks the user list before the domain rule), then Relay domain.
    // One lookup wins; its result is never routed again.
    for (Area area : {Area::Inbound, Area::Relay}) {
        RouteResult r = m_snapshot->route(area, address);
        if (r.kind != MatchKind::None) {
            RoutingDecision d;
            d.area = area;
            d.route = std::move(r);
            return d;
        }
    }
    return unchanged(address);
}

bool RelayPolicy::requiresTls(const QHostAddress &client) const
{
    switch (m_tlsBeforeMail) {
    case TlsBeforeMail::No: return false;
    case TlsBeforeMail::AllowedClients: return isAllowedClient(client);
    case TlsBeforeMail::All: return true;
    }
    return true;
}

TlsBeforeMail RelayPolicy::tlsBeforeMailFromSetting(const QString &canonical)
{
    if (canonical == QLatin1String("all"))
        return TlsBeforeMail::All;
    if (canonical == QLatin1String("allowed_clients"))
        return TlsBeforeMail::AllowedClients;
    return TlsBeforeMail::No;
}

Verdict RelayPolicy::onMail(const SessionInfo &session, const Transaction &transaction) const
{
    // Before anything else, the null sender included: nothing of the
    // transaction is accepted in plaintext from such a client.
    if (!session.tls && requiresTls(session.clientAddress))
        return m_tlsAvailable ? Verdict::reject(replies::mustStartTlsFirst())
                              : Verdict::tempFail(replies::tlsNotAvailable());
    // docs/behaviour.md "Envelope rewriting": the null sender is never rewritten.
    if (transaction.nullSender)
        return Verdict::accept();
    if (m_snapshot && isAllowedClient(session.clientAddress)) {
        RouteResult r = m_snapshot->route(Area::Outbound, transaction.sender);
        if (r.kind != MatchKind::None) {
            RoutingDecision d;
            d.area = Area::Outbound;
            d.route = std::move(r);
            return Verdict::accept(std::move(d));
        }
    }
    return Verdict::accept(unchanged(transaction.sender));
}

bool RelayPolicy::isPostmaster(const EnvelopeRecipient &recipient) const
{
    if (recipient.postmasterAlias)
        return true;
    return !m_hostDomain.isEmpty() && recipient.address.domain == m_hostDomain &&
           recipient.address.localPart.compare(QLatin1String("postmaster"), Qt::CaseInsensitive) == 0;
}

Verdict RelayPolicy::onRecipient(const SessionInfo &session, const Transaction &transaction,
                                 const EnvelopeRecipient &recipient) const
{
    if (isPostmaster(recipient)) {
        // RFC 5321 §4.5.1 / docs/behaviour.md "Who may send what": always accepted, forwarded to the admin.
        RoutingDecision d = unchanged(m_postmaster ? *m_postmaster : recipient.address);
        d.postmaster = true;
        return Verdict::accept(std::move(d));
    }
    RoutingDecision d = routeRecipient(recipient.address);
    // A recipient a rule claims is open to every client (docs/behaviour.md "Who may send what"), whatever
    // the sender: other tenants of a shared cloud range send to this
    // organisation from the same addresses as its own tenant does.
    if (d.area) {
        // Recipient verification (docs/behaviour.md "Recipient verification"):
        // every rule of these areas matches a whole domain or a user, so the
        // target tenant decides whether the mailbox exists. Never for the
        // allow-listed clients (the organisation's own systems).
        const bool verify = m_verify && (*d.area == Area::Inbound || *d.area == Area::Relay) &&
                            !m_verifyExcluded.contains(recipient.address.domain) &&
                            !m_verifyExcluded.contains(d.route.address.domain) &&
                            !isAllowedClient(session.clientAddress);
        Verdict v = Verdict::accept(std::move(d));
        v.verify = verify;
        return v;
    }
    if (!isAllowedClient(session.clientAddress))
        return Verdict::reject(replies::relayDenied());
    // Allow-listed clients relay anywhere, but only for the organisation's
    // own sender domains (outbound.allowed_senders): a shared range is every
    // tenant's. The null sender passes (bounces and receipts from the
    // organisation's own system carry <>; Postfix exempts it the same way
    // with "<> OK" in the sender access table).
    if (transaction.nullSender ||
        (m_snapshot && m_snapshot->isAllowedSenderDomain(transaction.sender.domain)))
        return Verdict::accept(std::move(d));
    return Verdict::reject(replies::senderNotAllowed(transaction.sender.toString()));
}

Verdict RelayPolicy::onMessageEnd(const SessionInfo &, const Transaction &transaction) const
{
    if (countReceivedFields(transaction.data) > m_maxHops)
        return Verdict::reject(replies::hopLimitExceeded());
    return Verdict::accept();
}

int RelayPolicy::countReceivedFields(QByteArrayView message)
{
    // One parser of header sections for the whole relay (relaycore/message).
    return ReceivedField::count(QByteArray::fromRawData(message.data(), message.size()));
}

} // namespace mailroute
