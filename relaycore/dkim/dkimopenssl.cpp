#include "relaycore/dkim/dkimopenssl.h"

#include <QCryptographicHash>

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

QByteArray sha256(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
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
