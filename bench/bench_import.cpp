// bench_import: how long a CSV user-list import takes, the way the product
// does it (ConfigStore::planImport, then applyImport), into a fresh database,
// for 100,000 and 1,000,000 rows; then a re-import that changes part of the
// list, and a push of the whole configuration. Prints key=value lines.
//
//   bench_import [--sizes 100000,1000000] [--dir DIR]
//
// Targets: 100k rows < 1 s, 1M rows < 10 s and < 500 MB peak RSS.
// Peak RSS is VmHWM from /proc/self/status, reset between phases through
// /proc/self/clear_refs so each phase reports its own peak.
#include "relaycore/store/configstore.h"
#include "relaycore/store/generationcodec.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <ctime>

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

void resetPeak()
{
    QFile f(u"/proc/self/clear_refs"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

double peakMb()
{
    return double(statusKb("VmHWM")) / 1024.0;
}

void print(const QString &key, const QString &value)
{
    std::printf("%s=%s\n", qPrintable(key), qPrintable(value));
    std::fflush(stdout);
}

void print(const QString &key, double value, int decimals = 3)
{
    print(key, QString::number(value, 'f', decimals));
}

// Realistic addresses: several source domains, first.last local parts, a few
// with capitals (the store keeps the spelling and folds the key).
QByteArray makeCsv(qint64 rows, int variant)
{
    QByteArray csv;
    csv.reserve(rows * 64 + 32);
    csv.append("Source;Target\r\n");
    for (qint64 i = 0; i < rows; ++i) {
        const QByteArray n = QByteArray::number(i);
        csv.append(i % 10 == 0 ? "First.Last" : "first.last");
        csv.append(n);
        csv.append("@warmsushi");
        csv.append(QByteArray::number(i % 40));
        csv.append(".com;");
        csv.append(variant != 0 && i % 20 == 0 ? "changed." : "f.last");
        csv.append(n);
        csv.append("@drypizza.com\r\n");
    }
    return csv;
}

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

// CPU time of this process: on a shared machine wall time also measures the
// neighbours, so both are printed.
double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Wall and CPU seconds of one phase, printed as <key>_s and <key>_cpu_s.
class Phase final
{
public:
    explicit Phase(QString key) : m_key(std::move(key)), m_cpu(cpuNow()) { m_wall.start(); }
    void done()
    {
        print(m_key + u"_s"_s, seconds(m_wall));
        print(m_key + u"_cpu_s"_s, cpuNow() - m_cpu);
    }

private:
    QString m_key;
    double m_cpu;
    QElapsedTimer m_wall;
};

bool check(const Status &st, const char *what)
{
    if (!st)
        std::fprintf(stderr, "%s failed: %s\n", what, qPrintable(st.error));
    return st.ok();
}

bool importCsv(ConfigStore &store, const QByteArray &csv, const QString &key)
{
    resetPeak();
    Phase total(key);
    Phase planPhase(key + u"_plan"_s);
    const ImportPlan plan = store.planImport(Area::Inbound, csv);
    planPhase.done();
    if (!plan.ok()) {
        std::fprintf(stderr, "plan failed: %s\n", qPrintable(plan.parsed.errors.constFirst().reason));
        return false;
    }
    Phase applyPhase(key + u"_apply"_s);
    if (!check(store.applyImport(plan), "apply"))
        return false;
    applyPhase.done();
    total.done();
    print(key + u"_counts"_s,
          u"%1 new, %2 changed, %3 removed"_s.arg(plan.added).arg(plan.changed).arg(plan.removed));
    print(key + u"_peak_rss_mb"_s, peakMb(), 1);
    return true;
}

bool runSize(const QString &dir, qint64 rows, bool withPush)
{
    const QString tag =
        rows >= 1000000 && rows % 1000000 == 0 ? u"%1m"_s.arg(rows / 1000000) : u"%1k"_s.arg(rows / 1000);
    const QString db = dir + u"/bench-"_s + tag + u".db"_s;
    QFile::remove(db);
    QFile::remove(db + u"-wal"_s);
    ConfigStore store(db);
    if (!check(store.open(), "open"))
        return false;

    QByteArray csv = makeCsv(rows, 0);
    print(tag + u"_csv_mb"_s, double(csv.size()) / 1048576.0, 1);
    print(tag + u"_rss_before_import_mb"_s, double(statusKb("VmRSS")) / 1024.0, 1);
    {
        // The CSV codec alone, for scale: its share is not the store's.
        resetPeak();
        Phase parse(tag + u"_csv_parse_only"_s);
        const CsvParseResult parsed = UserCsvCodec::parse(csv);
        parse.done();
        print(tag + u"_csv_parse_only_peak_rss_mb"_s, peakMb(), 1);
    }
    if (!importCsv(store, csv, tag + u"_import"_s))
        return false;
    print(tag + u"_db_mb"_s, double(QFileInfo(db).size()) / 1048576.0, 1);
    if (store.userCount(Area::Inbound) != rows) {
        std::fprintf(stderr, "expected %lld users, found %lld\n", rows, store.userCount(Area::Inbound));
        return false;
    }
    if (!withPush)
        return true;

    // A realistic second upload: the same list with 5% of the targets changed.
    csv = makeCsv(rows, 1);
    if (!importCsv(store, csv, tag + u"_reimport"_s))
        return false;
    csv.clear();
    csv.squeeze();

    resetPeak();
    Phase first(tag + u"_push_first"_s);
    const Result<PushResult> p1 = store.push();
    if (!check(Status{p1.ok() ? std::optional<Done>(Done{}) : std::nullopt, p1.error}, "push"))
        return false;
    first.done();
    print(tag + u"_push_first_peak_rss_mb"_s, peakMb(), 1);
    print(tag + u"_db_after_push_mb"_s, double(QFileInfo(db).size()) / 1048576.0, 1);

    // The second push has a million-row active generation to decode and diff.
    if (!check(store.addUserMapping(Area::Inbound, u"new.user@warmsushi.com"_s, u"nu@drypizza.com"_s), "add"))
        return false;
    resetPeak();
    Phase second(tag + u"_push_second"_s);
    const Result<PushResult> p2 = store.push();
    if (!p2 || p2->unchanged) {
        std::fprintf(stderr, "second push failed: %s\n", qPrintable(p2.error));
        return false;
    }
    second.done();
    print(tag + u"_push_second_peak_rss_mb"_s, peakMb(), 1);

    Phase same(tag + u"_push_unchanged"_s);
    const Result<PushResult> p3 = store.push();
    if (!p3 || !p3->unchanged) {
        std::fprintf(stderr, "unchanged push failed\n");
        return false;
    }
    same.done();

    // Where a push's time goes (the pieces push() runs, timed one by one).
    Phase readDraft(tag + u"_part_read_draft"_s);
    const ConfigData draft = store.draft();
    readDraft.done();
    Phase readGen(tag + u"_part_read_generation"_s);
    const Result<ConfigData> active = store.generationConfig(p2->generation);
    readGen.done();
    Phase diff(tag + u"_part_diff"_s);
    const ConfigDiff d = diffConfig(*active, draft);
    diff.done();
    Phase lint(tag + u"_part_lint"_s);
    const QList<LintFinding> findings = lintConfig(draft);
    lint.done();
    Phase compile(tag + u"_part_compile"_s);
    const auto snapshot = RoutingSnapshot::compile(draft, 1);
    compile.done();
    Phase encode(tag + u"_part_encode"_s);
    const QByteArray blob = GenerationCodec::encode(draft);
    encode.done();
    print(tag + u"_generation_blob_mb"_s, double(blob.size()) / 1048576.0, 1);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<qint64> sizes{100000, 1000000};
    QString dirArg;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--sizes" && i + 1 < args.size()) {
            sizes.clear();
            for (const QString &s : args.at(++i).split(u','))
                sizes << s.toLongLong();
        } else if (args.at(i) == u"--dir" && i + 1 < args.size()) {
            dirArg = args.at(++i);
        } else {
            std::fprintf(stderr, "usage: bench_import [--sizes 100000,1000000] [--dir DIR]\n");
            return 2;
        }
    }
    QTemporaryDir tmp;
    const QString dir = dirArg.isEmpty() ? tmp.path() : dirArg;
    print(u"qt"_s, QString::fromLatin1(qVersion()));
    for (const qint64 n : std::as_const(sizes)) {
        // The push is timed on the largest list only (the 1M configuration).
        if (!runSize(dir, n, n == sizes.constLast()))
            return 1;
    }
    return 0;
}
