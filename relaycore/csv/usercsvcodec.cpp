// CSV user lists (docs/behaviour.md "CSV user lists"). The parser works on the
// raw bytes of the file and only turns a field into a QString once it has been
// cut out, so a million-row file is never copied whole; a line is located with
// memchr before it is parsed, so an over-long line is refused without being
// scanned byte by byte or allocated. Pure; safe from any thread.
#include "relaycore/csv/usercsvcodec.h"

#include "relaycore/routing/mailaddress.h"

#include <QHash>
#include <QVarLengthArray>

#include <cstring>

namespace mailroute {

namespace {

// docs/behaviour.md "Limits" keeps SMTP lines short; no honest CSV line of two
// addresses comes near this, and a bound keeps a hostile file from costing
// memory or time.
constexpr qsizetype kMaxLineBytes = 64 * 1024;
// An error list longer than this is no longer read by anyone; the rest is counted.
constexpr qsizetype kMaxErrors = 1000;
constexpr qsizetype kProgressStep = 64 * 1024;
// Error messages quote the offending text, but never a whole 60 KiB field.
constexpr qsizetype kMaxQuotedChars = 80;

const QString &expectedHeaderText()
{
    static const QString text = QStringLiteral("expected \"Source;Target\" or \"SourceEmail;TargetEmail\"");
    return text;
}

bool isBlankByte(char c)
{
    return c == ' ' || c == '\t';
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. QString::fromUtf8 would silently substitute U+FFFD instead.
bool isValidUtf8(const char *text, qsizetype length)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text);
    qsizetype i = 0;
    while (i < length) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        qsizetype len = 0;
        char32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > length)
            return false;
        for (qsizetype k = 1; k < len; ++k) {
            const unsigned char b = s[i + k];
            if ((b & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (b & 0x3Fu);
        }
        if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            return false;
        if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))
            return false;
        i += len;
    }
    return true;
}

