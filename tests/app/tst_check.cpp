// mailroutectl check dns | check connector, run as a process on a temporary
// database: against dnsmasq on a loopback address (MAILROUTE_NAMESERVER,
// tests/relaycore/readiness/readinesszone.h) and real SMTP servers on
// 127.0.0.1 (smtpsink.py, Postfix's smtp-sink). Exit status 0 / 1 / 2.
#include "readinesszone.h"
#include "sinkprocesses.h"
#include "tests/app/ctlrun.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {} // namespace

class TestCheck final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void usageErrors();
    void dnsDefaultDomains();
    void dnsNamedDomainsAllReady();
    void dnsNothingToCheck();
    void dnsUnansweredTxtIsUnknown();
    void dnsMailAuthentication();
    void badNameserverIsRefused();
    void connectorGiven();
    void connectorConfiguredHops();
    void connectorSendTestEmail();

private:
    Run ctl(const QStringList &args);
    void setUpConfig(const QStringList &extraSettings = {});
    QTemporaryDir m_dir;
    QString m_db;
    int m_counter = 0;
    ReadinessDns m_dns;
    QString m_dnsSkip;
};

void TestCheck::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dnsSkip = m_dns.start();
}

void TestCheck::init()
{
    m_db = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_counter));
}

Run TestCheck::ctl(const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
    if (m_dnsSkip.isEmpty())
        env.insert(QStringLiteral("MAILROUTE_NAMESERVER"), m_dns.nameserver());
    return runMailroutectl(args, env);
}

