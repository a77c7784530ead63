#include "ui/dkimkeyspanel.h"
#include "ui/themecolours.h"

#include "relaycore/dkimadmin/dkimkeyring.h"
#include "relaycore/store/configstore.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {

constexpr int kRecordRole = Qt::UserRole + 1;

QString stateText(DkimKeyState state)
{
    switch (state) {
    case DkimKeyState::Active: return DkimKeysPanel::tr("active (signs)");
    case DkimKeyState::Pending: return DkimKeysPanel::tr("pending (publish, then push)");
    case DkimKeyState::Retired: return DkimKeysPanel::tr("retired");
    }
    return {};
}

} // namespace

DkimKeysPanel::DkimKeysPanel(ConfigStore *store, QWidget *parent)
    : QGroupBox(tr("Mail authentication"), parent), m_store(store)
{
    setObjectName(QStringLiteral("dkimKeysPanel"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Outbound mail whose sender the relay rewrote is DKIM-signed for the new "
                                "domain with that domain's "
                                "active key. Publish each key's record in the domain's DNS before you push. "
                                "A rotation adds a pending "
                                "key: the first push that finds its record in DNS makes it active and "
                                "retires the old key (keep the "
                                "old record published a few more days)."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_keys = new QTreeWidget(this);
    m_keys->setObjectName(QStringLiteral("dkimKeyList"));
    m_keys->setAccessibleName(tr("DKIM keys"));
    m_keys->setRootIsDecorated(false);
    m_keys->setHeaderLabels(
        {tr("Domain"), tr("Selector"), tr("Algorithm"), tr("State"), tr("Record to publish")});
    m_keys->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_keys->header()->setStretchLastSection(true);
    m_keys->setMinimumHeight(fontMetrics().height() * 7);
    layout->addWidget(m_keys);

    auto *keyButtons = new QHBoxLayout;
    m_copy = new QPushButton(tr("&Copy Record"), this);
    m_copy->setObjectName(QStringLiteral("copyDkimRecordButton"));
    m_copy->setToolTip(tr("Copy the selected key's record (name and TXT value) to the clipboard"));
    m_rotate = new QPushButton(tr("R&otate…"), this);
    m_rotate->setObjectName(QStringLiteral("rotateDkimButton"));
    m_rotate->setToolTip(tr("Create a new pending key for the selected key's domain"));
    m_remove = new QPushButton(tr("Re&move…"), this);
    m_remove->setObjectName(QStringLiteral("removeDkimButton"));
    keyButtons->addWidget(m_copy);
    keyButtons->addStretch(1);
    keyButtons->addWidget(m_rotate);
    keyButtons->addWidget(m_remove);
    layout->addLayout(keyButtons);

    auto *form = new QFormLayout;
    m_domain = new QLineEdit(this);
    m_domain->setObjectName(QStringLiteral("dkimDomainEdit"));
    m_domain->setPlaceholderText(tr("drypizza.com"));
    m_selector = new QLineEdit(this);
    m_selector->setObjectName(QStringLiteral("dkimSelectorEdit"));
    m_selector->setPlaceholderText(DkimKeyring::defaultSelector());
    m_algorithm = new QComboBox(this);
    m_algorithm->setObjectName(QStringLiteral("dkimAlgorithmCombo"));
    m_algorithm->addItem(tr("RSA 2048 bits (every receiver)"), dkimAlgorithmName(DkimAlgorithm::Rsa2048));
    m_algorithm->addItem(tr("RSA 3072 bits"), dkimAlgorithmName(DkimAlgorithm::Rsa3072));
    m_algorithm->addItem(tr("Ed25519 (not every receiver verifies it)"),
                         dkimAlgorithmName(DkimAlgorithm::Ed25519));
    auto *domainLabel = new QLabel(tr("Signing &domain:"), this);
    domainLabel->setBuddy(m_domain);
    auto *selectorLabel = new QLabel(tr("Se&lector:"), this);
    selectorLabel->setBuddy(m_selector);
    auto *algorithmLabel = new QLabel(tr("Algorit&hm:"), this);
    algorithmLabel->setBuddy(m_algorithm);
    form->addRow(domainLabel, m_domain);
    form->addRow(selectorLabel, m_selector);
    form->addRow(algorithmLabel, m_algorithm);
    m_generate = new QPushButton(tr("Generate &Key"), this);
    m_generate->setObjectName(QStringLiteral("generateDkimButton"));
    form->addRow(QString(), m_generate);
    layout->addLayout(form);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("dkimMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    connect(m_generate, &QPushButton::clicked, this, &DkimKeysPanel::generate);
    connect(m_domain, &QLineEdit::returnPressed, this, &DkimKeysPanel::generate);
    connect(m_rotate, &QPushButton::clicked, this, &DkimKeysPanel::rotate);
    connect(m_remove, &QPushButton::clicked, this, &DkimKeysPanel::remove);
    connect(m_copy, &QPushButton::clicked, this, &DkimKeysPanel::copyRecord);
    connect(m_keys, &QTreeWidget::itemSelectionChanged, this, &DkimKeysPanel::updateButtons);
    connect(m_domain, &QLineEdit::textChanged, this, &DkimKeysPanel::updateButtons);
    reload();
}

void DkimKeysPanel::reload()
{
    const QString selectedDomain =
        m_keys->currentItem() ? m_keys->currentItem()->text(DomainColumn) : QString();
    const QString selectedSelector =
        m_keys->currentItem() ? m_keys->currentItem()->text(SelectorColumn) : QString();
    m_keys->clear();
    for (const DkimKey &k : m_store->dkimKeys()) {
        auto *item = new QTreeWidgetItem(m_keys, {k.domain, k.selector, dkimAlgorithmName(k.algorithm),
                                                  stateText(k.state), DkimKeyring::recordValue(k)});
        item->setData(StateColumn, Qt::UserRole, dkimKeyStateName(k.state));
        item->setData(DomainColumn, kRecordRole, DkimKeyring::recordLine(k));
        item->setToolTip(RecordColumn, DkimKeyring::zoneLine(k));
        if (k.domain == selectedDomain && k.selector == selectedSelector)
            m_keys->setCurrentItem(item);
    }
    if (!m_keys->currentItem() && m_keys->topLevelItemCount() > 0)
        m_keys->setCurrentItem(m_keys->topLevelItem(0));
    updateButtons();
}

QString DkimKeysPanel::selectedRecord() const
{
    const QTreeWidgetItem *item = m_keys->currentItem();
    return item ? item->data(DomainColumn, kRecordRole).toString() : QString();
}

void DkimKeysPanel::updateButtons()
{
    const QTreeWidgetItem *item = m_keys->currentItem();
    m_copy->setEnabled(item);
    m_remove->setEnabled(item);
    m_rotate->setEnabled(item && item->data(StateColumn, Qt::UserRole).toString() ==
                                     dkimKeyStateName(DkimKeyState::Active));
    m_generate->setEnabled(!m_domain->text().trimmed().isEmpty());
}

void DkimKeysPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setPalette(error ? theme::toneLabelPalette(Tone::Bad, palette()) : palette());
    m_message->setVisible(!text.isEmpty());
}

void DkimKeysPanel::generate()
{
    if (m_domain->text().trimmed().isEmpty())
        return;
    DkimKeyring keyring(*m_store);
    QApplication::setOverrideCursor(Qt::WaitCursor); // RSA 3072 takes a moment
    const Result<DkimKey> key = keyring.generate(
        m_domain->text(), m_selector->text(),
        parseDkimAlgorithm(m_algorithm->currentData().toString()).value_or(DkimAlgorithm::Rsa2048));
    QApplication::restoreOverrideCursor();
    if (!key) {
        showMessage(key.error, true);
        return;
    }
    m_domain->clear();
    m_selector->clear();
    reload();
    for (int i = 0; i < m_keys->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_keys->topLevelItem(i);
        if (item->text(DomainColumn) == key->domain && item->text(SelectorColumn) == key->selector)
            m_keys->setCurrentItem(item);
    }
    showMessage(
        key->state == DkimKeyState::Active
            ? tr("Key %1 for %2 created. Publish its record, then push: it signs from that push.")
                  .arg(key->selector, key->domain)
            : tr("Key %1 for %2 created, pending. Publish its record; the first push that finds it in DNS "
                 "makes it active.")
                  .arg(key->selector, key->domain),
        false);
    emit changed();
}

void DkimKeysPanel::rotate()
{
    const QTreeWidgetItem *item = m_keys->currentItem();
    if (!item)
        return;
    const QString domain = item->text(DomainColumn);
    if (QMessageBox::question(
            this, tr("Rotate DKIM key"),
            tr("Create a new key for %1? It stays pending until its record is published and a "
               "push finds it; then it replaces the active key.")
                .arg(domain)) != QMessageBox::Yes)
        return;
    DkimKeyring keyring(*m_store);
    const Result<DkimKey> key = keyring.rotate(domain);
    if (!key) {
        showMessage(key.error, true);
        return;
    }
    reload();
    showMessage(tr("Key %1 for %2 created, pending. Publish its record: %3")
                    .arg(key->selector, key->domain, DkimKeyring::recordLine(*key)),
                false);
    emit changed();
}

void DkimKeysPanel::remove()
{
    const QTreeWidgetItem *item = m_keys->currentItem();
    if (!item)
        return;
    const QString domain = item->text(DomainColumn);
    const QString selector = item->text(SelectorColumn);
    if (QMessageBox::question(
            this, tr("Remove DKIM key"),
            tr("Remove the key %1 of %2 from the draft? After the next push it no longer signs; "
               "mail signed with it still needs its record for a few days.")
                .arg(selector, domain)) != QMessageBox::Yes)
        return;
    DkimKeyring keyring(*m_store);
    const Result<DkimRemoval> removed = keyring.remove(domain, selector);
    if (!removed) {
        showMessage(removed.error, true);
        return;
    }
    reload();
    showMessage(
        removed->fileDeleted
            ? tr("Key %1 of %2 removed, its key file deleted.").arg(selector, domain)
            : tr("Key %1 of %2 removed from the draft. Its key file stays: a pushed generation uses it, and "
                 "a rollback could make it sign again.")
                  .arg(selector, domain),
        false);
    emit changed();
}

void DkimKeysPanel::copyRecord()
{
    const QString record = selectedRecord();
    if (record.isEmpty())
        return;
    QApplication::clipboard()->setText(record);
    showMessage(tr("Record copied: %1").arg(record.section(QLatin1Char('\t'), 0, 0)), false);
}

} // namespace mailroute
