// One SMTP connection from the relay to one next hop: adapts a QSslSocket to
// SmtpClientSession (STARTTLS under the request's TLS policy, TLS 1.2 at
// least), applies the RFC 5321 §4.5.3.2 time limits, and can carry several
// transactions one after another (DeliveryAgent reuses it). Lives on the
// relay's engine thread, like its socket; owned by DeliveryAgent.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/delivery/smtpclientsession.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

#include <chrono>
#include <memory>

class QSslSocket;

namespace mailroute {

class DeliveryConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryConnection)

public:
    struct Options
    {
        QString heloName; // relay.hostname, for EHLO
        DeliveryTimeouts timeouts;
        // Postfix's smtp_connection_cache_time_limit: an idle connection is
        // closed (QUIT) after this long without a new transaction.
        std::chrono::milliseconds idleTimeout{5'000};
        // Trusted under `verify` besides the system's CAs (delivery.tls_ca_file).
        QList<QSslCertificate> caCertificates = {};
        // False: the plaintext retry after a failed handshake under `may`.
        bool attemptTls = true;
    };

    // Connections carrying the same key may be reused for each other's
    // requests: same server, same TLS policy, same AUTH identity.
    static QString reuseKey(const NextHop &hop, const DeliveryRequest &request);

    DeliveryConnection(NextHop hop, Options options, QObject *parent = nullptr);
    ~DeliveryConnection() override;

    const NextHop &hop() const { return m_hop; }
    const QString &reuseKey() const { return m_reuseKey; }
    // False for the plaintext retry after a failed handshake under may: such
    // a connection is never parked for reuse.
    bool attemptsTls() const { return m_options.attemptTls; }
    bool isEncrypted() const;
    // The first call connects; later calls need isIdle(). Each call ends in
    // exactly one finished(), never emitted from inside deliver().
    void deliver(const DeliveryRequest &request);
    bool isIdle() const;
    bool isClosed() const { return m_state == State::Closed; }
    int transactions() const { return m_transactions; }
    // QUIT if idle, otherwise drop the connection (an unfinished transaction
    // still gets its finished(), deferred). closed() follows once it is gone.
    void close();

signals:
    // Recipients parallel to the request given to deliver(); each result's
    // nextHop names this hop when the server answered.
    void finished(const mailroute::SmtpClientOutcome &outcome);
    // The socket is gone for good (after QUIT, an error or the idle timeout).
    void closed();
    // The transaction in flight has sent its final dot (once per transaction):
    // the next hop may now hold the message whatever happens to us.
    void endOfDataSent();

private:
    enum class State { New, Connecting, Open, Closing, Closed };

    void onConnected();
    void onReadyRead();
    void onBytesWritten();
    void streamData();
    void onDisconnected();
    void onSocketError();
    void onEncrypted();
    void startTls();
    void onTimeout();
    void apply(const SmtpClientActions &actions);
    void armTimer();
    void failConnect(const QString &why);
    void finishSocket();
    void emitFinished(SmtpClientOutcome outcome);
    void emitClosed();

    NextHop m_hop;
    Options m_options;
    State m_state = State::New;
    QSslSocket *m_socket = nullptr;
    QString m_reuseKey;
    QList<QSslError> m_sslErrors; // of the handshake in progress
    std::unique_ptr<SmtpClientSession> m_session;
    DeliveryRequest m_request; // the transaction in flight (only its recipients are needed on failure)
    QTimer m_timer;            // connect / command / data time limits
    QTimer m_idleTimer;
    int m_transactions = 0;
    bool m_busy = false; // a deliver() awaits its finished()
    bool m_closedEmitted = false;
    bool m_dotReported = false; // endOfDataSent() emitted for the transaction in flight
};

} // namespace mailroute
