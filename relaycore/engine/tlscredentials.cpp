#include "relaycore/engine/tlscredentials.h"

#include "relaycore/secrets/secretstore.h"

#include <QFile>

namespace mailroute {

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setProtocol(QSsl::TlsV1_2OrLater);
    c.setLocalCertificate(certificate);
    c.setLocalCertificateChain(QList<QSslCertificate>{certificate} + chain);
    c.setPrivateKey(key);
    // A client certificate is not asked for: SMTP clients rarely have one.
    c.setPeerVerifyMode(QSslSocket::VerifyNone);
    return c;
}

bool TlsCredentials::isEncryptedPem(const QByteArray &pem)
{
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
}

Result<std::shared_ptr<const TlsCredentials>>
TlsCredentials::load(const QString &certificatePath, const QString &keyPath, SecretStore *secrets)
{
    using R = Result<std::shared_ptr<const TlsCredentials>>;
    if (certificatePath.isEmpty() || keyPath.isEmpty())
        return R::failure(QStringLiteral("tls.certificate and tls.key must both be set"));
    QFile certFile(certificatePath);
    if (!certFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read tls.certificate %1: %2")
                              .arg(certificatePath, certFile.errorString()));
    const QList<QSslCertificate> certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (certs.isEmpty() || certs.first().isNull())
        return R::failure(QStringLiteral("tls.certificate %1 holds no PEM certificate").arg(certificatePath));
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read tls.key %1: %2").arg(keyPath, keyFile.errorString()));
    const QByteArray keyPem = keyFile.readAll();
    QByteArray passphrase;
    const bool encrypted = isEncryptedPem(keyPem);
    if (encrypted) {
        const QString howTo =
            QStringLiteral("store it with 'mailroutectl secret set tls.key_passphrase' or on the "
                           "console's settings page");
        if (!secrets)
            return R::failure(QStringLiteral("tls.key %1 is encrypted and no keychain is available for its "
                                             "passphrase")
                                  .arg(keyPath));
        const SecretLookup lookup = secrets->read(secretnames::tlsKeyPassphrase());
        if (lookup.state == SecretState::NotFound)
            return R::failure(
                QStringLiteral("tls.key %1 is encrypted and no tls.key_passphrase is stored in the "
                               "keychain; %2")
                    .arg(keyPath, howTo));
        if (lookup.state != SecretState::Found)
            return R::failure(QStringLiteral("tls.key %1 is encrypted and its passphrase cannot be read: %2")
                                  .arg(keyPath, lookup.error));
        passphrase = lookup.value.toUtf8();
    }
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            break;
    }
    passphrase.fill('\0');
    if (key.isNull() && encrypted)
        return R::failure(QStringLiteral("the tls.key_passphrase in the keychain does not decrypt tls.key %1 "
                                         "(wrong passphrase?)")
                              .arg(keyPath));
    if (key.isNull())
        return R::failure(QStringLiteral("tls.key %1 holds no PEM private key").arg(keyPath));
    auto creds = std::make_shared<TlsCredentials>();
    creds->certificate = certs.first();
    creds->chain = certs.mid(1);
    creds->key = key;
    return R::success(std::move(creds));
}

} // namespace mailroute
