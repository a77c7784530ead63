#include "relaycore/arc/arcchain.h"

#include "relaycore/arc/arcfields.h"
#include "relaycore/dkim/dkimbodyhashes.h"
#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/dkim/dkimtaglist.h"

#include <memory>

namespace mailroute {

namespace {

ArcValidation failed(int instance, const QString &reason)
{
    ArcValidation v;
    v.status = ArcChainStatus::Fail;
    v.reason = reason;
    v.instance = instance;
    return v;
}

QByteArrayView fieldBytes(const HeaderSection &section, int index)
{
    const HeaderFieldSpan &f = section.fields().at(index);
    return QByteArrayView(section.message()).sliced(f.begin, f.end - f.begin);
}

} // namespace

QString arcChainStatusName(ArcChainStatus status)
{
    switch (status) {
    case ArcChainStatus::None: return QStringLiteral("none");
    case ArcChainStatus::Pass: return QStringLiteral("pass");
    case ArcChainStatus::Fail: return QStringLiteral("fail");
    }
    return QStringLiteral("fail");
}

ArcChainShape ArcChain::shape(const HeaderSection &section)
{
    ArcChainShape s;
    struct Found
    {
        int index;
        ArcFieldKind kind;
        int instance;
    };
    QList<Found> found;
    const QList<HeaderFieldSpan> &fields = section.fields();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const std::optional<ArcFieldKind> kind = arcFieldKind(section.name(fields[i]));
        if (!kind)
            continue;
        const int instance = arcInstance(*kind, section.body(fields[i]));
        if (instance < 1 || instance > maxInstance) {
            if (s.error.isEmpty())
                s.error = instance < 1 ? QStringLiteral("an ARC field without a valid i=")
                                       : QStringLiteral("an ARC instance above %1").arg(maxInstance);
            continue;
        }
        s.maxInstance = qMax(s.maxInstance, instance);
        found.append({int(i), *kind, instance});
    }
    s.sets.resize(s.maxInstance);
    for (const Found &f : std::as_const(found)) {
        ArcSetFields &set = s.sets[f.instance - 1];
        int &slot = f.kind == ArcFieldKind::AuthenticationResults ? set.aar
                    : f.kind == ArcFieldKind::MessageSignature    ? set.ams
                                                                  : set.seal;
        if (slot >= 0 && s.error.isEmpty())
            s.error = QStringLiteral("two %1 fields with i=%2").arg(arcFieldName(f.kind)).arg(f.instance);
        slot = f.index;
    }
    if (!s.error.isEmpty())
        return s;
    for (int k = 1; k <= s.maxInstance; ++k) {
        const ArcSetFields &set = s.sets.at(k - 1);
        if (set.aar < 0 || set.ams < 0 || set.seal < 0) {
            s.error = QStringLiteral("ARC set %1 is incomplete").arg(k);
            return s;
        }
        const Result<QList<DkimTag>> tags = parseDkimTagList(section.body(fields[set.seal]));
        if (!tags) {
            s.error = QStringLiteral("ARC-Seal i=%1: %2").arg(k).arg(tags.error);
            return s;
        }
        QByteArray cv;
        for (const DkimTag &t : *tags) {
            if (t.name == "cv")
                cv = t.value.toLower();
            if (t.name == "h") {
                s.error = QStringLiteral("ARC-Seal i=%1 has h=").arg(k);
                return s;
            }
        }
        if (k == s.maxInstance)
            s.topCv = cv;
        if (cv == "fail") {
            s.error = QStringLiteral("ARC-Seal i=%1 says cv=fail").arg(k);
            return s;
        }
        if ((k == 1 && cv != "none") || (k > 1 && cv != "pass")) {
            s.error = QStringLiteral("ARC-Seal i=%1 has cv=%2").arg(k).arg(QString::fromLatin1(cv));
            return s;
        }
    }
    return s;
}

QList<int> ArcChain::foreignClaims(const HeaderSection &section, const QString &authservId,
                                   const QString &ownDomain)
{
    QList<int> out;
    const QByteArray id = authservId.toLower().toLatin1();
    const QList<HeaderFieldSpan> &fields = section.fields();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (arcFieldKind(section.name(fields[i])) != ArcFieldKind::AuthenticationResults)
            continue;
        const QByteArrayView body = section.body(fields[i]);
        const int instance = arcInstance(ArcFieldKind::AuthenticationResults, body);
        // "i=N; authserv-id; ...": the second element.
        const QList<QByteArray> parts = body.toByteArray().replace("\r\n", "").split(';');
        QByteArray claimed = parts.value(1).trimmed().toLower();
        if (const qsizetype space = claimed.indexOf(' '); space > 0)
            claimed.truncate(space);
        if (claimed != id)
            continue;
        bool ours = false;
        for (qsizetype j = 0; j < fields.size() && instance > 0; ++j) {
            if (arcFieldKind(section.name(fields[j])) != ArcFieldKind::Seal ||
                arcInstance(ArcFieldKind::Seal, section.body(fields[j])) != instance)
                continue;
            const Result<ArcSignatureTags> seal = parseArcSignature(section.body(fields[j]), false);
            ours = seal && seal->signature.domain.compare(ownDomain, Qt::CaseInsensitive) == 0;
        }
        if (!ours)
            out << int(i);
    }
    return out;
}

