// The relay: the wiring of its stages, as Postfix's smtpd -> cleanup -> qmgr
// (docs/architecture.md "Two data paths"): the listener and the SMTP
// sessions, the intake (intake.h: envelope, authentication verdicts, header
// rewriting, Received:), the spool commit (spoolcommit.h) and the delivery
// scheduler (deliveryscheduler.h: look-ups, signing, sealing, delivery,
// retries, bounces). One object on one engine thread (docs/architecture.md
// "Threads"): it has no parent, is moved to the thread by EngineController,
// creates its sockets there and is deleted when the thread finishes. Only
// value types cross threads, through queued signals and invokeMethod.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/engine/inboundsignaturecheck.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/engine/relaystatus.h"
#include "relaycore/mailauth/receiptverifier.h"
#include "relaycore/message/confirmationrequest.h"
#include "relaycore/message/headerrewriter.h"
#include "relaycore/message/messageevent.h"
#include "relaycore/message/signedheaderpolicy.h"
#include "relaycore/queue/clock.h"
#include "relaycore/queue/domainhold.h"
#include "relaycore/queue/holdset.h"
#include "relaycore/queue/queuedmessage.h"
#include "relaycore/queue/retryschedule.h"
#include "relaycore/smtp/smtpenvelope.h"
#include "relaycore/smtp/smtpsession.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QTcpServer;
class QTimer;

namespace mailroute {

class DeliveryAgent;
class DeliveryScheduler;
class ArcSealingStage;
class DkimSigningStage;
class NextHopResolver;
class RecipientVerifier;
class RelayPolicy;
class SecretStore;
class SmtpServerConnection;
class Spool;
class SpoolCommit;
struct TlsCredentials;

class RelayEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayEngine)

