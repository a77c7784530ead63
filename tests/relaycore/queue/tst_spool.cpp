// Tests of Spool: the relay's durable queue
// (docs/behaviour.md "Stopping and durability"): round trips, group-commit
// atomicity, deletion without a trace, recovery after SIGKILL, the schema and its
// upgrades. Control requests, the engine lock and listing are in
// tst_spoolcontrol.cpp.
#include "tests/relaycore/queue/spooltest.h"

#include "tests/relaycore/queue/spoolcrashpayload.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryFile>

#include <csignal>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_Spool : public QObject
{
    Q_OBJECT

private slots:
    void openCreatesPrivateDirectoryAndSchema();
    void openRefusesNewerSchema();
    void outboundClientRecordedAndOldSpoolsUpgrade();
    void operationsNeedAnOpenSpool();
    void roundTrip_data();
    void roundTrip();
    void storeAssignsIdsInBatchOrder();
    void reservedQueueIdIsKept();
    void emptyBatchStoresNothing();
    void batchIsAllOrNothing_data();
    void batchIsAllOrNothing();
    void updateKeepsOrDeletes_data();
    void updateKeepsOrDeletes();
    void updateIsOneTransaction();
    void updateOfVanishedRecipientIsIgnored();
    void deletedContentLeavesNoTrace_data();
    void deletedContentLeavesNoTrace();
    void queueIdsStayUniqueAcrossReopenWithClockSetBack();
    void acknowledgedMessagesSurviveSigkill();
    void version1SpoolIsUpgradedAndKeepsItsMail();
    void headersRewrittenRecorded();
};

void tst_Spool::openCreatesPrivateDirectoryAndSchema()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(u"var/spool/mailroute"_s);
    {
        Spool spool(dir);
        const Status opened = spool.open();
        QVERIFY2(opened, qPrintable(opened.error));
        QVERIFY(spool.isOpen());
        QCOMPARE(spool.databasePath(), QDir(dir).filePath(u"spool.db"_s));

        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        const QFile::Permissions dirPermissions = QFileInfo(dir).permissions();
        QVERIFY(dirPermissions & QFile::ExeOwner);
        QCOMPARE(dirPermissions & others, QFile::Permissions());
        QCOMPARE(QFileInfo(spool.databasePath()).permissions() & others, QFile::Permissions());

        // The spool's own connection: the durability and privacy settings.
        const QSqlDatabase db = spoolConnection();
        QVERIFY(db.isOpen());
        QCOMPARE(pragma(db, u"journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(pragma(db, u"synchronous"_s).toInt(), 2); // FULL
        QCOMPARE(pragma(db, u"secure_delete"_s).toInt(), 1);
        QCOMPARE(pragma(db, u"foreign_keys"_s).toInt(), 1);
    }
    RawDb raw(QDir(dir).filePath(u"spool.db"_s));
    QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
             Spool::kSchemaVersion);

    Spool again(dir);
    const Status reopened = again.open();
    QVERIFY2(reopened, qPrintable(reopened.error));
}

void tst_Spool::openRefusesNewerSchema()
{
    QTemporaryDir tmp;
    {
        Spool spool(tmp.path());
        QVERIFY(spool.open());
    }
    {
        RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
        QVERIFY(raw.exec(u"UPDATE meta SET value = 99 WHERE key = 'schema_version'"_s));
    }
    Spool spool(tmp.path());
    const Status opened = spool.open();
    QVERIFY(!opened);
    QVERIFY2(opened.error.contains(u"99"_s), qPrintable(opened.error));
    QVERIFY(!spool.isOpen());
}

