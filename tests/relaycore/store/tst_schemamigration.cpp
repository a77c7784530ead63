// SchemaMigration through ConfigStore::open(): a fresh file, an upgrade from a
// version 1 file written with the SQL that version 1 shipped, refusal of newer
// and foreign files, and a failed step that leaves the file as it was.
#include "relaycore/store/configstore.h"
#include "relaycore/store/schemamigration.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

// Version 1 exactly as it shipped. Kept here, not taken from the library, so
// that an edit of a shipped step shows up as a failing test.
const QStringList kV1Schema{
    u"CREATE TABLE meta (  key   TEXT PRIMARY KEY NOT NULL,  value NOT NULL) WITHOUT ROWID"_s,
    u"INSERT INTO meta (key, value) VALUES ('change_counter', 0)"_s,
    u"CREATE TABLE domain_mappings (  area   TEXT NOT NULL CHECK (area IN ('relay', 'inbound', 'outbound')),"
    "  source TEXT NOT NULL,  target TEXT NOT NULL,  PRIMARY KEY (area, source),  CHECK (source <> target)"
    ") WITHOUT ROWID"_s,
    u"CREATE TABLE user_mappings (  area       TEXT NOT NULL CHECK (area IN ('inbound', 'outbound')),"
    "  source_key TEXT NOT NULL,  source     TEXT NOT NULL,  target     TEXT NOT NULL,"
    "  PRIMARY KEY (area, source_key)) WITHOUT ROWID"_s,
    u"CREATE TABLE settings (  key   TEXT PRIMARY KEY NOT NULL,  value TEXT NOT NULL) WITHOUT ROWID"_s,
    u"CREATE TABLE generations (  number       INTEGER PRIMARY KEY CHECK (number >= 1),"
    "  created      INTEGER NOT NULL,  snapshot     BLOB NOT NULL,  domain_count INTEGER NOT NULL,"
    "  user_count   INTEGER NOT NULL)"_s,
    u"CREATE TABLE action_log (  id      INTEGER PRIMARY KEY AUTOINCREMENT,  time    INTEGER NOT NULL,"
    "  area    TEXT CHECK (area IN ('relay', 'inbound', 'outbound')),  message TEXT NOT NULL)"_s,
    u"CREATE INDEX action_log_by_area ON action_log (area, id)"_s,
    u"INSERT INTO meta (key, value) VALUES ('schema_version', 1)"_s,
};

// Version 2's step exactly as it shipped, and a generation snapshot in the
// GenerationCodec format 1 that builds of that time wrote (one route,
// a.example -> [192.0.2.1]:2525, no TLS policy).
const QStringList kV2Step{
    u"CREATE TABLE routes (  domain   TEXT PRIMARY KEY NOT NULL,  next_hop TEXT NOT NULL) WITHOUT ROWID"_s,
    u"CREATE TABLE message_log (  id       INTEGER PRIMARY KEY AUTOINCREMENT,  time     INTEGER NOT NULL,"
    "  queue_id TEXT,  event    TEXT NOT NULL,  area     TEXT CHECK (area IN ('relay', 'inbound', "
    "'outbound')),"
    "  fields   TEXT NOT NULL DEFAULT '{}')"_s,
    u"CREATE INDEX message_log_by_time ON message_log (time)"_s,
    u"CREATE INDEX message_log_by_queue_id ON message_log (queue_id) WHERE queue_id IS NOT NULL"_s,
};
const char kV2GenerationHex[] =
    "4d524753010003000000000000000109612e6578616d706c65105b3139322e302e322e315d3a32353235";

QString squeeze(const QString &sql)
{
    return sql.simplified().remove(u' ');
}

