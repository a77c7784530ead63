#include "relaycore/dkim/dkimkeyrecord.h"

#include "relaycore/dkim/dkimtaglist.h"

namespace mailroute {

Result<DkimKeyRecord> parseDkimKeyRecord(QByteArrayView text)
{
    using R = Result<DkimKeyRecord>;
    const Result<QList<DkimTag>> tags = parseDkimTagList(text);
    if (!tags)
        return R::failure(QStringLiteral("key record: ") + tags.error);
    DkimKeyRecord record;
    bool hasP = false;
    for (qsizetype i = 0; i < tags->size(); ++i) {
        const DkimTag &t = tags->at(i);
        if (t.name == "v") {
            if (i != 0 || t.value != "DKIM1")
                return R::failure(QStringLiteral("key record: v= must be DKIM1 and come first"));
        } else if (t.name == "k") {
            const QByteArray k = t.value.toLower();
            if (k == "rsa")
                record.ed25519 = false;
            else if (k == "ed25519")
                record.ed25519 = true;
            else
                return R::failure(
                    QStringLiteral("key record: unknown key type k=%1").arg(QString::fromLatin1(k.left(20))));
        } else if (t.name == "h") {
            bool sha256 = false;
            for (const QByteArray &h : dkimWithoutWhitespace(t.value).split(':'))
                sha256 = sha256 || h.toLower() == "sha256";
            if (!sha256)
                return R::failure(QStringLiteral("key record: h= does not allow sha256"));
        } else if (t.name == "s") {
            bool email = false;
            for (const QByteArray &s : dkimWithoutWhitespace(t.value).split(':'))
                email = email || s == "*" || s.toLower() == "email";
            if (!email)
                return R::failure(QStringLiteral("key record: s= does not allow email"));
        } else if (t.name == "t") {
            for (const QByteArray &flag : dkimWithoutWhitespace(t.value).split(':')) {
                record.testing = record.testing || flag == "y";
                record.strictIdentity = record.strictIdentity || flag == "s";
            }
        } else if (t.name == "p") {
            hasP = true;
            const QByteArray compact = dkimWithoutWhitespace(t.value);
            if (compact.isEmpty()) {
                record.revoked = true;
                continue;
            }
            const auto decoded =
                QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return R::failure(QStringLiteral("key record: p= is not base64"));
            record.publicKey = decoded.decoded;
        }
    }
    if (!hasP)
        return R::failure(QStringLiteral("key record: p= missing"));
    return R::success(record);
}

} // namespace mailroute