// Schema 2 records whether the client was allow-listed (DKIM signing goes by
// it); a version 1 spool is upgraded in place and its messages read as
// "unknown".
void tst_Spool::outboundClientRecordedAndOldSpoolsUpgrade()
{
    QTemporaryDir tmp;
    {
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        IncomingMessage yes = message(body(1));
        yes.meta.outboundClient = true;
        IncomingMessage no = message(body(2));
        no.meta.outboundClient = false;
        IncomingMessage unknown = message(body(3));
        QVERIFY(spool.store({yes, no, unknown}));
        const auto queued = spool.loadQueued();
        QVERIFY(queued);
        QCOMPARE(queued->size(), 3);
        QCOMPARE(queued->at(0).outboundClient, std::optional<bool>(true));
        QCOMPARE(queued->at(1).outboundClient, std::optional<bool>(false));
        QCOMPARE(queued->at(2).outboundClient, std::optional<bool>());
    }
    {
        // Back to what version 1 wrote: no column, schema_version 1.
        RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN outbound_client"_s));
        QVERIFY(raw.exec(u"ALTER TABLE recipients DROP COLUMN schedule_start"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN delay_warned"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN headers_rewritten"_s));
        QVERIFY(raw.exec(u"ALTER TABLE contents DROP COLUMN body_size"_s)); // step 5
        QVERIFY(raw.exec(u"UPDATE meta SET value = 1 WHERE key = 'schema_version'"_s));
    }
    Spool spool(tmp.path());
    const Status opened = spool.open();
    QVERIFY2(opened, qPrintable(opened.error));
    const auto queued = spool.loadQueued();
    QVERIFY(queued);
    QCOMPARE(queued->size(), 3);
    for (const QueuedMessage &m : *queued)
        QVERIFY(!m.outboundClient.has_value());
    RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
    QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
             Spool::kSchemaVersion);
}

void tst_Spool::operationsNeedAnOpenSpool()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(!spool.store({message(body(1))}));
    QVERIFY(!spool.loadQueued());
    QVERIFY(!spool.data(1));
    QVERIFY(!spool.update({RecipientUpdate{}}));
    QVERIFY(!spool.list());
    QVERIFY(!spool.takeControlRequests());
    QVERIFY(!spool.checkpoint());

    QTemporaryFile file;
    QVERIFY(file.open());
    Spool onAFile(file.fileName());
    QVERIFY(!onAFile.open());
}

void tst_Spool::roundTrip_data()
{
    QTest::addColumn<IncomingMessage>("in");

    QTest::newRow("one recipient") << message(body(1));
    QTest::newRow("null sender") << message(body(2), {u"postmaster@drypizza.example"_s}, QString());
    {
        IncomingMessage in = message(body(3), {});
        in.meta.recipients = {recipient(u"bob.owen@drypizza.example"_s, u"bob@warmsushi.example"_s),
                              recipient(u"chloe@drypizza.example"_s, u"Chloe@WarmSushi.example"_s),
                              recipient(u"dan@other.example"_s)};
        QTest::newRow("three recipients, rewritten") << in;
    }
    {
        IncomingMessage in = message(u"Subject: Grüße\r\n\r\nÜber\r\n"_s.toUtf8(),
                                     {u"jürgen@bücher.example"_s}, u"renée@warmsushi.example"_s);
        in.meta.smtputf8 = true;
        in.meta.eightBitMime = true;
        in.meta.heloName = QString();
        in.meta.clientAddress = QString();
        QTest::newRow("SMTPUTF8, 8BITMIME, no client") << in;
    }
    {
        IncomingMessage in = message(body(5), {u"bob@warmsushi.example"_s}, QString());
        in.meta.isDsn = true;
        in.meta.arrival = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 123), Qt::UTC);
        in.meta.recipients[0].attempts = 2;
        in.meta.recipients[0].nextAttempt = QDateTime(QDate(2024, 5, 6), QTime(8, 0), Qt::UTC);
        in.meta.recipients[0].lastError = u"451 4.3.0 try later"_s;
        QTest::newRow("DSN with arrival and schedule") << in;
    }
    {
        IncomingMessage in = message(body(6), {u"a@drypizza.example"_s, u"b@drypizza.example"_s});
        in.meta.recipients[1].status = RecipientStatus::Dropped;
        QTest::newRow("one recipient already final") << in;
    }
    {
        QByteArray binary(70000, '\0');
        for (int i = 0; i < binary.size(); ++i)
            binary[i] = char(i * 31 % 256);
        QTest::newRow("binary with NULs") << message(binary);
    }
    QTest::newRow("1 MiB") << message(QByteArray(1 << 20, 'x'));
}

