// The Logs page of one area (docs/behaviour.md "Logs", "The console"): the live
// message log (time, queue id, event, from, to, rewritten to, next hop, status)
// with follow, pause, a text filter, an event filter and export to CSV; and the
// area's action log. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"
#include "relaycore/store/configstore.h"
#include "ui/messagelogrow.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace mailroute {

class ActionLogModel;
class InfoBanner;
class MessageLogFilter;
class MessageLogModel;

class AreaLogsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit AreaLogsPage(Area area, QWidget *parent = nullptr);

    Area area() const { return m_area; }
    void addActionLog(const QList<ActionLogEntry> &entries);
    void addRows(const QList<MessageLogRow> &rows);
    // Where the message log writes its CSV (also the Export button's action).
    QString exportCsv(const QString &path) const;
    void exportMessageLog();
    void focusFilter();

    ActionLogModel *actionLogModel() const { return m_actionModel; }
    MessageLogModel *messageLogModel() const { return m_messageModel; }
    MessageLogFilter *messageFilter() const { return m_filter; }
    QTableView *messageView() const { return m_messageView; }
    QTableView *actionView() const { return m_actionView; }
    QTabWidget *tabs() const { return m_tabs; }
    bool isPaused() const;
    int heldRows() const { return static_cast<int>(m_held.size()); }

private:
    void setPaused(bool paused);
    void updateStatus();
    void scrollToNewest();
    void fitRows(const QList<MessageLogRow> &rows);

    Area m_area;
    QTabWidget *m_tabs;
    InfoBanner *m_banner;
    MessageLogModel *m_messageModel;
    MessageLogFilter *m_filter;
    QTableView *m_messageView;
    QCheckBox *m_follow;
    QPushButton *m_pause;
    QComboBox *m_scope;
    QComboBox *m_kind;
    QLineEdit *m_text;
    QLabel *m_status;
    QTimer *m_textDelay;
    QList<MessageLogRow> m_held; // arrived while paused
    ActionLogModel *m_actionModel;
    QTableView *m_actionView;
};

} // namespace mailroute
