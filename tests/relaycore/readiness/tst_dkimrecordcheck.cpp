// assessDkimRecord: when a pending key counts as published (RFC 6376 §3.6.1
// tag lists: p= among other tags, blanks folded into the base64, several TXT
// records at the name), and when not (no name, no record, another key, a
// failed look-up). Pure: DNS answers as values.
#include "relaycore/readiness/dkimrecordcheck.h"

#include <QTest>

using namespace mailroute;

class TstDkimRecordCheck final : public QObject
{
    Q_OBJECT

private slots:
    void publicKeyTag_data()
    {
        QTest::addColumn<QString>("record");
        QTest::addColumn<QString>("p");
        QTest::newRow("plain") << QStringLiteral("v=DKIM1; k=rsa; p=MIIBIj") << QStringLiteral("MIIBIj");
        QTest::newRow("folded") << QStringLiteral("v=DKIM1;k=rsa;\tp = MIIB Ij\r\n AQAB ; t=s")
                                << QStringLiteral("MIIBIjAQAB");
        QTest::newRow("first") << QStringLiteral("p=AAAA; v=DKIM1") << QStringLiteral("AAAA");
        QTest::newRow("revoked") << QStringLiteral("v=DKIM1; p=") << QString();
        QTest::newRow("none") << QStringLiteral("v=spf1 -all") << QString();
        QTest::newRow("not pp") << QStringLiteral("v=DKIM1; pp=AAAA") << QString();
    }

    void publicKeyTag()
    {
        QFETCH(QString, record);
        QFETCH(QString, p);
        QCOMPARE(dkimRecordPublicKey(record), p);
    }

    void assess_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<int>("expected");
        using O = DnsAnswer::Outcome;
        using S = DkimRecordStatus::Outcome;
        QTest::newRow("published") << int(O::Records) << QStringList{QStringLiteral("v=DKIM1; k=rsa; p=KEY1")}
                                   << int(S::Published);
        QTest::newRow("among others")
            << int(O::Records)
            << QStringList{QStringLiteral("v=DKIM1; p=OLD"), QStringLiteral("v=DKIM1; p=KEY1")}
            << int(S::Published);
        QTest::newRow("another key") << int(O::Records) << QStringList{QStringLiteral("v=DKIM1; p=OLD")}
                                     << int(S::Different);
        QTest::newRow("nxdomain") << int(O::NxDomain) << QStringList() << int(S::Missing);
        QTest::newRow("nodata") << int(O::NoRecords) << QStringList() << int(S::Missing);
        QTest::newRow("servfail") << int(O::Failure) << QStringList() << int(S::Failure);
    }

    void assess()
    {
        QFETCH(int, outcome);
        QFETCH(QStringList, values);
        QFETCH(int, expected);
        DkimKey key;
        key.domain = QStringLiteral("example.com");
        key.selector = QStringLiteral("mr20261206");
        key.publicKey = QStringLiteral("KEY1");
        DnsAnswer answer;
        answer.outcome = DnsAnswer::Outcome(outcome);
        answer.values = values;
        const DkimRecordStatus s = assessDkimRecord(key, &answer);
        QCOMPARE(int(s.outcome), expected);
        QCOMPARE(s.name, QStringLiteral("mr20261206._domainkey.example.com"));
        QVERIFY(!s.detail.isEmpty());
        QCOMPARE(int(assessDkimRecord(key, nullptr).outcome), int(DkimRecordStatus::Outcome::Failure));
    }
};

QTEST_GUILESS_MAIN(TstDkimRecordCheck)
#include "tst_dkimrecordcheck.moc"
