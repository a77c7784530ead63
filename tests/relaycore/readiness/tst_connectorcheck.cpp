// ConnectorCheck against real SMTP servers on 127.0.0.1: the test sink
// (smtpsink.py, with and without STARTTLS, openssl-made certificates) and
// Postfix's smtp-sink; a closed port, a silent server, a refused STARTTLS, a
// refused recipient; the test email arrives at the sink.
#include "relaycore/readiness/connectorcheck.h"

#include "sinkprocesses.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace std::chrono_literals;

class TestConnectorCheck final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void plainSinkOffersNoStartTls();
    void startTlsTrustedAndUntrusted();
    void startTlsRefused();
    void tlsPolicyDecides();
    void postfixSmtpSink();
    void connectionRefused();
    void silentServer();
    void badInput();
    void sendTestEmail();
    void sendTestEmailRefused();

private:
    ConnectorReport run(ConnectorCheck &check, const std::function<Status()> &start);
    static QString hop(quint16 port) { return QStringLiteral("127.0.0.1:%1").arg(port); }
    static QStringList tasks(const ConnectorReport &r);
    static const ConnectorStep *stepOf(const ConnectorReport &r, const QString &task);
    ConnectorCheck::Options options() const;
    TestPki m_pki;
};

void TestConnectorCheck::initTestCase()
{
    QVERIFY2(m_pki.make(), qPrintable(m_pki.error()));
}

ConnectorCheck::Options TestConnectorCheck::options() const
{
    ConnectorCheck::Options o;
    o.heloName = QStringLiteral("relay.mailroute.test");
    o.timeout = 10s;
    return o;
}

ConnectorReport TestConnectorCheck::run(ConnectorCheck &check, const std::function<Status()> &start)
{
    QSignalSpy spy(&check, &ConnectorCheck::finished);
    const Status st = start();
    if (!st.ok()) {
        qWarning("refused: %s", qPrintable(st.error));
        return {};
    }
    if (!spy.wait(30000))
        return {};
    return spy.at(0).at(0).value<ConnectorReport>();
}

QStringList TestConnectorCheck::tasks(const ConnectorReport &r)
{
    QStringList out;
    for (const ConnectorStep &s : r.steps)
        out << s.task + QLatin1Char('=') + readinessStatusName(s.status);
    return out;
}

const ConnectorStep *TestConnectorCheck::stepOf(const ConnectorReport &r, const QString &task)
{
    for (const ConnectorStep &s : r.steps) {
        if (s.task == task)
            return &s;
    }
    return nullptr;
}

void TestConnectorCheck::plainSinkOffersNoStartTls()
{
    PySink sink;
    QVERIFY2(sink.start({{QStringLiteral("greeting"), QStringLiteral("220 sink.test ESMTP ready")}}),
             qPrintable(sink.error()));
    ConnectorCheck check(options());
    const ConnectorReport r =
        run(check, [&] { return check.checkConnectivity(hop(sink.port()), QStringLiteral("smart host")); });
    QCOMPARE(tasks(r), (QStringList{QStringLiteral("Resolve=OK"), QStringLiteral("Connect=OK"),
                                    QStringLiteral("Banner=OK"), QStringLiteral("EHLO=OK"),
                                    QStringLiteral("STARTTLS offered=WARNING")}));
    QCOMPARE(r.role, QStringLiteral("smart host"));
    QCOMPARE(stepOf(r, QStringLiteral("Banner"))->detail, QStringLiteral("220 sink.test ESMTP ready"));
    QVERIFY(stepOf(r, QStringLiteral("EHLO"))->detail.startsWith(QStringLiteral("250 ")));
    QCOMPARE(r.status(), ReadinessStatus::Warning);
    // The sink saw our EHLO name and a QUIT.
    QTRY_VERIFY_WITH_TIMEOUT(sink.commands().contains(QStringLiteral("QUIT")), 5000);
    QVERIFY(sink.commands().contains(QStringLiteral("EHLO relay.mailroute.test")));
    QCOMPARE(sink.messages().size(), 0);
}

