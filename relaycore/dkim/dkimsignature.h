// A parsed DKIM-Signature field value (RFC 6376 §3.5): pure, any thread.
// The checks are strict; whatever fails them makes the signature a
// permerror (§6.1.1), with the reason.
#pragma once

#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace mailroute {

struct DkimSignature
{
    QByteArray algorithm; // "rsa-sha256" or "ed25519-sha256"
    bool ed25519 = false;
    QByteArray signature; // b=, decoded
    QByteArray bodyHash;  // bh=, decoded
    DkimCanonicalization headerCanonicalization = DkimCanonicalization::Simple;
    DkimCanonicalization bodyCanonicalization = DkimCanonicalization::Simple;
    QString domain;                   // d=, lower case
    QString selector;                 // s=, lower case
    QList<QByteArray> signedFields;   // h=, lower case, in order (repeats kept)
    QString identity;                 // i=, "@" + d when absent
    std::optional<qint64> bodyLength; // l=
    std::optional<qint64> timestamp;  // t=, seconds since the epoch
    std::optional<qint64> expiration; // x=

    // The key record's DNS name: selector._domainkey.domain (§3.6.2.1).
    QString keyName() const { return selector + QStringLiteral("._domainkey.") + domain; }
};

// Parses the field value (what follows "DKIM-Signature:"). Refused with a
// reason: tag list errors, v= other than 1, a missing required tag (v, a, b,
// bh, d, h, s), an unknown or withdrawn algorithm (rsa-sha1, RFC 8301 §3.1),
// an unknown canonicalisation, bad base64, h= without From (§5.4), an i=
// outside d= (§3.5), q= without dns/txt, malformed d=/s=/l=/t=/x=, and x=
// not after t=.
Result<DkimSignature> parseDkimSignature(QByteArrayView value);

} // namespace mailroute
