#include "relaycore/engine/relayengine.h"

#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/arcarrivalcheck.h"
#include "relaycore/engine/arcsealingstage.h"
#include "relaycore/engine/dkimsigningstage.h"
#include "relaycore/engine/recipientverifier.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/engine/dkiminboundcheck.h"
#include "relaycore/engine/smtplistener.h"
#include "relaycore/engine/smtpserverconnection.h"
#include "relaycore/engine/tlscredentials.h"
#include "relaycore/mailauth/authresults.h"
#include "relaycore/message/confirmationmessage.h"
#include "relaycore/message/dsnbuilder.h"
#include "relaycore/message/dsnstatus.h"
#include "relaycore/message/headerrewriter.h"
#include "relaycore/message/messagedate.h"
#include "relaycore/message/receivedfield.h"
#include "relaycore/message/signedheaderpolicy.h"
#include "relaycore/queue/spool.h"
#include "relaycore/smtp/relaypolicy.h"
#include "relaycore/message/traceheaders.h"

#include <QDir>
#include <QLocale>
#include <QSet>
#include <QSslSocket>
#include <QTimer>

namespace mailroute {

struct RelayEngine::Pending
{
    QPointer<SmtpServerConnection> connection;
    IncomingMessage incoming;
    QVariantMap received;                // fields of the "received" event
    QList<MessageLogEntry> rewrites;     // "rewritten" events, logged once the message is safe
};

struct RelayEngine::Awaiting
{
    Pending pending;
    ReceivedMessage message; // as received (the data implicitly shared, never copied)
    RecipientHeaderRewrite mode = RecipientHeaderRewrite::Unsigned; // the configuration at the end of DATA
    quint64 checkId = 0;
};

struct RelayEngine::Verifying
{
    Pending pending;
    ReceivedMessage message;
    quint64 checkId = 0;
};

struct RelayEngine::QueueEntry
{
    QueuedMessage meta;
    QByteArray data;        // cached content; empty: read it from the spool when needed
    QSet<qint64> inFlight;  // recipients being looked up or delivered
    QHash<QString, QList<qint64>> awaitingLookup; // recipient domain -> recipient ids
    QHash<QString, NextHopLookup> lookups;        // answers so far for awaitingLookup
};

namespace {

// What every delivery status notification about a message shares (bounce,
// delay notice): who reports, to whom, about which message.
DsnInput dsnInputFor(const QueuedMessage &meta, const QString &reportingMta, const QDateTime &now,
                     QByteArray originalMessage)
{
    DsnInput in;
    in.reportingMta = reportingMta;
    in.envelopeSender = meta.sender;
    in.queueId = meta.queueId;
    in.arrivalDate = meta.arrival;
    in.date = now;
    in.originalMessage = std::move(originalMessage);
    return in;
}

constexpr int kEventBatchMs = 100;
// Content kept in memory for quick delivery; beyond this it is re-read from the spool.
constexpr qint64 kDataCacheBytes = 256LL * 1024 * 1024;

QVariantMap ruleFields(const RouteResult &route)
{
    return {{QStringLiteral("rule"), QString(route.ruleSource + QStringLiteral(" -> ") + route.ruleTarget)},
            {QStringLiteral("match"), matchKindKey(route.kind)}};
}

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

} // namespace

RelayEngine::RelayEngine(Options options)
    : m_options(std::move(options)), m_clock(m_options.clock ? m_options.clock : &SystemClock::instance()),
      m_holdsKnown(!m_options.awaitHolds)
{
}

RelayEngine::~RelayEngine()
{
    // Sockets and timers are children; the spool closes itself.
}

// ---------------------------------------------------------------- lifecycle

void RelayEngine::start(std::shared_ptr<const RelayConfig> config)
{
    if (m_running)
        return;
    m_error.clear();
    m_spool = std::make_unique<Spool>(m_options.spoolDirectory, Spool::Role::Engine, *m_clock);
    if (const Status st = m_spool->open(); !st.ok()) {
        m_error = QStringLiteral("cannot open the spool in %1: %2").arg(m_options.spoolDirectory, st.error);
        m_spool.reset();
        publishStatus();
        return;
    }
    if (!m_agent) {
        m_agent = new DeliveryAgent(DeliveryAgent::Settings{}, this);
        connect(m_agent, &DeliveryAgent::finished, this, &RelayEngine::onDelivered);
        // Every attempt that sent the final dot is in the log before its
        // result: a message delivered twice shows as two of these.
        connect(m_agent, &DeliveryAgent::endOfDataSent, this,
                [this](qint64, const QString &queueId, const QStringList &recipients, const QString &hop) {
                    addEvent(MessageEvent::SentDot, queueId, std::nullopt,
                             {{QStringLiteral("to"), recipients.join(QStringLiteral(", "))},
                              {QStringLiteral("relay"), hop}});
                });
        m_resolver = new NextHopResolver(NextHopResolver::Settings{}, this);
        m_verifier = new RecipientVerifier(m_resolver, this);
        m_verifier->cache().setMaxEntries(m_options.verifyCacheEntries);
        m_signing = new DkimSigningStage(this);
        m_arc = new ArcSealingStage(ArcSealingStage::Options{m_options.nameserver, std::chrono::milliseconds(8000)},
                                    this);
        m_tickTimer = new QTimer(this);
        connect(m_tickTimer, &QTimer::timeout, this, &RelayEngine::tick);
        m_eventTimer = new QTimer(this);
        m_eventTimer->setSingleShot(true);
        connect(m_eventTimer, &QTimer::timeout, this, &RelayEngine::flushEvents);
    }
    if (!m_signatureCheck) {
        if (m_options.signatureCheck) {
            m_signatureCheck = m_options.signatureCheck();
        } else {
            DkimInboundCheck::Options o;
            o.nameserver = m_options.nameserver;
            // DNS gives up a little before the engine does, so the log says "DNS no answer".
            o.lookupTimeout = std::chrono::milliseconds(m_options.signatureCheckTimeoutMs * 4 / 5);
            o.clock = m_clock;
            m_signatureCheck = std::make_unique<DkimInboundCheck>(o);
        }
    }
    if (!m_receiptCheck) {
        if (m_options.receiptCheck) {
            m_receiptCheck = m_options.receiptCheck();
        } else {
            ReceiptVerifier::Options o;
            o.nameserver = m_options.nameserver;
            // DNS gives up well before the engine does, so the verdicts say temperror, not "no verdict".
            o.lookupTimeout = std::chrono::milliseconds(std::min(5000, m_options.receiptCheckTimeoutMs / 4));
            o.now = [clock = m_clock] { return clock->now().toSecsSinceEpoch(); };
            o.arcCheck = m_options.arcCheck ? m_options.arcCheck
                                            : arcArrivalCheck(m_options.nameserver, o.lookupTimeout, o.now);
            m_receiptCheck = std::make_unique<ReceiptVerifier>(o);
        }
    }
    if (!m_verifier->cache().isPersistent()) {
        const Status opened = m_verifier->cache().open(QDir(m_options.spoolDirectory).filePath(VerifyCache::fileName()));
        if (!opened.ok())
            addEvent(MessageEvent::Warning, {}, std::nullopt,
                     {{QStringLiteral("reason"),
                       QString(QStringLiteral("recipient verification cache kept in memory only: ") + opened.error)}});
    }
    m_running = true;
    applyConfig(std::move(config));
    if (!m_config->hostNameWarning.isEmpty())
        addEvent(MessageEvent::Warning, {}, std::nullopt, {{QStringLiteral("reason"), m_config->hostNameWarning}});
    if (!listen()) {
        m_running = false;
        m_spool.reset();
        publishStatus();
        return;
    }

    // Recovery: everything acknowledged and not yet delivered (docs/behaviour.md "Stopping and durability").
    const auto queued = m_spool->loadQueued();
    if (queued.ok()) {
        for (const QueuedMessage &meta : *queued)
            m_queue.emplace(meta.id, QueueEntry{meta, {}, {}, {}, {}});
        if (!queued->isEmpty()) {
            addEvent(MessageEvent::Recovered, {}, std::nullopt,
                     {{QStringLiteral("messages"), queued->size()}});
        }
    } else {
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QString(QStringLiteral("cannot read the spool: ") + queued.error)}});
    }
    m_tickTimer->start(m_options.schedulerTickMs);
    tick();
    publishStatus();
}

