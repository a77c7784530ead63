// Migration waves in a running relay (issue 15), end to end on an injected
// clock: the relay's process as serve runs it (EngineController +
// GenerationFollower + WaveScheduler on one database), swaks as the client,
// smtpsink.py as the old and the new mail systems on 127.0.0.1. Mail to a
// wave user reaches the old target before the wave's time and the new one
// after; the expiry brings the old one back; a wave whose time passed while
// no relay ran is applied at start with a log line saying so; a wave whose
// check fails (a probed target refused with 550) is held; two waves at the
// same minute apply in order; a rollback after a wave works like any other.
#include "relaycore/runtime/enginecontroller.h"
#include "relaycore/runtime/generationfollower.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/wavestore.h"
#include "relaycore/waves/wavescheduler.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::StringLiterals;

namespace {

QDateTime utc(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toUTC();
}

int swaks(quint16 port, const QString &to)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(u"swaks"_s, {u"--server"_s, u"127.0.0.1:%1"_s.arg(port), u"--helo"_s, u"client.test"_s,
                         u"--from"_s, u"alice@sender.example"_s, u"--to"_s, to, u"--timeout"_s, u"30"_s});
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// RCPT TO addresses of the messages a sink received.
QStringList recipients(const PySink &sink)
{
    QStringList out;
    for (const QJsonObject &m : sink.messages()) {
        for (const QJsonValue &r : m.value(u"rcpts"_s).toArray())
            out << r.toString().remove(u'<').remove(u'>');
    }
    return out;
}

Wave wave(const QString &name, const QDateTime &at, const QString &source, const QString &target)
{
    Wave w;
    w.name = name;
    w.at = at;
    w.users = {{source, target}};
    return w;
}

} // namespace

