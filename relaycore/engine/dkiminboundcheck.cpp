#include "relaycore/engine/dkiminboundcheck.h"

#include "relaycore/arc/arckeyfetcher.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/dkim/dkimverifier.h"
#include "relaycore/dns/dnsresolver.h"
#include "relaycore/message/headersection.h"
#include "relaycore/queue/clock.h"

#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QThreadPool>

namespace mailroute {

// A worker posts through this under its mutex; the destructor of the check
// clears `target` under the same mutex, so a worker never posts to an
// object being destroyed, and what it posted before is discarded with it.
struct DkimInboundCheck::Mailbox
{
    QMutex mutex;
    DkimInboundCheck *target = nullptr;
};

struct DkimInboundCheck::Check
{
    QByteArray message;
    BodyFilePtr body; // a large message's body after `message`
    Done done;
    QHash<QString, DkimKeyAnswer> keys;         // key name -> answer
    QHash<int, QList<QByteArray>> signedFields; // field index -> h= (parsed signatures)
    QList<quint64> lookups;                     // resolver ids still running
    int pendingLookups = 0;
};

namespace {

struct ParsedSignature
{
    int fieldIndex = 0;
    std::optional<DkimSignature> signature; // nullopt: does not parse (permerror)
};

QList<ParsedSignature> parseSignatures(const QByteArray &message)
{
    QList<ParsedSignature> out;
    const HeaderSection section(message);
    const QList<HeaderFieldSpan> &fields = section.fields();
    for (qsizetype i = 0; i < fields.size() && out.size() < DkimVerifier::maxSignatures; ++i) {
        if (!section.nameIs(fields[i], "dkim-signature"))
            continue;
        ParsedSignature p;
        p.fieldIndex = int(i);
        if (Result<DkimSignature> sig = parseDkimSignature(section.body(fields[i])))
            p.signature = *sig;
        out << p;
    }
    return out;
}

SignatureOutcome outcomeOf(const DkimVerification &v, const QList<QByteArray> &parsedFields)
{
    SignatureOutcome o;
    o.domain = v.domain;
    o.selector = v.selector;
    o.reason = v.reason;
    switch (v.outcome) {
    case DkimOutcome::Pass:
        o.status = SignatureStatus::Valid;
        for (const DkimFieldCoverage &c : v.coverage)
            o.signedFields << c.name;
        if (o.signedFields.isEmpty())
            o.signedFields = parsedFields;
        break;
    case DkimOutcome::TempError:
        o.status = SignatureStatus::Unknown;
        o.signedFields = parsedFields;
        break;
    case DkimOutcome::Fail:
    case DkimOutcome::PermError:
        o.status = SignatureStatus::Invalid;
        o.signedFields = parsedFields;
        break;
    }
    return o;
}

} // namespace

DkimInboundCheck::DkimInboundCheck(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_resolver(
          new DnsResolver(DnsResolver::Options{m_options.nameserver, m_options.lookupTimeout, 256}, this)),
      m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->target = this;
}

DkimInboundCheck::~DkimInboundCheck()
{
    QMutexLocker lock(&m_mailbox->mutex);
    m_mailbox->target = nullptr;
}

quint64 DkimInboundCheck::start(const QByteArray &message, const BodyFilePtr &body, Done done)
{
    const quint64 id = ++m_nextId;
    auto check = std::make_shared<Check>();
    check->message = message;
    check->body = body;
    check->done = std::move(done);
    QStringList names;
    for (const ParsedSignature &p : parseSignatures(message)) {
        if (!p.signature)
            continue;
        check->signedFields.insert(p.fieldIndex, p.signature->signedFields);
        if (!names.contains(p.signature->keyName()))
            names << p.signature->keyName();
    }
    m_checks.insert(id, check);
    check->pendingLookups = int(names.size());
    for (const QString &name : names) {
        check->lookups << m_resolver->lookup(
            DnsType::TXT, name, this, [this, id, name](const DnsAnswer &a) { lookedUp(id, name, a); },
            m_options.lookupTimeout);
    }
    if (names.isEmpty()) // nothing to look up (every signature malformed): still answer later, never inside
                         // start()
        QMetaObject::invokeMethod(
            this, [this, id] { verifyOffThread(id); }, Qt::QueuedConnection);
    return id;
}

void DkimInboundCheck::cancel(quint64 id)
{
    const std::shared_ptr<Check> check = m_checks.take(id);
    if (!check)
        return;
    for (quint64 lookup : std::as_const(check->lookups))
        m_resolver->cancel(lookup);
}

QList<SignatureOutcome> DkimInboundCheck::unverified(const QByteArray &message) const
{
    QList<SignatureOutcome> out;
    for (const ParsedSignature &p : parseSignatures(message)) {
        SignatureOutcome o;
        if (p.signature) {
            o.domain = p.signature->domain;
            o.selector = p.signature->selector;
            o.signedFields = p.signature->signedFields;
            o.status = SignatureStatus::Unknown;
        } else {
            o.status = SignatureStatus::Invalid;
            o.reason = QStringLiteral("the signature does not parse");
        }
        out << o;
    }
    return out;
}

void DkimInboundCheck::lookedUp(quint64 id, const QString &keyName, const DnsAnswer &answer)
{
    const std::shared_ptr<Check> check = m_checks.value(id);
    if (!check)
        return;
    check->keys.insert(keyName, dkimKeyAnswerOf(answer));
    if (--check->pendingLookups == 0)
        verifyOffThread(id);
}

void DkimInboundCheck::verifyOffThread(quint64 id)
{
    const std::shared_ptr<Check> check = m_checks.value(id);
    if (!check)
        return;
    check->lookups.clear();
    const Clock &clock = m_options.clock ? *m_options.clock : SystemClock::instance();
    const qint64 now = clock.now().toSecsSinceEpoch();
    // Only values go to the worker: the message (implicitly shared, never
    // written again), the key answers and the parsed h= lists.
    QThreadPool::globalInstance()->start([mailbox = m_mailbox, id, message = check->message,
                                          body = check->body, keys = check->keys,
                                          fields = check->signedFields, now] {
        QList<SignatureOutcome> outcomes;
        DkimVerifier::verify(
            message, body, now,
            [&keys](const QString &name, const DkimVerifier::KeyReply &reply) {
                // Every key was fetched before: answer at once, on this thread.
                reply(keys.value(
                    name, DkimKeyAnswer{DkimKeyAnswer::Kind::TempFail, {}, QStringLiteral("not looked up")}));
            },
            [&outcomes, &fields](const QList<DkimVerification> &results) {
                for (const DkimVerification &v : results)
                    outcomes << outcomeOf(v, fields.value(v.fieldIndex));
            });
        QMutexLocker lock(&mailbox->mutex);
        if (DkimInboundCheck *target = mailbox->target)
            QMetaObject::invokeMethod(
                target, [target, id, outcomes] { target->verified(id, outcomes); }, Qt::QueuedConnection);
    });
}

void DkimInboundCheck::verified(quint64 id, const QList<SignatureOutcome> &outcomes)
{
    const std::shared_ptr<Check> check = m_checks.take(id);
    if (!check)
        return; // cancelled meanwhile
    check->done(outcomes);
}

} // namespace mailroute
