// mailroute: the administration console (docs/behaviour.md "The console").
#include "relaycore/dns/nameserver.h"
#include "relaycore/store/configstore.h"
#include "ui/consolelanguage.h"
#include "ui/consolesettings.h"
#include "ui/mainwindow.h"
#include "ui/singleinstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>

namespace {

QIcon applicationIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/mailroute-%1.png").arg(size), QSize(size, size));
    return icon;
}

// --check-startup: once the event loop runs, list the visible windows and
// exit; 0 when the main window is up. Packaging and the test suite use it to
// prove the console starts on a fresh database.
void reportWindowsAndExit(const QString &language)
{
    QTextStream out(stdout);
    out << "language: " << language << '\n';
    bool mainShown = false;
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (const QWidget *w : windows) {
        if (!w->isVisible())
            continue;
        out << "window: " << w->windowTitle() << '\n';
        mainShown = mainShown || w->objectName() == QLatin1String("mainWindow");
        // The menu titles show which catalogue the window was built with.
        if (const auto *mainWindow = qobject_cast<const QMainWindow *>(w)) {
            const QList<QAction *> menus = mainWindow->menuBar()->actions();
            for (const QAction *menu : menus)
                out << "menu: " << menu->text() << '\n';
        }
    }
    out.flush();
    QCoreApplication::exit(mainShown ? 0 : 1);
}

// The value of --lang before the parser runs, so that --help is translated too.
QString languageArgument(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments.at(i) == QLatin1String("--lang") && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (arguments.at(i).startsWith(QLatin1String("--lang=")))
            return arguments.at(i).mid(7);
    }
    return {};
}

// -h, --help, --help-all, -v, --version: the parser prints and exits before
// any window, database or settings file is touched.
bool onlyHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-?" || arg == "-v" ||
            arg == "--version")
            return true;
    }
    return false;
}

// A display Qt can use: DISPLAY or WAYLAND_DISPLAY, or a platform chosen
// explicitly (QT_QPA_PLATFORM, -platform). Without one, QApplication would
// abort with advice to reinstall, which is wrong.
bool hasDisplay(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
        !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0 || qstrcmp(argv[i], "--platform") == 0)
            return true;
    }
    return false;
}

void setApplicationNames()
{
    // Same names as mailroutectl, so both find the same default database.
    QCoreApplication::setApplicationName(QStringLiteral("MailRoute"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROUTE_VERSION));
}