// For error messages: shortened, with control characters made visible.
QString quoted(const QString &text)
{
    QString shown = text.size() > kMaxQuotedChars ? text.left(kMaxQuotedChars) + QChar(0x2026) : text;
    for (QChar &ch : shown) {
        if (ch.unicode() < 0x20 || ch.unicode() == 0x7F)
            ch = QChar(0xFFFD);
    }
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

QString delimiterName(char delimiter)
{
    return delimiter == ';' ? QStringLiteral("';'") : QStringLiteral("','");
}

struct Field
{
    qsizetype begin = 0;
    qsizetype length = 0;
    bool quoted = false;
    bool doubledQuotes = false; // contains "" that must be unescaped
    bool ascii = true;
};

// One physical line cut into fields. Lines are records: an address can never
// contain a line break, so a quote still open at the end of a line is reported
// there, instead of swallowing the rest of the file into one field as strict
// RFC 4180 would and hiding every later error behind it.
struct Record
{
    QVarLengthArray<Field, 2> fields; // the first two only
    qsizetype fieldCount = 0;
    bool blank = false;
    QString error; // structural error; empty if none
};

class LineScanner
{
public:
    LineScanner(const char *data, qsizetype size) : m_data(data), m_size(size) {}

    struct Line
    {
        qsizetype begin = 0;
        qsizetype end = 0;  // excludes the LF or CRLF
        qsizetype next = 0; // where the following line starts
        bool tooLong = false;
        bool bareCrInPrefix = false; // only computed for over-long lines
    };

    // Locates the line starting at `begin` without looking at more than
    // kMaxLineBytes + 2 bytes, unless it is too long and must be skipped, which
    // memchr does at memory speed.
    Line locate(qsizetype begin) const
    {
        Line line;
        line.begin = begin;
        const qsizetype remaining = m_size - begin;
        const qsizetype window = qMin(remaining, kMaxLineBytes + 2);
        const void *lf = std::memchr(m_data + begin, '\n', size_t(window));
        qsizetype lfPos = -1;
        if (lf) {
            lfPos = static_cast<const char *>(lf) - m_data;
        } else if (window < remaining) {
            line.tooLong = true;
            line.bareCrInPrefix = std::memchr(m_data + begin, '\r', size_t(kMaxLineBytes)) != nullptr;
            const void *far = std::memchr(m_data + begin + window, '\n', size_t(remaining - window));
            lfPos = far ? static_cast<const char *>(far) - m_data : -1;
        }
        if (lfPos >= 0) {
            line.end = lfPos;
            line.next = lfPos + 1;
        } else {
            line.end = m_size;
            line.next = m_size;
        }
        if (line.end > begin && m_data[line.end - 1] == '\r' && line.end < m_size)
            --line.end;
        if (line.end - begin > kMaxLineBytes)
            line.tooLong = true;
        return line;
    }

    Record parse(const Line &line, char delimiter) const
    {
        Record rec;
        qsizetype p = line.begin;
        const qsizetype end = line.end;
        for (;;) {
            while (p < end && isBlankByte(m_data[p]))
                ++p;
            Field f;
            if (p < end && m_data[p] == '"') {
                f.quoted = true;
                ++p;
                f.begin = p;
                for (;;) {
                    if (p >= end) {
                        rec.error = QStringLiteral(
                            "unterminated quoted field (a '\"' opened on this line is not closed)");
                        return rec;
                    }
                    const char c = m_data[p];
                    if (c == '"') {
                        if (p + 1 < end && m_data[p + 1] == '"') {
                            f.doubledQuotes = true;
                            p += 2;
                            continue;
                        }
                        f.length = p - f.begin;
                        ++p;
                        break;
                    }
                    if (c == '\0')
                        return nulError(rec);
                    if (c == '\r')
                        return bareCrError(rec);
                    if (static_cast<unsigned char>(c) & 0x80)
                        f.ascii = false;
                    ++p;
                }
                while (p < end && isBlankByte(m_data[p]))
                    ++p;
                if (p < end && m_data[p] != delimiter) {
                    if (m_data[p] == '\r')
                        return bareCrError(rec);
                    if (m_data[p] == '\0')
                        return nulError(rec);
                    rec.error = QStringLiteral("unexpected text after a closing quote (a '\"' inside a "
                                               "quoted field must be doubled)");
                    return rec;
                }
            } else {
                f.begin = p;
                while (p < end && m_data[p] != delimiter) {
                    const char c = m_data[p];
                    if (c == '"') {
                        rec.error = QStringLiteral(
                            "a '\"' inside an unquoted field (quote the whole field and double the '\"')");
                        return rec;
                    }
                    if (c == '\0')
                        return nulError(rec);
                    if (c == '\r')
                        return bareCrError(rec);
                    if (static_cast<unsigned char>(c) & 0x80)
                        f.ascii = false;
                    ++p;
                }
                qsizetype last = p;
                while (last > f.begin && isBlankByte(m_data[last - 1]))
                    --last;
                f.length = last - f.begin;
            }
            if (rec.fieldCount < 2)
                rec.fields.append(f);
            ++rec.fieldCount;
            if (p >= end)
                break;
            ++p; // the delimiter
        }
        rec.blank = rec.fieldCount == 1 && !rec.fields[0].quoted && rec.fields[0].length == 0;
        return rec;
    }

    // The field's text, or an empty optional when it is not valid UTF-8.
    // `scratch` is reused so unescaping "" costs no allocation per field.
    std::optional<QString> decode(const Field &f, QByteArray &scratch) const
    {
        const char *text = m_data + f.begin;
        qsizetype length = f.length;
        if (f.doubledQuotes) {
            scratch.resize(0);
            for (qsizetype i = 0; i < length; ++i) {
                scratch.append(text[i]);
                if (text[i] == '"')
                    ++i; // the second quote of the pair
            }
            text = scratch.constData();
            length = scratch.size();
        }
        if (f.ascii)
            return QString::fromLatin1(text, length);
        if (!isValidUtf8(text, length))
            return std::nullopt;
        return QString::fromUtf8(text, length);
    }

    // Whether the raw bytes of a field contain `c` (for hints).
    bool fieldContains(const Field &f, char c) const
    {
        return std::memchr(m_data + f.begin, c, size_t(f.length)) != nullptr;
    }

private:
    static Record nulError(Record &rec)
    {
        rec.error = QStringLiteral("the line contains a NUL byte (is this a UTF-16 or binary file?)");
        return rec;
    }
    static Record bareCrError(Record &rec)
    {
        rec.error =
            QStringLiteral("carriage return (CR) without a line feed; lines must end with LF or CRLF");
        return rec;
    }

    const char *m_data;
    qsizetype m_size;
};

class ErrorList
{
public:
    explicit ErrorList(QList<CsvError> &out) : m_out(out) {}
    void add(qint64 line, QString reason)
    {
        if (m_out.size() < kMaxErrors)
            m_out.append(CsvError{line, std::move(reason)});
        else
            ++m_dropped;
    }
    bool any() const { return !m_out.isEmpty(); }
    void finish()
    {
        if (m_dropped > 0)
            m_out.append(CsvError{0, QStringLiteral("... and %1 more errors").arg(m_dropped)});
    }

private:
    QList<CsvError> &m_out;
    qint64 m_dropped = 0;
};

// Whole-file signatures that would otherwise produce a confusing header error.
QString wrongFormatReason(const QByteArray &data)
{
    if (data.startsWith("\xFF\xFE") || data.startsWith("\xFE\xFF"))
        return QStringLiteral("the file is UTF-16; save it as \"CSV UTF-8\" instead");
    if (data.startsWith("PK\x03\x04"))
        return QStringLiteral(
            "the file is a ZIP archive (an Excel workbook?); save it as \"CSV UTF-8\" instead");
    return {};
}

bool headerNamesMatch(const QString &a, const QString &b)
{
    const QString s = a.trimmed();
    const QString t = b.trimmed();
    return (s.compare(QLatin1String("Source"), Qt::CaseInsensitive) == 0 &&
            t.compare(QLatin1String("Target"), Qt::CaseInsensitive) == 0) ||
           (s.compare(QLatin1String("SourceEmail"), Qt::CaseInsensitive) == 0 &&
            t.compare(QLatin1String("TargetEmail"), Qt::CaseInsensitive) == 0);
}

enum class HeaderOutcome {
    Ok,             // delimiter found, header right
    WrongButUsable, // header wrong, but its shape gives the delimiter: rows are still checked
    Fatal           // nothing after it can be checked
};

struct HeaderCheck
{
    HeaderOutcome outcome = HeaderOutcome::Fatal;
    char delimiter = ';';
    QString error;
};

HeaderCheck checkHeader(const LineScanner &scanner, const LineScanner::Line &line, const QByteArray &data)
{
    HeaderCheck check;
    if (line.tooLong) {
        check.error = QStringLiteral("the header line is longer than %1 bytes").arg(kMaxLineBytes);
        return check;
    }
    const QString raw = QString::fromUtf8(data.constData() + line.begin, line.end - line.begin);
    QByteArray scratch;
    std::optional<char> twoColumnDelimiter;
    QString structural;
    for (const char delimiter : {';', ','}) {
        const Record rec = scanner.parse(line, delimiter);
        if (!rec.error.isEmpty()) {
            structural = rec.error;
            continue;
        }
        if (rec.fieldCount != 2)
            continue;
        if (!twoColumnDelimiter)
            twoColumnDelimiter = delimiter;
        const auto a = scanner.decode(rec.fields[0], scratch);
        const auto b = scanner.decode(rec.fields[1], scratch);
        if (a && b && headerNamesMatch(*a, *b)) {
            check.outcome = HeaderOutcome::Ok;
            check.delimiter = delimiter;
            return check;
        }
    }
    if (!structural.isEmpty() && !twoColumnDelimiter) {
        check.error = QStringLiteral("unreadable header: ") + structural;
        return check;
    }
    if (!isValidUtf8(data.constData() + line.begin, line.end - line.begin)) {
        check.error = QStringLiteral("the header is not valid UTF-8");
        return check;
    }
    if (raw.contains(QLatin1Char('@')))
        check.error = QStringLiteral("missing header row: ") + expectedHeaderText() +
                      QStringLiteral(" as the first line, found ") + quoted(raw.trimmed());
    else
        check.error = QStringLiteral("wrong header: ") + expectedHeaderText() + QStringLiteral(", found ") +
                      quoted(raw.trimmed());
    if (twoColumnDelimiter) {
        check.outcome = HeaderOutcome::WrongButUsable;
        check.delimiter = *twoColumnDelimiter;
    }
    return check;
}

} // namespace

