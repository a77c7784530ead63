// NextHopResolver: the next-hop syntax and MX ordering as pure functions, the
// configured routes and smart host, and DNS against a real dnsmasq on
// 127.0.0.1 at a high port (MX order, implicit MX, null MX, NXDOMAIN, TTL
// cache), fakedns.py for a server that drops or SERVFAILs one type, and an
// in-process stub name server for SERVFAIL and silence. No root needed.
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/dns/dnsresolver.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUdpSocket>

#include <optional>

using namespace mailroute;
using namespace std::chrono_literals;

namespace {

// A name server in this process on 127.0.0.1 (a port the system chose) that
// answers every query with one RCODE (2 SERVFAIL, 5 REFUSED), optionally late.
class StubNameServer final : public QObject
{
public:
    bool start(int rcode, std::chrono::milliseconds delay = 0ms)
    {
        m_rcode = rcode;
        m_delay = delay;
        {
            if (m_socket.bind(QHostAddress::LocalHost, 0)) {
                connect(&m_socket, &QUdpSocket::readyRead, this, [this] {
                    while (m_socket.hasPendingDatagrams()) {
                        const QNetworkDatagram query = m_socket.receiveDatagram();
                        QByteArray reply = query.data();
                        if (reply.size() < 12)
                            continue;
                        ++m_queries;
                        // RFC 1035 §4.1.1: QR=1, RA=1, RCODE; the question is echoed.
                        reply[2] = char(reply.at(2) | 0x80);
                        reply[3] = char(0x80 | (m_rcode & 0x0f));
                        // Not makeReply(): it may answer from 127.0.0.1, and a
                        // resolver drops answers from an unexpected address.
                        const QHostAddress to = query.senderAddress();
                        const quint16 port = quint16(query.senderPort());
                        QTimer::singleShot(m_delay, this, [this, reply, to, port] {
                            m_socket.writeDatagram(reply, to, port);
                            ++m_answered;
                        });
                    }
                });
                return true;
            }
        }
        return false;
    }
    QString nameserver() const { return QStringLiteral("127.0.0.1:%1").arg(m_socket.localPort()); }
    int queries() const { return m_queries; }
    int answered() const { return m_answered; }

private:
    QUdpSocket m_socket;
    int m_rcode = 2;
    std::chrono::milliseconds m_delay{0};
    int m_queries = 0;
    int m_answered = 0;
};

NextHopLookup resolveNow(NextHopResolver &resolver, const QString &domain, int timeoutMs = 20000)
{
    std::optional<NextHopLookup> result;
    QObject context;
    resolver.resolve(domain, &context, [&result](const NextHopLookup &l) { result = l; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs)) {
        NextHopLookup none;
        none.error = QStringLiteral("test: no callback");
        return none;
    }
    return *result;
}

// "mx1.good.test[127.0.0.2]:25/10/mx" per hop, for compact comparisons.
QStringList describe(const NextHopLookup &l)
{
    QStringList out;
    for (const NextHop &h : l.hops)
        out << h.toString() + QLatin1Char('/') + QString::number(h.preference) + QLatin1Char('/') + h.source;
    return out;
}

QString statusName(LookupStatus s)
{
    switch (s) {
    case LookupStatus::Ok: return QStringLiteral("ok");
    case LookupStatus::TemporaryFailure: return QStringLiteral("temporary");
    case LookupStatus::PermanentFailure: return QStringLiteral("permanent");
    }
    return {};
}

const QStringList kZone = {
    QStringLiteral("--mx-host=good.test,mx2.good.test,20"),
    QStringLiteral("--mx-host=good.test,mx1.good.test,10"),
    QStringLiteral("--mx-host=good.test,noaddr.good.test,5"), // best preference, but no address: skipped
    QStringLiteral("--host-record=mx1.good.test,127.0.0.2"),
    QStringLiteral("--host-record=mx2.good.test,127.0.0.3,::1"),
    QStringLiteral("--mx-host=equal.test,a.equal.test,10"),
    QStringLiteral("--mx-host=equal.test,b.equal.test,10"),
    QStringLiteral("--host-record=a.equal.test,127.0.0.10"),
    QStringLiteral("--host-record=b.equal.test,127.0.0.11"),
    QStringLiteral("--host-record=nomx.test,127.0.0.4"),
    QStringLiteral("--mx-host=nullmx.test,.,0"),
    QStringLiteral("--txt-record=txtonly.test,\"v=spf1 -all\""),
    QStringLiteral("--mx-host=lame.test,nowhere.lame.test,10"),
};

} // namespace

