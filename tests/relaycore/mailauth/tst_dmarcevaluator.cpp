// DmarcEvaluator (RFC 7489) as a table: the record at the From: domain or
// its organisational domain (Public Suffix List: co.uk is a public suffix),
// strict and relaxed alignment of SPF and DKIM, p=/sp=/pct=, and missing,
// duplicate, broken and unanswered records. DNS answers as values.
#include "relaycore/mailauth/dmarc.h"

#include <QTest>

using namespace mailroute;
using Code = DmarcResult::Code;

namespace {

DnsAnswer txt(const QStringList &values)
{
    DnsAnswer a;
    a.outcome = DnsAnswer::Outcome::Records;
    a.failure = DnsAnswer::FailureKind::None;
    a.values = values;
    return a;
}

DnsAnswer nx()
{
    DnsAnswer a;
    a.outcome = DnsAnswer::Outcome::NxDomain;
    a.failure = DnsAnswer::FailureKind::None;
    return a;
}

DnsAnswers zone()
{
    DnsAnswers dns;
    auto put = [&](const char *name, const DnsAnswer &a) {
        dns.insert(DnsType::TXT, QLatin1String(name), a);
    };
    put("_dmarc.example.com", txt({QStringLiteral("v=DMARC1; p=reject; sp=quarantine")}));
    put("_dmarc.mail.example.com", nx());
    put("_dmarc.deep.mail.example.com", nx());
    put("_dmarc.strict.example", txt({QStringLiteral("v=DMARC1; p=reject; adkim=s; aspf=s")}));
    put("_dmarc.half.example", txt({QStringLiteral("v=DMARC1; p=reject; pct=50")}));
    put("_dmarc.q.example", txt({QStringLiteral("v=DMARC1; p=quarantine; pct=0")}));
    put("_dmarc.none.example", txt({QStringLiteral("some other text")}));
    put("_dmarc.broken.example", txt({QStringLiteral("v=DMARC1; p=bounce")}));
    put("_dmarc.nop.example", txt({QStringLiteral("v=DMARC1; rua=mailto:x@nop.example")}));
    put("_dmarc.two.example",
        txt({QStringLiteral("v=DMARC1; p=reject"), QStringLiteral("v=DMARC1; p=none")}));
    put("_dmarc.shop.co.uk", txt({QStringLiteral("v=DMARC1; p=reject; sp=none")}));
    put("_dmarc.www.shop.co.uk", nx());
    put("_dmarc.other.co.uk", nx());
    put("_dmarc.sub.own.example", txt({QStringLiteral("v=DMARC1; p=none; sp=reject")}));
    dns.insert(DnsType::TXT, QStringLiteral("_dmarc.down.example"),
               DnsAnswer::makeFailure(DnsAnswer::FailureKind::ServerFailure, QStringLiteral("SERVFAIL"), 2));
    put("_dmarc.own.example", txt({QStringLiteral("v=DMARC1; p=quarantine")}));
    put("_dmarc.unknown.example", nx());
    return dns;
}

} // namespace

