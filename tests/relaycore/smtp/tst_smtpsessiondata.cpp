// Tests for SmtpSession's input side: random streams of SMTP fragments,
// hostile ones included, give the same replies and messages however they are
// chunked; pipelined replies merged; input before the greeting; the engine's
// verdicts (late, of the wrong class, after a flood beyond the pipeline
// buffer); message text reserved from SIZE and fed in large chunks up to
// the size limit. The transcripts (every command in every state, DATA, line
// limits, smuggling) are in tst_smtpsession.cpp.
#include "relaycore/smtp/smtpreply.h"
#include "relaycore/smtp/smtpsession.h"

#include "sessionharness.h"
#include "smtpsessionfixture.h"

#include <QRandomGenerator>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

class TestSmtpSessionData : public QObject
{
    Q_OBJECT

private slots:
    void chunkingNeverMatters_data();
    void chunkingNeverMatters();

    void repliesToPipelinedCommandsAreMerged();
    void inputBeforeStartIsAnsweredAfterGreeting();
    void verdictWithoutMessageIsIgnored();
    void messageRejectedWithBadClassIsInternalError();
    void pipelineOverflowClosesAfterVerdict();
    void declaredSizeIsReserved();
    void largeMessageInLargeChunks();
};

// Differential test: random streams of SMTP fragments, hostile ones
// included, give the same replies and messages however they are chunked.
void TestSmtpSessionData::chunkingNeverMatters_data()
{
    QTest::addColumn<QByteArray>("input");
    const QByteArrayList fragments = {
        EHLO,
        MAIL,
        RCPT,
        RCPT2,
        DATA,
        TEXT,
        END,
        RSET,
        NOOP,
        "..x\r\n",
        ".\n",
        "\n.\n",
        "\r.\r",
        "\r",
        "\n",
        QByteArray("\0", 1),
        "FOO\r\n",
        QByteArray(300, 'x'),
        "MAIL FROM:<reject@example.org>\r\n",
        "RCPT TO:<reject@example.net>\r\n",
        "RCPT TO:<postmaster>\r\n",
        "\r\n",
        ".",
        "..",
    };
    QRandomGenerator gen(20240229);
    for (int i = 0; i < 200; ++i) {
        QByteArray input;
        const int n = 5 + int(gen.bounded(40));
        for (int k = 0; k < n; ++k)
            input += fragments.at(gen.bounded(fragments.size()));
        QTest::addRow("stream %d", i) << input;
    }
}

void TestSmtpSessionData::chunkingNeverMatters()
{
    QFETCH(QByteArray, input);
    const auto runWith = [&input](SplitMode mode, quint32 seed) {
        auto h = std::make_unique<SessionHarness>(configFor(QString()), kClient,
                                                  fixedPolicy(std::make_shared<ScriptedPolicy>()));
        h->start();
        h->feedAll(splitInput(input, mode, seed));
        return h;
    };
    const auto whole = runWith(SplitMode::Whole, 0);
    QVERIFY(!whole->malformedWire);
    for (SplitMode m : {SplitMode::Bytes, SplitMode::AfterCR, SplitMode::Random}) {
        for (quint32 seed : {1u, 2u}) {
            const auto other = runWith(m, seed);
            QCOMPARE(other->tokens, whole->tokens);
            QCOMPARE(other->messageData(), whole->messageData());
            if (m != SplitMode::Random)
                break;
        }
    }
    // A message is never cut at anything but CRLF.CRLF: no CR or LF alone,
    // and no NUL, survives into an accepted message.
    for (const QByteArray &data : whole->messageData()) {
        QVERIFY(!data.contains('\0'));
        QCOMPARE(data.count('\r'), data.count("\r\n"));
        QCOMPARE(data.count('\n'), data.count("\r\n"));
        QVERIFY(data.isEmpty() || data.endsWith("\r\n"));
    }
}

void TestSmtpSessionData::repliesToPipelinedCommandsAreMerged()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.session().feed(QByteArray(EHLO + MAIL + RCPT + RCPT2 + DATA));
    const std::vector<SessionAction> actions = h.session().takeActions();
    QCOMPARE(actions.size(), size_t(1));
    QCOMPARE(actions[0].kind, SessionAction::Kind::SendReply);
    QVERIFY(actions[0].bytes.endsWith("250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"));
}

void TestSmtpSessionData::inputBeforeStartIsAnsweredAfterGreeting()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.session().feed(QByteArray(EHLO + NOOP));
    h.drain();
    QVERIFY(h.tokens.isEmpty());
    h.start();
    QCOMPARE(h.tokens.join(QLatin1Char(' ')), QStringLiteral("220 250 250:2.0.0"));
}

