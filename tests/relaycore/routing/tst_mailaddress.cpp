// Tests for parseMailbox / normalizeDomain: valid spellings and the hostile
// inputs of docs/behaviour.md "Strict input" ("never treated as deliverable to
// another domain").
#include "relaycore/routing/mailaddress.h"

#include <QTest>

using namespace mailroute;

class TestMailAddress : public QObject
{
    Q_OBJECT

private slots:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void normalizeDomainValid_data();
    void normalizeDomainValid();
    void normalizeDomainInvalid_data();
    void normalizeDomainInvalid();
    void keyFoldsLocalPartCase();
    void roundTripThroughToString_data();
    void roundTripThroughToString();
};

namespace {
QString u8(const char *s)
{
    return QString::fromUtf8(s);
}
} // namespace

void TestMailAddress::parseValid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("allowUtf8");
    QTest::addColumn<QString>("localPart");
    QTest::addColumn<QString>("domain");

    QTest::newRow("plain") << u8("bob@warmsushi.com") << true << u8("bob") << u8("warmsushi.com");
    QTest::newRow("dots") << u8("bob.owen@drypizza.com") << true << u8("bob.owen") << u8("drypizza.com");
    QTest::newRow("uppercase keeps local, folds domain")
        << u8("BOB@WarmSushi.COM") << true << u8("BOB") << u8("warmsushi.com");
    QTest::newRow("trailing dot stripped")
        << u8("bob@warmsushi.com.") << true << u8("bob") << u8("warmsushi.com");
    QTest::newRow("atext specials") << u8("a+tag#x$y&z'*/=?^_`{|}~-@ex.example") << true
                                    << u8("a+tag#x$y&z'*/=?^_`{|}~-") << u8("ex.example");
    QTest::newRow("digits") << u8("1234@123.example") << true << u8("1234") << u8("123.example");
    QTest::newRow("hyphenated labels")
        << u8("a@mail-1.sub-domain.example") << true << u8("a") << u8("mail-1.sub-domain.example");
    QTest::newRow("quoted with space kept quoted")
        << u8("\"john doe\"@ex.example") << true << u8("\"john doe\"") << u8("ex.example");
    QTest::newRow("needless quotes dropped")
        << u8("\"bob\"@ex.example") << true << u8("bob") << u8("ex.example");
    QTest::newRow("quoted escaped quote")
        << u8("\"a\\\"b\"@ex.example") << true << u8("\"a\\\"b\"") << u8("ex.example");
    QTest::newRow("quoted needless escape removed")
        << u8("\"a\\b\"@ex.example") << true << u8("ab") << u8("ex.example");
    QTest::newRow("quoted double dot")
        << u8("\"a..b\"@ex.example") << true << u8("\"a..b\"") << u8("ex.example");
    QTest::newRow("IDN domain to ACE")
        << u8("müller@bücher.example") << true << u8("müller") << u8("xn--bcher-kva.example");
    QTest::newRow("IDN uppercase domain")
        << u8("a@BÜCHER.example") << true << u8("a") << u8("xn--bcher-kva.example");
    QTest::newRow("IDN domain ASCII local without utf8")
        << u8("a@bücher.example") << false << u8("a") << u8("xn--bcher-kva.example");
    QTest::newRow("ideographic full stop")
        << u8("a@bücher。example") << true << u8("a") << u8("xn--bcher-kva.example");
    QTest::newRow("ACE already") << u8("a@xn--bcher-kva.example") << true << u8("a")
                                 << u8("xn--bcher-kva.example");
    QTest::newRow("local NFC normalised")
        << u8("mu\xcc\x88ller@ex.example") << true << u8("müller") << u8("ex.example");
    // NFC can make ASCII: the quoting is decided on the normalised text
    // (found by fuzz_mailaddress: U+037E became an unquoted ';').
    QTest::newRow("NFC to ';' keeps quotes")
        << u8("\"=\xcd\xbe\"@x.example") << true << u8("\"=;\"") << u8("x.example");
    QTest::newRow("zero-width non-joiner kept (Persian, Indic)") << u8("a\xe2\x80\x8c"
                                                                       "b@x.example")
                                                                 << true
                                                                 << u8("a\xe2\x80\x8c"
                                                                       "b")
                                                                 << u8("x.example");
    QTest::newRow("Kelvin sign NFC to K, quotes dropped") << u8("\"\xe2\x84\xaa"
                                                                "ey\"@x.example")
                                                          << true << u8("Key") << u8("x.example");
    QTest::newRow("64 octet local") << QString(64, QLatin1Char('a')) + u8("@ex.example") << true
                                    << QString(64, QLatin1Char('a')) << u8("ex.example");
    QTest::newRow("63 octet label") << u8("a@") + QString(63, QLatin1Char('b')) + u8(".example") << true
                                    << u8("a") << QString(63, QLatin1Char('b')) + u8(".example");
    // 3 * 64 + 63 = 255 octets: the longest domain RFC 5321 §4.5.3.1.2 allows.
    const QString longDomain = QString(63, QLatin1Char('a')) + u8(".") + QString(63, QLatin1Char('b')) +
                               u8(".") + QString(63, QLatin1Char('c')) + u8(".") +
                               QString(63, QLatin1Char('d'));
    QTest::newRow("255 octet domain") << u8("x@") + longDomain << true << u8("x") << longDomain;
}