void TestConnectorCheck::startTlsTrustedAndUntrusted()
{
    for (const char *name : {"good", "selfsigned"}) {
        PySink sink;
        QVERIFY2(sink.start({{QStringLiteral("tls"), m_pki.sinkTls(QLatin1String(name))}}),
                 qPrintable(sink.error()));
        ConnectorCheck::Options o = options();
        o.caCertificates = QSslCertificate::fromPath(m_pki.caFile());
        ConnectorCheck check(o);
        const ConnectorReport r = run(check, [&] { return check.checkConnectivity(hop(sink.port())); });
        const bool good = QLatin1String(name) == QLatin1String("good");
        QCOMPARE(tasks(r),
                 (QStringList{
                     QStringLiteral("Resolve=OK"), QStringLiteral("Connect=OK"), QStringLiteral("Banner=OK"),
                     QStringLiteral("EHLO=OK"), QStringLiteral("STARTTLS offered=OK"),
                     good ? QStringLiteral("TLS handshake=OK") : QStringLiteral("TLS handshake=WARNING"),
                     QStringLiteral("EHLO after STARTTLS=OK")}));
        const QString tls = stepOf(r, QStringLiteral("TLS handshake"))->detail;
        QVERIFY2(tls.contains(QStringLiteral("TLS 1.")) &&
                     tls.contains(QStringLiteral("certificate mail.test")),
                 qPrintable(tls));
        QVERIFY2(good ? tls.endsWith(QStringLiteral("trusted")) : tls.contains(QStringLiteral("not trusted")),
                 qPrintable(tls));
        // The second EHLO went inside TLS.
        QTRY_VERIFY_WITH_TIMEOUT(!sink.events(QStringLiteral("close")).isEmpty(), 5000);
        bool ehloInTls = false;
        for (const QJsonObject &e : sink.events(QStringLiteral("cmd")))
            ehloInTls =
                ehloInTls || (e.value(QStringLiteral("line")).toString().startsWith(QStringLiteral("EHLO")) &&
                              e.value(QStringLiteral("tls")).toBool());
        QVERIFY(ehloInTls);
    }
}

void TestConnectorCheck::startTlsRefused()
{
    PySink sink;
    QVERIFY(sink.start(
        {{QStringLiteral("tls"), m_pki.sinkTls(QStringLiteral("good"))},
         {QStringLiteral("starttls"), QStringLiteral("454 4.7.0 TLS not available due to local problem")}}));
    ConnectorCheck check(options());
    const ConnectorReport r = run(check, [&] { return check.checkConnectivity(hop(sink.port())); });
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QCOMPARE(r.steps.last().task, QStringLiteral("TLS handshake"));
    QVERIFY2(r.steps.last().detail.contains(QStringLiteral("454 4.7.0 TLS not available")),
             qPrintable(r.steps.last().detail));

    PySink broken;
    QVERIFY(broken.start({{QStringLiteral("tls"), m_pki.sinkTls(QStringLiteral("good"))},
                          {QStringLiteral("tls_break"), true}}));
    ConnectorCheck check2(options());
    const ConnectorReport r2 = run(check2, [&] { return check2.checkConnectivity(hop(broken.port())); });
    QCOMPARE(r2.steps.last().task, QStringLiteral("TLS handshake"));
    QCOMPARE(r2.steps.last().status, ReadinessStatus::Failure);
    QVERIFY2(r2.steps.last().detail.startsWith(QStringLiteral("TLS handshake failed")),
             qPrintable(r2.steps.last().detail));
}