void tst_Spool::roundTrip()
{
    QFETCH(IncomingMessage, in);
    QTemporaryDir tmp;
    ManualClock clock;
    QList<QueuedMessage> stored;
    {
        Spool spool(tmp.path(), Spool::Role::Engine, clock);
        QVERIFY(spool.open());
        const auto result = spool.store({in});
        QVERIFY2(result, qPrintable(result.error));
        stored = *result;
    }
    QCOMPARE(stored.size(), 1);
    const QueuedMessage &m = stored.first();
    QVERIFY(m.id > 0);
    QVERIFY(QueueIdGenerator::isWellFormed(m.queueId));
    QCOMPARE(m.size, in.data.size());
    QCOMPARE(m.arrival, in.meta.arrival.isValid() ? in.meta.arrival : clock.now());
    QCOMPARE(m.sender, in.meta.sender);
    QCOMPARE(m.nullSender(), in.meta.sender.isEmpty());
    QCOMPARE(m.recipients.size(), in.meta.recipients.size());
    for (const QueuedRecipient &r : m.recipients)
        QVERIFY(r.id > 0);

    // What a restarted relay sees.
    Spool spool(tmp.path(), Spool::Role::Engine, clock);
    QVERIFY(spool.open());
    const auto loaded = spool.loadQueued();
    QVERIFY2(loaded, qPrintable(loaded.error));
    QCOMPARE(loaded->size(), 1);
    const QString diff = difference(loaded->first(), m);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const auto data = spool.data(m.id);
    QVERIFY2(data, qPrintable(data.error));
    QCOMPARE(*data, in.data);
}

void tst_Spool::storeAssignsIdsInBatchOrder()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    QList<IncomingMessage> batch;
    for (int i = 0; i < 50; ++i)
        batch.append(message(body(i), {u"a%1@drypizza.example"_s.arg(i), u"b%1@drypizza.example"_s.arg(i)}));
    const auto stored = spool.store(batch);
    QVERIFY2(stored, qPrintable(stored.error));
    QCOMPARE(stored->size(), 50);
    QSet<QString> ids;
    for (qsizetype i = 0; i < stored->size(); ++i) {
        const QueuedMessage &m = stored->at(i);
        QCOMPARE(m.recipients.first().address, u"a%1@drypizza.example"_s.arg(i));
        ids.insert(m.queueId);
        if (i > 0) {
            QVERIFY(m.id > stored->at(i - 1).id);
            QVERIFY(m.queueId > stored->at(i - 1).queueId);
        }
        QCOMPARE(*spool.data(m.id), body(int(i)));
    }
    QCOMPARE(ids.size(), 50);
}

void tst_Spool::reservedQueueIdIsKept()
{
    QTemporaryDir tmp;
    ManualClock clock;
    Spool spool(tmp.path(), Spool::Role::Engine, clock);
    QVERIFY(spool.open());
    const QString reserved = spool.reserveQueueId();
    QVERIFY(QueueIdGenerator::isWellFormed(reserved));
    QVERIFY(spool.reserveQueueId() != reserved);

    // The Received: field written during DATA names the reserved id.
    IncomingMessage in = message("Received: from client.example by relay.example id " + reserved.toLatin1() +
                                 "\r\n\r\nHi\r\n");
    in.meta.queueId = reserved;
    const auto stored = spool.store({message(body(1)), in, message(body(2))});
    QVERIFY2(stored, qPrintable(stored.error));
    QCOMPARE(stored->at(1).queueId, reserved);
    QVERIFY(stored->at(0).queueId > reserved);
    QVERIFY(stored->at(2).queueId > stored->at(0).queueId);
    QCOMPARE(spool.loadQueued()->at(1).queueId, reserved);
}

void tst_Spool::emptyBatchStoresNothing()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto stored = spool.store({});
    QVERIFY(stored);
    QVERIFY(stored->isEmpty());
    QCOMPARE(*spool.messageCount(), 0);
}

void tst_Spool::batchIsAllOrNothing_data()
{
    QTest::addColumn<QString>("cause");
    QTest::addColumn<int>("badIndex");
    for (const char *cause : {"constraint", "trigger", "duplicate queue id", "no recipients", "no data",
                              "all final", "malformed queue id"}) {
        for (int index : {0, 2, 4})
            QTest::addRow("%s at %d", cause, index) << QString::fromLatin1(cause) << index;
    }
}