void TestMailAddress::parseValid()
{
    QFETCH(QString, input);
    QFETCH(bool, allowUtf8);
    QFETCH(QString, localPart);
    QFETCH(QString, domain);

    AddressParseOptions opts;
    opts.allowUtf8 = allowUtf8;
    const Result<MailAddress> r = parseMailbox(input, opts);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r->localPart, localPart);
    QCOMPARE(r->domain, domain);
    // The canonical spelling parses back to itself.
    const Result<MailAddress> again = parseMailbox(r->toString(), opts);
    QVERIFY2(again.ok(), qPrintable(r->toString() + QStringLiteral(": ") + again.error));
    QCOMPARE(again->toString(), r->toString());
}

void TestMailAddress::parseInvalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("allowUtf8");
    // A fragment the reason must contain (case-insensitive), so each row
    // proves the right rule fired, not just any.
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QString() << true << u8("empty");
    QTest::newRow("NFC to unquoted ';'") << u8("a\xcd\xbe@x.example") << true << u8("';'");
    QTest::newRow("BOM in quoted local") << u8("\"\xef\xbb\xbf"
                                               "1\"@x.example")
                                         << true << u8("invisible");
    QTest::newRow("right-to-left override") << u8("bob\xe2\x80\xae"
                                                  "moc@x.example")
                                            << true << u8("U+202E");
    QTest::newRow("zero-width space") << u8("b\xe2\x80\x8bob@x.example") << true << u8("invisible");
    QTest::newRow("language tag (astral)") << u8("b\xf3\xa0\x80\x81ob@x.example") << true << u8("invisible");
    QTest::newRow("no at") << u8("bob.warmsushi.com") << true << u8("no '@'");
    QTest::newRow("empty local") << u8("@warmsushi.com") << true << u8("local part");
    QTest::newRow("empty domain") << u8("bob@") << true << u8("domain");
    QTest::newRow("two ats") << u8("user@a@b") << true << u8("more than one '@'");
    QTest::newRow("two ats qualified") << u8("user@a.example@b.example") << true << u8("more than one '@'");
    QTest::newRow("double at") << u8("user@@c.example") << true << u8("more than one '@'");
    QTest::newRow("trailing at") << u8("user@c.example@") << true << u8("more than one '@'");
    QTest::newRow("display name") << u8("Bob <bob@c.example>") << true << u8("angle brackets");
    QTest::newRow("trailing space") << u8("bob@c.example ") << true << u8("whitespace");
    QTest::newRow("fullwidth at") << u8("bob\xef\xbc\xa0"
                                        "c.example")
                                  << true << u8("no '@'");
    QTest::newRow("percent hack") << u8("a%b@c.example") << true << u8("'%'");
    QTest::newRow("bang path") << u8("b!a@c.example") << true << u8("'!'");
    QTest::newRow("quoted percent") << u8("\"a%b\"@c.example") << true << u8("'%'");
    QTest::newRow("quoted bang") << u8("\"b!a\"@c.example") << true << u8("'!'");
    QTest::newRow("source route") << u8("@a.example:b@c.example") << true << u8("source route");
    QTest::newRow("source route multi")
        << u8("@a.example,@b.example:c@d.example") << true << u8("source route");
    QTest::newRow("quoted at") << u8("\"a@b\"@c.example") << true << u8("contains '@'");
    QTest::newRow("quoted at domain-looking")
        << u8("\"user@evil.example\"@c.example") << true << u8("contains '@'");
    QTest::newRow("unclosed quote") << u8("\"abc@c.example") << true << u8("closing quote");
    QTest::newRow("quote then text") << u8("\"abc\"x@c.example") << true << u8("followed directly by '@'");
    QTest::newRow("empty quoted") << u8("\"\"@c.example") << true << u8("empty");
    QTest::newRow("quote inside") << u8("ab\"c@c.example") << true << u8("quote");
    QTest::newRow("address literal v4") << u8("user@[1.2.3.4]") << true << u8("address literal");
    QTest::newRow("address literal v6") << u8("user@[IPv6:::1]") << true << u8("address literal");
    QTest::newRow("bare ip") << u8("user@1.2.3.4") << true << u8("IP address");
    QTest::newRow("single label") << u8("user@localhost") << true << u8("single label");
    QTest::newRow("CR") << u8("bob\r@c.example") << true << u8("line break");
    QTest::newRow("LF in domain") << u8("bob@c.example\nRCPT TO:<x@evil.example>") << true
                                  << u8("line break");
    QTest::newRow("CRLF") << u8("bob@c.example\r\n") << true << u8("line break");
    QTest::newRow("NUL") << QString(u8("bob@c.example") + QChar(0) + u8("evil")) << true << u8("NUL");
    QTest::newRow("tab") << u8("bob\t@c.example") << true << u8("control character U+0009");
    QTest::newRow("DEL") << u8("bob\x7f@c.example") << true << u8("control character U+007F");
    QTest::newRow("C1 control") << u8("bob\xc2\x85@c.example") << true << u8("control character U+0085");
    QTest::newRow("line separator") << u8("bob\xe2\x80\xa8@c.example") << true << u8("line break");
    QTest::newRow("CR in quotes") << u8("\"a\rb\"@c.example") << true << u8("line break");
    QTest::newRow("unpaired surrogate")
        << QString(u8("bo") + QChar(0xd800) + u8("b@c.example")) << true << u8("surrogate");
    QTest::newRow("space") << u8("bob smith@c.example") << true << u8("whitespace");
    QTest::newRow("nbsp") << u8("bob\xc2\xa0smith@c.example") << true << u8("whitespace");
    QTest::newRow("space in domain") << u8("bob@c .example") << true << u8("whitespace");
    QTest::newRow("angle brackets") << u8("<bob@c.example>") << true << u8("angle brackets");
    QTest::newRow("leading dot") << u8(".bob@c.example") << true << u8("dot");
    QTest::newRow("trailing dot local") << u8("bob.@c.example") << true << u8("dot");
    QTest::newRow("double dot") << u8("bo..b@c.example") << true << u8("two dots");
    QTest::newRow("paren") << u8("bob(comment)@c.example") << true << u8("'('");
    QTest::newRow("comma") << u8("a,b@c.example") << true << u8("','");
    QTest::newRow("colon") << u8("a:b@c.example") << true << u8("':'");
    QTest::newRow("65 octet local") << QString(65, QLatin1Char('a')) + u8("@c.example") << true
                                    << u8("65 octets");
    // 32 two-octet characters + 1 = 65 octets though only 33 characters.
    QTest::newRow("65 octet utf8 local")
        << QString(32, QChar(0xe9)) + u8("a@c.example") << true << u8("65 octets");
    QTest::newRow("64 label") << u8("a@") + QString(64, QLatin1Char('b')) + u8(".example") << true
                              << u8("label");
    QTest::newRow("256 domain") << u8("a@") + QString(63, QLatin1Char('a')) + u8(".") +
                                       QString(63, QLatin1Char('b')) + u8(".") +
                                       QString(63, QLatin1Char('c')) + u8(".") +
                                       QString(64 - 1, QLatin1Char('d')) + u8("e")
                                << true << u8("256 octets");
    QTest::newRow("leading hyphen label") << u8("a@-bad.example") << true << u8("hyphen");
    QTest::newRow("trailing hyphen label") << u8("a@bad-.example") << true << u8("hyphen");
    QTest::newRow("underscore") << u8("a@my_host.example") << true << u8("'_'");
    QTest::newRow("two trailing dots") << u8("a@c.example..") << true << u8("empty label");
    QTest::newRow("leading dot domain") << u8("a@.c.example") << true << u8("empty label");
    QTest::newRow("empty label") << u8("a@c..example") << true << u8("empty label");
    QTest::newRow("only dot") << u8("a@.") << true << u8("empty");
    QTest::newRow("utf8 local without SMTPUTF8") << u8("müller@bücher.example") << false << u8("SMTPUTF8");
    QTest::newRow("utf8 quoted without SMTPUTF8") << u8("\"mü ller\"@c.example") << false << u8("SMTPUTF8");
    QTest::newRow("bad IDN (U+FFFD)") << u8("a@\xef\xbf\xbd.example") << true << u8("IDNA");
    QTest::newRow("zero-width space in domain") << u8("a@\xe2\x80\x8b.example") << true << u8("invisible");
    QTest::newRow("IDN underscore") << u8("a@b_ü.example") << true << u8("'_'");
    QTest::newRow("backslash escape of control") << u8("\"a\\\x01\"@c.example") << true << u8("control");
}

