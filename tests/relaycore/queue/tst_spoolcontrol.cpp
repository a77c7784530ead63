// Tests of Spool: control requests from another connection (flush, delete),
// applied by the engine or, when none runs, by the admin itself; the engine
// lock; paging through the queue; holds and delay notices across a reopen.
#include "tests/relaycore/queue/spooltest.h"

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_SpoolControl : public QObject
{
    Q_OBJECT

private slots:
    void controlRequestsReachTheEngine();
    void adminAppliesRequestsWhenNoEngineRuns();
    void deleteAndFlushInTheEngine();
    void secondEngineIsRefused();
    void listPagesThroughTheQueue();
    void holdReleaseAndDelayNoticeSurviveAReopen();
};

void tst_SpoolControl::controlRequestsReachTheEngine()
{
    QTemporaryDir tmp;
    ManualClock clock;
    Spool engine(tmp.path(), Spool::Role::Engine, clock);
    QVERIFY(engine.open());
    const auto stored = engine.store({message(body(1)), message(body(2)), message(body(3))});
    QVERIFY(stored);

    Spool admin(tmp.path(), Spool::Role::Admin, clock);
    QVERIFY(admin.open());
    QVERIFY(admin.isEngineRunning());
    QCOMPARE(*admin.messageCount(), 3);
    // The engine's own operations are not for an Admin.
    QVERIFY(!admin.store({message(body(4))}));
    QVERIFY(!admin.deleteMessage(stored->at(0).queueId));
    QVERIFY(!admin.flush());
    QVERIFY(!admin.takeControlRequests());

    auto none = engine.takeControlRequests();
    QVERIFY2(none, qPrintable(none.error));
    QVERIFY(none->isEmpty());

    const auto flushAll = admin.requestFlush();
    QVERIFY2(flushAll, qPrintable(flushAll.error));
    QCOMPARE(*flushAll, Spool::ControlOutcome::Requested);
    clock.advance(2s);
    // Typed by an admin: case and spaces do not matter.
    const auto del = admin.requestDelete(u" "_s + stored->at(1).queueId.toLower() + u"\n"_s);
    QVERIFY2(del, qPrintable(del.error));
    QCOMPARE(*del, Spool::ControlOutcome::Requested);
    QVERIFY(admin.requestFlush(stored->at(2).queueId));
    const auto unknown = admin.requestDelete(u"0000000000000000"_s);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error.contains(u"0000000000000000"_s), qPrintable(unknown.error));
    QVERIFY(!admin.requestDelete(QString()));
    QVERIFY(!admin.requestFlush(u"NOSUCHID"_s));

    const auto taken = engine.takeControlRequests();
    QVERIFY2(taken, qPrintable(taken.error));
    QCOMPARE(taken->size(), 3);
    QCOMPARE(taken->at(0).command, ControlCommand::Flush);
    QVERIFY(taken->at(0).queueId.isEmpty());
    QCOMPARE(taken->at(0).requested, clock.now().addSecs(-2));
    QCOMPARE(taken->at(1).command, ControlCommand::Delete);
    QCOMPARE(taken->at(1).queueId, stored->at(1).queueId);
    QCOMPARE(taken->at(1).requested, clock.now());
    QCOMPARE(taken->at(2).command, ControlCommand::Flush);
    QCOMPARE(taken->at(2).queueId, stored->at(2).queueId);
    QVERIFY(taken->at(0).id < taken->at(1).id && taken->at(1).id < taken->at(2).id);
    // Each request is handed over once.
    QVERIFY(engine.takeControlRequests()->isEmpty());
    // A request is not applied by merely being taken: the engine does that.
    QCOMPARE(*admin.messageCount(), 3);

    QVERIFY(admin.requestDelete(stored->at(0).queueId));
    const auto later = engine.takeControlRequests();
    QCOMPARE(later->size(), 1);
    QVERIFY(later->first().id > taken->at(2).id);

    engine.close();
    QVERIFY(!admin.isEngineRunning());
}

void tst_SpoolControl::adminAppliesRequestsWhenNoEngineRuns()
{
    QTemporaryDir tmp;
    QList<QueuedMessage> stored;
    const QDateTime later(QDate(2031, 1, 1), QTime(0, 0), Qt::UTC);
    {
        Spool engine(tmp.path());
        QVERIFY(engine.open());
        stored = *engine.store({message(body(1)), message(body(2))});
        const QueuedMessage &m = stored.at(1);
        QVERIFY(
            engine.update({{m.id, m.recipients.first().id, RecipientStatus::Queued, 1, later, u"busy"_s}}));
    }
    Spool admin(tmp.path(), Spool::Role::Admin);
    QVERIFY(admin.open());
    QVERIFY(!admin.isEngineRunning());
    const auto del = admin.requestDelete(stored.at(0).queueId);
    QVERIFY2(del, qPrintable(del.error));
    QCOMPARE(*del, Spool::ControlOutcome::Applied);
    const auto flush = admin.requestFlush(stored.at(1).queueId);
    QVERIFY2(flush, qPrintable(flush.error));
    QCOMPARE(*flush, Spool::ControlOutcome::Applied);
    QVERIFY(!admin.requestDelete(stored.at(0).queueId)); // gone

    const auto listed = admin.list();
    QVERIFY(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().queueId, stored.at(1).queueId);
    QVERIFY(!listed->first().recipients.first().nextAttempt.isValid());
    QCOMPARE(listed->first().recipients.first().attempts, 1);
    RawDb raw(admin.databasePath());
    QCOMPARE(raw.scalar(u"SELECT count(*) FROM control"_s).toInt(), 0);
    // The lock the admin held while applying is released: a relay can start.
    Spool engine(tmp.path());
    QVERIFY(engine.open());
}

