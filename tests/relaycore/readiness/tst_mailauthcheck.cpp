// The mail authentication findings of the readiness checks (DKIM records of
// the domain's keys, its DMARC record with the organisational-domain fallback,
// the DMARC preview per Outbound rule), as a pure function over DNS answers
// given as values: every finding's colour and the record it proposes. The
// organisational domain comes from the Public Suffix List (libpsl), checked
// against names whose answer the list fixes (co.uk, github.io).
#include "relaycore/dkim/dkimkeys.h"
#include "relaycore/readiness/dkimrecordcheck.h"
#include "relaycore/readiness/mailauthcheck.h"
#include "relaycore/readiness/readinessplan.h"
#include "relaycore/readiness/readinessreport.h"

#include <QTest>

using namespace mailroute;
using S = ReadinessStatus;
using O = DnsAnswer::Outcome;

namespace {

const QString kRelay = QStringLiteral("192.0.2.25");

DnsAnswer answer(O outcome, QStringList values = {})
{
    DnsAnswer a;
    a.outcome = outcome;
    a.values = std::move(values);
    for (qsizetype i = 0; i < a.values.size(); ++i)
        a.ttls << 300;
    if (outcome == O::Failure)
        a.error = QStringLiteral("SERVFAIL");
    return a;
}

DnsAnswer txt(const QStringList &values)
{
    return answer(values.isEmpty() ? O::NoRecords : O::Records, values);
}

DkimKey key(const QString &domain, const QString &selector, DkimKeyState state, const QString &p)
{
    DkimKey k;
    k.domain = domain;
    k.selector = selector;
    k.state = state;
    k.algorithm = DkimAlgorithm::Ed25519;
    k.publicKey = p;
    return k;
}

RelayIdentity relay(const QString &postmaster = QStringLiteral("admin@example.com"))
{
    RelayIdentity r;
    r.hostname = QStringLiteral("relay.example.net");
    r.addresses.append({QHostAddress(kRelay), 32});
    r.addressesFromSetting = true;
    r.postmaster = postmaster;
    return r;
}

DomainCheck outbound(const QString &domain, QList<DkimKey> keys,
                     QStringList rules = {QStringLiteral("@old.test")})
{
    DomainCheck c{domain, false, true};
    c.auth = true;
    c.dkimKeys = std::move(keys);
    c.outboundRules = std::move(rules);
    return c;
}

const ReadinessFinding *find(const DomainReadiness &r, const QString &check)
{
    for (const ReadinessFinding &f : r.findings) {
        if (f.check == check)
            return &f;
    }
    return nullptr;
}

} // namespace

