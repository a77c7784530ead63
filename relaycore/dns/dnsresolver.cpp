// DnsResolver: libunbound's asynchronous API driven from a Qt event loop.
// Runs in the thread that owns the object; unbound's own worker thread only
// talks to it through the context's pipe.
#include "relaycore/dns/dnsresolver.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <unbound.h>

#include <algorithm>
#include <optional>

namespace mailroute {

struct DnsResolver::Ticket
{
    DnsResolver *owner = nullptr;
    quint64 id = 0;
    DnsType type = DnsType::A;
    QByteArray name; // ASCII (A-labels)
    QPointer<QObject> context;
    Callback done;
    std::chrono::milliseconds timeout{0};
    QTimer *timer = nullptr;
    int asyncId = 0;
    bool started = false;  // handed to unbound
    bool answered = false; // unbound's callback came
};

namespace {

// RFC 1035 §4.1.4: a name in wire format; `end` moves past it (a compression
// pointer ends it). False when it runs off the buffer.
bool skipName(const uchar *p, int len, int &off)
{
    for (int labels = 0; off < len && labels < 128; ++labels) {
        const uchar l = p[off];
        if (l == 0) {
            ++off;
            return true;
        }
        if ((l & 0xC0) == 0xC0) {
            off += 2;
            return off <= len;
        }
        if ((l & 0xC0) != 0)
            return false;
        off += 1 + l;
    }
    return false;
}

quint16 u16(const uchar *p)
{
    return quint16((p[0] << 8) | p[1]);
}
quint32 u32(const uchar *p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | p[3];
}

// RFC 2308 §5: a negative answer may be kept for the smaller of the SOA's
// TTL and its MINIMUM field; without an SOA in the authority section it
// should not be kept at all.
std::optional<quint32> negativeTtl(const void *packet, int len)
{
    const auto *p = static_cast<const uchar *>(packet);
    if (!p || len < 12)
        return std::nullopt;
    const int qd = u16(p + 4);
    const int an = u16(p + 6);
    const int ns = u16(p + 8);
    int off = 12;
    for (int i = 0; i < qd; ++i) {
        if (!skipName(p, len, off) || off + 4 > len)
            return std::nullopt;
        off += 4;
    }
    for (int i = 0; i < an + ns; ++i) {
        if (!skipName(p, len, off) || off + 10 > len)
            return std::nullopt;
        const quint16 type = u16(p + off);
        const quint32 ttl = u32(p + off + 4);
        const int rdlen = u16(p + off + 8);
        off += 10;
        if (off + rdlen > len)
            return std::nullopt;
        if (i >= an && type == 6) { // SOA: MNAME, RNAME, then five 32-bit fields
            int r = off;
            if (!skipName(p, off + rdlen, r) || !skipName(p, off + rdlen, r) || r + 20 > off + rdlen)
                return std::nullopt;
            return std::min(ttl, u32(p + r + 16));
        }
        off += rdlen;
    }
    return std::nullopt;
}

// An uncompressed wire-format name (unbound hands rdata out decompressed):
// lower case, without the trailing dot; "" for the root.
std::optional<QString> wireName(const uchar *p, int len, int off)
{
    QStringList labels;
    while (off < len) {
        const int l = p[off];
        if (l == 0)
            return labels.join(QLatin1Char('.')).toLower();
        if (l > 63 || off + 1 + l > len)
            return std::nullopt;
        labels << QString::fromLatin1(reinterpret_cast<const char *>(p + off + 1), l);
        off += 1 + l;
    }
    return std::nullopt;
}

} // namespace

DnsAnswer dnsAnswerFromUnbound(DnsType type, int err, const ub_result *result)
{
    using O = DnsAnswer::Outcome;
    using F = DnsAnswer::FailureKind;
    if (err == UB_SERVFAIL)
        return DnsAnswer::makeFailure(F::ServerFailure,
                                      QStringLiteral("the resolver could not get an answer (%1)")
                                          .arg(QString::fromUtf8(ub_strerror(err))));
    if (err != 0 || !result)
        return DnsAnswer::makeFailure(
            F::LocalError, QStringLiteral("resolver error: %1").arg(QString::fromUtf8(ub_strerror(err))));
    const int rcode = result->rcode;
    if (rcode == 3) { // NXDOMAIN
        DnsAnswer a;
        a.outcome = O::NxDomain;
        a.failure = F::None;
        a.rcode = rcode;
        a.ttl = negativeTtl(result->answer_packet, result->answer_len).value_or(0);
        return a;
    }
    if (rcode == 2)
        // unbound also answers SERVFAIL when it gives up on a server that
        // does not answer before our own time-out ends the look-up.
        return DnsAnswer::makeFailure(
            F::ServerFailure, QStringLiteral("SERVFAIL (the name server failed or did not answer)"), rcode);
    if (rcode != 0)
        return DnsAnswer::makeFailure(
            F::OtherRcode, QStringLiteral("the name server answered %1").arg(dnsRcodeName(rcode)), rcode);
    DnsAnswer a;
    a.outcome = O::Records;
    a.failure = F::None;
    a.rcode = 0;
    const quint32 ttl = quint32(std::max(0, result->ttl));
    for (int i = 0; result->havedata && result->data && result->data[i]; ++i) {
        const auto *d = reinterpret_cast<const uchar *>(result->data[i]);
        const int n = result->len[i];
        switch (type) {
        case DnsType::A:
            if (n == 4)
                a.values << QHostAddress(u32(d)).toString();
            break;
        case DnsType::AAAA:
            if (n == 16)
                a.values << QHostAddress(d).toString();
            break;
        case DnsType::MX:
            if (n >= 3) {
                if (const auto host = wireName(d, n, 2)) {
                    a.values << *host; // "" for the null MX "." (RFC 7505)
                    a.preferences << u16(d);
                }
            }
            break;
        case DnsType::PTR:
            if (const auto host = wireName(d, n, 0); host && !host->isEmpty())
                a.values << *host;
            break;
        case DnsType::TXT: {
            QByteArray joined; // RFC 7208 §3.3: the character-strings of one record, concatenated
            int off = 0;
            bool ok = true;
            while (off < n) {
                const int l = d[off];
                if (off + 1 + l > n) {
                    ok = false;
                    break;
                }
                joined.append(reinterpret_cast<const char *>(d + off + 1), l);
                off += 1 + l;
            }
            if (ok)
                a.values << QString::fromUtf8(joined);
            break;
        }
        }
    }
    while (a.ttls.size() < a.values.size())
        a.ttls << ttl;
    if (a.values.isEmpty()) {
        a.outcome = O::NoRecords;
        a.ttl = negativeTtl(result->answer_packet, result->answer_len).value_or(0);
    } else {
        a.ttl = ttl;
    }
    return a;
}

DnsResolver::DnsResolver(Options options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_ctx = ub_ctx_create();
    if (!m_ctx) {
        m_setupError = QStringLiteral("could not create a libunbound context");
        return;
    }
    auto fail = [this](const QString &what, int err) {
        m_setupError = QStringLiteral("%1: %2").arg(what, QString::fromUtf8(ub_strerror(err)));
    };
    auto option = [this, &fail](const char *name, const char *value) {
        if (const int err = ub_ctx_set_option(m_ctx, name, value); err != 0 && m_setupError.isEmpty())
            fail(QStringLiteral("unbound option %1 %2").arg(QLatin1String(name), QLatin1String(value)), err);
    };
    // Threads, not a forked process: the relay's spool and sockets stay ours.
    if (const int err = ub_ctx_async(m_ctx, 1); err != 0)
        fail(QStringLiteral("unbound threads"), err);
    option("module-config:", "iterator");       // no DNSSEC validation, no trust anchor to keep
    option("do-not-query-localhost:", "no");    // a forwarder on 127.x, systemd-resolved's 127.0.0.53
    option("local-zone:", "test. transparent"); // RFC 6761 test names: asked, not answered NXDOMAIN locally
    option("num-queries-per-thread:", "1024");
    // A forwarder that drops one type of query (or answers SERVFAIL) is not
    // written off for the default 15 minutes: it is asked again, and what
    // it does not answer stays a per-query failure.
    option("infra-keep-probing:", "yes");
    option("infra-host-ttl:", "60");
    const QString ns = m_options.nameserver.trimmed();
    if (!ns.isEmpty()) {
        const Result<NameServer> server = NameServer::parse(ns);
        if (!server) {
            m_setupError = QStringLiteral("name server: %1").arg(server.error);
            return;
        }
        QByteArray fwd = server->toUnbound();
        if (const int err = ub_ctx_set_fwd(m_ctx, fwd.data()); err != 0)
            fail(QStringLiteral("name server %1").arg(server->toString()), err);
    } else {
        char resolvConf[] = "/etc/resolv.conf";
        char hosts[] = "/etc/hosts";
        // Without a readable resolv.conf unbound resolves from the root servers itself.
        ub_ctx_resolvconf(m_ctx, resolvConf);
        ub_ctx_hosts(m_ctx, hosts);
    }
}

DnsResolver::~DnsResolver()
{
    delete m_notifier; // before the pipe it watches goes
    m_notifier = nullptr;
    if (m_ctx)
        ub_ctx_delete(m_ctx); // outstanding queries are dropped without callbacks
    for (auto &[id, t] : m_tickets) {
        if (t->timer)
            t->timer->stop();
    }
}

void DnsResolver::ensureNotifier()
{
    if (m_notifier || !m_ctx)
        return;
    Q_ASSERT(QThread::currentThread() == thread());
    const int fd = ub_fd(m_ctx);
    if (fd < 0)
        return;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &DnsResolver::processResults);
}

