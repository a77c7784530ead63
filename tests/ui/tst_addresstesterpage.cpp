// AddressTesterPage: the rule that fires
// (docs/behaviour.md "Routing precedence"), the rewritten address and the next
// hop (route, smart host, MX), for the draft and for the active generation.
#include "tests/ui/uitest.h"
#include "ui/addresstesterpage.h"
#include "ui/backgroundstore.h"
#include "tests/postfixinstance.h"
#include "tests/skiporfail.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

class TestAddressTesterPage final : public QObject
{
    Q_OBJECT

    // The answer follows the typing after a short pause (QTRY below).
    static void type(AddressTesterPage &page, const QString &address)
    {
        typeInto(page.findChild<QLineEdit *>(u"testerAddress"_s), address);
    }

private slots:
    void incomingFollowsPrecedence()
    {
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Relay, u"moving.example"_s, u"moved.example"_s).ok());
        QVERIFY(s->setRoute(u"drypizza.com"_s, u"smtp.drypizza.com:2525"_s).ok());
        QVERIFY(s->setSetting(u"delivery.smarthost"_s, u"192.0.2.25:587"_s).ok());
        BackgroundStore background(db.path());
        AddressTesterPage page(&background);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(!page.isCompiling());

        type(page, u"Bob@WarmSushi.com"_s);
        QTRY_COMPARE(page.resultText(), u"bob.owen@drypizza.com"_s);
        QCOMPARE(page.verdictText(), u"Accepted (Inbound area)"_s);
        QCOMPARE(page.ruleText(), u"Inbound user mapping bob@warmsushi.com → bob.owen@drypizza.com"_s);
        QCOMPARE(page.nextHopText(), u"MX of smtp.drypizza.com, port 2525 (route for drypizza.com)"_s);

        type(page, u"chloe@warmsushi.com"_s);
        QTRY_COMPARE(page.resultText(), u"chloe@drypizza.com"_s);
        QCOMPARE(page.ruleText(), u"Inbound domain mapping @warmsushi.com → @drypizza.com"_s);

        type(page, u"dan@moving.example"_s);
        QTRY_COMPARE(page.resultText(), u"dan@moved.example"_s);
        QCOMPARE(page.verdictText(), u"Accepted (Relay area)"_s);
        QCOMPARE(page.nextHopText(), u"192.0.2.25 port 587 (smart host)"_s);

        type(page, u"eve@elsewhere.example"_s);
        QTRY_VERIFY(page.verdictText().startsWith(u"Refused with 550 5.7.1"_s));

        type(page, u"not an address"_s);
        QTRY_VERIFY(page.verdictText().startsWith(u"Not a valid address"_s));
    }

    // "Would the target accept this?" (issue 18): the rewritten address is
    // probed at a private Postfix that knows one user; no message is sent.
    void probeAsksTheTarget()
    {
        MAILROUTE_REQUIRE(PostfixInstance::available(), PostfixInstance::requirement());
        PostfixInstance pf;
        QVERIFY2(pf.start({{u"tenant.test"_s}, {u"known@tenant.test"_s}}), qPrintable(pf.error()));
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->addDomainMapping(Area::Inbound, u"corp.example"_s, u"tenant.test"_s).ok());
        QVERIFY(s->setRoute(u"tenant.test"_s, u"[127.0.0.1]:%1"_s.arg(pf.port())).ok());
        BackgroundStore background(db.path());
        AddressTesterPage page(&background);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(!page.isCompiling());

        type(page, u"known@corp.example"_s);
        QTRY_COMPARE(page.resultText(), u"known@tenant.test"_s);
        page.findChild<QPushButton *>(u"testerProbe"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(page.probeText().startsWith(u"Yes: "_s), 30000);
        QVERIFY(page.probeText().contains(u"250"_s));

        type(page, u"nobody@corp.example"_s);
        QTRY_COMPARE(page.resultText(), u"nobody@tenant.test"_s);
        page.findChild<QPushButton *>(u"testerProbe"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(page.probeText().startsWith(u"No: "_s), 30000);
        QVERIFY2(page.probeText().contains(u"User unknown in relay recipient table"_s), qPrintable(page.probeText()));
        QVERIFY(pf.waitForLog(u": disconnect from"_s, 3));
        QCOMPARE(pf.logLines(u" data="_s).size(), 0);
    }

    void outgoingAndActiveGeneration()
    {
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->addDomainMapping(Area::Outbound, u"drypizza.com"_s, u"warmsushi.com"_s).ok());
        BackgroundStore background(db.path());
        AddressTesterPage page(&background);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *direction = page.findChild<QComboBox *>(u"testerDirection"_s);
        direction->setCurrentIndex(1);
        auto *recipient = page.findChild<QLineEdit *>(u"testerRecipient"_s);
        QVERIFY(recipient->isVisible());
        QTRY_VERIFY(!page.isCompiling());
        type(page, u"bob.owen@drypizza.com"_s);
        QTRY_COMPARE(page.resultText(), u"bob.owen@warmsushi.com"_s);
        QCOMPARE(page.verdictText(), u"Sender rewritten (Outbound area)"_s);
        QTest::keyClicks(recipient, u"partner@partner.example"_s);
        QTRY_COMPARE(page.nextHopText(), u"MX of partner.example (DNS look-up)"_s);

        // The active generation: nothing pushed yet, then the push is seen.
        auto *source = page.findChild<QComboBox *>(u"testerConfig"_s);
        source->setCurrentIndex(1);
        QTRY_VERIFY(!page.isCompiling());
        QTRY_VERIFY(
            page.findChild<QLabel *>(u"testerSnapshot"_s)->text().contains(u"Nothing has been pushed"_s));
        QVERIFY(s->push().ok());
        page.invalidate();
        QTRY_VERIFY(!page.isCompiling());
        QTRY_COMPARE(page.findChild<QLabel *>(u"testerSnapshot"_s)->text(), u"Testing generation 1."_s);
        QTRY_COMPARE(page.resultText(), u"bob.owen@warmsushi.com"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestAddressTesterPage)
#include "tst_addresstesterpage.moc"
