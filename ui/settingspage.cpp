#include "ui/settingspage.h"
#include "ui/themecolours.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/relayhostname.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/configstore.h"
#include "ui/certificatepanel.h"
#include "ui/dkimkeyspanel.h"
#include "ui/infobanner.h"
#include "ui/secretrow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSysInfo>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

struct SettingsPage::Field
{
    const SettingDef *def = nullptr;
    QLineEdit *edit = nullptr;
    QCheckBox *check = nullptr;
    QComboBox *choice = nullptr; // a choice explained value by value (choiceTexts)
    QLabel *message = nullptr;
    QString saved; // the store's current value (canonical)
    bool valid = true;
};

namespace {

QString label(const QString &key)
{
    static const QMap<QString, const char *> labels = {
        {SettingKey::relayListen(), QT_TRANSLATE_NOOP("SettingsPage", "Listen address and port")},
        {SettingKey::relayHostname(), QT_TRANSLATE_NOOP("SettingsPage", "Relay host name")},
        {SettingKey::relayPostmaster(), QT_TRANSLATE_NOOP("SettingsPage", "Postmaster (your address)")},
        {SettingKey::relayMaxHops(), QT_TRANSLATE_NOOP("SettingsPage", "Most Received: fields (loops)")},
        {SettingKey::rewriteRecipientHeaders(), QT_TRANSLATE_NOOP("SettingsPage", "Rewrite To and Cc")},
        {SettingKey::rewriteSenderHeaders(),
         QT_TRANSLATE_NOOP("SettingsPage", "Rewrite From, Sender and Reply-To")},
        {SettingKey::outboundAllowedClients(), QT_TRANSLATE_NOOP("SettingsPage", "Allowed client networks")},
        {SettingKey::outboundAllowedSenders(), QT_TRANSLATE_NOOP("SettingsPage", "Allowed sender domains")},
        {SettingKey::deliverySmarthost(), QT_TRANSLATE_NOOP("SettingsPage", "Smart host")},
        {SettingKey::deliveryConcurrencyPerDestination(),
         QT_TRANSLATE_NOOP("SettingsPage", "Connections per next hop")},
        {SettingKey::retrySchedule(), QT_TRANSLATE_NOOP("SettingsPage", "Retry schedule")},
        {SettingKey::retryMinBackoff(), QT_TRANSLATE_NOOP("SettingsPage", "Shortest time between retries")},
        {SettingKey::retryDelayWarning(),
         QT_TRANSLATE_NOOP("SettingsPage", "Tell the sender after (0: never)")},
        {SettingKey::retryHoldMax(), QT_TRANSLATE_NOOP("SettingsPage", "Warn me of a hold after")},
        {SettingKey::logRetentionDays(),
         QT_TRANSLATE_NOOP("SettingsPage", "Keep logs for (days, 0: always)")},
        {SettingKey::limitsMessageSize(), QT_TRANSLATE_NOOP("SettingsPage", "Largest message")},
        {SettingKey::limitsRecipients(), QT_TRANSLATE_NOOP("SettingsPage", "Recipients per message")},
        {SettingKey::limitsCommandLine(), QT_TRANSLATE_NOOP("SettingsPage", "Longest command line")},
        {SettingKey::limitsTextLine(), QT_TRANSLATE_NOOP("SettingsPage", "Longest text line")},
        {SettingKey::limitsSessions(), QT_TRANSLATE_NOOP("SettingsPage", "Concurrent sessions")},
        {SettingKey::limitsSessionsPerIp(), QT_TRANSLATE_NOOP("SettingsPage", "Sessions per client address")},
        {SettingKey::limitsCommandTimeout(), QT_TRANSLATE_NOOP("SettingsPage", "Command time-out")},
        {SettingKey::limitsDataTimeout(), QT_TRANSLATE_NOOP("SettingsPage", "Message text time-out")},
        {SettingKey::limitsErrors(), QT_TRANSLATE_NOOP("SettingsPage", "Protocol errors per session")},
        {SettingKey::limitsJunkCommands(),
         QT_TRANSLATE_NOOP("SettingsPage", "Commands without mail per session")},
        {SettingKey::tlsCertificate(), QT_TRANSLATE_NOOP("SettingsPage", "TLS certificate (PEM file)")},
        {SettingKey::tlsKey(), QT_TRANSLATE_NOOP("SettingsPage", "TLS private key (PEM file)")},
        {SettingKey::tlsRequiredBeforeMail(),
         QT_TRANSLATE_NOOP("SettingsPage", "Require STARTTLS before MAIL")},
        {SettingKey::smarthostUsername(), QT_TRANSLATE_NOOP("SettingsPage", "Smart host user name")},
        {SettingKey::relayPublicAddress(), QT_TRANSLATE_NOOP("SettingsPage", "Public address (for SPF)")},
        {SettingKey::deliveryTlsPolicy(), QT_TRANSLATE_NOOP("SettingsPage", "TLS to MX hosts")},
        {SettingKey::deliverySmarthostTls(), QT_TRANSLATE_NOOP("SettingsPage", "TLS to the smart host")},
        {SettingKey::deliveryTlsCaFile(),
         QT_TRANSLATE_NOOP("SettingsPage", "Extra CA certificates (PEM file)")},
        {SettingKey::relayConfirmations(), QT_TRANSLATE_NOOP("SettingsPage", "Confirmation emails")},
        {SettingKey::relayStopTimeout(),
         QT_TRANSLATE_NOOP("SettingsPage", "Wait for deliveries when stopping")},
        {SettingKey::authDmarcReject(),
         QT_TRANSLATE_NOOP("SettingsPage", "Refuse mail failing DMARC p=reject")},
        {SettingKey::arcDomain(), QT_TRANSLATE_NOOP("SettingsPage", "ARC sealing domain")},
        {SettingKey::arcSeal(), QT_TRANSLATE_NOOP("SettingsPage", "ARC-seal which messages")},
        {SettingKey::verifyRecipients(),
         QT_TRANSLATE_NOOP("SettingsPage", "Verify recipients at the target")},
        {SettingKey::verifyExcludeDomains(), QT_TRANSLATE_NOOP("SettingsPage", "Domains never verified")},
        {SettingKey::verifyPositiveTtl(),
         QT_TRANSLATE_NOOP("SettingsPage", "Remember accepted recipients for")},
        {SettingKey::verifyNegativeTtl(),
         QT_TRANSLATE_NOOP("SettingsPage", "Remember refused recipients for")},
        {SettingKey::verifyConcurrency(),
         QT_TRANSLATE_NOOP("SettingsPage", "Verification probes per next hop")},
        {SettingKey::wavesProbeRate(), QT_TRANSLATE_NOOP("SettingsPage", "Wave check probes per minute")},
        {SettingKey::relayVerifySender(), QT_TRANSLATE_NOOP("SettingsPage", "Sender of verification probes")},
    };
    const char *text = labels.value(key);
    return text ? QCoreApplication::translate("SettingsPage", text) : key;
}

// The header rewriting choices, one sentence per value on what it does to
// senders' DKIM signatures (and so to DMARC at the target tenant).
QList<QPair<QString, QString>> choiceTexts(const QString &key)
{
    if (key == SettingKey::rewriteRecipientHeaders())
        return {
            {QStringLiteral("unsigned"),
             QCoreApplication::translate(
                 "SettingsPage", "unsigned: To and Cc are rewritten only when no valid DKIM signature of the "
                                 "sender covers them, so signed mail stays valid; the envelope is always "
                                 "rewritten.")},
            {QStringLiteral("always"),
             QCoreApplication::translate(
                 "SettingsPage",
                 "always: To and Cc are always rewritten; a sender's DKIM signature that covers "
                 "them breaks, and the message can fail DMARC at the target tenant.")},
            {QStringLiteral("never"),
             QCoreApplication::translate(
                 "SettingsPage", "never: To and Cc keep the addresses the sender wrote, so signatures stay "
                                 "valid; only the envelope recipients are rewritten.")}};
    if (key == SettingKey::rewriteSenderHeaders())
        return {
            {QStringLiteral("yes"),
             QCoreApplication::translate(
                 "SettingsPage", "yes: From, Sender and Reply-To of the outbound clients' mail are rewritten "
                                 "with the envelope sender; a DKIM signature the client's own server added "
                                 "over them breaks, so sign after the relay.")},
            {QStringLiteral("no"),
             QCoreApplication::translate(
                 "SettingsPage", "no: only the envelope sender is rewritten; the headers and any signature "
                                 "over them stay as they were.")}};
    return {};
}

QString placeholder(const SettingDef &def)
{
    switch (def.type) {
    case SettingType::HostPort:
        return def.key == SettingKey::relayListen()
                   ? QStringLiteral("0.0.0.0:25")
                   : QCoreApplication::translate("SettingsPage", "empty: MX look-up in DNS");
    case SettingType::CidrList: return QStringLiteral("10.0.0.0/8, 2001:db8::/32, 192.0.2.7");
    case SettingType::DomainList:
        return QCoreApplication::translate("SettingsPage", "empty: the domains the Outbound rules name");
    case SettingType::Hostname:
        return QCoreApplication::translate("SettingsPage", "empty: this machine's name");
    case SettingType::Email: return QStringLiteral("admin@example.com");
    case SettingType::Path: return QCoreApplication::translate("SettingsPage", "empty: not configured");
    case SettingType::DurationList: return QStringLiteral("5m,20m,60m");
    case SettingType::String:
        if (!def.choices.isEmpty())
            return def.choices.join(QStringLiteral(" | "));
        return def.defaultValue;
    default: return def.defaultValue;
    }
}

// A reading of a valid value, so "35M" or "300" is confirmed in plain words.
QString meaning(const SettingDef &def, const QString &canonical)
{
    const QLocale locale;
    // The counts are plain variables: lupdate 6.4 loops forever on int(a / b)
    // and silently skips a translate() whose count holds '/' or '<'.
    auto duration = [](qint64 seconds) {
        const int hours = static_cast<int>(seconds / 3600);
        const int minutes = static_cast<int>(seconds / 60);
        if (seconds % 3600 == 0)
            return QCoreApplication::translate("SettingsPage", "%n hour(s)", nullptr, hours);
        if (seconds % 60 == 0)
            return QCoreApplication::translate("SettingsPage", "%n minute(s)", nullptr, minutes);
        return QCoreApplication::translate("SettingsPage", "%n second(s)", nullptr, int(seconds));
    };
    switch (def.type) {
    case SettingType::Size: return locale.formattedDataSize(SettingsSchema::toInteger(canonical));
    case SettingType::Duration: return duration(SettingsSchema::toInteger(canonical));
    case SettingType::DurationList: {
        const QList<qint64> delays = SettingsSchema::toDurationList(canonical);
        QStringList parts;
        for (qint64 d : delays)
            parts << duration(d);
        return QCoreApplication::translate("SettingsPage", "%n retry(s) after the first attempt: %1", nullptr,
                                           int(delays.size()))
            .arg(parts.join(QStringLiteral(", ")));
    }
    case SettingType::HostPort:
        if (canonical.isEmpty())
            return def.key == SettingKey::deliverySmarthost()
                       ? QCoreApplication::translate("SettingsPage", "Mail goes to each domain's MX hosts.")
                       : QString();
        return {};
    default: return {};
    }
}

void styleMessage(QLabel *label, bool error)
{
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, error ? theme::toneText(Tone::Bad, pal.color(QPalette::Window), pal)
                                             : label->palette().color(QPalette::PlaceholderText));
    label->setPalette(pal);
}

} // namespace

