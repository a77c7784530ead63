// Tests for ReceivedField: the RFC 5321 §4.4 trace field (layout, folding,
// protocol names of RFC 3848 / RFC 6531, sanitising of client-supplied
// names) and the Received count behind the hop limit
// (docs/behaviour.md "Loop protection").
#include "relaycore/message/receivedfield.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace mailroute;

class TestReceivedField : public QObject
{
    Q_OBJECT

private slots:
    void typical();
    void protocolNames_data();
    void protocolNames();
    void tcpInfo_data();
    void tcpInfo();
    void forClause_data();
    void forClause();
    void foldedShapeAndGrammar_data();
    void foldedShapeAndGrammar();
    void hostileNamesCannotInject();
    void count_data();
    void count();
    void prependedFieldIsCounted();
};

namespace {

ReceivedInfo typicalInfo()
{
    ReceivedInfo i;
    i.heloName = QStringLiteral("mail.example.org");
    i.reverseName = QStringLiteral("mail.example.org");
    i.clientAddress = QStringLiteral("192.0.2.10");
    i.byHost = QStringLiteral("relay.drypizza.com");
    i.queueId = QStringLiteral("4ABCD1234");
    i.recipients = QStringList{QStringLiteral("bob.owen@drypizza.com")};
    i.tls = true;
    i.time = QDateTime(QDate(2025, 2, 13), QTime(23, 32, 54), QTimeZone(3600));
    return i;
}

QList<QByteArray> lines(const QByteArray &field)
{
    QList<QByteArray> out = field.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    for (QByteArray &l : out)
        l.chop(1); // the CR
    return out;
}

QByteArray unfold(QByteArray field)
{
    field.replace("\r\n\t", " ");
    field.chop(2);
    return field;
}

} // namespace

void TestReceivedField::typical()
{
    QCOMPARE(ReceivedField::build(typicalInfo()),
             QByteArray("Received: from mail.example.org (mail.example.org [192.0.2.10])\r\n"
                        "\tby relay.drypizza.com (MailRoute) with ESMTPS id 4ABCD1234\r\n"
                        "\tfor <bob.owen@drypizza.com>; Thu, 13 Feb 2025 23:32:54 +0100\r\n"));
}

void TestReceivedField::protocolNames_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("auth");
    QTest::addColumn<bool>("utf8");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << false << false << false << QByteArray("ESMTP");
    QTest::newRow("tls") << true << false << false << QByteArray("ESMTPS");
    QTest::newRow("auth") << false << true << false << QByteArray("ESMTPA");
    QTest::newRow("tls auth") << true << true << false << QByteArray("ESMTPSA");
    QTest::newRow("utf8") << false << false << true << QByteArray("UTF8SMTP");
    QTest::newRow("utf8 tls") << true << false << true << QByteArray("UTF8SMTPS");
    QTest::newRow("utf8 auth") << false << true << true << QByteArray("UTF8SMTPA");
    QTest::newRow("utf8 tls auth") << true << true << true << QByteArray("UTF8SMTPSA");
}

void TestReceivedField::protocolNames()
{
    QFETCH(bool, tls);
    QFETCH(bool, auth);
    QFETCH(bool, utf8);
    QFETCH(QByteArray, expected);
    QCOMPARE(ReceivedField::protocolName(tls, auth, utf8), expected);
    ReceivedInfo i = typicalInfo();
    i.tls = tls;
    i.authenticated = auth;
    i.smtpUtf8 = utf8;
    QVERIFY(unfold(ReceivedField::build(i)).contains(QByteArray(" with " + expected + " id ")));
}

void TestReceivedField::tcpInfo_data()
{
    QTest::addColumn<QString>("reverse");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("expected"); // between "from <helo>" and " by"

    QTest::newRow("reverse and v4") << QStringLiteral("mx.example.org") << QStringLiteral("192.0.2.1")
                                    << QByteArray(" (mx.example.org [192.0.2.1])");
    QTest::newRow("no reverse") << QString() << QStringLiteral("192.0.2.1") << QByteArray(" ([192.0.2.1])");
    QTest::newRow("v6") << QStringLiteral("mx.example.org") << QStringLiteral("2001:db8::1")
                        << QByteArray(" (mx.example.org [IPv6:2001:db8::1])");
    QTest::newRow("v6 zone dropped") << QString() << QStringLiteral("fe80::1%eth0")
                                     << QByteArray(" ([IPv6:fe80::1])");
    QTest::newRow("no address") << QStringLiteral("mx.example.org") << QString() << QByteArray();
    QTest::newRow("junk address") << QString() << QStringLiteral("zzz") << QByteArray();
}

