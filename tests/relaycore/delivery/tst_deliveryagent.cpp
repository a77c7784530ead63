// DeliveryAgent end to end against real SMTP servers on 127.0.0.1: Postfix's
// smtp-sink and the scriptable smtpsink.py. What arrives (envelope, bytes),
// what each recipient's verdict is, hops, limits and connection reuse.
#include "relaycore/delivery/deliveryagent.h"

#include "tests/relaycore/delivery/deliveryharness.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace std::chrono_literals;

namespace {

QList<std::pair<double, double>> transactionWindows(const PySink &sink)
{
    // From MAIL to the stored message, per connection, in order.
    QList<std::pair<double, double>> out;
    QHash<int, double> mailAt;
    for (const QJsonObject &e : sink.events()) {
        const int conn = e.value(QStringLiteral("conn")).toInt();
        const QString ev = e.value(QStringLiteral("ev")).toString();
        if (ev == QLatin1String("cmd") &&
            e.value(QStringLiteral("line")).toString().startsWith(QLatin1String("MAIL")))
            mailAt.insert(conn, e.value(QStringLiteral("t")).toDouble());
        else if (ev == QLatin1String("msg") && mailAt.contains(conn))
            out.append({mailAt.take(conn), e.value(QStringLiteral("t")).toDouble()});
    }
    return out;
}

} // namespace

class TestDeliveryAgent final : public QObject
{
    Q_OBJECT

private slots:
    void smtpSinkReceivesEnvelopeAndText();
    void smtpSinkWithoutPipelining();
    void smtpSinkRejectsRecipients_data();
    void smtpSinkRejectsRecipients();
    void smtpSinkRejectsEndOfData();
    void smtpSinkDropsOrSays421_data();
    void smtpSinkDropsOrSays421();
    void bytesArriveExactly();
    void smtputf8AndEightBitParameters();
    void mixedRecipientResults();
    void tooManyRecipientsGoInTheNextTransaction();
    void permanentFailureAfterData();
    void refusedConnectionMovesToNextHop();
    void droppedConnectionMovesToNextHop();
    void greetingRefusalMovesToNextHop();
    void slowServerTimesOut();
    void allHopsDownIsTemporary();
    void softRecipientFailureTriesBackupHop();
    void lostAfterEndOfDataIsNotRetriedElsewhere();
    void connectionIsReused();
    void reuseCanBeTurnedOff();
    void idleConnectionIsClosed();
    void serverClosingAfterEachMessage();
    void concurrencyPerDestination();
    void globalConcurrency();
    void waitingRequestsKeepFifoOrder();
    void busyDestinationDoesNotBlockOthers();
    void requestWithoutHopsOrRecipients();
};

void TestDeliveryAgent::smtpSinkReceivesEnvelopeAndText()
{
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix smtp-sink is not installed (/usr/sbin/smtp-sink)");
    PostfixSink sink;
    QVERIFY2(sink.start(), qPrintable(sink.errorOutput()));
    DeliveryAgent agent(fastSettings());
    const QByteArray data =
        QByteArrayLiteral("Subject: sink\r\nTo: a@dry.test\r\n\r\n.starts with a dot\r\nbody\r\n");
    DeliveryRequest req =
        makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")}, data);
    req.eightBitMime = true;
    const DeliveryResult r = runOne(agent, req);
    QCOMPARE(verdicts(r), QStringLiteral("DD"));
    QCOMPARE(r.nextHop, QStringLiteral("[127.0.0.1]:%1").arg(sink.port()));
    QCOMPARE(r.recipients.at(0).recipientId, req.recipientIds.at(0));
    QCOMPARE(r.recipients.at(1).recipientId, req.recipientIds.at(1));
    QVERIFY2(r.recipients.at(0).reply.startsWith(QLatin1String("250")), qPrintable(r.recipients.at(0).reply));
    QCOMPARE(r.queueId, req.queueId);

    QTRY_COMPARE_WITH_TIMEOUT(sink.transactions().size(), 1, 5000);
    const QStringList t = sink.transactions().first();
    QVERIFY(t.contains(QStringLiteral("X-Helo-Args: relay.test")));
    // smtp-sink announces 8BITMIME but not SIZE, so no SIZE= parameter.
    QVERIFY2(t.contains(QStringLiteral("X-Mail-Args: <s@warm.test> BODY=8BITMIME")),
             qPrintable(t.join(QLatin1Char('\n'))));
    QVERIFY(t.contains(QStringLiteral("X-Rcpt-Args: <a@dry.test>")));
    QVERIFY(t.contains(QStringLiteral("X-Rcpt-Args: <b@dry.test>")));
    // smtp-sink writes LF line ends and undoes the dot-stuffing.
    const qsizetype start = t.indexOf(QStringLiteral("Subject: sink"));
    QVERIFY(start > 0);
    QCOMPARE(t.mid(start, 5),
             (QStringList{QStringLiteral("Subject: sink"), QStringLiteral("To: a@dry.test"), QString(),
                          QStringLiteral(".starts with a dot"), QStringLiteral("body")}));
}

