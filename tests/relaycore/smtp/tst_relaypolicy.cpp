// Tests for RelayPolicy
// (docs/behaviour.md "Who may send what", "Loop protection") with a compiled
// RoutingSnapshot, alone and driving an SmtpSession: allow-listed clients
// (IPv4, IPv6, IPv4-mapped), recipient precedence Inbound user > Inbound domain
// > Relay domain, 550 5.7.1 for everything else, hop counting, and a push in
// the middle of a transaction.
#include "relaycore/smtp/relaypolicy.h"
#include "relaycore/smtp/smtpsession.h"

#include "sessionharness.h"

#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

ConfigData migrationConfig()
{
    ConfigData c;
    c.area(Area::Inbound).users = {
        {QStringLiteral("bob@warmsushi.com"), QStringLiteral("bob.owen@drypizza.com")},
        {QStringLiteral("zoe@moving.example"), QStringLiteral("zoe@inbound-user.example")},
    };
    c.area(Area::Inbound).domains = {
        {QStringLiteral("warmsushi.com"), QStringLiteral("drypizza.com")},
        {QStringLiteral("both.example"), QStringLiteral("inbound-target.example")},
    };
    c.area(Area::Relay).domains = {
        {QStringLiteral("both.example"), QStringLiteral("relay-target.example")},
        {QStringLiteral("moving.example"), QStringLiteral("newtenant.example")},
        {QStringLiteral("warmsushi.com"), QStringLiteral("relay-must-not-win.example")},
    };
    c.area(Area::Outbound).users = {
        {QStringLiteral("carol@drypizza.com"), QStringLiteral("Carol@warmsushi.com")},
    };
    c.area(Area::Outbound).domains = {
        {QStringLiteral("drypizza.com"), QStringLiteral("warmsushi.com")},
    };
    return c;
}

QPair<QHostAddress, int> subnet(const char *text)
{
    const QPair<QHostAddress, int> s = QHostAddress::parseSubnet(QString::fromLatin1(text));
    if (s.first.isNull())
        qFatal("bad subnet in test: %s", text);
    return s;
}

RelayPolicyConfig policyConfig()
{
    RelayPolicyConfig c;
    c.allowedClients = {subnet("10.0.0.0/8"), subnet("2001:db8::/32"), subnet("192.0.2.7/32"),
                        subnet("::ffff:198.51.100.0/120")};
    c.hostname = QStringLiteral("relay.example.com");
    c.postmaster = QStringLiteral("admin@drypizza.com");
    c.maxHops = 50;
    return c;
}

std::shared_ptr<const RelayPolicy> makePolicy(const ConfigData &config = migrationConfig(),
                                              qint64 generation = 5, RelayPolicyConfig pc = policyConfig())
{
    return std::make_shared<const RelayPolicy>(RoutingSnapshot::compile(config, generation), std::move(pc));
}

SessionInfo sessionFrom(const QString &client)
{
    SessionInfo s;
    s.clientAddress = QHostAddress(client);
    s.heloName = QStringLiteral("client.example");
    s.esmtp = true;
    return s;
}

EnvelopeRecipient recipientFrom(const QString &text)
{
    EnvelopeRecipient r;
    r.original = text;
    if (text == QLatin1String("<postmaster>")) {
        r.original = QStringLiteral("postmaster");
        r.address = MailAddress{QStringLiteral("postmaster"), QStringLiteral("relay.example.com")};
        r.postmasterAlias = true;
        return r;
    }
    Result<MailAddress> a = parseMailbox(text);
    if (!a)
        qFatal("bad address in test");
    r.address = *a;
    return r;
}

QString areaName(const std::optional<Area> &a)
{
    return a ? areaKey(*a) : QStringLiteral("none");
}

QByteArray receivedFields(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += "Received: from hop" + QByteArray::number(i) +
               ".example by relay.example\r\n"
               "\tfor <bob@warmsushi.com>; Mon, 1 Jan 2024 00:00:00 +0000\r\n";
    return out;
}

const QString kForeign = QStringLiteral("203.0.113.5");
const QString kAllowed = QStringLiteral("10.1.2.3");

// A transaction from `sender` (empty: the null sender).
Transaction transactionFrom(const QString &sender)
{
    Transaction tx;
    if (sender.isEmpty()) {
        tx.nullSender = true;
    } else {
        tx.senderText = sender;
        Result<MailAddress> a = parseMailbox(sender);
        if (!a)
            qFatal("bad sender in test");
        tx.sender = *a;
    }
    return tx;
}

// The organisation's own sender (an Outbound domain rule's source).
Transaction orgTransaction()
{
    return transactionFrom(QStringLiteral("dave@drypizza.com"));
}

} // namespace

