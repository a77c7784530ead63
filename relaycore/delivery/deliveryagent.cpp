// Delivery attempts, concurrency limits and connection reuse. Lives on the
// engine thread.
#include "relaycore/delivery/deliveryagent.h"

#include "relaycore/delivery/deliveryconnection.h"
#include "relaycore/delivery/smtpclientsession.h"

#include <utility>

namespace mailroute {

struct DeliveryAgent::Job
{
    quint64 id = 0;
    DeliveryRequest request;
    QList<RecipientResult> results; // parallel to request.recipients
    QList<bool> done;               // final for this attempt
    QList<int> sent;                // indexes of the recipients in the transaction in flight
    QString destination;            // concurrency key: request.destination, else the first hop
    int hopIndex = 0;
    bool retriedFresh = false; // a stale reused connection was already replaced once
    bool retriedPlain = false; // `may`: this hop was already retried without STARTTLS
    QString lastTried;
    QString lastAnswered;
};

DeliveryAgent::DeliveryAgent(Settings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{}

DeliveryAgent::~DeliveryAgent() = default;

void DeliveryAgent::setSettings(const Settings &settings)
{
    m_settings = settings;
    schedule();
}

void DeliveryAgent::deliver(DeliveryRequest request)
{
    auto job = std::make_unique<Job>();
    job->id = ++m_nextJobId;
    job->request = std::move(request);
    const qsizetype n = job->request.recipients.size();
    job->results.resize(n);
    job->done.fill(false, n);
    for (qsizetype i = 0; i < n; ++i) {
        RecipientResult &r = job->results[i];
        r.recipientId = job->request.recipientIds.value(i, 0);
        r.verdict = DeliveryVerdict::TemporaryFailure;
        r.reply = QStringLiteral("no next hop to deliver to");
        r.enhancedStatus = QStringLiteral("4.4.4"); // RFC 3463: unable to route
        r.cause = FailureCause::Local;
    }
    job->destination = !job->request.destination.isEmpty() ? job->request.destination
                       : job->request.hops.isEmpty()       ? QString()
                                                           : job->request.hops.first().connectionKey();
    const quint64 id = job->id;
    const QString destination = job->destination;
    const bool nothingToDo = n == 0 || job->request.hops.isEmpty();
    m_jobs.emplace(id, std::move(job));
    if (nothingToDo) {
        // Not started, so no slot to give back; the job just reports.
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                auto it = m_jobs.find(id);
                if (it == m_jobs.end())
                    return;
                const Job &j = *it->second;
                DeliveryResult result{j.request.messageId, QString(), j.results, j.request.queueId,
                                      j.request.destination};
                m_jobs.erase(it);
                ++m_stats.requestsFinished;
                emit finished(result);
            },
            Qt::QueuedConnection);
        return;
    }
    std::deque<quint64> &queue = m_queues[destination];
    if (queue.empty())
        m_heads.emplace(id, destination);
    queue.push_back(id);
    ++m_waitingCount;
    schedule();
}

void DeliveryAgent::schedule()
{
    if (m_scheduling) {
        m_rescheduleWanted = true;
        return;
    }
    m_scheduling = true;
    do {
        m_rescheduleWanted = false;
        const int perDestination = qMax(1, m_settings.concurrencyPerDestination);
        const int global = qMax(1, m_settings.globalConcurrency);
        for (auto it = m_heads.begin(); it != m_heads.end() && m_active < global;) {
            const QString destination = it->second;
            int &running = m_activePerDestination[destination];
            if (running >= perDestination) {
                ++it;
                continue;
            }
            std::deque<quint64> &queue = m_queues[destination];
            const quint64 id = queue.front();
            queue.pop_front();
            --m_waitingCount;
            it = m_heads.erase(it);
            if (queue.empty()) {
                m_queues.remove(destination);
            } else {
                // This destination's next job may be older than the next
                // destination's head: FIFO says it goes first.
                const auto next = m_heads.emplace(queue.front(), destination).first;
                if (it == m_heads.end() || next->first < it->first)
                    it = next;
            }
            ++running;
            ++m_active;
            startHop(*m_jobs.at(id), false);
        }
    } while (m_rescheduleWanted);
    m_scheduling = false;
}

