#include "ui/selfsignedcertificate.h"

#include "relaycore/routing/mailaddress.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace mailroute {

Result<GeneratedCertificate> SelfSignedCertificate::generate(const QString &hostName, const QString &directory, int days)
{
    using R = Result<GeneratedCertificate>;
    // The same host name rules as the relay's own domains.
    const Result<QString> host = normalizeDomain(hostName.trimmed());
    if (!host)
        return R::failure(tr("Host name: %1").arg(host.error));
    if (!QDir().mkpath(directory))
        return R::failure(tr("Cannot create the folder %1.").arg(directory));
    GeneratedCertificate out;
    out.certificatePath = QDir(directory).filePath(*host + QStringLiteral(".crt"));
    out.keyPath = QDir(directory).filePath(*host + QStringLiteral(".key"));
    const QString certTmp = out.certificatePath + QStringLiteral(".new");
    const QString keyTmp = out.keyPath + QStringLiteral(".new");
    auto cleanUp = [&] {
        QFile::remove(certTmp);
        QFile::remove(keyTmp);
    };
    // The key file exists with mode 0600 before openssl writes into it.
    {
        QFile key(keyTmp);
        if (!key.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || !key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return R::failure(tr("Cannot write %1: %2").arg(keyTmp, key.errorString()));
    }
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-sha256"), QStringLiteral("-days"), QString::number(days),
                   QStringLiteral("-subj"), QStringLiteral("/CN=") + *host, QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:") + *host, QStringLiteral("-keyout"), keyTmp,
                   QStringLiteral("-out"), certTmp});
    if (!openssl.waitForStarted(10000)) {
        cleanUp();
        return R::failure(tr("The openssl command could not be run (%1). Install OpenSSL (Debian: apt install "
                             "openssl); MailRoute uses it because Qt cannot create certificates.")
                              .arg(openssl.errorString()));
    }
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        const QString output = QString::fromLocal8Bit(openssl.readAll()).trimmed();
        openssl.kill();
        openssl.waitForFinished(5000);
        cleanUp();
        return R::failure(tr("openssl could not create the certificate: %1").arg(output));
    }
    QFile::setPermissions(keyTmp, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile::remove(out.certificatePath);
    QFile::remove(out.keyPath);
    if (!QFile::rename(keyTmp, out.keyPath) || !QFile::rename(certTmp, out.certificatePath)) {
        cleanUp();
        return R::failure(tr("Cannot write the certificate into %1.").arg(directory));
    }
    return R::success(out);
}

} // namespace mailroute
