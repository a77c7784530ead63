// rewrite.recipient_headers unsigned (docs/behaviour.md, "Header rewriting"):
// which To:/Cc: fields may be rewritten, given what the relay learned about
// the message's DKIM signatures. A changed field that a valid signature
// covers (RFC 6376 §3.5 h=, §5.4) breaks that signature, and with it DMARC
// at the target tenant when the signature was the sender's aligned one.
// Pure; safe from any thread.
//
// Decisions, so that they are not rediscovered:
// - A field is kept when any valid signature lists it in h= (whoever signed:
//   an ESP's signature can be the aligned one for DMARC too).
// - A field is kept when a signature that could not be decided (DNS failure
//   or time-out: RFC 6376 §6.1.2 TEMPFAIL) lists it, or when such a
//   signature's h= is not known: never rewrite on doubt.
// - A field only invalid signatures list (body changed, key revoked, bad
//   syntax: PERMFAIL) is rewritten: no verifier will accept those signatures
//   whatever the relay does.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroute {

enum class SignatureStatus {
    Valid,   // verified against the key record published now
    Invalid, // PERMFAIL: will not verify, whatever happens to the header
    Unknown, // TEMPFAIL: not decided (DNS failure, no answer, time-out)
};

struct SignatureOutcome
{
    QString domain;   // d=
    QString selector; // s=
    SignatureStatus status = SignatureStatus::Unknown;
    // h= as listed, lower case; empty when not known (a signature that could
    // not be read counts as Invalid; one whose check ran out of time and
    // whose tags were never read counts as covering every field).
    QList<QByteArray> signedFields;
    QString reason; // why Invalid or Unknown, for the log ("DNS time-out", "body hash mismatch")

    bool covers(const QByteArray &field) const; // ASCII case-insensitive; true when h= is unknown
};

struct HeaderFieldDecision
{
    QByteArray field; // as asked ("To", "Cc")
    bool rewrite = false;
    QString reason; // "covered by DKIM d=sender.example", "no DKIM signature", ...
    bool operator==(const HeaderFieldDecision &o) const
    {
        return field == o.field && rewrite == o.rewrite && reason == o.reason;
    }
};

class SignedHeaderPolicy final
{
public:
    // One decision per name in `fields`, in that order.
    static QList<HeaderFieldDecision> decide(const QList<SignatureOutcome> &signatures,
                                             const QList<QByteArray> &fields);
    // The names of `decisions` to keep as they are.
    static QList<QByteArray> keptFields(const QList<HeaderFieldDecision> &decisions);
    // Whether `message` carries a DKIM-Signature field (only then is a
    // verification worth its DNS look-ups).
    static bool hasDkimSignature(const QByteArray &message);
};

} // namespace mailroute
