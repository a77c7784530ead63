#include "app/ctl/ctlargs.h"

namespace mailroute {

CtlArgs CtlArgs::parse(const QStringList &arguments, const QSet<QString> &valueOptions,
                       const QSet<QString> &flagOptions)
{
    CtlArgs a;
    bool onlyPositionals = false;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (onlyPositionals || arg == QLatin1String("-") || !arg.startsWith(QLatin1Char('-'))) {
            a.words << arg;
            continue;
        }
        if (arg == QLatin1String("--")) {
            onlyPositionals = true;
            continue;
        }
        if (arg == QLatin1String("-h")) {
            a.flags.insert(QStringLiteral("help"));
            continue;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            a.error = QStringLiteral("unknown option '%1'").arg(arg);
            return a;
        }
        QString name = arg.mid(2);
        QString inlineValue;
        bool hasInline = false;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
            inlineValue = name.mid(eq + 1);
            name.truncate(eq);
            hasInline = true;
        }
        if (name == QLatin1String("db") || valueOptions.contains(name)) {
            QString v;
            if (hasInline) {
                v = inlineValue;
            } else if (i + 1 < arguments.size()) {
                v = arguments.at(++i);
            } else {
                a.error = QStringLiteral("option --%1 needs a value").arg(name);
                return a;
            }
            if (name == QLatin1String("db"))
                a.db = v;
            else
                a.values.insert(name, v);
        } else if (flagOptions.contains(name) || name == QLatin1String("help") ||
                   name == QLatin1String("version")) {
            if (hasInline) {
                a.error = QStringLiteral("option --%1 takes no value").arg(name);
                return a;
            }
            a.flags.insert(name);
        } else {
            a.error = QStringLiteral("unknown option '--%1'").arg(name);
            return a;
        }
    }
    return a;
}

} // namespace mailroute
