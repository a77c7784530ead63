// The console in French and German: the language choice (--lang, the
// View ▸ Language setting, the system's languages), the main window built with
// each catalogue (navigation, Domains menu, Push, menu titles, one accelerator
// per letter in each menu), the settings' descriptions, Qt's own buttons, and the real `mailroute`
// process started with LANG=fr_FR.UTF-8, --lang or the saved setting.
#include "relaycore/config/settingsschema.h"
#include "ui/areaconfigpage.h"
#include "ui/consolelanguage.h"
#include "ui/consolesettings.h"
#include "ui/mainwindow.h"
#include "uitest.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTranslator>
#include <QTreeWidget>

#include "tests/skiporfail.h"

using namespace mailroute;
using namespace Qt::Literals::StringLiterals;

namespace {

void removeTranslators()
{
    const QList<QTranslator *> translators = qApp->findChildren<QTranslator *>();
    for (QTranslator *translator : translators) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

QStringList navigationTexts(const MainWindow &window)
{
    QStringList texts;
    const auto *nav = window.findChild<QTreeWidget *>(u"navigation"_s);
    for (QTreeWidgetItemIterator it(const_cast<QTreeWidget *>(nav)); *it; ++it)
        texts << (*it)->text(0);
    return texts;
}

// The letter after a single '&', lower case; none for "&&" or " & ".
QChar mnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        if (!text.at(i + 1).isSpace())
            return text.at(i + 1).toLower();
    }
    return {};
}

// Every menu of the window (menu bar, submenus, the action bar's menus) with
// the accelerators its items share.
QStringList duplicateAccelerators(const MainWindow &window)
{
    QStringList problems;
    QList<QMenu *> menus = window.findChildren<QMenu *>();
    auto check = [&problems](const QString &where, const QList<QAction *> &actions) {
        QHash<QChar, QString> seen;
        for (const QAction *action : actions) {
            const QChar key = mnemonic(action->text());
            if (key.isNull() || action->isSeparator())
                continue;
            if (seen.contains(key))
                problems << where + u": "_s + seen.value(key) + u" / "_s + action->text();
            seen.insert(key, action->text());
        }
    };
    check(u"menu bar"_s, window.menuBar()->actions());
    for (const QMenu *menu : menus)
        check(menu->title().isEmpty() ? menu->objectName() : menu->title(), menu->actions());
    return problems;
}

// The same for the buttons and labelled fields of each page: a page's
// mnemonics work while it is shown, so they must differ within it.
QStringList duplicatePageAccelerators(const MainWindow &window)
{
    QStringList problems;
    const auto *pages = window.findChild<QStackedWidget *>(u"pages"_s);
    for (int i = 0; pages && i < pages->count(); ++i) {
        QHash<QChar, QString> seen;
        auto note = [&](const QString &text) {
            const QChar key = mnemonic(text);
            if (key.isNull())
                return;
            if (seen.contains(key))
                problems << pages->widget(i)->objectName() + u": "_s + seen.value(key) + u" / "_s + text;
            seen.insert(key, text);
        };
        const QList<QAbstractButton *> buttons = pages->widget(i)->findChildren<QAbstractButton *>();
        for (const QAbstractButton *button : buttons)
            note(button->text());
        const QList<QLabel *> labels = pages->widget(i)->findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            if (label->buddy())
                note(label->text());
        }
    }
    return problems;
}