void TestConnectorCheck::tlsPolicyDecides()
{
    // encrypt: a next hop without STARTTLS fails, and the test email is not sent in plaintext.
    PySink plain;
    QVERIFY(plain.start());
    ConnectorCheck check(options());
    ConnectorReport r =
        run(check, [&] { return check.checkConnectivity(hop(plain.port()), {}, TlsPolicy::Encrypt); });
    QCOMPARE(r.tlsPolicy, QStringLiteral("encrypt"));
    QCOMPARE(r.steps.last().task, QStringLiteral("STARTTLS offered"));
    QCOMPARE(r.steps.last().status, ReadinessStatus::Failure);
    r = run(check, [&] {
        return check.sendTestEmail(hop(plain.port()), QStringLiteral("postmaster@relay.mailroute.test"),
                                   QStringLiteral("admin@drypizza.test"), {}, TlsPolicy::Encrypt);
    });
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QCOMPARE(plain.messages().size(), 0);

    // verify: a self-signed certificate fails; one from the trusted CA passes, and the
    // test email goes inside TLS.
    PySink selfSigned;
    QVERIFY(selfSigned.start({{QStringLiteral("tls"), m_pki.sinkTls(QStringLiteral("selfsigned"))}}));
    ConnectorCheck::Options o = options();
    o.caCertificates = QSslCertificate::fromPath(m_pki.caFile());
    ConnectorCheck strict(o);
    r = run(strict, [&] { return strict.checkConnectivity(hop(selfSigned.port()), {}, TlsPolicy::Verify); });
    QCOMPARE(stepOf(r, QStringLiteral("TLS handshake"))->status, ReadinessStatus::Failure);
    PySink good;
    QVERIFY(good.start({{QStringLiteral("tls"), m_pki.sinkTls(QStringLiteral("good"))}}));
    r = run(strict, [&] { return strict.checkConnectivity(hop(good.port()), {}, TlsPolicy::Verify); });
    QCOMPARE(r.status(), ReadinessStatus::Ok);
    r = run(strict, [&] {
        return strict.sendTestEmail(hop(good.port()), QStringLiteral("postmaster@relay.mailroute.test"),
                                    QStringLiteral("admin@drypizza.test"), {}, TlsPolicy::Verify);
    });
    QVERIFY2(r.status() == ReadinessStatus::Ok, qPrintable(r.steps.last().detail));
    QTRY_COMPARE_WITH_TIMEOUT(good.messages().size(), 1, 5000);
    QVERIFY(good.messages().at(0).value(QStringLiteral("tls")).toBool());
}

void TestConnectorCheck::postfixSmtpSink()
{
    MAILROUTE_REQUIRE(PostfixSink::available(), "Postfix's smtp-sink is not installed");
    PostfixSink sink;
    QVERIFY(sink.start());
    ConnectorCheck check(options());
    const ConnectorReport r = run(
        check, [&] { return check.checkConnectivity(QStringLiteral("[127.0.0.1]:%1").arg(sink.port())); });
    QVERIFY2(r.steps.size() >= 5, qPrintable(tasks(r).join(QLatin1Char(' '))));
    QCOMPARE(stepOf(r, QStringLiteral("Connect"))->status, ReadinessStatus::Ok);
    QVERIFY(stepOf(r, QStringLiteral("Banner"))->detail.startsWith(QStringLiteral("220 ")));
    QVERIFY(stepOf(r, QStringLiteral("EHLO"))->detail.contains(QStringLiteral("PIPELINING")));
    // smtp-sink announces STARTTLS but cannot do TLS: the table says so.
    const ConnectorStep *offered = stepOf(r, QStringLiteral("STARTTLS offered"));
    QVERIFY(offered);
    if (offered->status == ReadinessStatus::Ok)
        QCOMPARE(stepOf(r, QStringLiteral("TLS handshake"))->status, ReadinessStatus::Failure);

    ConnectorCheck send(options());
    const ConnectorReport s = run(send, [&] {
        return send.sendTestEmail(QStringLiteral("[127.0.0.1]:%1").arg(sink.port()),
                                  QStringLiteral("postmaster@relay.mailroute.test"),
                                  QStringLiteral("admin@drypizza.test"));
    });
    QCOMPARE(s.status(), ReadinessStatus::Ok);
    QTRY_COMPARE_WITH_TIMEOUT(sink.transactions().size(), 1, 5000);
    QVERIFY(
        sink.transactions().at(0).join(QLatin1Char('\n')).contains(QStringLiteral("admin@drypizza.test")));
}

void TestConnectorCheck::connectionRefused()
{
    ConnectorCheck check(options());
    const ConnectorReport r = run(check, [&] { return check.checkConnectivity(hop(closedPort())); });
    QCOMPARE(tasks(r), (QStringList{QStringLiteral("Resolve=OK"), QStringLiteral("Connect=FAILED")}));
    QVERIFY2(r.steps.last().detail.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
             qPrintable(r.steps.last().detail));
}

