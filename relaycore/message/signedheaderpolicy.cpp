#include "relaycore/message/signedheaderpolicy.h"

#include "relaycore/message/headersection.h"

#include <QStringList>

#include <algorithm>

namespace mailroute {

namespace {

QString domains(const QList<const SignatureOutcome *> &signatures)
{
    QStringList out;
    for (const SignatureOutcome *s : signatures) {
        const QString d = s->domain.isEmpty() ? QStringLiteral("?") : s->domain;
        if (!out.contains(d, Qt::CaseInsensitive))
            out << d;
    }
    return out.join(QStringLiteral(", d="));
}

} // namespace

bool SignatureOutcome::covers(const QByteArray &field) const
{
    if (signedFields.isEmpty())
        return status != SignatureStatus::Invalid;
    return std::any_of(signedFields.begin(), signedFields.end(),
                       [&field](const QByteArray &f) { return f.compare(field, Qt::CaseInsensitive) == 0; });
}

QList<HeaderFieldDecision> SignedHeaderPolicy::decide(const QList<SignatureOutcome> &signatures,
                                                      const QList<QByteArray> &fields)
{
    QList<HeaderFieldDecision> out;
    for (const QByteArray &field : fields) {
        QList<const SignatureOutcome *> valid;
        QList<const SignatureOutcome *> unknown;
        QList<const SignatureOutcome *> invalid;
        for (const SignatureOutcome &s : signatures) {
            if (!s.covers(field))
                continue;
            (s.status == SignatureStatus::Valid     ? valid
             : s.status == SignatureStatus::Unknown ? unknown
                                                    : invalid)
                << &s;
        }
        HeaderFieldDecision d;
        d.field = field;
        if (!valid.isEmpty()) {
            d.reason = QStringLiteral("covered by DKIM d=") + domains(valid);
        } else if (!unknown.isEmpty()) {
            const QString why =
                unknown.first()->reason.isEmpty() ? QStringLiteral("not verified") : unknown.first()->reason;
            d.reason = QStringLiteral("may be covered by DKIM d=%1, which could not be checked (%2)")
                           .arg(domains(unknown), why);
        } else {
            d.rewrite = true;
            if (signatures.isEmpty())
                d.reason = QStringLiteral("no DKIM signature");
            else if (invalid.isEmpty())
                d.reason = QStringLiteral("no DKIM signature covers it");
            else
                d.reason = QStringLiteral("only invalid DKIM signatures cover it (d=%1: %2)")
                               .arg(domains(invalid), invalid.first()->reason);
        }
        out << d;
    }
    return out;
}

QList<QByteArray> SignedHeaderPolicy::keptFields(const QList<HeaderFieldDecision> &decisions)
{
    QList<QByteArray> out;
    for (const HeaderFieldDecision &d : decisions) {
        if (!d.rewrite)
            out << d.field;
    }
    return out;
}

bool SignedHeaderPolicy::hasDkimSignature(const QByteArray &message)
{
    return HeaderSection(message).count("DKIM-Signature") > 0;
}

} // namespace mailroute