QString qtTranslations(const QString &language)
{
    return QDir(QLibraryInfo::path(QLibraryInfo::TranslationsPath)).filePath(u"qtbase_%1.qm"_s.arg(language));
}

} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT
private slots:
    void cleanup()
    {
        removeTranslators();
        QLocale::setDefault(QLocale::system());
        ConsoleSettings::setLanguage(QString());
    }

    void choose_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QStringList>("system");
        QTest::addColumn<QString>("expected");
        QTest::newRow("system French")
            << QString() << QString() << QStringList{u"fr-FR"_s, u"fr"_s} << u"fr"_s;
        QTest::newRow("system Canadian French")
            << QString() << QString() << QStringList{u"fr-CA"_s} << u"fr"_s;
        QTest::newRow("system Austrian German")
            << QString() << QString() << QStringList{u"de-AT"_s} << u"de"_s;
        QTest::newRow("first listed wins")
            << QString() << QString() << QStringList{u"en-GB"_s, u"fr-FR"_s} << u"en"_s;
        QTest::newRow("skips untranslated")
            << QString() << QString() << QStringList{u"es-ES"_s, u"de-DE"_s} << u"de"_s;
        QTest::newRow("untranslated only") << QString() << QString() << QStringList{u"ja-JP"_s} << u"en"_s;
        QTest::newRow("C locale") << QString() << QString() << QStringList{u"C"_s} << u"en"_s;
        QTest::newRow("nothing") << QString() << QString() << QStringList() << u"en"_s;
        QTest::newRow("setting over system") << QString() << u"de"_s << QStringList{u"fr-FR"_s} << u"de"_s;
        QTest::newRow("English setting") << QString() << u"en"_s << QStringList{u"de-DE"_s} << u"en"_s;
        QTest::newRow("option over setting") << u"en"_s << u"de"_s << QStringList{u"fr-FR"_s} << u"en"_s;
        QTest::newRow("unknown option skipped") << u"xx"_s << QString() << QStringList{u"fr-FR"_s} << u"fr"_s;
        QTest::newRow("unknown setting skipped")
            << QString() << u"klingon"_s << QStringList{u"de-DE"_s} << u"de"_s;
    }

    void choose()
    {
        QFETCH(QString, option);
        QFETCH(QString, setting);
        QFETCH(QStringList, system);
        QFETCH(QString, expected);
        QCOMPARE(ConsoleLanguage::choose(option, setting, system), expected);
    }

    void settingRoundTrips()
    {
        QCOMPARE(ConsoleSettings::language(), QString());
        ConsoleSettings::setLanguage(u"fr"_s);
        QCOMPARE(ConsoleSettings::language(), u"fr"_s);
        ConsoleSettings::setLanguage(QString());
        QCOMPARE(ConsoleSettings::language(), QString());
    }

    void installRefusesUnknownLanguages()
    {
        QVERIFY(!ConsoleLanguage::install(qApp, u"xx"_s));
        QVERIFY(qApp->findChildren<QTranslator *>().isEmpty());
        QVERIFY(ConsoleLanguage::install(qApp, u"en"_s));
        QCOMPARE(QCoreApplication::translate("mailroute::MainWindow", "&File"), u"&File"_s);
    }

    void mainWindowSpeaks_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("logs");
        QTest::addColumn<QString>("configuration");
        QTest::addColumn<QString>("createDomain");
        QTest::addColumn<QString>("deleteDomains");
        QTest::addColumn<QString>("push");
        QTest::addColumn<QStringList>("menus");
        QTest::newRow("fr") << u"fr"_s << u"Journaux"_s << u"Configuration"_s
                            << u"Créer un mappage de domaine…"_s << u"Supprimer des mappages de domaine…"_s
                            << u"&Publier"_s
                            << QStringList{u"&Fichier"_s, u"&Mappages"_s,  u"&Configuration"_s,
                                           u"&Relais"_s,  u"Afficha&ge"_s, u"&Aide"_s};
        QTest::newRow("de") << u"de"_s << u"Protokolle"_s << u"Konfiguration"_s
                            << u"Domänenzuordnung erstellen…"_s << u"Domänenzuordnung(en) löschen…"_s
                            << u"&Veröffentlichen"_s
                            << QStringList{u"&Datei"_s, u"&Zuordnungen"_s, u"&Konfiguration"_s,
                                           u"&Relay"_s, u"&Ansicht"_s,     u"&Hilfe"_s};
        QTest::newRow("en") << u"en"_s << u"Logs"_s << u"Configuration"_s << u"Create Domain Mapping…"_s
                            << u"Delete Domain Mapping(s)…"_s << u"&Push"_s
                            << QStringList{u"&File"_s,  u"&Mappings"_s, u"&Configuration"_s,
                                           u"&Relay"_s, u"&View"_s,     u"&Help"_s};
    }

    void mainWindowSpeaks()
    {
        QFETCH(QString, language);
        QFETCH(QString, logs);
        QFETCH(QString, configuration);
        QFETCH(QString, createDomain);
        QFETCH(QString, deleteDomains);
        QFETCH(QString, push);
        QFETCH(QStringList, menus);
        QVERIFY(ConsoleLanguage::install(qApp, language));
        // Dates and numbers follow the words (the test system is not French or German).
        if (QLocale::system().language() != QLocale(language).language())
            QCOMPARE(QLocale().language(), QLocale(language).language());
        testing::TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());

        const QStringList nav = navigationTexts(window);
        QCOMPARE(nav.count(logs), 3); // Relay, Inbound, Outbound
        QCOMPARE(nav.count(configuration), 3);

        AreaConfigPage *inbound = window.configPage(Area::Inbound);
        QCOMPARE(inbound->createDomainAction()->text(), createDomain);
        const auto *domainsMenu = inbound->findChild<QMenu *>(u"domainsMenu"_s);
        QVERIFY(domainsMenu);
        QVERIFY(domainsMenu->actions().contains(inbound->createDomainAction()));
        QCOMPARE(inbound->findChild<QAction *>(u"deleteDomainsAction"_s)->text(), deleteDomains);
        QCOMPARE(inbound->findChild<QPushButton *>(u"pushButton"_s)->text(), push);

        QStringList titles;
        const QList<QAction *> bar = window.menuBar()->actions();
        for (const QAction *menu : bar)
            titles << menu->text();
        for (const QString &title : menus)
            QVERIFY2(titles.contains(title), qPrintable(titles.join(u", "_s)));

        // MAILROUTE_SCREENSHOT_DIR=DIR: every page in this language, to read the layout.
        const QString shots = qEnvironmentVariable("MAILROUTE_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            window.resize(1280, 800);
            window.show();
            for (const ConsolePage &page : consolePages()) {
                window.showPage(page.key);
                QTest::qWait(50);
                QVERIFY(window.grab().save(QDir(shots).filePath(u"%1-%2.png"_s.arg(language, page.key))));
            }
        }

        const QStringList duplicates = duplicateAccelerators(window);
        QVERIFY2(duplicates.isEmpty(), qPrintable(duplicates.join(u'\n')));
        const QStringList onPages = duplicatePageAccelerators(window);
        QVERIFY2(onPages.isEmpty(), qPrintable(onPages.join(u'\n')));
    }

    // The settings page shows SettingsSchema's descriptions through the
    // "SettingsSchema" context (translations/settingsschema_strings.cpp).
    void settingDescriptionsTranslated_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("fr") << u"fr"_s;
        QTest::newRow("de") << u"de"_s;
    }

    void settingDescriptionsTranslated()
    {
        QFETCH(QString, language);
        QVERIFY(ConsoleLanguage::install(qApp, language));
        QStringList untranslated;
        for (const SettingDef &def : SettingsSchema::all()) {
            const QByteArray source = def.description.toUtf8();
            if (QCoreApplication::translate("SettingsSchema", source.constData()) == def.description)
                untranslated << def.key;
        }
        QVERIFY(!SettingsSchema::all().isEmpty());
        QVERIFY2(untranslated.isEmpty(), qPrintable(u"add to translations/settingsschema_strings.cpp: "_s +
                                                    untranslated.join(u", "_s)));
    }

    // Qt's standard buttons come from qtbase_<lang>.qm (qt6-translations-l10n).
    void standardButtons_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("cancel");
        QTest::newRow("fr") << u"fr"_s << u"Annuler"_s;
        QTest::newRow("de") << u"de"_s << u"Abbrechen"_s;
    }

    void standardButtons()
    {
        QFETCH(QString, language);
        QFETCH(QString, cancel);
        MAILROUTE_REQUIRE(QFileInfo::exists(qtTranslations(language)),
                          "Qt's own translations are not installed (Debian: qt6-translations-l10n)");
        QVERIFY(ConsoleLanguage::install(qApp, language));
        QDialogButtonBox box(QDialogButtonBox::Cancel);
        QCOMPARE(box.button(QDialogButtonBox::Cancel)->text().remove(u'&'), cancel);
    }

    void languageMenuSavesTheChoice()
    {
        testing::TempDb db;
        QVERIFY(db.ok());
        MainWindow window(db.store());
        auto *menu = window.findChild<QMenu *>(u"languageMenu"_s);
        QVERIFY(menu);
        QStringList names;
        const QList<QAction *> actions = menu->actions();
        for (const QAction *action : actions) {
            if (!action->isSeparator())
                names << action->objectName();
        }
        QCOMPARE(names,
                 (QStringList{u"language_system"_s, u"language_en"_s, u"language_fr"_s, u"language_de"_s}));
        QVERIFY(menu->findChild<QAction *>(u"language_system"_s)->isChecked());

        menu->findChild<QAction *>(u"language_de"_s)->trigger();
        QCOMPARE(ConsoleSettings::language(), u"de"_s);
        auto *told = window.findChild<QMessageBox *>(u"languageChangedDialog"_s);
        QVERIFY(told);
        told->accept();
        QVERIFY(menu->findChild<QAction *>(u"language_de"_s)->isChecked());

        menu->findChild<QAction *>(u"language_system"_s)->trigger();
        QCOMPARE(ConsoleSettings::language(), QString());
    }

    void consoleProcess_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("firstMenu");
        QTest::newRow("LANG=fr_FR") << u"fr_FR.UTF-8"_s << QStringList() << QString() << u"fr"_s
                                    << u"&Fichier"_s;
        QTest::newRow("LANG=de_DE") << u"de_DE.UTF-8"_s << QStringList() << QString() << u"de"_s
                                    << u"&Datei"_s;
        QTest::newRow("LANG=en_US") << u"en_US.UTF-8"_s << QStringList() << QString() << u"en"_s
                                    << u"&File"_s;
        QTest::newRow("--lang fr") << u"C.UTF-8"_s << QStringList{u"--lang"_s, u"fr"_s} << QString()
                                   << u"fr"_s << u"&Fichier"_s;
        QTest::newRow("--lang=de over LANG")
            << u"fr_FR.UTF-8"_s << QStringList{u"--lang=de"_s} << QString() << u"de"_s << u"&Datei"_s;
        QTest::newRow("--lang en over LANG")
            << u"fr_FR.UTF-8"_s << QStringList{u"--lang"_s, u"en"_s} << QString() << u"en"_s << u"&File"_s;
        QTest::newRow("setting over LANG")
            << u"fr_FR.UTF-8"_s << QStringList() << u"de"_s << u"de"_s << u"&Datei"_s;
        QTest::newRow("--lang over setting")
            << u"C.UTF-8"_s << QStringList{u"--lang"_s, u"fr"_s} << u"de"_s << u"fr"_s << u"&Fichier"_s;
    }

    void consoleProcess()
    {
        QFETCH(QString, lang);
        QFETCH(QStringList, arguments);
        QFETCH(QString, setting);
        QFETCH(QString, language);
        QFETCH(QString, firstMenu);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (!setting.isEmpty()) {
            // Where ConsoleSettings keeps it, in the scratch home below.
            QSettings ini(dir.filePath(u"config/MailRoute/console.ini"_s), QSettings::IniFormat);
            ini.setValue(u"language"_s, setting);
        }
        const Run run = runConsole(
            dir, lang,
            QStringList{u"--db"_s, dir.filePath(u"mailroute.db"_s), u"--check-startup"_s} + arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        const QString &out = run.out;
        const QStringList lines = out.split(u'\n');
        QVERIFY2(lines.contains(u"language: "_s + language), qPrintable(out));
        QVERIFY2(lines.contains(u"menu: "_s + firstMenu), qPrintable(out));
        QVERIFY2(lines.contains(u"window: MailRoute"_s), qPrintable(out));
    }

    void helpInFrench()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const Run run = runConsole(dir, u"fr_FR.UTF-8"_s, {u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"Fichier de la base de données de configuration."_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"Langue de la console : en, fr ou de"_s), qPrintable(run.out));
    }

    void unknownLanguageIsAUsageError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"mailroute.db"_s);
        const Run run = runConsole(dir, u"C.UTF-8"_s, {u"--db"_s, db, u"--lang"_s, u"xx"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"Unknown language xx: use en, fr or de."_s), qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(db)); // refused before anything was opened
    }

