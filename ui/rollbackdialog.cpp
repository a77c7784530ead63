#include "ui/rollbackdialog.h"

#include "ui/backgroundstore.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {
constexpr int kGenerationRole = Qt::UserRole + 1;
}

RollbackDialog::RollbackDialog(BackgroundStore *background, const QList<GenerationInfo> &generations,
                               QWidget *parent)
    : QDialog(parent), m_background(background), m_status(new QLabel(this)), m_list(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("rollbackDialog"));
    setWindowTitle(tr("Restore an earlier generation"));
    m_status->setObjectName(QStringLiteral("rollbackStatus"));
    m_status->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("generationList"));
    m_list->setAccessibleName(tr("Generations"));
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels(
        {tr("Generation"), tr("Pushed"), tr("Domain mappings"), tr("User mappings"), tr("State")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    const QLocale locale;
    for (const GenerationInfo &g : generations) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, QString::number(g.number));
        item->setText(1, locale.toString(g.created.toLocalTime(), QLocale::ShortFormat));
        item->setText(2, locale.toString(g.domainCount));
        item->setText(3, locale.toString(g.userCount));
        item->setText(4, g.active ? tr("active") : QString());
        item->setData(0, kGenerationRole, g.number);
        for (int c : {0, 2, 3})
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_status->setText(
        generations.size() < 2
            ? tr("There is no earlier generation to restore yet: every push keeps one.")
            : tr("Pick the generation to make active again. The draft is replaced by its content, "
                 "and the relay uses it at once."));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_restore = buttons->addButton(tr("&Restore…"), QDialogButtonBox::ActionRole);
    m_restore->setObjectName(QStringLiteral("restoreButton"));
    connect(m_restore, &QPushButton::clicked, this, &RollbackDialog::restoreSelected);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &RollbackDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resize(em * 44, em * 24);
    // Preselect the one a rollback without argument restores: the one before the active.
    for (int i = 0; i + 1 < m_list->topLevelItemCount(); ++i) {
        if (!m_list->topLevelItem(i)->text(4).isEmpty()) {
            m_list->setCurrentItem(m_list->topLevelItem(i + 1));
            break;
        }
    }
    updateButtons();
}

void RollbackDialog::updateButtons()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    m_restore->setEnabled(!m_busy && item && item->isSelected() && item->text(4).isEmpty());
}

void RollbackDialog::restoreSelected()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item || m_busy)
        return;
    const qint64 generation = item->data(0, kGenerationRole).toLongLong();
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Restore generation %1").arg(generation),
                                tr("Make generation %1 active again?").arg(generation),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmRollback"));
    box->setInformativeText(tr("The relay switches to it at once, and the draft is replaced by its content: "
                               "unpushed changes are lost."));
    box->button(QMessageBox::Yes)->setText(tr("Restore"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, generation](int) {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        m_busy = true;
        updateButtons();
        m_status->setText(tr("Restoring generation %1…").arg(generation));
        m_background->run(
            this, [generation](ConfigStore &store) { return store.rollback(generation); },
            [this](const Result<qint64> &r) {
                m_busy = false;
                if (!r) {
                    m_status->setText(tr("Not restored: %1").arg(r.error));
                    updateButtons();
                    return;
                }
                emit restored(*r);
                accept();
            });
    });
    box->open();
}

} // namespace mailroute