public:
    struct Options
    {
        QString spoolDirectory;
        QString nameserver; // DNS server for MX look-ups, "HOST[:PORT]" ("127.0.0.1:5353" in tests); empty:
                            // the system's
        const Clock *clock = nullptr; // nullptr: the system clock; must outlive the engine
        int schedulerTickMs = 1000;   // how often due retries and admin requests are looked at
        DeliveryTimeouts deliveryTimeouts;
        // The DNS look-up of one destination (MX, then the hosts' A/AAAA):
        // without an answer by then it is deferred (4.4.3).
        std::chrono::milliseconds dnsTimeout{30'000};
        // The keychain of this configuration database (relaycore/secrets):
        // the TLS key passphrase, the smart host password. Null: no secrets
        // (an encrypted tls.key is then refused with a clear error event).
        // EngineController creates it from its databasePath when unset.
        std::shared_ptr<SecretStore> secrets;
        // rewrite.recipient_headers unsigned: verifies inbound DKIM signatures
        // (created on the engine thread at start). Unset: the relay's own
        // DKIM verifier. A factory that returns null: no verification, so a
        // signed field is always kept (doubt).
        std::function<std::unique_ptr<InboundSignatureCheck>()> signatureCheck;
        // The longest a signed message's 250 waits for its DKIM verdict;
        // after it every field a signature may cover is kept.
        int signatureCheckTimeoutMs = 10000;
        // Mail authentication at receipt (SPF, DKIM, DMARC) for clients off
        // outbound.allowed_clients: created on the engine thread at start.
        // Unset: the relay's ReceiptVerifier on `nameserver`; a factory that
        // returns null: no verification and no Authentication-Results.
        std::function<std::unique_ptr<ReceiptCheck>()> receiptCheck;
        // The ARC chain validation for the "auth" log line (arc=); unset:
        // arcArrivalCheck() with the relay's name server.
        ArcChainCheck arcCheck;
        // The longest a message's 250 waits for the verdicts; after it they
        // are all temperror and the message goes on.
        int receiptCheckTimeoutMs = 20000;
        // Deliver nothing until the first setHolds() (EngineController reads
        // the holds from the database), so held mail in the spool is never
        // attempted at start.
        bool awaitHolds = false;
        // Recipient verification probes (recipientverifier.h): time limits
        // (unset: RecipientVerifier's defaults) and the cache's size.
        std::optional<DeliveryTimeouts> verifyTimeouts;
        int verifyCacheEntries = 100'000;
    };

    explicit RelayEngine(Options options);
    ~RelayEngine() override;

    // Engine thread only (EngineController calls them through invokeMethod).
    void start(std::shared_ptr<const mailroute::RelayConfig> config);
    void applyConfig(std::shared_ptr<const mailroute::RelayConfig> config);
    void stop();
    // The domain holds as the database has them (DeliveryScheduler::setHolds).
    void setHolds(const QList<mailroute::DomainHold> &holds);
    // A push or upload confirmation for relay.postmaster (issue 11): spooled
    // and delivered like any message, so it is retried and logged. Answers
    // with confirmationHandled(key) once it is on disk (or will never be
    // sent: no postmaster, relay.confirmations off); no answer while stopped.
    void submitConfirmation(const mailroute::ConfirmationRequest &request);

    RelayStatus status() const;

signals:
    void statusChanged(const mailroute::RelayStatus &status);
    // Message-log events, batched about every 100 ms (docs/behaviour.md "Logs").
    void events(const QList<mailroute::MessageLogEntry> &events);
    void stopped();
    // The retry.hold_max warning for `domain` went out (log event, and a
    // notice to relay.postmaster when set); EngineController records it.
    void holdWarned(const QString &domain);
    void confirmationHandled(const QString &key);

private:
    struct Pending;   // a received message in the intake
    struct Awaiting;  // a received message waiting for its DKIM verdict
    struct Verifying; // a received message waiting for its mail authentication verdicts

    // inbound
    bool listen();
    void loadTls();
    void onNewConnection();
    void onMessageReady(SmtpServerConnection *connection, const ReceivedMessage &message);
    void onConnectionClosed(SmtpServerConnection *connection);
    // The intake's steps (intake.h), with the waits between them.
    // Mail authentication at receipt: starts it for a message from a client
    // off the allow list (true: the intake goes on in finishReceiptCheck).
    bool startReceiptCheck(Pending &pending);
    void finishReceiptCheck(quint64 key, const AuthVerdicts &verdicts);
    void continueIntake(Pending pending);
    void completeIntake(Pending pending, const std::optional<QList<SignatureOutcome>> &signatures);
    void awaitSignatures(Pending pending);
    void finishSignatureWait(quint64 key, const QList<SignatureOutcome> &signatures);
    void abandonSignatureWait(quint64 key, const QString &reason);
    std::shared_ptr<const SmtpPolicy> currentPolicy() const;
    SessionConfig sessionConfig() const;

    void finishStop(bool force);
    void tick();

    // events and status
    void addEvent(MessageEvent event, const QString &queueId, std::optional<Area> area, QVariantMap fields);
    void addRefusal(const QString &client, const QString &from, const QString &to, const Reply &reply,
                    quint64 session = 0);
    void flushEvents();
    void publishStatus();

    Options m_options;
    const Clock *m_clock;
    std::shared_ptr<const RelayConfig> m_config;
    std::shared_ptr<const RelayPolicy> m_policy;
    std::shared_ptr<const TlsCredentials> m_tls; // null: no STARTTLS
    // Each policy a session may still hold, with the configuration it was
    // made from: the intake of a message uses the pair pinned at MAIL.
    std::optional<QList<DomainHold>> m_holdsBeforeStart; // setHolds() before the scheduler exists

    QTcpServer *m_server = nullptr;
    QString m_listenAddress;
    QString m_error;
    std::unique_ptr<Spool> m_spool;
    SpoolCommit *m_commit = nullptr;
    DeliveryScheduler *m_scheduler = nullptr;
    DeliveryAgent *m_agent = nullptr;
    DkimSigningStage *m_signing = nullptr;
    ArcSealingStage *m_arc = nullptr;
    NextHopResolver *m_resolver = nullptr;
    RecipientVerifier *m_verifier = nullptr; // recipient verification at RCPT
    QTimer *m_tickTimer = nullptr;
    QTimer *m_eventTimer = nullptr;
    QTimer *m_statusTimer = nullptr;

    quint64 m_sessionCounter = 0;
    QHash<SmtpServerConnection *, QString> m_connections; // -> client address
    QHash<QString, int> m_perClient;

    std::unique_ptr<InboundSignatureCheck> m_signatureCheck;
    std::map<quint64, std::unique_ptr<Awaiting>> m_awaiting;
    std::unique_ptr<ReceiptCheck> m_receiptCheck;
    std::map<quint64, std::unique_ptr<Verifying>> m_verifying;
    quint64 m_awaitSerial = 0;

    QList<MessageLogEntry> m_events;
    bool m_running = false;
    bool m_stopping = false;       // stop() called; waiting for deliveries and sessions
    QTimer *m_stopTimer = nullptr; // relay.stop_timeout
};

} // namespace mailroute
