// ARC sealing (RFC 8617 §5.1): adds the next ARC set to a message —
// ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal with
// instance N + 1 — signed with a DKIM key (RSA or Ed25519, relaycore/dkim).
// Pure, bytes in and bytes out, safe from any thread (the relay seals on a
// worker pool, relaycore/engine/arcsealingstage.h).
//
// What the relay's seal says (docs/behaviour.md "Mail authentication"):
// - Its own Authentication-Results (the topmost one whose authserv-id is
//   the relay's host name) gets "arc=<cv>" added, the verdict on the chain
//   as it arrived; without one, "Authentication-Results: <id>; arc=<cv>" is
//   added. The ARC-Authentication-Results carries that field's payload.
// - The ARC-Message-Signature signs what the relay's DKIM signer signs
//   (DkimSigner::fieldsToSign: From oversigned, To, Cc, Subject, ...),
//   c=relaxed/relaxed, t=, never Authentication-Results or ARC fields.
// - The ARC-Seal covers every earlier set and the new one (cv=none or
//   pass); with cv=fail only the new set, as dkimpy does: a broken chain is
//   not vouched for.
// - The three fields are prepended in the order ARC-Seal,
//   ARC-Message-Signature, ARC-Authentication-Results.
#pragma once

#include "relaycore/arc/arcchain.h"
#include "relaycore/dkim/dkimsigningkey.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QString>

namespace mailroute {

struct ArcSealRequest
{
    QString authservId;                       // the relay's host name
    QString domain;                           // d= (A-label)
    QString selector;                         // s=
    qint64 timestamp = 0;                     // t=
    ArcChainStatus cv = ArcChainStatus::None; // the incoming chain's verdict
    // A large message (relaycore/message/bodyfile.h): the message handed to
    // seal() is its header section and this is the raw SHA-256 of its relaxed
    // body, hashed from the file in chunks (DkimBodyHasher). Empty: the body
    // is in the message.
    QByteArray bodyHash = {};
};

class ArcSealer final
{
public:
    // `message` sealed. Refused with a reason: no key, no domain or
    // selector, bare line ends, a chain already at 50 sets, cv=none on a
    // message that has ARC fields or pass on one that has none.
    static Result<QByteArray> seal(const QByteArray &message, const DkimSigningKey &key,
                                   const ArcSealRequest &request);

    // `message` with "arc=<cv>" added to the relay's own
    // Authentication-Results (or such a field added on top), and that
    // field's payload (what follows "Authentication-Results:", unfolded).
    // (seal() after removing, under cv=fail, the ARC-Authentication-Results
    // that claim the relay's authserv-id in a set the relay did not seal:
    // ArcChain::foreignClaims().)
    static QByteArray withArcResult(const QByteArray &message, const QString &authservId, ArcChainStatus cv,
                                    QByteArray *payload);

private:
    static Result<QByteArray> sealCleaned(const QByteArray &message, const DkimSigningKey &key,
                                          const ArcSealRequest &request);
};

} // namespace mailroute
