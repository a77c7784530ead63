// Tests for UserCsvCodec (docs/behaviour.md "CSV user lists"): every malformed
// fixture under data/bad is refused with the exact lines of its errors and no
// rows; the fixtures under data/good parse to known rows; write() re-imports
// byte-identically.
#include "relaycore/csv/usercsvcodec.h"

#include <QFile>
#include <QTest>

using namespace mailroute;

namespace {

using Lines = QList<qint64>;
using Rows = QList<UserMapping>;

QByteArray fixture(const QString &name)
{
    QFile f(QString::fromUtf8(MAILROUTE_TEST_DATA) + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    return f.readAll();
}

Lines errorLines(const CsvParseResult &r)
{
    Lines lines;
    for (const CsvError &e : r.errors)
        lines.append(e.line);
    return lines;
}

QString describe(const CsvParseResult &r)
{
    QStringList out;
    for (const CsvError &e : r.errors)
        out.append(QString::number(e.line) + QStringLiteral(": ") + e.reason);
    return out.join(QLatin1Char('\n'));
}

UserMapping um(const char *source, const char *target)
{
    return UserMapping{QString::fromUtf8(source), QString::fromUtf8(target)};
}

// A file of `count` valid rows, used where size matters more than content.
QByteArray generated(int count)
{
    QByteArray data("Source;Target\r\n");
    for (int i = 0; i < count; ++i)
        data += "user" + QByteArray::number(i) + "@warmsushi.com;user" + QByteArray::number(i) +
                ".new@drypizza.com\r\n";
    return data;
}

} // namespace

class TestUserCsvCodec : public QObject
{
    Q_OBJECT

private slots:
    void malformedFile_data();
    void malformedFile();
    void validFile_data();
    void validFile();
    void headerOnlyAllowedWhenAllowEmpty();
    void duplicateNamesBothLines();
    void reasonsAreSpecific_data();
    void reasonsAreSpecific();
    void lineLengthLimit_data();
    void lineLengthLimit();
    void hugeLineIsRefused();
    void errorCountIsCapped();
    void errorsStopRowsButNotChecking();
    void roundTrip_data();
    void roundTrip();
    void writeQuotesOnlyWhenNeeded_data();
    void writeQuotesOnlyWhenNeeded();
    void sampleIsTwoValidLines();
    void progressReportsAndFinishes();
    void progressCanCancel_data();
    void progressCanCancel();
};

void TestUserCsvCodec::malformedFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<Lines>("lines");

    QTest::newRow("wrong header") << "bad/wrong_header.csv" << Lines{1};
    QTest::newRow("missing header") << "bad/missing_header.csv" << Lines{1};
    QTest::newRow("header with three columns") << "bad/header_three_columns.csv" << Lines{1};
    QTest::newRow("wrong column count") << "bad/column_count.csv" << Lines{3, 4, 5};
    QTest::newRow("bad address, one field") << "bad/bad_address.csv" << Lines{2, 4};
    QTest::newRow("bad addresses") << "bad/bad_address_fields.csv" << Lines{2, 4, 5, 6, 6};
    QTest::newRow("unterminated quote") << "bad/unterminated_quote.csv" << Lines{3};
    QTest::newRow("unterminated quote at end of file") << "bad/unterminated_quote_eof.csv" << Lines{2};
    QTest::newRow("quote spanning lines") << "bad/quote_spanning_lines.csv" << Lines{2, 3};
    QTest::newRow("quote inside unquoted field") << "bad/quote_inside_unquoted.csv" << Lines{2};
    QTest::newRow("text after closing quote") << "bad/text_after_quote.csv" << Lines{2};
    QTest::newRow("empty file") << "bad/empty.csv" << Lines{0};
    QTest::newRow("BOM only") << "bad/bom_only.csv" << Lines{0};
    QTest::newRow("blank lines only") << "bad/blank_only.csv" << Lines{0};
    QTest::newRow("header only") << "bad/header_only.csv" << Lines{0};
    QTest::newRow("header and blank lines") << "bad/header_and_blank_lines.csv" << Lines{0};
    QTest::newRow("duplicate source") << "bad/duplicate_source.csv" << Lines{5};
    QTest::newRow("NUL byte") << "bad/nul_byte.csv" << Lines{3};
    QTest::newRow("invalid UTF-8") << "bad/invalid_utf8.csv" << Lines{3, 4};
    QTest::newRow("source equals target") << "bad/same_source_target.csv" << Lines{3};
    QTest::newRow("bare CR") << "bad/bare_cr.csv" << Lines{2};
    QTest::newRow("old Mac line ends") << "bad/mac_line_ends.csv" << Lines{1};
    QTest::newRow("mixed separators") << "bad/mixed_separators.csv" << Lines{3};
    QTest::newRow("UTF-16") << "bad/utf16.csv" << Lines{0};
    QTest::newRow("Excel workbook") << "bad/xlsx_like.csv" << Lines{0};
    QTest::newRow("line numbers count blank lines") << "bad/errors_after_blank_lines.csv" << Lines{7, 9};
}

