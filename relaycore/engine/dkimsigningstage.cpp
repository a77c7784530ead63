#include "relaycore/engine/dkimsigningstage.h"

#include "relaycore/dkim/dkimbodyhasher.h"
#include "relaycore/dkim/dkimsigner.h"
#include "relaycore/message/headerrewriter.h"
#include "relaycore/smtp/relaypolicy.h"

#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QThread>

namespace mailroute {

// Loaded keys by file and algorithm, shared with the workers. A failure is
// not cached: a key file the admin fixes is read again at the next attempt.
// A push (new generation) empties it, so a replaced file is read again.
struct DkimSigningStage::KeyCache
{
    QMutex mutex;
    QHash<QString, DkimSigningKey> keys;

    Result<DkimSigningKey> load(const DkimKey &key)
    {
        const QString id = key.keyFile + QLatin1Char('|') + dkimAlgorithmName(key.algorithm);
        {
            QMutexLocker lock(&mutex);
            const auto it = keys.constFind(id);
            if (it != keys.constEnd())
                return Result<DkimSigningKey>::success(*it);
        }
        Result<DkimSigningKey> loaded = DkimSigningKey::load(key.keyFile, key.algorithm);
        if (!loaded)
            return loaded;
        // A key that does not match its published record would make every
        // signature fail at the receiver: as bad as no key.
        if (!key.publicKey.isEmpty() && loaded->publicKey() != key.publicKey)
            return Result<DkimSigningKey>::failure(
                QStringLiteral("the key file %1 does not match the key's published record (p=)")
                    .arg(key.keyFile));
        QMutexLocker lock(&mutex);
        keys.insert(id, *loaded);
        return loaded;
    }
};

namespace {

// The domain of the first mailbox in the first From: field, as the
// header rewriter reads addresses (RFC 5322 §3.4, obsolete forms included).
std::optional<QString> fromDomain(const QByteArray &data)
{
    std::optional<QString> domain;
    const HeaderRewriter reader({QByteArrayLiteral("From")},
                                [&domain](const MailAddress &a) -> std::optional<QString> {
                                    if (!domain)
                                        domain = a.domain;
                                    return std::nullopt;
                                });
    reader.rewrite(data);
    return domain;
}

bool allowListed(const QueuedMessage &meta, const RelayConfig &config)
{
    if (meta.outboundClient)
        return *meta.outboundClient;
    // Spooled before the spool recorded it: the client against today's list.
    if (meta.clientAddress.isEmpty())
        return false;
    RelayPolicyConfig pc;
    pc.allowedClients = config.allowedClients;
    return RelayPolicy(nullptr, pc).isAllowedClient(QHostAddress(meta.clientAddress));
}

} // namespace

QVariantMap DkimSigningStage::Outcome::logFields() const
{
    if (kind != Kind::Signed)
        return {};
    return {{QStringLiteral("dkim"), QStringLiteral("signed")},
            {QStringLiteral("d"), domain},
            {QStringLiteral("s"), selector}};
}

DkimSigningStage::DkimSigningStage(QObject *parent) : QObject(parent), m_keys(std::make_shared<KeyCache>())
{
    m_pool.setMaxThreadCount(qMax(1, QThread::idealThreadCount()));
}

DkimSigningStage::~DkimSigningStage()
{
    // Workers post their results to this object: let them finish first.
    m_pool.waitForDone();
}

std::optional<DkimKey> DkimSigningStage::keyFor(const QueuedMessage &meta, const QByteArray &data,
                                                const RelayConfig &config)
{
    if (config.dkimSigningKeys.isEmpty())
        return std::nullopt;
    if (meta.isDsn) {
        // The relay's own messages: its host name's key, else its parent domain's.
        const QString host = config.hostName.toLower();
        if (config.dkimSigningKeys.contains(host))
            return config.dkimSigningKeys.value(host);
        const qsizetype dot = host.indexOf(QLatin1Char('.'));
        const QString parent = dot < 0 ? QString() : host.mid(dot + 1);
        if (parent.contains(QLatin1Char('.')) && config.dkimSigningKeys.contains(parent))
            return config.dkimSigningKeys.value(parent);
        return std::nullopt;
    }
    if (!allowListed(meta, config))
        return std::nullopt;
    const std::optional<QString> domain = fromDomain(data);
    if (!domain || !config.dkimSigningKeys.contains(*domain))
        return std::nullopt;
    return config.dkimSigningKeys.value(*domain);
}

namespace {

// `data` signed; for a large message (`body` set, `data` its header section)
// the body hash is taken over the file in chunks and only the header section
// gets the signature field: the body is never whole in memory.
Result<QByteArray> signLarge(const QByteArray &data, const BodyFilePtr &body,
                             const DkimSigningKey &signingKey, const DkimKey &key, qint64 now)
{
    if (!body)
        return DkimSigner::sign(data, signingKey, key.domain, key.selector, now);
    DkimBodyHasher hasher(DkimCanonicalization::Relaxed);
    if (!body->forEachChunk([&hasher](const char *s, qsizetype n) {
            hasher.add(QByteArrayView(s, n));
            return true;
        }))
        return Result<QByteArray>::failure(
            QStringLiteral("cannot read the message body from %1").arg(body->path()));
    Result<QByteArray> field =
        DkimSigner::signatureField(data, hasher.finish(), signingKey, key.domain, key.selector, now);
    if (!field)
        return field;
    return Result<QByteArray>::success(*field + data);
}

} // namespace

void DkimSigningStage::prepare(const QueuedMessage &meta, const QByteArray &data,
                               const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done)
{
    prepare(meta, data, nullptr, config, now, std::move(done));
}

void DkimSigningStage::prepare(const QueuedMessage &meta, const QByteArray &data, const BodyFilePtr &body,
                               const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done)
{
    const std::optional<DkimKey> key = config ? keyFor(meta, data, *config) : std::nullopt;
    if (!key) {
        m_lastSigned.remove(meta.id);
        Outcome o;
        o.data = data;
        o.body = body;
        done(o);
        return;
    }
    if (config->generation != m_keysGeneration) {
        m_keys = std::make_shared<KeyCache>();
        m_keysGeneration = config->generation;
    }
    ++m_inFlight;
    const qint64 messageId = meta.id;
    QPointer<DkimSigningStage> self(this);
    m_pool.start([self, keys = m_keys, key = *key, data, body, now, messageId, done = std::move(done)] {
        Outcome o;
        o.domain = key.domain;
        o.selector = key.selector;
        const Result<DkimSigningKey> signingKey = keys->load(key);
        if (!signingKey) {
            o.kind = Outcome::Kind::Failed;
            o.error = QStringLiteral("4.3.5 DKIM signing with %1 (selector %2) is not possible: %3")
                          .arg(key.domain, key.selector, signingKey.error);
        } else {
            const Result<QByteArray> signedData = signLarge(data, body, *signingKey, key, now);
            if (signedData) {
                o.kind = Outcome::Kind::Signed;
                o.data = *signedData;
                o.body = body;
            } else {
                o.kind = Outcome::Kind::Failed;
                o.error = QStringLiteral("4.3.0 DKIM signing with %1 (selector %2) failed: %3")
                              .arg(key.domain, key.selector, signedData.error);
            }
        }
        // Back to the engine thread. `self` cannot be deleted under us: its
        // destructor waits for this pool.
        QMetaObject::invokeMethod(
            self.data(),
            [self, o = std::move(o), messageId, done] {
                if (!self)
                    return;
                --self->m_inFlight;
                if (o.kind == Outcome::Kind::Signed)
                    self->m_lastSigned.insert(messageId, o.logFields());
                done(o);
            },
            Qt::QueuedConnection);
    });
}

} // namespace mailroute
