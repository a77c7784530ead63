#include "relaycore/mailauth/receiptverifier.h"

#include "relaycore/arc/arckeyfetcher.h"
#include "relaycore/dkim/dkimsignature.h"
#include "relaycore/dkim/dkimverifier.h"
#include "relaycore/dns/dnsresolver.h"
#include "relaycore/mailauth/dmarc.h"
#include "relaycore/mailauth/dnsanswers.h"
#include "relaycore/mailauth/spfevaluator.h"
#include "relaycore/message/headersection.h"

#include <QDateTime>
#include <QMutex>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QSet>
#include <QThreadPool>

namespace mailroute {

namespace {

// SPF rounds of look-ups (each mechanism's answers lead to the next): far
// more than a record within the limit of 10 look-ups needs.
constexpr int kMaxRounds = 40;

DkimKeyAnswer keyAnswer(const DnsAnswer *a)
{
    if (!a)
        return DkimKeyAnswer{DkimKeyAnswer::Kind::TempFail, {}, QStringLiteral("not looked up")};
    return dkimKeyAnswerOf(*a);
}

QStringList keyNames(const QByteArray &message)
{
    QStringList names;
    const HeaderSection section(message);
    int seen = 0;
    for (const HeaderFieldSpan &f : section.fields()) {
        if (!section.nameIs(f, "dkim-signature"))
            continue;
        if (++seen > DkimVerifier::maxSignatures)
            break;
        if (Result<DkimSignature> sig = parseDkimSignature(section.body(f))) {
            if (!names.contains(sig->keyName()))
                names << sig->keyName();
        }
    }
    return names;
}

QString spfName(SpfResult::Code code)
{
    return code == SpfResult::Code::Unsupported ? QStringLiteral("permerror") : SpfEvaluator::codeName(code);
}

} // namespace

struct ReceiptVerifier::Mailbox
{
    QMutex mutex;
    ReceiptVerifier *target = nullptr;
};

struct ReceiptVerifier::Check
{
    ReceiptInput input;
    Done done;
    DnsAnswers dns;
    QSet<QString> requested;
    QList<quint64> lookups;
    int rounds = 0;
    bool spfDone = false;
    SpfResult spf;
    QString fromDomain;
    bool dmarcReady = false;
    QStringList keyNames;
    bool dkimStarted = false;
    bool dkimDone = false;
    QList<AuthVerdicts::Dkim> dkim;
    QStringList passDomains;
    QString arc = QStringLiteral("none");
};

ReceiptVerifier::ReceiptVerifier(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_resolver(
          new DnsResolver(DnsResolver::Options{m_options.nameserver, m_options.lookupTimeout, 256}, this)),
      m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->target = this;
}

ReceiptVerifier::~ReceiptVerifier()
{
    QMutexLocker lock(&m_mailbox->mutex);
    m_mailbox->target = nullptr;
}

quint64 ReceiptVerifier::start(const ReceiptInput &input, Done done)
{
    const quint64 id = ++m_nextId;
    auto check = std::make_shared<Check>();
    check->input = input;
    check->done = std::move(done);
    check->fromDomain = fromHeaderDomain(input.message);
    check->keyNames = keyNames(input.message);
    m_checks.insert(id, check);
    // Never answer from within start(): the first round runs from the event loop.
    QMetaObject::invokeMethod(
        this, [this, id] { advance(id); }, Qt::QueuedConnection);
    return id;
}

void ReceiptVerifier::cancel(quint64 id)
{
    const std::shared_ptr<Check> check = m_checks.take(id);
    if (!check)
        return;
    for (quint64 lookup : std::as_const(check->lookups))
        m_resolver->cancel(lookup);
}

void ReceiptVerifier::request(quint64 id, Check &check, const QString &key)
{
    if (check.requested.contains(key))
        return;
    check.requested.insert(key);
    const auto [type, name] = splitDnsKey(key);
    check.lookups << m_resolver->lookup(
        type, name, this, [this, id, key](const DnsAnswer &a) { answered(id, key, a); },
        m_options.lookupTimeout);
}

void ReceiptVerifier::answered(quint64 id, const QString &key, const DnsAnswer &answer)
{
    const std::shared_ptr<Check> check = m_checks.value(id);
    if (!check)
        return;
    const auto [type, name] = splitDnsKey(key);
    check->dns.insert(type, name, answer);
    advance(id);
}

void ReceiptVerifier::advance(quint64 id)
{
    const std::shared_ptr<Check> check = m_checks.value(id);
    if (!check)
        return;
    Check &c = *check;
    if (!c.spfDone) {
        SpfEvaluator spf(c.dns);
        c.spf = spf.checkSender(c.input.client, c.input.mailFrom, c.input.helo);
        if (!c.spf.incomplete) {
            c.spfDone = true;
        } else if (++c.rounds > kMaxRounds) {
            c.spfDone = true;
            c.spf.code = SpfResult::Code::TempError;
            c.spf.reason = QStringLiteral("too many rounds of look-ups");
        } else {
            for (const QString &key : spf.missing())
                request(id, c, key);
        }
    }
    if (!c.dmarcReady) {
        // The look-ups do not depend on SPF or DKIM: asked for at once.
        DmarcEvaluator dmarc(c.dns);
        DmarcInput in;
        in.fromDomain = c.fromDomain;
        if (!dmarc.evaluate(in).incomplete)
            c.dmarcReady = true;
        for (const QString &key : dmarc.missing())
            request(id, c, key);
    }
    if (!c.dkimStarted) {
        bool all = true;
        for (const QString &name : std::as_const(c.keyNames)) {
            if (!c.dns.find(DnsType::TXT, name)) {
                all = false;
                request(id, c, DnsAnswers::key(DnsType::TXT, name));
            }
        }
        if (all) {
            c.dkimStarted = true;
            verifyOffThread(id, c);
        }
    }
    if (c.spfDone && c.dmarcReady && c.dkimDone)
        finish(id);
}

void ReceiptVerifier::verifyOffThread(quint64 id, Check &check)
{
    QHash<QString, DkimKeyAnswer> keys;
    for (const QString &name : std::as_const(check.keyNames))
        keys.insert(name, keyAnswer(check.dns.find(DnsType::TXT, name)));
    const qint64 now = m_options.now ? m_options.now() : QDateTime::currentSecsSinceEpoch();
    QThreadPool::globalInstance()->start([mailbox = m_mailbox, id, message = check.input.message,
                                          body = check.input.body, keys, now, arcCheck = m_options.arcCheck] {
        QList<AuthVerdicts::Dkim> dkim;
        QStringList passDomains;
        DkimVerifier::verify(
            message, body, now,
            [&keys](const QString &name, const DkimVerifier::KeyReply &reply) {
                reply(keys.value(
                    name, DkimKeyAnswer{DkimKeyAnswer::Kind::TempFail, {}, QStringLiteral("not looked up")}));
            },
            [&](const QList<DkimVerification> &results) {
                for (const DkimVerification &v : results) {
                    dkim << AuthVerdicts::Dkim{dkimOutcomeName(v.outcome), v.domain, v.selector, v.reason};
                    if (v.outcome == DkimOutcome::Pass)
                        passDomains << v.domain;
                }
            });
        const QString arc = arcCheck ? arcCheck(message, body) : QStringLiteral("none");
        QMutexLocker lock(&mailbox->mutex);
        if (ReceiptVerifier *target = mailbox->target)
            QMetaObject::invokeMethod(
                target,
                [target, id, dkim, passDomains, arc] { target->verified(id, dkim, passDomains, arc); },
                Qt::QueuedConnection);
    });
}

void ReceiptVerifier::verified(quint64 id, const QList<AuthVerdicts::Dkim> &dkim,
                               const QStringList &passDomains, const QString &arc)
{
    const std::shared_ptr<Check> check = m_checks.value(id);
    if (!check)
        return;
    check->dkim = dkim;
    check->passDomains = passDomains;
    check->arc = arc;
    check->dkimDone = true;
    advance(id);
}

void ReceiptVerifier::finish(quint64 id)
{
    const std::shared_ptr<Check> check = m_checks.take(id);
    if (!check)
        return;
    const Check &c = *check;
    AuthVerdicts v;
    v.spf = spfName(c.spf.code);
    v.spfHelo = c.input.mailFrom.isEmpty();
    v.spfIdentity = v.spfHelo ? c.input.helo : c.input.mailFrom;
    v.dkim = c.dkim;
    v.arc = c.arc;
    v.fromDomain = c.fromDomain;
    DmarcInput in;
    in.fromDomain = c.fromDomain;
    in.spf = c.spf.code;
    in.spfDomain = SpfEvaluator::senderDomain(c.input.mailFrom, c.input.helo);
    in.dkimPassDomains = c.passDomains;
    in.sample = m_options.sample ? m_options.sample() : int(QRandomGenerator::global()->bounded(100));
    DmarcEvaluator dmarc(c.dns);
    const DmarcResult d = dmarc.evaluate(in);
    v.dmarc = dmarcCodeName(d.code);
    v.dmarcPolicy = d.policy;
    v.dmarcDisposition = d.disposition;
    c.done(v);
}

} // namespace mailroute
