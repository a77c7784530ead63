#include "ui/mappingdialog.h"
#include "ui/themecolours.h"

#include "relaycore/routing/mailaddress.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mailroute {

namespace {

QLabel *errorLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // Room for two lines from the start: the dialog does not jump as errors come and go.
    label->setMinimumHeight(label->fontMetrics().lineSpacing() * 2);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setPalette(theme::toneLabelPalette(Tone::Bad, label->palette()));
    return label;
}

// The parser's reason without its final full stop (the message adds one).
QString sentence(QString reason)
{
    while (reason.endsWith(QLatin1Char('.')))
        reason.chop(1);
    return reason;
}

void showProblem(QLabel *label, const QString &text)
{
    label->setText(text);
}

} // namespace

MappingDialog::MappingDialog(Kind kind, Area area, ExistsCheck exists, QWidget *parent)
    : QDialog(parent), m_kind(kind), m_area(area), m_exists(std::move(exists)),
      m_sourceEdit(new QLineEdit(this)), m_targetEdit(new QLineEdit(this)),
      m_sourceError(errorLabel(QStringLiteral("sourceError"), this)),
      m_targetError(errorLabel(QStringLiteral("targetError"), this)), m_preview(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_create(m_buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole))
{
    const bool domain = kind == Kind::Domain;
    setObjectName(domain ? QStringLiteral("createDomainDialog") : QStringLiteral("createUserDialog"));
    setWindowTitle(domain ? tr("Create Domain Mapping — %1").arg(areaTitle(area))
                          : tr("Create User Mapping — %1").arg(areaTitle(area)));
    m_sourceEdit->setObjectName(QStringLiteral("sourceEdit"));
    m_targetEdit->setObjectName(QStringLiteral("targetEdit"));
    m_create->setObjectName(QStringLiteral("createButton"));
    m_preview->setObjectName(QStringLiteral("previewLabel"));
    m_preview->setWordWrap(true);
    m_preview->setMinimumHeight(m_preview->fontMetrics().lineSpacing() * 2);
    m_preview->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_preview->setTextFormat(Qt::PlainText);

    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    if (domain) {
        intro->setText(
            areaRewritesRecipients(area)
                ? tr("Mail for every address of the original domain goes to the same user at the "
                     "redirected domain. The leading @ is optional.")
                : tr("Senders of the original domain are rewritten to the same user at the redirected "
                     "domain. The leading @ is optional."));
        m_sourceEdit->setPlaceholderText(tr("@warmsushi.com"));
        m_targetEdit->setPlaceholderText(tr("@drypizza.com"));
    } else {
        intro->setText(
            areaRewritesRecipients(area)
                ? tr("Mail for the source address goes to the target address. A user mapping wins "
                     "over the domain mapping of its domain.")
                : tr("Mail sent by the source address leaves with the target address as sender. A user "
                     "mapping wins over the domain mapping of its domain."));
        m_sourceEdit->setPlaceholderText(tr("bob@warmsushi.com"));
        m_targetEdit->setPlaceholderText(tr("bob.owen@drypizza.com"));
    }

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(domain ? tr("&Original Email Domain:") : tr("&Source:"), m_sourceEdit);
    form->addRow(QString(), m_sourceError);
    form->addRow(domain ? tr("&Redirected Email Domain:") : tr("&Target:"), m_targetEdit);
    form->addRow(QString(), m_targetError);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_sourceEdit, &QLineEdit::textChanged, this, &MappingDialog::validate);
    connect(m_targetEdit, &QLineEdit::textChanged, this, &MappingDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        validate();
        if (!m_valid)
            return;
        if (m_submit) {
            const QString refused = m_submit(m_source, m_target);
            if (!refused.isEmpty()) {
                showError(refused);
                return;
            }
        }
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 90);
    validate();
}

void MappingDialog::showError(const QString &text)
{
    showProblem(m_sourceError, text);
}

void MappingDialog::validate()
{
    const bool domain = m_kind == Kind::Domain;
    const QString sourceText = m_sourceEdit->text().trimmed();
    const QString targetText = m_targetEdit->text().trimmed();
    QString sourceProblem;
    QString targetProblem;
    m_source.clear();
    m_target.clear();
    QString sourceKey;
    QString targetKey;

    // Empty fields are not reported as errors (nothing typed yet); they only
    // keep Create disabled.
    if (!sourceText.isEmpty()) {
        if (domain) {
            const Result<QString> d = normalizeDomain(sourceText);
            if (d) {
                m_source = *d;
                sourceKey = *d;
            } else {
                sourceProblem = tr("Not a valid domain: %1.").arg(sentence(d.error));
            }
        } else {
            const Result<MailAddress> a = parseMailbox(sourceText);
            if (a) {
                m_source = a->toString();
                sourceKey = a->key();
            } else {
                sourceProblem = tr("Not a valid address: %1.").arg(sentence(a.error));
            }
        }
    }
    if (!targetText.isEmpty()) {
        if (domain) {
            const Result<QString> d = normalizeDomain(targetText);
            if (d) {
                m_target = *d;
                targetKey = *d;
            } else {
                targetProblem = tr("Not a valid domain: %1.").arg(sentence(d.error));
            }
        } else {
            const Result<MailAddress> a = parseMailbox(targetText);
            if (a) {
                m_target = a->toString();
                targetKey = a->key();
            } else {
                targetProblem = tr("Not a valid address: %1.").arg(sentence(a.error));
            }
        }
    }
    if (!m_source.isEmpty() && m_exists && m_exists(m_source)) {
        sourceProblem = domain ? tr("%1 already has a domain mapping in %2. Edit that row instead.")
                                     .arg(displayDomain(m_source), areaTitle(m_area))
                               : tr("%1 already has a user mapping in %2. Edit that row instead.")
                                     .arg(m_source, areaTitle(m_area));
    }
    if (!m_source.isEmpty() && !m_target.isEmpty() && sourceKey == targetKey)
        targetProblem = tr("The target must differ from the source.");

    showProblem(m_sourceError, sourceProblem);
    showProblem(m_targetError, targetProblem);
    m_valid =
        !m_source.isEmpty() && !m_target.isEmpty() && sourceProblem.isEmpty() && targetProblem.isEmpty();
    m_create->setEnabled(m_valid);

    if (m_valid) {
        const QString example = domain ? QStringLiteral("chloe@") + m_source : m_source;
        const QString result = domain ? QStringLiteral("chloe@") + m_target : m_target;
        m_preview->setText(areaRewritesRecipients(m_area)
                               ? tr("Mail to %1 will go to %2.").arg(example, result)
                               : tr("Mail from %1 will leave as %2.").arg(example, result));
    } else {
        m_preview->clear();
    }
}

} // namespace mailroute
