// Small OpenSSL helpers shared by the DKIM files (internal to relaycore/dkim).
#pragma once

#include <QByteArray>
#include <QString>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace mailroute {

// The last OpenSSL error of this thread, as text, and the queue cleared.
QString openSslError();
QByteArray sha256(QByteArrayView data);
// The bytes p= holds: DER SubjectPublicKeyInfo for RSA, the raw 32-byte
// public key for Ed25519 (RFC 8463 §4). Empty on failure.
QByteArray dkimPublicKeyBytes(EVP_PKEY *key);

} // namespace mailroute
