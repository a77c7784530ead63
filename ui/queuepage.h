// The relay's queue (docs/behaviour.md "The console"): messages waiting for
// delivery with their recipients, attempts, next attempt and last error; Retry
// now and Delete. Reads the spool as an administrator (Spool::Role::Admin), so
// it works for the in-process relay, a headless one, or none. Refreshes every
// two seconds while shown. Main (GUI) thread.
#pragma once

#include "relaycore/store/configstore.h"

#include <QWidget>

#include <memory>

class QDateTime;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace mailroute {

class InfoBanner;
class OperationsStore;
class QueueModel;
class Spool;

class QueuePage final : public QWidget
{
    Q_OBJECT
public:
    explicit QueuePage(QString spoolDirectory, QWidget *parent = nullptr);
    ~QueuePage() override;

    void refresh();
    // The relay's message-log events (RelayRunner::events): a batch that
    // touches queued mail refreshes the list at once while the page shows.
    void relayEvents(const QList<mailroute::MessageLogEntry> &events);
    static constexpr int kEventRefreshMs = 100;
    QueueModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    InfoBanner *banner() const { return m_banner; }

    // Acting on the selected messages (no selection: Retry acts on all).
    void retrySelected();
    void deleteSelected();

    // Held domains (issue 11), from the configuration database: listed with
    // Hold… and Release; a running relay applies them within seconds.
    void setDatabasePath(const QString &path);
    QTableWidget *holdsTable() const { return m_holds; }
    void openHoldDialog();
    bool holdDomain(const QString &domain, const QDateTime &until);
    void releaseSelectedHold();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QStringList selectedQueueIds() const;
    bool openSpool();
    void fitContents();

    QString m_directory;
    std::unique_ptr<Spool> m_spool;
    QueueModel *m_model;
    QTableView *m_view;
    InfoBanner *m_banner;
    QLabel *m_status;
    QPushButton *m_retry;
    QPushButton *m_delete;
    QTimer *m_timer;
    QTimer *m_eventRefresh;
    QString m_databasePath;
    std::unique_ptr<OperationsStore> m_ops; // opened once, on first use
    QTableWidget *m_holds = nullptr;
    QPushButton *m_hold = nullptr;
    QPushButton *m_release = nullptr;

    void refreshHolds();
    OperationsStore *operations();
};

} // namespace mailroute
