// Verifies the DKIM signatures of a message (RFC 6376 §6, RFC 8301,
// RFC 8463). The cryptography and canonicalisation are pure; key records are
// fetched through a callback the caller injects (a resolver, a test table),
// which may answer at once or later. verify() calls `done` on the thread the
// answers arrive on; it keeps no state of its own between messages, so the
// same code serves inbound verification and ARC later.
//
// Outcomes (RFC 8601 §2.7.1 names): pass; fail (the body hash or the
// signature does not verify, or the signature has expired); permerror
// (the signature or key record is malformed, no key, revoked key, key type
// or size unacceptable); temperror (the key could not be fetched now).
#pragma once

#include "relaycore/dkim/dkimkeyrecord.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/message/bodyfile.h"
#include "relaycore/message/headersection.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace mailroute {

class DkimBodyHashes;

enum class DkimOutcome { Pass, Fail, PermError, TempError };
QString dkimOutcomeName(DkimOutcome outcome); // "pass", "fail", "permerror", "temperror"

// How well a valid signature covers one header field name.
struct DkimFieldCoverage
{
    QByteArray name;     // lower case
    int present = 0;     // instances in the message
    int signedCount = 0; // times h= lists it
    // Every instance is signed and one more is listed: a field of this
    // name cannot be added without breaking the signature.
    bool locked() const { return signedCount > present; }
    // Some instances (the upper ones, §5.4.2) are not covered.
    bool partial() const { return signedCount < present; }
};

struct DkimVerification
{
    DkimOutcome outcome = DkimOutcome::PermError;
    QString reason;      // empty on pass
    int fieldIndex = -1; // which DKIM-Signature field (0 = topmost)
    QString domain;      // d= (empty when the signature did not parse)
    QString selector;    // s=
    QString identity;    // i=
    QByteArray algorithm;
    bool testing = false;              // the key record says t=y
    QList<DkimFieldCoverage> coverage; // h= names in order, each once; filled on pass

    bool covers(QByteArrayView fieldName) const;
};

struct DkimKeyAnswer
{
    enum class Kind { Records, NoRecord, TempFail };
    Kind kind = Kind::TempFail;
    QList<QByteArray> records; // each TXT record, its strings joined
    QString detail;            // for the reason of a temperror
};

class DkimVerifier final
{
public:
    using KeyReply = std::function<void(const DkimKeyAnswer &)>;
    // Looks up the TXT records of `name` (selector._domainkey.domain) and
    // calls reply exactly once.
    using KeyFetcher = std::function<void(const QString &name, KeyReply reply)>;
    using Done = std::function<void(const QList<DkimVerification> &)>;

    // Signatures past this many are reported permerror without a look-up,
    // so that a message cannot make the verifier fetch keys without end.
    static constexpr int maxSignatures = 10;

    // Every DKIM-Signature of `message`, top to bottom. `now` (seconds since
    // the epoch) decides x= expiry. `done` gets the results in field order,
    // once every look-up has answered (at once for a message without
    // signatures).
    static void verify(const QByteArray &message, qint64 now, const KeyFetcher &fetch, Done done);
    // The same for a large message: `head` its header section, `body` the
    // rest, hashed from the file in chunks (each distinct c=/l= once).
    static void verify(const QByteArray &head, const BodyFilePtr &body, qint64 now, const KeyFetcher &fetch,
                       Done done);

    // One signature against the answer for its key: the pure core of verify().
    // `bodies` hashes the body (and remembers the hashes); null: the bytes
    // after `section`'s header section, hashed here.
    static DkimVerification check(const HeaderSection &section, int fieldIndex,
                                  const DkimSignature &signature, const DkimKeyAnswer &answer, qint64 now,
                                  DkimBodyHashes *bodies = nullptr);

    // A signature over header data alone (no body hash) against the answer
    // for its key, with the key record checks of check(): what an ARC-Seal
    // (RFC 8617 §5.1.1) needs. `data` as dkimSignedHeaderData() builds it.
    static DkimVerification checkHeaderData(const QByteArray &data, const QByteArray &signature, bool ed25519,
                                            const DkimKeyAnswer &answer);
};

} // namespace mailroute
