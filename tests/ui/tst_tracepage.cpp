// The Trace page (issue 14, item 2): messages written through the trace
// store's write path (the message log) are found by their original address,
// their rewritten address, a part of an address and their Message-ID, with
// their timeline; columns show addresses whole; the CSV export, parsed back,
// has Google's Email Log Search columns; "Copy trace query" puts the
// Exchange Online and Google searches on the clipboard.
#include "tests/ui/tracetraffic.h"
#include "tests/ui/uitest.h"
#include "ui/backgroundstore.h"
#include "ui/columnfit.h"
#include "ui/traceexport.h"
#include "ui/tracepage.h"
#include "ui/traceresultmodel.h"

#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTextStream>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// RFC 4180 fields of one CSV file (quoted fields, doubled quotes, CRLF).
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\r') {
            continue;
        } else if (c == u'\n') {
            row << field;
            field.clear();
            rows << row;
            row.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

} // namespace

class TestTracePage final : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempDb> m_db;
    std::unique_ptr<BackgroundStore> m_background;
    TrafficMessage m_ann;

    bool searchFor(TracePage &page, const QString &address, const QString &messageId)
    {
        page.findChild<QLineEdit *>(u"traceAddress"_s)->setText(address);
        page.findChild<QLineEdit *>(u"traceMessageId"_s)->setText(messageId);
        QSignalSpy done(&page, &TracePage::searched);
        click(page.findChild<QPushButton *>(u"traceSearch"_s));
        return done.wait(10000) || done.count() > 0;
    }

