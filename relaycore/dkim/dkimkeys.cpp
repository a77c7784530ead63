#include "relaycore/dkim/dkimkeys.h"

#include "relaycore/dkim/dkimopenssl.h"
#include "relaycore/dkim/dkimsigningkey.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/pem.h>

#include <cstdio>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

namespace mailroute {

Result<GeneratedDkimKey> generateDkimKey(DkimAlgorithm algorithm)
{
    using R = Result<GeneratedDkimKey>;
    ERR_clear_error();
    EVP_PKEY *raw = nullptr;
    switch (algorithm) {
    case DkimAlgorithm::Rsa2048: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)); break;
    case DkimAlgorithm::Rsa3072: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(3072)); break;
    case DkimAlgorithm::Ed25519: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    }
    if (!raw)
        return R::failure(QStringLiteral("key generation failed (%1)").arg(openSslError()));
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return R::failure(QStringLiteral("cannot encode the private key (%1)").arg(openSslError()));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    GeneratedDkimKey out;
    out.privatePem = QByteArray(data, qsizetype(length));
    const QByteArray publicBytes = dkimPublicKeyBytes(key.get());
    if (publicBytes.isEmpty())
        return R::failure(QStringLiteral("cannot encode the public key (%1)").arg(openSslError()));
    out.publicKey = QString::fromLatin1(publicBytes.toBase64());
    return R::success(out);
}

Status writeDkimPrivateKey(const QString &path, const QByteArray &pem)
{
    const QFileInfo info(path);
    const QString folder = info.absolutePath();
    if (!QFileInfo::exists(folder)) {
        // Only the last folder is the key folder; its parents are ordinary.
        const QString parent = QFileInfo(folder).absolutePath();
        if (!QDir().mkpath(parent))
            return Status::failure(QStringLiteral("cannot create the folder %1").arg(parent));
        const QByteArray encoded = QFile::encodeName(folder);
        if (::mkdir(encoded.constData(), 0700) != 0 && !QFileInfo(folder).isDir())
            return Status::failure(QStringLiteral("cannot create the folder %1").arg(folder));
        if (::chmod(encoded.constData(), 0700) != 0)
            return Status::failure(QStringLiteral("cannot make the folder %1 private").arg(folder));
    }
    const QString tmp = info.absoluteFilePath() + QStringLiteral(".new");
    QFile::remove(tmp); // a crashed earlier write; NewOnly below refuses to reuse it
    QFile file(tmp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(tmp, file.errorString()));
    const bool written = file.write(pem) == pem.size() && file.flush() && ::fsync(file.handle()) == 0;
    file.close();
    if (!written || file.error() != QFileDevice::NoError) {
        QFile::remove(tmp);
        return Status::failure(QStringLiteral("cannot write %1").arg(tmp));
    }
    // rename(2) replaces an existing key in one step; it is never deleted first.
    if (std::rename(QFile::encodeName(tmp).constData(),
                    QFile::encodeName(info.absoluteFilePath()).constData()) != 0) {
        QFile::remove(tmp);
        return Status::failure(QStringLiteral("cannot move %1 into place").arg(tmp));
    }
    return okStatus();
}

Result<QString> dkimPublicKeyFromFile(const QString &path, DkimAlgorithm algorithm)
{
    const Result<DkimSigningKey> key = DkimSigningKey::load(path, algorithm);
    if (!key)
        return Result<QString>::failure(key.error);
    return Result<QString>::success(key->publicKey());
}

QString dkimRecordValue(DkimAlgorithm algorithm, const QString &publicKey)
{
    const QString k = algorithm == DkimAlgorithm::Ed25519 ? QStringLiteral("ed25519") : QStringLiteral("rsa");
    return QStringLiteral("v=DKIM1; k=") + k + QStringLiteral("; p=") + publicKey;
}

QStringList dkimZoneStrings(const QString &recordValue)
{
    // A record value is ASCII (base64 and tags), so 255 characters are 255 octets.
    QStringList out;
    for (qsizetype i = 0; i < recordValue.size(); i += 255)
        out << recordValue.mid(i, 255);
    return out;
}

} // namespace mailroute