void tst_Spool::batchIsAllOrNothing()
{
    QFETCH(QString, cause);
    QFETCH(int, badIndex);
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto earlier = spool.store({message(body(100))});
    QVERIFY(earlier);

    if (cause == u"trigger") {
        // A failure at the very end of a message's rows, after its envelope and
        // recipients went in: the whole batch must still roll back.
        RawDb raw(spool.databasePath());
        QVERIFY(raw.exec(u"CREATE TRIGGER fail_marked BEFORE INSERT ON recipients"
                         " WHEN NEW.address = 'fail@drypizza.example'"
                         " BEGIN SELECT RAISE(ABORT, 'forced failure'); END"_s));
    }
    QList<IncomingMessage> batch;
    for (int i = 0; i < 5; ++i)
        batch.append(
            message(body(i), {u"ok%1@drypizza.example"_s.arg(i), u"other%1@drypizza.example"_s.arg(i)}));
    IncomingMessage &bad = batch[badIndex];
    if (cause == u"constraint")
        bad.meta.recipients[1].address = QString(); // CHECK (address <> '')
    else if (cause == u"trigger")
        bad.meta.recipients[1].address = u"fail@drypizza.example"_s;
    else if (cause == u"duplicate queue id")
        bad.meta.queueId = earlier->first().queueId; // UNIQUE
    else if (cause == u"malformed queue id")
        bad.meta.queueId = u"not-a-queue-id"_s;
    else if (cause == u"no recipients")
        bad.meta.recipients.clear();
    else if (cause == u"no data")
        bad.data.clear();
    else if (cause == u"all final")
        bad.meta.recipients[0].status = bad.meta.recipients[1].status = RecipientStatus::Delivered;

    const auto stored = spool.store(batch);
    QVERIFY(!stored);
    QVERIFY2(stored.error.contains(u"message %1 of 5"_s.arg(badIndex + 1)), qPrintable(stored.error));
    if (cause == u"constraint" || cause == u"trigger" || cause == u"duplicate queue id")
        QVERIFY2(stored.error.contains(u"constraint"_s) || stored.error.contains(u"forced failure"_s),
                 qPrintable(stored.error)); // refused by SQLite, not by the checks before it

    const auto queued = spool.loadQueued();
    QVERIFY(queued);
    QCOMPARE(queued->size(), 1);
    QCOMPARE(queued->first().queueId, earlier->first().queueId);
    RawDb raw(spool.databasePath());
    QCOMPARE(raw.scalar(u"SELECT count(*) FROM recipients"_s).toInt(), 1);
    QCOMPARE(raw.scalar(u"SELECT count(*) FROM contents"_s).toInt(), 1);

    // The spool (and its reused statements) still works afterwards.
    batch.removeAt(badIndex);
    const auto retried = spool.store(batch);
    QVERIFY2(retried, qPrintable(retried.error));
    QCOMPARE(spool.loadQueued()->size(), 5);
}

void tst_Spool::updateKeepsOrDeletes_data()
{
    QTest::addColumn<QList<RecipientStatus>>("statuses");
    QTest::addColumn<bool>("deleted");
    using S = RecipientStatus;
    QTest::newRow("delivered") << QList<S>{S::Delivered} << true;
    QTest::newRow("bounced") << QList<S>{S::Bounced} << true;
    QTest::newRow("dropped") << QList<S>{S::Dropped} << true;
    QTest::newRow("delivered, bounced, dropped") << QList<S>{S::Delivered, S::Bounced, S::Dropped} << true;
    QTest::newRow("still queued") << QList<S>{S::Queued} << false;
    QTest::newRow("one of three still queued") << QList<S>{S::Delivered, S::Queued, S::Bounced} << false;
}

void tst_Spool::updateKeepsOrDeletes()
{
    QFETCH(QList<RecipientStatus>, statuses);
    QFETCH(bool, deleted);
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    QStringList recipients;
    for (qsizetype i = 0; i < statuses.size(); ++i)
        recipients << u"r%1@drypizza.example"_s.arg(i);
    const auto stored = spool.store({message(body(1), recipients), message(body(2))});
    QVERIFY(stored);
    const QueuedMessage &m = stored->first();

    QList<RecipientUpdate> updates;
    const QDateTime next = QDateTime(QDate(2030, 1, 2), QTime(3, 4, 5), Qt::UTC);
    for (qsizetype i = 0; i < statuses.size(); ++i)
        updates.append({m.id, m.recipients.at(i).id, statuses.at(i), 1, next, u"451 4.4.1 no answer"_s});
    const Status updated = spool.update(updates);
    QVERIFY2(updated, qPrintable(updated.error));

    const auto queued = spool.loadQueued();
    QVERIFY(queued);
    RawDb raw(spool.databasePath());
    const QString where = u" WHERE message_id = %1"_s.arg(m.id);
    if (deleted) {
        QCOMPARE(queued->size(), 1);
        QCOMPARE(queued->first().queueId, stored->at(1).queueId);
        QVERIFY(!spool.data(m.id));
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM recipients"_s + where).toInt(), 0);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM contents"_s + where).toInt(), 0);
    } else {
        QCOMPARE(queued->size(), 2);
        const QueuedMessage &kept = queued->first();
        QCOMPARE(kept.id, m.id);
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            QCOMPARE(kept.recipients.at(i).status, statuses.at(i));
            QCOMPARE(kept.recipients.at(i).attempts, 1);
            QCOMPARE(kept.recipients.at(i).nextAttempt, next);
            QCOMPARE(kept.recipients.at(i).lastError, u"451 4.4.1 no answer"_s);
        }
        QCOMPARE(*spool.data(m.id), body(1));
    }
    // The other message is untouched either way.
    QCOMPARE(*spool.data(stored->at(1).id), body(2));
}

