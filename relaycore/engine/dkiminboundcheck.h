// The relay's InboundSignatureCheck: DKIM (relaycore/dkim DkimVerifier)
// with key records (selector._domainkey.domain TXT) looked up through
// DnsResolver, whose libunbound cache keeps them for their TTL. Lives on the
// engine thread; the look-ups are asynchronous there, and the hashing and
// signature checks (a 35 MB body is a tenth of a second of SHA-256) run on
// QThreadPool::globalInstance(), so no other session waits for them.
#pragma once

#include "relaycore/dns/dnsanswer.h"
#include "relaycore/engine/inboundsignaturecheck.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <memory>

namespace mailroute {

class Clock;
class DnsResolver;

class DkimInboundCheck final : public QObject, public InboundSignatureCheck
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DkimInboundCheck)

public:
    struct Options
    {
        QString nameserver; // "HOST[:PORT]"; empty: the system's resolver
        // Per key look-up: no answer by then is a temporary error (the field
        // is kept). Shorter than the engine's wait, so that the log names DNS.
        std::chrono::milliseconds lookupTimeout{8000};
        const Clock *clock = nullptr; // x= expiry; nullptr: the system clock
    };

    explicit DkimInboundCheck(Options options, QObject *parent = nullptr);
    ~DkimInboundCheck() override;

    quint64 start(const QByteArray &message, const BodyFilePtr &body, Done done) override;
    void cancel(quint64 id) override;
    QList<SignatureOutcome> unverified(const QByteArray &message) const override;

    DnsResolver *resolver() const { return m_resolver; }

private:
    struct Check;
    struct Mailbox; // where a worker posts its result; closed by the destructor

    void lookedUp(quint64 id, const QString &keyName, const DnsAnswer &answer);
    void verifyOffThread(quint64 id);
    void verified(quint64 id, const QList<SignatureOutcome> &outcomes);

    Options m_options;
    DnsResolver *m_resolver;
    std::shared_ptr<Mailbox> m_mailbox;
    QHash<quint64, std::shared_ptr<Check>> m_checks;
    quint64 m_nextId = 0;
};

} // namespace mailroute
