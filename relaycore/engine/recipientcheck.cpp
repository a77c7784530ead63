#include "relaycore/engine/recipientcheck.h"

#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/routingsnapshot.h"
#include "relaycore/smtp/relaypolicy.h"

namespace mailroute {

RecipientCheckRun::RecipientCheckRun(QObject *parent) : RecipientCheckRun(Options{}, parent) {}

RecipientCheckRun::RecipientCheckRun(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

RecipientCheckRun::~RecipientCheckRun() = default;

void RecipientCheckRun::finishLater(RecipientCheck check)
{
    QMetaObject::invokeMethod(
        this, [this, check] { emit finished(check); }, Qt::QueuedConnection);
}

void RecipientCheckRun::start(const ConfigData &config, const QString &address)
{
    RecipientCheck check;
    check.recipient = address.trimmed();
    const auto parsed = parseMailbox(check.recipient, AddressParseOptions{true});
    if (!parsed.ok()) {
        check.error = QStringLiteral("invalid address '%1': %2").arg(check.recipient, parsed.error);
        finishLater(std::move(check));
        return;
    }
    // The recipient rules as the relay decides them (RelayPolicy::routeRecipient).
    const RelayPolicy policy(RoutingSnapshot::compile(config, 0), RelayPolicyConfig{});
    const RoutingDecision decision = policy.routeRecipient(*parsed);
    check.area = decision.area;
    check.target = decision.route.address.toString();
    probe(config, std::move(check));
}

void RecipientCheckRun::startDirect(const ConfigData &config, const QString &address)
{
    RecipientCheck check;
    check.recipient = address;
    check.target = address;
    probe(config, std::move(check));
}

void RecipientCheckRun::probe(const ConfigData &config, RecipientCheck check)
{
    auto rc = RelayConfig::build(config, 0);
    if (!rc.ok()) {
        check.error = rc.error;
        finishLater(std::move(check));
        return;
    }
    const RelayConfig &relay = **rc;
    check.enabled = relay.verifyRecipients;
    const auto domainOf = [](const QString &a) {
        return a.mid(a.lastIndexOf(QLatin1Char('@')) + 1).toLower();
    };
    check.excluded = relay.verifyExcludedDomains.contains(domainOf(check.recipient)) ||
                     relay.verifyExcludedDomains.contains(domainOf(check.target));
    NextHopResolver::Settings rs;
    rs.routes = relay.routes;
    rs.smarthost = relay.smartHost;
    rs.nameserver = m_options.nameserver;
    auto *resolver = new NextHopResolver(rs, this);
    m_verifier = new RecipientVerifier(resolver, this);
    RecipientVerifier::Settings vs = RecipientVerifier::Settings::fromConfig(relay);
    vs.timeouts = m_options.timeouts;
    vs.idleTimeout = std::chrono::milliseconds(0);
    m_verifier->setSettings(vs);
    m_verifier->verify(
        check.target, this,
        [this, check](const VerifyOutcome &o) {
            RecipientCheck done = check;
            done.outcome = o;
            emit finished(done);
        },
        false);
}

} // namespace mailroute
