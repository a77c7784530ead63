#include "relaycore/engine/tlscredentials.h"

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

Result<std::shared_ptr<const TlsCredentials>> TlsCredentials::load(const QString &certificatePath,
                                                                    const QString &keyPath)
{
    using R = Result<std::shared_ptr<const TlsCredentials>>;
    if (certificatePath.isEmpty() || keyPath.isEmpty())
        return R::failure(QStringLiteral("tls.certificate and tls.key must both be set"));
    QFile certFile(certificatePath);
    if (!certFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read tls.certificate %1: %2").arg(certificatePath, certFile.errorString()));
    const QList<QSslCertificate> certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    if (certs.isEmpty() || certs.first().isNull())
        return R::failure(QStringLiteral("tls.certificate %1 holds no PEM certificate").arg(certificatePath));
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read tls.key %1: %2").arg(keyPath, keyFile.errorString()));
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return R::failure(QStringLiteral("tls.key %1 holds no unencrypted PEM private key").arg(keyPath));
    auto creds = std::make_shared<TlsCredentials>();
    creds->certificate = certs.first();
    creds->chain = certs.mid(1);
    creds->key = key;
    return R::success(std::move(creds));
}

} // namespace mailroute