void RelayEngine::applyConfig(std::shared_ptr<const RelayConfig> config)
{
    if (!config)
        return;
    const bool listenChanged = m_config
        && (m_config->listenHost != config->listenHost || m_config->listenPort != config->listenPort);
    m_config = std::move(config);
    loadTls(); // first: the policy answers MAIL by whether TLS is available
    RelayPolicyConfig pc;
    pc.allowedClients = m_config->allowedClients;
    pc.hostname = m_config->hostName;
    pc.postmaster = m_config->postmaster;
    pc.maxHops = m_config->maxHops;
    pc.tlsBeforeMail = RelayPolicy::tlsBeforeMailFromSetting(m_config->tlsRequiredBeforeMail);
    pc.tlsAvailable = m_tls != nullptr;
    pc.verifyRecipients = m_config->verifyRecipients;
    pc.verifyExcludedDomains = m_config->verifyExcludedDomains;
    m_policy = std::make_shared<const RelayPolicy>(m_config->routing, pc);
    m_schedule = RetrySchedule(m_config->retrySchedule, m_config->retryMinBackoffSecs);
    if (m_agent) {
        DeliveryAgent::Settings s = m_agent->settings();
        s.heloName = m_config->hostName;
        s.concurrencyPerDestination = m_config->concurrencyPerDestination;
        s.timeouts = m_options.deliveryTimeouts;
        s.caCertificates = m_config->tlsCaCertificates;
        m_smarthostPassword.reset(); // a push re-reads it (the user name may have changed)
        m_agent->setSettings(s);
        NextHopResolver::Settings rs = m_resolver->settings();
        rs.routes = m_config->routes;
        rs.smarthost = m_config->smartHost;
        rs.nameserver = m_options.nameserver;
        rs.timeout = m_options.dnsTimeout;
        m_resolver->setSettings(rs);
        RecipientVerifier::Settings vs = RecipientVerifier::Settings::fromConfig(*m_config);
        if (m_options.verifyTimeouts)
            vs.timeouts = *m_options.verifyTimeouts;
        m_verifier->setSettings(vs);
    }
    if (m_running) {
        addEvent(MessageEvent::Config, {}, std::nullopt,
                 {{QStringLiteral("generation"), m_config->generation}});
        if (listenChanged)
            listen();
        publishStatus();
    }
}

void RelayEngine::loadTls()
{
    const QString cert = m_config->tlsCertificate;
    const QString key = m_config->tlsKey;
    if (cert.isEmpty() && key.isEmpty()) {
        m_tls.reset();
        return;
    }
    if (!QSslSocket::supportsSsl()) {
        m_tls.reset();
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QStringLiteral("no TLS library: STARTTLS is not offered")}});
        return;
    }
    auto loaded = TlsCredentials::load(cert, key, m_options.secrets.get());
    if (!loaded.ok()) {
        // The relay keeps running without STARTTLS; the admin sees why.
        m_tls.reset();
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QString(loaded.error + QStringLiteral(": STARTTLS is not offered"))}});
        return;
    }
    m_tls = *loaded;
    if (m_tls->expired()) {
        addEvent(MessageEvent::Warning, {}, std::nullopt,
                 {{QStringLiteral("reason"), QStringLiteral("tls.certificate expired on %1; STARTTLS still offered")
                                                 .arg(m_tls->certificate.expiryDate().toString(Qt::ISODate))}});
    }
}

void RelayEngine::stop()
{
    if (m_stopping)
        return; // stopped() follows when the deliveries in flight are done
    if (!m_running) {
        emit stopped();
        return;
    }
    m_running = false;
    m_stopping = true;
    // A message still waiting for its DKIM verdict is taken as it is
    // (signed fields kept), so that it too is answered before the close.
    while (!m_verifying.empty()) {
        m_receiptCheck->cancel(m_verifying.begin()->second->checkId);
        finishReceiptCheck(m_verifying.begin()->first,
                           AuthVerdicts::temporaryFailure(QStringLiteral("the relay stopped before the verdict")));
    }
    while (!m_awaiting.empty())
        abandonSignatureWait(m_awaiting.begin()->first, QStringLiteral("the relay stopped before the verdict"));
    // What is already received gets its 250 before the sessions get 421.
    if (!m_pending.isEmpty())
        commitReceived();
    if (m_server)
        m_server->close();
    const auto connections = m_connections.keys();
    for (SmtpServerConnection *c : connections)
        c->shutdown();
    m_tickTimer->stop();
    m_listenAddress.clear();
    // Nothing new starts; what waits for a slot stays queued in the spool. A
    // delivery that has begun gets relay.stop_timeout to hear its answer, so
    // a message the next hop took is recorded as delivered, not sent again
    // after the restart.
    m_agent->dropWaiting();
    m_agent->closeIdleConnections();
    m_verifier->closeIdleConnections();
    addEvent(MessageEvent::Stopping, {}, std::nullopt,
             {{QStringLiteral("deliveries"), m_agent->activeCount()},
              {QStringLiteral("sessions"), static_cast<int>(m_connections.size())},
              {QStringLiteral("timeout"), m_config->stopTimeoutSecs}});
    if (!m_stopTimer) {
        m_stopTimer = new QTimer(this);
        m_stopTimer->setSingleShot(true);
        connect(m_stopTimer, &QTimer::timeout, this, [this] {
            addEvent(MessageEvent::Warning, {}, std::nullopt,
                     {{QStringLiteral("reason"),
                       QStringLiteral("relay.stop_timeout (%1 s) reached: %2 deliveries and %3 sessions cut off")
                           .arg(m_config->stopTimeoutSecs)
                           .arg(m_agent->activeCount())
                           .arg(m_connections.size())}});
            m_agent->abortActive();
            const auto left = m_connections.keys();
            for (SmtpServerConnection *c : left)
                c->abort();
            QTimer::singleShot(0, this, [this] { finishStop(true); });
        });
    }
    m_stopTimer->start(std::chrono::seconds(m_config->stopTimeoutSecs));
    publishStatus();
    finishStop(false);
}

void RelayEngine::finishStop(bool force)
{
    if (!m_stopping)
        return;
    if (!force && (m_agent->activeCount() > 0 || !m_connections.isEmpty()))
        return;
    m_stopping = false;
    m_stopTimer->stop();
    flushUpdates();
    // The spool is the truth from here: a later start() reloads it, so no
    // recipient stays marked in flight by a delivery that was never started.
    m_queue.clear();
    m_cachedBytes = 0;
    addEvent(MessageEvent::Stopped, {}, std::nullopt, {});
    flushEvents();
    publishStatus();
    emit stopped();
}

void RelayEngine::submitConfirmation(const ConfirmationRequest &request)
{
    if (!m_running || !m_spool)
        return; // stays in the database; the next start sends it
    if (!m_config->confirmations || m_config->postmaster.isEmpty()) {
        addEvent(MessageEvent::Confirmation, {}, std::nullopt,
                 {{QStringLiteral("subject"), request.subject},
                  {QStringLiteral("status"), QStringLiteral("not sent")},
                  {QStringLiteral("reason"), m_config->postmaster.isEmpty()
                                                 ? QStringLiteral("relay.postmaster is not set")
                                                 : QStringLiteral("relay.confirmations is off")}});
        emit confirmationHandled(request.key);
        return;
    }
    const ConfirmationMessage message =
        ConfirmationMessage::build(m_config->hostName, m_config->postmaster, request.subject, request.body,
                                   m_clock->now(), request.key.section(QLatin1Char(':'), 1).remove(QLatin1Char(':')));
    IncomingMessage msg;
    // The envelope sender is null (RFC 3834 §3.3 for automatic messages): a
    // confirmation that cannot be delivered is never bounced back here. It is
    // the relay's own message, like a DSN: signed with relay.hostname's key.
    msg.meta.isDsn = true;
    msg.meta.queueId = m_spool->reserveQueueId();
    msg.meta.arrival = m_clock->now();
    msg.meta.generation = m_config->generation;
    QueuedRecipient to;
    to.address = m_config->postmaster;
    to.originalAddress = m_config->postmaster;
    msg.meta.recipients << to;
    msg.data = message.data;
    const auto stored = m_spool->store({msg});
    if (!stored.ok()) {
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QString(QStringLiteral("cannot spool a confirmation: ") + stored.error)}});
        return; // tried again at the next poll
    }
    const QueuedMessage &meta = stored->first();
    addEvent(MessageEvent::Confirmation, meta.queueId, std::nullopt,
             {{QStringLiteral("to"), m_config->postmaster},
              {QStringLiteral("subject"), request.subject},
              {QStringLiteral("message_id"), message.messageId}});
    m_cachedBytes += msg.data.size();
    m_queue.emplace(meta.id, QueueEntry{meta, msg.data, {}, {}, {}});
    emit confirmationHandled(request.key);
    QTimer::singleShot(0, this, [this, id = meta.id] { dispatch(id); });
}

