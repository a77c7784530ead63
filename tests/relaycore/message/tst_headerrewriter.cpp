// Tests for HeaderRewriter (docs/behaviour.md "Header rewriting"): golden
// message pairs under data/ (NAME.in.eml -> NAME.out.eml, CRLF, written by
// hand), the change list each one must report, and property tests over
// generated messages: no callback answer, no changed byte; a rewrite only
// touches bytes of the addr-specs it reports.
#include "relaycore/message/headerrewriter.h"
#include "relaycore/message/headersection.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace mailroute;

class TestHeaderRewriter : public QObject
{
    Q_OBJECT

private slots:
    void presets();
    void goldens_data();
    void goldens();
    void everyGoldenFileHasARow();
    void noAnswerLeavesEveryGoldenInputAsItIs();
    void mapperSeesParsedAddress();
    void invalidMapperAnswerIsIgnored();
    void sameAddressIsNoChange();
    void fieldNamesCompareCaseInsensitively();
    void nothingSelectedChangesNothing();
    void skippedFieldsAreLeftAsTheyAre();
    void foldBeforeAddressNeverLeavesBlankLine();
    void randomMessagesNoAnswerNoChange();
    void randomMessagesRoundTrip();
    void randomMutationsKeepBodyAndBoundary();
};

namespace {

// The rules the golden files are written for, in the shape of
// docs/behaviour.md "Routing precedence": the user list first, then the domain
// rules.
std::optional<QString> goldenRules(const MailAddress &a)
{
    static const QHash<QString, QString> users{
        {QStringLiteral("bob@warmsushi.com"), QStringLiteral("bob.owen@drypizza.com")}};
    static const QHash<QString, QString> domains{
        {QStringLiteral("warmsushi.com"), QStringLiteral("drypizza.com")},
        {QStringLiteral("xn--bcher-kva.example"), QStringLiteral("books.example")}};
    if (const auto it = users.constFind(a.key()); it != users.constEnd())
        return *it;
    if (const auto it = domains.constFind(a.domain); it != domains.constEnd())
        return a.localPart + QLatin1Char('@') + *it;
    return std::nullopt;
}

std::optional<QString> noAnswer(const MailAddress &)
{
    return std::nullopt;
}

QString dataDir()
{
    return QStringLiteral(MAILROUTE_TEST_DATA);
}

QByteArray readData(const QString &name)
{
    QFile f(dataDir() + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

// "Field|old|new" rows keep the data table readable.
QList<HeaderChange> changes(const QStringList &rows)
{
    QList<HeaderChange> out;
    for (const QString &r : rows) {
        const QStringList p = r.split(QLatin1Char('|'));
        out.append(HeaderChange{p.value(0), p.value(1), p.value(2)});
    }
    return out;
}

QString describe(const QList<HeaderChange> &cs)
{
    QStringList s;
    for (const HeaderChange &c : cs)
        s << c.field + QLatin1Char('|') + c.oldAddress + QLatin1Char('|') + c.newAddress;
    return s.join(QStringLiteral("\n"));
}

// Where two byte arrays first differ, with some context, for failure output.
QByteArray firstDifference(const QByteArray &a, const QByteArray &b)
{
    qsizetype i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    const qsizetype from = qMax<qsizetype>(0, i - 30);
    return "at offset " + QByteArray::number(i) +
           "\n  actual:   " + a.mid(from, 80).toPercentEncoding(" <>@,;:()\"") +
           "\n  expected: " + b.mid(from, 80).toPercentEncoding(" <>@,;:()\"");
}

// --- random message generation for the property tests ---------------------

class MessageGenerator
{
public:
    explicit MessageGenerator(quint32 seed) : m_rng(seed) {}

    int below(int n) { return static_cast<int>(m_rng.bounded(n)); }
    bool chance(int percent) { return below(100) < percent; }

    template <typename T> const T &pick(const QList<T> &l) { return l.at(below(static_cast<int>(l.size()))); }

    // Whitespace between tokens, sometimes folded (RFC 5322 §3.2.2).
    QByteArray fws(bool required)
    {
        if (!required && chance(50))
            return {};
        if (chance(20))
            return chance(50) ? QByteArrayLiteral("\r\n ") : QByteArrayLiteral("\r\n\t");
        return chance(80) ? QByteArrayLiteral(" ") : QByteArrayLiteral("  ");
    }

    QByteArray comment(int depth = 0)
    {
        static const QList<QByteArray> words{"work",          "a b",         "\\(x\\)",
                                             "Bob \\\"B\\\"", "caf\xc3\xa9", "@,;:<>"};
        QByteArray c = "(" + pick(words);
        if (depth < 2 && chance(30))
            c += " " + comment(depth + 1);
        return c + ")";
    }

    QByteArray cfws()
    {
        QByteArray s = fws(false);
        if (chance(25))
            s += comment() + fws(false);
        return s;
    }

    QByteArray phrase()
    {
        static const QList<QByteArray> words{"Bob",
                                             "Owen",
                                             "J.",
                                             "\"Owen, Bob\"",
                                             "\"a \\\"quoted\\\" name\"",
                                             "=?utf-8?q?Bob_=C3=98wen?=",
                                             "=?UTF-8?B?Q2hsb8OrIETDvHJy?=",
                                             "Zo\xc3\xab",
                                             "\"bob@warmsushi.com\"",
                                             "Mr"};
        QByteArray p = pick(words);
        for (int n = below(3); n > 0; --n)
            p += fws(true) + pick(words);
        return p;
    }

    // Addr-specs in the spelling the rewriter writes back (lower-case
    // domain, minimal quoting), so that a rewrite and its inverse round-trip.
    QByteArray addrSpec()
    {
        static const QList<QByteArray> specs{"bob@warmsushi.com",
                                             "chloe.durr@warmsushi.com",
                                             "\"john smith\"@warmsushi.com",
                                             "a+tag@warmsushi.com",
                                             "x@other.example",
                                             "warmsushi.com@other.example",
                                             "bob@warmsushi.com.evil.example",
                                             "bob@sub.warmsushi.com"};
        return pick(specs);
    }

    QByteArray mailbox()
    {
        switch (below(4)) {
        case 0: return addrSpec();
        case 1: return addrSpec() + (chance(50) ? " " + comment() : QByteArray());
        case 2: return "<" + addrSpec() + ">";
        default: return phrase() + cfws() + "<" + addrSpec() + ">" + (chance(20) ? cfws() : QByteArray());
        }
    }

    QByteArray address()
    {
        if (chance(12)) {
            QByteArray g = phrase() + ":";
            for (int n = below(3); n > 0; --n)
                g += fws(false) + mailbox() + (n > 1 ? "," : "");
            return g + ";";
        }
        return mailbox();
    }

    QByteArray addressList()
    {
        QByteArray s = cfws() + address();
        for (int n = below(4); n > 0; --n)
            s += "," + fws(true) + address();
        return s + (chance(20) ? cfws() : QByteArray());
    }

    QByteArray message()
    {
        static const QList<QByteArray> addressFields{"To",       "Cc",     "tO",  "CC",       "From",
                                                     "Reply-To", "Sender", "Bcc", "Resent-To"};
        static const QList<QByteArray> otherFields{
            "Subject: mail for bob@warmsushi.com", "Message-ID: <1@warmsushi.com>",
            "X-Note: To: bob@warmsushi.com", "Date: Thu, 13 Feb 2025 10:00:00 +0100"};
        QByteArray m;
        for (int n = 1 + below(8); n > 0; --n) {
            if (chance(70))
                m += pick(addressFields) + (chance(10) ? " :" : ":") + addressList() + "\r\n";
            else
                m += pick(otherFields) + "\r\n";
        }
        if (chance(90)) {
            m += "\r\n";
            for (int n = below(5); n > 0; --n)
                m += chance(50) ? QByteArray("To: bob@warmsushi.com\r\n") : randomBytes(below(40)) + "\r\n";
        }
        return m;
    }

    QByteArray randomBytes(int n)
    {
        QByteArray b;
        for (int i = 0; i < n; ++i)
            b += static_cast<char>(below(256));
        return b;
    }

    // Inserts, deletes or replaces a few bytes with syntax characters.
    QByteArray mutate(QByteArray m)
    {
        static const QByteArray alphabet = "()<>\"\\@,;:.[] \t\r\n=?\x80\xc3\xff\x00x";
        for (int n = 1 + below(4); n > 0 && !m.isEmpty(); --n) {
            const int pos = below(static_cast<int>(m.size()));
            const char c = alphabet.at(below(static_cast<int>(alphabet.size())));
            switch (below(3)) {
            case 0: m.insert(pos, c); break;
            case 1: m.remove(pos, 1); break;
            default: m[pos] = c; break;
            }
        }
        return m;
    }

private:
    QRandomGenerator m_rng;
};

// Same-length, invertible domain rules for the round-trip property.
std::optional<QString> toColdPizza(const MailAddress &a)
{
    if (a.domain == QLatin1String("warmsushi.com"))
        return a.localPart + QStringLiteral("@coldpizza.com");
    return std::nullopt;
}

std::optional<QString> toWarmSushi(const MailAddress &a)
{
    if (a.domain == QLatin1String("coldpizza.com"))
        return a.localPart + QStringLiteral("@warmsushi.com");
    return std::nullopt;
}

QList<QByteArray> allAddressFields()
{
    return HeaderRewriter::recipientFields() + HeaderRewriter::senderFields();
}

constexpr int kRandomMessages = 3000;

} // namespace

void TestHeaderRewriter::presets()
{
    QCOMPARE(HeaderRewriter::recipientFields(), (QList<QByteArray>{"To", "Cc"}));
    QCOMPARE(HeaderRewriter::senderFields(), (QList<QByteArray>{"From", "Sender", "Reply-To"}));
}

namespace {

struct GoldenRow
{
    const char *name;
    QStringList expected; // "Field|old|new"
    bool senders;         // Outbound (From, Sender, Reply-To) instead of To, Cc
};

QList<GoldenRow> goldenRows()
{
    QList<GoldenRow> rows;
    const auto row = [&rows](const char *name, const QStringList &expected, bool senders = false) {
        rows.append(GoldenRow{name, expected, senders});
    };
    const QString bob = QStringLiteral("bob@warmsushi.com|bob.owen@drypizza.com");
    const auto to = [](const QString &s) -> QString { return QStringLiteral("To|") + s; };
    const auto cc = [](const QString &s) -> QString { return QStringLiteral("Cc|") + s; };
    const auto dom = [](const char *local) -> QString {
        const QString l = QString::fromUtf8(local);
        return l + QStringLiteral("@warmsushi.com|") + l + QStringLiteral("@drypizza.com");
    };

    row("bare_addrspec", {to(bob)});
    row("angle_only", {to(dom("chloe"))});
    row("display_plain", {to(bob)});
    row("display_quoted", {to(bob), cc(dom("chloe"))});
    row("display_encoded_word", {to(bob), to(dom("chloe"))});
    row("comments_around", {to(bob), cc(dom("chloe")), cc(dom("dan"))});
    row("comment_inside_angle", {to(bob)});
    row("nested_comments", {to(bob), to(dom("chloe"))});
    row("comment_inside_addrspec", {to(bob), to(dom("dan"))});
    row("group_empty", {cc(bob)});
    row("group_members", {to(dom("alice")), to(bob)});
    row("several_addresses", {to(dom("a")), to(dom("c")), to(dom("d"))});
    row("folded_lines", {to(dom("alice")), to(bob), to(dom("chloe")), cc(bob)});
    row("folded_inside_addrspec", {to(bob), to(dom("chloe")), cc(dom("dan"))});
    row("mixed_case", {QStringLiteral("tO|BOB@WarmSushi.COM|bob.owen@drypizza.com"),
                       QStringLiteral("tO|Chloe.Durr@WARMSUSHI.com|Chloe.Durr@drypizza.com"),
                       QStringLiteral("CC|Bob@warmsushi.com|bob.owen@drypizza.com")});
    row("duplicate_to", {to(bob), to(dom("chloe")), cc(dom("dan")), QStringLiteral("cc|") + dom("erin")});
    row("other_fields_untouched", {to(bob)});
    row("to_in_body", {to(bob)});
    row("quoted_local_part", {QStringLiteral("To|\"john smith\"@warmsushi.com|\"john smith\"@drypizza.com"),
                              QStringLiteral("To|\"bob\"@warmsushi.com|bob.owen@drypizza.com"),
                              QStringLiteral("To|\"jo\\\"x\"@warmsushi.com|\"jo\\\"x\"@drypizza.com")});
    row("malformed_untouched", {cc(dom("chloe"))});
    row("non_matching", {});
    row("refused_addresses", {});
    row("same_address_twice", {to(bob), to(bob), cc(bob)});
    row("idn_domain", {QStringLiteral("To|müller@bücher.example|müller@books.example"),
                       QStringLiteral("To|x@xn--bcher-kva.example|x@books.example"),
                       QStringLiteral("To|y@BÜCHER.example|y@books.example")});
    row("utf8_display_name", {to(bob), to(dom("jorg"))});
    row("very_long_line", {to(bob), cc(bob)});
    row("no_body", {to(bob)});
    row("headers_only", {to(bob)});
    row("headers_only_no_final_crlf", {to(bob)});
    row("lf_only", {});
    row("bare_lf_in_header", {});
    row("obs_route", {to(bob)});
    row("obs_spaces", {QStringLiteral("To|bob@warmsushi.com|bob.owen@drypizza.com"),
                       QStringLiteral("To|chloe.durr@warmsushi.com|chloe.durr@drypizza.com")});
    row("obs_empty_elements", {to(bob), to(dom("chloe"))});
    row("empty_fields", {});
    row("sender_fields",
        {QStringLiteral("From|") + bob, QStringLiteral("Sender|") + dom("chloe"),
         QStringLiteral("Reply-To|") + bob, QStringLiteral("Reply-To|") + dom("team")},
        true);
    row("to_first_field", {to(bob)});
    row("empty_header_section", {});
    row("binary_body", {to(bob)});
    row("latin1_8bit_address", {to(bob)});
    row("tab_and_trailing_space", {to(bob), QStringLiteral("Cc|") + dom("chloe")});
    return rows;
}

} // namespace

void TestHeaderRewriter::goldens_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("senders");
    QTest::addColumn<QStringList>("expected");
    for (const GoldenRow &r : goldenRows())
        QTest::newRow(r.name) << QString::fromLatin1(r.name) << r.senders << r.expected;
}

void TestHeaderRewriter::goldens()
{
    QFETCH(QString, name);
    QFETCH(bool, senders);
    QFETCH(QStringList, expected);

    const QByteArray input = readData(name + QStringLiteral(".in.eml"));
    const QByteArray golden = readData(name + QStringLiteral(".out.eml"));
    QVERIFY2(!input.isEmpty(), qPrintable(name + QStringLiteral(".in.eml is missing")));
    QVERIFY2(!golden.isEmpty(), qPrintable(name + QStringLiteral(".out.eml is missing")));

    const HeaderRewriter rewriter(
        senders ? HeaderRewriter::senderFields() : HeaderRewriter::recipientFields(), goldenRules);
    const HeaderRewriteResult r = rewriter.rewrite(input);
    QVERIFY2(r.message == golden, firstDifference(r.message, golden).constData());
    const QList<HeaderChange> want = changes(expected);
    QVERIFY2(r.changes == want, qPrintable(QStringLiteral("changes:\n") + describe(r.changes) +
                                           QStringLiteral("\nexpected:\n") + describe(want)));
    QCOMPARE(r.changed(), !want.isEmpty());
    // Nothing changed: the input's own bytes come back, not a copy.
    if (want.isEmpty())
        QVERIFY(r.message.isSharedWith(input));

    // The rules produce addresses no rule matches
    // (docs/behaviour.md "Routing precedence"), so a second pass over the
    // golden output must find nothing to do.
    const HeaderRewriteResult again = rewriter.rewrite(r.message);
    QVERIFY(!again.changed());
    QVERIFY(again.message.isSharedWith(r.message));
}

void TestHeaderRewriter::everyGoldenFileHasARow()
{
    // A golden pair without a data row would silently never be checked.
    QSet<QString> rows;
    for (const GoldenRow &r : goldenRows())
        rows.insert(QString::fromLatin1(r.name));
    QSet<QString> files;
    const QStringList ins = QDir(dataDir()).entryList({QStringLiteral("*.in.eml")}, QDir::Files, QDir::Name);
    for (const QString &f : ins) {
        files.insert(f.chopped(7));
        QVERIFY2(QFile::exists(dataDir() + QLatin1Char('/') + f.chopped(7) + QStringLiteral(".out.eml")),
                 qPrintable(f));
    }
    QCOMPARE(files, rows);
    QVERIFY(files.size() >= 25);
}

void TestHeaderRewriter::noAnswerLeavesEveryGoldenInputAsItIs()
{
    const HeaderRewriter rewriter(allAddressFields(), noAnswer);
    const QStringList ins = QDir(dataDir()).entryList({QStringLiteral("*.in.eml")}, QDir::Files, QDir::Name);
    QVERIFY(!ins.isEmpty());
    for (const QString &f : ins) {
        const QByteArray input = readData(f);
        const HeaderRewriteResult r = rewriter.rewrite(input);
        QVERIFY2(r.message == input, qPrintable(f));
        QVERIFY2(r.message.isSharedWith(input), qPrintable(f));
        QVERIFY2(r.changes.isEmpty(), qPrintable(f));
    }
}

void TestHeaderRewriter::mapperSeesParsedAddress()
{
    QList<MailAddress> seen;
    const HeaderRewriter rewriter(HeaderRewriter::recipientFields(), [&](const MailAddress &a) {
        seen.append(a);
        return std::optional<QString>();
    });
    const QByteArray m = "To: \"bob\"@WarmSushi.COM, \"john smith\"@x.example (c),\r\n M\xc3\xbcller "
                         "<m@B\xc3\x9c"
                         "CHER.example>, <@route.example:r@x.example>\r\nCc: Team: t@x.example;\r\n\r\n";
    rewriter.rewrite(m);
    QCOMPARE(seen.size(), 5);
    QCOMPARE(seen[0].localPart, QStringLiteral("bob"));
    QCOMPARE(seen[0].domain, QStringLiteral("warmsushi.com"));
    QCOMPARE(seen[1].localPart, QStringLiteral("\"john smith\""));
    QCOMPARE(seen[2].domain, QStringLiteral("xn--bcher-kva.example"));
    QCOMPARE(seen[3].toString(), QStringLiteral("r@x.example"));
    QCOMPARE(seen[4].toString(), QStringLiteral("t@x.example"));
}

void TestHeaderRewriter::invalidMapperAnswerIsIgnored()
{
    const QByteArray m = "To: bob@warmsushi.com, chloe@warmsushi.com\r\n\r\nbody\r\n";
    const HeaderRewriter rewriter(HeaderRewriter::recipientFields(), [](const MailAddress &a) {
        if (a.localPart == QLatin1String("bob"))
            return std::optional<QString>(QStringLiteral("bob@evil.example>\r\nBcc: x@evil.example"));
        return std::optional<QString>(QStringLiteral("not an address"));
    });
    const HeaderRewriteResult r = rewriter.rewrite(m);
    QCOMPARE(r.message, m);
    QVERIFY(r.changes.isEmpty());
}

void TestHeaderRewriter::sameAddressIsNoChange()
{
    const QByteArray m = "To: bob@warmsushi.com, Bob@WarmSushi.com\r\n\r\n";
    const HeaderRewriter rewriter(HeaderRewriter::recipientFields(),
                                  [](const MailAddress &a) { return std::optional<QString>(a.toString()); });
    const HeaderRewriteResult r = rewriter.rewrite(m);
    // The first is already in the written form; the second differs in case
    // and is rewritten to the normalised domain.
    QCOMPARE(r.message, QByteArray("To: bob@warmsushi.com, Bob@warmsushi.com\r\n\r\n"));
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes[0].oldAddress, QStringLiteral("Bob@WarmSushi.com"));
}

