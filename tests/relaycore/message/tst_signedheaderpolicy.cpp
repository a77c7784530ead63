// SignedHeaderPolicy: which To:/Cc: fields rewrite.recipient_headers
// unsigned rewrites for a given set of DKIM outcomes. The rule under test:
// a field a valid signature covers is kept; a field an undecided signature
// may cover is kept (doubt); otherwise it is rewritten.
#include "relaycore/message/signedheaderpolicy.h"

#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QList<mailroute::SignatureOutcome>)

namespace {

SignatureOutcome sig(const QString &d, SignatureStatus status, const QList<QByteArray> &h,
                     const QString &reason = {})
{
    return SignatureOutcome{d, u"sel"_s, status, h, reason};
}

const QList<QByteArray> kGmailH{"from", "to", "cc", "subject", "date", "message-id"};

} // namespace

class TestSignedHeaderPolicy : public QObject
{
    Q_OBJECT

private slots:
    void decide_data()
    {
        QTest::addColumn<QList<SignatureOutcome>>("signatures");
        QTest::addColumn<bool>("rewriteTo");
        QTest::addColumn<bool>("rewriteCc");
        QTest::addColumn<QString>("toReason");
        QTest::addColumn<QString>("ccReason");
        using S = SignatureStatus;

        QTest::newRow("no signature")
            << QList<SignatureOutcome>{} << true << true << u"no DKIM signature"_s << u"no DKIM signature"_s;
        QTest::newRow("valid covers both")
            << QList{sig(u"sender.example"_s, S::Valid, kGmailH)} << false << false
            << u"covered by DKIM d=sender.example"_s << u"covered by DKIM d=sender.example"_s;
        QTest::newRow("valid covers To only")
            << QList{sig(u"sender.example"_s, S::Valid, {"from", "to", "subject"})} << false << true
            << u"covered by DKIM d=sender.example"_s << u"no DKIM signature covers it"_s;
        // Header names in h= compare case-insensitively (RFC 6376 §3.5).
        QTest::newRow("h= in other case")
            << QList{sig(u"sender.example"_s, S::Valid, {"From", "CC"})} << true << false
            << u"no DKIM signature covers it"_s << u"covered by DKIM d=sender.example"_s;
        QTest::newRow("invalid only")
            << QList{sig(u"sender.example"_s, S::Invalid, kGmailH, u"body hash mismatch"_s)} << true << true
            << u"only invalid DKIM signatures cover it (d=sender.example: body hash mismatch)"_s
            << u"only invalid DKIM signatures cover it (d=sender.example: body hash mismatch)"_s;
        QTest::newRow("DNS failure keeps")
            << QList{sig(u"sender.example"_s, S::Unknown, kGmailH, u"DNS SERVFAIL"_s)} << false << false
            << u"may be covered by DKIM d=sender.example, which could not be checked (DNS SERVFAIL)"_s
            << u"may be covered by DKIM d=sender.example, which could not be checked (DNS SERVFAIL)"_s;
        QTest::newRow("time-out, h= not read, keeps everything")
            << QList{SignatureOutcome{{}, {}, S::Unknown, {}, u"no verdict within 10 s"_s}} << false << false
            << u"may be covered by DKIM d=?, which could not be checked (no verdict within 10 s)"_s
            << u"may be covered by DKIM d=?, which could not be checked (no verdict within 10 s)"_s;
        // An undecided signature that does not list Cc cannot be broken by rewriting Cc.
        QTest::newRow("unknown without cc")
            << QList{sig(u"sender.example"_s, S::Unknown, {"from", "to"}, u"DNS time-out"_s)} << false << true
            << u"may be covered by DKIM d=sender.example, which could not be checked (DNS time-out)"_s
            << u"no DKIM signature covers it"_s;
        // An unreadable signature (Invalid, h= unknown) protects nothing.
        QTest::newRow("unreadable signature")
            << QList{sig({}, S::Invalid, {}, u"bad tag list"_s)} << true << true
            << u"no DKIM signature covers it"_s << u"no DKIM signature covers it"_s;
        // The ESP's valid signature is enough to keep; an invalid one of the sender does not matter.
        QTest::newRow("two signatures")
            << QList{sig(u"sender.example"_s, S::Invalid, kGmailH, u"signature mismatch"_s),
                     sig(u"esp.example"_s, S::Valid, {"from", "cc"})}
            << true << false
            << u"only invalid DKIM signatures cover it (d=sender.example: signature mismatch)"_s
            << u"covered by DKIM d=esp.example"_s;
        QTest::newRow("valid wins over unknown")
            << QList{sig(u"a.example"_s, S::Unknown, kGmailH, u"DNS time-out"_s),
                     sig(u"b.example"_s, S::Valid, kGmailH), sig(u"c.example"_s, S::Valid, kGmailH)}
            << false << false << u"covered by DKIM d=b.example, d=c.example"_s
            << u"covered by DKIM d=b.example, d=c.example"_s;
        QTest::newRow("signature without To or Cc")
            << QList{sig(u"sender.example"_s, S::Valid, {"from", "subject", "date"})} << true << true
            << u"no DKIM signature covers it"_s << u"no DKIM signature covers it"_s;
    }

    void decide()
    {
        QFETCH(QList<SignatureOutcome>, signatures);
        QFETCH(bool, rewriteTo);
        QFETCH(bool, rewriteCc);
        QFETCH(QString, toReason);
        QFETCH(QString, ccReason);
        const QList<HeaderFieldDecision> d = SignedHeaderPolicy::decide(signatures, {"To", "Cc"});
        QCOMPARE(d.size(), 2);
        QCOMPARE(d.at(0).field, QByteArray("To"));
        QCOMPARE(d.at(0).rewrite, rewriteTo);
        QCOMPARE(d.at(0).reason, toReason);
        QCOMPARE(d.at(1).field, QByteArray("Cc"));
        QCOMPARE(d.at(1).rewrite, rewriteCc);
        QCOMPARE(d.at(1).reason, ccReason);
        QList<QByteArray> kept;
        if (!rewriteTo)
            kept << "To";
        if (!rewriteCc)
            kept << "Cc";
        QCOMPARE(SignedHeaderPolicy::keptFields(d), kept);
    }

    void hasDkimSignature()
    {
        QVERIFY(SignedHeaderPolicy::hasDkimSignature("DKIM-Signature: v=1; a=rsa-sha256; d=x.example; s=s; "
                                                     "h=from; bh=; b=\r\nFrom: a@x.example\r\n\r\nbody\r\n"));
        QVERIFY(SignedHeaderPolicy::hasDkimSignature("From: a@x.example\r\ndkim-signature: v=1\r\n\r\n"));
        // In the body, or as another field's text, it is no signature.
        QVERIFY(!SignedHeaderPolicy::hasDkimSignature(
            "From: a@x.example\r\nX-Note: DKIM-Signature: v=1\r\n\r\nDKIM-Signature: v=1\r\n"));
        QVERIFY(!SignedHeaderPolicy::hasDkimSignature("From: a@x.example\r\nX-DKIM-Signature: v=1\r\n\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestSignedHeaderPolicy)
#include "tst_signedheaderpolicy.moc"
