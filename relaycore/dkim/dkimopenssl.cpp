#include "relaycore/dkim/dkimopenssl.h"

#include <openssl/x509.h>

namespace mailroute {

QString openSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown OpenSSL error");
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx || EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1)
        qFatal("OpenSSL cannot hash with SHA-256");
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::add(QByteArrayView data)
{
    if (!data.isEmpty())
        EVP_DigestUpdate(m_ctx, data.data(), size_t(data.size()));
}

QByteArray Sha256::result()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_ctx, reinterpret_cast<unsigned char *>(out.data()), &length);
    out.truncate(int(length));
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    Sha256 h;
    h.add(data);
    return h.result();
}

QByteArray dkimPublicKeyBytes(EVP_PKEY *key)
{
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
        size_t length = 0;
        if (EVP_PKEY_get_raw_public_key(key, nullptr, &length) != 1)
            return {};
        QByteArray out(qsizetype(length), Qt::Uninitialized);
        if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char *>(out.data()), &length) != 1)
            return {};
        out.truncate(qsizetype(length));
        return out;
    }
    const int length = i2d_PUBKEY(key, nullptr);
    if (length <= 0)
        return {};
    QByteArray out(length, Qt::Uninitialized);
    auto *p = reinterpret_cast<unsigned char *>(out.data());
    if (i2d_PUBKEY(key, &p) != length)
        return {};
    return out;
}

} // namespace mailroute
