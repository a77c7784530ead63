#include "ui/usermappingmodel.h"

#include "ui/mappingitemflags.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"

#include <algorithm>
#include <climits>

#include <QLocale>

namespace mailroute {

namespace {

QString foldKey(const QString &address)
{
    return address.toLower();
}

} // namespace

UserMappingModel::UserMappingModel(ConfigStore *store, Area area, QObject *parent)
    : QAbstractTableModel(parent), m_store(store), m_area(area)
{
    reload();
}

void UserMappingModel::dropCache()
{
    m_pages.clear();
    m_lru.clear();
    m_pageEpoch.clear();
    m_wanted.clear();
    ++m_epoch;
}

void UserMappingModel::reload()
{
    recount(false);
}

void UserMappingModel::recount(bool forceReset)
{
    if (!m_store || !areaHasUsers(m_area)) {
        beginResetModel();
        m_total = 0;
        m_count = 0;
        m_byTarget.reset();
        dropCache();
        endResetModel();
        return;
    }
    if (m_pager) {
        // Counting a million rows (with a LIKE filter: scanning them) takes
        // long enough to freeze typing: on the pager's thread too. The latest
        // request wins; a reset asked for by an earlier one is kept.
        m_resetPending = m_resetPending || forceReset;
        const int request = ++m_countRequest;
        const Area area = m_area;
        const QString filter = m_filter;
        m_pager->run(
            this,
            [area, filter](ConfigStore &store) {
                const qint64 total = store.userCount(area);
                return std::make_pair(total, filter.isEmpty() ? total : store.userCount(area, filter));
            },
            [this, request](std::pair<qint64, qint64> counts) {
                if (request != m_countRequest)
                    return;
                m_countApplied = request;
                const bool reset = std::exchange(m_resetPending, false);
                applyCounts(counts.first, counts.second, reset);
            });
        return;
    }
    const qint64 total = m_store->userCount(m_area);
    applyCounts(total, m_filter.isEmpty() ? total : m_store->userCount(m_area, m_filter), forceReset);
}

void UserMappingModel::applyCounts(qint64 total, qint64 filtered, bool forceReset)
{
    applyCountsNow(total, filtered, forceReset);
    emit countsChanged();
}

void UserMappingModel::applyCountsNow(qint64 total, qint64 filtered, bool forceReset)
{
    m_total = total;
    const int count = static_cast<int>(std::min<qint64>(filtered, INT_MAX));
    if (count == m_count && !m_byTarget && !forceReset) {
        // Same number of rows: repaint instead of a reset, so the view keeps
        // its scroll position and selection while another process edits.
        // With a pager the old rows stay shown until their page is read again.
        if (m_pager) {
            ++m_epoch;
            m_wanted.clear();
        } else {
            dropCache();
        }
        if (count > 0)
            emit dataChanged(index(0, 0), index(count - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_count = count;
    dropCache();
    if (m_byTarget && !loadSortedByTarget()) {
        m_byTarget.reset();
        m_sortColumn = SourceColumn;
    }
    endResetModel();
}

void UserMappingModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    dropCache(); // pages of the old filter are not rows of the new one
    recount(true);
}

bool UserMappingModel::loadSortedByTarget()
{
    if (m_count > kInMemorySortLimit)
        return false;
    QList<UserMapping> rows = m_store->userMappings(m_area, 0, -1, m_filter);
    std::stable_sort(rows.begin(), rows.end(), [](const UserMapping &a, const UserMapping &b) {
        return a.target.compare(b.target, Qt::CaseInsensitive) < 0;
    });
    m_count = static_cast<int>(rows.size());
    m_byTarget = std::move(rows);
    return true;
}

void UserMappingModel::sort(int column, Qt::SortOrder order)
{
    if (column == TargetColumn && m_count > kInMemorySortLimit) {
        emit notice(tr("Sorting by target works for lists of up to %1 rows; type a filter first. "
                       "The list stays sorted by source.")
                        .arg(QLocale().toString(kInMemorySortLimit)));
        return;
    }
    if (column == m_sortColumn && order == m_order)
        return;
    beginResetModel();
    m_sortColumn = column == TargetColumn ? TargetColumn : SourceColumn;
    m_order = order;
    m_byTarget.reset();
    dropCache();
    if (m_sortColumn == TargetColumn)
        loadSortedByTarget();
    endResetModel();
}

const QList<UserMapping> *UserMappingModel::page(qint64 number, bool wait) const
{
    auto it = m_pages.constFind(number);
    const bool cached = it != m_pages.constEnd();
    if (cached && m_lru.constLast() != number) {
        m_lru.removeOne(number);
        m_lru.append(number);
    }
    if (cached && m_pageEpoch.value(number) == m_epoch)
        return &it.value();
    if (m_pager && !wait) {
        want(number);
        return cached ? &it.value() : nullptr; // a stale page meanwhile, or nothing
    }
    storePage(number, readPage(*m_store, m_area, m_filter, number, keyBefore(number)));
    return &m_pages.constFind(number).value();
}

QString UserMappingModel::keyBefore(qint64 number) const
{
    // The last source of the page before, when it is cached, current and
    // full: then the page starts right after it.
    const auto it = m_pages.constFind(number - 1);
    if (number <= 0 || it == m_pages.constEnd() || m_pageEpoch.value(number - 1) != m_epoch ||
        it->size() != kPageSize)
        return {};
    return it->constLast().source;
}

QList<UserMapping> UserMappingModel::readPage(const ConfigStore &store, Area area, const QString &filter,
                                              qint64 number, const QString &afterSource)
{
    // Scrolling on from a cached page walks the index from that key
    // (keyset paging); a jump has nothing to start from and uses the offset,
    // whose cost grows with the position.
    if (!afterSource.isEmpty())
        return store.userMappingsAfter(area, afterSource, kPageSize, filter);
    return store.userMappings(area, number * kPageSize, kPageSize, filter);
}

void UserMappingModel::storePage(qint64 number, QList<UserMapping> rows) const
{
    if (!m_pages.contains(number)) {
        while (m_pages.size() >= kMaxCachedPages && !m_lru.isEmpty()) {
            const qint64 old = m_lru.takeFirst();
            m_pages.remove(old);
            m_pageEpoch.remove(old);
        }
        m_lru.append(number);
    }
    m_pages.insert(number, std::move(rows));
    m_pageEpoch.insert(number, m_epoch);
}

void UserMappingModel::want(qint64 number) const
{
    m_wanted.removeOne(number);
    m_wanted.append(number);
    // Scrolled past: pages asked for long ago are no longer on screen.
    while (m_wanted.size() > kMaxWantedPages)
        m_wanted.removeFirst();
    if (!m_pumpScheduled) {
        m_pumpScheduled = true;
        // Not from inside data(): the view is painting.
        auto *self = const_cast<UserMappingModel *>(this);
        QMetaObject::invokeMethod(self, &UserMappingModel::pump, Qt::QueuedConnection);
    }
}

void UserMappingModel::pump()
{
    m_pumpScheduled = false;
    if (m_inFlight || m_wanted.isEmpty() || !m_pager)
        return;
    // The page asked for last is the one on screen now.
    const qint64 number = m_wanted.takeLast();
    m_inFlight = true;
    const int epoch = m_epoch;
    const Area area = m_area;
    const QString filter = m_filter;
    const QString after = keyBefore(number);
    m_pager->run(
        this,
        [area, filter, number, after](ConfigStore &store) {
            return readPage(store, area, filter, number, after);
        },
        [this, number, epoch](QList<UserMapping> rows) {
            m_inFlight = false;
            if (epoch == m_epoch) {
                storePage(number, std::move(rows));
                const qint64 first = number * kPageSize;
                const qint64 last = std::min<qint64>(m_count, first + kPageSize) - 1;
                if (first <= last) {
                    const bool asc = m_order == Qt::AscendingOrder;
                    const int top = static_cast<int>(asc ? first : m_count - 1 - last);
                    const int bottom = static_cast<int>(asc ? last : m_count - 1 - first);
                    emit dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
                }
            }
            pump();
        });
}

std::optional<UserMapping> UserMappingModel::mappingAt(int row) const
{
    return rowAt(row, true);
}

std::optional<UserMapping> UserMappingModel::rowAt(int row, bool wait) const
{
    if (row < 0 || row >= m_count)
        return std::nullopt;
    const qint64 at = m_order == Qt::AscendingOrder ? row : qint64(m_count) - 1 - row;
    if (m_byTarget) {
        if (at >= m_byTarget->size())
            return std::nullopt;
        return m_byTarget->at(at);
    }
    const QList<UserMapping> *rows = page(at / kPageSize, wait);
    if (!rows)
        return std::nullopt;
    const qint64 offset = at % kPageSize;
    // Shorter than expected: another process shrank the list; the next
    // reload (the window polls the database) fixes the row count.
    if (offset >= rows->size())
        return std::nullopt;
    return rows->at(offset);
}

QStringList UserMappingModel::checkedSources() const
{
    QStringList out = m_checked.values();
    out.sort(Qt::CaseInsensitive);
    return out;
}

void UserMappingModel::clearChecks()
{
    if (m_checked.isEmpty())
        return;
    m_checked.clear();
    if (m_count > 0)
        emit dataChanged(index(0, SourceColumn), index(m_count - 1, SourceColumn), {Qt::CheckStateRole});
    emit checkedCountChanged(0);
}

int UserMappingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int UserMappingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserMappingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole &&
        role != Qt::CheckStateRole)
        return {};
    if (role == Qt::CheckStateRole && index.column() != SourceColumn)
        return {};
    // Never waits for the database while painting (with a pager).
    const std::optional<UserMapping> m = rowAt(index.row(), false);
    if (!m)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return index.column() == SourceColumn ? m->source : m->target;
    case Qt::ToolTipRole:
        return tr("Mail for %1 goes to %2. Double-click to edit.").arg(m->source, m->target);
    case Qt::CheckStateRole: return m_checked.contains(foldKey(m->source)) ? Qt::Checked : Qt::Unchecked;
    default: return {};
    }
}

