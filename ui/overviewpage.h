// The Overview page (issue 14, item 4), the console's first page once
// something is configured: how the cut-over is going, at a glance. Messages
// per hour per area over 24 hours and 7 days, delivered / deferred / bounced /
// refused per day, the queue depth over time, the top target domains, and
// per Inbound domain the share of its mail the user rules send to the new
// system against the domain rule. Figures from the trace store's hourly
// roll-ups (TraceStore::overview), read on the store worker's thread; the
// page paints placeholders first. Every chart's figures are also text
// (ui/chartpanel.h). Main (GUI) thread.
#pragma once

#include "relaycore/routing/result.h"
#include "relaycore/trace/tracetypes.h"

#include <QDateTime>
#include <QWidget>

#include <array>
#include <optional>

class QLabel;
class QPushButton;

namespace mailroute {

class BackgroundStore;
class ChartPanel;
class InfoBanner;

class OverviewPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewPage)
public:
    enum class Chart { Day, Week, Statuses, Queue, Domains, CutOver };
    static constexpr int kChartCount = 6;
    // The figures shown as text above the charts, per period.
    enum class Total { Messages, Delivered, Deferred, Bounced, Refused, Queued };
    static constexpr int kTotalCount = 6;

    explicit OverviewPage(BackgroundStore *background, QWidget *parent = nullptr);

    // Reads the figures again, in the background (the page shows the last
    // ones, or placeholders, meanwhile).
    void reload();
    bool isLoading() const { return m_loading; }
    bool hasFigures() const { return m_figures.has_value(); }
    const std::optional<TraceOverview> &figures() const { return m_figures; }
    // The page's end of time ("now"); tests set a fixed one.
    void setNow(const QDateTime &now) { m_now = now; }

    ChartPanel *panel(Chart chart) const { return m_panels.at(size_t(chart)); }
    // A total as shown (7 days or the last 24 hours), and its number.
    QLabel *totalLabel(Total total, bool lastDay) const;
    qint64 totalValue(Total total, bool lastDay) const;

signals:
    void loaded();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showFigures(const Result<TraceOverview> &result, const QDateTime &until);
    void fill(const TraceOverview &figures, const QDateTime &until);

    BackgroundStore *m_background;
    InfoBanner *m_banner;
    QPushButton *m_refresh;
    QLabel *m_period;
    std::array<ChartPanel *, kChartCount> m_panels{};
    std::array<QLabel *, kTotalCount * 2> m_totals{};
    std::array<qint64, kTotalCount * 2> m_totalValues{};
    std::optional<TraceOverview> m_figures;
    QDateTime m_now;
    QDateTime m_loadedAt;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace mailroute
