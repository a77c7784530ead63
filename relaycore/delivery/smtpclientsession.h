// The relay's SMTP client as a pure state machine (RFC 5321, RFC 2920
// PIPELINING, RFC 1870 SIZE, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8): fed the
// next hop's bytes, it returns what to do (send bytes, close, finished with
// per-recipient results). Also RFC 3207 STARTTLS under a TLS policy
// (may / encrypt / verify) and RFC 4954 AUTH PLAIN/LOGIN, only inside TLS.
// The mirror of SmtpSession on the server side; no sockets, no timers, so
// every transcript is a unit test. DeliveryConnection adapts a QSslSocket to
// it. Lives on the relay's engine thread.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/delivery/smtpreplyreader.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace mailroute {

// What the server announced in its EHLO reply (RFC 5321 §4.1.1.1).
struct SmtpServerCapabilities
{
    bool esmtp = false; // EHLO accepted (false after the HELO fallback)
    bool pipelining = false;
    bool eightBitMime = false;
    bool smtputf8 = false;
    bool startTls = false;
    bool enhancedStatusCodes = false;
    bool sizeAnnounced = false;
    qint64 sizeLimit = 0;       // RFC 1870: 0 means no fixed limit
    QStringList authMechanisms; // RFC 4954 AUTH keyword parameters, upper case
};

// The end of one transaction.
struct SmtpClientOutcome
{
    // Parallel to the request's recipients. RecipientResult::nextHop is left
    // empty: the session does not know the server's name, its connection does.
    QList<RecipientResult> recipients;
    // Parallel too: a temporary failure that another server (the next MX) may
    // be given right away because nothing was accepted for that recipient.
    // False once the end of the data was sent for an accepted recipient and no
    // answer came: it may have been delivered ("message may be sent more than
    // once"), so it waits for the retry schedule instead.
    QList<bool> retryElsewhere;
    // The session is Idle: another transaction may follow (RSET first) or QUIT.
    bool connectionReusable = false;
    // A reused connection failed before the new transaction started (the
    // server closed it while it sat idle): try again on a fresh connection.
    bool staleConnection = false;
    // Why the session failed as a whole ("lost connection ... while sending
    // RCPT TO"); empty when the transaction itself ran to its end.
    QString sessionError;
    // Policy may only: the TLS handshake failed, nothing of the transaction
    // was sent; like Postfix, try the same server again in plaintext on a new
    // connection that does not attempt STARTTLS.
    bool tlsFallback = false;
};

struct SmtpClientAction
{
    enum class Kind {
        Send,     // write `bytes`
        StartTls, // the server said 220 to STARTTLS: start the TLS handshake, then tlsStarted()/tlsFailed()
        Close,    // close the connection (after writing what was sent before)
        Finished, // the transaction ended: `outcome`
    };
    Kind kind = Kind::Send;
    QByteArray bytes;
    SmtpClientOutcome outcome;
};
using SmtpClientActions = QList<SmtpClientAction>;

class SmtpClientSession final
{
public:
    enum class State {
        Greeting,     // waiting for the 220 greeting
        Hello,        // EHLO sent
        HeloFallback, // EHLO refused with 5xx; HELO sent
        StartTls,     // STARTTLS sent (RFC 3207 §4)
        TlsHandshake, // 220 received; the connection negotiates TLS
        Auth,         // AUTH sent (RFC 4954 §4), or a LOGIN continuation
        Rset,         // reused connection: RSET sent before the next transaction
        Transaction,  // MAIL / RCPT / DATA / end of data in flight
        Idle,         // between transactions: startTransaction() or quit()
        Quit,         // QUIT sent
        Closed,
    };
    // Which RFC 5321 §4.5.3.2 time limit applies to what the session waits for.
    enum class Wait { Nothing, Greeting, Hello, Rset, Mail, Rcpt, DataInit, DataEnd, Quit };

    struct Options
    {
        QString heloName; // our host name for EHLO/HELO (relay.hostname)
        QString peerName; // the server, as errors name it ("mx1.x[192.0.2.1]:25")
        TlsPolicy tls = TlsPolicy::May;
        // False: the plaintext retry after a failed handshake under `may`
        // (never under encrypt/verify): STARTTLS is not attempted.
        bool attemptTls = true;
        std::optional<SmtpCredentials> auth = std::nullopt; // AUTH inside TLS before the first transaction
    };

    // Starts a session on a fresh connection: it waits for the greeting, then
    // runs `request`.
    SmtpClientSession(Options options, DeliveryRequest request);
    Q_DISABLE_COPY_MOVE(SmtpClientSession)