class TestRelayPolicy : public QObject
{
    Q_OBJECT

private slots:
    void recipient_data();
    void recipient();
    void sender_data();
    void sender();
    void allowList_data();
    void allowList();
    void countReceived_data();
    void countReceived();
    void hopLimit_data();
    void hopLimit();
    void generationAndNullSnapshot();
    void allowedSenders_data();
    void allowedSenders();
    void derivedAllowedSenders();
    void foreignSenderTranscript();

    void sessionTranscript_data();
    void sessionTranscript();
    void sessionCarriesRoutingDecisions();
    void pushDuringTransaction();
    void tlsRequiredBeforeMail_data();
    void tlsRequiredBeforeMail();
    void tlsBeforeMailSetting();
};

void TestRelayPolicy::recipient_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("rcpt");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("area");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("postmaster");

    const QString none = QStringLiteral("none");
    auto row = [](const char *name) { return &QTest::newRow(name); };
    *row("inbound user") << kForeign << QStringLiteral("bob@warmsushi.com") << true
                         << QStringLiteral("inbound") << QStringLiteral("user")
                         << QStringLiteral("bob.owen@drypizza.com") << QStringLiteral("bob@warmsushi.com")
                         << false;
    *row("inbound user, case folded")
        << kForeign << QStringLiteral("BOB@WarmSushi.COM") << true << QStringLiteral("inbound")
        << QStringLiteral("user") << QStringLiteral("bob.owen@drypizza.com")
        << QStringLiteral("bob@warmsushi.com") << false;
    *row("inbound user beats relay domain")
        << kForeign << QStringLiteral("zoe@moving.example") << true << QStringLiteral("inbound")
        << QStringLiteral("user") << QStringLiteral("zoe@inbound-user.example")
        << QStringLiteral("zoe@moving.example") << false;
    *row("inbound domain") << kForeign << QStringLiteral("alice@warmsushi.com") << true
                           << QStringLiteral("inbound") << QStringLiteral("domain")
                           << QStringLiteral("alice@drypizza.com") << QStringLiteral("@warmsushi.com")
                           << false;
    *row("inbound domain keeps local spelling")
        << kForeign << QStringLiteral("Alice.Smith@warmsushi.com") << true << QStringLiteral("inbound")
        << QStringLiteral("domain") << QStringLiteral("Alice.Smith@drypizza.com")
        << QStringLiteral("@warmsushi.com") << false;
    *row("inbound domain beats relay domain")
        << kForeign << QStringLiteral("x@both.example") << true << QStringLiteral("inbound")
        << QStringLiteral("domain") << QStringLiteral("x@inbound-target.example")
        << QStringLiteral("@both.example") << false;
    *row("relay domain") << kForeign << QStringLiteral("y@moving.example") << true << QStringLiteral("relay")
                         << QStringLiteral("domain") << QStringLiteral("y@newtenant.example")
                         << QStringLiteral("@moving.example") << false;
    *row("foreign domain denied") << kForeign << QStringLiteral("x@foreign.example") << false << none << none
                                  << QString() << QString() << false;
    *row("target domain is not a source") << kForeign << QStringLiteral("x@drypizza.com") << false << none
                                          << none << QString() << QString() << false;
    *row("outbound rules do not open relaying") << kForeign << QStringLiteral("carol@drypizza.com") << false
                                                << none << none << QString() << QString() << false;
    *row("subdomain of a mapped domain denied") << kForeign << QStringLiteral("x@sub.warmsushi.com") << false
                                                << none << none << QString() << QString() << false;
    *row("allow-listed: foreign domain unchanged")
        << kAllowed << QStringLiteral("x@foreign.example") << true << none << none
        << QStringLiteral("x@foreign.example") << QString() << false;
    *row("allow-listed: recipient rules still apply")
        << kAllowed << QStringLiteral("bob@warmsushi.com") << true << QStringLiteral("inbound")
        << QStringLiteral("user") << QStringLiteral("bob.owen@drypizza.com")
        << QStringLiteral("bob@warmsushi.com") << false;
    *row("allow-listed: relay domain")
        << kAllowed << QStringLiteral("y@moving.example") << true << QStringLiteral("relay")
        << QStringLiteral("domain") << QStringLiteral("y@newtenant.example")
        << QStringLiteral("@moving.example") << false;
    *row("postmaster alias") << kForeign << QStringLiteral("<postmaster>") << true << none << none
                             << QStringLiteral("admin@drypizza.com") << QString() << true;
    *row("postmaster at relay host") << kForeign << QStringLiteral("postmaster@relay.example.com") << true
                                     << none << none << QStringLiteral("admin@drypizza.com") << QString()
                                     << true;
    *row("postmaster at relay host, any case")
        << kForeign << QStringLiteral("PostMaster@RELAY.Example.com") << true << none << none
        << QStringLiteral("admin@drypizza.com") << QString() << true;
    *row("postmaster of a foreign domain denied") << kForeign << QStringLiteral("postmaster@foreign.example")
                                                  << false << none << none << QString() << QString() << false;
    *row("other user at relay host denied") << kForeign << QStringLiteral("root@relay.example.com") << false
                                            << none << none << QString() << QString() << false;
    *row("postmaster of a mapped domain is routed")
        << kForeign << QStringLiteral("postmaster@warmsushi.com") << true << QStringLiteral("inbound")
        << QStringLiteral("domain") << QStringLiteral("postmaster@drypizza.com")
        << QStringLiteral("@warmsushi.com") << false;
}

