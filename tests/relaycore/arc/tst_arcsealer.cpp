// ArcSealer and ArcChain (RFC 8617) against dkimpy, the key records served
// by dnsmasq on 127.0.0.1 and looked up through the relay's DnsResolver:
// - one hop: an unsigned message sealed by MailRoute, which dkimpy's
//   arc_verify passes (rsa-sha256; dkimpy's ARC has no ed25519-sha256, so
//   the Ed25519 seal is checked by ArcChain only);
// - two hops: DKIM-signed and ARC-sealed by dkimpy, its To: rewritten, then
//   sealed by MailRoute with the verdict on the chain as it arrived:
//   cv=pass, and dkimpy passes the chain of two;
// - a broken chain (a sealed header changed after the first hop): both
//   dkimpy and ArcChain say fail, MailRoute seals cv=fail, and dkimpy reads
//   the result as a chain the newest seal declares failed;
// - the relay's Authentication-Results gets arc=, another authserv-id's
//   does not; one is added when there is none.
#include "relaycore/arc/arcchain.h"
#include "relaycore/arc/arckeyfetcher.h"
#include "relaycore/arc/arcsealer.h"
#include "relaycore/dkim/dkimsigningkey.h"
#include "relaycore/dns/dnsresolver.h"
#include "tests/relaycore/arc/arcoracle.h"

#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace mailroute::testing;
using namespace arctest;

namespace {

const QString kRelay = QStringLiteral("relay.mailroute.test");

QByteArray plainMessage()
{
    return "From: Ann Sender <ann@sender.test>\r\n"
           "To: bob@warmsushi.test\r\n"
           "Subject: quarterly figures\r\n"
           "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
           "Message-ID: <arc-1@sender.test>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n"
           "\r\n"
           "Figures attached.\r\n"
           "Second line.\r\n";
}

} // namespace

