// The SMTP command parsers (relaycore/smtp/smtpcommandparser.h), on their
// own: the split of a command line, the path of MAIL/RCPT, the one
// parsePath() both commands use for the address (and, through a session,
// that MAIL and RCPT still map its outcome to their own replies), and the
// MAIL parameters.
#include "relaycore/smtp/smtpcommandparser.h"
#include "relaycore/smtp/smtpsession.h"

#include <QTest>

#include "sessionharness.h"

using namespace mailroute;
using namespace mailroute::smtpparse;
using namespace Qt::StringLiterals;

namespace {

class AcceptAll final : public SmtpPolicy
{
public:
    Verdict onMail(const SessionInfo &, const Transaction &) const override { return Verdict::accept(); }
    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &) const override
    {
        return Verdict::accept();
    }
};

} // namespace

class TestSmtpCommandParser : public QObject
{
    Q_OBJECT

private slots:
    void splitCommandLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QByteArray>("args");
        QTest::newRow("verb only") << QByteArray("NOOP") << QByteArray("NOOP") << QByteArray();
        QTest::newRow("one argument")
            << QByteArray("EHLO a.example") << QByteArray("EHLO") << QByteArray("a.example");
        QTest::newRow("spaces before the argument")
            << QByteArray("VRFY    bob") << QByteArray("VRFY") << QByteArray("bob");
        QTest::newRow("spaces inside kept") << QByteArray("MAIL FROM: <a@b> SIZE=1") << QByteArray("MAIL")
                                            << QByteArray("FROM: <a@b> SIZE=1");
        QTest::newRow("tab is not a separator")
            << QByteArray("NOOP\tx") << QByteArray("NOOP\tx") << QByteArray();
    }

    void splitCommandLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, verb);
        QFETCH(QByteArray, args);
        const CommandLine c = smtpparse::splitCommandLine(line);
        QCOMPARE(c.verb.toByteArray(), verb);
        QCOMPARE(c.args.toByteArray(), args);
    }

    void heloName_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("domain") << QByteArray("client.example") << true;
        QTest::newRow("address literal") << QByteArray("[192.0.2.1]") << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("control") << QByteArray("a\x01"
                                               "b")
                                 << false;
        QTest::newRow("8bit") << QByteArray("b\xc3\xbc"
                                            "cher.example")
                              << false;
        QTest::newRow("255") << QByteArray(255, 'a') << true;
        QTest::newRow("256") << QByteArray(256, 'a') << false;
    }

    void heloName()
    {
        QFETCH(QByteArray, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidHeloName(name), valid);
    }

    void pathArgs_data()
    {
        QTest::addColumn<QByteArray>("args");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("inner");
        QTest::addColumn<QByteArray>("params");
        QTest::newRow("plain") << QByteArray("FROM:<a@b.example>") << true << QByteArray("a@b.example")
                               << QByteArray();
        QTest::newRow("lower case keyword")
            << QByteArray("from:<a@b.example>") << true << QByteArray("a@b.example") << QByteArray();
        QTest::newRow("space after colon")
            << QByteArray("FROM: <a@b.example>") << true << QByteArray("a@b.example") << QByteArray();
        QTest::newRow("null path") << QByteArray("FROM:<>") << true << QByteArray() << QByteArray();
        QTest::newRow("params") << QByteArray("FROM:<a@b.example>   SIZE=10 BODY=8BITMIME") << true
                                << QByteArray("a@b.example") << QByteArray("SIZE=10 BODY=8BITMIME");
        QTest::newRow("quoted bracket") << QByteArray("FROM:<\"a>b\"@c.example>") << true
                                        << QByteArray("\"a>b\"@c.example") << QByteArray();
        QTest::newRow("escaped quote") << QByteArray("FROM:<\"a\\\">b\"@c.example>") << true
                                       << QByteArray("\"a\\\">b\"@c.example") << QByteArray();
        QTest::newRow("junk after bracket")
            << QByteArray("FROM:<a@b.example>x") << false << QByteArray() << QByteArray();
        QTest::newRow("no brackets") << QByteArray("FROM:a@b.example") << false << QByteArray()
                                     << QByteArray();
        QTest::newRow("unclosed") << QByteArray("FROM:<a@b.example") << false << QByteArray() << QByteArray();
        QTest::newRow("wrong keyword")
            << QByteArray("TO:<a@b.example>") << false << QByteArray() << QByteArray();
        QTest::newRow("space before colon")
            << QByteArray("FROM :<a@b.example>") << false << QByteArray() << QByteArray();
    }

    void pathArgs()
    {
        QFETCH(QByteArray, args);
        QFETCH(bool, ok);
        QFETCH(QByteArray, inner);
        QFETCH(QByteArray, params);
        const PathArgs p = parsePathArgs(args, "FROM:");
        QCOMPARE(p.ok, ok);
        if (ok) {
            QCOMPARE(p.inner.toByteArray(), inner);
            QCOMPARE(p.params.toByteArray(), params);
        }
    }

    // The cases cmdMail and cmdRcpt each handled in their own copy.
    void parsePath_data()
    {
        QTest::addColumn<QByteArray>("inner");
        QTest::addColumn<bool>("smtputf8");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("localPart");
        const int none = int(ParsedPath::Error::None);
        const int needs = int(ParsedPath::Error::NeedsSmtputf8);
        const int bad = int(ParsedPath::Error::BadSyntax);
        QTest::newRow("ascii") << QByteArray("Alice@Example.org") << false << none << u"Alice@Example.org"_s
                               << u"Alice"_s;
        QTest::newRow("ascii with SMTPUTF8")
            << QByteArray("a@example.org") << true << none << u"a@example.org"_s << u"a"_s;
        QTest::newRow("quoted local part")
            << QByteArray("\"a b\"@example.org") << false << none << u"\"a b\"@example.org"_s << QString();
        QTest::newRow("utf-8 without SMTPUTF8")
            << QByteArray("j\xc3\xb6rg@example.org") << false << needs << QString() << QString();
        QTest::newRow("utf-8 with SMTPUTF8") << QByteArray("j\xc3\xb6rg@example.org") << true << none
                                             << u"j\u00f6rg@example.org"_s << u"j\u00f6rg"_s;
        QTest::newRow("invalid utf-8 with SMTPUTF8")
            << QByteArray("j\xc3(rg@example.org") << true << bad << QString() << QString();
        // Non-ASCII is refused for the missing SMTPUTF8 before it is decoded.
        QTest::newRow("invalid utf-8 without SMTPUTF8")
            << QByteArray("j\xc3(rg@example.org") << false << needs << QString() << QString();
        QTest::newRow("no domain") << QByteArray("alice") << false << bad << QString() << QString();
        QTest::newRow("empty domain") << QByteArray("alice@") << false << bad << QString() << QString();
        QTest::newRow("empty local part")
            << QByteArray("@example.org") << false << bad << QString() << QString();
        QTest::newRow("two ats") << QByteArray("a@b@example.org") << false << bad << QString() << QString();
    }

    void parsePath()
    {
        QFETCH(QByteArray, inner);
        QFETCH(bool, smtputf8);
        QFETCH(int, error);
        QFETCH(QString, text);
        QFETCH(QString, localPart);
        const ParsedPath p = smtpparse::parsePath(inner, smtputf8);
        QCOMPARE(int(p.error), error);
        QCOMPARE(p.ok(), error == int(ParsedPath::Error::None));
        if (p.ok()) {
            QCOMPARE(p.text, text);
            if (!localPart.isEmpty())
                QCOMPARE(p.address.localPart, localPart);
            QVERIFY(!p.address.domain.isEmpty());
        }
    }

    // MAIL and RCPT map parsePath's outcome to their own replies, as before.
    void parsePathRepliesPerCommand_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("mailReply");
        QTest::addColumn<QString>("rcptReply");
        QTest::newRow("ok") << QByteArray("<bob@example.net>") << u"250:2.1.0"_s << u"250:2.1.5"_s;
        QTest::newRow("utf-8") << QByteArray("<j\xc3\xb6rg@example.net>") << u"553:5.6.7"_s << u"553:5.6.7"_s;
        QTest::newRow("bad syntax") << QByteArray("<bob>") << u"553:5.1.7"_s << u"553:5.1.3"_s;
        QTest::newRow("null path") << QByteArray("<>") << u"250:2.1.0"_s << u"553:5.1.3"_s;
    }

    void parsePathRepliesPerCommand()
    {
        QFETCH(QByteArray, path);
        QFETCH(QString, mailReply);
        QFETCH(QString, rcptReply);
        const auto policy = std::make_shared<const AcceptAll>();
        const PolicySource source = [policy] { return policy; };
        SessionConfig config;
        config.hostname = u"relay.example.com"_s;
        {
            testing::SessionHarness h(config, QHostAddress(u"203.0.113.10"_s), source);
            h.start();
            h.feed("EHLO c.example\r\nMAIL FROM:" + path + "\r\n");
            QCOMPARE(h.tokens.constLast(), mailReply);
        }
        {
            testing::SessionHarness h(config, QHostAddress(u"203.0.113.10"_s), source);
            h.start();
            h.feed("EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:" + path + "\r\n");
            QCOMPARE(h.tokens.constLast(), rcptReply);
        }
    }

    void mailParameters_data()
    {
        QTest::addColumn<QByteArray>("params");
        QTest::addColumn<QString>("error"); // the reply's code and enhanced code; empty: accepted
        QTest::addColumn<bool>("tooBig");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<bool>("smtputf8");
        QTest::newRow("none") << QByteArray() << QString() << false << qint64(-1) << false;
        QTest::newRow("size") << QByteArray("SIZE=1000") << QString() << false << qint64(1000) << false;
        QTest::newRow("size at limit")
            << QByteArray("size=5000") << QString() << false << qint64(5000) << false;
        QTest::newRow("size over limit")
            << QByteArray("SIZE=5001") << u"552 5.3.4"_s << true << qint64(-1) << false;
        QTest::newRow("size overflow")
            << QByteArray("SIZE=99999999999999999999") << u"552 5.3.4"_s << true << qint64(-1) << false;
        QTest::newRow("size 21 digits")
            << QByteArray("SIZE=100000000000000000000") << u"501 5.5.4"_s << false << qint64(-1) << false;
        QTest::newRow("size twice") << QByteArray("SIZE=1 SIZE=2") << u"501 5.5.4"_s << false << qint64(1)
                                    << false;
        QTest::newRow("size not a number")
            << QByteArray("SIZE=1k") << u"501 5.5.4"_s << false << qint64(-1) << false;
        QTest::newRow("body") << QByteArray("BODY=8BITMIME SMTPUTF8") << QString() << false << qint64(-1)
                              << true;
        QTest::newRow("binarymime") << QByteArray("BODY=BINARYMIME") << u"504 5.5.4"_s << false << qint64(-1)
                                    << false;
        QTest::newRow("body unknown")
            << QByteArray("BODY=9BIT") << u"501 5.5.4"_s << false << qint64(-1) << false;
        QTest::newRow("body twice") << QByteArray("BODY=7BIT BODY=7BIT") << u"501 5.5.4"_s << false
                                    << qint64(-1) << false;
        QTest::newRow("smtputf8 with value")
            << QByteArray("SMTPUTF8=yes") << u"501 5.5.4"_s << false << qint64(-1) << false;
        QTest::newRow("unknown") << QByteArray("RET=HDRS") << u"555 5.5.4"_s << false << qint64(-1) << false;
    }

    void mailParameters()
    {
        QFETCH(QByteArray, params);
        QFETCH(QString, error);
        QFETCH(bool, tooBig);
        QFETCH(qint64, size);
        QFETCH(bool, smtputf8);
        MailParameters p;
        const MailParamsResult r = parseMailParameters(params, 5000, p);
        QCOMPARE(r.tooBig, tooBig);
        QCOMPARE(r.error.has_value(), !error.isEmpty());
        if (r.error)
            QCOMPARE(QString::number(r.error->code) + u' ' + QString::fromLatin1(r.error->enhanced), error);
        QCOMPARE(p.declaredSize, size);
        QCOMPARE(p.smtputf8, smtputf8);
    }
};

QTEST_GUILESS_MAIN(TestSmtpCommandParser)
#include "tst_smtpcommandparser.moc"
