// Settings & Activation ▸ Mail authentication, driven as a person does: type a
// domain and selector, pick the algorithm, click Generate; the key shows in
// the table and in the store, its file is 0600 in a 0700 folder; Copy, Rotate
// and Remove (which asks first); every field has a label with a shortcut. And
// the Readiness page's DKIM instructions with the record filled in; the
// console's push activating a pending key only once dnsmasq serves its record.
#include "relaycore/dkimadmin/dkimkeyring.h"
#include "relaycore/readiness/dkimrecordcheck.h"
#include "tests/relaycore/delivery/dnsmasqprocess.h"
#include "tests/ui/uitest.h"
#include "ui/backgroundstore.h"
#include "ui/dkimkeyspanel.h"
#include "ui/pushdialog.h"
#include "ui/remoteinstructions.h"
#include "ui/settingspage.h"

#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>

#include <sys/stat.h>

using namespace mailroute;
using namespace mailroute::testing;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// Answers the next question box with `button`, once it is shown.
void answerNextQuestion(QMessageBox::StandardButton button, bool *asked)
{
    QTimer::singleShot(0, qApp, [button, asked] {
        for (int i = 0; i < 200; ++i) {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                *asked = true;
                box->button(button)->click();
                return;
            }
            QTest::qWait(10);
        }
    });
}

} // namespace

class TstDkimKeysPanel final : public QObject
{
    Q_OBJECT

private slots:
    void generateByClicking()
    {
        TempDb db;
        SettingsPage page(db.store());
        page.resize(1000, 1400);
        DkimKeysPanel *panel = page.dkimPanel();
        QVERIFY(panel);
        QCOMPARE(panel->title(), QStringLiteral("Mail authentication"));
        QVERIFY(!panel->generateButton()->isEnabled()); // no domain yet

        typeInto(panel->domainEdit(), QStringLiteral("DryPizza.com"));
        typeInto(panel->selectorEdit(), QStringLiteral("sel1"));
        panel->algorithmCombo()->setFocus();
        QTest::keyClick(panel->algorithmCombo(), Qt::Key_End); // the last entry, Ed25519, by keyboard
        QCOMPARE(panel->algorithmCombo()->currentData().toString(), QStringLiteral("ed25519"));
        QVERIFY(panel->generateButton()->isEnabled());
        click(panel->generateButton());

        QTreeWidget *list = panel->keyList();
        QCOMPARE(list->topLevelItemCount(), 1);
        const QTreeWidgetItem *row = list->topLevelItem(0);
        QCOMPARE(row->text(DkimKeysPanel::DomainColumn), QStringLiteral("drypizza.com"));
        QCOMPARE(row->text(DkimKeysPanel::SelectorColumn), QStringLiteral("sel1"));
        QCOMPARE(row->text(DkimKeysPanel::AlgorithmColumn), QStringLiteral("ed25519"));
        QVERIFY(row->text(DkimKeysPanel::StateColumn).startsWith(QLatin1String("active")));
        QVERIFY(row->text(DkimKeysPanel::RecordColumn).startsWith(QLatin1String("v=DKIM1; k=ed25519; p=")));

        const QList<DkimKey> keys = db.store()->dkimKeys();
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys.at(0).selector, QStringLiteral("sel1"));
        QCOMPARE(keys.at(0).algorithm, DkimAlgorithm::Ed25519);
        QCOMPARE(keys.at(0).state, DkimKeyState::Active);
        QCOMPARE(modeOf(keys.at(0).keyFile), mode_t(0600));
        QCOMPARE(modeOf(QFileInfo(keys.at(0).keyFile).absolutePath()), mode_t(0700));
        QCOMPARE(QFileInfo(keys.at(0).keyFile).absolutePath(),
                 QFileInfo(db.path()).absolutePath() + QStringLiteral("/dkim"));
        QVERIFY(panel->domainEdit()->text().isEmpty());