void TestRelayPolicy::recipient()
{
    QFETCH(QString, client);
    QFETCH(QString, rcpt);
    QFETCH(bool, accepted);
    QFETCH(QString, area);
    QFETCH(QString, kind);
    QFETCH(QString, result);
    QFETCH(QString, rule);
    QFETCH(bool, postmaster);

    const auto policy = makePolicy();
    const Verdict v = policy->onRecipient(sessionFrom(client), orgTransaction(), recipientFrom(rcpt));
    QCOMPARE(v.accepted(), accepted);
    if (!accepted) {
        QCOMPARE(v.kind, Verdict::Kind::Reject);
        QCOMPARE(v.reply, replies::relayDenied());
        QCOMPARE(v.reply.toWire(), QByteArray("550 5.7.1 Error: relay access denied\r\n"));
        return;
    }
    QCOMPARE(areaName(v.routing.area), area);
    QCOMPARE(matchKindKey(v.routing.route.kind), kind);
    QCOMPARE(v.routing.route.address.toString(), result);
    QCOMPARE(v.routing.route.ruleSource, rule);
    QCOMPARE(v.routing.postmaster, postmaster);
}

void TestRelayPolicy::sender_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("sender"); // empty: the null sender
    QTest::addColumn<QString>("area");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("result");

    const QString none = QStringLiteral("none");
    QTest::newRow("allow-listed outbound user")
        << kAllowed << QStringLiteral("carol@drypizza.com") << QStringLiteral("outbound")
        << QStringLiteral("user") << QStringLiteral("Carol@warmsushi.com");
    QTest::newRow("allow-listed outbound domain")
        << kAllowed << QStringLiteral("dave@drypizza.com") << QStringLiteral("outbound")
        << QStringLiteral("domain") << QStringLiteral("dave@warmsushi.com");
    QTest::newRow("allow-listed IPv6 outbound domain")
        << QStringLiteral("2001:db8::25") << QStringLiteral("dave@DryPizza.com") << QStringLiteral("outbound")
        << QStringLiteral("domain") << QStringLiteral("dave@warmsushi.com");
    QTest::newRow("allow-listed unmapped sender") << kAllowed << QStringLiteral("x@foreign.example") << none
                                                  << none << QStringLiteral("x@foreign.example");
    QTest::newRow("allow-listed null sender never rewritten")
        << kAllowed << QString() << none << none << QString();
    QTest::newRow("foreign client's sender not rewritten")
        << kForeign << QStringLiteral("carol@drypizza.com") << none << none
        << QStringLiteral("carol@drypizza.com");
    QTest::newRow("inbound rules never rewrite senders")
        << kAllowed << QStringLiteral("bob@warmsushi.com") << none << none
        << QStringLiteral("bob@warmsushi.com");
}

void TestRelayPolicy::sender()
{
    QFETCH(QString, client);
    QFETCH(QString, sender);
    QFETCH(QString, area);
    QFETCH(QString, kind);
    QFETCH(QString, result);

    Transaction tx;
    if (sender.isEmpty()) {
        tx.nullSender = true;
    } else {
        tx.senderText = sender;
        tx.sender = *parseMailbox(sender);
    }
    const Verdict v = makePolicy()->onMail(sessionFrom(client), tx);
    QVERIFY(v.accepted()); // any sender may send to the recipients the relay serves
    QCOMPARE(areaName(v.routing.area), area);
    QCOMPARE(matchKindKey(v.routing.route.kind), kind);
    if (!result.isEmpty())
        QCOMPARE(v.routing.route.address.toString(), result);
    else
        QVERIFY(v.routing.route.address.localPart.isEmpty());
}

void TestRelayPolicy::allowList_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("IPv4 in /8") << QStringLiteral("10.255.0.1") << true;
    QTest::newRow("IPv4 outside") << QStringLiteral("11.0.0.1") << false;
    QTest::newRow("IPv4 /32 exact") << QStringLiteral("192.0.2.7") << true;
    QTest::newRow("IPv4 /32 neighbour") << QStringLiteral("192.0.2.8") << false;
    QTest::newRow("IPv6 in /32") << QStringLiteral("2001:db8:1::25") << true;
    QTest::newRow("IPv6 outside") << QStringLiteral("2001:db9::1") << false;
    QTest::newRow("IPv4-mapped in IPv4 subnet") << QStringLiteral("::ffff:10.9.9.9") << true;
    QTest::newRow("IPv4-mapped /32") << QStringLiteral("::ffff:192.0.2.7") << true;
    QTest::newRow("IPv4-mapped outside") << QStringLiteral("::ffff:203.0.113.5") << false;
    QTest::newRow("mapped subnet, IPv4 client") << QStringLiteral("198.51.100.9") << true;
    QTest::newRow("mapped subnet, mapped client") << QStringLiteral("::ffff:198.51.100.9") << true;
    QTest::newRow("mapped subnet, outside") << QStringLiteral("198.51.101.9") << false;
    QTest::newRow("loopback not implied") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("IPv6 loopback not implied") << QStringLiteral("::1") << false;
}

