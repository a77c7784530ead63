// The message trace store (issue 14): events written the way the relay's log
// thread writes them (ConfigStore::appendMessageEvents with TraceIngest in the
// same transaction), read back through TraceStore: the query builder with the
// FTS5 trigram index and with its LIKE fallback, timelines, the overview's
// roll-ups against counts of the rows, and retention.
#include "relaycore/store/configstore.h"
#include "relaycore/trace/traceheaders.h"
#include "relaycore/trace/traceingest.h"
#include "relaycore/trace/tracestore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kT0(QDate(2026, 11, 2), QTime(9, 15), Qt::UTC);

MessageLogEntry ev(const QDateTime &t, const QString &queueId, const QString &event, QVariantMap f,
                   std::optional<Area> area = std::nullopt)
{
    return MessageLogEntry{0, t, queueId, event, area, std::move(f)};
}

QVariantMap received(const QString &from, const QString &to, const QString &finals, const QString &messageId,
                     const QString &subject)
{
    return {{QStringLiteral("client"), QStringLiteral("192.0.2.7")}, {QStringLiteral("helo"), QStringLiteral("mx.example")},
            {QStringLiteral("from"), from},   {QStringLiteral("to"), to},
            {QStringLiteral("recipients"), finals}, {QStringLiteral("size"), 1234},
            {QStringLiteral("tls"), true},    {QStringLiteral("message_id"), messageId},
            {QStringLiteral("subject"), subject}};
}

QStringList queueIds(const QList<TraceMessage> &rows)
{
    QStringList out;
    for (const TraceMessage &m : rows)
        out << (m.queueId.isEmpty() ? QStringLiteral("-") : m.queueId);
    out.sort();
    return out;
}

} // namespace

class TestTraceStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    int m_n = 0;

    void write(const QList<MessageLogEntry> &events)
    {
        ConfigStore store(m_db);
        QVERIFY(store.open().ok());
        TraceIngest ingest;
        const auto r = store.appendMessageEvents(events, [&](QSqlDatabase &db) { return ingest.apply(db, events); });
        QVERIFY2(r.ok(), qPrintable(r.error));
    }

    // Three messages: A (Inbound user rule, delivered), B (two recipients:
    // one bounced, one deferred then delivered), C (Outbound sender rule,
    // deferred), and a refused RCPT without a queue id.
    void fill()
    {
        write({
            ev(kT0, u"QA"_s, u"received"_s,
               received(u"alice@outside.example"_s, u"ann@warmsushi.example"_s, u"ann.lee@drypizza.example"_s,
                        u"msg-a-1@outside.example"_s, u"Quarterly numbers"_s)),
            ev(kT0, u"QA"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope recipient"_s}, {u"from"_s, u"ann@warmsushi.example"_s},
                {u"to"_s, u"ann.lee@drypizza.example"_s}, {u"rule"_s, u"ann@warmsushi.example -> ann.lee@drypizza.example"_s},
                {u"match"_s, u"user"_s}},
               Area::Inbound),
            ev(kT0.addSecs(2), u"QA"_s, u"delivered"_s,
               {{u"to"_s, u"ann.lee@drypizza.example"_s}, {u"relay"_s, u"127.0.0.1:25"_s}, {u"reply"_s, u"250 ok"_s}}),
            ev(kT0.addSecs(60), u"QB"_s, u"received"_s,
               received(u"bob@outside.example"_s, u"carl@warmsushi.example, dora@warmsushi.example"_s,
                        u"carl@drypizza.example, dora@drypizza.example"_s, u"msg-b-2@outside.example"_s,
                        u"Hello"_s)),
            ev(kT0.addSecs(60), u"QB"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope recipient"_s}, {u"from"_s, u"carl@warmsushi.example"_s},
                {u"to"_s, u"carl@drypizza.example"_s}, {u"match"_s, u"domain"_s}},
               Area::Inbound),
            ev(kT0.addSecs(60), u"QB"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope recipient"_s}, {u"from"_s, u"dora@warmsushi.example"_s},
                {u"to"_s, u"dora@drypizza.example"_s}, {u"match"_s, u"domain"_s}},
               Area::Inbound),
            ev(kT0.addSecs(61), u"QB"_s, u"bounced"_s,
               {{u"to"_s, u"carl@drypizza.example"_s}, {u"relay"_s, u"127.0.0.1:25"_s},
                {u"reason"_s, u"550 no such user"_s}, {u"dsn"_s, u"QDSN"_s}}),
            ev(kT0.addSecs(61), u"QB"_s, u"deferred"_s,
               {{u"to"_s, u"dora@drypizza.example"_s}, {u"relay"_s, u"127.0.0.1:25"_s},
                {u"reason"_s, u"451 later"_s}, {u"attempts"_s, 1},
                {u"next_attempt"_s, kT0.addSecs(361).toString(Qt::ISODate)}}),
            ev(kT0.addSecs(3600), u"QC"_s, u"received"_s,
               received(u"eve@drypizza.example"_s, u"frank@partner.example"_s, u"frank@partner.example"_s, {},
                        u"Café au lait"_s)),
            ev(kT0.addSecs(3600), u"QC"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope sender"_s}, {u"from"_s, u"eve@drypizza.example"_s},
                {u"to"_s, u"eve@warmsushi.example"_s}, {u"match"_s, u"user"_s}},
               Area::Outbound),
            ev(kT0.addSecs(3601), u"QC"_s, u"deferred"_s,
               {{u"to"_s, u"frank@partner.example"_s}, {u"reason"_s, u"connection refused"_s},
                {u"attempts"_s, 1}}),
            ev(kT0.addSecs(3700), {}, u"refused"_s,
               {{u"client"_s, u"198.51.100.9"_s}, {u"from"_s, u"spam@bad.example"_s},
                {u"to"_s, u"someone@partner.example"_s}, {u"reason"_s, u"550 5.7.1 relay access denied"_s}}),
        });
        // A later batch: dora's retry succeeds.
        write({ev(kT0.addSecs(400), u"QB"_s, u"delivered"_s,
                  {{u"to"_s, u"dora@drypizza.example"_s}, {u"relay"_s, u"127.0.0.1:25"_s}, {u"reply"_s, u"250 ok"_s}})});
    }

    Result<QList<TraceMessage>> find(TraceStore &store, const std::function<void(TraceQuery &)> &set)
    {
        TraceQuery q;
        set(q);
        return store.search(q);
    }

    void checkSearches(TraceStore &store)
    {
        auto ids = [&](const std::function<void(TraceQuery &)> &set) {
            const auto r = find(store, set);
            return r ? queueIds(*r) : QStringList{QStringLiteral("error: ") + r.error};
        };
        // Original, rewritten, part, case.
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"ann@warmsushi.example"_s; }), QStringList{u"QA"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"ann.lee@drypizza.example"_s; }), QStringList{u"QA"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"N.LE"_s; }), QStringList{u"QA"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"drypizza"_s; }), (QStringList{u"QA"_s, u"QB"_s}));
        QCOMPARE(ids([](TraceQuery &q) { q.from = u"eve@warmsushi"_s; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.from = u"drypizza"_s; }), QStringList{u"QC"_s});
        // --from does not look at recipients, --to not at senders.
        QCOMPARE(ids([](TraceQuery &q) { q.from = u"warmsushi"_s; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"outside.example"_s; }), QStringList{});
        QCOMPARE(ids([](TraceQuery &q) { q.address = u"partner.example"_s; }), (QStringList{u"-"_s, u"QC"_s}));
        // Message-ID with or without <>, whole or a part.
        QCOMPARE(ids([](TraceQuery &q) { q.messageId = u"<msg-b-2@outside.example>"_s; }), QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.messageId = u"msg-a"_s; }), QStringList{u"QA"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.subject = u"café"_s; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.queueId = u"QB"_s; }), QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.client = u"198.51.100.9"_s; }), QStringList{u"-"_s});
        // Status: the message's or any recipient's.
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Bounced; }), QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Delivered; }), (QStringList{u"QA"_s, u"QB"_s}));
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Deferred; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Refused; }), QStringList{u"-"_s});
        // Period: since inclusive, until exclusive; criteria combine.
        QCOMPARE(ids([](TraceQuery &q) { q.since = kT0.addSecs(60); q.until = kT0.addSecs(3600); }),
                 QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"drypizza"_s; q.status = TraceStatus::Bounced; }),
                 QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.area = Area::Outbound; }), QStringList{u"QC"_s});
        // A part with LIKE's wildcards is taken literally.
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"%@%"_s; }), QStringList{});
        // Sort and paging.
        const auto page = find(store, [](TraceQuery &q) { q.limit = 2; q.offset = 1; });
        QVERIFY(page.ok());
        QCOMPARE(page->size(), 2);
        QCOMPARE(page->at(0).queueId, u"QC"_s); // newest first: refusal, QC, QB, QA
        QCOMPARE(page->at(1).queueId, u"QB"_s);
        const auto n = store.count(TraceQuery{});
        QVERIFY(n.ok());
        QCOMPARE(*n, 4);
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("t%1.db").arg(++m_n));
    }

    void rowsAndStatuses()
    {
        fill();
        TraceStore store(m_db);
        QVERIFY(store.open().ok());
        QVERIFY2(store.fullText(), "Debian's SQLite has FTS5 with the trigram tokenizer");
        const auto b = store.timelineOfQueueId(u"QB"_s);
        QVERIFY2(b.ok(), qPrintable(b.error));
        QCOMPARE(b->message.status, TraceStatus::Bounced); // one bounced, one delivered
        QCOMPARE(b->message.area, std::optional<Area>(Area::Inbound));
        QCOMPARE(b->message.messageId, u"msg-b-2@outside.example"_s);
        QCOMPARE(b->message.recipients.size(), 2);
        QCOMPARE(b->message.recipients.at(0).original, u"carl@warmsushi.example"_s);
        QCOMPARE(b->message.recipients.at(0).deliveredTo, u"carl@drypizza.example"_s);
        QCOMPARE(b->message.recipients.at(0).status, TraceStatus::Bounced);
        QCOMPARE(b->message.recipients.at(0).dsnQueueId, u"QDSN"_s);
        QCOMPARE(b->message.recipients.at(0).match, u"domain"_s);
        QCOMPARE(b->message.recipients.at(1).status, TraceStatus::Delivered);
        QCOMPARE(b->message.recipients.at(1).attempts, 2);
        QStringList kinds;
        for (const TraceEvent &e : b->events)
            kinds << e.kind;
        QCOMPARE(kinds, (QStringList{u"received"_s, u"rewritten"_s, u"rewritten"_s, u"bounced"_s, u"deferred"_s,
                                     u"delivered"_s}));
        const auto c = store.timelineOfQueueId(u"QC"_s);
        QVERIFY(c.ok());
        QCOMPARE(c->message.status, TraceStatus::Deferred);
        QCOMPARE(c->message.rewrittenFrom, u"eve@warmsushi.example"_s);
        QCOMPARE(c->message.area, std::optional<Area>(Area::Outbound));
        QCOMPARE(c->message.tls, true);
        QCOMPARE(c->message.size, 1234);
        QVERIFY(!store.timelineOfQueueId(u"QX"_s).ok());
    }

    void searchesWithTheFullTextIndex()
    {
        fill();
        TraceStore store(m_db);
        QVERIFY(store.open().ok());
        QVERIFY(store.fullText());
        checkSearches(store);
    }

    // The same searches as LIKE scans: what a SQLite without FTS5 gets.
    void searchesWithoutTheFullTextIndex()
    {
        fill();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("drop"));
            db.setDatabaseName(m_db);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DROP TABLE trace_fts")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("drop"));
        TraceStore store(m_db);
        QVERIFY(store.open().ok());
        QVERIFY(!store.fullText());
        checkSearches(store);
    }

    void validateRefusesShortParts()
    {
        TraceQuery q;
        q.to = u"an"_s;
        QVERIFY(!TraceStore::validate(q).ok());
        QVERIFY(TraceStore::validate(q).error.contains(u"3 characters"_s));
        q.to = u"ann"_s;
        QVERIFY(TraceStore::validate(q).ok());
        q.messageId = u"<ab>"_s;
        QVERIFY(!TraceStore::validate(q).ok());
        q = {};
        q.since = kT0;
        q.until = kT0;
        QVERIFY(!TraceStore::validate(q).ok());
    }

    // The roll-ups the Overview reads equal counts of the rows themselves.
    void overviewEqualsTheRows()
    {
        fill();
        TraceStore store(m_db);
        QVERIFY(store.open().ok());
        const auto o = store.overview(kT0.addDays(-1), kT0.addDays(1));
        QVERIFY2(o.ok(), qPrintable(o.error));
        QMap<QString, qint64> fromRollup;
        for (const auto &b : o->perHour)
            fromRollup[b.hour.toString(Qt::ISODate) + u'/' + (b.area ? areaKey(*b.area) : QString()) + u'/'
                       + traceStatusKey(b.status)] += b.messages;
        QMap<QString, qint64> fromRows;
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
        db.setDatabaseName(m_db);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT time / 3600000, coalesce(area, ''), status, count(*) FROM "
                                          "trace_messages GROUP BY 1, 2, 3")));
            while (q.next())
                fromRows[QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong() * 3600000, Qt::UTC).toString(Qt::ISODate)
                         + u'/' + q.value(1).toString() + u'/' + q.value(2).toString()] += q.value(3).toLongLong();
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("count"));
        QCOMPARE(fromRollup, fromRows);
        // Queue: QC (deferred) is the one left at the end; QA and QB left.
        QVERIFY(!o->queueDepth.isEmpty());
        QCOMPARE(o->queueDepth.last().queued, 1);
        // Top target domains: drypizza (3 recipients), partner (1).
        QCOMPARE(o->topTargetDomains.size(), 2);
        QCOMPARE(o->topTargetDomains.at(0).domain, u"drypizza.example"_s);
        QCOMPARE(o->topTargetDomains.at(0).recipients, 3);
        // Cut-over: warmsushi.example, 1 by the user rule, 2 by the domain rule.
        QCOMPARE(o->inboundCutOver.size(), 1);
        QCOMPARE(o->inboundCutOver.at(0).domain, u"warmsushi.example"_s);
        QCOMPARE(o->inboundCutOver.at(0).byUserRule, 1);
        QCOMPARE(o->inboundCutOver.at(0).byDomainRule, 2);
    }

    void pruneRemovesOldMessages()
    {
        fill();
        TraceStore store(m_db);
        QVERIFY(store.open().ok());
        const auto removed = store.prune(kT0.addSecs(3000)); // QA and QB are older
        QVERIFY2(removed.ok(), qPrintable(removed.error));
        QCOMPARE(*removed, 2);
        const auto rest = store.search(TraceQuery{});
        QVERIFY(rest.ok());
        QCOMPARE(queueIds(*rest), (QStringList{u"-"_s, u"QC"_s}));
        TraceQuery q;
        q.to = u"ann@warmsushi"_s;
        QCOMPARE(store.search(q)->size(), 0);
    }

    void headersOfAMessage()
    {
        const TraceHeaders h = traceHeadersOf(
            "Received: from x\r\nMessage-ID:\r\n <abc.123@example.org>\r\n"
            "Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?iso-8859-1?q?_und_mehr?=\r\n plain\r\n\r\nSubject: body\r\n");
        QCOMPARE(h.messageId, u"abc.123@example.org"_s);
        QCOMPARE(h.subject, u"Grüße und mehr plain"_s);
    }
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "tst_tracestore.moc"
