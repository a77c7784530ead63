#include "ui/overviewpage.h"

#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/chartpanel.h"
#include "ui/displaytime.h"
#include "ui/infobanner.h"
#include "ui/themecolours.h"
#include "ui/tracereader.h"
#include "ui/traceresultmodel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QVBoxLayout>

#include <QTimeZone>

#include <algorithm>
#include <map>

namespace mailroute {

namespace {

constexpr int kWeekHours = 7 * 24;
constexpr int kTopDomains = 10;

QDateTime nextWholeHour(const QDateTime &t)
{
    const qint64 secs = t.toUTC().toSecsSinceEpoch();
    return QDateTime::fromSecsSinceEpoch((secs / 3600 + 1) * 3600, Qt::UTC);
}

int areaSeries(const std::optional<Area> &area)
{
    return area ? areaIndex(*area) : kAreaCount;
}

OverviewPage::Total totalOf(TraceStatus s)
{
    switch (s) {
    case TraceStatus::Delivered: return OverviewPage::Total::Delivered;
    case TraceStatus::Deferred: return OverviewPage::Total::Deferred;
    case TraceStatus::Bounced: return OverviewPage::Total::Bounced;
    case TraceStatus::Refused: return OverviewPage::Total::Refused;
    case TraceStatus::Queued: return OverviewPage::Total::Queued;
    }
    return OverviewPage::Total::Queued;
}

Tone toneOf(OverviewPage::Total t)
{
    switch (t) {
    case OverviewPage::Total::Delivered: return Tone::Good;
    case OverviewPage::Total::Deferred: return Tone::Warning;
    case OverviewPage::Total::Bounced:
    case OverviewPage::Total::Refused: return Tone::Bad;
    default: return Tone::Info;
    }
}

} // namespace

OverviewPage::OverviewPage(BackgroundStore *background, QWidget *parent)
    : QWidget(parent), m_background(background), m_banner(new InfoBanner(this)),
      m_refresh(new QPushButton(tr("&Refresh"), this)), m_period(new QLabel(this))
{
    setObjectName(QStringLiteral("overviewPage"));
    m_refresh->setObjectName(QStringLiteral("overviewRefresh"));
    m_period->setObjectName(QStringLiteral("overviewPeriod"));
    m_period->setText(tr("Reading the figures…"));

    auto *content = new QWidget;
    auto *grid = new QGridLayout;
    const std::pair<ChartWidget::Kind, QString> charts[] = {
        {ChartWidget::Kind::StackedColumns, tr("Messages per hour and area, last 24 hours")},
        {ChartWidget::Kind::StackedColumns, tr("Messages per hour and area, last 7 days")},
        {ChartWidget::Kind::StackedColumns, tr("Messages per day and status, last 7 days")},
        {ChartWidget::Kind::Line, tr("Messages in the queue, last 7 days")},
        {ChartWidget::Kind::StackedBars, tr("Top target domains (recipients), last 7 days")},
        {ChartWidget::Kind::ShareBars, tr("Cut-over: Inbound mail by user rules against the domain rule")},
    };
    const char *names[] = {"overviewDay",   "overviewWeek",    "overviewStatuses",
                           "overviewQueue", "overviewDomains", "overviewCutOver"};
    for (int i = 0; i < kChartCount; ++i) {
        auto *panel = new ChartPanel(charts[i].first, charts[i].second, content);
        panel->setObjectName(QString::fromLatin1(names[i]));
        panel->chart()->setObjectName(QString::fromLatin1(names[i]) + QStringLiteral("Chart"));
        panel->chart()->setPlaceholder(tr("Loading…"));
        m_panels[size_t(i)] = panel;
        grid->addWidget(panel, 1 + i / 2, i % 2);
    }
    panel(Chart::CutOver)
        ->chart()
        ->setToolTip(tr("For each Inbound domain: the recipients a user rule sent to the new system, and "
                        "those the domain "
                        "rule sent on as before"));

    // The totals, as text first: what a screen reader meets first.
    auto *totals = new QGridLayout;
    const QString periods[] = {tr("Last 24 hours"), tr("Last 7 days")};
    for (int row = 0; row < 2; ++row) {
        auto *head = new QLabel(periods[row], content);
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        totals->addWidget(head, row, 0);
        for (int t = 0; t < kTotalCount; ++t) {
            auto *label = new QLabel(content);
            label->setObjectName(QStringLiteral("overviewTotal%1%2")
                                     .arg(row == 0 ? QStringLiteral("Day") : QStringLiteral("Week"))
                                     .arg(t));
            label->setTextInteractionFlags(Qt::TextSelectableByMouse);
            label->setPalette(theme::toneLabelPalette(toneOf(Total(t)), palette()));
            m_totals[size_t((row == 0 ? 0 : kTotalCount) + t)] = label;
            totals->addWidget(label, row, 1 + t);
        }
    }
    totals->setColumnStretch(kTotalCount + 1, 1);

    auto *head = new QHBoxLayout;
    head->addWidget(m_period, 1);
    head->addWidget(m_refresh);
    grid->addLayout(totals, 0, 0, 1, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addLayout(head);
    contentLayout->addLayout(grid);
    contentLayout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("overviewScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(scroll, 1);
    m_banner->hide();

    for (int t = 0; t < kTotalCount * 2; ++t)
        m_totalValues[size_t(t)] = 0;
    connect(m_refresh, &QPushButton::clicked, this, &OverviewPage::reload);
}

QLabel *OverviewPage::totalLabel(Total total, bool lastDay) const
{
    return m_totals.at(size_t((lastDay ? 0 : kTotalCount) + int(total)));
}

qint64 OverviewPage::totalValue(Total total, bool lastDay) const
{
    return m_totalValues.at(size_t((lastDay ? 0 : kTotalCount) + int(total)));
}

void OverviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Fresh enough for a glance: read again when shown after a minute.
    if (!m_loading && (!m_loadedAt.isValid() || m_loadedAt.secsTo(QDateTime::currentDateTimeUtc()) > 60))
        reload();
}

void OverviewPage::reload()
{
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    const QDateTime until = nextWholeHour(m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc());
    const QDateTime since = until.addSecs(-3600LL * kWeekHours);
    m_background->run(
        this,
        [since, until](ConfigStore &store) {
            return TraceReader::overview(store, since, until, kTopDomains);
        },
        [this, until](Result<TraceOverview> result) {
            m_loading = false;
            m_loadedAt = QDateTime::currentDateTimeUtc();
            if (m_again) {
                m_again = false;
                reload();
                return;
            }
            showFigures(result, until);
        });
}

void OverviewPage::showFigures(const Result<TraceOverview> &result, const QDateTime &until)
{
    if (!result) {
        m_banner->showMessage(tr("Cannot read the message trace: %1").arg(result.error),
                              InfoBanner::Kind::Error);
        for (ChartPanel *p : m_panels)
            p->chart()->setPlaceholder(tr("Not available"));
        m_period->setText(QString());
        emit loaded();
        return;
    }
    m_banner->hide();
    m_figures = *result;
    fill(*result, until);
    emit loaded();
}

void OverviewPage::fill(const TraceOverview &figures, const QDateTime &until)
{
    const QLocale locale;
    const QDateTime since = until.addSecs(-3600LL * kWeekHours);
    m_period->setText(tr("Messages received from %1 to %2")
                          .arg(DisplayTime::dateTime(since), DisplayTime::dateTime(until)));

    // Per hour: by area (Relay, Inbound, Outbound, no rule) and by status.
    std::array<QList<double>, kAreaCount + 1> byArea;
    for (auto &series : byArea)
        series = QList<double>(kWeekHours, 0.0);
    std::array<qint64, kTotalCount * 2> totals{};
    QList<QDateTime> hours;
    for (int h = 0; h < kWeekHours; ++h)
        hours << since.addSecs(3600LL * h).toLocalTime();
    std::map<QDate, std::array<double, 5>> byDay;
    for (const QDateTime &h : hours)
        byDay[h.date()] = {};
    for (const TraceOverview::HourBucket &b : figures.perHour) {
        const qint64 index = since.secsTo(b.hour) / 3600;
        if (index < 0 || index >= kWeekHours)
            continue;
        byArea[size_t(areaSeries(b.area))][index] += double(b.messages);
        byDay[hours.at(index).date()][size_t(b.status)] += double(b.messages);
        const int t = int(totalOf(b.status));
        totals[size_t(kTotalCount + t)] += b.messages;
        totals[size_t(kTotalCount + int(Total::Messages))] += b.messages;
        if (index >= kWeekHours - 24) {
            totals[size_t(t)] += b.messages;
            totals[size_t(int(Total::Messages))] += b.messages;
        }
    }
    m_totalValues = totals;
    const QString totalNames[] = {tr("Messages"), tr("Delivered"), tr("Deferred"),
                                  tr("Bounced"),  tr("Refused"),   tr("Queued")};
    for (int i = 0; i < kTotalCount * 2; ++i)
        m_totals[size_t(i)]->setText(
            tr("%1: %2").arg(totalNames[i % kTotalCount], locale.toString(totals[size_t(i)])));

    const bool empty = totals[size_t(kTotalCount + int(Total::Messages))] == 0;
    const QString none = tr("No messages in these 7 days");
    const QString areaNames[] = {areaTitle(Area::Relay), areaTitle(Area::Inbound), areaTitle(Area::Outbound),
                                 tr("No rule")};
    const ChartColour areaColours[] = {ChartColour::Relay, ChartColour::Inbound, ChartColour::Outbound,
                                       ChartColour::NoRule};

    // Categories: the hour in full (tables, tool tips) and a short axis label.
    QStringList hourNames;
    QStringList dayAxis;
    for (const QDateTime &h : hours) {
        hourNames << locale.toString(h, QLocale::ShortFormat);
        dayAxis << (h.time().hour() == 0 ? locale.toString(h.date(), QStringLiteral("ddd d")) : QString());
    }
    const auto areaSeriesList = [&](int from) {
        QList<ChartSeries> out;
        for (int a = 0; a <= kAreaCount; ++a) {
            const QList<double> values = byArea[size_t(a)].mid(from);
            // "No rule" only when there is such mail.
            if (a == kAreaCount &&
                std::all_of(values.cbegin(), values.cend(), [](double v) { return v == 0; }))
                continue;
            out << ChartSeries{areaNames[a], areaColours[a], values};
        }
        return out;
    };
    ChartWidget *day = panel(Chart::Day)->chart();
    QStringList lastDayAxis;
    QString hourFormat = locale.timeFormat(QLocale::ShortFormat);
    hourFormat.remove(QStringLiteral(":ss")); // whole hours
    for (int h = kWeekHours - 24; h < kWeekHours; ++h)
        lastDayAxis << locale.toString(hours.at(h).time(), hourFormat);
    day->setData(hourNames.mid(kWeekHours - 24), areaSeriesList(kWeekHours - 24));
    day->setAxisLabels(lastDayAxis);
    ChartWidget *week = panel(Chart::Week)->chart();
    week->setData(hourNames, areaSeriesList(0));
    week->setAxisLabels(dayAxis);

    QStringList dayNames;
    std::array<QList<double>, 5> statusValues;
    for (const auto &[date, counts] : byDay) {
        dayNames << locale.toString(date, QLocale::ShortFormat);
        for (size_t s = 0; s < 5; ++s)
            statusValues[s] << counts[s];
    }
    const std::pair<TraceStatus, ChartColour> statuses[] = {{TraceStatus::Delivered, ChartColour::Delivered},
                                                            {TraceStatus::Deferred, ChartColour::Deferred},
                                                            {TraceStatus::Bounced, ChartColour::Bounced},
                                                            {TraceStatus::Refused, ChartColour::Refused},
                                                            {TraceStatus::Queued, ChartColour::NoRule}};
    QList<ChartSeries> statusSeries;
    for (const auto &[status, colour] : statuses)
        statusSeries << ChartSeries{TraceResultModel::statusText(status), colour,
                                    statusValues[size_t(status)]};
    panel(Chart::Statuses)->chart()->setData(dayNames, statusSeries);

    QList<double> depth(kWeekHours, 0.0);
    for (const TraceOverview::QueueSample &q : figures.queueDepth) {
        const qint64 index = since.secsTo(q.hour) / 3600;
        if (index >= 0 && index < kWeekHours)
            depth[index] = double(q.queued);
    }
    ChartWidget *queue = panel(Chart::Queue)->chart();
    queue->setData(hourNames, {ChartSeries{tr("Queued"), ChartColour::Queue, depth}});
    queue->setAxisLabels(dayAxis);

    QStringList domains;
    QList<double> recipients;
    for (const TraceOverview::DomainCount &d : figures.topTargetDomains) {
        domains << d.domain;
        recipients << double(d.recipients);
    }
    ChartWidget *top = panel(Chart::Domains)->chart();
    top->setData(domains, {ChartSeries{tr("Recipients"), ChartColour::Domains, recipients}});

    QStringList inbound;
    QList<double> byUser;
    QList<double> byDomain;
    for (const TraceOverview::CutOver &c : figures.inboundCutOver) {
        inbound << c.domain;
        byUser << double(c.byUserRule);
        byDomain << double(c.byDomainRule);
    }
    ChartWidget *cut = panel(Chart::CutOver)->chart();
    cut->setData(inbound, {ChartSeries{tr("User rules (new system)"), ChartColour::UserRules, byUser},
                           ChartSeries{tr("Domain rule"), ChartColour::DomainRule, byDomain}});

    if (empty) {
        for (ChartPanel *p : m_panels)
            p->chart()->setPlaceholder(none);
    } else {
        if (domains.isEmpty())
            top->setPlaceholder(tr("Nothing delivered in these 7 days"));
        if (inbound.isEmpty())
            cut->setPlaceholder(tr("No Inbound mail in these 7 days"));
    }
    for (ChartPanel *p : m_panels)
        p->updateGeometry();
}

} // namespace mailroute
