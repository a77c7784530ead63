// mailroutectl's dispatcher and the plumbing every command shares: the
// options, the verb table's words (ctl_verbs.cpp), usage errors, the store,
// the area, the spool directory. The commands are in ctl_*.cpp, one file per
// command or group (docs/architecture.md).
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_common.h"
#include "app/ctl/ctlcompletion.h"

#include "relaycore/store/configstore.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <unistd.h>

namespace mailroute {

namespace ctl {

QString formatTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

volatile std::sig_atomic_t stopRequested = 0;
int signalPipe[2] = {-1, -1};
extern "C" void onStopSignal(int)
{
    stopRequested = 1;
    if (signalPipe[1] >= 0) {
        const char byte = 1;
        [[maybe_unused]] const auto n = ::write(signalPipe[1], &byte, 1);
    }
}

} // namespace ctl

namespace {

// The option sets of the parser; the completion script is generated from them.
const QSet<QString> &valueOptions()
{
    static const QSet<QString> options{QStringLiteral("area"),
                                       QStringLiteral("listen"),
                                       QStringLiteral("smarthost"),
                                       QStringLiteral("spool"),
                                       QStringLiteral("tls"),
                                       QStringLiteral("send-to"),
                                       QStringLiteral("from"),
                                       QStringLiteral("selector"),
                                       QStringLiteral("algorithm"),
                                       QStringLiteral("until"),
                                       QStringLiteral("at"),
                                       QStringLiteral("expire"),
                                       QStringLiteral("target-domain"),
                                       QStringLiteral("metrics-file"),
                                       QStringLiteral("metrics-interval"),
                                       QStringLiteral("to"),
                                       QStringLiteral("message-id"),
                                       QStringLiteral("queue-id"),
                                       QStringLiteral("status"),
                                       QStringLiteral("since")};
    return options;
}

const QSet<QString> &flagOptions()
{
    static const QSet<QString> options{
        QStringLiteral("pushed"),        QStringLiteral("follow"),      QStringLiteral("allow-empty"),
        QStringLiteral("actions"),       QStringLiteral("messages"),    QStringLiteral("json"),
        QStringLiteral("zone"),          QStringLiteral("all"),         QStringLiteral("yes"),
        QStringLiteral("with-outbound"), QStringLiteral("apply-anyway")};
    return options;
}

// What a refused --json names (the rows of the verb table marked Listing).
const char *const kJsonListings =
    "domains list, users list, users export, generations, lint, diff, logs, settings list, routes list, "
    "queue list, hold list, dkim list, verify excluded, verify targets, check dns, check connector, status, "
    "wave list and trace";

} // namespace

CtlApp::CtlApp(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) {}

CtlApp::~CtlApp() = default;

int CtlApp::usage(const QString &message, const QString &command)
{
    m_err << "mailroutectl: " << message << '\n';
    m_err << "Try 'mailroutectl " << (command.isEmpty() ? QString() : command + QLatin1Char(' '))
          << "--help'.\n";
    return kExitUsage;
}

int CtlApp::fail(const QString &message)
{
    m_err << "mailroutectl: " << message << '\n';
    return kExitError;
}

int CtlApp::help(const QString &command)
{
    m_out << ctlHelpText(command);
    return kExitOk;
}

bool CtlApp::openStore()
{
    m_store = std::make_unique<ConfigStore>(ConfigStore::resolveDatabasePath(m_args.db));
    const Status st = m_store->open();
    if (!st.ok()) {
        fail(QStringLiteral("cannot open database %1: %2").arg(m_store->path(), st.error));
        return false;
    }
    return true;
}

std::optional<ConfigData> CtlApp::draftOrPushed(qint64 *generation)
{
    if (generation)
        *generation = 0;
    if (!m_args.has(QStringLiteral("pushed")))
        return m_store->draft();
    const auto active = m_store->activeGeneration();
    if (!active) {
        fail(QStringLiteral("nothing has been pushed yet"));
        return std::nullopt;
    }
    auto cfg = m_store->generationConfig(*active);
    if (!cfg.ok()) {
        fail(cfg.error);
        return std::nullopt;
    }
    if (generation)
        *generation = *active;
    return std::move(*cfg);
}

std::optional<Area> CtlApp::requireArea(bool usersOnly)
{
    if (!m_args.hasValue(QStringLiteral("area"))) {
        usage(QStringLiteral("%1 needs --area relay|inbound|outbound").arg(m_command), m_command);
        return std::nullopt;
    }
    const QString key = m_args.value(QStringLiteral("area"));
    const auto area = areaFromKey(key);
    if (!area) {
        usage(QStringLiteral("unknown area '%1' (relay, inbound or outbound)").arg(key), m_command);
        return std::nullopt;
    }
    if (usersOnly && !areaHasUsers(*area)) {
        usage(QStringLiteral("the relay area has domain mappings only (no user list)"), m_command);
        return std::nullopt;
    }
    return area;
}

bool CtlApp::expectPositionals(int min, int max)
{
    if (m_positionals.size() < min) {
        usage(QStringLiteral("missing argument"), m_command);
        return false;
    }
    if (max >= 0 && m_positionals.size() > max) {
        usage(QStringLiteral("unexpected argument '%1'").arg(m_positionals.at(max)), m_command);
        return false;
    }
    return true;
}

int CtlApp::run(const QStringList &arguments)
{
    m_args = CtlArgs::parse(arguments, valueOptions(), flagOptions());
    if (!m_args.error.isEmpty())
        return usage(m_args.error);
    if (m_args.has(QStringLiteral("version"))) {
        m_out << "mailroutectl " << QStringLiteral(MAILROUTE_VERSION) << '\n';
        return kExitOk;
    }
    if (m_args.words.isEmpty()) {
        if (m_args.has(QStringLiteral("help")))
            return help({});
        return usage(QStringLiteral("no command given"));
    }
    m_command = m_args.words.first();
    m_positionals = m_args.words.mid(1);
    if (m_command == QLatin1String("help"))
        return help(m_positionals.value(0));
    if (m_args.has(QStringLiteral("help")))
        return help(m_command);
    return dispatch();
}

int CtlApp::dispatch()
{
    // The command's rows: those with a verb, and the one for no (other) word.
    std::vector<const CtlVerb *> named;
    const CtlVerb *own = nullptr;
    bool refusesJson = false;
    for (const CtlVerb &v : verbs()) {
        if (m_command != QLatin1String(v.command))
            continue;
        if (v.verb)
            named.push_back(&v);
        else
            own = &v;
        refusesJson = refusesJson || v.json == CtlVerb::Json::Refused;
    }
    if (named.empty() && !own)
        return usage(QStringLiteral("unknown command '%1'").arg(m_command));
    const QString word = m_positionals.value(0);
    const auto it = std::find_if(named.begin(), named.end(),
                                 [&](const CtlVerb *v) { return word == QLatin1String(v->verb); });
    const CtlVerb *row = it != named.end() ? *it : own;

    // --json goes with the listings; the others refuse it before anything else.
    if (m_args.has(QStringLiteral("json")) && refusesJson && (!row || row->json != CtlVerb::Json::Listing))
        return usage(
            QStringLiteral("--json is not available for '%1'; it goes with %2")
                .arg(QString(m_command + QLatin1Char(' ') + word).trimmed(), QLatin1String(kJsonListings)),
            m_command);
    const CtlCommandWords *words = commandWords(m_command);
    if (words && words->before) {
        if (const int code = (this->*words->before)(); code >= 0)
            return code;
    }
    if (!row) {
        if (word.isEmpty() && words && words->needs)
            return usage(QString::fromLatin1(words->needs), m_command);
        if (word.isEmpty()) {
            QStringList names;
            for (const CtlVerb *v : named)
                names << QString::fromLatin1(v->verb);
            const QString last = names.takeLast();
            return usage(
                QStringLiteral("%1 needs %2 or %3").arg(m_command, names.join(QStringLiteral(", ")), last),
                m_command);
        }
        if (words && words->unknown) {
            const QString unknown = QString::fromLatin1(words->unknown);
            return usage(unknown.contains(QLatin1String("%1")) ? unknown.arg(word) : unknown, m_command);
        }
        return usage(QStringLiteral("unknown %1 command '%2'").arg(m_command, word), m_command);
    }
    if (row->verb)
        m_positionals = m_positionals.mid(1);
    m_verb = QString::fromLatin1(row->verb);
    if (row->area != CtlVerb::AreaUse::None) {
        m_area = requireArea(row->area == CtlVerb::AreaUse::UserArea);
        if (!m_area)
            return kExitUsage;
    }
    if (!expectPositionals(row->minArgs, row->maxArgs))
        return kExitUsage;
    if (row->needsStore && !openStore())
        return kExitError;
    return (this->*row->run)();
}

int CtlApp::exitFor(const Status &status)
{
    return status.ok() ? kExitOk : fail(status.error);
}

QString CtlApp::spoolDirectory() const
{
    if (m_args.hasValue(QStringLiteral("spool")))
        return QDir::cleanPath(QDir::current().absoluteFilePath(m_args.value(QStringLiteral("spool"))));
    // Beside the database by default (issue 3: "the spool directory defaults beside the database").
    return QFileInfo(ConfigStore::resolveDatabasePath(m_args.db)).absolutePath() + QStringLiteral("/spool");
}

int CtlApp::cmdCompletion()
{
    // Generated from the verb table and the option sets, so it lists what this parser takes.
    if (!m_positionals.isEmpty())
        return usage(QStringLiteral("completion needs bash"), m_command);
    QStringList commands;
    for (const CtlVerb &v : verbs())
        commands << QString::fromLatin1(v.command);
    commands.removeDuplicates();
    m_out << bashCompletionScript({commands, valueOptions(), flagOptions()});
    return kExitOk;
}

} // namespace mailroute
