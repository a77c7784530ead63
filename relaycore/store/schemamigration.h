// The configuration database's schema and its step-by-step upgrades. Used by
// ConfigStore::open() on the thread that owns the connection.
//
// The version lives in meta(key = 'schema_version'). Step N brings a database
// from version N-1 to N in its own IMMEDIATE transaction, so a crash or a
// second process opening the same file at the same time leaves it at a whole
// version. Steps that have shipped are never edited: a new change is a new step.
// The steps run through the shared runner (relaycore/sql/migration.h).
#pragma once

#include "relaycore/routing/result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace mailroute {

class SchemaMigration final
{
public:
    static int latestVersion();

    // The SQL of step `version` (1..latestVersion()), without the version bump.
    static QStringList stepStatements(int version);

    // 0 for an empty file; the stored version otherwise. Refuses a file that
    // has tables but no MailRoute meta table (some other SQLite database).
    static Result<int> currentVersion(QSqlDatabase &db);

    // Applies every missing step. Refuses, changing nothing, a file whose
    // version is newer than latestVersion(). Returns the version reached.
    static Result<int> migrate(QSqlDatabase &db);
};

} // namespace mailroute
