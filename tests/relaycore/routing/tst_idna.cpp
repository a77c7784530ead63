// Tests for idna.h through normalizeDomain, with an independent oracle:
// Debian's python3-idna (IDNA2008 with the UTS #46 mapping) answers for every
// name of data/idna_names.tsv (idna_oracle.py), and MailRoute must agree with
// it except on the rows the table documents, each with its reason. The table
// holds valid names (uppercase, full-width letters and dots, ß, final sigma,
// Persian ZWNJ, Devanagari ZWJ, Catalan middle dot) and look-alikes (ZWJ in
// "paypal", ZWNJ between Latin letters, Latin mixed with Hebrew, emoji).
#include "relaycore/routing/idna.h"
#include "relaycore/routing/mailaddress.h"

#include <QFile>
#include <QProcess>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

const QString kTable = QStringLiteral(MAILROUTE_TEST_DATA "/data/idna_names.tsv");
const QString kOracle = QStringLiteral(MAILROUTE_TEST_DATA "/idna_oracle.py");

struct Row
{
    QString escaped; // as written in the table
    QString name;    // decoded
    QString expected;
    QString python; // python-idna's answer where it differs; empty: the same
    QString why;
};

// \uXXXX and \UXXXXXXXX, as Python's unicode_escape reads them.
QString unescape(const QString &text)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'\\' && i + 1 < text.size() && (text[i + 1] == u'u' || text[i + 1] == u'U')) {
            const int digits = text[i + 1] == u'u' ? 4 : 8;
            bool ok = false;
            const char32_t cp = text.mid(i + 2, digits).toUInt(&ok, 16);
            if (!ok)
                qFatal("bad escape in the IDNA table: %s", qPrintable(text));
            out += QString::fromUcs4(&cp, 1);
            i += 1 + digits;
            continue;
        }
        out += text[i];
    }
    return out;
}

QList<Row> readTable()
{
    QFile f(kTable);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(kTable));
    QList<Row> rows;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(u'\n')) {
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList fields = line.split(u'\t');
        if (fields.size() != 2 && fields.size() != 4)
            qFatal("bad line in the IDNA table: %s", qPrintable(line));
        rows.append({fields[0], unescape(fields[0]), fields[1], fields.value(2), fields.value(3)});
    }
    return rows;
}

QString verdict(const QString &name)
{
    const Result<QString> r = normalizeDomain(name);
    return r ? *r : u"refused"_s;
}

} // namespace

class TestIdna : public QObject
{
    Q_OBJECT

private slots:
    void table_data();
    void table();
    void agreesWithPythonIdna();
    void reasonsNameTheRule_data();
    void reasonsNameTheRule();
    void toUnicode();
    void mailboxes();
};

void TestIdna::table_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    for (const Row &row : readTable())
        QTest::newRow(qPrintable(row.escaped)) << row.name << row.expected;
}

// MailRoute's own verdict for every name (independent of python-idna).
void TestIdna::table()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(verdict(name), expected);
}

// The oracle: python-idna gives the same ACE form or refusal for every row,
// except where the table says why not.
void TestIdna::agreesWithPythonIdna()
{
    const QString python = QStringLiteral("/usr/bin/python3");
    QProcess probe;
    probe.start(python, {u"-c"_s, u"import idna"_s});
    const bool haveIdna =
        probe.waitForFinished(30000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
    MAILROUTE_REQUIRE(haveIdna, "/usr/bin/python3 with the idna module (Debian: python3-idna)");

    QProcess oracle;
    oracle.start(python, {kOracle, kTable});
    QVERIFY(oracle.waitForFinished(60000));
    QCOMPARE(oracle.exitCode(), 0);
    const QStringList answers =
        QString::fromUtf8(oracle.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    const QList<Row> rows = readTable();
    QCOMPARE(answers.size(), rows.size());
    int documented = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const Row &row = rows[i];
        const QString mine = verdict(row.name);
        const QString theirs = row.python.isEmpty() ? mine : row.python;
        QVERIFY2(answers[i] == theirs,
                 qPrintable(u"%1: python-idna says %2, MailRoute %3 (expected python-idna: %4)"_s.arg(
                     row.escaped, answers[i], mine, theirs)));
        if (!row.python.isEmpty()) {
            QVERIFY2(answers[i] != mine,
                     qPrintable(row.escaped + u": documented as a difference, but both agree"_s));
            QVERIFY(!row.why.isEmpty());
            ++documented;
            qInfo("documented difference: %s -> MailRoute %s, python-idna %s: %s", qPrintable(row.escaped),
                  qPrintable(mine), qPrintable(answers[i]), qPrintable(row.why));
        }
    }
    qInfo("%d names, %d agree with python-idna, %d documented differences", int(rows.size()),
          int(rows.size()) - documented, documented);
    QVERIFY(rows.size() >= 40);
}

void TestIdna::reasonsNameTheRule_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    QTest::newRow("ZWJ") << u"pay\u200Dpal.example"_s << u"zero-width joiner or non-joiner"_s;
    QTest::newRow("ZWJ in ACE") << u"xn--paypal-rf0c.example"_s << u"zero-width joiner or non-joiner"_s;
    QTest::newRow("bidi") << u"ab\u05D0.example"_s << u"Bidi Rule (RFC 5893)"_s;
    QTest::newRow("emoji") << u"\U0001F600.example"_s << u"U+1F600, which IDNA2008 does not permit"_s;
    QTest::newRow("middle dot") << u"a\u00B7b.example"_s << u"U+00B7"_s;
    QTest::newRow("digits") << u"\u0660\u06F0.example"_s << u"Arabic-Indic"_s;
    QTest::newRow("punycode") << u"xn--a.example"_s << u"xn--"_s;
    QTest::newRow("symbol") << u"\u2615.example"_s << u"U+2615"_s;
}

void TestIdna::reasonsNameTheRule()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const Result<QString> r = normalizeDomain(name);
    QVERIFY(!r);
    QVERIFY2(r.error.contains(reason), qPrintable(r.error));
}

void TestIdna::toUnicode()
{
    QCOMPARE(*idnaToUnicode(u"xn--bcher-kva.example"_s), u"b\u00FCcher.example"_s);
    QCOMPARE(*idnaToUnicode(u"xn--strae-oqa.example"_s), u"stra\u00DFe.example"_s);
    QCOMPARE(*idnaToUnicode(u"Example.COM"_s), u"example.com"_s);
    QVERIFY(!idnaToUnicode(u"xn--paypal-rf0c.example"_s));
    QVERIFY(!idnaToUnicode(u"xn--e28h.example"_s));
    QVERIFY(needsIdna(u"a.XN--bcher-kva.example"_s));
    QVERIFY(!needsIdna(u"axn--b.example"_s));
}

// The same rules for the domain of a mailbox, after parseMailbox's NFC.
void TestIdna::mailboxes()
{
    QCOMPARE(parseMailbox(u"bob@B\u00DCCHER.example"_s)->domain, u"xn--bcher-kva.example"_s);
    QCOMPARE(parseMailbox(u"bob@bu\u0308cher.example"_s)->domain, u"xn--bcher-kva.example"_s);
    QVERIFY(!parseMailbox(u"billing@pay\u200Dpal.example"_s));
    QVERIFY(!parseMailbox(u"billing@xn--paypal-rf0c.example"_s));
    QVERIFY(
        parseMailbox(u"\u0645\u06CC\u200C\u062E@\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.example"_s));
}

QTEST_GUILESS_MAIN(TestIdna)
#include "tst_idna.moc"
