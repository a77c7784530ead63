// The message trace (issue 14): fills a configuration database with N
// messages the way the relay's log thread writes them (message_log rows plus
// the trace rows, FTS5 index and roll-ups, in batches of one transaction),
// spread over 30 days with 1-3 recipients, Inbound user and domain rules,
// Outbound sender rules and every status; then times the searches of the
// Trace page and `mailroutectl trace` and the Overview's aggregate read.
// Prints key=value lines (times in milliseconds, median of RUNS).
//
// usage: bench_trace [--messages N] [--db FILE] [--keep]
//   --db FILE with an existing filled store skips the fill (reuse between runs).
#include "relaycore/store/configstore.h"
#include "relaycore/trace/traceingest.h"
#include "relaycore/trace/tracestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRuns = 7;
constexpr int kBatch = 2000; // messages per transaction (the relay batches every 100 ms)

void print(const char *key, double value, const char *fmt = "%s=%.1f\n")
{
    std::printf(fmt, key, value);
    std::fflush(stdout);
}

QString recipientOriginal(quint32 user)
{
    return u"user%1@warmsushi%2.example"_s.arg(user).arg(user % 20);
}
QString recipientRewritten(quint32 user)
{
    return u"first%1.last@drypizza%2.example"_s.arg(user).arg(user % 20);
}
QString messageIdOf(int i)
{
    return u"%1.%2@mail.sender%3.example"_s.arg(i).arg(i * 7919 % 100000).arg(i % 500);
}

