#include "ui/selfsignedcertificate.h"

#include "relaycore/routing/mailaddress.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <cstdio>

namespace mailroute {

Result<GeneratedCertificate> SelfSignedCertificate::generate(const QString &hostName,
                                                             const QString &directory, int days)
{
    using R = Result<GeneratedCertificate>;
    // The same host name rules as the relay's own domains.
    const Result<QString> host = normalizeDomain(hostName.trimmed());
    if (!host)
        return R::failure(tr("Host name: %1").arg(host.error));
    // The folder holds a private key: the owner's alone.
    if (!QDir().mkpath(directory) ||
        !QFile::setPermissions(directory,
                               QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
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
    // The key file is created with mode 0600 (never readable by others, not
    // even for a moment) before openssl writes into it.
    cleanUp();
    {
        QFile key(keyTmp);
        if (!key.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                      QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return R::failure(tr("Cannot write %1: %2").arg(keyTmp, key.errorString()));
    }
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-sha256"),
                   QStringLiteral("-days"), QString::number(days), QStringLiteral("-subj"),
                   QStringLiteral("/CN=") + *host, QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:") + *host, QStringLiteral("-keyout"), keyTmp,
                   QStringLiteral("-out"), certTmp});
    if (!openssl.waitForStarted(10000)) {
        cleanUp();
        return R::failure(
            tr("The openssl command could not be run (%1). Install OpenSSL (Debian: apt install "
               "openssl); MailRoute uses it because Qt cannot create certificates.")
                .arg(openssl.errorString()));
    }
    if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        const QString output = QString::fromLocal8Bit(openssl.readAll()).trimmed();
        openssl.kill();
        openssl.waitForFinished(5000);
        cleanUp();
        return R::failure(tr("openssl could not create the certificate: %1").arg(output));
    }
    // rename(2) replaces an existing pair in one step each; the old pair is
    // never deleted first.
    auto replace = [](const QString &from, const QString &to) {
        if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
            return true;
        QFile::remove(to); // where rename does not replace (Windows)
        return QFile::rename(from, to);
    };
    if (!replace(keyTmp, out.keyPath) || !replace(certTmp, out.certificatePath)) {
        cleanUp();
        return R::failure(tr("Cannot write the certificate into %1.").arg(directory));
    }
    return R::success(out);
}

} // namespace mailroute
