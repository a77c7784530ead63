// DnsResolver against a real DNS server on 127.0.0.1 (fakedns.py, UDP and
// TCP): every outcome told apart — records, NODATA, NXDOMAIN, SERVFAIL,
// REFUSED, no answer — with the TTLs the server gave (records) and the SOA
// MINIMUM (negative answers, RFC 2308 §5); the records' parsing (MX with
// null MX, TXT strings joined, a TXT too long for UDP over TCP); 50 look-ups
// at once; callbacks from the event loop only, never after cancel() or the
// context's end; the name server setting's syntax.
#include "relaycore/dns/dnsresolver.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QElapsedTimer>
#include <QTest>

#include <optional>

using namespace mailroute;
using namespace std::chrono_literals;

namespace {

DnsAnswer lookupNow(DnsResolver &resolver, DnsType type, const QString &name,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds::zero())
{
    std::optional<DnsAnswer> answer;
    QObject context;
    resolver.lookup(
        type, name, &context, [&answer](const DnsAnswer &a) { answer = a; }, timeout);
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 30000))
        return DnsAnswer::makeFailure(DnsAnswer::FailureKind::LocalError,
                                      QStringLiteral("test: no callback"));
    return *answer;
}

QString longText()
{
    QString s;
    for (int i = 0; i < 12; ++i)
        s += QStringLiteral("\"%1\" ").arg(QString(60, QLatin1Char('a' + i)));
    return s.trimmed();
}

} // namespace

class TestDnsResolver final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void nameServerSyntax_data();
    void nameServerSyntax();
    void mxRecords();
    void nullMx();
    void addresses();
    void txtStringsJoined();
    void txtOverTcp();
    void dkimKeyLookup();
    void noData();
    void nxDomain();
    void serverFailure();
    void refused();
    void noAnswerIsItsOwnOutcome();
    void fiftyAtOnce();
    void callbacksFromTheEventLoopOnly();
    void cancelAndContext();
    void badNameServerFailsEveryLookup();

private:
    DnsResolver::Options options(std::chrono::milliseconds timeout = 10s) const
    {
        DnsResolver::Options o;
        o.nameserver = m_dns.nameserver();
        o.timeout = timeout;
        return o;
    }
    testing::FakeDnsProcess m_dns;
};

void TestDnsResolver::initTestCase()
{
    QStringList args{
        QStringLiteral("--record"),
        QStringLiteral("good.test. 300 MX 20 mx2.good.test."),
        QStringLiteral("--record"),
        QStringLiteral("good.test. 300 MX 10 MX1.Good.Test."),
        QStringLiteral("--record"),
        QStringLiteral("mx1.good.test. 250 A 127.0.0.2"),
        QStringLiteral("--record"),
        QStringLiteral("mx1.good.test. 250 A 127.0.0.3"),
        QStringLiteral("--record"),
        QStringLiteral("mx1.good.test. 200 AAAA 2001:db8::25"),
        QStringLiteral("--record"),
        QStringLiteral("nullmx.test. 300 MX 0 ."),
        QStringLiteral("--record"),
        QStringLiteral("txt.test. 120 TXT \"v=spf1 ip4:192.0.2.25 \" \"-all\""),
        QStringLiteral("--record"),
        QStringLiteral("txt.test. 120 TXT \"hello\""),
        QStringLiteral("--record"),
        QStringLiteral("long.test. 300 TXT ") + longText(),
        QStringLiteral("--truncate"),
        QStringLiteral("long.test. TXT"),
        QStringLiteral("--record"),
        QStringLiteral("nodata.test. 300 A 127.0.0.5"),
        QStringLiteral("--record"),
        QStringLiteral("sel._domainkey.good.test. 600 TXT \"v=DKIM1; k=ed25519; \" "
                       "\"p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\""),
        QStringLiteral("--record"),
        QStringLiteral("bücher.test. 300 A 127.0.0.8"),
        QStringLiteral("--record"),
        QStringLiteral("silent.test. 300 A 127.0.0.7"),
        QStringLiteral("--drop"),
        QStringLiteral("silent.test. MX"),
        QStringLiteral("--servfail"),
        QStringLiteral("broken.test. *"),
        QStringLiteral("--refused"),
        QStringLiteral("refused.test. *"),
        QStringLiteral("--negative-ttl"),
        QStringLiteral("45"),
    };
    for (int i = 0; i < 50; ++i)
        args << QStringLiteral("--record") << QStringLiteral("n%1.many.test. 300 A 127.0.1.%1").arg(i);
    const QString why = m_dns.start(args);
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

void TestDnsResolver::nameServerSyntax_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    QTest::newRow("ipv4") << QStringLiteral("192.0.2.53") << QStringLiteral("192.0.2.53:53");
    QTest::newRow("ipv4:port") << QStringLiteral("127.0.0.1:5353") << QStringLiteral("127.0.0.1:5353");
    QTest::newRow("bare ipv6") << QStringLiteral("2001:db8::53") << QStringLiteral("[2001:db8::53]:53");
    QTest::newRow("[ipv6]:port") << QStringLiteral("[::1]:5353") << QStringLiteral("[::1]:5353");
    QTest::newRow("[ipv4]") << QStringLiteral("[192.0.2.53]") << QStringLiteral("192.0.2.53:53");
    QTest::newRow("blanks") << QStringLiteral(" 127.0.0.1:53 ") << QStringLiteral("127.0.0.1:53");
    QTest::newRow("host name") << QStringLiteral("ns.example.com") << QString();
    QTest::newRow("host name:port") << QStringLiteral("ns.example.com:53") << QString();
    QTest::newRow("port 0") << QStringLiteral("127.0.0.1:0") << QString();
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:65536") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("short ipv4") << QStringLiteral("127.1") << QString();
}

