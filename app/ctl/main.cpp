// mailroutectl: MailRoute without a window (docs/behaviour.md "The command line (mailroutectl)"). Links
// relaycore only.
#include "app/ctl/ctlapp.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // Same names as the console, so both find the same default database.
    QCoreApplication::setApplicationName(QStringLiteral("MailRoute"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROUTE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    mailroute::CtlApp ctl(out, err);
    const int rc = ctl.run(QCoreApplication::arguments());
    out.flush();
    err.flush();
    return rc;
}