quint64 DnsResolver::lookup(DnsType type, const QString &name, QObject *context, Callback done,
                            std::chrono::milliseconds timeout)
{
    auto ticket = std::make_unique<Ticket>();
    Ticket &t = *ticket;
    t.owner = this;
    t.id = ++m_nextId;
    t.type = type;
    t.context = context;
    t.done = std::move(done);
    t.timeout = timeout > std::chrono::milliseconds::zero() ? timeout : m_options.timeout;
    QString n = name.trimmed();
    while (n.endsWith(QLatin1Char('.')))
        n.chop(1);
    // ASCII as it is ("sel._domainkey.example.com" keeps its underscores,
    // which IDNA would refuse); a U-label name as its A-labels.
    const bool ascii = std::all_of(n.cbegin(), n.cend(), [](QChar c) { return c.unicode() < 0x80; });
    t.name = ascii ? n.toLatin1() : QUrl::toAce(n);
    const quint64 id = t.id;
    m_tickets.emplace(id, std::move(ticket));

    QString problem = m_setupError;
    if (problem.isEmpty() && (n.isEmpty() || t.name.size() > 253))
        problem = QStringLiteral("'%1' is not a domain name").arg(name);
    if (!problem.isEmpty()) {
        // From the event loop, as promised.
        QTimer::singleShot(0, this, [this, id, problem] {
            if (auto taken = take(id))
                deliver(std::move(taken),
                        DnsAnswer::makeFailure(DnsAnswer::FailureKind::LocalError, problem));
        });
        return id;
    }
    m_waiting.push_back(id);
    ensureNotifier();
    // Not from here: a callback may not run inside lookup(), and dispatch()
    // may answer a syntax error at once.
    QTimer::singleShot(0, this, &DnsResolver::dispatch);
    return id;
}

