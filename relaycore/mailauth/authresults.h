// Authentication-Results (RFC 8601) for the verification at receipt: the
// verdicts of one message (SPF, every DKIM signature, DMARC), the field the
// relay prepends under its authserv-id (relay.hostname), the removal of
// fields a client sent claiming that id (§5: so it cannot forge them), and
// the message log's "auth" line. Pure, any thread.
//
// The field carries no arc=: ARC is verified and added at delivery by the
// sealing stage, which appends arc= to this field and copies it into
// ARC-Authentication-Results. The log line has arc= from ArcChainCheck.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QVariantMap>

namespace mailroute {

struct AuthVerdicts
{
    QString spf = QStringLiteral("none"); // none, neutral, pass, fail, softfail, temperror, permerror
    QString spfIdentity;                  // smtp.mailfrom (the address) or smtp.helo (the HELO name)
    bool spfHelo = false;                 // the null sender: the HELO identity was checked
    struct Dkim
    {
        QString result;   // pass, fail, neutral, temperror, permerror
        QString domain;   // header.d
        QString selector; // header.s
        QString reason;   // a comment; empty on pass
    };
    QList<Dkim> dkim;                       // one per DKIM-Signature, top to bottom; empty: dkim=none
    QString dmarc = QStringLiteral("none"); // none, pass, fail, temperror, permerror
    QString dmarcPolicy;                  // the domain's policy (p= or sp=), for the comment and dmarc_reject
    QString dmarcDisposition;             // what the policy asks for this message after pct=
    QString fromDomain;                   // header.from
    QString arc = QStringLiteral("none"); // ArcChainCheck: none, pass, fail (log only)

    // "dkim=pass" for the log: the best result over the signatures
    // (pass > fail > temperror > permerror > none).
    QString dkimSummary() const;
    // The "auth" event's fields: spf, dkim, dmarc, arc (and from, policy
    // when known). The log shows them as "auth: spf=… dkim=… dmarc=… arc=…".
    QVariantMap logFields() const;
    // The log's text for an "auth" event's fields, in this order:
    // "spf=fail dkim=pass dmarc=pass arc=none" (then header.from, policy).
    static QString logText(const QVariantMap &fields);
    // Every verdict "temperror" (the verification did not finish in time).
    static AuthVerdicts temporaryFailure(const QString &why);
};

// The whole field, "Authentication-Results: host; spf=…; dkim=…; dmarc=…\r\n",
// folded at the separators when it is longer than 78 characters.
QByteArray authenticationResultsField(const QString &authservId, const AuthVerdicts &verdicts);

// The authserv-id of an Authentication-Results field body (§2.2: the value
// before the first ';', comments and an authres-version skipped); empty when
// it cannot be read.
QString authservIdOf(QByteArrayView fieldBody);

// `message` without its Authentication-Results fields whose authserv-id is
// `authservId` (case-insensitive, RFC 8601 §5); `removed` gets how many.
QByteArray removeOwnAuthenticationResults(const QByteArray &message, const QString &authservId,
                                          int *removed = nullptr);

// The domain of the message's RFC5322.From (RFC 7489 §6.6.1); empty when
// there is no From: field, more than one, or addresses in different domains.
QString fromHeaderDomain(const QByteArray &message);

} // namespace mailroute
