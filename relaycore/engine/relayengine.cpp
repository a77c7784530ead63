#include "relaycore/engine/relayengine.h"

#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/arcarrivalcheck.h"
#include "relaycore/engine/arcsealingstage.h"
#include "relaycore/engine/deliveryscheduler.h"
#include "relaycore/engine/dkiminboundcheck.h"
#include "relaycore/engine/dkimsigningstage.h"
#include "relaycore/engine/intake.h"
#include "relaycore/engine/recipientverifier.h"
#include "relaycore/engine/smtplistener.h"
#include "relaycore/engine/smtpserverconnection.h"
#include "relaycore/engine/spoolcommit.h"
#include "relaycore/engine/tlscredentials.h"
#include "relaycore/mailauth/authresults.h"
#include "relaycore/message/confirmationmessage.h"
#include "relaycore/queue/spool.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/smtp/relaypolicy.h"

#include <QDir>
#include <QLocale>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

namespace mailroute {

// A received message between the end of DATA and the spool commit.
struct RelayEngine::Pending
{
    QPointer<SmtpServerConnection> connection;
    IntakeInput input;   // the message as received (the data implicitly shared, never copied) and its pinned
                         // configuration
    IntakeResult result; // what the intake made of it so far
};

struct RelayEngine::Awaiting
{
    Pending pending;
    quint64 checkId = 0;
};

struct RelayEngine::Verifying
{
    Pending pending;
    quint64 checkId = 0;
};

namespace {

// The relay policy of one configuration, with that configuration: a
// session keeps the policy it pinned at MAIL, and with it what the rest of
// its message's intake goes by.
class ConfiguredPolicy final : public RelayPolicy
{
public:
    ConfiguredPolicy(std::shared_ptr<const RelayConfig> config, RelayPolicyConfig pc)
        : RelayPolicy(config->routing, std::move(pc)), m_config(std::move(config))
    {}
    const std::shared_ptr<const RelayConfig> &config() const { return m_config; }

private:
    std::shared_ptr<const RelayConfig> m_config;
};

constexpr int kEventBatchMs = 100;

} // namespace

RelayEngine::RelayEngine(Options options)
    : m_options(std::move(options)), m_clock(m_options.clock ? m_options.clock : &SystemClock::instance())
{}

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
    // The spool of an earlier run goes now: nothing may keep a pointer to it
    // if this one fails to open.
    if (m_scheduler)
        m_scheduler->setSpool(nullptr);
    if (m_commit)
        m_commit->setSpool(nullptr);
    m_spool = std::make_unique<Spool>(m_options.spoolDirectory, Spool::Role::Engine, *m_clock);
    if (const Status st = m_spool->open(); !st.ok()) {
        m_error = QStringLiteral("cannot open the spool in %1: %2").arg(m_options.spoolDirectory, st.error);
        m_spool.reset();
        publishStatus();
        return;
    }
    if (!m_agent) {
        m_agent = new DeliveryAgent(DeliveryAgent::Settings{}, this);
        m_resolver = new NextHopResolver(NextHopResolver::Settings{}, this);
        m_verifier = new RecipientVerifier(m_resolver, this);
        m_verifier->cache().setMaxEntries(m_options.verifyCacheEntries);
        m_signing = new DkimSigningStage(this);
        m_arc = new ArcSealingStage(
            ArcSealingStage::Options{m_options.nameserver, std::chrono::milliseconds(8000)}, this);
        const DeliveryScheduler::EventSink events = [this](MessageEvent event, const QString &queueId,
                                                           std::optional<Area> area, QVariantMap fields) {
            addEvent(event, queueId, area, std::move(fields));
        };
        m_scheduler = new DeliveryScheduler(DeliveryScheduler::Parts{nullptr, m_agent, m_resolver, m_signing,
                                                                     m_arc, m_clock, m_options.secrets},
                                            events, m_options.awaitHolds, this);
        connect(m_scheduler, &DeliveryScheduler::changed, this, &RelayEngine::publishStatus);
        connect(m_scheduler, &DeliveryScheduler::holdWarned, this, &RelayEngine::holdWarned);
        connect(m_scheduler, &DeliveryScheduler::deliveryHandled, this, [this] {
            // The agent counts this request done only once its slot is given back.
            if (m_stopping)
                QTimer::singleShot(0, this, [this] { finishStop(false); });
        });
        if (m_holdsBeforeStart)
            m_scheduler->setHolds(*std::exchange(m_holdsBeforeStart, std::nullopt));
        m_commit = new SpoolCommit(
            events,
            [this](const QueuedMessage &meta, const QByteArray &data) {
                m_scheduler->addReceived(meta, data);
            },
            this);
        connect(m_commit, &SpoolCommit::committedBatch, this, &RelayEngine::publishStatus);
        // Delivery results go to the spool on the commit thread, after the batches before them.
        m_scheduler->setUpdateWriter(
            [this](const QList<RecipientUpdate> &updates) { m_commit->writeUpdates(updates); });
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
        const Status opened =
            m_verifier->cache().open(QDir(m_options.spoolDirectory).filePath(VerifyCache::fileName()));
        if (!opened.ok())
            addEvent(MessageEvent::Warning, {}, std::nullopt,
                     {{QStringLiteral("reason"),
                       QString(QStringLiteral("recipient verification cache kept in memory only: ") +
                               opened.error)}});
    }
    m_scheduler->setSpool(m_spool.get());
    m_commit->setSpool(m_spool.get());
    m_running = true;
    m_scheduler->setRunning(true);
    applyConfig(std::move(config));
    if (!m_config->hostNameWarning.isEmpty())
        addEvent(MessageEvent::Warning, {}, std::nullopt,
                 {{QStringLiteral("reason"), m_config->hostNameWarning}});
    if (!listen()) {
        m_running = false;
        m_scheduler->setRunning(false);
        m_scheduler->setSpool(nullptr);
        m_commit->setSpool(nullptr);
        m_spool.reset();
        publishStatus();
        return;
    }

