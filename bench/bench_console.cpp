// bench_console: the console's figures for BENCHMARKS.md ("Console").
//
//  1. Open the Inbound configuration page on a database with 1,000,000 user
//     mappings (time until the first paint), then scroll it: jumps to random
//     places, drags through the list, Page Down steps; each timed until painted.
//  2. The process's memory (VmRSS, VmHWM) with that page open.
//  3. Upload CSV of a million rows through the dialog: time to the preview
//     and to the replaced list, the GUI's longest stall meanwhile, peak memory.
//  4. The live log under a flood: 2,000 relay events per second arrive for
//     N seconds (as the engine sends them, in ~100 ms batches, through
//     MessageLogFeed into the three Logs pages, the Inbound one shown and
//     following), while a 2 ms timer measures the event loop's longest stall.
//
//   bench_console [--users 1000000] [--seconds 10] [--rate 2000] [--dir DIR]
//
// The database is filled by a child process (this program, --create-only),
// so the memory figures are the console's own, not the import's.
//
// Run it under xvfb-run (a real X server paints) or QT_QPA_PLATFORM=offscreen.
// Prints key=value lines. Targets: open < 1 s, every scroll step < 50 ms,
// longest stall < 50 ms.
#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/store/configstore.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/csvimportdialog.h"
#include "ui/mainwindow.h"
#include "ui/messagelogfeed.h"
#include "ui/messagelogmodel.h"
#include "ui/usermappingmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void print(const char *key, const QString &value)
{
    std::printf("%s=%s\n", key, qPrintable(value));
    std::fflush(stdout);
}

void print(const char *key, double value, int decimals = 1)
{
    print(key, QString::number(value, 'f', decimals));
}

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Paints now, as the window system would after a scroll.
void paint(QTableView *view)
{
    view->viewport()->repaint();
    QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
}

