// SmtpReplyReader: strict RFC 5321 §4.2 reply parsing, fed whole and byte by
// byte, and the reply's enhanced status code (RFC 3463) and log text.
#include "relaycore/delivery/smtpreplyreader.h"

#include <QTest>

using namespace mailroute;

class TestSmtpReplyReader final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void enhancedStatus_data();
    void enhancedStatus();
    void textIsBounded();
};

void TestSmtpReplyReader::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    // One entry per reply: "code|line|line..."; "!" + error text start for an error.
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("leftover"); // bytes of an unfinished reply remain

    QTest::newRow("single") << QByteArrayLiteral("250 ok\r\n") << QStringList{QStringLiteral("250|ok")}
                            << false;
    QTest::newRow("code only") << QByteArrayLiteral("250\r\n") << QStringList{QStringLiteral("250|")}
                               << false;
    QTest::newRow("multi-line") << QByteArrayLiteral("250-mx\r\n250-PIPELINING\r\n250 SIZE 10\r\n")
                                << QStringList{QStringLiteral("250|mx|PIPELINING|SIZE 10")} << false;
    QTest::newRow("continuation without text")
        << QByteArrayLiteral("250-\r\n250 last\r\n") << QStringList{QStringLiteral("250||last")} << false;
    QTest::newRow("two replies in one read")
        << QByteArrayLiteral("250 a\r\n550 5.1.1 b\r\n")
        << QStringList{QStringLiteral("250|a"), QStringLiteral("550|5.1.1 b")} << false;
    QTest::newRow("incomplete line waits")
        << QByteArrayLiteral("250 a\r\n354 go") << QStringList{QStringLiteral("250|a")} << true;
    QTest::newRow("incomplete multi-line waits")
        << QByteArrayLiteral("250-a\r\n250-b\r\n") << QStringList{} << true;
    QTest::newRow("TAB and 8-bit text kept") << QByteArrayLiteral("250 caf\xc3\xa9\tok\r\n")
                                             << QStringList{QStringLiteral("250|café\tok")} << false;
    QTest::newRow("bare LF") << QByteArrayLiteral("250 ok\n")
                             << QStringList{QStringLiteral("!reply line not terminated by CRLF")} << false;
    QTest::newRow("bare CR inside") << QByteArrayLiteral("250 o\rk\r\n")
                                    << QStringList{QStringLiteral("!control character 0x0d")} << false;
    QTest::newRow("NUL") << QByteArrayLiteral("250 o\0k\r\n")
                         << QStringList{QStringLiteral("!control character 0x00")} << false;
    QTest::newRow("DEL") << QByteArrayLiteral("250 o\x7fk\r\n")
                         << QStringList{QStringLiteral("!control character 0x7f")} << false;
    QTest::newRow("two digits") << QByteArrayLiteral("25 ok\r\n")
                                << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("letters") << QByteArrayLiteral("ok\r\n")
                             << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("1yz") << QByteArrayLiteral("150 hm\r\n")
                         << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("6yz") << QByteArrayLiteral("650 hm\r\n")
                         << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("second digit 6") << QByteArrayLiteral("260 hm\r\n")
                                    << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("no separator") << QByteArrayLiteral("250ok\r\n")
                                  << QStringList{QStringLiteral("!malformed reply line")} << false;
    QTest::newRow("code changes") << QByteArrayLiteral("250-a\r\n251 b\r\n")
                                  << QStringList{QStringLiteral(
                                         "!reply code changed inside a multi-line reply (250, then 251)")}
                                  << false;
    QTest::newRow("line too long") << QByteArray("250 " + QByteArray(5000, 'x') + "\r\n")
                                   << QStringList{QStringLiteral("!reply line longer than 4096 octets")}
                                   << false;
    QTest::newRow("longest line accepted")
        << QByteArray("250 " + QByteArray(4090, 'x') + "\r\n")
        << QStringList{QStringLiteral("250|") + QString(4090, QLatin1Char('x'))} << false;
    QTest::newRow("endless line without LF")
        << QByteArray(5000, 'x') << QStringList{QStringLiteral("!reply line longer than 4096 octets")}
        << false;
    QByteArray many;
    for (int i = 0; i < 201; ++i)
        many += "250-x\r\n";
    QTest::newRow("too many lines") << many
                                    << QStringList{QStringLiteral("!more than 200 lines in one reply")}
                                    << false;
    QTest::newRow("error after a good reply")
        << QByteArrayLiteral("250 ok\r\nhello\r\n")
        << QStringList{QStringLiteral("250|ok"), QStringLiteral("!malformed")} << false;
}

