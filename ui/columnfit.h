// Column widths from the text a column shows (issue 12): a table's column is
// widened to its widest header or cell text measured so far, never narrowed
// below it, so addresses are shown whole and headers are never squashed; a
// table wider than its view scrolls horizontally. Only the texts passed in
// are measured (a batch of new rows), never the whole model. Main thread.
#pragma once

#include <QString>

class QHeaderView;
class QFontMetrics;

namespace mailroute::ColumnFit {

// The width a cell (or header) needs to show `text` unelided in `header`'s
// view: the text, the item margins, and room for a sort indicator.
int widthFor(const QHeaderView *header, const QFontMetrics &metrics, const QString &text);
// Widens `column` to show `text` whole, up to `maxWidth` (0: no limit).
// Returns true when it widened.
bool widen(QHeaderView *header, int column, const QFontMetrics &metrics, const QString &text,
           int maxWidth = 0);
// The header title of `column` shown whole.
void fitTitle(QHeaderView *header, int column);

} // namespace mailroute::ColumnFit