void TestRelayPolicy::allowList()
{
    QFETCH(QString, client);
    QFETCH(bool, allowed);
    const auto policy = makePolicy();
    QCOMPARE(policy->isAllowedClient(QHostAddress(client)), allowed);
    // And what it means: a foreign recipient is accepted only when allowed.
    const Verdict v = policy->onRecipient(sessionFrom(client), orgTransaction(),
                                          recipientFrom(QStringLiteral("x@foreign.example")));
    QCOMPARE(v.accepted(), allowed);
}

void TestRelayPolicy::countReceived_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("count");
    QTest::newRow("none") << QByteArray("Subject: x\r\n\r\nbody\r\n") << 0;
    QTest::newRow("empty message") << QByteArray() << 0;
    QTest::newRow("three folded") << QByteArray(receivedFields(3) + "Subject: x\r\n\r\nbody\r\n") << 3;
    QTest::newRow("case-insensitive name")
        << QByteArray("received: a\r\nRECEIVED: b\r\nReCeIvEd: c\r\n\r\n") << 3;
    QTest::newRow("WSP before colon (obs syntax)")
        << QByteArray("Received : a\r\nReceived\t: b\r\n\r\n") << 2;
    QTest::newRow("other fields with the word")
        << QByteArray("X-Received: a\r\nReceived-SPF: pass\r\nReceivedx: c\r\n"
                      "Subject: Received: d\r\n\r\n")
        << 0;
    QTest::newRow("continuation lines not counted")
        << QByteArray("Received: a\r\n Received: b\r\n\tReceived: c\r\n\r\n") << 1;
    QTest::newRow("body not counted") << QByteArray("Received: a\r\n\r\nReceived: b\r\nReceived: c\r\n") << 1;
    QTest::newRow("no body separator") << QByteArray("Received: a\r\nReceived: b\r\n") << 2;
    QTest::newRow("empty name") << QByteArray("Received:\r\n\r\n") << 1;
}

void TestRelayPolicy::countReceived()
{
    QFETCH(QByteArray, message);
    QFETCH(int, count);
    QCOMPARE(RelayPolicy::countReceivedFields(message), count);
}

void TestRelayPolicy::hopLimit_data()
{
    QTest::addColumn<int>("maxHops");
    QTest::addColumn<int>("received");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("default, none") << 50 << 0 << true;
    QTest::newRow("default, 50") << 50 << 50 << true;
    QTest::newRow("default, 51") << 50 << 51 << false;
    QTest::newRow("default, 200") << 50 << 200 << false;
    QTest::newRow("3, 3") << 3 << 3 << true;
    QTest::newRow("3, 4") << 3 << 4 << false;
}

void TestRelayPolicy::hopLimit()
{
    QFETCH(int, maxHops);
    QFETCH(int, received);
    QFETCH(bool, accepted);
    RelayPolicyConfig pc = policyConfig();
    pc.maxHops = maxHops;
    const auto policy = makePolicy(migrationConfig(), 5, pc);
    Transaction tx;
    tx.data = receivedFields(received) + "Subject: loop?\r\n\r\nbody\r\n";
    const Verdict v = policy->onMessageEnd(sessionFrom(kForeign), tx);
    QCOMPARE(v.accepted(), accepted);
    if (!accepted) {
        QCOMPARE(v.kind, Verdict::Kind::Reject);
        QCOMPARE(v.reply.code, 554);
        QCOMPARE(v.reply.enhanced, QByteArray("5.4.6"));
    }
}

void TestRelayPolicy::generationAndNullSnapshot()
{
    QCOMPARE(makePolicy(migrationConfig(), 17)->generation(), qint64(17));

    // No snapshot: nothing is routed and no sender domain is allowed, so
    // only allow-listed clients relay, and only the null sender.
    const RelayPolicy empty(nullptr, policyConfig());
    QCOMPARE(empty.generation(), qint64(0));
    QVERIFY(!empty.onRecipient(sessionFrom(kForeign), {}, recipientFrom(QStringLiteral("bob@warmsushi.com")))
                 .accepted());
    const Verdict v = empty.onRecipient(sessionFrom(kAllowed), transactionFrom(QString()),
                                        recipientFrom(QStringLiteral("bob@warmsushi.com")));
    QVERIFY(v.accepted());
    QVERIFY(!v.routing.area);
    QVERIFY(!empty
                 .onRecipient(sessionFrom(kAllowed), orgTransaction(),
                              recipientFrom(QStringLiteral("bob@warmsushi.com")))
                 .accepted());
    QVERIFY(empty.onRecipient(sessionFrom(kForeign), {}, recipientFrom(QStringLiteral("<postmaster>")))
                .accepted());

    // No relay.postmaster configured: postmaster mail keeps its address.
    RelayPolicyConfig pc = policyConfig();
    pc.postmaster.clear();
    const Verdict pm =
        makePolicy(migrationConfig(), 1, pc)
            ->onRecipient(sessionFrom(kForeign), {}, recipientFrom(QStringLiteral("<postmaster>")));
    QVERIFY(pm.accepted());
    QVERIFY(pm.routing.postmaster);
    QCOMPARE(pm.routing.route.address.toString(), QStringLiteral("postmaster@relay.example.com"));
}