void TestSmtpReplyReader::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(bool, leftover);
    for (const bool byteByByte : {false, true}) {
        SmtpReplyReader reader;
        QStringList got;
        auto drain = [&] {
            for (;;) {
                SmtpReply reply;
                const SmtpReplyReader::Status st = reader.next(&reply);
                if (st == SmtpReplyReader::Status::NeedMore)
                    return;
                if (st == SmtpReplyReader::Status::Error) {
                    got << QLatin1Char('!') + reader.errorString();
                    return;
                }
                QString s = QString::number(reply.code);
                for (const QByteArray &l : std::as_const(reply.lines))
                    s += QLatin1Char('|') + QString::fromUtf8(l);
                got << s;
            }
        };
        if (byteByByte) {
            for (const char c : std::as_const(input)) {
                reader.append(QByteArrayView(&c, 1));
                drain();
                if (!got.isEmpty() && got.last().startsWith(QLatin1Char('!')))
                    break;
            }
        } else {
            reader.append(input);
            drain();
        }
        QCOMPARE(got.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QVERIFY2(got.at(i).startsWith(expected.at(i)),
                     qPrintable(QStringLiteral("%1 vs %2").arg(got.at(i).left(80), expected.at(i).left(80))));
        if (!expected.isEmpty() && expected.last().startsWith(QLatin1Char('!'))) {
            // An error is final.
            reader.append("250 ok\r\n");
            SmtpReply r;
            QCOMPARE(reader.next(&r), SmtpReplyReader::Status::Error);
        } else {
            QCOMPARE(reader.hasPendingBytes(), leftover);
        }
    }
}

void TestSmtpReplyReader::enhancedStatus_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("status");
    QTest::newRow("5.1.1") << 550 << QByteArrayLiteral("5.1.1 no such user") << QStringLiteral("5.1.1");
    QTest::newRow("three digits") << 452 << QByteArrayLiteral("4.5.3 too many") << QStringLiteral("4.5.3");
    QTest::newRow("long parts") << 554 << QByteArrayLiteral("5.123.456 x") << QStringLiteral("5.123.456");
    QTest::newRow("code alone") << 250 << QByteArrayLiteral("2.0.0") << QStringLiteral("2.0.0");
    QTest::newRow("class mismatch") << 550 << QByteArrayLiteral("4.1.1 odd") << QString();
    QTest::newRow("four digit part") << 550 << QByteArrayLiteral("5.1234.1 x") << QString();
    QTest::newRow("no space after") << 550 << QByteArrayLiteral("5.1.1x") << QString();
    QTest::newRow("missing detail") << 550 << QByteArrayLiteral("5.1 x") << QString();
    QTest::newRow("plain text") << 250 << QByteArrayLiteral("ok") << QString();
}

void TestSmtpReplyReader::enhancedStatus()
{
    QFETCH(int, code);
    QFETCH(QByteArray, text);
    QFETCH(QString, status);
    SmtpReply r;
    r.code = code;
    r.lines = {text};
    QCOMPARE(r.enhancedStatus(), status);
}

void TestSmtpReplyReader::textIsBounded()
{
    SmtpReply r;
    r.code = 550;
    r.lines = {QByteArrayLiteral("5.1.1 first"), QByteArray(), QByteArrayLiteral("second")};
    QCOMPARE(r.text(), QStringLiteral("550 5.1.1 first second"));
    r.lines = QList<QByteArray>(50, QByteArray(100, 'y'));
    QVERIFY(r.text().size() <= 1003);
    QVERIFY(r.text().endsWith(QLatin1String("...")));
}

QTEST_GUILESS_MAIN(TestSmtpReplyReader)
#include "tst_smtpreplyreader.moc"
