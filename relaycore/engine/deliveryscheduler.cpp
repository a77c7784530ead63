#include "relaycore/engine/deliveryscheduler.h"

#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/arcsealingstage.h"
#include "relaycore/engine/dkimsigningstage.h"
#include "relaycore/message/dsnfactory.h"
#include "relaycore/queue/spool.h"
#include "relaycore/secrets/secretstore.h"

#include <QTimer>

namespace mailroute {

struct DeliveryScheduler::QueueEntry
{
    QueuedMessage meta;
    QByteArray data;                              // cached content; empty: read it from the spool when needed
    QSet<qint64> inFlight;                        // recipients being looked up or delivered
    QHash<QString, QList<qint64>> awaitingLookup; // recipient domain -> recipient ids
    QHash<QString, NextHopLookup> lookups;        // answers so far for awaitingLookup
    bool uncached = false; // data kept only for the first attempt (the cache is full), not counted
};

namespace {

// Content kept in memory for quick delivery; beyond this it is re-read from the spool.
constexpr qint64 kDataCacheBytes = 256LL * 1024 * 1024;

QueuedRecipient *findRecipient(QueuedMessage &meta, qint64 id)
{
    for (QueuedRecipient &r : meta.recipients) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

bool allFinal(const QueuedMessage &meta)
{
    for (const QueuedRecipient &r : meta.recipients) {
        if (r.status == RecipientStatus::Queued)
            return false;
    }
    return true;
}

QString recipientDomain(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

// The recipients a notice reports on, as DsnFactory takes them.
QList<DsnFailure> failuresOf(const QList<QueuedRecipient> &recipients)
{
    QList<DsnFailure> out;
    out.reserve(recipients.size());
    for (const QueuedRecipient &r : recipients)
        out << DsnFailure{r.address, r.originalAddress, r.lastError, {}};
    return out;
}

} // namespace

DeliveryScheduler::DeliveryScheduler(Parts parts, EventSink events, bool awaitHolds, QObject *parent)
    : QObject(parent), m_parts(std::move(parts)), m_events(std::move(events)), m_holdsKnown(!awaitHolds)
{
    if (!m_parts.clock)
        m_parts.clock = &SystemClock::instance();
    connect(m_parts.agent, &DeliveryAgent::finished, this, &DeliveryScheduler::onDelivered);
    // Every attempt that sent the final dot is in the log before its
    // result: a message delivered twice shows as two of these.
    connect(m_parts.agent, &DeliveryAgent::endOfDataSent, this,
            [this](qint64, const QString &queueId, const QStringList &recipients, const QString &hop) {
                addEvent(MessageEvent::SentDot, queueId, std::nullopt,
                         {{QStringLiteral("to"), recipients.join(QStringLiteral(", "))},
                          {QStringLiteral("relay"), hop}});
            });
}

DeliveryScheduler::~DeliveryScheduler() = default;

void DeliveryScheduler::setConfig(std::shared_ptr<const RelayConfig> config)
{
    m_config = std::move(config);
    m_schedule = RetrySchedule(m_config->retrySchedule, m_config->retryMinBackoffSecs);
    m_smarthostPassword.reset(); // a push re-reads it (the user name may have changed)
}

void DeliveryScheduler::setRunning(bool running)
{
    m_running = running;
}

int DeliveryScheduler::queued() const
{
    return static_cast<int>(m_queue.size());
}

Result<int> DeliveryScheduler::recover()
{
    const auto queued = m_parts.spool->loadQueued();
    if (!queued.ok())
        return Result<int>::failure(queued.error);
    for (const QueuedMessage &meta : *queued)
        m_queue.emplace(meta.id, QueueEntry{meta, {}, {}, {}, {}});
    return Result<int>::success(static_cast<int>(queued->size()));
}

void DeliveryScheduler::addReceived(const QueuedMessage &meta, const QByteArray &data)
{
    // A large message's body stays in its file: only whole messages are cached,
    // and a large one is read back with its body file when it goes out.
    const bool whole = meta.size == data.size();
    const bool keep = whole && m_cachedBytes + data.size() <= kDataCacheBytes;
    if (keep)
        m_cachedBytes += data.size();
    // The first attempt of a whole message always goes out from these bytes,
    // never from a re-read of the spool; beyond the cache they are dropped after it.
    m_queue.emplace(meta.id, QueueEntry{meta, whole ? data : QByteArray(), {}, {}, {}, !keep});
    if (m_running)
        dispatch(meta.id);
}

void DeliveryScheduler::addOwn(const QueuedMessage &meta, const QByteArray &data)
{
    m_cachedBytes += data.size();
    m_queue.emplace(meta.id, QueueEntry{meta, data, {}, {}, {}});
    QTimer::singleShot(0, this, [this, id = meta.id] { dispatch(id); });
}

void DeliveryScheduler::clear()
{
    flushUpdates();
    m_queue.clear();
    m_cachedBytes = 0;
}

void DeliveryScheduler::addEvent(MessageEvent event, const QString &queueId, std::optional<Area> area,
                                 QVariantMap fields)
{
    m_events(event, queueId, area, std::move(fields));
}

void DeliveryScheduler::scheduleUpdates()
{
    if (!m_updateScheduled) {
        m_updateScheduled = true;
        QTimer::singleShot(0, this, &DeliveryScheduler::flushUpdates);
    }
}

DsnOriginal DeliveryScheduler::originalOf(QueueEntry &entry)
{
    return DsnOriginal{entry.meta.sender, entry.meta.queueId, entry.meta.arrival, messageData(entry)};
}

QByteArray DeliveryScheduler::messageData(QueueEntry &entry)
{
    return messageContent(entry).head;
}

Spool::Content DeliveryScheduler::messageContent(QueueEntry &entry)
{
    if (!entry.data.isEmpty())
        return Spool::Content{entry.data, nullptr};
    const auto content = m_parts.spool->content(entry.meta.id);
    return content.ok() ? *content : Spool::Content{};
}

void DeliveryScheduler::dispatch(qint64 messageId)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end() || !m_running || !m_holdsKnown)
        return;
    QueueEntry &entry = it->second;
    const QDateTime now = m_parts.clock->now();
    // Mail to <postmaster> goes to relay.postmaster (docs/behaviour.md "Who may send what"); without one it
    // waits in the queue (and bounces by the schedule) rather than looping back
    // here. Only postmaster: other mail for the relay's own host domain is
    // delivered like any other.
    const QString ownDomain = m_config->hostName.toLower();
    QList<qint64> postmaster;
    QHash<QString, QList<qint64>> byDomain;
    for (const QueuedRecipient &r : entry.meta.recipients) {
        if (r.status != RecipientStatus::Queued || entry.inFlight.contains(r.id))
            continue;
        if (r.nextAttempt.isValid() && r.nextAttempt > now)
            continue;
        if (isHeld(entry.meta, r, now))
            continue; // neither attempted nor bounced until the hold ends
        const QString domain = recipientDomain(r.address);
        if (m_config->postmaster.isEmpty() && domain == ownDomain &&
            r.address.section(QLatin1Char('@'), 0, -2)
                    .compare(QLatin1String("postmaster"), Qt::CaseInsensitive) == 0)
            postmaster << r.id;
        else
            byDomain[domain] << r.id;
    }
    if (!postmaster.isEmpty()) {
        failRecipients(
            messageId, postmaster, false,
            QStringLiteral("4.3.5 relay.postmaster is not set: mail to the postmaster waits for it"), {});
    }
    if (m_queue.find(messageId) == m_queue.end())
        return;
    if (byDomain.isEmpty()) {
        if (entry.uncached && entry.inFlight.isEmpty())
            entry.data.clear(); // held or waiting: read again when it is due
        return;
    }
    for (auto d = byDomain.cbegin(); d != byDomain.cend(); ++d) {
        for (qint64 id : d.value())
            entry.inFlight.insert(id);
        const bool asked = entry.awaitingLookup.contains(d.key());
        entry.awaitingLookup[d.key()] << d.value();
        // The resolver answers later (never from inside resolve()) and shares
        // one DNS look-up between concurrent requests for a destination.
        if (!asked) {
            m_parts.resolver->resolve(d.key(), this, [this, messageId](const NextHopLookup &lookup) {
                onLookup(messageId, lookup);
            });
        }
    }
}

void DeliveryScheduler::onLookup(qint64 messageId, const NextHopLookup &lookup)
{
    {
        const auto it = m_queue.find(messageId);
        if (it == m_queue.end())
            return;
        QueueEntry &entry = it->second;
        if (!entry.awaitingLookup.contains(lookup.domain))
            return;
        entry.lookups.insert(lookup.domain, lookup);
        if (entry.lookups.size() < entry.awaitingLookup.size())
            return;
        // Every domain of this dispatch is resolved: recipients that share a
        // next hop go in one transaction
        // (docs/behaviour.md "Next hops and DNS").
        const auto awaiting = std::exchange(entry.awaitingLookup, {});
        const auto lookups = std::exchange(entry.lookups, {});
        QHash<QString, QPair<NextHopLookup, QList<qint64>>> byDestination;
        QStringList order;
        for (auto a = awaiting.cbegin(); a != awaiting.cend(); ++a) {
            const NextHopLookup &l = lookups.value(a.key());
            if (l.status != LookupStatus::Ok) {
                failRecipients(
                    messageId, a.value(), l.status == LookupStatus::PermanentFailure,
                    l.enhancedStatus.isEmpty() ? l.error : l.enhancedStatus + QLatin1Char(' ') + l.error, {});
                continue;
            }
            // Domains routed to one host under different TLS policies do not
            // share a transaction.
            const QString key = l.destination + QLatin1Char('|') + tlsPolicyName(tlsPolicyFor(l));
            if (!byDestination.contains(key)) {
                order << key;
                byDestination.insert(key, {l, {}});
            }
            byDestination[key].second << a.value();
        }
        QList<std::pair<QList<qint64>, NextHopLookup>> groups;
        for (const QString &destination : order)
            groups.append({byDestination.value(destination).second, byDestination.value(destination).first});
        if (!groups.isEmpty())
            signAndDeliver(messageId, groups);
    }
}

void DeliveryScheduler::signAndDeliver(qint64 messageId, const Groups &groups)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    const Spool::Content content = messageContent(it->second);
    if (it->second.uncached)
        it->second.data.clear();
    const QByteArray &data = content.head;
    if (data.isEmpty()) {
        for (const auto &group : groups)
            failRecipients(messageId, group.first, false,
                           QStringLiteral("cannot read the message from the spool"), {});
        return;
    }
    const std::optional<Area> area = it->second.meta.isDsn ? std::nullopt : std::optional(Area::Outbound);
    m_parts.signing->prepare(
        it->second.meta, data, content.body, m_config, m_parts.clock->now().toSecsSinceEpoch(),
        [this, messageId, groups, area](const DkimSigningStage::Outcome &o) {
            const auto entry = m_queue.find(messageId);
            if (entry == m_queue.end())
                return; // deleted by the admin meanwhile
            if (o.kind == DkimSigningStage::Outcome::Kind::Failed) {
                // Never sent unsigned: deferred, the log says why.
                for (const auto &group : groups)
                    failRecipients(messageId, group.first, false, o.error, {});
                return;
            }
            if (o.kind == DkimSigningStage::Outcome::Kind::Signed) {
                QVariantMap f = o.logFields();
                f.insert(QStringLiteral("scope"), QStringLiteral("header DKIM-Signature"));
                addEvent(MessageEvent::Rewritten, entry->second.meta.queueId, area, f);
            }
            sealAndDeliver(messageId, groups, o.data, o.body);
        });
}

