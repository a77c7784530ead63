// The tag=value list of DKIM signatures and key records (RFC 6376 §3.2):
// pure parsing, strict, any thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace mailroute {

struct DkimTag
{
    QByteArray name;
    QByteArray value; // FWS around the value removed; FWS inside it kept
};

// Parses `text`. Refused, with a reason: a tag name that is not
// ALPHA *(ALPHA / DIGIT / "_"), a missing '=', a character outside
// tval (%x21-3A / %x3C-7E) or WSP in a value, an empty tag-spec other than a
// trailing ';', and a tag that appears twice (§3.2: "MUST be treated as an
// error").
Result<QList<DkimTag>> parseDkimTagList(QByteArrayView text);

// The value with every FWS removed (base64 values, h= lists).
QByteArray dkimWithoutWhitespace(QByteArrayView value);

} // namespace mailroute
