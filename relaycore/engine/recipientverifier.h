// Recipient verification (docs/behaviour.md "Recipient verification"), as
// Postfix's reject_unverified_recipient: before an Inbound or Relay recipient
// is accepted at RCPT, the next hop of its rewritten address is asked whether
// it would take it — connect, EHLO, MAIL FROM:<> (relay.verify_sender), RCPT
// TO:<rewritten>, then RSET for the next probe or QUIT, never DATA. The
// probes run on their own DeliveryAgent (same next-hop resolver, TLS and time
// limits as delivery) with at most verify.concurrency of them per next hop,
// reusing connections; concurrent questions about one address share one
// probe; definite verdicts are cached (VerifyCache). Asynchronous: the
// engine thread never waits. Lives on the engine thread (or the console's /
// mailroutectl's for an on-demand probe); not thread-safe.
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/engine/verifycache.h"
#include "relaycore/smtp/smtpreply.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace mailroute {

class DeliveryAgent;
class NextHopResolver;
struct RelayConfig;

// The probes' time limits: shorter than delivery's, a client waits for the
// RCPT reply (10 s to connect, 30 s per reply, 10 s for RSET and QUIT).
DeliveryTimeouts defaultVerifyTimeouts();

struct VerifyOutcome
{
    enum class Verdict {
        Accepted,  // the target took the RCPT (250)
        Refused,   // the target refused it permanently (5xx at RCPT)
        Unknown,   // no verdict: time-out, 4xx, connection refused, DNS failure
        Unchecked, // not asked (smart host with SMTP AUTH): accepted as without verification
    };
    Verdict verdict = Verdict::Unknown;
    QString address;     // the rewritten address asked about
    QString targetReply; // what the target said, or why there is no verdict
    QString nextHop;     // the server that answered; empty if none did
    bool cached = false; // from the cache, no probe made

    // "accepted", "refused", "unknown", "unchecked": for logs and mailroutectl.
    QString verdictName() const;
    // The RCPT reply for `recipient` (the address as the client wrote it):
    // 250 2.1.5, 550 5.1.1 with the target's text, or 450 4.1.1.
    Reply clientReply(const QString &recipient) const;
};

class RecipientVerifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecipientVerifier)

public:
    struct Settings
    {
        QString heloName;
        QString sender;      // relay.verify_sender; empty: <>
        int concurrency = 2; // verify.concurrency: probes per next hop at once
        std::chrono::seconds positiveTtl{7 * 86400};
        std::chrono::seconds negativeTtl{3 * 3600};
        // Probes wait less than deliveries: a client waits for the RCPT reply.
        DeliveryTimeouts timeouts = defaultVerifyTimeouts();
        std::chrono::milliseconds idleTimeout{5'000}; // an idle probe connection is closed (QUIT) after this
        // Probes per connection before a fresh one. Large: a connection that
        // is replaced overlaps with its successor while its QUIT is answered,
        // and the target would see one connection more than `concurrency`.
        // A target that wants fewer closes it (Postfix: smtpd_hard_error_limit),
        // and the next probe takes a fresh connection.
        int probesPerConnection = 1'000'000;
        // TLS as delivery applies it (RelayEngine::tlsPolicyFor).
        TlsPolicy defaultTls = TlsPolicy::May;
        TlsPolicy smarthostTls = TlsPolicy::May;
        QHash<QString, TlsPolicy> routeTls;
        QList<QSslCertificate> caCertificates;
        // The smart host wants SMTP AUTH: recipients routed through it are not
        // probed (Unchecked) — a probe without credentials would be refused.
        bool smarthostNeedsAuth = false;

        // From a relay configuration (the cache times, concurrency, sender, TLS).
        static Settings fromConfig(const RelayConfig &config);
    };
    struct Stats
    {
        quint64 probes = 0; // probes started (one per address not in the cache)
        quint64 cacheHits = 0;
        quint64 shared = 0; // questions that joined a probe already in flight
    };
    using Callback = std::function<void(const VerifyOutcome &)>;

    // `resolver` is not owned (the engine's, so DNS is cached once); null:
    // the verifier makes its own.
    explicit RecipientVerifier(NextHopResolver *resolver, QObject *parent = nullptr);
    ~RecipientVerifier() override;

    void setSettings(const Settings &settings);
    const Settings &settings() const { return m_settings; }
    VerifyCache &cache() { return m_cache; }
    NextHopResolver *resolver() const { return m_resolver; }
    Stats stats() const { return m_stats; }
    // Wall-clock milliseconds since the epoch (the cache outlives the process);
    // tests replace it to expire entries.
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }

    // Asks about `address` (the rewritten recipient). `done` is called exactly
    // once, never from inside verify(), and not at all if `context` is
    // destroyed first. `useCache` false: always a fresh probe whose verdict
    // is not stored (the address tester, mailroutectl verify, readiness).
    void verify(const QString &address, QObject *context, Callback done, bool useCache = true);

    // QUIT every idle probe connection.
    void closeIdleConnections();

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback done;
    };
    struct Probe
    {
        QString address;
        bool store = true;
        std::vector<Waiter> waiters;
    };
    void onLookup(quint64 id, const NextHopLookup &lookup);
    void onDelivered(const DeliveryResult &result);
    void finish(quint64 id, VerifyOutcome outcome);
    TlsPolicy tlsPolicyFor(const NextHopLookup &lookup) const;

    Settings m_settings;
    NextHopResolver *m_resolver;
    DeliveryAgent *m_agent;
    VerifyCache m_cache;
    std::function<qint64()> m_now;
    Stats m_stats;
    quint64 m_serial = 0;
    std::map<quint64, Probe> m_probes;  // by probe id (DeliveryRequest::messageId)
    QHash<QString, quint64> m_inFlight; // cache key -> probe id (cached probes only)
};

} // namespace mailroute
