// The relay's log path in isolation (issue 17, "events built once"): feeds N
// messages' worth of the events the engine emits for relay-bench.sh's
// throughput traffic (received, the envelope sender and three envelope
// recipients rewritten, the To: and From: header fields rewritten, sent-dot,
// three deliveries: 11 events per message) through MessageLogWriter into a
// real configuration database with the trace store, in batches as the engine
// sends them (every 100 ms: BATCH messages' intake events, with their
// deliveries in the same batch or, for LATER percent of them, in the next:
// --later 100 updates every message's rows in a second batch).
// Load-independent figures per message: CPU microseconds of this thread, heap allocations (malloc, calloc,
// realloc calls counted by this program), and the heap still in use after
// the run (the writer's open-message cache, SQLite's page cache), before and
// after MessageLogWriter::releaseMemory(). With MAILROUTE_TRACE=off the
// trace store is left out, as in `mailroutectl serve`.
//
// usage: bench_logpath [--messages N] [--batch B] [--later PERCENT]
//   valgrind --tool=cachegrind bench_logpath --messages 2000   (instructions)
#include "relaycore/runtime/messagelogwriter.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <malloc.h>

using namespace mailroute;
using namespace Qt::StringLiterals;

// ---- allocation count: this program's malloc family wraps glibc's
extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);
}
static std::atomic<unsigned long long> g_allocations{0};
extern "C" void *malloc(size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
extern "C" void *calloc(size_t n, size_t s)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, s);
}
extern "C" void *realloc(void *p, size_t n)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
extern "C" void free(void *p)
{
    __libc_free(p);
}

