#include "ui/actionlogmodel.h"

#include "ui/displaytime.h"

#include <QLocale>

namespace mailroute {

ActionLogModel::ActionLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void ActionLogModel::append(const QList<ActionLogEntry> &entries)
{
    if (entries.isEmpty())
        return;
    const qsizetype overflow = m_rows.size() + entries.size() - kMaxRows;
    if (overflow > 0) {
        const int drop = static_cast<int>(std::min(overflow, m_rows.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_rows.remove(0, drop);
            endRemoveRows();
        }
    }
    const QList<ActionLogEntry> tail =
        entries.size() > kMaxRows ? entries.mid(entries.size() - kMaxRows) : entries;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(tail.size()) - 1);
    m_rows.append(tail);
    endInsertRows();
    m_lastId = std::max(m_lastId, entries.constLast().id);
}

void ActionLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_lastId = 0;
    endResetModel();
}

int ActionLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ActionLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActionLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActionLogEntry &e = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        if (index.column() == TimeColumn)
            return DisplayTime::dateTime(e.time);
        return e.message;
    }
    return {};
}

QVariant ActionLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

} // namespace mailroute
