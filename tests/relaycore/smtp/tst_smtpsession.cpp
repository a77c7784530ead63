// Tests for SmtpSession and the reply table: protocol transcripts (every
// command in every state, every limit, strict CRLF handling and SMTP
// smuggling variants), each fed whole, one byte at a time, split after every
// CR and in random chunks — the replies and messages must not depend on how
// the network chunks the stream; the reply wire format and table; the EHLO
// keywords, the envelope handed over, the policy (pinned, failing, missing),
// timeouts, shutdown and STARTTLS. DATA fed in chunks, pipelining and the
// engine's verdicts: tst_smtpsessiondata.cpp.
#include "relaycore/smtp/smtpreply.h"
#include "relaycore/smtp/smtpsession.h"

#include "sessionharness.h"
#include "smtpsessionfixture.h"

#include <QTest>

Q_DECLARE_METATYPE(mailroute::Reply)

using namespace mailroute;
using namespace mailroute::testing;

namespace {

// Expected prefixes.
const char *const TX = "220 250 250:2.1.0 250:2.1.5 354";
const char *const QUEUED_BYE = "MSG 250:2.0.0 221:2.0.0 CLOSE";

struct Transcript
{
    QByteArray name;
    QByteArray input;
    QString expected;
    QByteArrayList messages; // empty: content not checked (the MSG count still is)
    QString variant;
    QString verdicts;
};

// Joins expected token lists.
QByteArray X(const char *a, const char *b = "", const char *c = "")
{
    return QByteArray(a) + ' ' + b + ' ' + c;
}

// A literal with embedded NULs, kept whole.
template <size_t N> QByteArray B(const char (&s)[N])
{
    return QByteArray(s, qsizetype(N - 1));
}

QByteArray line(char fill, qsizetype n)
{
    return QByteArray(n, fill);
}

std::vector<Transcript> transcripts()
{
    std::vector<Transcript> t;
    auto add = [&t](const char *name, const QByteArray &input, const QByteArray &expected,
                    const QByteArrayList &messages = {}, const QString &variant = {},
                    const QString &verdicts = {}) {
        t.push_back(Transcript{name, input, QString::fromLatin1(expected), messages, variant, verdicts});
    };
    const QByteArray tx = EHLO + MAIL + RCPT + DATA;

    // --- the basic dialogue
    add("simple", tx + TEXT + END + QUIT, X(TX, QUEUED_BYE), {TEXT});
    add("helo", HELO + MAIL + RCPT + DATA + TEXT + END + QUIT, X(TX, QUEUED_BYE), {TEXT});
    add("lower case verbs",
        "ehlo client.example\r\nmail from:<alice@example.org>\r\nrcpt to:<bob@example.net>\r\n"
        "data\r\n" +
            TEXT + END + "quit\r\n",
        X(TX, QUEUED_BYE), {TEXT});
    add("mixed case keywords",
        "Ehlo client.example\r\nMail From:<alice@example.org>\r\nRcpt To:<bob@example.net>\r\n"
        "Data\r\n" +
            TEXT + END + QUIT,
        X(TX, QUEUED_BYE), {TEXT});
    add("two messages", tx + TEXT + END + MAIL + RCPT2 + DATA + "second\r\n" + END + QUIT,
        X(TX, "MSG 250 250 250 354", QUEUED_BYE), {TEXT, "second\r\n"});
    add("three recipients", EHLO + MAIL + RCPT + RCPT2 + RCPT3 + DATA + TEXT + END + QUIT,
        X("220 250 250 250 250 250 354", QUEUED_BYE));
    add("quit at once", QUIT, "220 221:2.0.0 CLOSE");
    add("input after quit ignored", QUIT + EHLO + NOOP, "220 221 CLOSE");
    add("space after colon tolerated",
        EHLO + "MAIL FROM: <alice@example.org>\r\nRCPT TO: <bob@example.net>\r\n" + DATA + TEXT + END + QUIT,
        X(TX, QUEUED_BYE));
    add("trailing spaces tolerated", "EHLO client.example  \r\nNOOP \r\nQUIT \r\n", "220 250 250 221 CLOSE");
    add("ehlo twice", EHLO + EHLO + QUIT, "220 250 250 221 CLOSE");

    // --- every command in every state
    add("noop before ehlo", NOOP + "NOOP with an argument\r\n", "220 250:2.0.0 250:2.0.0");
    add("rset before ehlo", RSET + "MAIL FROM:<alice@example.org>\r\n", "220 250:2.0.0 503:5.5.1");
    add("rset with argument", EHLO + "RSET now\r\n", "220 250 501:5.5.4");
    add("quit with argument", "QUIT now\r\n" + NOOP, "220 501:5.5.4 250");
    add("vrfy", "VRFY bob\r\n" + EHLO + "VRFY <bob@example.net>\r\n", "220 252:2.0.0 250 252:2.0.0");
    add("vrfy without argument", "VRFY\r\n", "220 501:5.5.4");
    add("help", "HELP\r\nHELP MAIL\r\n", "220 214:2.0.0 214:2.0.0");
    add("expn not implemented", "EXPN staff\r\n", "220 502:5.5.1");
    add("bdat not offered", EHLO + MAIL + RCPT + "BDAT 10 LAST\r\n", "220 250 250 250 502:5.5.1");
    add("auth not offered", EHLO + "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "220 250 502:5.5.1");
    add("turn etrn not implemented", "TURN\r\nETRN example.org\r\n", "220 502:5.5.1 502:5.5.1");
    add("starttls without certificate", EHLO + "STARTTLS\r\n", "220 250 502:5.5.1");
    add("unknown command", "FOO bar\r\nMAILFROM:<a@b.example>\r\n", "220 500:5.5.2 500:5.5.2");
    add("empty line", "\r\n" + NOOP, "220 500:5.5.2 250");
    add("mail before ehlo", MAIL, "220 503:5.5.1");
    add("rcpt before ehlo", RCPT, "220 503:5.5.1");
    add("rcpt before mail", EHLO + RCPT, "220 250 503:5.5.1");
    add("data before ehlo", DATA, "220 503:5.5.1");
    add("data before mail", EHLO + DATA, "220 250 503:5.5.1");
    add("data without rcpt", EHLO + MAIL + DATA, "220 250 250 503:5.5.1");
    add("data with argument", EHLO + MAIL + RCPT + "DATA now\r\n", "220 250 250 250 501:5.5.4");
    add("nested mail", EHLO + MAIL + MAIL, "220 250 250 503:5.5.1");
    add("ehlo without argument", "EHLO\r\nHELO\r\n", "220 501:5.5.4 501:5.5.4");
    add("ehlo with 8-bit name", "EHLO cli\xc3\xa9nt.example\r\n" + MAIL, "220 501:5.5.4 503:5.5.1");
    add("ehlo resets transaction", EHLO + MAIL + EHLO + RCPT + MAIL, "220 250 250 250 503:5.5.1 250:2.1.0");
    add("rset resets transaction only", EHLO + MAIL + RCPT + RSET + RCPT + DATA + MAIL,
        "220 250 250 250 250:2.0.0 503:5.5.1 503:5.5.1 250:2.1.0");
    add("rset after rcpt then new transaction", EHLO + MAIL + RCPT + RSET + MAIL + RCPT2 + DATA + TEXT + END,
        "220 250 250 250 250 250 250 354 MSG 250:2.0.0");

    // --- MAIL FROM syntax and parameters
    add("mail without brackets", EHLO + "MAIL FROM:alice@example.org\r\n", "220 250 501:5.5.4");
    add("mail without from", EHLO + "MAIL <alice@example.org>\r\nMAIL\r\n", "220 250 501:5.5.4 501:5.5.4");
    add("mail junk after bracket", EHLO + "MAIL FROM:<alice@example.org>x\r\n", "220 250 501:5.5.4");
    add("mail unclosed bracket", EHLO + "MAIL FROM:<alice@example.org\r\n", "220 250 501:5.5.4");
    add("null sender", EHLO + "MAIL FROM:<>\r\n" + RCPT + DATA + TEXT + END, X(TX, "MSG 250"));
    add("bad sender syntax", EHLO + "MAIL FROM:<alice>\r\nMAIL FROM:<a@b@c.example>\r\n",
        "220 250 553:5.1.7 553:5.1.7");
    add("sender source route refused", EHLO + "MAIL FROM:<@relay.example:alice@example.org>\r\n",
        "220 250 553:5.1.7");
    add("size accepted", EHLO + "MAIL FROM:<alice@example.org> SIZE=100\r\n" + RCPT + DATA + TEXT + END,
        X(TX, "MSG 250"), {TEXT});
    add("size over limit", EHLO + "MAIL FROM:<alice@example.org> SIZE=2001\r\n" + RCPT,
        "220 250 552:5.3.4 503:5.5.1");
    add("size at limit", EHLO + "MAIL FROM:<alice@example.org> SIZE=2000\r\n", "220 250 250:2.1.0");
    add("size overflowing 64 bits", EHLO + "MAIL FROM:<alice@example.org> SIZE=99999999999999999999\r\n",
        "220 250 552:5.3.4");
    add("size malformed",
        EHLO + "MAIL FROM:<alice@example.org> SIZE=abc\r\nMAIL FROM:<alice@example.org> SIZE=\r\n"
               "MAIL FROM:<alice@example.org> SIZE=-1\r\n",
        "220 250 501:5.5.4 501:5.5.4 501:5.5.4");
    add("size twice", EHLO + "MAIL FROM:<alice@example.org> SIZE=10 SIZE=10\r\n", "220 250 501:5.5.4");
    add("body 8bitmime and 7bit",
        EHLO + "MAIL FROM:<alice@example.org> BODY=8BITMIME\r\n" + RSET +
            "MAIL FROM:<alice@example.org> body=7bit\r\n",
        "220 250 250 250 250");
    add("body binarymime not implemented", EHLO + "MAIL FROM:<alice@example.org> BODY=BINARYMIME\r\n",
        "220 250 504:5.5.4");
    add("body unknown value", EHLO + "MAIL FROM:<alice@example.org> BODY=9BIT\r\n", "220 250 501:5.5.4");
    add("unknown mail parameters",
        EHLO + "MAIL FROM:<alice@example.org> RET=FULL\r\nMAIL FROM:<alice@example.org> AUTH=<>\r\n",
        "220 250 555:5.5.4 555:5.5.4");
    add("several parameters", EHLO + "MAIL FROM:<alice@example.org> SIZE=50 BODY=8BITMIME SMTPUTF8\r\n",
        "220 250 250:2.1.0");

    // --- SMTPUTF8 (RFC 6531)
    add("utf8 sender without smtputf8", EHLO + "MAIL FROM:<j\xc3\xb6rg@example.org>\r\n",
        "220 250 553:5.6.7");
    add("utf8 sender with smtputf8",
        EHLO + "MAIL FROM:<j\xc3\xb6rg@example.org> SMTPUTF8\r\n" + RCPT + DATA + TEXT + END,
        X(TX, "MSG 250"));
    add("smtputf8 with value", EHLO + "MAIL FROM:<alice@example.org> SMTPUTF8=yes\r\n", "220 250 501:5.5.4");
    add("utf8 recipient without smtputf8", EHLO + MAIL + "RCPT TO:<m\xc3\xbcller@example.net>\r\n",
        "220 250 250 553:5.6.7");
    add("utf8 recipient with smtputf8",
        EHLO + "MAIL FROM:<alice@example.org> SMTPUTF8\r\n"
               "RCPT TO:<m\xc3\xbcller@example.net>\r\n",
        "220 250 250 250:2.1.5");
    add("idn domain without smtputf8",
        EHLO + MAIL +
            "RCPT TO:<bob@b\xc3\xbc"
            "cher.example>\r\n",
        "220 250 250 553:5.6.7");
    add("invalid utf8 with smtputf8",
        EHLO + "MAIL FROM:<alice@example.org> SMTPUTF8\r\nRCPT TO:<b\xff\xfe@example.net>\r\n",
        "220 250 250 553:5.1.3");

    // --- RCPT TO
    add("rcpt without brackets", EHLO + MAIL + "RCPT TO:bob@example.net\r\n", "220 250 250 501:5.5.4");
    add("rcpt null path", EHLO + MAIL + "RCPT TO:<>\r\n", "220 250 250 553:5.1.3");
    add("rcpt parameters not offered", EHLO + MAIL + "RCPT TO:<bob@example.net> NOTIFY=NEVER\r\n",
        "220 250 250 555:5.5.4");
    add("rcpt percent hack", EHLO + MAIL + "RCPT TO:<bob%evil.example@example.net>\r\n",
        "220 250 250 553:5.1.3");
    add("rcpt unqualified", EHLO + MAIL + "RCPT TO:<bob>\r\n", "220 250 250 553:5.1.3");
    add("rcpt postmaster",
        EHLO + MAIL + "RCPT TO:<postmaster>\r\nRCPT TO:<PostMaster>\r\n" + DATA + TEXT + END,
        "220 250 250 250:2.1.5 250:2.1.5 354 MSG 250");
    add("postmaster from null sender", EHLO + "MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\n", "220 250 250 250");
    add("rcpt quoted local part with bracket", EHLO + MAIL + "RCPT TO:<\"b>o b\"@example.net>\r\n",
        "220 250 250 250");
    add("recipient limit", EHLO + MAIL + RCPT + RCPT2 + RCPT3 + RCPT4 + DATA + TEXT + END,
        "220 250 250 250 250 250 452:4.5.3 354 MSG 250");
    add("recipient limit per transaction",
        EHLO + MAIL + RCPT + RCPT2 + RCPT3 + RSET + MAIL + RCPT + RCPT2 + RCPT3,
        "220 250 250 250 250 250 250 250 250 250 250");

    // --- policy verdicts
    add("policy rejects every rcpt", EHLO + MAIL + "RCPT TO:<reject@example.net>\r\n" + DATA,
        "220 250 250 550:5.7.1 554:5.5.1");
    add("policy rejects one rcpt",
        EHLO + MAIL + "RCPT TO:<reject@example.net>\r\n" + RCPT + DATA + TEXT + END,
        "220 250 250 550:5.7.1 250 354 MSG 250");
    add("policy tempfails rcpt", EHLO + MAIL + "RCPT TO:<tempfail@example.net>\r\n" + DATA,
        "220 250 250 450:4.2.0 554:5.5.1");
    add("policy rejects sender", EHLO + "MAIL FROM:<reject@example.org>\r\n" + RCPT + MAIL,
        "220 250 550:5.7.1 503:5.5.1 250");
    add("policy tempfails sender", EHLO + "MAIL FROM:<tempfail@example.org>\r\n", "220 250 451:4.7.1");
    add("policy throws",
        EHLO + "MAIL FROM:<throw@example.org>\r\n" + MAIL + "RCPT TO:<throw@example.net>\r\n",
        "220 250 451:4.3.0 250 451:4.3.0");
    add("policy reply of wrong class", EHLO + "MAIL FROM:<badclass@example.org>\r\n", "220 250 451:4.3.0");
    add("policy 421 closes", EHLO + MAIL + "RCPT TO:<close@example.net>\r\n" + NOOP,
        "220 250 250 421:4.3.0 CLOSE");
    add("policy rejects data", EHLO + MAIL + "RCPT TO:<nodata@example.net>\r\n" + DATA + RSET,
        "220 250 250 250 554:5.7.1 250");
    add("policy rejects message",
        tx + "X-Reject: yes\r\n\r\nbody\r\n" + END + MAIL + RCPT + DATA + TEXT + END,
        X(TX, "550:5.7.1 250 250 354 MSG 250"), {TEXT});
    add("policy rejects helo", "EHLO reject.example\r\n" + MAIL + EHLO + MAIL,
        "220 550:5.7.1 503:5.5.1 250 250");
    add("connection refused", EHLO + NOOP + MAIL + QUIT, "554:5.7.1 503:5.5.1 503:5.5.1 503:5.5.1 221 CLOSE",
        {}, QStringLiteral("refused"));
    add("connection tempfailed", EHLO + QUIT, "421:4.7.0 CLOSE", {}, QStringLiteral("tempfail"));

    // --- pipelining (RFC 2920)
    add("pipelined transaction", EHLO + MAIL + RCPT + RCPT2 + DATA + TEXT + END + QUIT,
        "220 250 250 250 250 354 MSG 250 221 CLOSE", {TEXT});
    add("pipelined after end of data",
        tx + TEXT + END + RSET + MAIL + RCPT2 + DATA + "two\r\n" + END + NOOP + QUIT,
        X(TX, "MSG 250:2.0.0 250 250 250 354 MSG 250:2.0.0 250 221 CLOSE"), {TEXT, "two\r\n"});
    add("spool refuses message", tx + TEXT + END + MAIL + RCPT + DATA + TEXT + END + QUIT,
        X(TX, "MSG 451:4.3.0 250 250 354 MSG 250:2.0.0 221 CLOSE"), {}, {}, QStringLiteral("RA"));
    add("spool refuses permanently", tx + TEXT + END + NOOP, X(TX, "MSG 554:5.7.1 250"), {}, {},
        QStringLiteral("P"));
    add("pipelined rcpts over limit",
        EHLO + MAIL + RCPT + RCPT2 + RCPT3 + RCPT4 + "RCPT TO:<frank@example.net>\r\n" + DATA,
        "220 250 250 250 250 250 452:4.5.3 452:4.5.3 354");

    // --- command line limit (512 octets including CRLF, RFC 5321 §4.5.3.1.4)
    add("command line at limit", "NOOP " + line('x', 505) + "\r\n" + NOOP, "220 250 250");
    add("command line over limit", "NOOP " + line('x', 506) + "\r\n" + NOOP, "220 500:5.5.2 250");
    add("overlong tail never executed", "NOOP " + line('x', 507) + "QUIT\r\n" + NOOP, "220 500:5.5.2 250");
    add("overlong with CR at the limit", "NOOP " + line('x', 506) + "\r\nQUIT\r\n",
        "220 500:5.5.2 221 CLOSE");
    add("overlong with bare LF in tail", "NOOP " + line('x', 600) + "\nQUIT\r\nNOOP\r\n",
        "220 500:5.5.2 250");
    add("very long command line", "NOOP " + line('y', 5000) + "\r\n" + NOOP, "220 500:5.5.2 250");
    add("overlong mail never executed",
        EHLO + "MAIL FROM:<" + line('a', 60) + "@example.org> " + line(' ', 500) + "\r\n" + RCPT,
        "220 250 500:5.5.2 503:5.5.1");

    // --- bare CR / bare LF / NUL in commands (docs/behaviour.md "Strict input")
    add("bare LF does not end a command", "NOOP\nNOOP\r\n", "220 500:5.5.2");
    add("bare CR does not end a command", "NOOP\rQUIT\r\n" + NOOP, "220 500:5.5.2 250");
    add("line ending in bare LF only", "QUIT\n", "220");
    add("NUL in command", EHLO + B("MAIL FROM:<alice@example.org>\0\r\n") + RCPT,
        "220 250 500:5.5.2 503:5.5.1");
    add("bare LF hides a second rcpt",
        EHLO + MAIL + "RCPT TO:<bob@example.net>\nRCPT TO:<eve@example.net>\r\n" + DATA,
        "220 250 250 500:5.5.2 503:5.5.1");
    add("LF CR is not a line end", "NOOP\n\rNOOP\r\n", "220 500:5.5.2");

    // --- DATA: dot-unstuffing (RFC 5321 §4.5.2)
    add("empty message", tx + END, X(TX, "MSG 250"), {QByteArray()});
    add("dot unstuffing", tx + "..leading dot\r\n...\r\n. space\r\n.x\r\nend.\r\n" + END, X(TX, "MSG 250"),
        {".leading dot\r\n..\r\n space\r\nx\r\nend.\r\n"});
    add("double dot line", tx + "a\r\n..\r\nb\r\n" + END, X(TX, "MSG 250"), {"a\r\n.\r\nb\r\n"});
    add("dot inside line", tx + "a.\r\n.b.\r\n" + END, X(TX, "MSG 250"), {"a.\r\nb.\r\n"});
    add("commands inside data are text", tx + "MAIL FROM:<x@y.example>\r\nQUIT\r\n" + END + NOOP,
        X(TX, "MSG 250 250"), {"MAIL FROM:<x@y.example>\r\nQUIT\r\n"});
    add("eight bit text",
        EHLO + "MAIL FROM:<alice@example.org> BODY=8BITMIME\r\n" + RCPT + DATA + "gr\xc3\xbc\xc3\x9f\r\n" +
            END,
        X(TX, "MSG 250"), {"gr\xc3\xbc\xc3\x9f\r\n"});
    add("crlf crlf before dot", tx + "a\r\n\r\n" + END, X(TX, "MSG 250"), {"a\r\n\r\n"});

    // --- DATA: bare CR / LF / NUL — one message or none, never two (SMTP smuggling)
    const QByteArray smuggled =
        "MAIL FROM:<eve@evil.example>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nforged\r\n";
    add("smuggle LF.LF", tx + "a\r\n\n.\n" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle CR.CR", tx + "a\r\n\r.\r" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle CRLF.LF", tx + "a\r\n.\n" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle LF.CRLF", tx + "a\n.\r\n" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle CRLF.CR", tx + "a\r\n.\r" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle CR.LF", tx + "a\r.\n" + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle NUL", tx + B("a\r\n.\0\r\n") + smuggled + END + QUIT, X(TX, "554:5.6.0 221 CLOSE"));
    add("smuggle LF only message end", tx + "a\n.\nQUIT\n", TX);
    add("NUL in text", tx + B("a\0b\r\n") + END + NOOP, X(TX, "554:5.6.0 250"));
    add("bare CR in text", tx + "a\rb\r\n" + END + NOOP, X(TX, "554:5.6.0 250"));
    add("bare LF in text", tx + "a\nb\r\n" + END + NOOP, X(TX, "554:5.6.0 250"));
    add("CR CR LF in text", tx + "a\r\r\n" + END + NOOP, X(TX, "554:5.6.0 250"));
    add("bare LF then valid message", tx + "a\nb\r\n" + END + MAIL + RCPT + DATA + TEXT + END,
        X(TX, "554:5.6.0 250 250 354 MSG 250"), {TEXT});
    add("dot LF dot CRLF", tx + ".\n.\r\n" + END, X(TX, "554:5.6.0"));

    // --- text line limit (1000 octets including CRLF, RFC 5321 §4.5.3.1.6)
    add("text line at limit", tx + line('t', 998) + "\r\n" + END, X(TX, "MSG 250"),
        {line('t', 998) + "\r\n"});
    add("text line over limit", tx + line('t', 999) + "\r\n" + END + NOOP, X(TX, "554:5.6.0 250"));
    add("stuffed dot not counted", tx + "." + line('.', 998) + "\r\n" + END, X(TX, "MSG 250"),
        {line('.', 998) + "\r\n"});
    add("long line then valid message", tx + line('t', 1500) + "\r\n" + END + MAIL + RCPT + DATA + TEXT + END,
        X(TX, "554:5.6.0 250 250 354 MSG 250"), {TEXT});

    // --- message size limit (2000 in these tests; RFC 1870)
    const QByteArray exact = line('s', 998) + "\r\n" + line('s', 998) + "\r\n"; // 2000 octets
    add("message at size limit", tx + exact + END, X(TX, "MSG 250"), {exact});
    add("message over size limit", tx + exact + "s\r\n" + END + NOOP, X(TX, "552:5.3.4 250"));
    add("size counted after unstuffing", tx + "." + line('s', 998) + "\r\n." + line('s', 998) + "\r\n" + END,
        X(TX, "MSG 250"), {exact});
    add("declared small, actually too big",
        EHLO + "MAIL FROM:<alice@example.org> SIZE=10\r\n" + RCPT + DATA + exact + exact + END + NOOP,
        X(TX, "552:5.3.4 250"));
    add("too big wins over bad line end", tx + "a\nb\r\n" + exact + END, X(TX, "552:5.3.4"));

    // --- error limit (3 in these rows)
    add("error limit", "FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n", "220 500 500 500 421:4.7.0 CLOSE", {},
        QStringLiteral("errors3"));
    add("mixed errors reach the limit", EHLO + DATA + "MAIL FROM:<alice>\r\n" + RCPT + NOOP,
        "220 250 503 553 503 421:4.7.0 CLOSE", {}, QStringLiteral("errors3"));
    add("too many recipients is not an error",
        EHLO + MAIL + RCPT + RCPT2 + RCPT3 + RCPT4 + RCPT4 + RCPT4 + RCPT4 + DATA + TEXT + END,
        "220 250 250 250 250 250 452 452 452 452 354 MSG 250", {}, QStringLiteral("errors3"));
    add("delivered message resets error count",
        EHLO + "FOO\r\nFOO\r\n" + MAIL + RCPT + DATA + TEXT + END + "FOO\r\nFOO\r\n" + NOOP,
        "220 250 500 500 250 250 354 MSG 250 500 500 250", {}, QStringLiteral("errors3"));
    add("overlong lines count as errors",
        line('z', 600) + "\r\n" + line('z', 600) + "\r\n" + line('z', 600) + "\r\n",
        "220 500 500 500 421:4.7.0 CLOSE", {}, QStringLiteral("errors3"));

    // --- STARTTLS (RFC 3207)
    add("starttls discards pipelined plaintext", EHLO + "STARTTLS\r\n" + MAIL + RCPT, "220 250 220:2.0.0 TLS",
        {}, QStringLiteral("tls"));
    add("starttls with argument", EHLO + "STARTTLS now\r\n", "220 250 501:5.5.4", {}, QStringLiteral("tls"));

    // --- every command in every state (RFC 5321 §4.1.4, §4.3.2), with and
    // without a certificate for STARTTLS.
    struct State
    {
        const char *name;
        QByteArray prefix;
        const char *prefixReplies;
        const char *variant;
    };
    const State states[] = {
        {"greeted", "", "220", ""},
        {"ready", EHLO, "220 250", ""},
        {"mail", EHLO + MAIL, "220 250 250", ""},
        {"rcpt", EHLO + MAIL + RCPT, "220 250 250 250", ""},
        {"refused", "", "554:5.7.1", "refused"},
        {"greeted+tls", "", "220", "tls"},
        {"ready+tls", EHLO, "220 250", "tls"},
        {"rcpt+tls", EHLO + MAIL + RCPT, "220 250 250 250", "tls"},
    };
    struct Command
    {
        const char *line;
        // expected reply in: greeted, ready, mail, rcpt, refused; STARTTLS
        // differs with a certificate and is listed separately.
        const char *replies[5];
    };
    const Command commands[] = {
        {"EHLO client.example", {"250", "250", "250", "250", "503:5.5.1"}},
        {"HELO client.example", {"250", "250", "250", "250", "503:5.5.1"}},
        {"MAIL FROM:<alice@example.org>", {"503:5.5.1", "250:2.1.0", "503:5.5.1", "503:5.5.1", "503:5.5.1"}},
        {"RCPT TO:<bob@example.net>", {"503:5.5.1", "503:5.5.1", "250:2.1.5", "250:2.1.5", "503:5.5.1"}},
        {"DATA", {"503:5.5.1", "503:5.5.1", "503:5.5.1", "354", "503:5.5.1"}},
        {"RSET", {"250:2.0.0", "250:2.0.0", "250:2.0.0", "250:2.0.0", "503:5.5.1"}},
        {"NOOP", {"250:2.0.0", "250:2.0.0", "250:2.0.0", "250:2.0.0", "503:5.5.1"}},
        {"QUIT",
         {"221:2.0.0 CLOSE", "221:2.0.0 CLOSE", "221:2.0.0 CLOSE", "221:2.0.0 CLOSE", "221:2.0.0 CLOSE"}},
        {"VRFY bob", {"252:2.0.0", "252:2.0.0", "252:2.0.0", "252:2.0.0", "503:5.5.1"}},
        {"HELP", {"214:2.0.0", "214:2.0.0", "214:2.0.0", "214:2.0.0", "503:5.5.1"}},
        {"EXPN staff", {"502:5.5.1", "502:5.5.1", "502:5.5.1", "502:5.5.1", "503:5.5.1"}},
        {"BDAT 1 LAST", {"502:5.5.1", "502:5.5.1", "502:5.5.1", "502:5.5.1", "503:5.5.1"}},
        {"XYZZY", {"500:5.5.2", "500:5.5.2", "500:5.5.2", "500:5.5.2", "503:5.5.1"}},
        {"STARTTLS", {"502:5.5.1", "502:5.5.1", "502:5.5.1", "502:5.5.1", "503:5.5.1"}},
    };
    for (const State &st : states) {
        const QByteArray stateName(st.name);
        const bool tls = QByteArray(st.variant) == "tls";
        const int column = stateName.startsWith("greeted") ? 0
                           : stateName.startsWith("ready") ? 1
                           : stateName.startsWith("mail")  ? 2
                           : stateName.startsWith("rcpt")  ? 3
                                                           : 4;
        for (const Command &c : commands) {
            const QByteArray cmd(c.line);
            if (tls && cmd != "STARTTLS")
                continue; // only STARTTLS depends on the certificate
            QByteArray reply = c.replies[column];
            if (tls)
                reply = column == 3 ? "503:5.5.1" : "220:2.0.0 TLS"; // no STARTTLS inside a transaction
            const QByteArray name =
                "matrix " + stateName + ": " + cmd.left(cmd.indexOf(' ') < 0 ? cmd.size() : cmd.indexOf(' '));
            t.push_back(Transcript{name,
                                   st.prefix + cmd + "\r\n",
                                   QString::fromLatin1(QByteArray(st.prefixReplies) + ' ' + reply),
                                   {},
                                   QString::fromLatin1(st.variant),
                                   {}});
        }
    }
    return t;
}

} // namespace

class TestSmtpSession : public QObject
{
    Q_OBJECT

private slots:
    void transcript_data();
    void transcript();

