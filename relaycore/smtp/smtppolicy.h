// The policy interface of the SMTP server: who may connect, send, relay.
// Modelled on go-smtp's Session (answers become replies) and OpenSMTPD's
// check -> proceed: SmtpSession asks the policy at each step and changes its
// transaction only after an Accept. A policy object is immutable and is
// shared between sessions as std::shared_ptr<const SmtpPolicy>; its methods
// are const and must be safe to call from any thread.
#pragma once

#include "relaycore/smtp/smtpenvelope.h"
#include "relaycore/smtp/smtpreply.h"

#include <QString>

namespace mailroute {

struct Verdict
{
    enum class Kind { Accept, Reject, TempFail };

    Kind kind = Kind::Accept;
    // Reject: a 5xx reply; TempFail: a 4xx reply. Sent to the client as is.
    // A reply of the wrong class is a policy bug: the session sends the fixed
    // 451 4.3.0 instead, so a bug can never turn a refusal into an acceptance.
    Reply reply;
    // MAIL and RCPT only: the routing decision for the address (Accept only).
    RoutingDecision routing;
    // RCPT only (Accept): the rules take the address, but the next hop of the
    // rewritten address is asked first (recipient verification): the session
    // emits SessionAction::Kind::VerifyRecipient and waits for
    // SmtpSession::recipientVerified().
    bool verify = false;

    bool accepted() const { return kind == Kind::Accept; }

    static Verdict accept(RoutingDecision routing = {})
    {
        return Verdict{Kind::Accept, {}, std::move(routing)};
    }
    static Verdict reject(Reply r) { return Verdict{Kind::Reject, std::move(r), {}}; }
    static Verdict tempFail(Reply r) { return Verdict{Kind::TempFail, std::move(r), {}}; }
};

class SmtpPolicy
{
public:
    virtual ~SmtpPolicy() = default;

    // The configuration generation this policy decides with (recorded in
    // every transaction it accepts).
    virtual qint64 generation() const { return 0; }

    // Before the greeting. A Reject gets its reply instead of 220 and the
    // session then answers only QUIT (RFC 5321 §3.1); a TempFail should be
    // a 421 and closes the connection.
    virtual Verdict onConnect(const SessionInfo &session) const;
    // EHLO/HELO with its argument (session.heloName is still the old one).
    virtual Verdict onHelo(const SessionInfo &session, const QString &heloName) const;
    // MAIL FROM: `transaction` is the candidate transaction (sender and
    // parameters filled, no recipients). The verdict's routing is the
    // sender's decision.
    virtual Verdict onMail(const SessionInfo &session, const Transaction &transaction) const = 0;
    // RCPT TO: the verdict's routing is the recipient's decision. Deciding
    // who may relay belongs here, so there is no permissive default.
    virtual Verdict onRecipient(const SessionInfo &session, const Transaction &transaction,
                                const EnvelopeRecipient &recipient) const = 0;
    // DATA, before 354.
    virtual Verdict onDataStart(const SessionInfo &session, const Transaction &transaction) const;
    // End of DATA, after the session's own checks passed; transaction.data
    // holds the message. An Accept hands the message to the engine.
    virtual Verdict onMessageEnd(const SessionInfo &session, const Transaction &transaction) const;

protected:
    SmtpPolicy() = default;
    SmtpPolicy(const SmtpPolicy &) = default;
    SmtpPolicy &operator=(const SmtpPolicy &) = default;
};

} // namespace mailroute
