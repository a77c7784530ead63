// Table model of one area's domain mappings (Original Email Domain,
// Redirected Email Domain), each row with a check box. Main (GUI) thread.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QAbstractTableModel>
#include <QSet>

namespace mailroute {

class DomainMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, TargetColumn, ColumnCount };

    explicit DomainMappingModel(QObject *parent = nullptr);

    void setMappings(const QList<DomainMapping> &mappings);
    const QList<DomainMapping> &mappings() const { return m_rows; }
    QStringList checkedSources() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<DomainMapping> m_rows;
    QSet<QString> m_checked; // sources
};

} // namespace mailroute