void tst_Spool::updateIsOneTransaction()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto stored = spool.store({message(body(1)), message(body(2))});
    QVERIFY(stored);
    const QueuedMessage &a = stored->at(0);
    const QueuedMessage &b = stored->at(1);
    // The first update would finish (and delete) message a; the second is
    // refused by the status CHECK: nothing may change.
    const Status updated = spool.update({
        {a.id, a.recipients.first().id, RecipientStatus::Delivered, 1, {}, {}},
        {b.id, b.recipients.first().id, RecipientStatus(7), 1, {}, {}},
    });
    QVERIFY(!updated);
    const auto queued = spool.loadQueued();
    QCOMPARE(queued->size(), 2);
    QCOMPARE(queued->at(0).recipients.first().status, RecipientStatus::Queued);
    QCOMPARE(queued->at(0).recipients.first().attempts, 0);
    QCOMPARE(*spool.data(a.id), body(1));

    // Partial progress over several calls.
    QVERIFY(spool.update({{b.id, b.recipients.first().id, RecipientStatus::Queued, 1, {}, u"timeout"_s}}));
    QVERIFY(spool.update({{b.id, b.recipients.first().id, RecipientStatus::Queued, 2, {}, u"timeout"_s}}));
    QCOMPARE(spool.loadQueued()->at(1).recipients.first().attempts, 2);
    QVERIFY(spool.update({{b.id, b.recipients.first().id, RecipientStatus::Bounced, 4, {}, u"spent"_s}}));
    QCOMPARE(spool.loadQueued()->size(), 1);
    QVERIFY(spool.update({}));
}

void tst_Spool::updateOfVanishedRecipientIsIgnored()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto stored = spool.store({message(body(1))});
    QVERIFY(stored);
    const QueuedMessage &m = stored->first();
    QVERIFY(spool.deleteMessage(m.queueId));
    // The delivery that was in flight when the admin deleted the message.
    const Status late =
        spool.update({{m.id, m.recipients.first().id, RecipientStatus::Delivered, 1, {}, {}}});
    QVERIFY2(late, qPrintable(late.error));
    QCOMPARE(*spool.messageCount(), 0);
}

void tst_Spool::deletedContentLeavesNoTrace_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("byAdmin");
    for (int size : {200, 3000, 200000}) {
        QTest::addRow("%d bytes, delivered", size) << size << false;
        QTest::addRow("%d bytes, deleted by the admin", size) << size << true;
    }
}

void tst_Spool::deletedContentLeavesNoTrace()
{
    QFETCH(int, size);
    QFETCH(bool, byAdmin);
    const QByteArray marker = "MARKER-7f3a9c51-SECRET-CONTENT";
    QByteArray secret = "Subject: confidential\r\n\r\n";
    while (secret.size() < size)
        secret += marker + " the merger closes on Friday\r\n";

    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const QString db = spool.databasePath();
    const QString wal = db + u"-wal"_s;
    auto traces = [&] { return fileBytes(db).count(marker) + fileBytes(wal).count(marker); };

    // Messages before and after it, so its pages are in the middle of the file.
    QVERIFY(spool.store({message(body(1)), message(body(2))}));
    const auto stored = spool.store({message(secret, {u"a@drypizza.example"_s, u"b@drypizza.example"_s})});
    QVERIFY(stored);
    QVERIFY(spool.store({message(body(3))}));
    // The search works: before the deletion the content is there.
    QVERIFY(traces() > 0);
    QVERIFY(spool.checkpoint());
    QVERIFY(traces() > 0);

    const QueuedMessage &m = stored->first();
    if (byAdmin) {
        QVERIFY(spool.deleteMessage(m.queueId));
    } else {
        QVERIFY(spool.update({{m.id, m.recipients.at(0).id, RecipientStatus::Delivered, 1, {}, {}}}));
        QVERIFY(traces() > 0); // one recipient still queued
        QVERIFY(spool.update({{m.id, m.recipients.at(1).id, RecipientStatus::Delivered, 1, {}, {}}}));
    }
    const Status checkpointed = spool.checkpoint();
    QVERIFY2(checkpointed, qPrintable(checkpointed.error));
    QCOMPARE(traces(), 0);
    QCOMPARE(fileBytes(wal).size(), 0);
    QCOMPARE(spool.loadQueued()->size(), 3);
}

