#include "ui/readinesspage.h"
#include "ui/themecolours.h"

#include "relaycore/config/hostport.h"
#include "relaycore/readiness/connectorcheck.h"
#include "relaycore/readiness/dnsreadinesscheck.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/holdsummary.h"
#include "ui/remoteinstructions.h"
#include "ui/verifytargetspanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {

enum DnsColumn { ColDomain, ColCheck, ColStatus, ColDetail, ColRecord };
constexpr int kRecordNameRole = Qt::UserRole;
constexpr int kRecordRole = Qt::UserRole + 1;
enum ConnectorColumn { ColTask, ColTaskStatus, ColReply };

QLabel *pageTitle(const QString &text, QWidget *parent)
{
    auto *title = new QLabel(text, parent);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    return title;
}

} // namespace

QColor ReadinessPage::statusColor(ReadinessStatus status, const QPalette &palette)
{
    switch (status) {
    case ReadinessStatus::Ok: return theme::toneBackground(Tone::Good, palette);
    case ReadinessStatus::Warning: return theme::toneBackground(Tone::Warning, palette);
    case ReadinessStatus::Failure: return theme::toneBackground(Tone::Bad, palette);
    }
    return {};
}

QString ReadinessPage::statusText(ReadinessStatus status)
{
    switch (status) {
    case ReadinessStatus::Ok: return tr("OK");
    case ReadinessStatus::Warning: return tr("Warning");
    case ReadinessStatus::Failure: return tr("Failed");
    }
    return {};
}

ReadinessPage::ReadinessPage(BackgroundStore *background, const QString &nameserver, QWidget *parent)
    : QWidget(parent), m_background(background), m_nameserver(nameserver),
      m_dnsCheck(new DnsReadinessCheck(this))
{
    setObjectName(QStringLiteral("readinessPage"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(pageTitle(tr("Readiness"), this));
    m_relayLabel = new QLabel(this);
    m_relayLabel->setObjectName(QStringLiteral("relayIdentity"));
    m_relayLabel->setWordWrap(true);
    m_relayLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_relayLabel);
    m_holdsLabel = new QLabel(this);
    m_holdsLabel->setObjectName(QStringLiteral("activeHolds"));
    m_holdsLabel->setWordWrap(true);
    m_holdsLabel->hide();
    layout->addWidget(m_holdsLabel);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildDnsTab(), tr("DNS: MX, SPF, DKIM and DMARC"));
    m_tabs->addTab(buildConnectorTab(), tr("Connector test"));
    m_instructions = new RemoteInstructions(this);
    m_tabs->addTab(m_instructions, tr("Remote-side instructions"));
    m_tabs->addTab(new VerifyTargetsPanel(m_background, this), tr("Recipient verification"));
    layout->addWidget(m_tabs, 1);
    connect(m_dnsCheck, &DnsReadinessCheck::finished, this, &ReadinessPage::onDnsFinished);
    connect(m_dnsCheck, &DnsReadinessCheck::progress, this, &ReadinessPage::onDnsProgress);
    // The configuration is read when the page is first shown (showEvent), not
    // with the window: with a million users that read is not free.
}

ReadinessPage::~ReadinessPage() = default;

