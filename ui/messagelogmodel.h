// The live message log: a bounded ring buffer of rows (the oldest go first
// once it is full), appended in batches, so memory stays flat and each batch
// is one insert (and at most one remove) for the view however busy the relay
// is. Main (GUI) thread.
#pragma once

#include "ui/messagelogrow.h"

#include <QAbstractTableModel>

#include <vector>

namespace mailroute {

class MessageLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        QueueIdColumn,
        EventColumn,
        FromColumn,
        ToColumn,
        RewrittenColumn,
        RuleColumn, // what fired: area, match kind, rule text
        NextHopColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role { KindRole = Qt::UserRole + 1, AreasRole };
    static constexpr int kDefaultCapacity = 50000;

    explicit MessageLogModel(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    void append(const QList<MessageLogRow> &rows);
    void clear();
    int capacity() const { return m_capacity; }
    const MessageLogRow &rowAt(int row) const;
    static QString columnTitle(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int m_capacity;
    std::vector<MessageLogRow> m_ring;
    int m_head = 0; // ring index of row 0
    int m_size = 0;
};

} // namespace mailroute
