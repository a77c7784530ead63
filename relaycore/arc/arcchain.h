// ARC chain validation (RFC 8617 §5.2): the ARC sets of a message
// (ARC-Authentication-Results, ARC-Message-Signature, ARC-Seal, each with an
// instance i=), their structure and cv= rules, the most recent
// ARC-Message-Signature verified like a DKIM signature and every ARC-Seal
// over the sets up to its own. The cryptography, canonicalisation and key
// records are relaycore/dkim's; key records are fetched through the same
// callback DkimVerifier takes (a DnsResolver in the relay, a table in tests).
// Pure apart from that callback, safe from any thread.
//
// Result: none (no ARC field at all), pass, or fail (with the reason).
// Decisions:
// - A key that cannot be fetched now (temperror) fails the chain, as dkimpy
//   and OpenARC do: a seal must not vouch for what it could not check.
// - An ARC-Message-Signature without c= is read as relaxed/relaxed, as
//   dkimpy writes and reads them.
// - More than 50 sets (§4.2.1) or a missing, doubled or unparsable member
//   of a set is a fail.
#pragma once

#include "relaycore/dkim/dkimverifier.h"
#include "relaycore/message/headersection.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace mailroute {

enum class ArcChainStatus { None, Pass, Fail };
QString arcChainStatusName(ArcChainStatus status); // "none", "pass", "fail"

// One ARC set: indexes into HeaderSection::fields(), -1 when missing.
struct ArcSetFields
{
    int aar = -1;
    int ams = -1;
    int seal = -1;
};

// The ARC fields of a message as read, before any signature is checked.
struct ArcChainShape
{
    int maxInstance = 0;      // highest i= of any ARC field; 0: no ARC field
    QList<ArcSetFields> sets; // sets[k - 1] is instance k, k = 1..maxInstance
    QString error;            // a structural failure (§5.2 steps 2-3), empty when none
    QByteArray topCv;         // cv= of the highest instance's ARC-Seal
    bool hasArcFields() const { return maxInstance > 0 || !error.isEmpty(); }
};

struct ArcValidation
{
    ArcChainStatus status = ArcChainStatus::None;
    QString reason;   // empty on pass and none
    int instance = 0; // the highest instance found (the next seal is instance + 1)
};

class ArcChain final
{
public:
    static constexpr int maxInstance = 50; // RFC 8617 §4.2.1

    static ArcChainShape shape(const HeaderSection &section);

    // ARC-Authentication-Results fields that claim `authservId` (the
    // relay's own) in a set whose ARC-Seal was not made with `ownDomain`
    // (or that has none): a sender forging the relay's word (docs/
    // behaviour.md "Mail authentication"). Indexes into section.fields().
    static QList<int> foreignClaims(const HeaderSection &section, const QString &authservId,
                                    const QString &ownDomain);

    // The key record names (selector._domainkey.domain) validation needs:
    // the most recent ARC-Message-Signature's and every ARC-Seal's, once each.
    static QStringList keyNames(const QByteArray &message);

    // The pure core: validates with the answers already fetched (a name
    // missing from `keys` counts as a temporary failure). `body`: for a large
    // message, the body file that follows `message` (its header section),
    // hashed in chunks; null when `message` is whole.
    static ArcValidation evaluate(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &keys,
                                  qint64 now, const BodyFilePtr &body = nullptr);

    // Fetches every key through `fetch`, then evaluates; `done` is called
    // once, on the thread of the last answer (at once without ARC fields).
    using Done = std::function<void(const ArcValidation &)>;
    static void validate(const QByteArray &message, qint64 now, const DkimVerifier::KeyFetcher &fetch,
                         Done done, const BodyFilePtr &body = nullptr);
};

// For the "auth:" line of the message log: "none", "pass" or "fail" for the
// incoming chain of `message`, once its keys are fetched.
void arcChainResult(const QByteArray &message, qint64 now, const DkimVerifier::KeyFetcher &fetch,
                    std::function<void(const QString &)> done, const BodyFilePtr &body = nullptr);
// The same with the key answers at hand (no DNS).
QString arcChainResult(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &keys, qint64 now);

} // namespace mailroute