void TestReceivedField::tcpInfo()
{
    QFETCH(QString, reverse);
    QFETCH(QString, address);
    QFETCH(QByteArray, expected);
    ReceivedInfo i = typicalInfo();
    i.heloName = QStringLiteral("helo.example");
    i.reverseName = reverse;
    i.clientAddress = address;
    const QByteArray u = unfold(ReceivedField::build(i));
    QVERIFY2(u.startsWith(QByteArray("Received: from helo.example" + expected + " by relay.drypizza.com")),
             u.constData());
}

void TestReceivedField::forClause_data()
{
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<bool>("utf8");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("one") << QStringList{QStringLiteral("bob@drypizza.com")} << false
                         << QByteArray(" for <bob@drypizza.com>;");
    QTest::newRow("none") << QStringList{} << false << QByteArray();
    QTest::newRow("two, privacy") << QStringList{QStringLiteral("a@x.example"), QStringLiteral("b@x.example")}
                                  << false << QByteArray();
    QTest::newRow("invalid") << QStringList{QStringLiteral("bob@x.example>\r\nBcc: y@z.example")} << false
                             << QByteArray();
    QTest::newRow("utf8 without SMTPUTF8")
        << QStringList{QString::fromUtf8("jörg@x.example")} << false << QByteArray();
    QTest::newRow("utf8 with SMTPUTF8") << QStringList{QString::fromUtf8("jörg@x.example")} << true
                                        << QByteArray(" for <j\xc3\xb6rg@x.example>;");
}

void TestReceivedField::forClause()
{
    QFETCH(QStringList, recipients);
    QFETCH(bool, utf8);
    QFETCH(QByteArray, expected);
    ReceivedInfo i = typicalInfo();
    i.recipients = recipients;
    i.smtpUtf8 = utf8;
    const QByteArray u = unfold(ReceivedField::build(i));
    const QByteArray clause =
        " id 4ABCD1234" + expected + (expected.isEmpty() ? ";" : "") + " Thu, 13 Feb 2025 23:32:54 +0100";
    QVERIFY2(u.contains(clause), u.constData());
    QCOMPARE(u.count(" for "), expected.isEmpty() ? 0 : 1);
}

void TestReceivedField::foldedShapeAndGrammar_data()
{
    QTest::addColumn<QString>("helo");
    QTest::addColumn<QString>("reverse");
    QTest::addColumn<QString>("by");
    QTest::addColumn<QString>("queueId");

    QTest::newRow("short") << QStringLiteral("a.example") << QString() << QStringLiteral("r.example")
                           << QStringLiteral("Q1");
    QTest::newRow("typical") << QStringLiteral("mail.example.org") << QStringLiteral("mail.example.org")
                             << QStringLiteral("relay.drypizza.com") << QStringLiteral("4ABCD1234");
    QTest::newRow("long names") << QStringLiteral(
                                       "a-rather-long-helo-name.mail-cluster-7.eu-west.example.org")
                                << QStringLiteral("ec2-198-51-100-77.eu-west-1.compute.amazonaws.example.com")
                                << QStringLiteral("relay-01.mailroute.internal.drypizza.com")
                                << QStringLiteral("0123456789ABCDEF0123");
    QTest::newRow("address literal helo") << QStringLiteral("[192.0.2.10]") << QString()
                                          << QStringLiteral("relay.example") << QStringLiteral("X");
    QTest::newRow("empty helo") << QString() << QString() << QString() << QString();
    QTest::newRow("helo longer than a line")
        << QString(300, QLatin1Char('h')) << QString(90, QLatin1Char('r')) << QStringLiteral("relay.example")
        << QStringLiteral("Q");
}

