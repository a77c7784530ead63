// Mailbox and domain parsing and validation (RFC 5321 §4.1.2 "Mailbox",
// IDNA2008 / UTS #46 via idna.h). Pure: no I/O, safe from any thread.
//
// Used everywhere an address enters MailRoute: the console's dialogs, CSV
// import, mailroutectl, and (later) the SMTP engine's MAIL/RCPT parameters.
#pragma once

#include "relaycore/routing/result.h"

#include <QString>
#include <QStringView>

namespace mailroute {

// A validated mailbox. The local part keeps the user's spelling; the domain is
// stored in its normalised form (lower case, ASCII/ACE, no trailing dot).
struct MailAddress
{
    QString localPart;
    QString domain;

    QString toString() const { return localPart + QLatin1Char('@') + domain; }
    // Key for case-insensitive comparison (docs/behaviour.md "Areas and mappings"): local part folded to
    // lower case.
    QString key() const { return localPart.toLower() + QLatin1Char('@') + domain; }
    bool operator==(const MailAddress &o) const { return key() == o.key(); }
};

struct AddressParseOptions
{
    // Accept non-ASCII in the local part (SMTPUTF8, RFC 6531). Domains with
    // non-ASCII labels are always accepted and converted to ACE.
    bool allowUtf8 = true;
};

// Parses "local@domain" (no angle brackets, no display name). Refuses, with a
// reason: empty parts, missing or repeated '@', source routes ("@a:b@c"),
// '%' and '!' routing tricks, quoted local parts that contain '@', CR, LF, NUL
// and other control characters, whitespace, local part over 64 octets, domain
// over 255 octets or labels over 63, address-literals ("[1.2.3.4]"), and
// domains with a single label ("user@localhost" is unqualified).
// Whitespace means unquoted whitespace: a plain space inside a quoted local
// part is valid RFC 5321 ("john doe"@example.org) and kept. The local part is
// returned in one canonical spelling per mailbox: needless quotes dropped
// ("bob"@x is bob@x), minimal backslash escapes, Unicode NFC (RFC 6532 §3.1).
Result<MailAddress> parseMailbox(QStringView text, const AddressParseOptions &opts = {});

// Normalises a domain as typed by an admin: accepts an optional leading '@'
// and trailing '.', folds case, converts IDNA to ACE ("bücher.example" ->
// "xn--bcher-kva.example"), and validates LDH labels. Returns it without '@'.
Result<QString> normalizeDomain(QStringView text);

// The display form of a domain rule: "@warmsushi.com".
inline QString displayDomain(const QString &normalizedDomain)
{
    return QLatin1Char('@') + normalizedDomain;
}

} // namespace mailroute
