// `mailroutectl completion bash`: the bash completion script for mailroutectl,
// generated from the tables the command line itself uses (the command table
// and option sets of CtlApp::run(), the help texts for sub-commands, option
// values and per-command options, the areas, SettingsSchema for setting keys
// and their values, the secret names), so it cannot drift from the parser.
// The build writes it to share/bash-completion/completions/mailroutectl.
#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace mailroute {

// The help text of one command (the overview for an unknown or empty name);
// defined with the help tables in ctlapp.cpp.
QString ctlHelpText(const QString &command);

struct CtlCompletionTables
{
    QStringList commands;       // the command words the parser dispatches
    QSet<QString> valueOptions; // --name VALUE (besides --db)
    QSet<QString> flagOptions;  // --name
};

// The whole script (bash), deterministic for the same tables.
QString bashCompletionScript(const CtlCompletionTables &tables);

} // namespace mailroute
