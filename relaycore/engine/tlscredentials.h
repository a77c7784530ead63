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

    // Reads both files; a key protected by a passphrase is not supported here
    // yet (it will come from the keychain). Fails with a reason an admin can act on.
    static Result<std::shared_ptr<const TlsCredentials>> load(const QString &certificatePath, const QString &keyPath);
};

} // namespace mailroute
