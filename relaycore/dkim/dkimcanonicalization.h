// DKIM canonicalisation (RFC 6376 §3.4) and the data a signature covers
// (§3.7): pure functions over the caller's bytes, safe from any thread. The
// signer and the verifier both hash through here, so they cannot disagree.
//
// Decisions:
// - Only CRLF ends a line. The relay refuses messages with a bare CR or LF
//   (RFC 5321 §2.3.8), so a lone LF or CR here is an ordinary byte, exactly
//   as the bytes leave the relay.
// - Relaxed body, empty body: the empty string, not CRLF (RFC 6376 erratum
//   3192, what dkimpy, OpenDKIM and Exim do); simple body, empty body: CRLF
//   (§3.4.3).
#pragma once

#include "relaycore/message/headersection.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace mailroute {

enum class DkimCanonicalization { Simple, Relaxed };

// One header field (name through the end of its value, folding included,
// without the CRLF that ends it) in canonical form, without a CRLF.
// Relaxed (§3.4.2): name lower-cased, unfolded, WSP runs to one SP, WSP at
// the end of the value and around the colon removed.
QByteArray dkimCanonicalHeader(DkimCanonicalization c, QByteArrayView field);

// SHA-256 of the canonical body (§3.4.3, §3.4.4), of its first `limit`
// octets when limit >= 0 (the l= tag, §3.5). `canonicalLength` receives the
// whole canonical body's length, so that a verifier can tell an l= beyond
// the end.
QByteArray dkimBodyHash(DkimCanonicalization c, QByteArrayView body, qint64 limit = -1,
                        qint64 *canonicalLength = nullptr);

// The canonical body itself (tests and diagnostics; the hash above does not
// build it).
QByteArray dkimCanonicalBody(DkimCanonicalization c, QByteArrayView body);

// The header fields a signature's h= list selects (§5.4.2): for each name,
// the last instance not yet used, from the bottom up; a name listed more
// times than the field occurs selects nothing more (oversigning). Returns
// indexes into section.fields(), -1 for a name that selected nothing.
QList<int> dkimSelectFields(const HeaderSection &section, const QList<QByteArray> &names);

// The data the b= signature is computed over (§3.7): the selected fields,
// each canonical and followed by CRLF, then the DKIM-Signature field itself
// (with its b= value removed) canonical and without a CRLF.
QByteArray dkimSignedHeaderData(const HeaderSection &section, const QList<QByteArray> &names,
                                DkimCanonicalization c, QByteArrayView signatureField);

// The DKIM-Signature field with the value of its b= tag (and the white space
// around it) removed, as §3.7 asks before hashing it.
QByteArray dkimRemoveSignatureValue(QByteArrayView signatureField);

} // namespace mailroute