void TestMailAddress::parseInvalid()
{
    QFETCH(QString, input);
    QFETCH(bool, allowUtf8);
    QFETCH(QString, reason);

    AddressParseOptions opts;
    opts.allowUtf8 = allowUtf8;
    const Result<MailAddress> r = parseMailbox(input, opts);
    QVERIFY2(!r.ok(), qPrintable(QStringLiteral("accepted as ") + (r.ok() ? r->toString() : QString())));
    QVERIFY2(r.error.contains(reason, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("reason \"") + r.error + QStringLiteral("\" lacks \"") + reason +
                        QStringLiteral("\"")));
    // A reason is one English sentence without the hostile bytes in it.
    QVERIFY(r.error.endsWith(QLatin1Char('.')));
    for (QChar c : r.error)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, "control character in the reason");
}

void TestMailAddress::normalizeDomainValid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << u8("warmsushi.com") << u8("warmsushi.com");
    QTest::newRow("leading at") << u8("@warmsushi.com") << u8("warmsushi.com");
    QTest::newRow("case") << u8("@WarmSushi.COM") << u8("warmsushi.com");
    QTest::newRow("trailing dot") << u8("drypizza.com.") << u8("drypizza.com");
    QTest::newRow("at and dot") << u8("@DryPizza.com.") << u8("drypizza.com");
    QTest::newRow("IDN") << u8("bücher.example") << u8("xn--bcher-kva.example");
    QTest::newRow("IDN at") << u8("@Bücher.Example.") << u8("xn--bcher-kva.example");
    QTest::newRow("eszett non-transitional") << u8("faß.de") << u8("xn--fa-hia.de");
    QTest::newRow("subdomain") << u8("mail.eu.example.org") << u8("mail.eu.example.org");
}