// outbound.allowed_senders (README "Who may send what"): an
// allow-listed client relays to recipients no rule claims only for the
// organisation's sender domains, or the null sender; claimed recipients and
// the postmaster stay open to it whatever the sender (other tenants of a
// shared range send to this organisation from the same addresses); other
// clients are not affected.
void TestRelayPolicy::allowedSenders_data()
{
    QTest::addColumn<QString>("setting"); // outbound.allowed_senders; empty: derived
    QTest::addColumn<bool>("outboundRules");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("sender"); // empty: <>
    QTest::addColumn<QString>("rcpt");
    QTest::addColumn<QByteArray>("reply"); // empty: accepted

    const QByteArray denied = "550 5.7.1 Error: relay access denied\r\n";
    auto notAllowed = [](const char *sender) -> QByteArray {
        return QByteArray("550 5.7.1 <") + sender + ">: sender domain not in outbound.allowed_senders\r\n";
    };
    const QString foreignRcpt = QStringLiteral("partner@foreign.example");
    const QString none;
    auto row = [](const char *name) { return &QTest::newRow(name); };
    *row("derived: Outbound domain source")
        << none << true << kAllowed << QStringLiteral("dave@drypizza.com") << foreignRcpt << QByteArray();
    *row("derived: case folded") << none << true << kAllowed << QStringLiteral("Dave@DRYPIZZA.com")
                                 << foreignRcpt << QByteArray();
    *row("derived: Outbound domain target")
        << none << true << kAllowed << QStringLiteral("x@warmsushi.com") << foreignRcpt << QByteArray();
    *row("derived: foreign sender refused") << none << true << kAllowed << QStringLiteral("x@foreign.example")
                                            << foreignRcpt << notAllowed("x@foreign.example");
    *row("derived: subdomain is another domain")
        << none << true << kAllowed << QStringLiteral("x@sub.drypizza.com") << foreignRcpt
        << notAllowed("x@sub.drypizza.com");
    *row("derived: IPv6 allow-listed client refused too")
        << none << true << QStringLiteral("2001:db8::25") << QStringLiteral("x@foreign.example")
        << foreignRcpt << notAllowed("x@foreign.example");
    *row("null sender relays") << none << true << kAllowed << QString() << foreignRcpt << QByteArray();
    *row("foreign sender to an Inbound user")
        << none << true << kAllowed << QStringLiteral("x@foreign.example")
        << QStringLiteral("bob@warmsushi.com") << QByteArray();
    *row("foreign sender to a Relay domain")
        << none << true << kAllowed << QStringLiteral("x@foreign.example")
        << QStringLiteral("y@moving.example") << QByteArray();
    *row("foreign sender to the postmaster")
        << none << true << kAllowed << QStringLiteral("x@foreign.example") << QStringLiteral("<postmaster>")
        << QByteArray();
    *row("other client: organisation sender still denied")
        << none << true << kForeign << QStringLiteral("dave@drypizza.com") << foreignRcpt << denied;
    *row("other client: null sender denied")
        << none << true << kForeign << QString() << foreignRcpt << denied;
    *row("other client: Inbound user accepted")
        << none << true << kForeign << QStringLiteral("x@foreign.example")
        << QStringLiteral("bob@warmsushi.com") << QByteArray();
    *row("setting replaces the derived list")
        << QStringLiteral("other.example") << true << kAllowed << QStringLiteral("dave@drypizza.com")
        << foreignRcpt << notAllowed("dave@drypizza.com");
    *row("setting: listed domain") << QStringLiteral("other.example, third.example") << true << kAllowed
                                   << QStringLiteral("x@third.example") << foreignRcpt << QByteArray();
    *row("setting: IDN in Unicode matches ACE sender")
        << QStringLiteral("b\u00fccher.example") << false << kAllowed
        << QStringLiteral("x@xn--bcher-kva.example") << foreignRcpt << QByteArray();
    *row("no rules, no setting: nothing but <>")
        << none << false << kAllowed << QStringLiteral("dave@drypizza.com") << foreignRcpt
        << notAllowed("dave@drypizza.com");
    *row("no rules, no setting: <> relays")
        << none << false << kAllowed << QString() << foreignRcpt << QByteArray();
}

