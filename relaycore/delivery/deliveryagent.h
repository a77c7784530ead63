// The relay's outbound side: runs DeliveryRequests against their next hops
// (docs/behaviour.md "Next hops and DNS"), within a concurrency limit per
// destination and a global one, reusing idle connections to the same server.
// Scheduling of retries is not here
// (docs/architecture.md "Scheduling and delivery"): the agent makes one attempt
// per request and reports what happened. Lives on the relay's engine thread;
// not thread-safe.
#pragma once

#include "relaycore/delivery/deliverytypes.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>

#include <chrono>
#include <deque>
#include <map>
#include <memory>

namespace mailroute {

class DeliveryConnection;
struct SmtpClientOutcome;

class DeliveryAgent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryAgent)

public:
    struct Settings
    {
        QString heloName;                   // relay.hostname
        int concurrencyPerDestination = 10; // delivery.concurrency_per_destination
        int globalConcurrency = 100;        // transactions (and connections) at once, all destinations
        DeliveryTimeouts timeouts;
        bool reuseConnections = true;
        std::chrono::milliseconds idleTimeout{5'000}; // an unused connection is closed after this
        int maxTransactionsPerConnection =
            100; // then a fresh connection (spreads load, bounds a bad session)
        // Extra CAs for the `verify` TLS policy (delivery.tls_ca_file).
        QList<QSslCertificate> caCertificates = {};
    };

    // What the agent has done so far; the console's status and the reuse
    // measurements read it.
    struct Stats
    {
        quint64 connectionsOpened = 0;
        quint64 transactions = 0;       // finished SMTP transactions, connection failures excluded
        quint64 reusedTransactions = 0; // of which on a connection that had carried one before
        quint64 requestsFinished = 0;
    };

    explicit DeliveryAgent(Settings settings, QObject *parent = nullptr);
    ~DeliveryAgent() override;

    // New limits apply to the next scheduling decision; open connections keep
    // their time limits.
    void setSettings(const Settings &settings);
    const Settings &settings() const { return m_settings; }

    // Queues one request (FIFO; a request whose destination is at its limit
    // lets later ones for other destinations pass). Every call ends in exactly
    // one finished(), never emitted from inside deliver(). The hops are tried
    // in order: a refused or dropped connection, a timeout, a 4xx/5xx
    // greeting or a 4xx for a recipient moves that recipient on to the next
    // hop (as Postfix does with MX hosts); when every hop failed the
    // recipients are TemporaryFailure with the last reason.
    void deliver(DeliveryRequest request);

    int activeCount() const { return m_active; }
    int waitingCount() const { return m_waitingCount; }
    int idleConnections() const { return int(m_idle.size()); }
    Stats stats() const { return m_stats; }
    // QUIT every idle connection (shutdown, or a new configuration generation).
    void closeIdleConnections();
    // Stopping: forgets every request still waiting for a slot (no finished()
    // for them: nothing was attempted) and returns their messages' ids.
    QList<qint64> dropWaiting();
    // Stopping, out of time: drops every connection in a transaction; each
    // request still gets its finished(), a temporary failure.
    void abortActive();

signals:
    void finished(const mailroute::DeliveryResult &result);
    // A transaction of this request sent its final dot to `hop`; finished()
    // follows with what the server answered (or did not).
    void endOfDataSent(qint64 messageId, const QString &queueId, const QStringList &recipients,
                       const QString &hop);

private:
    struct Job;

    void schedule();
    void startHop(Job &job, bool freshConnection, bool attemptTls = true);
    void onConnectionFinished(DeliveryConnection *connection, const SmtpClientOutcome &outcome);
    void onConnectionClosed(DeliveryConnection *connection);
    DeliveryConnection *takeIdle(const QString &key);
    DeliveryConnection *openConnection(const NextHop &hop, bool attemptTls);
    void complete(quint64 jobId);

    Settings m_settings;
    Stats m_stats;
    quint64 m_nextJobId = 0;
    std::map<quint64, std::unique_ptr<Job>> m_jobs;
    // Waiting jobs, FIFO per destination, and the destinations in the order
    // of their oldest waiting job: scheduling looks at destinations, not at
    // every waiting job (thousands may wait for one busy next hop).
    QHash<QString, std::deque<quint64>> m_queues;
    std::map<quint64, QString> m_heads; // id of a destination's first waiting job -> destination
    int m_waitingCount = 0;
    QHash<DeliveryConnection *, quint64> m_busy; // connection -> job it carries
    QList<DeliveryConnection *> m_idle;          // parked, oldest first
    QHash<QString, int> m_activePerDestination;
    int m_active = 0;
    bool m_scheduling = false;
    bool m_rescheduleWanted = false;
    bool m_aborting = false; // abortActive(): finish every job as it stands
};

} // namespace mailroute