QWidget *ReadinessPage::buildDnsTab()
{
    auto *tab = new QWidget;
    auto *layout = new QVBoxLayout(tab);
    auto *intro =
        new QLabel(tr("Looks up the MX records of the domains whose mail the relay receives (Relay and "
                      "Inbound); for the domains whose mail it sends (Outbound targets) their SPF, DKIM "
                      "and DMARC records and whether mail rewritten to them passes DMARC; and says what "
                      "to change before the cut-over."),
                   tab);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *row = new QHBoxLayout;
    m_domains = new QLineEdit(tab);
    m_domains->setObjectName(QStringLiteral("domains"));
    m_domains->setAccessibleName(tr("Domains to check"));
    m_domains->setAccessibleDescription(
        tr("Separated by spaces; empty checks the domains of the pushed configuration."));
    m_domains->setPlaceholderText(
        tr("Domains to check, separated by spaces (empty: those of the pushed configuration)"));
    m_domains->setClearButtonEnabled(true);
    connect(m_domains, &QLineEdit::returnPressed, this, &ReadinessPage::checkDns);
    row->addWidget(m_domains, 1);
    m_checkDns = new QPushButton(tr("Check DNS"), tab);
    m_checkDns->setObjectName(QStringLiteral("checkDns"));
    m_checkDns->setDefault(true);
    connect(m_checkDns, &QPushButton::clicked, this, &ReadinessPage::checkDns);
    row->addWidget(m_checkDns);
    layout->addLayout(row);
    auto *progressRow = new QHBoxLayout;
    m_dnsProgress = new QProgressBar(tab);
    m_dnsProgress->setObjectName(QStringLiteral("dnsProgress"));
    progressRow->addWidget(m_dnsProgress, 1);
    m_cancelDns = new QPushButton(tr("Cancel"), tab);
    m_cancelDns->setObjectName(QStringLiteral("cancelDns"));
    connect(m_cancelDns, &QPushButton::clicked, this, &ReadinessPage::cancelDns);
    progressRow->addWidget(m_cancelDns);
    layout->addLayout(progressRow);
    showDnsRunning(false);
    m_dnsSummary = new QLabel(tr("Not checked yet."), tab);
    m_dnsSummary->setObjectName(QStringLiteral("dnsSummary"));
    m_dnsSummary->setWordWrap(true);
    layout->addWidget(m_dnsSummary);
    m_dnsTree = new QTreeWidget(tab);
    m_dnsTree->setObjectName(QStringLiteral("dnsTree"));
    m_dnsTree->setAccessibleName(tr("DNS findings"));
    m_dnsTree->setHeaderLabels({tr("Domain"), tr("Check"), tr("Status"), tr("Details"), tr("Record")});
    m_dnsTree->setRootIsDecorated(true);
    m_dnsTree->setWordWrap(true);
    m_dnsTree->setAlternatingRowColors(false);
    m_dnsTree->header()->setStretchLastSection(false);
    m_dnsTree->header()->setSectionResizeMode(ColDetail, QHeaderView::Stretch);
    m_dnsTree->header()->setSectionResizeMode(ColRecord, QHeaderView::ResizeToContents);
    connect(m_dnsTree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        // A finding that proposes a record shows it; a domain its SPF record.
        if (item && item->parent() && !item->data(ColRecord, kRecordRole).toString().isEmpty()) {
            showRecord(item->data(ColRecord, kRecordNameRole).toString(),
                       item->data(ColRecord, kRecordRole).toString());
            return;
        }
        for (; item && item->parent(); item = item->parent()) {
        }
        if (item)
            showSpfFor(item->text(ColDomain));
    });
    layout->addWidget(m_dnsTree, 1);
    auto *spfRow = new QHBoxLayout;
    m_spfLabel = new QLabel(tr("SPF record to publish:"), tab);
    spfRow->addWidget(m_spfLabel);
    m_spfRecord = new QLineEdit(tab);
    m_spfRecord->setObjectName(QStringLiteral("spfRecord"));
    m_spfRecord->setAccessibleName(tr("SPF record to publish"));
    m_spfRecord->setReadOnly(true);
    spfRow->addWidget(m_spfRecord, 1);
    m_copySpf = new QPushButton(tr("Copy"), tab);
    m_copySpf->setObjectName(QStringLiteral("copySpf"));
    m_copySpf->setAccessibleName(tr("Copy the SPF record"));
    connect(m_copySpf, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_spfRecord->text()); });
    spfRow->addWidget(m_copySpf);
    layout->addLayout(spfRow);
    showSpfFor({});
    return tab;
}