CsvParseResult UserCsvCodec::parse(const QByteArray &data, const CsvParseOptions &opts)
{
    CsvParseResult result;
    ErrorList errors(result.errors);
    const qsizetype total = data.size();
    const LineScanner scanner(data.constData(), total);

    if (const QString reason = wrongFormatReason(data); !reason.isEmpty()) {
        errors.add(0, reason);
        return result;
    }

    qsizetype pos = data.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    qint64 lineNo = 1;
    qsizetype lastProgress = 0;
    auto keepGoing = [&]() {
        if (!opts.progress || pos - lastProgress < kProgressStep)
            return true;
        lastProgress = pos;
        return opts.progress(pos, total);
    };
    auto cancel = [&result]() {
        result.cancelled = true;
        result.rows.clear();
        result.errors.clear();
        return result;
    };

    // The header is the first line that is not blank.
    LineScanner::Line line;
    bool haveHeader = false;
    while (pos < total) {
        line = scanner.locate(pos);
        const Record rec = line.tooLong ? Record{} : scanner.parse(line, ';');
        if (line.tooLong || !rec.blank) {
            haveHeader = true;
            break;
        }
        pos = line.next;
        ++lineNo;
        if (!keepGoing())
            return cancel();
    }
    if (!haveHeader) {
        errors.add(0, QStringLiteral("the file is empty; ") + expectedHeaderText() +
                          QStringLiteral(" as the first line"));
        return result;
    }

    const HeaderCheck header = checkHeader(scanner, line, data);
    if (header.outcome != HeaderOutcome::Ok)
        errors.add(lineNo, header.error);
    if (header.outcome == HeaderOutcome::Fatal)
        return result;
    const char delimiter = header.delimiter;
    const char otherDelimiter = delimiter == ';' ? ',' : ';';
    result.delimiter = delimiter;
    pos = line.next;
    ++lineNo;

    // key() of each valid source -> the line it was first seen on. Sized up
    // front (memchr is cheap next to a million rehashes) from the lines that
    // could hold a row at all, so a file of empty lines reserves nothing and
    // no file costs more than a valid one of the same size.
    QHash<QString, qint64> sources;
    {
        constexpr qsizetype kShortestRow = 11; // a@b.c;d@e.f
        qsizetype candidates = 0;
        const char *lineStart = data.constData() + pos;
        const char *const end = data.constData() + total;
        while (lineStart < end) {
            const auto *lf = static_cast<const char *>(std::memchr(lineStart, '\n', size_t(end - lineStart)));
            const char *lineEnd = lf ? lf : end;
            if (lineEnd - lineStart >= kShortestRow)
                ++candidates;
            lineStart = lineEnd + 1;
        }
        sources.reserve(candidates);
        result.rows.reserve(candidates);
    }
    QByteArray scratch;
    qint64 dataRows = 0;
    static const char *const kRoles[2] = {"source", "target"};

    while (pos < total) {
        if (!keepGoing())
            return cancel();
        line = scanner.locate(pos);
        pos = line.next;
        const qint64 thisLine = lineNo++;

        if (line.tooLong) {
            errors.add(
                thisLine,
                line.bareCrInPrefix
                    ? QStringLiteral("line longer than %1 bytes; it contains carriage returns (CR) without "
                                     "line feeds: lines must end with LF or CRLF")
                          .arg(kMaxLineBytes)
                    : QStringLiteral("line longer than %1 bytes").arg(kMaxLineBytes));
            ++dataRows;
            continue;
        }
        const Record rec = scanner.parse(line, delimiter);
        if (!rec.error.isEmpty()) {
            errors.add(thisLine, rec.error);
            ++dataRows;
            continue;
        }
        if (rec.blank)
            continue;
        ++dataRows;
        if (rec.fieldCount != 2) {
            QString reason = QStringLiteral("wrong number of fields: expected 2 separated by %1, found %2")
                                 .arg(delimiterName(delimiter))
                                 .arg(rec.fieldCount);
            if (rec.fieldCount == 1 && scanner.fieldContains(rec.fields[0], otherDelimiter))
                reason += QStringLiteral(" (this line uses %1 but the header uses %2)")
                              .arg(delimiterName(otherDelimiter), delimiterName(delimiter));
            errors.add(thisLine, reason);
            continue;
        }

        std::optional<MailAddress> parsed[2];
        for (int i = 0; i < 2; ++i) {
            const QLatin1String role(kRoles[i]);
            const std::optional<QString> text = scanner.decode(rec.fields[i], scratch);
            if (!text) {
                errors.add(thisLine, QStringLiteral("the %1 field is not valid UTF-8").arg(role));
                continue;
            }
            if (text->isEmpty()) {
                errors.add(thisLine, QStringLiteral("empty %1 address").arg(role));
                continue;
            }
            Result<MailAddress> address = parseMailbox(*text);
            if (!address) {
                errors.add(
                    thisLine,
                    QStringLiteral("invalid %1 address %2: %3").arg(role, quoted(*text), address.error));
                continue;
            }
            parsed[i] = std::move(*address.value);
        }

        if (parsed[0]) {
            const QString key = parsed[0]->key();
            // One lookup; 0 marks a fresh slot because data lines start at 2.
            qint64 &firstLine = sources[key];
            if (firstLine != 0)
                errors.add(thisLine, QStringLiteral("duplicate source address ") +
                                         quoted(parsed[0]->toString()) +
                                         QStringLiteral(": already on line ") + QString::number(firstLine));
            else
                firstLine = thisLine;
            // Equal keys need equal (normalised) domains; most rows stop at that test.
            if (parsed[1] && parsed[1]->domain == parsed[0]->domain && parsed[1]->key() == key)
                errors.add(thisLine, QStringLiteral("source and target are the same address ") +
                                         quoted(parsed[0]->toString()));
        }
        // Once the file is known to be refused, building rows is wasted memory.
        if (!errors.any() && parsed[0] && parsed[1])
            result.rows.append(UserMapping{parsed[0]->toString(), parsed[1]->toString()});
    }

    if (dataRows == 0 && !opts.allowEmpty && !errors.any())
        errors.add(
            0, QStringLiteral("the file has a header but no user mappings; importing it would delete every "
                              "user mapping of the area"));
    if (opts.progress && !opts.progress(total, total))
        return cancel();
    errors.finish();
    if (errors.any())
        result.rows.clear();
    return result;
}

