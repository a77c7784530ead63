// The Waves page (issue 15 item 6) on a real database: the timeline and the
// list show the draft's and the schedule's waves with state, counts and
// countdown (on a fixed clock), the timeline's text alternative says the same
// for a screen reader; Create reads a file with the upload's preview and adds
// the wave (with its Outbound inverses) to the draft; Apply now makes a
// generation with the wave's mappings, Cancel ends a wave, a draft-only wave
// is removed; Check now runs the real WaveChecker against dnsmasq and records
// its result.
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/ui/uitest.h"

#include "relaycore/routing/waveplan.h"
#include "relaycore/store/wavestore.h"
#include "ui/backgroundstore.h"
#include "ui/importpreviewmodel.h"
#include "ui/infobanner.h"
#include "ui/mainwindow.h"
#include "ui/wavecreatedialog.h"
#include "ui/wavespage.h"
#include "ui/wavetimeline.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

const QDateTime kNow(QDate(2026, 12, 10), QTime(12, 0), Qt::UTC);

Wave makeWave(const QString &name, const QDateTime &at, const QList<WaveMapping> &users,
              const QDateTime &expire = {})
{
    Wave w;
    w.name = name;
    w.at = at;
    w.expire = expire;
    w.users = users;
    return w;
}

QString cell(QTreeWidget *list, int row, int column)
{
    return list->topLevelItem(row)->text(column);
}

// Clicks the button with this text in the visible message box `name`.
bool answer(QWidget *parent, const QString &name, const QString &button)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = findVisible<QMessageBox>(parent, name)); }))
        return false;
    for (QAbstractButton *b : box->buttons()) {
        if (b->text() == button) {
            b->click();
            return true;
        }
    }
    return false;
}

} // namespace

class TestWavesPage final : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempDb> m_db;
    std::unique_ptr<BackgroundStore> m_background;
    std::unique_ptr<WavesPage> m_page;

    void openPage(const QString &nameserver = {})
    {
        m_page = std::make_unique<WavesPage>(m_background.get(), nameserver);
        m_page->setClock([] { return kNow; });
        m_page->resize(1000, 700);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QTRY_VERIFY(!m_page->isLoading());
    }

    // Inbound: warmsushi.example -> drypizza.example, bob and carol moved,
    // pushed; w1 (2 users, +2 h) and w2 (1 user, +3 d, expiring) pushed,
    // w3 only in the draft.
    void seed()
    {
        ConfigStore *s = m_db->store();
        QVERIFY(s->addDomainMapping(Area::Inbound, u"warmsushi.example"_s, u"drypizza.example"_s).ok());
        QVERIFY(s->addUserMapping(Area::Inbound, u"bob@warmsushi.example"_s, u"bob@old.example"_s).ok());
        QVERIFY(s->addWave(makeWave(u"w1"_s, kNow.addSecs(2 * 3600),
                                    {{u"bob@warmsushi.example"_s, u"bob.owen@drypizza.example"_s},
                                     {u"carol@warmsushi.example"_s, u"carol@drypizza.example"_s}}))
                    .ok());
        QVERIFY(s->addWave(makeWave(u"w2"_s, kNow.addDays(3),
                                    {{u"dave@warmsushi.example"_s, u"dave@drypizza.example"_s}},
                                    kNow.addDays(10)))
                    .ok());
        QVERIFY(s->push().ok());
        QVERIFY(s->addWave(makeWave(u"w3"_s, kNow.addDays(5),
                                    {{u"erin@warmsushi.example"_s, u"erin@drypizza.example"_s}}))
                    .ok());
    }