        // Copy puts the record line on the clipboard.
        click(panel->copyButton());
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("sel1._domainkey.drypizza.com\t") + row->text(DkimKeysPanel::RecordColumn));

        // The same selector again: refused, shown, nothing added.
        typeInto(panel->domainEdit(), QStringLiteral("drypizza.com"));
        typeInto(panel->selectorEdit(), QStringLiteral("sel1"));
        click(panel->generateButton());
        QVERIFY(!panel->message()->isHidden());
        QVERIFY2(panel->message()->text().contains(QLatin1String("already has a DKIM key")),
                 qPrintable(panel->message()->text()));
        QCOMPARE(db.store()->dkimKeys().size(), 1);

        if (const QString dir = qEnvironmentVariable("MAILROUTE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            panel->grab().save(dir + QStringLiteral("/dkim-keys-panel.png"));
        }
    }

    void rotateAndRemoveAskFirst()
    {
        TempDb db;
        DkimKeysPanel panel(db.store());
        panel.show();
        typeInto(panel.domainEdit(), QStringLiteral("warmsushi.com"));
        typeInto(panel.selectorEdit(), QStringLiteral("old"));
        QTest::keyClick(panel.domainEdit(), Qt::Key_Return); // Enter in the domain field generates
        QCOMPARE(panel.keyList()->topLevelItemCount(), 1);
        panel.keyList()->setCurrentItem(panel.keyList()->topLevelItem(0));
        QVERIFY(panel.rotateButton()->isEnabled());

        bool asked = false;
        answerNextQuestion(QMessageBox::Yes, &asked);
        click(panel.rotateButton());
        QVERIFY(asked);
        QCOMPARE(db.store()->dkimKeys().size(), 2);
        QCOMPARE(db.store()->dkimKeys(QStringLiteral("warmsushi.com")).at(0).state, DkimKeyState::Pending);
        QCOMPARE(panel.keyList()->topLevelItemCount(), 2);

        // Remove: "No" keeps the key, "Yes" removes it (never pushed: its file goes too).
        panel.keyList()->setCurrentItem(panel.keyList()->topLevelItem(1)); // "old"
        QCOMPARE(panel.keyList()->currentItem()->text(DkimKeysPanel::SelectorColumn), QStringLiteral("old"));
        const QString file = db.store()->dkimKeys().at(1).keyFile;
        asked = false;
        answerNextQuestion(QMessageBox::No, &asked);
        click(panel.removeButton());
        QVERIFY(asked);
        QCOMPARE(db.store()->dkimKeys().size(), 2);
        asked = false;
        answerNextQuestion(QMessageBox::Yes, &asked);
        click(panel.removeButton());
        QVERIFY(asked);
        QCOMPARE(db.store()->dkimKeys().size(), 1);
        QVERIFY(!QFileInfo::exists(file));
        QCOMPARE(panel.keyList()->topLevelItemCount(), 1);
    }

    void fieldsAreLabelledWithShortcuts()
    {
        TempDb db;
        DkimKeysPanel panel(db.store());
        for (QWidget *field :
             {static_cast<QWidget *>(panel.domainEdit()), static_cast<QWidget *>(panel.selectorEdit()),
              static_cast<QWidget *>(panel.algorithmCombo())}) {
            const QList<QLabel *> labels = panel.findChildren<QLabel *>();
            const auto it =
                std::find_if(labels.cbegin(), labels.cend(), [&](QLabel *l) { return l->buddy() == field; });
            QVERIFY2(it != labels.cend(), qPrintable(field->objectName()));
            QVERIFY((*it)->text().contains(QLatin1Char('&')));
        }
        QCOMPARE(panel.keyList()->accessibleName(), QStringLiteral("DKIM keys"));
        QVERIFY(panel.generateButton()->text().contains(QLatin1Char('&')));
    }

    void pushActivatesAPendingKeyOnceItsRecordIsInDns()
    {
        TempDb db;
        DkimKeyring keyring(*db.store());
        QVERIFY(keyring.generate(QStringLiteral("example.com"), QStringLiteral("old")).ok());
        QVERIFY(db.store()->push().ok());
        const Result<DkimKey> next = keyring.rotate(QStringLiteral("example.com"));
        QVERIFY2(next.ok(), qPrintable(next.error));
        const QString name = dkimRecordName(*next);
        const QString value = DkimKeyring::recordValue(*next);
        QStringList chunks;
        for (qsizetype i = 0; i < value.size(); i += 255)
            chunks << value.mid(i, 255);
        BackgroundStore background(db.path());
        const QByteArray savedNameserver = qgetenv("MAILROUTE_NAMESERVER");
        auto pushOnce = [&](const QStringList &zone, bool confirm) -> QString {
            DnsmasqProcess dns;
            const QString skip = dns.start(zone);
            if (!skip.isEmpty())
                return QStringLiteral("SKIP ") + skip;
            qputenv("MAILROUTE_NAMESERVER", dns.nameserver().toLatin1());
            PushDialog dialog(&background);
            dialog.start();
            if (!QTest::qWaitFor([&] { return dialog.stage() == PushDialog::Stage::Review; }, 20000))
                return QStringLiteral("no review");
            const QString summary = dialog.findChild<QLabel *>(QStringLiteral("pushSummary"))->text();
            const QString diff = dialog.diffText();
            if (confirm) {
                click(dialog.findChild<QPushButton *>(QStringLiteral("confirmPushButton")));
                if (!QTest::qWaitFor([&] { return dialog.result() == QDialog::Accepted; }, 20000))
                    return QStringLiteral("not pushed");
            }
            return summary + QLatin1Char('\n') + diff;
        };

        // Not published: the dialog says so, the key stays pending.
        QString shown = pushOnce({QStringLiteral("--local=/example.com/")}, false);
        if (shown.startsWith(QLatin1String("SKIP ")))
            REQUIRE_DNSMASQ(shown.mid(5));
        QVERIFY2(shown.contains(QStringLiteral("the record %1 is not published yet").arg(name)),
                 qPrintable(shown));
        QVERIFY2(
            shown.contains(QStringLiteral("dkim + example.com %1 (rsa-2048, pending)").arg(next->selector)),
            qPrintable(shown));
        QCOMPARE(db.store()->dkimKeys().at(0).state, DkimKeyState::Pending);

        // Published: the preview shows the switch, the push stores it.
        shown = pushOnce(
            {QStringLiteral("--local=/example.com/"),
             QStringLiteral("--txt-record=") + name + QLatin1Char(',') + chunks.join(QLatin1Char(','))},
            true);
        qputenv("MAILROUTE_NAMESERVER", savedNameserver);
        QVERIFY2(shown.contains(QStringLiteral("record %1 is published").arg(name)), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("dkim ~ example.com old: active -> retired")),
                 qPrintable(shown));
        QVERIFY2(
            shown.contains(QStringLiteral("dkim + example.com %1 (rsa-2048, active)").arg(next->selector)),
            qPrintable(shown));
        const std::optional<qint64> active = db.store()->activeGeneration();
        QCOMPARE(active, std::optional<qint64>(2));
        const QList<DkimKey> pushed = db.store()->generationConfig(*active)->dkimKeys;
        QCOMPARE(pushed.size(), 2);
        QCOMPARE(pushed.at(0).selector, next->selector);
        QCOMPARE(pushed.at(0).state, DkimKeyState::Active);
        QCOMPARE(pushed.at(1).state, DkimKeyState::Retired);
    }

    void remoteInstructionsNameTheRecord()
    {
        RemoteInstructions instructions;
        instructions.setValues(RelayIdentity{}, QString(), {});
        QVERIFY(instructions.values(RemoteInstructions::Section::Dkim).isEmpty());
        QVERIFY(instructions.stepsText(RemoteInstructions::Section::Dkim)
                    .contains(QLatin1String("mailroutectl dkim generate")));
        DkimKey active;
        active.domain = QStringLiteral("drypizza.com");
        active.selector = QStringLiteral("mr20261206");
        active.publicKey = QStringLiteral("MIIBIjANBgkq");
        DkimKey retired = active;
        retired.selector = QStringLiteral("mr20250101");
        retired.state = DkimKeyState::Retired;
        instructions.setDkimKeys({active, retired});
        QCOMPARE(instructions.values(RemoteInstructions::Section::Dkim),
                 QStringList({QStringLiteral("mr20261206._domainkey.drypizza.com"),
                              QStringLiteral("v=DKIM1; k=rsa; p=MIIBIjANBgkq")}));
        QVERIFY(
            instructions.stepsText(RemoteInstructions::Section::Dkim)
                .contains(QLatin1String("Publish the DKIM record before pointing connectors at the relay")));
        // The other sections are still there, in their places.
        QVERIFY(!instructions.values(RemoteInstructions::Section::Mx).isEmpty());
        if (const QString dir = qEnvironmentVariable("MAILROUTE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            instructions.resize(900, 420);
            instructions.showSection(RemoteInstructions::Section::Dkim);
            instructions.show();
            QVERIFY(QTest::qWaitForWindowExposed(&instructions));
            instructions.grab().save(dir + QStringLiteral("/dkim-instructions.png"));
        }
    }
};

MAILROUTE_GUI_TEST_MAIN(TstDkimKeysPanel)
#include "tst_dkimkeyspanel.moc"
