// mailroutectl: the console's operations without a window
// (docs/behaviour.md "The command line (mailroutectl)"). Runs on the main
// thread of a QCoreApplication; prints results on stdout, errors on stderr.
// Exit status: 0 success, 1 error, 2 usage error.
#pragma once

#include "app/ctl/ctlargs.h"
#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QDateTime>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mailroute {

class ConfigStore;
struct Done;
template <typename T> struct Result;
using Status = Result<Done>;

class CtlApp;

// One row of mailroutectl's verb table (CtlApp::verbs(), ctl_verbs.cpp): a
// command word and its sub-command word, what --json does with it, which
// area it needs, how many arguments it takes, whether the store is opened
// before the handler runs, and the handler. CtlApp::dispatch() checks all of
// that (usage errors: exit status 2) and then runs the handler.
struct CtlVerb
{
    enum class AreaUse { None, AnyArea, UserArea };
    // Listing: takes --json (the listings of "mailroutectl --help").
    // Refused: the dispatcher refuses --json, before anything else.
    // OwnRefusal: refused too, by the command's own first check (hold,
    // dkim, verify, wave), whose message names the command's listing.
    enum class Json { Refused, Listing, OwnRefusal };
    const char *command;
    const char *verb; // nullptr: the command's row for no word (or, beside verbs, any other word)
    Json json;
    AreaUse area;
    int minArgs;
    int maxArgs; // -1: no limit
    bool needsStore;
    int (CtlApp::*run)();
};

// What a few commands say about their words instead of the dispatcher's
// "X needs a, b or c" and "unknown X command 'y'", and a check that runs
// before their word is looked at (ctl_verbs.cpp).
struct CtlCommandWords
{
    const char *command;
    const char *needs;       // nullptr: the dispatcher's
    const char *unknown;     // %1: the word; nullptr: the dispatcher's
    int (CtlApp::*before)(); // -1: go on; nullptr: none
};

class CtlApp final
{
public:
    CtlApp(QTextStream &out, QTextStream &err);
    ~CtlApp();
    Q_DISABLE_COPY_MOVE(CtlApp)

    int run(const QStringList &arguments);

    // The verb table: every command and sub-command (ctl_verbs.cpp).
    static const std::vector<CtlVerb> &verbs();
    static const CtlCommandWords *commandWords(const QString &command);

    static constexpr int kExitOk = 0;
    static constexpr int kExitError = 1;
    static constexpr int kExitUsage = 2;

private:
    // The dispatcher and what every command uses (ctlapp.cpp).
    int dispatch();
    int usage(const QString &message, const QString &command = {});
    int fail(const QString &message);
    int help(const QString &command);
    bool openStore();
    // With --pushed the active generation's configuration (its number in
    // *generation), else the draft (generation 0). nullopt after saying
    // why (nothing pushed yet, or the store's error) on stderr.
    std::optional<ConfigData> draftOrPushed(qint64 *generation = nullptr);
    std::optional<Area> requireArea(bool usersOnly);
    bool expectPositionals(int min, int max);
    int exitFor(const Status &status);
    QString spoolDirectory() const;
    int cmdCompletion();

    // The handlers of the verb table, by file.
    int domainsList(); // ctl_mappings.cpp
    int domainsAdd();
    int domainsRemove();
    int usersList();
    int usersAdd();
    int usersRemove();
    int importUsers();
    int exportUsers();
    int usersSample();
    int cmdRoute();
    int cmdDiff(); // ctl_generations.cpp
    int cmdPush();
    int cmdRollback();
    int cmdGenerations();
    int cmdLint();
    int cmdLogs();      // ctl_logs.cpp
    int settingsList(); // ctl_settings.cpp
    int settingsGet();
    int settingsSet();
    int settingsReset();
    int routesList();
    int routesSet();
    int routesRemove();
    int cmdServe(); // ctl_serve.cpp
    // serve's --metrics-file and --metrics-interval into `report`; a usage error or empty (ctl_status.cpp).
    QString serveReportOptions(QString *metricsFile, int *metricsIntervalMs) const;
    int queueList(); // ctl_queue.cpp
    int queueControl();
    int cmdExport();               // ctl_export.cpp
    int cmdSecret();               // ctl_secret.cpp
    int cmdCheck();                // ctl_check.cpp
    int cmdDkim();                 // ctl_dkim.cpp
    bool promotePendingDkimKeys(); // ctl_dkim.cpp, before a push
    int cmdHold();                 // ctl_hold.cpp
    int cmdPurge();                // ctl_hold.cpp
    static std::optional<QDateTime> parseHoldTime(const QString &text, const QDateTime &now);
    int verifyWords(); // ctl_verify.cpp
    int cmdVerify();
    int cmdStatus();   // ctl_status.cpp
    int waveOptions(); // ctl_wave.cpp
    int waveCreate();
    int waveList();
    int waveShow();
    int waveCheck();
    int waveApply();
    int waveCancel();
    int waveRemove();
    int cmdTrace(); // ctl_trace.cpp
    static std::optional<QDateTime> parseTraceTime(const QString &text, const QDateTime &now);

    QTextStream &m_out;
    QTextStream &m_err;
    CtlArgs m_args;
    QString m_command;
    QString m_verb;            // the sub-command word of the verb table's row, once dispatched
    QStringList m_positionals; // words after the command word(s)
    std::unique_ptr<ConfigStore> m_store;
    std::optional<Area> m_area; // of the current sub-command, once checked
};

} // namespace mailroute
