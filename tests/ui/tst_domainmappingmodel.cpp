// DomainMappingModel: passes QAbstractItemModelTester, checks rows, and edits
// in place only with valid, unique values.
#include "tests/ui/uitest.h"
#include "ui/domainmappingmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestDomainMappingModel final : public QObject
{
    Q_OBJECT
private slots:
    void passesModelTester()
    {
        TempDb db;
        QVERIFY(db.ok());
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"@old.example"_s, u"@new.example"_s).ok());
        DomainMappingModel model(db.store(), Area::Inbound);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reload();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Original Email Domain"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"Redirected Email Domain"_s);
        // Sorted by source, shown with the leading '@'.
        QCOMPARE(model.index(0, 0).data().toString(), u"@old.example"_s);
        QCOMPARE(model.index(1, 1).data().toString(), u"@drypizza.com"_s);
        // Another process adds one: a reload brings it.
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"a.example"_s, u"b.example"_s).ok());
        model.reload();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, 0).data().toString(), u"@a.example"_s);
    }

    void checkBoxesSurviveReload()
    {
        TempDb db;
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"a.example"_s, u"b.example"_s).ok());
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"c.example"_s, u"d.example"_s).ok());
        DomainMappingModel model(db.store(), Area::Relay);
        model.reload();
        QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsUserCheckable);
        QVERIFY(!(model.flags(model.index(0, 1)) & Qt::ItemIsUserCheckable));
        QVERIFY(model.setData(model.index(1, 0), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(model.index(1, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QCOMPARE(model.checkedSources(), QStringList{u"c.example"_s});
        QVERIFY(db.store()->addDomainMapping(Area::Relay, u"b0.example"_s, u"x.example"_s).ok());
        model.reload();
        QCOMPARE(model.checkedSources(), QStringList{u"c.example"_s});
        QVERIFY(db.store()->removeDomainMappings(Area::Relay, {u"c.example"_s}).ok());
        model.reload();
        QVERIFY(model.checkedSources().isEmpty());
    }

    void editsInPlaceWithValidation()
    {
        TempDb db;
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(db.store()->addDomainMapping(Area::Inbound, u"old.example"_s, u"new.example"_s).ok());
        DomainMappingModel model(db.store(), Area::Inbound);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reload();
        QSignalSpy failed(&model, &DomainMappingModel::editFailed);
        QSignalSpy edited(&model, &DomainMappingModel::edited);
        const int row = model.index(1, 0).data().toString() == u"@warmsushi.com"_s ? 1 : 0;

        // A new target, typed without '@' and in capitals: stored normalised.
        QVERIFY(model.setData(model.index(row, 1), u"Cold-Pizza.EXAMPLE"_s));
        QCOMPARE(edited.size(), 1);
        QCOMPARE(db.store()->domainMappings(Area::Inbound).at(row).target, u"cold-pizza.example"_s);
        QCOMPARE(model.index(row, 1).data().toString(), u"@cold-pizza.example"_s);

        // Invalid, duplicate and self-mapping are refused with a reason; nothing changes.
        QVERIFY(!model.setData(model.index(row, 1), u"not a domain"_s));
        QVERIFY(!model.setData(model.index(row, 0), u"@old.example"_s));
        QVERIFY(!model.setData(model.index(row, 0), u"cold-pizza.example"_s));
        QCOMPARE(failed.size(), 3);
        QVERIFY(failed.at(1).at(0).toString().contains(u"already exists"_s));
        QCOMPARE(db.store()->domainMappings(Area::Inbound).size(), 2);
        QCOMPARE(db.store()->domainMappings(Area::Inbound).at(row).source, u"warmsushi.com"_s);

        // The edit is a change to push.
        QVERIFY(!db.store()->pendingDiff().isEmpty());
    }
};

MAILROUTE_GUI_TEST_MAIN(TestDomainMappingModel)
#include "tst_domainmappingmodel.moc"
