#include "relaycore/csv/wavefile.h"

#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/routing/mailaddress.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

// One CSV record split on `sep`, with RFC 4180 quotes (no line breaks inside).
QStringList splitRecord(const QString &line, QChar sep)
{
    QStringList out;
    QString cur;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < line.size() && line.at(i + 1) == u'"') {
                    cur += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == sep) {
            out << cur.trimmed();
            cur.clear();
        } else {
            cur += c;
        }
    }
    out << cur.trimmed();
    return out;
}

Result<QList<WaveMapping>> parseBatchFile(const QByteArray &data, const QString &targetDomain)
{
    using R = Result<QList<WaveMapping>>;
    const Result<QString> domain =
        normalizeDomain(QString(targetDomain).remove(0, targetDomain.startsWith(u'@') ? 1 : 0));
    if (!domain)
        return R::failure(u"invalid --target-domain \"%1\": %2"_s.arg(targetDomain, domain.error));
    if (data.contains('\0'))
        return R::failure(u"the batch file is not a text file (it contains NUL bytes)"_s);
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    const QStringList lines = text.split(u'\n');
    qsizetype headerLine = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!lines.at(i).trimmed().isEmpty()) {
            headerLine = i;
            break;
        }
    }
    if (headerLine < 0)
        return R::failure(u"the batch file is empty"_s);
    const QString header = lines.at(headerLine).trimmed();
    const QChar sep = header.count(u';') > header.count(u',') ? u';' : u',';
    const QStringList columns = splitRecord(header, sep);
    qsizetype column = -1;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (columns.at(i).compare(u"EmailAddress"_s, Qt::CaseInsensitive) == 0)
            column = i;
    }
    if (column < 0)
        return R::failure(
            u"line %1: the batch file has no EmailAddress column (its header is \"%2\")"_s.arg(headerLine + 1)
                .arg(header));
    QList<WaveMapping> out;
    QStringList errors;
    QSet<QString> seen;
    for (qsizetype i = headerLine + 1; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList fields = splitRecord(line, sep);
        if (column >= fields.size()) {
            errors << u"line %1: no EmailAddress value"_s.arg(i + 1);
            continue;
        }
        const Result<MailAddress> a = parseMailbox(fields.at(column));
        if (!a) {
            errors << u"line %1: invalid address \"%2\": %3"_s.arg(i + 1).arg(fields.at(column), a.error);
            continue;
        }
        if (seen.contains(a->key())) {
            errors << u"line %1: %2 is listed twice"_s.arg(i + 1).arg(a->toString());
            continue;
        }
        seen.insert(a->key());
        const QString target = a->localPart + QLatin1Char('@') + *domain;
        if (a->key() == MailAddress{a->localPart, *domain}.key()) {
            errors << u"line %1: %2 is already in %3"_s.arg(i + 1).arg(a->toString(), *domain);
            continue;
        }
        out.append({a->toString(), target});
    }
    if (errors.size() > 20) {
        const qsizetype more = errors.size() - 20;
        errors = errors.first(20);
        errors << u"... and %1 more errors"_s.arg(more);
    }
    if (!errors.isEmpty())
        return R::failure(errors.join(u"\n"_s));
    if (out.isEmpty())
        return R::failure(u"the batch file lists no addresses"_s);
    return R::success(out);
}

} // namespace

Result<QList<WaveMapping>> parseWaveFile(const QByteArray &data, const QString &targetDomain)
{
    using R = Result<QList<WaveMapping>>;
    if (!targetDomain.isEmpty())
        return parseBatchFile(data, targetDomain);
    const CsvParseResult parsed = UserCsvCodec::parse(data);
    if (!parsed.ok()) {
        QStringList errors;
        for (const CsvError &e : parsed.errors)
            errors << (e.line > 0 ? u"line %1: %2"_s.arg(e.line).arg(e.reason) : e.reason);
        return R::failure(errors.join(u"\n"_s));
    }
    QList<WaveMapping> out;
    for (const UserMapping &m : parsed.rows)
        out.append({m.source, m.target});
    return R::success(out);
}

} // namespace mailroute
