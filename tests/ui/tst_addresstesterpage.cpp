// AddressTesterPage: the rule that fires
// (docs/behaviour.md "Routing precedence"), the rewritten address and the next
// hop (route, smart host, MX), for the draft and for the active generation;
// its answer is the relay's own (RelayPolicy) for every kind of address.
#include "relaycore/smtp/relaypolicy.h"
#include "tests/postfixinstance.h"
#include "tests/skiporfail.h"
#include "tests/ui/uitest.h"
#include "ui/addresstesterpage.h"
#include "ui/backgroundstore.h"

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
        QVERIFY2(page.probeText().contains(u"User unknown in relay recipient table"_s),
                 qPrintable(page.probeText()));
        QVERIFY(pf.waitForLog(u": disconnect from"_s, 3));
        QCOMPARE(pf.logLines(u" data="_s).size(), 0);
    }

    // The page asks the relay's policy instead of restating the precedence:
    // for a table of addresses (user rule, domain rule, Relay rule, an Inbound
    // rule before a Relay one, no rule), the verdict, rule and rewritten
    // address are what RelayPolicy decides at RCPT: accepted for any client
    // with the area's rule, or refused (550 5.7.1) for a client outside the
    // allow-list while an allow-listed one gets the address unchanged.
    void answersAsTheRelayPolicy()
    {
        TempDb db;
        ConfigStore *s = db.store();
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s).ok());
        QVERIFY(s->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Relay, u"moving.example"_s, u"moved.example"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Relay, u"warmsushi.com"_s, u"relayed.example"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Outbound, u"corp.example"_s, u"corp.test"_s).ok());
        BackgroundStore background(db.path());
        AddressTesterPage page(&background);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(!page.isCompiling());

        // The relay's policy over the same draft, as a push would make it.
        RelayPolicyConfig pc;
        pc.allowedClients = {QHostAddress::parseSubnet(u"192.0.2.0/24"_s)};
        const RelayPolicy policy(RoutingSnapshot::compile(s->draft(), 0), pc);
        SessionInfo outsider;
        outsider.clientAddress = QHostAddress(u"203.0.113.9"_s);
        SessionInfo allowed;
        allowed.clientAddress = QHostAddress(u"192.0.2.10"_s);
        Transaction transaction;
        transaction.nullSender = true; // allowed from an allow-listed client whatever the sender domains

        const std::pair<QString, MatchKind> table[] = {
            {u"Bob@WarmSushi.com"_s, MatchKind::User},     // user rule, before its domain's
            {u"chloe@warmsushi.com"_s, MatchKind::Domain}, // Inbound domain, before the Relay one
            {u"dan@moving.example"_s, MatchKind::Domain},  // Relay domain
            {u"eve@elsewhere.example"_s, MatchKind::None}, // no rule: refused, or unchanged
            {u"ann@corp.example"_s, MatchKind::None},      // an Outbound rule is not a recipient rule
        };
        auto *direction = page.findChild<QComboBox *>(u"testerDirection"_s);
        auto *recipient = page.findChild<QLineEdit *>(u"testerRecipient"_s);
        for (const auto &[text, kind] : table) {
            const Result<MailAddress> address = parseMailbox(text);
            QVERIFY(address.ok());
            const RoutingDecision decision = policy.routeRecipient(*address);
            QCOMPARE(decision.route.kind, kind);
            EnvelopeRecipient rcpt;
            rcpt.original = text;
            rcpt.address = *address;
            const Verdict forOutsider = policy.onRecipient(outsider, transaction, rcpt);
            const Verdict forAllowed = policy.onRecipient(allowed, transaction, rcpt);
            QVERIFY(forAllowed.accepted());

            direction->setCurrentIndex(0);
            type(page, text);
            QTRY_COMPARE(page.resultText(), forAllowed.routing.route.address.toString());
            if (forOutsider.accepted()) {
                QVERIFY(decision.area);
                QCOMPARE(forOutsider.routing.area, decision.area);
                QCOMPARE(page.resultText(), forOutsider.routing.route.address.toString());
                QCOMPARE(page.verdictText(), u"Accepted (%1 area)"_s.arg(areaTitle(*decision.area)));
                QCOMPARE(page.ruleText(),
                         u"%1 %2 mapping %3 → %4"_s.arg(
                             areaTitle(*decision.area), kind == MatchKind::User ? u"user"_s : u"domain"_s,
                             decision.route.ruleSource, decision.route.ruleTarget));
            } else {
                QVERIFY(!decision.area);
                QCOMPARE(forOutsider.reply.code, 550);
                QCOMPARE(forOutsider.reply.enhanced, QByteArray("5.7.1"));
                QVERIFY2(page.verdictText().startsWith(u"Refused with 550 5.7.1"_s),
                         qPrintable(page.verdictText()));
                QCOMPARE(page.ruleText(), u"No rule matches: the address stays as it is."_s);
            }

            // Outgoing, the same address as the recipient: its next hop
            // names what the relay makes of it.
            direction->setCurrentIndex(1);
            type(page, u"someone@partner.example"_s);
            typeInto(recipient, text);
            const QString becomes = u"(the recipient becomes %1)"_s.arg(decision.route.address.toString());
            if (decision.area)
                QTRY_VERIFY2(page.nextHopText().endsWith(becomes), qPrintable(page.nextHopText()));
            else
                QTRY_COMPARE(page.nextHopText(), u"MX of %1 (DNS look-up)"_s.arg(address->domain));
        }
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
