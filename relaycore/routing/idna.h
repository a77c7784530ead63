// Internationalized domain names: UTS #46 processing (nontransitional) with
// the IDNA2008 rules of RFC 5891-5893 enforced, through ICU. The one place
// MailRoute converts a domain between its Unicode and ASCII (ACE) forms;
// nothing else calls QUrl::toAce/fromAce, which skip the joiner (CONTEXTJ),
// context (CONTEXTO) and bidirectional rules and so let look-alikes such as
// "pay<U+200D>pal.example" through. Pure; safe from any thread (the ICU
// converter is created once and only read).
#pragma once

#include "relaycore/routing/result.h"

#include <QString>
#include <QStringView>

namespace mailroute {

// `domain` (no '@', no trailing dot) to its ASCII form in lower case:
// "Bücher.Example" -> "xn--bcher-kva.example", "straße.example" ->
// "xn--strae-oqa.example" (nontransitional), "ｂüｃher．example" (full-width
// letters and dot, mapped by UTS #46) -> "xn--bcher-kva.example". An "xn--"
// label must decode to a valid label. Refused, with a reason: characters
// IDNA2008 does not permit (RFC 5892: symbols, emoji, punctuation, spaces),
// ZWJ/ZWNJ outside the contexts of RFC 5892 Appendix A, U+00B7, U+0375,
// U+05F3/4, U+30FB and Arabic-Indic digits out of context, labels breaking
// the Bidi Rule (RFC 5893, e.g. Latin and Hebrew in one label), and bad
// hyphens or lengths. Host-name (STD3) rules: letters, digits and hyphens only.
//
// ASCII labels that are not "xn--" are left to the caller's LDH check (RFC
// 5321 §4.1.2): IDNA2008 applies to internationalized labels only.
Result<QString> idnaToAscii(QStringView domain);

// An ASCII domain ("xn--bcher-kva.example") to its Unicode form
// ("bücher.example") under the same rules; a name that is not valid IDNA is
// refused. ASCII-only names come back unchanged (lower case).
Result<QString> idnaToUnicode(QStringView domain);

// True when the name needs IDNA processing: a non-ASCII character, or an
// "xn--" label in any letter case.
bool needsIdna(QStringView domain);

} // namespace mailroute
