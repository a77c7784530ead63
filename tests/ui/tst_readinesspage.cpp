// ReadinessPage driven as a person would: type domains and click Check DNS
// against dnsmasq on 127.0.0.1 at a high port (readinesszone.h), read the
// colour-coded findings and the SPF record to publish and copy it; Check
// connectivity and Send test email against smtpsink.py; the remote-side
// instructions with this relay's values and their Copy buttons.
#include "tests/ui/uitest.h"
#include "ui/backgroundstore.h"
#include "ui/readinesspage.h"
#include "ui/remoteinstructions.h"

#include "readinesszone.h"
#include "sinkprocesses.h"
#include "tests/relaycore/dns/fakednsprocess.h"

#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTreeWidget>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

QTreeWidgetItem *domainItem(QTreeWidget *tree, const QString &domain)
{
    const auto items = tree->findItems(domain, Qt::MatchExactly, 0);
    return items.isEmpty() ? nullptr : items.first();
}

QTreeWidgetItem *findingItem(QTreeWidgetItem *domain, const QString &check)
{
    for (int i = 0; domain && i < domain->childCount(); ++i) {
        if (domain->child(i)->text(1) == check)
            return domain->child(i);
    }
    return nullptr;
}

} // namespace

class TestReadinessPage final : public QObject
{
    Q_OBJECT

    ReadinessDns m_dns;
    QString m_dnsSkip;

    static void configure(ConfigStore *s)
    {
        QVERIFY(s->addDomainMapping(Area::Inbound, u"ready.test"_s, u"new.test"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Relay, u"nullmx.test"_s, u"other.test"_s).ok());
        QVERIFY(s->addDomainMapping(Area::Outbound, u"new.test"_s, u"elsewhere.test"_s).ok());
        QVERIFY(s->setSetting(u"relay.hostname"_s, u"relay.mailroute.test"_s).ok());
        QVERIFY(s->setSetting(u"relay.postmaster"_s, u"admin@warmsushi.test"_s).ok());
        QVERIFY(s->push().ok());
    }

private slots:
    void initTestCase() { m_dnsSkip = m_dns.start(); }

    void dnsCheckOfThePushedDomains()
    {
        REQUIRE_DNSMASQ(m_dnsSkip);
        TempDb db;
        configure(db.store());
        BackgroundStore background(db.path());
        ReadinessPage page(&background, m_dns.nameserver());
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy done(&page, &ReadinessPage::dnsFinished);
        click(page.findChild<QPushButton *>(u"checkDns"_s));
        QVERIFY(done.wait(30000));

        QTreeWidget *tree = page.dnsTree();
        QCOMPARE(tree->topLevelItemCount(), 3); // elsewhere (SPF), nullmx (MX), ready (MX)
        QTreeWidgetItem *ready = domainItem(tree, u"ready.test"_s);
        QVERIFY(ready);
        QCOMPARE(ready->text(2), u"OK"_s);
        QCOMPARE(ready->background(2).color(), ReadinessPage::statusColor(ReadinessStatus::Ok));
        QVERIFY(findingItem(ready, u"MX TTL"_s)->text(3).startsWith(u"300 s"_s));
        QTreeWidgetItem *nullMx = domainItem(tree, u"nullmx.test"_s);
        QCOMPARE(nullMx->text(2), u"Failed"_s);
        QCOMPARE(nullMx->background(2).color(), ReadinessPage::statusColor(ReadinessStatus::Failure));
        // The failing finding says what to do, in a row of its own.
        QTreeWidgetItem *mx = findingItem(nullMx, u"MX"_s);
        QCOMPARE(mx->childCount(), 1);
        QVERIFY(mx->child(0)->text(0).contains(u"nullmx.test. 300 IN MX 10 relay.mailroute.test."_s));
        QVERIFY(page.dnsSummary().contains(u"1 ready, 0 with warnings, 2 failing"_s));

        // The SPF record to publish, for the first domain that needs one, copied with one click.
        QCOMPARE(page.spfToPublish(), u"v=spf1 include:_spf.provider.test ip4:192.0.2.25 ~all"_s);
        QApplication::clipboard()->clear();
        click(page.findChild<QPushButton *>(u"copySpf"_s));
        QCOMPARE(QApplication::clipboard()->text(), page.spfToPublish());
        // Selecting a domain without one empties it.
        tree->setCurrentItem(ready);
        QVERIFY(page.spfToPublish().isEmpty());
        QVERIFY(!page.findChild<QPushButton *>(u"copySpf"_s)->isEnabled());

        // The relay's address found in DNS reaches the label and the instructions.
        QVERIFY(page.findChild<QLabel *>(u"relayIdentity"_s)->text().contains(u"192.0.2.25"_s));
        QVERIFY(page.instructions()
                    ->values(RemoteInstructions::Section::Spf)
                    .contains(u"v=spf1 include:_spf.provider.test ip4:192.0.2.25 ~all"_s));
        QVERIFY(page.instructions()
                    ->values(RemoteInstructions::Section::Mx)
                    .contains(u"ready.test. 300 IN MX 10 relay.mailroute.test."_s));
        QVERIFY(page.instructions()->stepsText(RemoteInstructions::Section::Mx).contains(u"5 minutes"_s));
    }