void DnsResolver::dispatch()
{
    while (m_inFlight < std::max(1, m_options.maxInFlight) && !m_waiting.empty()) {
        const quint64 id = m_waiting.front();
        m_waiting.pop_front();
        const auto it = m_tickets.find(id);
        if (it == m_tickets.end())
            continue;
        start(*it->second);
    }
}

void DnsResolver::start(Ticket &t)
{
    t.started = true;
    ++m_inFlight;
    ++m_started;
    const quint64 id = t.id;
    t.timer = new QTimer(this);
    t.timer->setSingleShot(true);
    connect(t.timer, &QTimer::timeout, this, [this, id] { onTimeout(id); });
    t.timer->start(t.timeout);
    const int err = ub_resolve_async(m_ctx, t.name.constData(), dnsTypeCode(t.type), 1 /* IN */, &t,
                                     &DnsResolver::unboundCallback, &t.asyncId);
    if (err != 0) {
        t.answered = true; // nothing to cancel
        const DnsAnswer answer = DnsAnswer::makeFailure(
            DnsAnswer::FailureKind::LocalError,
            QStringLiteral("cannot ask for %1: %2")
                .arg(QString::fromLatin1(t.name), QString::fromUtf8(ub_strerror(err))));
        QTimer::singleShot(0, this, [this, id, answer] {
            if (auto taken = take(id))
                deliver(std::move(taken), answer);
        });
    }
}

