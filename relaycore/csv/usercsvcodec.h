// CSV user lists (docs/behaviour.md "CSV user lists"): parse with every error
// and its line number, write in a form that re-imports unchanged, and the
// two-line sample. A plain codec with no QObject; pure (bytes in, values out).
// The console's import dialog and ConfigStore::importUsers wrap it.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace mailroute {

struct CsvError
{
    qint64 line = 0; // 1-based physical line where the record starts; 0 = whole file
    QString reason;  // English, e.g. "invalid source address \"bob@\": empty domain"
};

struct CsvParseOptions
{
    // A file with only the header would delete every user: refused unless set.
    bool allowEmpty = false;
    // Called now and then with (bytes consumed, total bytes); return false to
    // cancel, which yields a result with `cancelled` set and no rows.
    std::function<bool(qint64, qint64)> progress;
};

struct CsvParseResult
{
    QList<UserMapping> rows; // validated and normalised; empty if any error
    // Every error found, in line order; at most 1000, then one entry with
    // line 0 "... and N more errors". Whole-file problems (empty file, header
    // only, UTF-16) have line 0.
    QList<CsvError> errors;
    char delimiter = ';';
    bool cancelled = false;
    bool ok() const { return errors.isEmpty() && !cancelled; }
};

class UserCsvCodec final
{
public:
    // Header `Source;Target` or `SourceEmail;TargetEmail` (case-insensitive);
    // the header's separator (';' or ',') is the file's; UTF-8 with or without
    // BOM; CRLF or LF; RFC 4180 quoting (quoted separators, doubled quotes,
    // line breaks inside quotes are an error for addresses). Refused as a
    // whole: wrong header, wrong column count, invalid address, unterminated
    // quote, invalid UTF-8, NUL bytes, duplicate source (case-insensitive),
    // an over-long line, an empty file.
    static CsvParseResult parse(const QByteArray &data, const CsvParseOptions &opts = {});

    // `Source;Target` header, ';' separator, CRLF line ends, quoting only where
    // needed. parse(write(x)).rows == x, and write(parse(write(x)).rows) == write(x).
    static QByteArray write(const QList<UserMapping> &rows);

    // The two-line example offered by "Download sample CSV".
    static QByteArray sample();
};

} // namespace mailroute
