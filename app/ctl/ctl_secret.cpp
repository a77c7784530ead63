// mailroutectl secret set|clear|status NAME: the secrets MailRoute keeps in the
// operating system's keychain (relaycore/secrets). A value is read from
// standard input only (never from the command line, where /proc/<pid>/cmdline
// and the shell's history would show it), without echo on a terminal; no
// command ever prints it.
#include "app/ctl/ctlapp.h"

#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/configstore.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace mailroute {

namespace {

const QStringList &secretNames()
{
    static const QStringList names{secretnames::smarthostPassword(), secretnames::tlsKeyPassphrase()};
    return names;
}

QString describeSecret(const QString &name)
{
    return name == secretnames::smarthostPassword() ? QStringLiteral("Smart host password")
                                                    : QStringLiteral("TLS key passphrase");
}

// Turns terminal echo off for its lifetime (stdin only; a pipe is left alone).
class NoEcho final
{
public:
    NoEcho()
    {
        if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~NoEcho()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    bool active() const { return m_active; }
    Q_DISABLE_COPY_MOVE(NoEcho)

private:
    termios m_saved{};
    bool m_active = false;
};

// One line from stdin, its line end (LF or CRLF) stripped.
std::optional<QString> readSecretLine(const QString &name, QTextStream &err)
{
    const bool terminal = ::isatty(STDIN_FILENO);
    if (terminal) {
        err << describeSecret(name) << " (" << name << "): ";
        err.flush();
    }
    QByteArray line;
    {
        NoEcho noEcho;
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return std::nullopt;
        line = in.readLine(64 * 1024);
    }
    if (terminal) {
        err << '\n';
        err.flush();
    }
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    QString value = QString::fromUtf8(line);
    line.fill('\0');
    return value;
}

} // namespace

int CtlApp::cmdSecret()
{
    const QString verb = m_verb; // set, clear or status (ctl_verbs.cpp)
    if (m_positionals.size() < 1)
        return usage(QStringLiteral("secret %1 needs a NAME (%2)")
                         .arg(verb, secretNames().join(QStringLiteral(" or "))),
                     m_command);
    if (m_positionals.size() > 1) {
        // "secret set NAME VALUE" would put the value on the command line: refuse it.
        if (verb == QLatin1String("set"))
            return usage(
                QStringLiteral("secret set reads the value from standard input, never from the command line"),
                m_command);
        return usage(QStringLiteral("unexpected argument '%1'").arg(m_positionals.at(1)), m_command);
    }
    const QString name = m_positionals.at(0);
    if (!secretNames().contains(name))
        return usage(
            QStringLiteral("unknown secret '%1' (%2)").arg(name, secretNames().join(QStringLiteral(" or "))),
            m_command);

    // Scoped by the database's absolute path, as the engine and the console read it.
    const QString dbPath = QFileInfo(ConfigStore::resolveDatabasePath(m_args.db)).absoluteFilePath();
    auto store = createSystemSecretStore(dbPath);

    if (verb == QLatin1String("status")) {
        const SecretLookup lookup = store->read(name);
        switch (lookup.state) {
        case SecretState::Found: m_out << name << "\tstored\n"; return kExitOk;
        case SecretState::NotFound: m_out << name << "\tnot stored\n"; return kExitOk;
        case SecretState::Unavailable:
            m_out << name << "\tkeychain unavailable\n";
            m_out.flush();
            return fail(lookup.error);
        }
        return kExitError;
    }

    if (!openStore())
        return kExitError;
    QString message;
    if (verb == QLatin1String("set")) {
        std::optional<QString> value = readSecretLine(name, m_err);
        if (!value || value->isEmpty())
            return fail(
                QStringLiteral("no %1 on standard input (one line; use 'secret clear %1' to remove it)")
                    .arg(name));
        const Status written = store->write(name, *value);
        value->fill(QChar(0));
        if (!written.ok())
            return fail(written.error);
        message = QStringLiteral("%1 stored in the keychain").arg(describeSecret(name));
    } else {
        if (const Status removed = store->remove(name); !removed.ok())
            return fail(removed.error);
        message = QStringLiteral("%1 removed from the keychain").arg(describeSecret(name));
    }
    // The action log says that it changed, never what it is.
    if (const Status logged = m_store->logAction(std::nullopt, message); !logged.ok())
        m_err << "mailroutectl: warning: " << logged.error << '\n';
    m_out << message << '\n';
    return kExitOk;
}

} // namespace mailroute