void DeliveryAgent::startHop(Job &job, bool freshConnection, bool attemptTls)
{
    const NextHop &hop = job.request.hops.at(job.hopIndex);
    DeliveryRequest sub = job.request;
    sub.recipients.clear();
    sub.recipientIds.clear();
    job.sent.clear();
    for (qsizetype i = 0; i < job.request.recipients.size(); ++i) {
        if (job.done.at(i))
            continue;
        job.sent.append(int(i));
        sub.recipients.append(job.request.recipients.at(i));
        sub.recipientIds.append(job.request.recipientIds.value(i, 0));
    }
    DeliveryConnection *connection =
        freshConnection ? nullptr : takeIdle(DeliveryConnection::reuseKey(hop, job.request));
    if (connection)
        ++m_stats.reusedTransactions;
    else
        connection = openConnection(hop, attemptTls);
    job.lastTried = hop.toString();
    m_busy.insert(connection, job.id);
    connection->deliver(sub);
}

DeliveryConnection *DeliveryAgent::takeIdle(const QString &key)
{
    if (!m_settings.reuseConnections)
        return nullptr;
    // Most recently parked first: the older ones are left to time out.
    for (qsizetype i = m_idle.size() - 1; i >= 0; --i) {
        DeliveryConnection *c = m_idle.at(i);
        if (c->reuseKey() == key && c->isIdle()) {
            m_idle.removeAt(i);
            return c;
        }
    }
    return nullptr;
}

DeliveryConnection *DeliveryAgent::openConnection(const NextHop &hop, bool attemptTls)
{
    // Idle connections count against the global limit too: make room by
    // closing the oldest.
    while (!m_idle.isEmpty() && m_busy.size() + m_idle.size() >= qMax(1, m_settings.globalConcurrency))
        m_idle.takeFirst()->close();
    auto *c = new DeliveryConnection(hop,
                                     {m_settings.heloName, m_settings.timeouts, m_settings.idleTimeout,
                                      m_settings.caCertificates, attemptTls},
                                     this);
    connect(c, &DeliveryConnection::finished, this,
            [this, c](const SmtpClientOutcome &outcome) { onConnectionFinished(c, outcome); });
    connect(c, &DeliveryConnection::closed, this, [this, c] { onConnectionClosed(c); });
    connect(c, &DeliveryConnection::endOfDataSent, this, [this, c] {
        const auto busy = m_busy.constFind(c);
        if (busy == m_busy.constEnd())
            return;
        const auto job = m_jobs.find(busy.value());
        if (job == m_jobs.end())
            return;
        const Job &j = *job->second;
        QStringList recipients;
        for (int idx : j.sent)
            recipients << j.request.recipients.value(idx);
        emit endOfDataSent(j.request.messageId, j.request.queueId, recipients, c->hop().toString());
    });
    ++m_stats.connectionsOpened;
    return c;
}