QByteArray UserCsvCodec::write(const QList<UserMapping> &rows)
{
    // Quote only what the parser would otherwise read differently: the
    // separator, quotes, line breaks, and edge whitespace (which it trims).
    auto appendField = [](QByteArray &out, const QString &field) {
        const QByteArray utf8 = field.toUtf8();
        bool needsQuotes = false;
        for (const char c : utf8) {
            if (c == ';' || c == '"' || c == '\r' || c == '\n') {
                needsQuotes = true;
                break;
            }
        }
        if (!utf8.isEmpty() && (isBlankByte(utf8.front()) || isBlankByte(utf8.back())))
            needsQuotes = true;
        if (!needsQuotes) {
            out.append(utf8);
            return;
        }
        out.append('"');
        for (const char c : utf8) {
            if (c == '"')
                out.append('"');
            out.append(c);
        }
        out.append('"');
    };

    QByteArray out;
    out.reserve(16 + rows.size() * 48);
    out.append("Source;Target\r\n");
    for (const UserMapping &row : rows) {
        appendField(out, row.source);
        out.append(';');
        appendField(out, row.target);
        out.append("\r\n");
    }
    return out;
}

QByteArray UserCsvCodec::sample()
{
    return QByteArrayLiteral("Source;Target\r\nbob@warmsushi.com;bob.owen@drypizza.com\r\n");
}

} // namespace mailroute
