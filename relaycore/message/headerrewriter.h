// Rewrites the addr-specs in a message's address fields
// (docs/behaviour.md "Header rewriting") and leaves every other byte as it was:
// display names, comments, encoded words, group syntax, folding, other fields
// and the body. Pure (bytes in, bytes out), on the relay's hot path; a const
// HeaderRewriter may be used from any thread if its callback may.
//
// Decisions, so that they are not rediscovered:
// - Only the fields named at construction are touched (recipient areas: To,
//   Cc; Outbound: From, Sender, Reply-To). Resent-* fields are trace of an
//   earlier resend and are left alone, as is Bcc (MUAs normally remove it
//   before submission; whatever survives is not shown to recipients).
// - A field that does not parse as an RFC 5322 §3.4 address-list (with the
//   §4.4 obsolete forms) is left unchanged as a whole: if we cannot tell
//   where its addr-specs are we must not guess ("Owen, Bob <bob@x>" with an
//   unquoted comma is such a field).
// - A message whose header section has a bare CR or LF is returned unchanged
//   (the SMTP layer refuses those, RFC 5321 §2.3.8; guessing field
//   boundaries in them is how smuggling works).
// - An addr-spec is handed to the callback only if parseMailbox accepts it
//   (so no domain literals, source routes, '%' or '!' tricks); the new
//   addr-spec is written only if parseMailbox accepts it too.
// - Folding or comments inside an addr-spec (obsolete syntax, RFC 5322
//   §4.4) cannot stay where they were once the addr-spec is replaced; the
//   comments move in front of the new addr-spec, and a line break inside it
//   becomes one fold in front of it, so lines stay as short as they were.
// - A rewrite that would push a line past 998 octets (RFC 5322 §2.1.1)
//   folds in front of the new addr-spec instead.
#pragma once

#include "relaycore/routing/mailaddress.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace mailroute {

// What one rewrite did, for the message log (docs/behaviour.md "Logs").
struct HeaderChange
{
    QString field;      // the field name as written in the message ("To", "cc")
    QString oldAddress; // the addr-spec as it was written (comments and folding removed)
    QString newAddress; // what the callback returned

    bool operator==(const HeaderChange &o) const
    {
        return field == o.field && oldAddress == o.oldAddress && newAddress == o.newAddress;
    }
};

struct HeaderRewriteResult
{
    QByteArray message; // shares the input's data when nothing changed
    QList<HeaderChange> changes;

    bool changed() const { return !changes.isEmpty(); }
};

class HeaderRewriter final
{
public:
    // Returns the new addr-spec for an address that matches a rule, or
    // nullopt to leave it. Called once per mailbox in the selected fields.
    using AddressMapper = std::function<std::optional<QString>(const MailAddress &)>;

    // `fieldNames` compare ASCII case-insensitively.
    HeaderRewriter(QList<QByteArray> fieldNames, AddressMapper mapper);

    // docs/behaviour.md "Header rewriting": recipient areas (Relay, Inbound) rewrite To and Cc.
    static QList<QByteArray> recipientFields();
    // docs/behaviour.md "Header rewriting": Outbound rewrites From, Sender and Reply-To.
    static QList<QByteArray> senderFields();

    // `message` is a whole RFC 5322 message with CRLF line ends. Only the
    // header section is parsed; the body is copied once when something
    // changed and not at all otherwise.
    HeaderRewriteResult rewrite(const QByteArray &message) const;

    const QList<QByteArray> &fieldNames() const { return m_fieldNames; }

    // The same rewriter without the fields named in `skipped` (compared ASCII
    // case-insensitively): To:/Cc: that a valid DKIM signature of the sender
    // covers stay as they are (rewrite.recipient_headers unsigned).
    HeaderRewriter skipping(const QList<QByteArray> &skipped) const;

private:
    QList<QByteArray> m_fieldNames;
    AddressMapper m_mapper;
};

} // namespace mailroute