SettingsPage::SettingsPage(ConfigStore *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_banner(new InfoBanner(this)),
      m_secrets(createSystemSecretStore(QFileInfo(store->path()).absoluteFilePath()))
{
    setObjectName(QStringLiteral("settingsPage"));
    auto *outer = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Settings & Activation"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    outer->addWidget(title);
    outer->addWidget(m_banner);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(buildActivation());
    layout->addWidget(
        buildGroup(tr("Listener"),
                   tr("Where the relay accepts mail. Point MX records (inbound) or your mail systems' "
                      "connectors (outbound) at this address."),
                   {SettingKey::relayListen(), SettingKey::relayHostname(), SettingKey::relayPublicAddress(),
                    SettingKey::relayPostmaster(), SettingKey::relayConfirmations()}));
    layout->addWidget(buildTls());
    layout->addWidget(buildGroup(
        tr("Outbound clients"),
        tr("Clients in these networks may send to any recipient when the envelope sender's domain is an "
           "allowed sender domain (empty: the domains the Outbound rules name), or for bounces; their "
           "senders "
           "go through the Outbound area. Everyone else, and other senders, may only send to addresses an "
           "Inbound or Relay rule matches."),
        {SettingKey::outboundAllowedClients(), SettingKey::outboundAllowedSenders()}));
    QWidget *delivery = buildGroup(
        tr("Delivery and retries"),
        tr("Temporary failures are retried on this schedule, then bounced. It is far shorter than RFC 5321 "
           "suggests, as the hosted service was: lengthen it while a tenant re-verifies a domain."),
        {SettingKey::retrySchedule(), SettingKey::retryMinBackoff(), SettingKey::retryDelayWarning(),
         SettingKey::retryHoldMax(), SettingKey::deliverySmarthost(), SettingKey::deliverySmarthostTls(),
         SettingKey::smarthostUsername(), SettingKey::deliveryTlsPolicy(), SettingKey::deliveryTlsCaFile(),
         SettingKey::deliveryConcurrencyPerDestination(), SettingKey::relayStopTimeout()});
    // The password is not a setting: it goes straight to the OS keychain.
    m_passwordRow = new SecretRow(m_secrets, secretnames::smarthostPassword(), delivery);
    static_cast<QFormLayout *>(delivery->layout())->addRow(tr("Smart host password:"), m_passwordRow);
    layout->addWidget(delivery);
    layout->addWidget(buildRoutes());
    m_dkim = new DkimKeysPanel(m_store, content); // DKIM keys: draft rows, not settings
    connect(m_dkim, &DkimKeysPanel::changed, this, &SettingsPage::changed);
    layout->addWidget(m_dkim);
    layout->addWidget(buildGroup(
        tr("Rewriting and limits"), QString(),
        {SettingKey::rewriteRecipientHeaders(), SettingKey::rewriteSenderHeaders(),
         SettingKey::relayMaxHops(), SettingKey::limitsMessageSize(), SettingKey::limitsRecipients(),
         SettingKey::limitsSessions(), SettingKey::limitsSessionsPerIp(), SettingKey::limitsCommandTimeout(),
         SettingKey::limitsDataTimeout(), SettingKey::limitsCommandLine(), SettingKey::limitsTextLine(),
         SettingKey::limitsErrors(), SettingKey::limitsJunkCommands(), SettingKey::logRetentionDays()}));
    // Settings the groups above do not name (added to the schema later).
    QStringList others;
    for (const SettingDef &def : SettingsSchema::all()) {
        if (!m_fields.contains(def.key))
            others << def.key;
    }
    if (!others.isEmpty())
        layout->addWidget(buildGroup(tr("Other"), QString(), others));
    layout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    auto *buttons = new QHBoxLayout;
    auto *hint = new QLabel(
        tr("Saved settings are part of the draft: they reach the relay with the next push."), this);
    hint->setWordWrap(true);
    m_save = new QPushButton(tr("&Save Settings"), this);
    m_save->setObjectName(QStringLiteral("saveSettingsButton"));
    m_revert = new QPushButton(tr("Re&vert"), this);
    m_revert->setObjectName(QStringLiteral("revertSettingsButton"));
    buttons->addWidget(hint, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);
    outer->addLayout(buttons);
    connect(m_save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(m_revert, &QPushButton::clicked, this, &SettingsPage::discardChanges);
    reload();
}

SettingsPage::~SettingsPage()
{
    qDeleteAll(m_fields);
}

QWidget *SettingsPage::buildActivation()
{
    auto *box = new QGroupBox(tr("Mail routing"), this);
    box->setObjectName(QStringLiteral("activationBox"));
    auto *layout = new QHBoxLayout(box);
    auto *text = new QVBoxLayout;
    m_relayState = new QLabel(box);
    m_relayState->setObjectName(QStringLiteral("relayStateText"));
    QFont f = m_relayState->font();
    f.setBold(true);
    m_relayState->setFont(f);
    m_relayDetail = new QLabel(box);
    m_relayDetail->setObjectName(QStringLiteral("relayDetailText"));
    m_relayDetail->setWordWrap(true);
    text->addWidget(m_relayState);
    text->addWidget(m_relayDetail);
    layout->addLayout(text, 1);
    m_activate = new QPushButton(tr("&Activate"), box);
    m_activate->setObjectName(QStringLiteral("activateButton"));
    m_activate->setToolTip(tr("Start the relay in this console with the active (pushed) generation"));
    m_stop = new QPushButton(tr("S&top Mail Routing…"), box);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    layout->addWidget(m_activate, 0, Qt::AlignTop);
    layout->addWidget(m_stop, 0, Qt::AlignTop);
    connect(m_activate, &QPushButton::clicked, this, &SettingsPage::activateRequested);
    connect(m_stop, &QPushButton::clicked, this, &SettingsPage::stopRequested);
    setRelayState(RelayRunner::Mode::Stopped, {}, {});
    return box;
}

void SettingsPage::setRelayState(RelayRunner::Mode mode, const RelayStatus &status,
                                 const QString &spoolDirectory)
{
    const QString spool = spoolDirectory.isEmpty() ? QString() : tr("Spool: %1").arg(spoolDirectory);
    switch (mode) {
    case RelayRunner::Mode::Stopped:
        m_relayState->setText(tr("Mail routing is stopped"));
        m_relayDetail->setText(
            (status.error.isEmpty()
                 ? tr("Push your configuration, then click Activate to start the relay here.")
                 : tr("The relay stopped: %1").arg(status.error)) +
            (spool.isEmpty() ? QString() : QLatin1Char('\n') + spool));
        break;
    case RelayRunner::Mode::Starting:
        m_relayState->setText(tr("Starting…"));
        m_relayDetail->setText(spool);
        break;
    case RelayRunner::Mode::Running:
        m_relayState->setText(tr("Mail routing is active on %1").arg(status.listenAddress));
        m_relayDetail->setText(
            tr("Generation %1 · %n open session(s)", nullptr, status.sessions).arg(status.generation) +
            QLatin1Char('\n') + spool);
        break;
    case RelayRunner::Mode::Stopping:
        m_relayState->setText(tr("Stopping…"));
        m_relayDetail->setText(tr("Open sessions are told to come back later (421); the queue is kept."));
        break;
    case RelayRunner::Mode::Headless:
        m_relayState->setText(tr("A headless relay (mailroutectl serve) runs on this database"));
        m_relayDetail->setText(
            tr("It picks up every push within a second; its log shows on the Logs pages. Stop "
               "it on its machine to run the relay here.") +
            QLatin1Char('\n') + spool);
        break;
    }
    const bool inProcess = mode == RelayRunner::Mode::Starting || mode == RelayRunner::Mode::Running;
    m_activate->setEnabled(mode == RelayRunner::Mode::Stopped);
    m_stop->setEnabled(inProcess);
}

QWidget *SettingsPage::buildGroup(const QString &title, const QString &intro, const QStringList &keys)
{
    auto *box = new QGroupBox(title, this);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    if (!intro.isEmpty()) {
        auto *text = new QLabel(intro, box);
        text->setWordWrap(true);
        form->addRow(text);
    }
    for (const QString &key : keys) {
        const SettingDef *def = SettingsSchema::find(key);
        if (!def)
            continue;
        auto *field = new Field;
        field->def = def;
        const QString help =
            QCoreApplication::translate("SettingsSchema", def->description.toUtf8().constData());
        field->message = new QLabel(box);
        field->message->setObjectName(QStringLiteral("message_") + key);
        field->message->setWordWrap(true);
        field->message->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        field->message->setText(help);
        styleMessage(field->message, false);
        if (!def->choices.isEmpty()) {
            // A fixed vocabulary (tls.required_before_mail, TLS policies, header
            // rewriting): a combo box, so no value outside it can be typed.
            field->choice = new QComboBox(box);
            field->choice->setObjectName(QStringLiteral("setting_") + key);
            const auto texts = choiceTexts(key);
            for (const QString &value : def->choices) {
                field->choice->addItem(value, value);
                for (const auto &[explained, sentence] : texts) {
                    if (explained == value)
                        field->choice->setItemData(field->choice->count() - 1, sentence, Qt::ToolTipRole);
                }
            }
            field->choice->setToolTip(help + QStringLiteral("\n(") + key + QLatin1Char(')'));
            form->addRow(label(key) + QLatin1Char(':'), field->choice);
            connect(field->choice, &QComboBox::currentIndexChanged, this,
                    [this, key] { validateField(key); });
        } else if (def->type == SettingType::Bool) {
            field->check = new QCheckBox(label(key), box);
            field->check->setObjectName(QStringLiteral("setting_") + key);
            field->check->setToolTip(help);
            form->addRow(field->check);
            connect(field->check, &QCheckBox::toggled, this, [this, key] { validateField(key); });
        } else {
            field->edit = new QLineEdit(box);
            field->edit->setObjectName(QStringLiteral("setting_") + key);
            field->edit->setPlaceholderText(placeholder(*def));
            field->edit->setToolTip(help + QStringLiteral("\n(") + key + QLatin1Char(')'));
            form->addRow(label(key) + QLatin1Char(':'), field->edit);
            connect(field->edit, &QLineEdit::textChanged, this, [this, key] { validateField(key); });
        }
        form->addRow(QString(), field->message);
        field->message->setParent(box);
        m_fields.insert(key, field);
    }
    return box;
}

QWidget *SettingsPage::buildTls()
{
    QWidget *box = buildGroup(
        tr("TLS (STARTTLS)"),
        tr("With a certificate and its key the relay offers STARTTLS (TLS 1.2 or later). A key protected by "
           "a passphrase is unlocked with the passphrase stored in the keychain."),
        {SettingKey::tlsCertificate(), SettingKey::tlsKey(), SettingKey::tlsRequiredBeforeMail()});
    auto *form = static_cast<QFormLayout *>(box->layout());
    m_passphraseRow = new SecretRow(m_secrets, secretnames::tlsKeyPassphrase(), box);
    form->addRow(tr("Key passphrase:"), m_passphraseRow);
    m_certificate = new CertificatePanel(box);
    form->addRow(tr("Certificate:"), m_certificate);
    connect(field(SettingKey::tlsCertificate()), &QLineEdit::textChanged, m_certificate,
            [this](const QString &path) { m_certificate->showCertificate(path.trimmed()); });
    // Generated files go beside the database (the app data directory for the
    // console's default one); the dialog proposes relay.hostname.
    auto defaults = [this] {
        const QString host = currentText(SettingKey::relayHostname());
        m_certificate->setGenerationDefaults(
            QFileInfo(m_store->path()).absolutePath() + QStringLiteral("/tls"), effectiveRelayHostName(host));
    };
    connect(field(SettingKey::relayHostname()), &QLineEdit::textChanged, m_certificate, defaults);
    defaults();
    connect(m_certificate, &CertificatePanel::generated, this,
            [this](const QString &cert, const QString &key) {
                field(SettingKey::tlsCertificate())->setText(cert);
                field(SettingKey::tlsKey())->setText(key);
                m_banner->showMessage(
                    tr("Self-signed certificate written to %1. Save the settings and push to offer "
                       "STARTTLS; clients will not trust it, so use it for a first test only.")
                        .arg(QFileInfo(cert).absolutePath()),
                    InfoBanner::Kind::Success);
            });
    return box;
}

QWidget *SettingsPage::buildRoutes()
{
    auto *box = new QGroupBox(tr("Per-domain routes"), this);
    auto *layout = new QVBoxLayout(box);
    auto *intro =
        new QLabel(tr("Mail for a recipient domain listed here goes to its next hop instead of the smart "
                      "host or MX records: \"host\" or \"host:port\" (the host's MX records, then the "
                      "host itself), or an address, \"[192.0.2.1]:25\"."),
                   box);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_routes = new QTreeWidget(box);
    m_routes->setObjectName(QStringLiteral("routeList"));
    m_routes->setAccessibleName(tr("Per-domain routes"));
    m_routes->setRootIsDecorated(false);
    m_routes->setHeaderLabels({tr("Recipient domain"), tr("Next hop"), tr("TLS")});
    m_routes->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_routes->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_routes->setMinimumHeight(fontMetrics().height() * 7);
    layout->addWidget(m_routes);
    auto *row = new QHBoxLayout;
    m_routeDomain = new QLineEdit(box);
    m_routeDomain->setObjectName(QStringLiteral("routeDomainEdit"));
    m_routeDomain->setAccessibleName(tr("Recipient domain of the new route"));
    m_routeDomain->setPlaceholderText(tr("drypizza.com"));
    m_routeHop = new QLineEdit(box);
    m_routeHop->setObjectName(QStringLiteral("routeHopEdit"));
    m_routeHop->setAccessibleName(tr("Next hop of the new route"));
    m_routeHop->setPlaceholderText(tr("smtp.drypizza.com:25"));
    // Postfix's smtp_tls_security_level per route; a route without its own
    // follows delivery.tls_policy.
    m_routeTls = new QComboBox(box);
    m_routeTls->setObjectName(QStringLiteral("routeTlsCombo"));
    m_routeTls->setAccessibleName(tr("TLS policy of the new route"));
    m_routeTls->addItem(tr("TLS: default"), QString());
    m_routeTls->addItem(tr("TLS: may (opportunistic)"), tlsPolicyName(TlsPolicy::May));
    m_routeTls->addItem(tr("TLS: encrypt (required)"), tlsPolicyName(TlsPolicy::Encrypt));
    m_routeTls->addItem(tr("TLS: verify (required, certificate checked)"), tlsPolicyName(TlsPolicy::Verify));
    m_routeTls->setToolTip(
        tr("Under encrypt and verify no message leaves in plaintext: without TLS the mail "
           "waits and bounces by the retry schedule. Default follows the delivery.tls_policy "
           "setting."));
    m_addRoute = new QPushButton(tr("Add &Route"), box);
    m_addRoute->setObjectName(QStringLiteral("addRouteButton"));
    auto *remove = new QPushButton(tr("Remove"), box);
    remove->setObjectName(QStringLiteral("removeRouteButton"));
    row->addWidget(m_routeDomain, 1);
    row->addWidget(m_routeHop, 1);
    row->addWidget(m_routeTls);
    row->addWidget(m_addRoute);
    row->addWidget(remove);
    layout->addLayout(row);
    m_routeMessage = new QLabel(box);
    m_routeMessage->setObjectName(QStringLiteral("routeMessage"));
    m_routeMessage->setWordWrap(true);
    styleMessage(m_routeMessage, true);
    m_routeMessage->hide();
    layout->addWidget(m_routeMessage);

    auto check = [this] {
        QString problem;
        const QString domain = m_routeDomain->text().trimmed();
        const QString hop = m_routeHop->text().trimmed();
        if (!domain.isEmpty()) {
            if (const Result<QString> d = normalizeDomain(domain); !d)
                problem = tr("Domain: %1").arg(d.error);
        }
        if (problem.isEmpty() && !hop.isEmpty()) {
            if (const auto h = NextHopResolver::parseHopSpec(hop); !h)
                problem = tr("Next hop: %1").arg(h.error);
        }
        m_routeMessage->setText(problem);
        m_routeMessage->setVisible(!problem.isEmpty());
        m_addRoute->setEnabled(problem.isEmpty() && !domain.isEmpty() && !hop.isEmpty());
    };
    connect(m_routeDomain, &QLineEdit::textChanged, this, check);
    connect(m_routeHop, &QLineEdit::textChanged, this, check);
    connect(m_addRoute, &QPushButton::clicked, this, &SettingsPage::addRoute);
    connect(m_routeHop, &QLineEdit::returnPressed, this, [this] {
        if (m_addRoute->isEnabled())
            addRoute();
    });
    connect(remove, &QPushButton::clicked, this, &SettingsPage::removeRoutes);
    // Picking a route puts it in the fields, to change its next hop or TLS.
    connect(m_routes, &QTreeWidget::itemSelectionChanged, this, [this] {
        const QList<QTreeWidgetItem *> items = m_routes->selectedItems();
        if (items.size() != 1)
            return;
        m_routeDomain->setText(items.first()->text(0));
        m_routeHop->setText(items.first()->text(1));
        const int at = m_routeTls->findData(items.first()->data(2, Qt::UserRole).toString());
        m_routeTls->setCurrentIndex(at < 0 ? 0 : at);
    });
    check();
    return box;
}

void SettingsPage::reloadRoutes()
{
    m_routes->clear();
    const QList<TransportRoute> routes = m_store->routes();
    for (const TransportRoute &r : routes) {
        const QString policy = r.tls ? tlsPolicyName(*r.tls) : QString();
        auto *item = new QTreeWidgetItem(m_routes, {r.domain, r.nextHop, r.tls ? policy : tr("default")});
        item->setData(2, Qt::UserRole, policy);
    }
}

void SettingsPage::addRoute()
{
    const Status st = m_store->setRoute(m_routeDomain->text().trimmed(), m_routeHop->text().trimmed(),
                                        parseTlsPolicy(m_routeTls->currentData().toString()));
    if (!st) {
        m_routeMessage->setText(st.error);
        m_routeMessage->show();
        return;
    }
    m_routeDomain->clear();
    m_routeHop->clear();
    m_routeTls->setCurrentIndex(0);
    reloadRoutes();
    m_banner->showMessage(tr("Route saved. Push to apply it to the relay."), InfoBanner::Kind::Success);
    emit changed();
}

void SettingsPage::removeRoutes()
{
    const QList<QTreeWidgetItem *> items = m_routes->selectedItems();
    if (items.isEmpty()) {
        m_banner->showMessage(tr("Select the routes to remove first."), InfoBanner::Kind::Info);
        return;
    }
    for (const QTreeWidgetItem *item : items) {
        if (const Status st = m_store->removeRoute(item->text(0)); !st)
            m_banner->showMessage(st.error, InfoBanner::Kind::Error);
    }
    reloadRoutes();
    emit changed();
}

QString SettingsPage::currentText(const QString &key) const
{
    const Field *field = m_fields.value(key);
    if (!field)
        return {};
    if (field->check)
        return field->check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (field->choice)
        return field->choice->currentData().toString();
    return field->edit->text().trimmed();
}

void SettingsPage::reload()
{
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        Field *field = it.value();
        const QString previous = field->saved;
        field->saved = m_store->setting(it.key());
        // Keep what the user is typing unless the field still shows the old value.
        if (field->check) {
            field->check->setChecked(SettingsSchema::toBool(field->saved));
        } else if (field->choice) {
            field->choice->setCurrentIndex(field->choice->findData(field->saved));
        } else if (field->edit->text().trimmed() == previous || field->edit->text().isEmpty()) {
            field->edit->setText(field->saved);
        }
        validateField(it.key());
    }
    reloadRoutes();
    if (m_dkim)
        m_dkim->reload();
    updateButtons();
}

void SettingsPage::validateField(const QString &key)
{
    Field *field = m_fields.value(key);
    if (!field)
        return;
    const QString text = currentText(key);
    const Result<QString> valid = SettingsSchema::validate(key, text);
    field->valid = valid.ok();
    const QString help =
        QCoreApplication::translate("SettingsSchema", field->def->description.toUtf8().constData());
    if (!valid) {
        field->message->setText(tr("Not saved: %1").arg(valid.error));
        styleMessage(field->message, true);
    } else {
        const QString reading = meaning(*field->def, *valid);
        QString sentence;
        for (const auto &[value, explanation] : choiceTexts(key)) {
            if (value == *valid)
                sentence = explanation;
        }
        field->message->setText(!sentence.isEmpty() ? sentence
                                : reading.isEmpty() ? help
                                                    : reading + QStringLiteral(" — ") + help);
        styleMessage(field->message, false);
    }
    if (field->edit)
        field->edit->setStyleSheet(
            field->valid
                ? QString()
                : QStringLiteral("QLineEdit { border: 2px solid %1; }")
                      .arg(theme::toneText(Tone::Bad, palette().color(QPalette::Base), palette()).name()));
    updateButtons();
}

bool SettingsPage::hasInvalidFields() const
{
    for (const Field *field : m_fields) {
        if (!field->valid)
            return true;
    }
    return false;
}

void SettingsPage::discardChanges()
{
    for (Field *field : std::as_const(m_fields)) {
        if (field->edit)
            field->edit->clear(); // forces reload() to write the saved value
    }
    reload();
}

QStringList SettingsPage::unsavedKeys() const
{
    QStringList keys;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const Result<QString> canonical = SettingsSchema::validate(it.key(), currentText(it.key()));
        if (!canonical || *canonical != it.value()->saved)
            keys << it.key();
    }
    return keys;
}

