// Help ▸ About MailRoute names the libraries with the versions really loaded
// (checked against the Debian packages installed, when dpkg is there) and their
// licences; and a first start on an empty database tells the administrator
// what to do first, with the names of menu entries that exist.
#include "tests/ui/uitest.h"
#include "ui/aboutdialog.h"
#include "ui/areaconfigpage.h"
#include "ui/mainwindow.h"

#include <QClipboard>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSqlDatabase>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// The upstream part of an installed Debian package's version ("1:1.2.13.dfsg-1"
// -> "1.2.13"); empty when dpkg does not know the package.
QString debianUpstreamVersion(const QString &package)
{
    QProcess dpkg;
    dpkg.start(u"dpkg-query"_s, {u"-W"_s, u"-f=${Version}"_s, package});
    if (!dpkg.waitForFinished(10000) || dpkg.exitCode() != 0)
        return {};
    QString v = QString::fromUtf8(dpkg.readAllStandardOutput()).trimmed();
    v = v.mid(v.indexOf(u':') + 1);
    const QRegularExpressionMatch m = QRegularExpression(u"^[0-9]+(\\.[0-9]+)+"_s).match(v);
    return m.hasMatch() ? m.captured(0) : QString();
}

ComponentInfo component(const QString &name)
{
    const QList<ComponentInfo> all = AboutDialog::components();
    for (const ComponentInfo &c : all) {
        if (c.name == name)
            return c;
    }
    return {};
}

QAction *menuAction(QMainWindow *window, const QString &menuText, const QString &actionText)
{
    const QList<QAction *> menus = window->menuBar()->actions();
    for (QAction *m : menus) {
        if (m->text() != menuText || !m->menu())
            continue;
        const QList<QAction *> actions = m->menu()->actions();
        for (QAction *a : actions) {
            if (a->text() == actionText)
                return a;
        }
    }
    return nullptr;
}

// The entries of an action bar button's menu, without the '&' mnemonics.
QStringList buttonMenuEntries(QWidget *page, const QString &buttonText)
{
    const QList<QToolButton *> buttons = page->findChildren<QToolButton *>();
    for (QToolButton *b : buttons) {
        if (QString(b->text()).remove(u'&') != buttonText || !b->menu())
            continue;
        QStringList entries;
        const QList<QAction *> actions = b->menu()->actions();
        for (QAction *a : actions)
            entries << QString(a->text()).remove(u'&').remove(u'…');
        return entries;
    }
    return {};
}

} // namespace

class TestAboutDialog final : public QObject
{
    Q_OBJECT
private slots:
    void librariesAndLicences()
    {
        const QList<ComponentInfo> all = AboutDialog::components();
        QStringList names;
        for (const ComponentInfo &c : all) {
            names << c.name;
            QVERIFY2(!c.version.isEmpty(), qPrintable(c.name));
            QVERIFY2(c.licenceUrl.startsWith(u"https://"_s), qPrintable(c.licenceUrl));
            QVERIFY2(c.homepage.startsWith(u"https://"_s), qPrintable(c.homepage));
        }
        QCOMPARE(names, (QStringList{u"Qt"_s, u"QtKeychain"_s, u"SQLite"_s, u"zlib"_s, u"OpenSSL"_s,
                                     u"libunbound"_s, u"ICU"_s, u"libpsl"_s}));
        QCOMPARE(component(u"Qt"_s).licence, u"LGPL-3.0-only"_s);
        QCOMPARE(component(u"QtKeychain"_s).licence, u"BSD-3-Clause"_s);
        QCOMPARE(component(u"SQLite"_s).licence, u"Public domain"_s);
        QCOMPARE(component(u"zlib"_s).licence, u"Zlib"_s);
        QCOMPARE(component(u"Qt"_s).version, QString::fromLatin1(qVersion()));
        // Asking SQLite leaves no connection behind.
        QVERIFY(!QSqlDatabase::connectionNames().contains(u"mailroute-about-sqlite"_s));
    }

    void versionsAreTheInstalledOnes()
    {
        MAILROUTE_REQUIRE(!QStandardPaths::findExecutable(u"dpkg-query"_s).isEmpty(),
                          "no dpkg-query: not a Debian system");
        const std::pair<QString, QString> packages[] = {{u"SQLite"_s, u"libsqlite3-0"_s},
                                                        {u"zlib"_s, u"zlib1g"_s},
                                                        {u"QtKeychain"_s, u"libqt6keychain1"_s},
                                                        {u"Qt"_s, u"libqt6core6"_s},
                                                        {u"OpenSSL"_s, u"libssl3"_s},
                                                        {u"libunbound"_s, u"libunbound8"_s},
                                                        {u"ICU"_s, u"libicu72"_s},
                                                        {u"libpsl"_s, u"libpsl5"_s}};
        for (const auto &[name, package] : packages) {
            const QString installed = debianUpstreamVersion(package);
            QVERIFY2(!installed.isEmpty(), qPrintable(package));
            QCOMPARE(component(name).version, installed);
        }
    }

