// The live message log: MessageLogModel (a bounded ring buffer that passes
// QAbstractItemModelTester), the rows MessageLogFeed makes of relay events in
// batches, and MessageLogFilter (area, kind, text).
#include "tests/ui/uitest.h"
#include "ui/messagelogfeed.h"
#include "ui/messagelogfilter.h"
#include "ui/messagelogmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

MessageLogRow row(int n, MessageLogKind kind = MessageLogKind::Delivered, quint8 areas = 0)
{
    MessageLogRow r;
    r.id = n;
    r.queueId = u"Q%1"_s.arg(n);
    r.kind = kind;
    r.event = u"delivered"_s;
    r.to = u"user%1@example.com"_s.arg(n);
    r.areas = areas;
    return r;
}

QList<MessageLogRow> rows(int from, int count)
{
    QList<MessageLogRow> out;
    for (int i = from; i < from + count; ++i)
        out << row(i);
    return out;
}

MessageLogEntry entry(const QString &queueId, const QString &event, std::optional<Area> area,
                      QVariantMap fields)
{
    MessageLogEntry e;
    e.time = QDateTime::currentDateTimeUtc();
    e.queueId = queueId;
    e.event = messageEventFromName(event).value_or(MessageEvent::Other);
    e.area = area;
    e.fields = std::move(fields);
    return e;
}

} // namespace