class TestNextHopResolver final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void parseHopSpec_data();
    void parseHopSpec();
    void orderExchangers();
    void literalRouteNeedsNoDns();
    void smartHostAndRoutePrecedence();
    void invalidRouteIsTemporary();
    void callbackIsNeverSynchronousAndRespectsContext();

    void mxRecordsInPreferenceOrder();
    void equalPreferencesAreShuffled();
    void implicitMx();
    void nullMx();
    void nxdomain();
    void noMxNoAddress();
    void mxHostsWithoutAddress();
    void routeNameGetsMxLookupWithItsPort();
    void bracketedRouteSkipsMx();
    void concurrentLookupsShareOneQuery();
    void cacheHonoursTtl();
    void serverFailureIsTemporary();
    void silentServerTimesOut();
    void mxWithoutAnswerDefersNeverImplicit();
    void mxServfailDefersNeverImplicit();
    void mxNoDataUsesTheImplicitMx();
    void hostAddressWithoutAnswerIsTemporary();

private:
    testing::DnsmasqProcess m_dns;
    QString m_dnsProblem;
    NextHopResolver::Settings dnsSettings() const
    {
        NextHopResolver::Settings s;
        s.nameserver = m_dns.nameserver();
        s.timeout = 15s;
        return s;
    }
    // fakedns.py: an A record but MX dropped / SERVFAIL / NODATA, and an MX
    // host whose A and AAAA look-ups are dropped.
    testing::FakeDnsProcess m_faulty;
    NextHopResolver::Settings faultySettings() const
    {
        NextHopResolver::Settings s;
        s.nameserver = m_faulty.nameserver();
        s.timeout = 2s;
        return s;
    }
};

