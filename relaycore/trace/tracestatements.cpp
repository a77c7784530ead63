// The multi-row statements a trace batch is written with (traceingest_p.h).
#include "relaycore/trace/traceingest_p.h"

#include <QSqlError>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace mailroute::tracedetail {

int rowsPerStatement(qsizetype left)
{
    if (left >= kRowsPerInsert)
        return kRowsPerInsert;
    int n = 1;
    while (n * 2 <= left)
        n *= 2;
    return n;
}

QString describe(const QSqlQuery &q)
{
    const QSqlError e = q.lastError();
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return u"trace store: %1"_s.arg(text.isEmpty() ? u"unknown database error"_s : text);
}

Sql::Sql(StatementCache &cache, const QString &sql, const QVariantList &values) : q(cache.get(sql, &error))
{
    if (!error.isEmpty())
        return;
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values.at(i));
    if (!q.exec())
        error = describe(q);
}

// "INSERT INTO table (columns) VALUES (?, ...), (?, ...)" for `rows` rows.
QString multiRowInsert(const QString &table, const QStringList &columns, int rows)
{
    QString one = u"("_s;
    for (qsizetype i = 0; i < columns.size(); ++i)
        one += i ? u", ?"_s : u"?"_s;
    one += u')';
    QString sql = u"INSERT INTO %1 (%2) VALUES "_s.arg(table, columns.join(u", "_s));
    for (int r = 0; r < rows; ++r) {
        if (r)
            sql += u", "_s;
        sql += one;
    }
    return sql;
}

// Inserts `rows` (each columns.size() values) in statements of up to kRowsPerInsert rows.
QString insertRows(StatementCache &db, const QString &table, const QStringList &columns,
                   const QList<QVariantList> &rows)
{
    for (qsizetype from = 0, n = 0; from < rows.size(); from += n) {
        n = rowsPerStatement(rows.size() - from);
        QVariantList values;
        values.reserve(n * columns.size());
        for (qsizetype r = from; r < from + n; ++r)
            values += rows.at(r);
        Sql q(db, multiRowInsert(table, columns, n), values);
        if (!q.ok())
            return q.error;
    }
    return {};
}

// "UPDATE <set> FROM (VALUES (?, ...), ...) AS v WHERE <where>" for `rows`
// rows of `width` values: one statement per kRowsPerInsert rows doing what
// one UPDATE per row would (each row names its own target by its key).
// `changed` (optional) gets the number of rows updated.
QString updateRows(StatementCache &db, const QString &set, const QString &where, int width,
                   const QList<QVariantList> &rows, qint64 *changed)
{
    for (qsizetype from = 0, n = 0; from < rows.size(); from += n) {
        n = rowsPerStatement(rows.size() - from);
        QString one = u"(?"_s;
        for (int i = 1; i < width; ++i)
            one += u", ?"_s;
        one += u')';
        QString sql = u"UPDATE "_s + set + u" FROM (VALUES "_s;
        for (int r = 0; r < n; ++r)
            sql += r ? u", "_s + one : one;
        sql += u") AS v WHERE "_s + where;
        QVariantList values;
        values.reserve(n * width);
        for (qsizetype r = from; r < from + n; ++r)
            values += rows.at(r);
        Sql q(db, sql, values);
        if (!q.ok())
            return q.error;
        if (changed)
            *changed += q.q.numRowsAffected();
    }
    return {};
}

} // namespace mailroute::tracedetail
