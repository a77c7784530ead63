// DKIM selectors (RFC 6376 §3.1) as MailRoute accepts and stores them. Pure.
#pragma once

#include "relaycore/routing/result.h"

#include <QString>

namespace mailroute {

// Dot-separated labels of letters, digits and hyphens (no label starting or
// ending with a hyphen), at most 63 characters, in lower case: a name that
// stands in DNS (SELECTOR._domainkey.DOMAIN) and in a file name
// (DOMAIN.SELECTOR.pem) without quoting. Surrounding blanks are ignored.
Result<QString> normalizeDkimSelector(const QString &text);

} // namespace mailroute