void tst_SpoolControl::deleteAndFlushInTheEngine()
{
    QTemporaryDir tmp;
    Spool spool(tmp.path());
    QVERIFY(spool.open());
    const auto stored = spool.store({message(body(1), {u"a@drypizza.example"_s, u"b@drypizza.example"_s}),
                                     message(body(2)), message(body(3))});
    QVERIFY(stored);
    const QDateTime later(QDate(2031, 1, 1), QTime(0, 0), Qt::UTC);
    QList<RecipientUpdate> deferred;
    for (const QueuedMessage &m : *stored) {
        for (const QueuedRecipient &r : m.recipients)
            deferred.append({m.id, r.id, RecipientStatus::Queued, 1, later, u"451 later"_s});
    }
    // b of the first message is delivered: a flush must leave it alone.
    deferred[1].status = RecipientStatus::Delivered;
    deferred[1].nextAttempt = {};
    QVERIFY(spool.update(deferred));

    QVERIFY(spool.flush(stored->at(0).queueId.toLower()));
    auto queued = *spool.loadQueued();
    QVERIFY(!queued.at(0).recipients.at(0).nextAttempt.isValid());
    QCOMPARE(queued.at(0).recipients.at(1).status, RecipientStatus::Delivered);
    QCOMPARE(queued.at(1).recipients.at(0).nextAttempt, later);
    QCOMPARE(queued.at(0).recipients.at(0).lastError, u"451 later"_s);

    QVERIFY(spool.flush());
    queued = *spool.loadQueued();
    for (const QueuedMessage &m : queued) {
        for (const QueuedRecipient &r : m.recipients)
            QVERIFY(!r.nextAttempt.isValid());
    }

    QVERIFY(!spool.flush(u"NOSUCHID"_s));
    QVERIFY(!spool.deleteMessage(u"NOSUCHID"_s));
    QVERIFY(spool.deleteMessage(stored->at(1).queueId));
    QVERIFY(!spool.data(stored->at(1).id));
    QCOMPARE(spool.loadQueued()->size(), 2);
    QVERIFY(!spool.deleteMessage(stored->at(1).queueId));
}

void tst_SpoolControl::secondEngineIsRefused()
{
    QTemporaryDir tmp;
    auto first = std::make_unique<Spool>(tmp.path());
    QVERIFY(first->open());
    Spool second(tmp.path());
    const Status refused = second.open();
    QVERIFY(!refused);
    QVERIFY2(refused.error.contains(u"in use"_s), qPrintable(refused.error));
    QVERIFY(!second.isOpen());
    Spool admin(tmp.path(), Spool::Role::Admin);
    QVERIFY(admin.open());

    first.reset();
    const Status opened = second.open();
    QVERIFY2(opened, qPrintable(opened.error));
}

void tst_SpoolControl::listPagesThroughTheQueue()
{
    QTemporaryDir tmp;
    Spool engine(tmp.path());
    QVERIFY(engine.open());
    QList<IncomingMessage> batch;
    for (int i = 0; i < 25; ++i)
        batch.append(message(body(i), {u"a%1@drypizza.example"_s.arg(i), u"b%1@drypizza.example"_s.arg(i)}));
    const auto stored = engine.store(batch);
    QVERIFY(stored);

    Spool admin(tmp.path(), Spool::Role::Admin);
    QVERIFY(admin.open());
    QCOMPARE(*admin.messageCount(), 25);
    QList<QueuedMessage> all;
    qint64 after = 0;
    QList<qsizetype> pages;
    for (;;) {
        const auto page = admin.list(after, 10);
        QVERIFY2(page, qPrintable(page.error));
        if (page->isEmpty())
            break;
        pages.append(page->size());
        all += *page;
        after = page->constLast().id;
    }
    QCOMPARE(pages, (QList<qsizetype>{10, 10, 5}));
    QCOMPARE(all.size(), 25);
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QString diff = difference(all.at(i), stored->at(i));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
    QCOMPARE(admin.list()->size(), 25);
}

void tst_SpoolControl::holdReleaseAndDelayNoticeSurviveAReopen()
{
    QTemporaryDir tmp;
    const QDateTime release(QDate(2024, 3, 1), QTime(6, 0), Qt::UTC);
    {
        Spool engine(tmp.path());
        QVERIFY(engine.open());
        const auto stored = engine.store({message(body(1), {u"a@drypizza.example"_s, u"b@other.example"_s})});
        QVERIFY(stored);
        const QueuedMessage &m = stored->first();
        QVERIFY(engine.update(
            {{m.id, m.recipients.at(0).id, RecipientStatus::Queued, 2, release.addDays(1), u"451"_s}}));
        QVERIFY(engine.restartSchedule({{m.id, m.recipients.at(0).id}}, release));
        QVERIFY(engine.markDelayWarned(m.id));
    }
    Spool engine(tmp.path());
    QVERIFY(engine.open());
    const auto queued = engine.loadQueued();
    QVERIFY(queued);
    const QueuedMessage &m = queued->first();
    QVERIFY(m.delayWarned);
    QCOMPARE(m.scheduleStart(m.recipients.at(0)), release);
    QVERIFY(!m.recipients.at(0).nextAttempt.isValid()); // due at the release
    QCOMPARE(m.recipients.at(0).attempts, 2);
    QCOMPARE(m.scheduleStart(m.recipients.at(1)), m.arrival);
}

QTEST_GUILESS_MAIN(tst_SpoolControl)
#include "tst_spoolcontrol.moc"
