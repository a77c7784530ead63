// The verifier core: the RFC 8463 example signature verifies; messages
// dkimpy signed (RSA and Ed25519, relaxed/relaxed and simple/simple) pass,
// tampered copies fail in MailRoute and in dkimpy alike; key record
// outcomes (none, revoked, wrong type, temporary failure); coverage of h=,
// including a field listed more often than present; the asynchronous key
// callback; a body read from a file gives the same verdicts.
#include "dkimoracle.h"

#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/dkim/dkimsigner.h"
#include "relaycore/dkim/dkimverifier.h"
#include "relaycore/message/bodyfile.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace mailroute;

namespace {

const QByteArray rfcMessage = "From: Joe SixPack <joe@football.example.com>\r\n"
                              "To: Suzie Q <suzie@shopping.example.net>\r\n"
                              "Subject: Is dinner ready?\r\n"
                              "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
                              "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
                              "\r\n"
                              "Hi.\r\n"
                              "\r\n"
                              "We lost the game.  Are you hungry yet?\r\n"
                              "\r\n"
                              "Joe.\r\n"
                              "\r\n";

// RFC 8463 Appendix A.3 (the Ed25519 signature) and A.2's record.
const QByteArray rfcSignature = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
                                " d=football.example.com; i=@football.example.com;\r\n"
                                " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
                                " subject : date : message-id : from : subject : date;\r\n"
                                " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                                " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
                                " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n";
const QByteArray rfcRecord = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

// Verifies with a table of records, answering synchronously.
QList<DkimVerification> verifyWith(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &answers,
                                   qint64 now = 1700000000, QStringList *asked = nullptr)
{
    QList<DkimVerification> out;
    bool called = false;
    DkimVerifier::verify(
        message, now,
        [&](const QString &name, const DkimVerifier::KeyReply &reply) {
            if (asked)
                asked->append(name);
            DkimKeyAnswer none;
            none.kind = DkimKeyAnswer::Kind::NoRecord;
            reply(answers.value(name, none));
        },
        [&](const QList<DkimVerification> &results) {
            out = results;
            called = true;
        });
    return called ? out : QList<DkimVerification>();
}

// The same with the message cut at `cut` octets past the end of its header
// section: the rest in a body file (a large message as received, the body
// hashed from the file in chunks).
QList<DkimVerification> verifySplit(const QByteArray &message, const QHash<QString, DkimKeyAnswer> &answers,
                                    qsizetype cut, const QString &directory)
{
    const qsizetype at = HeaderSection(message).bodyOffset() + cut;
    QString error;
    const std::shared_ptr<BodyFile> file = BodyFile::create(directory, &error);
    if (!file || !file->append(message.constData() + at, message.size() - at) || !file->finish())
        return {};
    QList<DkimVerification> out;
    DkimVerifier::verify(
        message.left(at), file, 1700000000,
        [&](const QString &name, const DkimVerifier::KeyReply &reply) {
            DkimKeyAnswer none;
            none.kind = DkimKeyAnswer::Kind::NoRecord;
            reply(answers.value(name, none));
        },
        [&](const QList<DkimVerification> &results) { out = results; });
    return out;
}

DkimKeyAnswer records(const QByteArray &text)
{
    DkimKeyAnswer a;
    a.kind = DkimKeyAnswer::Kind::Records;
    a.records = {text};
    return a;
}

} // namespace