class TstMailAuthCheck final : public QObject
{
    Q_OBJECT

private slots:
    void organisationalDomain_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("org");
        QTest::newRow("itself") << QStringLiteral("example.com") << QStringLiteral("example.com");
        QTest::newRow("sub") << QStringLiteral("sub.example.com") << QStringLiteral("example.com");
        QTest::newRow("deep") << QStringLiteral("a.b.Example.COM.") << QStringLiteral("example.com");
        QTest::newRow("co.uk") << QStringLiteral("mail.example.co.uk") << QStringLiteral("example.co.uk");
        QTest::newRow("private suffix")
            << QStringLiteral("x.foo.github.io") << QStringLiteral("foo.github.io");
        QTest::newRow("unlisted tld") << QStringLiteral("sub.example.test") << QStringLiteral("example.test");
        QTest::newRow("suffix") << QStringLiteral("co.uk") << QStringLiteral("co.uk");
    }
    void organisationalDomain()
    {
        QFETCH(QString, domain);
        QFETCH(QString, org);
        QCOMPARE(mailroute::organisationalDomain(domain), org);
    }

    void alignment()
    {
        QVERIFY(dmarcAligned(QStringLiteral("example.com"), QStringLiteral("example.com"), true));
        QVERIFY(dmarcAligned(QStringLiteral("sub.example.com"), QStringLiteral("example.com"), false));
        QVERIFY(!dmarcAligned(QStringLiteral("sub.example.com"), QStringLiteral("example.com"), true));
        QVERIFY(!dmarcAligned(QStringLiteral("example.com"), QStringLiteral("example.net"), false));
        QVERIFY(!dmarcAligned(QStringLiteral("a.example.co.uk"), QStringLiteral("b.other.co.uk"), false));
    }

    void parseRecord_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("dmarc");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("described");
        QTest::newRow("full")
            << QStringLiteral(
                   "v=DMARC1; p=reject; sp=quarantine; pct=50; adkim=s; aspf=s; rua=mailto:a@b.test")
            << true << true << QStringLiteral("p=reject, sp=quarantine, pct=50, adkim=s, aspf=s");
        QTest::newRow("defaults") << QStringLiteral("v = DMARC1 ;P=None") << true << true
                                  << QStringLiteral("p=none, pct=100, adkim=r, aspf=r");
        QTest::newRow("bad optional") << QStringLiteral("v=DMARC1; p=quarantine; pct=200; adkim=x") << true
                                      << true << QStringLiteral("p=quarantine, pct=100, adkim=r, aspf=r");
        QTest::newRow("no p") << QStringLiteral("v=DMARC1; rua=mailto:a@b.test") << true << false
                              << QString();
        QTest::newRow("bad p") << QStringLiteral("v=DMARC1; p=block") << true << false << QString();
        QTest::newRow("bad sp") << QStringLiteral("v=DMARC1; p=none; sp=all") << true << false << QString();
        QTest::newRow("v not first") << QStringLiteral("p=reject; v=DMARC1") << false << false << QString();
        QTest::newRow("lower case version")
            << QStringLiteral("v=dmarc1; p=reject") << false << false << QString();
        QTest::newRow("spf") << QStringLiteral("v=spf1 -all") << false << false << QString();
    }
    void parseRecord()
    {
        QFETCH(QString, text);
        QFETCH(bool, dmarc);
        QFETCH(bool, valid);
        QFETCH(QString, described);
        QCOMPARE(DmarcRecord::isDmarc(text), dmarc);
        const DmarcRecord d = DmarcRecord::parse(text);
        QCOMPARE(d.valid, valid);
        QCOMPARE(d.error.isEmpty(), valid);
        if (valid)
            QCOMPARE(d.describe(), described);
    }

    void lookups()
    {
        DomainCheck c = outbound(QStringLiteral("sub.example.com"),
                                 {key(QStringLiteral("sub.example.com"), QStringLiteral("s1"),
                                      DkimKeyState::Active, QStringLiteral("AAA"))});
        QCOMPARE(mailAuthLookups(c), (QStringList{QStringLiteral("s1._domainkey.sub.example.com"),
                                                  QStringLiteral("_dmarc.sub.example.com"),
                                                  QStringLiteral("_dmarc.example.com")}));
        c.auth = false;
        QVERIFY(mailAuthLookups(c).isEmpty());
    }

    // Published matching key, p=reject, SPF includes the relay: all green.
    void allPass()
    {
        const QString d = QStringLiteral("example.com");
        const DkimKey k = key(d, QStringLiteral("mr1"), DkimKeyState::Active, QStringLiteral("KEYA"));
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("mr1._domainkey.example.com"),
                   txt({QStringLiteral("v=DKIM1; k=ed25519; p=KEYA")}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=reject; rua=mailto:d@example.com")}));
        const DomainReadiness r = ReadinessAssessment::assess(outbound(d, {k}), relay(), dns);
        QVERIFY(r.authChecked);
        QCOMPARE(r.status(), S::Ok);
        QCOMPARE(find(r, QStringLiteral("DKIM mr1"))->status, S::Ok);
        QVERIFY(
            find(r, QStringLiteral("DKIM mr1"))->detail.contains(QStringLiteral("matches the private key")));
        QCOMPARE(find(r, QStringLiteral("DMARC"))->status, S::Ok);
        QVERIFY(
            find(r, QStringLiteral("DMARC"))->detail.startsWith(QStringLiteral("p=reject for example.com")));
        QCOMPARE(r.dmarcPolicy, QStringLiteral("reject"));
        const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview @old.test"));
        QVERIFY(preview);
        QCOMPARE(preview->status, S::Ok);
        QVERIFY2(preview->detail.startsWith(QStringLiteral(
                     "pass: DKIM pass, aligned (mr1, d=example.com, adkim=r); SPF pass, aligned")),
                 qPrintable(preview->detail));
        QVERIFY(preview->record.isEmpty());
    }

    // An active key without its record under p=reject: red DKIM, red preview
    // proposing the DKIM record; SPF alone would also make it pass: proposed too.
    void missingActiveKeyUnderReject()
    {
        const QString d = QStringLiteral("example.com");
        const DkimKey k = key(d, QStringLiteral("mr1"), DkimKeyState::Active, QStringLiteral("KEYA"));
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 include:_spf.provider.test -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("_spf.provider.test"),
                   txt({QStringLiteral("v=spf1 ip4:198.51.100.0/24 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("mr1._domainkey.example.com"), answer(O::NxDomain));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=reject")}));
        const DomainReadiness r = ReadinessAssessment::assess(
            outbound(d, {k}, {QStringLiteral("@old.test"), QStringLiteral("2 user rules")}), relay(), dns);
        const ReadinessFinding *dkim = find(r, QStringLiteral("DKIM mr1"));
        QCOMPARE(dkim->status, S::Failure);
        QCOMPARE(dkim->recordName, QStringLiteral("mr1._domainkey.example.com"));
        QCOMPARE(dkim->record, dkimRecordValue(DkimAlgorithm::Ed25519, QStringLiteral("KEYA")));
        for (const QString &rule : {QStringLiteral("@old.test"), QStringLiteral("2 user rules")}) {
            const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview ") + rule);
            QVERIFY(preview);
            QCOMPARE(preview->status, S::Failure);
            QVERIFY2(preview->detail.startsWith(QStringLiteral("fail (p=reject: receivers refuse the mail)")),
                     qPrintable(preview->detail));
            QVERIFY(preview->detail.contains(QStringLiteral("SPF fail (192.0.2.25 fail)")));
            QCOMPARE(preview->record, dkim->record);
            QVERIFY(preview->advice.contains(
                QStringLiteral("v=spf1 include:_spf.provider.test ip4:192.0.2.25 -all")));
        }
        // The record differs (an old key): also red.
        dns.insert(DnsType::TXT, QStringLiteral("mr1._domainkey.example.com"),
                   txt({QStringLiteral("v=DKIM1; p=OLDKEY")}));
        const DomainReadiness r2 = ReadinessAssessment::assess(outbound(d, {k}), relay(), dns);
        QCOMPARE(find(r2, QStringLiteral("DKIM mr1"))->status, S::Failure);
        QVERIFY(find(r2, QStringLiteral("DKIM mr1"))->detail.contains(QStringLiteral("another key")));
    }

    // A pending key not yet published is amber; a DNS failure is amber
    // "unknown", never "missing", and proposes nothing.
    void pendingAndDnsDoubt()
    {
        const QString d = QStringLiteral("example.com");
        const DkimKey active = key(d, QStringLiteral("mr1"), DkimKeyState::Active, QStringLiteral("KEYA"));
        const DkimKey pending = key(d, QStringLiteral("mr2"), DkimKeyState::Pending, QStringLiteral("KEYB"));
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("mr1._domainkey.example.com"), answer(O::Failure));
        dns.insert(DnsType::TXT, QStringLiteral("mr2._domainkey.example.com"), txt({}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"), answer(O::Failure));
        const DomainReadiness r = ReadinessAssessment::assess(outbound(d, {active, pending}), relay(), dns);
        const ReadinessFinding *a = find(r, QStringLiteral("DKIM mr1"));
        QCOMPARE(a->status, S::Warning);
        QVERIFY(a->detail.startsWith(QStringLiteral("unknown:")));
        QVERIFY(!a->detail.contains(QStringLiteral("no record")));
        QVERIFY(a->record.isEmpty());
        const ReadinessFinding *p = find(r, QStringLiteral("DKIM mr2"));
        QCOMPARE(p->status, S::Warning);
        QVERIFY(p->detail.contains(QStringLiteral("not published yet")));
        QCOMPARE(p->recordName, QStringLiteral("mr2._domainkey.example.com"));
        const ReadinessFinding *dmarc = find(r, QStringLiteral("DMARC"));
        QCOMPARE(dmarc->status, S::Warning);
        QVERIFY(dmarc->detail.startsWith(QStringLiteral("unknown:")));
        QVERIFY(dmarc->record.isEmpty());
        // SPF passes: the preview passes whatever DKIM's DNS said.
        QCOMPARE(find(r, QStringLiteral("DMARC preview @old.test"))->status, S::Ok);
        QCOMPARE(r.status(), S::Warning);
    }

    // No key at all: amber with the command; no DMARC record: amber with the
    // record to publish; the preview fails amber (no policy to enforce).
    void noKeyNoDmarc()
    {
        const QString d = QStringLiteral("example.com");
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"), answer(O::NxDomain));
        const DomainReadiness r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        const ReadinessFinding *dkim = find(r, QStringLiteral("DKIM"));
        QCOMPARE(dkim->status, S::Warning);
        QCOMPARE(dkim->advice,
                 QStringLiteral("no DKIM key: mail rewritten to example.com is not signed; generate one "
                                "(mailroutectl dkim generate example.com)"));
        const ReadinessFinding *dmarc = find(r, QStringLiteral("DMARC"));
        QCOMPARE(dmarc->status, S::Warning);
        QCOMPARE(dmarc->recordName, QStringLiteral("_dmarc.example.com"));
        QCOMPARE(dmarc->record, QStringLiteral("v=DMARC1; p=none; rua=mailto:admin@example.com"));
        QVERIFY(!dmarc->advice.contains(QStringLiteral("_report._dmarc"))); // same organisational domain
        const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview @old.test"));
        QCOMPARE(preview->status, S::Warning);
        QVERIFY(preview->detail.startsWith(QStringLiteral("fail (no DMARC policy")));
        QVERIFY(preview->advice.contains(QStringLiteral("mailroutectl dkim generate example.com")));
        QCOMPARE(preview->record, QStringLiteral("v=spf1 ip4:192.0.2.25 ~all")); // the SPF check's proposal
        QCOMPARE(preview->recordName, d);
        // The SPF finding carries the record it proposes as well.
        QCOMPARE(find(r, QStringLiteral("SPF"))->record, QStringLiteral("v=spf1 ip4:192.0.2.25 ~all"));
        // Without relay.postmaster: postmaster@ the domain; reports to another
        // domain need its authorisation record.
        QCOMPARE(suggestedDmarcRecord(d, {}),
                 QStringLiteral("v=DMARC1; p=none; rua=mailto:postmaster@example.com"));
        const DomainReadiness r2 =
            ReadinessAssessment::assess(outbound(d, {}), relay(QStringLiteral("a@reports.test")), dns);
        QVERIFY(find(r2, QStringLiteral("DMARC"))
                    ->advice.contains(QStringLiteral("example.com._report._dmarc.reports.test")));
    }

    // sub.example.com has no record: example.com's applies, its sp= first.
    // p=none: a failing preview is amber; quarantine via sp=: red.
    void organisationalFallback()
    {
        const QString d = QStringLiteral("sub.example.com");
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.sub.example.com"), answer(O::NxDomain));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=none")}));
        DomainReadiness r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        const ReadinessFinding *dmarc = find(r, QStringLiteral("DMARC"));
        QCOMPARE(dmarc->status, S::Ok);
        QVERIFY2(dmarc->detail.contains(
                     QStringLiteral("at _dmarc.example.com (no record at _dmarc.sub.example.com")),
                 qPrintable(dmarc->detail));
        QCOMPARE(find(r, QStringLiteral("DMARC preview @old.test"))->status, S::Warning);
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=none; sp=quarantine")}));
        r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        QCOMPARE(r.dmarcPolicy, QStringLiteral("quarantine"));
        const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview @old.test"));
        QCOMPARE(preview->status, S::Failure);
        QVERIFY(preview->detail.contains(QStringLiteral("p=quarantine: receivers junk the mail")));
        // A record of its own wins over the organisational domain's.
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.sub.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=reject")}));
        r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        QCOMPARE(r.dmarcPolicy, QStringLiteral("reject"));
    }

    // Two DMARC records: red (permerror); TXT records that are not DMARC are ignored.
    void multipleRecords()
    {
        const QString d = QStringLiteral("example.com");
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=none"), QStringLiteral("v=DMARC1; p=reject"),
                        QStringLiteral("hello")}));
        DomainReadiness r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        QCOMPARE(find(r, QStringLiteral("DMARC"))->status, S::Failure);
        QVERIFY(find(r, QStringLiteral("DMARC"))->detail.startsWith(QStringLiteral("2 DMARC records")));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("hello"), QStringLiteral("v=DMARC1; p=quarantine")}));
        r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        QCOMPARE(find(r, QStringLiteral("DMARC"))->status, S::Ok);
    }

    // aspf=s / adkim=s: the rewritten envelope sender and the signing domain
    // are the domain itself, so strict alignment holds too.
    void strictAlignment()
    {
        const QString d = QStringLiteral("example.com");
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, txt({QStringLiteral("v=spf1 ip4:192.0.2.0/24 -all")}));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=reject; aspf=s; adkim=s")}));
        const DomainReadiness r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview @old.test"));
        QCOMPARE(preview->status, S::Ok);
        QVERIFY(preview->detail.contains(QStringLiteral("SPF pass, aligned (aspf=s)")));
    }

    // An SPF look-up that went unanswered under p=reject: amber unknown, not red.
    void spfDoubtIsUnknown()
    {
        const QString d = QStringLiteral("example.com");
        DnsAnswers dns;
        dns.insert(DnsType::TXT, d, answer(O::Failure));
        dns.insert(DnsType::TXT, QStringLiteral("_dmarc.example.com"),
                   txt({QStringLiteral("v=DMARC1; p=reject")}));
        const DomainReadiness r = ReadinessAssessment::assess(outbound(d, {}), relay(), dns);
        const ReadinessFinding *preview = find(r, QStringLiteral("DMARC preview @old.test"));
        QCOMPARE(preview->status, S::Warning);
        QVERIFY(preview->detail.startsWith(QStringLiteral("unknown")));
    }

    // A domain that is not an Outbound target gets no mail authentication findings.
    void notOutbound()
    {
        DnsAnswers dns;
        dns.insert(DnsType::TXT, QStringLiteral("example.com"),
                   txt({QStringLiteral("v=spf1 ip4:192.0.2.25 -all")}));
        const DomainReadiness r = ReadinessAssessment::assess(
            DomainCheck{QStringLiteral("example.com"), false, true}, relay(), dns);
        QVERIFY(!r.authChecked);
        QVERIFY(!find(r, QStringLiteral("DMARC")));
        QCOMPARE(r.findings.size(), 1);
    }

    // arc.domain (issue 13): its sealing key's record is checked like a DKIM
    // key's, nothing else (no DMARC: the domain sends nothing of its own);
    // without an active key, a warning that nothing is sealed.
    void arcDomainKeyRecord()
    {
        const QString d = QStringLiteral("relay.example.net");
        DomainCheck c{d, false, false};
        c.arc = true;
        c.dkimKeys << key(d, QStringLiteral("arc1"), DkimKeyState::Active, QStringLiteral("KEYA"));
        QCOMPARE(mailAuthLookups(c), QStringList{QStringLiteral("arc1._domainkey.relay.example.net")});
        DnsAnswers dns;
        dns.insert(DnsType::TXT, QStringLiteral("arc1._domainkey.relay.example.net"),
                   txt({QStringLiteral("v=DKIM1; k=ed25519; p=KEYA")}));
        DomainReadiness r = ReadinessAssessment::assess(c, relay(), dns);
        QVERIFY(r.authChecked);
        QCOMPARE(find(r, QStringLiteral("DKIM arc1"))->status, S::Ok);
        QVERIFY(!find(r, QStringLiteral("DMARC")));
        QCOMPARE(r.findings.size(), 1);
        // Not published: the same failure as for a signing key.
        r = ReadinessAssessment::assess(c, relay(), DnsAnswers{});
        QVERIFY(find(r, QStringLiteral("DKIM arc1"))->status != S::Ok);
        // No key at all.
        c.dkimKeys.clear();
        r = ReadinessAssessment::assess(c, relay(), dns);
        QCOMPARE(find(r, QStringLiteral("DKIM"))->status, S::Warning);
        QVERIFY(find(r, QStringLiteral("DKIM"))->advice.contains(QStringLiteral("arc.domain")));
    }

    // The plan names arc.domain with its keys, neither MX nor SPF.
    void planIncludesArcDomain()
    {
        ConfigData config;
        config.settings.insert(QStringLiteral("relay.hostname"), QStringLiteral("relay.example.net"));
        config.settings.insert(QStringLiteral("arc.domain"), QStringLiteral("Relay.Example.net"));
        config.dkimKeys << key(QStringLiteral("relay.example.net"), QStringLiteral("arc1"),
                               DkimKeyState::Active, QStringLiteral("KEYA"))
                        << key(QStringLiteral("other.example"), QStringLiteral("x"), DkimKeyState::Active,
                               QStringLiteral("KEYB"));
        const Result<ReadinessPlan> plan = ReadinessPlan::fromConfig(config);
        QVERIFY2(plan.ok(), qPrintable(plan.error));
        QCOMPARE(plan->domains.size(), 1);
        const DomainCheck &c = plan->domains.first();
        QCOMPARE(c.domain, QStringLiteral("relay.example.net"));
        QVERIFY(c.arc && !c.auth && !c.mx && !c.spf);
        QCOMPARE(c.dkimKeys.size(), 1);
        QCOMPARE(c.dkimKeys.first().selector, QStringLiteral("arc1"));
    }
};

QTEST_GUILESS_MAIN(TstMailAuthCheck)
#include "tst_mailauthcheck.moc"
