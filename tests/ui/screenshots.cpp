// mailroute_screenshots: opens the console on a demo database and saves a PNG
// of every page and of the main dialogs (QWidget::grab()), for the README and
// for looking at what was built. tests/ui/take_screenshots.sh runs it under
// Xvfb with Postfix's smtp-sink as a next hop, so the relay really runs and
// the logs and queue show real traffic.
//
//   mailroute_screenshots --out DIR [--sink-port N] [--dark]
//
// --dark: Fusion with a dark palette (tests/ui/darkpalette.h), as a dark
// desktop theme shows the console.
#include "relaycore/csv/usercsvcodec.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/wavestore.h"
#include "ui/aboutdialog.h"
#include "ui/addresstesterpage.h"
#include "ui/areaconfigpage.h"
#include "ui/arealogspage.h"
#include "ui/certificatepanel.h"
#include "ui/csvimportdialog.h"
#include "ui/mainwindow.h"
#include "ui/mappingdialog.h"
#include "ui/overviewpage.h"
#include "ui/pushdialog.h"
#include "ui/readinesspage.h"
#include "ui/relayrunner.h"
#include "ui/remoteinstructions.h"
#include "ui/settingspage.h"
#include "ui/tracepage.h"
#include "ui/traceresultmodel.h"
#include "ui/wavecreatedialog.h"
#include "ui/wavespage.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QIcon>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTreeWidget>

#include <cstdio>

#include "readinesszone.h"
#include "tests/ui/darkpalette.h"
#include "tests/ui/tracetraffic.h"

using namespace Qt::StringLiterals;
using namespace mailroute;

namespace {

QString g_out;
int g_count = 0;

void settle(int ms = 300)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

void save(QWidget *w, const QString &name)
{
    settle();
    const QString path = g_out + u"/%1-%2.png"_s.arg(++g_count, 2, 10, QLatin1Char('0')).arg(name);
    if (!w->grab().save(path))
        std::fprintf(stderr, "cannot save %s\n", qPrintable(path));
    else
        std::printf("%s\n", qPrintable(path));
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A tiny SMTP client: enough to send one message through the relay.
bool send(quint16 port, const QString &from, const QStringList &to, const QString &subject)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(5000))
        return false;
    auto reply = [&s] {
        QByteArray all;
        while (true) {
            if (!s.canReadLine() && !s.waitForReadyRead(10000))
                return QByteArray();
            const QByteArray line = s.readLine();
            all += line;
            if (line.size() >= 4 && line.at(3) == ' ')
                return all;
        }
    };
    auto cmd = [&](const QByteArray &line) {
        s.write(line + "\r\n");
        return reply();
    };
    reply();
    cmd("EHLO client.example");
    cmd("MAIL FROM:<" + from.toUtf8() + ">");
    for (const QString &r : to)
        cmd("RCPT TO:<" + r.toUtf8() + ">");
    if (!cmd("DATA").startsWith("354"))
        return false;
    QByteArray body = "From: <" + from.toUtf8() + ">\r\nTo: <" + to.join(u">, <"_s).toUtf8() +
                      ">\r\nSubject: " + subject.toUtf8() + "\r\n\r\nHello.\r\n.";
    const bool ok = cmd(body).startsWith("250");
    cmd("QUIT");
    return ok;
}

