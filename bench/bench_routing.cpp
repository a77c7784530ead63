// bench_routing: how fast a RoutingSnapshot compiles and answers lookups at
// migration scale (targets: 1,000,000 users compiled in under 2 s; at least
// 5,000,000 route() calls per second on a 2-core machine). A program, not a
// test: it prints one key=value line per figure for BENCHMARKS.md.
//
//   bench_routing [USERS] [LOOKUPS] [random-only]
//
// USERS and LOOKUPS default to 1000000 and 20000000. `random-only` runs the
// one-thread random lookups alone (no diff, lint or other phases): under
// `valgrind --tool=cachegrind`, two runs with different LOOKUPS give the
// instructions and cache misses per lookup by difference.
#include "relaycore/routing/configdiff.h"
#include "relaycore/routing/configlint.h"
#include "relaycore/routing/routingsnapshot.h"

#include <QByteArray>
#include <QFile>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <thread>
#include <utility>
#include <vector>

using namespace mailroute;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: on a shared machine wall time also counts
// the time other processes had the core.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

void print(const char *key, double value)
{
    std::printf("%s=%.3f\n", key, value);
}

void print(const char *key, long long value)
{
    std::printf("%s=%lld\n", key, value);
}

// A "Vm...:" figure of /proc/self/status, in KiB.
long long statusKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

long long peakRssKiB()
{
    return statusKiB("VmHWM");
}

constexpr int kSourceDomains = 1000;
constexpr int kTargetDomains = 50;

struct Input
{
    MailAddress address;
    MatchKind expected;
};

// A third user hits, a third domain-rule hits, a third misses, in random
// order so the lookups walk the whole table as real traffic would. The order
// is drawn first and the strings are made in that order: a relay looks up an
// address it has just parsed, so the input itself is in cache.
std::vector<Input> makeInputs(int users, size_t count, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::vector<int> kinds(count);
    for (size_t i = 0; i < count; ++i)
        kinds[i] = int(i % 3);
    std::shuffle(kinds.begin(), kinds.end(), rng);
    std::vector<Input> inputs;
    inputs.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        const int u = int(rng() % uint64_t(users));
        const int d = int(rng() % kSourceDomains);
        switch (kinds[i]) {
        case 0:
            // Mixed case on purpose: matching folds case on the fly.
            inputs.push_back({MailAddress{QStringLiteral("User%1").arg(u),
                                          QStringLiteral("src%1.example").arg(u % kSourceDomains)},
                              MatchKind::User});
            break;
        case 1:
            inputs.push_back(
                {MailAddress{QStringLiteral("someone.else%1").arg(u), QStringLiteral("src%1.example").arg(d)},
                 MatchKind::Domain});
            break;
        default:
            inputs.push_back(
                {MailAddress{QStringLiteral("user%1").arg(u), QStringLiteral("elsewhere%1.example").arg(d)},
                 MatchKind::None});
            break;
        }
    }
    return inputs;
}

// Runs `lookups` route() calls over `inputs`; returns the number of results
// whose kind was not the expected one (must be 0).
long long runLookups(const RoutingSnapshot &s, const std::vector<Input> &inputs, long long lookups)
{
    long long wrong = 0;
    size_t i = 0;
    for (long long n = 0; n < lookups; ++n) {
        const Input &in = inputs[i];
        const RouteResult r = s.route(Area::Inbound, in.address);
        wrong += (r.kind != in.expected);
        if (++i == inputs.size())
            i = 0;
    }
    return wrong;
}

} // namespace

