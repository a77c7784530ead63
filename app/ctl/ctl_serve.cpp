// mailroutectl serve (docs/behaviour.md "The command line (mailroutectl)"):
// the relay without a window, on the active generation, following pushes
// and waves, until SIGTERM or SIGINT. Its journal lines, relay-status.json,
// systemd notification and metrics are servereport.h's.
#include "app/ctl/ctlapp.h"

#include "app/ctl/ctl_common.h"
#include "app/ctl/servereport.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/dns/nameserver.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/runtime/generationfollower.h"
#include "relaycore/runtime/memorypolicy.h"
#include "relaycore/store/configstore.h"
#include "relaycore/waves/wavescheduler.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace mailroute {

int CtlApp::cmdServe()
{
    // The overrides are validated like the settings they replace.
    QMap<QString, QString> overrides;
    const std::pair<const char *, QString> optionKeys[] = {{"listen", SettingKey::relayListen()},
                                                           {"smarthost", SettingKey::deliverySmarthost()}};
    for (const auto &[option, key] : optionKeys) {
        if (!m_args.hasValue(QString::fromLatin1(option)))
            continue;
        const auto valid = SettingsSchema::validate(key, m_args.value(QString::fromLatin1(option)));
        if (!valid.ok())
            return usage(QStringLiteral("--%1: %2").arg(QString::fromLatin1(option), valid.error), m_command);
        overrides.insert(key, *valid);
    }
    const auto active = m_store->activeGeneration();
    if (!active)
        return fail(QStringLiteral("nothing has been pushed yet: run 'mailroutectl push' first"));
    GenerationFollower::Options followerOptions;
    followerOptions.databasePath = m_store->path();
    followerOptions.overrides = overrides;
    auto first = GenerationFollower(followerOptions).build(*active);
    if (!first.ok())
        return fail(QStringLiteral("generation %1: %2").arg(*active).arg(first.error));
    if (!(*first)->hostNameWarning.isEmpty())
        m_err << "mailroutectl: warning: " << (*first)->hostNameWarning << '\n';

    // Large blocks always mmap()ed, so a large message's memory goes back when
    // it is freed (relaycore/runtime/memorypolicy.h); before the relay's threads start.
    memorypolicy::useFixedMmapThreshold();

    EngineController::Options options;
    options.engine.spoolDirectory = spoolDirectory();
    options.engine.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!options.engine.nameserver.isEmpty()) {
        if (const auto ns = NameServer::parse(options.engine.nameserver); !ns.ok())
            return fail(QStringLiteral("MAILROUTE_NAMESERVER: %1").arg(ns.error));
    }
    options.databasePath = m_store->path();

    // Journal lines, relay-status.json, systemd notification, metrics (servereport.h).
    ServeReporter::Options report;
    report.spoolDirectory = options.engine.spoolDirectory;
    report.databasePath = m_store->path();
    report.journalPrefixes = ServeReporter::stderrWantsPrefixes();
    if (const QString error = serveReportOptions(&report.metricsFile, &report.metricsIntervalMs);
        !error.isEmpty())
        return usage(error, m_command);
    EngineController controller(options);
    ServeReporter reporter(report, m_err);

    int exitCode = kExitOk;
    bool announced = false;
    QObject::connect(&controller, &EngineController::statusChanged, &controller, [&](const RelayStatus &st) {
        if (st.listening && !announced) {
            announced = true;
            m_err << "mailroutectl: relay listening on " << st.listenAddress << " (generation "
                  << st.generation << ", spool " << options.engine.spoolDirectory << ")\n";
            m_err.flush();
        } else if (!st.listening && !st.error.isEmpty()) {
            m_err << "mailroutectl: " << st.error << '\n';
            m_err.flush();
            exitCode = kExitError;
            controller.stop();
        }
    });
    QObject::connect(&controller, &EngineController::logFailed, &controller, [&](const QString &reason) {
        m_err << "mailroutectl: " << reason << '\n';
        m_err.flush();
    });
    QObject::connect(&controller, &EngineController::statusChanged, &controller,
                     [&](const RelayStatus &st) { reporter.onStatus(st); });
    QObject::connect(&controller, &EngineController::events, &controller,
                     [&](const QList<MessageLogEntry> &events) { reporter.onEvents(events); });
    QObject::connect(&controller, &EngineController::stopped, &controller, [&] {
        reporter.onStopped();
        QCoreApplication::quit();
    });

    // SIGTERM/SIGINT through a self-pipe, so the stop runs in the event loop.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, ctl::signalPipe) != 0)
        return fail(QStringLiteral("cannot set up signal handling"));
    QSocketNotifier notifier(ctl::signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &controller, [&] {
        char buf[16];
        [[maybe_unused]] const auto n = ::read(ctl::signalPipe[0], buf, sizeof buf);
        notifier.setEnabled(false);
        m_err << "mailroutectl: stopping\n";
        m_err.flush();
        reporter.onStopping();
        controller.stop();
    });
    std::signal(SIGTERM, ctl::onStopSignal);
    std::signal(SIGINT, ctl::onStopSignal);
    std::signal(SIGPIPE, SIG_IGN);

    // A push or rollback by the console or another mailroutectl is picked up
    // within a second, and the confirmations they asked for are sent.
    GenerationFollower follower(followerOptions);
    QObject::connect(&follower, &GenerationFollower::activated, &controller, [&](qint64 generation) {
        m_err << "mailroutectl: generation " << generation << " is active\n";
        m_err.flush();
    });
    QObject::connect(
        &follower, &GenerationFollower::failed, &controller, [&](qint64 generation, const QString &reason) {
            m_err << "mailroutectl: generation " << generation << " not activated: " << reason << '\n';
            m_err.flush();
        });

    controller.start(*first);
    follower.follow(&controller, (*first)->generation);
    // Migration waves: applied and expired at their time, as new generations
    // the follower then hands to the relay.
    WaveScheduler::Options waveOptions;
    waveOptions.databasePath = m_store->path();
    waveOptions.overrides = overrides;
    waveOptions.nameserver = options.engine.nameserver;
    WaveScheduler waves(waveOptions);
    QObject::connect(&waves, &WaveScheduler::applied, &controller,
                     [&](const QString &name, qint64 generation, bool late) {
                         m_err << "mailroutectl: wave " << name << " applied"
                               << (late ? " at start (its time passed while no relay ran)" : "")
                               << ", generation " << generation << '\n';
                         m_err.flush();
                     });
    QObject::connect(
        &waves, &WaveScheduler::expired, &controller, [&](const QString &name, qint64 generation) {
            m_err << "mailroutectl: wave " << name << " expired, generation " << generation << '\n';
            m_err.flush();
        });
    QObject::connect(
        &waves, &WaveScheduler::failed, &controller, [&](const QString &name, const QString &reason) {
            m_err << "mailroutectl: wave " << (name.isEmpty() ? QStringLiteral("scheduler") : name) << ": "
                  << reason << '\n';
            m_err.flush();
        });
    waves.start();
    QCoreApplication::exec();
    waves.stop();
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGINT, SIG_DFL);
    return exitCode;
}

} // namespace mailroute
