// The Overview page (issue 14, item 4): for a generated week of traffic,
// written through the trace store's write path, every number the page shows
// equals the count of the store's messages (searched with TraceStore), and
// every chart exposes its figures as text (accessible description and the
// figures table).
#include "relaycore/trace/tracestore.h"
#include "tests/ui/tracetraffic.h"
#include "tests/ui/uitest.h"
#include "ui/backgroundstore.h"
#include "ui/chartpanel.h"
#include "ui/overviewpage.h"

#include <QAccessible>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimeZone>
#include <QToolButton>

#include <map>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestOverviewPage final : public QObject
{
    Q_OBJECT
private slots:
    void numbersEqualTheStoreAndChartsReadAsText()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        TempDb db;
        QVERIFY(db.ok());
        // A week up to a fixed whole hour, 12 messages an hour on average.
        const QDateTime until = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
        const QDateTime since = until.addDays(-7);
        const QList<TrafficMessage> traffic = weekOfTraffic(until, 12);
        QVERIFY(traffic.size() > 1000);
        QString error;
        QVERIFY2(writeTraffic(db.path(), traffic, &error), qPrintable(error));

        // The store's own counts: every message of the week, by status, area
        // and age; Inbound recipients by rule kind.
        TraceStore trace(db.path());
        QVERIFY2(trace.open().ok(), "trace store");
        TraceQuery all;
        all.since = since;
        all.until = until;
        all.limit = 0;
        const auto found = trace.search(all);
        QVERIFY2(found.ok(), qPrintable(found.error));
        QCOMPARE(found->size(), traffic.size());
        std::map<TraceStatus, qint64> week;
        std::map<TraceStatus, qint64> day;
        std::map<int, qint64> byArea;
        qint64 byUser = 0;
        qint64 byDomain = 0;
        for (const TraceMessage &m : *found) {
            ++week[m.status];
            if (m.time >= until.addSecs(-24 * 3600))
                ++day[m.status];
            ++byArea[m.area ? areaIndex(*m.area) : 3];
            for (const TraceRecipient &r : m.recipients) {
                if (r.area == Area::Inbound && r.match == u"user"_s)
                    ++byUser;
                else if (r.area == Area::Inbound && r.match == u"domain"_s)
                    ++byDomain;
            }
        }

        BackgroundStore background(db.path());
        OverviewPage page(&background);
        page.setNow(until.addSecs(-1));
        page.resize(1280, 1000);
        // Placeholders before the figures.
        QCOMPARE(page.panel(OverviewPage::Chart::Week)->chart()->hasData(), false);
        QSignalSpy loaded(&page, &OverviewPage::loaded);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 20000);
        QVERIFY(page.hasFigures());

        const std::pair<OverviewPage::Total, TraceStatus> statuses[] = {
            {OverviewPage::Total::Delivered, TraceStatus::Delivered},
            {OverviewPage::Total::Deferred, TraceStatus::Deferred},
            {OverviewPage::Total::Bounced, TraceStatus::Bounced},
            {OverviewPage::Total::Refused, TraceStatus::Refused},
            {OverviewPage::Total::Queued, TraceStatus::Queued}};
        const QLocale locale;
        for (const auto &[total, status] : statuses) {
            QCOMPARE(page.totalValue(total, false), week[status]);
            QCOMPARE(page.totalValue(total, true), day[status]);
            QVERIFY2(page.totalLabel(total, false)->text().endsWith(locale.toString(week[status])),
                     qPrintable(page.totalLabel(total, false)->text()));
        }
        QCOMPARE(page.totalValue(OverviewPage::Total::Messages, false), qint64(traffic.size()));

        // The 7-day chart: per area, the sum of its hours is the store's count.
        ChartWidget *weekChart = page.panel(OverviewPage::Chart::Week)->chart();
        QCOMPARE(weekChart->categories().size(), 7 * 24);
        const QString areas[] = {u"Relay"_s, u"Inbound"_s, u"Outbound"_s, u"No rule"_s};
        for (int a = 0; a < 4; ++a) {
            double sum = 0;
            bool present = false;
            for (const ChartSeries &s : weekChart->series()) {
                if (s.name == areas[a]) {
                    present = true;
                    for (double v : s.values)
                        sum += v;
                }
            }
            QCOMPARE(qint64(sum), present ? byArea[a] : 0);
        }
        // The cut-over: the store's Inbound recipients by user and domain rule.
        ChartWidget *cut = page.panel(OverviewPage::Chart::CutOver)->chart();
        QCOMPARE(cut->categories(), (QStringList{u"coldsoup.example"_s, u"warmsushi.com"_s}));
        double users = 0;
        double domains = 0;
        for (int c = 0; c < cut->categories().size(); ++c) {
            users += cut->series().at(0).values.at(c);
            domains += cut->series().at(1).values.at(c);
        }
        QCOMPARE(qint64(users), byUser);
        QCOMPARE(qint64(domains), byDomain);

        // Every chart's figures as text: the accessible description names
        // each category with its figures, and the table holds them all.
        for (int i = 0; i < OverviewPage::kChartCount; ++i) {
            ChartPanel *panel = page.panel(OverviewPage::Chart(i));
            ChartWidget *chart = panel->chart();
            QVERIFY(!chart->accessibleName().isEmpty());
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(chart);
            QVERIFY(iface);
            QCOMPARE(iface->text(QAccessible::Name), chart->title());
            const QString description = iface->text(QAccessible::Description);
            QStandardItemModel *figures = chart->figures();
            QCOMPARE(figures->rowCount(), chart->categories().size());
            for (int c = 0; c < chart->categories().size(); ++c) {
                QVERIFY2(description.contains(chart->categories().at(c) + u": "_s),
                         qPrintable(chart->title() + u": "_s + chart->categories().at(c)));
                for (int s = 0; s < chart->series().size(); ++s) {
                    const double v = chart->series().at(s).values.at(c);
                    QCOMPARE(figures->item(c, s)->data(Qt::UserRole).toDouble(), v);
                    QVERIFY(figures->item(c, s)->text().startsWith(chart->formatValue(v)));
                }
            }
            // The table is one click away, and is reachable (a view with a name).
            click(panel->figuresButton());
            QTRY_VERIFY(panel->table()->isVisible());
            QVERIFY(!panel->table()->accessibleName().isEmpty());
        }
    }

    void emptyStoreSaysSo()
    {
        TempDb db;
        QVERIFY(db.ok());
        BackgroundStore background(db.path());
        OverviewPage page(&background);
        QSignalSpy loaded(&page, &OverviewPage::loaded);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 20000);
        ChartWidget *chart = page.panel(OverviewPage::Chart::Day)->chart();
        QVERIFY(!chart->hasData());
        QCOMPARE(chart->accessibleDescription(), chart->placeholder());
        QCOMPARE(page.totalValue(OverviewPage::Total::Messages, false), 0);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestOverviewPage)
#include "tst_overviewpage.moc"