void TestCheck::setUpConfig(const QStringList &extraSettings)
{
    const QList<QStringList> commands{
        {QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
         QStringLiteral("inbound"), QStringLiteral("@ready.test"), QStringLiteral("@new.test")},
        {QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"), QStringLiteral("relay"),
         QStringLiteral("@nullmx.test"), QStringLiteral("@other.test")},
        {QStringLiteral("domains"), QStringLiteral("add"), QStringLiteral("--area"),
         QStringLiteral("outbound"), QStringLiteral("@new.test"), QStringLiteral("@elsewhere.test")},
        {QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("relay.hostname"),
         ReadinessZone::relayHost()},
    };
    for (const QStringList &c : commands) {
        const Run r = ctl(c);
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    for (qsizetype i = 0; i + 1 < extraSettings.size(); i += 2) {
        const Run r = ctl({QStringLiteral("settings"), QStringLiteral("set"), extraSettings.at(i),
                           extraSettings.at(i + 1)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }
    const Run push = ctl({QStringLiteral("push")});
    QVERIFY2(push.code == 0, qPrintable(push.err));
}

void TestCheck::usageErrors()
{
    const QList<QStringList> cases{
        {QStringLiteral("check")},
        {QStringLiteral("check"), QStringLiteral("mx")},
        {QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("bad..test")},
        {QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("--send-to"),
         QStringLiteral("a@b.test")},
        {QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("host.test:99999")},
        {QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("a.test"),
         QStringLiteral("b.test")},
        {QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("--from"),
         QStringLiteral("a@b.test")},
        {QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("--send-to"),
         QStringLiteral("not-an-address")},
        {QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("--send-to"),
         QStringLiteral("a@b.test"), QStringLiteral("--from"), QStringLiteral("x%y@b.test")},
    };
    for (const QStringList &args : cases) {
        const Run r = ctl(args);
        QVERIFY2(r.code == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
        QVERIFY(r.err.startsWith(QStringLiteral("mailroutectl: ")));
        QVERIFY(r.out.isEmpty());
    }
    QVERIFY(!QFile::exists(m_db)); // refused before the database is touched
    const Run help = ctl({QStringLiteral("check"), QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains(QStringLiteral("mailroutectl check dns [DOMAIN...]")));
}

void TestCheck::dnsDefaultDomains()
{
    REQUIRE_DNSMASQ(m_dnsSkip);
    setUpConfig();
    const Run r = ctl({QStringLiteral("check"), QStringLiteral("dns")});
    QCOMPARE(r.code, 1); // null MX and the SPF of elsewhere.test fail
    QVERIFY2(r.out.startsWith(QStringLiteral("relay relay.mailroute.test: 192.0.2.25 (its DNS records)")),
             qPrintable(r.out));
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    auto row = [&](const QString &domain, const QString &check) {
        for (const QString &l : lines) {
            const QStringList cells = l.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (cells.value(0) == domain &&
                l.mid(l.indexOf(QLatin1Char(' '))).trimmed().startsWith(check + QLatin1Char(' ')))
                return l;
        }
        return QString();
    };
    QVERIFY2(row(QStringLiteral("ready.test"), QStringLiteral("MX")).contains(QStringLiteral(" OK ")),
             qPrintable(r.out));
    QVERIFY(row(QStringLiteral("ready.test"), QStringLiteral("MX TTL"))
                .contains(QStringLiteral("300 s (5 minutes)")));
    QVERIFY(row(QStringLiteral("nullmx.test"), QStringLiteral("MX")).contains(QStringLiteral(" FAILED ")));
    QVERIFY(row(QStringLiteral("elsewhere.test"), QStringLiteral("SPF 192.0.2.25"))
                .contains(QStringLiteral(" FAILED ")));
    // ready.test is an Inbound source (MX only), elsewhere.test an Outbound target (SPF only).
    QVERIFY(row(QStringLiteral("ready.test"), QStringLiteral("SPF 192.0.2.25")).isEmpty());
    QVERIFY(row(QStringLiteral("elsewhere.test"), QStringLiteral("MX")).isEmpty());
    QVERIFY(r.out.contains(QStringLiteral("What to do:")));
    QVERIFY(r.out.contains(QStringLiteral("v=spf1 include:_spf.provider.test ip4:192.0.2.25 ~all")));
    QVERIFY(r.out.contains(QStringLiteral("nullmx.test. 300 IN MX 10 relay.mailroute.test.")));

    // relay.public_address replaces the host name's address.
    QCOMPARE(ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("relay.public_address"),
                  QStringLiteral("198.51.100.9")})
                 .code,
             0);
    QCOMPARE(ctl({QStringLiteral("push")}).code, 0);
    const Run r2 = ctl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("elsewhere.test")});
    QCOMPARE(r2.code, 0);
    QVERIFY2(
        r2.out.startsWith(QStringLiteral("relay relay.mailroute.test: 198.51.100.9 (relay.public_address)")),
        qPrintable(r2.out));
}

void TestCheck::dnsNamedDomainsAllReady()
{
    REQUIRE_DNSMASQ(m_dnsSkip);
    QCOMPARE(ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("relay.hostname"),
                  ReadinessZone::relayHost()})
                 .code,
             0);
    Run r = ctl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("ready.test"),
                 QStringLiteral("@ByAddress.test")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.err.contains(QStringLiteral("checking the draft")));
    QCOMPARE(r.out.count(QStringLiteral(" OK ")), 6); // MX, MX TTL, SPF for each
    QVERIFY(!r.out.contains(QStringLiteral("What to do")));
    // A warning alone (TTL 3600) does not fail.
    r = ctl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("longttl.test")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QStringLiteral("WARNING")));
    QVERIFY(r.out.contains(QStringLiteral("wait 1 hour before switching MX")));
    r = ctl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("nosuch.test")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.contains(QStringLiteral("NXDOMAIN")));
}