// ---------------------------------------------------------------- inbound

bool RelayEngine::listen()
{
    if (!m_server) {
        m_server = new SmtpListener(this);
        m_server->setMaxPendingConnections(1024);
        connect(m_server, &QTcpServer::newConnection, this, &RelayEngine::onNewConnection);
    }
    m_server->close();
    QHostAddress address;
    if (m_config->listenHost == QLatin1String("*") || m_config->listenHost.isEmpty())
        address = QHostAddress::Any;
    else if (!address.setAddress(m_config->listenHost))
        address = QHostAddress::Null;
    if (address.isNull()) {
        m_error = QStringLiteral("relay.listen: '%1' is not an IP address").arg(m_config->listenHost);
    } else if (!m_server->listen(address, m_config->listenPort)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_config->listenHost)
                      .arg(m_config->listenPort)
                      .arg(m_server->errorString());
    } else {
        m_error.clear();
        const QHostAddress bound = m_server->serverAddress();
        m_listenAddress = (bound.protocol() == QAbstractSocket::IPv6Protocol
                               ? QLatin1Char('[') + bound.toString() + QLatin1Char(']')
                               : bound.toString())
            + QLatin1Char(':') + QString::number(m_server->serverPort());
        addEvent(MessageEvent::Listening, {}, std::nullopt, {{QStringLiteral("address"), m_listenAddress}});
        return true;
    }
    m_listenAddress.clear();
    addEvent(MessageEvent::Error, {}, std::nullopt, {{QStringLiteral("reason"), m_error}});
    return false;
}

std::shared_ptr<const SmtpPolicy> RelayEngine::currentPolicy() const
{
    return m_policy;
}

SessionConfig RelayEngine::sessionConfig() const
{
    SessionConfig sc;
    sc.hostname = m_config->hostName;
    sc.tlsAvailable = m_tls != nullptr;
    sc.limits = m_config->limits.session;
    return sc;
}

void RelayEngine::onNewConnection()
{
    while (auto *socket = qobject_cast<QSslSocket *>(m_server->nextPendingConnection())) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString client = socket->peerAddress().toString();
        if (!m_running || m_connections.size() >= m_config->limits.sessions
            || m_perClient.value(client) >= m_config->limits.sessionsPerIp) {
            // docs/behaviour.md "Limits": refuse politely and let the client retry later.
            const Reply reply = m_running ? replies::tooManySessions(m_config->hostName.toUtf8())
                                          : replies::shuttingDown(m_config->hostName.toUtf8());
            socket->write(reply.toWire());
            connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            addRefusal(client, {}, {}, reply);
            continue;
        }
        auto *connection = new SmtpServerConnection(socket, ++m_sessionCounter, sessionConfig(),
                                                    [this] { return currentPolicy(); }, m_tls, this);
        m_connections.insert(connection, client);
        ++m_perClient[client];
        connect(connection, &SmtpServerConnection::messageReady, this, &RelayEngine::onMessageReady);
        connect(connection, &SmtpServerConnection::closed, this, &RelayEngine::onConnectionClosed);
        connect(connection, &SmtpServerConnection::diagnostic, this,
                [this](SmtpServerConnection *c, const QString &detail) {
                    addEvent(MessageEvent::Error, {}, std::nullopt,
                             {{QStringLiteral("session"), c->sessionNumber()}, {QStringLiteral("reason"), detail}});
                });
        connect(connection, &SmtpServerConnection::verifyRecipient, this,
                [this, client](SmtpServerConnection *c, const QString &from, const QString &to,
                               const QString &target) {
                    const quint64 session = c->sessionNumber();
                    m_verifier->verify(target, c, [this, c, client, session, from, to](const VerifyOutcome &o) {
                        addEvent(MessageEvent::Verify, {}, std::nullopt,
                                 {{QStringLiteral("session"), session},
                                  {QStringLiteral("client"), client},
                                  {QStringLiteral("from"), from},
                                  {QStringLiteral("to"), to},
                                  {QStringLiteral("target"), o.address},
                                  {QStringLiteral("verdict"), o.verdictName()},
                                  {QStringLiteral("reply"), o.targetReply},
                                  {QStringLiteral("relay"), o.nextHop},
                                  {QStringLiteral("cached"), o.cached}});
                        c->recipientVerified(o.clientReply(to));
                    });
                });
        connect(connection, &SmtpServerConnection::refused, this,
                [this, client](SmtpServerConnection *c, const QString &from, const QString &to,
                               const Reply &reply) { addRefusal(client, from, to, reply, c->sessionNumber()); });
        connection->start();
    }
    publishStatus();
}

void RelayEngine::onConnectionClosed(SmtpServerConnection *connection)
{
    const auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    const QString client = it.value();
    m_connections.erase(it);
    if (--m_perClient[client] <= 0)
        m_perClient.remove(client);
    connection->deleteLater();
    publishStatus();
    if (m_stopping)
        finishStop(false);
}

void RelayEngine::onMessageReady(SmtpServerConnection *connection, const ReceivedMessage &message)
{
    const Transaction &tx = message.transaction;
    const SessionInfo &session = message.session;
    const QString queueId = m_spool->reserveQueueId();

    Pending pending;
    pending.connection = connection;
    QueuedMessage &meta = pending.incoming.meta;
    meta.queueId = queueId;
    meta.arrival = m_clock->now();
    meta.clientAddress = session.clientAddress.toString();
    meta.heloName = session.heloName;
    meta.generation = tx.generation;
    meta.smtputf8 = tx.parameters.smtputf8;
    meta.eightBitMime = tx.parameters.body == BodyType::EightBitMime;
    // DKIM signing at delivery goes by the allow list of the policy pinned at MAIL.
    const auto *pinnedPolicy = dynamic_cast<const RelayPolicy *>(message.policy.get());
    meta.outboundClient = (pinnedPolicy ? pinnedPolicy : static_cast<const RelayPolicy *>(m_policy.get()))
                              ->isAllowedClient(session.clientAddress);

    // ARC: the incoming chain is judged on the bytes as the client sent them.
    m_arc->receivedAt(queueId, tx.data, *m_config, meta.arrival.toSecsSinceEpoch());

    // Envelope: the routing decided at MAIL and RCPT with the transaction's snapshot.
    if (!tx.nullSender) {
        const RoutingDecision &d = tx.senderRouting;
        meta.sender = d.route.kind != MatchKind::None ? d.route.address.toString() : tx.sender.toString();
        if (d.route.kind != MatchKind::None) {
            QVariantMap f = ruleFields(d.route);
            f.insert(QStringLiteral("scope"), QStringLiteral("envelope sender"));
            f.insert(QStringLiteral("from"), tx.sender.toString());
            f.insert(QStringLiteral("to"), meta.sender);
            pending.rewrites << MessageLogEntry{0, {}, queueId, MessageEvent::Rewritten, d.area, f};
        }
    }
    QSet<QString> seen;
    for (const EnvelopeRecipient &r : tx.recipients) {
        const RoutingDecision &d = r.routing;
        const QString final = d.route.kind != MatchKind::None || d.postmaster ? d.route.address.toString()
                                                                               : r.address.toString();
        // The same final mailbox twice in one message is delivered once.
        if (seen.contains(final.toLower()))
            continue;
        seen.insert(final.toLower());
        QueuedRecipient q;
        q.address = final;
        q.originalAddress = r.original;
        meta.recipients << q;
        if (d.route.kind != MatchKind::None) {
            QVariantMap f = ruleFields(d.route);
            f.insert(QStringLiteral("scope"), QStringLiteral("envelope recipient"));
            f.insert(QStringLiteral("from"), r.address.toString());
            f.insert(QStringLiteral("to"), final);
            pending.rewrites << MessageLogEntry{0, {}, queueId, MessageEvent::Rewritten, d.area, f};
        }
    }

    if (startReceiptCheck(pending, message))
        return;
    continueIntake(std::move(pending), message);
}

