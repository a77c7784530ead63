// The relay's server certificate and key for inbound STARTTLS (settings
// tls.certificate and tls.key, PEM files), loaded once per pushed generation.
// Immutable and shared by the sessions as std::shared_ptr<const TlsCredentials>.
#pragma once

#include "relaycore/routing/result.h"

#include <QDateTime>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

#include <memory>

namespace mailroute {

class SecretStore;

struct TlsCredentials
{
    QSslCertificate certificate;
    QList<QSslCertificate> chain; // intermediates that follow it in the PEM file
    QSslKey key;

    // Opportunistic TLS still encrypts with an expired certificate (most MTAs
    // do not verify), so it is served; the engine logs a warning instead.
    bool expired() const { return certificate.expiryDate() < QDateTime::currentDateTimeUtc(); }

    // TLS 1.2 or later (issue 5), the server's certificate chain and key.
    QSslConfiguration serverConfiguration() const;

    // Reads both files. An encrypted PEM key (PKCS#8 "ENCRYPTED PRIVATE KEY"
    // or a traditional key with "Proc-Type: 4,ENCRYPTED") is decrypted with
    // the tls.key_passphrase secret, read from `secrets` only then: an
    // unencrypted key needs no keychain. Fails with a reason an admin can act
    // on (never containing the passphrase).
    static Result<std::shared_ptr<const TlsCredentials>>
    load(const QString &certificatePath, const QString &keyPath, SecretStore *secrets = nullptr);
    // Whether PEM text holds an encrypted private key.
    static bool isEncryptedPem(const QByteArray &pem);
};

} // namespace mailroute
