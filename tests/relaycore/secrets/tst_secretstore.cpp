// SecretStore against the real Secret Service: gnome-keyring on the private
// session bus that `installer/setup.sh test` starts (dbus-run-session). The
// unavailable case runs this executable again as a child whose
// DBUS_SESSION_BUS_ADDRESS points at a bus that does not exist.
#include "relaycore/secrets/secretstore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <cstdio>

#include "tests/skiporfail.h"

using namespace mailroute;

namespace {

const char kChildFlag[] = "--secret-child";

QString uniqueSecret()
{
    return QStringLiteral("s3cr3t-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Child mode: `--secret-child SCOPE SECRET` writes SECRET as smarthost.password,
// then reads it back; prints the states and the errors (never the secret).
int runChild(const QString &scope, const QString &secret)
{
    auto store = createSystemSecretStore(scope);
    const Status written = store->write(secretnames::smarthostPassword(), secret);
    const SecretLookup read = store->read(secretnames::smarthostPassword());
    std::printf("write=%s\nread=%d\nerror=%s\n", written.ok() ? "ok" : "failed", int(read.state),
                qPrintable(written.ok() ? read.error : written.error));
    return written.ok() ? 0 : 1;
}

} // namespace

class TstSecretStore final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString scope(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        // The keychain must really work here, or every later assertion is moot.
        auto store = createSystemSecretStore(scope(QStringLiteral("probe.db")));
        const Status st = store->write(secretnames::smarthostPassword(), QStringLiteral("probe"));
        QVERIFY2(st.ok(), qPrintable(st.error));
        QVERIFY(store->remove(secretnames::smarthostPassword()).ok());
    }

    void writeReadOverwriteRemove()
    {
        auto store = createSystemSecretStore(scope(QStringLiteral("a.db")));
        const QString first = uniqueSecret();
        QVERIFY(store->write(secretnames::smarthostPassword(), first).ok());
        SecretLookup got = store->read(secretnames::smarthostPassword());
        QCOMPARE(got.state, SecretState::Found);
        QCOMPARE(got.value, first);

        // Overwrite, with characters a shell or a naive encoder would mangle.
        const QString second = QStringLiteral("pässwörd ' \" $HOME ; \\ \u20ac ") + uniqueSecret();
        QVERIFY(store->write(secretnames::smarthostPassword(), second).ok());
        got = store->read(secretnames::smarthostPassword());
        QCOMPARE(got.state, SecretState::Found);
        QCOMPARE(got.value, second);

        // A second store object on the same scope sees the same secret.
        QCOMPARE(createSystemSecretStore(scope(QStringLiteral("a.db")))
                     ->read(secretnames::smarthostPassword())
                     .value,
                 second);

        QVERIFY(store->remove(secretnames::smarthostPassword()).ok());
        got = store->read(secretnames::smarthostPassword());
        QCOMPARE(got.state, SecretState::NotFound);
        QVERIFY(got.value.isEmpty());
        QVERIFY(got.error.contains(secretnames::smarthostPassword()));
        // Removing what is not there succeeds.
        QVERIFY(store->remove(secretnames::smarthostPassword()).ok());
    }

    void namesAreApart()
    {
        auto store = createSystemSecretStore(scope(QStringLiteral("names.db")));
        QVERIFY(store->write(secretnames::smarthostPassword(), QStringLiteral("pw")).ok());
        QCOMPARE(store->read(secretnames::tlsKeyPassphrase()).state, SecretState::NotFound);
        QVERIFY(store->write(secretnames::tlsKeyPassphrase(), QStringLiteral("phrase")).ok());
        QCOMPARE(store->read(secretnames::smarthostPassword()).value, QStringLiteral("pw"));
        QCOMPARE(store->read(secretnames::tlsKeyPassphrase()).value, QStringLiteral("phrase"));
        QVERIFY(store->remove(secretnames::smarthostPassword()).ok());
        QCOMPARE(store->read(secretnames::tlsKeyPassphrase()).value, QStringLiteral("phrase"));
        QVERIFY(store->remove(secretnames::tlsKeyPassphrase()).ok());
    }

    void scopesAreApart()
    {
        auto one = createSystemSecretStore(scope(QStringLiteral("one.db")));
        auto two = createSystemSecretStore(scope(QStringLiteral("two.db")));
        QVERIFY(one->write(secretnames::smarthostPassword(), QStringLiteral("one")).ok());
        QCOMPARE(two->read(secretnames::smarthostPassword()).state, SecretState::NotFound);
        QVERIFY(two->write(secretnames::smarthostPassword(), QStringLiteral("two")).ok());
        QCOMPARE(one->read(secretnames::smarthostPassword()).value, QStringLiteral("one"));
        QVERIFY(two->remove(secretnames::smarthostPassword()).ok());
        QCOMPARE(one->read(secretnames::smarthostPassword()).value, QStringLiteral("one"));
        // Another spelling of the same path is the same scope.
        auto same = createSystemSecretStore(m_dir.path() + QStringLiteral("/./sub/../one.db"));
        QCOMPARE(same->read(secretnames::smarthostPassword()).value, QStringLiteral("one"));
        QVERIFY(one->remove(secretnames::smarthostPassword()).ok());
    }

    void emptySecretIsRefused()
    {
        auto store = createSystemSecretStore(scope(QStringLiteral("empty.db")));
        const Status st = store->write(secretnames::smarthostPassword(), QString());
        QVERIFY(!st.ok());
        QVERIFY(st.error.contains(QStringLiteral("clear")));
        QCOMPARE(store->read(secretnames::smarthostPassword()).state, SecretState::NotFound);
    }

    // The engine thread calls the store without an event loop of its own running.
    void usableFromAnotherThread()
    {
        const QString dbScope = scope(QStringLiteral("thread.db"));
        SecretLookup got;
        Status written = Status::failure(QStringLiteral("not run"));
        QThread *worker = QThread::create([&] {
            auto store = createSystemSecretStore(dbScope);
            written = store->write(secretnames::tlsKeyPassphrase(), QStringLiteral("from a thread"));
            got = store->read(secretnames::tlsKeyPassphrase());
            store->remove(secretnames::tlsKeyPassphrase());
        });
        worker->start();
        QVERIFY(worker->wait(60000));
        delete worker;
        QVERIFY2(written.ok(), qPrintable(written.error));
        QCOMPARE(got.state, SecretState::Found);
        QCOMPARE(got.value, QStringLiteral("from a thread"));
    }

    void unavailableWithoutSecretService()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString secret = uniqueSecret();
        const QString childScope = scope(QStringLiteral("unavailable.db"));
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + home.filePath(QStringLiteral("no-such-bus")));
        // Wherever a plaintext fallback could write (QSettings, XDG dirs) is in here.
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(),
                    {QString::fromLatin1(kChildFlag), childScope, secret});
        QVERIFY(child.waitForFinished(150000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QCOMPARE(child.exitCode(), 1);
        QVERIFY2(out.contains(QStringLiteral("write=failed")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("read=%1").arg(int(SecretState::Unavailable))), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("No keychain (Secret Service) is available")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("gnome-keyring")), qPrintable(out));
        QVERIFY(!out.contains(secret));
        // Nothing written anywhere: no file under the child's home, nothing in the real keychain.
        QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QStringList files;
        while (it.hasNext())
            files << it.next();
        QVERIFY2(files.isEmpty(), qPrintable(files.join(QLatin1Char(' '))));
        QCOMPARE(createSystemSecretStore(childScope)->read(secretnames::smarthostPassword()).state,
                 SecretState::NotFound);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], kChildFlag) == 0)
        return runChild(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    TstSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