void TestSmtpSessionData::verdictWithoutMessageIsIgnored()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO);
    const QStringList before = h.tokens;
    h.session().messageAccepted("Q9");
    h.session().messageRejected(replies::internalError());
    h.session().tlsEstablished();
    h.drain();
    QCOMPARE(h.tokens, before);
    QCOMPARE(h.diagnostics.size(), 3);
}

void TestSmtpSessionData::messageRejectedWithBadClassIsInternalError()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.setAutoVerdict(false);
    h.start();
    h.feed(EHLO + MAIL + RCPT + DATA + TEXT + END + NOOP);
    h.session().messageRejected(Reply{250, "2.0.0", "looks fine"});
    h.drain();
    QCOMPARE(h.tokens.mid(5).join(QLatin1Char(' ')), QStringLiteral("MSG 451:4.3.0 250:2.0.0"));
    QVERIFY(!h.wire.contains("looks fine"));
}

void TestSmtpSessionData::pipelineOverflowClosesAfterVerdict()
{
    // The engine is slow to answer; the client floods. The pending verdict
    // is still delivered, then the session ends; nothing flooded is executed.
    SessionHarness h(configFor(QStringLiteral("pipe64")), kClient,
                     fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.setAutoVerdict(false);
    h.start();
    h.feed(EHLO + MAIL + RCPT + DATA + TEXT + END + NOOP);
    h.feed(QByteArray(100, 'N') + "\r\n" + NOOP);
    QCOMPARE(h.session().state(), SessionState::AwaitingVerdict);
    h.session().messageAccepted("Q1");
    h.drain();
    QCOMPARE(h.tokens.mid(5).join(QLatin1Char(' ')), QStringLiteral("MSG 250:2.0.0 421:4.7.0 CLOSE"));

    // Within the buffer, pipelined commands are answered after the verdict.
    SessionHarness ok(configFor(QStringLiteral("pipe64")), kClient,
                      fixedPolicy(std::make_shared<ScriptedPolicy>()));
    ok.setAutoVerdict(false);
    ok.start();
    ok.feed(EHLO + MAIL + RCPT + DATA + TEXT + END + NOOP + RSET);
    ok.feed(QUIT);
    QCOMPARE(ok.tokens.mid(5).join(QLatin1Char(' ')), QStringLiteral("MSG"));
    ok.session().messageAccepted("Q1");
    ok.drain();
    const QString expected = QStringLiteral("MSG 250:2.0.0 250 250 221 CLOSE");
    QCOMPARE(normalizedTokens(ok.tokens.mid(5), expected), expected);
}

void TestSmtpSessionData::declaredSizeIsReserved()
{
    SessionConfig c = configFor(QString());
    c.limits.messageSize = 10 * 1024 * 1024;
    SessionHarness h(c, kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    const QByteArray body = QByteArray(70, 'b') + "\r\n";
    QByteArray text;
    for (int i = 0; i < 4000; ++i)
        text += body;
    h.feed(EHLO + "MAIL FROM:<alice@example.org> SIZE=" + QByteArray::number(text.size()) + "\r\n" + RCPT +
           DATA);
    // Delivered in network-sized chunks.
    for (qsizetype p = 0; p < text.size(); p += 1460)
        h.feed(text.mid(p, 1460));
    h.feed(END);
    QCOMPARE(h.messages.size(), 1);
    QCOMPARE(h.messages.first().transaction.data, text);
    QVERIFY(h.messages.first().transaction.data.capacity() >= text.size());
}

void TestSmtpSessionData::largeMessageInLargeChunks()
{
    // A message near the limit, fed in large chunks, comes out intact and
    // one octet more is refused without buffering beyond the limit.
    SessionConfig c = configFor(QString());
    c.limits.messageSize = 1000 * 1000;
    QByteArray text;
    while (text.size() + 150 <= c.limits.messageSize)
        text += QByteArray(98, 'q') + "\r\n";
    text += QByteArray(c.limits.messageSize - text.size() - 2, 'q') + "\r\n"; // exactly at the limit
    SessionHarness h(c, kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO + MAIL + RCPT + DATA + text + END);
    QCOMPARE(h.messages.size(), 1);
    QCOMPARE(h.messages.first().transaction.data.size(), text.size());
    QCOMPARE(text.size(), c.limits.messageSize);
    const QByteArray tooBig = text.left(text.size() - 2) + "r\r\n";
    QCOMPARE(tooBig.size(), c.limits.messageSize + 1);
    h.feed(MAIL + RCPT + DATA + tooBig + END);
    QCOMPARE(h.messages.size(), 1);
    QCOMPARE(h.tokens.last(), QStringLiteral("552:5.3.4"));
}

QTEST_GUILESS_MAIN(TestSmtpSessionData)
#include "tst_smtpsessiondata.moc"
