// Table model of one area's user mappings (Source, Target), each row with a
// check box, editable in place. A windowed cache over
// ConfigStore::userMappings(offset, limit): rowCount() is the whole (filtered)
// list, so a list of a million users opens at once with a true scroll bar, and
// only the pages the view paints are read, a bounded number kept. With a
// pager (the console), pages are read on a worker thread: painting never waits
// for the database, rows not read yet stay blank for the moment it takes.
// Main (GUI) thread; the store must belong to the same thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace mailroute {

class BackgroundStore;
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

    static constexpr int kMaxWantedPages = 6; // a fast drag only reads where it stops

    UserMappingModel(ConfigStore *store, Area area, QObject *parent = nullptr);

    // Reads pages with `pager`'s own ConfigStore on its thread (not owned).
    void setPager(BackgroundStore *pager) { m_pager = pager; }
    // A page read is running or waiting (pager only).
    bool isLoading() const { return m_inFlight || !m_wanted.isEmpty() || m_countRequest != m_countApplied; }

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
    // The same, with the row before and after (for undo, ui/draftundo.h).
    void mappingEdited(const mailroute::UserMapping &before, const mailroute::UserMapping &after);
    void checkedCountChanged(int count);
    // Something the user should know that is not an error (a sort refused).
    void notice(const QString &text);
    // totalCount() / filteredCount() changed (counted on the pager's thread).
    void countsChanged();

private:
    void recount(bool forceReset);
    void applyCounts(qint64 total, qint64 filtered, bool forceReset);
    void applyCountsNow(qint64 total, qint64 filtered, bool forceReset);
    // The page, or nullptr while the pager reads it (`wait`: read it now).
    const QList<UserMapping> *page(qint64 number, bool wait) const;
    std::optional<UserMapping> rowAt(int row, bool wait) const;
    void want(qint64 number) const;
    void pump();
    void storePage(qint64 number, QList<UserMapping> rows) const;
    QString keyBefore(qint64 number) const;
    static QList<UserMapping> readPage(const ConfigStore &store, Area area, const QString &filter,
                                       qint64 number, const QString &afterSource);
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
    // Which epoch each page was read in; bumped when pages may be stale
    // (another process edited) or are void (filter, sort).
    mutable QHash<qint64, int> m_pageEpoch;
    int m_epoch = 0;
    BackgroundStore *m_pager = nullptr;
    mutable QList<qint64> m_wanted; // most recently asked for last
    mutable bool m_inFlight = false;
    mutable bool m_pumpScheduled = false;
    int m_countRequest = 0; // counts asked of the pager
    int m_countApplied = 0;
    bool m_resetPending = false;
    QHash<QString, QString> m_checked; // case-folded source -> source
};

} // namespace mailroute