void TestHeaderRewriter::fieldNamesCompareCaseInsensitively()
{
    const QByteArray m = "x-RECIPIENT: bob@warmsushi.com\r\nTo: bob@warmsushi.com\r\n\r\n";
    const HeaderRewriter rewriter({QByteArrayLiteral("X-Recipient")}, goldenRules);
    const HeaderRewriteResult r = rewriter.rewrite(m);
    QCOMPARE(r.message, QByteArray("x-RECIPIENT: bob.owen@drypizza.com\r\nTo: bob@warmsushi.com\r\n\r\n"));
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes[0].field, QStringLiteral("x-RECIPIENT"));
}

void TestHeaderRewriter::nothingSelectedChangesNothing()
{
    const QByteArray m = "To: bob@warmsushi.com\r\n\r\n";
    const HeaderRewriteResult a = HeaderRewriter({}, goldenRules).rewrite(m);
    QVERIFY(a.message.isSharedWith(m));
    QVERIFY(!a.changed());
    const HeaderRewriteResult b = HeaderRewriter(HeaderRewriter::recipientFields(), {}).rewrite(m);
    QVERIFY(b.message.isSharedWith(m));
    const HeaderRewriteResult c = HeaderRewriter(HeaderRewriter::recipientFields(), goldenRules).rewrite({});
    QVERIFY(c.message.isEmpty());
}

