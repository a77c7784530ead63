// Adapts one accepted QTcpSocket to an SmtpSession: bytes in, the session's
// actions out (replies written, messages handed to the engine, timeouts,
// close). At STARTTLS the connection moves to a QSslSocket. Lives on the
// engine thread; owned by RelayEngine.
#pragma once

#include "relaycore/engine/tlscredentials.h"
#include "relaycore/smtp/smtpsession.h"

#include <QObject>

#include <memory>

class QTcpSocket;
class QTimer;

namespace mailroute {

class SmtpServerConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmtpServerConnection)

public:
    // `tls` null: STARTTLS is not offered (SessionConfig::tlsAvailable must agree).
    SmtpServerConnection(QTcpSocket *socket, quint64 sessionNumber, SessionConfig config, PolicySource policy,
                         std::shared_ptr<const TlsCredentials> tls, QObject *parent = nullptr);
    ~SmtpServerConnection() override;

    void start();
    quint64 sessionNumber() const { return m_number; }
    QHostAddress peerAddress() const;

    // The engine's verdict on the message handed over by messageReady().
    void accept(const QByteArray &queueId);
    void reject(const Reply &reply);
    // The answer to verifyRecipient() (recipient verification): the RCPT's reply.
    void recipientVerified(const Reply &reply);
    // Stopping mail routing: 421 4.3.2, then close.
    void shutdown();
    // Stopping, out of time (relay.stop_timeout): drop the socket now.
    void abort();

signals:
    void messageReady(mailroute::SmtpServerConnection *connection, const mailroute::ReceivedMessage &message);
    void diagnostic(mailroute::SmtpServerConnection *connection, const QString &detail);
    // The policy refused a recipient (SessionAction::Kind::Refused).
    void refused(mailroute::SmtpServerConnection *connection, const QString &sender, const QString &recipient,
                 const mailroute::Reply &reply);
    // Recipient verification: the RCPT of `recipient` (rewritten: `target`)
    // waits for recipientVerified(); the session reads on meanwhile.
    void verifyRecipient(mailroute::SmtpServerConnection *connection, const QString &sender,
                         const QString &recipient, const QString &target);
    // The socket is closed; the engine deletes the connection later.
    void closed(mailroute::SmtpServerConnection *connection);

private:
    void watchSocket();
    void onReadyRead();
    void drainActions();
    void writeReply(const QByteArray &bytes);
    void rearmTimer(bool replied);
    void closeSocket();
    void startTls();

    QTcpSocket *m_socket;    // a QSslSocket after STARTTLS
    QByteArray m_queuedInQt; // plain TCP: the replies handed to Qt since its write buffer was last empty
    std::shared_ptr<const TlsCredentials> m_tls;
    quint64 m_number;
    SmtpSession m_session;
    QTimer *m_timer;
    TimeoutKind m_timerKind = TimeoutKind::None;
    bool m_closing = false;
    bool m_encrypting = false; // STARTTLS: m_socket is the QSslSocket
    bool m_closedEmitted = false;
};

} // namespace mailroute
