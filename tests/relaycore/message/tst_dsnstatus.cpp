// Tests for DsnStatus: RFC 3463 codes, enhanced codes in SMTP replies
// (RFC 2034 §4, RFC 5321 §4.2.1 multi-line replies) and the fallback from a
// bare reply code.
#include "relaycore/message/dsnstatus.h"

#include <QTest>

using namespace mailroute;

class TestDsnStatus : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void fromReply_data();
    void fromReply();
    void fromReplyCode_data();
    void fromReplyCode();
    void classes();
};

void TestDsnStatus::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("5.1.1") << QStringLiteral("5.1.1") << QStringLiteral("5.1.1");
    QTest::newRow("4.4.1") << QStringLiteral("4.4.1") << QStringLiteral("4.4.1");
    QTest::newRow("2.0.0") << QStringLiteral("2.0.0") << QStringLiteral("2.0.0");
    QTest::newRow("three digits") << QStringLiteral("5.123.999") << QStringLiteral("5.123.999");
    QTest::newRow("leading zero kept as number") << QStringLiteral("5.01.1") << QStringLiteral("5.1.1");
    QTest::newRow("class 3") << QStringLiteral("3.1.1") << QString();
    QTest::newRow("class 1") << QStringLiteral("1.0.0") << QString();
    QTest::newRow("four digits") << QStringLiteral("5.1234.1") << QString();
    QTest::newRow("missing detail") << QStringLiteral("5.1") << QString();
    QTest::newRow("trailing dot") << QStringLiteral("5.1.1.") << QString();
    QTest::newRow("trailing text") << QStringLiteral("5.1.1 user") << QString();
    QTest::newRow("leading space") << QStringLiteral(" 5.1.1") << QString();
    QTest::newRow("empty parts") << QStringLiteral("5..1") << QString();
    QTest::newRow("letters") << QStringLiteral("5.a.1") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestDsnStatus::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::optional<DsnStatus> s = DsnStatus::parse(text);
    QCOMPARE(s.has_value(), !expected.isEmpty());
    if (s)
        QCOMPARE(s->toString(), expected);
}

void TestDsnStatus::fromReply_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("expected"); // empty: not a reply

    QTest::newRow("enhanced") << QByteArray("550 5.1.1 <bob@x.example>: user unknown")
                              << QStringLiteral("5.1.1");
    QTest::newRow("enhanced with CRLF")
        << QByteArray("452 4.2.2 mailbox full\r\n") << QStringLiteral("4.2.2");
    QTest::newRow("multi-line, last line counts")
        << QByteArray("550-5.7.1 first line\r\n550-5.7.1 second\r\n550 5.7.26 unauthenticated\r\n")
        << QStringLiteral("5.7.26");
    QTest::newRow("code only") << QByteArray("421") << QStringLiteral("4.3.2");
    QTest::newRow("no enhanced, mapped")
        << QByteArray("552 Requested mail action aborted") << QStringLiteral("5.2.2");
    QTest::newRow("no enhanced, 550") << QByteArray("550 Mailbox unavailable") << QStringLiteral("5.0.0");
    QTest::newRow("no enhanced, 4xx unknown") << QByteArray("499 whatever") << QStringLiteral("4.0.0");
    QTest::newRow("class mismatch ignored")
        << QByteArray("550 4.2.2 mailbox full") << QStringLiteral("5.0.0");
    QTest::newRow("glued text is not a code") << QByteArray("550 5.1.1x user") << QStringLiteral("5.0.0");
    QTest::newRow("tab after code") << QByteArray("550 5.1.1\tuser") << QStringLiteral("5.1.1");
    QTest::newRow("2xx") << QByteArray("250 2.1.5 Ok") << QStringLiteral("2.1.5");
    QTest::newRow("3xx is not a final status") << QByteArray("354 go ahead") << QString();
    QTest::newRow("garbage") << QByteArray("hello") << QString();
    QTest::newRow("two digits") << QByteArray("55 x") << QString();
    QTest::newRow("code glued to text") << QByteArray("550x 5.1.1") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestDsnStatus::fromReply()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, expected);
    const std::optional<DsnStatus> s = DsnStatus::fromSmtpReply(reply);
    QCOMPARE(s.has_value(), !expected.isEmpty());
    if (s)
        QCOMPARE(s->toString(), expected);
}

void TestDsnStatus::fromReplyCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("421") << 421 << QStringLiteral("4.3.2");
    QTest::newRow("450") << 450 << QStringLiteral("4.2.0");
    QTest::newRow("451") << 451 << QStringLiteral("4.3.0");
    QTest::newRow("452") << 452 << QStringLiteral("4.3.1");
    QTest::newRow("500") << 500 << QStringLiteral("5.5.2");
    QTest::newRow("501") << 501 << QStringLiteral("5.5.4");
    QTest::newRow("502") << 502 << QStringLiteral("5.5.1");
    QTest::newRow("503") << 503 << QStringLiteral("5.5.1");
    QTest::newRow("504") << 504 << QStringLiteral("5.5.4");
    QTest::newRow("550") << 550 << QStringLiteral("5.0.0");
    QTest::newRow("551") << 551 << QStringLiteral("5.1.6");
    QTest::newRow("552") << 552 << QStringLiteral("5.2.2");
    QTest::newRow("553") << 553 << QStringLiteral("5.1.3");
    QTest::newRow("554") << 554 << QStringLiteral("5.0.0");
    QTest::newRow("555") << 555 << QStringLiteral("5.5.4");
    QTest::newRow("250") << 250 << QStringLiteral("2.0.0");
    QTest::newRow("354 none") << 354 << QString();
    QTest::newRow("600 none") << 600 << QString();
}

void TestDsnStatus::fromReplyCode()
{
    QFETCH(int, code);
    QFETCH(QString, expected);
    QCOMPARE(DsnStatus::fromReplyCode(code).toString(), expected);
    QCOMPARE(DsnStatus::fromReplyCode(code).isValid(), !expected.isEmpty());
}

void TestDsnStatus::classes()
{
    QVERIFY(DsnStatus(5, 1, 1).isPermanent());
    QVERIFY(!DsnStatus(5, 1, 1).isTransient());
    QVERIFY(DsnStatus(4, 4, 1).isTransient());
    QVERIFY(DsnStatus(2, 0, 0).isSuccess());
    QVERIFY(!DsnStatus().isValid());
    QVERIFY(DsnStatus().toString().isEmpty());
    QVERIFY(!DsnStatus(5, 1000, 0).isValid());
    QVERIFY(DsnStatus(5, 1, 1) == DsnStatus(5, 1, 1));
    QVERIFY(DsnStatus(5, 1, 1) != DsnStatus(5, 1, 2));
}

QTEST_GUILESS_MAIN(TestDsnStatus)
#include "tst_dsnstatus.moc"
