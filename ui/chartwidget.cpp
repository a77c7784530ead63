#include "ui/chartwidget.h"

#include "ui/themecolours.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QStandardItemModel>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mailroute {

namespace {

// 1, 2 or 5 times a power of ten, at least `value`: round axis ends.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

ChartWidget::ChartWidget(Kind kind, QWidget *parent)
    : QWidget(parent), m_kind(kind), m_figures(new QStandardItemModel(this))
{
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAutoFillBackground(false);
    setBackgroundRole(QPalette::Base);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    updateText();
}

void ChartWidget::setTitle(const QString &title)
{
    m_title = title;
    setAccessibleName(title);
    updateText();
}

void ChartWidget::setData(const QStringList &categories, const QList<ChartSeries> &series)
{
    m_categories = categories;
    m_series = series;
    m_placeholder.clear();
    m_figures->clear();
    QStringList headers;
    for (const ChartSeries &s : m_series)
        headers << s.name;
    const bool stackedTotal = m_series.size() > 1 && m_kind != Kind::Columns && m_kind != Kind::Line;
    if (stackedTotal)
        headers << tr("Total");
    m_figures->setColumnCount(int(headers.size()));
    m_figures->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < m_categories.size(); ++c) {
        QList<QStandardItem *> row;
        for (const ChartSeries &s : m_series) {
            const double v = c < s.values.size() ? s.values.at(c) : 0;
            auto *item =
                new QStandardItem(m_kind == Kind::ShareBars ? formatShare(v, total(c)) : formatValue(v));
            item->setData(v, Qt::UserRole);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setEditable(false);
            row << item;
        }
        if (stackedTotal) {
            auto *item = new QStandardItem(formatValue(total(c)));
            item->setData(total(c), Qt::UserRole);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setEditable(false);
            row << item;
        }
        m_figures->appendRow(row);
    }
    m_figures->setVerticalHeaderLabels(m_categories);
    updateText();
    updateGeometry(); // bars: a row per category
    update();
}

void ChartWidget::setAxisLabels(const QStringList &labels)
{
    m_axisLabels = labels;
    update();
}

QString ChartWidget::axisLabel(int category) const
{
    return m_axisLabels.isEmpty() ? m_categories.value(category) : m_axisLabels.value(category);
}

// Every how many categories a label fits without touching the next.
int ChartWidget::labelStep(double slot) const
{
    const QFontMetrics fm = fontMetrics();
    int widest = 0;
    for (int c = 0; c < m_categories.size(); ++c)
        widest = std::max(widest, fm.horizontalAdvance(axisLabel(c)));
    if (!m_axisLabels.isEmpty()) {
        // Given labels: all of them, unless two would touch.
        int closest = int(m_categories.size());
        int last = -1;
        for (int c = 0; c < m_categories.size(); ++c) {
            if (axisLabel(c).isEmpty())
                continue;
            if (last >= 0)
                closest = std::min(closest, c - last);
            last = c;
        }
        return closest * slot >= widest + fm.height() / 2
                   ? 1
                   : std::max(1, int(std::ceil((widest + fm.height()) / slot)));
    }
    return slot > 0 ? std::max(1, int(std::ceil((widest + fm.height()) / slot))) : 1;
}

void ChartWidget::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    updateText();
    update();
}

QString ChartWidget::formatValue(double value) const
{
    const QLocale locale;
    if (std::abs(value - std::round(value)) < 1e-9)
        return locale.toString(qint64(std::llround(value)));
    return locale.toString(value, 'f', 1);
}

QString ChartWidget::formatShare(double value, double total) const
{
    const QLocale locale;
    const double percent = total > 0 ? 100.0 * value / total : 0;
    return tr("%1 (%2 %)").arg(formatValue(value), locale.toString(percent, 'f', 1));
}

QString ChartWidget::categoryText(int c) const
{
    QStringList parts;
    for (const ChartSeries &s : m_series) {
        const double v = c < s.values.size() ? s.values.at(c) : 0;
        parts << tr("%1 %2").arg(s.name,
                                 m_kind == Kind::ShareBars ? formatShare(v, total(c)) : formatValue(v));
    }
    return tr("%1: %2").arg(m_categories.value(c), parts.join(QStringLiteral(", ")));
}