QWidget *ReadinessPage::buildConnectorTab()
{
    auto *tab = new QWidget;
    auto *layout = new QVBoxLayout(tab);
    auto *intro =
        new QLabel(tr("Talks to a next hop the way the relay does: connect, banner, EHLO, STARTTLS and the "
                      "TLS handshake — or sends a real test message through it."),
                   tab);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_hop = new QComboBox(tab);
    m_hop->setObjectName(QStringLiteral("hop"));
    m_hop->setEditable(true);
    m_hop->setInsertPolicy(QComboBox::NoInsert);
    m_hop->lineEdit()->setPlaceholderText(tr("host[:port], e.g. smtp.example.com:587"));
    form->addRow(tr("Next hop:"), m_hop);
    m_recipient = new QLineEdit(tab);
    m_recipient->setObjectName(QStringLiteral("recipient"));
    m_recipient->setPlaceholderText(tr("you@example.com"));
    form->addRow(tr("Test recipient:"), m_recipient);
    layout->addLayout(form);
    auto *buttons = new QHBoxLayout;
    m_checkConnector = new QPushButton(tr("Check connectivity"), tab);
    m_checkConnector->setObjectName(QStringLiteral("checkConnectivity"));
    connect(m_checkConnector, &QPushButton::clicked, this, &ReadinessPage::checkConnectivity);
    buttons->addWidget(m_checkConnector);
    m_sendTest = new QPushButton(tr("Send test email"), tab);
    m_sendTest->setObjectName(QStringLiteral("sendTestEmail"));
    connect(m_sendTest, &QPushButton::clicked, this, &ReadinessPage::sendTestEmail);
    buttons->addWidget(m_sendTest);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_connectorSummary = new QLabel(tab);
    m_connectorSummary->setObjectName(QStringLiteral("connectorSummary"));
    m_connectorSummary->setWordWrap(true);
    layout->addWidget(m_connectorSummary);
    m_connectorTable = new QTableWidget(0, 3, tab);
    m_connectorTable->setObjectName(QStringLiteral("connectorTable"));
    m_connectorTable->setAccessibleName(tr("Connector test steps"));
    m_connectorTable->setHorizontalHeaderLabels({tr("Task"), tr("Status"), tr("Reply")});
    m_connectorTable->horizontalHeader()->setStretchLastSection(true);
    m_connectorTable->verticalHeader()->hide();
    m_connectorTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_connectorTable->setWordWrap(true);
    layout->addWidget(m_connectorTable, 1);
    return tab;
}

namespace {

struct LoadedPlan
{
    Result<ReadinessPlan> plan;
    std::optional<qint64> generation;
    QString allowedClients;
    QString arcDomain;
    QList<DkimKey> dkimKeys;
};

} // namespace

void ReadinessPage::reload(std::function<void()> then)
{
    ++m_loading;
    m_background->run(
        this,
        [](ConfigStore &store) {
            LoadedPlan loaded{Result<ReadinessPlan>::failure({}), store.activeGeneration(), {}, {}, {}};
            {
                // The whole configuration, user lists included (Outbound
                // targets name the domains to check SPF for): freed, and the
                // heap trimmed, before the small plan goes to the GUI.
                ConfigData config;
                if (loaded.generation) {
                    auto pushed = store.generationConfig(*loaded.generation);
                    if (!pushed.ok()) {
                        loaded.plan = Result<ReadinessPlan>::failure(pushed.error);
                        return loaded;
                    }
                    config = std::move(*pushed);
                } else {
                    config = store.draft();
                }
                loaded.dkimKeys = store.dkimKeys(); // the draft's: publish before the push
                config.dkimKeys = loaded.dkimKeys;  // and check them before it
                loaded.plan = ReadinessPlan::fromConfig(config);
                loaded.allowedClients = config.settings.value(SettingKey::outboundAllowedClients());
                loaded.arcDomain = config.settings.value(SettingKey::arcDomain());
            }
            BackgroundStore::trimHeap();
            return loaded;
        },
        [this, then = std::move(then)](LoadedPlan loaded) {
            --m_loading;
            m_generation = loaded.generation;
            m_planError = loaded.plan.ok() ? QString() : loaded.plan.error;
            if (loaded.plan.ok())
                m_plan = *loaded.plan;
            m_allowedClients = loaded.allowedClients;
            m_instructions->setArcDomain(loaded.arcDomain);
            m_instructions->setDkimKeys(loaded.dkimKeys);
            updateRelayLabel();
            const QString typed = m_hop->currentText();
            m_hop->clear();
            for (const ReadinessHop &h : std::as_const(m_plan.hops))
                m_hop->addItem(QStringLiteral("%1 — %2").arg(h.hop, h.role), h.hop);
            if (!typed.isEmpty())
                m_hop->setEditText(typed);
            if (m_recipient->text().isEmpty())
                m_recipient->setText(m_plan.postmaster);
            updateInstructions();
            emit reloaded();
            if (then)
                then();
        });
}