void DeliveryScheduler::sealAndDeliver(qint64 messageId, const Groups &groups, const QByteArray &data,
                                       const BodyFilePtr &body)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    const std::optional<Area> area = it->second.meta.isDsn ? std::nullopt : std::optional(Area::Outbound);
    m_parts.arc->prepare(it->second.meta, data, body, m_config, m_parts.clock->now().toSecsSinceEpoch(),
                         [this, messageId, groups, area](const ArcSealingStage::Outcome &o) {
                             const auto entry = m_queue.find(messageId);
                             if (entry == m_queue.end())
                                 return;
                             if (o.kind == ArcSealingStage::Outcome::Kind::Failed) {
                                 for (const auto &group : groups)
                                     failRecipients(messageId, group.first, false, o.error, {});
                                 return;
                             }
                             if (o.kind == ArcSealingStage::Outcome::Kind::Sealed) {
                                 QVariantMap f = o.logFields();
                                 f.insert(QStringLiteral("scope"), QStringLiteral("header ARC-Seal"));
                                 if (!o.chainReason.isEmpty())
                                     f.insert(QStringLiteral("reason"), o.chainReason);
                                 addEvent(MessageEvent::Rewritten, entry->second.meta.queueId, area, f);
                             } else if (!o.error.isEmpty()) {
                                 addEvent(MessageEvent::Warning, entry->second.meta.queueId, area,
                                          {{QStringLiteral("reason"), o.error}});
                             }
                             for (const auto &group : groups)
                                 startDelivery(messageId, group.first, group.second, o.data, o.body);
                         });
}