QString ChartWidget::figuresText() const
{
    if (!m_placeholder.isEmpty())
        return m_placeholder;
    QStringList lines;
    for (int c = 0; c < m_categories.size(); ++c)
        lines << categoryText(c);
    return lines.join(QLatin1Char('\n'));
}

void ChartWidget::updateText()
{
    setAccessibleDescription(figuresText());
}

double ChartWidget::total(int category) const
{
    double sum = 0;
    for (const ChartSeries &s : m_series)
        sum += category < s.values.size() ? s.values.at(category) : 0;
    return sum;
}

double ChartWidget::maxValue() const
{
    double most = 0;
    for (int c = 0; c < m_categories.size(); ++c) {
        if (m_kind == Kind::StackedColumns || m_kind == Kind::StackedBars) {
            most = std::max(most, total(c));
        } else {
            for (const ChartSeries &s : m_series)
                most = std::max(most, c < s.values.size() ? s.values.at(c) : 0.0);
        }
    }
    return most;
}

QSize ChartWidget::sizeHint() const
{
    const int line = fontMetrics().height();
    if (m_kind == Kind::StackedBars || m_kind == Kind::ShareBars)
        return {line * 30, line * (3 + int(std::max<qsizetype>(m_categories.size(), 3)) * 3 / 2)};
    return {line * 30, line * 14};
}

QSize ChartWidget::minimumSizeHint() const
{
    const int line = fontMetrics().height();
    if (m_kind == Kind::StackedBars || m_kind == Kind::ShareBars)
        return {line * 16, line * (3 + int(std::max<qsizetype>(m_categories.size(), 1)) * 3 / 2)};
    return {line * 16, line * 12};
}

void ChartWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
    m_slots.clear();
    const int pad = fontMetrics().height() / 2;
    QRect area = rect().adjusted(pad, pad, -pad, -pad);
    if (!m_placeholder.isEmpty() || m_categories.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                   m_placeholder.isEmpty() ? tr("No figures") : m_placeholder);
        return;
    }
    area.setTop(area.top() + paintLegend(p, area));
    switch (m_kind) {
    case Kind::Columns:
    case Kind::StackedColumns: paintColumns(p, area); break;
    case Kind::StackedBars:
    case Kind::ShareBars: paintBars(p, area); break;
    case Kind::Line: paintLine(p, area); break;
    }
}

int ChartWidget::paintLegend(QPainter &p, const QRect &area)
{
    if (m_series.size() < 2)
        return 0;
    const QFontMetrics fm = fontMetrics();
    const int box = fm.ascent();
    int x = area.left();
    int y = area.top();
    for (const ChartSeries &s : m_series) {
        const int w = box + fm.height() / 3 + fm.horizontalAdvance(s.name) + fm.height();
        if (x + w > area.right() && x > area.left()) {
            x = area.left();
            y += fm.height() + 2;
        }
        p.fillRect(QRect(x, y + (fm.height() - box) / 2, box, box), ChartColours::fill(s.colour, palette()));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(x + box + fm.height() / 3, y, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   s.name);
        x += w;
    }
    return y - area.top() + fm.height() + fm.height() / 2;
}

QRect ChartWidget::paintValueAxis(QPainter &p, const QRect &area, double top, int rightMargin)
{
    const QFontMetrics fm = fontMetrics();
    const QPalette &pal = palette();
    const int ticks = 4;
    int labelWidth = 0;
    for (int i = 0; i <= ticks; ++i)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(formatValue(top * i / ticks)));
    const QRect plot(area.left() + labelWidth + fm.height() / 2, area.top() + fm.height() / 2,
                     area.width() - labelWidth - fm.height() / 2 - rightMargin,
                     area.height() - fm.height() * 2);
    if (plot.width() < 10 || plot.height() < 10)
        return QRect();
    // Grid and value axis.
    for (int i = 0; i <= ticks; ++i) {
        const int y = plot.bottom() - int(std::lround(plot.height() * double(i) / ticks));
        p.setPen(QPen(pal.color(QPalette::Mid), 0, i == 0 ? Qt::SolidLine : Qt::DotLine));
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(area.left(), y - fm.height() / 2, labelWidth, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, formatValue(top * i / ticks));
    }
    return plot;
}

