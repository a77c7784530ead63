#include "ui/domainmappingmodel.h"

#include "relaycore/routing/mailaddress.h"

namespace mailroute {

DomainMappingModel::DomainMappingModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DomainMappingModel::setMappings(const QList<DomainMapping> &mappings)
{
    beginResetModel();
    m_rows = mappings;
    QSet<QString> still;
    for (const DomainMapping &m : m_rows) {
        if (m_checked.contains(m.source))
            still.insert(m.source);
    }
    m_checked = still;
    endResetModel();
}

QStringList DomainMappingModel::checkedSources() const
{
    QStringList out;
    for (const DomainMapping &m : m_rows) {
        if (m_checked.contains(m.source))
            out << m.source;
    }
    return out;
}

int DomainMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DomainMappingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DomainMappingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DomainMapping &m = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return displayDomain(index.column() == SourceColumn ? m.source : m.target);
    if (role == Qt::CheckStateRole && index.column() == SourceColumn)
        return m_checked.contains(m.source) ? Qt::Checked : Qt::Unchecked;
    return {};
}

bool DomainMappingModel::setData(const QModelIndex &index, const QVariant &value, int role)
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

Qt::ItemFlags DomainMappingModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == SourceColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant DomainMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceColumn: return tr("Original Email Domain");
    case TargetColumn: return tr("Redirected Email Domain");
    default: return {};
    }
}

} // namespace mailroute
