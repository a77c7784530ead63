// Throughput of the relay's spool on its hot path: store() group commits of
// 4 KB messages (synchronous=FULL, one sync per batch), the delivery write-back
// that deletes finished messages, and recovery. Prints key=value lines.
//
// usage: bench_spool [DIR]   (default: a temporary folder; put it on the disk
//                             the relay's spool will live on, not on tmpfs)
#include "relaycore/queue/spool.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

constexpr int kMessageSize = 4096;
constexpr qint64 kMinimumMsecs = 3000;

IncomingMessage makeMessage(int i)
{
    IncomingMessage in;
    in.meta.sender = u"sender%1@warmsushi.example"_s.arg(i);
    in.meta.clientAddress = u"192.0.2.7"_s;
    in.meta.heloName = u"client.example"_s;
    in.meta.generation = 1;
    for (int r = 0; r < 2; ++r) {
        QueuedRecipient rcpt;
        rcpt.address = u"user%1.%2@drypizza.example"_s.arg(i).arg(r);
        rcpt.originalAddress = u"user%1.%2@warmsushi.example"_s.arg(i).arg(r);
        in.meta.recipients.append(rcpt);
    }
    QByteArray data = "Received: from client.example ([192.0.2.7])\r\nSubject: bench\r\n\r\n";
    while (data.size() < kMessageSize)
        data += "The quick brown fox jumps over the lazy dog, message " + QByteArray::number(i) + ".\r\n";
    data.truncate(kMessageSize);
    in.data = data;
    return in;
}

void print(const char *key, double value)
{
    std::printf("%s=%.0f\n", key, value);
    std::fflush(stdout);
}

// What one sync costs on this disk, for reading the figures below.
double fsyncMillis(const QString &dir)
{
#ifdef Q_OS_UNIX
    QFile file(dir + u"/fsync.probe"_s);
    if (!file.open(QIODevice::WriteOnly))
        return -1;
    const QByteArray page(4096, 'x');
    constexpr int rounds = 200;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < rounds; ++i) {
        file.write(page);
        file.flush();
        ::fsync(file.handle());
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6 / rounds;
    file.close();
    file.remove();
    return ms;
#else
    Q_UNUSED(dir);
    return -1;
#endif
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir tmp(app.arguments().size() > 1 ? app.arguments().at(1) + u"/bench_spool-XXXXXX"_s
                                                 : QString());
    if (!tmp.isValid()) {
        std::fprintf(stderr, "cannot create a temporary folder\n");
        return 1;
    }
    std::printf("message_bytes=%d\n", kMessageSize);
    std::printf("fsync_ms=%.3f\n", fsyncMillis(tmp.path()));

    for (const int batchSize : {1, 5, 20}) {
        const QString dir = tmp.filePath(u"spool-batch%1"_s.arg(batchSize));
        Spool spool(dir);
        if (const Status opened = spool.open(); !opened) {
            std::fprintf(stderr, "%s\n", qPrintable(opened.error));
            return 1;
        }
        // Built beforehand: the figure is the spool's, not the test data's.
        QList<IncomingMessage> batch;
        for (int i = 0; i < batchSize; ++i)
            batch.append(makeMessage(i));

        QList<QueuedMessage> stored;
        QElapsedTimer timer;
        const std::clock_t cpuStart = std::clock();
        timer.start();
        while (timer.elapsed() < kMinimumMsecs) {
            const auto result = spool.store(batch);
            if (!result) {
                std::fprintf(stderr, "store: %s\n", qPrintable(result.error));
                return 1;
            }
            stored += *result;
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const QByteArray key = "store_batch" + QByteArray::number(batchSize) + "_msgs_per_s";
        print(key.constData(), double(stored.size()) / seconds);
        // CPU time apart from waiting for the disk: what the machine's load
        // (and not the sync) costs per message.
        const double cpuUs = double(std::clock() - cpuStart) * 1e6 / CLOCKS_PER_SEC / double(stored.size());
        const QByteArray cpuKey = "store_batch" + QByteArray::number(batchSize) + "_cpu_us_per_msg";
        print(cpuKey.constData(), cpuUs);

        if (batchSize != 20)
            continue;

        // Recovery after a restart: every envelope of the queue.
        spool.close();
        Spool reopened(dir);
        if (!reopened.open())
            return 1;
        timer.restart();
        const auto queued = reopened.loadQueued();
        if (!queued || queued->size() != stored.size()) {
            std::fprintf(stderr, "loadQueued: %s\n", qPrintable(queued.error));
            return 1;
        }
        print("load_queued_msgs_per_s", double(queued->size()) / (double(timer.nsecsElapsed()) / 1e9));
        std::printf("load_queued_messages=%lld\n", qlonglong(queued->size()));

        // Delivery write-back: both recipients delivered, the message (and its
        // content, overwritten by secure_delete) removed, 20 messages per call.
        timer.restart();
        for (qsizetype first = 0; first < queued->size(); first += 20) {
            QList<RecipientUpdate> updates;
            for (qsizetype i = first; i < qMin(first + 20, queued->size()); ++i) {
                const QueuedMessage &m = queued->at(i);
                for (const QueuedRecipient &r : m.recipients)
                    updates.append({m.id, r.id, RecipientStatus::Delivered, 1, {}, u"250 2.0.0 Ok"_s});
            }
            if (const Status updated = reopened.update(updates); !updated) {
                std::fprintf(stderr, "update: %s\n", qPrintable(updated.error));
                return 1;
            }
        }
        print("deliver_batch20_msgs_per_s", double(queued->size()) / (double(timer.nsecsElapsed()) / 1e9));
        timer.restart();
        if (!reopened.checkpoint())
            return 1;
        std::printf("checkpoint_ms=%.1f\n", double(timer.nsecsElapsed()) / 1e6);
    }
    return 0;
}