void TestReceivedField::foldedShapeAndGrammar()
{
    QFETCH(QString, helo);
    QFETCH(QString, reverse);
    QFETCH(QString, by);
    QFETCH(QString, queueId);
    ReceivedInfo i = typicalInfo();
    i.heloName = helo;
    i.reverseName = reverse;
    i.byHost = by;
    i.queueId = queueId;
    const QByteArray f = ReceivedField::build(i);
    QVERIFY(f.startsWith("Received: "));
    QVERIFY(f.endsWith("\r\n"));
    QCOMPARE(f.count('\r'), f.count('\n'));
    QCOMPARE(f.count("\r\n"), f.count('\n'));
    const QList<QByteArray> ls = lines(f);
    for (int k = 0; k < ls.size(); ++k) {
        const QByteArray &l = ls[k];
        QVERIFY2(l.size() <= 998, l.constData());
        // A line may only exceed 78 when it holds a single unbreakable piece.
        if (l.size() > 78) {
            const QByteArray piece = k == 0 ? l.mid(10) : l.trimmed();
            QVERIFY2(piece.count(' ') <= 1, l.constData());
        }
        if (k > 0) {
            QVERIFY2(l.startsWith('\t'), l.constData());
            QVERIFY2(!l.trimmed().isEmpty(), "whitespace-only continuation line");
        }
    }
    // RFC 5321 §4.4 Stamp, unfolded.
    static const QRegularExpression stamp(QStringLiteral(
        "^Received: from \\S+( \\((\\S+ )?\\[(IPv6:)?[0-9a-fA-F.:]+\\]\\))? by \\S+ \\(MailRoute\\) "
        "with (UTF8SMTP|ESMTP)S?A?( id [A-Za-z0-9._+=-]+)?( for <[^<>\\s]+>)?; "
        "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}$"));
    const QString u = QString::fromLatin1(unfold(f));
    QVERIFY2(stamp.match(u).hasMatch(), qPrintable(u));
    QVERIFY(u.size() < 255 + 255 + 300);
}

void TestReceivedField::hostileNamesCannotInject()
{
    ReceivedInfo i = typicalInfo();
    i.heloName = QStringLiteral("evil.example\r\nBcc: victim@x.example (x); Thu");
    i.reverseName = QStringLiteral("rev.example)\nX-Spam: no");
    i.clientAddress = QStringLiteral("192.0.2.1]\r\nX: y");
    i.byHost = QStringLiteral("relay.example\r\n\r\nbody");
    i.queueId = QStringLiteral("Q1;\r\nX-Injected: 1");
    const QByteArray f = ReceivedField::build(i);
    const QList<QByteArray> ls = lines(f);
    for (int k = 1; k < ls.size(); ++k)
        QVERIFY2(ls[k].startsWith('\t'), f.constData()); // every line break is a fold
    QCOMPARE(f.count("\r\n"), f.count('\n'));
    QCOMPARE(f.count('\r'), f.count('\n'));
    QVERIFY2(!f.contains("Bcc:") || f.contains("?Bcc:"), f.constData());
    QCOMPARE(f.count(';'), 1); // only the one before the date
    QCOMPARE(f.count('('), 2); // TCP-info and (MailRoute)
    QCOMPARE(f.count(')'), 2);
    QVERIFY(!f.contains("X-Injected: 1\r\n"));
}

void TestReceivedField::count_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("expected");

    QTest::newRow("none") << QByteArray("From: a@b.example\r\n\r\nReceived: x\r\n") << 0;
    QTest::newRow("two, folded") << QByteArray(
                                        "Received: from a\r\n\tby b; date\r\nreceived: x\r\nTo: y\r\n\r\n")
                                 << 2;
    QTest::newRow("names that only look alike")
        << QByteArray("X-Received: a\r\nReceived-SPF: pass\r\nARC-Received: x\r\nReceivedX: y\r\n\r\n") << 0;
    QTest::newRow("obsolete space before colon") << QByteArray("Received : a\r\n\r\n") << 1;
    QTest::newRow("headers only") << QByteArray("Received: a\r\nReceived: b") << 2;
    QTest::newRow("LF only still counts") << QByteArray("Received: a\nReceived: b\n\nbody\n") << 2;
    QByteArray many;
    for (int i = 0; i < 51; ++i)
        many += "Received: from h" + QByteArray::number(i) + ".example by relay.example; date\r\n";
    QTest::newRow("51, over the hop limit") << QByteArray(many + "\r\n" + many) << 51;
    QTest::newRow("empty") << QByteArray() << 0;
}

void TestReceivedField::count()
{
    QFETCH(QByteArray, message);
    QFETCH(int, expected);
    QCOMPARE(ReceivedField::count(message), expected);
}

void TestReceivedField::prependedFieldIsCounted()
{
    const QByteArray m =
        "Received: from a by b; Thu, 13 Feb 2025 10:00:00 +0000\r\nTo: x@y.example\r\n\r\nhi\r\n";
    const QByteArray withTrace = ReceivedField::build(typicalInfo()) + m;
    QCOMPARE(ReceivedField::count(m), 1);
    QCOMPARE(ReceivedField::count(withTrace), 2);
}

QTEST_GUILESS_MAIN(TestReceivedField)
#include "tst_receivedfield.moc"
