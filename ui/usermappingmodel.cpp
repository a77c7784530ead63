#include "ui/usermappingmodel.h"

#include "relaycore/store/configstore.h"

#include <algorithm>

namespace mailroute {

UserMappingModel::UserMappingModel(ConfigStore *store, Area area, QObject *parent)
    : QAbstractTableModel(parent), m_store(store), m_area(area)
{
    reload();
}

void UserMappingModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_total = m_store->userCount(m_area, m_filter);
    endResetModel();
}

void UserMappingModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

QStringList UserMappingModel::checkedSources() const
{
    QStringList out(m_checked.cbegin(), m_checked.cend());
    out.sort(Qt::CaseInsensitive);
    return out;
}

int UserMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int UserMappingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserMappingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UserMapping &m = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return index.column() == SourceColumn ? m.source : m.target;
    if (role == Qt::CheckStateRole && index.column() == SourceColumn)
        return m_checked.contains(m.source) ? Qt::Checked : Qt::Unchecked;
    return {};
}

bool UserMappingModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || role != Qt::CheckStateRole || index.column() != SourceColumn)
        return false;
    const QString &source = m_rows.at(index.row()).source;
    if (value.value<Qt::CheckState>() == Qt::Checked)
        m_checked.insert(source);
    else
        m_checked.remove(source);
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags UserMappingModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == SourceColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant UserMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceColumn: return tr("Source");
    case TargetColumn: return tr("Target");
    default: return {};
    }
}

bool UserMappingModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rows.size() < m_total;
}

void UserMappingModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid())
        return;
    const qint64 want = std::min<qint64>(kPageSize, m_total - m_rows.size());
    if (want <= 0)
        return;
    const QList<UserMapping> page = m_store->userMappings(m_area, m_rows.size(), want, m_filter);
    if (page.isEmpty()) {
        // The list shrank underneath us (another process edited it): stop asking.
        m_total = m_rows.size();
        return;
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(page.size()) - 1);
    m_rows.append(page);
    endInsertRows();
}

} // namespace mailroute
