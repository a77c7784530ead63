// mailroutectl purge --all --yes, the end of a project (issue 11): after it
// nothing of the mail that passed and none of the credentials MailRoute made
// is left: no message or action log rows (read back with Python's sqlite3),
// no spool, no generated DKIM or TLS key files (an admin's own file in tls/
// stays), no keychain entries (the real Secret Service: gnome-keyring in the
// suite's dbus-run-session). Refused while `mailroutectl serve` runs.
#include "tests/app/ctlrun.h"
#include "tests/app/serveprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include "tests/skiporfail.h"
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <QTest>

using namespace mailroute::testing;

class TstPurge final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_spool;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("MAILROUTE_DB"), m_db);
        return e;
    }

    Run ctl(const QStringList &args, const QByteArray &stdinData = {})
    {
        return runMailroutectl(args, env(), stdinData, 150000);
    }

    QString sql(const QString &code) const { return sqliteWithPython(m_db, code); }

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

    static void writeFile(const QString &path, const QByteArray &data)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
    }

private slots:
    void initTestCase()
    {
        MAILROUTE_REQUIRE(
            !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("project.db"));
        m_spool = m_dir.filePath(QStringLiteral("spool"));
    }

    void purgeLeavesNothingBehind()
    {
        const quint16 down = closedPort();
        for (const QStringList &args :
             {QStringList{QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                          QStringLiteral("inbound"), QStringLiteral("warmsushi.example"),
                          QStringLiteral("drypizza.example")},
              QStringList{QStringLiteral("settings"), QStringLiteral("set"),
                          QStringLiteral("smarthost.username"), QStringLiteral("relay-user")},
              QStringList{QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("drypizza.example"),
                          QStringLiteral("[127.0.0.1]:%1").arg(down)},
              // Mail must stay queued for a next hop that is down: no recipient verification.
              QStringList{QStringLiteral("settings"), QStringLiteral("set"),
                          QStringLiteral("verify.recipients"), QStringLiteral("off")},
              QStringList{QStringLiteral("push")}}) {
            const Run r = ctl(args);
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        QCOMPARE(ctl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("smarthost.password")},
                     "purge-me-password\n")
                     .code,
                 0);
        QCOMPARE(ctl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("tls.key_passphrase")},
                     "purge-me-passphrase\n")
                     .code,
                 0);
        // Generated key files, and an admin's own file that must stay.
        const QString dkimKey = m_dir.filePath(QStringLiteral("dkim/drypizza.example.mr2026.pem"));
        writeFile(dkimKey,
                  "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
        QCOMPARE(
            sql(QStringLiteral("db.execute(\"INSERT INTO dkim_keys VALUES ('drypizza.example', 'mr2026', "
                               "'ed25519', 'active', ?, 'AAAA', 0, NULL)\", (sys.argv[1].rsplit('/', 1)[0] + "
                               "'/dkim/drypizza.example.mr2026.pem',))\nprint('ok')")),
            QStringLiteral("ok"));
        const QString crt = m_dir.filePath(QStringLiteral("tls/relay.example.crt"));
        const QString key = m_dir.filePath(QStringLiteral("tls/relay.example.key"));
        const QString notes = m_dir.filePath(QStringLiteral("tls/admin-notes.txt"));
        writeFile(crt, "certificate");
        writeFile(key, "key");
        writeFile(notes, "mine");
        QCOMPARE(
            ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("tls.key"), key}).code, 0);

        // A relay with mail in its queue (the next hop is down).
        const quint16 port = closedPort();
        QProcess serve;
        serve.setProcessEnvironment(env());
        serve.start(QStringLiteral(MAILROUTECTL_PATH),
                    {QStringLiteral("serve"), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--spool"), m_spool});
        QString err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += QString::fromUtf8(serve.readAllStandardError());
                return err.contains(QLatin1String("listening on"));
            },
            20000));
        QProcess swaks;
        swaks.start(QStringLiteral("swaks"),
                    {QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(port),
                     QStringLiteral("--helo"), QStringLiteral("client.test"), QStringLiteral("--from"),
                     QStringLiteral("alice@outside.example"), QStringLiteral("--to"),
                     QStringLiteral("secret.person@warmsushi.example")});
        swaks.closeWriteChannel();
        QVERIFY(swaks.waitForFinished(60000));
        QCOMPARE(swaks.exitCode(), 0);
        const QStringList spoolArgs{QStringLiteral("--spool"), m_spool};
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !ctl(QStringList{QStringLiteral("queue"), QStringLiteral("list")} + spoolArgs)
                            .out.isEmpty();
            },
            15000));
        QVERIFY(QTest::qWaitFor([&] { return !filesHolding("secret.person@drypizza.example").isEmpty(); },
                                10000));

        // Refused while the relay runs; nothing deleted.
        const Run refused =
            ctl(QStringList{QStringLiteral("purge"), QStringLiteral("--all"), QStringLiteral("--yes")} +
                spoolArgs);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QLatin1String("a relay is running")), qPrintable(refused.err));
        QVERIFY(QFile::exists(dkimKey));
        QVERIFY(!ctl(QStringList{QStringLiteral("queue"), QStringLiteral("list")} + spoolArgs).out.isEmpty());
        serve.terminate();
        QVERIFY(serve.waitForFinished(15000));

        const Run purged =
            ctl(QStringList{QStringLiteral("purge"), QStringLiteral("--all"), QStringLiteral("--yes")} +
                spoolArgs);
        QVERIFY2(purged.code == 0, qPrintable(purged.err));
        QCOMPARE(sql(QStringLiteral("print(*[db.execute('SELECT count(*) FROM ' + t).fetchone()[0] for t in "
                                    "('message_log', 'action_log', 'dkim_keys', 'domain_holds')])")),
                 QStringLiteral("0 0 0 0"));
        QVERIFY(!QFileInfo::exists(m_spool));
        QVERIFY(!QFileInfo::exists(dkimKey));
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("dkim"))));
        QVERIFY(!QFileInfo::exists(crt));
        QVERIFY(!QFileInfo::exists(key));
        QVERIFY(QFileInfo::exists(notes));
        QCOMPARE(ctl({QStringLiteral("settings"), QStringLiteral("get"), QStringLiteral("tls.key")}).out,
                 QStringLiteral("\n"));
        for (const char *name : {"smarthost.password", "tls.key_passphrase"}) {
            const Run status =
                ctl({QStringLiteral("secret"), QStringLiteral("status"), QString::fromLatin1(name)});
            QVERIFY2(status.out.contains(QLatin1String("not stored")), qPrintable(status.out + status.err));
        }
        QCOMPARE(filesHolding("secret.person@drypizza.example"), QStringList());
        QCOMPARE(filesHolding("secret.person@warmsushi.example"), QStringList());
        // The routing configuration stays.
        QVERIFY(ctl({QStringLiteral("domains"), QStringLiteral("list"), QStringLiteral("--area"),
                     QStringLiteral("inbound")})
                    .out.contains(QLatin1String("@warmsushi.example")));
    }
};

QTEST_GUILESS_MAIN(TstPurge)
#include "tst_purge.moc"
