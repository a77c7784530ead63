// The intake (docs/architecture.md "Two data paths"; the cleanup of
// Postfix): what becomes of a message between the end of DATA and the spool.
// From a ReceivedMessage and the configuration pinned at MAIL it makes the
// message to spool and its log events: the envelope as the routing decided it
// at MAIL and RCPT, one copy per final mailbox, the verdicts of mail
// authentication at receipt, the header rewriting (docs/behaviour.md "Header
// rewriting") and the Received: field. Pure: no sockets, no spool, no clock
// (the queue id and the arrival time come in); any thread.
//
// The engine runs the steps in order and waits between them where it must:
//   envelope()  -> [receipt check: addVerdicts() or refusedByDmarc()]
//               -> [awaitsSignatures(): the DKIM verdict first]
//               -> complete()                        -> the spool commit.
// The ARC sealer sees the bytes as the client sent them at the first step
// (ArcSealingStage::receivedAt); DKIM signing and the ARC seal themselves
// come at each delivery attempt (deliveryscheduler.h).
#pragma once

#include "relaycore/engine/relayconfig.h"
#include "relaycore/mailauth/authresults.h"
#include "relaycore/message/headerrewriter.h"
#include "relaycore/message/messageevent.h"
#include "relaycore/message/signedheaderpolicy.h"
#include "relaycore/queue/queuedmessage.h"
#include "relaycore/smtp/smtpenvelope.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <memory>
#include <optional>

namespace mailroute {

class RelayPolicy;

struct IntakeInput
{
    // As the session handed it over; addVerdicts() puts the
    // Authentication-Results field on top of its data.
    ReceivedMessage message;
    // The configuration and the policy of the generation pinned at MAIL: the
    // one that decided the envelope decides the headers too, whatever was
    // pushed since.
    std::shared_ptr<const RelayConfig> config;
    std::shared_ptr<const RelayPolicy> policy;
    QString queueId;     // reserved by the spool
    QDateTime arrival;   // the engine's clock at the end of DATA (UTC)
    quint64 session = 0; // the SMTP session's number, for the log
};

struct IntakeResult
{
    IncomingMessage message; // what the spool stores; message.data is complete after complete()
    // In order: auth, then rewritten / kept; logged once the message is on
    // disk, after its "received" event.
    QList<MessageLogEntry> events;
    // The "received" event's fields (the spool commit adds the final recipients).
    QVariantMap received;
};

class Intake final
{
public:
    // The envelope: the message's queue data from the session, the sender
    // and recipients as the routing decided them at MAIL and RCPT, the same
    // final mailbox only once (docs/behaviour.md "Envelope rewriting").
    static IntakeResult envelope(const IntakeInput &in);

    // Mail authentication at receipt (docs/behaviour.md "Mail authentication
    // at receipt"): whether auth.dmarc_reject refuses the message ...
    static bool refusedByDmarc(const RelayConfig &config, const AuthVerdicts &verdicts);
    // ... else the relay's Authentication-Results on top of the data (one
    // the client sent under the relay's authserv-id removed, RFC 8601 §5) and
    // the "auth" event first.
    static void addVerdicts(IntakeInput &in, IntakeResult &result, const AuthVerdicts &verdicts);

    // rewrite.recipient_headers unsigned: a DKIM-signed message whose To/Cc
    // the rules would change waits for its DKIM verdict before complete().
    static bool awaitsSignatures(const IntakeInput &in);

    // The header rewriting and the Received: field: result.message.data is
    // what the spool stores. `signatures`: the DKIM verdicts when the message
    // waited for them (awaitsSignatures()), else nullopt.
    static void complete(const IntakeInput &in, IntakeResult &result,
                         const std::optional<QList<SignatureOutcome>> &signatures);

    // Every step at once, for a message that waits for nothing (no receipt
    // check, or its verdicts already applied).
    static IntakeResult run(const IntakeInput &in,
                            const std::optional<QList<SignatureOutcome>> &signatures = std::nullopt);

    // To/Cc through the recipient rules of `policy`.
    static HeaderRewriter recipientHeaderRewriter(const std::shared_ptr<const RelayPolicy> &policy);
};

} // namespace mailroute
