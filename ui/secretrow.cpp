#include "ui/secretrow.h"
#include "ui/themecolours.h"

#include "relaycore/secrets/secretstore.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mailroute {

SecretRow::SecretRow(std::shared_ptr<SecretStore> store, QString name, QWidget *parent)
    : QWidget(parent), m_secrets(std::move(store)), m_name(std::move(name)), m_input(new QLineEdit(this)),
      m_store(new QPushButton(tr("Store in Keychain"), this)), m_clear(new QPushButton(tr("Clear"), this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("secret_") + m_name);
    m_input->setObjectName(QStringLiteral("secretInput_") + m_name);
    m_input->setEchoMode(QLineEdit::Password);
    m_input->setAccessibleName(tr("New value to store in the keychain"));
    m_input->setPlaceholderText(tr("type a new value to store it"));
    m_store->setObjectName(QStringLiteral("secretStore_") + m_name);
    m_clear->setObjectName(QStringLiteral("secretClear_") + m_name);
    m_status->setObjectName(QStringLiteral("secretStatus_") + m_name);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    row->addWidget(m_input, 1);
    row->addWidget(m_store);
    row->addWidget(m_clear);
    layout->addLayout(row);
    layout->addWidget(m_status);
    m_store->setEnabled(false);
    connect(m_input, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_store->setEnabled(!text.isEmpty()); });
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        if (m_store->isEnabled())
            storeEntered();
    });
    connect(m_store, &QPushButton::clicked, this, &SecretRow::storeEntered);
    connect(m_clear, &QPushButton::clicked, this, &SecretRow::clearStored);
    refresh();
}

SecretRow::~SecretRow() = default;

void SecretRow::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setPalette(error ? theme::toneLabelPalette(Tone::Bad, palette()) : palette());
}

void SecretRow::refresh()
{
    SecretLookup lookup = m_secrets->read(m_name);
    lookup.value.fill(QChar(0)); // only whether it is there matters here
    switch (lookup.state) {
    case SecretState::Found:
        showStatus(tr("Stored in the keychain."), false);
        m_clear->setEnabled(true);
        break;
    case SecretState::NotFound:
        showStatus(tr("Not stored."), false);
        m_clear->setEnabled(false);
        break;
    case SecretState::Unavailable:
        // The store's sentence says what is missing and what to do.
        showStatus(lookup.error, true);
        m_clear->setEnabled(false);
        break;
    }
}

bool SecretRow::storeEntered()
{
    QString value = m_input->text();
    const Status st = m_secrets->write(m_name, value);
    value.fill(QChar(0));
    if (!st.ok()) {
        showStatus(st.error, true);
        return false;
    }
    m_input->clear();
    refresh();
    emit changed();
    return true;
}

bool SecretRow::clearStored()
{
    if (const Status st = m_secrets->remove(m_name); !st.ok()) {
        showStatus(st.error, true);
        return false;
    }
    refresh();
    emit changed();
    return true;
}

} // namespace mailroute