void DeliveryScheduler::startDelivery(qint64 messageId, const QList<qint64> &recipientIds,
                                      const NextHopLookup &lookup, const QByteArray &data,
                                      const BodyFilePtr &body)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    QueueEntry &entry = it->second;
    if (!m_running) {
        // Stopping: a look-up that answers now starts nothing; the recipients
        // stay queued in the spool for the next start.
        for (qint64 id : recipientIds)
            entry.inFlight.remove(id);
        return;
    }
    DeliveryRequest request;
    request.messageId = messageId;
    request.queueId = entry.meta.queueId;
    request.sender = entry.meta.sender;
    request.destination = lookup.destination;
    request.hops = lookup.hops;
    request.tls = tlsPolicyFor(lookup);
    if (lookup.kind == DestinationKind::SmartHost && !m_config->smarthostUser.isEmpty()) {
        // docs/behaviour.md "TLS": no password, no delivery to the smart host
        // (never a plaintext or unauthenticated fallback); the log says why.
        const Result<SmtpCredentials> credentials = smarthostCredentials();
        if (!credentials) {
            failRecipients(messageId, recipientIds, false, credentials.error, {});
            return;
        }
        request.auth = *credentials;
    }
    request.smtputf8 = entry.meta.smtputf8;
    request.eightBitMime = entry.meta.eightBitMime;
    for (qint64 id : recipientIds) {
        if (const QueuedRecipient *r = findRecipient(entry.meta, id)) {
            request.recipientIds << id;
            request.recipients << r->address;
        }
    }
    request.data = data;
    request.body = body;
    m_parts.agent->deliver(std::move(request));
}