    // Recovery: everything acknowledged and not yet delivered (docs/behaviour.md "Stopping and durability").
    const auto queued = m_scheduler->recover();
    if (queued.ok()) {
        if (*queued > 0) {
            addEvent(MessageEvent::Recovered, {}, std::nullopt, {{QStringLiteral("messages"), *queued}});
        }
    } else {
        addEvent(
            MessageEvent::Error, {}, std::nullopt,
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
    const bool listenChanged = m_config && (m_config->listenHost != config->listenHost ||
                                            m_config->listenPort != config->listenPort);
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
    // The policy carries its configuration: the header rewriting of a
    // message goes by the one pinned with its policy at MAIL (Intake).
    m_policy = std::make_shared<const ConfiguredPolicy>(m_config, pc);
    if (m_agent) {
        DeliveryAgent::Settings s = m_agent->settings();
        s.heloName = m_config->hostName;
        s.concurrencyPerDestination = m_config->concurrencyPerDestination;
        s.timeouts = m_options.deliveryTimeouts;
        s.caCertificates = m_config->tlsCaCertificates;
        m_agent->setSettings(s);
        m_scheduler->setConfig(m_config);
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
                 {{QStringLiteral("reason"),
                   QString(loaded.error + QStringLiteral(": STARTTLS is not offered"))}});
        return;
    }
    m_tls = *loaded;
    if (m_tls->expired()) {
        addEvent(MessageEvent::Warning, {}, std::nullopt,
                 {{QStringLiteral("reason"),
                   QStringLiteral("tls.certificate expired on %1; STARTTLS still offered")
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
    m_scheduler->setRunning(false);
    m_stopping = true;
    // A message still waiting for its DKIM verdict is taken as it is
    // (signed fields kept), so that it too is answered before the close.
    while (!m_verifying.empty()) {
        m_receiptCheck->cancel(m_verifying.begin()->second->checkId);
        finishReceiptCheck(m_verifying.begin()->first, AuthVerdicts::temporaryFailure(QStringLiteral(
                                                           "the relay stopped before the verdict")));
    }
    while (!m_awaiting.empty())
        abandonSignatureWait(m_awaiting.begin()->first,
                             QStringLiteral("the relay stopped before the verdict"));
    // What is already received gets its 250 before the sessions get 421.
    m_commit->commit();
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
            addEvent(
                MessageEvent::Warning, {}, std::nullopt,
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
    // The spool is the truth from here: a later start() reloads it, so no
    // recipient stays marked in flight by a delivery that was never started.
    m_scheduler->clear();
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
    const ConfirmationMessage message = ConfirmationMessage::build(
        m_config->hostName, m_config->postmaster, request.subject, request.body, m_clock->now(),
        request.key.section(QLatin1Char(':'), 1).remove(QLatin1Char(':')));
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
                 {{QStringLiteral("reason"),
                   QString(QStringLiteral("cannot spool a confirmation: ") + stored.error)}});
        return; // tried again at the next poll
    }
    const QueuedMessage &meta = stored->first();
    addEvent(MessageEvent::Confirmation, meta.queueId, std::nullopt,
             {{QStringLiteral("to"), m_config->postmaster},
              {QStringLiteral("subject"), request.subject},
              {QStringLiteral("message_id"), message.messageId}});
    m_scheduler->addOwn(meta, msg.data);
    emit confirmationHandled(request.key);
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
                               : bound.toString()) +
                          QLatin1Char(':') + QString::number(m_server->serverPort());
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
    sc.spillDirectory = Spool::incomingDirectory(m_options.spoolDirectory); // large bodies, as they arrive
    return sc;
}

void RelayEngine::onNewConnection()
{
    while (auto *socket = qobject_cast<QTcpSocket *>(m_server->nextPendingConnection())) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString client = socket->peerAddress().toString();
        if (!m_running || m_connections.size() >= m_config->limits.sessions ||
            m_perClient.value(client) >= m_config->limits.sessionsPerIp) {
            // docs/behaviour.md "Limits": refuse politely and let the client retry later.
            const Reply reply = m_running ? replies::tooManySessions(m_config->hostName.toUtf8())
                                          : replies::shuttingDown(m_config->hostName.toUtf8());
            socket->write(reply.toWire());
            connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            addRefusal(client, {}, {}, reply);
            continue;
        }
        auto *connection = new SmtpServerConnection(
            socket, ++m_sessionCounter, sessionConfig(), [this] { return currentPolicy(); }, m_tls, this);
        m_connections.insert(connection, client);
        ++m_perClient[client];
        connect(connection, &SmtpServerConnection::messageReady, this, &RelayEngine::onMessageReady);
        connect(connection, &SmtpServerConnection::closed, this, &RelayEngine::onConnectionClosed);
        connect(connection, &SmtpServerConnection::diagnostic, this,
                [this](SmtpServerConnection *c, const QString &detail) {
                    addEvent(MessageEvent::Error, {}, std::nullopt,
                             {{QStringLiteral("session"), c->sessionNumber()},
                              {QStringLiteral("reason"), detail}});
                });
        connect(connection, &SmtpServerConnection::verifyRecipient, this,
                [this, client](SmtpServerConnection *c, const QString &from, const QString &to,
                               const QString &target) {
                    const quint64 session = c->sessionNumber();
                    m_verifier->verify(target, c,
                                       [this, c, client, session, from, to](const VerifyOutcome &o) {
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
        connect(
            connection, &SmtpServerConnection::refused, this,
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
    Pending pending;
    pending.connection = connection;
    IntakeInput &in = pending.input;
    in.message = message;
    // The policy pinned at MAIL decided the envelope; it and its
    // configuration decide the rest of the intake (a push may have landed since).
    if (const auto pinned = std::dynamic_pointer_cast<const ConfiguredPolicy>(message.policy)) {
        in.policy = pinned;
        in.config = pinned->config();
    } else {
        in.policy = m_policy;
        in.config = m_config;
    }
    in.queueId = m_spool->reserveQueueId();
    in.arrival = m_clock->now();
    in.session = connection ? connection->sessionNumber() : 0;

    // ARC: the incoming chain is judged on the bytes as the client sent them.
    m_arc->receivedAt(in.queueId, message.transaction.data, *in.config, in.arrival.toSecsSinceEpoch(),
                      message.transaction.body);

    pending.result = Intake::envelope(in);
    if (startReceiptCheck(pending))
        return;
    continueIntake(std::move(pending));
}

// Mail authentication at receipt (docs/behaviour.md, "Mail authentication at
// receipt"): clients off outbound.allowed_clients only; the message waits
// for the verdicts (at most receiptCheckTimeoutMs) before the rest of the
// intake, so the Authentication-Results field is in what is spooled.
bool RelayEngine::startReceiptCheck(Pending &pending)
{
    if (!m_receiptCheck || pending.result.message.meta.outboundClient.value_or(false))
        return false;
    const quint64 key = ++m_awaitSerial;
    auto waiting = std::make_unique<Verifying>();
    waiting->pending = std::move(pending);
    Verifying &entry = *m_verifying.emplace(key, std::move(waiting)).first->second;
    QTimer::singleShot(m_options.receiptCheckTimeoutMs, this, [this, key] {
        const auto it = m_verifying.find(key);
        if (it == m_verifying.end())
            return;
        m_receiptCheck->cancel(it->second->checkId);
        finishReceiptCheck(key,
                           AuthVerdicts::temporaryFailure(
                               QStringLiteral("no verdict within %1 s")
                                   .arg(QLocale::c().toString(m_options.receiptCheckTimeoutMs / 1000.0))));
    });
    const ReceivedMessage &message = entry.pending.input.message;
    const Transaction &tx = message.transaction;
    ReceiptInput input{tx.data, message.session.clientAddress, message.session.heloName,
                       tx.nullSender ? QString() : tx.sender.toString(), tx.body};
    entry.checkId =
        m_receiptCheck->start(input, [this, key](const AuthVerdicts &v) { finishReceiptCheck(key, v); });
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
    const QString &queueId = pending.input.queueId;
    if (!pending.connection) {
        addEvent(
            MessageEvent::Error, queueId, std::nullopt,
            {{QStringLiteral("reason"),
              QStringLiteral(
                  "the client left before the authentication checks finished; the message was not queued")}});
        return;
    }
    if (Intake::refusedByDmarc(*pending.input.config, verdicts)) {
        const Reply reply = replies::dmarcRejected();
        pending.connection->reject(reply);
        const Transaction &tx = pending.input.message.transaction;
        QVariantMap f = verdicts.logFields();
        f.insert(QStringLiteral("client"), pending.result.message.meta.clientAddress);
        f.insert(QStringLiteral("from"), tx.nullSender ? QString() : tx.sender.toString());
        f.insert(QStringLiteral("reason"), QString::fromUtf8(reply.toWire().trimmed()));
        addEvent(MessageEvent::Refused, queueId, std::nullopt, f);
        return;
    }
    Intake::addVerdicts(pending.input, pending.result, verdicts);
    continueIntake(std::move(pending));
}

void RelayEngine::continueIntake(Pending pending)
{
    // rewrite.recipient_headers unsigned: a signed message whose To/Cc the
    // rules would change waits for its DKIM verdict (at most the time-out)
    // before it is spooled and acknowledged; everything else goes on now.
    if (Intake::awaitsSignatures(pending.input)) {
        awaitSignatures(std::move(pending));
        return;
    }
    completeIntake(std::move(pending), std::nullopt);
}

void RelayEngine::completeIntake(Pending pending, const std::optional<QList<SignatureOutcome>> &signatures)
{
    if (signatures && !pending.connection) {
        // The client left while the signatures were checked: it never got
        // 250 and will send again, so this copy must not be delivered.
        addEvent(
            MessageEvent::Error, pending.input.queueId, std::nullopt,
            {{QStringLiteral("reason"),
              QStringLiteral("the client left before the DKIM check finished; the message was not queued")}});
        return;
    }
    Intake::complete(pending.input, pending.result, signatures);
    m_commit->add(SpoolCommit::Item{pending.connection, std::move(pending.result)});
}

void RelayEngine::awaitSignatures(Pending pending)
{
    const quint64 key = ++m_awaitSerial;
    auto waiting = std::make_unique<Awaiting>();
    waiting->pending = std::move(pending);
    Awaiting &entry = *m_awaiting.emplace(key, std::move(waiting)).first->second;
    QTimer::singleShot(m_options.signatureCheckTimeoutMs, this, [this, key] {
        abandonSignatureWait(key,
                             QStringLiteral("no verdict within %1 s")
                                 .arg(QLocale::c().toString(m_options.signatureCheckTimeoutMs / 1000.0)));
    });
    if (m_signatureCheck) {
        const Transaction &tx = entry.pending.input.message.transaction;
        entry.checkId = m_signatureCheck->start(
            tx.data, tx.body, [this, key](const QList<SignatureOutcome> &s) { finishSignatureWait(key, s); });
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
    completeIntake(std::move(waiting->pending), signatures);
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
        signatures = m_signatureCheck->unverified(it->second->pending.input.message.transaction.data);
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

// ---------------------------------------------------------------- outbound

void RelayEngine::tick()
{
    if (!m_running)
        return;
    m_scheduler->tick();
    publishStatus();
}

// ---------------------------------------------------------------- holds

void RelayEngine::setHolds(const QList<DomainHold> &holds)
{
    if (!m_scheduler) {
        m_holdsBeforeStart = holds;
        return;
    }
    m_scheduler->setHolds(holds);
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
void RelayEngine::addRefusal(const QString &client, const QString &from, const QString &to,
                             const Reply &reply, quint64 session)
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
    s.queued = m_scheduler ? m_scheduler->queued() : 0;
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

} // namespace mailroute
