// The relay: listener, SMTP sessions, durable spool, scheduling, delivery,
// retries and bounces. One object on one engine thread (CONVENTIONS.md): it
// has no parent, is moved to the thread by EngineController, creates its
// sockets there and is deleted when the thread finishes. Only value types
// cross threads, through queued signals and invokeMethod.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/engine/relaystatus.h"
#include "relaycore/queue/clock.h"
#include "relaycore/queue/queuedmessage.h"
#include "relaycore/queue/retryschedule.h"
#include "relaycore/smtp/smtpenvelope.h"
#include "relaycore/smtp/smtpsession.h"
#include "relaycore/store/configstore.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <map>
#include <memory>

class QTcpServer;
class QTimer;

namespace mailroute {

class DeliveryAgent;
class NextHopResolver;
class RelayPolicy;
class SecretStore;
class SmtpServerConnection;
class Spool;
struct TlsCredentials;

class RelayEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayEngine)

public:
    struct Options
    {
        QString spoolDirectory;
        QString nameserver;      // DNS server for MX look-ups ("127.0.0.53" in tests); empty: the system's
        const Clock *clock = nullptr; // nullptr: the system clock; must outlive the engine
        int schedulerTickMs = 1000;   // how often due retries and admin requests are looked at
        DeliveryTimeouts deliveryTimeouts;
        // The keychain of this configuration database (relaycore/secrets):
        // the TLS key passphrase, the smart host password. Null: no secrets
        // (an encrypted tls.key is then refused with a clear error event).
        // EngineController creates it from its databasePath when unset.
        std::shared_ptr<SecretStore> secrets;
    };

    explicit RelayEngine(Options options);
    ~RelayEngine() override;

    // Engine thread only (EngineController calls them through invokeMethod).
    void start(std::shared_ptr<const mailroute::RelayConfig> config);
    void applyConfig(std::shared_ptr<const mailroute::RelayConfig> config);
    void stop();
    // A push or upload confirmation for relay.postmaster (issue 11): spooled
    // and delivered like any message, so it is retried and logged. Answers
    // with confirmationHandled(key) once it is on disk (or will never be
    // sent: no postmaster, relay.confirmations off); no answer while stopped.
    void submitConfirmation(const mailroute::ConfirmationRequest &request);

    RelayStatus status() const;

signals:
    void statusChanged(const mailroute::RelayStatus &status);
    // Message-log events, batched about every 100 ms (SPEC §4).
    void events(const QList<mailroute::MessageLogEntry> &events);
    void stopped();
    void confirmationHandled(const QString &key);

private:
    struct Pending;     // a received message waiting for the group commit
    struct QueueEntry;  // a spooled message with recipients still to deliver

    // inbound
    bool listen();
    void loadTls();
    void onNewConnection();
    void onMessageReady(SmtpServerConnection *connection, const ReceivedMessage &message);
    void onConnectionClosed(SmtpServerConnection *connection);
    void commitReceived();
    std::shared_ptr<const SmtpPolicy> currentPolicy() const;
    SessionConfig sessionConfig() const;

    // outbound
    void dispatch(qint64 messageId);
    void onLookup(qint64 messageId, const NextHopLookup &lookup);
    void startDelivery(qint64 messageId, const QList<qint64> &recipientIds, const NextHopLookup &lookup);
    void onDelivered(const DeliveryResult &result);
    void failRecipients(qint64 messageId, const QList<qint64> &recipientIds, bool permanent,
                        const QString &reason, const QString &nextHop);
    void bounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &nextHop);
    void deferBounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &why,
                     const QString &nextHop);
    void finishStop(bool force);
    void tick();
    void applyControlRequests();
    void flushUpdates();
    QByteArray messageData(QueueEntry &entry);
    QString recipientDomain(const QString &address) const;
    TlsPolicy tlsPolicyFor(const NextHopLookup &lookup) const;
    Result<SmtpCredentials> smarthostCredentials();

    // events and status
    void addEvent(const QString &event, const QString &queueId, std::optional<Area> area, QVariantMap fields);
    void flushEvents();
    void publishStatus();
    void eraseEntry(qint64 messageId);

    Options m_options;
    const Clock *m_clock;
    std::shared_ptr<const RelayConfig> m_config;
    std::shared_ptr<const RelayPolicy> m_policy;
    std::shared_ptr<const TlsCredentials> m_tls; // null: no STARTTLS
    RetrySchedule m_schedule;

    QTcpServer *m_server = nullptr;
    QString m_listenAddress;
    QString m_error;
    std::unique_ptr<Spool> m_spool;
    DeliveryAgent *m_agent = nullptr;
    NextHopResolver *m_resolver = nullptr;
    QTimer *m_tickTimer = nullptr;
    QTimer *m_eventTimer = nullptr;
    QTimer *m_statusTimer = nullptr;
    qint64 m_cachedBytes = 0;

    quint64 m_sessionCounter = 0;
    QHash<SmtpServerConnection *, QString> m_connections; // -> client address
    QHash<QString, int> m_perClient;

    QList<Pending> m_pending;
    bool m_commitScheduled = false;
    QList<RecipientUpdate> m_updates;
    bool m_updateScheduled = false;

    std::map<qint64, QueueEntry> m_queue;
    std::optional<QString> m_smarthostPassword; // read from the keychain once per configuration
    QList<MessageLogEntry> m_events;
    bool m_running = false;
    bool m_stopping = false;       // stop() called; waiting for deliveries and sessions
    QTimer *m_stopTimer = nullptr; // relay.stop_timeout
};

} // namespace mailroute
