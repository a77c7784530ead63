#include "relaycore/engine/smtpserverconnection.h"

#include <QSslSocket>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace mailroute {

SmtpServerConnection::SmtpServerConnection(QTcpSocket *socket, quint64 sessionNumber, SessionConfig config,
                                           PolicySource policy, std::shared_ptr<const TlsCredentials> tls,
                                           QObject *parent)
    : QObject(parent), m_socket(socket), m_tls(std::move(tls)), m_number(sessionNumber),
      m_session(std::move(config), socket->peerAddress(), socket->peerPort(), std::move(policy)),
      m_timer(new QTimer(this))
{
    m_socket->setParent(this);
    m_timer->setSingleShot(true);
    watchSocket();
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_session.timedOut();
        drainActions();
    });
}

void SmtpServerConnection::watchSocket()
{
    connect(m_socket, &QTcpSocket::readyRead, this, &SmtpServerConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_timer->stop();
        if (!m_closedEmitted) {
            m_closedEmitted = true;
            emit closed(this);
        }
    });
}

SmtpServerConnection::~SmtpServerConnection() = default;

QHostAddress SmtpServerConnection::peerAddress() const
{
    return m_session.sessionInfo().clientAddress;
}

void SmtpServerConnection::start()
{
    m_session.start();
    drainActions();
    // Bytes may have arrived before we looked (an early talker): the session
    // decides what to do with them.
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void SmtpServerConnection::onReadyRead()
{
    if (m_closing)
        return;
    const QByteArray bytes = m_socket->readAll();
    if (bytes.isEmpty())
        return;
    m_session.feed(bytes);
    drainActions();
}

void SmtpServerConnection::accept(const QByteArray &queueId)
{
    m_session.messageAccepted(queueId);
    drainActions();
}

void SmtpServerConnection::reject(const Reply &reply)
{
    m_session.messageRejected(reply);
    drainActions();
}

void SmtpServerConnection::recipientVerified(const Reply &reply)
{
    if (m_closing)
        return;
    m_session.recipientVerified(reply);
    drainActions();
}

void SmtpServerConnection::shutdown()
{
    if (m_session.isClosed())
        return;
    m_session.shutdown();
    drainActions();
}

void SmtpServerConnection::abort()
{
    m_closing = true;
    m_timer->stop();
    m_socket->abort();
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        emit closed(this);
    }
}

void SmtpServerConnection::drainActions()
{
    bool replied = false;
    // The replies of one pass (a pipelined MAIL, RCPTs and DATA) go out in one
    // write, and before anything that may write or close in its turn (an
    // engine verdict or a verification answered at once, STARTTLS, close).
    QByteArray replies;
    const auto send = [this, &replies] {
        if (!replies.isEmpty())
            writeReply(std::exchange(replies, QByteArray()));
    };
    for (SessionAction &action : m_session.takeActions()) {
        switch (action.kind) {
        case SessionAction::Kind::SendReply:
            replies += action.bytes;
            replied = true;
            break;
        case SessionAction::Kind::MessageReady:
            send();
            emit messageReady(this, action.message);
            break;
        case SessionAction::Kind::Diagnostic:
            send();
            emit diagnostic(this, action.detail);
            break;
        case SessionAction::Kind::Refused:
            send();
            emit refused(this, action.sender, action.recipient, action.reply);
            break;
        case SessionAction::Kind::VerifyRecipient:
            send();
            emit verifyRecipient(this, action.sender, action.recipient, action.target);
            break;
        case SessionAction::Kind::StartTls:
            send();
            startTls();
            break;
        case SessionAction::Kind::Close:
            send();
            closeSocket();
            return;
        }
    }
    send();
    rearmTimer(replied);
}

void SmtpServerConnection::writeReply(const QByteArray &bytes)
{
    // While the session is plain TCP and nothing waits in Qt's write buffer, a
    // reply goes straight to the kernel: through QIODevice::write every socket
    // keeps a 32 KiB write buffer for its whole life, the largest part of an
    // idle session's memory (issue 17). The bytes keep their order: only what
    // the kernel does not take at once goes through Qt, and once something
    // waits there everything after it does too.
    qsizetype sent = 0;
    if (!m_encrypting && m_socket->bytesToWrite() == 0 &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        m_queuedInQt.clear();
        const qintptr fd = m_socket->socketDescriptor();
        while (fd >= 0 && sent < bytes.size()) {
            const ssize_t n = ::send(static_cast<int>(fd), bytes.constData() + sent,
                                     static_cast<size_t>(bytes.size() - sent), MSG_NOSIGNAL);
            if (n > 0)
                sent += n;
            else if (n < 0 && errno == EINTR)
                continue;
            else
                break; // EAGAIN: Qt sends the rest when the socket can take it; an error: Qt reports it
        }
    }
    if (sent == bytes.size())
        return;
    if (!m_encrypting)
        m_queuedInQt.append(bytes.constData() + sent, bytes.size() - sent); // for startTls()
    m_socket->write(bytes.constData() + sent, bytes.size() - sent);
}