void TestRelayPolicy::allowedSenders()
{
    QFETCH(QString, setting);
    QFETCH(bool, outboundRules);
    QFETCH(QString, client);
    QFETCH(QString, sender);
    QFETCH(QString, rcpt);
    QFETCH(QByteArray, reply);

    ConfigData config = migrationConfig();
    if (!outboundRules)
        config.area(Area::Outbound) = AreaConfig{};
    if (!setting.isEmpty())
        config.settings.insert(QStringLiteral("outbound.allowed_senders"), setting);
    const auto policy = makePolicy(config);
    const Verdict v = policy->onRecipient(sessionFrom(client), transactionFrom(sender), recipientFrom(rcpt));
    if (reply.isEmpty()) {
        QVERIFY2(v.accepted(), v.reply.toWire().constData());
        return;
    }
    QCOMPARE(v.kind, Verdict::Kind::Reject);
    QCOMPARE(v.reply.toWire(), reply);
}

void TestRelayPolicy::derivedAllowedSenders()
{
    ConfigData config = migrationConfig();
    config.area(Area::Outbound)
        .users.append(
            {QStringLiteral("eve@xn--bcher-kva.example"), QStringLiteral("eve@partner-brand.example")});
    const auto derived = RoutingSnapshot::compile(config)->allowedSenders();
    QVERIFY(derived.derived);
    // Both sides of every Outbound rule, sorted, each once.
    QCOMPARE(derived.domains,
             (QStringList{QStringLiteral("drypizza.com"), QStringLiteral("partner-brand.example"),
                          QStringLiteral("warmsushi.com"), QStringLiteral("xn--bcher-kva.example")}));
    config.settings.insert(QStringLiteral("outbound.allowed_senders"),
                           QStringLiteral("B.example, a.example, @c.example"));
    const auto explicitList = RoutingSnapshot::compile(config)->allowedSenders();
    QVERIFY(!explicitList.derived);
    QCOMPARE(explicitList.domains, (QStringList{QStringLiteral("a.example"), QStringLiteral("b.example"),
                                                QStringLiteral("c.example")}));
}

// The whole exchange as a client sees it, and the refusal reported for the
// message log (SessionAction::Kind::Refused).
void TestRelayPolicy::foreignSenderTranscript()
{
    SessionConfig config;
    config.hostname = QStringLiteral("relay.example.com");
    std::shared_ptr<const SmtpPolicy> policy = makePolicy();
    SessionHarness h(config, QHostAddress(kAllowed), [policy] { return policy; });
    h.start();
    h.feed("EHLO outbound.other-tenant.example\r\nMAIL FROM:<spam@other-tenant.example>\r\n"
           "RCPT TO:<victim@foreign.example>\r\nRCPT TO:<bob@warmsushi.com>\r\n"
           "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\n");
    const QString expected = QStringLiteral("220 250 250 550:5.7.1 250 354 MSG 250");
    QCOMPARE(normalizedTokens(h.tokens, expected), expected);
    QVERIFY(h.wire.contains("550 5.7.1 <spam@other-tenant.example>: sender domain not in "
                            "outbound.allowed_senders\r\n"));
    QCOMPARE(h.refusals, QStringList{QStringLiteral("victim@foreign.example")});
    QCOMPARE(h.messages.size(), 1);
    QCOMPARE(h.messages.first().transaction.recipients.size(), 1);
}

void TestRelayPolicy::sessionTranscript_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    const QByteArray ehlo = "EHLO mx.sender.example\r\n";
    const QByteArray body = "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\n";
    QTest::newRow("inbound to mapped user") << kForeign
                                            << QByteArray(ehlo +
                                                          "MAIL FROM:<x@sender.example>\r\n"
                                                          "RCPT TO:<bob@warmsushi.com>\r\n" +
                                                          body)
                                            << QStringLiteral("220 250 250 250:2.1.5 354 MSG 250");
    QTest::newRow("open relay attempt")
        << kForeign
        << QByteArray(ehlo +
                      "MAIL FROM:<x@sender.example>\r\n"
                      "RCPT TO:<victim@foreign.example>\r\n" +
                      body)
        << QStringLiteral("220 250 250 550:5.7.1 554:5.5.1 500 500 500 500:5.5.2");
    QTest::newRow("mixed recipients") << kForeign
                                      << QByteArray(ehlo +
                                                    "MAIL FROM:<x@sender.example>\r\n"
                                                    "RCPT TO:<victim@foreign.example>\r\n"
                                                    "RCPT TO:<y@moving.example>\r\n" +
                                                    body)
                                      << QStringLiteral("220 250 250 550:5.7.1 250 354 MSG 250");
    QTest::newRow("null sender to mapped domain") << kForeign
                                                  << QByteArray(ehlo +
                                                                "MAIL FROM:<>\r\n"
                                                                "RCPT TO:<alice@warmsushi.com>\r\n" +
                                                                body)
                                                  << QStringLiteral("220 250 250 250 354 MSG 250");
    QTest::newRow("postmaster from anywhere") << kForeign
                                              << QByteArray(ehlo +
                                                            "MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\n"
                                                            "RCPT TO:<postmaster@relay.example.com>\r\n" +
                                                            body)
                                              << QStringLiteral("220 250 250 250 250 354 MSG 250");
    QTest::newRow("allow-listed IPv4-mapped client relays")
        << QStringLiteral("::ffff:10.0.0.9")
        << QByteArray(ehlo + "MAIL FROM:<carol@drypizza.com>\r\nRCPT TO:<partner@foreign.example>\r\n" + body)
        << QStringLiteral("220 250 250 250 354 MSG 250");
    QTest::newRow("mail loop refused") << kForeign
                                       << QByteArray(ehlo +
                                                     "MAIL FROM:<x@sender.example>\r\n"
                                                     "RCPT TO:<bob@warmsushi.com>\r\nDATA\r\n" +
                                                     receivedFields(51) + "\r\nbody\r\n.\r\nQUIT\r\n")
                                       << QStringLiteral("220 250 250 250 354 554:5.4.6 221 CLOSE");
}

