// mailroutectl secret set|clear|status against the real Secret Service
// (gnome-keyring in the suite's dbus-run-session): the value goes in through
// stdin only and is found afterwards in the keychain and nowhere else: not in
// the database file or its -wal/-shm, the settings, the action log, the
// command's output or /proc/<pid>/cmdline of the running command.
#include "relaycore/secrets/secretstore.h"
#include "tests/app/ctlrun.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;

namespace {} // namespace

class TstCtlSecret final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_secret;

    QProcessEnvironment environment(bool keychain) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
        if (!keychain) {
            env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                       QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("no-such-bus")));
        }
        return env;
    }

    Run ctl(const QStringList &args, const QByteArray &stdinData = {}, bool keychain = true)
    {
        return runMailroutectl(args, environment(keychain), stdinData, 150000);
    }

    static QStringList args(const char *verb, const QString &name = secretnames::smarthostPassword())
    {
        return {QStringLiteral("secret"), QString::fromLatin1(verb), name};
    }

    // Every file beside the database (the database, -wal, -shm, the spool).
    QStringList filesHolding(const QByteArray &needle) const
    {
        QStringList hits;
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
                hits << f.fileName();
        }
        return hits;
    }

    SecretLookup keychainRead() const
    {
        return createSystemSecretStore(m_db)->read(secretnames::smarthostPassword());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        m_db = m_dir.filePath(QStringLiteral("mailroute.db"));
        m_secret = QStringLiteral("pw-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const Run r = ctl({QStringLiteral("settings"), QStringLiteral("set"),
                           QStringLiteral("smarthost.username"), QStringLiteral("relay-user")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    void setFromAPipeStoresOnlyInTheKeychain()
    {
        QCOMPARE(ctl(args("status")).out, QStringLiteral("smarthost.password\tnot stored\n"));

        // Started with stdin still open: it waits there, so its command line can be read.
        QProcess p;
        p.setProcessEnvironment(environment(true));
        p.start(QStringLiteral(MAILROUTECTL_PATH), args("set"));
        QVERIFY(p.waitForStarted());
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(p.processId()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray commandLine = cmdline.readAll();
        QVERIFY(commandLine.contains("secret"));
        QVERIFY(!commandLine.contains(m_secret.toUtf8()));
        p.write(m_secret.toUtf8() + "\r\n"); // CRLF from a Windows-made file: both stripped
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(150000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QVERIFY(out.contains(QStringLiteral("stored in the keychain")));
        QVERIFY(!out.contains(m_secret) && !err.contains(m_secret));

        // In the keychain, exactly as typed.
        const SecretLookup stored = keychainRead();
        QCOMPARE(stored.state, SecretState::Found);
        QCOMPARE(stored.value, m_secret);
        QCOMPARE(ctl(args("status")).out, QStringLiteral("smarthost.password\tstored\n"));

        // Nowhere else: database, -wal, -shm (in UTF-8 and UTF-16), settings, logs.
        QVERIFY(QFile::exists(m_db));
        QVERIFY2(filesHolding(m_secret.toUtf8()).isEmpty(),
                 qPrintable(filesHolding(m_secret.toUtf8()).join(u' ')));
        const QByteArray utf16(reinterpret_cast<const char *>(m_secret.utf16()), m_secret.size() * 2);
        QVERIFY(filesHolding(utf16).isEmpty());
        const Run settings = ctl({QStringLiteral("settings"), QStringLiteral("list")});
        QCOMPARE(settings.code, 0);
        QVERIFY(settings.out.contains(QStringLiteral("relay-user")));
        QVERIFY(!settings.out.contains(m_secret));
        const Run logs = ctl({QStringLiteral("logs")});
        QCOMPARE(logs.code, 0);
        QVERIFY2(logs.out.contains(QStringLiteral("Smart host password stored in the keychain")),
                 qPrintable(logs.out));
        QVERIFY(!logs.out.contains(m_secret));
    }

    void clearRemovesIt()
    {
        const Run r = ctl(args("clear"));
        QCOMPARE(r.code, 0);
        QCOMPARE(keychainRead().state, SecretState::NotFound);
        QCOMPARE(ctl(args("status")).out, QStringLiteral("smarthost.password\tnot stored\n"));
        QVERIFY(ctl({QStringLiteral("logs")})
                    .out.contains(QStringLiteral("Smart host password removed from the keychain")));
        QCOMPARE(ctl(args("clear")).code, 0); // clearing what is not there succeeds
    }

    void passphraseIsItsOwnSecret()
    {
        QCOMPARE(ctl(args("set", secretnames::tlsKeyPassphrase()), "phrase\n").code, 0);
        QCOMPARE(ctl(args("status", secretnames::tlsKeyPassphrase())).out,
                 QStringLiteral("tls.key_passphrase\tstored\n"));
        QCOMPARE(ctl(args("status")).out, QStringLiteral("smarthost.password\tnot stored\n"));
        QCOMPARE(ctl(args("clear", secretnames::tlsKeyPassphrase())).code, 0);
    }

    void badUseChangesNothing_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QString name = secretnames::smarthostPassword();
        QTest::newRow("value on the command line")
            << QStringList{QStringLiteral("secret"), QStringLiteral("set"), name,
                           QStringLiteral("pw-on-argv")}
            << QByteArray("pw-on-stdin\n") << 2 << QStringLiteral("never from the command line");
        QTest::newRow("unknown name") << args("set", QStringLiteral("smarthost.pasword")) << QByteArray("x\n")
                                      << 2 << QStringLiteral("unknown secret");
        QTest::newRow("no name") << QStringList{QStringLiteral("secret"), QStringLiteral("status")}
                                 << QByteArray() << 2 << QStringLiteral("needs a NAME");
        QTest::newRow("unknown verb")
            << args("show") << QByteArray() << 2 << QStringLiteral("unknown secret command");
        QTest::newRow("empty stdin") << args("set") << QByteArray() << 1
                                     << QStringLiteral("no smarthost.password");
        QTest::newRow("empty line") << args("set") << QByteArray("\n") << 1
                                    << QStringLiteral("no smarthost.password");
    }
    void badUseChangesNothing()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, input);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = ctl(arguments, input);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(keychainRead().state, SecretState::NotFound);
    }

    // Requiring TLS without a certificate would refuse those clients' mail:
    // the draft may say so (settings are checked one by one), push refuses it.
    void tlsRequiredWithoutCertificateIsNotPushed()
    {
        const QStringList set{QStringLiteral("settings"), QStringLiteral("set"),
                              QStringLiteral("tls.required_before_mail")};
        Run r = ctl(set + QStringList{QStringLiteral("sometimes")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no, allowed_clients, all")), qPrintable(r.err));
        QCOMPARE(ctl(set + QStringList{QStringLiteral("Allowed_Clients")}).code, 0);
        r = ctl({QStringLiteral("push")});
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.contains(QStringLiteral("tls.required_before_mail is allowed_clients but tls.certificate")),
            qPrintable(r.err));
        QCOMPARE(ctl({QStringLiteral("generations")}).out, QString());
        QCOMPARE(ctl(set + QStringList{QStringLiteral("no")}).code, 0);
        QCOMPARE(ctl({QStringLiteral("push")}).code, 0);
    }

    void noKeychainFailsClearly()
    {
        const QByteArray secret = "pw-without-keychain";
        const QString logsBefore = ctl({QStringLiteral("logs"), QStringLiteral("--actions")}).out;
        Run r = ctl(args("set"), secret + '\n', false);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("No keychain (Secret Service) is available")),
                 qPrintable(r.err));
        r = ctl(args("status"), {}, false);
        QCOMPARE(r.code, 1);
        QCOMPARE(r.out, QStringLiteral("smarthost.password\tkeychain unavailable\n"));
        // Nothing written anywhere: not in the keychain, not beside the database, no action logged.
        QCOMPARE(keychainRead().state, SecretState::NotFound);
        QVERIFY(filesHolding(secret).isEmpty());
        QCOMPARE(ctl({QStringLiteral("logs"), QStringLiteral("--actions")}).out, logsBefore);
    }
};

QTEST_GUILESS_MAIN(TstCtlSecret)
#include "tst_ctlsecret.moc"