void tst_Spool::queueIdsStayUniqueAcrossReopenWithClockSetBack()
{
    QTemporaryDir tmp;
    ManualClock clock;
    QStringList issued;
    for (int round = 0; round < 5; ++round) {
        Spool spool(tmp.path(), Spool::Role::Engine, clock);
        QVERIFY(spool.open());
        for (int b = 0; b < 10; ++b) {
            QList<IncomingMessage> batch;
            for (int i = 0; i < 20; ++i)
                batch.append(message(body(i)));
            const auto stored = spool.store(batch);
            QVERIFY2(stored, qPrintable(stored.error));
            for (const QueuedMessage &m : *stored) {
                QVERIFY(issued.isEmpty() || m.queueId > issued.constLast());
                issued.append(m.queueId);
            }
        }
        // The next relay starts with its clock an hour behind.
        clock.advance(-1h);
    }
    QCOMPARE(QSet<QString>(issued.cbegin(), issued.cend()).size(), 1000);
}

void tst_Spool::acknowledgedMessagesSurviveSigkill()
{
#ifndef Q_OS_UNIX
    MAILROUTE_REQUIRE(false, "SIGKILL (a POSIX system) to kill the relay mid-write");
#else
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(u"spool"_s);
    QHash<QString, QString> acknowledged; // queue id -> tag
    QRandomGenerator random(20240501);
    const int rounds = 8;
    for (int round = 0; round < rounds; ++round) {
        // Even rounds: the child kills itself right after a store() returned,
        // the worst moment for an acknowledgement. Odd rounds: the test kills
        // it at an arbitrary moment, usually inside a transaction.
        const bool selfKill = round % 2 == 0;
        const int selfKillAfter = selfKill ? 1 + int(random.bounded(40)) : 0;
        QProcess child;
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QStringLiteral(MAILROUTE_SPOOL_CRASH_HELPER),
                    {dir, QString::number(round), QString::number(selfKillAfter)});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        QByteArray out;
        if (!selfKill) {
            const int wanted = 20 + int(random.bounded(300));
            QDeadlineTimer deadline(30s);
            while (out.count('\n') < wanted && child.state() == QProcess::Running && !deadline.hasExpired()) {
                child.waitForReadyRead(100);
                out += child.readAllStandardOutput();
            }
            QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
            ::kill(pid_t(child.processId()), SIGKILL);
        }
        QVERIFY(child.waitForFinished(30000));
        out += child.readAllStandardOutput();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY2(child.readAllStandardError().isEmpty(), "the child reported an error");

        int acksThisRound = 0;
        for (const QByteArray &line : out.split('\n')) {
            const QList<QByteArray> fields = line.split(' ');
            if (fields.size() != 3 || fields.at(0) != "ACK")
                continue; // the last line may be cut off by the kill: not acknowledged
            acknowledged.insert(QString::fromLatin1(fields.at(1)), QString::fromLatin1(fields.at(2)));
            ++acksThisRound;
        }
        if (selfKill) {
            int expected = 0;
            for (int b = 0; b < selfKillAfter; ++b)
                expected += 1 + b % 7;
            QCOMPARE(acksThisRound, expected);
        }

        // Recovery, as the restarted relay does it (the dead child's lock is stale).
        Spool spool(dir);
        const Status opened = spool.open();
        QVERIFY2(opened, qPrintable(opened.error));
        const auto queued = spool.loadQueued();
        QVERIFY2(queued, qPrintable(queued.error));
        QHash<QString, QueuedMessage> byId;
        for (const QueuedMessage &m : *queued)
            byId.insert(m.queueId, m);
        for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
            QVERIFY2(byId.contains(it.key()),
                     qPrintable(u"acknowledged %1 (%2) is lost"_s.arg(it.key(), it.value())));
        }
        // Every message in the spool, acknowledged or not, is whole.
        for (const QueuedMessage &m : *queued) {
            const QString &tag = m.heloName;
            const int index = tag.section(u'i', -1).toInt();
            if (acknowledged.contains(m.queueId))
                QCOMPARE(acknowledged.value(m.queueId), tag);
            QCOMPARE(m.recipients.size(), test::crashRecipientCount(index));
            const auto data = spool.data(m.id);
            QVERIFY2(data, qPrintable(data.error));
            QCOMPARE(*data, test::crashBody(tag, index));
            QCOMPARE(m.size, data->size());
        }
        QCOMPARE(RawDb(spool.databasePath()).scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
        // A body linked by a batch the kill cut off, a spill file: gone after the reopen.
        const QStringList bodies = QDir(Spool::dataDirectory(dir)).entryList(QDir::Files);
        const qint64 named = RawDb(spool.databasePath())
                                 .scalar(u"SELECT count(*) FROM contents WHERE body_size IS NOT NULL"_s)
                                 .toLongLong();
        QCOMPARE(qint64(bodies.size()), named);
        QVERIFY(QDir(Spool::incomingDirectory(dir)).entryList(QDir::Files).isEmpty());
    }
    QVERIFY(acknowledged.size() > rounds);