void TestRelayPolicy::sessionTranscript()
{
    QFETCH(QString, client);
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    SessionConfig config;
    config.hostname = QStringLiteral("relay.example.com");
    std::shared_ptr<const SmtpPolicy> policy = makePolicy();
    for (SplitMode mode : {SplitMode::Whole, SplitMode::Bytes}) {
        SessionHarness h(config, QHostAddress(client), [policy] { return policy; });
        h.start();
        h.feedAll(splitInput(input, mode));
        QCOMPARE(normalizedTokens(h.tokens, expected), expected);
    }
}

void TestRelayPolicy::sessionCarriesRoutingDecisions()
{
    SessionConfig config;
    config.hostname = QStringLiteral("relay.example.com");
    std::shared_ptr<const SmtpPolicy> policy = makePolicy(migrationConfig(), 9);
    SessionHarness h(config, QHostAddress(kAllowed), [policy] { return policy; });
    h.start();
    h.feed("EHLO exchange.drypizza.com\r\nMAIL FROM:<carol@drypizza.com>\r\n"
           "RCPT TO:<bob@warmsushi.com>\r\nRCPT TO:<partner@foreign.example>\r\nRCPT TO:<postmaster>\r\n"
           "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\n");
    QCOMPARE(h.messages.size(), 1);
    const Transaction &tx = h.messages.first().transaction;
    QCOMPARE(tx.generation, qint64(9));
    QCOMPARE(tx.senderRouting.area, std::optional<Area>(Area::Outbound));
    QCOMPARE(tx.senderRouting.route.address.toString(), QStringLiteral("Carol@warmsushi.com"));
    QCOMPARE(tx.recipients.size(), 3);
    QCOMPARE(tx.recipients[0].routing.area, std::optional<Area>(Area::Inbound));
    QCOMPARE(tx.recipients[0].routing.route.address.toString(), QStringLiteral("bob.owen@drypizza.com"));
    QCOMPARE(tx.recipients[0].routing.route.ruleSource, QStringLiteral("bob@warmsushi.com"));
    QVERIFY(!tx.recipients[1].routing.area);
    QCOMPARE(tx.recipients[1].routing.route.address.toString(), QStringLiteral("partner@foreign.example"));
    QVERIFY(tx.recipients[2].routing.postmaster);
    QCOMPARE(tx.recipients[2].routing.route.address.toString(), QStringLiteral("admin@drypizza.com"));
}

void TestRelayPolicy::pushDuringTransaction()
{
    // docs/behaviour.md "Draft, push and generations": "a transaction in
    // progress finishes with the generation it started with". Generation 2
    // drops the moving.example relay rule.
    ConfigData next = migrationConfig();
    next.area(Area::Relay).domains.removeAt(1);
    auto current = std::make_shared<std::shared_ptr<const SmtpPolicy>>(makePolicy(migrationConfig(), 1));
    SessionConfig config;
    config.hostname = QStringLiteral("relay.example.com");
    SessionHarness h(config, QHostAddress(kForeign), [current] { return *current; });
    h.start();
    h.feed("EHLO mx.sender.example\r\nMAIL FROM:<x@sender.example>\r\nRCPT TO:<a@moving.example>\r\n");
    *current = makePolicy(next, 2); // the push, between two RCPTs
    h.feed("RCPT TO:<b@moving.example>\r\nDATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\n"
           "MAIL FROM:<x@sender.example>\r\nRCPT TO:<c@moving.example>\r\n");
    const QString expected = QStringLiteral("220 250 250 250 250 354 MSG 250 250 550:5.7.1");
    QCOMPARE(normalizedTokens(h.tokens, expected), expected);
    QCOMPARE(h.messages.size(), 1);
    const Transaction &tx = h.messages.first().transaction;
    QCOMPARE(tx.generation, qint64(1));
    QCOMPARE(tx.recipients.size(), 2);
    QCOMPARE(tx.recipients[1].routing.route.address.toString(), QStringLiteral("b@newtenant.example"));
}

