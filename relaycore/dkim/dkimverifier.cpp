#include "relaycore/dkim/dkimverifier.h"

#include "relaycore/dkim/dkimbodyhashes.h"
#include "relaycore/dkim/dkimopenssl.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>

#include <openssl/x509.h>

#include <memory>

namespace mailroute {

namespace {

using PKey = std::shared_ptr<EVP_PKEY>;

DkimVerification outcome(DkimVerification v, DkimOutcome o, const QString &reason)
{
    v.outcome = o;
    v.reason = reason;
    return v;
}

PKey decodePublicKey(const DkimKeyRecord &record)
{
    const auto *p = reinterpret_cast<const unsigned char *>(record.publicKey.constData());
    if (record.ed25519) {
        EVP_PKEY *key =
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, p, size_t(record.publicKey.size()));
        return key ? PKey(key, &EVP_PKEY_free) : PKey();
    }
    // SubjectPublicKeyInfo (§3.6.1), or a bare RSAPublicKey as some old
    // records publish.
    const unsigned char *cursor = p;
    EVP_PKEY *key = d2i_PUBKEY(nullptr, &cursor, long(record.publicKey.size()));
    if (!key) {
        ERR_clear_error();
        cursor = p;
        key = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, long(record.publicKey.size()));
    }
    return key ? PKey(key, &EVP_PKEY_free) : PKey();
}

// Decoded keys by record: OpenSSL 3's DER decoder costs more than the RSA
// verification itself, and a busy inbound relay sees the same few keys
// again and again. An EVP_PKEY is safe to verify with from several threads.
PKey publicKeyOf(const DkimKeyRecord &record)
{
    // Never destroyed: freeing keys after OpenSSL's own exit handler has run
    // would crash at exit.
    static QMutex mutex;
    static auto *cache = new QHash<QByteArray, PKey>;
    const QByteArray id =
        (record.ed25519 ? QByteArrayLiteral("e:") : QByteArrayLiteral("r:")) + record.publicKey;
    {
        QMutexLocker lock(&mutex);
        if (const auto it = cache->constFind(id); it != cache->constEnd())
            return *it;
    }
    PKey key = decodePublicKey(record);
    if (key) {
        QMutexLocker lock(&mutex);
        if (cache->size() >= 256)
            cache->clear();
        cache->insert(id, key);
    }
    return key;
}

bool verifySignature(EVP_PKEY *key, bool ed25519, const QByteArray &data, const QByteArray &signature)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx)
        return false;
    const QByteArray input = ed25519 ? sha256(data) : data; // RFC 8463 §3
    const bool ok =
        EVP_DigestVerifyInit(ctx.get(), nullptr, ed25519 ? nullptr : EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
                         size_t(signature.size()), reinterpret_cast<const unsigned char *>(input.constData()),
                         size_t(input.size())) == 1;
    ERR_clear_error();
    return ok;
}

} // namespace

QString dkimOutcomeName(DkimOutcome o)
{
    switch (o) {
    case DkimOutcome::Pass: return QStringLiteral("pass");
    case DkimOutcome::Fail: return QStringLiteral("fail");
    case DkimOutcome::PermError: return QStringLiteral("permerror");
    case DkimOutcome::TempError: return QStringLiteral("temperror");
    }
    return QStringLiteral("permerror");
}

bool DkimVerification::covers(QByteArrayView fieldName) const
{
    for (const DkimFieldCoverage &c : coverage) {
        if (QByteArrayView(c.name).compare(fieldName, Qt::CaseInsensitive) == 0)
            return c.signedCount > 0 && c.present > 0;
    }
    return false;
}