// The events of message i (received at `t`), as the engine logs them.
void eventsOf(int i, const QDateTime &t, QRandomGenerator &rng, QList<MessageLogEntry> &out)
{
    const QString queueId = u"Q%1"_s.arg(i, 8, 16, QLatin1Char('0')).toUpper();
    const quint32 kind = rng.bounded(100u);
    if (kind < 2) { // refused at RCPT: no queue id
        out << MessageLogEntry{0,
                               t,
                               {},
                               MessageEvent::Refused,
                               std::nullopt,
                               {{u"client"_s, u"198.51.100.%1"_s.arg(i % 250)},
                                {u"from"_s, u"spam%1@bad.example"_s.arg(i % 1000)},
                                {u"to"_s, u"nobody%1@partner.example"_s.arg(i % 5000)},
                                {u"reason"_s, u"550 5.7.1 relay access denied"_s}}};
        return;
    }
    const bool outbound = kind < 12;
    const int n = 1 + int(rng.bounded(3u));
    QStringList originals, finals;
    QList<MessageLogEntry> rewrites;
    const QString from = outbound ? u"staff%1@drypizza.example"_s.arg(i % 3000)
                                  : u"sender%1@sender%2.example"_s.arg(i % 50000).arg(i % 500);
    if (outbound) {
        const QString newFrom = u"staff%1@warmsushi.example"_s.arg(i % 3000);
        rewrites << MessageLogEntry{0,
                                    t,
                                    queueId,
                                    MessageEvent::Rewritten,
                                    Area::Outbound,
                                    {{u"scope"_s, u"envelope sender"_s},
                                     {u"from"_s, from},
                                     {u"to"_s, newFrom},
                                     {u"match"_s, u"user"_s},
                                     {u"rule"_s, QString(from + u" -> "_s + newFrom)}}};
        for (int r = 0; r < n; ++r) {
            const QString to =
                u"partner%1@customer%2.example"_s.arg(rng.bounded(100000u)).arg(rng.bounded(300u));
            originals << to;
            finals << to;
        }
    } else {
        for (int r = 0; r < n; ++r) {
            const quint32 user = rng.bounded(200000u);
            const bool userRule = rng.bounded(100u) < 70;
            const QString original = recipientOriginal(user);
            const QString final =
                userRule ? recipientRewritten(user) : u"user%1@drypizza%2.example"_s.arg(user).arg(user % 20);
            originals << original;
            finals << final;
            rewrites << MessageLogEntry{
                0,
                t,
                queueId,
                MessageEvent::Rewritten,
                Area::Inbound,
                {{u"scope"_s, u"envelope recipient"_s},
                 {u"from"_s, original},
                 {u"to"_s, final},
                 {u"match"_s, userRule ? u"user"_s : u"domain"_s},
                 {u"rule"_s, userRule ? QString(original + u" -> "_s + final)
                                      : u"@warmsushi%1.example -> @drypizza%1.example"_s.arg(user % 20)}}};
        }
    }
    out << MessageLogEntry{0,
                           t,
                           queueId,
                           MessageEvent::Received,
                           std::nullopt,
                           {{u"session"_s, i},
                            {u"client"_s, u"192.0.2.%1"_s.arg(i % 250)},
                            {u"helo"_s, u"mx%1.sender.example"_s.arg(i % 50)},
                            {u"from"_s, from},
                            {u"to"_s, originals.join(u", "_s)},
                            {u"recipients"_s, finals.join(u", "_s)},
                            {u"size"_s, 2000 + int(rng.bounded(50000u))},
                            {u"generation"_s, 3},
                            {u"tls"_s, true},
                            {u"message_id"_s, messageIdOf(i)},
                            {u"subject"_s, u"Weekly report %1 for project %2"_s.arg(i % 1000).arg(i % 37)}}};
    out << rewrites;
    const QDateTime done = t.addSecs(1 + rng.bounded(30u));
    for (const QString &to : std::as_const(finals)) {
        const quint32 s = rng.bounded(100u);
        if (s < 90) {
            out << MessageLogEntry{0,
                                   done,
                                   queueId,
                                   MessageEvent::Delivered,
                                   std::nullopt,
                                   {{u"to"_s, to},
                                    {u"relay"_s, u"mx.drypizza.example:25"_s},
                                    {u"reply"_s, u"250 2.0.0 OK queued as ABC123"_s},
                                    {u"delay"_s, 1.5}}};
        } else if (s < 96) {
            out << MessageLogEntry{0,
                                   done,
                                   queueId,
                                   MessageEvent::Deferred,
                                   std::nullopt,
                                   {{u"to"_s, to},
                                    {u"relay"_s, u"mx.drypizza.example:25"_s},
                                    {u"reason"_s, u"451 4.7.500 Server busy"_s},
                                    {u"attempts"_s, 1},
                                    {u"next_attempt"_s, done.addSecs(300).toString(Qt::ISODate)}}};
        } else {
            out << MessageLogEntry{0,
                                   done,
                                   queueId,
                                   MessageEvent::Bounced,
                                   std::nullopt,
                                   {{u"to"_s, to},
                                    {u"relay"_s, u"mx.drypizza.example:25"_s},
                                    {u"reason"_s, u"550 5.1.10 RESOLVER.ADR.RecipientNotFound"_s},
                                    {u"dsn"_s, u"D%1"_s.arg(i)}}};
        }
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double timeIt(const std::function<qsizetype(int)> &run, qsizetype *rows)
{
    std::vector<double> ms;
    for (int r = 0; r < kRuns; ++r) {
        QElapsedTimer t;
        t.start();
        const qsizetype n = run(r);
        ms.push_back(t.nsecsElapsed() / 1e6);
        if (rows)
            *rows = n;
    }
    return median(ms);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int messages = 1000000;
    QString path;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--messages"_s && i + 1 < args.size())
            messages = args.at(++i).toInt();
        else if (args.at(i) == u"--db"_s && i + 1 < args.size())
            path = args.at(++i);
    }
    QTemporaryDir tmp;
    if (path.isEmpty())
        path = tmp.filePath(u"trace.db"_s);
    const bool fill = !QFileInfo::exists(path);
    const QDateTime end = QDateTime::currentDateTimeUtc();
    const QDateTime start = end.addDays(-30);
    const qint64 spanMs = start.msecsTo(end);
    {
        ConfigStore store(path);
        if (const Status st = store.open(); !st) {
            std::fprintf(stderr, "bench_trace: %s\n", qPrintable(st.error));
            return 1;
        }
        if (fill) {
            QRandomGenerator rng(14);
            TraceIngest ingest;
            QElapsedTimer t;
            t.start();
            QList<MessageLogEntry> batch;
            qint64 events = 0;
            for (int i = 0; i < messages; ++i) {
                eventsOf(i, start.addMSecs(spanMs * i / messages), rng, batch);
                if ((i + 1) % kBatch == 0 || i + 1 == messages) {
                    const auto r = store.appendMessageEvents(
                        batch, [&](QSqlDatabase &db) { return ingest.apply(db, batch); });
                    if (!r) {
                        std::fprintf(stderr, "bench_trace: %s\n", qPrintable(r.error));
                        return 1;
                    }
                    events += batch.size();
                    batch.clear();
                }
            }
            const double secs = t.elapsed() / 1000.0;
            print("fill_messages", messages, "%s=%.0f\n");
            print("fill_events", double(events), "%s=%.0f\n");
            print("fill_seconds", secs);
            print("fill_events_per_second", events / secs, "%s=%.0f\n");
            print("fts", ingest.fullText() ? 1 : 0, "%s=%.0f\n");
        }
    }
    print("db_megabytes", QFileInfo(path).size() / 1048576.0);

    TraceStore trace(path);
    if (const Status st = trace.open(); !st) {
        std::fprintf(stderr, "bench_trace: %s\n", qPrintable(st.error));
        return 1;
    }
    print("full_text", trace.fullText() ? 1 : 0, "%s=%.0f\n");
    qsizetype rows = 0;
    auto search = [&](const std::function<void(TraceQuery &, int)> &set) {
        return [&trace, set](int run) -> qsizetype {
            TraceQuery q;
            set(q, run);
            const auto r = trace.search(q);
            if (!r) {
                std::fprintf(stderr, "bench_trace: %s\n", qPrintable(r.error));
                std::exit(1);
            }
            return r->size();
        };
    };
    // Different targets each run, so no run reads what the last one cached in SQLite's pages only.
    const double byAddress =
        timeIt(search([](TraceQuery &q, int run) { q.to = recipientOriginal(1000 + 17 * run); }), &rows);
    print("search_address_ms", byAddress);
    print("search_address_rows", double(rows), "%s=%.0f\n");
    const double byRewritten =
        timeIt(search([](TraceQuery &q, int run) { q.to = recipientRewritten(2000 + 31 * run); }), &rows);
    print("search_rewritten_address_ms", byRewritten);
    const double byPart =
        timeIt(search([](TraceQuery &q, int run) { q.to = u"st%1.la"_s.arg(3000 + 13 * run); }), &rows);
    print("search_partial_address_ms", byPart);
    print("search_partial_address_rows", double(rows), "%s=%.0f\n");
    const double bySender =
        timeIt(search([](TraceQuery &q, int run) { q.from = u"sender%1@"_s.arg(4000 + run); }), &rows);
    print("search_partial_sender_ms", bySender);
    print("search_partial_sender_rows", double(rows), "%s=%.0f\n");
    const double byId = timeIt(
        search([messages](TraceQuery &q, int run) { q.messageId = messageIdOf(messages / 3 + run * 101); }),
        &rows);
    print("search_message_id_ms", byId);
    print("search_message_id_rows", double(rows), "%s=%.0f\n");
    const double byQueue = timeIt(search([messages](TraceQuery &q, int run) {
                                      q.queueId =
                                          u"Q%1"_s.arg(messages / 2 + run, 8, 16, QLatin1Char('0')).toUpper();
                                  }),
                                  &rows);
    print("search_queue_id_ms", byQueue);
    const double byStatusWeek = timeIt(search([end](TraceQuery &q, int) {
                                           q.status = TraceStatus::Bounced;
                                           q.since = end.addDays(-7);
                                       }),
                                       &rows);
    print("search_bounced_last_7_days_first_page_ms", byStatusWeek);
    const double overview7 = timeIt(
        [&](int) -> qsizetype {
            const auto o = trace.overview(end.addDays(-7), end);
            if (!o) {
                std::fprintf(stderr, "bench_trace: %s\n", qPrintable(o.error));
                std::exit(1);
            }
            return o->perHour.size();
        },
        &rows);
    print("overview_7_days_ms", overview7);
    print("overview_7_days_buckets", double(rows), "%s=%.0f\n");
    const double overview24 =
        timeIt([&](int) -> qsizetype { return trace.overview(end.addDays(-1), end)->perHour.size(); }, &rows);
    print("overview_24_hours_ms", overview24);
    return 0;
}
