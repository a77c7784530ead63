// SmtpSession's command table (issue 16): every verb reaches its own handler,
// the flags are the ones each verb needs, a command out of place gets the
// reply it got before the table (the texts are written out here, not taken
// from replies::), and limits.junk_commands: exactly N junk commands are
// answered, the next one gets 421 4.7.0 and the session closes.
#include "relaycore/smtp/smtpsession.h"

#include <QTest>

#include "sessionharness.h"

#include <set>
#include <string>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::StringLiterals;

namespace {

const QHostAddress kClient(QStringLiteral("203.0.113.10"));
const QHostAddress kRefusedClient(QStringLiteral("192.0.2.66"));

class Policy final : public SmtpPolicy
{
public:
    Verdict onConnect(const SessionInfo &s) const override
    {
        if (s.clientAddress == kRefusedClient)
            return Verdict::reject(replies::connectionRefused());
        return Verdict::accept();
    }
    Verdict onMail(const SessionInfo &, const Transaction &) const override { return Verdict::accept(); }
    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &) const override
    {
        return Verdict::accept();
    }
};

SessionConfig config(int junkCommands = 100, int errors = 1000, bool tls = false)
{
    SessionConfig c;
    c.hostname = QStringLiteral("relay.example.com");
    c.tlsAvailable = tls;
    c.limits.junkCommands = junkCommands;
    c.limits.errors = errors;
    return c;
}

struct Run
{
    explicit Run(SessionConfig c, const QHostAddress &client = kClient, const QString &verdicts = {})
        : h(
              std::move(c), client,
              [p = std::make_shared<const Policy>()]() -> std::shared_ptr<const SmtpPolicy> { return p; },
              verdicts)
    {
        h.start();
    }
    SessionHarness h;
};

const QByteArray EHLO = "EHLO client.example\r\n";
const QByteArray MAIL = "MAIL FROM:<alice@example.org>\r\n";
const QByteArray RCPT = "RCPT TO:<bob@example.net>\r\n";
const QByteArray MESSAGE = MAIL + RCPT + "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\n";

QByteArray times(const QByteArray &line, int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += line;
    return out;
}

} // namespace

class TestSmtpCommandTable : public QObject
{
    Q_OBJECT

private slots:
    void tableHoldsEveryVerbOnce()
    {
        const std::set<std::string> expected{"EHLO", "HELO", "MAIL", "RCPT",     "DATA", "RSET", "NOOP",
                                             "QUIT", "VRFY", "HELP", "STARTTLS", "EXPN", "BDAT", "AUTH",
                                             "ETRN", "TURN", "ATRN", "SEND",     "SOML", "SAML"};
        std::set<std::string> seen;
        for (const SmtpSession::Command &c : SmtpSession::commandTable()) {
            QVERIFY2(seen.insert(c.verb).second, c.verb);
            QVERIFY2(c.handler != nullptr, c.verb);
            QCOMPARE(SmtpSession::findCommand(c.verb), &c);
            // NoArguments needs the usage its 501 names.
            QCOMPARE(!(c.flags & SmtpSession::NoArguments), QByteArrayView(c.usage).isEmpty());
        }
        QCOMPARE(seen, expected);
    }

    void lookUpIsCaseInsensitiveAndExact()
    {
        QCOMPARE(SmtpSession::findCommand("mail"), SmtpSession::findCommand("MAIL"));
        QCOMPARE(SmtpSession::findCommand("StartTls"), SmtpSession::findCommand("STARTTLS"));
        QVERIFY(SmtpSession::findCommand("mail") != nullptr);
        for (const char *notAVerb : {"MAI", "MAILX", "START", "BOGUS", "", "X-EHLO"})
            QVERIFY2(SmtpSession::findCommand(notAVerb) == nullptr, notAVerb);
    }

