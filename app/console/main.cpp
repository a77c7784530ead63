// mailroute: the administration console (SPEC §6).
#include "relaycore/store/configstore.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
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
void reportWindowsAndExit()
{
    QTextStream out(stdout);
    bool mainShown = false;
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (const QWidget *w : windows) {
        if (!w->isVisible())
            continue;
        out << "window: " << w->windowTitle() << '\n';
        mainShown = mainShown || w->objectName() == QLatin1String("mainWindow");
    }
    out.flush();
    QCoreApplication::exit(mainShown ? 0 : 1);
}

} // namespace

int main(int argc, char *argv[])
{
    // Fractional scale factors (150 %) as the desktop asks, not rounded.
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    // Same names as mailroutectl, so both find the same default database.
    QCoreApplication::setApplicationName(QStringLiteral("MailRoute"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROUTE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("MailRoute"));
    QGuiApplication::setDesktopFileName(QStringLiteral("mailroute"));
    QApplication::setWindowIcon(applicationIcon());
    // Closing the window while the relay runs may keep it in the tray.
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "MailRoute administration console"));
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
    parser.addOption(checkOption);
    parser.process(app);

    mailroute::ConfigStore store(mailroute::ConfigStore::resolveDatabasePath(parser.value(dbOption)));
    const mailroute::Status opened = store.open();
    if (!opened.ok()) {
        QMessageBox::critical(nullptr, QStringLiteral("MailRoute"),
                              QCoreApplication::translate("main", "Cannot open the database %1:\n%2")
                                  .arg(store.path(), opened.error));
        return 1;
    }
    mailroute::RelayRunner::Options relay;
    relay.spoolDirectory = parser.value(spoolOption);
    relay.nameserver = qEnvironmentVariable("MAILROUTE_NAMESERVER");
    mailroute::MainWindow window(&store, relay);
    // Closing the window ends the console; kept in the tray, it only hides.
    QObject::connect(&window, &mailroute::MainWindow::windowClosed, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);
    window.show();
    if (parser.isSet(checkOption))
        QTimer::singleShot(0, &window, reportWindowsAndExit);
    return QApplication::exec();
}