void TestCheck::dnsNothingToCheck()
{
    const Run r = ctl({QStringLiteral("check"), QStringLiteral("dns")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no domains to check")), qPrintable(r.err));
    const Run c = ctl({QStringLiteral("check"), QStringLiteral("connector")});
    QCOMPARE(c.code, 1);
    QVERIFY2(c.err.contains(QStringLiteral("no next hop configured")), qPrintable(c.err));
}

// A name server that never answers the TXT look-up: a WARNING row
// "unknown: ... cannot tell", exit 0, and no SPF record to publish (a second
// one would break SPF for the domain).
void TestCheck::dnsUnansweredTxtIsUnknown()
{
    mailroute::testing::FakeDnsProcess dns;
    const QString why =
        dns.start({QStringLiteral("--record"), QStringLiteral("relay.mailroute.test. 300 A 192.0.2.25"),
                   QStringLiteral("--record"), QStringLiteral("silent.test. 300 MX 10 relay.mailroute.test."),
                   QStringLiteral("--drop"), QStringLiteral("silent.test. TXT")});
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QCOMPARE(ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("relay.hostname"),
                  ReadinessZone::relayHost()})
                 .code,
             0);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
    env.insert(QStringLiteral("MAILROUTE_NAMESERVER"), dns.nameserver());
    const Run r =
        runMailroutectl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("silent.test")}, env);
    QCOMPARE(r.code, 0); // a warning does not fail
    QString spfRow;
    for (const QString &l : r.out.split(QLatin1Char('\n'))) {
        if (l.startsWith(QStringLiteral("silent.test")) && l.contains(QStringLiteral(" SPF ")))
            spfRow = l;
    }
    QVERIFY2(spfRow.contains(QStringLiteral(" WARNING ")), qPrintable(r.out));
    QVERIFY2(spfRow.contains(QStringLiteral("unknown: the DNS server did not answer the TXT look-up")),
             qPrintable(r.out));
    QVERIFY2(!r.out.contains(QStringLiteral("no SPF record")), qPrintable(r.out));
    QVERIFY2(!r.out.contains(QStringLiteral("v=spf1")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("What to do:")));
}