#endif
}

// Issue 11 added schema step 2 (schedule_start, delay_warned): a spool left by
// the previous version opens, is upgraded and keeps its queued mail.
void tst_Spool::version1SpoolIsUpgradedAndKeepsItsMail()
{
    QTemporaryDir tmp;
    QString queueId;
    {
        Spool engine(tmp.path());
        QVERIFY(engine.open());
        const auto stored = engine.store({message(body(1))});
        QVERIFY(stored);
        queueId = stored->first().queueId;
    }
    {
        RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN outbound_client"_s));
        QVERIFY(raw.exec(u"ALTER TABLE recipients DROP COLUMN schedule_start"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN delay_warned"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN headers_rewritten"_s));
        QVERIFY(raw.exec(u"ALTER TABLE contents DROP COLUMN body_size"_s)); // step 5
        QVERIFY(raw.exec(u"UPDATE meta SET value = 1 WHERE key = 'schema_version'"_s));
    }
    Spool engine(tmp.path());
    const Status opened = engine.open();
    QVERIFY2(opened, qPrintable(opened.error));
    const auto queued = engine.loadQueued();
    QVERIFY(queued);
    QCOMPARE(queued->size(), 1);
    QCOMPARE(queued->first().queueId, queueId);
    QVERIFY(queued->first().scheduleStarts.isEmpty());
    QVERIFY(!queued->first().delayWarned);
    RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
    QCOMPARE(raw.scalar(u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
             Spool::kSchemaVersion);
}

// Schema step 4 (issue 13): whether the relay rewrote header fields, what
// arc.seal = modified goes by, survives the spool; a spool of version 3
// reads as "not rewritten".
void tst_Spool::headersRewrittenRecorded()
{
    QTemporaryDir tmp;
    {
        Spool spool(tmp.path());
        QVERIFY(spool.open());
        IncomingMessage rewritten = message(body(1));
        rewritten.meta.headersRewritten = true;
        QVERIFY(spool.store({rewritten, message(body(2))}));
        const auto queued = spool.loadQueued();
        QVERIFY(queued);
        QCOMPARE(queued->size(), 2);
        QVERIFY(queued->at(0).headersRewritten);
        QVERIFY(!queued->at(1).headersRewritten);
    }
    {
        RawDb raw(QDir(tmp.path()).filePath(u"spool.db"_s));
        QVERIFY(raw.exec(u"ALTER TABLE messages DROP COLUMN headers_rewritten"_s));
        QVERIFY(raw.exec(u"ALTER TABLE contents DROP COLUMN body_size"_s)); // step 5
        QVERIFY(raw.exec(u"UPDATE meta SET value = 3 WHERE key = 'schema_version'"_s));
    }
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto queued = spool.loadQueued();
    QVERIFY(queued);
    QCOMPARE(queued->size(), 2);
    for (const QueuedMessage &m : *queued)
        QVERIFY(!m.headersRewritten);
}

QTEST_GUILESS_MAIN(tst_Spool)
#include "tst_spool.moc"
