// End-to-end tests of the message trace (issue 14): `mailroutectl serve` as a
// process with an Inbound user rule, swaks as the client, smtpsink.py as the
// next hop; `mailroutectl trace` finds the message by its original address,
// its rewritten address, a part of an address, its Message-ID and its queue
// id, with its whole timeline (--json parsed here); a refused RCPT shows as
// refused; log.retention_days removes the trace with the message log.
#include "tests/app/ctlrun.h"
#include "tests/app/serveprocess.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute::testing;

class TestCtlTrace : public QObject, private ServeFixture
{
    Q_OBJECT

private:
    Run trace(const QStringList &args) { return ctl(QStringList{QStringLiteral("trace")} + args); }

    // Inbound: @warmsushi.example -> @drypizza.example, and the user rule
    // ann@warmsushi.example -> ann.lee@drypizza.example.
    void configure(quint16 sinkPort)
    {
        QVERIFY(configureRelay(sinkPort, {QStringLiteral("drypizza.example")},
                               {{QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("--area"),
                                 QStringLiteral("inbound"), QStringLiteral("ann@warmsushi.example"),
                                 QStringLiteral("ann.lee@drypizza.example")}}));
    }

    static QStringList lines(const QString &out) { return out.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

private slots:
    void init() { QVERIFY(nextPaths()); }

    void findsAMessageEveryWayWithItsTimeline()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        configure(sink.port());
        const quint16 port = closedPort();
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QCOMPARE(swaks(port, QStringLiteral("ann@warmsushi.example"),
                       {QStringLiteral("Message-Id: <trace-test-4711@outside.example>"),
                        QStringLiteral("Subject: Quarterly numbers")}),
                 0);
        // Another message that must not match the searches below.
        QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
        QVERIFY(QTest::qWaitFor([&] { return sink.messages().size() == 2; }, 15000));
        // A refused recipient (no rule, not a relay domain).
        QVERIFY(swaks(port, QStringLiteral("someone@partner.example")) != 0);

        QString out;
        QVERIFY(QTest::qWaitFor(
            [&] {
                out = trace({QStringLiteral("--to"), QStringLiteral("ann@warmsushi.example")}).out;
                return out.trimmed().endsWith(QLatin1String("\tdelivered"));
            },
            15000));
        QCOMPARE(lines(out).size(), 1);
        const QStringList cols = lines(out).first().split(QLatin1Char('\t'));
        QCOMPARE(cols.size(), 6);
        QVERIFY2(QDateTime::fromString(cols.at(0), Qt::ISODate).isValid(), qPrintable(cols.at(0)));
        QVERIFY(cols.at(0).endsWith(QLatin1Char('Z')));
        const QString queueId = cols.at(1);
        QVERIFY(!queueId.isEmpty() && queueId != QLatin1String("-"));
        QCOMPARE(cols.at(2), QStringLiteral("alice@outside.example"));
        QCOMPARE(cols.at(3), QStringLiteral("ann@warmsushi.example"));
        QCOMPARE(cols.at(4), QStringLiteral("ann.lee@drypizza.example"));
        QCOMPARE(cols.at(5), QStringLiteral("delivered"));

        // The same line by the rewritten address, parts, the Message-ID and the queue id.
        const QList<QStringList> searches{
            {QStringLiteral("--to"), QStringLiteral("ann.lee@drypizza.example")},
            {QStringLiteral("--to"), QStringLiteral("N.LEE@")},
            {QStringLiteral("--to"), QStringLiteral("ann@warm")},
            {QStringLiteral("--message-id"), QStringLiteral("trace-test-4711@outside.example")},
            {QStringLiteral("--message-id"), QStringLiteral("<trace-test-4711@outside.example>")},
            {QStringLiteral("--message-id"), QStringLiteral("test-47")},
            {QStringLiteral("--queue-id"), queueId},
            {QStringLiteral("--from"), QStringLiteral("alice@outside.example"), QStringLiteral("--to"),
             QStringLiteral("ann")},
            {QStringLiteral("--to"), QStringLiteral("ann.lee"), QStringLiteral("--status"),
             QStringLiteral("delivered"), QStringLiteral("--since"), QStringLiteral("-1h")},
        };
        for (const QStringList &args : searches) {
            const Run r = trace(args);
            QVERIFY2(r.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
            QVERIFY2(r.out == out, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(":\n") + r.out));
        }
        // Criteria that must not match it.
        QCOMPARE(trace({QStringLiteral("--to"), QStringLiteral("ann.lee"), QStringLiteral("--status"),
                        QStringLiteral("bounced")})
                     .out,
                 QString());
        QCOMPARE(trace({QStringLiteral("--to"), QStringLiteral("ann.lee"), QStringLiteral("--until"),
                        QStringLiteral("-1h")})
                     .out,
                 QString());
        QCOMPARE(trace({QStringLiteral("--from"), QStringLiteral("ann.lee")}).out, QString());
        // Both delivered messages by the domain part.
        QCOMPARE(lines(trace({QStringLiteral("--to"), QStringLiteral("drypizza")}).out).size(), 2);

        // --json: one object per message, with its whole timeline.
        const Run json = trace({QStringLiteral("--queue-id"), queueId, QStringLiteral("--json")});
        QCOMPARE(json.code, 0);
        QCOMPARE(lines(json.out).size(), 1);
        QJsonParseError perr{};
        const QJsonObject m = QJsonDocument::fromJson(json.out.toUtf8(), &perr).object();
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString()));
        QCOMPARE(m.value(QStringLiteral("queue_id")).toString(), queueId);
        QCOMPARE(m.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QCOMPARE(m.value(QStringLiteral("from")).toString(), QStringLiteral("alice@outside.example"));
        QCOMPARE(m.value(QStringLiteral("message_id")).toString(),
                 QStringLiteral("trace-test-4711@outside.example"));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(), QStringLiteral("Quarterly numbers"));
        QCOMPARE(m.value(QStringLiteral("client")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(m.value(QStringLiteral("helo")).toString(), QStringLiteral("client.test"));
        QCOMPARE(m.value(QStringLiteral("area")).toString(), QStringLiteral("inbound"));
        const QJsonArray rcpts = m.value(QStringLiteral("recipients")).toArray();
        QCOMPARE(rcpts.size(), 1);
        const QJsonObject r0 = rcpts.at(0).toObject();
        QCOMPARE(r0.value(QStringLiteral("to")).toString(), QStringLiteral("ann@warmsushi.example"));
        QCOMPARE(r0.value(QStringLiteral("delivered_to")).toString(),
                 QStringLiteral("ann.lee@drypizza.example"));
        QCOMPARE(r0.value(QStringLiteral("match")).toString(), QStringLiteral("user"));
        QCOMPARE(r0.value(QStringLiteral("next_hop")).toString().contains(QString::number(sink.port())),
                 true);
        QStringList kinds;
        QJsonObject rewrite;
        QJsonObject delivered;
        for (const QJsonValue &v : m.value(QStringLiteral("events")).toArray()) {
            const QJsonObject e = v.toObject();
            kinds << e.value(QStringLiteral("event")).toString();
            if (e.value(QStringLiteral("event")).toString() == QLatin1String("rewritten") &&
                e.value(QStringLiteral("fields")).toObject().value(QStringLiteral("scope")).toString() ==
                    QLatin1String("envelope recipient"))
                rewrite = e.value(QStringLiteral("fields")).toObject();
            if (e.value(QStringLiteral("event")).toString() == QLatin1String("delivered"))
                delivered = e.value(QStringLiteral("fields")).toObject();
        }
        QVERIFY2(kinds.size() >= 3, qPrintable(kinds.join(u' ')));
        QCOMPARE(kinds.first(), QStringLiteral("received"));
        QCOMPARE(kinds.last(), QStringLiteral("delivered"));
        QCOMPARE(rewrite.value(QStringLiteral("from")).toString(), QStringLiteral("ann@warmsushi.example"));
        QCOMPARE(rewrite.value(QStringLiteral("to")).toString(), QStringLiteral("ann.lee@drypizza.example"));
        QCOMPARE(rewrite.value(QStringLiteral("match")).toString(), QStringLiteral("user"));
        QVERIFY2(delivered.value(QStringLiteral("reply")).toString().startsWith(QLatin1String("250")),
                 QJsonDocument(delivered).toJson().constData());

        // The refused recipient.
        QString refused;
        QVERIFY(QTest::qWaitFor(
            [&] {
                refused = trace({QStringLiteral("--status"), QStringLiteral("refused")}).out;
                return !refused.isEmpty();
            },
            10000));
        QCOMPARE(lines(refused).size(), 1);
        const QStringList rc = lines(refused).first().split(QLatin1Char('\t'));
        QCOMPARE(rc.size(), 6);
        QCOMPARE(rc.at(2), QStringLiteral("alice@outside.example"));
        QCOMPARE(rc.at(3), QStringLiteral("someone@partner.example"));
        QCOMPARE(rc.at(5), QStringLiteral("refused"));
        QCOMPARE(trace({QStringLiteral("--to"), QStringLiteral("partner.example")}).out, refused);
        stopServe(serve);
    }

    void badArgumentsPrintNothing()
    {
        configure(closedPort());
        const QList<QStringList> bad{
            {QStringLiteral("--to"), QStringLiteral("an")},
            {QStringLiteral("--from"), QStringLiteral("x@")},
            {QStringLiteral("--message-id"), QStringLiteral("<a>")},
            {QStringLiteral("--status"), QStringLiteral("lost")},
            {QStringLiteral("--since"), QStringLiteral("yesterday")},
            {QStringLiteral("--since"), QStringLiteral("2026-12-08T06:00")}, // no zone
            {QStringLiteral("--since"), QStringLiteral("-1h"), QStringLiteral("--until"),
             QStringLiteral("-2h")},
            {QStringLiteral("stray")},
        };
        for (const QStringList &args : bad) {
            const Run r = trace(args);
            QVERIFY2(r.code == 2,
                     qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": exit %1").arg(r.code)));
            QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
            QVERIFY2(!r.err.isEmpty(), qPrintable(args.join(QLatin1Char(' '))));
        }
        QVERIFY(trace({QStringLiteral("--to"), QStringLiteral("an")})
                    .err.contains(QLatin1String("3 characters")));
        QCOMPARE(trace({QStringLiteral("--since"), QStringLiteral("2026-12-08T06:00+01:00")}).code, 0);
        QCOMPARE(trace({QStringLiteral("--since"), QStringLiteral("2026-12-08")}).code, 0);
    }

    // log.retention_days: the relay prunes the trace with the message log.
    void retentionRemovesTheTrace()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        configure(sink.port());
        QVERIFY(ctlOk({QStringLiteral("settings"), QStringLiteral("set"),
                       QStringLiteral("log.retention_days"), QStringLiteral("7")}));
        QVERIFY(ctlOk({QStringLiteral("push")}));
        const quint16 port = closedPort();
        {
            QProcess serve;
            QVERIFY(startServe(serve, port));
            QCOMPARE(swaks(port, QStringLiteral("ann@warmsushi.example")), 0);
            QCOMPARE(swaks(port, QStringLiteral("bob@warmsushi.example")), 0);
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return lines(trace({QStringLiteral("--status"), QStringLiteral("delivered")}).out)
                               .size() == 2;
                },
                15000));
            stopServe(serve);
        }
        // Ann's message (its log and trace rows) was received 8 days ago.
        const QString aged = sql(QStringLiteral(
            "day = 86400 * 1000\n"
            "qid = db.execute(\"SELECT m.queue_id FROM trace_messages m JOIN trace_recipients r ON r.message "
            "= m.id "
            "WHERE r.original = 'ann@warmsushi.example'\").fetchone()[0]\n"
            "db.execute('UPDATE trace_messages SET time = time - 8 * ? WHERE queue_id = ?', (day, qid))\n"
            "db.execute('UPDATE trace_recipients SET time = time - 8 * ? WHERE message = "
            "(SELECT id FROM trace_messages WHERE queue_id = ?)', (day, qid))\n"
            "db.execute('UPDATE message_log SET time = time - 8 * ? WHERE queue_id = ?', (day, qid))\n"
            "print('ok')"));
        QCOMPARE(aged, QStringLiteral("ok"));
        QCOMPARE(lines(trace({QStringLiteral("--to"), QStringLiteral("ann@warmsushi")}).out).size(), 1);
        QProcess serve;
        QVERIFY(startServe(serve, port));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return trace({QStringLiteral("--to"), QStringLiteral("ann@warmsushi")}).out.isEmpty();
            },
            10000));
        QCOMPARE(lines(trace({QStringLiteral("--to"), QStringLiteral("bob@warmsushi")}).out).size(), 1);
        stopServe(serve);
        QCOMPARE(
            sql(QStringLiteral("print(db.execute(\"SELECT count(*) FROM trace_recipients WHERE original = "
                               "'ann@warmsushi.example'\").fetchone()[0])")),
            QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestCtlTrace)
#include "tst_ctltrace.moc"
