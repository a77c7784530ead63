// A chart drawn with QPainter in the palette's colours (issue 14: Qt Charts
// in Debian is GPL-3): columns side by side or stacked, horizontal bars
// stacked or as shares of 100 %, or a line. Every figure is also text: the
// widget's accessible description lists them all, a tool tip names the
// figures under the pointer, and figures() is a table model of them for a
// view beside the chart (ui/chartpanel.h). Main (GUI) thread.
#pragma once

#include "ui/chartcolours.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QPainter;
class QStandardItemModel;

namespace mailroute {

struct ChartSeries
{
    QString name;
    ChartColour colour = ChartColour::Inbound;
    QList<double> values; // one per category
};

class ChartWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartWidget)
public:
    enum class Kind {
        Columns,        // vertical, series side by side
        StackedColumns, // vertical, series stacked
        StackedBars,    // horizontal, series stacked, the total at the end
        ShareBars,      // horizontal, each category's series as shares of its total
        Line,           // one line per series
    };

    explicit ChartWidget(Kind kind, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    // `title` names the chart for screen readers (its accessible name).
    void setTitle(const QString &title);
    QString title() const { return m_title; }
    void setData(const QStringList &categories, const QList<ChartSeries> &series);
    // Labels under the columns or the line instead of the categories (an
    // empty one: none there), e.g. one per day under 168 hours.
    void setAxisLabels(const QStringList &labels);
    // Shown instead of the chart: "Loading…", "No messages yet".
    void setPlaceholder(const QString &text);
    QString placeholder() const { return m_placeholder; }
    bool hasData() const { return m_placeholder.isEmpty(); }

    const QStringList &categories() const { return m_categories; }
    const QList<ChartSeries> &series() const { return m_series; }

    // Every figure as text: one line per category, "category: series n, …".
    QString figuresText() const;
    // The same figures as a table: one row per category, one column per series.
    QStandardItemModel *figures() const { return m_figures; }
    // The text of a figure as the chart and its table show it.
    QString formatValue(double value) const;
    QString formatShare(double value, double total) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    // The grid and value axis (0 to top) of columns and lines, rightMargin
    // kept free on the right; the plot area, or an invalid QRect when it is
    // too small to draw in.
    QRect paintValueAxis(QPainter &p, const QRect &area, double top, int rightMargin);
    void paintColumns(QPainter &p, const QRect &area);
    void paintBars(QPainter &p, const QRect &area);
    void paintLine(QPainter &p, const QRect &area);
    int paintLegend(QPainter &p, const QRect &area);
    void updateText();
    double maxValue() const;
    double total(int category) const;
    int categoryAt(const QPoint &pos) const;
    QString categoryText(int category) const;
    QString axisLabel(int category) const;
    int labelStep(double slot) const;

    Kind m_kind;
    QString m_title;
    QString m_placeholder;
    QStringList m_categories;
    QStringList m_axisLabels;
    QList<ChartSeries> m_series;
    QStandardItemModel *m_figures;
    // Where each category was drawn (for tool tips), in widget coordinates.
    QList<QRect> m_slots;
};

} // namespace mailroute
