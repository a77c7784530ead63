// Parsing DKIM-Signature values (RFC 6376 §3.5) and key records (§3.6.1,
// RFC 8463 §4): what is accepted, and every strict refusal with its reason.
#include "relaycore/dkim/dkimkeyrecord.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/dkim/dkimtaglist.h"

#include <QTest>

using namespace mailroute;

namespace {

const QByteArray good = "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM; s=Sel1;\r\n"
                        " h=From : To:subject; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                        " b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
                        "   4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut;";

QByteArray replaced(const QByteArray &from, const QByteArray &to)
{
    QByteArray s = good;
    return s.replace(from, to);
}

} // namespace

class TestDkimSignature : public QObject
{
    Q_OBJECT

private slots:
    void parsesGood()
    {
        const Result<DkimSignature> sig = parseDkimSignature(good);
        QVERIFY2(sig.ok(), qPrintable(sig.error));
        QCOMPARE(sig->algorithm, QByteArray("rsa-sha256"));
        QVERIFY(!sig->ed25519);
        QCOMPARE(sig->domain, QStringLiteral("example.com"));
        QCOMPARE(sig->selector, QStringLiteral("sel1"));
        QCOMPARE(sig->keyName(), QStringLiteral("sel1._domainkey.example.com"));
        QCOMPARE(sig->signedFields, (QList<QByteArray>{"from", "to", "subject"}));
        QCOMPARE(sig->headerCanonicalization, DkimCanonicalization::Relaxed);
        QCOMPARE(sig->bodyCanonicalization, DkimCanonicalization::Simple);
        QCOMPARE(sig->bodyHash.size(), 32);
        QCOMPARE(sig->signature.toBase64(),
                 QByteArray("AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB4nujc7YopdG5dWLSdNg6xNAZpOPr"
                            "+kHxt1IrE+NahM6L/LbvaHut"));
        QCOMPARE(sig->identity, QStringLiteral("@example.com"));
        QVERIFY(!sig->timestamp);
    }