// No desktop session: one sentence on how to run the relay instead, exit 1.
int explainNoDisplay(int argc, char *argv[])
{
    QCoreApplication core(argc, argv);
    setApplicationNames();
    mailroute::ConsoleLanguage::install(
        &core, mailroute::ConsoleLanguage::choose(languageArgument(QCoreApplication::arguments()),
                                                  mailroute::ConsoleSettings::language(),
                                                  QLocale::system().uiLanguages()));
    QTextStream(stderr) << QCoreApplication::translate(
                               "main",
                               "mailroute: the MailRoute console needs a desktop session (neither DISPLAY "
                               "nor WAYLAND_DISPLAY is set); to run the relay without a window, start "
                               "\"mailroutectl serve\" or the systemd unit mailroute.service (\"systemctl "
                               "enable --now mailroute.service\").")
                        << '\n';
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    // Help and version need no desktop (help2man runs them at build time, an
    // admin on a server): the window-less platform then.
    if (onlyHelpOrVersion(argc, argv))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!hasDisplay(argc, argv))
        return explainNoDisplay(argc, argv);
    // Fractional scale factors (150 %) as the desktop asks, not rounded.
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    setApplicationNames();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("MailRoute"));
    // The .desktop file and AppStream id (cmake/Packaging.cmake MAILROUTE_APP_ID).
    QGuiApplication::setDesktopFileName(QStringLiteral("org.mailroute.MailRoute"));
    QApplication::setWindowIcon(applicationIcon());
    // Closing the window while the relay runs may keep it in the tray.
    QApplication::setQuitOnLastWindowClosed(false);

    const QString language = mailroute::ConsoleLanguage::choose(
        languageArgument(QCoreApplication::arguments()), mailroute::ConsoleSettings::language(),
        QLocale::system().uiLanguages());
    mailroute::ConsoleLanguage::install(&app, language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "MailRoute administration console: domain and user mappings for the Relay,\n"
        "Inbound and Outbound areas, push, live logs, and the bundled SMTP relay.\n\n"
        "Environment:\n"
        "  MAILROUTE_DB          the database when --db is not given (default: MailRoute/mailroute.db\n"
        "                        in your data directory)\n"
        "  MAILROUTE_NAMESERVER  DNS server (HOST[:PORT], IPv6 as [ADDR]:PORT) for the relay and the\n"
        "                        readiness checks (default: the system's resolver)\n\n"
        "mailroutectl does the same without a window (mailroutectl --help)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QCoreApplication::translate("main", "Configuration database file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption spoolOption(
        QStringLiteral("spool"),
        QCoreApplication::translate("main", "Spool directory (default: beside the database)."),
        QStringLiteral("DIR"));
    const QCommandLineOption checkOption(
        QStringLiteral("check-startup"),
        QCoreApplication::translate("main", "Start, print the titles of the windows shown, and exit."));
    parser.addOption(dbOption);
    parser.addOption(spoolOption);
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QCoreApplication::translate("main",
                                    "Language of the console: en, fr or de (default: View ▸ Language, "
                                    "else the system's language)."),
        QStringLiteral("LANG"));
    parser.addOption(checkOption);
    parser.addOption(langOption);
    parser.process(app);
    if (parser.isSet(langOption) && !mailroute::ConsoleLanguage::isKnown(parser.value(langOption))) {
        QTextStream(stderr) << QCoreApplication::translate("main", "Unknown language %1: use en, fr or de.")
                                   .arg(parser.value(langOption))
                            << '\n';
        return 2;
    }

    const QString databasePath = mailroute::ConfigStore::resolveDatabasePath(parser.value(dbOption));
    // One console per database: a second start shows the first one's window.
    // (--check-startup reports on its own window, so it does not ask.)
    mailroute::SingleInstance instance(databasePath);
    if (!parser.isSet(checkOption)) {
        switch (instance.claim()) {
        case mailroute::SingleInstance::Claim::First: break;
        case mailroute::SingleInstance::Claim::AlreadyRunning:
            QTextStream(stdout)
                << QCoreApplication::translate(
                       "main", "MailRoute is already open on %1: its window was brought to the front.")
                       .arg(databasePath)
                << '\n';
            return 0;
        case mailroute::SingleInstance::Claim::NoAnswer:
            QTextStream(stderr) << QCoreApplication::translate(
                                       "main",
                                       "MailRoute is already open on %1 but does not answer; close it or "
                                       "end its process, then start MailRoute again.")
                                       .arg(databasePath)
                                << '\n';
            return 1;
        }
    }
    mailroute::ConfigStore store(databasePath);
    const mailroute::Status opened = store.open();
    if (!opened.ok()) {
        QMessageBox::critical(nullptr, QStringLiteral("MailRoute"),
                              QCoreApplication::translate("main", "Cannot open the database %1:\n%2")
                                  .arg(store.path(), opened.error));
        return 1;
    }
    mailroute::RelayRunner::Options relay;
    relay.spoolDirectory = parser.value(spoolOption);
    relay.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER").trimmed();
    if (!relay.nameserver.isEmpty()) {
        if (const auto ns = mailroute::NameServer::parse(relay.nameserver); !ns.ok()) {
            QMessageBox::critical(
                nullptr, QStringLiteral("MailRoute"),
                QCoreApplication::translate("main", "MAILROUTE_NAMESERVER is not usable: %1").arg(ns.error));
            return 2;
        }
    }
    mailroute::MainWindow window(&store, relay);
    // Closing the window ends the console; kept in the tray, it only hides.
    QObject::connect(&window, &mailroute::MainWindow::windowClosed, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);
    instance.showOnRequest(&window);
    window.show();
    if (parser.isSet(checkOption))
        QTimer::singleShot(0, &window, [language] { reportWindowsAndExit(language); });
    return QApplication::exec();
}
