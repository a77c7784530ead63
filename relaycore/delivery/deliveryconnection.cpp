// The socket side of one outbound SMTP connection. Lives on the engine thread.
#include "relaycore/delivery/deliveryconnection.h"

#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStringList>

#include <utility>

namespace mailroute {

DeliveryConnection::DeliveryConnection(NextHop hop, Options options, QObject *parent)
    : QObject(parent), m_hop(std::move(hop)), m_options(std::move(options))
{
    m_timer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DeliveryConnection::onTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, &DeliveryConnection::close);
}

DeliveryConnection::~DeliveryConnection() = default;

QString DeliveryConnection::reuseKey(const NextHop &hop, const DeliveryRequest &request)
{
    // Under verify the certificate was checked against this hop's name: a
    // connection verified for mx.a.example must not carry mail for another
    // name that resolves to the same address.
    const QString verifiedName = request.tls == TlsPolicy::Verify ? hop.host.toLower() : QString();
    return hop.connectionKey() + QLatin1Char('|') + tlsPolicyName(request.tls) + QLatin1Char('|') +
           (request.auth ? request.auth->username : QString()) + QLatin1Char('|') + verifiedName;
}

bool DeliveryConnection::isEncrypted() const
{
    return m_session && m_session->tlsActive();
}

bool DeliveryConnection::isIdle() const
{
    return m_state == State::Open && !m_busy && m_session &&
           m_session->state() == SmtpClientSession::State::Idle;
}

