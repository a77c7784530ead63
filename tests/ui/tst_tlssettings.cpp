// The settings page's keychain rows and TLS section, with the real Secret
// Service (gnome-keyring in the suite's dbus-run-session) and certificates
// made by openssl: storing and clearing the smart host password and the key
// passphrase, the clear error without a keychain, the generated self-signed
// certificate (key mode 0600, fields filled, subject and expiry shown), and
// the expiry warnings.
#include "tests/ui/uitest.h"
#include "ui/certificatepanel.h"
#include "ui/infobanner.h"
#include "ui/secretrow.h"
#include "ui/selfsignedcertificate.h"
#include "ui/settingspage.h"

#include "relaycore/secrets/secretstore.h"
#include "relaycore/store/configstore.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTimer>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

bool haveKeychain()
{
    return !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
}

// A certificate valid from `startDays` to `endDays` from now (negative: past),
// signed by a throw-away CA, so both ends can be in the past (openssl x509
// -days cannot make an expired certificate; openssl ca -startdate/-enddate can).
bool makeCertificate(const QString &dir, const QString &name, int startDays, int endDays, QString *certPath)
{
    auto run = [](const QStringList &args) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(u"openssl"_s, args);
        return p.waitForFinished(60000) && p.exitCode() == 0;
    };
    const QString key = dir + u'/' + name + u".key"_s;
    const QString csr = dir + u'/' + name + u".csr"_s;
    *certPath = dir + u'/' + name + u".crt"_s;
    auto date = [](int days) {
        return QDateTime::currentDateTimeUtc().addDays(days).toString(u"yyyyMMddHHmmss'Z'"_s);
    };
    if (!run({u"req"_s, u"-new"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, key, u"-out"_s,
              csr, u"-subj"_s, u"/CN="_s + name + u"/O=MailRoute Test"_s}))
        return false;
    const QString caDir = dir + u"/ca-"_s + name;
    QDir().mkpath(caDir);
    QFile(caDir + u"/index.txt"_s).open(QIODevice::WriteOnly);
    QFile conf(caDir + u"/ca.cnf"_s);
    if (!conf.open(QIODevice::WriteOnly))
        return false;
    conf.write(
        ("[ca]\ndefault_ca=test\n[test]\ndatabase=" + caDir.toUtf8() +
         "/index.txt\nnew_certs_dir=" + caDir.toUtf8() + "\nserial=" + caDir.toUtf8() +
         "/serial\ndefault_md=sha256\npolicy=any\n[any]\ncommonName=supplied\norganizationName=optional\n"));
    conf.close();
    QFile serial(caDir + u"/serial"_s);
    if (!serial.open(QIODevice::WriteOnly))
        return false;
    serial.write("01\n");
    serial.close();
    return run({u"ca"_s, u"-batch"_s, u"-config"_s, caDir + u"/ca.cnf"_s, u"-selfsign"_s, u"-keyfile"_s, key,
                u"-in"_s, csr, u"-out"_s, *certPath, u"-startdate"_s, date(startDays), u"-enddate"_s,
                date(endDays)});
}

} // namespace

class TestTlsSettings final : public QObject
{
    Q_OBJECT

private slots:
    // First: libsecret keeps the first bus connection it makes, so this runs
    // before any test that reaches the real keychain.
    void noKeychainIsAClearError()
    {
        TempDb db;
        const QByteArray saved = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mailroute-test-bus");
        SecretRow row(createSystemSecretStore(db.store()->path()), secretnames::smarthostPassword());
        row.input()->setText(u"not kept anywhere"_s);
        const bool stored = row.storeEntered();
        const QString status = row.statusLabel()->text();
        if (saved.isEmpty())
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        else
            qputenv("DBUS_SESSION_BUS_ADDRESS", saved);
        QVERIFY(!stored);
        QVERIFY2(status.contains(u"No keychain (Secret Service) is available"_s), qPrintable(status));
        QVERIFY(!status.contains(u"not kept anywhere"_s));
        QCOMPARE(row.input()->text(), u"not kept anywhere"_s); // not lost: the admin may retry
    }

