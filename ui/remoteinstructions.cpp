#include "ui/remoteinstructions.h"

#include "relaycore/dkimadmin/dkimkeyring.h"
#include "relaycore/routing/settingkeys.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace mailroute {

namespace {

const char *const kValueProperty = "copyValue";

QString ol(const QStringList &steps)
{
    QString html = QStringLiteral("<ol>");
    for (const QString &s : steps)
        html += QStringLiteral("<li style=\"margin-bottom:4px\">") + s + QStringLiteral("</li>");
    return html + QStringLiteral("</ol>");
}

QString b(const QString &text)
{
    return QStringLiteral("<b>") + text.toHtmlEscaped() + QStringLiteral("</b>");
}

QString code(const QString &text)
{
    return QStringLiteral("<code>") + text.toHtmlEscaped() + QStringLiteral("</code>");
}

} // namespace

RemoteInstructions::RemoteInstructions(QWidget *parent) : QWidget(parent), m_tabs(new QTabWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    m_tabs->setObjectName(QStringLiteral("instructionTabs"));
    setValues(RelayIdentity{}, QString(), {});
}

QWidget *RemoteInstructions::section(const QString &steps, const QList<std::pair<QString, QString>> &values)
{
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    auto *text = new QLabel(steps, page);
    text->setObjectName(QStringLiteral("steps"));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(text);
    auto *grid = new QGridLayout;
    int row = 0;
    for (const auto &[label, value] : values) {
        auto *labelWidget = new QLabel(label, page);
        grid->addWidget(labelWidget, row, 0);
        auto *field = new QLineEdit(value, page);
        labelWidget->setBuddy(field); // the field's accessible name
        QString name = label;
        if (name.endsWith(QLatin1Char(':')))
            name.chop(1);
        field->setReadOnly(true);
        field->setCursorPosition(0);
        field->setProperty(kValueProperty, value);
        grid->addWidget(field, row, 1);
        auto *copy = new QPushButton(tr("Copy"), page);
        copy->setObjectName(QStringLiteral("copy"));
        copy->setToolTip(tr("Copy \"%1\" to the clipboard").arg(value));
        copy->setAccessibleName(tr("Copy %1").arg(name));
        connect(copy, &QPushButton::clicked, copy,
                [value = value] { QApplication::clipboard()->setText(value); });
        grid->addWidget(copy, row, 2);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid);
    layout->addStretch(1);
    scroll->setWidget(page);
    return scroll;
}

void RemoteInstructions::setValues(const RelayIdentity &relay, const QString &allowedClients,
                                   const QList<DomainReadiness> &dns)
{
    m_relay = relay;
    m_allowedClients = allowedClients;
    m_dns = dns;
    rebuild();
}

void RemoteInstructions::setDkimKeys(const QList<DkimKey> &keys)
{
    m_dkimKeys = keys;
    rebuild();
}

void RemoteInstructions::setArcDomain(const QString &domain)
{
    m_arcDomain = domain.trimmed().toLower();
    rebuild();
}