    void flags_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<bool>("junk");
        QTest::addColumn<bool>("whenRefused");
        QTest::addColumn<bool>("needsHelo");
        const auto row = [](const char *v, bool junk, bool refused, bool helo) {
            QTest::newRow(v) << QByteArray(v) << junk << refused << helo;
        };
        row("EHLO", false, false, false);
        row("HELO", false, false, false);
        row("MAIL", false, false, true);
        row("RCPT", false, false, true);
        row("DATA", false, false, true);
        row("RSET", true, false, false);
        row("NOOP", true, false, false);
        row("QUIT", false, true, false);
        row("VRFY", true, false, false);
        row("HELP", false, false, false);
        row("STARTTLS", false, false, false);
        for (const char *v : {"EXPN", "BDAT", "AUTH", "ETRN", "TURN", "ATRN", "SEND", "SOML", "SAML"})
            row(v, true, false, false);
    }

    void flags()
    {
        QFETCH(QByteArray, verb);
        QFETCH(bool, junk);
        QFETCH(bool, whenRefused);
        QFETCH(bool, needsHelo);
        const SmtpSession::Command *c = SmtpSession::findCommand(verb);
        QVERIFY(c);
        QCOMPARE(bool(c->flags & SmtpSession::Junk), junk);
        QCOMPARE(bool(c->flags & SmtpSession::AllowedWhenRefused), whenRefused);
        QCOMPARE(bool(c->flags & SmtpSession::NeedsHelo), needsHelo);
    }

    // Each verb reaches its own handler: the reply (and state) only that
    // handler produces.
    void dispatch_data()
    {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QString>("lastLine");
        QTest::addColumn<int>("state");
        const int ready = int(SessionState::Ready);
        const int tx = int(SessionState::InTransaction);
        QTest::newRow("EHLO") << QByteArray() << EHLO << u"250 SMTPUTF8"_s << ready;
        QTest::newRow("HELO") << QByteArray() << QByteArray("helo client.example\r\n")
                              << u"250 relay.example.com"_s << ready;
        QTest::newRow("MAIL") << EHLO << MAIL << u"250 2.1.0 Ok"_s << tx;
        QTest::newRow("RCPT") << EHLO + MAIL << RCPT << u"250 2.1.5 Ok"_s << tx;
        QTest::newRow("DATA") << EHLO + MAIL + RCPT << QByteArray("DATA\r\n")
                              << u"354 End data with <CR><LF>.<CR><LF>"_s << int(SessionState::Data);
        QTest::newRow("RSET") << EHLO + MAIL << QByteArray("RSET\r\n") << u"250 2.0.0 Ok"_s << ready;
        QTest::newRow("NOOP") << EHLO + MAIL << QByteArray("NOOP anything\r\n") << u"250 2.0.0 Ok"_s << tx;
        QTest::newRow("QUIT") << EHLO << QByteArray("quit\r\n")
                              << u"221 2.0.0 relay.example.com closing connection"_s
                              << int(SessionState::Closed);
        QTest::newRow("VRFY") << EHLO << QByteArray("VRFY bob\r\n")
                              << u"252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery"_s
                              << ready;
        QTest::newRow("HELP")
            << EHLO << QByteArray("HELP\r\n")
            << u"214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321"_s
            << ready;
        QTest::newRow("STARTTLS") << EHLO << QByteArray("STARTTLS\r\n") << u"220 2.0.0 Ready to start TLS"_s
                                  << int(SessionState::TlsHandshake);
        for (const char *v : {"EXPN", "BDAT", "AUTH", "ETRN", "TURN", "ATRN", "SEND", "SOML", "SAML"})
            QTest::newRow(v) << EHLO << QByteArray(v) + " x\r\n"
                             << u"502 5.5.1 Error: command not implemented"_s << ready;
        QTest::newRow("unknown") << EHLO << QByteArray("BOGUS\r\n")
                                 << u"500 5.5.2 Error: command not recognized"_s << ready;
    }

    void dispatch()
    {
        QFETCH(QByteArray, setup);
        QFETCH(QByteArray, command);
        QFETCH(QString, lastLine);
        QFETCH(int, state);
        Run r(config(100, 1000, true));
        r.h.feed(setup);
        r.h.feed(command);
        QVERIFY(!r.h.malformedWire);
        QCOMPARE(r.h.replyLines.constLast(), lastLine);
        QCOMPARE(int(r.h.session().state()), state);
        if (command.startsWith("helo"))
            QVERIFY(!r.h.session().sessionInfo().esmtp);
        if (command.startsWith("EHLO"))
            QVERIFY(r.h.session().sessionInfo().esmtp);
    }

    // A command out of place: the reply it had before the command table,
    // word for word, and the state unchanged.
    void outOfPlace_data()
    {
        QTest::addColumn<bool>("refusedClient");
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QString>("lastLine");
        const QString needHelo = u"503 5.5.1 Error: send HELO/EHLO first"_s;
        const QString needMail = u"503 5.5.1 Error: need MAIL command"_s;
        const QString refused = u"503 5.5.1 Error: connection refused, send QUIT"_s;
        QTest::newRow("MAIL before EHLO") << false << QByteArray() << MAIL << needHelo;
        QTest::newRow("RCPT before EHLO") << false << QByteArray() << RCPT << needHelo;
        QTest::newRow("DATA before EHLO") << false << QByteArray() << QByteArray("DATA\r\n") << needHelo;
        // The argument was checked before the state, and still is.
        QTest::newRow("DATA with argument before EHLO")
            << false << QByteArray() << QByteArray("DATA now\r\n") << u"501 5.5.4 Syntax: DATA"_s;
        QTest::newRow("RCPT before MAIL") << false << EHLO << RCPT << needMail;
        QTest::newRow("DATA before MAIL") << false << EHLO << QByteArray("DATA\r\n") << needMail;
        QTest::newRow("DATA before RCPT")
            << false << EHLO + MAIL << QByteArray("DATA\r\n") << u"503 5.5.1 Error: need RCPT command"_s;
        QTest::newRow("nested MAIL") << false << EHLO + MAIL << MAIL
                                     << u"503 5.5.1 Error: nested MAIL command"_s;
        QTest::newRow("RSET with argument")
            << false << EHLO << QByteArray("RSET x\r\n") << u"501 5.5.4 Syntax: RSET"_s;
        QTest::newRow("QUIT with argument")
            << false << EHLO << QByteArray("QUIT x\r\n") << u"501 5.5.4 Syntax: QUIT"_s;
        QTest::newRow("STARTTLS in transaction") << false << EHLO + MAIL << QByteArray("STARTTLS\r\n")
                                                 << u"503 5.5.1 Error: MAIL transaction in progress"_s;
        QTest::newRow("STARTTLS with argument before EHLO")
            << false << QByteArray() << QByteArray("STARTTLS x\r\n") << u"501 5.5.4 Syntax: STARTTLS"_s;
        QTest::newRow("refused EHLO") << true << QByteArray() << EHLO << refused;
        QTest::newRow("refused NOOP") << true << QByteArray() << QByteArray("NOOP\r\n") << refused;
        QTest::newRow("refused unknown") << true << QByteArray() << QByteArray("BOGUS\r\n") << refused;
        QTest::newRow("refused QUIT with argument")
            << true << QByteArray() << QByteArray("QUIT x\r\n") << u"501 5.5.4 Syntax: QUIT"_s;
    }

    void outOfPlace()
    {
        QFETCH(bool, refusedClient);
        QFETCH(QByteArray, setup);
        QFETCH(QByteArray, command);
        QFETCH(QString, lastLine);
        Run r(config(100, 1000, true), refusedClient ? kRefusedClient : kClient);
        r.h.feed(setup);
        const SessionState before = r.h.session().state();
        r.h.feed(command);
        QCOMPARE(r.h.replyLines.constLast(), lastLine);
        QCOMPARE(r.h.session().state(), before);
    }

    void refusedClientMayQuit()
    {
        Run r(config(1), kRefusedClient);
        r.h.feed("NOOP\r\nNOOP\r\nQUIT\r\n");
        // Junk is not counted on a refused connection: QUIT is all it may do.
        QCOMPARE(r.h.tokens.join(u' '), u"554:5.7.1 503:5.5.1 503:5.5.1 221:2.0.0 CLOSE"_s);
    }

    void junkDefaultIs100() { QCOMPARE(SessionLimits{}.junkCommands, 100); }

    // Exactly N junk commands are answered; the N+1th gets 421 4.7.0 and
    // closes the session, whatever was pipelined after it.
    void junkLimitIsExact_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<QByteArray>("junk");
        QTest::addColumn<QString>("answer");
        for (int limit : {1, 3, 100}) {
            const auto name = [limit](const char *what) {
                return QByteArray(QByteArray(what) + " limit " + QByteArray::number(limit));
            };
            QTest::newRow(name("NOOP").constData()) << limit << QByteArray("NOOP\r\n") << u"250:2.0.0"_s;
            QTest::newRow(name("RSET").constData()) << limit << QByteArray("RSET\r\n") << u"250:2.0.0"_s;
            QTest::newRow(name("VRFY").constData()) << limit << QByteArray("VRFY bob\r\n") << u"252:2.0.0"_s;
            QTest::newRow(name("unknown").constData()) << limit << QByteArray("XYZZY\r\n") << u"500:5.5.2"_s;
            QTest::newRow(name("EXPN").constData())
                << limit << QByteArray("EXPN staff\r\n") << u"502:5.5.1"_s;
        }
    }

    void junkLimitIsExact()
    {
        QFETCH(int, limit);
        QFETCH(QByteArray, junk);
        QFETCH(QString, answer);
        for (const SplitMode mode : {SplitMode::Whole, SplitMode::Bytes}) {
            Run r(config(limit));
            r.h.feedAll(splitInput(EHLO + times(junk, limit + 1) + "NOOP\r\nQUIT\r\n", mode));
            QStringList expected{u"220"_s, u"250"_s};
            for (int i = 0; i < limit; ++i)
                expected << answer;
            expected << u"421:4.7.0"_s << u"CLOSE"_s;
            QCOMPARE(r.h.tokens, expected);
            QCOMPARE(r.h.replyLines.constLast(),
                     u"421 4.7.0 relay.example.com Error: too many commands without mail"_s);
            QVERIFY(r.h.session().isClosed());
            // Logged as a refusal, like the error limit.
            QCOMPARE(r.h.refusals.size(), 1);
        }
    }

    void junkKindsCountTogether()
    {
        Run r(config(4));
        r.h.feed(EHLO + "NOOP\r\nRSET\r\nVRFY x\r\nFOO\r\n");
        QVERIFY(!r.h.session().isClosed());
        r.h.feed("NOOP\r\n");
        QCOMPARE(r.h.tokens.constLast(), u"CLOSE"_s);
    }

    // EHLO, HELO, HELP, MAIL, RCPT, DATA, QUIT and STARTTLS are not junk;
    // neither are an empty line or a bare line ending.
    void otherCommandsAreNotCounted()
    {
        Run r(config(2));
        r.h.feed(EHLO + "NOOP\r\nNOOP\r\n" + "HELP\r\nHELO a.example\r\n" + EHLO + MAIL + RCPT +
                 "RSET x\r\n");
        // "RSET x" is junk (counted before its syntax error): the third.
        QCOMPARE(r.h.tokens.constLast(), u"CLOSE"_s);
        Run s(config(2));
        s.h.feed(EHLO + "NOOP\r\nNOOP\r\n" + "HELP\r\n" + EHLO + MAIL + RCPT + "\r\nNO\nOP\r\n" + "DATA\r\n");
        QVERIFY(!s.h.session().isClosed());
        QCOMPARE(s.h.tokens.constLast(), u"354"_s);
    }

    // As Postfix: a delivered message resets the count; a refused one does not.
    void deliveredMessageResetsTheCount()
    {
        Run r(config(2));
        r.h.feed(EHLO + "NOOP\r\nNOOP\r\n" + MESSAGE + "NOOP\r\nNOOP\r\n");
        QVERIFY(!r.h.session().isClosed());
        QCOMPARE(r.h.messages.size(), 1);
        r.h.feed("NOOP\r\n");
        QCOMPARE(r.h.tokens.constLast(), u"CLOSE"_s);

        Run s(config(2), kClient, u"R"_s); // the spool refuses the message
        s.h.feed(EHLO + "NOOP\r\nNOOP\r\n" + MESSAGE);
        QVERIFY(!s.h.session().isClosed());
        s.h.feed("NOOP\r\n");
        QCOMPARE(s.h.tokens.constLast(), u"CLOSE"_s);
    }

    // The error limit still applies on its own: with more junk allowed than
    // errors, unknown commands end at the error limit's 421.
    void errorLimitComesFirstForUnknownCommands()
    {
        Run r(config(100, 3));
        r.h.feed(EHLO + times("FOO\r\n", 3));
        QCOMPARE(r.h.replyLines.constLast(), u"421 4.7.0 relay.example.com Error: too many errors"_s);
    }
};

QTEST_GUILESS_MAIN(TestSmtpCommandTable)
#include "tst_smtpcommandtable.moc"