class TestDkimVerifier : public QObject
{
    Q_OBJECT

private slots:
    void rfc8463Example()
    {
        const QList<DkimVerification> results =
            verifyWith(rfcSignature + rfcMessage,
                       {{QStringLiteral("brisbane._domainkey.football.example.com"), records(rfcRecord)}});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].outcome, DkimOutcome::Pass);
        QCOMPARE(results[0].domain, QStringLiteral("football.example.com"));
        QCOMPARE(results[0].algorithm, QByteArray("ed25519-sha256"));
        // h= lists from, subject and date twice: those cannot be added to;
        // to and message-id can.
        QVERIFY(results[0].covers("From"));
        QCOMPARE(results[0].coverage.size(), 5);
        for (const DkimFieldCoverage &c : results[0].coverage) {
            const bool twice = c.name == "from" || c.name == "subject" || c.name == "date";
            QCOMPARE(c.present, 1);
            QCOMPARE(c.signedCount, twice ? 2 : 1);
            QCOMPARE(c.locked(), twice);
            QVERIFY(!c.partial());
        }
        QVERIFY(!results[0].covers("Received"));

        // A From added above the signed one breaks it (oversigning works).
        const QList<DkimVerification> added =
            verifyWith(rfcSignature + "From: evil@example.org\r\n" + rfcMessage,
                       {{QStringLiteral("brisbane._domainkey.football.example.com"), records(rfcRecord)}});
        QCOMPARE(added[0].outcome, DkimOutcome::Fail);
        // ... but a To added above is not covered: it passes, and the
        // coverage tells that one To is unsigned.
        const QList<DkimVerification> addedTo =
            verifyWith(rfcSignature + "To: other@example.org\r\n" + rfcMessage,
                       {{QStringLiteral("brisbane._domainkey.football.example.com"), records(rfcRecord)}});
        QCOMPARE(addedTo[0].outcome, DkimOutcome::Pass);
        for (const DkimFieldCoverage &c : addedTo[0].coverage) {
            if (c.name == "to") {
                QCOMPARE(c.present, 2);
                QVERIFY(c.partial());
            }
        }
    }

    void keyOutcomes()
    {
        const QString name = QStringLiteral("brisbane._domainkey.football.example.com");
        const QByteArray m = rfcSignature + rfcMessage;
        QCOMPARE(verifyWith(m, {})[0].outcome, DkimOutcome::PermError); // no record
        QCOMPARE(verifyWith(m, {{name, records("v=DKIM1; k=ed25519; p=")}})[0].reason,
                 QStringLiteral("key revoked"));
        QCOMPARE(
            verifyWith(m,
                       {{name, records("v=DKIM1; k=rsa; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")}})[0]
                .outcome,
            DkimOutcome::PermError);
        DkimKeyAnswer temp;
        temp.kind = DkimKeyAnswer::Kind::TempFail;
        temp.detail = QStringLiteral("SERVFAIL");
        const DkimVerification t = verifyWith(m, {{name, temp}})[0];
        QCOMPARE(t.outcome, DkimOutcome::TempError);
        QVERIFY(t.reason.contains(QStringLiteral("SERVFAIL")));
        // Another key: the signature does not verify.
        const Result<GeneratedDkimKey> other = generateDkimKey(DkimAlgorithm::Ed25519);
        QCOMPARE(
            verifyWith(
                m, {{name, records(dkimRecordValue(DkimAlgorithm::Ed25519, other->publicKey).toLatin1())}})[0]
                .outcome,
            DkimOutcome::Fail);
        // Strict identity (t=s) with i= = d=: still fine.
        QCOMPARE(verifyWith(m, {{name, records(rfcRecord + "; t=s")}})[0].outcome, DkimOutcome::Pass);
        // Body changed: fail with the body-hash reason.
        QByteArray body = m;
        body.replace("Joe.", "Bob.");
        const DkimVerification b = verifyWith(body, {{name, records(rfcRecord)}})[0];
        QCOMPARE(b.outcome, DkimOutcome::Fail);
        QCOMPARE(b.reason, QStringLiteral("body hash did not verify"));
        // Expired (x= in the past).
        QByteArray expired = m;
        expired.replace("t=1528637909;", "t=1528637909; x=1528637999;");
        QCOMPARE(verifyWith(expired, {{name, records(rfcRecord)}})[0].reason,
                 QStringLiteral("signature expired"));
        // A malformed signature is a permerror without a look-up.
        QStringList asked;
        QByteArray malformed = m;
        malformed.replace("v=1;", "v=1; v=1;");
        const DkimVerification p = verifyWith(malformed, {{name, records(rfcRecord)}}, 1700000000, &asked)[0];
        QCOMPARE(p.outcome, DkimOutcome::PermError);
        QVERIFY(asked.isEmpty());
    }

    void noSignaturesAndTooMany()
    {
        QCOMPARE(verifyWith(rfcMessage, {}).size(), 0);
        QByteArray many;
        for (int i = 0; i < DkimVerifier::maxSignatures + 3; ++i)
            many += rfcSignature;
        QStringList asked;
        const QList<DkimVerification> r =
            verifyWith(many + rfcMessage,
                       {{QStringLiteral("brisbane._domainkey.football.example.com"), records(rfcRecord)}},
                       1700000000, &asked);
        QCOMPARE(r.size(), DkimVerifier::maxSignatures + 3);
        QCOMPARE(asked.size(), DkimVerifier::maxSignatures);
        QCOMPARE(r.first().outcome, DkimOutcome::Pass);
        QCOMPARE(r.last().outcome, DkimOutcome::PermError);
    }

    void asynchronousAnswers()
    {
        // Two signatures, answers delivered later from the event loop, in
        // reverse order; results come back in field order.
        const Result<GeneratedDkimKey> k1 = generateDkimKey(DkimAlgorithm::Ed25519);
        const Result<GeneratedDkimKey> k2 = generateDkimKey(DkimAlgorithm::Rsa2048);
        const QByteArray base = "From: a@one.example\r\nSubject: x\r\n\r\nbody\r\n";
        const QByteArray s1 =
            *DkimSigner::sign(base, *DkimSigningKey::fromPem(k1->privatePem), QStringLiteral("one.example"),
                              QStringLiteral("a"), 1700000000);
        const QByteArray s2 =
            *DkimSigner::sign(s1, *DkimSigningKey::fromPem(k2->privatePem), QStringLiteral("two.example"),
                              QStringLiteral("b"), 1700000000);
        QHash<QString, QByteArray> table{{QStringLiteral("a._domainkey.one.example"),
                                          dkimRecordValue(DkimAlgorithm::Ed25519, k1->publicKey).toLatin1()},
                                         {QStringLiteral("b._domainkey.two.example"),
                                          dkimRecordValue(DkimAlgorithm::Rsa2048, k2->publicKey).toLatin1()}};
        QList<DkimVerification> results;
        bool done = false;
        int delay = 50;
        DkimVerifier::verify(
            s2, 1700000000,
            [&](const QString &name, DkimVerifier::KeyReply reply) {
                const DkimKeyAnswer answer = records(table.value(name));
                QTimer::singleShot(delay, this, [reply, answer] { reply(answer); });
                delay -= 40;
            },
            [&](const QList<DkimVerification> &r) {
                results = r;
                done = true;
            });
        QVERIFY(!done);
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].domain, QStringLiteral("two.example"));
        QCOMPARE(results[0].outcome, DkimOutcome::Pass);
        QCOMPARE(results[1].domain, QStringLiteral("one.example"));
        QCOMPARE(results[1].outcome, DkimOutcome::Pass);
    }

    void dkimpySignedMessages_data()
    {
        QTest::addColumn<DkimAlgorithm>("algorithm");
        QTest::addColumn<QString>("canon");
        QTest::newRow("rsa relaxed") << DkimAlgorithm::Rsa2048 << QStringLiteral("relaxed");
        QTest::newRow("rsa simple") << DkimAlgorithm::Rsa2048 << QStringLiteral("simple");
        QTest::newRow("ed25519 relaxed") << DkimAlgorithm::Ed25519 << QStringLiteral("relaxed");
        QTest::newRow("ed25519 simple") << DkimAlgorithm::Ed25519 << QStringLiteral("simple");
    }
    void dkimpySignedMessages()
    {
        QFETCH(DkimAlgorithm, algorithm);
        QFETCH(QString, canon);
        const Result<GeneratedDkimKey> key = generateDkimKey(algorithm);
        QVERIFY(key.ok());
        const QByteArray message = "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                                   "From: =?utf-8?q?J=C3=BCrgen?= <j@example.com>\r\n"
                                   "To: Team: a@example.net,\r\n\tb@example.net;\r\n"
                                   "Subject: folded\r\n  subject  line \r\n"
                                   "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                                   "Message-ID: <1@example.com>\r\n"
                                   "\r\n"
                                   "Gr\xc3\xbc\xc3\x9f"
                                   "e  \t\r\n\r\n" +
                                   QByteArray(900, 'z') + "\r\n\r\n\r\n";
        QTemporaryDir dir;
        const QString algo = algorithm == DkimAlgorithm::Ed25519 ? QStringLiteral("ed25519-sha256")
                                                                 : QStringLiteral("rsa-sha256");
        QString log;
        const QByteArray signedMessage =
            dkimtest::oracleSign(dir.path(), message, key->privatePem, QStringLiteral("py"),
                                 QStringLiteral("example.com"), canon, canon, algo, &log);
        QVERIFY2(signedMessage.startsWith("DKIM-Signature:"), qPrintable(log));
        const QByteArray record = dkimRecordValue(algorithm, key->publicKey).toLatin1();
        const QHash<QString, DkimKeyAnswer> answers{
            {QStringLiteral("py._domainkey.example.com"), records(record)}};
        const QList<DkimVerification> r = verifyWith(signedMessage, answers);
        QCOMPARE(r.size(), 1);
        QVERIFY2(r[0].outcome == DkimOutcome::Pass, qPrintable(r[0].reason));
        QVERIFY(r[0].covers("from"));

        // Tampered in the body and in a signed header: both verifiers say fail.
        QByteArray tamperedBody = signedMessage;
        tamperedBody.replace("zzzz", "zzzy");
        QByteArray tamperedHeader = signedMessage;
        tamperedHeader.replace("Subject: folded", "Subject: fooled");
        QCOMPARE(verifyWith(tamperedBody, answers)[0].outcome, DkimOutcome::Fail);
        QCOMPARE(verifyWith(tamperedHeader, answers)[0].outcome, DkimOutcome::Fail);
        // The body in a file (cut after the header section, or inside the
        // body): the same verdicts.
        for (const qsizetype cut : {0, 5}) {
            const QList<DkimVerification> split = verifySplit(signedMessage, answers, cut, dir.path());
            QCOMPARE(split.size(), 1);
            QVERIFY2(split[0].outcome == DkimOutcome::Pass, qPrintable(split[0].reason));
            QCOMPARE(verifySplit(tamperedBody, answers, cut, dir.path()).value(0).outcome, DkimOutcome::Fail);
            QCOMPARE(verifySplit(tamperedHeader, answers, cut, dir.path()).value(0).outcome,
                     DkimOutcome::Fail);
        }
        QVERIFY(dkimtest::writeFile(dir.filePath(QStringLiteral("good.eml")), signedMessage));
        QVERIFY(dkimtest::writeFile(dir.filePath(QStringLiteral("body.eml")), tamperedBody));
        QVERIFY(dkimtest::writeFile(dir.filePath(QStringLiteral("header.eml")), tamperedHeader));
        const QHash<QString, QString> verdicts = dkimtest::oracleVerify(dir.path(), record, &log);
        QCOMPARE(verdicts.value(QStringLiteral("good.eml")), QStringLiteral("pass"));
        QCOMPARE(verdicts.value(QStringLiteral("body.eml")), QStringLiteral("fail"));
        QCOMPARE(verdicts.value(QStringLiteral("header.eml")), QStringLiteral("fail"));
    }

    void hostileMutations()
    {
        // 3000 random byte mutations of a signed message: the verifier
        // always answers, once per DKIM-Signature field, and a mutation of a
        // signed byte never passes.
        const QByteArray m = rfcSignature + rfcMessage;
        const QHash<QString, DkimKeyAnswer> answers{
            {QStringLiteral("brisbane._domainkey.football.example.com"), records(rfcRecord)}};
        QRandomGenerator rng(20261206);
        const QByteArray alphabet = QByteArrayLiteral(" \t\r\n;:=abAB019+/\xc3\xff\x00");
        for (int i = 0; i < 3000; ++i) {
            QByteArray mutated = m;
            const int changes = 1 + int(rng.bounded(4));
            for (int c = 0; c < changes; ++c)
                mutated[int(rng.bounded(int(mutated.size())))] =
                    alphabet.at(int(rng.bounded(int(alphabet.size()))));
            bool answered = false;
            QList<DkimVerification> r;
            DkimVerifier::verify(
                mutated, 1700000000,
                [&](const QString &name, const DkimVerifier::KeyReply &reply) {
                    DkimKeyAnswer none;
                    none.kind = DkimKeyAnswer::Kind::NoRecord;
                    reply(answers.value(name, none));
                },
                [&](const QList<DkimVerification> &results) {
                    answered = true;
                    r = results;
                });
            QVERIFY(answered);
            QCOMPARE(r.size(), HeaderSection(mutated).count("dkim-signature"));
        }
        // One changed byte in each signed place fails (From, Subject, body).
        for (const QByteArray &from :
             {QByteArray("Joe SixPack"), QByteArray("dinner"), QByteArray("hungry")}) {
            QByteArray mutated = m;
            mutated.replace(from, QByteArray(from).replace(1, 1, "Q"));
            QCOMPARE(verifyWith(mutated, answers).value(0).outcome, DkimOutcome::Fail);
        }
    }

    void rsa1024RecordStillVerifiesButKeyIsRefusedForSigning()
    {
        // RFC 8301 §3.2: verifiers accept 1024-bit keys, signers must not use them.
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                 QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:1024")});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray pem = p.readAllStandardOutput();
        const Result<DkimSigningKey> refused = DkimSigningKey::fromPem(pem);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error.contains(QStringLiteral("RFC 8301")), qPrintable(refused.error));
        QTemporaryDir dir;
        QProcess pub;
        pub.start(QStringLiteral("openssl"), {QStringLiteral("pkey"), QStringLiteral("-pubout"),
                                              QStringLiteral("-outform"), QStringLiteral("DER")});
        pub.waitForStarted();
        pub.write(pem);
        pub.closeWriteChannel();
        QVERIFY(pub.waitForFinished(60000));
        const QByteArray der = pub.readAllStandardOutput();
        QString log;
        const QByteArray signedMessage = dkimtest::oracleSign(
            dir.path(), rfcMessage, pem, QStringLiteral("old"), QStringLiteral("example.com"),
            QStringLiteral("relaxed"), QStringLiteral("relaxed"), QStringLiteral("rsa-sha256"), &log);
        QVERIFY2(!signedMessage.isEmpty(), qPrintable(log));
        const QList<DkimVerification> r = verifyWith(
            signedMessage,
            {{QStringLiteral("old._domainkey.example.com"), records("v=DKIM1; k=rsa; p=" + der.toBase64())}});
        QCOMPARE(r[0].outcome, DkimOutcome::Pass);
    }
};

QTEST_GUILESS_MAIN(TestDkimVerifier)
#include "tst_dkimverifier.moc"
