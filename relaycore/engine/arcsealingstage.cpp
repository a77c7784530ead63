#include "relaycore/engine/arcsealingstage.h"

#include "relaycore/arc/arckeyfetcher.h"
#include "relaycore/arc/arcsealer.h"
#include "relaycore/dkim/dkimbodyhasher.h"
#include "relaycore/dkim/dkimsigningkey.h"
#include "relaycore/dns/dnsresolver.h"
#include "relaycore/message/headersection.h"

#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QThread>

namespace mailroute {

// Loaded sealing keys by file and algorithm, shared with the workers; a
// failure is not cached, a push (new generation) empties it.
struct ArcSealingStage::KeyCache
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

bool hasArcFields(const QByteArray &message)
{
    const HeaderSection section(message);
    for (const HeaderFieldSpan &f : section.fields()) {
        const QByteArrayView name = section.name(f);
        if (name.size() > 4 && name.first(4).compare(QByteArrayView("arc-"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QVariantMap ArcSealingStage::Outcome::logFields() const
{
    if (kind != Kind::Sealed)
        return {};
    return {{QStringLiteral("arc"), QStringLiteral("sealed")},
            {QStringLiteral("i"), instance},
            {QStringLiteral("cv"), arcChainStatusName(cv)},
            {QStringLiteral("d"), domain},
            {QStringLiteral("s"), selector}};
}

ArcSealingStage::ArcSealingStage(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_resolver(
          new DnsResolver(DnsResolver::Options{m_options.nameserver, m_options.lookupTimeout, 64}, this)),
      m_keys(std::make_shared<KeyCache>())
{
    m_pool.setMaxThreadCount(qMax(1, QThread::idealThreadCount()));
}

ArcSealingStage::~ArcSealingStage()
{
    m_pool.waitForDone();
}

std::optional<DkimKey> ArcSealingStage::sealingKey(const RelayConfig &config)
{
    if (config.arcDomain.isEmpty() || !config.dkimSigningKeys.contains(config.arcDomain))
        return std::nullopt;
    return config.dkimSigningKeys.value(config.arcDomain);
}

bool ArcSealingStage::wanted(const QueuedMessage &meta, const RelayConfig &config)
{
    if (meta.isDsn || config.arcSeal == RelayConfig::ArcSeal::Off || !sealingKey(config))
        return false;
    return config.arcSeal == RelayConfig::ArcSeal::Always || meta.headersRewritten;
}

void ArcSealingStage::receivedAt(const QString &queueId, const QByteArray &received,
                                 const RelayConfig &config, qint64 now, const BodyFilePtr &body)
{
    if (config.arcSeal == RelayConfig::ArcSeal::Off || !sealingKey(config) || !hasArcFields(received))
        return;
    // Verdicts of messages that never reached the spool (the client left)
    // are not forgotten one by one: a bound keeps them from piling up.
    if (m_verdicts.size() >= 100000)
        m_verdicts.clear();
    auto verdict = std::make_shared<Verdict>();
    m_verdicts.insert(queueId, verdict);
    validate(received, body, now, config.hostName, config.arcDomain, [verdict](const ArcValidation &v) {
        verdict->result = v;
        const auto waiting = std::exchange(verdict->waiting, {});
        for (const auto &w : waiting)
            w(v);
    });
}

std::optional<ArcValidation> ArcSealingStage::arrivalVerdict(const QString &queueId) const
{
    const auto v = m_verdicts.value(queueId);
    return v ? v->result : std::nullopt;
}

void ArcSealingStage::forget(const QString &queueId)
{
    m_verdicts.remove(queueId);
}

void ArcSealingStage::validate(const QByteArray &message, const BodyFilePtr &body, qint64 now,
                               const QString &authservId, const QString &ownDomain,
                               std::function<void(const ArcValidation &)> done)
{
    // Key look-ups here (the resolver answers on this thread), the
    // cryptography on the pool.
    struct State
    {
        QByteArray message;
        BodyFilePtr body;
        QHash<QString, DkimKeyAnswer> answers;
        int pending = 0;
    };
    auto state = std::make_shared<State>();
    state->message = message;
    state->body = body;
    const QStringList names = ArcChain::keyNames(message);
    state->pending = int(names.size()) + 1;
    ++m_inFlight;
    QPointer<ArcSealingStage> self(this);
    auto finishOne = [self, state, now, authservId, ownDomain, done]() {
        if (--state->pending > 0 || !self)
            return;
        self->m_pool.start([self, state, now, authservId, ownDomain, done] {
            ArcValidation v = ArcChain::evaluate(state->message, state->answers, now, state->body);
            if (v.status != ArcChainStatus::None &&
                !ArcChain::foreignClaims(HeaderSection(state->message), authservId, ownDomain).isEmpty()) {
                v.status = ArcChainStatus::Fail;
                v.reason = QStringLiteral("an ARC-Authentication-Results claims authserv-id %1 in a set "
                                          "not sealed by %2")
                               .arg(authservId, ownDomain);
            }
            QMetaObject::invokeMethod(
                self.data(),
                [self, v, done] {
                    if (!self)
                        return;
                    --self->m_inFlight;
                    done(v);
                },
                Qt::QueuedConnection);
        });
    };
    for (const QString &name : names) {
        m_resolver->lookup(
            DnsType::TXT, name, this,
            [state, name, finishOne](const DnsAnswer &a) {
                state->answers.insert(name, dkimKeyAnswerOf(a));
                finishOne();
            },
            m_options.lookupTimeout);
    }
    finishOne();
}

void ArcSealingStage::prepare(const QueuedMessage &meta, const QByteArray &data,
                              const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done)
{
    prepare(meta, data, nullptr, config, now, std::move(done));
}

void ArcSealingStage::prepare(const QueuedMessage &meta, const QByteArray &head, const BodyFilePtr &body,
                              const std::shared_ptr<const RelayConfig> &config, qint64 now, Done done)
{
    const std::optional<DkimKey> key = config && wanted(meta, *config) ? sealingKey(*config) : std::nullopt;
    if (!key) {
        Outcome o;
        o.data = head;
        o.body = body;
        done(o);
        return;
    }
    const QByteArray &data = head;
    if (config->generation != m_keysGeneration) {
        m_keys = std::make_shared<KeyCache>();
        m_keysGeneration = config->generation;
    }
    QPointer<ArcSealingStage> self(this);
    auto withVerdict = [self, meta, data, body, key = *key, config, now, done](const ArcValidation &v) {
        if (self)
            self->seal(meta, data, body, key, config, v, now, done);
    };
    if (const auto verdict = m_verdicts.value(meta.queueId)) {
        if (verdict->result)
            withVerdict(*verdict->result);
        else
            verdict->waiting << withVerdict;
        return;
    }
    if (!hasArcFields(data)) {
        withVerdict(ArcValidation{});
        return;
    }
    // Loaded from the spool after a restart: the stored bytes are all there is.
    validate(data, body, now, config->hostName, config->arcDomain, withVerdict);
}

void ArcSealingStage::seal(const QueuedMessage &meta, const QByteArray &data, const BodyFilePtr &body,
                           const DkimKey &key, const std::shared_ptr<const RelayConfig> &config,
                           const ArcValidation &verdict, qint64 now, Done done)
{
    ++m_inFlight;
    QPointer<ArcSealingStage> self(this);
    ArcSealRequest request;
    request.authservId = config->hostName;
    request.domain = key.domain;
    request.selector = key.selector;
    request.timestamp = now;
    request.cv = verdict.status;
    Q_UNUSED(meta)
    m_pool.start([self, keys = m_keys, key, data, body, request, verdict, done] {
        Outcome o;
        o.domain = key.domain;
        o.selector = key.selector;
        o.cv = verdict.status;
        o.chainReason = verdict.reason;
        o.data = data;
        o.body = body;
        // A large message: its body hashed from the file, never whole in memory.
        ArcSealRequest large = request;
        if (body) {
            DkimBodyHasher hasher(DkimCanonicalization::Relaxed);
            if (body->forEachChunk([&hasher](const char *s, qsizetype n) {
                    hasher.add(QByteArrayView(s, n));
                    return true;
                }))
                large.bodyHash = hasher.finish();
        }
        const Result<DkimSigningKey> sealingKey = keys->load(key);
        if (body && large.bodyHash.isEmpty()) {
            o.kind = Outcome::Kind::Failed;
            o.error =
                QStringLiteral("4.3.0 ARC sealing: cannot read the message body from %1").arg(body->path());
        } else if (!sealingKey) {
            o.kind = Outcome::Kind::Failed;
            o.error = QStringLiteral("4.3.5 ARC sealing with %1 (selector %2) is not possible: %3")
                          .arg(key.domain, key.selector, sealingKey.error);
        } else {
            // A message that already has ARC fields with the relay's own
            // cv rules broken cannot carry cv=none; ArcSealer refuses, and
            // the message leaves unsealed with the reason.
            const Result<QByteArray> sealed = ArcSealer::seal(data, *sealingKey, large);
            if (sealed) {
                o.kind = Outcome::Kind::Sealed;
                o.data = *sealed;
                o.instance = ArcChain::shape(HeaderSection(o.data)).maxInstance;
            } else {
                o.error = QStringLiteral("not ARC-sealed: %1").arg(sealed.error);
            }
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, o = std::move(o), done] {
                if (!self)
                    return;
                --self->m_inFlight;
                done(o);
            },
            Qt::QueuedConnection);
    });
}

} // namespace mailroute
