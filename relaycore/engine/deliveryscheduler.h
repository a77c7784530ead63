// The delivery scheduler (docs/architecture.md "Two data paths"; the qmgr of
// Postfix): the queue of spooled messages with recipients still to deliver,
// on the injectable clock (relaycore/queue/clock.h). It picks the due
// recipients (RetrySchedule, HoldSet), asks NextHopResolver for their next
// hops, has each attempt signed (DkimSigningStage) and sealed
// (ArcSealingStage), hands it to the DeliveryAgent and records the results
// in the spool: delivered, deferred to the next retry, or bounced with a DSN
// from relaycore/message/dsnfactory.h. It also applies the administrator's
// queue requests, domain holds and their warnings, and sends the one delay
// notice (docs/behaviour.md "Retries and holds", "Bounces").
// Lives on the engine thread; RelayEngine creates it at start and owns it.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/message/messageevent.h"
#include "relaycore/queue/clock.h"
#include "relaycore/queue/domainhold.h"
#include "relaycore/queue/holdset.h"
#include "relaycore/queue/queuedmessage.h"
#include "relaycore/queue/retryschedule.h"
#include "relaycore/queue/spool.h"
#include "relaycore/routing/result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QVariantMap>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace mailroute {

class ArcSealingStage;
class DeliveryAgent;
struct DsnOriginal;
class DkimSigningStage;
class NextHopResolver;
class SecretStore;
class Spool;

class DeliveryScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryScheduler)

public:
    // What it works with; every pointer outlives the scheduler.
    struct Parts
    {
        Spool *spool = nullptr;
        DeliveryAgent *agent = nullptr;
        NextHopResolver *resolver = nullptr;
        DkimSigningStage *signing = nullptr;
        ArcSealingStage *arc = nullptr;
        const Clock *clock = nullptr;
        // The keychain with the smart host's password (null: none).
        std::shared_ptr<SecretStore> secrets;
    };
    // A message-log event (the engine batches them).
    using EventSink = std::function<void(MessageEvent event, const QString &queueId, std::optional<Area> area,
                                         QVariantMap fields)>;

    DeliveryScheduler(Parts parts, EventSink events, bool awaitHolds, QObject *parent = nullptr);
    ~DeliveryScheduler() override;

    // The engine's spool of this start (null while stopped).
    void setSpool(Spool *spool) { m_parts.spool = spool; }
    // Where the recipients' results go instead of Spool::update() on the
    // engine thread (the spool commit's thread, spoolcommit.h); empty: the spool.
    using UpdateWriter = std::function<void(const QList<RecipientUpdate> &updates)>;
    void setUpdateWriter(UpdateWriter writer) { m_updateWriter = std::move(writer); }
    // A pushed generation: the retry schedule, the smart host, the TLS policies.
    void setConfig(std::shared_ptr<const RelayConfig> config);
    // false: nothing new starts (stopping); a look-up that answers later
    // leaves its recipients queued in the spool.
    void setRunning(bool running);
    // The domain holds as the database has them; the first call ends the
    // wait of awaitHolds.
    void setHolds(const QList<DomainHold> &holds);

    // Start: everything acknowledged and not yet delivered
    // (docs/behaviour.md "Stopping and durability").
    Result<int> recover();
    // A received message now on disk: dispatched at once while running.
    void addReceived(const QueuedMessage &meta, const QByteArray &data);
    // One of the relay's own messages now on disk (a confirmation):
    // dispatched from the event loop.
    void addOwn(const QueuedMessage &meta, const QByteArray &data);
    // Queue requests, hold changes and warnings, then every due recipient.
    void tick();
    // Writes the recipients' results to the spool now.
    void flushUpdates();
    // Stopped: the spool is the truth from here (a later recover() reloads it).
    void clear();

    int queued() const;

signals:
    // The queue or a delivery changed (for the engine's status).
    void changed();
    // A delivery's result was handled (a stopping engine waits for these).
    void deliveryHandled();
    // The retry.hold_max warning for `domain` went out.
    void holdWarned(const QString &domain);

private:
    struct QueueEntry; // a spooled message with recipients still to deliver
    using Groups = QList<std::pair<QList<qint64>, NextHopLookup>>;

    void addEvent(MessageEvent event, const QString &queueId, std::optional<Area> area, QVariantMap fields);
    void dispatch(qint64 messageId);
    void onLookup(qint64 messageId, const NextHopLookup &lookup);
    // DKIM signing (dkimsigningstage.h), then startDelivery for every group:
    // one signature per delivery attempt, shared by all its next hops.
    void signAndDeliver(qint64 messageId, const Groups &groups);
    // After DKIM signing: the ARC seal (arcsealingstage.h), then delivery.
    void sealAndDeliver(qint64 messageId, const Groups &groups, const QByteArray &data,
                        const BodyFilePtr &body);
    void startDelivery(qint64 messageId, const QList<qint64> &recipientIds, const NextHopLookup &lookup,
                       const QByteArray &data, const BodyFilePtr &body);
    void onDelivered(const DeliveryResult &result);
    void failRecipients(qint64 messageId, const QList<qint64> &recipientIds, bool permanent,
                        const QString &reason, const QString &nextHop);
    void bounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &nextHop);
    void deferBounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &why,
                     const QString &nextHop);
    void scheduleUpdates();
    void applyControlRequests();
    QByteArray messageData(QueueEntry &entry); // a large message's header section only
    Spool::Content messageContent(QueueEntry &entry);
    DsnOriginal originalOf(QueueEntry &entry); // what a bounce or delay notice is about
    TlsPolicy tlsPolicyFor(const NextHopLookup &lookup) const;
    Result<SmtpCredentials> smarthostCredentials();
    void eraseEntry(qint64 messageId);

    // holds, delay notices and local notices
    bool isHeld(const QueuedMessage &meta, const QueuedRecipient &r, const QDateTime &now) const;
    void applyHoldChanges();
    void warnLongHolds();
    void sendDelayNotice(QueueEntry &entry);
    Status spoolNotice(const QString &queueId, const QString &recipient, const QByteArray &data,
                       bool smtputf8, bool eightBit);
    int queuedFor(const QString &domain) const;

    Parts m_parts;
    EventSink m_events;
    std::shared_ptr<const RelayConfig> m_config;
    RetrySchedule m_schedule;
    HoldSet m_holds;
    bool m_holdsKnown = true; // false while awaiting the first setHolds()
    bool m_running = false;
    std::map<qint64, QueueEntry> m_queue;
    qint64 m_cachedBytes = 0;
    QList<RecipientUpdate> m_updates;
    bool m_updateScheduled = false;
    UpdateWriter m_updateWriter;
    std::optional<QString> m_smarthostPassword; // read from the keychain once per configuration
};

} // namespace mailroute
