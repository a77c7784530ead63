// SettingsPage: every field is checked as the user types, with the reason
// under the field; only valid values are saved, in canonical form; routes are
// validated before they are stored.
#include "tests/ui/uitest.h"
#include "ui/infobanner.h"
#include "ui/settingspage.h"

#include "relaycore/config/settingsschema.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestSettingsPage final : public QObject
{
    Q_OBJECT
private slots:
    void everySettingHasAField()
    {
        TempDb db;
        SettingsPage page(db.store());
        for (const SettingDef &def : SettingsSchema::all()) {
            if (def.type == SettingType::Bool)
                QVERIFY2(page.checkField(def.key), qPrintable(def.key));
            else if (!def.choices.isEmpty()) // a fixed set of values: a combo box
                QVERIFY2(page.choiceField(def.key), qPrintable(def.key));
            else
                QVERIFY2(page.field(def.key), qPrintable(def.key));
            QVERIFY(page.fieldMessage(def.key));
        }
        QCOMPARE(page.field(u"relay.listen"_s)->text(), u"0.0.0.0:25"_s);
        // The header choices show the default and say what it does to signatures.
        QCOMPARE(page.choiceField(u"rewrite.recipient_headers"_s)->currentData().toString(), u"unsigned"_s);
        QVERIFY(page.fieldMessage(u"rewrite.recipient_headers"_s)
                    ->text()
                    .startsWith(u"unsigned: To and Cc are rewritten only when no valid DKIM signature"_s));
        QCOMPARE(page.choiceField(u"rewrite.sender_headers"_s)->currentData().toString(), u"yes"_s);
        QCOMPARE(page.choiceField(u"rewrite.recipient_headers"_s)->count(), 3);
        QVERIFY(!page.saveButton()->isEnabled()); // nothing changed yet
    }

    void invalidValuesAreExplainedAndNotSaved()
    {
        TempDb db;
        SettingsPage page(db.store());
        page.resize(900, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QLineEdit *listen = page.field(u"relay.listen"_s);
        QLabel *message = page.fieldMessage(u"relay.listen"_s);
        typeInto(listen, u"127.0.0.1:99999"_s);
        QVERIFY(message->text().startsWith(u"Not saved: "_s));
        QVERIFY(page.hasInvalidFields());
        QVERIFY(!page.saveButton()->isEnabled());

        QLineEdit *clients = page.field(u"outbound.allowed_clients"_s);
        typeInto(clients, u"10.0.0.0/33"_s);
        QVERIFY(page.fieldMessage(u"outbound.allowed_clients"_s)->text().startsWith(u"Not saved: "_s));
        QLineEdit *retries = page.field(u"retry.schedule"_s);
        typeInto(retries, u"5m,soon"_s);
        QVERIFY(page.fieldMessage(u"retry.schedule"_s)->text().startsWith(u"Not saved: "_s));
        // Issue 11: offsets from the first attempt, strictly increasing, said as you type.
        typeInto(retries, u"2s,2s,2s"_s);
        QVERIFY2(page.fieldMessage(u"retry.schedule"_s)->text().contains(u"'2s' does not come after '2s'"_s),
                 qPrintable(page.fieldMessage(u"retry.schedule"_s)->text()));
        QVERIFY(!page.saveButton()->isEnabled());
        // Saving anyway (the button is off; the call refuses too).
        QVERIFY(!page.save());
        QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Error);
        QCOMPARE(db.store()->setting(u"relay.listen"_s), u"0.0.0.0:25"_s);
        QCOMPARE(db.store()->setting(u"retry.schedule"_s), u"5m,20m,60m"_s);

        // Fixed: valid values, read back in plain words, saved in canonical form.
        typeInto(listen, u"127.0.0.1:2525"_s);
        typeInto(clients, u"10.0.0.0/8, 192.0.2.7"_s);
        typeInto(retries, u"10m,1h,4h"_s);
        QVERIFY(page.fieldMessage(u"retry.schedule"_s)->text().contains(u"3 retry(s)"_s));
        QLineEdit *size = page.field(u"limits.message_size"_s);
        typeInto(size, u"50M"_s);
        QVERIFY(page.fieldMessage(u"limits.message_size"_s)->text().contains(u"MiB"_s));
        QComboBox *headers = page.choiceField(u"rewrite.recipient_headers"_s);
        headers->setFocus();
        QTest::keyClick(headers, Qt::Key_End); // the last choice: never
        QCOMPARE(headers->currentData().toString(), u"never"_s);
        QVERIFY(page.fieldMessage(u"rewrite.recipient_headers"_s)->text().startsWith(u"never: "_s));
        QVERIFY(page.saveButton()->isEnabled());
        click(page.saveButton());
        QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Success);
        QCOMPARE(db.store()->setting(u"relay.listen"_s), u"127.0.0.1:2525"_s);
        QCOMPARE(db.store()->setting(u"limits.message_size"_s), u"52428800"_s);
        QCOMPARE(size->text(), u"52428800"_s);
        QCOMPARE(db.store()->setting(u"rewrite.recipient_headers"_s), u"never"_s);
        QVERIFY(!db.store()->setting(u"retry.schedule"_s).isEmpty());
        QVERIFY(!page.saveButton()->isEnabled());
        // Saved settings are a change to push.
        QCOMPARE(db.store()->pendingDiff().settings.size(), 5);
    }

    void routesAreValidated()
    {
        TempDb db;
        SettingsPage page(db.store());
        page.resize(900, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *domain = page.findChild<QLineEdit *>(u"routeDomainEdit"_s);
        auto *hop = page.findChild<QLineEdit *>(u"routeHopEdit"_s);
        auto *add = page.findChild<QPushButton *>(u"addRouteButton"_s);
        auto *message = page.findChild<QLabel *>(u"routeMessage"_s);
        QTest::keyClicks(domain, u"drypizza.com"_s);
        QTest::keyClicks(hop, u"[smtp.drypizza.com:25"_s);
        QVERIFY(message->isVisible());
        QVERIFY(message->text().startsWith(u"Next hop: "_s));
        QVERIFY(!add->isEnabled());
        typeInto(hop, u"smtp.drypizza.com:2525"_s);
        QVERIFY(message->isHidden());
        QVERIFY(add->isEnabled());
        click(add);
        QCOMPARE(db.store()->routes().size(), 1);
        QCOMPARE(db.store()->routes().at(0).nextHop, u"smtp.drypizza.com:2525"_s);
        QVERIFY(!db.store()->routes().at(0).tls.has_value()); // default: delivery.tls_policy
        auto *list = page.findChild<QTreeWidget *>(u"routeList"_s);
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(2), u"default"_s);

        // Picking the route fills the fields; saving it with "encrypt" keeps
        // the next hop and sets the route's own TLS policy.
        list->setCurrentItem(list->topLevelItem(0));
        QCOMPARE(domain->text(), u"drypizza.com"_s);
        QCOMPARE(hop->text(), u"smtp.drypizza.com:2525"_s);
        auto *tls = page.findChild<QComboBox *>(u"routeTlsCombo"_s);
        QVERIFY(tls);
        tls->setCurrentIndex(tls->findData(u"encrypt"_s));
        click(add);
        QCOMPARE(db.store()->routes().size(), 1);
        QCOMPARE(db.store()->routes().at(0).tls, std::optional<TlsPolicy>(TlsPolicy::Encrypt));
        QCOMPARE(db.store()->routes().at(0).nextHop, u"smtp.drypizza.com:2525"_s);
        QCOMPARE(list->topLevelItem(0)->text(2), u"encrypt"_s);
        // Picking it again shows its policy, and a next-hop edit keeps it.
        list->clearSelection();
        list->setCurrentItem(list->topLevelItem(0));
        QCOMPARE(tls->currentData().toString(), u"encrypt"_s);
        typeInto(hop, u"smtp2.drypizza.com"_s);
        click(add);
        QCOMPARE(db.store()->routes().at(0).tls, std::optional<TlsPolicy>(TlsPolicy::Encrypt));
        QCOMPARE(db.store()->routes().at(0).nextHop, u"smtp2.drypizza.com"_s);

        list->setCurrentItem(list->topLevelItem(0));
        click(page.findChild<QPushButton *>(u"removeRouteButton"_s));
        QCOMPARE(db.store()->routes().size(), 0);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"
