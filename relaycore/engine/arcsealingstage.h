// ARC sealing at delivery (RFC 8617; docs/behaviour.md "Mail
// authentication"): the step right after DKIM signing
// (dkimsigningstage.h), so the seal is the last change to the message.
// Lives on the engine thread; key look-ups go through its own DnsResolver
// (asynchronous, cached by TTL), and the hashing, verifying and signing run
// on a small thread pool of its own, never on the engine thread.
//
// Which messages are sealed (wanted()):
// - none while arc.domain is empty or has no active DKIM key, or arc.seal
//   is off, and never the relay's own messages (DSNs: signed with DKIM);
// - arc.seal = modified (the default): those whose header fields the relay
//   rewrote at intake (QueuedMessage::headersRewritten, kept in the spool);
// - arc.seal = always: every message.
//
// cv= is the verdict on the chain as the message arrived: receivedAt()
// starts validating the bytes the client sent (before any rewriting) when
// they carry ARC fields, and the seal waits for that verdict. A message the
// engine loaded from the spool after a restart has no such verdict; its
// stored bytes are validated instead (where the relay rewrote a field the
// previous hop signed, that chain then reads as fail).
//
// A sealing key that cannot be loaded defers the message (4.3.5), as for
// DKIM; a message that cannot be sealed (a chain already at 50 sets) leaves
// unsealed, and the event says why.
#pragma once

#include "relaycore/arc/arcchain.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/queue/queuedmessage.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QVariantMap>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace mailroute {

class DnsResolver;

class ArcSealingStage final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArcSealingStage)

public:
    struct Options
    {
        QString nameserver; // "HOST[:PORT]"; empty: the system's resolver
        std::chrono::milliseconds lookupTimeout{8000};
    };

    struct Outcome
    {
        enum class Kind { NotSealed, Sealed, Failed };
        Kind kind = Kind::NotSealed;
        QByteArray data; // the bytes to send: sealed, or as they were
        ArcChainStatus cv = ArcChainStatus::None;
        QString chainReason; // why the incoming chain failed
        int instance = 0;    // i= of the new set
        QString domain;
        QString selector;
        QString error; // Failed: with an enhanced status code; NotSealed: why, when it should have been
        BodyFilePtr body = nullptr; // a large message's body file, sent after data; null when data is whole

        // arc=sealed i= cv= d= s= for the message log.
        QVariantMap logFields() const;
    };
    using Done = std::function<void(const Outcome &)>;

    explicit ArcSealingStage(Options options, QObject *parent = nullptr);
    ~ArcSealingStage() override;

    // Whether this message gets a seal under `config` (see above). Pure.
    static bool wanted(const QueuedMessage &meta, const RelayConfig &config);
    // The sealing key: arc.domain's active DKIM key, if any. Pure.
    static std::optional<DkimKey> sealingKey(const RelayConfig &config);

    // At intake, with the bytes as the client sent them: starts validating
    // their ARC chain when sealing is configured and they have ARC fields.
    // `body`: a large message's body file after `received` (its header
    // section), hashed in chunks on the pool.
    void receivedAt(const QString &queueId, const QByteArray &received, const RelayConfig &config, qint64 now,
                    const BodyFilePtr &body = nullptr);

    // Seals `data` if wanted() and calls `done` on this object's thread (at
    // once when nothing is to be sealed). `now` is t=.
    void prepare(const QueuedMessage &meta, const QByteArray &data,
                 const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done);
    // The same for a large message (`data` its header section, `body` the
    // rest): the seal covers the header section, the body is hashed from its
    // file in chunks and passes on as it is, also when a message loaded from
    // the spool with ARC fields has its chain validated.
    void prepare(const QueuedMessage &meta, const QByteArray &data, const BodyFilePtr &body,
                 const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done);

    // The verdict on the chain as it arrived, once known.
    std::optional<ArcValidation> arrivalVerdict(const QString &queueId) const;
    void forget(const QString &queueId);

    // Validations and seals not finished yet.
    int inFlight() const { return m_inFlight; }

private:
    struct KeyCache;
    struct Verdict
    {
        std::optional<ArcValidation> result;
        QList<std::function<void(const ArcValidation &)>> waiting;
    };

    // The chain's verdict; a set in which someone else claims the relay's
    // authserv-id (ArcChain::foreignClaims) makes it fail.
    void validate(const QByteArray &message, const BodyFilePtr &body, qint64 now, const QString &authservId,
                  const QString &ownDomain, std::function<void(const ArcValidation &)> done);
    void seal(const QueuedMessage &meta, const QByteArray &data, const BodyFilePtr &body, const DkimKey &key,
              const std::shared_ptr<const RelayConfig> &config, const ArcValidation &verdict, qint64 now,
              Done done);

    Options m_options;
    DnsResolver *m_resolver;
    std::shared_ptr<KeyCache> m_keys;
    qint64 m_keysGeneration = -1;
    QHash<QString, std::shared_ptr<Verdict>> m_verdicts; // by queue id
    int m_inFlight = 0;
    QThreadPool m_pool;
};

} // namespace mailroute