void TestUserCsvCodec::malformedFile()
{
    QFETCH(QString, file);
    QFETCH(Lines, lines);

    const CsvParseResult r = UserCsvCodec::parse(fixture(file));
    QVERIFY2(errorLines(r) == lines, qPrintable(describe(r)));
    QVERIFY(r.rows.isEmpty());
    QVERIFY(!r.ok());
    QVERIFY(!r.cancelled);
    for (const CsvError &e : r.errors)
        QVERIFY2(e.reason.size() > 10, qPrintable(e.reason));
}

void TestUserCsvCodec::validFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<Rows>("rows");

    const Rows bobChloe{um("bob@warmsushi.com", "bob.owen@drypizza.com"),
                        um("chloe@warmsushi.com", "chloe@drypizza.com")};
    const Rows bob{um("bob@warmsushi.com", "bob.owen@drypizza.com")};

    QTest::newRow("';' and CRLF") << "good/semicolon_crlf.csv" << ';' << bobChloe;
    QTest::newRow("',' and LF, lower-case header") << "good/comma_lf.csv" << ',' << bobChloe;
    QTest::newRow("SourceEmail header with whitespace") << "good/sourceemail_header.csv" << ';' << bob;
    QTest::newRow("UTF-8 BOM") << "good/bom.csv" << ';' << bob;
    QTest::newRow("quoted fields") << "good/quoted.csv" << ';'
                                   << Rows{um("bob@warmsushi.com", "bob.owen@drypizza.com"),
                                           um("\"john doe\"@warmsushi.com", "john.doe@drypizza.com"),
                                           um("\"a;b\"@warmsushi.com", "ab@drypizza.com")};
    QTest::newRow("quoted, ',' separator") << "good/quoted_comma.csv" << ','
                                           << Rows{um("\"x,y\"@warmsushi.com", "xy@drypizza.com"),
                                                   um("\"p;q\"@warmsushi.com", "pq@drypizza.com")};
    // Domains come out in ACE and lower case; local parts keep their spelling.
    QTest::newRow("IDN domain, UTF-8 local part")
        << "good/idn.csv" << ';'
        << Rows{um("bob@xn--bcher-kva.example", "Bob.Owen@drypizza.com"),
                um("jörg@warmsushi.com", "joerg@drypizza.com")};
    QTest::newRow("blank lines and trailing blank lines") << "good/blank_lines.csv" << ';' << bobChloe;
    QTest::newRow("no final newline") << "good/no_final_newline.csv" << ';' << bob;
    QTest::newRow("CRLF and LF mixed") << "good/mixed_line_ends.csv" << ';' << bobChloe;
}

void TestUserCsvCodec::validFile()
{
    QFETCH(QString, file);
    QFETCH(char, delimiter);
    QFETCH(Rows, rows);

    const CsvParseResult r = UserCsvCodec::parse(fixture(file));
    QVERIFY2(r.ok(), qPrintable(describe(r)));
    QCOMPARE(r.delimiter, delimiter);
    QCOMPARE(r.rows.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QCOMPARE(r.rows[i].source, rows[i].source);
        QCOMPARE(r.rows[i].target, rows[i].target);
    }
}

void TestUserCsvCodec::headerOnlyAllowedWhenAllowEmpty()
{
    CsvParseOptions opts;
    opts.allowEmpty = true;
    for (const char *file : {"bad/header_only.csv", "bad/header_and_blank_lines.csv"}) {
        const CsvParseResult r = UserCsvCodec::parse(fixture(QString::fromLatin1(file)), opts);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QVERIFY(r.rows.isEmpty());
    }
    // allowEmpty never makes an empty file (no header) acceptable.
    QVERIFY(!UserCsvCodec::parse(QByteArray(), opts).ok());
}