    SmtpClientActions feed(QByteArrayView bytes);
    SmtpClientActions connectionLost(const QString &why);
    SmtpClientActions timedOut();
    // After Kind::StartTls: the handshake succeeded (EHLO again, RFC 3207
    // §4.2), or it failed: `certificate` when the peer's certificate was
    // refused (verify), else a handshake failure.
    SmtpClientActions tlsStarted();
    SmtpClientActions tlsFailed(const QString &why, bool certificate);
    bool tlsActive() const { return m_tlsActive; }
    // Idle only: the next transaction on the same connection (RSET first).
    SmtpClientActions startTransaction(DeliveryRequest request);
    // Idle: QUIT and close after the reply. Elsewhere: close at once.
    SmtpClientActions quit();

    State state() const { return m_state; }
    Wait waitingFor() const;
    const SmtpServerCapabilities &capabilities() const { return m_caps; }
    int completedTransactions() const { return m_completed; }
    // The message's final dot is sent and its reply not yet read: from here
    // until the reply, a lost connection may mean a duplicate (RFC 1047).
    bool endOfDataSent() const { return m_dataSent; }

    // RFC 5321 §4.5.2 transparency: a line that starts with '.' gets another
    // '.'; the data ends with CRLF (added when missing) and then ".\r\n".
    // Stray CR or LF become CRLF, so a next hop that ends lines differently
    // from us can never see a different end of data (SMTP smuggling).
    static QByteArray encodeData(QByteArrayView data);

    // encodeData() in pieces: feed() the message in any chunks, then
    // finish(); the output is the same as encodeData() of the whole.
    struct DotStuffer
    {
        bool lineStart = true;
        bool carryCR = false; // the last chunk ended in CR: CRLF or a bare CR, known with the next
        void feed(QByteArrayView data, QByteArray &out);
        void finish(QByteArray &out);
    };

    // A large message (DeliveryRequest::body): after 354 the header section
    // goes out, then the body in chunks of about BodyFile::kBufferSize as the
    // connection asks for them (when its socket has drained), the last one
    // with the final dot; never the whole message in memory.
    bool hasDataToStream() const { return m_streaming; }
    // The next chunk; empty (and streaming stops) when the file cannot be read.
    QByteArray nextDataChunk();

private:
    enum class Command { Ehlo, Helo, StartTls, Auth, Rset, Mail, Rcpt, Data, EndOfData, DiscardData, Quit };
    struct Pending
    {
        Command command;
        int index = -1; // recipient index for Rcpt
    };

    void enterState(State next) { m_state = next; }
    void send(SmtpClientActions &out, const QByteArray &line, Command command, int index = -1);
    void handleReply(SmtpClientActions &out, const SmtpReply &reply);
    void handleGreeting(SmtpClientActions &out, const SmtpReply &reply);
    void handleHello(SmtpClientActions &out, const SmtpReply &reply, Command command);
    void handleTransactionReply(SmtpClientActions &out, const SmtpReply &reply, const Pending &pending);
    void parseCapabilities(const SmtpReply &reply);
    void afterHello(SmtpClientActions &out);
    void handleStartTls(SmtpClientActions &out, const SmtpReply &reply);
    void proceed(SmtpClientActions &out);
    void startAuth(SmtpClientActions &out);
    void handleAuth(SmtpClientActions &out, const SmtpReply &reply);
    void beginTransaction(SmtpClientActions &out);
    void sendTransactionCommands(SmtpClientActions &out);
    void sendNextRcptOrData(SmtpClientActions &out, int after);
    void endTransaction(SmtpClientActions &out);
    // `cause`: RecipientResult::cause of every recipient it decides.
    void failSession(SmtpClientActions &out, const QString &why, const QString &status, bool sendQuit,
                     FailureCause cause = FailureCause::Refused);
    void decide(int index, DeliveryVerdict verdict, const QString &reply, const QString &status,
                FailureCause cause = FailureCause::Refused);
    void decideFromReply(int index, const SmtpReply &reply, bool success);
    bool anyAccepted() const;
    QString phase() const;

    Options m_options;
    DeliveryRequest m_request;
    State m_state = State::Greeting;
    SmtpReplyReader m_reader;
    SmtpServerCapabilities m_caps;
    QList<Pending> m_pending; // commands awaiting their reply, in order (RFC 2920 §3.1)
    int m_completed = 0;
    bool m_tlsActive = false;
    QByteArray m_authMechanism; // "PLAIN" / "LOGIN" while Auth
    int m_authStep = 0;         // LOGIN: 0 AUTH LOGIN sent, 1 user name sent, 2 password sent

    // The transaction in progress.
    bool m_reused = false;
    bool m_pipelined = false;
    bool m_mailAccepted = false;
    bool m_dataSent = false;  // end of data sent, its reply not yet read: the delivery is uncertain
    bool m_streaming = false; // the body is being sent in chunks (nextDataChunk())
    qint64 m_streamOffset = 0;
    DotStuffer m_stuffer;
    QList<RecipientResult> m_results;
    QList<bool> m_decided;
    QList<bool> m_accepted;
};

} // namespace mailroute
