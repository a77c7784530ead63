// relaycore/runtime/memorypolicy.h and RelayHousekeeper's trim when the relay
// goes quiet: large blocks stay mmap()ed after a larger one was freed (glibc
// would otherwise raise its threshold and keep the next ones in the heap),
// malloc_trim() gives freed pages in the middle of the heap back, and the
// housekeeper trims once per quiet period, never while told the relay is busy.
#include "relaycore/runtime/memorypolicy.h"
#include "relaycore/runtime/relayhousekeeper.h"

#include <QTest>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unistd.h>
#include <vector>

using namespace mailroute;

namespace {

// Resident bytes of this process (/proc/self/statm, second field).
[[maybe_unused]] qint64 residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    long long size = 0;
    long long resident = 0;
    statm >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

// A block the optimiser cannot drop: written through, freed by the caller.
[[maybe_unused]] void *touchedBlock(std::size_t bytes)
{
    void *volatile p = std::malloc(bytes);
    if (p)
        std::memset(p, 0x5a, bytes);
    return p;
}

} // namespace

class TestMemoryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void fixedThresholdKeepsLargeBlocksMapped()
    {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer puts its own allocator in glibc's place: mallopt()
        // and malloc_trim() are not glibc's there.
        QSKIP("glibc's allocator only");
#else
        QVERIFY(memorypolicy::useFixedMmapThreshold());
        // Without the fixed threshold, freeing this 8 MiB block would raise
        // glibc's threshold to 8 MiB and the 512 KiB block below would come
        // from the heap, staying resident after free().
        void *large = touchedBlock(8u << 20);
        QVERIFY(large);
        std::free(large);
        const std::size_t before = memorypolicy::mmappedBytes();
        void *block = touchedBlock(512u << 10);
        QVERIFY(block);
        QVERIFY2(memorypolicy::mmappedBytes() >= before + (512u << 10),
                 qPrintable(
                     QStringLiteral("mmapped %1 -> %2 bytes").arg(before).arg(memorypolicy::mmappedBytes())));
        std::free(block);
        QCOMPARE(memorypolicy::mmappedBytes(), before);
#endif
    }

    void trimGivesFreedHeapPagesBack()
    {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer puts its own allocator in glibc's place: mallopt()
        // and malloc_trim() are not glibc's there.
        QSKIP("glibc's allocator only");
#else
        // 48 MiB in blocks below the mmap threshold; every 16th stays in use,
        // so the freed ones are free chunks between blocks in use, which the
        // heap keeps resident until malloc_trim().
        std::vector<void *> blocks;
        std::vector<void *> pins;
        for (int i = 0; i < 12 * 1024; ++i)
            (i % 16 == 15 ? pins : blocks).push_back(touchedBlock(4000));
        for (void *b : blocks)
            std::free(b);
        const qint64 held = residentBytes();
        const bool trimmed = memorypolicy::returnFreedMemory();
        const qint64 after = residentBytes();
        for (void *p : pins)
            std::free(p);
        QVERIFY(trimmed);
        QVERIFY2(held - after >= (24 << 20),
                 qPrintable(QStringLiteral("resident %1 -> %2 bytes").arg(held).arg(after)));
#endif
    }

    void housekeeperTrimsOncePerQuietPeriod()
    {
        int trims = 0;
        RelayHousekeeper::Options options;
        options.idleTrimMs = 50;
        options.trimMemory = [&trims] { ++trims; };
        RelayHousekeeper housekeeper(options);
        RelayStatus status;
        status.listening = true;
        status.sessions = 1;
        QCOMPARE(trims, 0);
        housekeeper.noteActivity(status);
        QTRY_COMPARE(trims, 1);
        // The same status again (the scheduler republishes it on every tick)
        // is no activity: no second trim.
        housekeeper.noteActivity(status);
        QTest::qWait(200);
        QCOMPARE(trims, 1);
        // A burst of changes is one busy period: one trim after it.
        for (int i = 0; i < 5; ++i) {
            status.queued = i + 1;
            housekeeper.noteActivity(status);
        }
        QTRY_COMPARE(trims, 2);
        QTest::qWait(200);
        QCOMPARE(trims, 2);
    }

    void housekeeperNeverTrimsWhenSwitchedOff()
    {
        int trims = 0;
        RelayHousekeeper::Options options;
        options.idleTrimMs = 0;
        options.trimMemory = [&trims] { ++trims; };
        RelayHousekeeper housekeeper(options);
        RelayStatus status;
        status.sessions = 3;
        housekeeper.noteActivity(status);
        QTest::qWait(100);
        QCOMPARE(trims, 0);
    }
};

QTEST_GUILESS_MAIN(TestMemoryPolicy)
#include "tst_memorypolicy.moc"