void TestMailAddress::normalizeDomainValid()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QString> r = normalizeDomain(input);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QCOMPARE(*r, expected);
    // Normalising twice changes nothing (stored domains are re-normalised on edit).
    const Result<QString> again = normalizeDomain(*r);
    QVERIFY2(again.ok(), qPrintable(again.error));
    QCOMPARE(*again, expected);
}

void TestMailAddress::normalizeDomainInvalid_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QString() << u8("empty");
    QTest::newRow("only at") << u8("@") << u8("empty");
    QTest::newRow("double at") << u8("@@warmsushi.com") << u8("'@'");
    QTest::newRow("address") << u8("bob@warmsushi.com") << u8("'@'");
    QTest::newRow("single label") << u8("localhost") << u8("single label");
    QTest::newRow("single label dot") << u8("localhost.") << u8("single label");
    QTest::newRow("literal") << u8("[192.0.2.1]") << u8("address literal");
    QTest::newRow("ip") << u8("192.0.2.1") << u8("IP address");
    QTest::newRow("space") << u8("warm sushi.com") << u8("whitespace");
    QTest::newRow("lf") << u8("warmsushi.com\n") << u8("line break");
    QTest::newRow("hyphen") << u8("-warmsushi.com") << u8("hyphen");
    QTest::newRow("long label") << QString(64, QLatin1Char('x')) + u8(".com") << u8("label");
    QTest::newRow("slash") << u8("warm/sushi.com") << u8("'/'");
    QTest::newRow("two dots") << u8("warmsushi..com") << u8("empty label");
    QTest::newRow("bad ace") << u8("xn--a-.example") << u8("hyphen");
}