void TestDnsResolver::nameServerSyntax()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const Result<NameServer> ns = NameServer::parse(text);
    if (canonical.isEmpty()) {
        QVERIFY(!ns);
        QVERIFY(!ns.error.isEmpty());
        return;
    }
    QVERIFY2(ns, qPrintable(ns.error));
    QCOMPARE(ns->toString(), canonical);
}

void TestDnsResolver::mxRecords()
{
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("good.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("records"));
    QVERIFY(a.hasRecords());
    QCOMPARE(a.values.size(), 2);
    // Lower case, no trailing dot, each with its preference.
    QCOMPARE(QSet<QString>(a.values.cbegin(), a.values.cend()),
             (QSet<QString>{QStringLiteral("mx1.good.test"), QStringLiteral("mx2.good.test")}));
    QCOMPARE(a.preferences.at(a.values.indexOf(QStringLiteral("mx1.good.test"))), 10);
    QCOMPARE(a.preferences.at(a.values.indexOf(QStringLiteral("mx2.good.test"))), 20);
    QCOMPARE(a.ttls, (QList<quint32>{300, 300}));
    QCOMPARE(a.ttl, 300u);
    QCOMPARE(a.rcode, 0);
    QCOMPARE(m_dns.queries(QStringLiteral("MX good.test")), 1);
}

void TestDnsResolver::nullMx()
{
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("nullmx.test."));
    QCOMPARE(a.outcomeName(), QStringLiteral("records"));
    QCOMPARE(a.values, QStringList{QString()}); // "." (RFC 7505)
    QCOMPARE(a.preferences, QList<int>{0});
}

void TestDnsResolver::addresses()
{
    DnsResolver resolver(options());
    const DnsAnswer v4 = lookupNow(resolver, DnsType::A, QStringLiteral("mx1.good.test"));
    QCOMPARE(v4.outcomeName(), QStringLiteral("records"));
    QStringList sorted = v4.values;
    sorted.sort();
    QCOMPARE(sorted, (QStringList{QStringLiteral("127.0.0.2"), QStringLiteral("127.0.0.3")}));
    QCOMPARE(v4.ttl, 250u);
    const DnsAnswer v6 = lookupNow(resolver, DnsType::AAAA, QStringLiteral("MX1.good.test"));
    QCOMPARE(v6.values, QStringList{QStringLiteral("2001:db8::25")});
    QCOMPARE(v6.ttl, 200u);
}

