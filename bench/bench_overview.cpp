// bench_overview: the Overview and Trace pages' figures for BENCHMARKS.md
// (issue 14: the Overview's first paint on a store of 1,000,000 messages,
// goal < 500 ms).
//
//  1. Fills a database with a week of traffic through the trace store's
//     write path (the relay's MessageLogWriter, tests/ui/tracetraffic.h),
//     unless --db names one that exists.
//  2. Opens the Overview page as the console does (placeholders, figures
//     read on the store worker) and times: the first paint (placeholders),
//     the figures read, and the first paint with the figures.
//  3. Runs the Trace page's searches (an address, a part of one, a
//     Message-ID) through the page, each timed from the click until the rows
//     are in the table.
//
//   bench_overview [--messages 1000000] [--db PATH] [--runs 3]
//
// Run it under xvfb-run or QT_QPA_PLATFORM=offscreen. Prints key=value lines.
#include "relaycore/store/configstore.h"
#include "relaycore/trace/tracestore.h"
#include "tests/ui/tracetraffic.h"
#include "ui/backgroundstore.h"
#include "ui/chartpanel.h"
#include "ui/overviewpage.h"
#include "ui/tracepage.h"
#include "ui/traceresultmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

void out(const char *key, double value)
{
    std::printf("%s=%.1f\n", key, value);
    std::fflush(stdout);
}

// Records when a widget first paints.
class PaintWatch final : public QObject
{
public:
    explicit PaintWatch(QWidget *w) { w->installEventFilter(this); }
    qint64 at = -1;
    QElapsedTimer *clock = nullptr;

protected:
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Paint && at < 0 && clock)
            at = clock->elapsed();
        return QObject::eventFilter(o, e);
    }
};

template <typename Pred> bool waitFor(Pred done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return done();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption messagesOpt(QStringLiteral("messages"), QStringLiteral("Messages in the store."),
                                   QStringLiteral("N"), QStringLiteral("1000000"));
    QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Database (created when missing)."),
                             QStringLiteral("PATH"));
    QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("Runs of each measure."),
                               QStringLiteral("N"), QStringLiteral("3"));
    parser.addOptions({messagesOpt, dbOpt, runsOpt});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOpt).toInt());

    QTemporaryDir dir;
    const QString path =
        parser.isSet(dbOpt) ? parser.value(dbOpt) : dir.filePath(QStringLiteral("mailroute.db"));
    const QDateTime until = QDateTime::fromSecsSinceEpoch(
        (QDateTime::currentDateTimeUtc().toSecsSinceEpoch() / 3600 + 1) * 3600, Qt::UTC);
    QString sampleAddress;
    QString sampleId;
    {
        const bool exists = QFileInfo::exists(path);
        ConfigStore store(path);
        if (!store.open().ok()) {
            std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
            return 1;
        }
        if (!exists) {
            const int perHour = std::max(1, parser.value(messagesOpt).toInt() / (7 * 24));
            QElapsedTimer t;
            t.start();
            const QList<TrafficMessage> traffic = weekOfTraffic(until, perHour);
            QString error;
            if (!writeTraffic(path, traffic, &error, 20000)) {
                std::fprintf(stderr, "cannot write the traffic: %s\n", qPrintable(error));
                return 1;
            }
            std::printf("messages=%lld\n", static_cast<long long>(traffic.size()));
            out("create_s", t.elapsed() / 1000.0);
        }
        // The search samples: addresses and a Message-ID weekOfTraffic() writes.
        sampleAddress = QStringLiteral("user17@drypizza.com");
        sampleId = QStringLiteral("msg4711@partner.example");
    }

    // What the page's worker does first: open the configuration store.
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer t;
        t.start();
        ConfigStore store(path);
        (void)store.open();
        out("configstore_open_ms", double(t.elapsed()));
    }
    // The store's own read, without the page: TraceStore::overview() over the week.
    {
        TraceStore trace(path);
        if (trace.open().ok()) {
            for (int run = 0; run < runs; ++run) {
                QElapsedTimer t;
                t.start();
                const auto figures = trace.overview(until.addDays(-7), until, 10);
                out("tracestore_overview_ms", double(t.elapsed()));
                if (!figures.ok())
                    std::fprintf(stderr, "overview: %s\n", qPrintable(figures.error));
            }
        }
    }
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer clock;
        clock.start();
        BackgroundStore background(path);
        OverviewPage page(&background);
        PaintWatch watch(page.panel(OverviewPage::Chart::Week)->chart());
        watch.clock = &clock;
        bool loaded = false;
        QObject::connect(&page, &OverviewPage::loaded, &page, [&loaded] { loaded = true; });
        page.resize(1280, 900);
        page.show();
        if (!waitFor([&] { return watch.at >= 0; }, 10000)) {
            std::fprintf(stderr, "no paint\n");
            return 1;
        }
        const qint64 placeholder = watch.at;
        if (!waitFor([&] { return loaded; }, 60000)) {
            std::fprintf(stderr, "no figures\n");
            return 1;
        }
        const qint64 read = clock.elapsed();
        page.repaint(); // the first paint with the figures, synchronous
        const qint64 painted = clock.elapsed();
        if (!page.hasFigures()) {
            std::fprintf(stderr, "the figures could not be read\n");
            return 1;
        }
        out("overview_placeholder_paint_ms", double(placeholder));
        out("overview_figures_read_ms", double(read));
        out("overview_first_full_paint_ms", double(painted));
        std::printf("overview_messages_7d=%lld\n",
                    static_cast<long long>(page.totalValue(OverviewPage::Total::Messages, false)));
    }

    BackgroundStore background(path);
    TracePage trace(&background);
    trace.resize(1280, 900);
    trace.show();
    const std::pair<const char *, std::pair<QString, QString>> searches[] = {
        {"trace_page_address_ms", {sampleAddress, QString()}},
        {"trace_page_partial_ms", {QStringLiteral("ser17@drypiz"), QString()}},
        {"trace_page_message_id_ms", {QString(), sampleId}},
    };
    for (const auto &[key, query] : searches) {
        for (int run = 0; run < runs; ++run) {
            trace.findChild<QLineEdit *>(QStringLiteral("traceAddress"))->setText(query.first);
            trace.findChild<QLineEdit *>(QStringLiteral("traceMessageId"))->setText(query.second);
            bool done = false;
            QMetaObject::Connection c =
                QObject::connect(&trace, &TracePage::searched, &trace, [&done] { done = true; });
            QElapsedTimer t;
            t.start();
            trace.search();
            if (!waitFor([&] { return done; }, 60000)) {
                std::fprintf(stderr, "no result for %s\n", key);
                return 1;
            }
            QObject::disconnect(c);
            out(key, double(t.elapsed()));
            std::printf("%s_rows=%d\n", key, trace.results()->rowCount());
        }
    }
    return 0;
}
