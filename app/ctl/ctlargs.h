// Command-line parsing for mailroutectl: global options (--db), the command
// words, named options (--area, --pushed, --follow, ...) and positionals.
// Hand-written rather than QCommandLineParser so that sub-commands get exact
// usage errors (exit status 2) and options may stand anywhere after the words.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace mailroute {

struct CtlArgs
{
    QString db;                     // --db FILE
    QStringList words;              // command words and positionals, in order
    QHash<QString, QString> values; // --area AREA, --listen X ...
    QSet<QString> flags;            // --pushed, --follow, --allow-empty, --help
    QString error;                  // non-empty: a usage error

    bool has(const QString &flag) const { return flags.contains(flag); }
    QString value(const QString &name) const { return values.value(name); }
    bool hasValue(const QString &name) const { return values.contains(name); }

    // Options that take a value; every other --name is a flag.
    static CtlArgs parse(const QStringList &arguments, const QSet<QString> &valueOptions,
                         const QSet<QString> &flagOptions);
};

} // namespace mailroute
