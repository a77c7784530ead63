// Key generation, the private key file (0600 in a 0700 folder, atomic) and
// the record value; the public key is checked with openssl(1), an
// independent reader of the same formats.
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/dkim/dkimsigningkey.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace mailroute;

namespace {

QByteArray runOpenssl(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForStarted(10000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

int modeOf(const QString &path)
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

} // namespace

class TestDkimKeys : public QObject
{
    Q_OBJECT

private slots:
    void generate_data()
    {
        QTest::addColumn<DkimAlgorithm>("algorithm");
        QTest::addColumn<int>("publicBytes");
        QTest::newRow("rsa-2048") << DkimAlgorithm::Rsa2048 << 294;
        QTest::newRow("rsa-3072") << DkimAlgorithm::Rsa3072 << 422;
        QTest::newRow("ed25519") << DkimAlgorithm::Ed25519 << 32;
    }
    void generate()
    {
        QFETCH(DkimAlgorithm, algorithm);
        QFETCH(int, publicBytes);
        const Result<GeneratedDkimKey> key = generateDkimKey(algorithm);
        QVERIFY2(key.ok(), qPrintable(key.error));
        QVERIFY(key->privatePem.startsWith("-----BEGIN PRIVATE KEY-----"));
        QCOMPARE(QByteArray::fromBase64(key->publicKey.toLatin1()).size(), publicBytes);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("keys/example.com.pem"));
        const Status written = writeDkimPrivateKey(path, key->privatePem);
        QVERIFY2(written.ok(), qPrintable(written.error));
        QCOMPARE(modeOf(path), 0600);
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("keys"))), 0700);
        QVERIFY(!QFile::exists(path + QStringLiteral(".new")));
        const Result<QString> derived = dkimPublicKeyFromFile(path, algorithm);
        QVERIFY2(derived.ok(), qPrintable(derived.error));
        QCOMPARE(*derived, key->publicKey);

        // openssl(1) derives the same public key from the PEM.
        const QByteArray der = runOpenssl({QStringLiteral("pkey"), QStringLiteral("-pubout"),
                                           QStringLiteral("-outform"), QStringLiteral("DER")},
                                          key->privatePem);
        QVERIFY(!der.isEmpty());
        if (algorithm == DkimAlgorithm::Ed25519)
            QCOMPARE(der.right(32),
                     QByteArray::fromBase64(key->publicKey.toLatin1())); // SPKI = 12-byte prefix + raw key
        else
            QCOMPARE(der, QByteArray::fromBase64(key->publicKey.toLatin1()));

        // A key of another type than declared is refused with a reason.
        const DkimAlgorithm other =
            algorithm == DkimAlgorithm::Ed25519 ? DkimAlgorithm::Rsa2048 : DkimAlgorithm::Ed25519;
        const Result<QString> wrong = dkimPublicKeyFromFile(path, other);
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error.contains(QStringLiteral("declared")), qPrintable(wrong.error));
    }

    void rewriteReplacesAtomically()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("k.pem"));
        QVERIFY(writeDkimPrivateKey(path, "first").ok());
        QVERIFY(writeDkimPrivateKey(path, "second").ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("second"));
        QCOMPARE(modeOf(path), 0600);
    }

    void shortRsaRefused()
    {
        const QByteArray pem =
            runOpenssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                        QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:1024")});
        QVERIFY(pem.contains("PRIVATE KEY"));
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(pem);
        QVERIFY(!key.ok());
        QVERIFY2(key.error.contains(QStringLiteral("1024 bits")), qPrintable(key.error));
    }

    void unreadableAndGarbage()
    {
        QVERIFY(!DkimSigningKey::load(QStringLiteral("/nonexistent/dkim.pem")).ok());
        const Result<DkimSigningKey> garbage = DkimSigningKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n");
        QVERIFY(!garbage.ok());
        const QByteArray ec =
            runOpenssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                        QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256")});
        QVERIFY(ec.contains("PRIVATE KEY"));
        const Result<DkimSigningKey> wrongType = DkimSigningKey::fromPem(ec);
        QVERIFY(!wrongType.ok());
        QVERIFY2(wrongType.error.contains(QStringLiteral("neither RSA nor Ed25519")),
                 qPrintable(wrongType.error));
    }

    void recordAndZoneStrings()
    {
        QCOMPARE(dkimRecordValue(DkimAlgorithm::Ed25519, QStringLiteral("AbC=")),
                 QStringLiteral("v=DKIM1; k=ed25519; p=AbC="));
        QCOMPARE(dkimRecordValue(DkimAlgorithm::Rsa3072, QStringLiteral("AbC=")),
                 QStringLiteral("v=DKIM1; k=rsa; p=AbC="));
        const QString longValue(600, QLatin1Char('a'));
        const QStringList strings = dkimZoneStrings(longValue);
        QCOMPARE(strings.size(), 3);
        QCOMPARE(strings.at(0).size(), 255);
        QCOMPARE(strings.at(2).size(), 90);
        QCOMPARE(strings.join(QString()), longValue);
        QVERIFY(dkimZoneStrings(QString()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDkimKeys)
#include "tst_dkimkeys.moc"