    // An Outbound target (elsewhere.test: SPF without the relay, no DMARC
    // record, no DKIM key): the DKIM, DMARC and DMARC preview rows, each
    // with the record it proposes behind a Copy button.
    void dmarcPreviewRows()
    {
        REQUIRE_DNSMASQ(m_dnsSkip);
        TempDb db;
        configure(db.store());
        BackgroundStore background(db.path());
        ReadinessPage page(&background, m_dns.nameserver());
        page.resize(1200, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy done(&page, &ReadinessPage::dnsFinished);
        click(page.findChild<QPushButton *>(u"checkDns"_s));
        QVERIFY(done.wait(30000));
        QTreeWidget *tree = page.dnsTree();
        QTreeWidgetItem *elsewhere = domainItem(tree, u"elsewhere.test"_s);
        QVERIFY(elsewhere);
        QTreeWidgetItem *dkim = findingItem(elsewhere, u"DKIM"_s);
        QVERIFY(dkim);
        QCOMPARE(dkim->text(2), u"Warning"_s);
        QVERIFY(dkim->child(0)->text(0).contains(u"mailroutectl dkim generate elsewhere.test"_s));
        QTreeWidgetItem *dmarc = findingItem(elsewhere, u"DMARC"_s);
        QVERIFY(dmarc);
        QCOMPARE(dmarc->background(2).color(), ReadinessPage::statusColor(ReadinessStatus::Warning));
        QTreeWidgetItem *preview = findingItem(elsewhere, u"DMARC preview @new.test"_s);
        QVERIFY(preview);
        QCOMPARE(preview->text(2), u"Warning"_s); // fails, but no DMARC policy enforces it
        QVERIFY2(preview->text(3).startsWith(u"fail (no DMARC policy"_s), qPrintable(preview->text(3)));

        // Copy buttons: the DMARC record to publish (reports to relay.postmaster), the SPF record for the
        // preview.
        auto *copyDmarc = qobject_cast<QPushButton *>(tree->itemWidget(dmarc, 4));
        QVERIFY(copyDmarc);
        QApplication::clipboard()->clear();
        click(copyDmarc);
        QCOMPARE(QApplication::clipboard()->text(), u"v=DMARC1; p=none; rua=mailto:admin@warmsushi.test"_s);
        QCOMPARE(page.spfToPublish(), u"v=DMARC1; p=none; rua=mailto:admin@warmsushi.test"_s);
        auto *copyPreview = qobject_cast<QPushButton *>(tree->itemWidget(preview, 4));
        QVERIFY(copyPreview);
        click(copyPreview);
        QCOMPARE(QApplication::clipboard()->text(),
                 u"v=spf1 include:_spf.provider.test ip4:192.0.2.25 ~all"_s);
        QVERIFY(!tree->itemWidget(dkim, 4)); // nothing to publish before a key exists
        QVERIFY(tree->itemWidget(findingItem(elsewhere, u"SPF 192.0.2.25"_s),
                                 4)); // the SPF and MX findings' records too
        QVERIFY(tree->itemWidget(findingItem(domainItem(tree, u"nullmx.test"_s), u"MX"_s), 4));
        // Inbound/Relay domains get no mail authentication rows.
        QVERIFY(!findingItem(domainItem(tree, u"ready.test"_s), u"DMARC"_s));

        const QString dir = qEnvironmentVariable("MAILROUTE_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            tree->scrollToItem(preview);
            QCoreApplication::processEvents();
            page.grab().save(dir + u"/readiness-dmarc-preview.png"_s);
        }
    }

    void typedDomains()
    {
        REQUIRE_DNSMASQ(m_dnsSkip);
        TempDb db;
        configure(db.store());
        BackgroundStore background(db.path());
        ReadinessPage page(&background, m_dns.nameserver());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy done(&page, &ReadinessPage::dnsFinished);
        typeInto(page.domainsEdit(), u"longttl.test, @ByAddress.test"_s);
        QTest::keyClick(page.domainsEdit(), Qt::Key_Return);
        QVERIFY(done.wait(30000));
        QCOMPARE(page.dnsTree()->topLevelItemCount(), 2);
        QTreeWidgetItem *longTtl = domainItem(page.dnsTree(), u"longttl.test"_s);
        QCOMPARE(longTtl->text(2), u"Warning"_s);
        QTreeWidgetItem *ttl = findingItem(longTtl, u"MX TTL"_s);
        QVERIFY(ttl->child(0)->text(0).contains(u"wait 1 hour before switching MX"_s));
        QCOMPARE(domainItem(page.dnsTree(), u"byaddress.test"_s)->text(2), u"OK"_s);
        // The MX instructions wait out the longest TTL seen.
        QVERIFY(page.instructions()->stepsText(RemoteInstructions::Section::Mx).contains(u"1 hour"_s));

        // A bad domain is refused, nothing is looked up.
        typeInto(page.domainsEdit(), u"bad..test"_s);
        click(page.findChild<QPushButton *>(u"checkDns"_s));
        QVERIFY(page.dnsSummary().startsWith(u"invalid domain 'bad..test'"_s));
        QVERIFY(!page.isBusy());
        QCOMPARE(page.dnsTree()->topLevelItemCount(), 2);
    }

    // A name server that never answers: the check shows its progress and
    // Cancel while it runs; Cancel stops it and says nothing was assessed.
    // Then one that answers SERVFAIL for a TXT: amber, no record to publish.
    void progressCancelAndUnknown()
    {
        FakeDnsProcess dns;
        const QString why = dns.start({u"--record"_s, u"relay.mailroute.test. 300 A 192.0.2.25"_s,
                                       u"--record"_s, u"fast.test. 300 MX 10 relay.mailroute.test."_s,
                                       u"--drop"_s, u"hang.test. *"_s, u"--servfail"_s, u"fast.test. TXT"_s});
        QVERIFY2(why.isEmpty(), qPrintable(why));
        TempDb db;
        configure(db.store());
        BackgroundStore background(db.path());
        ReadinessPage page(&background, dns.nameserver());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(!page.dnsProgress()->isVisible());
        QVERIFY(!page.cancelDnsButton()->isVisible());
        QSignalSpy done(&page, &ReadinessPage::dnsFinished);
        QSignalSpy cancelled(&page, &ReadinessPage::dnsCancelled);
        typeInto(page.domainsEdit(), u"fast.test hang.test"_s);
        click(page.findChild<QPushButton *>(u"checkDns"_s));
        QTRY_VERIFY_WITH_TIMEOUT(page.cancelDnsButton()->isVisible(), 10000);
        QVERIFY(page.dnsProgress()->isVisible());
        // fast.test's MX and TXT and the relay's address come back; hang.test's do not.
        QTRY_VERIFY_WITH_TIMEOUT(page.dnsProgress()->value() >= 3, 15000);
        QVERIFY(page.dnsProgress()->value() < page.dnsProgress()->maximum());
        QVERIFY(page.isBusy());
        click(page.cancelDnsButton());
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(!page.isBusy());
        QVERIFY(!page.dnsProgress()->isVisible());
        QVERIFY(page.findChild<QPushButton *>(u"checkDns"_s)->isEnabled());
        QVERIFY2(page.dnsSummary().contains(u"cancelled"_s), qPrintable(page.dnsSummary()));
        QTest::qWait(300);
        QCOMPARE(done.size(), 0);

        typeInto(page.domainsEdit(), u"fast.test"_s);
        click(page.findChild<QPushButton *>(u"checkDns"_s));
        QVERIFY(done.wait(30000));
        QTreeWidgetItem *fast = domainItem(page.dnsTree(), u"fast.test"_s);
        QVERIFY(fast);
        QCOMPARE(fast->text(2), u"Warning"_s);
        QTreeWidgetItem *spf = findingItem(fast, u"SPF"_s);
        QVERIFY(spf);
        QCOMPARE(spf->background(2).color(), ReadinessPage::statusColor(ReadinessStatus::Warning));
        QVERIFY2(spf->text(3).startsWith(u"unknown: "_s), qPrintable(spf->text(3)));
        QVERIFY(page.spfToPublish().isEmpty());
        QVERIFY(!page.dnsProgress()->isVisible());
    }

    void connectorTest()
    {
        PySink sink;
        QVERIFY2(sink.start(), qPrintable(sink.error()));
        TempDb db;
        QVERIFY(db.store()->setSetting(u"relay.hostname"_s, u"relay.mailroute.test"_s).ok());
        QVERIFY(db.store()->setSetting(u"relay.postmaster"_s, u"admin@warmsushi.test"_s).ok());
        QVERIFY(db.store()->setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(sink.port())).ok());
        QVERIFY(db.store()->push().ok());
        BackgroundStore background(db.path());
        ReadinessPage page(&background);
        page.showTab(ReadinessPage::Tab::Connector);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(!page.isLoading());
        // The smart host is offered; the postmaster is the default test recipient.
        QCOMPARE(page.hopCombo()->count(), 1);
        QCOMPARE(page.hopCombo()->itemData(0).toString(), u"127.0.0.1:%1"_s.arg(sink.port()));
        QCOMPARE(page.recipientEdit()->text(), u"admin@warmsushi.test"_s);

        QSignalSpy done(&page, &ReadinessPage::connectorFinished);
        click(page.findChild<QPushButton *>(u"checkConnectivity"_s));
        QVERIFY(done.wait(30000));
        QTableWidget *table = page.connectorTable();
        QStringList tasks;
        for (int r = 0; r < table->rowCount(); ++r)
            tasks << table->item(r, 0)->text() + u'=' + table->item(r, 1)->text();
        QCOMPARE(tasks, (QStringList{u"Resolve=OK"_s, u"Connect=OK"_s, u"Banner=OK"_s, u"EHLO=OK"_s,
                                     u"STARTTLS offered=Warning"_s}));
        QVERIFY(table->item(2, 2)->text().startsWith(u"220 "_s));
        QCOMPARE(table->item(4, 1)->background().color(),
                 ReadinessPage::statusColor(ReadinessStatus::Warning));
        QVERIFY(page.connectorSummary().contains(u"works, with warnings"_s));

        typeInto(page.recipientEdit(), u"chloe@drypizza.test"_s);
        click(page.findChild<QPushButton *>(u"sendTestEmail"_s));
        QVERIFY(done.wait(30000));
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(1, 0)->text(), u"Send test email to chloe@drypizza.test"_s);
        QCOMPARE(table->item(1, 1)->text(), u"OK"_s);
        QTRY_COMPARE_WITH_TIMEOUT(sink.messages().size(), 1, 5000);
        QCOMPARE(sink.messages().at(0).value(u"mail"_s).toString().section(u' ', 0, 0),
                 u"<admin@warmsushi.test>"_s);

