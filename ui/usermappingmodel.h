// Table model of one area's user mappings (Source, Target), each row with a
// check box. Rows are fetched from the store in pages (canFetchMore /
// fetchMore), so a list of a million users opens at once and scrolls.
// Main (GUI) thread; the store must belong to the same thread.
#pragma once

#include "relaycore/routing/configdata.h"

#include <QAbstractTableModel>
#include <QSet>

namespace mailroute {

class ConfigStore;

class UserMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, TargetColumn, ColumnCount };
    static constexpr int kPageSize = 2000;

    UserMappingModel(ConfigStore *store, Area area, QObject *parent = nullptr);

    // Re-reads the total and drops fetched pages (after an edit, import or rollback).
    void reload();
    void setFilter(const QString &filter);
    qint64 totalCount() const { return m_total; }
    QStringList checkedSources() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    ConfigStore *m_store;
    Area m_area;
    QString m_filter;
    qint64 m_total = 0;
    QList<UserMapping> m_rows;
    QSet<QString> m_checked; // sources
};

} // namespace mailroute