// A plain connection for looking at (or tampering with) the file directly.
class RawDb final
{
public:
    explicit RawDb(const QString &path) : m_name(u"raw.%1"_s.arg(s_serial++))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        m_ok = m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool isOpen() const { return m_ok; }
    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    bool hasTable(const QString &name)
    {
        QSqlQuery q(m_db);
        q.prepare(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"_s);
        q.addBindValue(name);
        return q.exec() && q.next() && q.value(0).toInt() == 1;
    }

private:
    static inline int s_serial = 0;
    QString m_name;
    QSqlDatabase m_db;
    bool m_ok = false;
};

bool writeV1File(const QString &path)
{
    RawDb raw(path);
    if (!raw.isOpen())
        return false;
    for (const QString &sql : kV1Schema) {
        if (!raw.exec(sql))
            return false;
    }
    return raw.exec(u"INSERT INTO domain_mappings VALUES ('inbound', 'warmsushi.com', 'drypizza.com')"_s) &&
           raw.exec(u"INSERT INTO user_mappings VALUES ('inbound', 'bob@warmsushi.com', 'Bob@warmsushi.com', "
                    "'bob.owen@drypizza.com')"_s) &&
           raw.exec(u"INSERT INTO settings VALUES ('relay.hostname', 'mx.example.org')"_s) &&
           raw.exec(u"INSERT INTO action_log (time, area, message) VALUES (1700000000000, 'inbound', "
                    "'Domains inserted : @warmsushi.com to @drypizza.com,')"_s) &&
           raw.exec(u"UPDATE meta SET value = 3 WHERE key = 'change_counter'"_s);
}

// A version 2 file as that release left it: a route and a pushed generation.
bool writeV2File(const QString &path)
{
    if (!writeV1File(path))
        return false;
    RawDb raw(path);
    for (const QString &sql : kV2Step) {
        if (!raw.exec(sql))
            return false;
    }
    return raw.exec(u"INSERT INTO routes VALUES ('a.example', '[192.0.2.1]:2525')"_s) &&
           raw.exec(u"INSERT INTO generations VALUES (1, 1700000000000, x'%1', 0, 0)"_s.arg(
               QLatin1String(kV2GenerationHex))) &&
           raw.exec(u"INSERT INTO meta (key, value) VALUES ('active_generation', 1)"_s) &&
           raw.exec(u"UPDATE meta SET value = 2 WHERE key = 'schema_version'"_s);
}

const QStringList kLatestTables{u"meta"_s,        u"domain_mappings"_s, u"user_mappings"_s, u"settings"_s,
                                u"generations"_s, u"action_log"_s,      u"routes"_s,        u"message_log"_s};

} // namespace

