#include "ui/traceresultmodel.h"

#include "ui/displaytime.h"
#include "ui/themecolours.h"

#include <QApplication>
#include <QPalette>

namespace mailroute {

namespace {

QStringList recipientsOf(const TraceMessage &m, bool delivered)
{
    QStringList out;
    for (const TraceRecipient &r : m.recipients)
        out << (delivered ? r.deliveredTo : r.original);
    return out;
}

QString senderText(const TraceMessage &m)
{
    const QString from = m.from.isEmpty() ? QStringLiteral("<>") : m.from;
    if (!m.rewrittenFrom.isEmpty() && m.rewrittenFrom.compare(m.from, Qt::CaseInsensitive) != 0)
        return from + QStringLiteral(" → ") + m.rewrittenFrom;
    return from;
}

Tone toneOf(TraceStatus s)
{
    switch (s) {
    case TraceStatus::Delivered: return Tone::Good;
    case TraceStatus::Deferred: return Tone::Warning;
    case TraceStatus::Bounced:
    case TraceStatus::Refused: return Tone::Bad;
    case TraceStatus::Queued: return Tone::Info;
    }
    return Tone::Info;
}

} // namespace

TraceResultModel::TraceResultModel(QObject *parent) : QAbstractTableModel(parent) {}

void TraceResultModel::setMessages(QList<TraceMessage> messages)
{
    beginResetModel();
    m_messages = std::move(messages);
    endResetModel();
}

int TraceResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int TraceResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TraceResultModel::statusText(TraceStatus status)
{
    switch (status) {
    case TraceStatus::Queued: return tr("Queued");
    case TraceStatus::Deferred: return tr("Deferred");
    case TraceStatus::Delivered: return tr("Delivered");
    case TraceStatus::Bounced: return tr("Bounced");
    case TraceStatus::Refused: return tr("Refused");
    }
    return QString();
}

QString TraceResultModel::areaText(const std::optional<Area> &area)
{
    return area ? areaTitle(*area) : tr("No rule");
}

QString TraceResultModel::text(int row, int column) const
{
    const TraceMessage &m = m_messages.at(row);
    switch (column) {
    case Time: return DisplayTime::dateTime(m.time);
    case From: return senderText(m);
    case ToSent: return recipientsOf(m, false).join(QStringLiteral(", "));
    case ToDelivered: return recipientsOf(m, true).join(QStringLiteral(", "));
    case Status: return statusText(m.status);
    case AreaColumn: return areaText(m.area);
    default: break;
    }
    return QString();
}

QVariant TraceResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_messages.size())
        return {};
    const TraceMessage &m = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return text(index.row(), index.column());
    case Qt::ToolTipRole:
        if (index.column() == ToSent || index.column() == ToDelivered)
            return recipientsOf(m, index.column() == ToDelivered).join(QLatin1Char('\n'));
        if (index.column() == From && !m.subject.isEmpty())
            return tr("%1\nSubject: %2").arg(text(index.row(), From), m.subject);
        return text(index.row(), index.column());
    case SortRole:
        if (index.column() == Time)
            return m.time;
        return text(index.row(), index.column()).toCaseFolded();
    case Qt::ForegroundRole:
        if (index.column() == Status)
            return theme::toneText(toneOf(m.status), QApplication::palette().color(QPalette::Base),
                                   QApplication::palette());
        return {};
    default: return {};
    }
}

QVariant TraceResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case From: return tr("From");
    case ToSent: return tr("To (as sent)");
    case ToDelivered: return tr("To (as delivered)");
    case Status: return tr("Status");
    case AreaColumn: return tr("Area");
    default: return {};
    }
}

} // namespace mailroute
