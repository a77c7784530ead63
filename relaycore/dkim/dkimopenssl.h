// Small OpenSSL helpers shared by the DKIM files (internal to relaycore/dkim).
#pragma once

#include <QByteArray>
#include <QString>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace mailroute {

// Incremental SHA-256 through OpenSSL (SHA extensions where the CPU has
// them; several times faster than QCryptographicHash's portable code).
class Sha256 final
{
public:
    Sha256();
    ~Sha256();
    Q_DISABLE_COPY_MOVE(Sha256)
    void add(QByteArrayView data);
    QByteArray result(); // once

private:
    EVP_MD_CTX *m_ctx;
};

// The last OpenSSL error of this thread, as text, and the queue cleared.
QString openSslError();
QByteArray sha256(QByteArrayView data);
// The bytes p= holds: DER SubjectPublicKeyInfo for RSA, the raw 32-byte
// public key for Ed25519 (RFC 8463 §4). Empty on failure.
QByteArray dkimPublicKeyBytes(EVP_PKEY *key);

} // namespace mailroute