// DKIM, DMARC and the DMARC preview for the Outbound targets, against a
// dnsmasq serving the records: a published matching DKIM record + p=reject +
// SPF with the relay passes; a missing DKIM record under p=reject fails (exit
// 1) with the record to publish; sub.example.test without a DMARC record of
// its own falls back to _dmarc.example.test (its organisational domain).
void TestCheck::dnsMailAuthentication()
{
    const QList<QStringList> commands{
        {u"domains"_s, u"add"_s, u"--area"_s, u"outbound"_s, u"@old.test"_s, u"@pass.test"_s},
        {u"domains"_s, u"add"_s, u"--area"_s, u"outbound"_s, u"@old2.test"_s, u"@fail.test"_s},
        {u"users"_s, u"add"_s, u"--area"_s, u"outbound"_s, u"ann@old3.test"_s, u"ann@sub.example.test"_s},
        {u"users"_s, u"add"_s, u"--area"_s, u"outbound"_s, u"bob@old3.test"_s, u"bob@sub.example.test"_s},
        {u"settings"_s, u"set"_s, u"relay.hostname"_s, ReadinessZone::relayHost()},
        {u"settings"_s, u"set"_s, u"relay.postmaster"_s, u"admin@pass.test"_s},
        {u"dkim"_s, u"generate"_s, u"pass.test"_s, u"--selector"_s, u"s1"_s, u"--algorithm"_s, u"ed25519"_s},
        {u"dkim"_s, u"generate"_s, u"fail.test"_s, u"--selector"_s, u"s1"_s, u"--algorithm"_s, u"ed25519"_s},
        {u"push"_s},
    };
    for (const QStringList &c : commands) {
        const Run r = ctl(c);
        QVERIFY2(r.code == 0, qPrintable(c.join(u' ') + u": "_s + r.err));
    }
    const Run record = ctl({u"dkim"_s, u"record"_s, u"pass.test"_s});
    QCOMPARE(record.code, 0);
    const QString line = record.out.trimmed();
    QVERIFY2(line.startsWith(u"s1._domainkey.pass.test\tv=DKIM1; k=ed25519; p="_s), qPrintable(line));
    DnsmasqProcess dns;
    REQUIRE_DNSMASQ(dns.start({
        u"--local=/test/"_s,
        u"--host-record=relay.mailroute.test,192.0.2.25"_s,
        u"--txt-record=pass.test,v=spf1 include:_spf.relayhost.test -all"_s,
        u"--txt-record=_spf.relayhost.test,v=spf1 ip4:192.0.2.0/24 -all"_s,
        u"--txt-record=s1._domainkey.pass.test,"_s + line.section(u'\t', 1),
        u"--txt-record=_dmarc.pass.test,v=DMARC1; p=reject; rua=mailto:admin@pass.test"_s,
        u"--txt-record=fail.test,v=spf1 -all"_s,
        u"--txt-record=_dmarc.fail.test,v=DMARC1; p=reject"_s,
        u"--txt-record=sub.example.test,v=spf1 ip4:192.0.2.25 -all"_s,
        u"--txt-record=_dmarc.example.test,v=DMARC1; p=none; sp=quarantine; aspf=s"_s,
    }));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MAILROUTE_DB"_s, m_db);
    env.insert(u"MAILROUTE_NAMESERVER"_s, dns.nameserver());
    auto check = [&](const QStringList &domains) {
        return runMailroutectl(QStringList{u"check"_s, u"dns"_s} + domains, env);
    };
    auto row = [](const Run &r, const QString &domain, const QString &name) {
        for (const QString &l : r.out.split(u'\n')) {
            if (l.startsWith(domain + u' ') && l.mid(domain.size()).trimmed().startsWith(name + u"  "_s))
                return l;
        }
        return QString();
    };

    Run r = check({u"pass.test"_s});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY2(row(r, u"pass.test"_s, u"DKIM s1"_s).contains(u" OK "_s), qPrintable(r.out));
    QVERIFY(row(r, u"pass.test"_s, u"DKIM s1"_s).contains(u"matches the private key"_s));
    QVERIFY(row(r, u"pass.test"_s, u"DMARC"_s).contains(u"p=reject for pass.test"_s));
    const QString pass = row(r, u"pass.test"_s, u"DMARC preview @old.test"_s);
    QVERIFY2(pass.contains(u" OK "_s) && pass.contains(u"pass: DKIM pass, aligned (s1, d=pass.test"_s) &&
                 pass.contains(u"SPF pass, aligned"_s),
             qPrintable(r.out));

    r = check({u"fail.test"_s});
    QVERIFY2(r.code == 1, qPrintable(r.out + r.err));
    QVERIFY2(row(r, u"fail.test"_s, u"DKIM s1"_s).contains(u" FAILED "_s), qPrintable(r.out));
    QVERIFY(row(r, u"fail.test"_s, u"DKIM s1"_s).contains(u"no record at s1._domainkey.fail.test"_s));
    QVERIFY(row(r, u"fail.test"_s, u"DMARC preview @old2.test"_s).contains(u" FAILED "_s));
    QVERIFY(row(r, u"fail.test"_s, u"DMARC preview @old2.test"_s)
                .contains(u"p=reject: receivers refuse the mail"_s));
    const Run failRecord = ctl({u"dkim"_s, u"record"_s, u"fail.test"_s});
    QVERIFY2(r.out.contains(u"Publish this TXT record at s1._domainkey.fail.test: "_s +
                            failRecord.out.trimmed().section(u'\t', 1)),
             qPrintable(r.out));

    r = check({u"sub.example.test"_s});
    QVERIFY2(
        r.code == 0,
        qPrintable(r.out + r.err)); // no DKIM key (a warning), but SPF passes and aligns even under aspf=s
    const QString dmarc = row(r, u"sub.example.test"_s, u"DMARC"_s);
    QVERIFY2(dmarc.contains(u"p=quarantine for sub.example.test"_s) &&
                 dmarc.contains(u"at _dmarc.example.test"_s),
             qPrintable(r.out));
    QVERIFY(row(r, u"sub.example.test"_s, u"DKIM"_s).contains(u"WARNING"_s));
    QVERIFY(r.out.contains(u"mailroutectl dkim generate sub.example.test"_s));
    QVERIFY2(row(r, u"sub.example.test"_s, u"DMARC preview 2 user rules"_s).contains(u" OK "_s),
             qPrintable(r.out));

    // All Outbound targets at once: one fails, so exit 1.
    r = check({});
    QCOMPARE(r.code, 1);
    QVERIFY(!row(r, u"pass.test"_s, u"DMARC preview @old.test"_s).isEmpty());
    QVERIFY(!row(r, u"fail.test"_s, u"DMARC preview @old2.test"_s).isEmpty());
}