TlsPolicy DeliveryScheduler::tlsPolicyFor(const NextHopLookup &lookup) const
{
    // Postfix: the per-destination policy, else smtp_tls_security_level.
    switch (lookup.kind) {
    case DestinationKind::SmartHost: return m_config->smarthostTls;
    case DestinationKind::Route: return m_config->routeTls.value(lookup.domain, m_config->defaultTls);
    case DestinationKind::Mx: break;
    }
    return m_config->defaultTls;
}

Result<SmtpCredentials> DeliveryScheduler::smarthostCredentials()
{
    using R = Result<SmtpCredentials>;
    const QString user = m_config->smarthostUser;
    if (m_smarthostPassword)
        return R::success(SmtpCredentials{user, *m_smarthostPassword});
    const SecretLookup found = m_parts.secrets
                                   ? m_parts.secrets->read(secretnames::smarthostPassword())
                                   : SecretLookup{SecretState::Unavailable,
                                                  {},
                                                  QStringLiteral("no keychain is available to the relay")};
    if (found.state == SecretState::Found) {
        m_smarthostPassword = found.value;
        return R::success(SmtpCredentials{user, found.value});
    }
    const QString why =
        found.state == SecretState::NotFound
            ? QStringLiteral("no password for %1 is stored in the keychain (mailroutectl secret set "
                             "smarthost.password)")
                  .arg(user)
            : found.error;
    return R::failure(
        QStringLiteral("4.7.0 SMTP AUTH to the smart host as %1 is not possible: %2").arg(user, why));
}

void DeliveryScheduler::onDelivered(const DeliveryResult &result)
{
    // The smart host refused the password: read it from the keychain again
    // for the next attempt, so a password the admin corrects there is used
    // before the retry schedule runs out.
    if (m_smarthostPassword) {
        for (const RecipientResult &rr : result.recipients) {
            if (rr.cause == FailureCause::Authentication) {
                m_smarthostPassword.reset();
                break;
            }
        }
    }
    const auto it = m_queue.find(result.messageId);
    if (it == m_queue.end())
        return; // deleted by the admin meanwhile
    QueueEntry &entry = it->second;
    const QDateTime now = m_parts.clock->now();
    QList<qint64> temporary;
    QList<qint64> permanent;
    QHash<qint64, QString> replies;
    for (const RecipientResult &rr : result.recipients) {
        entry.inFlight.remove(rr.recipientId);
        QueuedRecipient *r = findRecipient(entry.meta, rr.recipientId);
        if (!r || r->status != RecipientStatus::Queued)
            continue;
        switch (rr.verdict) {
        case DeliveryVerdict::Delivered:
            r->status = RecipientStatus::Delivered;
            r->attempts += 1;
            m_updates << RecipientUpdate{entry.meta.id, r->id, r->status, r->attempts, {}, {}};
            {
                QVariantMap f =
                    m_parts.signing->lastSignature(entry.meta.id); // dkim=signed d= s=, when signed
                f.insert({{QStringLiteral("to"), r->address},
                          {QStringLiteral("relay"), result.nextHop},
                          {QStringLiteral("reply"), rr.reply},
                          {QStringLiteral("delay"), entry.meta.arrival.msecsTo(now) / 1000.0}});
                addEvent(MessageEvent::Delivered, entry.meta.queueId, std::nullopt, f);
            }
            break;
        case DeliveryVerdict::TemporaryFailure:
            temporary << r->id;
            replies.insert(r->id, rr.reply);
            break;
        case DeliveryVerdict::PermanentFailure:
            permanent << r->id;
            replies.insert(r->id, rr.reply);
            break;
        }
    }
    // Failures of one hop: each recipient keeps its own reply. (`entry` may be
    // gone after a call: failRecipients erases a message that is all done.)
    const qint64 messageId = result.messageId;
    for (qint64 id : std::as_const(temporary))
        failRecipients(messageId, {id}, false, replies.value(id), result.nextHop);
    for (qint64 id : std::as_const(permanent))
        failRecipients(messageId, {id}, true, replies.value(id), result.nextHop);
    scheduleUpdates();
    const auto again = m_queue.find(result.messageId);
    if (again != m_queue.end() && allFinal(again->second.meta) && again->second.inFlight.isEmpty())
        eraseEntry(again->first);
    emit changed();
    emit deliveryHandled();
}