DkimVerification DkimVerifier::check(const HeaderSection &section, int fieldIndex, const DkimSignature &sig,
                                     const DkimKeyAnswer &answer, qint64 now, DkimBodyHashes *bodies)
{
    DkimVerification v;
    v.fieldIndex = fieldIndex;
    v.domain = sig.domain;
    v.selector = sig.selector;
    v.identity = sig.identity;
    v.algorithm = sig.algorithm;
    if (sig.expiration && *sig.expiration < now)
        return outcome(v, DkimOutcome::Fail, QStringLiteral("signature expired"));
    if (answer.kind == DkimKeyAnswer::Kind::TempFail)
        return outcome(v, DkimOutcome::TempError,
                       QStringLiteral("key record look-up failed") +
                           (answer.detail.isEmpty() ? QString() : QStringLiteral(": ") + answer.detail));
    if (answer.kind == DkimKeyAnswer::Kind::NoRecord || answer.records.isEmpty())
        return outcome(v, DkimOutcome::PermError, QStringLiteral("no key record at %1").arg(sig.keyName()));
    // Several TXT records at the name: the first that parses as a key (§3.6.2.2 leaves it open).
    Result<DkimKeyRecord> record = Result<DkimKeyRecord>::failure(QString());
    for (const QByteArray &text : answer.records) {
        record = parseDkimKeyRecord(text);
        if (record)
            break;
    }
    if (!record)
        return outcome(v, DkimOutcome::PermError, record.error);
    v.testing = record->testing;
    if (record->revoked)
        return outcome(v, DkimOutcome::PermError, QStringLiteral("key revoked"));
    if (record->ed25519 != sig.ed25519)
        return outcome(
            v, DkimOutcome::PermError,
            QStringLiteral("key type does not match a=%1").arg(QString::fromLatin1(sig.algorithm)));
    if (record->strictIdentity) {
        const QString idomain = sig.identity.mid(sig.identity.lastIndexOf(QLatin1Char('@')) + 1).toLower();
        if (idomain != sig.domain)
            return outcome(v, DkimOutcome::PermError,
                           QStringLiteral("key record t=s: i= must be in d= itself"));
    }
    const PKey key = publicKeyOf(*record);
    ERR_clear_error();
    if (!key || (sig.ed25519 ? EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519
                             : EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA))
        return outcome(v, DkimOutcome::PermError,
                       QStringLiteral("key record: p= is not a usable public key"));
    if (!sig.ed25519 && EVP_PKEY_get_bits(key.get()) < 1024)
        return outcome(v, DkimOutcome::PermError,
                       QStringLiteral("RSA key of %1 bits is too short (RFC 8301 §3.2)")
                           .arg(EVP_PKEY_get_bits(key.get())));

    // Body hash (§6.1.3).
    qint64 canonicalLength = 0;
    DkimBodyHashes here;
    const QByteArray bodyHash =
        (bodies ? bodies : &here)
            ->hash(section, sig.bodyCanonicalization, sig.bodyLength.value_or(-1), &canonicalLength);
    if (sig.bodyLength && *sig.bodyLength > canonicalLength)
        return outcome(v, DkimOutcome::PermError, QStringLiteral("l= is longer than the body"));
    if (bodyHash != sig.bodyHash)
        return outcome(v, DkimOutcome::Fail, QStringLiteral("body hash did not verify"));

    const HeaderFieldSpan &field = section.fields().at(fieldIndex);
    const QByteArrayView raw = QByteArrayView(section.message()).sliced(field.begin, field.end - field.begin);
    const QByteArray data = dkimSignedHeaderData(section, sig.signedFields, sig.headerCanonicalization, raw);
    if (!verifySignature(key.get(), sig.ed25519, data, sig.signature))
        return outcome(v, DkimOutcome::Fail, QStringLiteral("signature did not verify"));

    for (const QByteArray &name : sig.signedFields) {
        auto it = std::find_if(v.coverage.begin(), v.coverage.end(),
                               [&](const DkimFieldCoverage &c) { return c.name == name; });
        if (it == v.coverage.end()) {
            DkimFieldCoverage c;
            c.name = name;
            c.present = section.count(name);
            v.coverage.append(c);
            it = v.coverage.end() - 1;
        }
        ++it->signedCount;
    }
    return outcome(v, DkimOutcome::Pass, QString());
}

