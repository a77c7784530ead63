// The server side of one SMTP connection as a pure state machine (RFC 5321
// with PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES, SMTPUTF8): bytes in,
// actions out, no sockets, no timers, no clock. The engine's connection class
// owns one SmtpSession per socket and lives on the engine thread; the session
// itself is not thread-safe and needs no event loop.
//
// Driving it:
//   SmtpSession s(config, client, policySource);
//   s.start();                        // greeting (or refusal)
//   on readyRead:  s.feed(bytes);
//   on timer:      s.timedOut();
//   after each call: for (auto &a : s.takeActions()) ...   // in order
//     SendReply    -> write a.bytes
//     MessageReady -> spool a.message, fsync, then s.messageAccepted(queueId)
//                     (or s.messageRejected(replies::internalError()))
//     StartTls     -> start the TLS handshake, then s.tlsEstablished()
//     Close        -> flush written bytes, close the socket
//     Diagnostic   -> log a.detail (never sent to the client)
//   re-arm the timer with timeoutInterval() whenever bytes arrive or a call
//   returns; stop it while timeoutKind() == TimeoutKind::None.
#pragma once

#include "relaycore/smtp/sessionlimits.h"
#include "relaycore/smtp/smtpenvelope.h"
#include "relaycore/smtp/smtppolicy.h"
#include "relaycore/smtp/smtpreply.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mailroute {

struct SessionConfig
{
    QString hostname;          // this relay's name, in greetings and for postmaster@<hostname>
    bool tlsAvailable = false; // a certificate is configured: advertise and accept STARTTLS
    SessionLimits limits;
    // Where a large message's body is written as it arrives (BodyFile);
    // empty: every message is held in memory.
    QString spillDirectory;
};

// The policy in force right now. Called when a session starts, at EHLO/HELO
// and at MAIL; a transaction keeps the policy it got at MAIL until it ends,
// so a pushed configuration never changes a transaction half-way
// (docs/behaviour.md "Draft, push and generations").
using PolicySource = std::function<std::shared_ptr<const SmtpPolicy>()>;

enum class TimeoutKind {
    None,    // the client is not expected to send (closed, or waiting for the engine's verdict)
    Command, // SessionLimits::commandTimeout
    Data,    // SessionLimits::dataTimeout
};

enum class SessionState {
    Initial,           // constructed, start() not called
    Greeted,           // 220 sent, no EHLO/HELO yet
    Ready,             // EHLO/HELO accepted, no transaction
    InTransaction,     // MAIL accepted, RCPTs being collected
    Data,              // reading the message text after 354
    AwaitingVerdict,   // message handed to the engine; input is buffered
    AwaitingRecipient, // RCPT handed out for verification (VerifyRecipient); input is buffered
    Refused,           // the connection was refused; only QUIT is honoured (RFC 5321 §3.1)
    TlsHandshake,      // 220 to STARTTLS sent; input is discarded (RFC 3207 §4.2)
    Closed,            // terminal
};

struct SessionAction
{
    enum class Kind { SendReply, Close, StartTls, MessageReady, Diagnostic, Refused, VerifyRecipient };

    Kind kind = Kind::SendReply;
    QByteArray bytes;        // SendReply: wire bytes (replies in a row are merged, RFC 2920 §3.2)
    ReceivedMessage message; // MessageReady
    QString detail;          // Diagnostic: an internal failure, for the log only
    // Refused: a refusal for a policy reason (docs/behaviour.md "Who may send
    // what", the "refused" event: client, addresses, reply): the connection,
    // HELO, the sender, a recipient, the size, the hop limit, TLS required,
    // a limit. For the message log; the reply is also in a SendReply of its own.
    QString sender;    // the envelope sender as parsed; "<>" for the null sender; empty before MAIL
    QString recipient; // the refused recipient, or the transaction's recipients (", "); may be empty
    //                 (VerifyRecipient: the recipient to verify)
    Reply reply;
    // VerifyRecipient: the rewritten address to ask its next hop about; the
    // answer goes to SmtpSession::recipientVerified().
    QString target;
};

class SmtpSession final
{
public:
    // The command table (RFC 5321 §4.1.1): one row per verb the session
    // knows, looked up case-insensitively; a verb not in it is unrecognized
    // (500 5.5.2). The checks a row's flags name run in this order before
    // its handler, each with the reply the session has always given:
    enum CommandFlag : unsigned {
        // The only verb a refused connection may use (RFC 5321 §3.1); every
        // other command there gets 503 5.7.0, even an unknown one.
        AllowedWhenRefused = 1u << 0,
        // Counted against SessionLimits::junkCommands (as Postfix's
        // smtpd_junk_command_limit); unknown verbs count too.
        Junk = 1u << 1,
        NoArguments = 1u << 2,      // an argument: 501 5.5.4 "Syntax: <usage>"
        NeedsHelo = 1u << 3,        // before EHLO/HELO: 503 5.5.1
        NeedsTransaction = 1u << 4, // outside MAIL..DATA: 503 5.5.1 "need MAIL"
        NoTransaction = 1u << 5,    // inside MAIL..DATA: 503 5.5.1 "nested MAIL"
    };
    using CommandHandler = void (SmtpSession::*)(QByteArrayView args);
    struct Command
    {
        const char *verb;
        CommandHandler handler;
        unsigned flags;
        const char *usage; // for NoArguments; empty otherwise
    };
    // The table; nullptr for a verb it does not hold.
    static const Command *findCommand(QByteArrayView verb);
    static const std::vector<Command> &commandTable();

    SmtpSession(SessionConfig config, QHostAddress clientAddress, quint16 clientPort, PolicySource policy);
    ~SmtpSession();
    Q_DISABLE_COPY_MOVE(SmtpSession)

