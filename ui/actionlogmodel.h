// The action log of one area (docs/behaviour.md "Logs"): time and message,
// oldest first, appended incrementally as new entries arrive. Main (GUI)
// thread.
#pragma once

#include "relaycore/store/configstore.h"

#include <QAbstractTableModel>

namespace mailroute {

class ActionLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, MessageColumn, ColumnCount };
    static constexpr int kMaxRows = 100000; // bounded: the oldest rows go first

    explicit ActionLogModel(QObject *parent = nullptr);

    void append(const QList<ActionLogEntry> &entries);
    void clear();
    qint64 lastId() const { return m_lastId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ActionLogEntry> m_rows;
    qint64 m_lastId = 0;
};

} // namespace mailroute