// Mail authentication at receipt (docs/behaviour.md, "Mail authentication at
// receipt"): clients off outbound.allowed_clients only; the message waits
// for the verdicts (at most receiptCheckTimeoutMs) before the rest of the
// intake, so the Authentication-Results field is in what is spooled.
bool RelayEngine::startReceiptCheck(Pending &pending, const ReceivedMessage &message)
{
    if (!m_receiptCheck || pending.incoming.meta.outboundClient.value_or(false))
        return false;
    const quint64 key = ++m_awaitSerial;
    auto waiting = std::make_unique<Verifying>();
    waiting->pending = std::move(pending);
    waiting->message = message;
    Verifying &entry = *m_verifying.emplace(key, std::move(waiting)).first->second;
    QTimer::singleShot(m_options.receiptCheckTimeoutMs, this, [this, key] {
        const auto it = m_verifying.find(key);
        if (it == m_verifying.end())
            return;
        m_receiptCheck->cancel(it->second->checkId);
        finishReceiptCheck(key, AuthVerdicts::temporaryFailure(
                                    QStringLiteral("no verdict within %1 s")
                                        .arg(QLocale::c().toString(m_options.receiptCheckTimeoutMs / 1000.0))));
    });
    const Transaction &tx = message.transaction;
    ReceiptInput input{tx.data, message.session.clientAddress, message.session.heloName,
                       tx.nullSender ? QString() : tx.sender.toString()};
    entry.checkId = m_receiptCheck->start(input, [this, key](const AuthVerdicts &v) { finishReceiptCheck(key, v); });
    return true;
}

void RelayEngine::finishReceiptCheck(quint64 key, const AuthVerdicts &verdicts)
{
    const auto it = m_verifying.find(key);
    if (it == m_verifying.end())
        return;
    std::unique_ptr<Verifying> waiting = std::move(it->second);
    m_verifying.erase(it);
    Pending &pending = waiting->pending;
    ReceivedMessage &message = waiting->message;
    const QString &queueId = pending.incoming.meta.queueId;
    if (!pending.connection) {
        addEvent(MessageEvent::Error, queueId, std::nullopt,
                 {{QStringLiteral("reason"),
                   QStringLiteral("the client left before the authentication checks finished; the message was not queued")}});
        return;
    }
    if (m_config->dmarcReject && verdicts.dmarc == u"fail" && verdicts.dmarcDisposition == u"reject") {
        const Reply reply = replies::dmarcRejected();
        pending.connection->reject(reply);
        QVariantMap f = verdicts.logFields();
        f.insert(QStringLiteral("client"), pending.incoming.meta.clientAddress);
        f.insert(QStringLiteral("from"), message.transaction.nullSender ? QString() : message.transaction.sender.toString());
        f.insert(QStringLiteral("reason"), QString::fromUtf8(reply.toWire().trimmed()));
        addEvent(MessageEvent::Refused, queueId, std::nullopt, f);
        return;
    }
    // A field claiming our authserv-id that the client sent goes (RFC 8601 §5); ours goes on top.
    const QString authservId = m_config->hostName;
    message.transaction.data = authenticationResultsField(authservId, verdicts) +
                               removeOwnAuthenticationResults(message.transaction.data, authservId);
    pending.rewrites.prepend(MessageLogEntry{0, {}, queueId, MessageEvent::Auth, std::nullopt, verdicts.logFields()});
    continueIntake(std::move(pending), message);
}

void RelayEngine::continueIntake(Pending pending, const ReceivedMessage &message)
{
    const Transaction &tx = message.transaction;
    // rewrite.recipient_headers unsigned: a signed message whose To/Cc the
    // rules would change waits for its DKIM verdict (at most the time-out)
    // before it is spooled and acknowledged; everything else goes on now.
    if (m_config->recipientHeaders == RecipientHeaderRewrite::Unsigned &&
        SignedHeaderPolicy::hasDkimSignature(tx.data) &&
        recipientHeaderRewriter(message).rewrite(tx.data).changed()) {
        awaitSignatures(std::move(pending), message);
        return;
    }
    completeIntake(std::move(pending), message, m_config->recipientHeaders, std::nullopt);
}

HeaderRewriter RelayEngine::recipientHeaderRewriter(const ReceivedMessage &message) const
{
    // The policy pinned at MAIL (the one that decided the envelope), not
    // the current one: a push may have landed since. The rewriter holds it.
    auto pinned = std::dynamic_pointer_cast<const RelayPolicy>(message.policy);
    std::shared_ptr<const RelayPolicy> policy = pinned ? pinned : m_policy;
    return HeaderRewriter(HeaderRewriter::recipientFields(),
                          [policy](const MailAddress &a) -> std::optional<QString> {
                              const RoutingDecision d = policy->routeRecipient(a);
                              if (!d.area || d.route.kind == MatchKind::None)
                                  return std::nullopt;
                              return d.route.address.toString();
                          });
}