void ChartWidget::paintColumns(QPainter &p, const QRect &area)
{
    const QFontMetrics fm = fontMetrics();
    const QPalette &pal = palette();
    const double top = niceCeiling(maxValue());
    const QRect plot = paintValueAxis(p, area, top, 0);
    if (!plot.isValid())
        return;
    const int n = int(m_categories.size());
    const double slot = double(plot.width()) / n;
    const int every = labelStep(slot);
    int lastLabelRight = std::numeric_limits<int>::min();
    const bool stacked = m_kind == Kind::StackedColumns;
    const int seriesCount = int(m_series.size());
    for (int c = 0; c < n; ++c) {
        const int x0 = plot.left() + int(std::lround(slot * c));
        const int x1 = plot.left() + int(std::lround(slot * (c + 1)));
        m_slots << QRect(x0, plot.top(), x1 - x0, plot.height());
        const int gap = slot >= 6 ? std::max(1, int(slot / 6)) : 0;
        const int width = std::max(1, x1 - x0 - gap);
        double base = 0;
        for (int s = 0; s < seriesCount; ++s) {
            const double v = c < m_series[s].values.size() ? m_series[s].values.at(c) : 0;
            if (v <= 0)
                continue;
            const QColor colour = ChartColours::fill(m_series[s].colour, pal);
            if (stacked) {
                const int yTop = plot.bottom() - int(std::lround(plot.height() * (base + v) / top));
                const int yBottom = plot.bottom() - int(std::lround(plot.height() * base / top));
                p.fillRect(QRect(x0 + gap / 2, yTop, width, std::max(1, yBottom - yTop)), colour);
                base += v;
            } else {
                const int w = std::max(1, width / seriesCount);
                const int h = std::max(1, int(std::lround(plot.height() * v / top)));
                p.fillRect(QRect(x0 + gap / 2 + s * w, plot.bottom() - h, w, h), colour);
            }
        }
        const QString label = axisLabel(c);
        if (!label.isEmpty() && (!m_axisLabels.isEmpty() || c % every == 0)) {
            p.setPen(pal.color(QPalette::Text));
            const int lw = fm.horizontalAdvance(label);
            int lx = x0 + int(slot / 2) - lw / 2;
            lx = std::clamp(lx, area.left(), area.right() - lw);
            if (lx > lastLabelRight) {
                p.drawText(QRect(lx, plot.bottom() + fm.height() / 3, lw + 1, fm.height()), Qt::AlignCenter,
                           label);
                lastLabelRight = lx + lw + fm.height() / 2;
            }
        }
    }
}