void TestNextHopResolver::initTestCase()
{
    // TTL 300 for every answer; names under .test never leave dnsmasq.
    m_dnsProblem =
        m_dns.start(kZone + QStringList{QStringLiteral("--local=/test/"), QStringLiteral("--local-ttl=300")});
    if (!m_dnsProblem.isEmpty())
        qWarning("DNS tests against dnsmasq: %s", qPrintable(m_dnsProblem));
    const QString why = m_faulty.start({
        QStringLiteral("--record"),
        QStringLiteral("dropmx.test. 300 A 127.0.0.9"),
        QStringLiteral("--drop"),
        QStringLiteral("dropmx.test. MX"),
        QStringLiteral("--record"),
        QStringLiteral("sfmx.test. 300 A 127.0.0.9"),
        QStringLiteral("--servfail"),
        QStringLiteral("sfmx.test. MX"),
        QStringLiteral("--record"),
        QStringLiteral("nodatamx.test. 300 A 127.0.0.9"),
        QStringLiteral("--record"),
        QStringLiteral("slowhost.test. 300 MX 10 mx.slowhost.test."),
        QStringLiteral("--record"),
        QStringLiteral("mx.slowhost.test. 300 A 127.0.0.9"),
        QStringLiteral("--drop"),
        QStringLiteral("mx.slowhost.test. *"),
    });
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

void TestNextHopResolver::cleanupTestCase()
{
    m_dns.stop();
    m_faulty.stop();
}

void TestNextHopResolver::parseHopSpec_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host"); // empty: must be refused
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("mxLookup");
    QTest::addColumn<bool>("literal");
    QTest::newRow("host") << QStringLiteral("Smtp.Example.COM") << QStringLiteral("smtp.example.com") << 25
                          << true << false;
    QTest::newRow("host:port") << QStringLiteral("example.com:2525") << QStringLiteral("example.com") << 2525
                               << true << false;
    QTest::newRow("[host]:port") << QStringLiteral("[mx.example.com]:587") << QStringLiteral("mx.example.com")
                                 << 587 << false << false;
    QTest::newRow("[host]") << QStringLiteral("[mx.example.com]") << QStringLiteral("mx.example.com") << 25
                            << false << false;
    QTest::newRow("[ipv4]:port") << QStringLiteral("[1.2.3.4]:2526") << QStringLiteral("1.2.3.4") << 2526
                                 << false << true;
    QTest::newRow("ipv4:port") << QStringLiteral("192.0.2.1:25") << QStringLiteral("192.0.2.1") << 25 << false
                               << true;
    QTest::newRow("[ipv6]:port") << QStringLiteral("[::1]:25") << QStringLiteral("::1") << 25 << false
                                 << true;
    QTest::newRow("[ipv6]") << QStringLiteral("[2001:db8::1]") << QStringLiteral("2001:db8::1") << 25 << false
                            << true;
    QTest::newRow("idn") << QStringLiteral("bücher.example") << QStringLiteral("xn--bcher-kva.example") << 25
                         << true << false;
    QTest::newRow("spaces around") << QStringLiteral("  mx.example.com:26 ")
                                   << QStringLiteral("mx.example.com") << 26 << true << false;
    QTest::newRow("empty") << QString() << QString() << 0 << false << false;
    QTest::newRow("bare ipv6") << QStringLiteral("2001:db8::1") << QString() << 0 << false << false;
    QTest::newRow("port 0") << QStringLiteral("mx.example.com:0") << QString() << 0 << false << false;
    QTest::newRow("port 65536") << QStringLiteral("mx.example.com:65536") << QString() << 0 << false << false;
    QTest::newRow("port not a number")
        << QStringLiteral("mx.example.com:smtp") << QString() << 0 << false << false;
    QTest::newRow("empty port") << QStringLiteral("mx.example.com:") << QString() << 0 << false << false;
    QTest::newRow("unclosed bracket") << QStringLiteral("[1.2.3.4:25") << QString() << 0 << false << false;
    QTest::newRow("text after bracket") << QStringLiteral("[1.2.3.4]x") << QString() << 0 << false << false;
    QTest::newRow("empty brackets") << QStringLiteral("[]:25") << QString() << 0 << false << false;
    QTest::newRow("multicast") << QStringLiteral("[224.0.0.1]") << QString() << 0 << false << false;
    QTest::newRow("any address") << QStringLiteral("0.0.0.0:25") << QString() << 0 << false << false;
    QTest::newRow("bad host name") << QStringLiteral("mx_1.example.com") << QString() << 0 << false << false;
    QTest::newRow("at sign") << QStringLiteral("user@example.com") << QString() << 0 << false << false;
}

void TestNextHopResolver::parseHopSpec()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, mxLookup);
    QFETCH(bool, literal);
    const Result<NextHopResolver::HopSpec> spec = NextHopResolver::parseHopSpec(text);
    if (host.isEmpty()) {
        QVERIFY2(!spec, qPrintable(spec ? spec->host : QString()));
        QVERIFY(!spec.error.isEmpty());
        return;
    }
    QVERIFY2(spec, qPrintable(spec.error));
    QCOMPARE(spec->host, host);
    QCOMPARE(int(spec->port), port);
    QCOMPARE(spec->mxLookup, mxLookup);
    QCOMPARE(spec->literal, literal);
}

void TestNextHopResolver::orderExchangers()
{
    using L = QList<std::pair<int, QString>>;
    QRandomGenerator random(42);
    const L input{{20, QStringLiteral("c")},
                  {10, QStringLiteral("a")},
                  {30, QStringLiteral("d")},
                  {10, QStringLiteral("b")},
                  {30, QStringLiteral("a")}};
    int aFirst = 0;
    int bFirst = 0;
    for (int i = 0; i < 200; ++i) {
        const L out = NextHopResolver::orderExchangers(input, &random);
        // Preference order; the duplicate "a" keeps its best place only.
        QCOMPARE(out.size(), 4);
        QCOMPARE(out.at(0).first, 10);
        QCOMPARE(out.at(1).first, 10);
        QCOMPARE(out.at(2), (std::pair<int, QString>{20, QStringLiteral("c")}));
        QCOMPARE(out.at(3), (std::pair<int, QString>{30, QStringLiteral("d")}));
        (out.at(0).second == QLatin1String("a") ? aFirst : bFirst) += 1;
    }
    // Both orders of the two preference-10 hosts occur (fixed seed: deterministic).
    QVERIFY2(aFirst > 50 && bFirst > 50, qPrintable(QStringLiteral("%1 / %2").arg(aFirst).arg(bFirst)));
}

