// The schema upgrade runner; see migration.h.
#include "relaycore/sql/migration.h"

#include "relaycore/sql/sqlite.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace mailroute::sql {

namespace {

Result<int> metaTableVersion(QSqlDatabase &db)
{
    using R = Result<int>;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(
            u"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"_s))
        return R::failure(describe(q.lastError()));
    bool hasMeta = false;
    bool hasOther = false;
    while (q.next()) {
        if (q.value(0).toString() == u"meta"_s)
            hasMeta = true;
        else
            hasOther = true;
    }
    q.finish();
    if (!hasMeta) {
        if (hasOther)
            return R::failure(u"not a MailRoute database (it has tables but no meta table)"_s);
        return R::success(0);
    }
    if (!q.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s))
        return R::failure(describe(q.lastError()));
    if (!q.next())
        return R::failure(u"not a MailRoute database (no schema version in its meta table)"_s);
    bool ok = false;
    const int version = q.value(0).toInt(&ok);
    if (!ok || version < 1)
        return R::failure(u"the database's schema version is invalid (%1)"_s.arg(q.value(0).toString()));
    return R::success(version);
}

Result<int> userVersion(QSqlDatabase &db)
{
    using R = Result<int>;
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return R::failure(describe(q.lastError()));
    return R::success(q.value(0).toInt());
}

Status writeVersion(QSqlDatabase &db, VersionIn where, int version)
{
    if (where == VersionIn::UserVersion) {
        const QString why = run(db, u"PRAGMA user_version = %1"_s.arg(version));
        return why.isEmpty() ? okStatus() : Status::failure(why);
    }
    Query bump(db, u"INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)"_s, {version});
    return bump.exec();
}

} // namespace

Result<int> schemaVersion(QSqlDatabase &db, VersionIn where)
{
    return where == VersionIn::UserVersion ? userVersion(db) : metaTableVersion(db);
}

Result<int> migrate(QSqlDatabase &db, const Schema &schema)
{
    using R = Result<int>;
    const int latest = schema.latestVersion;
    for (;;) {
        // IMMEDIATE takes the write lock first, so two processes opening a new
        // file at once apply each step once: the second re-reads the version
        // inside its own transaction and finds the work done.
        if (const QString why = run(db, u"BEGIN IMMEDIATE"_s); !why.isEmpty())
            return R::failure(u"cannot lock the %1 to check its schema: %2"_s.arg(schema.label, why));
        struct Rollback
        {
            QSqlDatabase &db;
            bool armed = true;
            ~Rollback()
            {
                if (armed)
                    run(db, u"ROLLBACK"_s);
            }
        } guard{db};
        const Result<int> current = schemaVersion(db, schema.versionIn);
        if (!current)
            return current;
        if (*current > latest)
            return R::failure(u"the %1 has schema version %2, newer than this build of MailRoute knows "
                              "(%3); use a newer MailRoute to open it"_s.arg(schema.label)
                                  .arg(*current)
                                  .arg(latest));
        if (*current == latest) {
            if (const QString why = run(db, u"COMMIT"_s); !why.isEmpty())
                return R::failure(why);
            guard.armed = false;
            return R::success(latest);
        }
        const int next = *current + 1;
        auto failed = [&](const QString &why) {
            return R::failure(
                u"upgrading the %1 to schema version %2 failed: %3"_s.arg(schema.label).arg(next).arg(why));
        };
        const QStringList statements = schema.step ? schema.step(next) : QStringList();
        if (statements.isEmpty())
            return failed(u"this build has no step %1"_s.arg(next));
        for (const QString &sql : statements) {
            if (const QString why = run(db, sql); !why.isEmpty())
                return failed(why);
        }
        if (const Status st = writeVersion(db, schema.versionIn, next); !st)
            return failed(st.error);
        if (const QString why = run(db, u"COMMIT"_s); !why.isEmpty())
            return failed(why);
        guard.armed = false;
    }
}

} // namespace mailroute::sql