void TestUserCsvCodec::duplicateNamesBothLines()
{
    const CsvParseResult r = UserCsvCodec::parse(fixture(QStringLiteral("bad/duplicate_source.csv")));
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].line, 5);
    QVERIFY2(r.errors[0].reason.contains(QLatin1String("line 2")), qPrintable(r.errors[0].reason));
    QVERIFY2(r.errors[0].reason.contains(QLatin1String("BOB@warmsushi.com")), qPrintable(r.errors[0].reason));
}

// Each error says what is wrong, not only where.
void TestUserCsvCodec::reasonsAreSpecific_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("wrong header") << QByteArray("Name;Email\n") << "wrong header";
    QTest::newRow("missing header") << QByteArray("a@warmsushi.com;b@drypizza.com\n") << "missing header";
    QTest::newRow("column count") << QByteArray("Source;Target\na@warmsushi.com\n") << "expected 2";
    QTest::newRow("mixed separators")
        << QByteArray("Source;Target\na@warmsushi.com,b@drypizza.com\n") << "this line uses ','";
    QTest::newRow("parseMailbox reason included") << QByteArray("Source;Target\nbob@;b@drypizza.com\n")
                                                  << "invalid source address \"bob@\": The domain";
    QTest::newRow("target named") << QByteArray("Source;Target\nbob@warmsushi.com;b@\n")
                                  << "invalid target address";
    QTest::newRow("unterminated quote")
        << QByteArray("Source;Target\n\"a@warmsushi.com;b@drypizza.com\n") << "unterminated";
    QTest::newRow("NUL") << QByteArray("Source;Target\na@warmsushi.com;b@dry\0pizza.com\n", 46) << "NUL byte";
    QTest::newRow("invalid UTF-8") << QByteArray("Source;Target\na@warmsushi.com;\xff@drypizza.com\n")
                                   << "target field is not valid UTF-8";
    QTest::newRow("same address") << QByteArray("Source;Target\na@warmsushi.com;A@WARMSUSHI.COM\n")
                                  << "same address";
    QTest::newRow("bare CR") << QByteArray("Source;Target\na@warmsushi.com;b@drypizza.com\rx\n") << "CR";
    QTest::newRow("empty file") << QByteArray() << "empty";
    QTest::newRow("header only") << QByteArray("Source;Target\n") << "no user mappings";
    QTest::newRow("UTF-16") << QByteArray("\xff\xfeS\0o\0", 6) << "UTF-16";
    // Found by fuzz_usercsvcodec: a BOM inside a quoted local part came back
    // without it (UTF-8 decoders drop a leading U+FEFF), so the re-import of
    // an export was another address. Invisible format characters are refused.
    QTest::newRow("BOM inside an address") << QByteArray("Source;Target\n\"\"\"\xef\xbb\xbf"
                                                         "1\"\"@olamd.example\";q@new.example\n")
                                           << "invisible formatting character U+FEFF";
}

void TestUserCsvCodec::reasonsAreSpecific()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, fragment);
    const CsvParseResult r = UserCsvCodec::parse(data);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors[0].reason.contains(fragment), qPrintable(r.errors[0].reason));
}

// 64 KiB of content is the limit; the line end is not counted.
void TestUserCsvCodec::lineLengthLimit_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("65536, CRLF") << 65536 << QByteArray("\r\n") << true;
    QTest::newRow("65536, LF") << 65536 << QByteArray("\n") << true;
    QTest::newRow("65536, end of file") << 65536 << QByteArray() << true;
    QTest::newRow("65537, CRLF") << 65537 << QByteArray("\r\n") << false;
    QTest::newRow("65537, LF") << 65537 << QByteArray("\n") << false;
    QTest::newRow("65537, end of file") << 65537 << QByteArray() << false;
}

void TestUserCsvCodec::lineLengthLimit()
{
    QFETCH(int, length);
    QFETCH(QByteArray, lineEnd);
    QFETCH(bool, accepted);

    // Trailing blanks of an unquoted field are trimmed, so padding keeps the row valid.
    QByteArray line("bob@warmsushi.com;bob.owen@drypizza.com");
    line.append(QByteArray(length - line.size(), ' '));
    const QByteArray data = "Source;Target\r\n" + line + lineEnd;
    const CsvParseResult r = UserCsvCodec::parse(data);
    if (accepted) {
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.rows.size(), 1);
    } else {
        QCOMPARE(errorLines(r), Lines{2});
        QVERIFY(r.errors[0].reason.contains(QLatin1String("longer than 65536")));
        QVERIFY(r.rows.isEmpty());
    }
}

