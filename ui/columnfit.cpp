#include "ui/columnfit.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QFontMetrics>
#include <QHeaderView>
#include <QStyle>

#include <algorithm>

namespace mailroute::ColumnFit {

int widthFor(const QHeaderView *header, const QFontMetrics &metrics, const QString &text)
{
    const QStyle *style = header->style();
    // Both sides' focus frame margin (as QItemDelegate), plus a little air.
    const int margin = 2 * (style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, header) + 1);
    return metrics.horizontalAdvance(text) + margin + metrics.horizontalAdvance(QLatin1Char('M'));
}

bool widen(QHeaderView *header, int column, const QFontMetrics &metrics, const QString &text, int maxWidth)
{
    int wanted = widthFor(header, metrics, text);
    if (maxWidth > 0)
        wanted = std::min(wanted, maxWidth);
    if (wanted <= header->sectionSize(column))
        return false;
    header->resizeSection(column, wanted);
    return true;
}

void fitTitle(QHeaderView *header, int column)
{
    if (!header->model())
        return;
    const QString title = header->model()->headerData(column, header->orientation()).toString();
    // The header's own font, and the sort arrow's room.
    const int arrow = header->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header);
    const int margin = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    const int wanted = header->fontMetrics().horizontalAdvance(title) + arrow + 4 * margin;
    if (wanted > header->sectionSize(column))
        header->resizeSection(column, wanted);
}

} // namespace mailroute::ColumnFit