    void replyWire_data();
    void replyWire();
    void replyTable_data();
    void replyTable();

    void ehloAdvertisement_data();
    void ehloAdvertisement();
    void envelopeCarriesSessionAndTransaction();
    void rejectedRecipientsAreNotInEnvelope();
    void policyIsPinnedForTheTransaction();
    void policyFailureDetailOnlyInDiagnostic();
    void missingPolicyIsInternalError();
    void timeoutKinds();
    void timedOut();
    void shutdown_data();
    void shutdown();
    void startTlsStartsOver();
};

void TestSmtpSession::transcript_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QByteArrayList>("messages");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("verdicts");
    QTest::addColumn<int>("mode");
    for (const Transcript &t : transcripts()) {
        for (SplitMode m : {SplitMode::Whole, SplitMode::Bytes, SplitMode::AfterCR, SplitMode::Random}) {
            QTest::addRow("%s/%s", t.name.constData(), splitModeName(m))
                << t.input << t.expected << t.messages << t.variant << t.verdicts << int(m);
        }
    }
}

void TestSmtpSession::transcript()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(QByteArrayList, messages);
    QFETCH(QString, variant);
    QFETCH(QString, verdicts);
    QFETCH(int, mode);

    SessionHarness h(configFor(variant), clientFor(variant), fixedPolicy(std::make_shared<ScriptedPolicy>()),
                     verdicts);
    h.start();
    h.feedAll(splitInput(input, SplitMode(mode), stableSeed(QTest::currentDataTag())));

    QVERIFY2(!h.malformedWire, h.wire.constData());
    QCOMPARE(normalizedTokens(h.tokens, expected), expected.simplified());
    const qsizetype msgTokens = h.tokens.count(QStringLiteral("MSG"));
    QCOMPARE(h.messages.size(), msgTokens);
    if (!messages.isEmpty())
        QCOMPARE(h.messageData(), messages);
    // Internal details never reach the client.
    QVERIFY(!h.wire.contains("secret"));
}

