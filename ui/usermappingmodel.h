// Table model of one area's user mappings (Source, Target), each row with a
// check box, editable in place. A windowed cache over
// ConfigStore::userMappings(offset, limit): rowCount() is the whole (filtered)
// list, so a list of a million users opens at once with a true scroll bar, and
// only the pages the view paints are read, a bounded number kept.
// Main (GUI) thread; the store must belong to the same thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace mailroute {

class ConfigStore;

class UserMappingModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, TargetColumn, ColumnCount };
    static constexpr int kPageSize = 256;
    static constexpr int kMaxCachedPages = 64;
    // Sorting by target is done in memory (the store keeps the list sorted by
    // source); above this many rows it is refused with a notice.
    static constexpr int kInMemorySortLimit = 200000;

    UserMappingModel(ConfigStore *store, Area area, QObject *parent = nullptr);

    // Re-reads the counts and drops cached pages (after an edit, import,
    // rollback, or a change by another process). Keeps the view's scroll
    // position when the number of rows did not change.
    void reload();
    void setFilter(const QString &filter);
    QString filter() const { return m_filter; }
    qint64 totalCount() const { return m_total; }    // the whole list of the area
    qint64 filteredCount() const { return m_count; } // rows shown
    std::optional<UserMapping> mappingAt(int row) const;
    int cachedPages() const { return static_cast<int>(m_pages.size()); }

    QStringList checkedSources() const;
    int checkedCount() const { return static_cast<int>(m_checked.size()); }
    void clearChecks();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    void editFailed(const QString &reason);
    void edited();
    void checkedCountChanged(int count);
    // Something the user should know that is not an error (a sort refused).
    void notice(const QString &text);

private:
    void recount(bool forceReset);
    const QList<UserMapping> *page(qint64 number) const;
    void dropCache();
    bool loadSortedByTarget();

    ConfigStore *m_store;
    Area m_area;
    QString m_filter;
    qint64 m_total = 0;
    int m_count = 0;
    int m_sortColumn = SourceColumn;
    Qt::SortOrder m_order = Qt::AscendingOrder;
    // Sorted by target: the whole filtered list in memory, in that order.
    std::optional<QList<UserMapping>> m_byTarget;
    // Pages by number (rows [n * kPageSize, (n + 1) * kPageSize) in source
    // order), and their use order for eviction; mutable: filled by data().
    mutable QHash<qint64, QList<UserMapping>> m_pages;
    mutable QList<qint64> m_lru;
    QHash<QString, QString> m_checked; // case-folded source -> source
};

} // namespace mailroute
