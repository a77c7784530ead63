// The relay's queue as a table: one row per message that still has
// recipients to deliver (queue id, arrival, sender, recipients, attempts,
// next attempt, last error, size). Filled with values read from the spool.
// Main (GUI) thread.
#pragma once

#include "relaycore/queue/queuedmessage.h"

#include <QAbstractTableModel>

namespace mailroute {

class QueueModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        QueueIdColumn,
        ArrivalColumn,
        SenderColumn,
        RecipientsColumn,
        AttemptsColumn,
        NextAttemptColumn,
        LastErrorColumn,
        SizeColumn,
        ColumnCount
    };

    explicit QueueModel(QObject *parent = nullptr);

    // Keeps only messages with a Queued recipient, and of those only the
    // Queued recipients. Rows that stay keep their place (no reset).
    void setMessages(const QList<QueuedMessage> &messages);
    const QueuedMessage &messageAt(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<QueuedMessage> m_rows;
};

} // namespace mailroute