// Generated rather than committed: 10 MB of fixture would be noise in git.
void TestUserCsvCodec::hugeLineIsRefused()
{
    QByteArray data("Source;Target\r\nbob@warmsushi.com;bob.owen@drypizza.com\r\n");
    data.append(QByteArray(10 * 1024 * 1024, 'a'));
    data.append("\r\nalice@;alice@drypizza.com\r\nchloe@warmsushi.com;chloe@drypizza.com\r\n");
    const CsvParseResult r = UserCsvCodec::parse(data);
    QVERIFY2(errorLines(r) == (Lines{3, 4}), qPrintable(describe(r)));
    QVERIFY(r.errors[0].reason.contains(QLatin1String("longer than")));
    // The reason must not quote the line itself.
    QVERIFY(r.errors[0].reason.size() < 200);
    QVERIFY(r.rows.isEmpty());

    // A huge last line without a line end, and a huge header.
    QByteArray tail("Source;Target\r\n");
    tail.append(QByteArray(10 * 1024 * 1024, ';'));
    QCOMPARE(errorLines(UserCsvCodec::parse(tail)), Lines{2});
    QCOMPARE(errorLines(UserCsvCodec::parse(QByteArray(10 * 1024 * 1024, 'S'))), Lines{1});
}

void TestUserCsvCodec::errorCountIsCapped()
{
    QByteArray data("Source;Target\n");
    for (int i = 0; i < 1500; ++i)
        data.append("broken\n");
    const CsvParseResult r = UserCsvCodec::parse(data);
    QCOMPARE(r.errors.size(), 1001);
    QCOMPARE(r.errors[999].line, 1001);
    QCOMPARE(r.errors.last().line, 0);
    QCOMPARE(r.errors.last().reason, QStringLiteral("... and 500 more errors"));
    QVERIFY(r.rows.isEmpty());
}

// An error early on does not hide later ones, and errors come in line order.
void TestUserCsvCodec::errorsStopRowsButNotChecking()
{
    QByteArray data = generated(5000);
    data.insert(int(qstrlen("Source;Target\r\n")), "x;y\r\n");
    data.append("user7@WARMSUSHI.com;someone@drypizza.com\r\n");
    const CsvParseResult r = UserCsvCodec::parse(data);
    QVERIFY2(errorLines(r) == (Lines{2, 2, 5003}), qPrintable(describe(r)));
    QVERIFY(r.errors[2].reason.contains(QLatin1String("line 10")));
    QVERIFY(r.rows.isEmpty());
}

void TestUserCsvCodec::roundTrip_data()
{
    QTest::addColumn<Rows>("rows");

    QTest::newRow("none") << Rows{};
    QTest::newRow("sample") << UserCsvCodec::parse(UserCsvCodec::sample()).rows;
    QTest::newRow("plain") << Rows{um("bob@warmsushi.com", "bob.owen@drypizza.com"),
                                   um("Chloe.Smith@warmsushi.com", "chloe@drypizza.com")};
    QTest::newRow("quoted local parts") << Rows{um("\"john doe\"@warmsushi.com", "john.doe@drypizza.com"),
                                                um("\"a;b\"@warmsushi.com", "\"x\\\"y\"@drypizza.com"),
                                                um("\"p,q\"@warmsushi.com", "pq@drypizza.com")};
    QTest::newRow("UTF-8 and ACE") << Rows{um("jörg@warmsushi.com", "joerg@xn--bcher-kva.example"),
                                           um("δοκιμή@warmsushi.com", "test@drypizza.com")};
    for (const char *file : {"good/quoted.csv", "good/idn.csv", "good/comma_lf.csv", "good/quoted_comma.csv"})
        QTest::newRow(file) << UserCsvCodec::parse(fixture(QString::fromLatin1(file))).rows;
    QTest::newRow("many") << UserCsvCodec::parse(generated(2000)).rows;
}

