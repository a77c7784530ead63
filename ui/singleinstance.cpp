#include "ui/singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QWidget>

#include <unistd.h>

namespace mailroute {

namespace {

const QByteArray kShow("show\n");
const QByteArray kShown("shown\n");

// The folder resolved through symbolic links, the file name as given (the
// database may not exist yet).
QString canonicalDatabasePath(const QString &path)
{
    const QFileInfo info(path);
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    const QString file =
        (folder.isEmpty() ? info.absolutePath() : folder) + QLatin1Char('/') + info.fileName();
    const QString resolved = QFileInfo(file).canonicalFilePath(); // the file itself a link
    return resolved.isEmpty() ? file : resolved;
}

// true when `socket` answered "shown" within the time.
bool askToShow(QLocalSocket &socket, int timeoutMs)
{
    socket.write(kShow);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    QByteArray reply;
    while (!reply.contains('\n') && socket.waitForReadyRead(timeoutMs))
        reply += socket.readAll();
    return reply == kShown;
}

} // namespace

SingleInstance::SingleInstance(const QString &databasePath, QObject *parent)
    : QObject(parent), m_name(serverName(databasePath))
{}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::serverName(const QString &databasePath)
{
    const QByteArray key =
        QCryptographicHash::hash(canonicalDatabasePath(databasePath).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir())
        return runtime + QStringLiteral("/mailroute-console-") + QString::fromLatin1(key);
    return QDir::tempPath() + QStringLiteral("/mailroute-console-%1-").arg(::getuid()) +
           QString::fromLatin1(key);
}

SingleInstance::Claim SingleInstance::claim(int answerTimeoutMs)
{
    // Two consoles started at the same moment: one checks and listens at a
    // time (a lock of a process that died is taken over by QLockFile).
    m_lock = std::make_unique<QLockFile>(m_name + QStringLiteral(".lock"));
    m_lock->tryLock(answerTimeoutMs);

    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (socket.waitForConnected(answerTimeoutMs)) {
        const bool shown = askToShow(socket, answerTimeoutMs);
        m_lock.reset();
        return shown ? Claim::AlreadyRunning : Claim::NoAnswer;
    }
    // Nobody listens: a socket file left behind by a crash is removed.
    QLocalServer::removeServer(m_name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_name)) {
        // Not fatal: this console runs, only without the single-instance socket.
        qWarning("mailroute: cannot listen on %s: %s", qPrintable(m_name),
                 qPrintable(m_server->errorString()));
        delete m_server;
        m_server = nullptr;
    } else {
        connect(m_server, &QLocalServer::newConnection, this, [this] {
            while (QLocalSocket *client = m_server->nextPendingConnection()) {
                connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
                connect(client, &QLocalSocket::readyRead, this, [this, client] {
                    if (!client->canReadLine())
                        return;
                    if (client->readLine() == kShow) {
                        emit showRequested();
                        client->write(kShown);
                    }
                    client->disconnectFromServer();
                });
            }
        });
    }
    m_lock.reset();
    return Claim::First;
}

void SingleInstance::showOnRequest(QWidget *window)
{
    connect(this, &SingleInstance::showRequested, window, [window] {
        window->setWindowState(window->windowState() & ~Qt::WindowMinimized);
        window->show();
        window->raise();
        window->activateWindow();
    });
}

} // namespace mailroute