void TestNextHopResolver::literalRouteNeedsNoDns()
{
    NextHopResolver::Settings s;
    s.routes.insert(QStringLiteral("dry.test"), QStringLiteral("[127.0.0.1]:2526"));
    s.routes.insert(QStringLiteral("six.test"), QStringLiteral("[::1]:25"));
    s.nameserver = QStringLiteral("127.0.0.1:9"); // would fail if it were asked
    NextHopResolver resolver(s);
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("Dry.Test"));
    QCOMPARE(statusName(l.status), QStringLiteral("ok"));
    QCOMPARE(l.domain, QStringLiteral("Dry.Test"));
    QCOMPARE(l.destination, QStringLiteral("route:[127.0.0.1]:2526"));
    QVERIFY(l.kind == DestinationKind::Route);
    QCOMPARE(describe(l), QStringList{QStringLiteral("[127.0.0.1]:2526/0/route")});
    QCOMPARE(l.hops.first().address, QStringLiteral("127.0.0.1"));
    const NextHopLookup six = resolveNow(resolver, QStringLiteral("six.test"));
    QCOMPARE(describe(six), QStringList{QStringLiteral("[::1]:25/0/route")});
}

void TestNextHopResolver::smartHostAndRoutePrecedence()
{
    NextHopResolver::Settings s;
    s.smarthost = QStringLiteral("192.0.2.25:587");
    s.routes.insert(QStringLiteral("dry.test"), QStringLiteral("[127.0.0.1]:2526"));
    NextHopResolver resolver(s);
    const NextHopLookup routed = resolveNow(resolver, QStringLiteral("dry.test"));
    QCOMPARE(describe(routed), QStringList{QStringLiteral("[127.0.0.1]:2526/0/route")});
    const NextHopLookup smart = resolveNow(resolver, QStringLiteral("elsewhere.test"));
    QCOMPARE(statusName(smart.status), QStringLiteral("ok"));
    QCOMPARE(smart.destination, QStringLiteral("smarthost:192.0.2.25:587"));
    QVERIFY(smart.kind == DestinationKind::SmartHost);
    QVERIFY(routed.kind == DestinationKind::Route);
    QCOMPARE(describe(smart), QStringList{QStringLiteral("[192.0.2.25]:587/0/smarthost")});
    // Subdomains are other domains: no route for them.
    QCOMPARE(resolveNow(resolver, QStringLiteral("sub.dry.test")).destination,
             QStringLiteral("smarthost:192.0.2.25:587"));
}

void TestNextHopResolver::invalidRouteIsTemporary()
{
    NextHopResolver::Settings s;
    s.routes.insert(QStringLiteral("dry.test"), QStringLiteral("mx.dry.test:99999"));
    NextHopResolver resolver(s);
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("dry.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("temporary"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("4.3.5"));
    QVERIFY2(l.error.contains(QLatin1String("port")), qPrintable(l.error));
}

void TestNextHopResolver::callbackIsNeverSynchronousAndRespectsContext()
{
    NextHopResolver::Settings s;
    s.smarthost = QStringLiteral("[127.0.0.1]:25");
    NextHopResolver resolver(s);
    int calls = 0;
    QObject context;
    resolver.resolve(QStringLiteral("a.test"), &context, [&calls](const NextHopLookup &) { ++calls; });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 5000);

    auto *gone = new QObject;
    resolver.resolve(QStringLiteral("a.test"), gone, [&calls](const NextHopLookup &) { ++calls; });
    delete gone;
    resolver.resolve(QStringLiteral("a.test"), &context, [&calls](const NextHopLookup &) { calls += 10; });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 11, 5000);
    QTest::qWait(50);
    QCOMPARE(calls, 11);
}