void TestSmtpSession::replyWire_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("enhanced");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("single") << 250 << QByteArray("2.0.0") << QByteArray("Ok")
                            << QByteArray("250 2.0.0 Ok\r\n");
    QTest::newRow("no enhanced") << 220 << QByteArray() << QByteArray("relay ESMTP")
                                 << QByteArray("220 relay ESMTP\r\n");
    QTest::newRow("multi-line") << 250 << QByteArray() << QByteArray("relay\nPIPELINING\nSMTPUTF8")
                                << QByteArray("250-relay\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n");
    QTest::newRow("multi-line enhanced on every line")
        << 550 << QByteArray("5.7.1") << QByteArray("a\nb") << QByteArray("550-5.7.1 a\r\n550 5.7.1 b\r\n");
    QTest::newRow("empty text") << 250 << QByteArray("2.0.0") << QByteArray() << QByteArray("250 2.0.0\r\n");
    QTest::newRow("empty text no enhanced") << 354 << QByteArray() << QByteArray() << QByteArray("354 \r\n");
    QTest::newRow("CR and NUL neutralised")
        << 250 << QByteArray("2.0.0") << QByteArray("a\rb\0c", 5) << QByteArray("250 2.0.0 a?b?c\r\n");
    QTest::newRow("8-bit neutralised")
        << 250 << QByteArray() << QByteArray("caf\xc3\xa9") << QByteArray("250 caf??\r\n");
}

