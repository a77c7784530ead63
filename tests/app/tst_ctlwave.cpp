// mailroutectl wave (issue 15) as a process: create from a user CSV and from a
// migration tool's batch file (--target-domain), bad input refused with
// nothing changed, list's NAME<TAB>AT<TAB>STATE<TAB>USERS, push, apply now
// (the pushed routing changes, the Outbound inverse too with
// --with-outbound), cancel (the mapping goes again), show, completion.
#include "tests/app/ctlrun.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute::testing;
using namespace Qt::StringLiterals;

class TestCtlWave : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;

    Run ctl(const QStringList &args, const QByteArray &in = {}) { return runMailroutectl(args, m_env, in); }

    QString file(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"MAILROUTE_DB"_s, m_dir.filePath(u"mailroute.db"_s));
        m_env.insert(u"TZ"_s, u"Europe/Paris"_s);
        QCOMPARE(
            ctl({u"domains"_s, u"add"_s, u"--area"_s, u"relay"_s, u"corp.example"_s, u"old.example"_s}).code,
            0);
        QCOMPARE(ctl({u"push"_s}).code, 0);
    }

    void refusesBadInput()
    {
        const QString csv = file(u"ok.csv"_s, "Source;Target\nbob@corp.example;bob@new.example\n");
        Run r = ctl({u"wave"_s, u"create"_s, u"w1"_s, u"--at"_s, u"2027-01-01T22:00:00"_s, csv});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(u"no zone"_s), qPrintable(r.err));
        r = ctl({u"wave"_s, u"create"_s, u"w1"_s, csv});
        QCOMPARE(r.code, 2);
        r = ctl({u"wave"_s, u"create"_s, u"w1"_s, u"--at"_s, u"+2h"_s, u"--expire"_s, u"+1h"_s, csv});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(u"not after its activation"_s), qPrintable(r.err));
        const QString bad = file(u"bad.csv"_s, "EmailAddress\nbob@corp.example\nnot-an-address\n");
        r = ctl({u"wave"_s, u"create"_s, u"w1"_s, u"--at"_s, u"+2h"_s, u"--target-domain"_s, u"new.example"_s,
                 bad});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(u"bad.csv: line 3: invalid address \"not-an-address\""_s), qPrintable(r.err));
        r = ctl({u"wave"_s, u"list"_s, u"--at"_s, u"+1h"_s});
        QCOMPARE(r.code, 2);
        r = ctl({u"wave"_s, u"list"_s});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QString()); // nothing was created
    }

    void createPushApplyCancel()
    {
        const QString csv = file(u"w1.csv"_s, "Source;Target\nbob@corp.example;bob@new.example\n");
        Run r = ctl({u"wave"_s, u"create"_s, u"w1"_s, u"--at"_s, u"2027-01-01T22:00:00+01:00"_s,
                     u"--with-outbound"_s, csv});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString batch = file(
            u"batch.csv"_s, "EmailAddress,DisplayName\ncarol@corp.example,Carol\ndave@corp.example,Dave\n");
        r = ctl({u"wave"_s, u"create"_s, u"w2"_s, u"--at"_s, u"2027-01-02T21:00:00Z"_s, u"--target-domain"_s,
                 u"new.example"_s, batch});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ctl({u"wave"_s, u"list"_s});
        QCOMPARE(r.code, 0);
        // Local time (TZ=Europe/Paris) with its offset; stored in UTC.
        QCOMPARE(
            r.out,
            u"w1\t2027-01-01T22:00:00+01:00\tscheduled\t1\nw2\t2027-01-02T22:00:00+01:00\tscheduled\t2\n"_s);
        // --json: the listings' convention (a JSON array), times in UTC.
        r = ctl({u"wave"_s, u"list"_s, u"--json"_s});
        QCOMPARE(r.code, 0);
        QJsonParseError parseError;
        const QJsonArray waves = QJsonDocument::fromJson(r.out.toUtf8(), &parseError).array();
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(r.out));
        QCOMPARE(waves.size(), 2);
        QCOMPARE(waves.at(0)[u"name"_s].toString(), u"w1"_s);
        QCOMPARE(waves.at(0)[u"at"_s].toString(), u"2027-01-01T21:00:00Z"_s);
        QVERIFY(waves.at(0)[u"expire"_s].isNull());
        QCOMPARE(waves.at(0)[u"state"_s].toString(), u"scheduled"_s);
        QCOMPARE(waves.at(0)[u"outbound"_s].toInt(), 1);
        QCOMPARE(waves.at(1)[u"users"_s].toInt(), 2);
        QCOMPARE(waves.at(1)[u"area"_s].toString(), u"inbound"_s);
        QCOMPARE(ctl({u"wave"_s, u"show"_s, u"w1"_s, u"--json"_s}).code, 2);
        r = ctl({u"diff"_s});
        QVERIFY2(r.out.contains(u"wave + w1 at 2027-01-01T21:00:00Z, 1 inbound users with outbound"_s),
                 qPrintable(r.out));
        // Not pushed yet: apply refuses.
        r = ctl({u"wave"_s, u"apply"_s, u"w1"_s});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(u"push first"_s), qPrintable(r.err));
        QCOMPARE(ctl({u"push"_s}).code, 0);
        r = ctl({u"route"_s, u"--area"_s, u"inbound"_s, u"--pushed"_s, u"bob@corp.example"_s});
        QCOMPARE(r.out, u"bob@corp.example\tnone\n"_s);

        r = ctl({u"wave"_s, u"apply"_s, u"w1"_s});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ctl({u"route"_s, u"--area"_s, u"inbound"_s, u"--pushed"_s, u"bob@corp.example"_s});
        QCOMPARE(r.out, u"bob@new.example\tuser\n"_s);
        r = ctl({u"route"_s, u"--area"_s, u"outbound"_s, u"--pushed"_s, u"bob@new.example"_s});
        QCOMPARE(r.out, u"bob@corp.example\tuser\n"_s);
        r = ctl({u"wave"_s, u"show"_s, u"w1"_s});
        QVERIFY2(r.out.contains(u"state:     active\n"_s) &&
                     r.out.contains(u"outbound bob@new.example -> bob@corp.example"_s),
                 qPrintable(r.out));
        r = ctl({u"logs"_s, u"--actions"_s});
        QVERIFY2(r.out.contains(u"Wave w1 applied on demand (due 2027-01-01T21:00:00Z, 2 users)"_s),
                 qPrintable(r.out));

        r = ctl({u"wave"_s, u"cancel"_s, u"w1"_s});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ctl({u"route"_s, u"--area"_s, u"inbound"_s, u"--pushed"_s, u"bob@corp.example"_s});
        QCOMPARE(r.out, u"bob@corp.example\tnone\n"_s);
        r = ctl({u"wave"_s, u"cancel"_s, u"w2"_s});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ctl({u"wave"_s, u"list"_s});
        QCOMPARE(
            r.out,
            u"w1\t2027-01-01T22:00:00+01:00\tcancelled\t1\nw2\t2027-01-02T22:00:00+01:00\tcancelled\t2\n"_s);
        QCOMPARE(ctl({u"wave"_s, u"apply"_s, u"w2"_s}).code, 1); // cancelled stays cancelled
    }

    void completionKnowsWave()
    {
        const Run r = ctl({u"completion"_s, u"bash"_s});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(u"wave"_s));
        QVERIFY(r.out.contains(u"--target-domain"_s));
        QVERIFY(r.out.contains(u"--with-outbound"_s));
    }
};

QTEST_GUILESS_MAIN(TestCtlWave)
#include "tst_ctlwave.moc"
