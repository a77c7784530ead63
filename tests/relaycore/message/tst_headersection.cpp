// Tests for HeaderSection: where fields start and end, where the header
// section ends (RFC 5322 §2.1, §2.2), and what it flags.
#include "relaycore/message/headersection.h"

#include <QTest>

using namespace mailroute;

class TestHeaderSection : public QObject
{
    Q_OBJECT

private slots:
    void structure_data();
    void structure();
    void spans();
    void countIsCaseInsensitive();
    void sharesTheCallersBytes();
};

namespace {
QStringList sl(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out << QString::fromUtf8(i);
    return out;
}
} // namespace

void TestHeaderSection::structure_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("bodies"); // field bodies, folding kept
    QTest::addColumn<int>("end");
    QTest::addColumn<int>("bodyOffset");
    QTest::addColumn<bool>("separator");
    QTest::addColumn<bool>("bare");
    QTest::addColumn<int>("malformed");

    QTest::newRow("simple") << QByteArray("A: 1\r\nB: 2\r\n\r\nbody\r\n") << sl({"A", "B"})
                            << sl({" 1", " 2"}) << 12 << 14 << true << false << 0;
    QTest::newRow("folded") << QByteArray("To: a,\r\n b,\r\n\tc\r\nX: y\r\n\r\n") << sl({"To", "X"})
                            << sl({" a,\r\n b,\r\n\tc", " y"}) << 23 << 25 << true << false << 0;
    QTest::newRow("no separator") << QByteArray("A: 1\r\nB: 2\r\n") << sl({"A", "B"}) << sl({" 1", " 2"})
                                  << 12 << 12 << false << false << 0;
    QTest::newRow("no final crlf") << QByteArray("A: 1\r\nB: 2") << sl({"A", "B"}) << sl({" 1", " 2"}) << 10
                                   << 10 << false << false << 0;
    QTest::newRow("empty message") << QByteArray() << sl({}) << sl({}) << 0 << 0 << false << false << 0;
    QTest::newRow("starts with empty line")
        << QByteArray("\r\nA: 1\r\n") << sl({}) << sl({}) << 0 << 2 << true << false << 0;
    QTest::newRow("no body after separator")
        << QByteArray("A: 1\r\n\r\n") << sl({"A"}) << sl({" 1"}) << 6 << 8 << true << false << 0;
    QTest::newRow("separator is the first empty line")
        << QByteArray("A: 1\r\n\r\nB: 2\r\n\r\n") << sl({"A"}) << sl({" 1"}) << 6 << 8 << true << false << 0;
    QTest::newRow("whitespace-only line is a continuation")
        << QByteArray("A: 1\r\n \r\nB: 2\r\n\r\n") << sl({"A", "B"}) << sl({" 1\r\n ", " 2"}) << 15 << 17
        << true << false << 0;
    QTest::newRow("obsolete WSP before colon")
        << QByteArray("To : x\r\n\r\n") << sl({"To"}) << sl({" x"}) << 8 << 10 << true << false << 0;
    QTest::newRow("empty body and no space") << QByteArray("A:\r\nB:x\r\n\r\n") << sl({"A", "B"})
                                             << sl({"", "x"}) << 9 << 11 << true << false << 0;
    QTest::newRow("malformed lines are skipped")
        << QByteArray(" lead\r\nno colon here\r\n cont: x\r\n: empty name\r\nA B: x\r\nC: 1\r\n\r\n")
        << sl({"C"}) << sl({" 1"}) << 60 << 62 << true << false << 4;
    QTest::newRow("mbox From line") << QByteArray("From bob@x Thu Feb 13 10:00:00 2025\r\nA: 1\r\n\r\n")
                                    << sl({"A"}) << sl({" 1"}) << 43 << 45 << true << false << 1;
    QTest::newRow("LF only is read but flagged") << QByteArray("A: 1\nB: 2\n\nbody\n") << sl({"A", "B"})
                                                 << sl({" 1", " 2"}) << 10 << 11 << true << true << 0;
    QTest::newRow("bare CR is flagged")
        << QByteArray("A: 1\r2\r\n\r\n") << sl({"A"}) << sl({" 1\r2"}) << 8 << 10 << true << true << 0;
    QTest::newRow("bare LF in the body is not looked at")
        << QByteArray("A: 1\r\n\r\nx\ny\rz") << sl({"A"}) << sl({" 1"}) << 6 << 8 << true << false << 0;
    QTest::newRow("8-bit and colon in body")
        << QByteArray("Subject: caf\xc3\xa9: x\r\n\r\n") << sl({"Subject"}) << sl({" café: x"}) << 19 << 21
        << true << false << 0;
}

void TestHeaderSection::structure()
{
    QFETCH(QByteArray, message);
    QFETCH(QStringList, names);
    QFETCH(QStringList, bodies);
    QFETCH(int, end);
    QFETCH(int, bodyOffset);
    QFETCH(bool, separator);
    QFETCH(bool, bare);
    QFETCH(int, malformed);

    const HeaderSection s(message);
    QStringList gotNames;
    QStringList gotBodies;
    for (const HeaderFieldSpan &f : s.fields()) {
        gotNames << QString::fromLatin1(s.name(f));
        gotBodies << QString::fromUtf8(s.body(f));
    }
    QCOMPARE(gotNames, names);
    QCOMPARE(gotBodies, bodies);
    QCOMPARE(s.end(), qsizetype(end));
    QCOMPARE(s.bodyOffset(), qsizetype(bodyOffset));
    QCOMPARE(s.hasSeparator(), separator);
    QCOMPARE(s.hasBareLineEnds(), bare);
    QCOMPARE(s.malformedLineCount(), malformed);
    QCOMPARE(s.headerBytes(), QByteArrayView(message).first(end));
}

void TestHeaderSection::spans()
{
    const QByteArray m = "Subject: hi\r\nTo:\r\n a@b.example\r\n\r\n";
    const HeaderSection s(m);
    QCOMPARE(s.fields().size(), 2);
    const HeaderFieldSpan to = s.fields().at(1);
    QCOMPARE(to.begin, qsizetype(13));
    QCOMPARE(to.nameEnd, qsizetype(15));
    QCOMPARE(to.bodyBegin, qsizetype(16));
    QCOMPARE(to.end, qsizetype(30));
    QCOMPARE(to.next, qsizetype(32));
    QCOMPARE(s.fields().at(0).next, to.begin);
}

void TestHeaderSection::countIsCaseInsensitive()
{
    const HeaderSection s(
        "Received: a\r\nreceived: b\r\nRECEIVED : c\r\nReceived-SPF: x\r\nX-Received: y\r\n\r\n"
        "Received: body\r\n");
    QCOMPARE(s.count("Received"), 3);
    QCOMPARE(s.count("received-spf"), 1);
    QCOMPARE(s.count("To"), 0);
    QVERIFY(s.nameIs(s.fields().at(2), "received"));
    QVERIFY(!s.nameIs(s.fields().at(3), "received"));
}

void TestHeaderSection::sharesTheCallersBytes()
{
    const QByteArray m = "A: 1\r\n\r\nbody";
    const HeaderSection s(m);
    QVERIFY(s.message().isSharedWith(m));
    QCOMPARE(s.headerBytes().data(), m.constData());
}

QTEST_GUILESS_MAIN(TestHeaderSection)
#include "tst_headersection.moc"