QString SettingsPage::settingLabel(const QString &key)
{
    return label(key);
}

bool SettingsPage::hasUnsavedChanges() const
{
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const Result<QString> canonical = SettingsSchema::validate(it.key(), currentText(it.key()));
        if (!canonical || *canonical != it.value()->saved)
            return true;
    }
    return false;
}

void SettingsPage::updateButtons()
{
    if (!m_save)
        return;
    const bool dirty = hasUnsavedChanges();
    m_save->setEnabled(dirty && !hasInvalidFields());
    m_revert->setEnabled(dirty);
}

bool SettingsPage::save()
{
    if (hasInvalidFields()) {
        m_banner->showMessage(
            tr("Some settings are not valid; the messages under the fields say why. Nothing was "
               "saved."),
            InfoBanner::Kind::Error);
        return false;
    }
    int saved = 0;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const Result<QString> canonical = SettingsSchema::validate(it.key(), currentText(it.key()));
        if (!canonical || *canonical == it.value()->saved)
            continue;
        const Status st = *canonical == it.value()->def->defaultValue
                              ? m_store->resetSetting(it.key())
                              : m_store->setSetting(it.key(), *canonical);
        if (!st) {
            m_banner->showMessage(tr("%1 was not saved: %2").arg(label(it.key()), st.error),
                                  InfoBanner::Kind::Error);
            reload();
            return false;
        }
        ++saved;
        // The canonical form ("35M" becomes 36700160) is what is stored: show it.
        if (it.value()->edit)
            it.value()->edit->setText(*canonical);
        it.value()->saved = *canonical;
    }
    reload();
    m_banner->showMessage(
        tr("%n setting(s) saved to the draft. Push to make them active in the relay.", nullptr, saved),
        InfoBanner::Kind::Success);
    if (saved > 0)
        emit changed();
    return true;
}

QLineEdit *SettingsPage::field(const QString &key) const
{
    const Field *f = m_fields.value(key);
    return f ? f->edit : nullptr;
}

QComboBox *SettingsPage::choiceField(const QString &key) const
{
    const Field *f = m_fields.value(key);
    return f ? f->choice : nullptr;
}

QCheckBox *SettingsPage::checkField(const QString &key) const
{
    const Field *f = m_fields.value(key);
    return f ? f->check : nullptr;
}

QLabel *SettingsPage::fieldMessage(const QString &key) const
{
    const Field *f = m_fields.value(key);
    return f ? f->message : nullptr;
}

} // namespace mailroute
