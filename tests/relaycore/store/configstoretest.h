// What the ConfigStore tests share: the CHECK_OK / CHECK_FAILS macros, a raw
// connection to the same file, CSV and user-list builders, and the fixture
// (a fresh database per test function, and a fingerprint of everything a
// failed call must leave alone). Included by tst_configstore*.cpp.
#pragma once

#include "relaycore/store/configstore.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#define CHECK_OK(expr)                                                                                       \
    do {                                                                                                     \
        const auto check_ = (expr);                                                                          \
        QVERIFY2(check_.ok(), qPrintable(check_.error));                                                     \
    } while (false)

#define CHECK_FAILS(expr, fragment)                                                                          \
    do {                                                                                                     \
        const auto check_ = (expr);                                                                          \
        QVERIFY2(!check_.ok(), "succeeded but should have failed");                                          \
        QVERIFY2(check_.error.contains(fragment), qPrintable(u"unexpected error: "_s + check_.error));       \
    } while (false)

namespace mailroute::testing {

using namespace Qt::StringLiterals;

// A plain connection to the same file, to look at or tamper with it.
class RawDb final
{
public:
    explicit RawDb(const QString &path) : m_name(u"tst.raw.%1"_s.arg(s_serial++))
    {
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        m_db.setDatabaseName(path);
        m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool exec(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            qWarning() << sql << q.lastError().text();
            return false;
        }
        return true;
    }
    // For statements expected to fail: no warning.
    bool tryExec(const QString &sql)
    {
        QSqlQuery q(m_db);
        return q.exec(sql);
    }
    QVariant scalar(const QString &sql)
    {
        QSqlQuery q(m_db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }

private:
    static inline int s_serial = 0;
    QString m_name;
    QSqlDatabase m_db;
};

inline QByteArray csvOf(const QList<UserMapping> &rows)
{
    QByteArray out("Source;Target\r\n");
    for (const UserMapping &m : rows)
        out += m.source.toUtf8() + ';' + m.target.toUtf8() + "\r\n";
    return out;
}

inline QList<UserMapping> numberedUsers(int n, const QString &domain = u"warmsushi.com"_s)
{
    QList<UserMapping> rows;
    for (int i = 0; i < n; ++i)
        rows.append({u"user%1@%2"_s.arg(i, 5, 10, QLatin1Char('0')).arg(domain),
                     u"user%1@drypizza.com"_s.arg(i, 5, 10, QLatin1Char('0'))});
    return rows;
}

// waitForFinished() is false for a child that has already been seen to exit.
inline bool finished(QProcess &p, int ms)
{
    return p.state() == QProcess::NotRunning || p.waitForFinished(ms);
}

inline QStringList messages(const QList<ActionLogEntry> &entries)
{
    QStringList out;
    for (const ActionLogEntry &e : entries)
        out << e.message;
    return out;
}

// The fixture: init() opens a fresh database in a new folder.
class ConfigStoreFixture
{
protected:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ConfigStore> m_store;

    QString dbPath() const { return m_dir->filePath(u"mailroute.db"_s); }
    ConfigStore &store() { return *m_store; }
    QString lastLog(std::optional<Area> area)
    {
        const QList<ActionLogEntry> log = store().recentActionLog(area, 1);
        return log.isEmpty() ? QString() : log.constLast().message;
    }

    // Everything a failed call must leave alone.
    struct Fingerprint
    {
        qint64 counter;
        ConfigData draft;
        qint64 logSize;
        qsizetype generations;
        bool operator==(const Fingerprint &o) const
        {
            return counter == o.counter && draft == o.draft && logSize == o.logSize &&
                   generations == o.generations;
        }
    };
    Fingerprint fingerprint()
    {
        return {store().changeCounter(), store().draft(), store().actionLog(std::nullopt, 0, 1000000).size(),
                store().generations().size()};
    }

    Status openFresh()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return Status::failure(u"no temporary folder"_s);
        m_store = std::make_unique<ConfigStore>(dbPath());
        return m_store->open();
    }

    void closeAll()
    {
        m_store.reset();
        m_dir.reset();
    }
};

} // namespace mailroute::testing
