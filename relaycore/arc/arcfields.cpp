#include "relaycore/arc/arcfields.h"

#include "relaycore/dkim/dkimtaglist.h"

namespace mailroute {

namespace {

int instanceNumber(QByteArrayView digits)
{
    if (digits.isEmpty() || digits.size() > 6)
        return 0;
    int n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return 0;
        n = n * 10 + (c - '0');
    }
    return n > 50 ? -1 : n;
}

} // namespace

std::optional<ArcFieldKind> arcFieldKind(QByteArrayView name)
{
    if (name.compare(QByteArrayView("ARC-Authentication-Results"), Qt::CaseInsensitive) == 0)
        return ArcFieldKind::AuthenticationResults;
    if (name.compare(QByteArrayView("ARC-Message-Signature"), Qt::CaseInsensitive) == 0)
        return ArcFieldKind::MessageSignature;
    if (name.compare(QByteArrayView("ARC-Seal"), Qt::CaseInsensitive) == 0)
        return ArcFieldKind::Seal;
    return std::nullopt;
}

QString arcFieldName(ArcFieldKind kind)
{
    switch (kind) {
    case ArcFieldKind::AuthenticationResults: return QStringLiteral("ARC-Authentication-Results");
    case ArcFieldKind::MessageSignature: return QStringLiteral("ARC-Message-Signature");
    case ArcFieldKind::Seal: return QStringLiteral("ARC-Seal");
    }
    return {};
}

int arcInstance(ArcFieldKind kind, QByteArrayView body)
{
    if (kind == ArcFieldKind::AuthenticationResults) {
        // "i=" 1*DIGIT ";" authserv-id ... (§4.1.1)
        const qsizetype semicolon = body.indexOf(';');
        QByteArrayView first = (semicolon < 0 ? body : body.first(semicolon)).trimmed();
        if (!first.startsWith("i") && !first.startsWith("I"))
            return 0;
        first = first.sliced(1).trimmed();
        if (!first.startsWith("="))
            return 0;
        return instanceNumber(first.sliced(1).trimmed());
    }
    const Result<QList<DkimTag>> tags = parseDkimTagList(body);
    if (!tags)
        return 0;
    for (const DkimTag &t : *tags) {
        if (t.name == "i")
            return instanceNumber(t.value);
    }
    return 0;
}

Result<ArcSignatureTags> parseArcSignature(QByteArrayView body, bool ams)
{
    using R = Result<ArcSignatureTags>;
    const Result<QList<DkimTag>> tags = parseDkimTagList(body);
    if (!tags)
        return R::failure(tags.error);
    ArcSignatureTags out;
    bool hasCanon = false;
    // The DKIM-Signature parser does every check the two share: the tags
    // are handed to it with v=1 for i= (and, for a seal, the h= and bh= it
    // has not got).
    QByteArray dkimValue = "v=1;";
    for (const DkimTag &t : *tags) {
        if (t.name == "i") {
            out.instance = instanceNumber(t.value);
            continue;
        }
        if (t.name == "cv") {
            out.cv = t.value.toLower();
            continue;
        }
        if (t.name == "v")
            return R::failure(QStringLiteral("an ARC signature has no v= tag"));
        if (!ams && (t.name == "h" || t.name == "bh"))
            return R::failure(
                QStringLiteral("an ARC-Seal must not have %1=").arg(QString::fromLatin1(t.name)));
        if (t.name == "c")
            hasCanon = true;
        dkimValue += ' ' + t.name + '=' + t.value + ';';
    }
    if (out.instance < 1)
        return R::failure(QStringLiteral("no valid i= (1 to 50)"));
    if (!ams && out.cv != "none" && out.cv != "pass" && out.cv != "fail")
        return R::failure(QStringLiteral("no valid cv="));
    if (ams && !hasCanon)
        dkimValue += " c=relaxed/relaxed;";
    if (!ams)
        dkimValue += " h=from; bh=AA==;";
    Result<DkimSignature> sig = parseDkimSignature(dkimValue);
    if (!sig)
        return R::failure(sig.error);
    out.signature = *sig;
    if (!ams) {
        out.signature.signedFields.clear();
        out.signature.bodyHash.clear();
    }
    return R::success(out);
}

} // namespace mailroute