void ReadinessPage::updateRelayLabel()
{
    const RelayIdentity &relay = m_checkedRelay.addresses.isEmpty() ? m_plan.relay : m_checkedRelay;
    QString text = tr("This relay: <b>%1</b>, port %2, STARTTLS %3.")
                       .arg(m_plan.relay.hostname.toHtmlEscaped())
                       .arg(m_plan.relay.port)
                       .arg(m_plan.relay.tls ? tr("offered") : tr("not offered (no certificate)"));
    if (!relay.addresses.isEmpty())
        text +=
            QLatin1Char(' ') +
            tr("Public address: %1.").arg(relay.addressTexts().join(QStringLiteral(", ")).toHtmlEscaped());
    text += QLatin1Char(' ') + (m_generation ? tr("Checks the pushed generation %1.").arg(*m_generation)
                                             : tr("Nothing is pushed yet: checks the draft."));
    // Status hues readable on this palette's background (ui/themecolours.h).
    const QColor window = palette().color(QPalette::Window);
    const QString bad = theme::toneText(Tone::Bad, window, palette()).name();
    const QString warning = theme::toneText(Tone::Warning, window, palette()).name();
    if (!m_planError.isEmpty())
        text += QStringLiteral("<br><span style=\"color:%1\">").arg(bad) + m_planError.toHtmlEscaped() +
                QStringLiteral("</span>");
    for (const ReadinessFinding &f : std::as_const(m_plan.findings))
        text += QStringLiteral("<br><span style=\"color:%1\">").arg(warning) + f.detail.toHtmlEscaped() +
                QStringLiteral("</span>");
    m_relayLabel->setText(text);
}

void ReadinessPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(static_cast<int>(tab));
}

void ReadinessPage::setHoldsDatabase(const QString &databasePath)
{
    m_holdsDatabase = databasePath;
}

void ReadinessPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_holdsDatabase.isEmpty()) {
        const QString holds = holdChecklistLine(m_holdsDatabase);
        m_holdsLabel->setText(holds);
        m_holdsLabel->setVisible(!holds.isEmpty());
    }
    if (!isBusy() && !isLoading())
        reload();
}

bool ReadinessPage::isBusy() const
{
    return m_dnsCheck->isRunning() || (m_connector && m_connector->isRunning());
}

void ReadinessPage::setSummary(QLabel *label, ReadinessStatus status, const QString &text)
{
    label->setText(text);
    label->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; padding: 6px; border-radius: 3px; }")
            .arg(statusColor(status, palette()).name(), palette().color(QPalette::Text).name()));
}

void ReadinessPage::checkDns()
{
    if (m_dnsCheck->isRunning())
        return;
    // Typed domains are checked before anything else happens.
    const QStringList typed =
        m_domains->text().split(QRegularExpression(QStringLiteral("[\\s,;]+")), Qt::SkipEmptyParts);
    const auto parsed = ReadinessPlan::domainsFromArguments(typed);
    if (!parsed.ok()) {
        setSummary(m_dnsSummary, ReadinessStatus::Failure, parsed.error);
        return;
    }
    m_checkDns->setEnabled(false);
    reload([this, domains = *parsed] { startDnsCheck(domains); }); // the configuration as pushed now
}

void ReadinessPage::startDnsCheck(const QList<DomainCheck> &typed)
{
    m_checkDns->setEnabled(true);
    DnsReadinessCheck::Options options;
    options.domains = typed.isEmpty() ? m_plan.domains : m_plan.withConfiguration(typed);
    if (options.domains.isEmpty()) {
        setSummary(m_dnsSummary, ReadinessStatus::Warning,
                   tr("No domains to check: create domain mappings and push, or type the domains above."));
        return;
    }
    options.relay = m_plan.relay;
    options.nameserver = m_nameserver;
    m_checkDns->setEnabled(false);
    m_dnsSummary->setStyleSheet({});
    m_dnsSummary->setText(tr("Looking up %n domain(s)…", nullptr, int(options.domains.size())));
    showDnsRunning(true);
    m_dnsCheck->start(options);
}

void ReadinessPage::showDnsRunning(bool running)
{
    m_dnsProgress->setVisible(running);
    m_cancelDns->setVisible(running);
    if (running) {
        m_dnsProgress->setRange(0, 0); // busy until the first answers
        m_dnsProgress->setValue(0);
    }
}

void ReadinessPage::onDnsProgress(int answered, int asked)
{
    m_dnsProgress->setRange(0, qMax(1, asked));
    m_dnsProgress->setValue(answered);
    m_dnsProgress->setFormat(tr("%1 of %2 DNS look-ups answered").arg(answered).arg(asked));
}

void ReadinessPage::cancelDns()
{
    if (!m_dnsCheck->isRunning())
        return;
    m_dnsCheck->cancel();
    showDnsRunning(false);
    m_checkDns->setEnabled(true);
    setSummary(m_dnsSummary, ReadinessStatus::Warning, tr("DNS check cancelled; nothing was assessed."));
    emit dnsCancelled();
}