void TestNextHopResolver::mxRecordsInPreferenceOrder()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("good.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("ok"));
    QCOMPARE(l.destination, QStringLiteral("mx:good.test"));
    QVERIFY(l.kind == DestinationKind::Mx);
    // noaddr.good.test (preference 5) has no address and is skipped; IPv4 before IPv6.
    QCOMPARE(describe(l), (QStringList{QStringLiteral("mx1.good.test[127.0.0.2]:25/10/mx"),
                                       QStringLiteral("mx2.good.test[127.0.0.3]:25/20/mx"),
                                       QStringLiteral("mx2.good.test[::1]:25/20/mx")}));
}

void TestNextHopResolver::equalPreferencesAreShuffled()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver::Settings s = dnsSettings();
    s.cacheEntries = 0; // every look-up goes to the server
    NextHopResolver resolver(s);
    QSet<QString> firsts;
    // Each order has probability 1/2 per look-up: 40 look-ups miss one with 2^-39.
    for (int i = 0; i < 40 && firsts.size() < 2; ++i) {
        const NextHopLookup l = resolveNow(resolver, QStringLiteral("equal.test"));
        QCOMPARE(l.hops.size(), 2);
        QCOMPARE(l.hops.at(0).preference, 10);
        firsts.insert(l.hops.first().host);
    }
    QCOMPARE(firsts, (QSet<QString>{QStringLiteral("a.equal.test"), QStringLiteral("b.equal.test")}));
}

void TestNextHopResolver::implicitMx()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("nomx.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("ok"));
    QCOMPARE(describe(l), QStringList{QStringLiteral("nomx.test[127.0.0.4]:25/0/implicit-mx")});
}

void TestNextHopResolver::nullMx()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("nullmx.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("permanent"));
    QCOMPARE(l.error, QStringLiteral("domain nullmx.test does not accept mail (null MX, RFC 7505)"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("5.1.10"));
    QVERIFY(l.hops.isEmpty());
}

void TestNextHopResolver::nxdomain()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("nosuch.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("permanent"));
    QCOMPARE(l.error, QStringLiteral("domain nosuch.test not found (NXDOMAIN)"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("5.1.2"));
}

void TestNextHopResolver::noMxNoAddress()
{
    // The domain exists (a TXT record) but has neither MX nor A/AAAA: NODATA
    // for all three, which the resolver tells from silence: no mail server,
    // a bounce (Postfix: 5.4.4 "host found but no data record").
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("txtonly.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("permanent"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("5.4.4"));
    QCOMPARE(l.error, QStringLiteral("no MX or address records found for txtonly.test"));
}

void TestNextHopResolver::mxHostsWithoutAddress()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("lame.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("permanent"));
    QCOMPARE(l.error, QStringLiteral("host or domain name not found: nowhere.lame.test"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("5.4.4"));
}

void TestNextHopResolver::routeNameGetsMxLookupWithItsPort()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver::Settings s = dnsSettings();
    s.routes.insert(QStringLiteral("dry.test"), QStringLiteral("good.test:2525"));
    s.smarthost = QStringLiteral("nomx.test:587");
    NextHopResolver resolver(s);
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("dry.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("ok"));
    QCOMPARE(l.destination, QStringLiteral("route:good.test:2525"));
    QVERIFY(l.kind == DestinationKind::Route);
    QCOMPARE(describe(l), (QStringList{QStringLiteral("mx1.good.test[127.0.0.2]:2525/10/route"),
                                       QStringLiteral("mx2.good.test[127.0.0.3]:2525/20/route"),
                                       QStringLiteral("mx2.good.test[::1]:2525/20/route")}));
    const NextHopLookup smart = resolveNow(resolver, QStringLiteral("other.test"));
    QCOMPARE(describe(smart), QStringList{QStringLiteral("nomx.test[127.0.0.4]:587/0/smarthost")});
}

void TestNextHopResolver::bracketedRouteSkipsMx()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver::Settings s = dnsSettings();
    s.routes.insert(QStringLiteral("dry.test"), QStringLiteral("[mx2.good.test]:2526"));
    s.routes.insert(QStringLiteral("wet.test"), QStringLiteral("[good.test]"));
    NextHopResolver resolver(s);
    const int mxBefore = m_dns.queries(QStringLiteral("MX mx2.good.test"));
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("dry.test"));
    QCOMPARE(describe(l), (QStringList{QStringLiteral("mx2.good.test[127.0.0.3]:2526/0/route"),
                                       QStringLiteral("mx2.good.test[::1]:2526/0/route")}));
    QCOMPARE(m_dns.queries(QStringLiteral("MX mx2.good.test")), mxBefore);
    // good.test has MX records but no address of its own: [good.test] ignores the MX.
    const NextHopLookup wet = resolveNow(resolver, QStringLiteral("wet.test"));
    QCOMPARE(statusName(wet.status), QStringLiteral("temporary"));
    QVERIFY2(wet.error.startsWith(QLatin1String("no address found for good.test")), qPrintable(wet.error));
}

void TestNextHopResolver::concurrentLookupsShareOneQuery()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    NextHopResolver resolver(dnsSettings());
    const int before = m_dns.queries(QStringLiteral("MX equal.test"));
    QObject context;
    QList<NextHopLookup> results;
    for (const char *d : {"equal.test", "EQUAL.test", "equal.test."})
        resolver.resolve(QLatin1String(d), &context,
                         [&results](const NextHopLookup &l) { results.append(l); });
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 3, 20000);
    for (const NextHopLookup &l : std::as_const(results))
        QCOMPARE(l.hops.size(), 2);
    QCOMPARE(results.at(1).domain, QStringLiteral("EQUAL.test"));
    QTRY_COMPARE_WITH_TIMEOUT(m_dns.queries(QStringLiteral("MX equal.test")), before + 1, 2000);
    QTest::qWait(100);
    QCOMPARE(m_dns.queries(QStringLiteral("MX equal.test")), before + 1);
}