// Until the first and last rows on screen show their text (pages read on
// the pager's thread), or 5 s.
void waitFilled(QTableView *view)
{
    QElapsedTimer t;
    t.start();
    const int top = view->rowAt(0);
    const int bottom = std::max(top, view->rowAt(view->viewport()->height() - 2));
    while (t.elapsed() < 5000) {
        if (view->model()->index(top, 0).data().isValid() && view->model()->index(bottom, 1).data().isValid())
            return;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
}

struct Stats
{
    QList<double> samples;
    void add(double v) { samples << v; }
    double max() const { return samples.isEmpty() ? 0 : *std::max_element(samples.cbegin(), samples.cend()); }
    double percentile(double p) const
    {
        if (samples.isEmpty())
            return 0;
        QList<double> s = samples;
        std::sort(s.begin(), s.end());
        return s.at(std::min<qsizetype>(s.size() - 1, qsizetype(p * double(s.size()))));
    }
    double mean() const
    {
        double sum = 0;
        for (double v : samples)
            sum += v;
        return samples.isEmpty() ? 0 : sum / double(samples.size());
    }
};

QList<MessageLogEntry> makeEvents(int count, qint64 &serial)
{
    // A realistic mix: each message gives received, rewritten, delivered.
    QList<MessageLogEntry> out;
    out.reserve(count);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    while (out.size() < count) {
        const qint64 n = serial++;
        const QString queueId = u"Q%1"_s.arg(n, 8, 16, QLatin1Char('0'));
        const QString user = u"user%1"_s.arg(n % 1000000);
        MessageLogEntry e;
        e.time = now;
        e.queueId = queueId;
        switch (n % 3) {
        case 0:
            e.event = MessageEvent::Received;
            e.fields = {{u"from"_s, u"sender@partner.example"_s},
                        {u"to"_s, QString(user + u"@warmsushi.com"_s)},
                        {u"recipients"_s, QString(user + u"@drypizza.com"_s)},
                        {u"size"_s, QVariant(4096)},
                        {u"client"_s, u"192.0.2.7"_s}};
            break;
        case 1:
            e.event = MessageEvent::Rewritten;
            e.area = Area::Inbound;
            e.fields = {{u"scope"_s, u"envelope recipient"_s},
                        {u"from"_s, QString(user + u"@warmsushi.com"_s)},
                        {u"to"_s, QString(user + u"@drypizza.com"_s)},
                        {u"rule"_s, u"@warmsushi.com -> @drypizza.com"_s},
                        {u"match"_s, u"domain"_s}};
            break;
        default:
            e.event = MessageEvent::Delivered;
            e.fields = {{u"to"_s, QString(user + u"@drypizza.com"_s)},
                        {u"relay"_s, u"mx.drypizza.com[192.0.2.25]:25"_s},
                        {u"reply"_s, u"250 2.0.0 Ok: queued as ABC123"_s}};
            break;
        }
        out << e;
    }
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"MailRoute-bench"_s);
    QCommandLineParser parser;
    parser.addOption({u"users"_s, u"User mappings in the table."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"seconds"_s, u"Length of the log flood."_s, u"S"_s, u"10"_s});
    parser.addOption({u"rate"_s, u"Log events per second."_s, u"N"_s, u"2000"_s});
    parser.addOption({u"dir"_s, u"Folder for the database (default: a temporary one)."_s, u"DIR"_s});
    parser.addOption({u"create-only"_s, u"Only fill the database (used by the benchmark itself)."_s});
    parser.process(app);
    const int users = parser.value(u"users"_s).toInt();
    const int seconds = parser.value(u"seconds"_s).toInt();
    const int rate = parser.value(u"rate"_s).toInt();
    QTemporaryDir tmp;
    const QString dir = parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) : tmp.path();
    print("platform", QGuiApplication::platformName());

    // ---- a database with `users` user mappings (not part of the figures)
    const QString dbPath = dir + u"/bench-console.db"_s;
    if (parser.isSet(u"create-only"_s)) {
        QFile::remove(dbPath);
        ConfigStore store(dbPath);
        if (!store.open().ok())
            return 1;
        QList<UserMapping> rows;
        rows.reserve(users);
        for (int i = 0; i < users; ++i)
            rows.append({u"user%1@warmsushi.com"_s.arg(i), u"first.last%1@drypizza.com"_s.arg(i)});
        const ImportPlan plan = store.planImport(Area::Inbound, UserCsvCodec::write(rows));
        if (!plan.ok() || !store.applyImport(plan).ok())
            return 1;
        store.addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s);
        return 0;
    }
    {
        QElapsedTimer fill;
        fill.start();
        QStringList args = QCoreApplication::arguments().mid(1);
        args << u"--create-only"_s << u"--dir"_s << dir;
        if (QProcess::execute(QCoreApplication::applicationFilePath(), args) != 0)
            return 1;
        print("fill_database_s", ms(fill) / 1000.0);
    }
    ConfigStore store(dbPath);
    if (!store.open().ok())
        return 1;
    print("users", QString::number(store.userCount(Area::Inbound)));
    print("rss_before_window_mb", double(statusKb("VmRSS")) / 1024.0);

    // ---- 1. open the window on the Inbound configuration page
    QElapsedTimer open;
    open.start();
    MainWindow window(&store);
    window.resize(1280, 800);
    window.showPage(MainWindow::Page::InboundConfig);
    window.show();
    QTableView *view = window.configPage(Area::Inbound)->userView();
    paint(view);
    print("open_window_ms", ms(open));
    waitFilled(view);
    paint(view);
    print("open_until_rows_shown_ms", ms(open));
    print("rss_window_open_mb", double(statusKb("VmRSS")) / 1024.0);

    auto *model = static_cast<UserMappingModel *>(view->model());
    QScrollBar *bar = view->verticalScrollBar();
    print("scroll_maximum", QString::number(bar->maximum()));

    // Jumps (dragging the scroll bar thumb somewhere): 200 random places.
    Stats jumps;
    Stats filled;
    QRandomGenerator random(42);
    for (int i = 0; i < 200; ++i) {
        QElapsedTimer t;
        t.start();
        bar->setValue(int(random.bounded(bar->maximum() + 1)));
        paint(view);
        jumps.add(ms(t));
        waitFilled(view);
        filled.add(ms(t));
    }
    // The far end, where OFFSET costs most.
    QElapsedTimer endTimer;
    endTimer.start();
    bar->setValue(bar->maximum());
    paint(view);
    waitFilled(view);
    print("scroll_to_end_filled_ms", ms(endTimer));
    // A drag through the whole list: 500 evenly spaced steps.
    Stats drag;
    for (int i = 0; i <= 500; ++i) {
        QElapsedTimer t;
        t.start();
        bar->setValue(int(qint64(bar->maximum()) * i / 500));
        paint(view);
        drag.add(ms(t));
    }
    // Page Down 300 times from the middle (reading through the list).
    bar->setValue(bar->maximum() / 2);
    paint(view);
    // Reading on from a page already read: the next page is read from its
    // last key (keyset), not from an offset half a million rows deep.
    Stats pages;
    Stats pagesFilled;
    for (int i = 0; i < 300; ++i) {
        QElapsedTimer t;
        t.start();
        bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
        paint(view);
        pages.add(ms(t));
        waitFilled(view);
        pagesFilled.add(ms(t));
    }
    print("scroll_jump_mean_ms", jumps.mean(), 2);
    print("scroll_jump_p99_ms", jumps.percentile(0.99), 2);
    print("scroll_jump_max_ms", jumps.max(), 2);
    print("scroll_jump_rows_shown_mean_ms", filled.mean(), 2);
    print("scroll_jump_rows_shown_p99_ms", filled.percentile(0.99), 2);
    print("scroll_jump_rows_shown_max_ms", filled.max(), 2);
    print("scroll_drag_mean_ms", drag.mean(), 2);
    print("scroll_drag_max_ms", drag.max(), 2);
    print("scroll_pagedown_mean_ms", pages.mean(), 2);
    print("scroll_pagedown_max_ms", pages.max(), 2);
    print("scroll_pagedown_rows_shown_mean_ms", pagesFilled.mean(), 2);
    print("scroll_pagedown_rows_shown_max_ms", pagesFilled.max(), 2);
    print("cached_pages", QString::number(model->cachedPages()));
    print("rss_after_scroll_mb", double(statusKb("VmRSS")) / 1024.0);
    print("peak_rss_mb", double(statusKb("VmHWM")) / 1024.0);

    // ---- 3. Upload CSV of a million rows (a tenth of them changed) through the
    // dialog, as a person does: until the preview, then Replace until done,
    // while a 2 ms timer records the GUI's longest stall.
    {
        QList<UserMapping> rows;
        rows.reserve(users);
        for (int i = 0; i < users; ++i)
            rows.append({u"user%1@warmsushi.com"_s.arg(i), i % 10 == 0
                                                               ? u"moved%1@drypizza.com"_s.arg(i)
                                                               : u"first.last%1@drypizza.com"_s.arg(i)});
        const QString csv = dir + u"/bench-console-upload.csv"_s;
        QFile f(csv);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(UserCsvCodec::write(rows));
        f.close();
        rows.clear();
        rows.squeeze();

        Stats stalls;
        QStringList longStalls; // "at s: gap ms", to see which step stalls
        QElapsedTimer sinceTick;
        QElapsedTimer upload;
        QTimer watchdog;
        watchdog.setTimerType(Qt::PreciseTimer);
        watchdog.setInterval(2);
        QObject::connect(&watchdog, &QTimer::timeout, &window, [&] {
            const double gap = ms(sinceTick);
            stalls.add(gap);
            if (gap > 50)
                longStalls << u"%1s:%2ms"_s.arg(ms(upload) / 1000.0, 0, 'f', 2).arg(gap, 0, 'f', 0);
            sinceTick.restart();
        });
        window.showPage(MainWindow::Page::InboundConfig);
        upload.start();
        sinceTick.start();
        watchdog.start();
        QPointer<CsvImportDialog> dialog = window.configPage(Area::Inbound)->startImport(csv);
        while (dialog && dialog->stage() == CsvImportDialog::Stage::Reading && upload.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        print("upload_preview_s", ms(upload) / 1000.0, 2);
        if (dialog) {
            print("upload_preview_changed", QString::number(dialog->plan().changed));
            QElapsedTimer apply;
            apply.start();
            if (auto *replace = dialog->findChild<QPushButton *>(u"replaceButton"_s))
                replace->click();
            while (dialog && apply.elapsed() < 120000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            print("upload_replace_s", ms(apply) / 1000.0, 2);
            print("upload_done_at_s", ms(upload) / 1000.0, 2);
        }
        watchdog.stop();
        print("upload_loop_stall_max_ms", stalls.max(), 2);
        print("upload_loop_stall_p99_ms", stalls.percentile(0.99), 2);
        print("upload_stalls_over_50ms", longStalls.join(u' '));
        print("upload_peak_rss_mb", double(statusKb("VmHWM")) / 1024.0);
        QFile::remove(csv);
    }

    // ---- 4. the live log under a flood, the Inbound Logs page shown
    window.showAreaPage(Area::Inbound, true);
    QCoreApplication::processEvents();
    const int batchMs = 100;
    const int perBatch = rate * batchMs / 1000;
    qint64 serial = 0;
    qint64 sent = 0;
    QTimer producer;
    producer.setTimerType(Qt::PreciseTimer);
    producer.setInterval(batchMs);
    // As the engine does: one signal per ~100 ms batch.
    QObject::connect(&producer, &QTimer::timeout, &window, [&] {
        const QList<MessageLogEntry> batch = makeEvents(perBatch, serial);
        sent += batch.size();
        window.logFeed()->add(batch);
    });
    Stats gaps;
    QElapsedTimer sinceTick;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(2);
    QObject::connect(&watchdog, &QTimer::timeout, &window, [&] {
        gaps.add(ms(sinceTick));
        sinceTick.restart();
    });
    QElapsedTimer flood;
    flood.start();
    sinceTick.start();
    producer.start();
    watchdog.start();
    QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    QApplication::exec();
    producer.stop();
    watchdog.stop();
    const double elapsed = ms(flood) / 1000.0;
    print("log_events_sent", QString::number(sent));
    print("log_events_per_second", double(sent) / elapsed, 0);
    print("log_rows_kept", QString::number(window.logsPage(Area::Inbound)->messageLogModel()->rowCount()));
    print("loop_stall_max_ms", gaps.max(), 2);
    print("loop_stall_p99_ms", gaps.percentile(0.99), 2);
    print("loop_stalls_over_50ms", QString::number(std::count_if(gaps.samples.cbegin(), gaps.samples.cend(),
                                                                 [](double g) { return g > 50; })));
    print("loop_tick_mean_ms", gaps.mean(), 2);
    print("rss_after_flood_mb", double(statusKb("VmRSS")) / 1024.0);
    print("peak_rss_mb_total", double(statusKb("VmHWM")) / 1024.0);
    return 0;
}
