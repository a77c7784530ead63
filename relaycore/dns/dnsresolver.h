// Asynchronous DNS look-ups on libunbound that tell the answers apart
// (DnsAnswer: records, NODATA, NXDOMAIN, SERVFAIL or another RCODE, no answer
// within the time-out), with the records' TTLs. Used by the next-hop resolver
// (MX, A, AAAA) and the readiness checks (MX, A, AAAA, TXT); a DKIM verifier
// asks TXT of "sel._domainkey.example.com" the same way.
//
// One ub_ctx per resolver, in threaded mode (ub_ctx_async(ctx, 1)): unbound
// works in a background thread of its own and hands results back through a
// pipe, ub_fd(), which a QSocketNotifier watches, so every callback runs in
// the thread that owns this object (the engine thread in the relay, the GUI
// or main thread in the console and mailroutectl), from its event loop.
// Unbound keeps its own cache, positive and negative, by the records' TTLs;
// answers from it carry the remaining TTL.
//
// The name server: a forwarder "HOST[:PORT]" (unbound is told it may ask
// 127.x, which it refuses otherwise), else /etc/resolv.conf and /etc/hosts.
// No DNSSEC validation (no trust anchor; the iterator module only). Names
// under "test." (RFC 6761) are asked like any other, so a lab resolver can
// serve them.
#pragma once

#include "relaycore/dns/dnsanswer.h"
#include "relaycore/dns/nameserver.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

class QSocketNotifier;
class QTimer;
struct ub_ctx;
struct ub_result;

namespace mailroute {

class DnsResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DnsResolver)

public:
    struct Options
    {
        QString nameserver; // "HOST[:PORT]"; empty: the system's (/etc/resolv.conf, /etc/hosts)
        std::chrono::milliseconds timeout{10'000}; // per look-up, unless lookup() is given one
        int maxInFlight = 256;                     // look-ups handed to unbound at once; more wait their turn
    };
    using Callback = std::function<void(const DnsAnswer &)>;

    explicit DnsResolver(Options options, QObject *parent = nullptr);
    ~DnsResolver() override;

    const Options &options() const { return m_options; }
    // Why the resolver cannot work (bad name server, no libunbound context);
    // empty when it can. Every look-up then fails with this as LocalError.
    const QString &setupError() const { return m_setupError; }

    // Looks up (name, type). Calls `done` exactly once, from the event loop
    // (never from inside lookup()), and not at all if `context` is destroyed
    // first or the look-up is cancelled. `timeout` zero: options().timeout;
    // when it passes without an answer, the answer is a Failure of kind
    // NoAnswer. Returns an id for cancel().
    quint64 lookup(DnsType type, const QString &name, QObject *context, Callback done,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds::zero());
    void cancel(quint64 id);

    int pendingLookups() const { return int(m_tickets.size()); }
    // Look-ups handed to unbound so far (answered from its cache or not).
    quint64 lookupsStarted() const { return m_started; }

private:
    struct Ticket;
    static void unboundCallback(void *data, int err, ub_result *result);

    void ensureNotifier();
    void dispatch();
    void start(Ticket &t);
    void onResult(Ticket *t, int err, ub_result *result);
    void onTimeout(quint64 id);
    void processResults();
    void deliver(std::unique_ptr<Ticket> t, const DnsAnswer &answer);
    std::unique_ptr<Ticket> take(quint64 id);

    Options m_options;
    QString m_setupError;
    ub_ctx *m_ctx = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    std::unordered_map<quint64, std::unique_ptr<Ticket>> m_tickets; // every look-up not yet answered
    std::deque<quint64> m_waiting;                                  // not yet handed to unbound
    // Cancelled or timed out while unbound was already delivering: its
    // callback still comes and must find a live object (ub_cancel(3)).
    std::unordered_map<Ticket *, std::unique_ptr<Ticket>> m_orphans;
    std::deque<std::pair<quint64, DnsAnswer>> m_ready; // collected during ub_process()
    int m_inFlight = 0;
    quint64 m_nextId = 0;
    quint64 m_started = 0;
};

// The answer of unbound's result for `type` (exposed for tests of the record
// parsing). `packet`: the answer in wire format, for the negative TTL.
DnsAnswer dnsAnswerFromUnbound(DnsType type, int err, const ub_result *result);

} // namespace mailroute