void demoData(ConfigStore &s, quint16 relayPort, quint16 sinkPort)
{
    s.setSetting(u"relay.listen"_s, u"127.0.0.1:%1"_s.arg(relayPort));
    s.setSetting(u"relay.hostname"_s, u"relay.warmsushi.com"_s);
    s.setSetting(u"relay.postmaster"_s, u"it-admin@drypizza.com"_s);
    s.setSetting(u"outbound.allowed_clients"_s, u"10.20.0.0/16, 192.0.2.0/24"_s);
    // Mail for drypizza.com goes to the sink; the rest to a host that is down.
    s.setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(freePort()));
    if (sinkPort)
        s.setRoute(u"drypizza.com"_s, u"127.0.0.1:%1"_s.arg(sinkPort));
    s.addDomainMapping(Area::Relay, u"coldsoup.example"_s, u"hotsoup.example"_s);
    s.addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s);
    s.addDomainMapping(Area::Inbound, u"sushi-bar.example"_s, u"drypizza.com"_s);
    s.addDomainMapping(Area::Outbound, u"drypizza.com"_s, u"warmsushi.com"_s);
    const char *names[] = {"alice",  "bob",   "carol", "dave",    "erin",  "frank",  "grace",
                           "heidi",  "ivan",  "judy",  "mallory", "niaj",  "olivia", "peggy",
                           "rupert", "sybil", "trent", "victor",  "walter"};
    QList<UserMapping> users;
    for (const char *n : names) {
        const QString name = QString::fromLatin1(n);
        users.append({name + u"@warmsushi.com"_s, name + u".owen@drypizza.com"_s});
    }
    const ImportPlan plan = s.planImport(Area::Inbound, UserCsvCodec::write(users));
    s.applyImport(plan);
    s.addUserMapping(Area::Outbound, u"bob.owen@drypizza.com"_s, u"bob@warmsushi.com"_s);
    s.addUserMapping(Area::Outbound, u"alice.owen@drypizza.com"_s, u"alice@warmsushi.com"_s);
    s.push();
    // A change after the push: the status bar shows it as unpushed.
    s.addUserMapping(Area::Inbound, u"zoe@warmsushi.com"_s, u"zoe.park@drypizza.com"_s);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"MailRoute"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROUTE_VERSION));
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QStandardPaths::setTestModeEnabled(true); // the window geometry of a real user stays untouched
    // Default column widths and sort order in the pictures, whatever a test saved.
    QSettings(QSettings::IniFormat, QSettings::UserScope, u"MailRoute"_s, u"console"_s).remove(u"headers"_s);
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/mailroute-%1.png"_s.arg(size));
    QApplication::setWindowIcon(icon);
    QCommandLineParser parser;
    parser.addOption({u"out"_s, u"Folder for the PNG files."_s, u"DIR"_s, u"docs/screenshots"_s});
    parser.addOption({u"sink-port"_s, u"An SMTP sink on 127.0.0.1 for delivered mail."_s, u"PORT"_s});
    parser.addOption({u"dark"_s, u"Fusion with a dark palette."_s});
    parser.process(app);
    if (parser.isSet(u"dark"_s))
        mailroute::testing::useDarkFusion();
    g_out = parser.value(u"out"_s);
    QDir().mkpath(g_out);
    const quint16 sinkPort = quint16(parser.value(u"sink-port"_s).toUInt());

    QTemporaryDir tmp;
    // 1. First start: an empty database, what a new user sees.
    {
        ConfigStore fresh(tmp.filePath(u"fresh.db"_s));
        fresh.open();
        MainWindow window(&fresh);
        window.resize(1280, 800);
        window.show();
        (void)QTest::qWaitForWindowExposed(&window);
        save(&window, u"first-start"_s);
        window.showPage(MainWindow::Page::Settings);
        save(&window, u"settings-first-start"_s);
    }

    // 2. A demo migration, the relay running.
    ConfigStore store(tmp.filePath(u"demo.db"_s));
    store.open();
    const quint16 relayPort = freePort();
    demoData(store, relayPort, sinkPort);
    // Issue 14: a week of earlier traffic in the message trace, written as
    // the relay's log writer does, for the Overview and Trace pages.
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime until =
            QDateTime::fromSecsSinceEpoch((now.toSecsSinceEpoch() / 3600) * 3600, Qt::UTC);
        QString error;
        if (!mailroute::testing::writeTraffic(store.path(), mailroute::testing::weekOfTraffic(until, 6),
                                              &error))
            std::fprintf(stderr, "trace traffic: %s\n", qPrintable(error));
    }
    RelayRunner::Options options;
    options.pollMs = 200;
    MainWindow window(&store, options);
    window.resize(1280, 800);
    window.show();
    (void)QTest::qWaitForWindowExposed(&window);
    window.activateRelay();
    QElapsedTimer wait;
    wait.start();
    while (window.relay()->mode() != RelayRunner::Mode::Running && wait.elapsed() < 10000)
        settle(100);
    send(relayPort, u"partner@partner.example"_s, {u"bob@warmsushi.com"_s}, u"Contract"_s);
    send(relayPort, u"news@vendor.example"_s, {u"chloe@warmsushi.com"_s, u"dave@warmsushi.com"_s},
         u"Newsletter"_s);
    send(relayPort, u"friend@other.example"_s, {u"sam@coldsoup.example"_s}, u"Lunch"_s);
    send(relayPort, u"partner@partner.example"_s, {u"grace@sushi-bar.example"_s}, u"Invoice"_s);
    settle(3000);

    window.showPage(MainWindow::Page::RelayConfig);
    save(&window, u"relay-configuration"_s);
    window.showPage(MainWindow::Page::InboundConfig);
    save(&window, u"inbound-configuration"_s);
    window.showPage(MainWindow::Page::OutboundConfig);
    save(&window, u"outbound-configuration"_s);
    window.showPage(MainWindow::Page::InboundLogs);
    save(&window, u"inbound-logs"_s);
    window.logsPage(Area::Inbound)->tabs()->setCurrentIndex(1);
    save(&window, u"inbound-action-log"_s);
    window.logsPage(Area::Inbound)->tabs()->setCurrentIndex(0);
    window.showPage(MainWindow::Page::RelayLogs);
    save(&window, u"relay-logs"_s);
    window.showPage(MainWindow::Page::OutboundLogs);
    save(&window, u"outbound-logs"_s);
    window.showPage(MainWindow::Page::Settings);
    save(&window, u"settings"_s);
    window.showPage(MainWindow::Page::Queue);
    save(&window, u"queue"_s);
    window.showPage(MainWindow::Page::Tester);
    window.testerPage()->findChild<QLineEdit *>(u"testerAddress"_s)->setText(u"Bob@WarmSushi.com"_s);
    save(&window, u"address-tester"_s);
    window.showPage(MainWindow::Page::Readiness);
    save(&window, u"readiness"_s);

    // Dialogs.
    window.showPage(MainWindow::Page::InboundConfig);
    AreaConfigPage *inbound = window.configPage(Area::Inbound);
    inbound->createDomainAction()->trigger();
    settle();
    if (auto *d = inbound->findChild<MappingDialog *>(u"createDomainDialog"_s)) {
        d->findChild<QLineEdit *>(u"sourceEdit"_s)->setText(u"@warm sushi.com"_s);
        d->findChild<QLineEdit *>(u"targetEdit"_s)->setText(u"@drypizza.com"_s);
        save(d, u"dialog-create-domain-invalid"_s);
        d->findChild<QLineEdit *>(u"sourceEdit"_s)->setText(u"@oldsushi.com"_s);
        save(d, u"dialog-create-domain"_s);
        d->reject();
    }
    const QString good = tmp.filePath(u"users.csv"_s);
    {
        QFile f(good);
        f.open(QIODevice::WriteOnly);
        f.write("Source;Target\r\nalice@warmsushi.com;alice.owen@drypizza.com\r\nbob@warmsushi.com;bob.owen@"
                "drypizza.com\r\n"
                "carol@warmsushi.com;carol.smith@drypizza.com\r\nnew.hire@warmsushi.com;new.hire@drypizza."
                "com\r\n");
    }
    CsvImportDialog *import = inbound->startImport(good);
    settle(1500);
    save(import, u"dialog-upload-preview"_s);
    import->reject();
    const QString bad = tmp.filePath(u"bad.csv"_s);
    {
        QFile f(bad);
        f.open(QIODevice::WriteOnly);
        f.write("Source;Target\nalice@warmsushi.com;alice.owen@drypizza.com\nbob@warmsushi;bob.owen@drypizza."
                "com\n"
                "carol@warmsushi.com\nalice@warmsushi.com;a2@drypizza.com\n");
    }
    import = inbound->startImport(bad);
    settle(1500);
    save(import, u"dialog-upload-errors"_s);
    import->reject();
    PushDialog *push = window.openPushDialog();
    settle(1500);
    save(push, u"dialog-push"_s);
    push->reject();
    settle();
    window.showPage(MainWindow::Page::Settings);
    window.stopRelay(true);
    settle(2000);
    if (auto *box = window.findChild<QMessageBox *>(u"stopRelayDialog"_s)) {
        save(box, u"dialog-stop-mail-routing"_s);
        box->reject();
    }
    {
        AboutDialog about(&window);
        about.show();
        save(&about, u"dialog-about"_s);
    }
    {
        // The TLS section with a freshly generated self-signed certificate.
        window.showPage(MainWindow::Page::Settings);
        SettingsPage *settings = window.settingsPage();
        settings->certificatePanel()->generate(u"relay.drypizza.com"_s);
        settings->findChild<QScrollArea *>()->ensureWidgetVisible(settings->certificatePanel(), 0, 0);
        save(&window, u"settings-tls"_s);
        settings->findChild<QPushButton *>(u"revertSettingsButton"_s)->click();
    }
    // The Readiness page against dnsmasq on 127.0.0.1 at a high port (the
    // zone of tests/relaycore/readiness/readinesszone.h): a failing and a
    // passing DNS check, the connector test, the remote-side instructions.
    {
        mailroute::testing::ReadinessDns dns;
        const QString why = dns.start();
        if (!why.isEmpty()) {
            std::fprintf(stderr, "readiness screenshots skipped: %s\n", qPrintable(why));
        } else {
            ConfigStore rs(tmp.filePath(u"readiness.db"_s));
            rs.open();
            rs.setSetting(u"relay.hostname"_s, u"relay.mailroute.test"_s);
            rs.setSetting(u"relay.postmaster"_s, u"it-admin@ready.test"_s);
            if (sinkPort)
                rs.setSetting(u"delivery.smarthost"_s, u"127.0.0.1:%1"_s.arg(sinkPort));
            rs.addDomainMapping(Area::Inbound, u"ready.test"_s, u"new.test"_s);
            rs.addDomainMapping(Area::Inbound, u"longttl.test"_s, u"new.test"_s);
            rs.addDomainMapping(Area::Relay, u"nullmx.test"_s, u"other.test"_s);
            rs.addDomainMapping(Area::Outbound, u"new.test"_s, u"elsewhere.test"_s);
            rs.push();
            RelayRunner::Options readinessOptions;
            readinessOptions.nameserver = dns.nameserver();
            MainWindow rw(&rs, readinessOptions);
            rw.resize(1280, 800);
            rw.show();
            (void)QTest::qWaitForWindowExposed(&rw);
            rw.showPage(MainWindow::Page::Readiness);
            auto *page = rw.findChild<ReadinessPage *>();
            QSignalSpy dnsDone(page, &ReadinessPage::dnsFinished);
            page->checkDns();
            dnsDone.wait(30000);
            page->dnsTree()->setCurrentItem(
                page->dnsTree()->findItems(u"elsewhere.test"_s, Qt::MatchExactly).value(0));
            save(&rw, u"readiness-dns-failing"_s);
            page->domainsEdit()->setText(u"ready.test byaddress.test"_s);
            page->checkDns();
            dnsDone.wait(30000);
            save(&rw, u"readiness-dns-passing"_s);
            if (sinkPort) {
                page->showTab(ReadinessPage::Tab::Connector);
                QSignalSpy connectorDone(page, &ReadinessPage::connectorFinished);
                page->checkConnectivity();
                connectorDone.wait(30000);
                save(&rw, u"readiness-connector"_s);
            }
            page->domainsEdit()->clear();
            page->checkDns();
            dnsDone.wait(30000);
            page->showTab(ReadinessPage::Tab::Instructions);
            page->instructions()->showSection(RemoteInstructions::Section::ExchangeOnline);
            save(&rw, u"readiness-instructions-exchange"_s);
            page->instructions()->showSection(RemoteInstructions::Section::Mx);
            save(&rw, u"readiness-instructions-mx"_s);
        }
    }
    // Migration waves (issue 15), last so the earlier pictures keep their numbers:
    // one expired, one active, one checked for tonight, one later with an
    // expiry, and one only in the draft.
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto wave = [](const QString &name, const QDateTime &at, const QDateTime &expire,
                             const QStringList &people) {
            Wave w;
            w.name = name;
            w.at = QDateTime::fromSecsSinceEpoch(at.toSecsSinceEpoch() / 3600 * 3600, Qt::UTC);
            if (expire.isValid())
                w.expire = QDateTime::fromSecsSinceEpoch(expire.toSecsSinceEpoch() / 3600 * 3600, Qt::UTC);
            for (const QString &p : people)
                w.users.append({p + u"@warmsushi.com"_s, p + u".owen@drypizza.com"_s});
            w.withOutbound = true;
            w.outbound = toWaveMappings(
                checkRoundTrip(toUserMappings(w.users), ConfigData{}.area(Area::Outbound)).inverses());
            return w;
        };
        store.addWave(wave(u"pilot"_s, now.addDays(-6), now.addDays(-2), {u"ines"_s, u"jack"_s}));
        store.addWave(wave(u"sales-1"_s, now.addDays(-1), {}, {u"kim"_s, u"lena"_s, u"marc"_s, u"nora"_s}));
        store.addWave(wave(u"sales-2"_s, now.addSecs(9 * 3600), {}, {u"omar"_s, u"paul"_s, u"quinn"_s}));
        store.addWave(wave(u"finance"_s, now.addDays(3), now.addDays(17), {u"rosa"_s, u"sven"_s}));
        store.push();
        WaveStore waves(store);
        waves.apply(u"pilot"_s, now.addDays(-6), u"at its time"_s);
        waves.expire(u"pilot"_s, now.addDays(-2));
        waves.apply(u"sales-1"_s, now.addDays(-1), u"at its time"_s);
        WaveCheck check;
        check.time = now.addSecs(-15 * 3600);
        check.trigger = u"T-24h"_s;
        check.items = {{WaveCheckItem::Kind::Lint, true, {}, u"no new lint warnings"_s},
                       {WaveCheckItem::Kind::Dns, true, u"drypizza.com"_s, u"MX mx.drypizza.com (10)"_s}};
        waves.recordCheck(u"sales-2"_s, check);
        store.addWave(wave(u"hr"_s, now.addDays(5), {}, {u"tara"_s}));
        window.refresh();
        window.showPage(MainWindow::Page::Waves);
        settle(1500);
        window.wavesPage()->selectWave(u"sales-2"_s);
        save(&window, u"waves"_s);
        window.wavesPage()->createWave();
        settle();
        if (auto *d = window.wavesPage()->findChild<WaveCreateDialog *>(u"waveCreateDialog"_s)) {
            d->nameEdit()->setText(u"sales-3"_s);
            d->setFile(good);
            settle(1500);
            save(d, u"dialog-create-wave"_s);
            d->reject();
        }
    }

    // Issue 14 (after the others, so their numbers stay): the Overview (figures read in the background) and
    // the Trace page with a search and a message's timeline.
    window.showPage(MainWindow::Page::Overview);
    {
        QElapsedTimer loading;
        loading.start();
        window.overviewPage()->reload();
        while (window.overviewPage()->isLoading() && loading.elapsed() < 20000)
            settle(100);
    }
    save(&window, u"overview"_s);
    window.showPage(MainWindow::Page::Trace);
    window.tracePage()->findChild<QLineEdit *>(u"traceAddress"_s)->setText(u"warmsushi.com"_s);
    window.tracePage()->search();
    {
        QElapsedTimer searching;
        searching.start();
        while (window.tracePage()->isSearching() && searching.elapsed() < 20000)
            settle(100);
        if (window.tracePage()->results()->rowCount() > 0)
            window.tracePage()->selectRow(0);
        while (window.tracePage()->isLoadingTimeline() && searching.elapsed() < 20000)
            settle(100);
    }
    save(&window, u"trace"_s);
    settle();
    window.stopRelay(false);
    wait.restart();
    while (window.relay()->mode() != RelayRunner::Mode::Stopped && wait.elapsed() < 10000)
        settle(100);
    return 0;
}
