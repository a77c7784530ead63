// RFC 6376 §3.4 canonicalisation: the §3.4.5 example, body hashes known
// from the RFC examples, the l= limit, field selection (§5.4.2) and the
// removal of the b= value (§3.7).
#include "relaycore/dkim/dkimcanonicalization.h"

#include <QCryptographicHash>
#include <QTest>

using namespace mailroute;

class TestDkimCanonicalization : public QObject
{
    Q_OBJECT

private slots:
    void rfc6376Example()
    {
        // RFC 6376 §3.4.5, written with its <SP>, <HTAB> and <CRLF> spelled out.
        const QByteArray message = "A: X\r\n"
                                   "B : Y\t\r\n"
                                   "\tZ  \r\n"
                                   "\r\n"
                                   " C \r\n"
                                   "D \t E\r\n"
                                   "\r\n"
                                   "\r\n";
        const HeaderSection section(message);
        QCOMPARE(section.fields().size(), 2);
        auto raw = [&](int i) {
            const HeaderFieldSpan &f = section.fields().at(i);
            return QByteArrayView(message).sliced(f.begin, f.end - f.begin);
        };
        QCOMPARE(dkimCanonicalHeader(DkimCanonicalization::Relaxed, raw(0)), QByteArray("a:X"));
        QCOMPARE(dkimCanonicalHeader(DkimCanonicalization::Relaxed, raw(1)), QByteArray("b:Y Z"));
        QCOMPARE(dkimCanonicalHeader(DkimCanonicalization::Simple, raw(1)), QByteArray("B : Y\t\r\n\tZ  "));
        const QByteArrayView body = QByteArrayView(message).sliced(section.bodyOffset());
        QCOMPARE(dkimCanonicalBody(DkimCanonicalization::Relaxed, body), QByteArray(" C\r\nD E\r\n"));
        QCOMPARE(dkimCanonicalBody(DkimCanonicalization::Simple, body), QByteArray(" C \r\nD \t E\r\n"));
    }