void DeliveryConnection::deliver(const DeliveryRequest &request)
{
    m_request = request;
    if (m_state == State::New) {
        m_busy = true;
        m_state = State::Connecting;
        m_reuseKey = reuseKey(m_hop, request);
        SmtpClientSession::Options so;
        so.heloName = m_options.heloName;
        so.peerName = m_hop.toString();
        so.tls = request.tls;
        so.attemptTls = m_options.attemptTls;
        so.auth = request.auth;
        m_session = std::make_unique<SmtpClientSession>(std::move(so), request);
        m_socket = new QSslSocket(this);
        connect(m_socket, &QSslSocket::connected, this, &DeliveryConnection::onConnected);
        connect(m_socket, &QSslSocket::readyRead, this, &DeliveryConnection::onReadyRead);
        connect(m_socket, &QSslSocket::bytesWritten, this, &DeliveryConnection::onBytesWritten);
        connect(m_socket, &QSslSocket::disconnected, this, &DeliveryConnection::onDisconnected);
        connect(m_socket, &QSslSocket::errorOccurred, this, &DeliveryConnection::onSocketError);
        connect(m_socket, &QSslSocket::encrypted, this, &DeliveryConnection::onEncrypted);
        connect(m_socket, &QSslSocket::sslErrors, this,
                [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
        m_timer.start(m_options.timeouts.connect);
        if (!m_hop.address.isEmpty())
            m_socket->connectToHost(QHostAddress(m_hop.address), m_hop.port);
        else
            m_socket->connectToHost(m_hop.host, m_hop.port);
        return;
    }
    if (!isIdle()) {
        // Misuse, or the server hung up in this very event loop turn.
        m_busy = true;
        SmtpClientOutcome outcome;
        for (qsizetype i = 0; i < request.recipients.size(); ++i) {
            RecipientResult r;
            r.recipientId = request.recipientIds.value(i, 0);
            r.reply = QStringLiteral("connection to %1 is not available").arg(m_hop.toString());
            r.enhancedStatus = QStringLiteral("4.4.2");
            r.cause = FailureCause::Connection;
            outcome.recipients.append(r);
            outcome.retryElsewhere.append(true);
        }
        outcome.staleConnection = true;
        outcome.sessionError = QStringLiteral("connection to %1 is not available").arg(m_hop.toString());
        emitFinished(std::move(outcome));
        return;
    }
    m_idleTimer.stop();
    m_busy = true;
    apply(m_session->startTransaction(request));
}

void DeliveryConnection::close()
{
    m_idleTimer.stop();
    switch (m_state) {
    case State::New:
        m_state = State::Closed;
        emitClosed();
        return;
    case State::Connecting: failConnect(QStringLiteral("connection attempt abandoned")); return;
    case State::Open:
        // Idle: QUIT (RFC 5321 §4.1.1.10). In a transaction: abort it, which
        // still reports a (deferred) finished() before the socket closes.
        apply(m_session->quit());
        return;
    case State::Closing:
    case State::Closed: return;
    }
}

void DeliveryConnection::onConnected()
{
    if (m_state != State::Connecting)
        return;
    m_state = State::Open;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // many small pipelined writes
    armTimer();
}

void DeliveryConnection::onReadyRead()
{
    if (m_state != State::Open)
        return;
    const QByteArray bytes = m_socket->readAll();
    apply(m_session->feed(bytes));
}

// A large message's body leaves in chunks, the next one only once the
// socket's buffer has drained below a bound: memory per delivery stays
// bounded by the buffer, not by the message (docs/architecture.md "Storage").
void DeliveryConnection::streamData()
{
    constexpr qint64 kUnsentBound = 4 * BodyFile::kBufferSize;
    while (m_state == State::Open && m_session && m_session->hasDataToStream() &&
           m_socket->bytesToWrite() < kUnsentBound) {
        const QByteArray chunk = m_session->nextDataChunk();
        if (chunk.isEmpty()) {
            // The body file cannot be read: without the final dot the server
            // drops the transaction; the recipients are tried again.
            m_socket->abort();
            return;
        }
        m_socket->write(chunk);
    }
}

void DeliveryConnection::onBytesWritten()
{
    streamData();
    // RFC 5321 §4.5.3.2.5: the data block limit applies to each write that
    // makes progress; a slow but moving transfer is not a timeout.
    if (m_state == State::Open && m_session && m_session->endOfDataSent() && !m_dotReported) {
        m_dotReported = true;
        emit endOfDataSent();
    }
    if (m_state == State::Open)
        armTimer();
}

void DeliveryConnection::onDisconnected()
{
    if (m_state == State::Connecting) {
        failConnect(QStringLiteral("connection closed"));
        return;
    }
    if (m_state == State::Open)
        apply(m_session->connectionLost({}));
    finishSocket();
}

void DeliveryConnection::onSocketError()
{
    if (m_state == State::Connecting) {
        failConnect(m_socket->errorString());
        return;
    }
    if (m_state != State::Open)
        return;
    if (m_session->state() == SmtpClientSession::State::TlsHandshake) {
        // A refused certificate (verify) shows as sslErrors() first; anything
        // else is a failed handshake (garbage, wrong protocol, a drop).
        QStringList why;
        for (const QSslError &e : std::as_const(m_sslErrors))
            why << e.errorString();
        const bool certificate = !why.isEmpty();
        if (!certificate)
            why << m_socket->errorString();
        apply(m_session->tlsFailed(why.join(QStringLiteral("; ")), certificate));
        finishSocket();
        return;
    }
    const bool peerClosed = m_socket->error() == QAbstractSocket::RemoteHostClosedError;
    apply(m_session->connectionLost(peerClosed ? QString() : m_socket->errorString()));
    finishSocket();
}

void DeliveryConnection::startTls()
{
    // docs/behaviour.md "TLS": TLS 1.2 at least. `may` and `encrypt` take any
    // certificate (Postfix: opportunistic / mandatory unauthenticated TLS);
    // `verify` checks the chain against the system's CAs plus the configured
    // ones, and the next hop's name as configured or found in DNS.
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    if (m_request.tls == TlsPolicy::Verify) {
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setCaCertificates(QSslConfiguration::systemCaCertificates() + m_options.caCertificates);
        m_socket->setPeerVerifyName(m_hop.host);
    } else {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    m_socket->setSslConfiguration(config);
    m_sslErrors.clear();
    m_socket->startClientEncryption();
}

void DeliveryConnection::onEncrypted()
{
    if (m_state != State::Open)
        return;
    apply(m_session->tlsStarted());
}

void DeliveryConnection::onTimeout()
{
    if (m_state == State::Connecting) {
        failConnect(QStringLiteral("connection timed out"));
        return;
    }
    if (m_state == State::Open)
        apply(m_session->timedOut());
    else if (m_state == State::Closing)
        finishSocket(); // the server never finished the close; drop it
}

void DeliveryConnection::failConnect(const QString &why)
{
    // Nothing was said to anybody: every recipient may go to the next hop.
    SmtpClientOutcome outcome;
    const QString text = QStringLiteral("connect to %1: %2").arg(m_hop.toString(), why);
    for (qsizetype i = 0; i < m_request.recipients.size(); ++i) {
        RecipientResult r;
        r.recipientId = m_request.recipientIds.value(i, 0);
        r.reply = text;
        r.enhancedStatus = QStringLiteral("4.4.1"); // RFC 3463: no answer from host
        r.cause = FailureCause::Connection;
        outcome.recipients.append(r);
        outcome.retryElsewhere.append(true);
    }
    outcome.sessionError = text;
    if (m_session)
        m_session->connectionLost({}); // the session's own view no longer matters
    emitFinished(std::move(outcome));
    finishSocket();
}

void DeliveryConnection::apply(const SmtpClientActions &actions)
{
    for (const SmtpClientAction &a : actions) {
        switch (a.kind) {
        case SmtpClientAction::Kind::Send:
            if (m_state == State::Open) {
                m_socket->write(a.bytes);
                streamData();
            }
            break;
        case SmtpClientAction::Kind::StartTls:
            if (m_state == State::Open)
                startTls();
            break;
        case SmtpClientAction::Kind::Close:
            if (m_state == State::Open) {
                m_state = State::Closing;
                // Let QUIT (if any) leave first; disconnected() ends it. A
                // server that never closes its side is dropped by the timer.
                m_timer.start(m_options.timeouts.quit);
                m_socket->disconnectFromHost();
            }
            break;
        case SmtpClientAction::Kind::Finished: {
            m_dotReported = false;
            SmtpClientOutcome outcome = a.outcome;
            const QString hop = m_hop.toString();
            for (RecipientResult &r : outcome.recipients)
                r.nextHop = hop;
            ++m_transactions;
            emitFinished(std::move(outcome));
            break;
        }
        }
    }
    if (m_state == State::Open)
        armTimer();
}

void DeliveryConnection::armTimer()
{
    using W = SmtpClientSession::Wait;
    const DeliveryTimeouts &t = m_options.timeouts;
    std::chrono::milliseconds limit{0};
    switch (m_session->waitingFor()) {
    case W::Greeting: limit = t.greeting; break;
    case W::Hello: limit = t.helo; break;
    case W::Rset: limit = t.rset; break;
    case W::Mail: limit = t.mail; break;
    case W::Rcpt: limit = t.rcpt; break;
    case W::DataInit: limit = t.dataInit; break;
    case W::DataEnd: limit = m_socket->bytesToWrite() > 0 ? t.dataBlock : t.dataEnd; break;
    case W::Quit: limit = t.quit; break;
    case W::Nothing: break;
    }
    if (limit.count() > 0)
        m_timer.start(limit);
    else
        m_timer.stop();
    if (isIdle())
        m_idleTimer.start(m_options.idleTimeout);
    else
        m_idleTimer.stop();
}

void DeliveryConnection::finishSocket()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    m_idleTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    emitClosed();
}

void DeliveryConnection::emitFinished(SmtpClientOutcome outcome)
{
    // Deferred: the agent may hand this connection the next transaction or
    // close it from its slot, and must not do so inside our socket handlers.
    QMetaObject::invokeMethod(
        this,
        [this, outcome = std::move(outcome)] {
            m_busy = false;
            if (isIdle())
                m_idleTimer.start(m_options.idleTimeout);
            emit finished(outcome);
        },
        Qt::QueuedConnection);
}

void DeliveryConnection::emitClosed()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    QMetaObject::invokeMethod(
        this, [this] { emit closed(); }, Qt::QueuedConnection);
}

} // namespace mailroute
