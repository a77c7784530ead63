// One chart of the Overview page with its text alternative (issue 14): a
// heading, the chart, and a "Figures" button that shows the same figures
// as a table under it (read by screen readers, copyable, sortable). Main
// (GUI) thread.
#pragma once

#include "ui/chartwidget.h"

#include <QWidget>

class QLabel;
class QTableView;
class QToolButton;

namespace mailroute {

class ChartPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartPanel)
public:
    ChartPanel(ChartWidget::Kind kind, const QString &title, QWidget *parent = nullptr);

    ChartWidget *chart() const { return m_chart; }
    QTableView *table() const { return m_table; }
    QToolButton *figuresButton() const { return m_toggle; }
    // Shows the figures table instead of hiding it (or hides it).
    void showFigures(bool show);

private:
    QLabel *m_heading;
    ChartWidget *m_chart;
    QToolButton *m_toggle;
    QTableView *m_table;
};

} // namespace mailroute
