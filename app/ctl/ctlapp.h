// mailroutectl: the console's operations without a window
// (docs/behaviour.md "The command line (mailroutectl)"). Runs on the main
// thread of a QCoreApplication; prints results on stdout, errors on stderr.
// Exit status: 0 success, 1 error, 2 usage error.
#pragma once

#include "app/ctl/ctlargs.h"
#include "relaycore/routing/area.h"

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

// One sub-command word ("add", "list", ...): which area it needs, how many
// arguments it takes, and what it does once they are there (and the store is open).
struct CtlVerb
{
    enum class AreaUse { None, AnyArea, UserArea };
    const char *name;
    AreaUse area;
    int minArgs;
    int maxArgs; // -1: no limit
    bool needsStore;
    std::function<int()> run;
};

class CtlApp final
{
public:
    CtlApp(QTextStream &out, QTextStream &err);
    ~CtlApp();
    Q_DISABLE_COPY_MOVE(CtlApp)

    int run(const QStringList &arguments);

    static constexpr int kExitOk = 0;
    static constexpr int kExitError = 1;
    static constexpr int kExitUsage = 2;

private:
    int usage(const QString &message, const QString &command = {});
    int fail(const QString &message);
    int help(const QString &command);
    bool openStore();
    std::optional<Area> requireArea(bool usersOnly);
    bool expectPositionals(int min, int max);
    int dispatch(const std::vector<CtlVerb> &verbs);
    int exitFor(const Status &status);
    int importUsers();
    int exportUsers();

    int cmdDomains();
    int cmdUsers();
    int cmdRoute();
    int cmdDiff();
    int cmdPush();
    int cmdRollback();
    int cmdGenerations();
    int cmdLint();
    int cmdLogs();
    int cmdSettings();
    int cmdRoutes();
    int cmdServe();
    int cmdQueue();
    int cmdExport(); // app/ctl/ctl_export.cpp
    int cmdSecret(); // ctl_secret.cpp
    int cmdCheck(); // ctl_check.cpp
    int cmdDkim();  // ctl_dkim.cpp
    bool promotePendingDkimKeys(); // ctl_dkim.cpp, before a push
    int cmdHold();  // ctl_hold.cpp
    int cmdPurge(); // ctl_hold.cpp
    int cmdVerify(); // ctl_verify.cpp
    int cmdStatus(); // ctl_status.cpp
    // serve's --metrics-file and --metrics-interval into `report`; a usage error or empty.
    QString serveReportOptions(QString *metricsFile, int *metricsIntervalMs) const;
    // --json of the listing commands (ctl_json.cpp); -1: the command handles it.
    int runJson();
    int cmdWave();   // ctl_wave.cpp
    int waveCreate();
    int waveShow();
    int waveCheck();
    int cmdTrace();  // ctl_trace.cpp
    static std::optional<QDateTime> parseTraceTime(const QString &text, const QDateTime &now);
    static std::optional<QDateTime> parseHoldTime(const QString &text, const QDateTime &now);
    QString spoolDirectory() const;

    QTextStream &m_out;
    QTextStream &m_err;
    CtlArgs m_args;
    QString m_command;
    QStringList m_positionals; // words after the command word(s)
    std::unique_ptr<ConfigStore> m_store;
    std::optional<Area> m_area; // of the current sub-command, once checked
};

} // namespace mailroute