        // A bad recipient: refused before anything is sent.
        typeInto(page.recipientEdit(), u"chloe"_s);
        click(page.findChild<QPushButton *>(u"sendTestEmail"_s));
        QVERIFY(page.connectorSummary().startsWith(u"invalid address 'chloe'"_s));
        QVERIFY(!page.isBusy());
        // A typed next hop that refuses connections.
        page.hopCombo()->setEditText(u"[127.0.0.1]:%1"_s.arg(closedPort()));
        click(page.findChild<QPushButton *>(u"checkConnectivity"_s));
        QVERIFY(done.wait(30000));
        QCOMPARE(table->item(table->rowCount() - 1, 1)->text(), u"Failed"_s);
        QVERIFY(page.connectorSummary().contains(u"failed"_s));
        QCOMPARE(sink.messages().size(), 1);
    }

    void instructionsFillInTheRelaysValues()
    {
        TempDb db;
        QVERIFY(db.store()->setSetting(u"relay.hostname"_s, u"relay.mailroute.test"_s).ok());
        QVERIFY(db.store()->setSetting(u"relay.public_address"_s, u"192.0.2.25"_s).ok());
        QVERIFY(db.store()->setSetting(u"relay.listen"_s, u"0.0.0.0:2525"_s).ok());
        BackgroundStore background(db.path());
        ReadinessPage page(&background);
        page.showTab(ReadinessPage::Tab::Instructions);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(!page.isLoading());
        RemoteInstructions *in = page.instructions();
        QCOMPARE(in->values(RemoteInstructions::Section::GoogleWorkspace),
                 (QStringList{u"relay.mailroute.test"_s, u"192.0.2.25"_s}));
        QCOMPARE(in->values(RemoteInstructions::Section::ExchangeOnline).value(0), u"relay.mailroute.test"_s);
        QCOMPARE(in->values(RemoteInstructions::Section::Spf), QStringList{u"ip4:192.0.2.25"_s});
        const QString google = in->stepsText(RemoteInstructions::Section::GoogleWorkspace);
        QVERIFY(google.contains(u"Apps ▸ Google Workspace ▸ Gmail ▸ Routing"_s));
        QVERIFY(google.contains(u"Leave <b>Require TLS"_s)); // no certificate yet
        QVERIFY(google.contains(u"port 2525"_s));            // and the port warning
        QVERIFY(in->stepsText(RemoteInstructions::Section::ExchangeOnline).contains(u"untick"_s));
        QVERIFY(
            in->stepsText(RemoteInstructions::Section::ExchangeOnline).contains(u"Partner organization"_s));

        // Every value has its Copy button.
        in->showSection(RemoteInstructions::Section::ExchangeOnline);
        QWidget *tab = in->findChild<QTabWidget *>(u"instructionTabs"_s)->currentWidget();
        const auto buttons = tab->findChildren<QPushButton *>(u"copy"_s);
        QCOMPARE(buttons.size(), in->values(RemoteInstructions::Section::ExchangeOnline).size());
        click(buttons.at(0));
        QCOMPARE(QApplication::clipboard()->text(), u"relay.mailroute.test"_s);

        // With a certificate the TLS choice flips.
        QVERIFY(db.store()->setSetting(u"tls.certificate"_s, u"/etc/ssl/relay.pem"_s).ok());
        QVERIFY(db.store()->setSetting(u"tls.key"_s, u"/etc/ssl/relay.key"_s).ok());
        QSignalSpy reloaded(&page, &ReadinessPage::reloaded);
        page.reload();
        QVERIFY(reloaded.wait(10000));
        QVERIFY(
            in->stepsText(RemoteInstructions::Section::GoogleWorkspace).contains(u"Tick <b>Require TLS"_s));
        QVERIFY(in->stepsText(RemoteInstructions::Section::ExchangeOnline)
                    .contains(u"Issued by a trusted certificate authority"_s));
    }
};

MAILROUTE_GUI_TEST_MAIN(TestReadinessPage)
#include "tst_readinesspage.moc"
