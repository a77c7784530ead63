#include "ui/domainmappingmodel.h"

#include "ui/mappingitemflags.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"

namespace mailroute {

DomainMappingModel::DomainMappingModel(ConfigStore *store, Area area, QObject *parent)
    : QAbstractTableModel(parent), m_store(store), m_area(area)
{}

void DomainMappingModel::reload()
{
    setMappings(m_store ? m_store->domainMappings(m_area) : QList<DomainMapping>{});
}

void DomainMappingModel::setMappings(const QList<DomainMapping> &mappings)
{
    const int before = static_cast<int>(m_checked.size());
    if (mappings.size() == m_rows.size()) {
        // Same shape (the usual case when another process touched something
        // else): keep the view's selection and scroll position.
        bool sameSources = true;
        for (qsizetype i = 0; i < mappings.size() && sameSources; ++i)
            sameSources = mappings.at(i).source == m_rows.at(i).source;
        if (sameSources) {
            if (mappings != m_rows) {
                m_rows = mappings;
                emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
            }
            return;
        }
    }
    beginResetModel();
    m_rows = mappings;
    QSet<QString> still;
    for (const DomainMapping &m : std::as_const(m_rows)) {
        if (m_checked.contains(m.source))
            still.insert(m.source);
    }
    m_checked = still;
    endResetModel();
    if (before != m_checked.size())
        emit checkedCountChanged(static_cast<int>(m_checked.size()));
}

bool DomainMappingModel::containsSource(const QString &normalizedSource) const
{
    for (const DomainMapping &m : m_rows) {
        if (m.source == normalizedSource)
            return true;
    }
    return false;
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

void DomainMappingModel::setAllChecked(bool checked)
{
    m_checked.clear();
    if (checked) {
        for (const DomainMapping &m : std::as_const(m_rows))
            m_checked.insert(m.source);
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, SourceColumn), index(rowCount() - 1, SourceColumn), {Qt::CheckStateRole});
    emit checkedCountChanged(static_cast<int>(m_checked.size()));
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
    const QString &domain = index.column() == SourceColumn ? m.source : m.target;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return displayDomain(domain);
    case Qt::ToolTipRole:
        return tr("Every address of %1 goes to the same user at %2. Double-click to edit.")
            .arg(displayDomain(m.source), displayDomain(m.target));
    case Qt::CheckStateRole:
        if (index.column() == SourceColumn)
            return m_checked.contains(m.source) ? Qt::Checked : Qt::Unchecked;
        return {};
    default: return {};
    }
}

bool DomainMappingModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const DomainMapping current = m_rows.at(index.row());
    if (role == Qt::CheckStateRole) {
        if (index.column() != SourceColumn)
            return false;
        if (value.value<Qt::CheckState>() == Qt::Checked)
            m_checked.insert(current.source);
        else
            m_checked.remove(current.source);
        emit dataChanged(index, index, {Qt::CheckStateRole});
        emit checkedCountChanged(static_cast<int>(m_checked.size()));
        return true;
    }
    if (role != Qt::EditRole || !m_store)
        return false;
    const Result<QString> domain = normalizeDomain(value.toString().trimmed());
    if (!domain) {
        emit editFailed(tr("%1 is not a valid domain: %2").arg(value.toString(), domain.error));
        return false;
    }
    DomainMapping next = current;
    (index.column() == SourceColumn ? next.source : next.target) = *domain;
    if (next == current)
        return true;
    if (next.source == next.target) {
        emit editFailed(tr("%1 cannot be mapped to itself.").arg(displayDomain(next.source)));
        return false;
    }
    if (next.source != current.source && containsSource(next.source)) {
        emit editFailed(tr("A domain mapping for %1 already exists.").arg(displayDomain(next.source)));
        return false;
    }
    const Status st = m_store->updateDomainMapping(m_area, current.source, next.source, next.target);
    if (!st) {
        emit editFailed(st.error);
        return false;
    }
    if (m_checked.remove(current.source))
        m_checked.insert(next.source);
    // The store keeps the list sorted by source; a new source may move the row,
    // which a sorting proxy above handles.
    m_rows[index.row()] = next;
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    emit mappingEdited(current, next);
    emit edited();
    return true;
}

Qt::ItemFlags DomainMappingModel::flags(const QModelIndex &index) const
{
    return mappingItemFlags(index, SourceColumn);
}

QVariant DomainMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SourceColumn: return tr("Original Email Domain");
    case TargetColumn: return tr("Redirected Email Domain");
    default: return {};
    }
}

} // namespace mailroute