bool UserMappingModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const std::optional<UserMapping> current = mappingAt(index.row());
    if (!current)
        return false;
    if (role == Qt::CheckStateRole) {
        if (index.column() != SourceColumn)
            return false;
        if (value.value<Qt::CheckState>() == Qt::Checked)
            m_checked.insert(foldKey(current->source), current->source);
        else
            m_checked.remove(foldKey(current->source));
        emit dataChanged(index, index, {Qt::CheckStateRole});
        emit checkedCountChanged(checkedCount());
        return true;
    }
    if (role != Qt::EditRole || !m_store)
        return false;
    const QString text = value.toString().trimmed();
    const Result<MailAddress> address = parseMailbox(text);
    if (!address) {
        emit editFailed(tr("%1 is not a valid address: %2").arg(text, address.error));
        return false;
    }
    UserMapping next = *current;
    (index.column() == SourceColumn ? next.source : next.target) = address->toString();
    if (next == *current)
        return true;
    const Status st = m_store->updateUserMapping(m_area, current->source, next.source, next.target);
    if (!st) {
        emit editFailed(st.error);
        return false;
    }
    if (m_checked.remove(foldKey(current->source)) > 0)
        m_checked.insert(foldKey(next.source), next.source);
    if (index.column() == SourceColumn) {
        // The row may move (the list is sorted): read it again.
        recount(true);
    } else {
        if (m_byTarget) {
            const qint64 at = m_order == Qt::AscendingOrder ? index.row() : qint64(m_count) - 1 - index.row();
            (*m_byTarget)[at] = next;
        }
        dropCache();
        emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    }
    emit mappingEdited(*current, next);
    emit edited();
    return true;
}

Qt::ItemFlags UserMappingModel::flags(const QModelIndex &index) const
{
    return mappingItemFlags(index, SourceColumn);
}

QVariant UserMappingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SourceColumn: return tr("Source");
    case TargetColumn: return tr("Target");
    default: return {};
    }
}

} // namespace mailroute
