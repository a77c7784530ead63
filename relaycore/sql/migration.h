// The schema upgrade runner every MailRoute database uses: step N brings a
// file from version N-1 to N in its own IMMEDIATE transaction, so a crash or
// a second process opening the same file at the same time leaves it at a
// whole version; a file newer than the build is refused, changing nothing.
// Steps that have shipped are never edited: a change is a new step.
// Runs on the thread that owns the connection (relaycore/sql/sqlite.h).
#pragma once

#include "relaycore/routing/result.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>

namespace mailroute::sql {

// Where a file keeps its schema version.
enum class VersionIn {
    // meta(key = 'schema_version'); the meta table is created by step 1.
    // A file with tables but no meta table is refused (not MailRoute's).
    MetaTable,
    // PRAGMA user_version (0 for a new file).
    UserVersion,
};

struct Schema
{
    // How errors name the file: "the <label> has schema version 7, ...".
    QString label = QStringLiteral("database");
    int latestVersion = 0;
    // The statements of step `version` (1..latestVersion), without the
    // version bump, which the runner adds.
    std::function<QStringList(int version)> step;
    VersionIn versionIn = VersionIn::MetaTable;
};

// 0 for an empty file; the stored version otherwise.
Result<int> schemaVersion(QSqlDatabase &db, VersionIn where);

// Applies every missing step in order. Returns the version reached (the
// latest), or why not; a file newer than `latestVersion` is refused.
Result<int> migrate(QSqlDatabase &db, const Schema &schema);

} // namespace mailroute::sql
