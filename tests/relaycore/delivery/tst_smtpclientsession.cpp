// Transcript tests of the relay's SMTP client state machine: scripted server
// replies (fed whole, byte by byte and in odd-sized pieces), the exact bytes
// the client must send, and the per-recipient verdicts it must reach.
#include "relaycore/delivery/smtpclientsession.h"

#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

const QString kPeer = QStringLiteral("mx.test[127.0.0.1]:25");

// "S: text" a server line; "R: bytes" raw server bytes with \r \n \xHH
// escapes; "C: text" a line the client must have sent by now; "!lost",
// "!timeout", "!quit", "!next" (another transaction on the same connection).
QByteArray unescape(const QString &s)
{
    const QByteArray in = s.toUtf8();
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in.at(i) != '\\' || i + 1 >= in.size()) {
            out += in.at(i);
            continue;
        }
        const char e = in.at(++i);
        if (e == 'r') {
            out += '\r';
        } else if (e == 'n') {
            out += '\n';
        } else if (e == 'x' && i + 2 < in.size()) {
            out += char(in.mid(i + 1, 2).toInt(nullptr, 16));
            i += 2;
        } else {
            out += e;
        }
    }
    return out;
}

QString verdictLetter(DeliveryVerdict v, bool retryElsewhere)
{
    switch (v) {
    case DeliveryVerdict::Delivered: return QStringLiteral("D");
    case DeliveryVerdict::PermanentFailure: return QStringLiteral("P");
    case DeliveryVerdict::TemporaryFailure: return retryElsewhere ? QStringLiteral("T") : QStringLiteral("t");
    }
    return {};
}

QString stateName(SmtpClientSession::State s)
{
    switch (s) {
    case SmtpClientSession::State::Greeting: return QStringLiteral("Greeting");
    case SmtpClientSession::State::Hello: return QStringLiteral("Hello");
    case SmtpClientSession::State::HeloFallback: return QStringLiteral("HeloFallback");
    case SmtpClientSession::State::StartTls: return QStringLiteral("StartTls");
    case SmtpClientSession::State::TlsHandshake: return QStringLiteral("TlsHandshake");
    case SmtpClientSession::State::Auth: return QStringLiteral("Auth");
    case SmtpClientSession::State::Rset: return QStringLiteral("Rset");
    case SmtpClientSession::State::Transaction: return QStringLiteral("Transaction");
    case SmtpClientSession::State::Idle: return QStringLiteral("Idle");
    case SmtpClientSession::State::Quit: return QStringLiteral("Quit");
    case SmtpClientSession::State::Closed: return QStringLiteral("Closed");
    }
    return {};
}

struct Run
{
    QByteArray unchecked; // client bytes not yet matched by "C:" lines
    QStringList outcomes; // "<V> <status> <reply>" per recipient, then "= reusable|stale|closed"
    int closes = 0;
    int sends = 0;

    void apply(const SmtpClientActions &actions)
    {
        for (const SmtpClientAction &a : actions) {
            switch (a.kind) {
            case SmtpClientAction::Kind::Send:
                QVERIFY2(closes == 0, "client sent bytes after closing");
                unchecked += a.bytes;
                ++sends;
                break;
            case SmtpClientAction::Kind::Close: ++closes; break;
            case SmtpClientAction::Kind::StartTls:
                // Matched by a "C: [tls]" step: the handshake starts here.
                unchecked += "[tls]\r\n";
                break;
            case SmtpClientAction::Kind::Finished: {
                const SmtpClientOutcome &o = a.outcome;
                QCOMPARE(o.retryElsewhere.size(), o.recipients.size());
                for (qsizetype i = 0; i < o.recipients.size(); ++i) {
                    const RecipientResult &r = o.recipients.at(i);
                    outcomes << verdictLetter(r.verdict, o.retryElsewhere.at(i)) + QLatin1Char(' ') +
                                    r.enhancedStatus + QLatin1Char(' ') + r.reply;
                }
                outcomes << (o.staleConnection      ? QStringLiteral("= stale")
                             : o.connectionReusable ? QStringLiteral("= reusable")
                             : o.tlsFallback        ? QStringLiteral("= plaintext retry")
                                                    : QStringLiteral("= closed"));
                break;
            }
            }
        }
    }
};

DeliveryRequest makeRequest(const QString &sender, const QStringList &recipients, const QByteArray &data,
                            bool smtputf8, bool eightBit)
{
    DeliveryRequest r;
    r.messageId = 7;
    r.queueId = QStringLiteral("Q7");
    r.sender = sender;
    r.recipients = recipients;
    for (qsizetype i = 0; i < recipients.size(); ++i)
        r.recipientIds << 100 + i;
    r.data = data;
    r.smtputf8 = smtputf8;
    r.eightBitMime = eightBit;
    return r;
}

const QByteArray kBody = QByteArrayLiteral("Subject: hi\r\n\r\nhello\r\n");

SmtpClientSession::Options plainOptions()
{
    SmtpClientSession::Options o;
    o.heloName = QStringLiteral("relay.test");
    o.peerName = kPeer;
    return o;
}

} // namespace

