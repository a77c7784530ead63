// Child process of tst_spool's recovery test: stores batches into a spool and
// reports each batch on stdout only after store() returned, i.e. at the moment
// the relay would send its 250 replies. The test kills it with SIGKILL (or it
// kills itself right after a store()) and then checks that every reported
// message is in the spool.
//
// Every third message is stored as a large one is: its header section in the
// row, its body in a spill file the spool links into its data folder, so a
// kill also lands between the link and the commit.
//
// usage: spool_crash_helper SPOOL_DIR ROUND SELF_KILL_AFTER_BATCHES
//   SELF_KILL_AFTER_BATCHES = 0: run until killed (at most kMaxBatches batches)
#include "relaycore/queue/spool.h"
#include "tests/relaycore/queue/spoolcrashpayload.h"

#include <QCoreApplication>
#include <QStringList>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace mailroute;

namespace {

constexpr int kMaxBatches = 5000;

bool writeAll(const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes.constData() + done, size_t(bytes.size() - done));
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: spool_crash_helper SPOOL_DIR ROUND SELF_KILL_AFTER_BATCHES\n");
        return 2;
    }
    const QString round = args.at(2);
    const int selfKillAfter = args.at(3).toInt();

    Spool spool(args.at(1));
    if (const Status opened = spool.open(); !opened) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error));
        return 1;
    }
    for (int batch = 0; batch < kMaxBatches; ++batch) {
        QList<IncomingMessage> messages;
        QStringList tags;
        const int size = 1 + batch % 7;
        for (int j = 0; j < size; ++j) {
            const int index = batch * 7 + j;
            const QString tag = QStringLiteral("r%1b%2m%3i%4").arg(round).arg(batch).arg(j).arg(index);
            IncomingMessage in = test::crashMessage(tag, index);
            if (index % 3 == 0) {
                const qsizetype headEnd = in.data.indexOf("\r\n\r\n") + 4;
                QString error;
                const std::shared_ptr<BodyFile> body =
                    BodyFile::create(Spool::incomingDirectory(args.at(1)), &error);
                if (!body || !body->append(in.data.constData() + headEnd, in.data.size() - headEnd) ||
                    !body->finish()) {
                    std::fprintf(stderr, "spill: %s\n", qPrintable(body ? body->error() : error));
                    return 1;
                }
                in.data.truncate(headEnd);
                in.body = body;
            }
            messages.append(in);
            tags.append(tag);
        }
        const auto stored = spool.store(messages);
        if (!stored) {
            std::fprintf(stderr, "store: %s\n", qPrintable(stored.error));
            return 1;
        }
        // One write per batch: the test reads either all of its lines or none.
        QByteArray acks;
        for (qsizetype j = 0; j < stored->size(); ++j)
            acks += "ACK " + stored->at(j).queueId.toLatin1() + ' ' + tags.at(j).toLatin1() + '\n';
        if (!writeAll(acks))
            return 1;
        if (selfKillAfter > 0 && batch + 1 == selfKillAfter)
            ::kill(::getpid(), SIGKILL);
    }
    return 3;
}