void ReadinessPage::onDnsFinished(const QList<DomainReadiness> &results)
{
    m_dnsResults = results;
    m_checkedRelay = m_dnsCheck->relay();
    m_checkDns->setEnabled(true);
    showDnsRunning(false);
    m_dnsTree->clear();
    int ok = 0;
    int warnings = 0;
    int failures = 0;
    QString firstToShow;
    for (const DomainReadiness &d : results) {
        const ReadinessStatus status = d.status();
        (status == ReadinessStatus::Ok ? ok : status == ReadinessStatus::Warning ? warnings : failures)++;
        auto *top = new QTreeWidgetItem(m_dnsTree, {d.domain, QString(), statusText(status), QString()});
        QFont bold = top->font(ColDomain);
        bold.setBold(true);
        top->setFont(ColDomain, bold);
        top->setBackground(ColStatus, statusColor(status, palette()));
        for (const ReadinessFinding &f : d.findings) {
            auto *item = new QTreeWidgetItem(top, {QString(), f.check, statusText(f.status), f.detail});
            item->setBackground(ColStatus, statusColor(f.status, palette()));
            item->setToolTip(ColDetail, f.detail);
            if (!f.record.isEmpty()) {
                // The record it proposes, copied with one click.
                item->setData(ColRecord, kRecordNameRole, f.recordName);
                item->setData(ColRecord, kRecordRole, f.record);
                auto *copy = new QPushButton(tr("Copy"), m_dnsTree);
                copy->setObjectName(QStringLiteral("copyRecord"));
                copy->setAccessibleName(tr("Copy the record for %1").arg(f.recordName));
                // Keyboard users select the finding and use the Copy button
                // under the table; a focusable button here would take the
                // focus (and the current row) whenever a button is disabled.
                copy->setFocusPolicy(Qt::NoFocus);
                copy->setToolTip(tr("Copies the record to publish at %1:\n%2").arg(f.recordName, f.record));
                connect(copy, &QPushButton::clicked, this, [this, item, record = f.record] {
                    QApplication::clipboard()->setText(record);
                    m_dnsTree->setCurrentItem(item);
                });
                m_dnsTree->setItemWidget(item, ColRecord, copy);
            }
            if (!f.advice.isEmpty() && f.status != ReadinessStatus::Ok) {
                auto *advice = new QTreeWidgetItem(item, {QStringLiteral("→ ") + f.advice});
                advice->setFirstColumnSpanned(true);
                QFont italic = advice->font(0);
                italic.setItalic(true);
                advice->setFont(0, italic);
                advice->setToolTip(0, f.advice);
            } else if (!f.advice.isEmpty()) {
                item->setToolTip(ColDetail, f.detail + QStringLiteral("\n") + f.advice);
            }
        }
        if (firstToShow.isEmpty() && !d.suggestedSpf.isEmpty())
            firstToShow = d.domain;
    }
    m_dnsTree->expandAll();
    for (int c = ColDomain; c < ColDetail; ++c)
        m_dnsTree->resizeColumnToContents(c);
    const ReadinessStatus overall = failures   ? ReadinessStatus::Failure
                                    : warnings ? ReadinessStatus::Warning
                                               : ReadinessStatus::Ok;
    QString summary = tr("%n domain(s) checked: ", nullptr, int(results.size())) +
                      tr("%1 ready, %2 with warnings, %3 failing.").arg(ok).arg(warnings).arg(failures);
    summary +=
        QLatin1Char(' ') +
        (failures   ? tr("Fix the failing checks before you point mail at the relay; each says what to do.")
         : warnings ? tr("Read the warnings before the cut-over.")
                    : tr("DNS is ready for the cut-over."));
    setSummary(m_dnsSummary, overall, summary);
    showSpfFor(firstToShow);
    updateRelayLabel(); // the relay's address as found
    updateInstructions();
    emit dnsFinished();
}

void ReadinessPage::showRecord(const QString &name, const QString &record)
{
    m_spfLabel->setText(tr("Record to publish at %1:").arg(name));
    m_spfRecord->setText(record);
    m_copySpf->setEnabled(!record.isEmpty());
}

