// mailroute: the administration console (SPEC §6).
#include "relaycore/store/configstore.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // Same names as mailroutectl, so both find the same default database.
    QCoreApplication::setApplicationName(QStringLiteral("MailRoute"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROUTE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("MailRoute"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "MailRoute administration console"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QCoreApplication::translate("main", "Configuration database file."),
                                      QStringLiteral("FILE"));
    parser.addOption(dbOption);
    parser.process(app);

    mailroute::ConfigStore store(mailroute::ConfigStore::resolveDatabasePath(parser.value(dbOption)));
    const mailroute::Status opened = store.open();
    if (!opened.ok()) {
        QMessageBox::critical(nullptr, QStringLiteral("MailRoute"),
                              QCoreApplication::translate("main", "Cannot open the database %1:\n%2")
                                  .arg(store.path(), opened.error));
        return 1;
    }
    mailroute::MainWindow window(&store);
    window.show();
    return QApplication::exec();
}