class TestMessageLogModel final : public QObject
{
    Q_OBJECT
private slots:
    void ringBufferKeepsTheNewest()
    {
        MessageLogModel model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int batch = 0; batch < 5; ++batch)
            model.append(rows(batch * 50, 50));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowAt(0).id, 150);
        QCOMPARE(model.rowAt(99).id, 249);
        QCOMPARE(model.index(0, MessageLogModel::QueueIdColumn).data().toString(), u"Q150"_s);
        QCOMPARE(model.index(99, MessageLogModel::ToColumn).data().toString(), u"user249@example.com"_s);
        // One removal per batch at most, never a reset.
        QCOMPARE(removed.size(), 3);
        // A batch bigger than the buffer keeps its newest rows only.
        model.append(rows(1000, 250));
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowAt(0).id, 1150);
        QCOMPARE(model.rowAt(99).id, 1249);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.append(rows(0, 3));
        QCOMPARE(model.rowAt(2).id, 2);
    }

    void feedBatchesAndLearnsAreas()
    {
        MessageLogFeed feed;
        QSignalSpy spy(&feed, &MessageLogFeed::rows);
        feed.add({entry(u"A1"_s, u"received"_s, std::nullopt,
                        {{u"from"_s, u"s@partner.example"_s},
                         {u"to"_s, u"chloe@warmsushi.com"_s},
                         {u"recipients"_s, u"chloe@drypizza.com"_s},
                         {u"size"_s, 1200},
                         {u"client"_s, u"192.0.2.7"_s}}),
                  entry(u"A1"_s, u"rewritten"_s, Area::Inbound,
                        {{u"scope"_s, u"envelope recipient"_s},
                         {u"from"_s, u"chloe@warmsushi.com"_s},
                         {u"to"_s, u"chloe@drypizza.com"_s},
                         {u"rule"_s, u"@warmsushi.com -> @drypizza.com"_s},
                         {u"match"_s, u"domain"_s}})});
        feed.add({entry(u"A1"_s, u"delivered"_s, std::nullopt,
                        {{u"to"_s, u"chloe@drypizza.com"_s},
                         {u"relay"_s, u"127.0.0.1:2525"_s},
                         {u"reply"_s, u"250 2.0.0 Ok"_s}})});
        // Nothing yet: rows leave in batches (about every 100 ms), not one by one.
        QCOMPARE(spy.size(), 0);
        QTRY_COMPARE(spy.size(), 1);
        const auto batch = spy.at(0).at(0).value<QList<MessageLogRow>>();
        QCOMPARE(batch.size(), 3);
        // The received line already knows its area (learned from the same batch).
        const quint8 inbound = MessageLogRow::areaBit(Area::Inbound);
        for (const MessageLogRow &r : batch)
            QCOMPARE(r.areas, inbound);
        QCOMPARE(batch.at(0).kind, MessageLogKind::Received);
        QCOMPARE(batch.at(0).rewrittenTo, u"chloe@drypizza.com"_s);
        QCOMPARE(batch.at(1).to, u"chloe@warmsushi.com"_s);
        QCOMPARE(batch.at(1).rewrittenTo, u"chloe@drypizza.com"_s);
        // What fired is in the Rule column (issue 12), not buried in Status.
        QCOMPARE(batch.at(1).rule, u"Inbound · domain rule · @warmsushi.com -> @drypizza.com"_s);
        QCOMPARE(batch.at(1).status, u"envelope recipient"_s);
        QCOMPARE(batch.at(2).nextHop, u"127.0.0.1:2525"_s);
        QCOMPARE(batch.at(2).status, u"250 2.0.0 Ok"_s);
    }

    // rewrite.recipient_headers unsigned: a header left alone reads as such,
    // with its reason, and files under the rewriting kind.
    void keptHeaderFieldsReadAsSuch()
    {
        const MessageLogRow kept =
            MessageLogRow::fromEntry(entry(u"A2"_s, u"kept"_s, std::nullopt,
                                           {{u"scope"_s, u"header To"_s},
                                            {u"address"_s, u"bob@warmsushi.com"_s},
                                            {u"would_be"_s, u"bob.owen@drypizza.com"_s},
                                            {u"reason"_s, u"covered by DKIM d=sender.example"_s}}),
                                     0);
        QCOMPARE(kept.kind, MessageLogKind::Rewritten);
        QCOMPARE(kept.to, u"bob@warmsushi.com"_s);
        QVERIFY(kept.rewrittenTo.isEmpty());
        QCOMPARE(kept.status, u"header To kept: covered by DKIM d=sender.example"_s);
        const MessageLogRow rewritten =
            MessageLogRow::fromEntry(entry(u"A3"_s, u"rewritten"_s, std::nullopt,
                                           {{u"scope"_s, u"header Cc"_s},
                                            {u"from"_s, u"chloe@warmsushi.com"_s},
                                            {u"to"_s, u"chloe@drypizza.com"_s},
                                            {u"reason"_s, u"no DKIM signature"_s}}),
                                     0);
        QCOMPARE(rewritten.rewrittenTo, u"chloe@drypizza.com"_s);
        QCOMPARE(rewritten.status, u"header Cc: no DKIM signature"_s);
    }

    // Issue 12: a refusal reads as one: the addresses, the reply and the
    // client; it files under Refused and shows in every area's view.
    void refusalsReadAsSuchInEveryArea()
    {
        const MessageLogRow r =
            MessageLogRow::fromEntry(entry({}, u"refused"_s, std::nullopt,
                                           {{u"client"_s, u"192.0.2.7"_s},
                                            {u"from"_s, u"s@partner.example"_s},
                                            {u"to"_s, u"x@elsewhere.example"_s},
                                            {u"reason"_s, u"550 5.7.1 Error: relay access denied"_s}}),
                                     0);
        QCOMPARE(r.kind, MessageLogKind::Refused);
        QCOMPARE(r.from, u"s@partner.example"_s);
        QCOMPARE(r.to, u"x@elsewhere.example"_s);
        QCOMPARE(r.client, u"192.0.2.7"_s);
        QCOMPARE(r.status, u"550 5.7.1 Error: relay access denied (client 192.0.2.7)"_s);

        MessageLogModel model(100);
        MessageLogFilter filter;
        filter.setSourceLog(&model);
        model.append({r, row(2, MessageLogKind::Delivered, 0)});
        for (Area a : {Area::Inbound, Area::Outbound, Area::Relay}) {
            filter.setArea(a);
            QCOMPARE(filter.rowCount(), 1); // the refusal, not the other area-less line
            QCOMPARE(filter.index(0, MessageLogModel::EventColumn).data().toString(), u"refused"_s);
        }
        filter.setArea(std::nullopt);
        filter.setKind(MessageLogKind::Refused);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(model.index(0, MessageLogModel::ToColumn).data(Qt::ToolTipRole).toString(),
                 u"x@elsewhere.example"_s);
    }

    void filterByAreaKindAndText()
    {
        MessageLogModel model(1000);
        MessageLogFilter filter;
        filter.setSourceLog(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const quint8 inbound = MessageLogRow::areaBit(Area::Inbound);
        const quint8 relay = MessageLogRow::areaBit(Area::Relay);
        model.append({row(1, MessageLogKind::Received, inbound), row(2, MessageLogKind::Delivered, inbound),
                      row(3, MessageLogKind::Bounced, relay), row(4, MessageLogKind::Deferred, 0),
                      row(5, MessageLogKind::Delivered, inbound | relay)});
        QCOMPARE(filter.rowCount(), 5);
        filter.setArea(Area::Inbound);
        QCOMPARE(filter.rowCount(), 3);
        filter.setKind(MessageLogKind::Delivered);
        QCOMPARE(filter.rowCount(), 2);
        filter.setText(u"5@EXAMPLE"_s);
        QCOMPARE(filter.rowCount(), 1);
        // New rows are filtered as they arrive.
        model.append(
            {row(15, MessageLogKind::Delivered, inbound), row(16, MessageLogKind::Received, inbound)});
        QCOMPARE(filter.rowCount(), 2);
        filter.setText({});
        filter.setKind(std::nullopt);
        filter.setArea(std::nullopt);
        QCOMPARE(filter.rowCount(), 7);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestMessageLogModel)
#include "tst_messagelogmodel.moc"
