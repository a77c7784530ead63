// mailroutectl diff, push, rollback, generations and lint (docs/behaviour.md
// "The command line (mailroutectl)"): the draft against the active
// generation, making it active, going back, the pushed generations, and the
// draft's warnings. --json of the listings as ctl_json.h describes.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_common.h"
#include "app/ctl/ctl_json.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/store/configstore.h"

using namespace Qt::StringLiterals;

namespace mailroute {

using ctl::formatTime;

int CtlApp::cmdDiff()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const QString &line : m_store->pendingDiff().toLines())
            list.add(QJsonObject{{u"change"_s, line}});
        return kExitOk;
    }
    const ConfigDiff diff = m_store->pendingDiff();
    for (const QString &line : diff.toLines())
        m_out << line << '\n';
    return kExitOk;
}

int CtlApp::cmdPush()
{
    if (!promotePendingDkimKeys())
        return kExitError;
    const auto result = m_store->push();
    if (!result.ok())
        return fail(QStringLiteral("push refused: %1").arg(result.error));
    for (const LintFinding &f : result->lint) {
        m_err << (f.severity == LintFinding::Severity::Warning ? "warning: " : "info: ")
              << (f.area ? areaKey(*f.area) + QStringLiteral(": ") : QString()) << f.message << '\n';
    }
    if (result->unchanged)
        m_out << "no changes; generation " << result->generation << " stays active\n";
    else
        m_out << "generation " << result->generation << " is active\n";
    return kExitOk;
}

int CtlApp::cmdRollback()
{
    std::optional<qint64> target;
    if (!m_positionals.isEmpty()) {
        bool ok = false;
        const qint64 g = m_positionals.at(0).toLongLong(&ok);
        if (!ok || g < 1)
            return usage(
                QStringLiteral("GENERATION must be a positive number, got '%1'").arg(m_positionals.at(0)),
                m_command);
        target = g;
    }
    if (!openStore())
        return kExitError;
    const auto result = m_store->rollback(target);
    if (!result.ok())
        return fail(QStringLiteral("rollback refused: %1").arg(result.error));
    m_out << "generation " << *result << " is active\n";
    return kExitOk;
}

int CtlApp::cmdGenerations()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const GenerationInfo &g : m_store->generations())
            list.add(QJsonObject{{u"generation"_s, g.number},
                                 {u"created"_s, formatTime(g.created)},
                                 {u"domains"_s, g.domainCount},
                                 {u"users"_s, g.userCount},
                                 {u"active"_s, g.active}});
        return kExitOk;
    }
    for (const GenerationInfo &g : m_store->generations()) {
        m_out << g.number << '\t' << formatTime(g.created) << '\t' << g.domainCount << " domains\t"
              << g.userCount << " users" << (g.active ? "\tactive" : "") << '\n';
    }
    return kExitOk;
}

int CtlApp::cmdLint()
{
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        for (const LintFinding &f : lintConfig(m_store->draft()))
            list.add(QJsonObject{
                {u"severity"_s, f.severity == LintFinding::Severity::Warning ? u"warning"_s : u"info"_s},
                {u"area"_s, f.area ? QJsonValue(areaKey(*f.area)) : QJsonValue()},
                {u"message"_s, f.message}});
        return kExitOk;
    }
    for (const LintFinding &f : lintConfig(m_store->draft())) {
        m_out << (f.severity == LintFinding::Severity::Warning ? "warning" : "info") << '\t'
              << (f.area ? areaKey(*f.area) : QStringLiteral("-")) << '\t' << f.message << '\n';
    }
    return kExitOk;
}

} // namespace mailroute
