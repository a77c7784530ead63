#include "ui/queuemodel.h"

#include "ui/displaytime.h"

#include <QLocale>

#include <algorithm>

namespace mailroute {

QueueModel::QueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void QueueModel::setMessages(const QList<QueuedMessage> &messages)
{
    QList<QueuedMessage> rows;
    for (const QueuedMessage &m : messages) {
        QueuedMessage q = m;
        q.recipients.clear();
        for (const QueuedRecipient &r : m.recipients) {
            if (r.status == RecipientStatus::Queued)
                q.recipients << r;
        }
        if (!q.recipients.isEmpty())
            rows << q;
    }
    bool sameIds = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameIds && i < rows.size(); ++i)
        sameIds = rows.at(i).id == m_rows.at(i).id;
    if (sameIds) {
        // The usual refresh: attempts and errors change, the rows do not.
        m_rows = rows;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int QueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int QueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueuedMessage &m = m_rows.at(index.row());
    const QLocale locale;
    if (role == Qt::TextAlignmentRole && (index.column() == AttemptsColumn || index.column() == SizeColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case QueueIdColumn: return m.queueId;
    case ArrivalColumn: return DisplayTime::dateTime(m.arrival, locale);
    case SenderColumn: return m.sender.isEmpty() ? QStringLiteral("<>") : m.sender;
    case RecipientsColumn: {
        QStringList to;
        for (const QueuedRecipient &r : m.recipients)
            to << r.address;
        return to.join(QStringLiteral(", "));
    }
    case AttemptsColumn: {
        int attempts = 0;
        for (const QueuedRecipient &r : m.recipients)
            attempts = std::max(attempts, r.attempts);
        return attempts;
    }
    case NextAttemptColumn: {
        QDateTime next;
        for (const QueuedRecipient &r : m.recipients) {
            if (!r.nextAttempt.isValid())
                return tr("now");
            if (!next.isValid() || r.nextAttempt < next)
                next = r.nextAttempt;
        }
        return DisplayTime::dateTime(next, locale);
    }
    case LastErrorColumn: {
        for (const QueuedRecipient &r : m.recipients) {
            if (!r.lastError.isEmpty())
                return r.lastError;
        }
        return QString();
    }
    case SizeColumn: return locale.formattedDataSize(m.size);
    default: return {};
    }
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case QueueIdColumn: return tr("Queue ID");
    case ArrivalColumn: return tr("Arrived");
    case SenderColumn: return tr("Sender");
    case RecipientsColumn: return tr("Recipients");
    case AttemptsColumn: return tr("Attempts");
    case NextAttemptColumn: return tr("Next attempt");
    case LastErrorColumn: return tr("Last error");
    case SizeColumn: return tr("Size");
    default: return {};
    }
}

} // namespace mailroute