void TestSmtpSession::replyWire()
{
    QFETCH(int, code);
    QFETCH(QByteArray, enhanced);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, wire);
    const Reply r{code, enhanced, text};
    QCOMPARE(r.toWire(), wire);
    QByteArray appended = "prefix";
    r.appendWire(appended);
    QCOMPARE(appended, QByteArray("prefix") + wire);
}

void TestSmtpSession::replyTable_data()
{
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("enhanced");
    const QByteArray h = "relay.example.com";
    QTest::newRow("greeting") << replies::greeting(h) << 220 << QByteArray();
    QTest::newRow("bye") << replies::bye(h) << 221 << QByteArray("2.0.0");
    QTest::newRow("helo") << replies::helo(h) << 250 << QByteArray();
    QTest::newRow("ehlo") << replies::ehlo(h, "PIPELINING") << 250 << QByteArray();
    QTest::newRow("ok") << replies::ok() << 250 << QByteArray("2.0.0");
    QTest::newRow("senderOk") << replies::senderOk() << 250 << QByteArray("2.1.0");
    QTest::newRow("recipientOk") << replies::recipientOk() << 250 << QByteArray("2.1.5");
    QTest::newRow("queued") << replies::queued("ABC123") << 250 << QByteArray("2.0.0");
    QTest::newRow("cannotVerify") << replies::cannotVerify() << 252 << QByteArray("2.0.0");
    QTest::newRow("help") << replies::help() << 214 << QByteArray("2.0.0");
    QTest::newRow("readyToStartTls") << replies::readyToStartTls() << 220 << QByteArray("2.0.0");
    QTest::newRow("startMailInput") << replies::startMailInput() << 354 << QByteArray();
    QTest::newRow("shuttingDown") << replies::shuttingDown(h) << 421 << QByteArray("4.3.2");
    QTest::newRow("tooManySessions") << replies::tooManySessions(h) << 421 << QByteArray("4.7.0");
    QTest::newRow("tooManyErrors") << replies::tooManyErrors(h) << 421 << QByteArray("4.7.0");
    QTest::newRow("timeout") << replies::timeout(h) << 421 << QByteArray("4.4.2");
    QTest::newRow("pipelineOverflow") << replies::pipelineOverflow(h) << 421 << QByteArray("4.7.0");
    QTest::newRow("internalError") << replies::internalError() << 451 << QByteArray("4.3.0");
    QTest::newRow("tooManyRecipients") << replies::tooManyRecipients() << 452 << QByteArray("4.5.3");
    QTest::newRow("tlsNotAvailable") << replies::tlsNotAvailable() << 454 << QByteArray("4.7.0");
    QTest::newRow("commandUnrecognized") << replies::commandUnrecognized() << 500 << QByteArray("5.5.2");
    QTest::newRow("emptyCommand") << replies::emptyCommand() << 500 << QByteArray("5.5.2");
    QTest::newRow("lineTooLong") << replies::lineTooLong() << 500 << QByteArray("5.5.2");
    QTest::newRow("bareLineEnding") << replies::bareLineEnding() << 500 << QByteArray("5.5.2");
    QTest::newRow("syntax") << replies::syntax("DATA") << 501 << QByteArray("5.5.4");
    QTest::newRow("badParameter") << replies::badParameter() << 501 << QByteArray("5.5.4");
    QTest::newRow("badSizeParameter") << replies::badSizeParameter() << 501 << QByteArray("5.5.4");
    QTest::newRow("badBodyParameter") << replies::badBodyParameter() << 501 << QByteArray("5.5.4");
    QTest::newRow("badHelo") << replies::badHelo() << 501 << QByteArray("5.5.4");
    QTest::newRow("commandNotImplemented") << replies::commandNotImplemented() << 502 << QByteArray("5.5.1");
    QTest::newRow("needHelo") << replies::needHelo() << 503 << QByteArray("5.5.1");
    QTest::newRow("nestedMail") << replies::nestedMail() << 503 << QByteArray("5.5.1");
    QTest::newRow("needMail") << replies::needMail() << 503 << QByteArray("5.5.1");
    QTest::newRow("needRecipient") << replies::needRecipient() << 503 << QByteArray("5.5.1");
    QTest::newRow("transactionInProgress") << replies::transactionInProgress() << 503 << QByteArray("5.5.1");
    QTest::newRow("tlsAlreadyActive") << replies::tlsAlreadyActive() << 503 << QByteArray("5.5.1");
    QTest::newRow("badSequenceRejected") << replies::badSequenceRejected() << 503 << QByteArray("5.5.1");
    QTest::newRow("parameterNotImplemented")
        << replies::parameterNotImplemented() << 504 << QByteArray("5.5.4");
    QTest::newRow("relayDenied") << replies::relayDenied() << 550 << QByteArray("5.7.1");
    QTest::newRow("messageTooBig") << replies::messageTooBig() << 552 << QByteArray("5.3.4");
    QTest::newRow("needSmtputf8") << replies::needSmtputf8() << 553 << QByteArray("5.6.7");
    QTest::newRow("badSenderSyntax") << replies::badSenderSyntax() << 553 << QByteArray("5.1.7");
    QTest::newRow("badRecipientSyntax") << replies::badRecipientSyntax() << 553 << QByteArray("5.1.3");
    QTest::newRow("hopLimitExceeded") << replies::hopLimitExceeded() << 554 << QByteArray("5.4.6");
    QTest::newRow("noValidRecipients") << replies::noValidRecipients() << 554 << QByteArray("5.5.1");
    QTest::newRow("badMessageLineEnding") << replies::badMessageLineEnding() << 554 << QByteArray("5.6.0");
    QTest::newRow("messageLineTooLong") << replies::messageLineTooLong() << 554 << QByteArray("5.6.0");
    QTest::newRow("connectionRefused") << replies::connectionRefused() << 554 << QByteArray("5.7.1");
    QTest::newRow("parameterNotRecognized")
        << replies::parameterNotRecognized() << 555 << QByteArray("5.5.4");
}

