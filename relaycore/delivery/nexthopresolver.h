// Finds the next hops for a recipient domain
// (docs/behaviour.md "Next hops and DNS"): the route configured for the domain, else
// the smart host, else DNS — MX records by preference (RFC 5321 §5.1), the implicit
// MX, null MX (RFC 7505) — each host resolved to its addresses. Asynchronous
// (DnsResolver, libunbound), with a bounded cache that honours the records' TTLs.
// Lives on the relay's engine thread (its DnsResolver, created on the first look-up,
// too).
//
// DNS outcomes (README, "The relay", next hop): an MX look-up without an
// answer or with SERVFAIL defers (4.4.3) — never the implicit MX, which RFC
// 5321 §5.1 allows only when the domain has no MX records (NODATA);
// NXDOMAIN bounces (5.1.2); a null MX bounces (5.1.10, RFC 7505). The A/AAAA
// look-ups of the hosts likewise: one that timed out is a temporary failure,
// not "no address".
//
// Next-hop syntax, as Postfix's transport and relayhost:
//   "mx.example.com" / "example.com:2525"  MX look-up of that name, then its
//                                          A/AAAA (implicit MX); port for every host
//   "[mx.example.com]:2525"                 A/AAAA of that host only, no MX look-up
//   "192.0.2.1:25", "[192.0.2.1]:2526",
//   "[2001:db8::1]:25"                      that address, no DNS at all
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/dns/dnsanswer.h"
#include "relaycore/routing/result.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

class QRandomGenerator;

namespace mailroute {

class DnsResolver;

class NextHopResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NextHopResolver)

public:
    struct Settings
    {
        QHash<QString, QString> routes; // normalised domain -> next hop (ConfigData::routes)
        QString smarthost;              // delivery.smarthost; empty: DNS
        // The DNS server to ask, "HOST[:PORT]" (NameServer); empty: the
        // system's resolver configuration (/etc/resolv.conf, /etc/hosts).
        QString nameserver;
        // The whole look-up of one destination (MX, then the hosts'
        // addresses); each DNS query gets what is left of it.
        std::chrono::milliseconds timeout{30'000};
        int maxAddresses = 10; // hops per destination (Postfix: smtp_mx_address_limit)
        int cacheEntries = 10'000;
        std::chrono::seconds maxTtl{3'600};
        std::chrono::seconds negativeTtl{60}; // how long "no such domain" / null MX is remembered
    };

    // A parsed next-hop text (see the syntax above).
    struct HopSpec
    {
        QString host; // normalised host name, or the address for a literal
        quint16 port = 25;
        bool mxLookup = true;
        bool literal = false; // an IP address: no DNS
    };
    static Result<HopSpec> parseHopSpec(QStringView text);

    // RFC 5321 §5.1: lowest preference first; hosts of equal preference in
    // random order, so their load is shared. Duplicate names keep their first
    // (best) place.
    static QList<std::pair<int, QString>> orderExchangers(QList<std::pair<int, QString>> exchangers,
                                                          QRandomGenerator *random);

    using Callback = std::function<void(const NextHopLookup &)>;

    explicit NextHopResolver(Settings settings, QObject *parent = nullptr);
    ~NextHopResolver() override;

    // New routes, smart host or name server; forgets the cache. Look-ups in
    // flight finish with the settings they started with.
    void setSettings(Settings settings);
    const Settings &settings() const { return m_settings; }

    // Calls `done` exactly once (never from inside resolve(), and not at all
    // if `context` is destroyed first). Concurrent requests for the same
    // destination share one DNS look-up.
    void resolve(const QString &domain, QObject *context, Callback done);

    int cachedEntries() const { return int(m_cache.size()); }
    // The DNS resolver of the current settings (created on first use, in
    // this object's thread), to share with other users on the engine thread.
    std::shared_ptr<DnsResolver> dnsResolver();
    void clearCache() { m_cache.clear(); }
    // Milliseconds on a monotonic clock; tests replace it to expire entries.
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }

private:
    struct Waiter
    {
        QString domain;
        QPointer<QObject> context;
        Callback done;
    };
    struct Host
    {
        int preference = 0;
        QString name;
        QStringList v4;
        QStringList v6;
        int pending = 0;
        int notFound = 0; // NXDOMAIN answers for its A/AAAA
        int noData = 0;   // NODATA answers for its A/AAAA
        QString failure;  // a look-up that failed (no answer, SERVFAIL): why
    };
    struct Pending;
    struct CacheEntry
    {
        NextHopLookup lookup;
        qint64 expires = 0;
    };

    void startMx(Pending &p);
    void startAddresses(Pending &p);
    void onMx(const QString &key, const DnsAnswer &answer);
    void onAddress(const QString &key, const DnsAnswer &answer, int host, bool v6);
    void ask(Pending &p, DnsType type, const QString &name, std::function<void(const DnsAnswer &)> then);
    void finish(const QString &key, NextHopLookup result, qint64 ttlSeconds);
    void finishAddresses(const QString &key);
    void fail(const QString &key, LookupStatus status, const QString &why, const QString &enhanced);
    void deliverLater(Waiter waiter, NextHopLookup lookup);
    void store(const QString &key, const NextHopLookup &lookup, qint64 ttlSeconds);

    Settings m_settings;
    std::shared_ptr<DnsResolver> m_dns; // for m_settings.nameserver; look-ups in flight keep theirs
    std::function<qint64()> m_now;
    std::map<QString, std::unique_ptr<Pending>> m_pending; // by destination
    QHash<QString, CacheEntry> m_cache;                    // by destination
};

} // namespace mailroute
