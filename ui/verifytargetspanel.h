// The Readiness page's "Recipient verification" tab (issue 18): probes a
// random local part at every target domain of the Inbound and Relay rules
// (CatchAllCheck) and lists the targets that accept any address, where
// verification at RCPT cannot refuse unknown users. Reads the active
// generation (the draft when nothing is pushed) on the store's worker
// thread. Main (GUI) thread.
#pragma once

#include "relaycore/readiness/catchallcheck.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace mailroute {

class BackgroundStore;

class VerifyTargetsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit VerifyTargetsPanel(BackgroundStore *background, QWidget *parent = nullptr);

    void check();
    bool isRunning() const { return m_running; }
    QTableWidget *table() const { return m_table; }
    QString summaryText() const;

signals:
    void finished();

private:
    void showResults(const QList<CatchAllResult> &results);

    BackgroundStore *m_background;
    QPushButton *m_check;
    QLabel *m_summary;
    QTableWidget *m_table;
    bool m_running = false;
};

} // namespace mailroute
