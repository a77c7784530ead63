// Undo of user-list steps (ui/draftundo.h): what deleting user mappings costs
// the GUI thread for its snapshot (read + pack the whole list), the memory a
// step keeps (the packed list), and the undo itself (unpack + one
// applyImport transaction, on the worker in the console).
//
//   bench_draftundo [ROWS]     (default 200000)
#include "relaycore/store/configstore.h"
#include "ui/draftundo.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

using namespace mailroute;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 200000;
    QTemporaryDir dir;
    ConfigStore store(dir.filePath(QStringLiteral("bench.db")));
    if (!store.open())
        return 1;
    ImportPlan plan;
    plan.area = Area::Inbound;
    for (qint64 i = 0; i < rows; ++i)
        plan.parsed.rows.append({QStringLiteral("user%1@warmsushi.com").arg(i),
                                 QStringLiteral("user%1.new@drypizza.com").arg(i)});
    if (!store.applyImport(plan))
        return 1;
    plan = {};
    QTextStream out(stdout);

    QElapsedTimer t;
    t.start();
    const QByteArray packed = DraftUndo::pack(store.userMappings(Area::Inbound));
    const qint64 snapshotMs = t.elapsed();
    if (!store.removeUserMappings(Area::Inbound, {QStringLiteral("user7@warmsushi.com")}))
        return 1;
    t.restart();
    ImportPlan restore;
    restore.area = Area::Inbound;
    restore.parsed.rows = DraftUndo::unpack(packed);
    const bool ok = store.applyImport(restore).ok();
    const qint64 restoreMs = t.elapsed();
    out << "rows " << rows << "\nsnapshot (GUI thread, before a delete): " << snapshotMs << " ms\n"
        << "packed size kept by the step: " << packed.size() / 1024 << " KiB\n"
        << "undo (unpack + applyImport, worker): " << restoreMs << " ms" << (ok ? "" : " FAILED") << '\n'
        << "rows after undo: " << store.userCount(Area::Inbound) << '\n';
    return ok && store.userCount(Area::Inbound) == rows ? 0 : 1;
}