void DeliveryScheduler::failRecipients(qint64 messageId, const QList<qint64> &recipientIds, bool permanent,
                                       const QString &reason, const QString &nextHop)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    QueueEntry &entry = it->second;
    QList<QueuedRecipient> bounced;
    const QDateTime now = m_parts.clock->now();
    bool delayed = false;
    for (qint64 id : recipientIds) {
        entry.inFlight.remove(id);
        QueuedRecipient *r = findRecipient(entry.meta, id);
        if (!r || r->status != RecipientStatus::Queued)
            continue;
        r->attempts += 1;
        r->lastError = reason;
        if (isHeld(entry.meta, *r, now)) {
            // The domain went on hold during the attempt: even a 5xx (a tenant
            // that detached the domain) waits for the release.
            r->nextAttempt = QDateTime();
            m_updates << RecipientUpdate{entry.meta.id, r->id, r->status, r->attempts, {}, reason};
            addEvent(MessageEvent::Deferred, entry.meta.queueId, std::nullopt,
                     {{QStringLiteral("to"), r->address},
                      {QStringLiteral("relay"), nextHop},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("attempts"), r->attempts},
                      {QStringLiteral("next_attempt"), QStringLiteral("on hold")}});
            continue;
        }
        // By time from the schedule's start, never by counting attempts: an
        // extra attempt (Retry Now) uses up nothing, and a relay back from a
        // long stop bounces only after this failure (RetrySchedule).
        std::optional<QDateTime> next;
        if (!permanent)
            next = m_schedule.nextAfterFailure(entry.meta.scheduleStart(*r), now);
        if (next) {
            r->nextAttempt = *next;
            m_updates << RecipientUpdate{entry.meta.id, r->id,          r->status,
                                         r->attempts,   r->nextAttempt, reason};
            delayed = delayed || (m_config->delayWarningSecs > 0 &&
                                  entry.meta.scheduleStart(*r).addSecs(m_config->delayWarningSecs) <= now);
            addEvent(MessageEvent::Deferred, entry.meta.queueId, std::nullopt,
                     {{QStringLiteral("to"), r->address},
                      {QStringLiteral("relay"), nextHop},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("attempts"), r->attempts},
                      {QStringLiteral("next_attempt"), next->toString(Qt::ISODate)}});
        } else {
            if (!permanent)
                r->lastError = QStringLiteral("retry schedule spent after %1 attempts; last error: %2")
                                   .arg(r->attempts)
                                   .arg(reason);
            bounced << *r;
        }
    }
    if (!bounced.isEmpty())
        bounce(entry, bounced, nextHop);
    if (delayed && !entry.meta.delayWarned && !entry.meta.nullSender() && !entry.meta.isDsn)
        sendDelayNotice(entry);
    scheduleUpdates();
    const auto again = m_queue.find(messageId);
    if (again != m_queue.end() && allFinal(again->second.meta) && again->second.inFlight.isEmpty())
        eraseEntry(messageId);
}

