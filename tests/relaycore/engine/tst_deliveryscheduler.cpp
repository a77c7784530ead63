// The delivery scheduler on its own (relaycore/engine/deliveryscheduler.h),
// on a ManualClock: a real spool in a temporary folder, a real DeliveryAgent
// and smtpsink.py on 127.0.0.1 as the next hop, no listener and no SMTP
// client. The test moves the clock and calls tick() itself, so each retry,
// the expiry and the hold are exact times, not waits.
#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/engine/arcsealingstage.h"
#include "relaycore/engine/deliveryscheduler.h"
#include "relaycore/engine/dkimsigningstage.h"
#include "relaycore/queue/spool.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

QDateTime t0()
{
    return QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
}

struct Event
{
    MessageEvent event;
    QString queueId;
    QVariantMap fields;
};

} // namespace

class TestDeliveryScheduler : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_spools = 0;
    ManualClock m_clock;
    QList<Event> m_events;
    std::unique_ptr<Spool> m_spool;
    DeliveryAgent *m_agent = nullptr;
    NextHopResolver *m_resolver = nullptr;
    DkimSigningStage *m_signing = nullptr;
    ArcSealingStage *m_arc = nullptr;
    std::unique_ptr<DeliveryScheduler> m_scheduler;

    // drypizza.example and sender.example go to the sink.
    std::shared_ptr<const RelayConfig> config(quint16 sinkPort, const QString &schedule)
    {
        ConfigData c;
        c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
        c.settings.insert(QStringLiteral("retry.schedule"), schedule);
        const QString sink = QStringLiteral("[127.0.0.1]:%1").arg(sinkPort);
        for (const char *domain : {"drypizza.example", "sender.example"})
            c.routes << TransportRoute{QString::fromLatin1(domain), sink};
        auto rc = RelayConfig::build(c, 1);
        if (!rc.ok())
            qFatal("RelayConfig::build failed: %s", qPrintable(rc.error));
        return *rc;
    }

    bool startScheduler(const std::shared_ptr<const RelayConfig> &config, bool awaitHolds = false)
    {
        m_spool = std::make_unique<Spool>(m_dir.filePath(QStringLiteral("spool%1").arg(++m_spools)),
                                          Spool::Role::Engine, m_clock);
        if (!m_spool->open().ok())
            return false;
        m_agent = new DeliveryAgent(DeliveryAgent::Settings{}, this);
        DeliveryAgent::Settings s = m_agent->settings();
        s.heloName = config->hostName;
        s.timeouts.connect = std::chrono::milliseconds(3000);
        m_agent->setSettings(s);
        m_resolver = new NextHopResolver(NextHopResolver::Settings{}, this);
        NextHopResolver::Settings rs;
        rs.routes = config->routes;
        m_resolver->setSettings(rs);
        m_signing = new DkimSigningStage(this);
        m_arc = new ArcSealingStage(ArcSealingStage::Options{}, this);
        DeliveryScheduler::Parts parts{m_spool.get(), m_agent, m_resolver, m_signing, m_arc, &m_clock, {}};
        m_scheduler = std::make_unique<DeliveryScheduler>(
            parts,
            [this](MessageEvent e, const QString &queueId, std::optional<Area>, QVariantMap fields) {
                m_events << Event{e, queueId, std::move(fields)};
            },
            awaitHolds);
        m_scheduler->setConfig(config);
        m_scheduler->setRunning(true);
        return true;
    }

    // A received message from alice@sender.example to `to`, spooled at the clock's time.
    QueuedMessage receive(const QString &to)
    {
        IncomingMessage msg;
        msg.meta.queueId = m_spool->reserveQueueId();
        msg.meta.sender = QStringLiteral("alice@sender.example");
        msg.meta.arrival = m_clock.now();
        QueuedRecipient r;
        r.address = to;
        r.originalAddress = to;
        msg.meta.recipients << r;
        msg.data = "From: alice@sender.example\r\nTo: " + to.toUtf8() + "\r\nSubject: hello\r\n\r\nhello\r\n";
        const auto stored = m_spool->store({msg});
        if (!stored.ok())
            qFatal("store: %s", qPrintable(stored.error));
        m_scheduler->addReceived(stored->first(), msg.data);
        return stored->first();
    }

    QList<Event> eventsOf(MessageEvent kind) const
    {
        QList<Event> out;
        for (const Event &e : m_events) {
            if (e.event == kind)
                out << e;
        }
        return out;
    }

    static int attemptsFor(const PySink &sink, const QString &address)
    {
        int n = 0;
        for (const QString &c : sink.commands())
            n += c.startsWith(QStringLiteral("RCPT TO:<%1>").arg(address)) ? 1 : 0;
        return n;
    }

    // The next attempt the spool holds for the message's only recipient.
    QDateTime spooledNextAttempt(qint64 messageId) const
    {
        const auto queued = m_spool->loadQueued();
        for (const QueuedMessage &m : queued.ok() ? *queued : QList<QueuedMessage>{}) {
            if (m.id == messageId && !m.recipients.isEmpty())
                return m.recipients.first().nextAttempt;
        }
        return {};
    }

