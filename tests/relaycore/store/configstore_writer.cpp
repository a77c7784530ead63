// Test helper, not a test: a second process on the same configuration
// database, started by tst_configstore. Modes:
//   configstore_writer DB domains N     N Relay domain mappings, one write each
//   configstore_writer DB import N      replaces the Inbound user list with N users
//   configstore_writer DB hold MS       holds the write lock MS milliseconds
//                                       (prints "locked" once it has it), with
//                                       one uncommitted domain mapping inside
// Exit status 0 when every write succeeded; errors on stderr.
#include "relaycore/store/configstore.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

int fail(const QString &why)
{
    std::fprintf(stderr, "configstore_writer: %s\n", qPrintable(why));
    return 1;
}

int writeDomains(ConfigStore &store, int n)
{
    for (int i = 0; i < n; ++i) {
        const Status st =
            store.addDomainMapping(Area::Relay, u"child%1.example"_s.arg(i), u"moved.example"_s);
        if (!st)
            return fail(st.error);
    }
    return 0;
}

int importUsers(ConfigStore &store, int n)
{
    QByteArray csv("Source;Target\r\n");
    for (int i = 0; i < n; ++i)
        csv += "user" + QByteArray::number(i) + "@child.example;user" + QByteArray::number(i) +
               "@moved.example\r\n";
    const ImportPlan plan = store.planImport(Area::Inbound, csv);
    if (!plan.ok())
        return fail(plan.parsed.errors.constFirst().reason);
    const Status st = store.applyImport(plan);
    return st ? 0 : fail(st.error);
}

// Raw SQL on purpose: the store never leaves a transaction open, and the test
// needs one held for a known time.
int holdLock(const QString &path, int ms)
{
    int rc = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"holder"_s);
        db.setDatabaseName(path);
        if (!db.open())
            return fail(db.lastError().text());
        QSqlQuery q(db);
        if (!q.exec(u"PRAGMA busy_timeout = 5000"_s) || !q.exec(u"BEGIN IMMEDIATE"_s))
            return fail(q.lastError().text());
        if (!q.exec(
                u"INSERT INTO domain_mappings (area, source, target) VALUES ('relay', 'held.example', 'moved.example')"_s))
            return fail(q.lastError().text());
        std::printf("locked\n");
        std::fflush(stdout);
        QThread::msleep(static_cast<unsigned long>(ms));
        if (!q.exec(u"COMMIT"_s))
            rc = fail(q.lastError().text());
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"holder"_s);
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return fail(u"usage: configstore_writer DB domains|import|hold N"_s);
    const QString &path = args.at(1);
    const QString &mode = args.at(2);
    const int n = args.at(3).toInt();
    if (mode == u"hold")
        return holdLock(path, n);
    ConfigStore store(path);
    if (const Status st = store.open(); !st)
        return fail(st.error);
    if (mode == u"domains")
        return writeDomains(store, n);
    if (mode == u"import")
        return importUsers(store, n);
    return fail(u"unknown mode "_s + mode);
}