void TestNextHopResolver::cacheHonoursTtl()
{
    REQUIRE_DNSMASQ(m_dnsProblem);
    qint64 now = 0;
    NextHopResolver resolver(dnsSettings());
    resolver.setClock([&now] { return now; });
    // Look-ups handed to the DNS resolver (unbound keeps its own TTL cache
    // beneath, in real time, so dnsmasq's log would not show the second).
    const auto asked = [&resolver] { return resolver.dnsResolver()->lookupsStarted(); };
    QCOMPARE(resolveNow(resolver, QStringLiteral("good.test")).hops.size(), 3);
    QCOMPARE(resolver.cachedEntries(), 1);
    const quint64 first = asked(); // MX, then A and AAAA of three hosts
    QCOMPARE(first, quint64(7));
    now += 299'000; // dnsmasq answers with TTL 300 (--local-ttl)
    QCOMPARE(resolveNow(resolver, QStringLiteral("good.test")).hops.size(), 3);
    QTest::qWait(100);
    QCOMPARE(asked(), first);
    now += 2'000;
    QCOMPARE(resolveNow(resolver, QStringLiteral("good.test")).hops.size(), 3);
    QCOMPARE(asked(), 2 * first);

    // Permanent answers are remembered for negativeTtl; nothing else is.
    QCOMPARE(statusName(resolveNow(resolver, QStringLiteral("nosuch.test")).status),
             QStringLiteral("permanent"));
    QCOMPARE(resolver.cachedEntries(), 2);

    // Bounded: a cache of one keeps the newest entry only.
    NextHopResolver::Settings small = dnsSettings();
    small.cacheEntries = 1;
    resolver.setSettings(small);
    QCOMPARE(resolver.cachedEntries(), 0);
    resolveNow(resolver, QStringLiteral("good.test"));
    resolveNow(resolver, QStringLiteral("equal.test"));
    QCOMPARE(resolver.cachedEntries(), 1);
}