void DeliveryScheduler::bounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients,
                               const QString &nextHop)
{
    RecipientStatus finalStatus = RecipientStatus::Dropped;
    QString dsnQueueId;
    // A null sender (or our own DSN) is never bounced (docs/behaviour.md "Bounces", RFC 5321 §4.5.5).
    if (!entry.meta.nullSender() && !entry.meta.isDsn) {
        const auto dsn = DsnFactory::bounce(m_config->hostName, originalOf(entry), failuresOf(recipients),
                                            nextHop, m_parts.clock->now());
        if (dsn.ok()) {
            IncomingMessage msg;
            msg.meta.isDsn = true;
            msg.meta.queueId = m_parts.spool->reserveQueueId();
            msg.meta.arrival = m_parts.clock->now();
            msg.meta.smtputf8 = dsn->needsSmtpUtf8;
            msg.meta.eightBitMime = dsn->eightBit;
            msg.meta.generation = m_config->generation;
            QueuedRecipient to;
            to.address = entry.meta.sender;
            to.originalAddress = entry.meta.sender;
            msg.meta.recipients << to;
            msg.data = dsn->message;
            // The DSN is on disk before the recipients are marked bounced.
            const auto stored = m_parts.spool->store({msg});
            if (stored.ok()) {
                finalStatus = RecipientStatus::Bounced;
                const QueuedMessage &meta = stored->first();
                dsnQueueId = meta.queueId;
                addOwn(meta, msg.data);
            } else {
                // Keep the recipients queued: better late than lost.
                addEvent(MessageEvent::Error, entry.meta.queueId, std::nullopt,
                         {{QStringLiteral("reason"),
                           QString(QStringLiteral("cannot spool the DSN: ") + stored.error)}});
                deferBounce(entry, recipients, QStringLiteral("cannot spool the DSN: ") + stored.error,
                            nextHop);
                return;
            }
        } else {
            // Never dropped for want of a DSN (issue 11): the message stays
            // queued, deferred with the reason, until the DSN can be built
            // (relay.hostname fixed and pushed) or the admin deletes it.
            addEvent(
                MessageEvent::Error, entry.meta.queueId, std::nullopt,
                {{QStringLiteral("reason"), QString(QStringLiteral("cannot build a DSN: ") + dsn.error)}});
            deferBounce(entry, recipients, QStringLiteral("cannot build a DSN: ") + dsn.error, nextHop);
            return;
        }
    }
    for (const QueuedRecipient &b : recipients) {
        QueuedRecipient *r = findRecipient(entry.meta, b.id);
        if (!r)
            continue;
        r->status = finalStatus;
        r->lastError = b.lastError;
        m_updates << RecipientUpdate{entry.meta.id, r->id, r->status, r->attempts, {}, r->lastError};
        QVariantMap f{{QStringLiteral("to"), r->address},
                      {QStringLiteral("relay"), nextHop},
                      {QStringLiteral("reason"), r->lastError}};
        if (finalStatus == RecipientStatus::Bounced)
            f.insert(QStringLiteral("dsn"), dsnQueueId);
        else
            f.insert(QStringLiteral("dsn"), entry.meta.isDsn ? QStringLiteral("none (the message is a DSN)")
                                            : entry.meta.nullSender() ? QStringLiteral("none (null sender)")
                                                                      : QStringLiteral("none"));
        addEvent(MessageEvent::Bounced, entry.meta.queueId, std::nullopt, f);
    }
}

void DeliveryScheduler::deferBounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients,
                                    const QString &why, const QString &nextHop)
{
    // Tried again at the pace of the first retry interval (5 minutes by
    // default): a push that fixes the cause is picked up soon.
    const qint64 delay =
        m_config->retrySchedule.isEmpty() ? 300 : qMax<qint64>(60, m_config->retrySchedule.first());
    const QDateTime next = m_parts.clock->now().addSecs(delay);
    for (const QueuedRecipient &b : recipients) {
        QueuedRecipient *r = findRecipient(entry.meta, b.id);
        if (!r)
            continue;
        r->status = RecipientStatus::Queued;
        r->nextAttempt = next;
        r->lastError = QStringLiteral("%1; the bounce waits: %2").arg(why, b.lastError);
        m_updates << RecipientUpdate{entry.meta.id, r->id,          r->status,
                                     r->attempts,   r->nextAttempt, r->lastError};
        addEvent(MessageEvent::Deferred, entry.meta.queueId, std::nullopt,
                 {{QStringLiteral("to"), r->address},
                  {QStringLiteral("relay"), nextHop},
                  {QStringLiteral("reason"), r->lastError},
                  {QStringLiteral("attempts"), r->attempts},
                  {QStringLiteral("next_attempt"), next.toString(Qt::ISODate)}});
    }
}

void DeliveryScheduler::flushUpdates()
{
    m_updateScheduled = false;
    if (m_updates.isEmpty() || !m_parts.spool)
        return;
    const QList<RecipientUpdate> updates = std::exchange(m_updates, {});
    if (m_updateWriter) {
        m_updateWriter(updates); // written in order after the stores before it; errors are logged there
        return;
    }
    if (const Status st = m_parts.spool->update(updates); !st.ok()) {
        // The in-memory state is ahead of the disk: at worst a message is
        // delivered again after a restart, never lost.
        addEvent(
            MessageEvent::Error, {}, std::nullopt,
            {{QStringLiteral("reason"), QString(QStringLiteral("cannot update the spool: ") + st.error)}});
    }
}