void DnsResolver::unboundCallback(void *data, int err, ub_result *result)
{
    auto *t = static_cast<Ticket *>(data);
    t->owner->onResult(t, err, result);
    ub_resolve_free(result);
}

void DnsResolver::onResult(Ticket *t, int err, ub_result *result)
{
    if (const auto orphan = m_orphans.find(t); orphan != m_orphans.end()) {
        m_orphans.erase(orphan); // timed out or cancelled meanwhile
        return;
    }
    t->answered = true;
    m_ready.emplace_back(t->id, dnsAnswerFromUnbound(t->type, err, result));
}

void DnsResolver::processResults()
{
    if (!m_ctx)
        return;
    ub_process(m_ctx); // runs unboundCallback() for every result in the pipe
    std::deque<std::pair<quint64, DnsAnswer>> ready;
    ready.swap(m_ready);
    const QPointer<DnsResolver> self(this);
    for (auto &[id, answer] : ready) {
        if (auto taken = take(id))
            deliver(std::move(taken), answer);
        if (!self)
            return; // a callback deleted the resolver
    }
    dispatch();
}

void DnsResolver::onTimeout(quint64 id)
{
    const auto it = m_tickets.find(id);
    if (it == m_tickets.end())
        return;
    const std::chrono::milliseconds timeout = it->second->timeout;
    const QString name = QString::fromLatin1(it->second->name);
    const DnsType type = it->second->type;
    if (auto taken = take(id)) {
        deliver(std::move(taken),
                DnsAnswer::makeFailure(DnsAnswer::FailureKind::NoAnswer,
                                       QStringLiteral("no answer to the %1 look-up of %2 within %3 ms")
                                           .arg(dnsTypeName(type), name)
                                           .arg(timeout.count())));
    }
    dispatch();
}

void DnsResolver::cancel(quint64 id)
{
    take(id);
    dispatch();
}

std::unique_ptr<DnsResolver::Ticket> DnsResolver::take(quint64 id)
{
    const auto it = m_tickets.find(id);
    if (it == m_tickets.end())
        return nullptr;
    std::unique_ptr<Ticket> t = std::move(it->second);
    m_tickets.erase(it);
    m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), id), m_waiting.end());
    if (t->timer) {
        t->timer->stop();
        t->timer->deleteLater();
        t->timer = nullptr;
    }
    if (t->started) {
        --m_inFlight;
        // Still with unbound unless its answer has come (onResult).
        if (!t->answered && m_ctx && ub_cancel(m_ctx, t->asyncId) != 0) {
            // Already on its way back: its callback will come and must find
            // the object it was given, which keeps no callback.
            auto caller = std::make_unique<Ticket>();
            caller->id = t->id;
            caller->context = t->context;
            caller->done = std::move(t->done);
            Ticket *key = t.get();
            m_orphans.emplace(key, std::move(t));
            return caller;
        }
    }
    return t;
}

void DnsResolver::deliver(std::unique_ptr<Ticket> t, const DnsAnswer &answer)
{
    if (t && t->done && t->context)
        t->done(answer);
}

} // namespace mailroute