void TestDeliveryAgent::smtpSinkWithoutPipelining()
{
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix smtp-sink is not installed");
    PostfixSink sink;
    QVERIFY(sink.start({QStringLiteral("-p"), QStringLiteral("-8")}));
    DeliveryAgent agent(fastSettings());
    DeliveryRequest req =
        makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")});
    req.eightBitMime = true; // not offered (-8): sent without BODY=
    const DeliveryResult r = runOne(agent, req);
    QCOMPARE(verdicts(r), QStringLiteral("DD"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.transactions().size(), 1, 5000);
    QVERIFY(sink.transactions().first().contains(QStringLiteral("X-Mail-Args: <s@warm.test>")));
}

void TestDeliveryAgent::smtpSinkRejectsRecipients_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("verdict");
    QTest::addColumn<QString>("reply");
    QTest::newRow("soft (-r RCPT)") << QStringLiteral("-r") << QStringLiteral("TT")
                                    << QStringLiteral("450 4.3.0 Error: command failed");
    QTest::newRow("hard (-f RCPT)") << QStringLiteral("-f") << QStringLiteral("PP")
                                    << QStringLiteral("500 5.3.0 Error: command failed");
}

void TestDeliveryAgent::smtpSinkRejectsRecipients()
{
    QFETCH(QString, option);
    QFETCH(QString, verdict);
    QFETCH(QString, reply);
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix smtp-sink is not installed");
    PostfixSink sink;
    QVERIFY(sink.start({option, QStringLiteral("RCPT")}));
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r = runOne(
        agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")}));
    QCOMPARE(verdicts(r), verdict);
    QCOMPARE(r.recipients.at(0).reply, reply);
    QCOMPARE(r.recipients.at(0).enhancedStatus, reply.mid(4, 5));
    QCOMPARE(r.recipients.at(0).nextHop, QStringLiteral("[127.0.0.1]:%1").arg(sink.port()));
    QTest::qWait(200);
    QVERIFY(sink.transactions().isEmpty()); // no DATA after every RCPT failed
}

void TestDeliveryAgent::smtpSinkRejectsEndOfData()
{
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix smtp-sink is not installed");
    PostfixSink sink;
    QVERIFY(sink.start({QStringLiteral("-f"), QStringLiteral(".")}));
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r = runOne(
        agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("PP"));
    QCOMPARE(r.recipients.at(1).reply, QStringLiteral("500 5.3.0 Error: command failed"));
}

void TestDeliveryAgent::smtpSinkDropsOrSays421_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("replyStart");
    QTest::newRow("disconnect at RCPT (-q)") << QStringList{QStringLiteral("-q"), QStringLiteral("RCPT")}
                                             << QStringLiteral("lost connection with [127.0.0.1]:");
    QTest::newRow("421 at MAIL (-Q)")
        << QStringList{QStringLiteral("-Q"), QStringLiteral("MAIL")} << QStringLiteral("421 ");
}

void TestDeliveryAgent::smtpSinkDropsOrSays421()
{
    QFETCH(QStringList, options);
    QFETCH(QString, replyStart);
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix smtp-sink is not installed");
    PostfixSink sink;
    QVERIFY(sink.start(options));
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r = runOne(agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("T"));
    QVERIFY2(r.recipients.at(0).reply.startsWith(replyStart), qPrintable(r.recipients.at(0).reply));
}

