// Which language the console speaks, and the translators that make it so:
// the --lang option, else the language chosen under View ▸ Language
// (ConsoleSettings), else the first of the system's UI languages (LANGUAGE,
// LC_ALL, LC_MESSAGES, LANG) that MailRoute is translated into; English
// otherwise. MailRoute's own catalogues are embedded (:/i18n); Qt's
// qtbase_<lang>.qm (standard buttons, file dialogs) comes from Qt's
// translations folder when installed. Main (GUI) thread.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class QMenu;
class QWidget;

namespace mailroute {

class ConsoleLanguage final
{
    Q_DECLARE_TR_FUNCTIONS(ConsoleLanguage)
public:
    // "en", "fr", "de": the languages the console speaks.
    static QStringList codes();
    static bool isKnown(const QString &code);
    // The language's name in itself ("Français"), as a language menu shows it.
    static QString nativeName(const QString &code);

    // The language to use: `option` (--lang), else `setting`, else the first
    // of `uiLanguages` (BCP 47 names, as QLocale::uiLanguages() gives them)
    // that is English, French or German; else English. Unknown codes in
    // `option` or `setting` are skipped.
    static QString choose(const QString &option, const QString &setting, const QStringList &uiLanguages);

    // Installs the translators for `code` on `app` (MailRoute's and Qt's own
    // when present; none for English) and makes it the default locale when
    // the system's is another language. Returns false for an unknown code or
    // when MailRoute's catalogue cannot be loaded.
    static bool install(QCoreApplication *app, const QString &code);

    // View ▸ Language: System, English, Français, Deutsch; a choice is saved
    // in ConsoleSettings and used at the next start.
    static QMenu *createMenu(QWidget *parent);
};

} // namespace mailroute
