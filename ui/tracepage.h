// The Trace page (issue 14, item 2): "what happened to the mail Ann sent Bob
// on Tuesday?". A search form (an address — original or rewritten, whole or
// any part of 3 characters or more —, a Message-ID, a status, a period), one
// row per message (time, from, to as sent, to as delivered, status, area),
// sortable, columns as wide as their text, and the chosen message's timeline.
// Searches and timelines are read on the store worker's thread
// (ui/backgroundstore.h). Export as CSV with Google's Email Log Search
// columns; "Copy trace query" for Exchange Online and Google (ui/traceexport.h).
// Main (GUI) thread.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/trace/tracetypes.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;

namespace mailroute {

class BackgroundStore;
class InfoBanner;
class TraceResultModel;

class TracePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TracePage)
public:
    enum class Period { Day, Week, Month, Quarter, Any, Custom };

    explicit TracePage(BackgroundStore *background, QWidget *parent = nullptr);

    // The form's query (what Search runs).
    TraceQuery query() const;
    // Runs the search for the form, in the background.
    void search();
    bool isSearching() const { return m_searching; }
    bool isLoadingTimeline() const { return m_loadingTimeline; }

    TraceResultModel *results() const { return m_model; }
    QTableView *resultView() const { return m_view; }
    QTreeWidget *timelineView() const { return m_timeline; }
    QString detailText() const;
    QString summaryText() const;
    // The message of the selected row, if any.
    const TraceMessage *selectedMessage() const;
    void selectRow(int sourceRow);

    // Export ▸ CSV (a save dialog) and Copy trace query (the clipboard).
    void exportCsv();
    void copyTraceQuery();

signals:
    void searched();
    void timelineShown();

private:
    void showResults(const Result<QList<TraceMessage>> &result);
    void showTimeline(const Result<TraceTimeline> &result);
    void selectionChanged();
    void fitColumns();
    void updateActions();

    BackgroundStore *m_background;
    InfoBanner *m_banner;
    QLineEdit *m_address;
    QLineEdit *m_messageId;
    QComboBox *m_status;
    QComboBox *m_period;
    QDateTimeEdit *m_since;
    QDateTimeEdit *m_until;
    QPushButton *m_searchButton;
    QPushButton *m_exportButton;
    QPushButton *m_copyButton;
    QLabel *m_summary;
    TraceResultModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_detail;
    QTreeWidget *m_timeline;
    bool m_searching = false;
    bool m_searchAgain = false;
    bool m_loadingTimeline = false;
    qint64 m_timelineFor = 0;
};

} // namespace mailroute
