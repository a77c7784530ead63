// MappingDialog: validation as the user types (the engine's parser), a live
// example, duplicates and self-mappings refused before anything is stored.
#include "tests/ui/uitest.h"
#include "ui/mappingdialog.h"

#include <QLabel>
#include <QPushButton>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestMappingDialog final : public QObject
{
    Q_OBJECT
private slots:
    void domainValidatesAsYouType()
    {
        MappingDialog dialog(MappingDialog::Kind::Domain, Area::Inbound,
                             [](const QString &source) { return source == u"taken.example"_s; });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *source = dialog.findChild<QLineEdit *>(u"sourceEdit"_s);
        auto *target = dialog.findChild<QLineEdit *>(u"targetEdit"_s);
        auto *sourceError = dialog.findChild<QLabel *>(u"sourceError"_s);
        auto *targetError = dialog.findChild<QLabel *>(u"targetError"_s);
        auto *create = dialog.findChild<QPushButton *>(u"createButton"_s);
        auto *preview = dialog.findChild<QLabel *>(u"previewLabel"_s);
        QVERIFY(source && target && sourceError && targetError && create && preview);
        // Nothing typed: no error shouted, but nothing to create either.
        QVERIFY(!create->isEnabled());
        QVERIFY(sourceError->text().isEmpty());

        QTest::keyClicks(source, u"@warm sushi.com"_s);
        QVERIFY(!sourceError->text().isEmpty());
        QVERIFY(sourceError->text().startsWith(u"Not a valid domain"_s));
        QVERIFY(!create->isEnabled());

        typeInto(source, u"@WarmSushi.com"_s);
        QVERIFY(sourceError->text().isEmpty());
        QTest::keyClicks(target, u"drypizza.com"_s);
        QVERIFY(create->isEnabled());
        QCOMPARE(dialog.source(), u"warmsushi.com"_s);
        QCOMPARE(dialog.target(), u"drypizza.com"_s);
        QCOMPARE(preview->text(), u"Mail to chloe@warmsushi.com will go to chloe@drypizza.com."_s);

        // A domain that already has a rule is refused with a clear message.
        typeInto(source, u"taken.example"_s);
        QVERIFY(!sourceError->text().isEmpty());
        QVERIFY(sourceError->text().contains(u"already has a domain mapping in Inbound"_s));
        QVERIFY(!create->isEnabled());

        // So is a domain mapped to itself.
        typeInto(source, u"drypizza.com"_s);
        QVERIFY(!targetError->text().isEmpty());
        QVERIFY(!create->isEnabled());
    }

    void userMappingSubmitsAndShowsStoreRefusal()
    {
        MappingDialog dialog(MappingDialog::Kind::User, Area::Outbound,
                             [](const QString &) { return false; });
        QStringList submitted;
        dialog.setSubmit([&submitted](const QString &source, const QString &target) {
            submitted << source + u" -> "_s + target;
            return submitted.size() == 1 ? u"database is locked"_s : QString();
        });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *source = dialog.findChild<QLineEdit *>(u"sourceEdit"_s);
        auto *target = dialog.findChild<QLineEdit *>(u"targetEdit"_s);
        auto *create = dialog.findChild<QPushButton *>(u"createButton"_s);
        QTest::keyClicks(source, u"bob@"_s);
        QVERIFY(!create->isEnabled());
        QTest::keyClicks(source, u"warmsushi.com"_s);
        QTest::keyClicks(target, u"bob.owen@drypizza.com"_s);
        QVERIFY(create->isEnabled());
        QCOMPARE(dialog.findChild<QLabel *>(u"previewLabel"_s)->text(),
                 u"Mail from bob@warmsushi.com will leave as bob.owen@drypizza.com."_s);

        // The store refuses: the dialog stays open and says why.
        click(create);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.findChild<QLabel *>(u"sourceError"_s)->text(), u"database is locked"_s);
        click(create);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(submitted.size(), 2);
        QCOMPARE(submitted.at(1), u"bob@warmsushi.com -> bob.owen@drypizza.com"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestMappingDialog)
#include "tst_mappingdialog.moc"