private slots:
    void init()
    {
        m_db = std::make_unique<TempDb>();
        QVERIFY(m_db->ok());
        // Ann's message to Bob: Inbound, a user rule sends it to the new system.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_ann.time = now.addSecs(-3600);
        m_ann.queueId = u"A1B2C3D4E5"_s;
        m_ann.from = u"ann@partner.example"_s;
        m_ann.to = u"bob.with.a.rather.long.name@warmsushi.com"_s;
        m_ann.deliveredTo = u"bob.with.a.rather.long.name@drypizza.com"_s;
        m_ann.area = Area::Inbound;
        m_ann.match = u"user"_s;
        m_ann.status = TraceStatus::Delivered;
        m_ann.messageId = u"contract-2026-12@partner.example"_s;
        m_ann.subject = u"Contract, \"final\" version"_s;
        TrafficMessage other = m_ann;
        other.queueId = u"F6F7F8F9FA"_s;
        other.from = u"zed@elsewhere.example"_s;
        other.to = u"carl@coldsoup.example"_s;
        other.deliveredTo = other.to;
        other.area.reset();
        other.match = u"none"_s;
        other.status = TraceStatus::Deferred;
        other.messageId = u"lunch@elsewhere.example"_s;
        other.subject = u"Lunch"_s;
        QString error;
        QVERIFY2(writeTraffic(m_db->path(), {m_ann, other}, &error), qPrintable(error));
        m_background = std::make_unique<BackgroundStore>(m_db->path());
    }

    void cleanup()
    {
        m_background.reset();
        m_db.reset();
    }

    void findsByEveryKindOfAddressAndMessageId()
    {
        TracePage page(m_background.get());
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // The original address, the rewritten one, a part, the Message-ID.
        const std::pair<QString, QString> searches[] = {
            {m_ann.to, QString()},
            {m_ann.deliveredTo, QString()},
            {u"drypiz"_s, QString()},
            {QString(), m_ann.messageId},
        };
        for (const auto &[address, id] : searches) {
            QVERIFY(searchFor(page, address, id));
            QVERIFY2(page.results()->rowCount() == 1, qPrintable(u"%1 / %2: %3 row(s); %4"_s.arg(address, id)
                                                                     .arg(page.results()->rowCount())
                                                                     .arg(page.summaryText())));
            const TraceMessage &m = page.results()->message(0);
            QCOMPARE(m.queueId, m_ann.queueId);
            QCOMPARE(page.results()->text(0, TraceResultModel::ToSent), m_ann.to);
            QCOMPARE(page.results()->text(0, TraceResultModel::ToDelivered), m_ann.deliveredTo);
            QCOMPARE(page.results()->text(0, TraceResultModel::Status), u"Delivered"_s);
            QCOMPARE(page.results()->text(0, TraceResultModel::AreaColumn), u"Inbound"_s);
        }
        // A single result is chosen: its timeline, oldest first.
        QTRY_VERIFY(!page.isLoadingTimeline());
        QTRY_VERIFY(page.timelineView()->topLevelItemCount() >= 3);
        QTreeWidget *timeline = page.timelineView();
        QStringList kinds;
        for (int i = 0; i < timeline->topLevelItemCount(); ++i)
            kinds << timeline->topLevelItem(i)->text(1);
        QCOMPARE(kinds.first(), u"received"_s);
        QVERIFY2(kinds.contains(u"rewritten"_s), qPrintable(kinds.join(u',')));
        QCOMPARE(kinds.last(), u"delivered"_s);
        QVERIFY2(page.detailText().contains(m_ann.messageId), qPrintable(page.detailText()));
        QVERIFY2(page.detailText().contains(m_ann.deliveredTo), qPrintable(page.detailText()));

        // Whole addresses: every column at least as wide as its text.
        QHeaderView *header = page.resultView()->horizontalHeader();
        const QFontMetrics metrics(page.resultView()->font());
        for (int c :
             {int(TraceResultModel::From), int(TraceResultModel::ToSent), int(TraceResultModel::ToDelivered)})
            QVERIFY(header->sectionSize(c) >=
                    ColumnFit::widthFor(header, metrics, page.results()->text(0, c)));

        // Nothing for an unknown address; a part of two characters is refused.
        QVERIFY(searchFor(page, u"nobody@nowhere.example"_s, QString()));
        QCOMPARE(page.results()->rowCount(), 0);
        QVERIFY(searchFor(page, u"dr"_s, QString()));
        QCOMPARE(page.results()->rowCount(), 0);

        // The status filter: the deferred message only.
        page.findChild<QComboBox *>(u"traceStatus"_s)->setCurrentIndex(2); // Deferred
        QVERIFY(searchFor(page, QString(), QString()));
        QCOMPARE(page.results()->rowCount(), 1);
        QCOMPARE(page.results()->message(0).queueId, u"F6F7F8F9FA"_s);
    }

    void exportsGoogleColumnsAndCopiesTheTraceQuery()
    {
        TracePage page(m_background.get());
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(searchFor(page, QString(), QString()));
        QCOMPARE(page.results()->rowCount(), 2);

        // Export: the save dialog, a file name typed, the CSV read back.
        click(page.findChild<QPushButton *>(u"traceExport"_s));
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<QFileDialog>(&page, u"traceExportDialog"_s)));
        const QString path = m_db->filePath(u"trace.csv"_s);
        QVERIFY(chooseFile(dialog, path));
        QTRY_VERIFY(QFile::exists(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(file.readAll()));
        QCOMPARE(rows.size(), 3);
        const QStringList google = {u"Message ID"_s,  u"Start date"_s,   u"End date"_s,
                                    u"Sender"_s,      u"Message size"_s, u"Subject"_s,
                                    u"Direction"_s,   u"Attachments"_s,  u"Recipient address"_s,
                                    u"Event target"_s};
        QCOMPARE(rows.at(0).mid(0, google.size()), google);
        QCOMPARE(rows.at(0), TraceExport::googleColumns() + TraceExport::mailRouteColumns());
        const QStringList *ann = nullptr;
        for (const QStringList &r : rows) {
            if (r.value(0) == m_ann.messageId)
                ann = &r;
        }
        QVERIFY(ann);
        QCOMPARE(ann->size(), rows.at(0).size());
        QCOMPARE(ann->at(3), m_ann.from);
        QCOMPARE(ann->at(5), m_ann.subject); // a comma and quotes survive
        QCOMPARE(ann->at(6), u"Received"_s);
        QCOMPARE(ann->at(8), m_ann.to);
        QCOMPARE(ann->at(9), u"SMTP_OUT"_s);
        QCOMPARE(ann->at(10), m_ann.deliveredTo);
        QCOMPARE(ann->at(11), u"delivered"_s);
        QCOMPARE(QDateTime::fromString(ann->at(1), Qt::ISODate).toSecsSinceEpoch(),
                 m_ann.time.toSecsSinceEpoch());

        // Copy trace query, for Ann's message.
        for (int r = 0; r < page.results()->rowCount(); ++r) {
            if (page.results()->message(r).queueId == m_ann.queueId)
                page.selectRow(r);
        }
        auto *copy = page.findChild<QPushButton *>(u"traceCopyQuery"_s);
        QTRY_VERIFY(copy->isEnabled());
        QApplication::clipboard()->clear();
        click(copy);
        const QString text = QApplication::clipboard()->text();
        QVERIFY2(text.contains(
                     u"Get-MessageTraceV2 -MessageId \"<contract-2026-12@partner.example>\" -StartDate \""_s),
                 qPrintable(text));
        QVERIFY2(text.contains(u"Email log search"_s) &&
                     text.contains(u"Message ID contract-2026-12@partner.example"_s),
                 qPrintable(text));
        // The cmdlet's window holds the message's time (at most 10 days).
        const QDateTime start =
            QDateTime::fromString(text.section(u"-StartDate \""_s, 1).section(u'"', 0, 0), Qt::ISODate);
        const QDateTime end =
            QDateTime::fromString(text.section(u"-EndDate \""_s, 1).section(u'"', 0, 0), Qt::ISODate);
        QVERIFY(start.isValid() && end.isValid());
        QVERIFY(start <= m_ann.time && m_ann.time <= end);
        QVERIFY(start.daysTo(end) <= 10);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestTracePage)
#include "tst_tracepage.moc"