class TstSchemaMigration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(u"config.db"_s); }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup() { m_dir.reset(); }

    void shippedStepOneIsUnchanged()
    {
        const QStringList step1 = SchemaMigration::stepStatements(1);
        QCOMPARE(step1.size() + 1, kV1Schema.size());
        for (qsizetype i = 0; i < step1.size(); ++i)
            QCOMPARE(squeeze(step1.at(i)), squeeze(kV1Schema.at(i)));
        QVERIFY(SchemaMigration::stepStatements(0).isEmpty());
        QVERIFY(SchemaMigration::stepStatements(SchemaMigration::latestVersion() + 1).isEmpty());
    }

    void freshFile()
    {
        // A folder that does not exist yet is created.
        const QString nested = m_dir->filePath(u"a/b/config.db"_s);
        {
            ConfigStore store(nested);
            const Status st = store.open();
            QVERIFY2(st.ok(), qPrintable(st.error));
            QCOMPARE(store.schemaVersion(), ConfigStore::latestSchemaVersion());
            QVERIFY(ConfigStore::latestSchemaVersion() >= 2);
        }
        RawDb raw(nested);
        for (const QString &t : kLatestTables)
            QVERIFY2(raw.hasTable(t), qPrintable(t));
        QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
                 ConfigStore::latestSchemaVersion());
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'change_counter'"_s).toInt(), 0);
        QVERIFY(raw.scalar(u"SELECT count(*) FROM meta WHERE key = 'active_generation'"_s).toInt() == 0);
    }

    void upgradeFromVersion1()
    {
        QVERIFY(writeV1File(path()));
        {
            RawDb raw(path());
            QVERIFY(!raw.hasTable(u"routes"_s));
        }
        ConfigStore store(path());
        const Status st = store.open();
        QVERIFY2(st.ok(), qPrintable(st.error));
        QCOMPARE(store.schemaVersion(), ConfigStore::latestSchemaVersion());

        // The version 1 data is all there.
        QCOMPARE(store.domainMappings(Area::Inbound),
                 QList<DomainMapping>({{u"warmsushi.com"_s, u"drypizza.com"_s}}));
        QCOMPARE(store.userMappings(Area::Inbound),
                 QList<UserMapping>({{u"Bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s}}));
        QCOMPARE(store.setting(u"relay.hostname"_s), u"mx.example.org"_s);
        QCOMPARE(store.changeCounter(), 3);
        const QList<ActionLogEntry> log = store.actionLog(Area::Inbound);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().time, QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC));

        // And what version 2 added works.
        QVERIFY(store.setRoute(u"drypizza.com"_s, u"smtp.drypizza.com:25"_s).ok());
        QCOMPARE(store.routes().size(), 1);
        MessageLogEntry e;
        e.event = MessageEvent::Received;
        e.queueId = u"Q1"_s;
        QVERIFY(store.appendMessageEvents({e}).ok());
        QCOMPARE(store.messageLog().size(), 1);
        const Result<PushResult> pushed = store.push();
        QVERIFY2(pushed.ok(), qPrintable(pushed.error));
        QCOMPARE(pushed->generation, 1);
    }

    void shippedStepTwoIsUnchanged()
    {
        const QStringList step2 = SchemaMigration::stepStatements(2);
        QCOMPARE(step2.size(), kV2Step.size());
        for (qsizetype i = 0; i < step2.size(); ++i)
            QCOMPARE(squeeze(step2.at(i)), squeeze(kV2Step.at(i)));
    }

    void upgradeFromVersion2KeepsRoutesAndGenerations()
    {
        // Version 3 gave routes their own TLS policy (issue 5): every older
        // route, and every generation an older build encoded, follows the
        // delivery.tls_policy setting.
        QVERIFY(writeV2File(path()));
        {
            ConfigStore store(path());
            const Status st = store.open();
            QVERIFY2(st.ok(), qPrintable(st.error));
            QCOMPARE(store.schemaVersion(), ConfigStore::latestSchemaVersion());
            QVERIFY(ConfigStore::latestSchemaVersion() >= 3);
            const QList<TransportRoute> routes = store.routes();
            QCOMPARE(routes.size(), 1);
            QCOMPARE(routes.first().nextHop, u"[192.0.2.1]:2525"_s);
            QVERIFY(!routes.first().tls.has_value());
            const Result<ConfigData> old = store.generationConfig(1);
            QVERIFY2(old.ok(), qPrintable(old.error));
            QCOMPARE(old->routes, routes);
            // The new column works, and a push of it round-trips.
            QVERIFY(store.setRoute(u"a.example"_s, u"[192.0.2.1]:2525"_s, TlsPolicy::Verify).ok());
            QCOMPARE(store.routes().first().tls, std::optional<TlsPolicy>(TlsPolicy::Verify));
            const Result<PushResult> pushed = store.push();
            QVERIFY2(pushed.ok(), qPrintable(pushed.error));
            const Result<ConfigData> pushedConfig = store.generationConfig(pushed->generation);
            QVERIFY2(pushedConfig.ok(), qPrintable(pushedConfig.error));
            QCOMPARE(pushedConfig->routes.first().tls, std::optional<TlsPolicy>(TlsPolicy::Verify));
        }
        // The column refuses anything but the three policies.
        RawDb raw(path());
        QVERIFY(!raw.exec(u"UPDATE routes SET tls = 'none'"_s));
        QCOMPARE(raw.scalar(u"SELECT tls FROM routes"_s).toString(), u"verify"_s);
    }

    void reopenKeepsVersionAndData()
    {
        {
            ConfigStore store(path());
            QVERIFY(store.open().ok());
            QVERIFY(store.addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        }
        ConfigStore again(path());
        QVERIFY(again.open().ok());
        QCOMPARE(again.schemaVersion(), ConfigStore::latestSchemaVersion());
        QCOMPARE(again.domainMappings(Area::Relay).size(), 1);
    }

    void newerVersionIsRefused()
    {
        {
            ConfigStore store(path());
            QVERIFY(store.open().ok());
        }
        {
            RawDb raw(path());
            QVERIFY(raw.exec(u"UPDATE meta SET value = 99 WHERE key = 'schema_version'"_s));
            QVERIFY(raw.exec(u"CREATE TABLE from_the_future (x)"_s));
        }
        ConfigStore store(path());
        const Status st = store.open();
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"newer"_s) && st.error.contains(u"99"_s), qPrintable(st.error));
        QCOMPARE(store.schemaVersion(), 0);
        // Nothing works on a refused file, and it is left as it was.
        QVERIFY(!store.addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(store.domainMappings(Area::Relay).isEmpty());
        RawDb raw(path());
        QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(), 99);
        QVERIFY(raw.hasTable(u"from_the_future"_s));
    }

    void foreignDatabaseIsRefused()
    {
        {
            RawDb raw(path());
            QVERIFY(raw.exec(u"CREATE TABLE contacts (name TEXT)"_s));
        }
        ConfigStore store(path());
        const Status st = store.open();
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"not a MailRoute database"_s), qPrintable(st.error));
        RawDb raw(path());
        QVERIFY(!raw.hasTable(u"meta"_s));
        QVERIFY(raw.hasTable(u"contacts"_s));
    }

    void garbageFileIsRefused()
    {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray junk(8192, 'x');
        f.write(junk);
        f.close();
        ConfigStore store(path());
        const Status st = store.open();
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"not"_s), qPrintable(st.error));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), junk);
    }

    void failedStepChangesNothing()
    {
        // A version 1 file in which step 2 cannot run (its table name is taken):
        // the step fails as a whole and the file stays at version 1.
        QVERIFY(writeV1File(path()));
        {
            RawDb raw(path());
            QVERIFY(raw.exec(u"CREATE TABLE message_log (oops)"_s));
        }
        ConfigStore store(path());
        const Status st = store.open();
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"schema version 2"_s), qPrintable(st.error));
        RawDb raw(path());
        QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(), 1);
        QVERIFY(!raw.hasTable(u"routes"_s));
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM domain_mappings"_s).toInt(), 1);
    }

    void concurrentFirstOpen()
    {
        // Several processes' worth of connections creating the same new file at
        // once: each step runs once, and every one of them ends up open.
        constexpr int kThreads = 4;
        std::atomic<int> opened{0};
        std::atomic<int> ready{0};
        QList<QThread *> threads;
        QStringList errors[kThreads];
        for (int i = 0; i < kThreads; ++i) {
            threads.append(QThread::create([this, i, &opened, &ready, &errors] {
                ++ready;
                while (ready.load() < kThreads)
                    QThread::yieldCurrentThread();
                ConfigStore store(path());
                const Status st = store.open();
                if (st.ok() && store.schemaVersion() == ConfigStore::latestSchemaVersion())
                    ++opened;
                else
                    errors[i] << st.error;
            }));
            threads.last()->start();
        }
        for (QThread *t : std::as_const(threads)) {
            QVERIFY(t->wait(30000));
            delete t;
        }
        for (const QStringList &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e.join(u'\n')));
        QCOMPARE(opened.load(), kThreads);
        RawDb raw(path());
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM meta WHERE key = 'change_counter'"_s).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TstSchemaMigration)
#include "tst_schemamigration.moc"
