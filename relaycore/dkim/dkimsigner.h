// Signs a message with DKIM (RFC 6376 §5, RFC 8301, RFC 8463): pure, bytes
// in and bytes out, safe from any thread (the relay signs on its worker
// pool, see relaycore/engine/dkimsigningstage.h).
//
// What MailRoute signs (docs/behaviour.md "Mail authentication"):
// - c=relaxed/relaxed: it survives the re-folding and trailing-space
//   trimming that relays and list servers commonly do.
// - h=: From, oversigned (listed once more than it occurs, so that no From
//   can be added above it without breaking the signature, §8.15), then
//   Sender, Reply-To, To, Cc, Subject, Date, Message-ID, In-Reply-To,
//   References, MIME-Version, Content-Type, Content-Transfer-Encoding and
//   every List-* field, each only when present and then every instance of
//   it (§5.4.2 picks them bottom-up). Trace fields (Received, Return-Path)
//   are never signed: later hops add to them.
// - t= (signing time), no x=, no l= (a body-length limit lets anyone append
//   content below the signed part, §8.2), no i= (the AUID defaults to @d).
// - The field is folded to lines of at most 76 characters and prepended;
//   DKIM-Signature fields already in the message are kept.
#pragma once

#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/dkim/dkimsigningkey.h"
#include "relaycore/message/headersection.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroute {

class DkimSigner final
{
public:
    // The h= list for this header section, lower case, repeats included.
    static QList<QByteArray> fieldsToSign(const HeaderSection &section);

    // The complete DKIM-Signature field, folded, ending in CRLF. `domain` and
    // `selector` are ASCII (A-labels), `timestamp` is t= in seconds.
    static Result<QByteArray> signatureField(const QByteArray &message, const DkimSigningKey &key,
                                             const QString &domain, const QString &selector,
                                             qint64 timestamp);

    // The same for a message whose body is not in `message` (a large one,
    // relaycore/message/bodyfile.h): `message` holds the header section,
    // `bodyHash` is the raw SHA-256 of the relaxed canonical body
    // (DkimBodyHasher).
    static Result<QByteArray> signatureField(const QByteArray &message, const QByteArray &bodyHash,
                                             const DkimSigningKey &key, const QString &domain,
                                             const QString &selector, qint64 timestamp);

    // `message` with its signature field prepended.
    static Result<QByteArray> sign(const QByteArray &message, const DkimSigningKey &key,
                                   const QString &domain, const QString &selector, qint64 timestamp);

    // The b= value (base64) for a DKIM-Signature field written by someone
    // else whose b= is empty: the selected fields and the field itself,
    // canonicalised with `c`, signed with `key`. The RFC 8463 example is
    // reproduced through this.
    static Result<QByteArray> signatureValue(const HeaderSection &section,
                                             const QList<QByteArray> &signedFields, DkimCanonicalization c,
                                             QByteArrayView unsignedField, const DkimSigningKey &key);
};

} // namespace mailroute