namespace {

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double rssMb()
{
    FILE *f = std::fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return double(resident) * 4096.0 / 1048576.0;
}

MessageLogEntry entry(const QDateTime &t, const QString &queueId, MessageEvent event,
                      std::optional<Area> area, QVariantMap fields)
{
    return MessageLogEntry{0, t, queueId, event, area, std::move(fields)};
}

QString queueIdOf(int i)
{
    return u"1M97ET%1"_s.arg(i, 9, 36, QLatin1Char('0')).toUpper();
}

// The intake events of message i, as the engine logs them after the spool commit.
void intakeEvents(int i, const QDateTime &t, QList<MessageLogEntry> &out)
{
    const QString q = queueIdOf(i);
    const QString sender = u"sender@warmsushi.example"_s;
    const QString newSender = u"sender@bounces.drypizza.example"_s;
    out << entry(
        t, q, MessageEvent::Received, std::nullopt,
        {{u"session"_s, quint64(i + 1)},
         {u"client"_s, u"127.0.0.1"_s},
         {u"helo"_s, u"bench.invalid"_s},
         {u"from"_s, sender},
         {u"to"_s, u"3rcpt@warmsushi.example, 2rcpt@warmsushi.example, rcpt@warmsushi.example"_s},
         {u"size"_s, qsizetype(4406)},
         {u"generation"_s, qint64(1)},
         {u"tls"_s, false},
         {u"message_id"_s, u"7948.%1.0001@bench.invalid"_s.arg(i, 4, 10, QLatin1Char('0'))},
         {u"recipients"_s, u"3rcpt@drypizza.example, 2rcpt@drypizza.example, rcpt@drypizza.example"_s}});
    out << entry(t, q, MessageEvent::Rewritten, Area::Outbound,
                 {{u"rule"_s, u"@warmsushi.example -> @bounces.drypizza.example"_s},
                  {u"match"_s, u"domain"_s},
                  {u"scope"_s, u"envelope sender"_s},
                  {u"from"_s, sender},
                  {u"to"_s, newSender}});
    for (const char *local : {"3rcpt", "2rcpt", "rcpt"}) {
        out << entry(t, q, MessageEvent::Rewritten, Area::Inbound,
                     {{u"rule"_s, u"@warmsushi.example -> @drypizza.example"_s},
                      {u"match"_s, u"domain"_s},
                      {u"scope"_s, u"envelope recipient"_s},
                      {u"from"_s, QString(QLatin1String(local) + u"@warmsushi.example"_s)},
                      {u"to"_s, QString(QLatin1String(local) + u"@drypizza.example"_s)}});
    }
    out << entry(t, q, MessageEvent::Rewritten, std::nullopt,
                 {{u"scope"_s, u"header To"_s},
                  {u"from"_s, u"rcpt@warmsushi.example"_s},
                  {u"to"_s, u"rcpt@drypizza.example"_s},
                  {u"reason"_s, u"no DKIM signature"_s}});
    out << entry(t, q, MessageEvent::Rewritten, Area::Outbound,
                 {{u"scope"_s, u"header From"_s}, {u"from"_s, sender}, {u"to"_s, newSender}});
}

// The delivery events of message i (sent-dot, then one per recipient).
void deliveryEvents(int i, const QDateTime &t, QList<MessageLogEntry> &out)
{
    const QString q = queueIdOf(i);
    const QString relay = u"[127.0.0.1]:24991"_s;
    out << entry(t, q, MessageEvent::SentDot, std::nullopt,
                 {{u"relay"_s, relay},
                  {u"to"_s, u"3rcpt@drypizza.example, 2rcpt@drypizza.example, rcpt@drypizza.example"_s}});
    for (const char *local : {"3rcpt", "2rcpt", "rcpt"}) {
        out << entry(t, q, MessageEvent::Delivered, std::nullopt,
                     {{u"to"_s, QString(QLatin1String(local) + u"@drypizza.example"_s)},
                      {u"relay"_s, relay},
                      {u"reply"_s, u"250 2.0.0 Ok"_s},
                      {u"delay"_s, 0.032}});
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int messages = 3000;
    int batch = 50; // about 500 msg/s with the engine's 100 ms batches
    int later = 30; // percent of messages delivered in the batch after their intake
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == u"--messages"_s)
            messages = args.at(i + 1).toInt();
        else if (args.at(i) == u"--batch"_s)
            batch = args.at(i + 1).toInt();
        else if (args.at(i) == u"--later"_s)
            later = args.at(i + 1).toInt();
    }
    if (messages <= 0 || batch <= 0 || later < 0 || later > 100) {
        std::fprintf(stderr, "usage: bench_logpath [--messages N] [--batch B] [--later PERCENT]\n");
        return 2;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(u"mailroute.db"_s);
    {
        ConfigStore store(path); // the schema, as `mailroutectl` creates it
        if (const Status st = store.open(); !st.ok()) {
            std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(path), qPrintable(st.error));
            return 1;
        }
    }
    // The events are built before the clock starts: the engine builds them.
    const QDateTime start = QDateTime::currentDateTimeUtc();
    // ... and what building them costs the engine thread (QVariantMap fields).
    const unsigned long long b0 = g_allocations.load();
    const double bc0 = cpuSeconds();
    QList<QList<MessageLogEntry>> batches;
    // A message's deliveries come in its own batch (delivered before the
    // engine's 100 ms timer fired) or, for `later` percent of them, in the next.
    const auto inNextBatch = [later](int i) { return (i * 37) % 100 < later; };
    for (int from = 0; from < messages + batch; from += batch) {
        QList<MessageLogEntry> events;
        const QDateTime t = start.addMSecs(from * 2);
        for (int i = from - batch; i >= 0 && i < from; ++i) {
            if (inNextBatch(i))
                deliveryEvents(i, t.addMSecs(30), events);
        }
        for (int i = from; i < qMin(from + batch, messages); ++i) {
            intakeEvents(i, t, events);
            if (!inNextBatch(i))
                deliveryEvents(i, t.addMSecs(30), events);
        }
        if (!events.isEmpty())
            batches << events;
    }
    const double buildUs = (cpuSeconds() - bc0) * 1e6 / messages;
    const double buildAllocations = double(g_allocations.load() - b0) / messages;
    const double rss0 = rssMb();
    const size_t heap0 = mallinfo2().uordblks;
    MessageLogWriter writer(path);
    QString failure;
    QObject::connect(&writer, &MessageLogWriter::failed, &writer,
                     [&failure](const QString &r) { failure = r; });
    // The first batch opens the database and prepares: timed apart.
    writer.write(batches.first());
    const unsigned long long a0 = g_allocations.load();
    const double c0 = cpuSeconds();
    for (qsizetype b = 1; b < batches.size(); ++b)
        writer.write(batches.at(b));
    const double c1 = cpuSeconds();
    const unsigned long long a1 = g_allocations.load();
    const int timed = messages - batch;
    if (!failure.isEmpty()) {
        std::fprintf(stderr, "bench_logpath: %s\n", qPrintable(failure));
        return 1;
    }
    const struct mallinfo2 mi = mallinfo2();
    std::printf("messages=%d batch=%d later_percent=%d events_per_msg=11 trace=%s\n", messages, batch, later,
                qEnvironmentVariable("MAILROUTE_TRACE") == u"off"_s ? "off" : "on");
    std::printf("cpu_us_per_msg=%.1f\n", (c1 - c0) * 1e6 / timed);
    std::printf("engine_build_us_per_msg=%.1f engine_build_allocations_per_msg=%.1f\n", buildUs,
                buildAllocations);
    std::printf("allocations_per_msg=%.1f\n", double(a1 - a0) / timed);
    // What the writer keeps (its open messages, statements, SQLite's cache).
    std::printf("heap_retained_mb=%.2f rss_mb_before=%.1f rss_mb_after=%.1f\n",
                (double(mi.uordblks) - double(heap0)) / 1048576.0, rss0, rssMb());
    // What the writer does once the relay is idle (a second without a batch).
    writer.releaseMemory();
    std::printf("heap_retained_mb_after_release=%.2f rss_mb_after_release=%.1f\n",
                (double(mallinfo2().uordblks) - double(heap0)) / 1048576.0, rssMb());
    return 0;
}
