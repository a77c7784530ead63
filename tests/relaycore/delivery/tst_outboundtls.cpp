// Outbound STARTTLS and SMTP AUTH end to end (docs/behaviour.md "TLS", issue 5
// items 2 and 3): DeliveryAgent against smtpsink.py on 127.0.0.1 with
// certificates made by openssl at test time. Policies may / encrypt / verify;
// the failure modes under which not one plaintext byte of a transaction may
// leave; the fallback of `may`; a reply injected behind the 220 to STARTTLS;
// AUTH PLAIN/LOGIN only inside TLS, 535 deferring.
#include "relaycore/delivery/deliveryagent.h"
#include "relaycore/delivery/deliveryconnection.h"

#include "tests/relaycore/delivery/deliveryharness.h"
#include "tests/relaycore/delivery/sinkprocesses.h"

#include <QJsonArray>
#include <QSslCertificate>
#include <QTest>

#include <memory>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

const QString kUser = QStringLiteral("relay@drypizza.test");
const QString kPassword = QStringLiteral("s3cret-Pa55word-7f3a");

// A request to the sink under `policy`; the hop carries the name a verify
// checks ("mail.test") and the address to connect to.
DeliveryRequest tlsRequest(quint16 port, TlsPolicy policy)
{
    DeliveryRequest r = makeRequest({port}, {QStringLiteral("bob@drypizza.test")});
    r.hops.first().host = QStringLiteral("mail.test");
    r.tls = policy;
    return r;
}

QStringList sinkCommands(const PySink &sink, bool tls)
{
    QStringList out;
    for (const QJsonObject &o : sink.events(QStringLiteral("cmd"))) {
        if (o.value(QStringLiteral("tls")).toBool() == tls)
            out << o.value(QStringLiteral("line")).toString();
    }
    return out;
}

} // namespace

class TstOutboundTls : public QObject
{
    Q_OBJECT

    TestPki m_pki;
    qint64 m_plainBytesUnderRequiredTls = 0;
    int m_requiredTlsFailures = 0;

    DeliveryAgent::Settings settings() const
    {
        DeliveryAgent::Settings s = fastSettings();
        s.caCertificates = QSslCertificate::fromPath(m_pki.caFile());
        s.reuseConnections = false;
        return s;
    }

    QJsonObject goodTls() const { return m_pki.sinkTls(QStringLiteral("good")); }

    // One message to the sink on `port` under `policy`, with the test
    // credentials for AUTH when asked.
    DeliveryResult deliverTo(quint16 port, TlsPolicy policy, bool withAuth = false) const
    {
        DeliveryAgent agent(settings());
        DeliveryRequest request = tlsRequest(port, policy);
        if (withAuth)
            request.auth = SmtpCredentials{kUser, kPassword};
        return runOne(agent, request);
    }

private slots:
    // A connection verified for one MX name is never reused for another name
    // at the same address; a plaintext retry is never parked (deliveryagent).
    void verifiedConnectionsAreKeyedByName()
    {
        NextHop a;
        a.host = QStringLiteral("mx.a.example");
        a.address = QStringLiteral("192.0.2.7");
        NextHop b = a;
        b.host = QStringLiteral("MX.B.example");
        DeliveryRequest request;
        request.tls = TlsPolicy::Verify;
        QVERIFY(DeliveryConnection::reuseKey(a, request) != DeliveryConnection::reuseKey(b, request));
        b.host = QStringLiteral("MX.A.example"); // the same name in another case
        QCOMPARE(DeliveryConnection::reuseKey(a, request), DeliveryConnection::reuseKey(b, request));
        b.host = QStringLiteral("mx.b.example");
        request.tls = TlsPolicy::Encrypt; // no name is checked: one server, one connection
        QCOMPARE(DeliveryConnection::reuseKey(a, request), DeliveryConnection::reuseKey(b, request));
        DeliveryRequest may = request;
        may.tls = TlsPolicy::May;
        QVERIFY(DeliveryConnection::reuseKey(a, may) != DeliveryConnection::reuseKey(a, request));
    }

    void initTestCase()
    {
        QVERIFY2(m_pki.make(), qPrintable(m_pki.error()));
        QCOMPARE(QSslCertificate::fromPath(m_pki.caFile()).size(), 1);
    }