// tls.required_before_mail (RFC 3207 §4): 530 5.7.0 to MAIL in plaintext from
// the clients it names, the null sender included; after STARTTLS the same
// transaction goes through; when the certificate failed to load, 454 4.7.0
// so that senders retry instead of bouncing.
void TestRelayPolicy::tlsRequiredBeforeMail_data()
{
    QTest::addColumn<int>("requirement"); // TlsBeforeMail
    QTest::addColumn<bool>("tlsAvailable");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QString>("plain"); // EHLO, MAIL, RCPT, QUIT before STARTTLS
    QTest::addColumn<QString>("inTls"); // EHLO, MAIL, RCPT, QUIT after STARTTLS

    const int no = int(TlsBeforeMail::No), allowed = int(TlsBeforeMail::AllowedClients),
              all = int(TlsBeforeMail::All);
    const QByteArray carol = "carol@drypizza.com", nul = "";
    const QString refused = QStringLiteral("220 250 530:5.7.0 503:5.5.1 221 CLOSE");
    const QString accepted = QStringLiteral("220 250 250 250 221 CLOSE");
    const QString afterTls = QStringLiteral("250 250 250 221 CLOSE");
    QTest::newRow("no: allowed client in plaintext")
        << no << true << kAllowed << carol << accepted << afterTls;
    QTest::newRow("allowed_clients: allowed client refused")
        << allowed << true << kAllowed << carol << refused << afterTls;
    QTest::newRow("allowed_clients: IPv4-mapped allowed client refused")
        << allowed << true << QStringLiteral("::ffff:10.0.0.9") << carol << refused << afterTls;
    QTest::newRow("allowed_clients: null sender refused too")
        << allowed << true << kAllowed << nul << refused << afterTls;
    QTest::newRow("allowed_clients: other client in plaintext")
        << allowed << true << kForeign << carol << accepted << afterTls;
    QTest::newRow("all: other client refused") << all << true << kForeign << carol << refused << afterTls;
    QTest::newRow("all: certificate failed to load")
        << all << false << kForeign << carol << QStringLiteral("220 250 454:4.7.0 503:5.5.1 221 CLOSE")
        << QString();
}

void TestRelayPolicy::tlsRequiredBeforeMail()
{
    QFETCH(int, requirement);
    QFETCH(bool, tlsAvailable);
    QFETCH(QString, client);
    QFETCH(QByteArray, sender);
    QFETCH(QString, plain);
    QFETCH(QString, inTls);
    RelayPolicyConfig pc = policyConfig();
    pc.tlsBeforeMail = TlsBeforeMail(requirement);
    pc.tlsAvailable = tlsAvailable;
    std::shared_ptr<const SmtpPolicy> policy = makePolicy(migrationConfig(), 5, pc);
    SessionConfig config;
    config.hostname = QStringLiteral("relay.example.com");
    config.tlsAvailable = tlsAvailable;
    const QByteArray transaction =
        "EHLO mx.sender.example\r\nMAIL FROM:<" + sender + ">\r\nRCPT TO:<bob@warmsushi.com>\r\nQUIT\r\n";
    {
        SessionHarness h(config, QHostAddress(client), [policy] { return policy; });
        h.start();
        h.feed(transaction);
        QCOMPARE(normalizedTokens(h.tokens, plain), plain);
    }
    if (inTls.isEmpty())
        return;
    SessionHarness h(config, QHostAddress(client), [policy] { return policy; });
    h.start();
    h.feed("EHLO mx.sender.example\r\nSTARTTLS\r\n");
    QCOMPARE(h.tokens.join(QLatin1Char(' ')), QStringLiteral("220 250 220:2.0.0 TLS"));
    h.tokens.clear();
    h.session().tlsEstablished();
    h.drain();
    h.feed(transaction);
    QCOMPARE(normalizedTokens(h.tokens, inTls), inTls);
}

void TestRelayPolicy::tlsBeforeMailSetting()
{
    QCOMPARE(RelayPolicy::tlsBeforeMailFromSetting(QStringLiteral("no")), TlsBeforeMail::No);
    QCOMPARE(RelayPolicy::tlsBeforeMailFromSetting(QStringLiteral("allowed_clients")),
             TlsBeforeMail::AllowedClients);
    QCOMPARE(RelayPolicy::tlsBeforeMailFromSetting(QStringLiteral("all")), TlsBeforeMail::All);
    QCOMPARE(RelayPolicy::tlsBeforeMailFromSetting(QString()), TlsBeforeMail::No);
}

QTEST_GUILESS_MAIN(TestRelayPolicy)
#include "tst_relaypolicy.moc"