QStringList ArcChain::keyNames(const QByteArray &message)
{
    const HeaderSection section(message);
    const ArcChainShape s = shape(section);
    QStringList names;
    if (!s.error.isEmpty() || s.maxInstance == 0)
        return names;
    auto add = [&](int index, bool ams) {
        const Result<ArcSignatureTags> t = parseArcSignature(section.body(section.fields().at(index)), ams);
        if (t && !names.contains(t->keyName()))
            names << t->keyName();
    };
    add(s.sets.last().ams, true);
    for (const ArcSetFields &set : s.sets)
        add(set.seal, false);
    return names;
}

ArcValidation ArcChain::evaluate(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &keys,
                                 qint64 now, const BodyFilePtr &body)
{
    const HeaderSection section(message);
    const ArcChainShape s = shape(section);
    if (!s.error.isEmpty())
        return failed(s.maxInstance, s.error);
    if (s.maxInstance == 0)
        return {};
    const int n = s.maxInstance;
    auto answerFor = [&](const QString &name) {
        DkimKeyAnswer a;
        a.kind = DkimKeyAnswer::Kind::TempFail;
        a.detail = QStringLiteral("not looked up");
        return keys.value(name, a);
    };

    // §5.2 step 4: the most recent ARC-Message-Signature, like DKIM.
    const int amsIndex = s.sets.last().ams;
    const Result<ArcSignatureTags> ams = parseArcSignature(section.body(section.fields().at(amsIndex)), true);
    if (!ams)
        return failed(n, QStringLiteral("ARC-Message-Signature i=%1: %2").arg(n).arg(ams.error));
    if (ams->signature.signedFields.contains("arc-seal"))
        return failed(n, QStringLiteral("ARC-Message-Signature i=%1 signs ARC-Seal").arg(n));
    DkimBodyHashes bodies(body);
    const DkimVerification amsResult =
        DkimVerifier::check(section, amsIndex, ams->signature, answerFor(ams->keyName()), now, &bodies);
    if (amsResult.outcome != DkimOutcome::Pass)
        return failed(n,
                      QStringLiteral("ARC-Message-Signature i=%1 (d=%2): %3 (%4)")
                          .arg(n)
                          .arg(ams->signature.domain, dkimOutcomeName(amsResult.outcome), amsResult.reason));

    // §5.2 step 5: every ARC-Seal, newest first, over the sets up to its own.
    for (int k = n; k >= 1; --k) {
        const int sealIndex = s.sets.at(k - 1).seal;
        const Result<ArcSignatureTags> seal =
            parseArcSignature(section.body(section.fields().at(sealIndex)), false);
        if (!seal)
            return failed(n, QStringLiteral("ARC-Seal i=%1: %2").arg(k).arg(seal.error));
        QByteArray data;
        for (int j = 1; j <= k; ++j) {
            const ArcSetFields &set = s.sets.at(j - 1);
            data += dkimCanonicalHeader(DkimCanonicalization::Relaxed, fieldBytes(section, set.aar));
            data += "\r\n";
            data += dkimCanonicalHeader(DkimCanonicalization::Relaxed, fieldBytes(section, set.ams));
            data += "\r\n";
            if (j < k) {
                data += dkimCanonicalHeader(DkimCanonicalization::Relaxed, fieldBytes(section, set.seal));
                data += "\r\n";
            }
        }
        data += dkimCanonicalHeader(DkimCanonicalization::Relaxed,
                                    dkimRemoveSignatureValue(fieldBytes(section, sealIndex)));
        const DkimVerification r = DkimVerifier::checkHeaderData(
            data, seal->signature.signature, seal->signature.ed25519, answerFor(seal->keyName()));
        if (r.outcome != DkimOutcome::Pass)
            return failed(n, QStringLiteral("ARC-Seal i=%1 (d=%2): %3 (%4)")
                                 .arg(k)
                                 .arg(seal->signature.domain, dkimOutcomeName(r.outcome), r.reason));
    }
    ArcValidation v;
    v.status = ArcChainStatus::Pass;
    v.instance = n;
    return v;
}

void ArcChain::validate(const QByteArray &message, qint64 now, const DkimVerifier::KeyFetcher &fetch,
                        Done done, const BodyFilePtr &body)
{
    const QStringList names = keyNames(message);
    if (names.isEmpty()) {
        done(evaluate(message, {}, now, body));
        return;
    }
    struct State
    {
        QByteArray message;
        BodyFilePtr body;
        QHash<QString, DkimKeyAnswer> answers;
        int pending = 0;
        Done done;
    };
    auto state = std::make_shared<State>();
    state->message = message;
    state->body = body;
    state->pending = int(names.size());
    state->done = std::move(done);
    for (const QString &name : names) {
        fetch(name, [state, name, now](const DkimKeyAnswer &answer) {
            state->answers.insert(name, answer);
            if (--state->pending == 0)
                state->done(evaluate(state->message, state->answers, now, state->body));
        });
    }
}

void arcChainResult(const QByteArray &message, qint64 now, const DkimVerifier::KeyFetcher &fetch,
                    std::function<void(const QString &)> done, const BodyFilePtr &body)
{
    ArcChain::validate(
        message, now, fetch,
        [done = std::move(done)](const ArcValidation &v) { done(arcChainStatusName(v.status)); }, body);
}

QString arcChainResult(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &keys, qint64 now)
{
    return arcChainStatusName(ArcChain::evaluate(message, keys, now).status);
}

} // namespace mailroute
