#include "ui/messagelogmodel.h"
#include "ui/themecolours.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QLocale>

#include <algorithm>

namespace mailroute {

namespace {

// A status hue readable on the views' Base colour, light or dark theme.
QColor toneOnBase(Tone tone)
{
    const QPalette pal = QGuiApplication::palette();
    return theme::toneText(tone, pal.color(QPalette::Base), pal);
}

} // namespace

MessageLogModel::MessageLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{}

const MessageLogRow &MessageLogModel::rowAt(int row) const
{
    return m_ring[static_cast<size_t>((m_head + row) % m_capacity)];
}

void MessageLogModel::append(const QList<MessageLogRow> &rows)
{
    if (rows.isEmpty())
        return;
    // A batch bigger than the buffer: only its newest rows can stay.
    const int incoming = static_cast<int>(std::min<qsizetype>(rows.size(), m_capacity));
    const qsizetype skip = rows.size() - incoming;
    const int overflow = m_size + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        for (int i = 0; i < overflow; ++i)
            m_ring[static_cast<size_t>((m_head + i) % m_capacity)] = MessageLogRow{}; // free the strings now
        m_head = (m_head + overflow) % m_capacity;
        m_size -= overflow;
        endRemoveRows();
    }
    beginInsertRows({}, m_size, m_size + incoming - 1);
    for (qsizetype i = skip; i < rows.size(); ++i) {
        const auto pos = static_cast<size_t>((m_head + m_size) % m_capacity);
        if (pos == m_ring.size())
            m_ring.push_back(rows.at(i));
        else
            m_ring[pos] = rows.at(i);
        ++m_size;
    }
    endInsertRows();
}

void MessageLogModel::clear()
{
    beginResetModel();
    m_ring.clear();
    m_head = 0;
    m_size = 0;
    endResetModel();
}

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_size;
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageLogRow &r = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn: return r.timeText;
        case QueueIdColumn: return r.queueId;
        case EventColumn: return r.event;
        case FromColumn: return r.from;
        case ToColumn: return r.to;
        case RewrittenColumn: return r.rewrittenTo;
        case RuleColumn: return r.rule;
        case NextHopColumn: return r.nextHop;
        case StatusColumn: return r.status;
        default: return {};
        }
    case Qt::ForegroundRole:
        if (index.column() != EventColumn)
            return {};
        switch (r.kind) {
        // Readable on the view's Base colour in light and dark themes.
        case MessageLogKind::Delivered: return QBrush(toneOnBase(Tone::Good));
        case MessageLogKind::Deferred: return QBrush(toneOnBase(Tone::Warning));
        case MessageLogKind::Bounced:
        case MessageLogKind::Refused:
        case MessageLogKind::Error: return QBrush(toneOnBase(Tone::Bad));
        default: return {};
        }
    case KindRole: return static_cast<int>(r.kind);
    case AreasRole: return static_cast<int>(r.areas);
    default: return {};
    }
}

QString MessageLogModel::columnTitle(int column)
{
    switch (column) {
    case TimeColumn: return tr("Time");
    case QueueIdColumn: return tr("Queue ID");
    case EventColumn: return tr("Event");
    case FromColumn: return tr("From");
    case ToColumn: return tr("To");
    case RewrittenColumn: return tr("Rewritten to");
    case RuleColumn: return tr("Rule");
    case NextHopColumn: return tr("Next hop");
    case StatusColumn: return tr("Status");
    default: return {};
    }
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return columnTitle(section);
}

} // namespace mailroute
