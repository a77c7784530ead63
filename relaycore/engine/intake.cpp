#include "relaycore/engine/intake.h"

#include "relaycore/message/headersection.h"
#include "relaycore/message/receivedfield.h"
#include "relaycore/message/traceheaders.h"
#include "relaycore/smtp/relaypolicy.h"

#include <QSet>

namespace mailroute {

namespace {

QVariantMap ruleFields(const RouteResult &route)
{
    return {{QStringLiteral("rule"), QString(route.ruleSource + QStringLiteral(" -> ") + route.ruleTarget)},
            {QStringLiteral("match"), matchKindKey(route.kind)}};
}

MessageLogEntry intakeEvent(const QString &queueId, MessageEvent event, std::optional<Area> area,
                            QVariantMap fields)
{
    MessageLogEntry e;
    e.queueId = queueId;
    e.event = event;
    e.area = area;
    e.fields = std::move(fields);
    return e;
}

} // namespace

IntakeResult Intake::envelope(const IntakeInput &in)
{
    const Transaction &tx = in.message.transaction;
    const SessionInfo &session = in.message.session;
    const QString &queueId = in.queueId;

    IntakeResult result;
    QueuedMessage &meta = result.message.meta;
    meta.queueId = queueId;
    meta.arrival = in.arrival;
    meta.clientAddress = session.clientAddress.toString();
    meta.heloName = session.heloName;
    meta.generation = tx.generation;
    meta.smtputf8 = tx.parameters.smtputf8;
    meta.eightBitMime = tx.parameters.body == BodyType::EightBitMime;
    // DKIM signing at delivery goes by the allow list of the policy pinned at MAIL.
    meta.outboundClient = in.policy->isAllowedClient(session.clientAddress);

    // Envelope: the routing decided at MAIL and RCPT with the transaction's snapshot.
    if (!tx.nullSender) {
        const RoutingDecision &d = tx.senderRouting;
        meta.sender = d.route.kind != MatchKind::None ? d.route.address.toString() : tx.sender.toString();
        if (d.route.kind != MatchKind::None) {
            QVariantMap f = ruleFields(d.route);
            f.insert(QStringLiteral("scope"), QStringLiteral("envelope sender"));
            f.insert(QStringLiteral("from"), tx.sender.toString());
            f.insert(QStringLiteral("to"), meta.sender);
            result.events << intakeEvent(queueId, MessageEvent::Rewritten, d.area, f);
        }
    }
    QSet<QString> seen;
    for (const EnvelopeRecipient &r : tx.recipients) {
        const RoutingDecision &d = r.routing;
        const QString final = d.route.kind != MatchKind::None || d.postmaster ? d.route.address.toString()
                                                                              : r.address.toString();
        // The same final mailbox twice in one message is delivered once.
        if (seen.contains(final.toLower()))
            continue;
        seen.insert(final.toLower());
        QueuedRecipient q;
        q.address = final;
        q.originalAddress = r.original;
        meta.recipients << q;
        if (d.route.kind != MatchKind::None) {
            QVariantMap f = ruleFields(d.route);
            f.insert(QStringLiteral("scope"), QStringLiteral("envelope recipient"));
            f.insert(QStringLiteral("from"), r.address.toString());
            f.insert(QStringLiteral("to"), final);
            result.events << intakeEvent(queueId, MessageEvent::Rewritten, d.area, f);
        }
    }
    return result;
}

bool Intake::refusedByDmarc(const RelayConfig &config, const AuthVerdicts &verdicts)
{
    return config.dmarcReject && verdicts.dmarc == u"fail" && verdicts.dmarcDisposition == u"reject";
}

void Intake::addVerdicts(IntakeInput &in, IntakeResult &result, const AuthVerdicts &verdicts)
{
    // A field claiming our authserv-id that the client sent goes (RFC 8601 §5); ours goes on top.
    const QString authservId = in.config->hostName;
    QByteArray &data = in.message.transaction.data;
    data =
        authenticationResultsField(authservId, verdicts) + removeOwnAuthenticationResults(data, authservId);
    result.events.prepend(intakeEvent(in.queueId, MessageEvent::Auth, std::nullopt, verdicts.logFields()));
}

bool Intake::awaitsSignatures(const IntakeInput &in)
{
    const QByteArray &data = in.message.transaction.data;
    return in.config->recipientHeaders == RecipientHeaderRewrite::Unsigned &&
           SignedHeaderPolicy::hasDkimSignature(data) &&
           recipientHeaderRewriter(in.policy).rewrite(data).changed();
}

HeaderRewriter Intake::recipientHeaderRewriter(const std::shared_ptr<const RelayPolicy> &policy)
{
    // The policy pinned at MAIL (the one that decided the envelope), not
    // the current one: a push may have landed since. The rewriter holds it.
    return HeaderRewriter(HeaderRewriter::recipientFields(),
                          [policy](const MailAddress &a) -> std::optional<QString> {
                              const RoutingDecision d = policy->routeRecipient(a);
                              if (!d.area || d.route.kind == MatchKind::None)
                                  return std::nullopt;
                              return d.route.address.toString();
                          });
}

void Intake::complete(const IntakeInput &in, IntakeResult &result,
                      const std::optional<QList<SignatureOutcome>> &signatures)
{
    const Transaction &tx = in.message.transaction;
    const SessionInfo &session = in.message.session;
    const RelayConfig &config = *in.config;
    const RelayPolicy *policy = in.policy.get();
    const QString &queueId = in.queueId;
    const RecipientHeaderRewrite mode = config.recipientHeaders;
    QueuedMessage &meta = result.message.meta;

    // Headers (docs/behaviour.md "Header rewriting"): To/Cc through the
    // recipient rules; From/Sender/Reply-To through Outbound for allow-listed
    // clients. Only addr-specs change.
    QByteArray body = tx.data;
    // Allow-listed clients' mail is not verified, but an Authentication-Results
    // field claiming the relay's authserv-id goes all the same (RFC 8601 §5),
    // so that nothing downstream (the ARC stage) takes it for the relay's own.
    if (meta.outboundClient.value_or(false))
        body = removeOwnAuthenticationResults(body, config.hostName);
    auto logHeaderChanges = [&](const HeaderRewriteResult &res, std::optional<Area> area,
                                const QString &reason) {
        if (!res.changes.isEmpty())
            meta.headersRewritten = true; // arc.seal = modified goes by this
        for (const HeaderChange &c : res.changes) {
            QVariantMap f{{QStringLiteral("scope"), QString(QStringLiteral("header ") + c.field)},
                          {QStringLiteral("from"), c.oldAddress},
                          {QStringLiteral("to"), c.newAddress}};
            if (!reason.isEmpty())
                f.insert(QStringLiteral("reason"), reason);
            result.events << intakeEvent(queueId, MessageEvent::Rewritten, area, f);
        }
    };
    if (mode != RecipientHeaderRewrite::Never) {
        const HeaderRewriter recipients = recipientHeaderRewriter(in.policy);
        if (!signatures) {
            // Always, or Unsigned without a signature (or without a change to make).
            HeaderRewriteResult res = recipients.rewrite(body);
            logHeaderChanges(res, std::nullopt,
                             mode == RecipientHeaderRewrite::Unsigned ? QStringLiteral("no DKIM signature")
                                                                      : QString());
            body = std::move(res.message);
        } else {
            const QList<HeaderFieldDecision> decisions =
                SignedHeaderPolicy::decide(*signatures, HeaderRewriter::recipientFields());
            const QList<QByteArray> kept = SignedHeaderPolicy::keptFields(decisions);
            const HeaderRewriteResult wanted = recipients.rewrite(body);
            for (const HeaderChange &c : wanted.changes) {
                for (const HeaderFieldDecision &d : decisions) {
                    if (d.rewrite || d.field.compare(c.field.toLatin1(), Qt::CaseInsensitive) != 0)
                        continue;
                    const QVariantMap f{
                        {QStringLiteral("scope"), QString(QStringLiteral("header ") + c.field)},
                        {QStringLiteral("address"), c.oldAddress},
                        {QStringLiteral("would_be"), c.newAddress},
                        {QStringLiteral("reason"), d.reason}};
                    result.events << intakeEvent(queueId, MessageEvent::Kept, std::nullopt, f);
                }
            }
            HeaderRewriteResult res = kept.isEmpty() ? wanted : recipients.skipping(kept).rewrite(body);
            for (const HeaderFieldDecision &d : decisions) {
                if (!d.rewrite)
                    continue;
                HeaderRewriteResult mine;
                for (const HeaderChange &c : res.changes) {
                    if (d.field.compare(c.field.toLatin1(), Qt::CaseInsensitive) == 0)
                        mine.changes << c;
                }
                logHeaderChanges(mine, std::nullopt, d.reason);
            }
            body = std::move(res.message);
        }
    }
    if (config.rewriteSenderHeaders && policy->isAllowedClient(session.clientAddress)) {
        const std::shared_ptr<const RoutingSnapshot> snapshot = policy->snapshot();
        const HeaderRewriter senders(HeaderRewriter::senderFields(),
                                     [snapshot](const MailAddress &a) -> std::optional<QString> {
                                         const RouteResult r = snapshot->route(Area::Outbound, a);
                                         if (r.kind == MatchKind::None)
                                             return std::nullopt;
                                         return r.address.toString();
                                     });
        HeaderRewriteResult sres = senders.rewrite(body);
        logHeaderChanges(sres, Area::Outbound, QString());
        body = std::move(sres.message);
    }

    ReceivedInfo info;
    info.heloName = session.heloName;
    info.clientAddress = meta.clientAddress;
    info.byHost = config.hostName;
    info.queueId = queueId;
    if (tx.recipients.size() == 1)
        info.recipients << tx.recipients.first().original;
    info.tls = session.tls;
    info.smtpUtf8 = meta.smtputf8;
    info.time = meta.arrival;
    const QByteArray received = ReceivedField::build(info);
    QByteArray &data = result.message.data;
    data.clear();
    data.reserve(received.size() + body.size());
    data.append(received).append(body);
    // A large message's body stays in its file: only the header section was
    // rewritten (docs/architecture.md "Storage").
    result.message.body = tx.body;

    QStringList originals;
    for (const EnvelopeRecipient &r : tx.recipients)
        originals << r.original;
    result.received = {{QStringLiteral("session"), in.session},
                       {QStringLiteral("client"), meta.clientAddress},
                       {QStringLiteral("helo"), meta.heloName},
                       {QStringLiteral("from"), tx.nullSender ? QString() : tx.sender.toString()},
                       {QStringLiteral("to"), originals.join(QStringLiteral(", "))},
                       {QStringLiteral("size"), result.message.size()},
                       {QStringLiteral("generation"), tx.generation},
                       {QStringLiteral("tls"), session.tls}};
    // The message trace's search keys (relaycore/trace).
    const TraceHeaders headers = traceHeadersOf(tx.data);
    if (!headers.messageId.isEmpty())
        result.received.insert(QStringLiteral("message_id"), headers.messageId);
    if (!headers.subject.isEmpty())
        result.received.insert(QStringLiteral("subject"), headers.subject);
}

IntakeResult Intake::run(const IntakeInput &in, const std::optional<QList<SignatureOutcome>> &signatures)
{
    IntakeResult result = envelope(in);
    complete(in, result, signatures);
    return result;
}

} // namespace mailroute
