// The Readiness page's remote-side instructions, ARC tab (issue 13 item 5):
// the Exchange Online Set-ArcConfig line with arc.domain, the Enhanced
// Filtering skip of the relay's address on the inbound connector, and the
// Google Workspace inbound gateway address — this relay's values filled in,
// each with a Copy button; and the first step asking for arc.domain and its
// key while either is missing.
#include "ui/remoteinstructions.h"

#include "tests/ui/uitest.h"

#include <QPushButton>

using namespace mailroute;

class TstRemoteInstructions final : public QObject
{
    Q_OBJECT

private:
    static RelayIdentity relay()
    {
        RelayIdentity r;
        r.hostname = QStringLiteral("relay.mailroute.test");
        r.addresses.append({QHostAddress(QStringLiteral("192.0.2.25")), 32});
        r.addresses.append({QHostAddress(QStringLiteral("2001:db8::25")), 128});
        r.addressesFromSetting = true;
        return r;
    }

    static DkimKey key(const QString &domain, DkimKeyState state)
    {
        DkimKey k;
        k.domain = domain;
        k.selector = QStringLiteral("arc1");
        k.state = state;
        k.algorithm = DkimAlgorithm::Rsa2048;
        k.publicKey = QStringLiteral("AAAA");
        return k;
    }

private slots:
    void filledInValues()
    {
        RemoteInstructions in;
        in.setValues(relay(), QString(), {});
        in.setArcDomain(QStringLiteral("Seal.MailRoute.test"));
        in.setDkimKeys({key(QStringLiteral("seal.mailroute.test"), DkimKeyState::Active)});
        const QStringList values = in.values(RemoteInstructions::Section::Arc);
        QCOMPARE(values,
                 (QStringList{
                     QStringLiteral("Set-ArcConfig -Identity default -ArcTrustedSealers seal.mailroute.test"),
                     QStringLiteral("Set-InboundConnector -Identity \"MailRoute relay\" -EFSkipIPs "
                                    "192.0.2.25,2001:db8::25"),
                     QStringLiteral("192.0.2.25, 2001:db8::25")}));
        const QString steps = in.stepsText(RemoteInstructions::Section::Arc);
        QVERIFY(steps.contains(QStringLiteral("Enhanced filtering")));
        QVERIFY(
            steps.contains(QStringLiteral("Skip these IP addresses that are associated with the connector")));
        QVERIFY(steps.contains(QStringLiteral("Inbound gateway")));
        QVERIFY(!steps.contains(QStringLiteral("First give the relay a sealing key")));
        in.showSection(RemoteInstructions::Section::Arc);
        QWidget *page = in.findChild<QTabWidget *>()->currentWidget();
        QCOMPARE(page->findChildren<QPushButton *>(QStringLiteral("copy")).size(), values.size());
    }

    void withoutSealingKey()
    {
        RemoteInstructions in;
        in.setValues(relay(), QString(), {});
        QVERIFY(
            in.values(RemoteInstructions::Section::Arc).first().endsWith(QStringLiteral("(set arc.domain)")));
        QVERIFY(in.stepsText(RemoteInstructions::Section::Arc)
                    .contains(QStringLiteral("First give the relay a sealing key")));
        // A pending key does not seal yet.
        in.setArcDomain(QStringLiteral("seal.mailroute.test"));
        in.setDkimKeys({key(QStringLiteral("seal.mailroute.test"), DkimKeyState::Pending)});
        QVERIFY(in.stepsText(RemoteInstructions::Section::Arc)
                    .contains(QStringLiteral("First give the relay a sealing key")));
        QVERIFY(in.stepsText(RemoteInstructions::Section::Arc)
                    .contains(QStringLiteral("mailroutectl dkim generate seal.mailroute.test")));
    }
};

MAILROUTE_GUI_TEST_MAIN(TstRemoteInstructions)
#include "tst_remoteinstructions.moc"