    void mayUsesStartTlsWhenOffered()
    {
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()}}), qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QCOMPARE(sink.messages().size(), 1);
        QVERIFY(sink.messages().first().value(QStringLiteral("tls")).toBool());
        // RFC 3207 §4.2: EHLO again inside TLS; nothing but EHLO/STARTTLS before.
        QCOMPARE(sinkCommands(sink, false),
                 QStringList({QStringLiteral("EHLO relay.test"), QStringLiteral("STARTTLS")}));
        QCOMPARE(sinkCommands(sink, true).value(0), QStringLiteral("EHLO relay.test"));
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
        QCOMPARE(
            sink.events(QStringLiteral("tls")).value(0).value(QStringLiteral("version")).toString().left(7),
            QStringLiteral("TLSv1.3"));
    }

    void mayWithoutTlsDeliversInPlaintext_data()
    {
        QTest::addColumn<QJsonObject>("script");
        QTest::newRow("not offered") << QJsonObject{};
        QTest::newRow("refused 454") << QJsonObject{
            {QStringLiteral("tls"), goodTls()},
            {QStringLiteral("starttls"), QStringLiteral("454 4.7.0 TLS not available due to local problem")}};
    }
    void mayWithoutTlsDeliversInPlaintext()
    {
        QFETCH(QJsonObject, script);
        PySink sink;
        QVERIFY2(sink.start(script), qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QCOMPARE(sink.connections(), 1);
        QCOMPARE(sink.messages().size(), 1);
        QVERIFY(!sink.messages().first().value(QStringLiteral("tls")).toBool());
    }

    void mayFallsBackToPlaintextAfterFailedHandshake()
    {
        // Postfix: under `may` a failed handshake is retried in plaintext on
        // a new connection that does not try STARTTLS again.
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()}, {QStringLiteral("tls_break"), true}}),
                 qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QCOMPARE(sink.connections(), 2);
        QCOMPARE(sink.messages().size(), 1);
        QCOMPARE(sink.messages().first().value(QStringLiteral("conn")).toInt(), 2);
        QCOMPARE(sink.commands().count(QStringLiteral("STARTTLS")), 1);
    }

    void requiredTlsSendsNothingOnFailure_data()
    {
        QTest::addColumn<TlsPolicy>("policy");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("reason");
        const QList<std::pair<const char *, const char *>> modes = {
            {"missing", "TLS is required, but was not offered by host mail.test[127.0.0.1]:"},
            {"refused", "TLS is required, but host mail.test[127.0.0.1]:%1 refused to start TLS: 454 4.7.0"},
            {"stripped", "TLS is required, but was not offered by host mail.test[127.0.0.1]:"},
            {"handshake", "Cannot start TLS: handshake failure with host mail.test[127.0.0.1]:"},
            {"tls1.1", "Cannot start TLS: handshake failure with host mail.test[127.0.0.1]:"},
        };
        for (const TlsPolicy policy : {TlsPolicy::Encrypt, TlsPolicy::Verify}) {
            for (const auto &[mode, reason] : modes)
                QTest::addRow("%s %s", qPrintable(tlsPolicyName(policy)), mode)
                    << policy << QString::fromLatin1(mode)
                    << QString::fromLatin1(reason).section(QLatin1Char('%'), 0, 0);
        }
        for (const char *cert : {"wrongname", "expired", "selfsigned"})
            QTest::addRow("verify %s", cert)
                << TlsPolicy::Verify << QString::fromLatin1(cert)
                << QStringLiteral("Server certificate not verified: host mail.test");
    }
    void requiredTlsSendsNothingOnFailure()
    {
        QFETCH(TlsPolicy, policy);
        QFETCH(QString, mode);
        QFETCH(QString, reason);
        QJsonObject script;
        if (mode != QLatin1String("missing"))
            script.insert(QStringLiteral("tls"), goodTls());
        if (mode == QLatin1String("refused"))
            script.insert(QStringLiteral("starttls"),
                          QStringLiteral("454 4.7.0 TLS not available due to local problem"));
        if (mode == QLatin1String("handshake"))
            script.insert(QStringLiteral("tls_break"), true);
        if (mode == QLatin1String("tls1.1")) // below the TLS 1.2 minimum
            script.insert(QStringLiteral("tls_max"), QStringLiteral("TLSv1_1"));
        if (mode == QLatin1String("wrongname") || mode == QLatin1String("expired") ||
            mode == QLatin1String("selfsigned"))
            script.insert(QStringLiteral("tls"), m_pki.sinkTls(mode));
        PySink sink;
        QVERIFY2(sink.start(script), qPrintable(sink.error()));
        PySink proxy;
        quint16 port = sink.port();
        if (mode == QLatin1String("stripped")) {
            QVERIFY2(proxy.startStripProxy(sink.port()), qPrintable(proxy.error()));
            port = proxy.port();
        }
        const DeliveryResult r = deliverTo(port, policy);
        QCOMPARE(verdicts(r), QStringLiteral("T"));
        const RecipientResult &rr = r.recipients.first();
        QVERIFY2(rr.reply.startsWith(reason), qPrintable(rr.reply));
        QVERIFY2(rr.enhancedStatus.startsWith(QLatin1String("4.7.")), qPrintable(rr.enhancedStatus));
        // Not one byte of MAIL/RCPT/DATA/AUTH/message in plaintext, and
        // nothing delivered; the attempt also never fell back to plaintext.
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
        QVERIFY(sink.messages().isEmpty());
        for (const QString &line : sink.commands())
            QVERIFY2(!line.startsWith(QLatin1String("MAIL")) && !line.startsWith(QLatin1String("RCPT")),
                     qPrintable(line));
        QCOMPARE(sink.connections(), 1);
        m_plainBytesUnderRequiredTls += sink.plaintextTransactionBytes();
        ++m_requiredTlsFailures;
    }

    void encryptTakesAnyCertificate_data()
    {
        QTest::addColumn<QString>("cert");
        for (const char *cert : {"good", "wrongname", "expired", "selfsigned"})
            QTest::newRow(cert) << QString::fromLatin1(cert);
    }
    void encryptTakesAnyCertificate()
    {
        // Postfix's `encrypt`: mandatory TLS without authentication.
        QFETCH(QString, cert);
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), m_pki.sinkTls(cert)}}), qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::Encrypt);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QVERIFY(sink.messages().first().value(QStringLiteral("tls")).toBool());
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
    }

    void verifyAcceptsTheRightCertificate()
    {
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()}}), qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::Verify);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QVERIFY(sink.messages().first().value(QStringLiteral("tls")).toBool());

        // Without the test CA the same certificate is refused: the CA file is
        // what made it trusted.
        PySink again;
        QVERIFY2(again.start({{QStringLiteral("tls"), goodTls()}}), qPrintable(again.error()));
        DeliveryAgent::Settings noCa = settings();
        noCa.caCertificates.clear();
        DeliveryAgent strict(noCa);
        const DeliveryResult refused = runOne(strict, tlsRequest(again.port(), TlsPolicy::Verify));
        QCOMPARE(verdicts(refused), QStringLiteral("T"));
        QVERIFY(again.messages().isEmpty());
    }

    void replyInjectedBehindStartTls220IsDiscarded()
    {
        // A hostile server pipelines "250 injected" behind its 220: it must
        // never answer EHLO (or anything) inside TLS.
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()},
                             {QStringLiteral("after_220"), QStringLiteral("250 injected\r\n")},
                             {QStringLiteral("ehlo"), QJsonArray{QStringLiteral("SMTPUTF8")}}}),
                 qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::Encrypt);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        QVERIFY2(r.recipients.first().reply.startsWith(QLatin1String("250 2.0.0 Ok: queued as")),
                 qPrintable(r.recipients.first().reply));
        QVERIFY(!r.recipients.first().reply.contains(QLatin1String("injected")));
        QCOMPARE(sinkCommands(sink, true).value(0), QStringLiteral("EHLO relay.test"));
        QVERIFY(sink.messages().first().value(QStringLiteral("tls")).toBool());
    }

    void authInsideTls_data()
    {
        QTest::addColumn<QJsonArray>("mechanisms");
        QTest::addColumn<QString>("used");
        QTest::newRow("PLAIN preferred")
            << QJsonArray{QStringLiteral("LOGIN"), QStringLiteral("PLAIN")} << QStringLiteral("PLAIN");
        QTest::newRow("LOGIN only") << QJsonArray{QStringLiteral("LOGIN")} << QStringLiteral("LOGIN");
    }
    void authInsideTls()
    {
        QFETCH(QJsonArray, mechanisms);
        QFETCH(QString, used);
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()},
                             {QStringLiteral("auth"), QJsonObject{{QStringLiteral("mechanisms"), mechanisms},
                                                                  {QStringLiteral("user"), kUser},
                                                                  {QStringLiteral("password"), kPassword}}}}),
                 qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May, true);
        QCOMPARE(verdicts(r), QStringLiteral("D"));
        const QList<QJsonObject> auth = sink.events(QStringLiteral("auth"));
        QCOMPARE(auth.size(), 1);
        QCOMPARE(auth.first().value(QStringLiteral("mech")).toString(), used);
        QCOMPARE(auth.first().value(QStringLiteral("user")).toString(), kUser);
        QCOMPARE(auth.first().value(QStringLiteral("password")).toString(), kPassword);
        QVERIFY(auth.first().value(QStringLiteral("tls")).toBool());
        QVERIFY(auth.first().value(QStringLiteral("ok")).toBool());
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
    }

    void authRefusedDefers()
    {
        // 535 is a temporary failure (Postfix's smtp_sasl_auth_soft_bounce):
        // the admin fixes the password and the mail still goes.
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), goodTls()},
                             {QStringLiteral("auth"),
                              QJsonObject{{QStringLiteral("mechanisms"), QJsonArray{QStringLiteral("PLAIN")}},
                                          {QStringLiteral("user"), kUser},
                                          {QStringLiteral("password"), QStringLiteral("another one")}}}}),
                 qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May, true);
        QCOMPARE(verdicts(r), QStringLiteral("T"));
        const RecipientResult &rr = r.recipients.first();
        QCOMPARE(rr.enhancedStatus, QStringLiteral("4.7.8"));
        // The scheduler goes by the cause (it reads the password again), not by the text.
        QVERIFY(rr.cause == FailureCause::Authentication);
        QVERIFY2(rr.reply.startsWith(QLatin1String("SASL authentication failed; server mail.test")),
                 qPrintable(rr.reply));
        QVERIFY2(rr.reply.contains(QLatin1String("535 5.7.8")), qPrintable(rr.reply));
        QVERIFY2(rr.reply.endsWith(QLatin1String("(in reply to AUTH PLAIN ********)")), qPrintable(rr.reply));
        QVERIFY(!rr.reply.contains(kPassword));
        QVERIFY(!rr.reply.contains(QString::fromLatin1(kPassword.toUtf8().toBase64())));
        QVERIFY(sink.messages().isEmpty());
        QVERIFY(!sink.commands().contains(QStringLiteral("MAIL FROM:<s@warm.test> SIZE=28")));
    }

    void noAuthWithoutTls_data()
    {
        QTest::addColumn<QJsonObject>("script");
        const QJsonObject auth{
            {QStringLiteral("mechanisms"), QJsonArray{QStringLiteral("PLAIN"), QStringLiteral("LOGIN")}},
            {QStringLiteral("user"), kUser},
            {QStringLiteral("password"), kPassword},
            {QStringLiteral("plaintext"), true}};
        QTest::newRow("no STARTTLS") << QJsonObject{{QStringLiteral("auth"), auth}};
        QTest::newRow("STARTTLS refused") << QJsonObject{
            {QStringLiteral("auth"), auth},
            {QStringLiteral("tls"), goodTls()},
            {QStringLiteral("starttls"), QStringLiteral("454 4.7.0 TLS not available due to local problem")}};
        QTest::newRow("handshake fails") << QJsonObject{{QStringLiteral("auth"), auth},
                                                        {QStringLiteral("tls"), goodTls()},
                                                        {QStringLiteral("tls_break"), true}};
    }
    void noAuthWithoutTls()
    {
        // Even under `may` and with AUTH offered in plaintext: the
        // credentials never travel without TLS, the recipient defers.
        QFETCH(QJsonObject, script);
        PySink sink;
        QVERIFY2(sink.start(script), qPrintable(sink.error()));
        const DeliveryResult r = deliverTo(sink.port(), TlsPolicy::May, true);
        QCOMPARE(verdicts(r), QStringLiteral("T"));
        QVERIFY2(r.recipients.first().reply.contains(QLatin1String("needs TLS")),
                 qPrintable(r.recipients.first().reply));
        QVERIFY(sink.events(QStringLiteral("auth")).isEmpty());
        for (const QString &line : sink.commands())
            QVERIFY2(!line.startsWith(QLatin1String("AUTH")) && !line.startsWith(QLatin1String("MAIL")),
                     qPrintable(line));
        QCOMPARE(sink.plaintextTransactionBytes(), 0);
    }

    void cleanupTestCase()
    {
        // The figure SECURITY.md quotes (the attack suite prints it too).
        qInfo("%lld plaintext bytes under encrypt/verify across %d failed TLS attempts",
              m_plainBytesUnderRequiredTls, m_requiredTlsFailures);
    }
};

QTEST_GUILESS_MAIN(TstOutboundTls)
#include "tst_outboundtls.moc"