int main(int argc, char **argv)
{
    const int users = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000000;
    const long long lookups = argc > 2 ? std::max(1LL, std::atoll(argv[2])) : 20000000LL;
    const bool randomOnly = argc > 3 && std::strcmp(argv[3], "random-only") == 0;

    // The configuration as the store would hand it over (not timed).
    const long long rssBeforeConfig = statusKiB("VmRSS");
    ConfigData config;
    QList<UserMapping> &list = config.area(Area::Inbound).users;
    list.reserve(users);
    for (int i = 0; i < users; ++i) {
        list.append(UserMapping{QStringLiteral("user%1@src%2.example").arg(i).arg(i % kSourceDomains),
                                QStringLiteral("First.Last%1@dst%2.example").arg(i).arg(i % kTargetDomains)});
    }
    for (int d = 0; d < kSourceDomains; ++d) {
        config.area(Area::Inbound)
            .domains.append(DomainMapping{QStringLiteral("src%1.example").arg(d),
                                          QStringLiteral("moved%1.example").arg(d)});
    }

    const long long rssConfig = statusKiB("VmRSS");
    const auto buildStart = Clock::now();
    const double buildCpuStart = threadCpuSeconds();
    const std::shared_ptr<const RoutingSnapshot> snapshot = RoutingSnapshot::compile(config, 1);
    const double buildSeconds = secondsSince(buildStart);
    const double buildCpuSeconds = threadCpuSeconds() - buildCpuStart;
    // The snapshot shares the configuration's strings (implicit sharing):
    // what compile() adds is its tables.
    const long long rssSnapshot = statusKiB("VmRSS");
    print("users", static_cast<long long>(users));
    print("build_seconds", buildSeconds);
    print("build_cpu_seconds", buildCpuSeconds);
    print("config_rss_mib", double(rssConfig - rssBeforeConfig) / 1024);
    print("snapshot_tables_rss_mib", double(rssSnapshot - rssConfig) / 1024);
    if (randomOnly) {
        config = ConfigData{};
        const std::vector<Input> inputs = makeInputs(users, 1 << 20, 20240501);
        const long long wrong = runLookups(*snapshot, inputs, lookups);
        print("lookups", lookups);
        print("wrong_results", wrong);
        return wrong == 0 ? 0 : 1;
    }
    // The push preview at the same scale: the draft against the active
    // generation with 1% of the users changed, 1% removed, 1% added.
    ConfigData draft = config;
    {
        QList<UserMapping> &du = draft.area(Area::Inbound).users;
        for (int i = 0; i < users; i += 100)
            du[i].target = QStringLiteral("Changed%1@dst0.example").arg(i);
        for (int i = 0; i < users / 100; ++i)
            du.append(UserMapping{QStringLiteral("new%1@src0.example").arg(i),
                                  QStringLiteral("n%1@dst0.example").arg(i)});
        du.remove(1, users / 100);
    }
    const auto diffStart = Clock::now();
    const ConfigDiff diff = diffConfig(config, draft);
    const double diffSeconds = secondsSince(diffStart);
    const auto linesStart = Clock::now();
    const qsizetype diffLines = diff.toLines().size();
    const double linesSeconds = secondsSince(linesStart);
    const auto lintStart = Clock::now();
    const qsizetype findings = lintConfig(draft).size();
    const double lintSeconds = secondsSince(lintStart);
    config = ConfigData{}; // the snapshot holds its own copy
    draft = ConfigData{};

    print("domain_rules", static_cast<long long>(kSourceDomains));
    print("diff_seconds", diffSeconds);
    print("diff_lines", static_cast<long long>(diffLines));
    print("diff_to_lines_seconds", linesSeconds);
    print("lint_seconds", lintSeconds);
    print("lint_findings", static_cast<long long>(findings));

    const std::vector<Input> inputs = makeInputs(users, 1 << 20, 20240501);
    const std::vector<Input> hot(inputs.begin(), inputs.begin() + 4096);

    // Warm-up, then one thread over the whole table.
    long long wrong = runLookups(*snapshot, inputs, std::min<long long>(lookups / 10, 1 << 20));
    auto start = Clock::now();
    double cpuStart = threadCpuSeconds();
    wrong += runLookups(*snapshot, inputs, lookups);
    double seconds = secondsSince(start);
    double cpu = threadCpuSeconds() - cpuStart;
    print("lookups", lookups);
    print("lookup_seconds", seconds);
    print("lookups_per_second", static_cast<long long>(double(lookups) / seconds));
    print("lookups_per_cpu_second", static_cast<long long>(double(lookups) / cpu));

    // A small working set that stays in cache: the per-lookup cost itself.
    start = Clock::now();
    cpuStart = threadCpuSeconds();
    wrong += runLookups(*snapshot, hot, lookups);
    seconds = secondsSince(start);
    cpu = threadCpuSeconds() - cpuStart;
    print("lookups_per_second_hot_set", static_cast<long long>(double(lookups) / seconds));
    print("lookups_per_cpu_second_hot_set", static_cast<long long>(double(lookups) / cpu));

    // Each kind of result on its own, over the whole table: where the time goes.
    for (const auto &[kind, name] :
         {std::pair{MatchKind::User, "user_hits"}, std::pair{MatchKind::Domain, "domain_hits"},
          std::pair{MatchKind::None, "misses"}}) {
        std::vector<Input> only;
        for (const Input &in : inputs) {
            if (in.expected == kind)
                only.push_back(in);
        }
        start = Clock::now();
        cpuStart = threadCpuSeconds();
        wrong += runLookups(*snapshot, only, lookups / 4);
        seconds = secondsSince(start);
        cpu = threadCpuSeconds() - cpuStart;
        std::printf("lookups_per_second_%s=%lld\n", name,
                    static_cast<long long>(double(lookups / 4) / seconds));
        std::printf("lookups_per_cpu_second_%s=%lld\n", name,
                    static_cast<long long>(double(lookups / 4) / cpu));
    }

    // Every core on one shared snapshot, as the relay's sessions use it. Each
    // thread has its own inputs, as each session parses its own addresses.
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::vector<Input>> perThreadInputs;
    for (unsigned t = 0; t < threads; ++t)
        perThreadInputs.push_back(makeInputs(users, 1 << 20, 20240501 + t));
    std::vector<long long> wrongPerThread(threads, 0);
    std::vector<double> cpuPerThread(threads, 0);
    std::vector<std::thread> pool;
    start = Clock::now();
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const double c = threadCpuSeconds();
            wrongPerThread[t] = runLookups(*snapshot, perThreadInputs[t], lookups);
            cpuPerThread[t] = threadCpuSeconds() - c;
        });
    }
    for (std::thread &t : pool)
        t.join();
    seconds = secondsSince(start);
    for (long long w : wrongPerThread)
        wrong += w;
    print("threads", static_cast<long long>(threads));
    print("lookups_per_second_all_threads", static_cast<long long>(double(lookups) * threads / seconds));
    // What the threads would reach with a core each to themselves (on a
    // shared machine wall time also counts other processes' turns).
    double perCoreSum = 0;
    for (double c : cpuPerThread)
        perCoreSum += double(lookups) / c;
    print("lookups_per_cpu_second_all_threads", static_cast<long long>(perCoreSum));
    print("peak_rss_mib", peakRssKiB() / 1024);
    print("wrong_results", wrong);
    return wrong == 0 ? 0 : 1;
}
