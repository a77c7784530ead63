// TlsCredentials::load with encrypted PEM keys made by openssl at test time
// (traditional "Proc-Type: 4,ENCRYPTED" from genrsa -aes256, PKCS#8 from
// pkey -aes256), the passphrase in the real Secret Service (gnome-keyring in
// the suite's dbus-run-session).
#include "relaycore/engine/tlscredentials.h"
#include "relaycore/secrets/secretstore.h"

#include <QProcess>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;

namespace {

const QString kPassphrase = QStringLiteral("correct horse battery staple");

bool openssl(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TstTlsCredentials final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cert, m_plainKey, m_traditionalKey, m_pkcs8Key;
    std::unique_ptr<SecretStore> m_secrets;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        MAILROUTE_REQUIRE(QSslSocket::supportsSsl(), "no TLS library");
        m_plainKey = path("plain.key");
        m_traditionalKey = path("traditional.key");
        m_pkcs8Key = path("pkcs8.key");
        m_cert = path("cert.pem");
        const QString pass = QStringLiteral("pass:") + kPassphrase;
        QVERIFY(openssl({QStringLiteral("genrsa"), QStringLiteral("-aes256"), QStringLiteral("-traditional"),
                         QStringLiteral("-passout"), pass, QStringLiteral("-out"), m_traditionalKey,
                         QStringLiteral("2048")}));
        QVERIFY(openssl({QStringLiteral("pkey"), QStringLiteral("-in"), m_traditionalKey,
                         QStringLiteral("-passin"), pass, QStringLiteral("-aes256"),
                         QStringLiteral("-passout"), pass, QStringLiteral("-out"), m_pkcs8Key}));
        QVERIFY(openssl({QStringLiteral("pkey"), QStringLiteral("-in"), m_traditionalKey,
                         QStringLiteral("-passin"), pass, QStringLiteral("-out"), m_plainKey}));
        QVERIFY(openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-x509"),
                         QStringLiteral("-key"), m_plainKey, QStringLiteral("-days"), QStringLiteral("2"),
                         QStringLiteral("-subj"), QStringLiteral("/CN=relay.mailroute.test"),
                         QStringLiteral("-out"), m_cert}));
        QFile traditional(m_traditionalKey), pkcs8(m_pkcs8Key), plain(m_plainKey);
        QVERIFY(traditional.open(QIODevice::ReadOnly) && pkcs8.open(QIODevice::ReadOnly) &&
                plain.open(QIODevice::ReadOnly));
        QVERIFY(traditional.readAll().contains("Proc-Type: 4,ENCRYPTED"));
        QVERIFY(pkcs8.readAll().contains("BEGIN ENCRYPTED PRIVATE KEY"));
        QVERIFY(!TlsCredentials::isEncryptedPem(plain.readAll()));

        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        m_secrets = createSystemSecretStore(path("tls.db"));
    }

    void init() { QVERIFY(m_secrets->remove(secretnames::tlsKeyPassphrase()).ok()); }

    void unencryptedKeyNeedsNoKeychain()
    {
        const auto loaded = TlsCredentials::load(m_cert, m_plainKey, nullptr);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error));
        QVERIFY(!(*loaded)->key.isNull());
    }

    void encryptedKeyIsDecryptedWithThePassphrase_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("traditional (genrsa -aes256)") << m_traditionalKey;
        QTest::newRow("PKCS#8 (pkey -aes256)") << m_pkcs8Key;
    }
    void encryptedKeyIsDecryptedWithThePassphrase()
    {
        QFETCH(QString, key);
        QVERIFY(m_secrets->write(secretnames::tlsKeyPassphrase(), kPassphrase).ok());
        const auto loaded = TlsCredentials::load(m_cert, key, m_secrets.get());
        QVERIFY2(loaded.ok(), qPrintable(loaded.error));
        QVERIFY(!(*loaded)->key.isNull());
        // The same key as the unencrypted copy.
        const auto plain = TlsCredentials::load(m_cert, m_plainKey);
        QVERIFY(plain.ok());
        QCOMPARE((*loaded)->key.toPem(), (*plain)->key.toPem());
    }

    void encryptedKeyFailsClearly_data()
    {
        QTest::addColumn<QString>("stored"); // empty: no passphrase stored
        QTest::addColumn<bool>("withKeychain");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong passphrase")
            << QStringLiteral("not the passphrase") << true << QStringLiteral("does not decrypt tls.key");
        QTest::newRow("no passphrase stored")
            << QString() << true << QStringLiteral("no tls.key_passphrase is stored in the keychain");
        QTest::newRow("no keychain") << QString() << false << QStringLiteral("no keychain is available");
    }
    void encryptedKeyFailsClearly()
    {
        QFETCH(QString, stored);
        QFETCH(bool, withKeychain);
        QFETCH(QString, reason);
        if (!stored.isEmpty())
            QVERIFY(m_secrets->write(secretnames::tlsKeyPassphrase(), stored).ok());
        for (const QString &key : {m_traditionalKey, m_pkcs8Key}) {
            const auto loaded = TlsCredentials::load(m_cert, key, withKeychain ? m_secrets.get() : nullptr);
            QVERIFY(!loaded.ok());
            QVERIFY2(loaded.error.contains(reason), qPrintable(loaded.error));
            QVERIFY(loaded.error.contains(key));
            QVERIFY(stored.isEmpty() || !loaded.error.contains(stored));
        }
    }

    void cleanupTestCase()
    {
        if (m_secrets)
            m_secrets->remove(secretnames::tlsKeyPassphrase());
    }
};

QTEST_GUILESS_MAIN(TstTlsCredentials)
#include "tst_tlscredentials.moc"