class TestArcSealer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DnsmasqProcess m_dns;
    QString m_dnsProblem;
    TestKey m_sender, m_hop1, m_relayRsa, m_relayEd;
    DnsResolver *m_resolver = nullptr;

    ArcValidation validate(const QByteArray &message)
    {
        std::optional<ArcValidation> result;
        ArcChain::validate(message, QDateTime::currentSecsSinceEpoch(), dnsKeyFetcher(m_resolver, this),
                           [&result](const ArcValidation &v) { result = v; });
        QDeadlineTimer deadline(20000);
        while (!result && !deadline.hasExpired())
            QTest::qWait(10);
        return result.value_or(ArcValidation{ArcChainStatus::Fail, QStringLiteral("no answer"), 0});
    }

    QByteArray sealByRelay(const QByteArray &message, ArcChainStatus cv, bool ed25519 = false)
    {
        const TestKey &k = ed25519 ? m_relayEd : m_relayRsa;
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(k.pem);
        if (!key)
            return {};
        ArcSealRequest r;
        r.authservId = kRelay;
        r.domain = kRelay;
        r.selector = ed25519 ? QStringLiteral("ed") : QStringLiteral("mr");
        r.timestamp = QDateTime::currentSecsSinceEpoch();
        r.cv = cv;
        const Result<QByteArray> sealed = ArcSealer::seal(message, *key, r);
        if (!sealed)
            qWarning("seal: %s", qPrintable(sealed.error));
        return sealed ? *sealed : QByteArray();
    }

    // The first hop: DKIM-signed by sender.test, then ARC-sealed by hop1.test.
    QByteArray firstHop(QString *log)
    {
        const QByteArray signedMessage = dkimpySign(m_dir.path(), plainMessage(), m_sender.pem,
                                                    QStringLiteral("s1"), QStringLiteral("sender.test"), log);
        if (signedMessage.isEmpty())
            return {};
        const QByteArray withResults =
            "Authentication-Results: hop1.test; dkim=pass header.d=sender.test header.s=s1; spf=pass "
            "smtp.mailfrom=ann@sender.test\r\n" +
            signedMessage;
        return dkimpyArcSign(m_dir.path(), withResults, m_hop1.pem, QStringLiteral("arc1"),
                             QStringLiteral("hop1.test"), QStringLiteral("hop1.test"), log);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sender = makeKey(DkimAlgorithm::Rsa2048);
        m_hop1 = makeKey(DkimAlgorithm::Rsa2048);
        m_relayRsa = makeKey(DkimAlgorithm::Rsa2048);
        m_relayEd = makeKey(DkimAlgorithm::Ed25519);
        QVERIFY(!m_sender.pem.isEmpty() && !m_hop1.pem.isEmpty() && !m_relayRsa.pem.isEmpty() &&
                !m_relayEd.pem.isEmpty());
        m_dnsProblem = m_dns.start({txtRecord(QStringLiteral("s1._domainkey.sender.test"), m_sender.record),
                                    txtRecord(QStringLiteral("arc1._domainkey.hop1.test"), m_hop1.record),
                                    txtRecord(QStringLiteral("mr._domainkey.") + kRelay, m_relayRsa.record),
                                    txtRecord(QStringLiteral("ed._domainkey.") + kRelay, m_relayEd.record),
                                    QStringLiteral("--local=/test/")});
        if (m_dnsProblem.isEmpty())
            m_resolver = new DnsResolver(
                DnsResolver::Options{m_dns.nameserver(), std::chrono::milliseconds(5000), 16}, this);
    }

    void arcResultInAuthenticationResults()
    {
        QByteArray payload;
        // Ours gets arc=, in place; another authserv-id's is left alone.
        const QByteArray theirs = "Authentication-Results: other.test; dkim=pass header.d=x.test\r\n";
        const QByteArray ours =
            "Authentication-Results: relay.mailroute.test; spf=fail smtp.mailfrom=a@b.test\r\n";
        QByteArray out =
            ArcSealer::withArcResult(theirs + ours + plainMessage(), kRelay, ArcChainStatus::Pass, &payload);
        QCOMPARE(payload, QByteArray("relay.mailroute.test; spf=fail smtp.mailfrom=a@b.test; arc=pass"));
        QVERIFY(out.startsWith(QByteArray(theirs + "Authentication-Results: " + payload + "\r\n")));
        QCOMPARE(out.count("Authentication-Results:"), 2);
        // None of ours: one is added on top.
        out = ArcSealer::withArcResult(theirs + plainMessage(), kRelay, ArcChainStatus::None, &payload);
        QCOMPARE(payload, QByteArray("relay.mailroute.test; arc=none"));
        QVERIFY(out.startsWith(
            QByteArray("Authentication-Results: relay.mailroute.test; arc=none\r\n" + theirs)));
        // "none" (no result) becomes the arc result.
        out = ArcSealer::withArcResult("Authentication-Results: relay.mailroute.test; none\r\n" +
                                           plainMessage(),
                                       kRelay, ArcChainStatus::Fail, &payload);
        QCOMPARE(payload, QByteArray("relay.mailroute.test; arc=fail"));
    }

    void refusesWhatCannotBeSealed()
    {
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(m_relayRsa.pem);
        QVERIFY(key);
        ArcSealRequest r{kRelay, kRelay, QStringLiteral("mr"), 1, ArcChainStatus::Pass};
        QVERIFY(!ArcSealer::seal(plainMessage(), *key, r)); // pass without a chain
        r.cv = ArcChainStatus::None;
        QVERIFY(!ArcSealer::seal(
            "ARC-Seal: i=1; cv=none; a=rsa-sha256; d=x.test; s=a; b=AA==\r\n" + plainMessage(), *key, r));
        QVERIFY(!ArcSealer::seal(plainMessage(), DkimSigningKey(), r));
    }

    // An ARC-Authentication-Results claiming the relay's authserv-id in a
    // set sealed by someone else is a forgery: found, and dropped when the
    // relay seals the (then failed) chain; the relay's own earlier set is not.
    void foreignClaimsOfOurAuthservId()
    {
        const Result<DkimSigningKey> key = DkimSigningKey::fromPem(m_relayRsa.pem);
        QVERIFY(key);
        const QByteArray forged =
            "ARC-Seal: i=1; a=rsa-sha256; t=1; cv=none; d=evil.test; s=x; b=AAAA\r\n"
            "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=evil.test; s=x; "
            "h=from; bh=AAAA; b=AAAA\r\n"
            "ARC-Authentication-Results: i=1; relay.mailroute.test; dkim=pass\r\n";
        const QByteArray message = forged + plainMessage();
        const QList<int> claims = ArcChain::foreignClaims(HeaderSection(message), kRelay, kRelay);
        QCOMPARE(claims, QList<int>{2});
        QVERIFY(
            ArcChain::foreignClaims(HeaderSection(message), QStringLiteral("other.test"), kRelay).isEmpty());
        const Result<QByteArray> sealed = ArcSealer::seal(
            message, *key, ArcSealRequest{kRelay, kRelay, QStringLiteral("mr"), 1, ArcChainStatus::Fail});
        QVERIFY2(sealed, qPrintable(sealed.error));
        QVERIFY(!sealed->contains("ARC-Authentication-Results: i=1;"));
        QVERIFY(sealed->contains("ARC-Authentication-Results: i=2; relay.mailroute.test; arc=fail\r\n"));
        // Our own set (sealed with d= our domain) is not a claim.
        const QByteArray own = sealByRelay(plainMessage(), ArcChainStatus::None);
        QVERIFY(ArcChain::foreignClaims(HeaderSection(own), kRelay, kRelay).isEmpty());
    }

    void oneHop_data()
    {
        QTest::addColumn<bool>("ed25519");
        QTest::newRow("rsa-sha256") << false;
        QTest::newRow("ed25519-sha256") << true;
    }

    void oneHop()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        QFETCH(bool, ed25519);
        QCOMPARE(validate(plainMessage()).status, ArcChainStatus::None);
        const QByteArray sealed = sealByRelay(plainMessage(), ArcChainStatus::None, ed25519);
        QVERIFY(!sealed.isEmpty());
        QVERIFY(sealed.startsWith("ARC-Seal: i=1;"));
        QVERIFY(sealed.contains("\r\nARC-Authentication-Results: i=1; relay.mailroute.test; arc=none\r\n"));
        QVERIFY(sealed.contains(ed25519 ? "a=ed25519-sha256" : "a=rsa-sha256"));
        const ArcVerdict v = dkimpyArcVerify(m_dir.path(), sealed, m_dns.nameserver());
        if (ed25519) {
            // dkimpy's ARC knows rsa-sha256 only (its DKIM knows both): the
            // Ed25519 seal is checked by ArcChain alone below.
            QVERIFY2(v.reason.contains(u"unknown signature algorithm"), qPrintable(v.cv + u' ' + v.reason));
        } else {
            QVERIFY2(v.cv == u"pass", qPrintable(v.cv + QLatin1Char(' ') + v.reason));
            QVERIFY(v.has(QStringLiteral("ams-valid 1 yes")) && v.has(QStringLiteral("as-valid 1 yes")));
        }
        const ArcValidation ours = validate(sealed);
        QVERIFY2(ours.status == ArcChainStatus::Pass, qPrintable(ours.reason));
        QCOMPARE(ours.instance, 1);
    }

    void twoHops()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        QString log;
        const QByteArray hop1 = firstHop(&log);
        QVERIFY2(!hop1.isEmpty(), qPrintable(log));
        QVERIFY(hop1.startsWith("ARC-Seal:"));
        // As it arrives: dkimpy and MailRoute both pass the chain of one.
        QCOMPARE(dkimpyArcVerify(m_dir.path(), hop1, m_dns.nameserver()).cv, QStringLiteral("pass"));
        const ArcValidation arrived = validate(hop1);
        QVERIFY2(arrived.status == ArcChainStatus::Pass, qPrintable(arrived.reason));

        // The relay rewrites To: (breaking the sender's DKIM and hop 1's AMS),
        // adds its Authentication-Results, and seals with the verdict on arrival.
        QByteArray rewritten = hop1;
        QVERIFY(rewritten.contains("To: bob@warmsushi.test\r\n"));
        rewritten.replace("To: bob@warmsushi.test\r\n", "To: bob.owen@drypizza.test\r\n");
        rewritten.prepend("Authentication-Results: relay.mailroute.test; dkim=pass header.d=sender.test "
                          "header.s=s1\r\n");
        QCOMPARE(validate(rewritten).status,
                 ArcChainStatus::Fail); // what validating after the rewrite would say
        const QByteArray sealed = sealByRelay(rewritten, arrived.status);
        QVERIFY(!sealed.isEmpty());
        QVERIFY(sealed.startsWith("ARC-Seal: i=2; a=rsa-sha256;"));
        QVERIFY(sealed.contains("cv=pass;"));
        QVERIFY(sealed.contains(
            "ARC-Authentication-Results: i=2; relay.mailroute.test; dkim=pass header.d=sender.test "
            "header.s=s1; arc=pass\r\n"));
        QVERIFY(
            sealed.contains("Authentication-Results: relay.mailroute.test; dkim=pass header.d=sender.test "
                            "header.s=s1; arc=pass\r\n"));

        const ArcVerdict v = dkimpyArcVerify(m_dir.path(), sealed, m_dns.nameserver());
        QVERIFY2(v.cv == u"pass",
                 qPrintable(v.cv + QLatin1Char(' ') + v.reason + QLatin1Char(' ') + v.lines.join(u',')));
        QVERIFY(v.has(QStringLiteral("ams-valid 2 yes")));
        QVERIFY(v.has(QStringLiteral("as-valid 2 yes")) && v.has(QStringLiteral("as-valid 1 yes")));
        const ArcValidation ours = validate(sealed);
        QVERIFY2(ours.status == ArcChainStatus::Pass, qPrintable(ours.reason));
        QCOMPARE(ours.instance, 2);
    }

    void brokenChain()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        QString log;
        QByteArray hop1 = firstHop(&log);
        QVERIFY2(!hop1.isEmpty(), qPrintable(log));
        // Someone between hop 1 and the relay changes a sealed header.
        QVERIFY(hop1.contains("Subject: quarterly figures\r\n"));
        hop1.replace("Subject: quarterly figures\r\n", "Subject: quarterly figures (revised)\r\n");
        const ArcVerdict before = dkimpyArcVerify(m_dir.path(), hop1, m_dns.nameserver());
        QCOMPARE(before.cv, QStringLiteral("fail"));
        const ArcValidation arrived = validate(hop1);
        QCOMPARE(arrived.status, ArcChainStatus::Fail);
        QVERIFY2(arrived.reason.contains(u"ARC-Message-Signature i=1"), qPrintable(arrived.reason));

        const QByteArray sealed = sealByRelay(hop1, arrived.status);
        QVERIFY(!sealed.isEmpty());
        QVERIFY(sealed.startsWith("ARC-Seal: i=2;"));
        QVERIFY(sealed.contains("cv=fail;"));
        QVERIFY(sealed.contains("ARC-Authentication-Results: i=2; relay.mailroute.test; arc=fail\r\n"));
        // dkimpy: our AMS is valid, and the newest seal ends the chain as failed.
        const ArcVerdict after = dkimpyArcVerify(m_dir.path(), sealed, m_dns.nameserver());
        QVERIFY2(after.cv == u"terminated" || after.cv == u"fail",
                 qPrintable(after.cv + u' ' + after.reason));
        QVERIFY2(after.reason.contains(u"ARC-Seal[2] reported failure"), qPrintable(after.reason));
        QVERIFY(after.has(QStringLiteral("ams-valid 2 yes")));
        QCOMPARE(validate(sealed).status, ArcChainStatus::Fail);
    }

    void forgedSealIsFail()
    {
        REQUIRE_DNSMASQ(m_dnsProblem);
        // A seal whose key record does not exist, and a set with a member missing.
        QByteArray sealed = sealByRelay(plainMessage(), ArcChainStatus::None);
        QVERIFY(!sealed.isEmpty());
        QByteArray noKey = sealed;
        noKey.replace("s=mr;", "s=gone;");
        QCOMPARE(validate(noKey).status, ArcChainStatus::Fail);
        QByteArray incomplete = sealed;
        incomplete.replace("ARC-Message-Signature:", "X-Removed-Message-Signature:");
        const ArcValidation v = validate(incomplete);
        QCOMPARE(v.status, ArcChainStatus::Fail);
        QVERIFY2(v.reason.contains(u"incomplete"), qPrintable(v.reason));
    }
};

QTEST_GUILESS_MAIN(TestArcSealer)
#include "tst_arcsealer.moc"
