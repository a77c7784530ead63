// The signer: the RFC 8463 Appendix A example reproduced byte for byte
// (Ed25519 is deterministic), the h= policy, folding, and dkimpy — an
// independent implementation — verifying every signature MailRoute makes,
// RSA-2048, RSA-3072 and Ed25519, over the header shapes of
// tst_headerrewriter and bodies with trailing blank lines, long lines and
// 8-bit text.
#include "dkimoracle.h"

#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/dkim/dkimsigner.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;

namespace {

// RFC 8463 Appendix A.1 (the RFC 6376 example message) and A.2's Ed25519
// key, the RFC 8032 §7.1 TEST 1 secret key, as PKCS#8 PEM.
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

QByteArray rfcEd25519Pem()
{
    // PKCS#8 prefix for an Ed25519 private key, then the 32-byte seed.
    const QByteArray seed = QByteArray::fromBase64("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
    const QByteArray der = QByteArray::fromHex("302e020100300506032b657004220420") + seed;
    return "-----BEGIN PRIVATE KEY-----\n" + der.toBase64() + "\n-----END PRIVATE KEY-----\n";
}

QList<QByteArray> lines(const QByteArray &field)
{
    QList<QByteArray> out = field.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

class TestDkimSigner : public QObject
{
    Q_OBJECT

private slots:
    void rfc8463Example()
    {
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(rfcEd25519Pem());
        QVERIFY2(key.ok(), qPrintable(key.error));
        QCOMPARE(key->publicKey(), QStringLiteral("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="));
        // RFC 8463 A.3, the Ed25519 signature, with its b= value removed.
        const QByteArray unsignedField = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
                                         " d=football.example.com; i=@football.example.com;\r\n"
                                         " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
                                         " subject : date : message-id : from : subject : date;\r\n"
                                         " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
                                         " b=";
        const Result<DkimSignature> parsed = parseDkimSignature(QByteArray(unsignedField.mid(15) + "AAAA"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        const HeaderSection section(rfcMessage);
        QCOMPARE(dkimBodyHash(DkimCanonicalization::Relaxed,
                              QByteArrayView(rfcMessage).sliced(section.bodyOffset())),
                 parsed->bodyHash);
        const Result<QByteArray> b = DkimSigner::signatureValue(
            section, parsed->signedFields, DkimCanonicalization::Relaxed, unsignedField, *key);
        QVERIFY2(b.ok(), qPrintable(b.error));
        QCOMPARE(
            *b,
            QByteArray(
                "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw=="));
    }

    void headerPolicyAndFolding()
    {
        const QByteArray message = "Received: from x by y\r\n"
                                   "From: A <a@example.com>\r\n"
                                   "To: b@example.net\r\n"
                                   "To: c@example.net\r\n"
                                   "List-Id: <list.example.com>\r\n"
                                   "list-unsubscribe: <mailto:leave@example.com>\r\n"
                                   "X-Mailer: nothing\r\n"
                                   "Subject: hello\r\n"
                                   "DKIM-Signature: v=1; kept as it is\r\n"
                                   "\r\n"
                                   "body\r\n";
        const HeaderSection section(message);
        QCOMPARE(DkimSigner::fieldsToSign(section),
                 (QList<QByteArray>{"from", "from", "to", "to", "subject", "list-id", "list-unsubscribe"}));
        const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Rsa2048);
        QVERIFY(generated.ok());
        const Result<DkimSigningKey> rsa = DkimSigningKey::fromPem(generated->privatePem);
        QVERIFY(rsa.ok());
        const Result<QByteArray> signedMessage = DkimSigner::sign(
            message, *rsa, QStringLiteral("Example.com"), QStringLiteral("mr2026"), 1700000000);
        QVERIFY2(signedMessage.ok(), qPrintable(signedMessage.error));
        QVERIFY(signedMessage->endsWith(message)); // prepended; the old DKIM-Signature stays
        const HeaderSection out(*signedMessage);
        QCOMPARE(out.count("dkim-signature"), 2);
        const HeaderFieldSpan &first = out.fields().first();
        QVERIFY(out.nameIs(first, "DKIM-Signature"));
        const QByteArray field = signedMessage->left(first.next);
        for (const QByteArray &line : lines(field)) {
            QVERIFY2(line.endsWith('\r'), line.constData());
            QVERIFY2(line.size() - 1 < 78, line.constData());
        }
        const Result<DkimSignature> parsed = parseDkimSignature(out.body(first));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        QCOMPARE(parsed->domain, QStringLiteral("example.com"));
        QCOMPARE(parsed->selector, QStringLiteral("mr2026"));
        QCOMPARE(*parsed->timestamp, 1700000000);
        QVERIFY(!parsed->bodyLength);
        QVERIFY(!parsed->expiration);
        QCOMPARE(parsed->headerCanonicalization, DkimCanonicalization::Relaxed);
        QCOMPARE(parsed->bodyCanonicalization, DkimCanonicalization::Relaxed);
        QCOMPARE(parsed->signature.size(), 256);
    }

    void dkimpyVerifiesWhatWeSign_data()
    {
        QTest::addColumn<DkimAlgorithm>("algorithm");
        QTest::newRow("rsa-2048") << DkimAlgorithm::Rsa2048;
        QTest::newRow("rsa-3072") << DkimAlgorithm::Rsa3072;
        QTest::newRow("ed25519") << DkimAlgorithm::Ed25519;
    }
    void dkimpyVerifiesWhatWeSign()
    {
        QFETCH(DkimAlgorithm, algorithm);
        const Result<GeneratedDkimKey> generated = generateDkimKey(algorithm);
        QVERIFY(generated.ok());
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(generated->privatePem, algorithm);
        QVERIFY2(key.ok(), qPrintable(key.error));

        QMap<QString, QByteArray> messages;
        // The golden header shapes of tst_headerrewriter (folded fields,
        // encoded words, groups, several addresses, ...), except those
        // whose line ends are not CRLF: the relay refuses them (RFC 5321 §2.3.8);
        // and two shapes dkimpy cannot read at all (it raises
        // MessageFormatError): malformed_untouched, whose header has a line
        // that is no field, and obs_spaces ("To :", RFC 5322 §4.5, which
        // relaxed canonicalisation handles by removing the WSP, §3.4.2).
        const QDir data(QStringLiteral(MAILROUTE_TEST_DATA));
        for (const QString &name : data.entryList({QStringLiteral("*.out.eml")}, QDir::Files)) {
            const QByteArray m = dkimtest::readFile(data.filePath(name));
            QByteArray stripped = m;
            stripped.replace("\r\n", "");
            if (stripped.contains('\n') || stripped.contains('\r') ||
                name.startsWith(QStringLiteral("malformed")) || name.startsWith(QStringLiteral("obs_spaces")))
                continue;
            messages.insert(name.section(QLatin1Char('.'), 0, 0), m);
        }
        QVERIFY(messages.size() > 30);
        const QByteArray header = "From: =?utf-8?q?J=C3=BCrgen?= <j@example.com>\r\n"
                                  "To: undisclosed-recipients:;\r\n"
                                  "Subject: body shapes\r\n"
                                  "MIME-Version: 1.0\r\n"
                                  "Content-Type: text/plain; charset=utf-8\r\n"
                                  "Content-Transfer-Encoding: 8bit\r\n"
                                  "\r\n";
        messages.insert(QStringLiteral("trailing_blank_lines"), header + "Hello\r\n\r\n\r\n  \r\n\r\n");
        messages.insert(QStringLiteral("long_line"),
                        header + QByteArray(990, 'x') + "\r\n" + QByteArray(500, ' ') + "y\r\n");
        messages.insert(QStringLiteral("eight_bit"), header + "Gr\xc3\xbc\xc3\x9f"
                                                              "e aus K\xc3\xb6ln \t \r\n\xe2\x82\xac 5\r\n");
        messages.insert(QStringLiteral("empty_body"), header);
        messages.insert(QStringLiteral("no_final_crlf"), header + "last line");
        messages.insert(QStringLiteral("wsp_runs"), header + "a \t  b\t\r\n\t c \r\n");
        messages.insert(QStringLiteral("two_from_list"),
                        "From: a@example.com, b@example.com\r\nSender: a@example.com\r\n"
                        "List-Id: x <x.example.com>\r\nList-Post: <mailto:x@example.com>\r\n"
                        "Cc: c@example.net\r\n\r\nbody\r\n");

        QTemporaryDir dir;
        qint64 t = 1700000000;
        for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
            const Result<QByteArray> signedMessage =
                DkimSigner::sign(it.value(), *key, QStringLiteral("example.com"), QStringLiteral("sel"), ++t);
            QVERIFY2(signedMessage.ok(), qPrintable(it.key() + QStringLiteral(": ") + signedMessage.error));
            QVERIFY(dkimtest::writeFile(dir.filePath(it.key() + QStringLiteral(".eml")), *signedMessage));
            // A tampered copy must fail.
            QByteArray tampered = *signedMessage;
            tampered.append("tampered\r\n");
            QVERIFY(dkimtest::writeFile(dir.filePath(it.key() + QStringLiteral(".tampered.eml")), tampered));
        }
        const QByteArray record = dkimRecordValue(algorithm, generated->publicKey).toLatin1();
        QString log;
        const QHash<QString, QString> verdicts = dkimtest::oracleVerify(dir.path(), record, &log);
        QCOMPARE(verdicts.size(), messages.size() * 2);
        for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
            QVERIFY2(verdicts.value(it.key() + QStringLiteral(".eml")) == QStringLiteral("pass"),
                     qPrintable(it.key() + QLatin1Char('\n') + log));
            QVERIFY2(verdicts.value(it.key() + QStringLiteral(".tampered.eml")) == QStringLiteral("fail"),
                     qPrintable(it.key()));
        }
    }

    void refusesBareLineEndsInHeader()
    {
        const Result<GeneratedDkimKey> generated = generateDkimKey(DkimAlgorithm::Ed25519);
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(generated->privatePem);
        QVERIFY(!DkimSigner::sign("From: a@b\nTo: c@d\r\n\r\nx\r\n", *key, QStringLiteral("b"),
                                  QStringLiteral("s"), 1)
                     .ok());
    }
};

QTEST_GUILESS_MAIN(TestDkimSigner)
#include "tst_dkimsigner.moc"