void ReadinessPage::showSpfFor(const QString &domain)
{
    QString record;
    for (const DomainReadiness &d : std::as_const(m_dnsResults)) {
        if (d.domain == domain)
            record = d.suggestedSpf;
    }
    const bool show = !record.isEmpty();
    m_spfLabel->setText(show ? tr("SPF record to publish for %1:").arg(domain)
                             : tr("SPF record to publish:"));
    m_spfRecord->setText(record);
    m_spfRecord->setPlaceholderText(tr("Select a domain whose SPF record needs a change."));
    m_copySpf->setEnabled(show);
}

QString ReadinessPage::spfToPublish() const
{
    return m_spfRecord->text();
}

QString ReadinessPage::dnsSummary() const
{
    return m_dnsSummary->text();
}

QString ReadinessPage::connectorSummary() const
{
    return m_connectorSummary->text();
}

void ReadinessPage::updateInstructions()
{
    RelayIdentity relay = m_plan.relay;
    if (relay.addresses.isEmpty())
        relay.addresses = m_checkedRelay.addresses;
    m_instructions->setValues(relay, m_allowedClients, m_dnsResults);
}

void ReadinessPage::checkConnectivity()
{
    runConnector(false);
}

void ReadinessPage::sendTestEmail()
{
    runConnector(true);
}

void ReadinessPage::runConnector(bool send)
{
    if (m_connector && m_connector->isRunning())
        return;
    const int index = m_hop->findText(m_hop->currentText());
    const QString hop = index >= 0 ? m_hop->itemData(index).toString() : m_hop->currentText().trimmed();
    const QString role = index >= 0 ? m_plan.hops.value(index).role : QString();
    const TlsPolicy tls = index >= 0 ? m_plan.hops.value(index).tls : m_plan.defaultTls;
    delete m_connector;
    ConnectorCheck::Options options;
    options.heloName = m_plan.relay.hostname;
    options.nameserver = m_nameserver;
    options.caCertificates = m_plan.caCertificates;
    m_connector = new ConnectorCheck(options, this);
    connect(m_connector, &ConnectorCheck::stepDone, this, &ReadinessPage::onConnectorStep);
    connect(m_connector, &ConnectorCheck::finished, this, &ReadinessPage::onConnectorFinished);
    m_connectorTable->setRowCount(0);
    const QString from = m_plan.postmaster.isEmpty() ? QStringLiteral("postmaster@") + m_plan.relay.hostname
                                                     : m_plan.postmaster;
    const Status started =
        hop.isEmpty() ? Status::failure(tr("Choose or type a next hop first (host[:port])."))
        : send        ? m_connector->sendTestEmail(hop, from, m_recipient->text().trimmed(), role, tls)
                      : m_connector->checkConnectivity(hop, role, tls);
    if (!started.ok()) {
        setSummary(m_connectorSummary, ReadinessStatus::Failure, started.error);
        return;
    }
    m_checkConnector->setEnabled(false);
    m_sendTest->setEnabled(false);
    m_connectorSummary->setStyleSheet({});
    m_connectorSummary->setText(send ? tr("Sending a test message through %1…").arg(hop)
                                     : tr("Talking to %1…").arg(hop));
}

void ReadinessPage::onConnectorStep(const ConnectorStep &step)
{
    const int row = m_connectorTable->rowCount();
    m_connectorTable->insertRow(row);
    m_connectorTable->setItem(row, ColTask, new QTableWidgetItem(step.task));
    auto *status = new QTableWidgetItem(statusText(step.status));
    status->setBackground(statusColor(step.status, palette()));
    m_connectorTable->setItem(row, ColTaskStatus, status);
    auto *reply = new QTableWidgetItem(step.detail);
    reply->setToolTip(step.detail);
    m_connectorTable->setItem(row, ColReply, reply);
    m_connectorTable->resizeRowToContents(row);
    m_connectorTable->resizeColumnToContents(ColTask);
}

void ReadinessPage::onConnectorFinished(const ConnectorReport &report)
{
    m_checkConnector->setEnabled(true);
    m_sendTest->setEnabled(true);
    const ReadinessStatus status = report.status();
    const QString text = status == ReadinessStatus::Ok ? tr("%1 works.").arg(report.hop)
                         : status == ReadinessStatus::Warning
                             ? tr("%1 works, with warnings: see the table.").arg(report.hop)
                             : tr("%1 failed: see the table for the server's replies.").arg(report.hop);
    setSummary(m_connectorSummary, status, text);
    emit connectorFinished();
}

} // namespace mailroute