void DeliveryScheduler::applyControlRequests()
{
    const auto requests = m_parts.spool->takeControlRequests();
    if (!requests.ok())
        return;
    for (const ControlRequest &req : *requests) {
        if (req.command == ControlCommand::Delete) {
            if (m_parts.spool->deleteMessage(req.queueId).ok()) {
                for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
                    if (it->second.meta.queueId.compare(req.queueId, Qt::CaseInsensitive) == 0) {
                        addEvent(MessageEvent::Deleted, it->second.meta.queueId, std::nullopt, {});
                        eraseEntry(it->first);
                        break;
                    }
                }
            }
        } else {
            m_parts.spool->flush(req.queueId);
            for (auto &[id, entry] : m_queue) {
                if (req.queueId.isEmpty() ||
                    entry.meta.queueId.compare(req.queueId, Qt::CaseInsensitive) == 0) {
                    for (QueuedRecipient &r : entry.meta.recipients)
                        r.nextAttempt = QDateTime();
                }
            }
        }
    }
}

void DeliveryScheduler::tick()
{
    if (!m_running)
        return;
    applyControlRequests();
    applyHoldChanges();
    warnLongHolds();
    QList<qint64> ids;
    ids.reserve(static_cast<qsizetype>(m_queue.size()));
    for (const auto &[id, entry] : m_queue)
        ids << id;
    for (qint64 id : std::as_const(ids))
        dispatch(id);
    if (m_queue.empty())
        m_parts.spool->checkpoint();
    emit changed();
}

void DeliveryScheduler::setHolds(const QList<DomainHold> &holds)
{
    m_holds.replace(holds);
    m_holdsKnown = true;
    if (m_running)
        tick(); // a release is delivered at once, like a flush
}

bool DeliveryScheduler::isHeld(const QueuedMessage &, const QueuedRecipient &r, const QDateTime &now) const
{
    if (m_holds.isEmpty())
        return false;
    // The final domain, and the one the sender wrote: "mail for the domain"
    // whichever side of a mapping the admin holds.
    return m_holds.isHeld(recipientDomain(r.address), now) ||
           (!r.originalAddress.isEmpty() && m_holds.isHeld(recipientDomain(r.originalAddress), now));
}

int DeliveryScheduler::queuedFor(const QString &domain) const
{
    int n = 0;
    for (const auto &[id, entry] : m_queue) {
        for (const QueuedRecipient &r : entry.meta.recipients) {
            if (r.status == RecipientStatus::Queued &&
                (recipientDomain(r.address) == domain || recipientDomain(r.originalAddress) == domain))
                ++n;
        }
    }
    return n;
}

void DeliveryScheduler::applyHoldChanges()
{
    if (!m_holdsKnown)
        return;
    const QDateTime now = m_parts.clock->now();
    const HoldSet::Changes changes = m_holds.takeChanges(now);
    for (const QString &domain : changes.held) {
        addEvent(MessageEvent::Held, {}, std::nullopt,
                 {{QStringLiteral("domain"), domain}, {QStringLiteral("queued"), queuedFor(domain)}});
    }
    for (const QString &domain : changes.released) {
        // The lifetime counts from the release (docs/behaviour.md "Retries and holds"): a domain held for
        // two days does not bounce its mail at the first failure after it.
        QList<QPair<qint64, qint64>> released;
        for (auto &[id, entry] : m_queue) {
            for (QueuedRecipient &r : entry.meta.recipients) {
                if (r.status != RecipientStatus::Queued || isHeld(entry.meta, r, now) ||
                    (recipientDomain(r.address) != domain && recipientDomain(r.originalAddress) != domain))
                    continue;
                entry.meta.scheduleStarts.insert(r.id, now);
                r.nextAttempt = QDateTime();
                released << qMakePair(entry.meta.id, r.id);
            }
        }
        flushUpdates(); // in order: pending results first, then the restart
        if (const Status st = m_parts.spool->restartSchedule(released, now); !st) {
            addEvent(MessageEvent::Error, {}, std::nullopt,
                     {{QStringLiteral("reason"),
                       QString(QStringLiteral("cannot update the spool: ") + st.error)}});
        }
        addEvent(MessageEvent::Released, {}, std::nullopt,
                 {{QStringLiteral("domain"), domain}, {QStringLiteral("recipients"), released.size()}});
    }
}