void RelayEngine::completeIntake(Pending pending, const ReceivedMessage &message, RecipientHeaderRewrite mode,
                                 const std::optional<QList<SignatureOutcome>> &signatures)
{
    const Transaction &tx = message.transaction;
    const SessionInfo &session = message.session;
    const QString &queueId = pending.incoming.meta.queueId;
    QueuedMessage &meta = pending.incoming.meta;
    if (signatures && !pending.connection) {
        // The client left while the signatures were checked: it never got
        // 250 and will send again, so this copy must not be delivered.
        addEvent(MessageEvent::Error, queueId, std::nullopt,
            {{QStringLiteral("reason"),
              QStringLiteral("the client left before the DKIM check finished; the message was not queued")}});
        return;
    }

    // Headers (docs/behaviour.md "Header rewriting"): To/Cc through the
    // recipient rules; From/Sender/Reply-To through Outbound for allow-listed
    // clients. Only addr-specs change.
    QByteArray body = tx.data;
    // Allow-listed clients' mail is not verified, but an Authentication-Results
    // field claiming the relay's authserv-id goes all the same (RFC 8601 §5),
    // so that nothing downstream (the ARC stage) takes it for the relay's own.
    if (meta.outboundClient.value_or(false))
        body = removeOwnAuthenticationResults(body, m_config->hostName);
    const auto *pinned = dynamic_cast<const RelayPolicy *>(message.policy.get());
    const auto *policy = pinned ? pinned : static_cast<const RelayPolicy *>(m_policy.get());
    auto logHeaderChanges = [&](const HeaderRewriteResult &res, std::optional<Area> area,
                                const QString &reason) {
        if (!res.changes.isEmpty())
            meta.headersRewritten = true; // arc.seal = modified goes by this
        for (const HeaderChange &c : res.changes) {
            QVariantMap f{{QStringLiteral("scope"), QString(QStringLiteral("header ") + c.field)},
                          {QStringLiteral("from"), c.oldAddress},
                          {QStringLiteral("to"), c.newAddress}};
            if (!reason.isEmpty())
                f.insert(QStringLiteral("reason"), reason);
            pending.rewrites << MessageLogEntry{0, {}, queueId, MessageEvent::Rewritten, area, f};
        }
    };
    if (mode != RecipientHeaderRewrite::Never) {
        const HeaderRewriter recipients = recipientHeaderRewriter(message);
        if (!signatures) {
            // Always, or Unsigned without a signature (or without a change to make).
            HeaderRewriteResult res = recipients.rewrite(body);
            logHeaderChanges(res, std::nullopt,
                             mode == RecipientHeaderRewrite::Unsigned ? QStringLiteral("no DKIM signature")
                                                                      : QString());
            body = std::move(res.message);
        } else {
            const QList<HeaderFieldDecision> decisions =
                SignedHeaderPolicy::decide(*signatures, HeaderRewriter::recipientFields());
            const QList<QByteArray> kept = SignedHeaderPolicy::keptFields(decisions);
            const HeaderRewriteResult wanted = recipients.rewrite(body);
            for (const HeaderChange &c : wanted.changes) {
                for (const HeaderFieldDecision &d : decisions) {
                    if (d.rewrite || d.field.compare(c.field.toLatin1(), Qt::CaseInsensitive) != 0)
                        continue;
                    const QVariantMap f{{QStringLiteral("scope"), QString(QStringLiteral("header ") + c.field)},
                                        {QStringLiteral("address"), c.oldAddress},
                                        {QStringLiteral("would_be"), c.newAddress},
                                        {QStringLiteral("reason"), d.reason}};
                    pending.rewrites << MessageLogEntry{0, {}, queueId, MessageEvent::Kept, std::nullopt, f};
                }
            }
            HeaderRewriteResult res = kept.isEmpty() ? wanted : recipients.skipping(kept).rewrite(body);
            for (const HeaderFieldDecision &d : decisions) {
                if (!d.rewrite)
                    continue;
                HeaderRewriteResult mine;
                for (const HeaderChange &c : res.changes) {
                    if (d.field.compare(c.field.toLatin1(), Qt::CaseInsensitive) == 0)
                        mine.changes << c;
                }
                logHeaderChanges(mine, std::nullopt, d.reason);
            }
            body = std::move(res.message);
        }
    }
    if (m_config->rewriteSenderHeaders && policy->isAllowedClient(session.clientAddress)) {
        const std::shared_ptr<const RoutingSnapshot> snapshot = policy->snapshot();
        const HeaderRewriter senders(HeaderRewriter::senderFields(),
                                     [snapshot](const MailAddress &a) -> std::optional<QString> {
                                         const RouteResult r = snapshot->route(Area::Outbound, a);
                                         if (r.kind == MatchKind::None)
                                             return std::nullopt;
                                         return r.address.toString();
                                     });
        HeaderRewriteResult sres = senders.rewrite(body);
        logHeaderChanges(sres, Area::Outbound, QString());
        body = std::move(sres.message);
    }

    ReceivedInfo info;
    info.heloName = session.heloName;
    info.clientAddress = meta.clientAddress;
    info.byHost = m_config->hostName;
    info.queueId = queueId;
    if (tx.recipients.size() == 1)
        info.recipients << tx.recipients.first().original;
    info.tls = session.tls;
    info.smtpUtf8 = meta.smtputf8;
    info.time = meta.arrival;
    const QByteArray received = ReceivedField::build(info);
    QByteArray &data = pending.incoming.data;
    data.reserve(received.size() + body.size());
    data.append(received).append(body);

    QStringList originals;
    for (const EnvelopeRecipient &r : tx.recipients)
        originals << r.original;
    pending.received = {
        {QStringLiteral("session"), pending.connection ? pending.connection->sessionNumber() : 0},
        {QStringLiteral("client"), meta.clientAddress},
        {QStringLiteral("helo"), meta.heloName},
        {QStringLiteral("from"), tx.nullSender ? QString() : tx.sender.toString()},
        {QStringLiteral("to"), originals.join(QStringLiteral(", "))},
        {QStringLiteral("size"), data.size()},
        {QStringLiteral("generation"), tx.generation},
        {QStringLiteral("tls"), session.tls}};
    // The message trace's search keys (relaycore/trace).
    const TraceHeaders headers = traceHeadersOf(tx.data);
    if (!headers.messageId.isEmpty())
        pending.received.insert(QStringLiteral("message_id"), headers.messageId);
    if (!headers.subject.isEmpty())
        pending.received.insert(QStringLiteral("subject"), headers.subject);
    m_pending << std::move(pending);

    // Group commit: every message that completes in this pass of the event
    // loop is synced with one transaction, then all are acknowledged.
    if (!m_commitScheduled) {
        m_commitScheduled = true;
        QTimer::singleShot(0, this, &RelayEngine::commitReceived);
    }
}

void RelayEngine::awaitSignatures(Pending pending, const ReceivedMessage &message)
{
    const quint64 key = ++m_awaitSerial;
    auto waiting = std::make_unique<Awaiting>();
    waiting->pending = std::move(pending);
    waiting->message = message;
    waiting->mode = m_config->recipientHeaders;
    Awaiting &entry = *m_awaiting.emplace(key, std::move(waiting)).first->second;
    QTimer::singleShot(m_options.signatureCheckTimeoutMs, this, [this, key] {
        abandonSignatureWait(key,
                             QStringLiteral("no verdict within %1 s")
                                 .arg(QLocale::c().toString(m_options.signatureCheckTimeoutMs / 1000.0)));
    });
    if (m_signatureCheck) {
        entry.checkId =
            m_signatureCheck->start(message.transaction.data, [this, key](const QList<SignatureOutcome> &s) {
                finishSignatureWait(key, s);
            });
    } else {
        QTimer::singleShot(0, this, [this, key] {
            abandonSignatureWait(key, QStringLiteral("DKIM verification is not available"));
        });
    }
}

void RelayEngine::finishSignatureWait(quint64 key, const QList<SignatureOutcome> &signatures)
{
    const auto it = m_awaiting.find(key);
    if (it == m_awaiting.end())
        return; // timed out already, or the relay stopped
    std::unique_ptr<Awaiting> waiting = std::move(it->second);
    m_awaiting.erase(it);
    completeIntake(std::move(waiting->pending), waiting->message, waiting->mode, signatures);
}

// Never rewrite on doubt: every signature as written counts as undecided,
// so each field it lists (every field, if it cannot be read) is kept.
void RelayEngine::abandonSignatureWait(quint64 key, const QString &reason)
{
    const auto it = m_awaiting.find(key);
    if (it == m_awaiting.end())
        return;
    QList<SignatureOutcome> signatures;
    if (m_signatureCheck) {
        m_signatureCheck->cancel(it->second->checkId);
        signatures = m_signatureCheck->unverified(it->second->message.transaction.data);
    }
    for (SignatureOutcome &s : signatures) {
        if (s.status != SignatureStatus::Invalid) {
            s.status = SignatureStatus::Unknown;
            s.reason = reason;
        }
    }
    if (signatures.isEmpty())
        signatures << SignatureOutcome{{}, {}, SignatureStatus::Unknown, {}, reason};
    finishSignatureWait(key, signatures);
}

void RelayEngine::commitReceived()
{
    m_commitScheduled = false;
    if (m_pending.isEmpty())
        return;
    const QList<Pending> batch = std::exchange(m_pending, {});
    QList<IncomingMessage> incoming;
    incoming.reserve(batch.size());
    for (const Pending &p : batch)
        incoming << p.incoming;
    const auto stored = m_spool ? m_spool->store(incoming)
                                : Result<QList<QueuedMessage>>::failure(QStringLiteral("the spool is closed"));
    if (!stored.ok()) {
        // Nothing is acknowledged that is not on disk: the client gets 451 and retries.
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QStringLiteral("cannot spool %1 message(s): %2")
                                                 .arg(batch.size())
                                                 .arg(stored.error)}});
        for (const Pending &p : batch) {
            if (p.connection)
                p.connection->reject(replies::internalError());
        }
        return;
    }
    for (int i = 0; i < batch.size(); ++i) {
        const Pending &p = batch.at(i);
        const QueuedMessage &meta = stored->at(i);
        if (p.connection)
            p.connection->accept(meta.queueId.toLatin1());
        QVariantMap received = p.received;
        QStringList finals;
        for (const QueuedRecipient &r : meta.recipients)
            finals << r.address;
        received.insert(QStringLiteral("recipients"), finals.join(QStringLiteral(", ")));
        addEvent(MessageEvent::Received, meta.queueId, std::nullopt, received);
        for (const MessageLogEntry &e : p.rewrites)
            addEvent(e.event, e.queueId, e.area, e.fields);
        const bool keep = m_cachedBytes + p.incoming.data.size() <= kDataCacheBytes;
        if (keep)
            m_cachedBytes += p.incoming.data.size();
        m_queue.emplace(meta.id, QueueEntry{meta, keep ? p.incoming.data : QByteArray(), {}, {}, {}});
        if (m_running)
            dispatch(meta.id);
    }
    publishStatus();
}

// ---------------------------------------------------------------- outbound