void TestDnsResolver::txtStringsJoined()
{
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::TXT, QStringLiteral("txt.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("records"));
    QStringList sorted = a.values;
    sorted.sort();
    // RFC 7208 §3.3: the strings of one record concatenated without a blank.
    QCOMPARE(sorted, (QStringList{QStringLiteral("hello"), QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
    QCOMPARE(a.ttl, 120u);
}

void TestDnsResolver::txtOverTcp()
{
    // 720 bytes: the server sets TC over UDP; the answer must come over TCP.
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::TXT, QStringLiteral("long.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("records"));
    QCOMPARE(a.values.size(), 1);
    QCOMPARE(a.values.first().size(), 720);
    QVERIFY(a.values.first().startsWith(QString(60, QLatin1Char('a')) + QString(60, QLatin1Char('b'))));
    QVERIFY(m_dns.queries(QStringLiteral("TXT long.test")) >= 2); // UDP, then TCP
}

void TestDnsResolver::dkimKeyLookup()
{
    // How a DKIM verifier asks for a key (RFC 6376 §3.6.2.2): TXT of
    // selector._domainkey.domain, with its own time-out.
    DnsResolver resolver(options());
    const DnsAnswer key = lookupNow(resolver, DnsType::TXT, QStringLiteral("sel._domainkey.good.test"), 5s);
    QCOMPARE(key.outcomeName(), QStringLiteral("records"));
    QCOMPARE(key.values, QStringList{QStringLiteral(
                             "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")});
    QCOMPARE(key.ttl, 600u);
    const DnsAnswer none = lookupNow(resolver, DnsType::TXT, QStringLiteral("gone._domainkey.good.test"), 5s);
    QCOMPARE(none.outcomeName(), QStringLiteral("NXDOMAIN"));
    // A U-label name is asked as its A-labels.
    const DnsAnswer idn = lookupNow(resolver, DnsType::A, QStringLiteral("Bücher.test"));
    QCOMPARE(idn.values, QStringList{QStringLiteral("127.0.0.8")});
}

void TestDnsResolver::noData()
{
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("nodata.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("NODATA"));
    QCOMPARE(a.outcome, DnsAnswer::Outcome::NoRecords);
    QVERIFY(a.values.isEmpty());
    QVERIFY(a.isVoid());
    QCOMPARE(a.ttl, 45u); // min(SOA TTL 3600, MINIMUM 45)
}

void TestDnsResolver::nxDomain()
{
    DnsResolver resolver(options());
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("nosuch.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("NXDOMAIN"));
    QCOMPARE(a.rcode, 3);
    QCOMPARE(a.ttl, 45u);
    QVERIFY(!a.isFailure());
}

void TestDnsResolver::serverFailure()
{
    DnsResolver resolver(options(20s));
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("broken.test"));
    QCOMPARE(a.outcomeName(), QStringLiteral("SERVFAIL"));
    QVERIFY(a.isFailure());
    QVERIFY(!a.isNoAnswer());
    QVERIFY(!a.isVoid());
    QVERIFY(!a.error.isEmpty());
    QCOMPARE(a.ttl, 0u);
}

void TestDnsResolver::refused()
{
    // unbound takes REFUSED from its only forwarder as that server failing.
    DnsResolver resolver(options(20s));
    const DnsAnswer a = lookupNow(resolver, DnsType::A, QStringLiteral("refused.test"));
    QVERIFY2(a.isFailure() && !a.isNoAnswer(), qPrintable(a.outcomeName() + QLatin1Char(' ') + a.error));
    QVERIFY2(a.failure == DnsAnswer::FailureKind::ServerFailure ||
                 a.failure == DnsAnswer::FailureKind::OtherRcode,
             qPrintable(a.outcomeName()));
}

void TestDnsResolver::noAnswerIsItsOwnOutcome()
{
    // The server answers A for silent.test and never MX: the MX look-up ends
    // at our time-out as "no answer", which is neither NODATA nor NXDOMAIN.
    DnsResolver resolver(options(1500ms));
    QElapsedTimer t;
    t.start();
    const DnsAnswer mx = lookupNow(resolver, DnsType::MX, QStringLiteral("silent.test"));
    QCOMPARE(mx.outcomeName(), QStringLiteral("no answer"));
    QVERIFY(mx.isNoAnswer());
    QVERIFY(!mx.isVoid());
    QCOMPARE(mx.rcode, -1);
    QVERIFY2(mx.error.contains(QLatin1String("no answer to the MX look-up of silent.test")),
             qPrintable(mx.error));
    QVERIFY(m_dns.queries(QStringLiteral("MX silent.test")) >= 1);
    // A per-look-up time-out overrides the default.
    const DnsAnswer quick = lookupNow(resolver, DnsType::MX, QStringLiteral("silent.test"), 300ms);
    QVERIFY(quick.isNoAnswer());
    QVERIFY2(quick.error.contains(QLatin1String("300 ms")), qPrintable(quick.error));
    // The same server still answers the other type.
    const DnsAnswer a = lookupNow(resolver, DnsType::A, QStringLiteral("silent.test"), 10s);
    QCOMPARE(a.values, QStringList{QStringLiteral("127.0.0.7")});
    QCOMPARE(resolver.pendingLookups(), 0);
}

void TestDnsResolver::fiftyAtOnce()
{
    // The old resolver (Qt 6.4) ran five at a time; all fifty are in flight here.
    DnsResolver resolver(options(20s));
    QObject context;
    QHash<int, DnsAnswer> answers;
    for (int i = 0; i < 50; ++i) {
        resolver.lookup(DnsType::A, QStringLiteral("n%1.many.test").arg(i), &context,
                        [&answers, i](const DnsAnswer &a) { answers.insert(i, a); });
    }
    QCOMPARE(resolver.pendingLookups(), 50);
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 50, 30000);
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(answers.value(i).outcomeName(), QStringLiteral("records"));
        QCOMPARE(answers.value(i).values, QStringList{QStringLiteral("127.0.1.%1").arg(i)});
    }
    QCOMPARE(resolver.lookupsStarted(), quint64(50));
    QCOMPARE(resolver.pendingLookups(), 0);
}

void TestDnsResolver::callbacksFromTheEventLoopOnly()
{
    DnsResolver resolver(options());
    int calls = 0;
    QObject context;
    resolver.lookup(DnsType::A, QStringLiteral("mx1.good.test"), &context,
                    [&calls](const DnsAnswer &) { ++calls; });
    resolver.lookup(DnsType::A, QString(), &context, [&calls](const DnsAnswer &a) {
        QCOMPARE(a.failure, DnsAnswer::FailureKind::LocalError);
        ++calls;
    });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 2, 10000);
}

void TestDnsResolver::cancelAndContext()
{
    DnsResolver resolver(options(2s));
    int calls = 0;
    QObject context;
    const quint64 id = resolver.lookup(DnsType::MX, QStringLiteral("silent.test"), &context,
                                       [&calls](const DnsAnswer &) { ++calls; });
    auto *gone = new QObject;
    resolver.lookup(DnsType::A, QStringLiteral("mx1.good.test"), gone,
                    [&calls](const DnsAnswer &) { calls += 100; });
    delete gone;
    QTest::qWait(100);
    resolver.cancel(id);
    QTRY_COMPARE_WITH_TIMEOUT(resolver.pendingLookups(), 0, 10000);
    QTest::qWait(2500); // past the cancelled one's time-out
    QCOMPARE(calls, 0);
    // The resolver keeps working after a cancel.
    QCOMPARE(lookupNow(resolver, DnsType::A, QStringLiteral("nodata.test")).values,
             QStringList{QStringLiteral("127.0.0.5")});
}

void TestDnsResolver::badNameServerFailsEveryLookup()
{
    DnsResolver::Options o;
    o.nameserver = QStringLiteral("ns.example.com:53");
    DnsResolver resolver(o);
    QVERIFY(!resolver.setupError().isEmpty());
    const DnsAnswer a = lookupNow(resolver, DnsType::MX, QStringLiteral("good.test"));
    QCOMPARE(a.failure, DnsAnswer::FailureKind::LocalError);
    QVERIFY2(a.error.contains(QLatin1String("not an IP address")), qPrintable(a.error));
}

QTEST_GUILESS_MAIN(TestDnsResolver)
#include "tst_dnsresolver.moc"