    void defaultsAndOptional()
    {
        const Result<DkimSignature> sig = parseDkimSignature(replaced(
            "c=relaxed/simple;", "c=relaxed; i=joe@mail.example.com; l=10; t=100; x=200; q=dns/txt;"));
        QVERIFY2(sig.ok(), qPrintable(sig.error));
        QCOMPARE(sig->bodyCanonicalization, DkimCanonicalization::Simple); // c=relaxed means relaxed/simple
        QCOMPARE(sig->identity, QStringLiteral("joe@mail.example.com"));
        QCOMPARE(*sig->bodyLength, 10);
        QCOMPARE(*sig->timestamp, 100);
        QCOMPARE(*sig->expiration, 200);
        const Result<DkimSignature> noC =
            parseDkimSignature(replaced("c=relaxed/simple;", "z=unknown-tag-is-ignored;"));
        QVERIFY2(noC.ok(), qPrintable(noC.error));
        QCOMPARE(noC->headerCanonicalization, DkimCanonicalization::Simple);
        QCOMPARE(noC->bodyCanonicalization, DkimCanonicalization::Simple);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("duplicate tag")
            << replaced("s=Sel1;", "s=Sel1; s=other;") << QStringLiteral("appears twice");
        QTest::newRow("missing b") << replaced("b=AuUo", "z=AuUo") << QStringLiteral("b= missing");
        QTest::newRow("missing bh") << replaced("bh=", "zz=") << QStringLiteral("bh= missing");
        QTest::newRow("missing d") << replaced("d=Example.COM;", "") << QStringLiteral("d= missing");
        QTest::newRow("missing s") << replaced("s=Sel1;", "") << QStringLiteral("s= missing");
        QTest::newRow("missing h") << replaced("h=From : To:subject;", "") << QStringLiteral("h= missing");
        QTest::newRow("missing v") << replaced("v=1;", "") << QStringLiteral("v= missing");
        QTest::newRow("version 2") << replaced("v=1;", "v=2;") << QStringLiteral("version");
        QTest::newRow("rsa-sha1") << replaced("rsa-sha256", "rsa-sha1") << QStringLiteral("RFC 8301");
        QTest::newRow("unknown algorithm")
            << replaced("rsa-sha256", "dsa-sha256") << QStringLiteral("unknown algorithm");
        QTest::newRow("unknown canonicalization")
            << replaced("relaxed/simple", "relaxed/fancy") << QStringLiteral("canonicalization");
        QTest::newRow("h without from") << replaced("From : ", "") << QStringLiteral("From");
        QTest::newRow("i outside d") << replaced("v=1;", "v=1; i=joe@evil.example;") << QStringLiteral("i=");
        QTest::newRow("i look-alike suffix")
            << replaced("v=1;", "v=1; i=@badexample.com;") << QStringLiteral("i=");
        QTest::newRow("bad base64 in bh") << replaced("bh=2jUS", "bh=*jUS") << QStringLiteral("bh=");
        QTest::newRow("bad base64 in b") << replaced("b=AuUo", "b=Au!o") << QStringLiteral("b=");
        QTest::newRow("empty b") << replaced("b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
                                             "   4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut;",
                                             "b=")
                                 << QStringLiteral("b=");
        QTest::newRow("bad domain") << replaced("d=Example.COM", "d=exa mple.com") << QStringLiteral("d=");
        QTest::newRow("q without dns/txt") << replaced("v=1;", "v=1; q=http;") << QStringLiteral("q=");
        QTest::newRow("x before t") << replaced("v=1;", "v=1; t=200; x=100;") << QStringLiteral("x=");
        QTest::newRow("t not digits") << replaced("v=1;", "v=1; t=12a;") << QStringLiteral("t=");
        QTest::newRow("l not digits") << replaced("v=1;", "v=1; l=-1;") << QStringLiteral("l=");
        QTest::newRow("tag without =") << replaced("v=1;", "v=1; junk;") << QStringLiteral("without '='");
        QTest::newRow("empty tag-spec") << replaced("v=1;", "v=1;;") << QStringLiteral("empty tag");
        QTest::newRow("bad tag name") << replaced("v=1;", "v=1; 9x=1;") << QStringLiteral("tag name");
        QTest::newRow("bare LF in value") << replaced("v=1;", "v=1; z=a\nb;") << QStringLiteral("line break");
        QTest::newRow("8-bit in value")
            << replaced("v=1;", "v=1; z=\xc3\xa9;") << QStringLiteral("character");
    }
    void refused()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, reason);
        const Result<DkimSignature> sig = parseDkimSignature(value);
        QVERIFY(!sig.ok());
        QVERIFY2(sig.error.contains(reason), qPrintable(sig.error));
    }

    void keyRecords_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("ed25519");
        QTest::addColumn<bool>("revoked");
        QTest::newRow("rsa default k") << QByteArray("p=AAAB") << true << false << false;
        QTest::newRow("ed25519 rfc8463")
            << QByteArray("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=") << true
            << true << false;
        QTest::newRow("revoked") << QByteArray("v=DKIM1; k=rsa; p=") << true << false << true;
        QTest::newRow("folded p") << QByteArray("v=DKIM1; p=AA AB") << true << false << false;
        QTest::newRow("v not first") << QByteArray("k=rsa; v=DKIM1; p=AAAB") << false << false << false;
        QTest::newRow("v wrong") << QByteArray("v=DKIM2; p=AAAB") << false << false << false;
        QTest::newRow("unknown k") << QByteArray("k=dsa; p=AAAB") << false << false << false;
        QTest::newRow("h without sha256") << QByteArray("h=sha1; p=AAAB") << false << false << false;
        QTest::newRow("h with sha256") << QByteArray("h=sha1:sha256; p=AAAB") << true << false << false;
        QTest::newRow("s not email") << QByteArray("s=other; p=AAAB") << false << false << false;
        QTest::newRow("no p") << QByteArray("v=DKIM1; k=rsa") << false << false << false;
        QTest::newRow("bad base64") << QByteArray("p=A*AB") << false << false << false;
    }
    void keyRecords()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        QFETCH(bool, ed25519);
        QFETCH(bool, revoked);
        const Result<DkimKeyRecord> record = parseDkimKeyRecord(text);
        QCOMPARE(record.ok(), ok);
        if (!ok)
            return;
        QCOMPARE(record->ed25519, ed25519);
        QCOMPARE(record->revoked, revoked);
    }

    void keyRecordFlags()
    {
        const Result<DkimKeyRecord> record = parseDkimKeyRecord("v=DKIM1; t=y:s; p=AAAB");
        QVERIFY(record.ok());
        QVERIFY(record->testing);
        QVERIFY(record->strictIdentity);
    }
};

QTEST_GUILESS_MAIN(TestDkimSignature)
#include "tst_dkimsignature.moc"