QString RelayEngine::recipientDomain(const QString &address) const
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

QByteArray RelayEngine::messageData(QueueEntry &entry)
{
    if (!entry.data.isEmpty())
        return entry.data;
    const auto data = m_spool->data(entry.meta.id);
    return data.ok() ? *data : QByteArray();
}

void RelayEngine::dispatch(qint64 messageId)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end() || !m_running || !m_holdsKnown)
        return;
    QueueEntry &entry = it->second;
    const QDateTime now = m_clock->now();
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
        if (m_config->postmaster.isEmpty() && domain == ownDomain
            && r.address.section(QLatin1Char('@'), 0, -2).compare(QLatin1String("postmaster"), Qt::CaseInsensitive) == 0)
            postmaster << r.id;
        else
            byDomain[domain] << r.id;
    }
    if (!postmaster.isEmpty()) {
        failRecipients(messageId, postmaster, false,
                       QStringLiteral("4.3.5 relay.postmaster is not set: mail to the postmaster waits for it"), {});
    }
    if (byDomain.isEmpty() || m_queue.find(messageId) == m_queue.end())
        return;
    for (auto d = byDomain.cbegin(); d != byDomain.cend(); ++d) {
        for (qint64 id : d.value())
            entry.inFlight.insert(id);
        const bool asked = entry.awaitingLookup.contains(d.key());
        entry.awaitingLookup[d.key()] << d.value();
        // The resolver answers later (never from inside resolve()) and shares
        // one DNS look-up between concurrent requests for a destination.
        if (!asked) {
            m_resolver->resolve(d.key(), this,
                                [this, messageId](const NextHopLookup &lookup) { onLookup(messageId, lookup); });
        }
    }
}

void RelayEngine::onLookup(qint64 messageId, const NextHopLookup &lookup)
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
                failRecipients(messageId, a.value(), l.status == LookupStatus::PermanentFailure,
                               l.enhancedStatus.isEmpty() ? l.error : l.enhancedStatus + QLatin1Char(' ') + l.error,
                               {});
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

void RelayEngine::signAndDeliver(qint64 messageId, const QList<std::pair<QList<qint64>, NextHopLookup>> &groups)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    const QByteArray data = messageData(it->second);
    if (data.isEmpty()) {
        for (const auto &group : groups)
            failRecipients(messageId, group.first, false, QStringLiteral("cannot read the message from the spool"), {});
        return;
    }
    const std::optional<Area> area = it->second.meta.isDsn ? std::nullopt : std::optional(Area::Outbound);
    m_signing->prepare(it->second.meta, data, m_config, m_clock->now().toSecsSinceEpoch(),
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
                           sealAndDeliver(messageId, groups, o.data);
                       });
}

void RelayEngine::sealAndDeliver(qint64 messageId, const QList<std::pair<QList<qint64>, NextHopLookup>> &groups,
                                 const QByteArray &data)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    const std::optional<Area> area = it->second.meta.isDsn ? std::nullopt : std::optional(Area::Outbound);
    m_arc->prepare(it->second.meta, data, m_config, m_clock->now().toSecsSinceEpoch(),
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
                           startDelivery(messageId, group.first, group.second, o.data);
                   });
}

void RelayEngine::startDelivery(qint64 messageId, const QList<qint64> &recipientIds, const NextHopLookup &lookup,
                                const QByteArray &data)
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
    if (lookup.destination.startsWith(QLatin1String("smarthost:")) && !m_config->smarthostUser.isEmpty()) {
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
    m_agent->deliver(std::move(request));
}

TlsPolicy RelayEngine::tlsPolicyFor(const NextHopLookup &lookup) const
{
    // Postfix: the per-destination policy, else smtp_tls_security_level.
    if (lookup.destination.startsWith(QLatin1String("smarthost:")))
        return m_config->smarthostTls;
    if (lookup.destination.startsWith(QLatin1String("route:")))
        return m_config->routeTls.value(lookup.domain, m_config->defaultTls);
    return m_config->defaultTls;
}

Result<SmtpCredentials> RelayEngine::smarthostCredentials()
{
    using R = Result<SmtpCredentials>;
    const QString user = m_config->smarthostUser;
    if (m_smarthostPassword)
        return R::success(SmtpCredentials{user, *m_smarthostPassword});
    const SecretLookup found = m_options.secrets ? m_options.secrets->read(secretnames::smarthostPassword())
                                                 : SecretLookup{SecretState::Unavailable, {},
                                                                QStringLiteral("no keychain is available to the relay")};
    if (found.state == SecretState::Found) {
        m_smarthostPassword = found.value;
        return R::success(SmtpCredentials{user, found.value});
    }
    const QString why = found.state == SecretState::NotFound
                            ? QStringLiteral("no password for %1 is stored in the keychain (mailroutectl secret set "
                                             "smarthost.password)")
                                  .arg(user)
                            : found.error;
    return R::failure(QStringLiteral("4.7.0 SMTP AUTH to the smart host as %1 is not possible: %2").arg(user, why));
}

void RelayEngine::onDelivered(const DeliveryResult &result)
{
    // The smart host refused the password: read it from the keychain again
    // for the next attempt, so a password the admin corrects there is used
    // before the retry schedule runs out.
    if (m_smarthostPassword) {
        for (const RecipientResult &rr : result.recipients) {
            if (rr.reply.startsWith(QLatin1String("SASL authentication failed"))) {
                m_smarthostPassword.reset();
                break;
            }
        }
    }
    const auto it = m_queue.find(result.messageId);
    if (it == m_queue.end())
        return; // deleted by the admin meanwhile
    QueueEntry &entry = it->second;
    const QDateTime now = m_clock->now();
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
                QVariantMap f = m_signing->lastSignature(entry.meta.id); // dkim=signed d= s=, when signed
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
    if (!m_updateScheduled) {
        m_updateScheduled = true;
        QTimer::singleShot(0, this, &RelayEngine::flushUpdates);
    }
    const auto again = m_queue.find(result.messageId);
    if (again != m_queue.end() && allFinal(again->second.meta) && again->second.inFlight.isEmpty())
        eraseEntry(again->first);
    publishStatus();
    if (m_stopping) {
        // The agent counts this request done only once its slot is given back.
        QTimer::singleShot(0, this, [this] { finishStop(false); });
    }
}

void RelayEngine::failRecipients(qint64 messageId, const QList<qint64> &recipientIds, bool permanent,
                                 const QString &reason, const QString &nextHop)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    QueueEntry &entry = it->second;
    QList<QueuedRecipient> bounced;
    const QDateTime now = m_clock->now();
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
            m_updates << RecipientUpdate{entry.meta.id, r->id, r->status, r->attempts, r->nextAttempt, reason};
            delayed = delayed
                || (m_config->delayWarningSecs > 0
                    && entry.meta.scheduleStart(*r).addSecs(m_config->delayWarningSecs) <= now);
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
    if (!m_updateScheduled) {
        m_updateScheduled = true;
        QTimer::singleShot(0, this, &RelayEngine::flushUpdates);
    }
    const auto again = m_queue.find(messageId);
    if (again != m_queue.end() && allFinal(again->second.meta) && again->second.inFlight.isEmpty())
        eraseEntry(messageId);
}

