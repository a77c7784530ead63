// The message trace store (issue 14): events written the way the relay's log
// thread writes them (ConfigStore::appendMessageEvents with TraceIngest in the
// same transaction), read back through TraceStore: the query builder with the
// FTS5 trigram index and with its LIKE fallback, timelines, the overview's
// roll-ups against counts of the rows, and retention.
#include "relaycore/message/traceheaders.h"
#include "relaycore/store/configstore.h"
#include "relaycore/trace/traceingest.h"
#include "relaycore/trace/tracestore.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kT0(QDate(2026, 11, 2), QTime(9, 15), Qt::UTC);

MessageLogEntry ev(const QDateTime &t, const QString &queueId, const QString &event, QVariantMap f,
                   std::optional<Area> area = std::nullopt)
{
    return MessageLogEntry{
        0, t, queueId, messageEventFromName(event).value_or(MessageEvent::Other), area, std::move(f)};
}

QVariantMap received(const QString &from, const QString &to, const QString &finals, const QString &messageId,
                     const QString &subject)
{
    return {{QStringLiteral("client"), QStringLiteral("192.0.2.7")},
            {QStringLiteral("helo"), QStringLiteral("mx.example")},
            {QStringLiteral("from"), from},
            {QStringLiteral("to"), to},
            {QStringLiteral("recipients"), finals},
            {QStringLiteral("size"), 1234},
            {QStringLiteral("tls"), true},
            {QStringLiteral("message_id"), messageId},
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

// A day of traffic as the relay logs it, in log order: messages with one to
// three recipients through Inbound rules (some logged with another letter
// case), Outbound sender rules or none; deliveries, deferrals with a later
// retry, bounces, a delivery to a recipient named differently, refusals with
// and without a queue id, a received logged twice, events of unknown queue ids
// and events the trace only notes.
QList<MessageLogEntry> traffic(int messages)
{
    QRandomGenerator rng(14);
    struct Timed
    {
        qint64 ms;
        int seq;
        MessageLogEntry e;
    };
    std::vector<Timed> all;
    int seq = 0;
    auto add = [&](qint64 ms, const QString &queueId, const QString &event, QVariantMap f,
                   std::optional<Area> area = std::nullopt) {
        all.push_back({ms, seq++, ev(kT0.addMSecs(ms), queueId, event, std::move(f), area)});
    };
    for (int i = 0; i < messages; ++i) {
        const qint64 t = qint64(i) * 7000 + rng.bounded(5000);
        const QString q = u"Q%1"_s.arg(i);
        const quint32 kind = rng.bounded(10u);
        if (kind == 0) {
            add(t, {}, u"refused"_s,
                {{u"client"_s, u"198.51.100.%1"_s.arg(i % 200)},
                 {u"from"_s, u"spam%1@bad.example"_s.arg(i)},
                 {u"to"_s, u"someone%1@warmsushi.example"_s.arg(i)},
                 {u"reason"_s, u"550 5.7.1 no"_s}});
            continue;
        }
        const bool outbound = kind == 1;
        const bool plain = kind == 2;
        const int n = 1 + int(rng.bounded(3u));
        QStringList originals, finals;
        QList<std::pair<QString, QString>> rewrites;
        for (int r = 0; r < n; ++r) {
            const QString user = u"user%1.%2"_s.arg(i).arg(r);
            if (outbound || plain) {
                originals << u"%1@partner%2.example"_s.arg(user).arg(i % 7);
                finals << originals.last();
            } else {
                originals << u"%1@WarmSushi.example"_s.arg(user);
                finals << u"%1@drypizza.example"_s.arg(user);
                rewrites << std::pair{rng.bounded(2u) ? originals.last() : originals.last().toLower(),
                                      finals.last()};
            }
        }
        QVariantMap f{
            {u"client"_s, u"192.0.2.%1"_s.arg(i % 250)},
            {u"helo"_s, u"mx%1.example"_s.arg(i % 5)},
            {u"from"_s, outbound ? u"staff%1@drypizza.example"_s.arg(i % 9) : u"s%1@sender.example"_s.arg(i)},
            {u"to"_s, originals.join(u", "_s)},
            {u"recipients"_s, finals.join(u", "_s)},
            {u"size"_s, 1000 + int(rng.bounded(9000u))},
            {u"tls"_s, rng.bounded(2u) == 1},
            {u"subject"_s, u"Report %1"_s.arg(i % 13)}};
        if (i % 4)
            f.insert(u"message_id"_s, u"<m%1@sender.example>"_s.arg(i));
        add(t, q, u"received"_s, f);
        if (i % 50 == 3)
            add(t, q, u"received"_s, f); // logged twice
        if (outbound)
            add(t, q, u"rewritten"_s,
                {{u"scope"_s, u"envelope sender"_s},
                 {u"from"_s, f.value(u"from"_s)},
                 {u"to"_s, u"staff%1@warmsushi.example"_s.arg(i % 9)},
                 {u"match"_s, u"user"_s}},
                Area::Outbound);
        for (const auto &[from, to] : std::as_const(rewrites))
            add(t, q, u"rewritten"_s,
                {{u"scope"_s, u"envelope recipient"_s},
                 {u"from"_s, from},
                 {u"to"_s, to},
                 {u"match"_s, rng.bounded(2u) ? u"user"_s : u"domain"_s},
                 {u"rule"_s, u"rule %1"_s.arg(i % 3)}},
                Area::Inbound);
        if (i % 40 == 5) {
            add(t + 10, q, u"refused"_s, {{u"reason"_s, u"554 5.7.1 content"_s}});
            continue;
        }
        for (int r = 0; r < n; ++r) {
            const qint64 d = t + 500 + rng.bounded(60000u);
            const quint32 s = rng.bounded(100u);
            const QString to = n == 1 && i % 17 == 0 ? u"other%1@drypizza.example"_s.arg(i) : finals.at(r);
            if (s < 75) {
                add(d, q, u"delivered"_s,
                    {{u"to"_s, to}, {u"relay"_s, u"mx.example:25"_s}, {u"reply"_s, u"250 ok"_s}});
            } else if (s < 90) {
                add(d, q, u"deferred"_s,
                    {{u"to"_s, to},
                     {u"reason"_s, u"451 later"_s},
                     {u"attempts"_s, 1},
                     {u"next_attempt"_s, kT0.addMSecs(d + 300000).toString(Qt::ISODate)}});
                if (s < 85)
                    add(d + 300000, q, u"delivered"_s,
                        {{u"to"_s, to.toUpper()}, {u"reply"_s, u"250 later"_s}});
            } else if (s < 97) {
                add(d, q, u"bounced"_s,
                    {{u"to"_s, to},
                     {u"relay"_s, u"mx.example:25"_s},
                     {u"reason"_s, u"550 unknown"_s},
                     {u"dsn"_s, s % 2 ? u"D%1"_s.arg(i) : u"none (null sender)"_s}});
            } else {
                add(d, q, u"delay_notice"_s, {{u"to"_s, to}});
            }
        }
        if (i % 30 == 7)
            add(t + 200, u"QX%1"_s.arg(i), u"delivered"_s, {{u"to"_s, u"x@y.example"_s}}); // not traced
    }
    std::stable_sort(all.begin(), all.end(), [](const Timed &a, const Timed &b) { return a.ms < b.ms; });
    QList<MessageLogEntry> out;
    for (const Timed &x : all)
        out << x.e;
    return out;
}

// Every row of the trace tables, values quoted as SQLite stores them (roll-up
// rows that sum to nothing left out: a split batch may leave them).
QStringList dumpTrace(const QString &path)
{
    QStringList out;
    const QString name = u"dump-%1"_s.arg(path);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (!db.open())
            return {u"cannot open"_s};
        const QList<std::pair<QString, QString>> tables{
            {u"trace_messages"_s, u""_s},
            {u"trace_recipients"_s, u""_s},
            {u"trace_hourly"_s, u"WHERE messages <> 0"_s},
            {u"trace_queue_hourly"_s, u"WHERE entered <> 0 OR left <> 0"_s},
            {u"trace_route_hourly"_s, u"WHERE recipients <> 0"_s},
            {u"trace_fts"_s, u""_s}};
        for (const auto &[table, where] : tables) {
            QStringList columns;
            QSqlQuery info(db);
            info.exec(u"PRAGMA table_info(%1)"_s.arg(table));
            while (info.next())
                columns << u"quote(%1)"_s.arg(info.value(1).toString());
            if (table == u"trace_fts"_s)
                columns.prepend(u"rowid"_s);
            QSqlQuery q(db);
            if (!q.exec(u"SELECT %1 FROM %2 %3"_s.arg(columns.join(u" || '|' || "_s), table, where)))
                return {u"cannot read %1"_s.arg(table)};
            QStringList rows;
            while (q.next())
                rows << table + u": "_s + q.value(0).toString();
            rows.sort();
            out << rows;
        }
    }
    QSqlDatabase::removeDatabase(name);
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
        const auto r =
            store.appendMessageEvents(events, [&](QSqlDatabase &db) { return ingest.apply(db, events); });
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
               {{u"scope"_s, u"envelope recipient"_s},
                {u"from"_s, u"ann@warmsushi.example"_s},
                {u"to"_s, u"ann.lee@drypizza.example"_s},
                {u"rule"_s, u"ann@warmsushi.example -> ann.lee@drypizza.example"_s},
                {u"match"_s, u"user"_s}},
               Area::Inbound),
            ev(kT0.addSecs(2), u"QA"_s, u"delivered"_s,
               {{u"to"_s, u"ann.lee@drypizza.example"_s},
                {u"relay"_s, u"127.0.0.1:25"_s},
                {u"reply"_s, u"250 ok"_s}}),
            ev(kT0.addSecs(60), u"QB"_s, u"received"_s,
               received(u"bob@outside.example"_s, u"carl@warmsushi.example, dora@warmsushi.example"_s,
                        u"carl@drypizza.example, dora@drypizza.example"_s, u"msg-b-2@outside.example"_s,
                        u"Hello"_s)),
            ev(kT0.addSecs(60), u"QB"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope recipient"_s},
                {u"from"_s, u"carl@warmsushi.example"_s},
                {u"to"_s, u"carl@drypizza.example"_s},
                {u"match"_s, u"domain"_s}},
               Area::Inbound),
            ev(kT0.addSecs(60), u"QB"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope recipient"_s},
                {u"from"_s, u"dora@warmsushi.example"_s},
                {u"to"_s, u"dora@drypizza.example"_s},
                {u"match"_s, u"domain"_s}},
               Area::Inbound),
            ev(kT0.addSecs(61), u"QB"_s, u"bounced"_s,
               {{u"to"_s, u"carl@drypizza.example"_s},
                {u"relay"_s, u"127.0.0.1:25"_s},
                {u"reason"_s, u"550 no such user"_s},
                {u"dsn"_s, u"QDSN"_s}}),
            ev(kT0.addSecs(61), u"QB"_s, u"deferred"_s,
               {{u"to"_s, u"dora@drypizza.example"_s},
                {u"relay"_s, u"127.0.0.1:25"_s},
                {u"reason"_s, u"451 later"_s},
                {u"attempts"_s, 1},
                {u"next_attempt"_s, kT0.addSecs(361).toString(Qt::ISODate)}}),
            ev(kT0.addSecs(3600), u"QC"_s, u"received"_s,
               received(u"eve@drypizza.example"_s, u"frank@partner.example"_s, u"frank@partner.example"_s, {},
                        u"Café au lait"_s)),
            ev(kT0.addSecs(3600), u"QC"_s, u"rewritten"_s,
               {{u"scope"_s, u"envelope sender"_s},
                {u"from"_s, u"eve@drypizza.example"_s},
                {u"to"_s, u"eve@warmsushi.example"_s},
                {u"match"_s, u"user"_s}},
               Area::Outbound),
            ev(kT0.addSecs(3601), u"QC"_s, u"deferred"_s,
               {{u"to"_s, u"frank@partner.example"_s},
                {u"reason"_s, u"connection refused"_s},
                {u"attempts"_s, 1}}),
            ev(kT0.addSecs(3700), {}, u"refused"_s,
               {{u"client"_s, u"198.51.100.9"_s},
                {u"from"_s, u"spam@bad.example"_s},
                {u"to"_s, u"someone@partner.example"_s},
                {u"reason"_s, u"550 5.7.1 relay access denied"_s}}),
        });
        // A later batch: dora's retry succeeds.
        write({ev(kT0.addSecs(400), u"QB"_s, u"delivered"_s,
                  {{u"to"_s, u"dora@drypizza.example"_s},
                   {u"relay"_s, u"127.0.0.1:25"_s},
                   {u"reply"_s, u"250 ok"_s}})});
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
        QCOMPARE(ids([](TraceQuery &q) { q.address = u"partner.example"_s; }),
                 (QStringList{u"-"_s, u"QC"_s}));
        // Message-ID with or without <>, whole or a part.
        QCOMPARE(ids([](TraceQuery &q) { q.messageId = u"<msg-b-2@outside.example>"_s; }),
                 QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.messageId = u"msg-a"_s; }), QStringList{u"QA"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.subject = u"café"_s; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.queueId = u"QB"_s; }), QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.client = u"198.51.100.9"_s; }), QStringList{u"-"_s});
        // Status: the message's or any recipient's.
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Bounced; }), QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Delivered; }),
                 (QStringList{u"QA"_s, u"QB"_s}));
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Deferred; }), QStringList{u"QC"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.status = TraceStatus::Refused; }), QStringList{u"-"_s});
        // Period: since inclusive, until exclusive; criteria combine.
        QCOMPARE(ids([](TraceQuery &q) {
                     q.since = kT0.addSecs(60);
                     q.until = kT0.addSecs(3600);
                 }),
                 QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) {
                     q.to = u"drypizza"_s;
                     q.status = TraceStatus::Bounced;
                 }),
                 QStringList{u"QB"_s});
        QCOMPARE(ids([](TraceQuery &q) { q.area = Area::Outbound; }), QStringList{u"QC"_s});
        // A part with LIKE's wildcards is taken literally.
        QCOMPARE(ids([](TraceQuery &q) { q.to = u"%@%"_s; }), QStringList{});
        // Sort and paging.
        const auto page = find(store, [](TraceQuery &q) {
            q.limit = 2;
            q.offset = 1;
        });
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
        QCOMPARE(kinds, (QStringList{u"received"_s, u"rewritten"_s, u"rewritten"_s, u"bounced"_s,
                                     u"deferred"_s, u"delivered"_s}));
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
            fromRollup[b.hour.toString(Qt::ISODate) + u'/' + (b.area ? areaKey(*b.area) : QString()) + u'/' +
                       traceStatusKey(b.status)] += b.messages;
        QMap<QString, qint64> fromRows;
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
        db.setDatabaseName(m_db);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT time / 3600000, coalesce(area, ''), status, count(*) FROM "
                                          "trace_messages GROUP BY 1, 2, 3")));
            while (q.next())
                fromRows[QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong() * 3600000, Qt::UTC)
                             .toString(Qt::ISODate) +
                         u'/' + q.value(1).toString() + u'/' + q.value(2).toString()] +=
                    q.value(3).toLongLong();
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

    // The writer keeps the open messages in memory between batches and writes
    // a batch with multi-row statements: the rows must be the same as when
    // each batch reads them from the database (a new ingest per batch).
    // MAILROUTE_TRACE_DUMP=FILE writes the rows to FILE.whole and FILE.split,
    // to compare them with those of another version of the writer.
    void sameRowsHoweverTheEventsAreBatched()
    {
        const QList<MessageLogEntry> events = traffic(400);
        QVERIFY2(events.size() > 1500, qPrintable(QString::number(events.size())));
        auto writeAll = [&](const QString &path, qsizetype perBatch, bool oneIngest) {
            ConfigStore store(path);
            if (!store.open().ok())
                return QString(u"cannot open"_s);
            auto shared = std::make_unique<TraceIngest>();
            for (qsizetype from = 0; from < events.size(); from += perBatch) {
                const QList<MessageLogEntry> batch = events.mid(from, perBatch);
                auto fresh = std::make_unique<TraceIngest>();
                TraceIngest &ingest = oneIngest ? *shared : *fresh;
                const auto r = store.appendMessageEvents(
                    batch, [&](QSqlDatabase &db) { return ingest.apply(db, batch); });
                if (!r.ok())
                    return r.error;
            }
            return QString();
        };
        const QString whole = m_dir.filePath(u"whole%1.db"_s.arg(m_n));
        const QString split = m_dir.filePath(u"split%1.db"_s.arg(m_n));
        const QString fresh = m_dir.filePath(u"fresh%1.db"_s.arg(m_n));
        QCOMPARE(writeAll(whole, events.size(), true), QString());
        QCOMPARE(writeAll(split, 23, true), QString());
        QCOMPARE(writeAll(fresh, 23, false), QString());
        const QStringList a = dumpTrace(whole), b = dumpTrace(split), c = dumpTrace(fresh);
        QVERIFY(a.size() > 1500);
        QVERIFY(a.filter(u"trace_messages: "_s).size() > 350);
        QVERIFY(a.filter(u"'deferred'"_s).size() > 10);
        QVERIFY(a.filter(u"'other"_s).size() > 2); // the recipient named differently
        auto onlyIn = [](const QStringList &x, const QStringList &y) {
            QStringList out;
            for (const QString &row : x) {
                if (!y.contains(row))
                    out << row;
            }
            return out.join(u'\n');
        };
        QVERIFY2(c == b, qPrintable(onlyIn(c, b) + u"\n--\n"_s + onlyIn(b, c)));
        // (One batch and many differ where the trace depends on what a batch
        // holds: route roll-ups and full-text rows are made at its end.)
        QVERIFY(a != b);
        if (const QString path = qEnvironmentVariable("MAILROUTE_TRACE_DUMP"); !path.isEmpty()) {
            for (const auto &[suffix, rows] : {std::pair{u".whole"_s, a}, std::pair{u".split"_s, b}}) {
                QFile out(path + suffix); // to compare the rows with another version of the writer
                QVERIFY(out.open(QIODevice::WriteOnly));
                out.write(rows.join(u'\n').toUtf8());
            }
        }
    }

    // A message the writer keeps open in memory but that retention removed
    // meanwhile: its next events change nothing (no orphan rows).
    void openMessagePrunedMeanwhile()
    {
        ConfigStore store(m_db);
        QVERIFY(store.open().ok());
        TraceIngest ingest;
        auto write = [&](const QList<MessageLogEntry> &events) {
            const auto r =
                store.appendMessageEvents(events, [&](QSqlDatabase &db) { return ingest.apply(db, events); });
            return r.ok() ? QString() : r.error;
        };
        QCOMPARE(write({ev(kT0, u"QP"_s, u"received"_s,
                           received(u"a@outside.example"_s, u"b@warmsushi.example"_s,
                                    u"b@warmsushi.example"_s, u"p@outside.example"_s, u"Pruned"_s))}),
                 QString());
        {
            TraceStore trace(m_db);
            QVERIFY(trace.open().ok());
            const auto removed = trace.prune(kT0.addSecs(1));
            QVERIFY2(removed.ok(), qPrintable(removed.error));
            QCOMPARE(*removed, 1);
        }
        const QStringList before = dumpTrace(m_db);
        QCOMPARE(before.filter(u"trace_messages: "_s), QStringList{});
        QCOMPARE(before.filter(u"trace_recipients: "_s), QStringList{});
        QCOMPARE(before.filter(u"trace_fts: "_s), QStringList{});
        QCOMPARE(write({ev(kT0.addSecs(5), u"QP"_s, u"delivered"_s,
                           {{u"to"_s, u"b@warmsushi.example"_s}, {u"reply"_s, u"250 ok"_s}})}),
                 QString());
        QCOMPARE(dumpTrace(m_db), before);
    }

    void headersOfAMessage()
    {
        const TraceHeaders h =
            traceHeadersOf("Received: from x\r\nMessage-ID:\r\n <abc.123@example.org>\r\n"
                           "Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?iso-8859-1?q?_und_mehr?=\r\n "
                           "plain\r\n\r\nSubject: body\r\n");
        QCOMPARE(h.messageId, u"abc.123@example.org"_s);
        QCOMPARE(h.subject, u"Grüße und mehr plain"_s);
    }
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "tst_tracestore.moc"