void TestHeaderRewriter::skippedFieldsAreLeftAsTheyAre()
{
    const QByteArray m = "To: bob@warmsushi.com\r\nCC: ann@warmsushi.com\r\nto: eve@warmsushi.com\r\n\r\n";
    const HeaderRewriter all(HeaderRewriter::recipientFields(), goldenRules);
    // Every To: stays (a signature covering To covers the field name, whichever instance it signed).
    const HeaderRewriteResult r = all.skipping({QByteArrayLiteral("TO")}).rewrite(m);
    QCOMPARE(r.message,
             QByteArray("To: bob@warmsushi.com\r\nCC: ann@drypizza.com\r\nto: eve@warmsushi.com\r\n\r\n"));
    QCOMPARE(r.changes.size(), 1);
    QCOMPARE(r.changes[0].field, QStringLiteral("CC"));
    QCOMPARE(all.skipping({QByteArrayLiteral("to")}).fieldNames(),
             QList<QByteArray>{QByteArrayLiteral("Cc")});
    QVERIFY(!all.skipping({QByteArrayLiteral("To"), QByteArrayLiteral("cc")}).rewrite(m).changed());
    QCOMPARE(all.skipping({}).rewrite(m).changes.size(), 3);
    QCOMPARE(all.fieldNames(), HeaderRewriter::recipientFields()); // the original is unchanged
}