void TestConnectorCheck::silentServer()
{
    // A server that accepts and never greets: the step's time limit ends it.
    PySink sink;
    QVERIFY(sink.start({{QStringLiteral("delay"), QJsonObject{{QStringLiteral("connect"), 30.0}}}}));
    ConnectorCheck::Options o = options();
    o.timeout = 500ms;
    ConnectorCheck check(o);
    const ConnectorReport r = run(check, [&] { return check.checkConnectivity(hop(sink.port())); });
    QCOMPARE(tasks(r), (QStringList{QStringLiteral("Resolve=OK"), QStringLiteral("Connect=OK"),
                                    QStringLiteral("Banner=FAILED")}));
    QVERIFY(r.steps.last().detail.startsWith(QStringLiteral("no answer within")));
}

void TestConnectorCheck::badInput()
{
    ConnectorCheck check(options());
    QSignalSpy spy(&check, &ConnectorCheck::finished);
    for (const char *bad : {"", "host:99999", "[unclosed:25", "a@b:25"}) {
        const Status st = check.checkConnectivity(QLatin1String(bad));
        QVERIFY2(!st.ok(), bad);
        QVERIFY(st.error.startsWith(QStringLiteral("invalid next hop")));
    }
    Status st = check.sendTestEmail(QStringLiteral("127.0.0.1:25"), QStringLiteral("postmaster@relay.test"),
                                    QStringLiteral("not an address"));
    QVERIFY(!st.ok());
    QVERIFY(st.error.contains(QStringLiteral("not an address")));
    QVERIFY(!check.isRunning());
    QTest::qWait(50);
    QCOMPARE(spy.size(), 0);

    // One test at a time.
    QVERIFY(check.checkConnectivity(hop(closedPort())).ok());
    QVERIFY(!check.checkConnectivity(hop(closedPort())).ok());
    QVERIFY(spy.wait(10000));
}

void TestConnectorCheck::sendTestEmail()
{
    PySink sink;
    QVERIFY(sink.start());
    ConnectorCheck check(options());
    QList<ConnectorStep> progressive;
    connect(&check, &ConnectorCheck::stepDone, this, [&](const ConnectorStep &s) { progressive << s; });
    const ConnectorReport r = run(check, [&] {
        return check.sendTestEmail(hop(sink.port()), QStringLiteral("postmaster@relay.mailroute.test"),
                                   QStringLiteral("Admin@DryPizza.test"),
                                   QStringLiteral("route for drypizza.test"));
    });
    QCOMPARE(tasks(r), (QStringList{QStringLiteral("Resolve=OK"),
                                    QStringLiteral("Send test email to Admin@drypizza.test=OK")}));
    QCOMPARE(progressive.size(), 2);
    QVERIFY2(r.steps.last().detail.startsWith(QStringLiteral("250 ")), qPrintable(r.steps.last().detail));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
    const QJsonObject m = sink.messages().at(0);
    QCOMPARE(m.value(QStringLiteral("mail")).toString().section(QLatin1Char(' '), 0, 0),
             QStringLiteral("<postmaster@relay.mailroute.test>"));
    QCOMPARE(m.value(QStringLiteral("rcpts")).toArray().at(0).toString(),
             QStringLiteral("<Admin@drypizza.test>"));
    const QByteArray data = PySink::data(m);
    QVERIFY(data.contains("Subject: MailRoute test message through 127.0.0.1:"));
    QVERIFY(data.contains("\r\nAuto-Submitted: auto-generated\r\n"));
}

void TestConnectorCheck::sendTestEmailRefused()
{
    PySink sink;
    QVERIFY(sink.start({{QStringLiteral("rcpt"),
                         QJsonObject{{QStringLiteral("<nobody@drypizza.test>"),
                                      QStringLiteral("550 5.1.1 <nobody@drypizza.test>: unknown user")}}}}));
    ConnectorCheck check(options());
    const ConnectorReport r = run(check, [&] {
        return check.sendTestEmail(hop(sink.port()), QStringLiteral("postmaster@relay.mailroute.test"),
                                   QStringLiteral("nobody@drypizza.test"));
    });
    QCOMPARE(r.status(), ReadinessStatus::Failure);
    QVERIFY2(r.steps.last().detail.contains(QStringLiteral("550 5.1.1")), qPrintable(r.steps.last().detail));
    QCOMPARE(sink.messages().size(), 0);
}

QTEST_GUILESS_MAIN(TestConnectorCheck)
#include "tst_connectorcheck.moc"