private slots:
    void init()
    {
        m_clock.set(t0());
        m_events.clear();
    }

    void cleanup()
    {
        m_scheduler.reset();
        delete m_agent;
        delete m_resolver;
        delete m_signing;
        delete m_arc;
        m_agent = nullptr;
        m_resolver = nullptr;
        m_signing = nullptr;
        m_arc = nullptr;
        m_spool.reset();
    }

    // 451 at every attempt: deferred to arrival + 5m, then + 20m, with the
    // next attempt in the spool; nothing is tried before its time.
    void retriesFollowTheScheduleOnTheClock()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob@drypizza.example>"),
                                                           QStringLiteral("451 4.2.0 mailbox busy")}}}}),
                 qPrintable(sink.error()));
        QVERIFY(startScheduler(config(sink.port(), QStringLiteral("5m,20m,60m"))));
        const QueuedMessage meta = receive(QStringLiteral("bob@drypizza.example"));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Deferred).size() == 1; }, 15000));
        QCOMPARE(attemptsFor(sink, QStringLiteral("bob@drypizza.example")), 1);
        const Event first = eventsOf(MessageEvent::Deferred).first();
        QCOMPARE(first.queueId, meta.queueId);
        QCOMPARE(first.fields.value(QStringLiteral("next_attempt")).toString(),
                 t0().addSecs(5 * 60).toString(Qt::ISODate));
        QVERIFY(first.fields.value(QStringLiteral("reason")).toString().contains(QLatin1String("451 4.2.0")));
        m_scheduler->flushUpdates();
        QCOMPARE(spooledNextAttempt(meta.id), t0().addSecs(5 * 60));

        m_clock.set(t0().addSecs(4 * 60));
        m_scheduler->tick();
        QTest::qWait(300);
        QCOMPARE(attemptsFor(sink, QStringLiteral("bob@drypizza.example")), 1);

        m_clock.set(t0().addSecs(5 * 60));
        m_scheduler->tick();
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Deferred).size() == 2; }, 15000));
        QCOMPARE(attemptsFor(sink, QStringLiteral("bob@drypizza.example")), 2);
        QCOMPARE(
            eventsOf(MessageEvent::Deferred).at(1).fields.value(QStringLiteral("next_attempt")).toString(),
            t0().addSecs(20 * 60).toString(Qt::ISODate));
        QCOMPARE(m_scheduler->queued(), 1);
    }

    // The schedule spent: the recipient bounces, the DSN is spooled and
    // delivered to the sender, and the message leaves the queue.
    void expiryBounces()
    {
        PySink sink;
        QVERIFY2(sink.start(QJsonObject{
                     {QStringLiteral("rcpt"), QJsonObject{{QStringLiteral("<bob@drypizza.example>"),
                                                           QStringLiteral("451 4.2.0 mailbox busy")}}}}),
                 qPrintable(sink.error()));
        QVERIFY(startScheduler(config(sink.port(), QStringLiteral("5m"))));
        receive(QStringLiteral("bob@drypizza.example"));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Deferred).size() == 1; }, 15000));
        QVERIFY(eventsOf(MessageEvent::Bounced).isEmpty());

        m_clock.set(t0().addSecs(5 * 60));
        m_scheduler->tick();
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Bounced).size() == 1; }, 15000));
        const Event bounced = eventsOf(MessageEvent::Bounced).first();
        QVERIFY2(bounced.fields.value(QStringLiteral("reason"))
                     .toString()
                     .startsWith(QLatin1String("retry schedule spent")),
                 qPrintable(bounced.fields.value(QStringLiteral("reason")).toString()));
        const QString dsn = bounced.fields.value(QStringLiteral("dsn")).toString();
        QVERIFY(!dsn.isEmpty() && !dsn.startsWith(QLatin1String("none")));
        // The DSN goes to the sender through the sink; then the queue is empty.
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QByteArray report = PySink::data(sink.messages().first());
        QVERIFY2(report.contains("Action: failed"), report.constData());
        QVERIFY(report.contains("451 4.2.0 mailbox busy"));
        QVERIFY(QTest::qWaitFor([&] { return m_scheduler->queued() == 0; }, 15000));
    }

    // The first attempt of a newly committed message goes out from the bytes
    // the spool commit handed over, not from a re-read of the spool: here
    // the spool holds other bytes than those handed over, and the sink gets
    // the handed-over ones.
    void firstAttemptSendsTheCommittedBytes()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        QVERIFY(startScheduler(config(sink.port(), QStringLiteral("5m"))));
        IncomingMessage msg;
        msg.meta.queueId = m_spool->reserveQueueId();
        msg.meta.sender = QStringLiteral("alice@sender.example");
        msg.meta.arrival = m_clock.now();
        QueuedRecipient r;
        r.address = QStringLiteral("bob@drypizza.example");
        r.originalAddress = r.address;
        msg.meta.recipients << r;
        msg.data = "From: alice@sender.example\r\nSubject: in the spool\r\n\r\nspooled\r\n";
        const auto stored = m_spool->store({msg});
        QVERIFY2(stored.ok(), qPrintable(stored.error));
        // The same size as the spooled bytes: a message whose handed-over
        // bytes are not its whole size (a large one's header section) is read
        // back with its body file instead.
        m_scheduler->addReceived(stored->first(),
                                 "From: alice@sender.example\r\nSubject: handed over!\r\n\r\nhanded!\r\n");
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        const QByteArray sent = PySink::data(sink.messages().first());
        QVERIFY2(sent.contains("Subject: handed over"), sent.constData());
        QVERIFY(!sent.contains("in the spool"));
    }

    // A held domain is neither attempted nor bounced, whatever the clock
    // says; the release delivers at once and its lifetime starts again.
    void holdKeepsMailUntilRelease()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        QVERIFY(startScheduler(config(sink.port(), QStringLiteral("5m")), true));
        DomainHold hold;
        hold.domain = QStringLiteral("drypizza.example");
        hold.since = t0();
        // Nothing goes out before the holds are known (awaitHolds).
        receive(QStringLiteral("bob@drypizza.example"));
        QTest::qWait(200);
        QCOMPARE(attemptsFor(sink, QStringLiteral("bob@drypizza.example")), 0);
        m_scheduler->setHolds({hold});
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Held).size() == 1; }, 5000));
        QCOMPARE(eventsOf(MessageEvent::Held).first().fields.value(QStringLiteral("queued")).toInt(), 1);
        m_clock.set(t0().addSecs(3 * 3600)); // long after the schedule would have bounced
        m_scheduler->tick();
        QTest::qWait(300);
        QCOMPARE(attemptsFor(sink, QStringLiteral("bob@drypizza.example")), 0);
        QVERIFY(eventsOf(MessageEvent::Bounced).isEmpty());
        QCOMPARE(m_scheduler->queued(), 1);

        m_scheduler->setHolds({});
        m_scheduler->tick();
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Released).size() == 1; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 1; }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return eventsOf(MessageEvent::Delivered).size() == 1; }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return m_scheduler->queued() == 0; }, 15000));
    }
};

QTEST_GUILESS_MAIN(TestDeliveryScheduler)
#include "tst_deliveryscheduler.moc"
