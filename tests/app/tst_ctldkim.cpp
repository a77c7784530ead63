// mailroutectl dkim generate|list|record|rotate|remove, run as a process the
// way an administrator does: the spellings and exit statuses, the key files
// (0600 in a 0700 folder, never in the database), the records checked against
// independent tools (openssl(1) for p=, dnspython for the zone-file line), the
// diff and push lines, rollback, and a rotation that waits for its record in a
// real DNS server (dnsmasq on a loopback address; root only, skipped otherwise).
#include "tests/app/ctlrun.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

QString today()
{
    return QStringLiteral("mr") + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd"));
}

mode_t modeOf(const QString &path)
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

// p= as openssl(1) derives it from the private key file: base64 of the DER
// SubjectPublicKeyInfo for RSA (RFC 6376 §3.6.1), the raw 32 bytes for
// Ed25519 (RFC 8463 §4: the last 32 bytes of the 44-byte SPKI).
QString opensslPublicKey(const QString &keyFile, bool ed25519)
{
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("pkey"), QStringLiteral("-in"), keyFile, QStringLiteral("-pubout"),
             QStringLiteral("-outform"), QStringLiteral("DER")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    QByteArray der = p.readAllStandardOutput();
    if (ed25519)
        der = der.right(32);
    return QString::fromLatin1(der.toBase64());
}

QString field(const QString &line, int i)
{
    return line.section(QLatin1Char('\t'), i, i);
}

} // namespace

