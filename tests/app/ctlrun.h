// Running the mailroutectl under test (MAILROUTECTL_PATH) as a process, as a
// script would: arguments, environment, optional standard input; its exit
// status and both output streams, for the tests in tests/app.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace mailroute::testing {

struct Run
{
    int code = -1; // -1: did not start, crashed or timed out
    QString out;
    QString err;
};

inline Run runMailroutectl(const QStringList &args, const QProcessEnvironment &env,
                           const QByteArray &stdinData = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MAILROUTECTL_PATH), args);
    if (!p.waitForStarted())
        return {};
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace mailroute::testing