void RemoteInstructions::rebuild()
{
    const RelayIdentity &relay = m_relay;
    const QString &allowedClients = m_allowedClients;
    const QList<DomainReadiness> &dns = m_dns;
    const int current = m_tabs->currentIndex();
    while (m_tabs->count() > 0) {
        QWidget *w = m_tabs->widget(0);
        m_tabs->removeTab(0);
        w->deleteLater();
    }
    const QString host = relay.hostname.isEmpty() ? tr("(set relay.hostname)") : relay.hostname;
    const QStringList addresses = relay.addressTexts();
    const QString address = addresses.isEmpty()
                                ? tr("(unknown: run the DNS check or set relay.public_address)")
                                : addresses.join(QStringLiteral(", "));
    const QString port = QString::number(relay.port);
    const QString portNote = relay.port == 25 ? QString()
                                              : tr("<p><b>Note:</b> the relay listens on port %1, but Google "
                                                   "Workspace, Exchange Online and other "
                                                   "mail servers connect on port 25. Set relay.listen to "
                                                   "port 25 (or forward port 25 to %1) before "
                                                   "the cut-over.</p>")
                                                    .arg(port);

    // MX change: the longest TTL seen decides how long old answers may live on.
    quint32 ttl = 0;
    QStringList mxDomains;
    QList<std::pair<QString, QString>> mxValues{{tr("Mail server (MX target)"), host}};
    for (const DomainReadiness &d : dns) {
        if (!d.mxChecked)
            continue;
        mxDomains << d.domain;
        for (quint32 t : d.mx.ttls)
            ttl = std::max(ttl, t);
        mxValues.append(
            {tr("MX record for %1").arg(d.domain), ReadinessAssessment::mxRecordFor(d.domain, relay)});
    }
    if (mxDomains.isEmpty())
        mxValues.append(
            {tr("MX record"), ReadinessAssessment::mxRecordFor(QStringLiteral("example.com"), relay)});
    const QString ttlText = ttl == 0 ? tr("the TTL of the current MX records (run the DNS check to see it)")
                                     : ReadinessAssessment::describeDuration(ttl);
    m_tabs->addTab(
        section(ol({tr("At your DNS provider, lower the TTL of the domain's MX records to 300 seconds "
                       "a day ahead. Then wait at least %1 — the current TTL — so that no resolver "
                       "still holds the old, long-lived answer.")
                        .arg(ttlText.toHtmlEscaped()),
                    tr("Push the configuration and activate the relay (Settings & Activation). "
                       "Check that %1 answers on port %2 from outside (Connector test).")
                        .arg(b(host), b(port)),
                    tr("Replace the MX records with one record: preference 10, mail server %1 "
                       "(the records below, ready to paste into a zone file).")
                        .arg(b(host)),
                    tr("Watch the Inbound and Relay logs: mail arrives through the relay as soon "
                       "as senders' resolvers see the new record — for up to %1 after the change "
                       "some mail still goes to the old servers, so keep them running that long.")
                        .arg(ttlText.toHtmlEscaped()),
                    tr("When the cut-over is done, raise the TTL again (for example 3600 s).")}) +
                    portNote,
                mxValues),
        tr("MX change"));

    // Google Workspace outbound gateway.
    const QString tlsGoogle = relay.tls
                                  ? tr("Tick %1: the relay offers STARTTLS.")
                                        .arg(b(tr("Require TLS for connections to the outbound gateway")))
                                  : tr("Leave %1 unticked: the relay has no certificate yet (Settings ▸ "
                                       "TLS); mail to the relay would fail.")
                                        .arg(b(tr("Require TLS for connections to the outbound gateway")));
    m_tabs->addTab(
        section(ol({tr("Sign in to the Google Admin console as a super administrator."),
                    tr("Go to %1.").arg(b(tr("Apps ▸ Google Workspace ▸ Gmail ▸ Routing"))),
                    tr("Under %1, enter the relay's host name %2 (or its address %3).")
                        .arg(b(tr("Outbound gateway")), b(host), b(address)),
                    tlsGoogle,
                    tr("Click %1. Changes can take up to an hour to reach every Gmail server.")
                        .arg(b(tr("Save"))),
                    tr("Allow Google's sending servers to relay: add Google's outbound ranges "
                       "(from %1) to outbound.allowed_clients under Settings & Activation (now: %2).")
                        .arg(code(QStringLiteral("_netblocks.google.com")),
                             allowedClients.isEmpty() ? tr("empty") : code(allowedClients)),
                    tr("Those ranges send for every Google Workspace customer, not only for you: the "
                       "relay relays their mail to outside addresses only when the envelope sender's "
                       "domain is one of yours. List your sending domains in %1 (empty: the domains "
                       "your Outbound rules name); other senders reach only your Inbound and Relay "
                       "addresses and get %2 for the rest.")
                        .arg(code(SettingKey::outboundAllowedSenders()), code(QStringLiteral("550 5.7.1"))),
                    tr("Send a message from a Workspace mailbox to an outside address and watch the "
                       "Outbound log.")}) +
                    portNote,
                {{tr("Outbound gateway"), host}, {tr("Relay address"), address}}),
        tr("Google Workspace"));

    // Exchange Online / Office 365 outbound connector.
    const QString tlsExchange =
        relay.tls
            ? tr("Security: tick %1 and choose %2 (or, with a self-signed certificate, %3).")
                  .arg(b(tr("Always use Transport Layer Security (TLS) to secure the connection "
                            "(recommended)")),
                       b(tr("Issued by a trusted certificate authority (CA)")),
                       b(tr("Any digital certificate, including self-signed certificates")))
            : tr("Security: untick %1 — the relay has no certificate yet (Settings ▸ TLS). Once it has one, "
                 "come back and require TLS.")
                  .arg(b(tr(
                      "Always use Transport Layer Security (TLS) to secure the connection (recommended)")));
    m_tabs->addTab(
        section(
            ol({tr("Open the Exchange admin center and go to %1.").arg(b(tr("Mail flow ▸ Connectors"))),
                tr("Click %1. Connection from: %2; connection to: %3.")
                    .arg(b(tr("Add a connector")), b(tr("Office 365")), b(tr("Partner organization"))),
                tr("Name it, for example %1, and leave it turned on.").arg(b(tr("MailRoute relay"))),
                tr("Use of connector: %1 (or only for the domains that move).")
                    .arg(b(tr("Only when I have a transport rule set up that redirects messages to "
                              "this connector"))),
                tr("Routing: %1 and add the smart host %2.")
                    .arg(b(tr("Route email through these smart hosts")), b(host)),
                tlsExchange,
                tr("Validate the connector with an outside address, then save. Exchange Online "
                   "connects to the smart host on port 25."),
                tr("Allow Exchange Online to relay: add Microsoft's outbound ranges "
                   "(%1) to outbound.allowed_clients (now: %2).")
                    .arg(code(QStringLiteral("spf.protection.outlook.com")),
                         allowedClients.isEmpty() ? tr("empty") : code(allowedClients)),
                tr("Those ranges are shared by every Exchange Online tenant: allowed on their own, "
                   "any other tenant could relay through this relay. So the relay relays their mail "
                   "to outside addresses only when the envelope sender's domain is one of yours: "
                   "list your sending domains in %1 (empty: the domains your Outbound rules name). "
                   "Other tenants still reach your Inbound and Relay addresses; anything else gets "
                   "%2.")
                    .arg(code(SettingKey::outboundAllowedSenders()), code(QStringLiteral("550 5.7.1")))}) +
                portNote,
            {{tr("Smart host"), host}, {tr("Relay address"), address}}),
        tr("Exchange Online / Office 365"));

    // SPF.
    QList<std::pair<QString, QString>> spfValues;
    for (const DomainReadiness &d : dns) {
        if (d.spfChecked && !d.suggestedSpf.isEmpty())
            spfValues.append({tr("TXT for %1").arg(d.domain), d.suggestedSpf});
    }
    // "ip4:192.0.2.25 ip6:2001:db8::25": the terms to add to a record.
    const QString generic = addresses.isEmpty()
                                ? QString()
                                : SpfEvaluator::recordWith(QStringLiteral("v=spf1"), relay.addresses).mid(7);
    if (spfValues.isEmpty() && !generic.isEmpty())
        spfValues.append({tr("Mechanism to add"), generic});
    m_tabs->addTab(
        section(ol({tr("The relay sends outbound mail from %1. Receivers check the sender domain's "
                       "SPF record against that address.")
                        .arg(b(address)),
                    tr("At your DNS provider, edit the TXT record that starts with %1 of each sender "
                       "domain (the Outbound target domains) and add the relay's address before the "
                       "%2 term, keeping every existing mechanism — the records below are exactly that. "
                       "A domain must have only one SPF record.")
                        .arg(code(QStringLiteral("v=spf1")), code(QStringLiteral("all"))),
                    tr("Run the DNS check again after the record's TTL: every domain should then show "
                       "SPF OK.")}),
                spfValues),
        tr("SPF record"));

    // DKIM: the records of the active and pending keys, before any connector
    // sends through the relay (a signature without its record fails DMARC).
    QList<std::pair<QString, QString>> dkimValues;
    for (const DkimKey &k : std::as_const(m_dkimKeys)) {
        if (k.state == DkimKeyState::Retired)
            continue;
        dkimValues.append({tr("TXT name (%1)").arg(dkimKeyStateName(k.state)), dkimRecordName(k)});
        dkimValues.append({tr("TXT value"), DkimKeyring::recordValue(k)});
    }
    const QString dkimSteps =
        dkimValues.isEmpty()
            ? ol({tr("Create a DKIM key for each Outbound target domain under Settings & Activation ▸ Mail "
                     "authentication (or %1). Its record then appears here.")
                      .arg(code(QStringLiteral("mailroutectl dkim generate DOMAIN")))})
            : ol({tr("Publish the DKIM record before pointing connectors at the relay: at your DNS provider, "
                     "add "
                     "a TXT record with each name and value below (a value longer than 255 characters is "
                     "split "
                     "into several strings by most providers on their own; %1 prints a zone-file line).")
                      .arg(code(QStringLiteral("mailroutectl dkim record DOMAIN --zone"))),
                  tr("Wait until the record answers (%1), then push: an active key signs from the push; a "
                     "pending "
                     "key becomes active with the first push that finds its record.")
                      .arg(code(QStringLiteral("dig TXT selector._domainkey.domain"))),
                  tr("Only then set up the Google Workspace gateway or the Exchange Online connector: "
                     "receivers that "
                     "enforce DMARC refuse mail whose signature they cannot verify.")});
    m_tabs->addTab(section(dkimSteps, dkimValues), tr("DKIM records"));

    // ARC: the target tenant trusts the relay's seal on the inbound mail it
    // forwards (SPF and rewritten headers no longer say who sent it).
    const bool arcKey = std::any_of(m_dkimKeys.cbegin(), m_dkimKeys.cend(), [this](const DkimKey &k) {
        return k.domain == m_arcDomain && k.state == DkimKeyState::Active;
    });
    const QString arcDomain = m_arcDomain.isEmpty() ? tr("(set arc.domain)") : m_arcDomain;
    const QString arcConfig =
        QStringLiteral("Set-ArcConfig -Identity default -ArcTrustedSealers %1").arg(arcDomain);
    const QString skipIps = addresses.isEmpty() ? address : addresses.join(QLatin1Char(','));
    const QString efConnector = QStringLiteral("Set-InboundConnector -Identity \"%1\" -EFSkipIPs %2")
                                    .arg(tr("MailRoute relay"), skipIps);
    QStringList arcSteps;
    if (m_arcDomain.isEmpty() || !arcKey)
        arcSteps
            << tr("First give the relay a sealing key: set %1 under Settings & Activation (for example the "
                  "relay's own domain) and create a DKIM key for it (%2); publish its record (DKIM records "
                  "tab) and push. Until then the relay seals nothing.")
                   .arg(code(SettingKey::arcDomain()),
                        code(QStringLiteral("mailroutectl dkim generate ") + arcDomain));
    arcSteps
        << tr("Exchange Online: connect with %1 and run the line below, which makes the relay's ARC seals "
              "(d=%2) trusted for your tenant.")
               .arg(code(QStringLiteral("Connect-ExchangeOnline")), b(arcDomain))
        << tr("Exchange Online, Enhanced Filtering for Connectors: in the Microsoft Defender portal go to "
              "%1, "
              "open the inbound connector that receives mail from the relay, choose %2 and add the relay's "
              "address %3 — or run the second line below. Exchange then judges the sender by the address "
              "before the relay.")
               .arg(b(tr("Email & collaboration ▸ Policies & rules ▸ Threat policies ▸ Enhanced filtering")),
                    b(tr("Skip these IP addresses that are associated with the connector")), b(address))
        << tr("Google Workspace: in the Admin console go to %1, turn on %2 and add the relay's address %3 to "
              "the gateway IPs; tick %4. Gmail then looks past the relay and trusts its ARC seal.")
               .arg(b(tr("Apps ▸ Google Workspace ▸ Gmail ▸ Spam, phishing and malware ▸ Inbound gateway")),
                    b(tr("Inbound gateway")), b(address),
                    b(tr("Automatically detect external IP (recommended)")))
        << tr("Send a message from outside to a migrated mailbox and look at its headers in the target: "
              "%1 and %2 name the relay.")
               .arg(code(QStringLiteral("ARC-Seal: i=… d=") + arcDomain),
                    code(QStringLiteral("Authentication-Results: ") + host + QStringLiteral("; … arc=")));
    m_tabs->addTab(section(ol(arcSteps), {{tr("Exchange Online: ARC trusted sealer"), arcConfig},
                                          {tr("Exchange Online: skip the relay's address"), efConnector},
                                          {tr("Google Workspace: inbound gateway IPs"), address}}),
                   tr("ARC (inbound trust)"));
    if (current >= 0)
        m_tabs->setCurrentIndex(current);
}

void RemoteInstructions::showSection(Section s)
{
    m_tabs->setCurrentIndex(static_cast<int>(s));
}

QStringList RemoteInstructions::values(Section s) const
{
    QStringList out;
    QWidget *page = m_tabs->widget(static_cast<int>(s));
    if (!page)
        return out;
    for (const QLineEdit *field : page->findChildren<QLineEdit *>())
        out << field->property(kValueProperty).toString();
    return out;
}

QString RemoteInstructions::stepsText(Section s) const
{
    QWidget *page = m_tabs->widget(static_cast<int>(s));
    const QLabel *label = page ? page->findChild<QLabel *>(QStringLiteral("steps")) : nullptr;
    return label ? label->text() : QString();
}

} // namespace mailroute
