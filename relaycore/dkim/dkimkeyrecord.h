// A DKIM key record (RFC 6376 §3.6.1, RFC 8463 §4): the TXT record at
// selector._domainkey.domain, parsed. Pure, any thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace mailroute {

struct DkimKeyRecord
{
    bool ed25519 = false; // k=ed25519; k=rsa (the default) otherwise
    QByteArray publicKey; // p=, decoded: SubjectPublicKeyInfo (or RSAPublicKey) DER, or 32 raw Ed25519 octets
    bool revoked = false; // p= empty (§3.6.1)
    bool testing = false; // t=y
    bool strictIdentity = false; // t=s: i= must be exactly d=
};

// Parses the record (the strings of one TXT record already joined, §3.6.2.2).
// Refused with a reason: tag list errors, v= other than DKIM1 or not first,
// an unknown k=, an h= without sha256, an s= without email or *, p= missing
// or not base64.
Result<DkimKeyRecord> parseDkimKeyRecord(QByteArrayView text);

} // namespace mailroute