void TestUserCsvCodec::roundTrip()
{
    QFETCH(Rows, rows);

    const QByteArray first = UserCsvCodec::write(rows);
    CsvParseOptions opts;
    opts.allowEmpty = true;
    const CsvParseResult r = UserCsvCodec::parse(first, opts);
    QVERIFY2(r.ok(), qPrintable(describe(r)));
    QCOMPARE(r.delimiter, ';');
    QVERIFY(r.rows == rows);
    QCOMPARE(UserCsvCodec::write(r.rows), first);
    QVERIFY(first.startsWith("Source;Target\r\n"));
    QVERIFY(first.endsWith("\r\n"));
    QCOMPARE(first.count('\n'), rows.size() + 1);
}

void TestUserCsvCodec::writeQuotesOnlyWhenNeeded_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QStringLiteral("bob@warmsushi.com") << QByteArray("bob@warmsushi.com");
    QTest::newRow("comma needs no quotes")
        << QStringLiteral("\"a,b\"@warmsushi.com") << QByteArray("\"\"\"a,b\"\"@warmsushi.com\"");
    QTest::newRow("separator") << QStringLiteral("\"a;b\"@warmsushi.com")
                               << QByteArray("\"\"\"a;b\"\"@warmsushi.com\"");
    QTest::newRow("UTF-8 stays raw") << QStringLiteral("j\u00f6rg@warmsushi.com")
                                     << QByteArray("j\xc3\xb6rg@warmsushi.com");
    QTest::newRow("leading blank") << QStringLiteral(" x") << QByteArray("\" x\"");
}

void TestUserCsvCodec::writeQuotesOnlyWhenNeeded()
{
    QFETCH(QString, source);
    QFETCH(QByteArray, expected);
    const QByteArray out = UserCsvCodec::write({UserMapping{source, QStringLiteral("t@drypizza.com")}});
    QCOMPARE(out, "Source;Target\r\n" + expected + ";t@drypizza.com\r\n");
}

void TestUserCsvCodec::sampleIsTwoValidLines()
{
    const QByteArray sample = UserCsvCodec::sample();
    QCOMPARE(sample.count("\r\n"), 2);
    QVERIFY(sample.startsWith("Source;Target\r\n"));
    const CsvParseResult r = UserCsvCodec::parse(sample);
    QVERIFY2(r.ok(), qPrintable(describe(r)));
    QCOMPARE(r.rows.size(), 1);
    QCOMPARE(UserCsvCodec::write(r.rows), sample);
}

void TestUserCsvCodec::progressReportsAndFinishes()
{
    const QByteArray data = generated(40000); // ~2 MB
    QList<qint64> seen;
    CsvParseOptions opts;
    opts.progress = [&seen, &data](qint64 done, qint64 total) {
        if (total != data.size())
            qFatal("progress total %lld, expected %lld", total, qint64(data.size()));
        seen.append(done);
        return true;
    };
    const CsvParseResult r = UserCsvCodec::parse(data, opts);
    QVERIFY2(r.ok(), qPrintable(describe(r)));
    QCOMPARE(r.rows.size(), 40000);
    QVERIFY2(seen.size() >= data.size() / (128 * 1024), qPrintable(QString::number(seen.size())));
    QVERIFY(seen.size() <= data.size() / (32 * 1024) + 2);
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QCOMPARE(seen.last(), qint64(data.size()));
}

void TestUserCsvCodec::progressCanCancel_data()
{
    QTest::addColumn<int>("cancelAtCall");
    QTest::addColumn<QByteArray>("extra");

    QTest::newRow("first call") << 1 << QByteArray();
    QTest::newRow("tenth call") << 10 << QByteArray();
    QTest::newRow("with errors") << 3 << QByteArray("broken\r\n");
}

void TestUserCsvCodec::progressCanCancel()
{
    QFETCH(int, cancelAtCall);
    QFETCH(QByteArray, extra);

    const QByteArray data = "Source;Target\r\n" + extra + generated(40000).mid(15);
    int calls = 0;
    CsvParseOptions opts;
    opts.progress = [&calls, cancelAtCall](qint64, qint64) { return ++calls < cancelAtCall; };
    const CsvParseResult r = UserCsvCodec::parse(data, opts);
    QVERIFY(r.cancelled);
    QVERIFY(!r.ok());
    QVERIFY(r.rows.isEmpty());
    QVERIFY(r.errors.isEmpty());
    QCOMPARE(calls, cancelAtCall); // no call after the cancelling one
}

QTEST_GUILESS_MAIN(TestUserCsvCodec)
#include "tst_usercsvcodec.moc"