    void body_data()
    {
        QTest::addColumn<int>("canon");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("canonical");
        const int s = int(DkimCanonicalization::Simple);
        const int r = int(DkimCanonicalization::Relaxed);
        QTest::newRow("simple empty") << s << QByteArray() << QByteArray("\r\n");
        QTest::newRow("relaxed empty") << r << QByteArray() << QByteArray();
        QTest::newRow("simple only empty lines") << s << QByteArray("\r\n\r\n\r\n") << QByteArray("\r\n");
        QTest::newRow("relaxed only empty lines") << r << QByteArray("\r\n \r\n\t\r\n") << QByteArray();
        QTest::newRow("simple no final CRLF") << s << QByteArray("abc") << QByteArray("abc\r\n");
        QTest::newRow("relaxed no final CRLF") << r << QByteArray("a  b ") << QByteArray("a b\r\n");
        QTest::newRow("simple keeps inner empty lines")
            << s << QByteArray("a\r\n\r\nb\r\n\r\n") << QByteArray("a\r\n\r\nb\r\n");
        QTest::newRow("simple keeps a space-only last line")
            << s << QByteArray("a\r\n \r\n") << QByteArray("a\r\n \r\n");
        QTest::newRow("relaxed drops a space-only last line")
            << r << QByteArray("a\r\n \r\n") << QByteArray("a\r\n");
        QTest::newRow("lone LF is an ordinary byte") << r << QByteArray("a\nb\r\n") << QByteArray("a\nb\r\n");
        QTest::newRow("8-bit kept") << r << QByteArray("gr\xc3\xbc\xc3\x9f  dich \r\n")
                                    << QByteArray("gr\xc3\xbc\xc3\x9f dich\r\n");
    }
    void body()
    {
        QFETCH(int, canon);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, canonical);
        const auto c = DkimCanonicalization(canon);
        QCOMPARE(dkimCanonicalBody(c, body), canonical);
        qint64 length = -1;
        QCOMPARE(dkimBodyHash(c, body, -1, &length),
                 QCryptographicHash::hash(canonical, QCryptographicHash::Sha256));
        QCOMPARE(length, canonical.size());
    }

    void knownBodyHashes()
    {
        // RFC 6376 Appendix A / RFC 8463 Appendix A body: relaxed bh= is
        // 2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; so is the simple
        // hash of the same text with one space (the RFC 6376 A.2 example).
        const QByteArray twoSpaces = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n";
        const QByteArray oneSpace = "Hi.\r\n\r\nWe lost the game. Are you hungry yet?\r\n\r\nJoe.\r\n";
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Relaxed, twoSpaces).toBase64(),
                 QByteArray("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="));
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Simple, oneSpace).toBase64(),
                 QByteArray("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="));
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Simple, QByteArray()).toBase64(),
                 QByteArray("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="));
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Relaxed, QByteArray()).toBase64(),
                 QByteArray("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    }

    void lengthLimit()
    {
        const QByteArray body = "Hello\r\nworld\r\n";
        qint64 length = 0;
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Simple, body, 7, &length),
                 QCryptographicHash::hash("Hello\r\n", QCryptographicHash::Sha256));
        QCOMPARE(length, 14);
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Simple, body, 0),
                 QCryptographicHash::hash("", QCryptographicHash::Sha256));
    }

    void relaxedHeaders_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("canonical");
        QTest::newRow("plain") << QByteArray("Subject: Hi") << QByteArray("subject:Hi");
        QTest::newRow("folded") << QByteArray("To: a@x,\r\n  b@y") << QByteArray("to:a@x, b@y");
        QTest::newRow("fold right after colon") << QByteArray("To:\r\n a@x") << QByteArray("to:a@x");
        QTest::newRow("empty value") << QByteArray("Cc:   ") << QByteArray("cc:");
        QTest::newRow("tabs inside") << QByteArray("X-A: a\t\tb") << QByteArray("x-a:a b");
        QTest::newRow("encoded word kept") << QByteArray("Subject: =?utf-8?q?gr=C3=BC=C3=9F?=  x")
                                           << QByteArray("subject:=?utf-8?q?gr=C3=BC=C3=9F?= x");
    }
    void relaxedHeaders()
    {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, canonical);
        QCOMPARE(dkimCanonicalHeader(DkimCanonicalization::Relaxed, field), canonical);
    }

    void selectionBottomUp()
    {
        const QByteArray message = "Received: 1\r\nFrom: a\r\nTo: t1\r\nTo: t2\r\nSubject: s\r\n\r\nbody\r\n";
        const HeaderSection section(message);
        // to twice picks the last then the one above; from twice: the second selects nothing.
        const QList<int> picked = dkimSelectFields(section, {"from", "to", "to", "from", "x-none", "TO"});
        QCOMPARE(picked, (QList<int>{1, 3, 2, -1, -1, -1}));
        const QByteArray data =
            dkimSignedHeaderData(section, {"from", "to", "to", "from"}, DkimCanonicalization::Relaxed,
                                 "DKIM-Signature: a=b; b=XYZ");
        QCOMPARE(data, QByteArray("from:a\r\nto:t2\r\nto:t1\r\ndkim-signature:a=b; b="));
    }

    void removeSignatureValue_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("stripped");
        QTest::newRow("last") << QByteArray("DKIM-Signature: v=1; bh=AB; b=CD\r\n EF")
                              << QByteArray("DKIM-Signature: v=1; bh=AB; b=");
        QTest::newRow("middle") << QByteArray("DKIM-Signature: b = CD EF ; bh=AB")
                                << QByteArray("DKIM-Signature: b =; bh=AB");
        QTest::newRow("folded before b")
            << QByteArray("DKIM-Signature: v=1;\r\n b=CD;") << QByteArray("DKIM-Signature: v=1;\r\n b=;");
        QTest::newRow("bh alone untouched")
            << QByteArray("DKIM-Signature: bh=AB") << QByteArray("DKIM-Signature: bh=AB");
    }
    void removeSignatureValue()
    {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, stripped);
        QCOMPARE(dkimRemoveSignatureValue(field), stripped);
    }
};

QTEST_GUILESS_MAIN(TestDkimCanonicalization)
#include "tst_dkimcanonicalization.moc"
