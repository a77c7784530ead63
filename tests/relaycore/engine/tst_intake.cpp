// The intake without sockets (relaycore/engine/intake.h): golden messages in
// (tests/relaycore/engine/intake/*.eml), the spooled bytes and the events out,
// compared with the expected files next to them (*.spooled, *.events). The
// envelope is decided by the real RelayPolicy, as the SMTP session asks it.
// MAILROUTE_UPDATE_GOLDEN=1 rewrites the expected files (read the diff!).
#include "relaycore/engine/intake.h"
#include "relaycore/engine/relayconfig.h"
#include "relaycore/smtp/relaypolicy.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace mailroute;

namespace {

const QString kDir = QStringLiteral(MAILROUTE_INTAKE_DIR);

QByteArray readFile(const QString &name)
{
    QFile f(kDir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// The fixtures are kept with CRLF, but a checkout may have turned them into LF.
QByteArray crlf(QByteArray text)
{
    text.replace("\r\n", "\n");
    text.replace("\n", "\r\n");
    return text;
}

// Inbound: @warmsushi.example -> @drypizza.example, bob -> bob.owen@drypizza.example;
// Outbound: @drypizza.example -> @warmsushi.example, bob.owen -> bob; the
// clients of 10.0.0.0/8 are allow-listed.
ConfigData baseConfig()
{
    ConfigData c;
    c.area(Area::Inbound).domains << DomainMapping{QStringLiteral("warmsushi.example"),
                                                   QStringLiteral("drypizza.example")};
    c.area(Area::Inbound).users << UserMapping{QStringLiteral("bob@warmsushi.example"),
                                               QStringLiteral("bob.owen@drypizza.example")};
    c.area(Area::Outbound).domains << DomainMapping{QStringLiteral("drypizza.example"),
                                                    QStringLiteral("warmsushi.example")};
    c.area(Area::Outbound).users << UserMapping{QStringLiteral("bob.owen@drypizza.example"),
                                                QStringLiteral("bob@warmsushi.example")};
    c.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.mailroute.test"));
    c.settings.insert(QStringLiteral("outbound.allowed_clients"), QStringLiteral("10.0.0.0/8"));
    c.settings.insert(QStringLiteral("verify.recipients"), QStringLiteral("off"));
    c.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("always"));
    return c;
}

struct Pinned
{
    std::shared_ptr<const RelayConfig> config;
    std::shared_ptr<const RelayPolicy> policy;
};

Pinned pin(const ConfigData &c, qint64 generation)
{
    auto built = RelayConfig::build(c, generation);
    if (!built)
        qFatal("RelayConfig::build: %s", qPrintable(built.error));
    const std::shared_ptr<const RelayConfig> &config = *built;
    RelayPolicyConfig pc;
    pc.allowedClients = config->allowedClients;
    pc.hostname = config->hostName;
    pc.postmaster = config->postmaster;
    pc.maxHops = config->maxHops;
    return {config, std::make_shared<const RelayPolicy>(config->routing, pc)};
}

MailAddress address(const QString &text)
{
    const Result<MailAddress> a = parseMailbox(text);
    if (!a)
        qFatal("bad address %s", qPrintable(text));
    return *a;
}

// The session's part: MAIL and RCPT decided by the policy, then DATA.
std::optional<IntakeInput> receive(const Pinned &pinned, const QString &client, const QString &from,
                                   const QStringList &to, const QByteArray &data)
{
    IntakeInput in;
    in.config = pinned.config;
    in.policy = pinned.policy;
    in.queueId = QStringLiteral("4QX7Zk2Lm9");
    in.arrival = QDateTime(QDate(2024, 1, 1), QTime(10, 30), Qt::UTC);
    in.session = 7;
    SessionInfo &s = in.message.session;
    s.clientAddress = QHostAddress(client);
    s.clientPort = 40000;
    s.heloName = QStringLiteral("client.test");
    s.esmtp = true;
    Transaction &tx = in.message.transaction;
    tx.senderText = from;
    tx.sender = address(from);
    tx.generation = pinned.config->generation;
    const Verdict mail = pinned.policy->onMail(s, tx);
    if (!mail.accepted()) {
        qWarning("MAIL refused: %s", mail.reply.toWire().constData());
        return std::nullopt;
    }
    tx.senderRouting = mail.routing;
    for (const QString &t : to) {
        EnvelopeRecipient r;
        r.original = t;
        r.address = address(t);
        const Verdict v = pinned.policy->onRecipient(s, tx, r);
        if (!v.accepted()) {
            qWarning("RCPT %s refused: %s", qPrintable(t), v.reply.toWire().constData());
            return std::nullopt;
        }
        r.routing = v.routing;
        tx.recipients << r;
    }
    tx.data = data;
    in.message.policy = pinned.policy;
    return in;
}

// One line per event ("rewritten Inbound {...}"), then the spooled envelope.
QByteArray describe(const IntakeResult &r)
{
    QByteArray out;
    for (const MessageLogEntry &e : r.events) {
        out += messageEventName(e.event).toUtf8() + ' ' +
               (e.area ? areaKey(*e.area).toUtf8() : QByteArray("-")) + ' ' +
               QJsonDocument(QJsonObject::fromVariantMap(e.fields)).toJson(QJsonDocument::Compact) + '\n';
    }
    const QueuedMessage &m = r.message.meta;
    out += "sender " + m.sender.toUtf8() + '\n';
    for (const QueuedRecipient &q : m.recipients)
        out += "recipient " + q.address.toUtf8() + " (" + q.originalAddress.toUtf8() + ")\n";
    out += "outbound_client " + QByteArray(m.outboundClient.value_or(false) ? "yes" : "no") + '\n';
    out += "headers_rewritten " + QByteArray(m.headersRewritten ? "yes" : "no") + '\n';
    out += "received " +
           QJsonDocument(QJsonObject::fromVariantMap(r.received)).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

void compareWithGolden(const QString &name, const IntakeResult &r)
{
    const QByteArray events = describe(r);
    if (qEnvironmentVariableIsSet("MAILROUTE_UPDATE_GOLDEN")) {
        QFile e(kDir + QLatin1Char('/') + name + QStringLiteral(".events"));
        QFile s(kDir + QLatin1Char('/') + name + QStringLiteral(".spooled"));
        QVERIFY(e.open(QIODevice::WriteOnly) && s.open(QIODevice::WriteOnly));
        e.write(events);
        s.write(r.message.data);
        return;
    }
    QCOMPARE(QString::fromUtf8(events), QString::fromUtf8(readFile(name + QStringLiteral(".events"))));
    QCOMPARE(QString::fromUtf8(r.message.data),
             QString::fromUtf8(crlf(readFile(name + QStringLiteral(".spooled")))));
}

} // namespace

class TestIntake : public QObject
{
    Q_OBJECT

private slots:
    void goldenMessages_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QStringList>("to");
        // Inbound: the envelope and To: through the Inbound rules, Cc: of
        // a foreign domain left as it is.
        QTest::newRow("inbound rewrite")
            << QStringLiteral("inbound") << QStringLiteral("192.0.2.7")
            << QStringLiteral("alice@outside.example")
            << QStringList{QStringLiteral("bob@warmsushi.example"), QStringLiteral("zoe@warmsushi.example")};
        // Outbound: an allow-listed client's sender, From: and Reply-To:
        // through the Outbound rules; the foreign To: untouched.
        QTest::newRow("outbound sender rewrite") << QStringLiteral("outbound") << QStringLiteral("10.1.2.3")
                                                 << QStringLiteral("bob.owen@drypizza.example")
                                                 << QStringList{QStringLiteral("someone@partner.example")};
        // Envelope rewritten, but nothing in the header section for a rule.
        QTest::newRow("headers left alone") << QStringLiteral("untouched") << QStringLiteral("192.0.2.7")
                                            << QStringLiteral("alice@outside.example")
                                            << QStringList{QStringLiteral("zoe@warmsushi.example")};
        // Two RCPTs whose rules end at one mailbox: spooled once.
        QTest::newRow("duplicate final mailbox") << QStringLiteral("duplicate") << QStringLiteral("192.0.2.7")
                                                 << QStringLiteral("alice@outside.example")
                                                 << QStringList{QStringLiteral("bob@warmsushi.example"),
                                                                QStringLiteral("bob.owen@warmsushi.example")};
    }

    void goldenMessages()
    {
        QFETCH(QString, name);
        QFETCH(QString, client);
        QFETCH(QString, from);
        QFETCH(QStringList, to);
        const QByteArray eml = crlf(readFile(name + QStringLiteral(".eml")));
        QVERIFY2(!eml.isEmpty(), qPrintable(name));
        const auto in = receive(pin(baseConfig(), 3), client, from, to, eml);
        QVERIFY(in);
        QVERIFY(!Intake::awaitsSignatures(*in));
        compareWithGolden(name, Intake::run(*in));
    }

    // The duplicate is one recipient in the spool (case does not matter), the
    // first RCPT its original address.
    void duplicateIsSpooledOnce()
    {
        const auto in = receive(
            pin(baseConfig(), 3), QStringLiteral("192.0.2.7"), QStringLiteral("alice@outside.example"),
            {QStringLiteral("bob@warmsushi.example"), QStringLiteral("Bob.Owen@warmsushi.example")},
            crlf("Subject: x\n\nx\n"));
        QVERIFY(in);
        const IntakeResult r = Intake::run(*in);
        QCOMPARE(r.message.meta.recipients.size(), 1);
        QCOMPARE(r.message.meta.recipients.first().address, QStringLiteral("bob.owen@drypizza.example"));
        QCOMPARE(r.message.meta.recipients.first().originalAddress, QStringLiteral("bob@warmsushi.example"));
    }

    // The configuration is the one pinned at MAIL: a message received under
    // rewrite.recipient_headers = always is rewritten, whatever a later
    // generation says, and one pinned to "never" is not.
    void headerModeComesFromThePinnedConfiguration()
    {
        ConfigData never = baseConfig();
        never.settings.insert(QStringLiteral("rewrite.recipient_headers"), QStringLiteral("never"));
        const QByteArray eml = crlf("From: alice@outside.example\nTo: zoe@warmsushi.example\n\nhi\n");
        const QStringList to{QStringLiteral("zoe@warmsushi.example")};
        const auto always = receive(pin(baseConfig(), 1), QStringLiteral("192.0.2.7"),
                                    QStringLiteral("alice@outside.example"), to, eml);
        const auto off = receive(pin(never, 2), QStringLiteral("192.0.2.7"),
                                 QStringLiteral("alice@outside.example"), to, eml);
        QVERIFY(always && off);
        QVERIFY(Intake::run(*always).message.data.contains("\r\nTo: zoe@drypizza.example\r\n"));
        const IntakeResult kept = Intake::run(*off);
        QVERIFY(kept.message.data.contains("\r\nTo: zoe@warmsushi.example\r\n"));
        QVERIFY(!kept.message.meta.headersRewritten);
        // The envelope is rewritten either way.
        QCOMPARE(kept.message.meta.recipients.first().address, QStringLiteral("zoe@drypizza.example"));
    }

    // Mail authentication at receipt: our field on top, a forged one claiming
    // our authserv-id gone, the auth event first.
    void verdictsGoOnTop()
    {
        auto in = receive(
            pin(baseConfig(), 1), QStringLiteral("192.0.2.7"), QStringLiteral("alice@outside.example"),
            {QStringLiteral("zoe@warmsushi.example")},
            crlf("Authentication-Results: relay.mailroute.test; spf=pass\nFrom: alice@outside.example\n"
                 "To: zoe@warmsushi.example\n\nhi\n"));
        QVERIFY(in);
        IntakeResult r = Intake::envelope(*in);
        AuthVerdicts v;
        v.spf = QStringLiteral("fail");
        v.spfIdentity = QStringLiteral("alice@outside.example");
        QVERIFY(!Intake::refusedByDmarc(*in->config, v));
        Intake::addVerdicts(*in, r, v);
        Intake::complete(*in, r, std::nullopt);
        QVERIFY(r.events.first().event == MessageEvent::Auth);
        const QByteArray data = r.message.data;
        QVERIFY2(data.startsWith("Received: "), data.constData());
        QCOMPARE(data.count("Authentication-Results: relay.mailroute.test"), 1);
        QVERIFY2(data.contains("spf=fail"), data.constData());
        QVERIFY(!data.contains("spf=pass"));
    }
};

QTEST_GUILESS_MAIN(TestIntake)
#include "tst_intake.moc"