void TestDeliveryAgent::bytesArriveExactly()
{
    PySink sink;
    QVERIFY2(sink.start(), qPrintable(sink.error()));
    DeliveryAgent agent(fastSettings());
    QByteArray data = QByteArrayLiteral("Received: from x\r\nSubject: =?UTF-8?B?w6k=?=\r\n\r\n");
    data += QByteArrayLiteral(".\r\n..\r\n.leading\r\n trailing . \r\n\xc3\xa9t\xc3\xa9 8-bit\r\n\tTAB\r\n");
    data += QByteArray(990, 'x') + QByteArrayLiteral("\r\n.\r\nlast line\r\n");
    const DeliveryRequest req = makeRequest({sink.port()}, {QStringLiteral("a@dry.test")}, data);
    QCOMPARE(verdicts(runOne(agent, req)), QStringLiteral("D"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
    const QJsonObject m = sink.messages().first();
    QCOMPARE(PySink::data(m), data.chopped(2)); // the final CRLF is part of the end-of-data marker
    QCOMPARE(m.value(QStringLiteral("mail")).toString(),
             QStringLiteral("<s@warm.test> SIZE=%1").arg(data.size()));
    QCOMPARE(m.value(QStringLiteral("rcpts")).toArray().first().toString(), QStringLiteral("<a@dry.test>"));
    QCOMPARE(m.value(QStringLiteral("helo")).toString(), QStringLiteral("relay.test"));
}

void TestDeliveryAgent::smtputf8AndEightBitParameters()
{
    PySink sink;
    QVERIFY(sink.start());
    PySink plain;
    QVERIFY(plain.start(
        script({{"ehlo", QJsonArray{QStringLiteral("PIPELINING"), QStringLiteral("8BITMIME")}}})));
    DeliveryAgent agent(fastSettings());
    DeliveryRequest req = makeRequest({sink.port()}, {QStringLiteral("zoë@dry.test")},
                                      QByteArrayLiteral("Subject: caf\xc3\xa9\r\n\r\n\xc3\xa9\r\n"),
                                      QStringLiteral("jürgen@warm.test"));
    req.smtputf8 = true;
    req.eightBitMime = true;
    QCOMPARE(verdicts(runOne(agent, req)), QStringLiteral("D"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
    QCOMPARE(sink.messages().first().value(QStringLiteral("mail")).toString(),
             QStringLiteral("<jürgen@warm.test> SIZE=%1 BODY=8BITMIME SMTPUTF8").arg(req.data.size()));
    QCOMPARE(sink.messages().first().value(QStringLiteral("rcpts")).toArray().first().toString(),
             QStringLiteral("<zoë@dry.test>"));

    // RFC 6531 §3.4: a server without SMTPUTF8 never sees the message.
    req.hops = {localHop(plain.port())};
    const DeliveryResult refused = runOne(agent, req);
    QCOMPARE(verdicts(refused), QStringLiteral("P"));
    QCOMPARE(refused.recipients.first().enhancedStatus, QStringLiteral("5.6.7"));
    QTest::qWait(200);
    QVERIFY(!plain.commands().join(QLatin1Char('\n')).contains(QLatin1String("MAIL")));
}

void TestDeliveryAgent::mixedRecipientResults()
{
    PySink sink;
    QVERIFY(sink.start(
        script({{"rcpt", QJsonObject{{QStringLiteral("<b@dry.test>"), QStringLiteral("451 4.2.0 b later")},
                                     {QStringLiteral("<c@dry.test>"), QStringLiteral("550 5.1.1 no c")}}}})));
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r = runOne(
        agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test"),
                                           QStringLiteral("c@dry.test"), QStringLiteral("d@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("DTPD"));
    QCOMPARE(r.recipients.at(1).reply, QStringLiteral("451 4.2.0 b later"));
    QCOMPARE(r.recipients.at(2).reply, QStringLiteral("550 5.1.1 no c"));
    QCOMPARE(r.recipients.at(2).enhancedStatus, QStringLiteral("5.1.1"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
    QCOMPARE(sink.messages().first().value(QStringLiteral("rcpts")).toArray(),
             (QJsonArray{QStringLiteral("<a@dry.test>"), QStringLiteral("<d@dry.test>")}));
}

void TestDeliveryAgent::tooManyRecipientsGoInTheNextTransaction()
{
    PySink sink;
    QVERIFY(sink.start(script(
        {{"max_rcpts", 2},
         {"rcpt", QJsonObject{{QStringLiteral("<r3@dry.test>"), QStringLiteral("550 5.1.1 no r3")}}}})));
    DeliveryAgent agent(fastSettings());
    QStringList recipients;
    for (int i = 0; i < 5; ++i)
        recipients << QStringLiteral("r%1@dry.test").arg(i);
    const DeliveryResult r = runOne(agent, makeRequest({sink.port()}, recipients));
    QCOMPARE(verdicts(r), QStringLiteral("DDDPD"));
    // r3's own 550 comes in the second transaction, where it is under the limit.
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 2, 5000);
    QCOMPARE(sink.connections(), 1); // the same connection, RSET between transactions
    QCOMPARE(sink.commands().count(QStringLiteral("RSET")), 1);
    QCOMPARE(sink.messages().at(0).value(QStringLiteral("rcpts")).toArray().size(), 2);
    QCOMPARE(sink.messages().at(1).value(QStringLiteral("rcpts")).toArray(),
             (QJsonArray{QStringLiteral("<r2@dry.test>"), QStringLiteral("<r4@dry.test>")}));

    // Without progress (nobody accepted) it is left to the retry schedule.
    PySink none;
    QVERIFY(none.start(
        script({{"rcpt", QJsonObject{{QStringLiteral("<a@dry.test>"),
                                      QStringLiteral("452 4.5.3 Error: too many recipients")}}}})));
    const DeliveryResult stuck = runOne(agent, makeRequest({none.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(stuck), QStringLiteral("T"));
    QCOMPARE(none.commands().filter(QStringLiteral("MAIL FROM")).size(), 1);
}

void TestDeliveryAgent::permanentFailureAfterData()
{
    PySink sink;
    QVERIFY(sink.start(script(
        {{"eod", QStringLiteral("554 5.7.1 message refused")},
         {"rcpt", QJsonObject{{QStringLiteral("<b@dry.test>"), QStringLiteral("452 4.5.3 too many")}}}})));
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test"),
                                                  QStringLiteral("c@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("PTP"));
    QCOMPARE(r.recipients.at(0).reply, QStringLiteral("554 5.7.1 message refused"));
    QCOMPARE(r.recipients.at(2).reply, QStringLiteral("554 5.7.1 message refused"));
}

void TestDeliveryAgent::refusedConnectionMovesToNextHop()
{
    PySink sink;
    QVERIFY(sink.start());
    const quint16 dead = closedPort();
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r = runOne(agent, makeRequest({dead, sink.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("D"));
    QCOMPARE(r.nextHop, QStringLiteral("[127.0.0.1]:%1").arg(sink.port()));
    QCOMPARE(r.recipients.first().nextHop, r.nextHop);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
}

void TestDeliveryAgent::droppedConnectionMovesToNextHop()
{
    PySink dropping;
    QVERIFY(dropping.start(script({{"drop", QStringLiteral("RCPT")}})));
    PySink good;
    QVERIFY(good.start());
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({dropping.port(), good.port()},
                                  {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("DD"));
    QCOMPARE(r.nextHop, QStringLiteral("[127.0.0.1]:%1").arg(good.port()));
    QTRY_COMPARE_WITH_TIMEOUT(good.messages().size(), 1, 5000);
    QCOMPARE(dropping.messages().size(), 0);
    QCOMPARE(dropping.connections(), 1);
}

void TestDeliveryAgent::greetingRefusalMovesToNextHop()
{
    PySink refusing;
    QVERIFY(refusing.start(script({{"greeting", QStringLiteral("554 5.3.2 not now")}})));
    PySink good;
    QVERIFY(good.start());
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({refusing.port(), good.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("D"));
    QTRY_COMPARE_WITH_TIMEOUT(good.messages().size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(refusing.commands(), QStringList{QStringLiteral("QUIT")},
                              5000); // RFC 5321 §3.1

    // The only hop refusing to talk is temporary (Postfix: smtp_skip_5xx_greeting).
    const DeliveryResult alone =
        runOne(agent, makeRequest({refusing.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(alone), QStringLiteral("T"));
    QVERIFY2(
        alone.recipients.first().reply.contains(QLatin1String("refused to talk to me: 554 5.3.2 not now")),
        qPrintable(alone.recipients.first().reply));
}

void TestDeliveryAgent::slowServerTimesOut()
{
    PySink slow;
    QVERIFY(slow.start(script({{"delay", QJsonObject{{QStringLiteral("RCPT"), 3.0}}}})));
    PySink good;
    QVERIFY(good.start());
    DeliveryAgent::Settings s = fastSettings();
    s.timeouts.rcpt = 300ms;
    DeliveryAgent agent(s);
    QElapsedTimer timer;
    timer.start();
    const DeliveryResult alone = runOne(agent, makeRequest({slow.port()}, {QStringLiteral("a@dry.test")}));
    QVERIFY(timer.elapsed() < 2900); // the time limit, not the server, ended it
    QCOMPARE(verdicts(alone), QStringLiteral("T"));
    QVERIFY2(alone.recipients.first().reply.endsWith(QLatin1String("timed out while sending RCPT TO")),
             qPrintable(alone.recipients.first().reply));

    const DeliveryResult r =
        runOne(agent, makeRequest({slow.port(), good.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("D"));
    QCOMPARE(r.nextHop, QStringLiteral("[127.0.0.1]:%1").arg(good.port()));
}

void TestDeliveryAgent::allHopsDownIsTemporary()
{
    const quint16 a = closedPort();
    const quint16 b = closedPort();
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({a, b}, {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("TT"));
    QCOMPARE(r.nextHop, QStringLiteral("[127.0.0.1]:%1").arg(b));
    QCOMPARE(r.recipients.first().reply,
             QStringLiteral("connect to [127.0.0.1]:%1: Connection refused").arg(b));
    QCOMPARE(r.recipients.first().enhancedStatus, QStringLiteral("4.4.1"));
    QVERIFY(r.recipients.first().nextHop.isEmpty()); // nobody answered
}

void TestDeliveryAgent::softRecipientFailureTriesBackupHop()
{
    PySink primary;
    QVERIFY(primary.start(
        script({{"rcpt", QJsonObject{{QStringLiteral("<b@dry.test>"), QStringLiteral("451 4.2.0 b later")},
                                     {QStringLiteral("<c@dry.test>"), QStringLiteral("550 5.1.1 no c")}}}})));
    PySink backup;
    QVERIFY(backup.start());
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({primary.port(), backup.port()},
                                  {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test"),
                                   QStringLiteral("c@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("DDP"));
    QCOMPARE(r.recipients.at(0).nextHop, QStringLiteral("[127.0.0.1]:%1").arg(primary.port()));
    QCOMPARE(r.recipients.at(1).nextHop, QStringLiteral("[127.0.0.1]:%1").arg(backup.port()));
    QCOMPARE(r.recipients.at(2).nextHop, QStringLiteral("[127.0.0.1]:%1").arg(primary.port()));
    QTRY_COMPARE_WITH_TIMEOUT(backup.messages().size(), 1, 5000);
    QCOMPARE(backup.messages().first().value(QStringLiteral("rcpts")).toArray(),
             QJsonArray{QStringLiteral("<b@dry.test>")});
}

void TestDeliveryAgent::lostAfterEndOfDataIsNotRetriedElsewhere()
{
    PySink dropping;
    QVERIFY(dropping.start(script({{"drop", QStringLiteral("EOD")}})));
    PySink backup;
    QVERIFY(backup.start());
    DeliveryAgent agent(fastSettings());
    const DeliveryResult r =
        runOne(agent, makeRequest({dropping.port(), backup.port()}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(verdicts(r), QStringLiteral("T"));
    QVERIFY2(r.recipients.first().reply.contains(QLatin1String("message may be sent more than once")),
             qPrintable(r.recipients.first().reply));
    QTest::qWait(200);
    QCOMPARE(backup.connections(), 0);
}

void TestDeliveryAgent::connectionIsReused()
{
    PySink sink;
    QVERIFY(sink.start());
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 1;
    DeliveryAgent agent(s);
    QList<DeliveryRequest> requests;
    for (int i = 0; i < 5; ++i)
        requests << makeRequest({sink.port()}, {QStringLiteral("r%1@dry.test").arg(i)});
    const QList<DeliveryResult> results = runAll(agent, requests);
    QCOMPARE(results.size(), 5);
    for (const DeliveryResult &r : results)
        QCOMPARE(verdicts(r), QStringLiteral("D"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 5, 5000);
    QCOMPARE(sink.connections(), 1);
    QCOMPARE(sink.commands().count(QStringLiteral("RSET")), 4);
    QCOMPARE(sink.commands().count(QStringLiteral("EHLO relay.test")), 1);
    QCOMPARE(agent.stats().connectionsOpened, 1u);
    QCOMPARE(agent.stats().reusedTransactions, 4u);
    QCOMPARE(agent.stats().transactions, 5u);
    QCOMPARE(agent.idleConnections(), 1);
}

void TestDeliveryAgent::reuseCanBeTurnedOff()
{
    PySink sink;
    QVERIFY(sink.start());
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 1;
    s.reuseConnections = false;
    DeliveryAgent agent(s);
    QList<DeliveryRequest> requests;
    for (int i = 0; i < 3; ++i)
        requests << makeRequest({sink.port()}, {QStringLiteral("r%1@dry.test").arg(i)});
    QCOMPARE(runAll(agent, requests).size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 3, 5000);
    QCOMPARE(sink.connections(), 3);
    QCOMPARE(sink.commands().count(QStringLiteral("RSET")), 0);
    QTRY_COMPARE_WITH_TIMEOUT(sink.commands().count(QStringLiteral("QUIT")), 3, 5000);
}

void TestDeliveryAgent::idleConnectionIsClosed()
{
    PySink sink;
    QVERIFY(sink.start());
    DeliveryAgent::Settings s = fastSettings();
    s.idleTimeout = 200ms;
    DeliveryAgent agent(s);
    QCOMPARE(verdicts(runOne(agent, makeRequest({sink.port()}, {QStringLiteral("a@dry.test")}))),
             QStringLiteral("D"));
    QCOMPARE(agent.idleConnections(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(sink.events(QStringLiteral("close")).size(), 1, 5000);
    QVERIFY(sink.commands().endsWith(QStringLiteral("QUIT")));
    QTRY_COMPARE_WITH_TIMEOUT(agent.idleConnections(), 0, 5000);
    // The next request simply opens a new connection.
    QCOMPARE(verdicts(runOne(agent, makeRequest({sink.port()}, {QStringLiteral("b@dry.test")}))),
             QStringLiteral("D"));
    QCOMPARE(sink.connections(), 2);
}

void TestDeliveryAgent::serverClosingAfterEachMessage()
{
    // A server that hangs up right after each message: whether the agent
    // notices before reusing the connection or only when RSET fails, no
    // delivery may suffer.
    PySink sink;
    QVERIFY(sink.start(script({{"close_after", 1}})));
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 1;
    DeliveryAgent agent(s);
    for (int i = 0; i < 4; ++i) {
        QList<DeliveryRequest> pair{makeRequest({sink.port()}, {QStringLiteral("x%1@dry.test").arg(i)}),
                                    makeRequest({sink.port()}, {QStringLiteral("y%1@dry.test").arg(i)})};
        const QList<DeliveryResult> results = runAll(agent, pair);
        QCOMPARE(results.size(), 2);
        QCOMPARE(verdicts(results.at(0)) + verdicts(results.at(1)), QStringLiteral("DD"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 8, 5000);
    QCOMPARE(sink.connections(), 8);
}

void TestDeliveryAgent::concurrencyPerDestination()
{
    PySink sink;
    QVERIFY(sink.start(script({{"delay", QJsonObject{{QStringLiteral("EOD"), 0.3}}}})));
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 2;
    DeliveryAgent agent(s);
    QList<DeliveryRequest> requests;
    for (int i = 0; i < 6; ++i)
        requests << makeRequest({sink.port()}, {QStringLiteral("r%1@dry.test").arg(i)});
    QObject context;
    int most = 0;
    connect(&agent, &DeliveryAgent::finished, &context, [&] { most = qMax(most, agent.activeCount()); });
    for (const DeliveryRequest &r : std::as_const(requests))
        agent.deliver(r);
    QCOMPARE(agent.activeCount(), 2);
    QCOMPARE(agent.waitingCount(), 4);
    QTRY_COMPARE_WITH_TIMEOUT(int(agent.stats().requestsFinished), 6, 20000);
    QCOMPARE(sink.messages().size(), 6);
    QCOMPARE(maxOverlap(transactionWindows(sink)), 2);
    QVERIFY(sink.connections() <= 2);
}

void TestDeliveryAgent::globalConcurrency()
{
    PySink one;
    QVERIFY(one.start(script({{"delay", QJsonObject{{QStringLiteral("EOD"), 0.3}}}})));
    PySink two;
    QVERIFY(two.start(script({{"delay", QJsonObject{{QStringLiteral("EOD"), 0.3}}}})));
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 10;
    s.globalConcurrency = 3;
    DeliveryAgent agent(s);
    QList<DeliveryRequest> requests;
    for (int i = 0; i < 8; ++i) {
        DeliveryRequest r =
            makeRequest({i % 2 ? one.port() : two.port()}, {QStringLiteral("r%1@dry.test").arg(i)});
        r.destination = i % 2 ? QStringLiteral("route:one") : QStringLiteral("route:two");
        requests << r;
    }
    const QList<DeliveryResult> results = runAll(agent, requests);
    QCOMPARE(results.size(), 8);
    for (const DeliveryResult &r : results)
        QCOMPARE(verdicts(r), QStringLiteral("D"));
    QTRY_COMPARE_WITH_TIMEOUT(one.messages().size() + two.messages().size(), 8, 5000);
    // Both sinks share CLOCK_MONOTONIC (time.monotonic), so their windows compare.
    QCOMPARE(maxOverlap(transactionWindows(one) + transactionWindows(two)), 3);
}

void TestDeliveryAgent::waitingRequestsKeepFifoOrder()
{
    PySink sink;
    QVERIFY(sink.start());
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 1;
    DeliveryAgent agent(s);
    QList<DeliveryRequest> requests;
    for (int i = 0; i < 6; ++i)
        requests << makeRequest({sink.port()}, {QStringLiteral("a@dry.test")}, QByteArrayLiteral("x\r\n"),
                                QStringLiteral("s%1@warm.test").arg(i));
    QCOMPARE(runAll(agent, requests).size(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 6, 5000);
    QStringList senders;
    for (const QJsonObject &m : sink.messages())
        senders << m.value(QStringLiteral("mail")).toString().section(QLatin1Char(' '), 0, 0);
    QCOMPARE(senders, (QStringList{QStringLiteral("<s0@warm.test>"), QStringLiteral("<s1@warm.test>"),
                                   QStringLiteral("<s2@warm.test>"), QStringLiteral("<s3@warm.test>"),
                                   QStringLiteral("<s4@warm.test>"), QStringLiteral("<s5@warm.test>")}));
}

void TestDeliveryAgent::busyDestinationDoesNotBlockOthers()
{
    PySink slow;
    QVERIFY(slow.start(script({{"delay", QJsonObject{{QStringLiteral("EOD"), 1.0}}}})));
    PySink fast;
    QVERIFY(fast.start());
    DeliveryAgent::Settings s = fastSettings();
    s.concurrencyPerDestination = 1;
    DeliveryAgent agent(s);
    DeliveryRequest a1 = makeRequest({slow.port()}, {QStringLiteral("a1@dry.test")});
    DeliveryRequest a2 = makeRequest({slow.port()}, {QStringLiteral("a2@dry.test")});
    DeliveryRequest b1 = makeRequest({fast.port()}, {QStringLiteral("b1@wet.test")});
    a1.destination = a2.destination = QStringLiteral("route:slow");
    b1.destination = QStringLiteral("route:fast");
    QList<qint64> order;
    QObject context;
    connect(&agent, &DeliveryAgent::finished, &context,
            [&order](const DeliveryResult &r) { order.append(r.messageId); });
    agent.deliver(a1);
    agent.deliver(a2);
    agent.deliver(b1);
    QCOMPARE(agent.activeCount(), 2); // a1 and b1; a2 waits for its destination
    QCOMPARE(agent.waitingCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 20000);
    QCOMPARE(order, (QList<qint64>{b1.messageId, a1.messageId, a2.messageId}));
}

void TestDeliveryAgent::requestWithoutHopsOrRecipients()
{
    DeliveryAgent agent(fastSettings());
    QSignalSpy spy(&agent, &DeliveryAgent::finished);
    agent.deliver(makeRequest({}, {QStringLiteral("a@dry.test")}));
    QCOMPARE(spy.size(), 0); // never from inside deliver()
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 5000);
    const DeliveryResult r = spy.at(0).at(0).value<DeliveryResult>();
    QCOMPARE(verdicts(r), QStringLiteral("T"));
    QCOMPARE(r.recipients.first().reply, QStringLiteral("no next hop to deliver to"));
    agent.deliver(makeRequest({closedPort()}, {}));
    QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 5000);
    QVERIFY(spy.at(1).at(0).value<DeliveryResult>().recipients.isEmpty());
    QCOMPARE(agent.activeCount(), 0);
}

QTEST_GUILESS_MAIN(TestDeliveryAgent)
#include "tst_deliveryagent.moc"
