// The Trace page's result list (issue 14, item 2): one row per message —
// time, from, to as sent, to as delivered, status, area. Addresses are never
// shortened: the whole text is the cell, and the tool tip shows it again with
// every recipient on a line of its own. Sorting goes through SortRole (the
// time as a date, not as text). Main (GUI) thread.
#pragma once

#include "relaycore/trace/tracetypes.h"

#include <QAbstractTableModel>

namespace mailroute {

class TraceResultModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TraceResultModel)
public:
    enum Column { Time, From, ToSent, ToDelivered, Status, AreaColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TraceResultModel(QObject *parent = nullptr);

    void setMessages(QList<TraceMessage> messages);
    const QList<TraceMessage> &messages() const { return m_messages; }
    const TraceMessage &message(int row) const { return m_messages.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The text of a cell, as shown (also for column widths).
    QString text(int row, int column) const;
    static QString statusText(TraceStatus status);
    static QString areaText(const std::optional<Area> &area);

private:
    QList<TraceMessage> m_messages;
};

} // namespace mailroute