private:
    struct Run
    {
        int exitCode = -1; // -1: crashed or did not finish within a minute
        QString out;
        QString err;
    };

    static Run runConsole(const QTemporaryDir &dir, const QString &lang, const QStringList &arguments)
    {
        QProcess console;
        console.setProcessEnvironment(consoleEnvironment(dir, lang));
        console.start(QStringLiteral(MAILROUTE_CONSOLE_BIN), arguments);
        Run run;
        if (!console.waitForFinished(60000))
            console.kill();
        else if (console.exitStatus() == QProcess::NormalExit)
            run.exitCode = console.exitCode();
        run.out = QString::fromUtf8(console.readAllStandardOutput());
        run.err = QString::fromUtf8(console.readAllStandardError());
        return run;
    }

    // A scratch home, and LANG alone deciding the system's language.
    static QProcessEnvironment consoleEnvironment(const QTemporaryDir &dir, const QString &lang)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!env.contains(u"DISPLAY"_s) && !env.contains(u"WAYLAND_DISPLAY"_s))
            env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        for (const QString &name : {u"LANGUAGE"_s, u"LC_ALL"_s, u"LC_MESSAGES"_s})
            env.remove(name);
        env.insert(u"LANG"_s, lang);
        return env;
    }
};

MAILROUTE_GUI_TEST_MAIN(TestTranslations)
#include "tst_translations.moc"
