// DatabaseFileGuard and ConfigStore's refusal to write into a database file
// that was deleted or replaced under an open connection: the WAL unlinked by
// hand, the database replaced by another file, and the real chain of events
// (this process opens and closes the WAL as a MIME sniffer would, which drops
// SQLite's POSIX locks; a second process then checkpoints and deletes it).
#include "relaycore/store/configstore.h"
#include "relaycore/store/databasefileguard.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

// What another program sees: a connection of its own, opened and closed.
int relayDomainsSeenByAnotherConnection(const QString &path)
{
    int n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT count(*) FROM domain_mappings WHERE source LIKE 'seen%'"_s) && q.next())
                n = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"other"_s);
    return n;
}

} // namespace

class TestDatabaseFileGuard final : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(u"cfg.sqlite"_s);
        m_store = std::make_unique<ConfigStore>(m_path);
        const Status st = m_store->open();
        QVERIFY2(st.ok(), qPrintable(st.error));
        QVERIFY(m_store->addDomainMapping(Area::Relay, u"before.example"_s, u"after.example"_s).ok());
        QVERIFY(QFileInfo::exists(m_path + u"-wal"_s));
    }

    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    void untouchedFilesPassTheCheck()
    {
        const DatabaseFileGuard guard(m_path);
        QVERIFY(guard.isArmed());
        QVERIFY(guard.check().ok());
        QVERIFY(DatabaseFileGuard::deletedOpenFiles(m_path).isEmpty());
    }

    void deletedWalIsDetectedAndTheWriteRefused()
    {
        QVERIFY(QFile::remove(m_path + u"-wal"_s));
        const QStringList gone = DatabaseFileGuard::deletedOpenFiles(m_path);
        QVERIFY2(gone.contains(QFileInfo(m_path).canonicalFilePath() + u"-wal"_s),
                 qPrintable(gone.join(u' ')));
        const Status st = m_store->addDomainMapping(Area::Relay, u"lost.example"_s, u"after.example"_s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"cfg.sqlite-wal was deleted while this process still had it open"_s),
                 qPrintable(st.error));
        QVERIFY2(st.error.contains(u"Nothing was written"_s), qPrintable(st.error));
        QVERIFY2(st.error.contains(u"restart MailRoute"_s), qPrintable(st.error));
        // Still refused on the next try: the connection stays unusable for writes.
        QVERIFY(!m_store->addDomainMapping(Area::Relay, u"lost2.example"_s, u"after.example"_s).ok());
        // A fresh connection (what a restart gives) writes normally.
        m_store.reset();
        ConfigStore again(m_path);
        QVERIFY(again.open().ok());
        QVERIFY(again.addDomainMapping(Area::Relay, u"seen.example"_s, u"after.example"_s).ok());
        QCOMPARE(relayDomainsSeenByAnotherConnection(m_path), 1);
    }

    void replacedDatabaseIsDetected()
    {
        const QString copy = m_dir->filePath(u"copy.sqlite"_s);
        QVERIFY(QFile::copy(m_path, copy));
        QVERIFY(QFile::remove(m_path));
        QVERIFY(QFile::rename(copy, m_path));
        const Status st = m_store->addDomainMapping(Area::Relay, u"lost.example"_s, u"after.example"_s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"the database file was replaced by another file"_s),
                 qPrintable(st.error));
    }

    void deletedDatabaseIsDetected()
    {
        QVERIFY(QFile::remove(m_path));
        const Status st = m_store->addDomainMapping(Area::Relay, u"lost.example"_s, u"after.example"_s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"the database file was deleted"_s), qPrintable(st.error));
    }

    // The chain of the bug report: a close() of the WAL outside SQLite drops
    // this process's locks; another process then believes it is the last
    // connection and deletes the WAL on close. The next write is refused
    // instead of vanishing into the deleted file.
    void lockLossThenAnotherProcessDeletesTheWal()
    {
        {
            QFile sniff(m_path + u"-wal"_s);
            QVERIFY(sniff.open(QIODevice::ReadOnly));
            sniff.read(16);
        } // closed: the POSIX locks on the WAL's inode are gone
        {
            QFile sniff(m_path);
            QVERIFY(sniff.open(QIODevice::ReadOnly));
            sniff.read(16);
        } // and those on the database file
        QProcess other;
        other.start(QStringLiteral(MAILROUTE_STORE_WRITER), {m_path, u"domains"_s, u"1"_s});
        QVERIFY(other.waitForFinished(30000));
        QCOMPARE(other.exitCode(), 0);
        // The other process deleted the WAL this one still has open.
        QVERIFY2(!DatabaseFileGuard::deletedOpenFiles(m_path).isEmpty(),
                 "the second process did not delete the WAL: SQLite's locks were not lost as expected");
        const Status st = m_store->addDomainMapping(Area::Relay, u"seen-lost.example"_s, u"after.example"_s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error.contains(u"was deleted while this process still had it open"_s),
                 qPrintable(st.error));
        QCOMPARE(relayDomainsSeenByAnotherConnection(m_path), 0);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<ConfigStore> m_store;
};

QTEST_GUILESS_MAIN(TestDatabaseFileGuard)
#include "tst_databasefileguard.moc"