void RelayEngine::bounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &nextHop)
{
    RecipientStatus finalStatus = RecipientStatus::Dropped;
    QString dsnQueueId;
    // A null sender (or our own DSN) is never bounced (docs/behaviour.md "Bounces", RFC 5321 §4.5.5).
    if (!entry.meta.nullSender() && !entry.meta.isDsn) {
        DsnInput in = dsnInputFor(entry.meta, m_config->hostName, m_clock->now(), messageData(entry));
        for (const QueuedRecipient &r : recipients) {
            DsnRecipient d;
            d.finalRecipient = r.address;
            if (r.originalAddress.compare(r.address, Qt::CaseInsensitive) != 0)
                d.originalRecipient = r.originalAddress;
            d.action = DsnAction::Failed;
            const auto reply = DsnStatus::fromSmtpReply(r.lastError.toUtf8());
            // Our own failures (DNS: "5.1.2 domain ... not found") start with
            // the enhanced code alone.
            const auto status = reply ? reply : DsnStatus::parse(r.lastError.section(QLatin1Char(' '), 0, 0));
            d.status = status && status->isPermanent() ? *status : DsnStatus(5, 0, 0);
            if (status && status->isTransient())
                d.status = DsnStatus(5, status->subject(), status->detail());
            d.remoteMta = nextHop.section(QLatin1Char(':'), 0, 0);
            d.diagnosticCode = r.lastError;
            d.diagnosticType = reply ? QStringLiteral("smtp") : QStringLiteral("X-MailRoute");
            d.lastAttempt = m_clock->now();
            in.recipients << d;
        }
        const auto dsn = DsnBuilder::build(in);
        if (dsn.ok()) {
            IncomingMessage msg;
            msg.meta.isDsn = true;
            msg.meta.queueId = m_spool->reserveQueueId();
            msg.meta.arrival = m_clock->now();
            msg.meta.smtputf8 = dsn->needsSmtpUtf8;
            msg.meta.eightBitMime = dsn->eightBit;
            msg.meta.generation = m_config->generation;
            QueuedRecipient to;
            to.address = entry.meta.sender;
            to.originalAddress = entry.meta.sender;
            msg.meta.recipients << to;
            msg.data = dsn->message;
            // The DSN is on disk before the recipients are marked bounced.
            const auto stored = m_spool->store({msg});
            if (stored.ok()) {
                finalStatus = RecipientStatus::Bounced;
                const QueuedMessage &meta = stored->first();
                dsnQueueId = meta.queueId;
                m_cachedBytes += msg.data.size();
                m_queue.emplace(meta.id, QueueEntry{meta, msg.data, {}, {}, {}});
                QTimer::singleShot(0, this, [this, id = meta.id] { dispatch(id); });
            } else {
                // Keep the recipients queued: better late than lost.
                addEvent(MessageEvent::Error, entry.meta.queueId, std::nullopt,
                         {{QStringLiteral("reason"), QString(QStringLiteral("cannot spool the DSN: ") + stored.error)}});
                deferBounce(entry, recipients, QStringLiteral("cannot spool the DSN: ") + stored.error, nextHop);
                return;
            }
        } else {
            // Never dropped for want of a DSN (issue 11): the message stays
            // queued, deferred with the reason, until the DSN can be built
            // (relay.hostname fixed and pushed) or the admin deletes it.
            addEvent(MessageEvent::Error, entry.meta.queueId, std::nullopt,
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
            f.insert(QStringLiteral("dsn"), entry.meta.isDsn            ? QStringLiteral("none (the message is a DSN)")
                                            : entry.meta.nullSender() ? QStringLiteral("none (null sender)")
                                                                      : QStringLiteral("none"));
        addEvent(MessageEvent::Bounced, entry.meta.queueId, std::nullopt, f);
    }
}

void RelayEngine::deferBounce(QueueEntry &entry, const QList<QueuedRecipient> &recipients, const QString &why,
                              const QString &nextHop)
{
    // Tried again at the pace of the first retry interval (5 minutes by
    // default): a push that fixes the cause is picked up soon.
    const qint64 delay = m_config->retrySchedule.isEmpty() ? 300 : qMax<qint64>(60, m_config->retrySchedule.first());
    const QDateTime next = m_clock->now().addSecs(delay);
    for (const QueuedRecipient &b : recipients) {
        QueuedRecipient *r = findRecipient(entry.meta, b.id);
        if (!r)
            continue;
        r->status = RecipientStatus::Queued;
        r->nextAttempt = next;
        r->lastError = QStringLiteral("%1; the bounce waits: %2").arg(why, b.lastError);
        m_updates << RecipientUpdate{entry.meta.id, r->id, r->status, r->attempts, r->nextAttempt, r->lastError};
        addEvent(MessageEvent::Deferred, entry.meta.queueId, std::nullopt,
                 {{QStringLiteral("to"), r->address},
                  {QStringLiteral("relay"), nextHop},
                  {QStringLiteral("reason"), r->lastError},
                  {QStringLiteral("attempts"), r->attempts},
                  {QStringLiteral("next_attempt"), next.toString(Qt::ISODate)}});
    }
}

void RelayEngine::flushUpdates()
{
    m_updateScheduled = false;
    if (m_updates.isEmpty() || !m_spool)
        return;
    const QList<RecipientUpdate> updates = std::exchange(m_updates, {});
    if (const Status st = m_spool->update(updates); !st.ok()) {
        // The in-memory state is ahead of the disk: at worst a message is
        // delivered again after a restart, never lost.
        addEvent(MessageEvent::Error, {}, std::nullopt,
                 {{QStringLiteral("reason"), QString(QStringLiteral("cannot update the spool: ") + st.error)}});
    }
}

void RelayEngine::applyControlRequests()
{
    const auto requests = m_spool->takeControlRequests();
    if (!requests.ok())
        return;
    for (const ControlRequest &req : *requests) {
        if (req.command == ControlCommand::Delete) {
            if (m_spool->deleteMessage(req.queueId).ok()) {
                for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
                    if (it->second.meta.queueId.compare(req.queueId, Qt::CaseInsensitive) == 0) {
                        addEvent(MessageEvent::Deleted, it->second.meta.queueId, std::nullopt, {});
                        eraseEntry(it->first);
                        break;
                    }
                }
            }
        } else {
            m_spool->flush(req.queueId);
            for (auto &[id, entry] : m_queue) {
                if (req.queueId.isEmpty() || entry.meta.queueId.compare(req.queueId, Qt::CaseInsensitive) == 0) {
                    for (QueuedRecipient &r : entry.meta.recipients)
                        r.nextAttempt = QDateTime();
                }
            }
        }
    }
}

void RelayEngine::tick()
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
        m_spool->checkpoint();
    publishStatus();
}

// ---------------------------------------------------------------- holds and notices

void RelayEngine::setHolds(const QList<DomainHold> &holds)
{
    m_holds.replace(holds);
    m_holdsKnown = true;
    if (m_running)
        tick(); // a release is delivered at once, like a flush
}

bool RelayEngine::isHeld(const QueuedMessage &, const QueuedRecipient &r, const QDateTime &now) const
{
    if (m_holds.isEmpty())
        return false;
    // The final domain, and the one the sender wrote: "mail for the domain"
    // whichever side of a mapping the admin holds.
    return m_holds.isHeld(recipientDomain(r.address), now)
        || (!r.originalAddress.isEmpty() && m_holds.isHeld(recipientDomain(r.originalAddress), now));
}

int RelayEngine::queuedFor(const QString &domain) const
{
    int n = 0;
    for (const auto &[id, entry] : m_queue) {
        for (const QueuedRecipient &r : entry.meta.recipients) {
            if (r.status == RecipientStatus::Queued
                && (recipientDomain(r.address) == domain || recipientDomain(r.originalAddress) == domain))
                ++n;
        }
    }
    return n;
}

void RelayEngine::applyHoldChanges()
{
    if (!m_holdsKnown)
        return;
    const QDateTime now = m_clock->now();
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
                if (r.status != RecipientStatus::Queued || isHeld(entry.meta, r, now)
                    || (recipientDomain(r.address) != domain && recipientDomain(r.originalAddress) != domain))
                    continue;
                entry.meta.scheduleStarts.insert(r.id, now);
                r.nextAttempt = QDateTime();
                released << qMakePair(entry.meta.id, r.id);
            }
        }
        flushUpdates(); // in order: pending results first, then the restart
        if (const Status st = m_spool->restartSchedule(released, now); !st) {
            addEvent(MessageEvent::Error, {}, std::nullopt,
                     {{QStringLiteral("reason"), QString(QStringLiteral("cannot update the spool: ") + st.error)}});
        }
        addEvent(MessageEvent::Released, {}, std::nullopt,
                 {{QStringLiteral("domain"), domain}, {QStringLiteral("recipients"), released.size()}});
    }
}

