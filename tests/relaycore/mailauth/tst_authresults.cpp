// Authentication-Results at receipt (RFC 8601): the field the relay writes,
// the removal of fields that claim the relay's authserv-id (a client must
// not be able to forge them) while fields of other hosts stay, and the
// From: domain DMARC goes by.
#include "relaycore/mailauth/authresults.h"

#include <QRegularExpression>
#include <QTest>

using namespace mailroute;

class TestAuthResults final : public QObject
{
    Q_OBJECT
private slots:
    void field()
    {
        AuthVerdicts v;
        v.spf = u"fail"_qs;
        v.spfIdentity = u"ann@sender.example"_qs;
        v.dkim << AuthVerdicts::Dkim{u"pass"_qs, u"sender.example"_qs, u"sel"_qs, {}};
        v.dmarc = u"pass"_qs;
        v.fromDomain = u"sender.example"_qs;
        QCOMPARE(authenticationResultsField(u"relay.example.com"_qs, v),
                 QByteArray("Authentication-Results: relay.example.com;\r\n\tspf=fail "
                            "smtp.mailfrom=ann@sender.example;\r\n"
                            "\tdkim=pass header.d=sender.example header.s=sel;\r\n\tdmarc=pass "
                            "header.from=sender.example\r\n"));
        // No arc= (the ARC stage adds it at delivery); "dmarc=" is not one.
        QVERIFY(!QString::fromLatin1(authenticationResultsField(u"relay.example.com"_qs, v))
                     .contains(QRegularExpression(u"[\\s;]arc="_qs)));
        QCOMPARE(v.logFields().value(u"arc"_qs).toString(), u"none"_qs);
    }

    void shortFieldOnOneLine()
    {
        AuthVerdicts v;
        v.spfHelo = true;
        v.spf = u"none"_qs;
        v.spfIdentity = u"m.t"_qs;
        QCOMPARE(
            authenticationResultsField(u"r.test"_qs, v),
            QByteArray("Authentication-Results: r.test; spf=none smtp.helo=m.t; dkim=none; dmarc=none\r\n"));
    }

    void failureCommentsAndPolicy()
    {
        AuthVerdicts v;
        v.spf = u"pass"_qs;
        v.spfIdentity = u"a@b.test"_qs;
        v.dkim << AuthVerdicts::Dkim{u"fail"_qs, u"b.test"_qs, u"s1"_qs, u"body hash (bh=) mismatch"_qs};
        v.dkim << AuthVerdicts::Dkim{u"permerror"_qs, u"c.test"_qs, u"s2"_qs, u"no key"_qs};
        v.dmarc = u"fail"_qs;
        v.dmarcPolicy = u"reject"_qs;
        v.dmarcDisposition = u"quarantine"_qs;
        v.fromDomain = u"b.test"_qs;
        const QByteArray f = authenticationResultsField(u"r.test"_qs, v);
        QVERIFY2(f.contains("dkim=fail (body hash bh= mismatch) header.d=b.test header.s=s1;"),
                 f.constData());
        QVERIFY(f.contains("dkim=permerror (no key) header.d=c.test header.s=s2;"));
        QVERIFY(f.contains("dmarc=fail (p=reject dis=quarantine) header.from=b.test\r\n"));
        QCOMPARE(v.dkimSummary(), u"fail"_qs);
    }

    void authservId_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("id");
        QTest::newRow("plain") << QByteArray(" relay.example.com; spf=pass") << u"relay.example.com"_qs;
        QTest::newRow("version") << QByteArray(" relay.example.com 1; none") << u"relay.example.com"_qs;
        QTest::newRow("comment first")
            << QByteArray(" (forged) relay.example.com; none") << u"relay.example.com"_qs;
        QTest::newRow("quoted") << QByteArray(" \"relay.example.com\"; none") << u"relay.example.com"_qs;
        QTest::newRow("folded") << QByteArray("\r\n\trelay.example.com;\r\n\tdkim=pass")
                                << u"relay.example.com"_qs;
        QTest::newRow("other") << QByteArray(" mx.google.com; spf=pass") << u"mx.google.com"_qs;
    }

    void authservId()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, id);
        QCOMPARE(authservIdOf(body), id);
    }

    // A forged field with our id (any case, folded, with a comment) goes;
    // another host's stays, byte for byte, in its place.
    void forgedFieldsAreRemoved()
    {
        const QByteArray message =
            "Received: from x\r\n"
            "Authentication-Results: RELAY.example.com; dkim=pass header.d=bank.example\r\n"
            "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=a@b.example\r\n"
            "Authentication-Results: (x) relay.example.com;\r\n\tdmarc=pass\r\n"
            "Authentication-Results: relay.example.com.evil; spf=pass\r\n"
            "From: a@b.example\r\n"
            "\r\n"
            "Authentication-Results: relay.example.com; body text stays\r\n";
        int removed = -1;
        const QByteArray out = removeOwnAuthenticationResults(message, u"relay.example.com"_qs, &removed);
        QCOMPARE(removed, 2);
        QCOMPARE(out,
                 QByteArray("Received: from x\r\n"
                            "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=a@b.example\r\n"
                            "Authentication-Results: relay.example.com.evil; spf=pass\r\n"
                            "From: a@b.example\r\n"
                            "\r\n"
                            "Authentication-Results: relay.example.com; body text stays\r\n"));
        int none = -1;
        QCOMPARE(removeOwnAuthenticationResults(out, u"relay.example.com"_qs, &none), out);
        QCOMPARE(none, 0);
    }

    void fromDomain_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("domain");
        QTest::newRow("addr-spec") << QByteArray("From: ann@Sender.Example\r\n\r\n") << u"sender.example"_qs;
        QTest::newRow("name-addr") << QByteArray("From: \"Ann @ home\" <ann@sender.example>\r\n\r\n")
                                   << u"sender.example"_qs;
        QTest::newRow("comment") << QByteArray("From: ann@sender.example (Ann@elsewhere)\r\n\r\n")
                                 << u"sender.example"_qs;
        QTest::newRow("same domain twice")
            << QByteArray("From: a@x.example, b@x.example\r\n\r\n") << u"x.example"_qs;
        QTest::newRow("two domains") << QByteArray("From: a@x.example, b@y.example\r\n\r\n") << QString();
        QTest::newRow("two fields") << QByteArray("From: a@x.example\r\nFrom: a@x.example\r\n\r\n")
                                    << QString();
        QTest::newRow("none") << QByteArray("Subject: hi\r\n\r\n") << QString();
    }

    void fromDomain()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, domain);
        QCOMPARE(fromHeaderDomain(message), domain);
    }
};

QTEST_GUILESS_MAIN(TestAuthResults)
#include "tst_authresults.moc"
