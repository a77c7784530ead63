#include "ui/addresstesterpage.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/recipientcheck.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/smtp/relaypolicy.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace mailroute {

namespace {

QLabel *resultLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    // The whole field width: a wrapping label otherwise keeps a narrow hint.
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString hopWords(const QString &spec, const QString &origin)
{
    const auto hop = NextHopResolver::parseHopSpec(spec);
    if (!hop)
        return AddressTesterPage::tr("%1 (%2), which is not valid: %3").arg(spec, origin, hop.error);
    if (hop->literal)
        return AddressTesterPage::tr("%1 port %2 (%3)").arg(hop->host).arg(hop->port).arg(origin);
    if (!hop->mxLookup)
        return AddressTesterPage::tr("host %1 port %2, no MX look-up (%3)")
            .arg(hop->host)
            .arg(hop->port)
            .arg(origin);
    return AddressTesterPage::tr("MX of %1, port %2 (%3)").arg(hop->host).arg(hop->port).arg(origin);
}

QString ruleWords(const RouteResult &r, Area area)
{
    if (r.kind == MatchKind::None)
        return AddressTesterPage::tr("No rule matches: the address stays as it is.");
    return AddressTesterPage::tr("%1 %2 mapping %3 → %4")
        .arg(areaTitle(area),
             r.kind == MatchKind::User ? AddressTesterPage::tr("user") : AddressTesterPage::tr("domain"),
             r.ruleSource, r.ruleTarget);
}

} // namespace