void TestNextHopResolver::serverFailureIsTemporary()
{
    StubNameServer stub;
    QVERIFY(stub.start(2));
    NextHopResolver::Settings s;
    s.nameserver = stub.nameserver();
    s.timeout = 15s;
    NextHopResolver resolver(s);
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("any.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("temporary"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("4.4.3"));
    QVERIFY2(l.error.startsWith(QLatin1String("MX look-up for any.test failed: ")), qPrintable(l.error));
    QCOMPARE(resolver.cachedEntries(), 0);
}

void TestNextHopResolver::silentServerTimesOut()
{
    // The stub answers only after our limit: the look-up must end at the
    // limit, and the late answer must not produce a second callback.
    StubNameServer stub;
    QVERIFY(stub.start(3, 1500ms)); // NXDOMAIN: the resolver library does not retry it
    NextHopResolver::Settings s;
    s.nameserver = stub.nameserver();
    s.timeout = 500ms;
    NextHopResolver resolver(s);
    int calls = 0;
    std::optional<NextHopLookup> result;
    QObject context;
    QElapsedTimer t;
    t.start();
    resolver.resolve(QStringLiteral("any.test"), &context, [&](const NextHopLookup &l) {
        ++calls;
        result = l;
    });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 5000);
    QVERIFY(t.elapsed() < 1400); // our limit, not the late answer
    QCOMPARE(statusName(result->status), QStringLiteral("temporary"));
    QCOMPARE(result->enhancedStatus, QStringLiteral("4.4.3"));
    QVERIFY2(result->error.startsWith(QLatin1String("MX look-up for any.test failed: no answer")),
             qPrintable(result->error));
    // Let the answer arrive (the resolver library's thread finishes with it).
    QTRY_VERIFY_WITH_TIMEOUT(stub.answered() >= 1, 5000);
    QTest::qWait(200);
    QCOMPARE(calls, 1);
}

void TestNextHopResolver::mxWithoutAnswerDefersNeverImplicit()
{
    // The server answers A for dropmx.test but never its MX: RFC 5321 §5.1
    // allows the implicit MX only when there are no MX records, which a
    // silent server has not said. Deferred; the A record is never asked.
    NextHopResolver resolver(faultySettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("dropmx.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("temporary"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("4.4.3"));
    QVERIFY2(l.error.startsWith(QLatin1String("MX look-up for dropmx.test failed: no answer")),
             qPrintable(l.error));
    QVERIFY(l.hops.isEmpty());
    QVERIFY(m_faulty.queries(QStringLiteral("MX dropmx.test")) >= 1);
    QCOMPARE(m_faulty.queries(QStringLiteral("A dropmx.test")), 0);
    QCOMPARE(resolver.cachedEntries(), 0); // asked again next time
}

void TestNextHopResolver::mxServfailDefersNeverImplicit()
{
    NextHopResolver::Settings s = faultySettings();
    s.timeout = 20s; // unbound retries SERVFAIL a few times before it gives up
    NextHopResolver resolver(s);
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("sfmx.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("temporary"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("4.4.3"));
    QVERIFY2(l.error.startsWith(QLatin1String("MX look-up for sfmx.test failed: ")), qPrintable(l.error));
    QVERIFY2(!l.error.contains(QLatin1String("no answer")), qPrintable(l.error));
    QCOMPARE(m_faulty.queries(QStringLiteral("A sfmx.test")), 0);
}

void TestNextHopResolver::mxNoDataUsesTheImplicitMx()
{
    // NODATA for MX (the name has an A record): the implicit MX.
    NextHopResolver resolver(faultySettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("nodatamx.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("ok"));
    QCOMPARE(describe(l), QStringList{QStringLiteral("nodatamx.test[127.0.0.9]:25/0/implicit-mx")});
}

void TestNextHopResolver::hostAddressWithoutAnswerIsTemporary()
{
    // The MX host's A and AAAA look-ups get no answer: "cannot tell", not
    // "no address" (which would bounce).
    NextHopResolver resolver(faultySettings());
    const NextHopLookup l = resolveNow(resolver, QStringLiteral("slowhost.test"));
    QCOMPARE(statusName(l.status), QStringLiteral("temporary"));
    QCOMPARE(l.enhancedStatus, QStringLiteral("4.4.3"));
    QVERIFY2(l.error.startsWith(QLatin1String("no address found for mx.slowhost.test: ")),
             qPrintable(l.error));
    QVERIFY2(l.error.contains(QLatin1String("no answer")), qPrintable(l.error));
}

QTEST_GUILESS_MAIN(TestNextHopResolver)
#include "tst_nexthopresolver.moc"