void DeliveryAgent::onConnectionFinished(DeliveryConnection *connection, const SmtpClientOutcome &outcome)
{
    const auto busy = m_busy.find(connection);
    if (busy == m_busy.end())
        return;
    const quint64 jobId = busy.value();
    m_busy.erase(busy);
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    Job &job = *it->second;

    bool anyAnswered = false;
    bool anyDelivered = false;
    bool tooManyRecipients = false;
    for (qsizetype k = 0; k < job.sent.size() && k < outcome.recipients.size(); ++k) {
        const int idx = job.sent.at(k);
        RecipientResult r = outcome.recipients.at(k);
        r.recipientId = job.request.recipientIds.value(idx, 0);
        anyAnswered = anyAnswered || !r.nextHop.isEmpty();
        job.results[idx] = r;
        const bool moveOn =
            r.verdict == DeliveryVerdict::TemporaryFailure && outcome.retryElsewhere.value(k, false);
        if (!moveOn)
            job.done[idx] = true;
        anyDelivered = anyDelivered || r.verdict == DeliveryVerdict::Delivered;
        tooManyRecipients = tooManyRecipients || (moveOn && r.reply.startsWith(QLatin1String("452")));
    }
    if (anyAnswered)
        job.lastAnswered = job.lastTried;
    if (outcome.sessionError.isEmpty() || outcome.connectionReusable)
        ++m_stats.transactions;

    // The connection: park it for the next request to the same server, or let it go.
    // A plaintext retry (may, after a failed handshake) is not parked: the
    // next request tries STARTTLS again on a connection of its own.
    if (outcome.connectionReusable && m_settings.reuseConnections && connection->attemptsTls() &&
        connection->transactions() < qMax(1, m_settings.maxTransactionsPerConnection) &&
        connection->isIdle()) {
        m_idle.append(connection);
    } else {
        connection->close();
        // Its closed() may have come first (a failure closes the socket in
        // the same turn); then nobody else will delete it.
        if (connection->isClosed())
            connection->deleteLater();
    }

    if (m_aborting) {
        complete(jobId); // stopping: no other hop, no second try
        return;
    }
    if (outcome.staleConnection && !job.retriedFresh) {
        // The server dropped the parked connection; that says nothing about
        // the server, so try it once more on a new connection.
        job.retriedFresh = true;
        startHop(job, true);
        return;
    }
    if (outcome.tlsFallback && !job.retriedPlain) {
        // Policy may: the handshake failed before anything of the
        // transaction was sent; like Postfix, the same server once more in
        // plaintext on a new connection.
        job.retriedPlain = true;
        startHop(job, true, false);
        return;
    }
    if (tooManyRecipients && anyDelivered && outcome.connectionReusable) {
        // RFC 5321 §4.5.3.1.10: a server that takes fewer recipients per
        // transaction says 452; the rest go to the same server in the next
        // transaction right away (as Postfix does). Each round delivers at
        // least one recipient, so this ends.
        startHop(job, false);
        return;
    }
    if (job.done.contains(false) && job.hopIndex + 1 < job.request.hops.size()) {
        ++job.hopIndex;
        job.retriedFresh = false;
        job.retriedPlain = false;
        startHop(job, false);
        return;
    }
    complete(jobId);
}

void DeliveryAgent::onConnectionClosed(DeliveryConnection *connection)
{
    m_idle.removeAll(connection);
    // A busy connection still has its finished() queued; that handler
    // deletes it.
    if (!m_busy.contains(connection))
        connection->deleteLater();
}

void DeliveryAgent::complete(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    const Job &job = *it->second;
    DeliveryResult result;
    result.messageId = job.request.messageId;
    result.nextHop = job.lastAnswered.isEmpty() ? job.lastTried : job.lastAnswered;
    result.recipients = job.results;
    result.queueId = job.request.queueId;
    result.destination = job.request.destination;
    const QString destination = job.destination;
    m_jobs.erase(it);
    --m_active;
    if (--m_activePerDestination[destination] <= 0)
        m_activePerDestination.remove(destination);
    ++m_stats.requestsFinished;
    emit finished(result);
    schedule();
}

QList<qint64> DeliveryAgent::dropWaiting()
{
    QList<qint64> messages;
    for (auto q = m_queues.cbegin(); q != m_queues.cend(); ++q) {
        for (quint64 id : q.value()) {
            const auto it = m_jobs.find(id);
            if (it == m_jobs.end())
                continue;
            messages << it->second->request.messageId;
            m_jobs.erase(it);
        }
    }
    m_queues.clear();
    m_heads.clear();
    m_waitingCount = 0;
    return messages;
}

void DeliveryAgent::abortActive()
{
    m_aborting = true;
    const QList<DeliveryConnection *> busy = m_busy.keys();
    for (DeliveryConnection *c : busy)
        c->close();
}

void DeliveryAgent::closeIdleConnections()
{
    const QList<DeliveryConnection *> idle = std::exchange(m_idle, {});
    for (DeliveryConnection *c : idle)
        c->close();
}

} // namespace mailroute
