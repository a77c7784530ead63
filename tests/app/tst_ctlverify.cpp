// mailroutectl verify (issue 18) as a process: the exceptions in the draft
// (exclude / include / excluded), a probe of a known and an unknown user at a
// private Postfix (tests/postfixinstance.h), and "verify targets" telling a
// target that refuses unknown users from one that accepts any address
// (smtpsink.py).
#include "tests/app/ctlrun.h"
#include "tests/postfixinstance.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QTemporaryDir>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute::testing;

class TestCtlVerify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_db = 0;

    QProcessEnvironment newDatabase()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAILROUTE_DB"), m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_db)));
        env.remove(QStringLiteral("MAILROUTE_NAMESERVER"));
        return env;
    }

private slots:
    void exceptions()
    {
        const QProcessEnvironment env = newDatabase();
        Run r = runMailroutectl(
            {QStringLiteral("verify"), QStringLiteral("exclude"), QStringLiteral("Corp.Example")}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runMailroutectl(
            {QStringLiteral("verify"), QStringLiteral("exclude"), QStringLiteral("@other.example")}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runMailroutectl({QStringLiteral("verify"), QStringLiteral("excluded")}, env);
        QCOMPARE(r.out, QStringLiteral("corp.example\nother.example\n"));
        r = runMailroutectl(
            {QStringLiteral("settings"), QStringLiteral("get"), QStringLiteral("verify.exclude_domains")},
            env);
        QCOMPARE(r.out.trimmed(), QStringLiteral("corp.example, other.example"));
        // A bad domain is a usage error and changes nothing.
        r = runMailroutectl(
            {QStringLiteral("verify"), QStringLiteral("exclude"), QStringLiteral("not a domain")}, env);
        QCOMPARE(r.code, 2);
        r = runMailroutectl(
            {QStringLiteral("verify"), QStringLiteral("include"), QStringLiteral("corp.example")}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = runMailroutectl(
            {QStringLiteral("verify"), QStringLiteral("include"), QStringLiteral("corp.example")}, env);
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("not excluded")));
        r = runMailroutectl({QStringLiteral("verify"), QStringLiteral("excluded")}, env);
        QCOMPARE(r.out, QStringLiteral("other.example\n"));
        r = runMailroutectl({QStringLiteral("verify"), QStringLiteral("bob@")}, env);
        QCOMPARE(r.code, 2);
    }

    void probesAndTargets()
    {
        MAILROUTE_REQUIRE(PostfixInstance::available(), PostfixInstance::requirement());
        PostfixInstance pf;
        QVERIFY2(pf.start({{QStringLiteral("tenant.test")}, {QStringLiteral("known@tenant.test")}}),
                 qPrintable(pf.error()));
        PySink sink; // accepts any RCPT: a catch-all target
        QVERIFY(sink.start());
        const QProcessEnvironment env = newDatabase();
        for (const QStringList &args :
             {QStringList{QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                          QStringLiteral("inbound"), QStringLiteral("corp.example"),
                          QStringLiteral("tenant.test")},
              QStringList{QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
                          QStringLiteral("relay"), QStringLiteral("old.example"),
                          QStringLiteral("catchall.test")},
              QStringList{QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("tenant.test"),
                          QStringLiteral("[127.0.0.1]:%1").arg(pf.port())},
              QStringList{QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("catchall.test"),
                          QStringLiteral("[127.0.0.1]:%1").arg(sink.port())}}) {
            const Run r = runMailroutectl(args, env);
            QVERIFY2(r.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char(':') + r.err));
        }
        Run known = runMailroutectl({QStringLiteral("verify"), QStringLiteral("known@corp.example")}, env);
        QVERIFY2(known.code == 0, qPrintable(known.out + known.err));
        QVERIFY(known.out.contains(QLatin1String("target:  known@tenant.test (inbound rule)")));
        QVERIFY(known.out.contains(QLatin1String("verdict: accepted")));
        QVERIFY(known.out.contains(QLatin1String("relay:   250 2.1.5")));

        Run unknown = runMailroutectl({QStringLiteral("verify"), QStringLiteral("nobody@corp.example")}, env);
        QCOMPARE(unknown.code, 1);
        QVERIFY2(unknown.out.contains(QLatin1String("verdict: refused")), qPrintable(unknown.out));
        QVERIFY(unknown.out.contains(QLatin1String("User unknown in relay recipient table")));
        QVERIFY(
            unknown.out.contains(QLatin1String("relay:   550 5.1.1 <nobody@corp.example>: Recipient address "
                                               "rejected: undeliverable address")));

        Run targets = runMailroutectl({QStringLiteral("verify"), QStringLiteral("targets")}, env);
        QCOMPARE(targets.code, 1); // the catch-all warns
        QVERIFY2(targets.out.contains(QLatin1String("catchall.test\tWARNING\taccepts any address")),
                 qPrintable(targets.out));
        QVERIFY2(targets.out.contains(QLatin1String("tenant.test\tOK\trefuses unknown addresses")),
                 qPrintable(targets.out));
        // Excluded, the catch-all is no longer a warning.
        QCOMPARE(
            runMailroutectl(
                {QStringLiteral("verify"), QStringLiteral("exclude"), QStringLiteral("catchall.test")}, env)
                .code,
            0);
        targets = runMailroutectl({QStringLiteral("verify"), QStringLiteral("targets")}, env);
        QVERIFY2(targets.code == 0, qPrintable(targets.out + targets.err));
        // The probes never sent DATA, nor a message to the catch-all.
        QVERIFY(QTest::qWaitFor([&] { return pf.logLines(QStringLiteral(": disconnect from")).size() >= 4; },
                                10000));
        QCOMPARE(pf.logLines(QStringLiteral(" data=")).size(), 0);
        QVERIFY(sink.messages().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCtlVerify)
#include "tst_ctlverify.moc"
