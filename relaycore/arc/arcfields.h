// The three ARC header fields (RFC 8617 §4.1) read one by one: which field
// it is, its instance (i=), and the signature tags of an
// ARC-Message-Signature or ARC-Seal. Pure, any thread.
#pragma once

#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace mailroute {

enum class ArcFieldKind { AuthenticationResults, MessageSignature, Seal };

std::optional<ArcFieldKind> arcFieldKind(QByteArrayView fieldName); // case-insensitive
QString arcFieldName(ArcFieldKind kind);                            // "ARC-Authentication-Results", ...

// The i= of a field body: the first element of an
// ARC-Authentication-Results (§4.1.1), the i= tag of the others. 0 when
// missing or not a number, -1 when out of range (above 50 is not read).
int arcInstance(ArcFieldKind kind, QByteArrayView body);

struct ArcSignatureTags
{
    int instance = 0;
    QByteArray cv;           // ARC-Seal: "none", "pass" or "fail"
    DkimSignature signature; // a=, b=, d=, s=, t=; for an ARC-Message-Signature also c=, h=, bh=
    QString keyName() const { return signature.keyName(); }
};

// Parses an ARC-Message-Signature (ams = true) or ARC-Seal body with the
// DKIM-Signature rules (§4.1.2, §4.1.3), i= in place of v=. Refused with a
// reason like parseDkimSignature(), and for a missing i= or an ARC-Seal
// without a valid cv= or with h=.
Result<ArcSignatureTags> parseArcSignature(QByteArrayView body, bool ams);

} // namespace mailroute
