// What one Logs page shows of the live message log: the messages of its area
// (or all), one kind of event (or all), and lines containing a text. Reads
// the rows' values directly, so a batch of new rows is filtered in
// microseconds. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"
#include "ui/messagelogrow.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace mailroute {

class MessageLogModel;

class MessageLogFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MessageLogFilter(QObject *parent = nullptr);

    void setSourceLog(MessageLogModel *model);
    // nullopt: every message.
    void setArea(std::optional<Area> area);
    // nullopt: every kind; Error also matches refusals.
    void setKind(std::optional<MessageLogKind> kind);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    MessageLogModel *m_log = nullptr;
    std::optional<Area> m_area;
    std::optional<MessageLogKind> m_kind;
    QString m_text;
};

} // namespace mailroute
