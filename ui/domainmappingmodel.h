// Table model of one area's domain mappings (Original Email Domain,
// Redirected Email Domain), each row with a check box. Both columns edit in
// place: the new value is validated with the engine's parser and written to
// the draft (a change to push). Main (GUI) thread; the store must belong to it.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QAbstractTableModel>
#include <QSet>

namespace mailroute {

class ConfigStore;

class DomainMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, TargetColumn, ColumnCount };

    DomainMappingModel(ConfigStore *store, Area area, QObject *parent = nullptr);

    // Re-reads the area's mappings; check marks of rows that still exist stay.
    void reload();
    void setMappings(const QList<DomainMapping> &mappings);
    const QList<DomainMapping> &mappings() const { return m_rows; }
    bool containsSource(const QString &normalizedSource) const;

    QStringList checkedSources() const;
    void setAllChecked(bool checked);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // An in-place edit was refused (invalid domain, duplicate, database error).
    void editFailed(const QString &reason);
    // An in-place edit was stored in the draft.
    void edited();
    // The same, with the row before and after (for undo, ui/draftundo.h).
    void mappingEdited(const mailroute::DomainMapping &before, const mailroute::DomainMapping &after);
    void checkedCountChanged(int count);

private:
    ConfigStore *m_store;
    Area m_area;
    QList<DomainMapping> m_rows;
    QSet<QString> m_checked; // sources
};

} // namespace mailroute