void RelayEngine::warnLongHolds()
{
    if (!m_holdsKnown || !m_config)
        return;
    const QDateTime now = m_clock->now();
    const QList<DomainHold> due = m_holds.dueWarnings(now, m_config->holdMaxSecs);
    for (const DomainHold &hold : due) {
        m_holds.markWarned(hold.domain);
        const int queued = queuedFor(hold.domain);
        const qint64 days = hold.since.secsTo(now) / 86400;
        QVariantMap fields{{QStringLiteral("domain"), hold.domain},
                           {QStringLiteral("since"), hold.since.toString(Qt::ISODate)},
                           {QStringLiteral("queued"), queued},
                           {QStringLiteral("reason"),
                            QStringLiteral("@%1 has been on hold for longer than retry.hold_max; %2 recipient(s) wait "
                                           "for its release (mailroutectl hold release %1)")
                                .arg(hold.domain)
                                .arg(queued)}};
        // The admin is warned, never the senders.
        if (!m_config->postmaster.isEmpty()) {
            const QString queueId = m_spool->reserveQueueId();
            const QByteArray host = m_config->hostName.toUtf8();
            QByteArray text;
            text += "From: Mail Delivery System <MAILER-DAEMON@" + host + ">\r\n";
            text += "To: " + m_config->postmaster.toUtf8() + "\r\n";
            text += "Subject: Mail for @" + hold.domain.toUtf8() + " has been on hold for " + QByteArray::number(days)
                + " days\r\n";
            text += "Date: " + formatRfc5322Date(now) + "\r\n";
            text += "Message-ID: <" + queueId.toUtf8() + ".hold@" + host + ">\r\n";
            text += "Auto-Submitted: auto-generated\r\n";
            text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
            text += "The relay " + host + " holds mail for @" + hold.domain.toUtf8() + " since "
                + hold.since.toString(Qt::ISODate).toUtf8() + " (" + QByteArray::number(days) + " days).\r\n";
            text += QByteArray::number(queued) + " recipient(s) wait in the queue; none is attempted or bounced while "
                "the hold lasts.\r\n\r\n";
            text += "Release it once the domain is verified at its new tenant:\r\n\r\n    mailroutectl hold release "
                + hold.domain.toUtf8() + "\r\n\r\nor with Release on the console's Queue page.\r\n";
            const Status st = spoolNotice(queueId, m_config->postmaster, text, false, false);
            fields.insert(QStringLiteral("notice"), st ? queueId : QStringLiteral("none: ") + st.error);
        }
        addEvent(MessageEvent::HoldWarning, {}, std::nullopt, fields);
        emit holdWarned(hold.domain);
    }
}

void RelayEngine::sendDelayNotice(QueueEntry &entry)
{
    // RFC 3464 with Action: delayed, once per message (retry.delay_warning),
    // as Postfix's delay_warning_time; never to a null sender.
    DsnInput in = dsnInputFor(entry.meta, m_config->hostName, m_clock->now(), messageData(entry));
    for (const QueuedRecipient &r : std::as_const(entry.meta.recipients)) {
        if (r.status != RecipientStatus::Queued)
            continue;
        DsnRecipient d;
        d.finalRecipient = r.address;
        if (r.originalAddress.compare(r.address, Qt::CaseInsensitive) != 0)
            d.originalRecipient = r.originalAddress;
        d.action = DsnAction::Delayed;
        const auto status = DsnStatus::fromSmtpReply(r.lastError.toUtf8());
        d.status = status ? DsnStatus(4, status->subject(), status->detail()) : DsnStatus(4, 0, 0);
        d.diagnosticCode = r.lastError;
        d.diagnosticType = status ? QStringLiteral("smtp") : QStringLiteral("X-MailRoute");
        d.lastAttempt = m_clock->now();
        d.willRetryUntil = m_schedule.expiry(entry.meta.scheduleStart(r));
        in.recipients << d;
    }
    if (in.recipients.isEmpty())
        return;
    const auto dsn = DsnBuilder::build(in);
    if (!dsn.ok()) {
        addEvent(MessageEvent::Error, entry.meta.queueId, std::nullopt,
                 {{QStringLiteral("reason"), QString(QStringLiteral("cannot build a delay notice: ") + dsn.error)}});
        return;
    }
    const QString queueId = m_spool->reserveQueueId();
    const QString to = entry.meta.sender;
    const QString original = entry.meta.queueId;
    const qint64 messageId = entry.meta.id;
    entry.meta.delayWarned = true;
    m_spool->markDelayWarned(messageId);
    const Status st = spoolNotice(queueId, to, dsn->message, dsn->needsSmtpUtf8, dsn->eightBit);
    addEvent(MessageEvent::DelayNotice, original, std::nullopt,
             {{QStringLiteral("to"), to}, {QStringLiteral("dsn"), st ? queueId : QStringLiteral("none: ") + st.error}});
}

Status RelayEngine::spoolNotice(const QString &queueId, const QString &recipient, const QByteArray &data,
                                bool smtputf8, bool eightBit)
{
    IncomingMessage msg;
    msg.meta.isDsn = true; // from the null sender, never bounced itself
    msg.meta.queueId = queueId;
    msg.meta.arrival = m_clock->now();
    msg.meta.smtputf8 = smtputf8;
    msg.meta.eightBitMime = eightBit;
    msg.meta.generation = m_config->generation;
    QueuedRecipient to;
    to.address = recipient;
    to.originalAddress = recipient;
    msg.meta.recipients << to;
    msg.data = data;
    const auto stored = m_spool->store({msg});
    if (!stored.ok())
        return Status::failure(stored.error);
    const QueuedMessage &meta = stored->first();
    m_cachedBytes += msg.data.size();
    m_queue.emplace(meta.id, QueueEntry{meta, msg.data, {}, {}, {}});
    QTimer::singleShot(0, this, [this, id = meta.id] { dispatch(id); });
    return okStatus();
}

// ---------------------------------------------------------------- events and status

void RelayEngine::addEvent(MessageEvent event, const QString &queueId, std::optional<Area> area,
                           QVariantMap fields)
{
    m_events << MessageLogEntry{0, m_clock->now(), queueId, event, area, std::move(fields)};
    // Batched so that a flood of mail costs one signal per 100 ms, not one per event.
    if (m_eventTimer && !m_eventTimer->isActive())
        m_eventTimer->start(kEventBatchMs);
}

// docs/behaviour.md "Who may send what": every policy refusal is a
// "refused" event with the client, the addresses involved and the reply
// (multi-line replies joined with " / ").
void RelayEngine::addRefusal(const QString &client, const QString &from, const QString &to, const Reply &reply,
                             quint64 session)
{
    QVariantMap f{{QStringLiteral("client"), client}};
    if (session)
        f.insert(QStringLiteral("session"), session);
    if (!from.isEmpty())
        f.insert(QStringLiteral("from"), from);
    if (!to.isEmpty())
        f.insert(QStringLiteral("to"), to);
    QStringList lines = QString::fromUtf8(reply.toWire()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    f.insert(QStringLiteral("reason"), lines.join(QStringLiteral(" / ")));
    addEvent(MessageEvent::Refused, {}, std::nullopt, std::move(f));
}

void RelayEngine::flushEvents()
{
    if (m_events.isEmpty())
        return;
    emit events(std::exchange(m_events, {}));
}

RelayStatus RelayEngine::status() const
{
    RelayStatus s;
    s.listening = m_running && m_server && m_server->isListening();
    s.listenAddress = m_listenAddress;
    s.sessions = static_cast<int>(m_connections.size());
    s.queued = static_cast<int>(m_queue.size());
    s.generation = m_config ? m_config->generation : 0;
    s.error = m_error;
    return s;
}

void RelayEngine::publishStatus()
{
    // At most a few updates a second: the console's status bar, not a log.
    if (!m_statusTimer) {
        m_statusTimer = new QTimer(this);
        m_statusTimer->setSingleShot(true);
        connect(m_statusTimer, &QTimer::timeout, this, [this] { emit statusChanged(status()); });
    }
    if (!m_running || !m_server || !m_server->isListening()) {
        m_statusTimer->stop();
        emit statusChanged(status());
        return;
    }
    if (!m_statusTimer->isActive())
        m_statusTimer->start(250);
}

void RelayEngine::eraseEntry(qint64 messageId)
{
    const auto it = m_queue.find(messageId);
    if (it == m_queue.end())
        return;
    m_cachedBytes -= it->second.data.size();
    if (m_signing)
        m_signing->forget(messageId);
    if (m_arc)
        m_arc->forget(it->second.meta.queueId);
    m_queue.erase(it);
}

} // namespace mailroute