void TestHeaderRewriter::foldBeforeAddressNeverLeavesBlankLine()
{
    // The addr-spec starts right after a continuation line's WSP and has a
    // fold inside: moving the fold in front of it would leave " \r\n",
    // a whitespace-only line (RFC 5322 §3.2.2).
    const QByteArray m = "To: x@other.example,\r\n bob@warm\r\n  (c) sushi.com\r\n\r\n";
    const HeaderRewriteResult r = HeaderRewriter(HeaderRewriter::recipientFields(), [](const MailAddress &) {
                                      return std::optional<QString>(QStringLiteral("b@drypizza.com"));
                                  }).rewrite(m);
    // "warm (c) sushi.com" is not a domain: the field is malformed.
    QCOMPARE(r.message, m);

    const QByteArray m2 = "To: x@other.example,\r\n bob\r\n  (c) @warmsushi.com\r\n\r\n";
    const HeaderRewriteResult r2 = HeaderRewriter(HeaderRewriter::recipientFields(), goldenRules).rewrite(m2);
    QCOMPARE(r2.message, QByteArray("To: x@other.example,\r\n (c) bob.owen@drypizza.com\r\n\r\n"));
}

void TestHeaderRewriter::randomMessagesNoAnswerNoChange()
{
    const HeaderRewriter rewriter(allAddressFields(), noAnswer);
    for (quint32 seed = 1; seed <= kRandomMessages; ++seed) {
        MessageGenerator gen(seed);
        QByteArray m = gen.message();
        if (seed % 2 == 0)
            m = gen.mutate(m);
        const HeaderRewriteResult r = rewriter.rewrite(m);
        QVERIFY2(r.message == m && r.changes.isEmpty(), qPrintable(QStringLiteral("seed %1").arg(seed)));
    }
}