void TestMailAddress::normalizeDomainInvalid()
{
    QFETCH(QString, input);
    QFETCH(QString, reason);
    const Result<QString> r = normalizeDomain(input);
    QVERIFY2(!r.ok(), qPrintable(QStringLiteral("accepted as ") + (r.ok() ? *r : QString())));
    QVERIFY2(r.error.contains(reason, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("reason \"") + r.error + QStringLiteral("\" lacks \"") + reason +
                        QStringLiteral("\"")));
}

void TestMailAddress::keyFoldsLocalPartCase()
{
    const Result<MailAddress> a = parseMailbox(QStringLiteral("BOB@WarmSushi.COM"));
    const Result<MailAddress> b = parseMailbox(QStringLiteral("bob@warmsushi.com"));
    const Result<MailAddress> c = parseMailbox(QStringLiteral("bob2@warmsushi.com"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    QCOMPARE(a->key(), QStringLiteral("bob@warmsushi.com"));
    QCOMPARE(a->toString(), QStringLiteral("BOB@warmsushi.com"));
    QVERIFY(*a == *b);
    QVERIFY(!(*a == *c));
}

void TestMailAddress::roundTripThroughToString_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("plain") << u8("Bob.Owen@DryPizza.com");
    QTest::newRow("quoted") << u8("\"john \\\"jd\\\" doe\"@ex.example");
    QTest::newRow("idn") << u8("müller@bücher.example");
    QTest::newRow("tags") << u8("a+b=c@ex.example");
}

void TestMailAddress::roundTripThroughToString()
{
    // The stored form (UserMapping, CSV export) must re-import to the same address.
    QFETCH(QString, input);
    const Result<MailAddress> first = parseMailbox(input);
    QVERIFY2(first.ok(), qPrintable(first.error));
    const Result<MailAddress> second = parseMailbox(first->toString());
    QVERIFY2(second.ok(), qPrintable(second.error));
    QCOMPARE(second->localPart, first->localPart);
    QCOMPARE(second->domain, first->domain);
}

QTEST_GUILESS_MAIN(TestMailAddress)
#include "tst_mailaddress.moc"
