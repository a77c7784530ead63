#include "relaycore/dkim/dkimsigningkey.h"

#include "relaycore/dkim/dkimopenssl.h"

#include <QFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace mailroute {

namespace {

// No passphrase prompt on the terminal: an encrypted key simply fails.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}

} // namespace

Result<DkimSigningKey> DkimSigningKey::fromPem(const QByteArray &pem, std::optional<DkimAlgorithm> expected)
{
    using R = Result<DkimSigningKey>;
    ERR_clear_error();
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  &BIO_free);
    if (!bio)
        return R::failure(QStringLiteral("out of memory"));
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr);
    if (!raw)
        return R::failure(
            QStringLiteral("not a readable unencrypted PEM private key (%1)").arg(openSslError()));
    DkimSigningKey key;
    key.m_key.reset(raw, &EVP_PKEY_free);
    const int id = EVP_PKEY_get_base_id(raw);
    if (id == EVP_PKEY_ED25519) {
        key.m_algorithm = DkimAlgorithm::Ed25519;
    } else if (id == EVP_PKEY_RSA) {
        const int bits = EVP_PKEY_get_bits(raw);
        if (bits < 2048)
            return R::failure(QStringLiteral("the RSA key has %1 bits; DKIM keys under 2048 bits are refused "
                                             "(RFC 8301 §3.2)")
                                  .arg(bits));
        if (bits == 2048)
            key.m_algorithm = DkimAlgorithm::Rsa2048;
        else if (bits == 3072)
            key.m_algorithm = DkimAlgorithm::Rsa3072;
        else
            return R::failure(
                QStringLiteral("the RSA key has %1 bits; MailRoute signs with 2048 or 3072-bit RSA keys")
                    .arg(bits));
    } else {
        return R::failure(QStringLiteral("the key is neither RSA nor Ed25519 (DKIM signs with rsa-sha256 or "
                                         "ed25519-sha256)"));
    }
    if (expected && *expected != key.m_algorithm)
        return R::failure(QStringLiteral("the key file holds an %1 key, the key is declared %2")
                              .arg(dkimAlgorithmName(key.m_algorithm), dkimAlgorithmName(*expected)));
    return R::success(key);
}

Result<DkimSigningKey> DkimSigningKey::load(const QString &path, std::optional<DkimAlgorithm> expected)
{
    using R = Result<DkimSigningKey>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(
            QStringLiteral("cannot read the DKIM key file %1: %2").arg(path, file.errorString()));
    // A PEM key is a few kilobytes; a huge file is not a key.
    const QByteArray pem = file.read(256 * 1024);
    R r = fromPem(pem, expected);
    if (!r)
        return R::failure(QStringLiteral("DKIM key file %1: %2").arg(path, r.error));
    return r;
}

QByteArray DkimSigningKey::signatureAlgorithm() const
{
    return isEd25519() ? QByteArrayLiteral("ed25519-sha256") : QByteArrayLiteral("rsa-sha256");
}

QString DkimSigningKey::publicKey() const
{
    if (!m_key)
        return {};
    return QString::fromLatin1(dkimPublicKeyBytes(m_key.get()).toBase64());
}

Result<QByteArray> DkimSigningKey::sign(const QByteArray &data) const
{
    using R = Result<QByteArray>;
    if (!m_key)
        return R::failure(QStringLiteral("no key loaded"));
    ERR_clear_error();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx)
        return R::failure(QStringLiteral("out of memory"));
    QByteArray input;
    const EVP_MD *md = nullptr;
    if (isEd25519()) {
        // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the canonicalised
        // data (PureEdDSA over the 32-byte digest), not the data itself.
        input = sha256(data);
    } else {
        input = data;
        md = EVP_sha256();
    }
    if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, m_key.get()) != 1)
        return R::failure(QStringLiteral("signing failed (%1)").arg(openSslError()));
    size_t length = 0;
    const auto *in = reinterpret_cast<const unsigned char *>(input.constData());
    if (EVP_DigestSign(ctx.get(), nullptr, &length, in, size_t(input.size())) != 1)
        return R::failure(QStringLiteral("signing failed (%1)").arg(openSslError()));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, in,
                       size_t(input.size())) != 1)
        return R::failure(QStringLiteral("signing failed (%1)").arg(openSslError()));
    signature.truncate(qsizetype(length));
    return R::success(signature);
}

} // namespace mailroute
