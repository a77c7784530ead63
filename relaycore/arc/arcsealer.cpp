#include "relaycore/arc/arcsealer.h"

#include "relaycore/arc/arcfields.h"
#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/dkim/dkimfieldfolder.h"
#include "relaycore/dkim/dkimsigner.h"

namespace mailroute {

namespace {

QByteArray tag(QByteArrayView name, QByteArrayView value)
{
    QByteArray t;
    t += name;
    t += '=';
    t += value;
    t += ';';
    return t;
}

// Unfolds a field body: CRLF before WSP removed (RFC 5322 §2.2.3).
QByteArray unfold(QByteArrayView body)
{
    QByteArray out = body.toByteArray();
    out.replace("\r\n", "");
    return out.trimmed();
}

// The authserv-id of an Authentication-Results body (RFC 8601 §2.2): the
// text before the first ';' (a version after it, "id 1", ignored).
QByteArray authservIdOf(QByteArrayView body)
{
    const qsizetype semicolon = body.indexOf(';');
    QByteArray id = unfold(semicolon < 0 ? body : body.first(semicolon));
    const qsizetype space = id.indexOf(' ');
    if (space > 0)
        id.truncate(space);
    return id.toLower();
}

} // namespace

QByteArray ArcSealer::withArcResult(const QByteArray &message, const QString &authservId, ArcChainStatus cv,
                                    QByteArray *payload)
{
    const QByteArray id = authservId.toLower().toLatin1();
    const QByteArray result = "arc=" + arcChainStatusName(cv).toLatin1();
    const HeaderSection section(message);
    for (const HeaderFieldSpan &f : section.fields()) {
        if (!section.nameIs(f, "authentication-results") || authservIdOf(section.body(f)) != id)
            continue;
        QByteArray body = unfold(section.body(f));
        const qsizetype semicolon = body.indexOf(';');
        const QByteArray rest = semicolon < 0 ? QByteArray() : body.mid(semicolon + 1).trimmed();
        if (rest.isEmpty() || rest.compare("none", Qt::CaseInsensitive) == 0)
            body = (semicolon < 0 ? body : body.left(semicolon)) + "; " + result;
        else if (!QByteArray(";" + rest).toLower().contains("; arc=") && !rest.toLower().startsWith("arc="))
            body += "; " + result;
        if (payload)
            *payload = body;
        // The field is rewritten unfolded at its place; nothing else moves.
        QByteArray out;
        out.reserve(message.size() + result.size() + 4);
        out.append(QByteArrayView(message).first(f.bodyBegin));
        out.append(' ').append(body);
        out.append(QByteArrayView(message).sliced(f.end));
        return out;
    }
    QByteArray body = authservId.toLatin1() + "; " + result;
    if (payload)
        *payload = body;
    return "Authentication-Results: " + body + "\r\n" + message;
}

Result<QByteArray> ArcSealer::seal(const QByteArray &message, const DkimSigningKey &key,
                                   const ArcSealRequest &request)
{
    using R = Result<QByteArray>;
    if (key.isNull())
        return R::failure(QStringLiteral("no sealing key"));
    if (request.domain.isEmpty() || request.selector.isEmpty() || request.authservId.isEmpty())
        return R::failure(QStringLiteral("no sealing domain, selector or authserv-id"));
    const HeaderSection received(message);
    if (received.hasBareLineEnds())
        return R::failure(QStringLiteral("the header section has a bare CR or LF"));
    // A broken chain is not vouched for: ARC-Authentication-Results that
    // claim the relay's authserv-id in someone else's set are dropped
    // (the seal covers only the new set then, so nothing it signs moves).
    QByteArray cleaned = message;
    if (request.cv == ArcChainStatus::Fail) {
        const QList<int> forged = ArcChain::foreignClaims(received, request.authservId, request.domain);
        for (qsizetype k = forged.size() - 1; k >= 0; --k) {
            const HeaderFieldSpan &f = received.fields().at(forged.at(k));
            cleaned.remove(f.begin, f.next - f.begin);
        }
    }
    return sealCleaned(cleaned, key, request);
}

Result<QByteArray> ArcSealer::sealCleaned(const QByteArray &message, const DkimSigningKey &key,
                                          const ArcSealRequest &request)
{
    using R = Result<QByteArray>;
    const HeaderSection original(message);
    const ArcChainShape shape = ArcChain::shape(original);
    const bool chain = shape.hasArcFields();
    if (chain && request.cv == ArcChainStatus::None)
        return R::failure(QStringLiteral("the message has ARC fields: cv=none is not possible"));
    if (!chain && request.cv == ArcChainStatus::Pass)
        return R::failure(QStringLiteral("the message has no ARC chain: cv=pass is not possible"));
    // The next instance: above every i= seen, even in a broken chain.
    int highest = shape.maxInstance;
    for (const HeaderFieldSpan &f : original.fields()) {
        if (const auto kind = arcFieldKind(original.name(f)))
            highest = qMax(highest, arcInstance(*kind, original.body(f)));
    }
    const int instance = highest + 1;
    if (instance > ArcChain::maxInstance)
        return R::failure(QStringLiteral("the ARC chain already has %1 sets").arg(ArcChain::maxInstance));
    const QByteArray i = QByteArray::number(instance);
    const QByteArray domain = request.domain.toLower().toLatin1();
    const QByteArray selector = request.selector.toLower().toLatin1();
    const QByteArray t = QByteArray::number(request.timestamp);

    QByteArray payload;
    const QByteArray withResult = withArcResult(message, request.authservId, request.cv, &payload);
    const HeaderSection section(withResult);

    // ARC-Authentication-Results (§4.1.1).
    const QByteArray aar = "ARC-Authentication-Results: i=" + i + "; " + payload;

    // ARC-Message-Signature (§4.1.2).
    const QList<QByteArray> fields = DkimSigner::fieldsToSign(section);
    const QByteArrayView body = QByteArrayView(withResult).sliced(section.bodyOffset());
    const QByteArray bodyHash =
        (request.bodyHash.isEmpty() ? dkimBodyHash(DkimCanonicalization::Relaxed, body) : request.bodyHash)
            .toBase64();
    DkimFieldFolder ams("ARC-Message-Signature:");
    ams.word(tag("i", i), true);
    ams.word(tag("a", key.signatureAlgorithm()), true);
    ams.word(tag("c", "relaxed/relaxed"), true);
    ams.word(tag("d", domain), true);
    ams.word(tag("s", selector), true);
    ams.word(tag("t", t), true);
    for (qsizetype k = 0; k < fields.size(); ++k) {
        QByteArray piece = k == 0 ? QByteArrayLiteral("h=") : QByteArray();
        piece += fields.at(k);
        piece += k + 1 < fields.size() ? ':' : ';';
        ams.word(piece, k == 0);
    }
    ams.word(tag("bh", bodyHash), true);
    ams.word(QByteArrayLiteral("b="), true);
    const Result<QByteArray> amsValue =
        DkimSigner::signatureValue(section, fields, DkimCanonicalization::Relaxed, ams.text(), key);
    if (!amsValue)
        return amsValue;
    ams.breakable(*amsValue);
    const QByteArray amsField = ams.text();

    // ARC-Seal (§4.1.3, §5.1.1): the earlier sets in instance order, then the new one.
    DkimFieldFolder seal("ARC-Seal:");
    seal.word(tag("i", i), true);
    seal.word(tag("a", key.signatureAlgorithm()), true);
    seal.word(tag("t", t), true);
    seal.word(tag("cv", arcChainStatusName(request.cv).toLatin1()), true);
    seal.word(tag("d", domain), true);
    seal.word(tag("s", selector), true);
    seal.word(QByteArrayLiteral("b="), true);
    QByteArray data;
    auto add = [&data](QByteArrayView field) {
        data += dkimCanonicalHeader(DkimCanonicalization::Relaxed, field);
        data += "\r\n";
    };
    if (request.cv == ArcChainStatus::Pass) {
        for (const ArcSetFields &set : shape.sets) {
            for (int index : {set.aar, set.ams, set.seal}) {
                const HeaderFieldSpan &f = original.fields().at(index);
                add(QByteArrayView(message).sliced(f.begin, f.end - f.begin));
            }
        }
    }
    add(aar);
    add(amsField);
    data += dkimCanonicalHeader(DkimCanonicalization::Relaxed, seal.text());
    const Result<QByteArray> sealSignature = key.sign(data);
    if (!sealSignature)
        return R::failure(sealSignature.error);
    seal.breakable(sealSignature->toBase64());

    QByteArray out;
    out.reserve(withResult.size() + 1024);
    out += seal.text();
    out += "\r\n";
    out += amsField;
    out += "\r\n";
    out += aar;
    out += "\r\n";
    out += withResult;
    return R::success(out);
}

} // namespace mailroute
