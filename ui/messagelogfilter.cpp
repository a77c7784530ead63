#include "ui/messagelogfilter.h"

#include "ui/messagelogmodel.h"

namespace mailroute {

MessageLogFilter::MessageLogFilter(QObject *parent) : QSortFilterProxyModel(parent) {}

void MessageLogFilter::setSourceLog(MessageLogModel *model)
{
    m_log = model;
    setSourceModel(model);
}

void MessageLogFilter::setArea(std::optional<Area> area)
{
    if (area == m_area)
        return;
    m_area = area;
    invalidateRowsFilter();
}

void MessageLogFilter::setKind(std::optional<MessageLogKind> kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateRowsFilter();
}

void MessageLogFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool MessageLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_log || sourceParent.isValid())
        return false;
    const MessageLogRow &r = m_log->rowAt(sourceRow);
    // Refusals and errors belong to no message and no area: every area's
    // view shows them (a refused recipient is what its admin looks for).
    const bool unattached =
        r.areas == 0 && (r.kind == MessageLogKind::Refused || r.kind == MessageLogKind::Error);
    if (m_area && !(r.areas & MessageLogRow::areaBit(*m_area)) && !unattached)
        return false;
    if (m_kind && r.kind != *m_kind)
        return false;
    return m_text.isEmpty() || r.contains(m_text);
}

} // namespace mailroute