void TestSmtpSession::replyTable()
{
    QFETCH(Reply, reply);
    QFETCH(int, code);
    QFETCH(QByteArray, enhanced);
    QCOMPARE(reply.code, code);
    QCOMPARE(reply.enhanced, enhanced);
    QVERIFY(!reply.text.isEmpty());
    // RFC 3463 §3.1: the class digit of the enhanced code matches the reply.
    if (!enhanced.isEmpty())
        QCOMPARE(enhanced.at(0), QByteArray::number(code).at(0));
    // Replies that close name the server first (RFC 5321 §4.2).
    if (code == 220 && enhanced.isEmpty())
        QVERIFY(reply.text.startsWith("relay.example.com"));
    if (code == 421 || code == 221)
        QVERIFY(reply.text.startsWith("relay.example.com"));
    QCOMPARE(reply.closesConnection(), code == 421);
}

void TestSmtpSession::ehloAdvertisement_data()
{
    QTest::addColumn<bool>("tlsAvailable");
    QTest::addColumn<QStringList>("lines");
    QTest::newRow("without certificate")
        << false << QStringList{QStringLiteral("250-relay.example.com"),   QStringLiteral("250-PIPELINING"),
                                QStringLiteral("250-SIZE 2000"),           QStringLiteral("250-8BITMIME"),
                                QStringLiteral("250-ENHANCEDSTATUSCODES"), QStringLiteral("250 SMTPUTF8")};
    QTest::newRow("with certificate") << true
                                      << QStringList{QStringLiteral("250-relay.example.com"),
                                                     QStringLiteral("250-PIPELINING"),
                                                     QStringLiteral("250-SIZE 2000"),
                                                     QStringLiteral("250-8BITMIME"),
                                                     QStringLiteral("250-ENHANCEDSTATUSCODES"),
                                                     QStringLiteral("250-STARTTLS"),
                                                     QStringLiteral("250 SMTPUTF8")};
}

