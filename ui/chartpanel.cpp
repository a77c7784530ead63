#include "ui/chartpanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mailroute {

ChartPanel::ChartPanel(ChartWidget::Kind kind, const QString &title, QWidget *parent)
    : QWidget(parent), m_heading(new QLabel(title, this)), m_chart(new ChartWidget(kind, this)),
      m_toggle(new QToolButton(this)), m_table(new QTableView(this))
{
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_heading->setBuddy(m_chart);
    m_chart->setTitle(title);
    m_toggle->setText(tr("Figures"));
    m_toggle->setCheckable(true);
    m_toggle->setAccessibleName(tr("Show the figures of \"%1\" as a table").arg(title));
    m_toggle->setToolTip(m_toggle->accessibleName());
    m_table->setModel(m_chart->figures());
    m_table->setAccessibleName(tr("Figures of \"%1\"").arg(title));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Sized when shown: ResizeToContents would measure every row again for
    // each row the chart adds (seconds for a week of hours).
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setMinimumHeight(fontMetrics().height() * 8);
    m_table->hide();
    connect(m_toggle, &QToolButton::toggled, this, [this](bool on) {
        m_table->setVisible(on);
        if (on) {
            m_table->resizeColumnsToContents();
            m_table->verticalHeader()->resizeSections(QHeaderView::ResizeToContents);
        }
    });

    auto *head = new QHBoxLayout;
    head->addWidget(m_heading, 1);
    head->addWidget(m_toggle);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(head);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_table);
}

void ChartPanel::showFigures(bool show)
{
    m_toggle->setChecked(show);
}

} // namespace mailroute
