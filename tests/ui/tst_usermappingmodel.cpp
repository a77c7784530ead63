// UserMappingModel: a windowed cache over the store's pages. Passes
// QAbstractItemModelTester, shows every row at the right place whatever the
// scroll position, keeps only a bounded number of pages, sorts, filters, and
// edits in place with validation.
#include "tests/ui/uitest.h"
#include "ui/backgroundstore.h"
#include "ui/usermappingmodel.h"

#include "relaycore/csv/usercsvcodec.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// user00000@warmsushi.com -> first.00000@drypizza.com, ... sorted by source.
bool fill(ConfigStore *store, int n)
{
    QList<UserMapping> rows;
    rows.reserve(n);
    for (int i = 0; i < n; ++i)
        rows.append({u"user%1@warmsushi.com"_s.arg(i, 5, 10, QLatin1Char('0')),
                     u"first.%1@drypizza.com"_s.arg(n - 1 - i, 5, 10, QLatin1Char('0'))});
    const ImportPlan plan = store->planImport(Area::Inbound, UserCsvCodec::write(rows));
    return plan.ok() && store->applyImport(plan).ok();
}

} // namespace

class TestUserMappingModel final : public QObject
{
    Q_OBJECT
private slots:
    void passesModelTesterAndPagesRows()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(fill(db.store(), 3000));
        UserMappingModel model(db.store(), Area::Inbound);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The whole list is there at once; no fetchMore needed to reach the end.
        QCOMPARE(model.rowCount(), 3000);
        QCOMPARE(model.totalCount(), 3000);
        QCOMPARE(model.index(0, 0).data().toString(), u"user00000@warmsushi.com"_s);
        QCOMPARE(model.index(2999, 0).data().toString(), u"user02999@warmsushi.com"_s);
        QCOMPARE(model.index(1234, 1).data().toString(), u"first.01765@drypizza.com"_s);
        // Reading every row in order (each page after the first is read from
        // the last key of the page before) gives every row at its place, and
        // keeps only a bounded window of pages.
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, 0).data().toString(),
                     u"user%1@warmsushi.com"_s.arg(row, 5, 10, QLatin1Char('0')));
        QVERIFY(model.cachedPages() <= UserMappingModel::kMaxCachedPages);
        QVERIFY(model.cachedPages() >= 1);
    }

    // Scrolling on through a filtered list with the pager, and after the
    // cache was dropped halfway: keyset pages and offset pages agree.
    void sequentialPagesAgreeWithOffsets()
    {
        TempDb db;
        QVERIFY(fill(db.store(), 4000));
        UserMappingModel model(db.store(), Area::Inbound);
        BackgroundStore pager(db.path());
        model.setPager(&pager);
        model.setFilter(u"user01"_s); // user01000 .. user01999
        QTRY_COMPARE(model.rowCount(), 1000);
        for (int row = 0; row < 1000; ++row) {
            if (row == 600)
                model.reload(); // pages dropped: row 600 starts from an offset again
            QTRY_COMPARE(model.index(row, 0).data().toString(),
                         u"user%1@warmsushi.com"_s.arg(1000 + row, 5, 10, QLatin1Char('0')));
        }
        const QList<UserMapping> byOffset = db.store()->userMappings(Area::Inbound, 512, 256, u"user01"_s);
        QCOMPARE(model.mappingAt(512)->source, byOffset.first().source);
        QCOMPARE(model.mappingAt(767)->target, byOffset.last().target);
    }

    void sortsAndFilters()
    {
        TempDb db;
        QVERIFY(fill(db.store(), 1000));
        UserMappingModel model(db.store(), Area::Inbound);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.sort(UserMappingModel::SourceColumn, Qt::DescendingOrder);
        QCOMPARE(model.index(0, 0).data().toString(), u"user00999@warmsushi.com"_s);
        QCOMPARE(model.index(999, 0).data().toString(), u"user00000@warmsushi.com"_s);
        model.sort(UserMappingModel::TargetColumn, Qt::AscendingOrder);
        QCOMPARE(model.index(0, 1).data().toString(), u"first.00000@drypizza.com"_s);
        QCOMPARE(model.index(0, 0).data().toString(), u"user00999@warmsushi.com"_s);
        model.sort(UserMappingModel::SourceColumn, Qt::AscendingOrder);

        model.setFilter(u"user0001"_s);
        QCOMPARE(model.rowCount(), 10); // user00010 .. user00019
        QCOMPARE(model.filteredCount(), 10);
        QCOMPARE(model.totalCount(), 1000);
        QCOMPARE(model.index(9, 0).data().toString(), u"user00019@warmsushi.com"_s);
        model.setFilter({});
        QCOMPARE(model.rowCount(), 1000);
    }

    void checksAndEdits()
    {
        TempDb db;
        QVERIFY(fill(db.store(), 50));
        UserMappingModel model(db.store(), Area::Inbound);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &UserMappingModel::editFailed);
        QVERIFY(model.setData(model.index(3, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.setData(model.index(7, 0), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.checkedSources(),
                 (QStringList{u"user00003@warmsushi.com"_s, u"user00007@warmsushi.com"_s}));

        // Target edit: stored, shown, the row stays where it is.
        QVERIFY(model.setData(model.index(3, 1), u"Bob.Owen@DryPizza.com"_s));
        QCOMPARE(model.index(3, 1).data().toString(), u"Bob.Owen@drypizza.com"_s);
        QCOMPARE(db.store()->userMappings(Area::Inbound, 3, 1).at(0).target, u"Bob.Owen@drypizza.com"_s);

        // Source edit: the row moves to its sorted place; its check mark follows it.
        QVERIFY(model.setData(model.index(7, 0), u"zed@warmsushi.com"_s));
        QCOMPARE(model.index(49, 0).data().toString(), u"zed@warmsushi.com"_s);
        QVERIFY(model.checkedSources().contains(u"zed@warmsushi.com"_s));

        // Refused: not an address, or the source of another row.
        QVERIFY(!model.setData(model.index(0, 1), u"bob@"_s));
        QVERIFY(!model.setData(model.index(0, 0), u"user00001@warmsushi.com"_s));
        QCOMPARE(failed.size(), 2);
        QCOMPARE(db.store()->userCount(Area::Inbound), 50);
        QCOMPARE(model.index(0, 0).data().toString(), u"user00000@warmsushi.com"_s);
    }

    void pagerReadsOffTheGuiThread()
    {
        TempDb db;
        QVERIFY(fill(db.store(), 5000));
        UserMappingModel model(db.store(), Area::Inbound);
        BackgroundStore pager(db.path());
        model.setPager(&pager);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // Not read yet: blank, and asked for.
        QVERIFY(!model.index(4000, 0).data().isValid());
        QTRY_COMPARE(model.index(4000, 0).data().toString(), u"user04000@warmsushi.com"_s);
        QVERIFY(!changed.isEmpty());
        // The row being there says nothing of the other pages the tester asked
        // for: wait for the pager to be idle itself, not for one answer.
        QTRY_VERIFY(!model.isLoading());
        // A fast drag over the list: only the last few places are read.
        for (int row = 0; row < 5000; row += 50)
            (void)model.index(row, 1).data();
        QTRY_VERIFY(!model.isLoading());
        QVERIFY(model.cachedPages() <= 1 + UserMappingModel::kMaxWantedPages + 1);
        QCOMPARE(model.index(4950, 1).data().toString(), u"first.00049@drypizza.com"_s);
        // Edits read what they change at once (mappingAt waits).
        QCOMPARE(model.mappingAt(123)->source, u"user00123@warmsushi.com"_s);
        // Another process edits: the old rows stay shown until read again.
        ConfigStore other(db.path());
        QVERIFY(other.open().ok());
        QVERIFY(other
                    .updateUserMapping(Area::Inbound, u"user04950@warmsushi.com"_s,
                                       u"user04950@warmsushi.com"_s, u"moved@drypizza.com"_s)
                    .ok());
        model.reload();
        QCOMPARE(model.index(4950, 1).data().toString(), u"first.00049@drypizza.com"_s);
        QTRY_COMPARE(model.index(4950, 1).data().toString(), u"moved@drypizza.com"_s);
        // Filtering counts on the pager's thread too; the rows follow.
        model.setFilter(u"user0004"_s);
        QTRY_COMPARE(model.rowCount(), 10);
        QCOMPARE(model.filteredCount(), 10);
        QCOMPARE(model.totalCount(), 5000);
        QTRY_COMPARE(model.index(0, 0).data().toString(), u"user00040@warmsushi.com"_s);
    }

    void keepsRowsWhenAnotherProcessEdits()
    {
        TempDb db;
        QVERIFY(fill(db.store(), 20));
        UserMappingModel model(db.store(), Area::Inbound);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        ConfigStore other(db.path());
        QVERIFY(other.open().ok());
        QVERIFY(other
                    .updateUserMapping(Area::Inbound, u"user00005@warmsushi.com"_s,
                                       u"user00005@warmsushi.com"_s, u"moved@drypizza.com"_s)
                    .ok());
        model.reload();
        // Same number of rows: repainted, not reset (the view keeps its place).
        QCOMPARE(reset.size(), 0);
        QVERIFY(changed.size() >= 1);
        QCOMPARE(model.index(5, 1).data().toString(), u"moved@drypizza.com"_s);
        QVERIFY(other.addUserMapping(Area::Inbound, u"new@warmsushi.com"_s, u"new@drypizza.com"_s).ok());
        model.reload();
        QCOMPARE(model.rowCount(), 21);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestUserMappingModel)
#include "tst_usermappingmodel.moc"