    void passwordAndPassphraseGoToTheKeychain()
    {
        MAILROUTE_REQUIRE(
            haveKeychain(),
            "no session bus: run under installer/setup.sh test (dbus-run-session + gnome-keyring)");
        TempDb db;
        SettingsPage page(db.store());
        page.resize(1000, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto secrets = createSystemSecretStore(QFileInfo(db.store()->path()).absoluteFilePath());

        for (SecretRow *row : {page.smarthostPasswordRow(), page.keyPassphraseRow()}) {
            QVERIFY(row);
            QCOMPARE(row->statusLabel()->text(), u"Not stored."_s);
            QVERIFY(!row->storeButton()->isEnabled());
            QVERIFY(!row->clearButton()->isEnabled());
            QCOMPARE(row->input()->echoMode(), QLineEdit::Password);
        }
        SecretRow *password = page.smarthostPasswordRow();
        QTest::keyClicks(password->input(), u"hunter2 s3cret"_s);
        QVERIFY(password->storeButton()->isEnabled());
        click(password->storeButton());
        QCOMPARE(password->statusLabel()->text(), u"Stored in the keychain."_s);
        QVERIFY(password->input()->text().isEmpty());
        QVERIFY(password->clearButton()->isEnabled());
        const SecretLookup stored = secrets->read(secretnames::smarthostPassword());
        QCOMPARE(stored.state, SecretState::Found);
        QCOMPARE(stored.value, u"hunter2 s3cret"_s);
        // Not a setting: the draft does not change, nothing to push.
        QVERIFY(db.store()->pendingDiff().settings.isEmpty());
        QCOMPARE(secrets->read(secretnames::tlsKeyPassphrase()).state, SecretState::NotFound);

        // A new page (the console restarted) sees it stored.
        {
            SettingsPage again(db.store());
            QCOMPARE(again.smarthostPasswordRow()->statusLabel()->text(), u"Stored in the keychain."_s);
        }
        click(password->clearButton());
        QCOMPARE(password->statusLabel()->text(), u"Not stored."_s);
        QCOMPARE(secrets->read(secretnames::smarthostPassword()).state, SecretState::NotFound);

        SecretRow *passphrase = page.keyPassphraseRow();
        QTest::keyClicks(passphrase->input(), u"phrase"_s);
        QTest::keyClick(passphrase->input(), Qt::Key_Return);
        QCOMPARE(secrets->read(secretnames::tlsKeyPassphrase()).value, u"phrase"_s);
        click(passphrase->clearButton());
        QCOMPARE(secrets->read(secretnames::tlsKeyPassphrase()).state, SecretState::NotFound);
    }

    void generatedCertificateFillsTheFields()
    {
        TempDb db;
        QVERIFY(db.store()->setSetting(u"relay.hostname"_s, u"relay.drypizza.test"_s).ok());
        SettingsPage page(db.store());
        page.resize(1000, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        CertificatePanel *panel = page.certificatePanel();
        QCOMPARE(panel->expiry(), CertificatePanel::Expiry::None);

        // The button asks for the host name, relay.hostname proposed.
        QString proposed;
        QTimer::singleShot(0, this, [&proposed] {
            QInputDialog *dialog = nullptr;
            [[maybe_unused]] const bool shown = QTest::qWaitFor(
                [&] { return (dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())); },
                10000);
            if (dialog) {
                proposed = dialog->textValue();
                dialog->accept();
            }
        });
        click(panel->generateButton());
        QCOMPARE(proposed, u"relay.drypizza.test"_s);

        const QString cert = page.field(u"tls.certificate"_s)->text();
        const QString key = page.field(u"tls.key"_s)->text();
        const QString dir = QFileInfo(db.store()->path()).absolutePath() + u"/tls"_s;
        QCOMPARE(cert, dir + u"/relay.drypizza.test.crt"_s);
        QCOMPARE(key, dir + u"/relay.drypizza.test.key"_s);
        // Mode 0600: nobody but the owner may read the key.
        QCOMPARE(QFile::permissions(key) &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        const QList<QSslCertificate> loaded = QSslCertificate::fromPath(cert);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().subjectInfo(QSslCertificate::CommonName),
                 QStringList{u"relay.drypizza.test"_s});
        QVERIFY(panel->subjectLabel()->text().contains(u"CN=relay.drypizza.test"_s));
        QVERIFY(panel->issuerLabel()->text().contains(u"self-signed"_s));
        QCOMPARE(panel->expiry(), CertificatePanel::Expiry::Valid);
        QVERIFY(panel->expiryLabel()->text().startsWith(u"Valid until "_s));
        QCOMPARE(page.banner()->kind(), InfoBanner::Kind::Success);
        // The fields are valid and saved like any other setting.
        QVERIFY(page.save());
        QCOMPARE(db.store()->setting(u"tls.certificate"_s), cert);
        QCOMPARE(db.store()->setting(u"tls.key"_s), key);
        // Screenshot for a look at the section (not an assertion).
        const QString shot = qEnvironmentVariable("MAILROUTE_TLS_SCREENSHOT");
        if (!shot.isEmpty()) {
            page.findChild<QScrollArea *>()->ensureWidgetVisible(panel);
            QCoreApplication::processEvents();
            page.grab().save(shot);
        }
    }

    void requireTlsOffersItsChoices()
    {
        TempDb db;
        SettingsPage page(db.store());
        page.resize(1000, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // A combo box of the three values: nothing else can be typed.
        QVERIFY(!page.field(u"tls.required_before_mail"_s));
        QComboBox *combo = page.choiceField(u"tls.required_before_mail"_s);
        QVERIFY(combo && !combo->isEditable());
        QCOMPARE(combo->count(), 3);
        QCOMPARE(combo->itemData(1).toString(), u"allowed_clients"_s);
        QCOMPARE(combo->currentData().toString(), u"no"_s);
        combo->setCurrentIndex(1);
        QVERIFY(page.save());
        QCOMPARE(db.store()->setting(u"tls.required_before_mail"_s), u"allowed_clients"_s);
    }

    void badHostNameIsRefused()
    {
        QTemporaryDir dir;
        const auto made = SelfSignedCertificate::generate(u"not a host"_s, dir.path());
        QVERIFY(!made.ok());
        QVERIFY2(made.error.startsWith(u"Host name: "_s), qPrintable(made.error));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty());
    }

    void expiryWarnings_data()
    {
        QTest::addColumn<int>("startDays");
        QTest::addColumn<int>("endDays");
        QTest::addColumn<int>("expiry");
        QTest::addColumn<QString>("text");
        QTest::newRow("valid for a year")
            << -1 << 365 << int(CertificatePanel::Expiry::Valid) << u"Valid until"_s;
        QTest::newRow("expires in 10 days")
            << -30 << 10 << int(CertificatePanel::Expiry::ExpiresSoon) << u"Expires in "_s;
        QTest::newRow("expired") << -60 << -2 << int(CertificatePanel::Expiry::Expired) << u"Expired on "_s;
    }
    void expiryWarnings()
    {
        QFETCH(int, startDays);
        QFETCH(int, endDays);
        QFETCH(int, expiry);
        QFETCH(QString, text);
        QTemporaryDir dir;
        QString cert;
        QVERIFY(makeCertificate(dir.path(), QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'),
                                startDays, endDays, &cert));
        CertificatePanel panel;
        panel.showCertificate(cert);
        QCOMPARE(int(panel.expiry()), expiry);
        QVERIFY2(panel.expiryLabel()->text().startsWith(text), qPrintable(panel.expiryLabel()->text()));
        QVERIFY(panel.subjectLabel()->text().contains(u"O=MailRoute Test"_s));
        const QColor colour = panel.expiryLabel()->palette().color(QPalette::WindowText);
        QCOMPARE(colour != panel.palette().color(QPalette::WindowText),
                 expiry != int(CertificatePanel::Expiry::Valid));
    }

    void unreadableCertificateIsSaid()
    {
        CertificatePanel panel;
        panel.showCertificate(u"/nonexistent/relay.crt"_s);
        QCOMPARE(panel.expiry(), CertificatePanel::Expiry::Expired);
        QVERIFY(panel.expiryLabel()->text().contains(u"holds no PEM certificate"_s));
    }
};

MAILROUTE_GUI_TEST_MAIN(TestTlsSettings)
#include "tst_tlssettings.moc"