private slots:
    void init()
    {
        m_db = std::make_unique<TempDb>();
        QVERIFY(m_db->ok());
        m_background = std::make_unique<BackgroundStore>(m_db->path());
    }

    void cleanup()
    {
        m_page.reset();
        m_background.reset();
        m_db.reset();
    }

    void listTimelineAndTextAlternative()
    {
        seed();
        openPage();
        QTreeWidget *list = m_page->list();
        QCOMPARE(list->topLevelItemCount(), 3);
        QCOMPARE(cell(list, 0, WavesPage::NameColumn), u"w1"_s);
        QCOMPARE(cell(list, 0, WavesPage::StateColumn), u"Scheduled"_s);
        QCOMPARE(cell(list, 0, WavesPage::CountdownColumn), u"in 2 h 00 min"_s);
        QCOMPARE(cell(list, 0, WavesPage::UsersColumn), u"2"_s);
        QCOMPARE(cell(list, 0, WavesPage::AtColumn), waveTimeText(kNow.addSecs(2 * 3600)));
        QCOMPARE(cell(list, 0, WavesPage::ExpireColumn), u"none"_s);
        QCOMPARE(cell(list, 1, WavesPage::CountdownColumn), u"in 3 d 0 h"_s);
        QCOMPARE(cell(list, 1, WavesPage::ExpireColumn), waveTimeText(kNow.addDays(10)));
        QCOMPARE(cell(list, 2, WavesPage::StateColumn), u"Scheduled (not pushed)"_s);
        // The next wave to come is selected and described.
        QCOMPARE(m_page->selectedWave(), u"w1"_s);
        const QString details = m_page->details()->toPlainText();
        QVERIFY2(details.contains(u"Inbound area, 2 user mapping(s)"_s), qPrintable(details));
        QVERIFY(details.contains(u"bob@warmsushi.example → bob.owen@drypizza.example"_s));
        QVERIFY(details.contains(u"Not checked yet"_s));

        // The timeline: every wave, in time order, with the same facts as text.
        WaveTimeline *timeline = m_page->timeline();
        QCOMPARE(timeline->items().size(), 3);
        const QString text = timeline->textAlternative();
        QVERIFY2(text.startsWith(u"Wave w1, Scheduled, 2 user(s): activation %1 (in 2 h 00 min)."_s.arg(
                     waveTimeText(kNow.addSecs(2 * 3600)))),
                 qPrintable(text));
        QVERIFY(text.contains(u"expiry %1 (in 10 d 0 h)"_s.arg(waveTimeText(kNow.addDays(10)))));
        QVERIFY(text.contains(u"Wave w3"_s) && text.contains(u"not pushed yet"_s));
        QCOMPARE(timeline->accessibleDescription(), text);
        const QRect r1 = timeline->markerRect(u"w1"_s), r2 = timeline->markerRect(u"w2"_s),
                    r3 = timeline->markerRect(u"w3"_s);
        QVERIFY(timeline->rect().contains(r1) && timeline->rect().contains(r3));
        QVERIFY(r1.center().x() < r2.center().x() && r2.center().x() < r3.center().x());
        // Clicking a wave on the timeline selects it in the list.
        QTest::mouseClick(timeline, Qt::LeftButton, {}, r2.center());
        QCOMPARE(m_page->selectedWave(), u"w2"_s);
        QCOMPARE(timeline->selected(), u"w2"_s);
        // A draft-only wave cannot be applied; it can be removed.
        m_page->selectWave(u"w3"_s);
        QVERIFY(!m_page->findChild<QPushButton *>(u"applyWaveButton"_s)->isEnabled());
        QCOMPARE(m_page->findChild<QPushButton *>(u"cancelWaveButton"_s)->text(),
                 u"Remove from the draft…"_s);
    }

    void applyNowMakesAGeneration()
    {
        seed();
        openPage();
        const qint64 before = m_db->store()->activeGeneration().value_or(0);
        m_page->selectWave(u"w1"_s);
        auto *apply = m_page->findChild<QPushButton *>(u"applyWaveButton"_s);
        QVERIFY(apply->isEnabled());
        click(apply);
        QVERIFY(answer(m_page.get(), u"confirmApplyWave"_s, u"Apply now"_s));
        QTRY_VERIFY(!m_page->isBusy());
        QTRY_COMPARE(cell(m_page->list(), 0, WavesPage::StateColumn), u"Active"_s);
        ConfigStore *s = m_db->store();
        QCOMPARE(s->activeGeneration().value_or(0), before + 1);
        const QList<UserMapping> users = s->generationConfig(before + 1).value->area(Area::Inbound).users;
        QVERIFY(users.contains(UserMapping{u"bob@warmsushi.example"_s, u"bob.owen@drypizza.example"_s}));
        QVERIFY(users.contains(UserMapping{u"carol@warmsushi.example"_s, u"carol@drypizza.example"_s}));
        QVERIFY(m_page->banner()->text().contains(u"Wave w1 is active: generation %1."_s.arg(before + 1)));
        QTRY_VERIFY(m_page->details()->toPlainText().contains(u"Activated "_s));
        QTRY_VERIFY(m_page->details()->toPlainText().contains(u"Report, first hour after activation"_s));
        // An active wave is neither applied nor checked again.
        QVERIFY(!apply->isEnabled());
        QVERIFY(!m_page->findChild<QPushButton *>(u"checkWaveButton"_s)->isEnabled());
    }

    void cancelAndRemove()
    {
        seed();
        openPage();
        m_page->selectWave(u"w2"_s);
        click(m_page->findChild<QPushButton *>(u"cancelWaveButton"_s));
        // "Keep it" changes nothing.
        QVERIFY(answer(m_page.get(), u"confirmCancelWave"_s, u"Keep it"_s));
        QCOMPARE(WaveStore(*m_db->store()).info(u"w2"_s)->status.state, WaveState::Scheduled);
        click(m_page->findChild<QPushButton *>(u"cancelWaveButton"_s));
        QVERIFY(answer(m_page.get(), u"confirmCancelWave"_s, u"Cancel wave"_s));
        QTRY_COMPARE(cell(m_page->list(), 1, WavesPage::StateColumn), u"Cancelled"_s);
        QCOMPARE(WaveStore(*m_db->store()).info(u"w2"_s)->status.state, WaveState::Cancelled);

        m_page->selectWave(u"w3"_s);
        click(m_page->findChild<QPushButton *>(u"cancelWaveButton"_s));
        QVERIFY(answer(m_page.get(), u"confirmCancelWave"_s, u"Remove"_s));
        QTRY_COMPARE(m_page->list()->topLevelItemCount(), 2);
        QVERIFY(!m_db->store()->wave(u"w3"_s));
    }

    void createFromACsvWithPreview()
    {
        seed();
        openPage();
        QTemporaryDir dir;
        const QString bad = dir.filePath(u"bad.csv"_s);
        const QString good = dir.filePath(u"good.csv"_s);
        for (const auto &[path, text] :
             {std::pair{bad, QByteArray("Source;Target\nfrank@warmsushi.example;frank@drypizza\n")},
              std::pair{good, QByteArray("Source;Target\nbob@warmsushi.example;robert@drypizza.example\n"
                                         "gina@warmsushi.example;gina@drypizza.example\n"
                                         "hank@warmsushi.example;hank@drypizza.example\n")}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        click(m_page->findChild<QPushButton *>(u"createWaveButton"_s));
        WaveCreateDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = findVisible<WaveCreateDialog>(m_page.get(), u"waveCreateDialog"_s)));
        auto *create = dialog->findChild<QPushButton *>(u"waveCreateButton"_s);
        QVERIFY(!create->isEnabled());

        // A refused file: its error, with the line, and no Create.
        dialog->setFile(bad);
        QTRY_COMPARE(dialog->stage(), WaveCreateDialog::Stage::Refused);
        QVERIFY2(dialog->errorText().contains(u"line 2"_s), qPrintable(dialog->errorText()));
        QVERIFY(!create->isEnabled());

        // The upload's preview: bob changes target (he is in the draft), two are new.
        dialog->setFile(good);
        QTRY_COMPARE(dialog->stage(), WaveCreateDialog::Stage::Preview);
        const QList<ImportPreviewModel::Row> rows = dialog->previewModel()->rows();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].change, ImportPreviewModel::Change::Changed);
        QCOMPARE(rows[0].currentTarget, u"bob@old.example"_s);
        QCOMPARE(rows[0].newTarget, u"robert@drypizza.example"_s);
        QCOMPARE(rows[1].change, ImportPreviewModel::Change::New);
        QVERIFY2(dialog->summary().contains(
                     u"3 user(s) in the file: 2 new, 1 with another target, 0 unchanged."_s),
                 qPrintable(dialog->summary()));
        QVERIFY2(dialog->summary().contains(u"3 Outbound inverse(s) will be added"_s),
                 qPrintable(dialog->summary()));

        // A name is required and checked.
        dialog->nameEdit()->setText(u"bad name"_s);
        click(create);
        QVERIFY(dialog->summary().startsWith(u"The name is not valid"_s));
        QCOMPARE(dialog->stage(), WaveCreateDialog::Stage::Preview);
        dialog->nameEdit()->setText(u"sales-1"_s);
        const QDateTime at = QDateTime(QDate(2026, 12, 12), QTime(22, 0), Qt::LocalTime);
        dialog->atEdit()->setDateTime(at);
        dialog->expireCheck()->setChecked(true);
        dialog->expireEdit()->setDateTime(at.addDays(7));
        click(create);
        QTRY_VERIFY(!findVisible<WaveCreateDialog>(m_page.get(), u"waveCreateDialog"_s));

        const std::optional<Wave> w = m_db->store()->wave(u"sales-1"_s);
        QVERIFY(w);
        QCOMPARE(w->users.size(), 3);
        QCOMPARE(w->at, at.toUTC());
        QCOMPARE(w->expire, at.addDays(7).toUTC());
        QVERIFY(w->withOutbound);
        QCOMPARE(w->outbound.first(),
                 (WaveMapping{u"robert@drypizza.example"_s, u"bob@warmsushi.example"_s}));
        QCOMPARE(w->outbound.size(), 3);
        QTRY_COMPARE(m_page->list()->topLevelItemCount(), 4);
        QTRY_COMPARE(m_page->selectedWave(), u"sales-1"_s);
        QVERIFY(m_page->banner()->text().contains(u"Wave sales-1 is in the draft. Push to schedule it."_s));
        QCOMPARE(m_page->list()->currentItem()->text(WavesPage::UsersColumn), u"3 + 3 Outbound"_s);
    }

    void checkNowAgainstDns()
    {
        DnsmasqProcess dns;
        const QString why = dns.start({u"--mx-host=drypizza.example,mx.drypizza.example,10"_s,
                                       u"--host-record=mx.drypizza.example,192.0.2.10"_s});
        MAILROUTE_REQUIRE(why.isEmpty(), why);
        seed();
        openPage(dns.nameserver());
        m_page->selectWave(u"w1"_s);
        click(m_page->findChild<QPushButton *>(u"checkWaveButton"_s));
        QVERIFY(m_page->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 30000);
        const WaveInfo info = *WaveStore(*m_db->store()).info(u"w1"_s);
        QVERIFY(info.status.lastCheck);
        QCOMPARE(info.status.lastCheck->trigger, u"on demand"_s);
        QVERIFY2(info.status.lastCheck->passed(), qPrintable(info.status.lastCheck->lines().join(u'\n')));
        QVERIFY(dns.queries(u"MX drypizza.example"_s) >= 1);
        QTRY_VERIFY(m_page->details()->toPlainText().contains(u"Last check (on demand"_s));
        QVERIFY(m_page->banner()->text().contains(u"Wave w1: the check passed."_s));
        QTRY_COMPARE(cell(m_page->list(), 0, WavesPage::StateColumn), u"Checked"_s);
    }

    void navigationEntry()
    {
        RelayRunner::Options options;
        options.pollMs = 200;
        MainWindow window(m_db->store(), options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Page::Waves);
        QCOMPARE(window.currentPage(), MainWindow::Page::Waves);
        QVERIFY(window.wavesPage()->isVisible());
        auto *nav = window.findChild<QTreeWidget *>(u"navigation"_s);
        QVERIFY(nav && nav->currentItem());
        QCOMPARE(nav->currentItem()->text(0), u"Waves"_s);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestWavesPage)
#include "tst_wavespage.moc"
