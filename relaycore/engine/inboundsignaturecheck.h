// The DKIM verification the relay runs on inbound mail before it rewrites
// To:/Cc: under rewrite.recipient_headers unsigned (docs/behaviour.md,
// "Header rewriting"). An interface so that the engine's intake step, its
// time-out and its log lines do not depend on how signatures are verified,
// and so that tests can hand in outcomes. Engine thread.
#pragma once

#include "relaycore/message/bodyfile.h"
#include "relaycore/message/signedheaderpolicy.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace mailroute {

class InboundSignatureCheck
{
public:
    using Done = std::function<void(const QList<SignatureOutcome> &signatures)>;

    virtual ~InboundSignatureCheck() = default;

    // Verifies every DKIM-Signature of `message` (CRLF line ends, as
    // received): whole, or for a large message its header section with the
    // rest in `body`, which is hashed from the file in chunks. `done` is called exactly once, on the engine
    // thread and never from within start(), unless cancel(id) comes first or
    // the check is destroyed. Must not block: key records are looked up
    // asynchronously, costly hashing runs off the engine thread.
    virtual quint64 start(const QByteArray &message, const BodyFilePtr &body, Done done) = 0;
    virtual void cancel(quint64 id) = 0;

    // What can be read without DNS or crypto: each signature's d=, s= and
    // h=, status Unknown (Invalid when it cannot be read at all). The engine
    // uses it when a check runs out of time or the relay stops.
    virtual QList<SignatureOutcome> unverified(const QByteArray &message) const = 0;
};

} // namespace mailroute