AddressTesterPage::AddressTesterPage(BackgroundStore *background, QWidget *parent)
    : QWidget(parent), m_background(background), m_address(new QLineEdit(this)),
      m_direction(new QComboBox(this)), m_source(new QComboBox(this)),
      m_recipientLabel(new QLabel(tr("Recipient (for the next hop):"), this)),
      m_recipient(new QLineEdit(this)), m_verdict(resultLabel(QStringLiteral("testerVerdict"), this)),
      m_rule(resultLabel(QStringLiteral("testerRule"), this)),
      m_result(resultLabel(QStringLiteral("testerResult"), this)),
      m_nextHop(resultLabel(QStringLiteral("testerNextHop"), this)),
      m_snapshotInfo(resultLabel(QStringLiteral("testerSnapshot"), this)),
      m_probeButton(new QPushButton(tr("Would the target accept this?"), this)),
      m_probe(resultLabel(QStringLiteral("testerProbeResult"), this)), m_delay(new QTimer(this))
{
    setObjectName(QStringLiteral("testerPage"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Address tester"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    auto *intro = new QLabel(tr("Where does this address go? Type an address to see the rule that fires, the "
                                "address the relay makes of it, and the next hop it would deliver to."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *inputBox = new QGroupBox(tr("Test"), this);
    auto *form = new QFormLayout(inputBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_address->setObjectName(QStringLiteral("testerAddress"));
    m_address->setPlaceholderText(tr("bob@warmsushi.com"));
    m_address->setClearButtonEnabled(true);
    m_direction->setObjectName(QStringLiteral("testerDirection"));
    m_direction->addItem(tr("Incoming: mail sent to this address"), static_cast<int>(Direction::Incoming));
    m_direction->addItem(tr("Outgoing: mail sent by this address (from an allowed client)"),
                         static_cast<int>(Direction::Outgoing));
    m_source->setObjectName(QStringLiteral("testerConfig"));
    m_source->addItem(tr("Draft (what the next push makes active)"), static_cast<int>(Source::Draft));
    m_source->addItem(tr("Active generation (what the relay does now)"), static_cast<int>(Source::Active));
    m_recipient->setObjectName(QStringLiteral("testerRecipient"));
    m_recipient->setPlaceholderText(tr("someone@partner.example"));
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&Direction:"), m_direction);
    form->addRow(tr("&Configuration:"), m_source);
    form->addRow(m_recipientLabel, m_recipient);
    layout->addWidget(inputBox);

    auto *resultBox = new QGroupBox(tr("Result"), this);
    auto *results = new QFormLayout(resultBox);
    results->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    results->addRow(tr("Verdict:"), m_verdict);
    results->addRow(tr("Rule:"), m_rule);
    results->addRow(tr("Rewritten to:"), m_result);
    results->addRow(tr("Next hop:"), m_nextHop);
    // Recipient verification on demand: the target's next hop is asked
    // (EHLO, MAIL FROM:<>, RCPT TO, QUIT; never DATA), nothing is cached.
    m_probeButton->setObjectName(QStringLiteral("testerProbe"));
    m_probeButton->setToolTip(tr("Asks the rewritten address's next hop at RCPT, as the relay does before "
                                 "accepting an Inbound or Relay recipient. No message is sent."));
    results->addRow(m_probeButton, m_probe);
    connect(m_probeButton, &QPushButton::clicked, this, &AddressTesterPage::probe);
    layout->addWidget(resultBox);
    layout->addWidget(m_snapshotInfo);
    layout->addStretch(1);

    m_recipientLabel->hide();
    m_recipient->hide();
    m_delay->setSingleShot(true);
    m_delay->setInterval(150);
    connect(m_delay, &QTimer::timeout, this, &AddressTesterPage::evaluate);
    connect(m_address, &QLineEdit::textChanged, m_delay, qOverload<>(&QTimer::start));
    connect(m_recipient, &QLineEdit::textChanged, m_delay, qOverload<>(&QTimer::start));
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this] {
        const bool outgoing = m_direction->currentData().toInt() == static_cast<int>(Direction::Outgoing);
        m_recipientLabel->setVisible(outgoing);
        m_recipient->setVisible(outgoing);
        evaluate();
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, &AddressTesterPage::invalidate);
    evaluate();
}

void AddressTesterPage::invalidate()
{
    m_stale = true;
    if (isVisible())
        compile();
}

void AddressTesterPage::setSnapshotForTest(std::shared_ptr<const RoutingSnapshot> snapshot)
{
    setSnapshot(std::move(snapshot));
    m_stale = false;
    evaluate();
}

void AddressTesterPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        compile();
}

void AddressTesterPage::compile()
{
    m_stale = false;
    m_compiling = true;
    const int request = ++m_request;
    const bool active = m_source->currentData().toInt() == static_cast<int>(Source::Active);
    m_snapshotInfo->setText(tr("Compiling the rules…"));
    struct Compiled
    {
        std::shared_ptr<const RoutingSnapshot> snapshot;
        QString error;
    };
    m_background->run(
        this,
        [active](ConfigStore &store) {
            Compiled c;
            if (active) {
                const auto generation = store.activeGeneration();
                if (!generation) {
                    c.error = tr("Nothing has been pushed yet: there is no active generation.");
                    return c;
                }
                const Result<ConfigData> config = store.generationConfig(*generation);
                if (!config) {
                    c.error = config.error;
                    return c;
                }
                c.snapshot = RoutingSnapshot::compile(*config, *generation);
            } else {
                c.snapshot = RoutingSnapshot::compile(store.draft(), 0);
            }
            return c;
        },
        [this, request](const Compiled &c) {
            if (request != m_request)
                return; // a newer compile is on its way
            m_compiling = false;
            setSnapshot(c.snapshot);
            if (!c.error.isEmpty())
                m_snapshotInfo->setText(c.error);
            else
                m_snapshotInfo->setText(c.snapshot->generation() > 0
                                            ? tr("Testing generation %1.").arg(c.snapshot->generation())
                                            : tr("Testing the draft."));
            evaluate();
        });
}

void AddressTesterPage::setSnapshot(std::shared_ptr<const RoutingSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    // The recipient's rule is the relay's own decision; the policy's other
    // settings (clients, postmaster, TLS) play no part in it.
    m_policy = m_snapshot ? std::make_shared<const RelayPolicy>(m_snapshot, RelayPolicyConfig{}) : nullptr;
}

QString AddressTesterPage::describeNextHop(const ConfigData &config, const QString &domain)
{
    for (const TransportRoute &r : config.routes) {
        if (r.domain.compare(domain, Qt::CaseInsensitive) == 0)
            return hopWords(r.nextHop, tr("route for %1").arg(domain));
    }
    const QString smarthost = config.settings.value(SettingKey::deliverySmarthost());
    if (!smarthost.isEmpty())
        return hopWords(smarthost, tr("smart host"));
    return tr("MX of %1 (DNS look-up)").arg(domain);
}

void AddressTesterPage::evaluate()
{
    const QString text = m_address->text().trimmed();
    auto show = [this](const QString &verdict, const QString &rule, const QString &result,
                       const QString &hop) {
        m_verdict->setText(verdict);
        m_rule->setText(rule);
        m_result->setText(result);
        m_nextHop->setText(hop);
        emit answered();
    };
    if (text.isEmpty()) {
        show(tr("Type an address above."), {}, {}, {});
        return;
    }
    const Result<MailAddress> address = parseMailbox(text);
    if (!address) {
        show(tr("Not a valid address: %1").arg(address.error), {}, {}, {});
        return;
    }
    if (!m_snapshot) {
        show(m_compiling ? tr("Compiling the rules…") : m_snapshotInfo->text(), {}, {}, {});
        return;
    }
    const ConfigData &config = m_snapshot->config();
    if (m_direction->currentData().toInt() == static_cast<int>(Direction::Incoming)) {
        // docs/behaviour.md "Routing precedence", decided by the relay's policy.
        const RoutingDecision decision = m_policy->routeRecipient(*address);
        const RouteResult &r = decision.route;
        if (!decision.area) {
            show(tr("Refused with 550 5.7.1: no Inbound or Relay rule matches, and the relay is not an open "
                    "relay. (A client in the outbound allow-list may still send to it, unchanged.)"),
                 ruleWords(r, Area::Inbound), address->toString(),
                 describeNextHop(config, address->domain) + QLatin1Char(' ') + tr("for allowed clients"));
            return;
        }
        const Area area = *decision.area;
        show(tr("Accepted (%1 area)").arg(areaTitle(area)), ruleWords(r, area), r.address.toString(),
             describeNextHop(config, r.address.domain));
        return;
    }
    // Outgoing: the sender goes through Outbound; the recipient, if given,
    // through the recipient rules when one matches.
    const RouteResult sender = m_snapshot->route(Area::Outbound, *address);
    QString hop = tr("Depends on the recipient: type one above.");
    const QString recipientText = m_recipient->text().trimmed();
    if (!recipientText.isEmpty()) {
        const Result<MailAddress> recipient = parseMailbox(recipientText);
        if (!recipient) {
            hop = tr("The recipient is not a valid address: %1").arg(recipient.error);
        } else {
            const RouteResult r = m_policy->routeRecipient(*recipient).route;
            hop = describeNextHop(config, r.address.domain);
            if (r.kind != MatchKind::None)
                hop += QLatin1Char(' ') + tr("(the recipient becomes %1)").arg(r.address.toString());
        }
    }
    show(sender.kind == MatchKind::None ? tr("Sent unchanged (no Outbound rule matches the sender)")
                                        : tr("Sender rewritten (Outbound area)"),
         ruleWords(sender, Area::Outbound), sender.address.toString(), hop);
}

void AddressTesterPage::probe()
{
    const int request = ++m_probeRequest;
    const QString text = m_address->text().trimmed();
    if (m_direction->currentData().toInt() != static_cast<int>(Direction::Incoming)) {
        m_probe->setText(tr("Only recipients are verified: choose Incoming."));
        return;
    }
    if (!parseMailbox(text)) {
        m_probe->setText(tr("Type a valid address above."));
        return;
    }
    if (!m_snapshot) {
        m_probe->setText(tr("Compiling the rules…"));
        return;
    }
    m_probing = true;
    m_probeButton->setEnabled(false);
    m_probe->setText(tr("Asking the target…"));
    auto *run = new RecipientCheckRun(this);
    connect(run, &RecipientCheckRun::finished, this, [this, run, request](const RecipientCheck &c) {
        run->deleteLater();
        if (request != m_probeRequest)
            return;
        m_probing = false;
        m_probeButton->setEnabled(true);
        if (!c.error.isEmpty()) {
            m_probe->setText(c.error);
            emit answered();
            return;
        }
        const VerifyOutcome &o = c.outcome;
        const QString server = o.nextHop.isEmpty() ? tr("the next hop") : o.nextHop;
        QString answer;
        switch (o.verdict) {
        case VerifyOutcome::Verdict::Accepted:
            answer = tr("Yes: %1 accepts %2 (%3).").arg(server, c.target, o.targetReply);
            break;
        case VerifyOutcome::Verdict::Refused:
            answer = tr("No: %1 refuses %2 (%3). The relay answers 550 5.1.1 at RCPT, so nothing is bounced.")
                         .arg(server, c.target, o.targetReply);
            break;
        case VerifyOutcome::Verdict::Unknown:
            answer = tr("Cannot tell: %1. The relay answers 450 4.1.1 at RCPT and the sender retries later.")
                         .arg(o.targetReply);
            break;
        case VerifyOutcome::Verdict::Unchecked: answer = tr("Not asked: %1.").arg(o.targetReply); break;
        }
        if (!c.area)
            answer +=
                QLatin1Char(' ') + tr("No Inbound or Relay rule matches: the relay does not verify it.");
        else if (!c.enabled)
            answer += QLatin1Char(' ') + tr("Recipient verification is off (verify.recipients).");
        else if (c.excluded)
            answer +=
                QLatin1Char(' ') + tr("Its domain is excluded from verification (verify.exclude_domains).");
        m_probe->setText(answer);
        emit answered();
    });
    run->start(m_snapshot->config(), text);
}

QString AddressTesterPage::probeText() const
{
    return m_probe->text();
}

QString AddressTesterPage::verdictText() const
{
    return m_verdict->text();
}

QString AddressTesterPage::ruleText() const
{
    return m_rule->text();
}

QString AddressTesterPage::resultText() const
{
    return m_result->text();
}

QString AddressTesterPage::nextHopText() const
{
    return m_nextHop->text();
}

} // namespace mailroute