void SmtpServerConnection::rearmTimer(bool replied)
{
    if (m_closing)
        return;
    const TimeoutKind kind = m_session.timeoutKind();
    if (kind == TimeoutKind::None) {
        m_timer->stop();
        m_timerKind = kind;
        return;
    }
    // A deadline per command (and one for the whole DATA), restarted only when
    // a reply goes out: a client trickling a byte a second cannot stretch it.
    if (replied || kind != m_timerKind || !m_timer->isActive()) {
        m_timerKind = kind;
        m_timer->start(std::chrono::duration_cast<std::chrono::milliseconds>(m_session.timeoutInterval()));
    }
}

void SmtpServerConnection::startTls()
{
    if (!m_tls) {
        // STARTTLS is advertised only with a certificate (SessionConfig::tlsAvailable).
        emit diagnostic(this, QStringLiteral("STARTTLS requested but no certificate is loaded"));
        closeSocket();
        return;
    }
    // Until now the session was a plain QTcpSocket (a QSslSocket costs about
    // 9 KiB more per idle session, and its TLS library). The connection moves
    // to a QSslSocket on a duplicate of the descriptor; the plain socket then
    // only closes its own descriptor, which does not end the connection.
    // Whatever the plain socket still held for the client (the 220 to STARTTLS
    // when the kernel did not take it at once) goes first, in plaintext; what
    // the client pipelined after STARTTLS is left to the handshake, which fails
    // on it: never executed.
    auto *plain = m_socket;
    const QByteArray unsent =
        plain->bytesToWrite() > 0 ? m_queuedInQt.right(plain->bytesToWrite()) : QByteArray();
    m_queuedInQt.clear();
    const int copy = ::fcntl(static_cast<int>(plain->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    auto *tls = new QSslSocket(this);
    if (copy < 0 || !tls->setSocketDescriptor(copy)) {
        if (copy >= 0)
            ::close(copy);
        delete tls;
        emit diagnostic(this, QStringLiteral("TLS handshake failed: cannot hand the connection to TLS"));
        m_closing = true;
        m_timer->stop();
        plain->abort(); // never on in plaintext after STARTTLS
        return;
    }
    plain->disconnect(this);
    plain->abort();
    plain->deleteLater();
    m_socket = tls;
    m_encrypting = true;
    watchSocket();
    connect(tls, &QSslSocket::encrypted, this, [this] {
        m_session.tlsEstablished();
        drainActions();
    });
    // A failed handshake ends the connection: nothing is ever read in plaintext
    // after STARTTLS (RFC 3207 §4.2, CVE-2011-0411).
    connect(tls, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        emit diagnostic(this, QStringLiteral("TLS handshake failed: ") + errors.value(0).errorString());
    });
    connect(tls, &QSslSocket::errorOccurred, this, [this, tls](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError) {
            emit diagnostic(this, QStringLiteral("TLS handshake failed: ") + tls->errorString());
            tls->abort();
        }
    });
    if (!unsent.isEmpty())
        tls->write(unsent);
    tls->setSslConfiguration(m_tls->serverConfiguration());
    tls->startServerEncryption();
}

void SmtpServerConnection::closeSocket()
{
    if (m_closing)
        return;
    m_closing = true;
    m_timer->stop();
    // The last reply (221/421) usually went straight to the kernel
    // (writeReply), so the socket would close at once, inside the caller
    // (RelayEngine::stop() walks its sessions): it closes in the next turn of
    // the event loop instead, as when Qt still had the reply to send.
    // disconnectFromHost() sends what Qt still holds first.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_socket->disconnectFromHost();
            if (m_socket->state() == QAbstractSocket::UnconnectedState && !m_closedEmitted) {
                m_closedEmitted = true;
                emit closed(this);
            }
        },
        Qt::QueuedConnection);
}

} // namespace mailroute
