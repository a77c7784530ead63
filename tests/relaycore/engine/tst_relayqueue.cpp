// End-to-end tests of the relay engine's queue (relayenginefixture.h):
// bounces, the retry schedule on a ManualClock, holds, restarts, stopping and
// the session limits.
#include "tests/relaycore/engine/relayenginefixture.h"

class TestRelayQueue : public RelayEngineFixture
{
    Q_OBJECT

private slots:
    void cleanup() { printEventsIfFailed(); }

    void init() { clearEvents(); }

    void permanentFailureSendsADsn()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("550 5.1.1 no such user here")}}}}),
                 qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        // The DSN goes to the sender, from the null sender.
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject dsn = sink.messages().first();
        QVERIFY(dsn.value(QStringLiteral("mail")).toString().startsWith(QLatin1String("<>")));
        QCOMPARE(rcpts(dsn), QStringList{QStringLiteral("<alice@sender.example>")});
        const QByteArray data = PySink::data(dsn);
        QVERIFY(data.contains("From: Mail Delivery System <MAILER-DAEMON@relay.mailroute.test>"));
        QVERIFY(data.contains("Auto-Submitted: auto-replied"));
        QVERIFY(data.contains("report-type=delivery-status"));
        QVERIFY(data.contains("Final-Recipient: rfc822; bob.owen@drypizza.example"));
        QVERIFY(data.contains("Original-Recipient: rfc822; bob@warmsushi.example"));
        QVERIFY(data.contains("Status: 5.1.1"));
        QVERIFY(data.contains("550 5.1.1 no such user here"));
        // Events come in batches: the DSN may arrive before the batch that says so.
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("bounced")).size() == 1; }, 5000));
        QTest::qWait(200);
        QCOMPARE(eventsOf(QStringLiteral("bounced")).size(), 1);
    }

    void nullSenderIsNeverBounced()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("550 5.1.1 no such user here")}}}}),
                 qPrintable(sink.error()));
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("<>"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("bounced")).size() == 1; }, 15000));
        const MessageLogEntry b = eventsOf(QStringLiteral("bounced")).first();
        QVERIFY2(b.fields.value(QStringLiteral("dsn")).toString().startsWith(QLatin1String("none")),
                 qPrintable(b.fields.value(QStringLiteral("dsn")).toString()));
        QTest::qWait(300);
        QCOMPARE(sink.messages().size(), 0);
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 0; }, 5000));
    }

    void temporaryFailuresFollowTheScheduleThenBounce()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.2.0 mailbox busy")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), newSpool(), &clock);
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        auto attempts = [&] {
            int n = 0;
            for (const QString &c : sink.commands())
                n += c.startsWith(QLatin1String("RCPT TO:<bob.owen@drypizza.example>")) ? 1 : 0;
            return n;
        };
        QVERIFY(QTest::qWaitFor([&] { return attempts() == 1; }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 5000));
        // Nothing happens before the next slot of 5m,20m,60m...
        clock.advance(std::chrono::minutes(4));
        QTest::qWait(300);
        QCOMPARE(attempts(), 1);
        // ... then one attempt per slot: first+5m, first+20m, first+60m.
        // (The schedule runs by time: each failure is waited for before the
        // clock moves, or it would count as a failure at the later time.)
        for (int slot : {5, 20, 60}) {
            clock.set(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addSecs(slot * 60 + 1));
            const int expected = slot == 5 ? 2 : slot == 20 ? 3 : 4;
            QVERIFY2(QTest::qWaitFor([&] { return attempts() == expected; }, 15000),
                     qPrintable(QStringLiteral("attempt %1 at +%2m").arg(expected).arg(slot)));
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return eventsOf(QStringLiteral("deferred")).size() +
                               eventsOf(QStringLiteral("bounced")).size() ==
                           expected;
                },
                15000));
        }
        // The schedule is spent after the fourth attempt: a DSN to the sender.
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QByteArray dsn = PySink::data(sink.messages().first());
        QVERIFY(dsn.contains("Status: 5.2.0") || dsn.contains("Status: 5."));
        QVERIFY(dsn.contains("451 4.2.0 mailbox busy"));
        QCOMPARE(eventsOf(QStringLiteral("deferred")).size(), 3);
        QCOMPARE(attempts(), 4);
    }

    // Issue 5 item 2: a route under `encrypt` to a next hop without STARTTLS.
    // Not one byte of the message leaves; the recipient defers with
    // Postfix's reason on the retry schedule, then bounces, and the message
    // log says why at every step.
    void encryptRouteDefersThenBounces()
    {
        PySink sink; // offers no STARTTLS
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        for (TransportRoute &r : c.routes) {
            if (r.domain == QLatin1String("drypizza.example"))
                r.tls = TlsPolicy::Encrypt; // sender.example stays `may`: the DSN can go
        }
        auto engine = startEngine(build(c, 1), newSpool(), &clock);
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        const QString reason =
            QStringLiteral("4.7.4 TLS is required, but was not offered by host [127.0.0.1]:");
        auto deferrals = [&] {
            int n = 0;
            for (const MessageLogEntry &e : eventsOf(QStringLiteral("deferred")))
                n += e.fields.value(QStringLiteral("reason")).toString().contains(reason.mid(6)) ? 1 : 0;
            return n;
        };
        QVERIFY(QTest::qWaitFor([&] { return deferrals() == 1; }, 15000));
        for (int slot : {5, 20}) {
            clock.set(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addSecs(slot * 60 + 1));
            const int expected = slot == 5 ? 2 : 3;
            QVERIFY2(QTest::qWaitFor([&] { return deferrals() == expected; }, 15000),
                     qPrintable(QStringLiteral("deferral %1 at +%2m").arg(expected).arg(slot)));
        }
        clock.set(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addSecs(60 * 60 + 1));
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("bounced")).isEmpty(); }, 15000));
        const QString bounced =
            eventsOf(QStringLiteral("bounced")).first().fields.value(QStringLiteral("reason")).toString();
        QVERIFY2(bounced.contains(reason.mid(6)), qPrintable(bounced));
        // The only message the sink ever got is the DSN to the sender; four
        // connections asked EHLO and quit, none said MAIL for bob.
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcpts(sink.messages().first()), QStringList{QStringLiteral("<alice@sender.example>")});
        QVERIFY(PySink::data(sink.messages().first()).contains("TLS is required, but was not offered"));
        for (const QString &line : sink.commands())
            QVERIFY2(!line.contains(QLatin1String("bob.owen@drypizza.example")), qPrintable(line));
        // The DSN's "delivered" event follows the sink's 250 and the event batch
        // (about 100 ms): wait for it rather than read it at once (failed 2 in 5 runs).
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("delivered")).size() == 1; }, 15000));
    }

    // Issue 11: "Retry Now" during an outage is an extra attempt and uses up
    // nothing: three clicks within the first minutes do not bounce the
    // message; the scheduled attempt at +5m still comes.
    void retryNowDuringAnOutageDoesNotBounceEarly()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.3.0 tenant not ready")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        const QString spool = newSpool();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool, &clock);
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        const QString bob = QStringLiteral("bob.owen@drypizza.example");
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 15000));
        Spool admin(spool, Spool::Role::Admin);
        QVERIFY(admin.open().ok());
        for (int click = 1; click <= 3; ++click) {
            clock.advance(std::chrono::seconds(30));
            QVERIFY(admin.requestFlush().ok());
            QVERIFY2(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == click + 1; },
                                     15000),
                     qPrintable(QStringLiteral("Retry Now #%1").arg(click)));
        }
        QCOMPARE(attemptsFor(sink, bob), 4);
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        // Every deferral still names the +5m slot of the schedule.
        const QString slot = t0().addSecs(300).toString(Qt::ISODate);
        QCOMPARE(eventsOf(QStringLiteral("deferred"))
                     .constLast()
                     .fields.value(QStringLiteral("next_attempt"))
                     .toString(),
                 slot);
        QTest::qWait(300);
        QCOMPARE(attemptsFor(sink, bob), 4);
        clock.set(t0().addSecs(301));
        QVERIFY(QTest::qWaitFor([&] { return attemptsFor(sink, bob) == 5; }, 15000));
        QTest::qWait(300);
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        QCOMPARE(sink.messages().size(), 0); // no DSN to alice
    }

    // Issue 11: after a stop longer than the schedule, the relay makes ONE
    // attempt, bounces only when it fails, and never fires the remaining
    // slots back to back. Before the lifetime, attempts keep retry.min_backoff.
    void restartAfterALongStopMakesOneAttemptThenBounces()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.3.0 tenant not ready")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        const QString spool = newSpool();
        const QString bob = QStringLiteral("bob.owen@drypizza.example");
        {
            auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool, &clock);
            QVERIFY(engine && engine->status().listening);
            const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                            QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
            QVERIFY2(r.code == 0, qPrintable(r.output));
            QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 15000));
        }
        // Three hours later: every slot (5m, 20m, 60m) lies in the past.
        clock.set(t0().addSecs(3 * 3600));
        m_events.clear();
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool, &clock);
        QVERIFY(engine && engine->status().listening);
        QVERIFY(QTest::qWaitFor([&] { return !eventsOf(QStringLiteral("bounced")).isEmpty(); }, 15000));
        QCOMPARE(attemptsFor(sink, bob), 2); // the one before the stop, one after the start
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000)); // the DSN
        QCOMPARE(rcpts(sink.messages().first()), QStringList{QStringLiteral("<alice@sender.example>")});
        QTest::qWait(500); // many ticks: nothing more
        QCOMPARE(attemptsFor(sink, bob), 2);
        QCOMPARE(eventsOf(QStringLiteral("bounced")).size(), 1);
    }

    void attemptsKeepTheMinimumBackoff()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.3.0 tenant not ready")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("retry.schedule"), QStringLiteral("10s,20s,30s"));
        c.settings.insert(QStringLiteral("retry.min_backoff"), QStringLiteral("2m"));
        auto engine = startEngine(build(c, 1), newSpool(), &clock);
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        const QString bob = QStringLiteral("bob.owen@drypizza.example");
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 15000));
        QCOMPARE(eventsOf(QStringLiteral("deferred"))
                     .first()
                     .fields.value(QStringLiteral("next_attempt"))
                     .toString(),
                 t0().addSecs(120).toString(Qt::ISODate));
        // The slots at 10s, 20s and 30s are closer than the back-off: skipped.
        clock.set(t0().addSecs(60));
        QTest::qWait(300);
        QCOMPARE(attemptsFor(sink, bob), 1);
        clock.set(t0().addSecs(121));
        QVERIFY(QTest::qWaitFor([&] { return attemptsFor(sink, bob) == 2; }, 15000));
        // That attempt came after the lifetime (30s): it failed, so it bounces.
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("bounced")).size() == 1; }, 15000));
        QCOMPARE(attemptsFor(sink, bob), 2);
    }

    // retry.delay_warning: one RFC 3464 DSN with Action: delayed, read back
    // with Python's email package; the bounce comes later as usual.
    void delayWarningSendsOneDelayedDsn()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.2.0 mailbox busy")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("retry.delay_warning"), QStringLiteral("10m"));
        auto engine = startEngine(build(c, 1), newSpool(), &clock);
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        const QString bob = QStringLiteral("bob.owen@drypizza.example");
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 15000));
        clock.set(t0().addSecs(301));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 2; }, 15000));
        QTest::qWait(300);
        QCOMPARE(sink.messages().size(), 0); // 5 minutes: not yet
        clock.set(t0().addSecs(1201));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject notice = sink.messages().first();
        QVERIFY(notice.value(QStringLiteral("mail")).toString().startsWith(QLatin1String("<>")));
        QCOMPARE(rcpts(notice), QStringList{QStringLiteral("<alice@sender.example>")});
        QCOMPARE(dsnActions(PySink::data(notice)), QStringList{QStringLiteral("delayed")});
        QVERIFY(PySink::data(notice).contains("Will-Retry-Until: "));
        clock.set(t0().addSecs(3601));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        QCOMPARE(dsnActions(PySink::data(sink.messages().at(1))), QStringList{QStringLiteral("failed")});
        QCOMPARE(eventsOf(QStringLiteral("delay_notice")).size(), 1);
    }

    // Issue 11 item 8: with relay.postmaster empty only postmaster@<relay
    // host> waits; other mail for the relay's own host domain is delivered.
    void onlyPostmasterWaitsWithoutRelayPostmaster()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("drypizza.example"));
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"),
                                        QStringLiteral("bob@warmsushi.example,postmaster@drypizza.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcpts(sink.messages().first()), QStringList{QStringLiteral("<bob.owen@drypizza.example>")});
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 5000));
        const MessageLogEntry d = eventsOf(QStringLiteral("deferred")).first();
        QCOMPARE(d.fields.value(QStringLiteral("to")).toString(),
                 QStringLiteral("postmaster@drypizza.example"));
        QVERIFY(d.fields.value(QStringLiteral("reason"))
                    .toString()
                    .contains(QLatin1String("relay.postmaster is not set")));
    }

    // Issue 11: a held domain's mail is accepted and queued, never attempted
    // nor bounced (long past its lifetime); after retry.hold_max the admin is
    // warned (event and a notice to relay.postmaster), not the sender; after
    // the release the lifetime counts from the release.
    void holdKeepsMailUntilReleaseAndWarnsTheAdmin()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob.owen@drypizza.example>"),
                                                           QStringLiteral("451 4.3.0 tenant not ready")}}}}),
                 qPrintable(sink.error()));
        ManualClock clock;
        const QString db = newDatabase();
        OperationsStore ops(db);
        QVERIFY(ops.open().ok());
        QVERIFY(ops.addHold(QStringLiteral("@DryPizza.example"), {}, clock.now()).ok());
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, sink.port());
        c.settings.insert(QStringLiteral("relay.postmaster"), QStringLiteral("admin@sender.example"));
        c.settings.insert(QStringLiteral("retry.hold_max"), QStringLiteral("2h"));
        auto engine = startEngine(build(c, 1), newSpool(), &clock, db);
        QVERIFY(engine && engine->status().listening);
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("held")).size() == 1; }, 10000));
        const SwaksRun r = swaks(port, {QStringLiteral("--from"), QStringLiteral("alice@sender.example"),
                                        QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
        QVERIFY2(r.code == 0, qPrintable(r.output));
        const QString bob = QStringLiteral("bob.owen@drypizza.example");
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 1; }, 5000));
        QTest::qWait(500);
        QCOMPARE(attemptsFor(sink, bob), 0);
        clock.set(t0().addSecs(90 * 60)); // past the 60m lifetime
        QTest::qWait(500);
        QCOMPARE(attemptsFor(sink, bob), 0);
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        QVERIFY(eventsOf(QStringLiteral("hold_warning")).isEmpty());
        clock.set(t0().addSecs(2 * 3600 + 1)); // retry.hold_max
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QJsonObject notice = sink.messages().first();
        QCOMPARE(rcpts(notice), QStringList{QStringLiteral("<admin@sender.example>")});
        QVERIFY(notice.value(QStringLiteral("mail")).toString().startsWith(QLatin1String("<>")));
        QVERIFY(PySink::data(notice).contains("Subject: Mail for @drypizza.example has been on hold"));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("hold_warning")).size() == 1; }, 5000));
        QCOMPARE(
            eventsOf(QStringLiteral("hold_warning")).first().fields.value(QStringLiteral("queued")).toInt(),
            1);
        QVERIFY(QTest::qWaitFor([&] { return ops.holds()->value(0).warned; }, 5000));
        QTest::qWait(500);
        QCOMPARE(eventsOf(QStringLiteral("hold_warning")).size(), 1); // once
        QCOMPARE(attemptsFor(sink, bob), 0);

        // Release: attempted at once; a failure now defers (the lifetime
        // counts from the release), it does not bounce.
        QVERIFY(ops.releaseHold(QStringLiteral("drypizza.example"), clock.now()).ok());
        QVERIFY(QTest::qWaitFor([&] { return attemptsFor(sink, bob) == 1; }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 10000));
        QCOMPARE(eventsOf(QStringLiteral("deferred"))
                     .first()
                     .fields.value(QStringLiteral("next_attempt"))
                     .toString(),
                 t0().addSecs(2 * 3600 + 1 + 300).toString(Qt::ISODate));
        QVERIFY(eventsOf(QStringLiteral("bounced")).isEmpty());
        QCOMPARE(eventsOf(QStringLiteral("released")).size(), 1);
    }

    void queuedMailSurvivesARestart()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        const quint16 port = closedPort();
        const QString spool = newSpool();
        // First run: the next hop is down, the message waits in the spool.
        {
            auto engine = startEngine(build(baseConfig(port, closedPort()), 1), spool);
            QVERIFY(engine && engine->status().listening);
            const SwaksRun r = swaks(port, {QStringLiteral("--to"), QStringLiteral("bob@warmsushi.example")});
            QVERIFY2(r.code == 0, qPrintable(r.output));
            QVERIFY(QTest::qWaitFor([&] { return eventsOf(QStringLiteral("deferred")).size() == 1; }, 15000));
            QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 1; }, 5000));
        }
        // Second run: the next hop is up; the queue is recovered and delivered
        // once the admin flushes it (the retry would otherwise wait 5 minutes).
        auto engine = startEngine(build(baseConfig(port, sink.port()), 1), spool);
        QVERIFY(engine && engine->status().listening);
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 1; }, 5000));
        Spool admin(spool, Spool::Role::Admin);
        QVERIFY(admin.open().ok());
        QVERIFY(admin.requestFlush().ok());
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QCOMPARE(rcpts(sink.messages().first()), QStringList{QStringLiteral("<bob.owen@drypizza.example>")});
        QVERIFY(QTest::qWaitFor([&] { return engine->status().queued == 0; }, 5000));
    }

    void stopAnswersOpenSessionsWith421()
    {
        const quint16 port = closedPort();
        auto engine = startEngine(build(baseConfig(port, closedPort()), 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(s.waitForConnected(5000));
        QVERIFY(QTest::qWaitFor([&] { return s.canReadLine(); }, 5000));
        QVERIFY(s.readLine().startsWith("220 "));
        QSignalSpy stopped(engine.get(), &EngineController::stopped);
        engine->stop();
        QVERIFY(QTest::qWaitFor([&] { return s.canReadLine(); }, 5000));
        QVERIFY(s.readLine().startsWith("421 4.3.2 "));
        QVERIFY(stopped.wait(5000) || stopped.size() == 1);
        QTcpSocket again;
        again.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!again.waitForConnected(2000) || !again.waitForReadyRead(1000));
    }

    void perClientSessionLimit()
    {
        const quint16 port = closedPort();
        ConfigData c = baseConfig(port, closedPort());
        c.settings.insert(QStringLiteral("limits.sessions_per_ip"), QStringLiteral("2"));
        auto engine = startEngine(build(c, 1), newSpool());
        QVERIFY(engine && engine->status().listening);
        QTcpSocket a, b, third;
        for (QTcpSocket *s : {&a, &b, &third}) {
            s->connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(s->waitForConnected(5000));
            QVERIFY(QTest::qWaitFor([&] { return s->canReadLine(); }, 5000));
        }
        QVERIFY(a.readLine().startsWith("220 "));
        QVERIFY(b.readLine().startsWith("220 "));
        QVERIFY(third.readLine().startsWith("421 4.7.0 "));
    }
};

QTEST_GUILESS_MAIN(TestRelayQueue)
#include "tst_relayqueue.moc"