class TestSmtpClientSession final : public QObject
{
    Q_OBJECT

private slots:
    void transcript_data();
    void transcript();
    void tlsTranscript_data();
    void tlsTranscript();

private:
    static void addTranscriptColumns();
    void runTranscript(const SmtpClientSession::Options &options, const DeliveryRequest &request);

private slots:
    void pipelinedGroupIsOneWrite();
    void encodeData_data();
    void encodeData();
    void waitsFollowTheRfcTimeouts();
    void capabilities();
};

void TestSmtpClientSession::transcript_data()
{
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("smtputf8");
    QTest::addColumn<bool>("eightBit");
    addTranscriptColumns();

    const QString a = QStringLiteral("a@dry.test");
    const QString b = QStringLiteral("b@dry.test");
    const QString c = QStringLiteral("c@dry.test");
    const QString from = QStringLiteral("s@warm.test");
    const QStringList body = {QStringLiteral("C: Subject: hi"), QStringLiteral("C: "),
                              QStringLiteral("C: hello"), QStringLiteral("C: .")};
    const QStringList ehloPipe = {QStringLiteral("S: 220 mx.test ESMTP"),
                                  QStringLiteral("C: EHLO relay.test"),
                                  QStringLiteral("S: 250-mx.test"),
                                  QStringLiteral("S: 250-PIPELINING"),
                                  QStringLiteral("S: 250-SIZE 1000000"),
                                  QStringLiteral("S: 250-8BITMIME"),
                                  QStringLiteral("S: 250 ENHANCEDSTATUSCODES")};
    const QStringList ehloPlain = {QStringLiteral("S: 220 mx.test ESMTP"),
                                   QStringLiteral("C: EHLO relay.test"), QStringLiteral("S: 250-mx.test"),
                                   QStringLiteral("S: 250 SIZE")};
    const QString mail = QStringLiteral("C: MAIL FROM:<s@warm.test> SIZE=%1").arg(kBody.size());
    const QString mail8 = mail + QStringLiteral(" BODY=8BITMIME");

    QTest::newRow("pipelining: all delivered, one QUIT")
        << from << QStringList{a, b} << kBody << false << true
        << (ehloPipe +
            QStringList{mail8, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 2.1.0 Ok"), QStringLiteral("S: 250 2.1.5 Ok"),
                        QStringLiteral("S: 250 2.1.5 Ok"),
                        QStringLiteral("S: 354 End data with <CR><LF>.<CR><LF>")} +
            body +
            QStringList{QStringLiteral("S: 250 2.0.0 Ok: queued as ABC"), QStringLiteral("!quit"),
                        QStringLiteral("C: QUIT"), QStringLiteral("S: 221 2.0.0 Bye")})
        << QStringList{QStringLiteral("D 2.0.0 250 2.0.0 Ok: queued as ABC"),
                       QStringLiteral("D 2.0.0 250 2.0.0 Ok: queued as ABC"), QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("no pipelining: one command at a time")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPlain +
            QStringList{mail, QStringLiteral("S: 250 ok"), QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("C: RCPT TO:<b@dry.test>"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("C: DATA"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 250 queued")})
        << QStringList{QStringLiteral("D 2.0.0 250 queued"), QStringLiteral("D 2.0.0 250 queued"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("pipelining: mixed recipient results")
        << from << QStringList{a, b, c} << kBody << false << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: RCPT TO:<c@dry.test>"),
                        QStringLiteral("C: DATA"), QStringLiteral("S: 250 2.1.0 Ok"),
                        QStringLiteral("S: 250 2.1.5 Ok"),
                        QStringLiteral("S: 450 4.2.1 <b@dry.test>: mailbox busy"),
                        QStringLiteral("S: 550-5.1.1 <c@dry.test>: no such user"),
                        QStringLiteral("S: 550 5.1.1 try again never"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 250 2.0.0 queued as X")})
        << QStringList{QStringLiteral("D 2.0.0 250 2.0.0 queued as X"),
                       QStringLiteral("T 4.2.1 450 4.2.1 <b@dry.test>: mailbox busy"),
                       QStringLiteral("P 5.1.1 550 5.1.1 <c@dry.test>: no such user 5.1.1 try again never"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("no pipelining: every RCPT refused, no DATA")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("S: 550 no"),
                                    QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("S: 451 later"),
                                    QStringLiteral("!quit"), QStringLiteral("C: QUIT"),
                                    QStringLiteral("S: 221 bye")})
        << QStringList{QStringLiteral("P 5.0.0 550 no"), QStringLiteral("T 4.0.0 451 later"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("pipelining: every RCPT refused, DATA refused")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPipe + QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                                   QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                                   QStringLiteral("S: 250 ok"), QStringLiteral("S: 550 5.1.1 no"),
                                   QStringLiteral("S: 550 5.1.1 no"),
                                   QStringLiteral("S: 554 5.5.1 no valid recipients")})
        << QStringList{QStringLiteral("P 5.1.1 550 5.1.1 no"), QStringLiteral("P 5.1.1 550 5.1.1 no"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("pipelining: every RCPT refused but DATA taken: empty message")
        << from << QStringList{a} << kBody << false << false
        << (ehloPipe + QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("C: DATA"),
                                   QStringLiteral("S: 250 ok"), QStringLiteral("S: 550 5.1.1 no"),
                                   QStringLiteral("S: 354 go"), QStringLiteral("C: ."),
                                   QStringLiteral("S: 554 no recipients")})
        << QStringList{QStringLiteral("P 5.1.1 550 5.1.1 no"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("EHLO 502: HELO fallback, no ESMTP parameters")
        << from << QStringList{a} << kBody << false << true
        << QStringList{QStringLiteral("S: 220 old.test"),
                       QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 502 5.5.2 Error: command not recognized"),
                       QStringLiteral("C: HELO relay.test"),
                       QStringLiteral("S: 250 old.test"),
                       QStringLiteral("C: MAIL FROM:<s@warm.test>"),
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("C: RCPT TO:<a@dry.test>"),
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("C: DATA"),
                       QStringLiteral("S: 354 go")} +
               body + QStringList{QStringLiteral("S: 250 ok")}
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("EHLO 500 then HELO refused: session failure, QUIT")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 old.test"),       QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 500 what"),           QStringLiteral("C: HELO relay.test"),
                       QStringLiteral("S: 501 5.5.4 bad name"), QStringLiteral("C: QUIT")}
        << QStringList{QStringLiteral("T 4.5.4 host mx.test[127.0.0.1]:25 refused HELO: 501 5.5.4 bad name"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("EHLO 421: deferred, no QUIT")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 mx.test"), QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 421 4.7.0 too busy")}
        << QStringList{QStringLiteral("T 4.7.0 421 4.7.0 too busy"), QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("HELO fallback and SMTPUTF8 message: 5.6.7, nothing sent")
        << from << QStringList{QStringLiteral("jürgen@dry.test")} << kBody << true << false
        << QStringList{QStringLiteral("S: 220 old.test"),
                       QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 500 5.5.1 unknown command"),
                       QStringLiteral("C: HELO relay.test"),
                       QStringLiteral("S: 250 old.test"),
                       QStringLiteral("!quit"),
                       QStringLiteral("C: QUIT"),
                       QStringLiteral("S: 221 bye")}
        << QStringList{QStringLiteral("P 5.6.7 SMTPUTF8 is required, but was not offered by host mx.test"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("SMTPUTF8 message, server without SMTPUTF8: 5.6.7")
        << from << QStringList{a} << kBody << true << false << ehloPipe
        << QStringList{QStringLiteral("P 5.6.7 SMTPUTF8 is required"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("non-ASCII address without the flag still needs SMTPUTF8")
        << from << QStringList{QStringLiteral("zoë@dry.test")} << kBody << false << false << ehloPipe
        << QStringList{QStringLiteral("P 5.6.7 SMTPUTF8 is required"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("SMTPUTF8 offered: MAIL carries SMTPUTF8, address in UTF-8")
        << QStringLiteral("jürgen@warm.test") << QStringList{QStringLiteral("zoë@dry.test")} << kBody << true
        << false
        << QStringList{QStringLiteral("S: 220 mx.test"),
                       QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 250-mx.test"),
                       QStringLiteral("S: 250-SMTPUTF8"),
                       QStringLiteral("S: 250 PIPELINING"),
                       QStringLiteral("C: MAIL FROM:<jürgen@warm.test> SMTPUTF8"),
                       QStringLiteral("C: RCPT TO:<zoë@dry.test>"),
                       QStringLiteral("C: DATA"),
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("S: 354 go")} +
               body + QStringList{QStringLiteral("S: 250 ok")}
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("message larger than SIZE: 5.3.4, nothing sent")
        << from << QStringList{a, b} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 mx.test"), QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 250-mx.test"), QStringLiteral("S: 250 SIZE 10")}
        << QStringList{QStringLiteral("P 5.3.4 message size 22 exceeds size limit 10"),
                       QStringLiteral("P 5.3.4 message size 22"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("SIZE 0 means no limit")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 mx.test"),
                       QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 250-mx.test"),
                       QStringLiteral("S: 250 SIZE 0"),
                       mail,
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("C: RCPT TO:<a@dry.test>"),
                       QStringLiteral("S: 250 ok"),
                       QStringLiteral("C: DATA"),
                       QStringLiteral("S: 354 go")} +
               body + QStringList{QStringLiteral("S: 250 ok")}
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("421 in the middle of the RCPTs: everything deferred, no QUIT")
        << from << QStringList{a, b, c} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: RCPT TO:<a@dry.test>"),
                                    QStringLiteral("S: 550 5.1.1 no such user"),
                                    QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: RCPT TO:<c@dry.test>"),
                                    QStringLiteral("S: 421 4.3.2 shutting down")})
        << QStringList{QStringLiteral("P 5.1.1 550 5.1.1 no such user"),
                       QStringLiteral("T 4.3.2 421 4.3.2 shutting down"),
                       QStringLiteral("T 4.3.2 421 4.3.2 shutting down"), QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("421 greeting: deferred, no QUIT")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 421 4.3.2 mx.test busy")}
        << QStringList{QStringLiteral("T 4.3.2 host mx.test[127.0.0.1]:25 refused to talk to me: 421 4.3.2 "
                                      "mx.test busy"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("554 greeting: only this server is skipped, QUIT")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 554 5.7.1 go away"), QStringLiteral("C: QUIT")}
        << QStringList{QStringLiteral(
                           "T 4.7.1 host mx.test[127.0.0.1]:25 refused to talk to me: 554 5.7.1 go away"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("dot-stuffing and the final CRLF")
        << from << QStringList{a} << QByteArrayLiteral(".hidden\r\n..two\r\nplain. text\r\n.\r\nlast")
        << false << false
        << (ehloPipe + QStringList{QStringLiteral("C: MAIL FROM:<s@warm.test> SIZE=36"),
                                   QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("C: DATA"),
                                   QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                                   QStringLiteral("S: 354 go"), QStringLiteral("C: ..hidden"),
                                   QStringLiteral("C: ...two"), QStringLiteral("C: plain. text"),
                                   QStringLiteral("C: .."), QStringLiteral("C: last"), QStringLiteral("C: ."),
                                   QStringLiteral("S: 250 ok")})
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("null sender")
        << QString() << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 mx.test"), QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 250 mx.test"), QStringLiteral("C: MAIL FROM:<>"),
                       QStringLiteral("S: 250 ok"),      QStringLiteral("C: RCPT TO:<a@dry.test>"),
                       QStringLiteral("S: 250 ok"),      QStringLiteral("C: DATA"),
                       QStringLiteral("S: 354 go")} +
               body + QStringList{QStringLiteral("S: 250 ok")}
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("end of data 451: accepted recipients deferred, refused stay refused")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 550 5.1.1 unknown"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 451 4.3.0 try later")})
        << QStringList{QStringLiteral("T 4.3.0 451 4.3.0 try later"),
                       QStringLiteral("P 5.1.1 550 5.1.1 unknown"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("end of data 554: every accepted recipient bounced")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 554 5.7.1 spam")})
        << QStringList{QStringLiteral("P 5.7.1 554 5.7.1 spam"), QStringLiteral("P 5.7.1 554 5.7.1 spam"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("DATA 451 without pipelining")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: DATA"), QStringLiteral("S: 451 not now")})
        << QStringList{QStringLiteral("T 4.0.0 451 not now"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("MAIL 452 without pipelining: no RCPT")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: 452 4.3.1 insufficient storage")})
        << QStringList{QStringLiteral("T 4.3.1 452 4.3.1 insufficient storage"),
                       QStringLiteral("T 4.3.1 452 4.3.1 insufficient storage"), QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("MAIL 553 with pipelining: the other replies are read and ignored")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPipe + QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                                   QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                                   QStringLiteral("S: 553 5.7.1 sender refused"),
                                   QStringLiteral("S: 503 5.5.1 need MAIL"),
                                   QStringLiteral("S: 503 5.5.1 need MAIL"),
                                   QStringLiteral("S: 503 5.5.1 need MAIL"), QStringLiteral("!quit"),
                                   QStringLiteral("C: QUIT"), QStringLiteral("S: 221 bye")})
        << QStringList{QStringLiteral("P 5.7.1 553 5.7.1 sender refused"),
                       QStringLiteral("P 5.7.1 553 5.7.1 sender refused"), QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("connection lost after the end of data: not retried elsewhere")
        << from << QStringList{a, b} << kBody << false << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: RCPT TO:<b@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 550 5.1.1 unknown"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("!lost")})
        << QStringList{QStringLiteral(
                           "t 4.4.2 lost connection with mx.test[127.0.0.1]:25 while sending end of data -- "
                           "message may be sent more than once"),
                       QStringLiteral("P 5.1.1 550 5.1.1 unknown"), QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("connection lost during RCPT: retried elsewhere")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: 250 ok"),
                                    QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("!lost")})
        << QStringList{QStringLiteral(
                           "T 4.4.2 lost connection with mx.test[127.0.0.1]:25 while sending RCPT TO"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("timeout waiting for the greeting")
        << from << QStringList{a} << kBody << false << false << QStringList{QStringLiteral("!timeout")}
        << QStringList{QStringLiteral(
                           "T 4.4.2 conversation with mx.test[127.0.0.1]:25 timed out while receiving the "
                           "initial server greeting"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("garbage instead of a reply")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain + QStringList{mail, QStringLiteral("S: hello there")})
        << QStringList{QStringLiteral(
                           "T 4.5.0 protocol error from mx.test[127.0.0.1]:25 while sending MAIL FROM: "
                           "malformed reply line"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("bare LF ends a reply line: protocol error")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("R: 220 mx.test\\n")}
        << QStringList{QStringLiteral(
                           "T 4.5.0 protocol error from mx.test[127.0.0.1]:25 while receiving the initial "
                           "server greeting: reply line not terminated by CRLF"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("code changes inside a multi-line reply")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 mx.test"), QStringLiteral("C: EHLO relay.test"),
                       QStringLiteral("S: 250-mx.test"), QStringLiteral("S: 251 PIPELINING")}
        << QStringList{QStringLiteral(
                           "T 4.5.0 protocol error from mx.test[127.0.0.1]:25 while performing the EHLO "
                           "handshake: reply code changed inside a multi-line reply (250, then 251)"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("reply line too long")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("S: 220 ") + QString(5000, QLatin1Char('x'))}
        << QStringList{QStringLiteral(
                           "T 4.5.0 protocol error from mx.test[127.0.0.1]:25 while receiving the initial "
                           "server greeting: reply line longer than 4096 octets"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("NUL in a reply")
        << from << QStringList{a} << kBody << false << false
        << QStringList{QStringLiteral("R: 220 mx\\x00.test\\r\\n")}
        << QStringList{QStringLiteral(
                           "T 4.5.0 protocol error from mx.test[127.0.0.1]:25 while receiving the initial "
                           "server greeting: control character 0x00 in reply"),
                       QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("reply with a 1yz code")
        << from << QStringList{a} << kBody << false << false << QStringList{QStringLiteral("S: 120 wait")}
        << QStringList{QStringLiteral("T 4.5.0 protocol error"), QStringLiteral("= closed")}
        << QStringLiteral("Closed");

    QTest::newRow("reply nobody asked for")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain +
            QStringList{mail, QStringLiteral("S: 250 ok"), QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("C: DATA"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 and again")})
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("idle server says 421: closed, no outcome")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain +
            QStringList{mail, QStringLiteral("S: 250 ok"), QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("C: DATA"), QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 250 ok"), QStringLiteral("S: 421 4.4.2 idle timeout")})
        << QStringList{QStringLiteral("D 2.0.0 250 ok"), QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("address with CR LF is never sent")
        << from << QStringList{QStringLiteral("x@dry.test>\r\nRCPT TO:<evil@else.test"), a} << kBody << false
        << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 354 go")} +
            body + QStringList{QStringLiteral("S: 250 ok")})
        << QStringList{QStringLiteral("P 5.1.3 invalid recipient address"), QStringLiteral("D 2.0.0 250 ok"),
                       QStringLiteral("= reusable")}
        << QStringLiteral("Idle");

    QTest::newRow("reuse: RSET, then the next transaction")
        << from << QStringList{a} << kBody << false << false
        << (ehloPipe +
            QStringList{mail, QStringLiteral("C: RCPT TO:<a@dry.test>"), QStringLiteral("C: DATA"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 354 go")} +
            body +
            QStringList{QStringLiteral("S: 250 first"), QStringLiteral("!next"), QStringLiteral("C: RSET"),
                        QStringLiteral("S: 250 2.0.0 Ok"), mail, QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("C: DATA"), QStringLiteral("S: 250 ok"), QStringLiteral("S: 250 ok"),
                        QStringLiteral("S: 354 go")} +
            body +
            QStringList{QStringLiteral("S: 250 second"), QStringLiteral("!quit"), QStringLiteral("C: QUIT"),
                        QStringLiteral("S: 221 bye")})
        << QStringList{QStringLiteral("D 2.0.0 250 first"), QStringLiteral("= reusable"),
                       QStringLiteral("D 2.0.0 250 second"), QStringLiteral("= reusable")}
        << QStringLiteral("Closed");

    QTest::newRow("reuse: the server closed the idle connection, RSET is lost: stale")
        << from << QStringList{a} << kBody << false << false
        << (ehloPlain +
            QStringList{mail, QStringLiteral("S: 250 ok"), QStringLiteral("C: RCPT TO:<a@dry.test>"),
                        QStringLiteral("S: 250 ok"), QStringLiteral("C: DATA"), QStringLiteral("S: 354 go")} +
            body +
            QStringList{QStringLiteral("S: 250 first"), QStringLiteral("!next"), QStringLiteral("C: RSET"),
                        QStringLiteral("!lost")})
        << QStringList{QStringLiteral("D 2.0.0 250 first"), QStringLiteral("= reusable"),
                       QStringLiteral(
                           "T 4.4.2 lost connection with mx.test[127.0.0.1]:25 while sending RSET"),
                       QStringLiteral("= stale")}
        << QStringLiteral("Closed");
}

void TestSmtpClientSession::transcript()
{
    QFETCH(QString, sender);
    QFETCH(QStringList, recipients);
    QFETCH(QByteArray, data);
    QFETCH(bool, smtputf8);
    QFETCH(bool, eightBit);
    runTranscript(plainOptions(), makeRequest(sender, recipients, data, smtputf8, eightBit));
}

void TestSmtpClientSession::tlsTranscript_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<bool>("attemptTls");
    QTest::addColumn<bool>("auth");
    addTranscriptColumns();

    auto S = [](const char *line) -> QString { return QStringLiteral("S: ") + QLatin1String(line); };
    auto C = [](const char *line) -> QString { return QStringLiteral("C: ") + QLatin1String(line); };
    const QStringList greet = {S("220 mx.test ESMTP"), C("EHLO relay.test"), S("250-mx.test")};
    const QStringList offer = greet + QStringList{S("250 STARTTLS"), C("STARTTLS")};
    const QStringList inTls = {C("[tls]"), QStringLiteral("!tls"), C("EHLO relay.test"), S("250-mx.test")};
    const QStringList transaction = {C("MAIL FROM:<s@warm.test>"),
                                     C("RCPT TO:<a@dry.test>"),
                                     C("DATA"),
                                     S("250 ok"),
                                     S("250 ok"),
                                     S("354 go"),
                                     C("Subject: hi"),
                                     C(""),
                                     C("hello"),
                                     C("."),
                                     S("250 2.0.0 done")};
    const QStringList delivered = {QStringLiteral("D 2.0.0 250 2.0.0 done"), QStringLiteral("= reusable")};

    // RFC 3207 §4.2 / docs/behaviour.md "Strict input": what the server
    // pipelines behind its 220 is never read; inside TLS the session starts
    // over with EHLO.
    QTest::newRow("may: STARTTLS, reply injected behind the 220 discarded")
        << u"may"_s << true << false
        << (offer + QStringList{S("220 2.0.0 go"), S("250 injected"), S("250-fake"), S("250 PIPELINING")} +
            inTls + QStringList{S("250 PIPELINING")} + transaction)
        << delivered << u"Idle"_s;
    QTest::newRow("may: STARTTLS not offered, plaintext")
        << u"may"_s << true << false << (greet + QStringList{S("250 PIPELINING")} + transaction) << delivered
        << u"Idle"_s;
    QTest::newRow("may: 454 to STARTTLS, plaintext on the same connection")
        << u"may"_s << true << false
        << (offer + QStringList{S("454 4.7.0 not now"), C("MAIL FROM:<s@warm.test>"), S("250 ok"),
                                C("RCPT TO:<a@dry.test>"), S("250 ok"), C("DATA"), S("354 go"),
                                C("Subject: hi"), C(""), C("hello"), C("."), S("250 2.0.0 done")})
        << delivered << u"Idle"_s;
    QTest::newRow("may: handshake fails, plaintext retry asked for")
        << u"may"_s << true << false
        << (offer + QStringList{S("220 go"), C("[tls]"), QStringLiteral("!tlsfail")})
        << QStringList{u"T 4.7.5 Cannot start TLS: handshake failure with host mx.test[127.0.0.1]:25: bad record"_s,
                       u"= plaintext retry"_s}
        << u"Closed"_s;
    QTest::newRow("may: the plaintext retry does not try STARTTLS")
        << u"may"_s << false << false
        << (greet + QStringList{S("250-STARTTLS"), S("250 PIPELINING")} + transaction) << delivered
        << u"Idle"_s;
    QTest::newRow("encrypt: not offered, only QUIT")
        << u"encrypt"_s << true << false << (greet + QStringList{S("250 PIPELINING"), C("QUIT")})
        << QStringList{u"T 4.7.4 TLS is required, but was not offered by host mx.test[127.0.0.1]:25"_s,
                       u"= closed"_s}
        << u"Closed"_s;
    QTest::newRow("verify: refused, only QUIT")
        << u"verify"_s << true << false << (offer + QStringList{S("454 4.7.0 not now"), C("QUIT")})
        << QStringList{u"T 4.7.4 TLS is required, but host mx.test[127.0.0.1]:25 refused to start TLS: 454 4.7.0 not now"_s,
                       u"= closed"_s}
        << u"Closed"_s;
    QTest::newRow("encrypt: even a plaintext retry insists on STARTTLS")
        << u"encrypt"_s << false << false << (offer + QStringList{S("454 4.7.0 not now"), C("QUIT")})
        << QStringList{u"T 4.7.4 TLS is required"_s, u"= closed"_s} << u"Closed"_s;
    QTest::newRow("encrypt: handshake fails, no retry")
        << u"encrypt"_s << true << false
        << (offer + QStringList{S("220 go"), C("[tls]"), QStringLiteral("!tlsfail")})
        << QStringList{u"T 4.7.5 Cannot start TLS: handshake failure with host mx.test[127.0.0.1]:25"_s,
                       u"= closed"_s}
        << u"Closed"_s;
    QTest::newRow("verify: certificate refused")
        << u"verify"_s << true << false
        << (offer + QStringList{S("220 go"), C("[tls]"), QStringLiteral("!certfail")})
        << QStringList{u"T 4.7.5 Server certificate not verified: host mx.test[127.0.0.1]:25: The "
                       u"certificate has "
                       u"expired"_s,
                       u"= closed"_s}
        << u"Closed"_s;
    // RFC 4954 / RFC 4616; user "u", password "p".
    QTest::newRow("auth: PLAIN preferred, inside TLS")
        << u"may"_s << true << true
        << (offer + QStringList{S("220 go")} + inTls +
            QStringList{S("250-AUTH LOGIN PLAIN"), S("250 PIPELINING"), C("AUTH PLAIN AHUAcA=="),
                        S("235 2.7.0 ok")} +
            transaction)
        << delivered << u"Idle"_s;
    QTest::newRow("auth: LOGIN") << u"encrypt"_s << true << true
                                 << (offer + QStringList{S("220 go")} + inTls +
                                     QStringList{S("250-AUTH LOGIN"), S("250 PIPELINING"), C("AUTH LOGIN"),
                                                 S("334 VXNlcm5hbWU6"), C("dQ=="), S("334 UGFzc3dvcmQ6"),
                                                 C("cA=="), S("235 2.7.0 ok")} +
                                     transaction)
                                 << delivered << u"Idle"_s;
    QTest::newRow("auth: 535 defers, the password masked")
        << u"may"_s << true << true
        << (offer + QStringList{S("220 go")} + inTls +
            QStringList{S("250 AUTH PLAIN"), C("AUTH PLAIN AHUAcA=="), S("535 5.7.8 no"), C("QUIT")})
        << QStringList{u"T 4.7.8 SASL authentication failed; server mx.test[127.0.0.1]:25 said: 535 5.7.8 no "
                       u"(in "
                       u"reply to AUTH PLAIN ********)"_s,
                       u"= closed"_s}
        << u"Closed"_s;
    QTest::newRow("auth: never without TLS")
        << u"may"_s << true << true << (greet + QStringList{S("250 AUTH PLAIN LOGIN"), C("QUIT")})
        << QStringList{u"T 4.7.0 SMTP AUTH to host mx.test[127.0.0.1]:25 needs TLS"_s, u"= closed"_s}
        << u"Closed"_s;
    QTest::newRow("auth: no mechanism in common")
        << u"may"_s << true << true
        << (offer + QStringList{S("220 go")} + inTls + QStringList{S("250 AUTH CRAM-MD5"), C("QUIT")})
        << QStringList{u"T 4.7.0 host mx.test[127.0.0.1]:25 offers no SMTP AUTH mechanism MailRoute supports"_s,
                       u"= closed"_s}
        << u"Closed"_s;
}

void TestSmtpClientSession::tlsTranscript()
{
    QFETCH(QString, policy);
    QFETCH(bool, attemptTls);
    QFETCH(bool, auth);
    SmtpClientSession::Options options = plainOptions();
    options.tls = *parseTlsPolicy(policy);
    options.attemptTls = attemptTls;
    if (auth)
        options.auth = SmtpCredentials{QStringLiteral("u"), QStringLiteral("p")};
    runTranscript(options, makeRequest(QStringLiteral("s@warm.test"), {QStringLiteral("a@dry.test")}, kBody,
                                       false, false));
}

// The columns every transcript row ends with: the conversation ("S: " server
// line, "R: " raw server bytes, "C: " what the client must send, "!step"
// calls), the outcomes expected, and the session's final state.
void TestSmtpClientSession::addTranscriptColumns()
{
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("finalState");
}

void TestSmtpClientSession::runTranscript(const SmtpClientSession::Options &options,
                                          const DeliveryRequest &request)
{
    QFETCH(QStringList, script);
    QFETCH(QStringList, expected);
    QFETCH(QString, finalState);
    // The same transcript, the server's bytes whole, one at a time, and in
    // pieces that cut lines and CRLFs apart.
    for (const int chunk : {0, 1, 5}) {
        SmtpClientSession session(options, request);
        Run run;
        QByteArray server;
        QByteArray expectedClient;
        auto flushServer = [&] {
            if (server.isEmpty())
                return;
            if (chunk == 0) {
                run.apply(session.feed(server));
            } else {
                for (qsizetype i = 0; i < server.size(); i += chunk)
                    run.apply(session.feed(server.mid(i, chunk)));
            }
            server.clear();
        };
        auto checkClient = [&] {
            if (expectedClient.isEmpty())
                return;
            QCOMPARE(run.unchecked, expectedClient);
            run.unchecked.clear();
            expectedClient.clear();
        };
        for (const QString &step : script) {
            const QString arg = step.mid(3);
            if (step.startsWith(QLatin1String("S: "))) {
                checkClient();
                server += arg.toUtf8() + "\r\n";
            } else if (step.startsWith(QLatin1String("R: "))) {
                checkClient();
                server += unescape(arg);
            } else if (step.startsWith(QLatin1String("C: "))) {
                flushServer();
                expectedClient += arg.toUtf8() + "\r\n";
            } else {
                flushServer();
                checkClient();
                if (step == QLatin1String("!lost"))
                    run.apply(session.connectionLost({}));
                else if (step == QLatin1String("!timeout"))
                    run.apply(session.timedOut());
                else if (step == QLatin1String("!quit"))
                    run.apply(session.quit());
                else if (step == QLatin1String("!next"))
                    run.apply(session.startTransaction(request));
                else if (step == QLatin1String("!tls"))
                    run.apply(session.tlsStarted());
                else if (step == QLatin1String("!tlsfail"))
                    run.apply(session.tlsFailed(QStringLiteral("bad record"), false));
                else if (step == QLatin1String("!certfail"))
                    run.apply(session.tlsFailed(QStringLiteral("The certificate has expired"), true));
                else
                    QFAIL(qPrintable(QStringLiteral("bad script step ") + step));
            }
            if (QTest::currentTestFailed())
                return;
        }
        flushServer();
        checkClient();
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(run.unchecked.isEmpty(), qPrintable(QStringLiteral("client sent more than expected: ") +
                                                     QString::fromUtf8(run.unchecked)));
        QCOMPARE(run.outcomes.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QVERIFY2(run.outcomes.at(i).startsWith(expected.at(i)),
                     qPrintable(QStringLiteral("chunk %1, outcome %2:\n   actual: %3\n expected: %4...")
                                    .arg(chunk)
                                    .arg(i)
                                    .arg(run.outcomes.at(i), expected.at(i))));
        }
        QCOMPARE(stateName(session.state()), finalState);
        QCOMPARE(run.closes, finalState == QLatin1String("Closed") ? 1 : 0);
    }
}

void TestSmtpClientSession::pipelinedGroupIsOneWrite()
{
    const DeliveryRequest request = makeRequest(
        QStringLiteral("s@warm.test"),
        {QStringLiteral("a@dry.test"), QStringLiteral("b@dry.test"), QStringLiteral("c@dry.test")}, kBody,
        false, false);
    SmtpClientSession session(plainOptions(), request);
    QCOMPARE(session.feed("220 mx.test\r\n").size(), 1);
    const SmtpClientActions group = session.feed("250-mx.test\r\n250 PIPELINING\r\n");
    // RFC 2920 §3.1: the whole group in one write, DATA last.
    QCOMPARE(group.size(), 1);
    QCOMPARE(group.first().kind, SmtpClientAction::Kind::Send);
    QCOMPARE(group.first().bytes,
             QByteArrayLiteral("MAIL FROM:<s@warm.test>\r\nRCPT TO:<a@dry.test>\r\n"
                               "RCPT TO:<b@dry.test>\r\nRCPT TO:<c@dry.test>\r\nDATA\r\n"));
    QCOMPARE(session.waitingFor(), SmtpClientSession::Wait::Mail);
    QVERIFY(session.feed("250 ok\r\n").isEmpty());
    QCOMPARE(session.waitingFor(), SmtpClientSession::Wait::Rcpt);
    QVERIFY(session.feed("250 ok\r\n250 ok\r\n250 ok\r\n").isEmpty());
    QCOMPARE(session.waitingFor(), SmtpClientSession::Wait::DataInit);
    const SmtpClientActions body = session.feed("354 go\r\n");
    QCOMPARE(body.size(), 1);
    QCOMPARE(body.first().bytes, SmtpClientSession::encodeData(kBody));
    QCOMPARE(session.waitingFor(), SmtpClientSession::Wait::DataEnd);
}

void TestSmtpClientSession::encodeData_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("empty") << QByteArray() << QByteArrayLiteral(".\r\n");
    QTest::newRow("plain") << QByteArrayLiteral("a\r\nb\r\n") << QByteArrayLiteral("a\r\nb\r\n.\r\n");
    QTest::newRow("no final CRLF") << QByteArrayLiteral("a\r\nb") << QByteArrayLiteral("a\r\nb\r\n.\r\n");
    QTest::newRow("leading dots") << QByteArrayLiteral(".\r\n..\r\n.a\r\n")
                                  << QByteArrayLiteral("..\r\n...\r\n..a\r\n.\r\n");
    QTest::newRow("dot not at line start")
        << QByteArrayLiteral("a.\r\n a\r\n") << QByteArrayLiteral("a.\r\n a\r\n.\r\n");
    QTest::newRow("lone dot line in the middle")
        << QByteArrayLiteral("x\r\n.\r\ny\r\n") << QByteArrayLiteral("x\r\n..\r\ny\r\n.\r\n");
    QTest::newRow("bare LF becomes CRLF, dot after it stuffed")
        << QByteArrayLiteral("a\n.\r\n") << QByteArrayLiteral("a\r\n..\r\n.\r\n");
    QTest::newRow("bare CR becomes CRLF (no smuggled end of data)")
        << QByteArrayLiteral("a\r.\r\nb\r\n") << QByteArrayLiteral("a\r\n..\r\nb\r\n.\r\n");
    QTest::newRow("trailing bare CR") << QByteArrayLiteral("a\r") << QByteArrayLiteral("a\r\n.\r\n");
    QTest::newRow("8-bit kept") << QByteArrayLiteral("\xc3\xa9t\xc3\xa9\r\n")
                                << QByteArrayLiteral("\xc3\xa9t\xc3\xa9\r\n.\r\n");
}

void TestSmtpClientSession::encodeData()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, wire);
    QCOMPARE(SmtpClientSession::encodeData(data), wire);
}

void TestSmtpClientSession::waitsFollowTheRfcTimeouts()
{
    const DeliveryRequest request =
        makeRequest(QStringLiteral("s@warm.test"), {QStringLiteral("a@dry.test")}, kBody, false, false);
    SmtpClientSession session(plainOptions(), request);
    using W = SmtpClientSession::Wait;
    QCOMPARE(session.waitingFor(), W::Greeting);
    session.feed("220 mx\r\n");
    QCOMPARE(session.waitingFor(), W::Hello);
    session.feed("250 mx\r\n");
    QCOMPARE(session.waitingFor(), W::Mail);
    session.feed("250 ok\r\n");
    QCOMPARE(session.waitingFor(), W::Rcpt);
    session.feed("250 ok\r\n");
    QCOMPARE(session.waitingFor(), W::DataInit);
    session.feed("354 go\r\n");
    QCOMPARE(session.waitingFor(), W::DataEnd);
    session.feed("250 ok\r\n");
    QCOMPARE(session.waitingFor(), W::Nothing);
    QCOMPARE(session.completedTransactions(), 1);
    session.quit();
    QCOMPARE(session.waitingFor(), W::Quit);
}

void TestSmtpClientSession::capabilities()
{
    SmtpClientSession session(plainOptions(),
                              makeRequest(QString(), {QStringLiteral("a@dry.test")}, kBody, false, false));
    session.feed("220 mx\r\n");
    session.feed(
        "250-mx.test says hi\r\n250-pipelining\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
        "250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n");
    const SmtpServerCapabilities &caps = session.capabilities();
    QVERIFY(caps.esmtp);
    QVERIFY(caps.pipelining);
    QVERIFY(caps.sizeAnnounced);
    QCOMPARE(caps.sizeLimit, 52428800);
    QVERIFY(caps.eightBitMime);
    QVERIFY(caps.smtputf8);
    QVERIFY(caps.startTls);
    QVERIFY(caps.enhancedStatusCodes);
    QCOMPARE(caps.authMechanisms, (QStringList{QStringLiteral("PLAIN"), QStringLiteral("LOGIN")}));
}

QTEST_GUILESS_MAIN(TestSmtpClientSession)
#include "tst_smtpclientsession.moc"