    // Asks the policy about the connection and sends the greeting or refusal.
    void start();
    // Client bytes, chunked any way the network delivers them.
    void feed(QByteArrayView bytes);
    std::vector<SessionAction> takeActions();

    // The engine's answer to MessageReady: sends "250 2.0.0 Ok: queued as
    // <ID>" or `reply` (4xx/5xx; anything else becomes 451 4.3.0), then
    // processes what the client pipelined meanwhile.
    void messageAccepted(const QByteArray &queueId);
    void messageRejected(const Reply &reply);
    // The answer to VerifyRecipient: a 2xx takes the recipient (250 2.1.5),
    // a 4xx/5xx is sent to the client as the RCPT's reply (and logged as a
    // Refused action); then what the client pipelined meanwhile is processed.
    void recipientVerified(const Reply &reply);
    // The TLS handshake after StartTls succeeded: the session starts over
    // (no greeting; the client sends EHLO again, RFC 3207 §4.2).
    void tlsEstablished();
    // Stopping mail routing (docs/behaviour.md "Activation"): 421 4.3.2 and Close.
    void shutdown();
    // The timer for timeoutKind() ran out: 421 4.4.2 and Close.
    void timedOut();

    TimeoutKind timeoutKind() const;
    std::chrono::seconds timeoutInterval() const; // of timeoutKind(); 0 for None
    SessionState state() const { return m_state; }
    bool isClosed() const { return m_state == SessionState::Closed; }
    const SessionInfo &sessionInfo() const { return m_session; }

private:
    // Input framing.
    qsizetype consume(const char *s, qsizetype n);
    qsizetype consumeCommandLine(const char *s, qsizetype n);
    qsizetype consumeData(const char *s, qsizetype n);
    void processBuffered();
    void bufferInput(QByteArrayView bytes);
    void keepUnconsumed(QByteArrayView rest);
    void appendData(const char *s, qsizetype n);
    void endDataLine();
    void refuseData(bool &flag);
    void finishData();
    void spillBody();

    // Commands (RFC 5321 §4.1.1): handleCommand() dispatches through the
    // command table to one handler per row (all in smtpsessioncommands.cpp).
    void handleCommand(const char *line, qsizetype length);
    bool admitJunkCommand();
    void cmdEhlo(QByteArrayView args);
    void cmdHelo(QByteArrayView args);
    void hello(QByteArrayView args, bool extended);
    void cmdMail(QByteArrayView args);
    void cmdRcpt(QByteArrayView args);
    void cmdData(QByteArrayView args);
    void cmdRset(QByteArrayView args);
    void cmdNoop(QByteArrayView args);
    void cmdQuit(QByteArrayView args);
    void cmdVrfy(QByteArrayView args);
    void cmdHelp(QByteArrayView args);
    void cmdStartTls(QByteArrayView args);
    void cmdNotImplemented(QByteArrayView args);

    // State and output.
    void enterState(SessionState next);
    void resetTransaction();
    SessionState idleState() const;
    void sendReply(const Reply &reply);
    void sendError(const Reply &reply);
    void diagnostic(QString detail);
    void logRefusal(const Reply &reply, const QString &sender, const QString &recipients);
    static QString refusalSender(const Transaction &tx);
    static QString refusalRecipients(const Transaction &tx);
    // Defined in smtpsession_p.h, for both source files.
    template <typename Ask> Verdict askPolicy(const char *step, const SmtpPolicy *policy, Ask &&ask);
    std::shared_ptr<const SmtpPolicy> currentPolicy() const;
    void resumeAfterVerdict();
    QByteArray ehloExtensions() const;

    // Where the DATA scanner is, across chunks (RFC 5321 §4.5.2).
    struct DataScan
    {
        qint64 size = 0;          // unstuffed octets so far, counted even when not stored
        qsizetype lineLength = 0; // octets of the current line, without CRLF and the stuffing dot
        bool lineStart = true;
        bool dotLine = false;   // the current line began with a (dropped) period
        bool pendingCR = false; // the previous chunk ended in CR
        bool tooBig = false;
        bool badEnding = false; // bare CR, bare LF or NUL
        bool lineTooLong = false;
        bool spillFailed = false;    // the body file could not be written
        bool keepInMemory = false;   // no spill directory, or the file could not be created
        qsizetype headerScanned = 0; // data searched for the header section's end so far
        bool refused() const { return tooBig || badEnding || lineTooLong || spillFailed; }
    };

    const SessionConfig m_config;
    const QByteArray m_host; // m_config.hostname for replies
    PolicySource m_policySource;

    SessionState m_state = SessionState::Initial;
    SessionInfo m_session;
    Transaction m_tx;
    std::shared_ptr<BodyFile> m_spill;            // the body being written, handed on as m_tx.body
    std::shared_ptr<const SmtpPolicy> m_txPolicy; // pinned at MAIL for the whole transaction
    int m_rcptRefused = 0;                        // RCPTs refused in this transaction
    std::optional<EnvelopeRecipient> m_verifying; // AwaitingRecipient: the RCPT whose verdict is awaited

    // Unprocessed input: a partial command line, bytes fed before the
    // greeting, or what the client pipelined while a message awaits its verdict.
    QByteArray m_in;
    bool m_discarding = false; // inside an overlong command line, until its CRLF
    bool m_discardCR = false;  // ... and the last byte seen was CR
    bool m_inputOverflow = false;
    DataScan m_scan;
    int m_errors = 0;
    int m_junkCommands = 0; // junk commands accepted since the session began or the last delivered message

    std::vector<SessionAction> m_actions;
};

} // namespace mailroute