void TestSmtpSession::ehloAdvertisement()
{
    QFETCH(bool, tlsAvailable);
    QFETCH(QStringList, lines);
    SessionConfig c = configFor(QString());
    c.tlsAvailable = tlsAvailable;
    SessionHarness h(c, kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO);
    QCOMPARE(h.replyLines.mid(1), lines);
    QVERIFY(!h.wire.contains("CHUNKING"));
    // HELO gets the short form.
    h.feed(HELO);
    QCOMPARE(h.replyLines.last(), QStringLiteral("250 relay.example.com"));
}

void TestSmtpSession::envelopeCarriesSessionAndTransaction()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>(42)));
    h.start();
    h.feed(EHLO +
           "MAIL FROM:<Alice@Example.ORG> SIZE=22 BODY=8BITMIME SMTPUTF8\r\n"
           "RCPT TO:<bob@example.net>\r\nRCPT TO:<postmaster>\r\n" +
           DATA + TEXT + END);
    QCOMPARE(h.messages.size(), 1);
    const ReceivedMessage &m = h.messages.first();
    QCOMPARE(m.session.clientAddress, kClient);
    QCOMPARE(m.session.clientPort, quint16(40000));
    QCOMPARE(m.session.heloName, QStringLiteral("client.example"));
    QVERIFY(m.session.esmtp);
    QVERIFY(!m.session.tls);
    const Transaction &tx = m.transaction;
    QVERIFY(!tx.nullSender);
    QCOMPARE(tx.senderText, QStringLiteral("Alice@Example.ORG"));
    QCOMPARE(tx.sender.localPart, QStringLiteral("Alice"));
    QCOMPARE(tx.sender.domain, QStringLiteral("example.org"));
    QCOMPARE(tx.senderRouting.route.ruleSource, QStringLiteral("sender-rule"));
    QCOMPARE(tx.parameters.declaredSize, qint64(22));
    QCOMPARE(tx.parameters.body, BodyType::EightBitMime);
    QVERIFY(tx.parameters.bodyGiven);
    QVERIFY(tx.parameters.smtputf8);
    QCOMPARE(tx.generation, qint64(42));
    QCOMPARE(tx.recipients.size(), 2);
    QCOMPARE(tx.recipients[0].original, QStringLiteral("bob@example.net"));
    QVERIFY(!tx.recipients[0].postmasterAlias);
    QCOMPARE(tx.recipients[0].routing.area, std::optional<Area>(Area::Inbound));
    QCOMPARE(tx.recipients[0].routing.route.address.toString(), QStringLiteral("bob@rewritten.example"));
    QCOMPARE(tx.recipients[1].original, QStringLiteral("postmaster"));
    QVERIFY(tx.recipients[1].postmasterAlias);
    QCOMPARE(tx.recipients[1].address.toString(), QStringLiteral("postmaster@relay.example.com"));
    QCOMPARE(tx.data, TEXT);

    // The next transaction starts empty: nothing leaks from the last one.
    h.feed("MAIL FROM:<>\r\n" + RCPT + DATA + END);
    QCOMPARE(h.messages.size(), 2);
    const Transaction &tx2 = h.messages[1].transaction;
    QVERIFY(tx2.nullSender);
    QVERIFY(tx2.senderText.isEmpty());
    QCOMPARE(tx2.parameters.declaredSize, qint64(-1));
    QCOMPARE(tx2.parameters.body, BodyType::SevenBit);
    QVERIFY(!tx2.parameters.smtputf8);
    QCOMPARE(tx2.recipients.size(), 1);
    QVERIFY(tx2.data.isEmpty());
}