void TestHeaderRewriter::randomMessagesRoundTrip()
{
    const HeaderRewriter forth(allAddressFields(), toColdPizza);
    const HeaderRewriter back(allAddressFields(), toWarmSushi);
    int changedMessages = 0;
    int totalChanges = 0;
    for (quint32 seed = 1; seed <= kRandomMessages; ++seed) {
        MessageGenerator gen(seed);
        const QByteArray m = gen.message();
        if (m.contains("coldpizza"))
            continue;
        const HeaderRewriteResult r = forth.rewrite(m);
        const QString where = QStringLiteral("seed %1").arg(seed);
        // Same-length rule: every changed byte lies inside an occurrence of
        // the old domain in the header section, and nothing else moved.
        QVERIFY2(r.message.size() == m.size(), qPrintable(where));
        const qsizetype headerEnd = HeaderSection(m).end();
        QList<bool> inDomain(m.size(), false);
        for (qsizetype at = m.indexOf("warmsushi.com"); at >= 0 && at < headerEnd;
             at = m.indexOf("warmsushi.com", at + 1)) {
            for (qsizetype k = at; k < at + 13; ++k)
                inDomain[k] = true;
        }
        for (qsizetype i = 0; i < m.size(); ++i) {
            if (m[i] != r.message[i])
                QVERIFY2(inDomain[i], qPrintable(where + QStringLiteral(" offset %1").arg(i)));
        }
        for (const HeaderChange &c : r.changes)
            QVERIFY2(c.oldAddress.endsWith(QLatin1String("@warmsushi.com")), qPrintable(where));
        // ... and the inverse rule gives back the input exactly.
        const HeaderRewriteResult b = back.rewrite(r.message);
        QVERIFY2(b.message == m,
                 qPrintable(where + QLatin1Char('\n') + QString::fromLatin1(firstDifference(b.message, m))));
        QCOMPARE(b.changes.size(), r.changes.size());
        changedMessages += r.changed() ? 1 : 0;
        totalChanges += static_cast<int>(r.changes.size());
    }
    // The generator must actually exercise rewriting.
    QVERIFY2(changedMessages > kRandomMessages / 2, qPrintable(QString::number(changedMessages)));
    QVERIFY(totalChanges > kRandomMessages);
}