DkimVerification DkimVerifier::checkHeaderData(const QByteArray &data, const QByteArray &signature,
                                               bool ed25519, const DkimKeyAnswer &answer)
{
    DkimVerification v;
    v.algorithm = ed25519 ? QByteArrayLiteral("ed25519-sha256") : QByteArrayLiteral("rsa-sha256");
    if (answer.kind == DkimKeyAnswer::Kind::TempFail)
        return outcome(v, DkimOutcome::TempError,
                       QStringLiteral("key record look-up failed") +
                           (answer.detail.isEmpty() ? QString() : QStringLiteral(": ") + answer.detail));
    if (answer.kind == DkimKeyAnswer::Kind::NoRecord || answer.records.isEmpty())
        return outcome(v, DkimOutcome::PermError, QStringLiteral("no key record"));
    Result<DkimKeyRecord> record = Result<DkimKeyRecord>::failure(QString());
    for (const QByteArray &text : answer.records) {
        record = parseDkimKeyRecord(text);
        if (record)
            break;
    }
    if (!record)
        return outcome(v, DkimOutcome::PermError, record.error);
    v.testing = record->testing;
    if (record->revoked)
        return outcome(v, DkimOutcome::PermError, QStringLiteral("key revoked"));
    if (record->ed25519 != ed25519)
        return outcome(v, DkimOutcome::PermError,
                       QStringLiteral("key type does not match a=%1").arg(QString::fromLatin1(v.algorithm)));
    const PKey key = publicKeyOf(*record);
    ERR_clear_error();
    if (!key || (ed25519 ? EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519
                         : EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA))
        return outcome(v, DkimOutcome::PermError,
                       QStringLiteral("key record: p= is not a usable public key"));
    if (!ed25519 && EVP_PKEY_get_bits(key.get()) < 1024)
        return outcome(v, DkimOutcome::PermError,
                       QStringLiteral("RSA key of %1 bits is too short (RFC 8301 §3.2)")
                           .arg(EVP_PKEY_get_bits(key.get())));
    if (!verifySignature(key.get(), ed25519, data, signature))
        return outcome(v, DkimOutcome::Fail, QStringLiteral("signature did not verify"));
    return outcome(v, DkimOutcome::Pass, QString());
}

void DkimVerifier::verify(const QByteArray &message, qint64 now, const KeyFetcher &fetch, Done done)
{
    verify(message, nullptr, now, fetch, std::move(done));
}

void DkimVerifier::verify(const QByteArray &message, const BodyFilePtr &body, qint64 now,
                          const KeyFetcher &fetch, Done done)
{
    struct State
    {
        HeaderSection section;
        DkimBodyHashes bodies;
        QList<DkimVerification> results;
        int pending = 0;
        bool launched = false;
        Done done;
        State(const QByteArray &m, const BodyFilePtr &b) : section(m), bodies(b) {}
        void finishOne()
        {
            if (--pending == 0 && launched)
                done(results);
        }
    };
    auto state = std::make_shared<State>(message, body);
    state->done = std::move(done);
    const QList<HeaderFieldSpan> &fields = state->section.fields();
    QList<std::pair<int, DkimSignature>> toFetch;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (!state->section.nameIs(fields[i], "dkim-signature"))
            continue;
        DkimVerification v;
        v.fieldIndex = int(i);
        if (state->results.size() >= maxSignatures) {
            state->results.append(
                outcome(v, DkimOutcome::PermError,
                        QStringLiteral("more than %1 signatures; not checked").arg(maxSignatures)));
            continue;
        }
        Result<DkimSignature> sig = parseDkimSignature(state->section.body(fields[i]));
        if (!sig) {
            state->results.append(outcome(v, DkimOutcome::PermError, sig.error));
            continue;
        }
        v.domain = sig->domain;
        v.selector = sig->selector;
        v.identity = sig->identity;
        v.algorithm = sig->algorithm;
        state->results.append(v);
        toFetch.append({int(state->results.size() - 1), *sig});
    }
    state->pending = int(toFetch.size()) + 1; // +1: held until every look-up has been started
    for (const auto &[slot, sig] : toFetch) {
        const int index = slot;
        const DkimSignature signature = sig;
        fetch(signature.keyName(), [state, index, signature, now](const DkimKeyAnswer &answer) {
            state->results[index] = check(state->section, state->results[index].fieldIndex, signature, answer,
                                          now, &state->bodies);
            state->finishOne();
        });
    }
    state->launched = true;
    state->finishOne();
}

} // namespace mailroute