class TestWaveScheduler : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    PySink m_old; // the old mail system (corp.example's current host)
    PySink m_new; // the new one

    // A database with corp.example mapped (Relay) to old.example, the old
    // system, and new.example routed to the new one; the relay listens on `port`.
    std::unique_ptr<ConfigStore> database(quint16 port)
    {
        auto s = std::make_unique<ConfigStore>(m_dir.filePath(u"db%1/mailroute.db"_s.arg(++m_n)));
        if (!s->open())
            return nullptr;
        bool ok = s->setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(port)).ok() &&
                  s->setSetting(u"verify.recipients"_s, u"off"_s).ok() // queued mail is the subject
                  // Before the migration: corp.example's mail goes to the old system.
                  && s->addDomainMapping(Area::Relay, u"corp.example"_s, u"old.example"_s).ok() &&
                  s->setRoute(u"old.example"_s, u"[127.0.0.1]:%1"_s.arg(m_old.port())).ok() &&
                  s->setRoute(u"new.example"_s, u"[127.0.0.1]:%1"_s.arg(m_new.port())).ok() &&
                  s->setRoute(u"sender.example"_s, u"[127.0.0.1]:%1"_s.arg(m_old.port())).ok();
        return ok ? std::move(s) : nullptr;
    }

    struct Relay
    {
        std::unique_ptr<EngineController> engine;
        std::unique_ptr<GenerationFollower> follower;
        std::unique_ptr<WaveScheduler> waves;
        qint64 running = 0; // the generation the relay runs
        QStringList applied;
        QStringList late;
    };

    std::unique_ptr<Relay> startRelay(ConfigStore &store, const ManualClock &clock)
    {
        auto r = std::make_unique<Relay>();
        GenerationFollower::Options fo;
        fo.databasePath = store.path();
        fo.pollMs = 50;
        r->follower = std::make_unique<GenerationFollower>(fo);
        auto first = r->follower->buildActive();
        if (!first)
            return nullptr;
        EngineController::Options eo;
        eo.engine.spoolDirectory = QFileInfo(store.path()).absolutePath() + u"/spool"_s;
        eo.engine.schedulerTickMs = 50;
        eo.engine.clock = &clock;
        eo.databasePath = store.path();
        r->engine = std::make_unique<EngineController>(eo);
        r->engine->start(*first);
        if (!QTest::qWaitFor(
                [&] { return r->engine->status().listening || !r->engine->status().error.isEmpty(); },
                10000) ||
            !r->engine->status().listening)
            return nullptr;
        r->running = (*first)->generation;
        Relay *raw = r.get();
        connect(r->follower.get(), &GenerationFollower::activated, this,
                [raw](qint64 g) { raw->running = g; });
        r->follower->follow(r->engine.get(), raw->running);
        WaveScheduler::Options wo;
        wo.databasePath = store.path();
        wo.clock = &clock;
        wo.pollMs = 50;
        r->waves = std::make_unique<WaveScheduler>(wo);
        connect(r->waves.get(), &WaveScheduler::applied, this, [raw](const QString &name, qint64, bool late) {
            raw->applied << name;
            if (late)
                raw->late << name;
        });
        r->waves->start();
        return r;
    }

    static void stopRelay(std::unique_ptr<Relay> &r)
    {
        if (!r)
            return;
        r->waves->stop();
        r->waves.reset();
        r->follower.reset();
        bool stopped = false;
        QObject::connect(r->engine.get(), &EngineController::stopped, r->engine.get(),
                         [&stopped] { stopped = true; });
        r->engine->stop();
        [[maybe_unused]] const bool done = QTest::qWaitFor([&] { return stopped; }, 15000);
        r.reset();
    }

    static QStringList actionLog(const ConfigStore &s)
    {
        QStringList out;
        for (const ActionLogEntry &e : s.actionLog(std::nullopt, 0, 100000))
            out << e.message;
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable(u"swaks"_s).isEmpty())
            QSKIP("swaks is not installed");
        QVERIFY2(m_old.start(), qPrintable(m_old.error()));
        QVERIFY2(m_new.start(QJsonObject{
                     {u"rcpt"_s,
                      QJsonObject{
                          {u"<nobody@new.example>"_s,
                           u"550 5.1.1 <nobody@new.example>: Recipient address rejected: User unknown"_s}}}}),
                 qPrintable(m_new.error()));
    }

    void appliesAtItsTimeAndExpires()
    {
        const quint16 port = closedPort();
        auto store = database(port);
        QVERIFY(store);
        ManualClock clock(utc(u"2026-12-12T19:00:00Z"_s));
        Wave w = wave(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"bob@corp.example"_s, u"bob@new.example"_s);
        w.expire = utc(u"2026-12-13T21:00:00Z"_s);
        QVERIFY(store->addWave(w));
        const auto pushed = store->push();
        QVERIFY2(pushed.ok(), qPrintable(pushed.error));
        auto relay = startRelay(*store, clock);
        QVERIFY(relay);

        // Before its time: the old system gets bob's mail.
        const qsizetype oldBefore = recipients(m_old).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_old).size() > oldBefore; }, 30000));
        QCOMPARE(recipients(m_old).last(), u"bob@old.example"_s);
        QTest::qWait(300);
        QVERIFY(relay->applied.isEmpty());

        // T-1h passes (its check runs: no probes, routed targets) and then its time.
        clock.set(utc(u"2026-12-12T20:00:00Z"_s));
        WaveStore waves(*store);
        QVERIFY(QTest::qWaitFor([&] { return waves.info(u"w1"_s)->status.checked1h; }, 20000));
        QCOMPARE(waves.info(u"w1"_s)->status.state, WaveState::Checked);
        QVERIFY(relay->applied.isEmpty());
        clock.set(utc(u"2026-12-12T21:00:00Z"_s));
        QVERIFY(QTest::qWaitFor([&] { return relay->applied.contains(u"w1"_s); }, 20000));
        const qint64 generation = *store->activeGeneration();
        QCOMPARE(generation, pushed->generation + 1);
        QVERIFY(relay->late.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return relay->running == generation; }, 20000));

        // After: the new system gets it, at the new address.
        const qsizetype newBefore = recipients(m_new).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_new).size() > newBefore; }, 30000));
        QCOMPARE(recipients(m_new).last(), u"bob@new.example"_s);
        QVERIFY(
            actionLog(*store).contains(u"Wave w1 applied at its time (due 2026-12-12T21:00:00Z, 1 users)"_s));

        // Its report counts that message as delivered to the new target.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto r = waves.report(u"w1"_s, utc(u"2026-12-12T21:30:00Z"_s));
                return r && r->delivered == 1;
            },
            20000));

        // At its expiry the old route is back.
        clock.set(utc(u"2026-12-13T21:00:00Z"_s));
        QVERIFY(
            QTest::qWaitFor([&] { return waves.info(u"w1"_s)->status.state == WaveState::Expired; }, 20000));
        const qint64 expired = *store->activeGeneration();
        QCOMPARE(expired, generation + 1);
        QVERIFY(QTest::qWaitFor([&] { return relay->running == expired; }, 20000));
        const qsizetype oldAfter = recipients(m_old).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_old).size() > oldAfter; }, 30000));
        QCOMPARE(recipients(m_old).last(), u"bob@old.example"_s);
        stopRelay(relay);
    }

    void appliedAtStartWhenMissed()
    {
        const quint16 port = closedPort();
        auto store = database(port);
        QVERIFY(store);
        QVERIFY(store->addWave(
            wave(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"bob@corp.example"_s, u"bob@new.example"_s)));
        QVERIFY(store->push().ok());
        // No relay ran at 21:00; one starts at 23:00.
        ManualClock clock(utc(u"2026-12-12T23:00:00Z"_s));
        auto relay = startRelay(*store, clock);
        QVERIFY(relay);
        QVERIFY(QTest::qWaitFor([&] { return relay->applied.contains(u"w1"_s); }, 20000));
        QCOMPARE(relay->late, QStringList{u"w1"_s});
        const QString line =
            u"Wave w1 applied at start: it was due at 2026-12-12T21:00:00Z while no relay ran "
            "(due 2026-12-12T21:00:00Z, 1 users)"_s;
        QVERIFY2(actionLog(*store).contains(line), qPrintable(actionLog(*store).join(u'\n')));
        const qint64 generation = *store->activeGeneration();
        QVERIFY(QTest::qWaitFor([&] { return relay->running == generation; }, 20000));
        const qsizetype before = recipients(m_new).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_new).size() > before; }, 30000));
        QCOMPARE(recipients(m_new).last(), u"bob@new.example"_s);
        stopRelay(relay);
    }

    void heldWhenItsCheckFails()
    {
        const quint16 port = closedPort();
        auto store = database(port);
        QVERIFY(store);
        QVERIFY(store->setSetting(u"waves.probe_rate"_s, u"600"_s).ok());
        // nobody@new.example does not exist on the new system (550 at RCPT).
        QVERIFY(store->addWave(
            wave(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"bob@corp.example"_s, u"nobody@new.example"_s)));
        QVERIFY(store->push().ok());
        const qint64 pushed = *store->activeGeneration();
        ManualClock clock(utc(u"2026-12-11T21:00:00Z"_s)); // T-24h
        const qsizetype commandsBefore = m_new.commands().size();
        auto relay = startRelay(*store, clock);
        QVERIFY(relay);
        WaveStore waves(*store);
        QVERIFY(QTest::qWaitFor([&] { return waves.info(u"w1"_s)->status.state == WaveState::Held; }, 30000));
        const WaveStatus st = waves.info(u"w1"_s)->status;
        QVERIFY(st.checked24h);
        QVERIFY(st.lastCheck && !st.lastCheck->passed());
        QCOMPARE(st.lastCheck->probed, 1);
        QVERIFY2(st.lastCheck->lines().first().startsWith(u"FAIL probe nobody@new.example: refused"_s),
                 qPrintable(st.lastCheck->lines().join(u'\n')));
        // The probe asked RCPT TO and never sent DATA.
        const QStringList commands = m_new.commands().mid(commandsBefore);
        QVERIFY2(
            std::any_of(commands.cbegin(), commands.cend(),
                        [](const QString &c) { return c.startsWith(u"RCPT TO:<nobody@new.example>"_s); }),
            qPrintable(commands.join(u'\n')));
        QVERIFY(!commands.contains(u"DATA"_s));
        // At its time it is not applied.
        clock.set(utc(u"2026-12-12T21:00:00Z"_s));
        QTest::qWait(1000);
        QVERIFY(relay->applied.isEmpty());
        QCOMPARE(*store->activeGeneration(), pushed);
        QCOMPARE(waves.info(u"w1"_s)->status.state, WaveState::Held);
        stopRelay(relay);
    }

    void twoWavesSameMinuteInOrderThenRollback()
    {
        const quint16 port = closedPort();
        auto store = database(port);
        QVERIFY(store);
        // "b" sorts after "a": both at 21:00, b's target wins.
        QVERIFY(store->addWave(
            wave(u"b"_s, utc(u"2026-12-12T21:00:00Z"_s), u"bob@corp.example"_s, u"bob@new.example"_s)));
        QVERIFY(store->addWave(
            wave(u"a"_s, utc(u"2026-12-12T21:00:00Z"_s), u"bob@corp.example"_s, u"robert@new.example"_s)));
        QVERIFY(store->push().ok());
        const qint64 pushed = *store->activeGeneration();
        ManualClock clock(utc(u"2026-12-12T20:59:00Z"_s));
        auto relay = startRelay(*store, clock);
        QVERIFY(relay);
        WaveStore waves(*store);
        QVERIFY(QTest::qWaitFor([&] { return waves.info(u"b"_s)->status.checked1h; }, 20000));
        clock.set(utc(u"2026-12-12T21:00:00Z"_s));
        QVERIFY(QTest::qWaitFor([&] { return relay->applied.size() == 2; }, 20000));
        QCOMPARE(relay->applied, (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(waves.info(u"a"_s)->status.activatedGeneration, pushed + 1);
        QCOMPARE(waves.info(u"b"_s)->status.activatedGeneration, pushed + 2);
        QVERIFY(QTest::qWaitFor([&] { return relay->running == pushed + 2; }, 20000));
        qsizetype before = recipients(m_new).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_new).size() > before; }, 30000));
        QCOMPARE(recipients(m_new).last(), u"bob@new.example"_s);

        // Roll back to the generation before the waves: mail goes the old way
        // again, and the scheduler does not apply them a second time.
        QVERIFY(store->rollback(pushed).ok());
        QVERIFY(QTest::qWaitFor([&] { return relay->running == pushed; }, 20000));
        const qsizetype oldBefore = recipients(m_old).size();
        QCOMPARE(swaks(port, u"bob@corp.example"_s), 0);
        QVERIFY(QTest::qWaitFor([&] { return recipients(m_old).size() > oldBefore; }, 30000));
        QCOMPARE(recipients(m_old).last(), u"bob@old.example"_s);
        clock.set(utc(u"2026-12-12T21:05:00Z"_s));
        QTest::qWait(500);
        QCOMPARE(relay->applied.size(), 2);
        QCOMPARE(*store->activeGeneration(), pushed);
        stopRelay(relay);
    }
};

QTEST_GUILESS_MAIN(TestWaveScheduler)
#include "tst_wavescheduler.moc"