void DeliveryScheduler::warnLongHolds()
{
    if (!m_holdsKnown || !m_config)
        return;
    const QDateTime now = m_parts.clock->now();
    const QList<DomainHold> due = m_holds.dueWarnings(now, m_config->holdMaxSecs);
    for (const DomainHold &hold : due) {
        m_holds.markWarned(hold.domain);
        const int queued = queuedFor(hold.domain);
        QVariantMap fields{
            {QStringLiteral("domain"), hold.domain},
            {QStringLiteral("since"), hold.since.toString(Qt::ISODate)},
            {QStringLiteral("queued"), queued},
            {QStringLiteral("reason"),
             QStringLiteral("@%1 has been on hold for longer than retry.hold_max; %2 recipient(s) wait "
                            "for its release (mailroutectl hold release %1)")
                 .arg(hold.domain)
                 .arg(queued)}};
        // The admin is warned, never the senders.
        if (!m_config->postmaster.isEmpty()) {
            const QString queueId = m_parts.spool->reserveQueueId();
            const QByteArray text = DsnFactory::holdWarning(m_config->hostName, m_config->postmaster, queueId,
                                                            hold.domain, hold.since, queued, now);
            const Status st = spoolNotice(queueId, m_config->postmaster, text, false, false);
            fields.insert(QStringLiteral("notice"), st ? queueId : QStringLiteral("none: ") + st.error);
        }
        addEvent(MessageEvent::HoldWarning, {}, std::nullopt, fields);
        emit holdWarned(hold.domain);
    }
}

void DeliveryScheduler::sendDelayNotice(QueueEntry &entry)
{
    // RFC 3464 with Action: delayed, once per message (retry.delay_warning),
    // as Postfix's delay_warning_time; never to a null sender.
    QList<QueuedRecipient> waiting;
    for (const QueuedRecipient &r : std::as_const(entry.meta.recipients)) {
        if (r.status == RecipientStatus::Queued)
            waiting << r;
    }
    if (waiting.isEmpty())
        return;
    QList<DsnFailure> failures = failuresOf(waiting);
    for (qsizetype i = 0; i < failures.size(); ++i)
        failures[i].retryUntil = m_schedule.expiry(entry.meta.scheduleStart(waiting.at(i)));
    const auto dsn =
        DsnFactory::delayNotice(m_config->hostName, originalOf(entry), failures, m_parts.clock->now());
    if (!dsn.ok()) {
        addEvent(MessageEvent::Error, entry.meta.queueId, std::nullopt,
                 {{QStringLiteral("reason"),
                   QString(QStringLiteral("cannot build a delay notice: ") + dsn.error)}});
        return;
    }
    const QString queueId = m_parts.spool->reserveQueueId();
    const QString to = entry.meta.sender;
    const QString original = entry.meta.queueId;
    const qint64 messageId = entry.meta.id;
    entry.meta.delayWarned = true;
    m_parts.spool->markDelayWarned(messageId);
    const Status st = spoolNotice(queueId, to, dsn->message, dsn->needsSmtpUtf8, dsn->eightBit);
    addEvent(MessageEvent::DelayNotice, original, std::nullopt,
             {{QStringLiteral("to"), to},
              {QStringLiteral("dsn"), st ? queueId : QStringLiteral("none: ") + st.error}});
}

Status DeliveryScheduler::spoolNotice(const QString &queueId, const QString &recipient,
                                      const QByteArray &data, bool smtputf8, bool eightBit)
{
    IncomingMessage msg;
    msg.meta.isDsn = true; // from the null sender, never bounced itself
    msg.meta.queueId = queueId;
    msg.meta.arrival = m_parts.clock->now();
    msg.meta.smtputf8 = smtputf8;
    msg.meta.eightBitMime = eightBit;
    msg.meta.generation = m_config->generation;
    QueuedRecipient to;
    to.address = recipient;
    to.originalAddress = recipient;
    msg.meta.recipients << to;
    msg.data = data;
    const auto stored = m_parts.spool->store({msg});
    if (!stored.ok())
        return Status::failure(stored.error);
    addOwn(stored->first(), msg.data);
    return okStatus();
}

void DeliveryScheduler::eraseEntry(qint64 messageId)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    if (!it->second.uncached)
        m_cachedBytes -= it->second.data.size();
    if (m_parts.signing)
        m_parts.signing->forget(messageId);
    if (m_parts.arc)
        m_parts.arc->forget(it->second.meta.queueId);
    m_queue.erase(it);
}

} // namespace mailroute
