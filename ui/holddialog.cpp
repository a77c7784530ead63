#include "ui/holddialog.h"

#include "relaycore/store/operationsstore.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mailroute {

HoldDialog::HoldDialog(QWidget *parent)
    : QDialog(parent), m_domain(new QLineEdit(this)),
      m_untilCheck(new QCheckBox(tr("Release automatically at"), this)),
      m_until(new QDateTimeEdit(QDateTime::currentDateTime().addDays(2), this)), m_message(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("holdDialog"));
    setWindowTitle(tr("Hold a Domain"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Mail for a held domain is accepted and queued, but neither attempted nor bounced "
                      "until you release it, for example while a tenant re-verifies the domain. Its "
                      "retry schedule starts at the release."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_domain->setObjectName(QStringLiteral("holdDomain"));
    m_domain->setPlaceholderText(QStringLiteral("drypizza.com"));
    form->addRow(tr("Domain:"), m_domain);
    m_untilCheck->setObjectName(QStringLiteral("holdUntilCheck"));
    m_until->setObjectName(QStringLiteral("holdUntil"));
    m_until->setAccessibleName(tr("Release time"));
    m_until->setCalendarPopup(true);
    m_until->setEnabled(false);
    form->addRow(m_untilCheck, m_until);
    layout->addLayout(form);
    m_message->setObjectName(QStringLiteral("holdMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Hold"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_domain, &QLineEdit::textChanged, this, &HoldDialog::validate);
    connect(m_untilCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_until->setEnabled(on);
        validate();
    });
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &HoldDialog::validate);
    validate();
}

QString HoldDialog::domain() const
{
    const Result<QString> d = OperationsStore::normalizeHoldDomain(m_domain->text());
    return d ? *d : QString();
}

QDateTime HoldDialog::until() const
{
    return m_untilCheck->isChecked() ? m_until->dateTime().toUTC() : QDateTime();
}

void HoldDialog::validate()
{
    QString problem;
    if (m_domain->text().trimmed().isEmpty())
        problem = tr("Enter the domain whose mail waits.");
    else if (const Result<QString> d = OperationsStore::normalizeHoldDomain(m_domain->text()); !d)
        problem = d.error;
    else if (m_untilCheck->isChecked() && m_until->dateTime() <= QDateTime::currentDateTime())
        problem = tr("The release time has passed.");
    m_message->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace mailroute