class TestDmarcEvaluator final : public QObject
{
    Q_OBJECT
private slots:
    void evaluate_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<int>("spf");
        QTest::addColumn<QString>("spfDomain");
        QTest::addColumn<QStringList>("dkim");
        QTest::addColumn<int>("sample");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("disposition");
        const int pass = int(SpfResult::Code::Pass);
        const int fail = int(SpfResult::Code::Fail);
        const QStringList none;
        auto row = [](const char *name) { return &QTest::newRow(name); };
        // Alignment, relaxed (the default): the organisational domains match.
        *row("spf aligned exact") << u"example.com"_qs << pass << u"example.com"_qs << none << 0
                                  << int(Code::Pass) << u"reject"_qs << u"none"_qs;
        *row("spf relaxed subdomain") << u"example.com"_qs << pass << u"bounce.example.com"_qs << none << 0
                                      << int(Code::Pass) << u"reject"_qs << u"none"_qs;
        *row("dkim relaxed parent") << u"example.com"_qs << fail << u"other.test"_qs
                                    << QStringList{u"mail.example.com"_qs} << 0 << int(Code::Pass)
                                    << u"reject"_qs << u"none"_qs;
        *row("spf pass unaligned") << u"example.com"_qs << pass << u"other.test"_qs << none << 0
                                   << int(Code::Fail) << u"reject"_qs << u"reject"_qs;
        *row("dkim unaligned") << u"example.com"_qs << fail << u"example.com"_qs
                               << QStringList{u"example.net"_qs} << 0 << int(Code::Fail) << u"reject"_qs
                               << u"reject"_qs;
        // Strict: the same name only.
        *row("strict spf subdomain") << u"strict.example"_qs << pass << u"a.strict.example"_qs << none << 0
                                     << int(Code::Fail) << u"reject"_qs << u"reject"_qs;
        *row("strict dkim subdomain")
            << u"strict.example"_qs << fail << u""_qs << QStringList{u"a.strict.example"_qs} << 0
            << int(Code::Fail) << u"reject"_qs << u"reject"_qs;
        *row("strict dkim exact") << u"strict.example"_qs << fail << u""_qs
                                  << QStringList{u"strict.example"_qs} << 0 << int(Code::Pass) << u"reject"_qs
                                  << u"none"_qs;
        // Subdomains: the organisational domain's record, with sp=.
        *row("sp for subdomain") << u"mail.example.com"_qs << fail << u"x.test"_qs << none << 0
                                 << int(Code::Fail) << u"quarantine"_qs << u"quarantine"_qs;
        *row("sp deep subdomain") << u"deep.mail.example.com"_qs << fail << u"x.test"_qs << none << 0
                                  << int(Code::Fail) << u"quarantine"_qs << u"quarantine"_qs;
        *row("psl co.uk organisational") << u"www.shop.co.uk"_qs << fail << u"x.test"_qs << none << 0
                                         << int(Code::Fail) << u"none"_qs << u"none"_qs;
        *row("psl co.uk aligned relaxed") << u"www.shop.co.uk"_qs << pass << u"shop.co.uk"_qs << none << 0
                                          << int(Code::Pass) << u"none"_qs << u"none"_qs;
        *row("psl co.uk not one org") << u"shop.co.uk"_qs << pass << u"other.co.uk"_qs << none << 0
                                      << int(Code::Fail) << u"reject"_qs << u"reject"_qs;
        *row("own record over parent sp") << u"sub.own.example"_qs << fail << u"x.test"_qs << none << 0
                                          << int(Code::Fail) << u"none"_qs << u"none"_qs;
        // pct=: sampled in or out (the next weaker policy).
        *row("pct 50 in") << u"half.example"_qs << fail << u"x.test"_qs << none << 49 << int(Code::Fail)
                          << u"reject"_qs << u"reject"_qs;
        *row("pct 50 out") << u"half.example"_qs << fail << u"x.test"_qs << none << 50 << int(Code::Fail)
                           << u"reject"_qs << u"quarantine"_qs;
        *row("pct 0 quarantine") << u"q.example"_qs << fail << u"x.test"_qs << none << 0 << int(Code::Fail)
                                 << u"quarantine"_qs << u"none"_qs;
        // Missing, broken, duplicate, unanswered.
        *row("no record") << u"unknown.example"_qs << fail << u"x.test"_qs << none << 0 << int(Code::None)
                          << u""_qs << u""_qs;
        *row("not a DMARC record") << u"none.example"_qs << fail << u"x.test"_qs << none << 0
                                   << int(Code::None) << u""_qs << u""_qs;
        *row("bad p=") << u"broken.example"_qs << fail << u"x.test"_qs << none << 0 << int(Code::PermError)
                       << u""_qs << u""_qs;
        *row("no p=") << u"nop.example"_qs << pass << u"nop.example"_qs << none << 0 << int(Code::PermError)
                      << u""_qs << u""_qs;
        *row("two records") << u"two.example"_qs << fail << u"x.test"_qs << none << 0 << int(Code::None)
                            << u""_qs << u""_qs;
        *row("servfail") << u"down.example"_qs << pass << u"down.example"_qs << none << 0
                         << int(Code::TempError) << u""_qs << u""_qs;
        *row("no From domain") << u""_qs << pass << u"x.test"_qs << none << 0 << int(Code::None) << u""_qs
                               << u""_qs;
    }

    void evaluate()
    {
        QFETCH(QString, from);
        QFETCH(int, spf);
        QFETCH(QString, spfDomain);
        QFETCH(QStringList, dkim);
        QFETCH(int, sample);
        QFETCH(int, code);
        QFETCH(QString, policy);
        QFETCH(QString, disposition);
        const DnsAnswers dns = zone();
        DmarcEvaluator e(dns);
        DmarcInput in{from, SpfResult::Code(spf), spfDomain, dkim, sample};
        const DmarcResult r = e.evaluate(in);
        QVERIFY2(e.missing().isEmpty(), qPrintable(e.missing().values().join(u',')));
        QVERIFY(!r.incomplete);
        QCOMPARE(dmarcCodeName(r.code), dmarcCodeName(Code(code)));
        QCOMPARE(r.policy, policy);
        QCOMPARE(r.disposition, disposition);
    }

    // An answer not yet there is asked for, first at the From: domain, then
    // (when it has none) at the organisational domain.
    void missingAnswersAreReported()
    {
        DnsAnswers dns;
        DmarcEvaluator e(dns);
        DmarcResult r = e.evaluate(DmarcInput{u"a.b.example.org"_qs, SpfResult::Code::Pass, {}, {}, 0});
        QVERIFY(r.incomplete);
        QCOMPARE(e.missing(), QSet<QString>{u"TXT _dmarc.a.b.example.org"_qs});
        dns.insert(DnsType::TXT, u"_dmarc.a.b.example.org"_qs, nx());
        r = e.evaluate(DmarcInput{u"a.b.example.org"_qs, SpfResult::Code::Pass, {}, {}, 0});
        QCOMPARE(e.missing(), QSet<QString>{u"TXT _dmarc.example.org"_qs});
        dns.insert(DnsType::TXT, u"_dmarc.example.org"_qs, txt({u"v=DMARC1; p=none"_qs}));
        r = e.evaluate(DmarcInput{u"a.b.example.org"_qs, SpfResult::Code::Pass, u"example.org"_qs, {}, 0});
        QVERIFY(!r.incomplete);
        QCOMPARE(r.code, Code::Pass);
        QCOMPARE(r.recordName, u"_dmarc.example.org"_qs);
    }
};

QTEST_GUILESS_MAIN(TestDmarcEvaluator)
#include "tst_dmarcevaluator.moc"
