#include "ui/consolelanguage.h"

#include "ui/consolesettings.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QTranslator>

namespace mailroute {

QStringList ConsoleLanguage::codes()
{
    return {QStringLiteral("en"), QStringLiteral("fr"), QStringLiteral("de")};
}

bool ConsoleLanguage::isKnown(const QString &code)
{
    return codes().contains(code);
}

QString ConsoleLanguage::nativeName(const QString &code)
{
    // Each in its own language, whatever the console speaks now.
    if (code == QLatin1String("fr"))
        return QStringLiteral("Français");
    if (code == QLatin1String("de"))
        return QStringLiteral("Deutsch");
    return QStringLiteral("English");
}

QString ConsoleLanguage::choose(const QString &option, const QString &setting, const QStringList &uiLanguages)
{
    for (const QString &explicitChoice : {option, setting}) {
        if (isKnown(explicitChoice))
            return explicitChoice;
    }
    // "fr-CA" or "de_AT" speak French or German; the first language the user
    // lists that we have wins, so "en-GB, fr" stays English.
    for (const QString &name : uiLanguages) {
        const QString code = QLocale(name).name().section(QLatin1Char('_'), 0, 0);
        if (isKnown(code))
            return code;
    }
    return QStringLiteral("en");
}

bool ConsoleLanguage::install(QCoreApplication *app, const QString &code)
{
    if (!isKnown(code))
        return false;
    // Dates and numbers in the language of the words, unless the system's
    // locale already speaks it (then fr_CA or de_CH keep their own formats).
    if (QLocale::system().language() != QLocale(code).language())
        QLocale::setDefault(QLocale(code));
    if (code == QLatin1String("en"))
        return true;
    auto *own = new QTranslator(app);
    if (!own->load(QStringLiteral(":/i18n/mailroute_%1.qm").arg(code))) {
        delete own;
        return false;
    }
    QCoreApplication::installTranslator(own);
    // Optional: Debian's qt6-translations-l10n provides it.
    auto *qt = new QTranslator(app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return true;
}

QMenu *ConsoleLanguage::createMenu(QWidget *parent)
{
    auto *menu = new QMenu(tr("&Language"), parent);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(menu);
    const QString current = ConsoleSettings::language();
    auto add = [&](const QString &code, const QString &text) {
        QAction *action = menu->addAction(text);
        action->setObjectName(QStringLiteral("language_") +
                              (code.isEmpty() ? QStringLiteral("system") : code));
        action->setCheckable(true);
        action->setChecked(code == current || (code.isEmpty() && !isKnown(current)));
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [menu, code] {
            if (code == ConsoleSettings::language())
                return;
            ConsoleSettings::setLanguage(code);
            auto *box = new QMessageBox(QMessageBox::Information, tr("Language"),
                                        tr("MailRoute uses the new language when it starts again."),
                                        QMessageBox::Ok, menu->parentWidget());
            box->setObjectName(QStringLiteral("languageChangedDialog"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
    };
    add(QString(), tr("&System Language"));
    menu->addSeparator();
    for (const QString &code : codes())
        add(code, nativeName(code));
    return menu;
}

} // namespace mailroute