class TstCtlDkim final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_nameserver;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
        if (!m_nameserver.isEmpty())
            env.insert(QStringLiteral("MAILROUTE_NAMESERVER"), m_nameserver);
        return env;
    }

    Run ctl(const QStringList &args) { return runMailroutectl(args, environment()); }

    // Each test has its own folder: the database and the dkim/ folder beside it.
    QString folder() const { return QFileInfo(m_db).absolutePath(); }
    QString keyDir() const { return folder() + QStringLiteral("/dkim"); }

    // Every file beside the database (the database, -wal, -shm) that holds `needle`.
    QStringList databaseFilesHolding(const QByteArray &needle) const
    {
        QStringList hits;
        QDirIterator it(folder(), QDir::Files | QDir::Hidden);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.fileName().contains(QLatin1String("mailroute.db")) && f.open(QIODevice::ReadOnly) &&
                f.readAll().contains(needle))
                hits << f.fileName();
        }
        return hits;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        static int serial = 0;
        const QString sub = m_dir.filePath(QStringLiteral("t%1").arg(++serial));
        QVERIFY(QDir().mkpath(sub));
        m_db = sub + QStringLiteral("/mailroute.db");
        m_nameserver.clear();
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString d = QStringLiteral("dkim");
        QTest::newRow("no verb") << QStringList{d} << QStringLiteral("dkim needs generate");
        QTest::newRow("unknown verb") << QStringList{d, QStringLiteral("make"), QStringLiteral("a.example")}
                                      << QStringLiteral("unknown dkim command");
        QTest::newRow("generate without domain")
            << QStringList{d, QStringLiteral("generate")} << QStringLiteral("missing argument");
        QTest::newRow("bad algorithm")
            << QStringList{d, QStringLiteral("generate"), QStringLiteral("a.example"),
                           QStringLiteral("--algorithm"), QStringLiteral("rsa-1024")}
            << QStringLiteral("unknown algorithm");
        QTest::newRow("remove without selector")
            << QStringList{d, QStringLiteral("remove"), QStringLiteral("a.example")}
            << QStringLiteral("needs --selector");
        QTest::newRow("zone on list") << QStringList{d, QStringLiteral("list"), QStringLiteral("--zone")}
                                      << QStringLiteral("--zone belongs");
        QTest::newRow("selector on rotate")
            << QStringList{d, QStringLiteral("rotate"), QStringLiteral("a.example"),
                           QStringLiteral("--selector"), QStringLiteral("x")}
            << QStringLiteral("takes no --selector");
        QTest::newRow("two domains") << QStringList{d, QStringLiteral("record"), QStringLiteral("a.example"),
                                                    QStringLiteral("b.example")}
                                     << QStringLiteral("unexpected argument");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = ctl(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(keyDir()));
    }

    void helpNamesEverySpelling()
    {
        const Run r = ctl({QStringLiteral("dkim"), QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        for (const char *s : {"dkim generate DOMAIN [--selector SEL] [--algorithm ALG]", "dkim list [--json]",
                              "dkim record DOMAIN [--selector SEL] [--zone]", "dkim rotate DOMAIN",
                              "dkim remove DOMAIN --selector SEL"})
            QVERIFY2(r.out.contains(QLatin1String(s)), s);
        QVERIFY(ctl({QStringLiteral("--help")}).out.contains(QLatin1String("dkim list [--json]")));
    }

    void generateWritesAPrivateFileAndPrintsTheRecord()
    {
        Run r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("Example.COM")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString sel = today();
        const QString line = r.out.trimmed();
        QCOMPARE(field(line, 0), sel + QStringLiteral("._domainkey.example.com"));
        QVERIFY2(field(line, 1).startsWith(QLatin1String("v=DKIM1; k=rsa; p=")), qPrintable(line));
        QVERIFY(!line.contains(QLatin1Char('\n')));

        const QString keyFile = keyDir() + QStringLiteral("/example.com.") + sel + QStringLiteral(".pem");
        QVERIFY(QFileInfo(keyFile).isFile());
        QCOMPARE(modeOf(keyFile), mode_t(0600));
        QCOMPARE(modeOf(keyDir()), mode_t(0700));
        const QFileInfo info(keyFile);
        QCOMPARE(info.permissions() &
                     (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        // The record's p= is the key in the file, as openssl sees it.
        const QString p = field(line, 1).section(QStringLiteral("p="), 1);
        QCOMPARE(p, opensslPublicKey(keyFile, false));
        QCOMPARE(QByteArray(QByteArray::fromBase64(p.toLatin1()).size() > 250 ? "ok" : "short"),
                 QByteArray("ok"));

        // The database never holds the private key, and the key's text appears nowhere beside it.
        QFile pem(keyFile);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        const QByteArray pemBytes = pem.readAll();
        QVERIFY(pemBytes.contains("PRIVATE KEY"));
        const QByteArray body = pemBytes.split('\n').value(1);
        QVERIFY(body.size() > 40);
        QCOMPARE(databaseFilesHolding("PRIVATE KEY"), QStringList());
        QCOMPARE(databaseFilesHolding(body), QStringList());

        r = ctl({QStringLiteral("dkim"), QStringLiteral("list")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QStringLiteral("example.com\t%1\trsa-2048\tactive\n").arg(sel));

        // The same selector again is refused and changes nothing.
        r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), sel});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("already has a DKIM key with selector")), qPrintable(r.err));
        QVERIFY(pem.seek(0));
        QCOMPARE(pem.readAll(), pemBytes);

        // A bad selector is refused before any file is written.
        r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("../../etc/x")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("invalid DKIM selector")), qPrintable(r.err));
        QCOMPARE(QDir(keyDir()).entryList(QDir::Files).size(), 1);
    }

    void secondKeyIsPendingAndRecordsCoverBoth()
    {
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                      QStringLiteral("--selector"), QStringLiteral("one")})
                     .code,
                 0);
        Run r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                     QStringLiteral("--selector"), QStringLiteral("two"), QStringLiteral("--algorithm"),
                     QStringLiteral("ed25519")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith(QLatin1String("two._domainkey.example.com\tv=DKIM1; k=ed25519; p=")),
                 qPrintable(r.out));
        const QString edKey = keyDir() + QStringLiteral("/example.com.two.pem");
        QCOMPARE(r.out.trimmed().section(QStringLiteral("p="), 1), opensslPublicKey(edKey, true));

        r = ctl({QStringLiteral("dkim"), QStringLiteral("list")});
        QCOMPARE(r.out,
                 QStringLiteral("example.com\tone\trsa-2048\tactive\nexample.com\ttwo\ted25519\tpending\n"));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonArray keys = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(keys.size(), 2);
        QCOMPARE(keys.at(1).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(keys.at(1).toObject().value(QStringLiteral("algorithm")).toString(),
                 QStringLiteral("ed25519"));
        QVERIFY(keys.at(0)
                    .toObject()
                    .value(QStringLiteral("record"))
                    .toString()
                    .startsWith(QLatin1String("v=DKIM1; k=rsa; p=")));
        QVERIFY(!r.out.contains(QLatin1String("PRIVATE")));

        r = ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("example.com")});
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).startsWith(QLatin1String("one._domainkey.example.com\t")));
        QVERIFY(lines.at(1).startsWith(QLatin1String("two._domainkey.example.com\t")));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("two")});
        QCOMPARE(r.out.trimmed(), lines.at(1));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("nokeys.example")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no active or pending DKIM key")), qPrintable(r.err));
    }

    void zoneLineParsesWithDnspython()
    {
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                      QStringLiteral("--selector"), QStringLiteral("big"), QStringLiteral("--algorithm"),
                      QStringLiteral("rsa-3072")})
                     .code,
                 0);
        const QString value =
            field(ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("example.com")})
                      .out.trimmed(),
                  1);
        QVERIFY(value.size() > 510); // three strings
        const Run r = ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("example.com"),
                           QStringLiteral("--zone")});
        QCOMPARE(r.code, 0);
        const QString zoneLine = r.out.trimmed();
        QVERIFY2(zoneLine.startsWith(QLatin1String("big._domainkey.example.com. IN TXT ( \"")),
                 qPrintable(zoneLine));
        // dnspython reads the line as a zone file would be read; each string
        // at most 255 octets, joined they are the record value.
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral(
                      "import sys, dns.zone\n"
                      "text = '$TTL 300\\n@ IN SOA ns. h. 1 2 3 4 5\\n@ IN NS ns.\\n' + sys.stdin.read()\n"
                      "z = dns.zone.from_text(text, origin='example.com.', relativize=False)\n"
                      "rr = z.find_rdataset('big._domainkey.example.com.', 'TXT')[0]\n"
                      "assert all(len(s) <= 255 for s in rr.strings), [len(s) for s in rr.strings]\n"
                      "print(len(rr.strings)); print(b''.join(rr.strings).decode())\n")});
        QVERIFY(py.waitForStarted());
        py.write(zoneLine.toUtf8() + '\n');
        py.closeWriteChannel();
        QVERIFY(py.waitForFinished(30000));
        const QString out = QString::fromUtf8(py.readAllStandardOutput());
        QVERIFY2(py.exitCode() == 0, qPrintable(QString::fromUtf8(py.readAllStandardError())));
        QCOMPARE(out.section(QLatin1Char('\n'), 0, 0), QStringLiteral("3"));
        QCOMPARE(out.section(QLatin1Char('\n'), 1, 1), value);
    }

    void diffPushRemoveAndRollback()
    {
        Run r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                     QStringLiteral("--selector"), QStringLiteral("s1")});
        QCOMPARE(r.code, 0);
        r = ctl({QStringLiteral("diff")});
        QVERIFY2(r.out.contains(QLatin1String("dkim + example.com s1 (rsa-2048, active)\n")),
                 qPrintable(r.out));
        QCOMPARE(ctl({QStringLiteral("push")}).code, 0);
        QCOMPARE(ctl({QStringLiteral("diff")}).out, QString());

        // A key that was never pushed: its file goes with it.
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                      QStringLiteral("--selector"), QStringLiteral("draftonly")})
                     .code,
                 0);
        const QString draftOnly = keyDir() + QStringLiteral("/example.com.draftonly.pem");
        QVERIFY(QFileInfo::exists(draftOnly));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("remove"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("draftonly")});
        QCOMPARE(r.code, 0);
        QVERIFY(!QFileInfo::exists(draftOnly));

        // A pushed key: removed from the draft, its file kept for rollback.
        const QString s1 = keyDir() + QStringLiteral("/example.com.s1.pem");
        r = ctl({QStringLiteral("dkim"), QStringLiteral("remove"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("s1")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QLatin1String("stays")), qPrintable(r.err));
        QVERIFY(QFileInfo::exists(s1));
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("list")}).out, QString());
        QCOMPARE(ctl({QStringLiteral("diff")}).out,
                 QStringLiteral("dkim - example.com s1 (rsa-2048, active)\n"));
        // Its selector cannot be reused while the file is kept.
        r = ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("s1")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("exists already")), qPrintable(r.err));
        QCOMPARE(ctl({QStringLiteral("push")}).code, 0);
        r = ctl({QStringLiteral("rollback")});
        QCOMPARE(r.code, 0);
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("list")}).out,
                 QStringLiteral("example.com\ts1\trsa-2048\tactive\n"));
        QVERIFY(QFileInfo::exists(s1));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("remove"), QStringLiteral("example.com"),
                 QStringLiteral("--selector"), QStringLiteral("nope")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no DKIM key with selector nope")), qPrintable(r.err));
        QCOMPARE(databaseFilesHolding("PRIVATE KEY"), QStringList());
    }

    void rotationWaitsForTheRecordInDns()
    {
        Run r = ctl({QStringLiteral("dkim"), QStringLiteral("rotate"), QStringLiteral("example.com")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no active DKIM key to rotate")), qPrintable(r.err));
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("generate"), QStringLiteral("example.com"),
                      QStringLiteral("--selector"), QStringLiteral("old")})
                     .code,
                 0);
        QCOMPARE(ctl({QStringLiteral("push")}).code, 0);
        r = ctl({QStringLiteral("dkim"), QStringLiteral("rotate"), QStringLiteral("example.com")});
        QCOMPARE(r.code, 0);
        const QString sel = today();
        QVERIFY2(r.out.startsWith(sel + QStringLiteral("._domainkey.example.com\tv=DKIM1; k=rsa; p=")),
                 qPrintable(r.out));
        const QString value = field(r.out.trimmed(), 1);
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("list")}).out,
                 QStringLiteral("example.com\t%1\trsa-2048\tpending\nexample.com\told\trsa-2048\tactive\n")
                     .arg(sel));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("rotate"), QStringLiteral("example.com")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("under way already")), qPrintable(r.err));

        // A name server without the record: the push says so, the key stays pending.
        QStringList chunks;
        for (qsizetype i = 0; i < value.size(); i += 255)
            chunks << value.mid(i, 255);
        const QString name = sel + QStringLiteral("._domainkey.example.com");
        {
            DnsmasqProcess dns;
            const QString skip =
                dns.start({QStringLiteral("--local=/example.com/"),
                           QStringLiteral("--txt-record=other._domainkey.example.com,v=DKIM1; p=AAAA")});
            REQUIRE_DNSMASQ(skip);
            m_nameserver = dns.nameserver();
            r = ctl({QStringLiteral("push")});
            QCOMPARE(r.code, 0);
            QVERIFY2(
                r.out.contains(
                    QStringLiteral("DKIM example.com %1: the record %2 is not published yet").arg(sel, name)),
                qPrintable(r.out));
            // An answer, not a failed look-up: the name does not exist there.
            QVERIFY2(r.out.contains(QLatin1String("(no such name (NXDOMAIN))")), qPrintable(r.out));
        }
        QVERIFY(ctl({QStringLiteral("dkim"), QStringLiteral("list")})
                    .out.contains(sel + QStringLiteral("\trsa-2048\tpending")));
        // A record with another key's p= does not count either.
        {
            DnsmasqProcess dns;
            QVERIFY(dns.start({QStringLiteral("--local=/example.com/"),
                               QStringLiteral("--txt-record=%1,v=DKIM1; k=rsa; "
                                              "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwrong")
                                   .arg(name)})
                        .isEmpty());
            m_nameserver = dns.nameserver();
            r = ctl({QStringLiteral("push")});
            QVERIFY2(r.out.contains(QLatin1String("for another key")), qPrintable(r.out));
        }
        QVERIFY(ctl({QStringLiteral("dkim"), QStringLiteral("list")})
                    .out.contains(sel + QStringLiteral("\trsa-2048\tpending")));

        // Published (in 255-octet strings, as the zone line gives them): the push activates it.
        {
            DnsmasqProcess dns;
            QVERIFY(dns.start({QStringLiteral("--local=/example.com/"), QStringLiteral("--txt-record=") +
                                                                            name + QLatin1Char(',') +
                                                                            chunks.join(QLatin1Char(','))})
                        .isEmpty());
            m_nameserver = dns.nameserver();
            r = ctl({QStringLiteral("push")});
            QCOMPARE(r.code, 0);
            QVERIFY2(
                r.out.contains(QStringLiteral("DKIM example.com %1: record %2 is published").arg(sel, name)),
                qPrintable(r.out + r.err));
        }
        QCOMPARE(ctl({QStringLiteral("dkim"), QStringLiteral("list")}).out,
                 QStringLiteral("example.com\t%1\trsa-2048\tactive\nexample.com\told\trsa-2048\tretired\n")
                     .arg(sel));
        r = ctl({QStringLiteral("dkim"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8())
                    .array()
                    .at(1)
                    .toObject()
                    .contains(QStringLiteral("retired_at")));
        // The push that activated it stored the new states: nothing left to push.
        QCOMPARE(ctl({QStringLiteral("diff")}).out, QString());
        // The retired key is no longer among the records to publish.
        r = ctl({QStringLiteral("dkim"), QStringLiteral("record"), QStringLiteral("example.com")});
        QCOMPARE(r.out.trimmed().split(QLatin1Char('\n')).size(), 1);
        QVERIFY(r.out.startsWith(sel));
    }
};

QTEST_GUILESS_MAIN(TstCtlDkim)
#include "tst_ctldkim.moc"