void TestCheck::badNameserverIsRefused()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MAILROUTE_DB"), m_db);
    env.insert(QStringLiteral("MAILROUTE_NAMESERVER"), QStringLiteral("ns.example.com"));
    const Run r =
        runMailroutectl({QStringLiteral("check"), QStringLiteral("dns"), QStringLiteral("ready.test")}, env);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("MAILROUTE_NAMESERVER: 'ns.example.com' is not an IP address")),
             qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCheck::connectorGiven()
{
    PySink sink;
    QVERIFY2(sink.start(), qPrintable(sink.error()));
    Run r = ctl({QStringLiteral("check"), QStringLiteral("connector"),
                 QStringLiteral("127.0.0.1:%1").arg(sink.port())});
    QCOMPARE(r.code, 0); // no STARTTLS is a warning
    QVERIFY2(r.out.contains(QStringLiteral("NEXT HOP 127.0.0.1:%1 (given, TLS policy may)").arg(sink.port())),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("TASK")));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("\\nBanner +OK +220 "))));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("\\nSTARTTLS offered +WARNING +no"))));
    // EHLO's continuation lines under the REPLY column.
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("\\n +250 PIPELINING"))), qPrintable(r.out));

    r = ctl({QStringLiteral("check"), QStringLiteral("connector"),
             QStringLiteral("[127.0.0.1]:%1").arg(closedPort())});
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("\\nConnect +FAILED +"))));
}

void TestCheck::connectorConfiguredHops()
{
    PySink smart;
    QVERIFY(smart.start());
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix's smtp-sink is not installed");
    PostfixSink route;
    QVERIFY(route.start());
    QCOMPARE(ctl({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("delivery.smarthost"),
                  QStringLiteral("127.0.0.1:%1").arg(smart.port())})
                 .code,
             0);
    QCOMPARE(ctl({QStringLiteral("routes"), QStringLiteral("set"), QStringLiteral("drypizza.test"),
                  QStringLiteral("[127.0.0.1]:%1").arg(route.port()), QStringLiteral("--tls"),
                  QStringLiteral("encrypt")})
                 .code,
             0);
    const Run r = ctl({QStringLiteral("check"), QStringLiteral("connector")});
    QVERIFY2(r.out.contains(
                 QStringLiteral("NEXT HOP 127.0.0.1:%1 (smart host, TLS policy may)").arg(smart.port())),
             qPrintable(r.out));
    QVERIFY(
        r.out.contains(QStringLiteral("NEXT HOP [127.0.0.1]:%1 (route for drypizza.test, TLS policy encrypt)")
                           .arg(route.port())));
    QCOMPARE(r.out.count(QStringLiteral("\nBanner ")), 2);
    QVERIFY(r.code == 0 || r.code == 1); // smtp-sink may offer STARTTLS it cannot do
    QTRY_VERIFY_WITH_TIMEOUT(smart.commands().contains(QStringLiteral("QUIT")), 5000);
}

void TestCheck::connectorSendTestEmail()
{
    PySink sink;
    QVERIFY(sink.start());
    setUpConfig({QStringLiteral("relay.postmaster"), QStringLiteral("admin@warmsushi.test"),
                 QStringLiteral("delivery.smarthost"), QStringLiteral("127.0.0.1:%1").arg(sink.port())});
    Run r = ctl({QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("--send-to"),
                 QStringLiteral("chloe@drypizza.test")});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(
        QRegularExpression(QStringLiteral("\\nSend test email to chloe@drypizza.test +OK +250 "))));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
    QCOMPARE(sink.messages().at(0).value(QStringLiteral("mail")).toString().section(QLatin1Char(' '), 0, 0),
             QStringLiteral("<admin@warmsushi.test>"));
    QVERIFY(
        PySink::data(sink.messages().at(0)).contains("Subject: MailRoute test message through 127.0.0.1:"));

    r = ctl({QStringLiteral("check"), QStringLiteral("connector"), QStringLiteral("--send-to"),
             QStringLiteral("not-an-address")});
    QCOMPARE(r.code, 2); // a usage error (docs/behaviour.md "The command line (mailroutectl)"), refused
                         // before any connection
    QVERIFY2(r.err.contains(QStringLiteral("--send-to: ")), qPrintable(r.err));
    QCOMPARE(sink.messages().size(), 1);
}

QTEST_GUILESS_MAIN(TestCheck)
#include "tst_check.moc"