void ChartWidget::paintBars(QPainter &p, const QRect &area)
{
    const QFontMetrics fm = fontMetrics();
    const QPalette &pal = palette();
    const bool share = m_kind == Kind::ShareBars;
    int labelWidth = 0;
    for (const QString &c : m_categories)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(c));
    labelWidth = std::min(labelWidth, area.width() * 2 / 5);
    const double top = share ? 1.0 : std::max(1.0, maxValue());
    int valueWidth = 0;
    for (int c = 0; c < m_categories.size(); ++c)
        valueWidth = std::max(valueWidth, fm.horizontalAdvance(formatValue(total(c))));
    const int barLeft = area.left() + labelWidth + fm.height() / 2;
    const int barWidth = area.width() - labelWidth - valueWidth - fm.height();
    if (barWidth < 10)
        return;
    const int n = int(m_categories.size());
    const int rowHeight = std::min(fm.height() * 3 / 2, area.height() / std::max(1, n));
    for (int c = 0; c < n; ++c) {
        const int y = area.top() + c * rowHeight;
        m_slots << QRect(area.left(), y, area.width(), rowHeight);
        const QRect bar(barLeft, y + rowHeight / 8, barWidth, rowHeight - rowHeight / 4);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(area.left(), y, labelWidth, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_categories.at(c), Qt::ElideMiddle, labelWidth));
        const double sum = total(c);
        if (share && sum > 0) {
            // The empty share: a frame, so a 0 % row still shows its extent.
            p.setPen(pal.color(QPalette::Mid));
            p.drawRect(bar.adjusted(0, 0, -1, -1));
        }
        double base = 0;
        for (const ChartSeries &s : m_series) {
            const double v = c < s.values.size() ? s.values.at(c) : 0;
            if (v <= 0)
                continue;
            const double scale = share ? (sum > 0 ? 1.0 / sum : 0) : 1.0 / top;
            const int x0 = bar.left() + int(std::lround(bar.width() * base * scale));
            const int x1 = bar.left() + int(std::lround(bar.width() * (base + v) * scale));
            const QRect segment(x0, bar.top(), std::max(1, x1 - x0), bar.height());
            const QColor colour = ChartColours::fill(s.colour, pal);
            p.fillRect(segment, colour);
            if (share) {
                const QString percent = QLocale().toString(100.0 * v / sum, 'f', 0) + QStringLiteral(" %");
                if (fm.horizontalAdvance(percent) + 6 < segment.width()) {
                    p.setPen(theme::relativeLuminance(colour) > 0.35 ? QColor(Qt::black) : QColor(Qt::white));
                    p.drawText(segment, Qt::AlignCenter, percent);
                }
            }
            base += v;
        }
        p.setPen(pal.color(QPalette::Text));
        const int endX = share ? bar.right() : bar.left() + int(std::lround(bar.width() * sum / top));
        p.drawText(QRect(endX + fm.height() / 3, y, valueWidth + fm.height(), rowHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, formatValue(sum));
    }
}

void ChartWidget::paintLine(QPainter &p, const QRect &area)
{
    const QFontMetrics fm = fontMetrics();
    const QPalette &pal = palette();
    const double top = niceCeiling(maxValue());
    const QRect plot = paintValueAxis(p, area, top, fm.height());
    if (!plot.isValid())
        return;
    const int n = int(m_categories.size());
    const double step = n > 1 ? double(plot.width()) / (n - 1) : 0;
    const int every = labelStep(step);
    int lastLabelRight = std::numeric_limits<int>::min();
    for (int c = 0; c < n; ++c) {
        const int x = plot.left() + int(std::lround(step * c));
        m_slots << QRect(x - int(step / 2), plot.top(), std::max(1, int(step)), plot.height());
        const QString label = axisLabel(c);
        if (!label.isEmpty() && (!m_axisLabels.isEmpty() || c % every == 0)) {
            const int lw = fm.horizontalAdvance(label);
            const int lx = std::clamp(x - lw / 2, area.left(), area.right() - lw);
            if (lx > lastLabelRight) {
                p.setPen(pal.color(QPalette::Text));
                p.drawText(QRect(lx, plot.bottom() + fm.height() / 3, lw + 1, fm.height()), Qt::AlignCenter,
                           label);
                lastLabelRight = lx + lw + fm.height() / 2;
            }
        }
    }
    for (const ChartSeries &s : m_series) {
        QPainterPath path;
        for (int c = 0; c < n; ++c) {
            const double v = c < s.values.size() ? s.values.at(c) : 0;
            const QPointF point(plot.left() + step * c, plot.bottom() - plot.height() * v / top);
            if (c == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        QColor colour = ChartColours::fill(s.colour, pal);
        QPainterPath area2 = path;
        area2.lineTo(plot.left() + step * (n - 1), plot.bottom());
        area2.lineTo(plot.left(), plot.bottom());
        area2.closeSubpath();
        QColor under = colour;
        under.setAlpha(60);
        p.fillPath(area2, under);
        p.setPen(QPen(colour, 2));
        p.drawPath(path);
    }
}

int ChartWidget::categoryAt(const QPoint &pos) const
{
    for (int i = 0; i < m_slots.size(); ++i) {
        if (m_slots.at(i).contains(pos))
            return i;
    }
    return -1;
}

bool ChartWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int c = categoryAt(help->pos());
        if (c >= 0 && c < m_categories.size())
            QToolTip::showText(help->globalPos(), categoryText(c), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace mailroute