    void versionLineNamesVersionAndBuild()
    {
        const QString line = AboutDialog::versionLine();
        QVERIFY2(line.startsWith(QStringLiteral(MAILROUTE_VERSION)), qPrintable(line));
        // This test is built from a git checkout through cmake/Packaging.cmake.
        QVERIFY2(QRegularExpression(u"\\(commit [0-9a-f]{7,}, built \\d{4}-\\d{2}-\\d{2}\\)$"_s)
                     .match(line)
                     .hasMatch(),
                 qPrintable(line));
        QVERIFY(!AboutDialog::projectLicence().isEmpty());
    }

    void helpMenuOpensTheDialog()
    {
        TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction *about = menuAction(&window, u"&Help"_s, u"&About MailRoute"_s);
        QVERIFY(about);
        about->trigger();
        QPointer<AboutDialog> dialog = window.findChild<AboutDialog *>(u"aboutDialog"_s);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->windowTitle(), u"About MailRoute"_s);

        const QString heading = dialog->findChild<QLabel *>(u"aboutHeading"_s)->text();
        QVERIFY2(heading.contains(AboutDialog::versionLine().toHtmlEscaped()), qPrintable(heading));
        QVERIFY(heading.contains(AboutDialog::projectLicence().toHtmlEscaped()));
        auto *libraries = dialog->findChild<QLabel *>(u"aboutLibraries"_s);
        QVERIFY(libraries->openExternalLinks());
        const QList<ComponentInfo> all = AboutDialog::components();
        for (const ComponentInfo &c : all) {
            QVERIFY2(libraries->text().contains(u">%1</td>"_s.arg(c.version.toHtmlEscaped())),
                     qPrintable(c.name));
            QVERIFY2(libraries->text().contains(u"<a href=\"%1\">%2</a>"_s.arg(c.licenceUrl, c.licence)),
                     qPrintable(c.name));
        }

        // Copy: the same facts as plain text, for a bug report.
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"aboutCopy"_s), Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY2(copied.startsWith(u"MailRoute "_s + AboutDialog::versionLine()), qPrintable(copied));
        QVERIFY(copied.contains(u"SQLite "_s + component(u"SQLite"_s).version));

        // Close (Escape) deletes it.
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(dialog.isNull());
    }

    // A new administrator on an empty database lands on the Inbound
    // configuration and is told to create a domain mapping or upload users,
    // naming menu entries that really are in the action bar.
    void firstRunTellsWhatToDoFirst()
    {
        TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.currentPage(), MainWindow::Page::InboundConfig);
        AreaConfigPage *page = window.configPage(Area::Inbound);
        QVERIFY(page && page->isVisible());

        auto *hint = page->findChild<QLabel *>(u"emptyHint"_s);
        QVERIFY(hint && hint->isVisible());
        const QStringList domains = buttonMenuEntries(page, u"Domains"_s);
        const QStringList users = buttonMenuEntries(page, u"Users"_s);
        QVERIFY(domains.contains(u"Create Domain Mapping"_s));
        QVERIFY(users.contains(u"Upload CSV"_s));
        QVERIFY(users.contains(u"Download sample CSV"_s));
        for (const QString &named : {u"Domains ▸ Create Domain Mapping"_s, u"Users ▸ Upload CSV"_s,
                                     u"Users ▸ Download sample CSV"_s, u"Push"_s})
            QVERIFY2(hint->text().contains(named), qPrintable(hint->text()));

        // Each empty table says what fills it.
        int overlays = 0;
        const QList<QLabel *> labels = page->findChildren<QLabel *>(u"emptyState"_s);
        for (QLabel *l : labels) {
            if (l->isVisible()) {
                ++overlays;
                QVERIFY2(l->text().contains(u"Create Domain Mapping"_s) ||
                             l->text().contains(u"Upload CSV"_s),
                         qPrintable(l->text()));
            }
        }
        QCOMPARE(overlays, 2);
        // Nothing pushed yet: the status bar says so rather than showing a generation.
        QCOMPARE(window.findChild<QLabel *>(u"generationLabel"_s)->text(), u"Nothing pushed yet"_s);

        // The Relay area has no user list: its hint names only the domain mapping.
        window.showPage(MainWindow::Page::RelayConfig);
        AreaConfigPage *relay = window.configPage(Area::Relay);
        auto *relayHint = relay->findChild<QLabel *>(u"emptyHint"_s);
        QVERIFY(relayHint->isVisible());
        QVERIFY(relayHint->text().contains(u"Domains ▸ Create Domain Mapping"_s));
        QVERIFY(!relayHint->text().contains(u"Upload CSV"_s));
    }
};

MAILROUTE_GUI_TEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