void TestHeaderRewriter::randomMutationsKeepBodyAndBoundary()
{
    const HeaderRewriter rewriter(allAddressFields(), goldenRules);
    for (quint32 seed = 1; seed <= kRandomMessages; ++seed) {
        MessageGenerator gen(seed + 100000);
        const QByteArray m = gen.mutate(gen.message());
        const HeaderRewriteResult r = rewriter.rewrite(m);
        const QString where = QStringLiteral("seed %1").arg(seed + 100000);
        if (!r.changed()) {
            QVERIFY2(r.message == m, qPrintable(where));
            continue;
        }
        // The body is the same bytes and the header section still ends
        // where the body begins: no rewrite adds or removes an empty line.
        const HeaderSection before(m);
        const HeaderSection after(r.message);
        const qsizetype bodySize = m.size() - before.bodyOffset();
        QVERIFY2(after.bodyOffset() == r.message.size() - bodySize, qPrintable(where));
        QVERIFY2(r.message.endsWith(m.mid(before.bodyOffset())), qPrintable(where));
        QVERIFY2(after.fields().size() == before.fields().size(), qPrintable(where));
        QVERIFY2(!after.hasBareLineEnds(), qPrintable(where));
    }
}

QTEST_GUILESS_MAIN(TestHeaderRewriter)
#include "tst_headerrewriter.moc"
