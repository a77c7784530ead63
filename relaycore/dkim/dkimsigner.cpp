#include "relaycore/dkim/dkimsigner.h"

#include "relaycore/dkim/dkimfieldfolder.h"

namespace mailroute {

namespace {

bool isListField(QByteArrayView name)
{
    return name.size() > 5 && name.first(5).compare(QByteArrayView("list-"), Qt::CaseInsensitive) == 0;
}

} // namespace

QList<QByteArray> DkimSigner::fieldsToSign(const HeaderSection &section)
{
    static const QList<QByteArray> names = {
        "sender",     "reply-to",     "to",           "cc",
        "subject",    "date",         "message-id",   "in-reply-to",
        "references", "mime-version", "content-type", "content-transfer-encoding",
    };
    QList<QByteArray> out;
    // From: one more than present (§8.15 "oversigning").
    for (int i = section.count("from"); i >= 0; --i)
        out.append("from");
    for (const QByteArray &name : names) {
        for (int i = section.count(name); i > 0; --i)
            out.append(name);
    }
    QList<QByteArray> lists;
    for (const HeaderFieldSpan &f : section.fields()) {
        const QByteArrayView name = section.name(f);
        if (isListField(name)) {
            const QByteArray lowerName = name.toByteArray().toLower();
            if (!lists.contains(lowerName))
                lists.append(lowerName);
        }
    }
    for (const QByteArray &name : lists) {
        for (int i = section.count(name); i > 0; --i)
            out.append(name);
    }
    return out;
}

Result<QByteArray> DkimSigner::signatureValue(const HeaderSection &section,
                                              const QList<QByteArray> &signedFields, DkimCanonicalization c,
                                              QByteArrayView unsignedField, const DkimSigningKey &key)
{
    const QByteArray data = dkimSignedHeaderData(section, signedFields, c, unsignedField);
    const Result<QByteArray> signature = key.sign(data);
    if (!signature)
        return signature;
    return Result<QByteArray>::success(signature->toBase64());
}

Result<QByteArray> DkimSigner::signatureField(const QByteArray &message, const DkimSigningKey &key,
                                              const QString &domain, const QString &selector,
                                              qint64 timestamp)
{
    const QByteArrayView body = QByteArrayView(message).sliced(HeaderSection(message).bodyOffset());
    return signatureField(message, dkimBodyHash(DkimCanonicalization::Relaxed, body), key, domain, selector,
                          timestamp);
}

Result<QByteArray> DkimSigner::signatureField(const QByteArray &message, const QByteArray &rawBodyHash,
                                              const DkimSigningKey &key, const QString &domain,
                                              const QString &selector, qint64 timestamp)
{
    using R = Result<QByteArray>;
    if (key.isNull())
        return R::failure(QStringLiteral("no signing key"));
    if (domain.isEmpty() || selector.isEmpty())
        return R::failure(QStringLiteral("no signing domain or selector"));
    const HeaderSection section(message);
    if (section.hasBareLineEnds())
        return R::failure(QStringLiteral("the header section has a bare CR or LF"));
    const QList<QByteArray> fields = fieldsToSign(section);
    const QByteArray bodyHash = rawBodyHash.toBase64();

    auto tag = [](QByteArrayView name, QByteArrayView value) {
        QByteArray t;
        t += name;
        t += '=';
        t += value;
        t += ';';
        return t;
    };
    DkimFieldFolder f("DKIM-Signature:");
    f.word(tag("v", "1"), true);
    f.word(tag("a", key.signatureAlgorithm()), true);
    f.word(tag("c", "relaxed/relaxed"), true);
    f.word(tag("d", domain.toLower().toLatin1()), true);
    f.word(tag("s", selector.toLower().toLatin1()), true);
    f.word(tag("t", QByteArray::number(timestamp)), true);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        // FWS is allowed after each ':' of h= (§3.5), so fold only there.
        QByteArray piece = i == 0 ? QByteArrayLiteral("h=") : QByteArray();
        piece += fields.at(i);
        piece += i + 1 < fields.size() ? ':' : ';';
        f.word(piece, i == 0);
    }
    f.word(tag("bh", bodyHash), true);
    f.word(QByteArrayLiteral("b="), true);
    const QByteArray unsignedField = f.text();
    const R b = signatureValue(section, fields, DkimCanonicalization::Relaxed, unsignedField, key);
    if (!b)
        return b;
    f.breakable(*b);
    QByteArray field = f.text();
    field += "\r\n";
    return R::success(field);
}

Result<QByteArray> DkimSigner::sign(const QByteArray &message, const DkimSigningKey &key,
                                    const QString &domain, const QString &selector, qint64 timestamp)
{
    Result<QByteArray> field = signatureField(message, key, domain, selector, timestamp);
    if (!field)
        return field;
    QByteArray out = *field;
    out += message;
    return Result<QByteArray>::success(out);
}

} // namespace mailroute
