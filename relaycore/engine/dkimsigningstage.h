// The relay's last step before bytes leave: DKIM signing (RFC 6376,
// docs/behaviour.md "Mail authentication"). Lives on the engine thread;
// the RSA/Ed25519 work runs on a small thread pool of its own, so the engine
// thread stays responsive while large batches are signed.
//
// What is signed, with the active key of which domain:
// - mail whose client was in outbound.allowed_clients when it arrived
//   (QueuedMessage::outboundClient; for messages an older spool holds, the
//   client address against the current list), with the key of the domain
//   of its From: field as it leaves (after the Outbound rules);
// - the relay's own messages (DSNs), with the key of relay.hostname itself,
//   else of its parent domain.
// Anything else leaves as it is. A message that should be signed but cannot
// be (key file unreadable, wrong key) is never sent unsigned: the outcome is
// Failed and the engine defers it with the reason.
#pragma once

#include "relaycore/dkim/dkimsigningkey.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/queue/queuedmessage.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <optional>

namespace mailroute {

class DkimSigningStage final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DkimSigningStage)

public:
    struct Outcome
    {
        enum class Kind { NotSigned, Signed, Failed };
        Kind kind = Kind::NotSigned;
        QByteArray data;            // the bytes to send: signed, or as they were (NotSigned)
        QString domain;             // d=
        QString selector;           // s=
        QString error;              // Failed: why, starting with an enhanced status code
        BodyFilePtr body = nullptr; // a large message's body file, sent after data; null when data is whole

        // dkim=signed d=... s=... for the message log.
        QVariantMap logFields() const;
    };
    using Done = std::function<void(const Outcome &)>;

    explicit DkimSigningStage(QObject *parent = nullptr);
    ~DkimSigningStage() override;

    // The key that must sign this message, if any (see above). Pure.
    static std::optional<DkimKey> keyFor(const QueuedMessage &meta, const QByteArray &data,
                                         const RelayConfig &config);

    // Signs `data` if a key applies and calls `done` on this object's thread:
    // at once when nothing is to be signed, else from the event loop once a
    // worker has signed (or failed). `now` is t= (seconds since the epoch).
    void prepare(const QueuedMessage &meta, const QByteArray &data,
                 const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done);
    // The same for a large message, `data` its header section and `body`
    // the rest: the worker hashes the body from its file in chunks
    // (DkimBodyHasher) and the outcome holds the signed header section and
    // the same body; never the whole message in memory.
    void prepare(const QueuedMessage &meta, const QByteArray &data, const BodyFilePtr &body,
                 const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done);

    // The last signature made for a message (for its "delivered" events);
    // forget() when the message leaves the queue.
    QVariantMap lastSignature(qint64 messageId) const { return m_lastSigned.value(messageId); }
    void forget(qint64 messageId) { m_lastSigned.remove(messageId); }

    // Signings handed to the pool and not finished yet.
    int inFlight() const { return m_inFlight; }

private:
    struct KeyCache;

    std::shared_ptr<KeyCache> m_keys;
    qint64 m_keysGeneration = -1;
    QHash<qint64, QVariantMap> m_lastSigned;
    int m_inFlight = 0;
    QThreadPool m_pool;
};

} // namespace mailroute