void TestSmtpSession::rejectedRecipientsAreNotInEnvelope()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO + MAIL + "RCPT TO:<reject@example.net>\r\n" + RCPT + "RCPT TO:<tempfail@example.net>\r\n" +
           RCPT2 + RCPT3 + RCPT4 + DATA + TEXT + END);
    QCOMPARE(h.messages.size(), 1);
    QStringList rcpts;
    for (const EnvelopeRecipient &r : h.messages.first().transaction.recipients)
        rcpts << r.original;
    QCOMPARE(rcpts, (QStringList{QStringLiteral("bob@example.net"), QStringLiteral("carol@example.net"),
                                 QStringLiteral("dave@example.net")}));
}

void TestSmtpSession::policyIsPinnedForTheTransaction()
{
    // docs/behaviour.md "Draft, push and generations": a pushed generation applies to new transactions only.
    auto current = std::make_shared<std::shared_ptr<const SmtpPolicy>>(std::make_shared<ScriptedPolicy>(1));
    int calls = 0;
    PolicySource source = [current, &calls] {
        ++calls;
        return *current;
    };
    SessionHarness h(configFor(QString()), kClient, source);
    h.start();
    h.feed(EHLO + MAIL);
    const int callsAfterMail = calls;
    *current = std::make_shared<ScriptedPolicy>(2); // the push
    h.feed(RCPT + DATA + TEXT + END);
    QCOMPARE(calls, callsAfterMail); // RCPT, DATA and message end ask the pinned policy
    h.feed(MAIL + RCPT + DATA + TEXT + END);
    QCOMPARE(h.messages.size(), 2);
    QCOMPARE(h.messages[0].transaction.generation, qint64(1));
    QCOMPARE(h.messages[1].transaction.generation, qint64(2));
}

