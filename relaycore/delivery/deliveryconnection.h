// One SMTP connection from the relay to one next hop: adapts a QTcpSocket to
// SmtpClientSession, applies the RFC 5321 §4.5.3.2 time limits, and can carry
// several transactions one after another (DeliveryAgent reuses it). Lives on
// the relay's engine thread, like its socket; owned by DeliveryAgent.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/delivery/smtpclientsession.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

class QTcpSocket;

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
    };

    DeliveryConnection(NextHop hop, Options options, QObject *parent = nullptr);
    ~DeliveryConnection() override;

    const NextHop &hop() const { return m_hop; }
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

private:
    enum class State { New, Connecting, Open, Closing, Closed };

    void onConnected();
    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void onSocketError();
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
    QTcpSocket *m_socket = nullptr;
    std::unique_ptr<SmtpClientSession> m_session;
    DeliveryRequest m_request; // the transaction in flight (only its recipients are needed on failure)
    QTimer m_timer;            // connect / command / data time limits
    QTimer m_idleTimer;
    int m_transactions = 0;
    bool m_busy = false; // a deliver() awaits its finished()
    bool m_closedEmitted = false;
};

} // namespace mailroute
