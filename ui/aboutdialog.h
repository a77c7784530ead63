// Help ▸ About MailRoute: the version and build, the libraries the console
// runs with (their versions as loaded at run time, where a library can tell)
// and their licences with links, and MailRoute's own licence. "Copy" puts the
// same facts as plain text on the clipboard for a bug report. Main (GUI) thread.
#pragma once

#include <QDialog>
#include <QList>

class QLabel;

namespace mailroute {

// One library MailRoute uses, as Help ▸ About lists it.
struct ComponentInfo
{
    QString name;
    QString version; // empty when it cannot be determined
    QString licence; // SPDX-style name
    QString licenceUrl;
    QString homepage;
};

class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // Qt, QtKeychain, SQLite (asked with `select sqlite_version()` through Qt's
    // SQLite driver), zlib; in that order.
    static QList<ComponentInfo> components();
    // "0.1.0 (commit abc123, built 2026-11-27)"; commit and date when known.
    static QString versionLine();
    static QString projectLicence();
    // Everything the dialog shows, as plain text.
    static QString plainText();

private:
    QLabel *m_details;
};

} // namespace mailroute