void TestSmtpSession::policyFailureDetailOnlyInDiagnostic()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO + "MAIL FROM:<throw@example.org>\r\nMAIL FROM:<badclass@example.org>\r\n");
    QCOMPARE(h.replyLines.mid(h.replyLines.size() - 2),
             (QStringList{QStringLiteral("451 4.3.0 Error: internal error, try again later"),
                          QStringLiteral("451 4.3.0 Error: internal error, try again later")}));
    QCOMPARE(h.diagnostics.size(), 2);
    QVERIFY(h.diagnostics[0].contains(QStringLiteral("database on fire")));
    QVERIFY(h.diagnostics[1].contains(QStringLiteral("250")));
    QVERIFY(!h.wire.contains("fire"));
}

void TestSmtpSession::missingPolicyIsInternalError()
{
    SessionHarness h(configFor(QString()), kClient, [] { return std::shared_ptr<const SmtpPolicy>(); });
    h.start();
    QCOMPARE(h.tokens, (QStringList{QStringLiteral("451:4.3.0"), QStringLiteral("CLOSE")}));
    QCOMPARE(h.diagnostics.size(), 1);
}

void TestSmtpSession::timeoutKinds()
{
    SessionConfig c = configFor(QString());
    c.limits.commandTimeout = std::chrono::seconds(300);
    c.limits.dataTimeout = std::chrono::seconds(600);
    SessionHarness h(c, kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    SmtpSession &s = h.session();
    QCOMPARE(s.timeoutKind(), TimeoutKind::None);
    h.start();
    QCOMPARE(s.timeoutKind(), TimeoutKind::Command);
    QCOMPARE(s.timeoutInterval(), std::chrono::seconds(300));
    h.setAutoVerdict(false);
    h.feed(EHLO + MAIL + RCPT + DATA);
    QCOMPARE(s.state(), SessionState::Data);
    QCOMPARE(s.timeoutKind(), TimeoutKind::Data);
    QCOMPARE(s.timeoutInterval(), std::chrono::seconds(600));
    h.feed(TEXT + END);
    QCOMPARE(s.state(), SessionState::AwaitingVerdict);
    QCOMPARE(s.timeoutKind(), TimeoutKind::None); // the client waits for us, not we for it
    QCOMPARE(s.timeoutInterval(), std::chrono::seconds(0));
    s.timedOut(); // no timer runs now: ignored
    h.drain();
    QVERIFY(!s.isClosed());
    s.messageAccepted("Q1");
    h.drain();
    QCOMPARE(s.state(), SessionState::Ready);
    QCOMPARE(s.timeoutKind(), TimeoutKind::Command);
    h.feed(QUIT);
    QCOMPARE(s.timeoutKind(), TimeoutKind::None);
}

void TestSmtpSession::timedOut()
{
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO + MAIL + RCPT + DATA + "partial text");
    h.session().timedOut();
    h.drain();
    QCOMPARE(h.tokens.mid(h.tokens.size() - 2),
             (QStringList{QStringLiteral("421:4.4.2"), QStringLiteral("CLOSE")}));
    QVERIFY(h.messages.isEmpty());
    h.feed("\r\n.\r\n");
    QCOMPARE(h.tokens.last(), QStringLiteral("CLOSE"));
    QVERIFY(h.messages.isEmpty());
}

void TestSmtpSession::shutdown_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("autoVerdict");
    QTest::newRow("idle") << QByteArray() << true;
    QTest::newRow("after ehlo") << EHLO << true;
    QTest::newRow("in transaction") << QByteArray(EHLO + MAIL + RCPT) << true;
    QTest::newRow("in data") << QByteArray(EHLO + MAIL + RCPT + DATA + "abc") << true;
    QTest::newRow("awaiting verdict") << QByteArray(EHLO + MAIL + RCPT + DATA + TEXT + END) << false;
}

void TestSmtpSession::shutdown()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, autoVerdict);
    SessionHarness h(configFor(QString()), kClient, fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.setAutoVerdict(autoVerdict);
    h.start();
    h.feed(input);
    h.session().shutdown();
    h.drain();
    QCOMPARE(h.tokens.mid(h.tokens.size() - 2),
             (QStringList{QStringLiteral("421:4.3.2"), QStringLiteral("CLOSE")}));
    QVERIFY(h.session().isClosed());
    const int actions = h.actionCount;
    h.feed(NOOP);
    h.session().shutdown();
    h.session().messageAccepted("late");
    h.drain();
    QCOMPARE(h.actionCount - actions, 1); // only a Diagnostic for the late verdict
    QCOMPARE(h.tokens.count(QStringLiteral("CLOSE")), 1);
}

void TestSmtpSession::startTlsStartsOver()
{
    SessionHarness h(configFor(QStringLiteral("tls")), kClient,
                     fixedPolicy(std::make_shared<ScriptedPolicy>()));
    h.start();
    h.feed(EHLO + MAIL + "STARTTLS\r\n" + RSET + "STARTTLS\r\n" + MAIL +
           "RCPT TO:<injected@example.net>\r\n");
    QCOMPARE(h.tokens.join(QLatin1Char(' ')),
             QStringLiteral("220 250 250:2.1.0 503:5.5.1 250:2.0.0 220:2.0.0 TLS"));
    QCOMPARE(h.session().state(), SessionState::TlsHandshake);
    h.feed("RCPT TO:<more-plaintext@example.net>\r\n"); // still before the handshake: discarded
    h.session().tlsEstablished();
    h.drain();
    QCOMPARE(h.session().sessionInfo().tls, true);
    QVERIFY(h.session().sessionInfo().heloName.isEmpty());
    h.replyLines.clear();
    // The transaction and the EHLO are gone (RFC 3207 §4.2); STARTTLS is no
    // longer offered or accepted.
    h.feed(RCPT + MAIL + EHLO + "STARTTLS\r\n" + MAIL + RCPT + DATA + TEXT + END);
    QVERIFY(!h.replyLines.contains(QStringLiteral("250-STARTTLS")));
    const QString expected = QStringLiteral("503:5.5.1 503:5.5.1 250 503:5.5.1 250 250 354 MSG 250");
    QCOMPARE(normalizedTokens(h.tokens.mid(7), expected), expected);
    QCOMPARE(h.messages.size(), 1);
    QVERIFY(h.messages.first().session.tls);
    QCOMPARE(h.messages.first().transaction.recipients.size(), 1);
}

QTEST_GUILESS_MAIN(TestSmtpSession)
#include "tst_smtpsession.moc"
