#include "ui/aboutdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVBoxLayout>

#include <libpsl.h>
#include <openssl/crypto.h>
#include <unbound.h>
#include <unicode/uversion.h>
#include <zlib.h>

// Set by cmake/Packaging.cmake for this file only; empty when unknown.
#ifndef MAILROUTE_BUILD_COMMIT
#define MAILROUTE_BUILD_COMMIT ""
#endif
#ifndef MAILROUTE_BUILD_DATE
#define MAILROUTE_BUILD_DATE ""
#endif
#ifndef MAILROUTE_QTKEYCHAIN_VERSION
#define MAILROUTE_QTKEYCHAIN_VERSION ""
#endif
#ifndef MAILROUTE_LICENSE_SPDX
#define MAILROUTE_LICENSE_SPDX "LicenseRef-proprietary"
#endif

namespace mailroute {

namespace {

// The SQLite library Qt's driver really loaded, which may differ from the
// headers anything was built with.
QString icuVersion()
{
    UVersionInfo info;
    u_getVersion(info);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(info, text);
    return QString::fromLatin1(text);
}

// The loaded libpsl's number (psl_get_version() also names its IDNA library).
QString pslVersion()
{
    const int v = psl_check_version_number(0);
    return QStringLiteral("%1.%2.%3").arg((v >> 16) & 0xff).arg((v >> 8) & 0xff).arg(v & 0xff);
}

QString sqliteVersion()
{
    const QString name = QStringLiteral("mailroute-about-sqlite");
    QString version;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("select sqlite_version()")) && query.next())
                version = query.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

QString qtVersion()
{
    const QString running = QString::fromLatin1(qVersion());
    const QString built = QStringLiteral(QT_VERSION_STR);
    return running == built ? running : AboutDialog::tr("%1 (built with %2)").arg(running, built);
}

QString orUnknown(const QString &version)
{
    return version.isEmpty() ? AboutDialog::tr("unknown") : version;
}

} // namespace

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent), m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About MailRoute"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/mailroute-64.png")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    auto *heading = new QLabel(this);
    heading->setObjectName(QStringLiteral("aboutHeading"));
    heading->setTextFormat(Qt::RichText);
    heading->setText(QStringLiteral("<h2>MailRoute</h2><p>") +
                     tr("Version %1").arg(versionLine().toHtmlEscaped()) + QStringLiteral("</p><p>") +
                     tr("Mail routing console with a bundled SMTP relay for mailbox migrations.") +
                     QStringLiteral("</p><p>") + projectLicence().toHtmlEscaped() + QStringLiteral("</p>"));
    heading->setWordWrap(true);
    heading->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QString table = QStringLiteral("<p>") + tr("MailRoute uses these libraries:") +
                    QStringLiteral("</p><table cellspacing=\"0\" cellpadding=\"4\"><tr><th align=\"left\">") +
                    tr("Library") + QStringLiteral("</th><th align=\"left\">") + tr("Version") +
                    QStringLiteral("</th><th align=\"left\">") + tr("Licence") + QStringLiteral("</th></tr>");
    const QList<ComponentInfo> libs = components();
    for (const ComponentInfo &c : libs) {
        table +=
            QStringLiteral("<tr><td><a href=\"%1\">%2</a></td><td>%3</td><td><a href=\"%4\">%5</a></td></tr>")
                .arg(c.homepage, c.name.toHtmlEscaped(), orUnknown(c.version).toHtmlEscaped(), c.licenceUrl,
                     c.licence.toHtmlEscaped());
    }
    table += QStringLiteral("</table><p>") +
             tr("They are used as shared libraries, as installed with MailRoute or by the operating system, "
                "which also provides their source code and licence texts.") +
             QStringLiteral("</p>");
    m_details->setObjectName(QStringLiteral("aboutLibraries"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setText(table);
    m_details->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_details->setOpenExternalLinks(true);
    m_details->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy to Clipboard"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("aboutCopy"));
    copy->setToolTip(tr("Copy the version and library details, for a bug report"));
    connect(copy, &QPushButton::clicked, this, [] { QGuiApplication::clipboard()->setText(plainText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(heading, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_details);
    layout->addStretch();
    layout->addWidget(buttons);
    setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 50);
}

QList<ComponentInfo> AboutDialog::components()
{
    return {
        {QStringLiteral("Qt"), qtVersion(), QStringLiteral("LGPL-3.0-only"),
         QStringLiteral("https://doc.qt.io/qt-6/lgpl.html"), QStringLiteral("https://www.qt.io/")},
        {QStringLiteral("QtKeychain"), QStringLiteral(MAILROUTE_QTKEYCHAIN_VERSION),
         QStringLiteral("BSD-3-Clause"), QStringLiteral("https://opensource.org/license/bsd-3-clause/"),
         QStringLiteral("https://github.com/frankosterfeld/qtkeychain")},
        {QStringLiteral("SQLite"), sqliteVersion(), tr("Public domain"),
         QStringLiteral("https://www.sqlite.org/copyright.html"), QStringLiteral("https://www.sqlite.org/")},
        {QStringLiteral("zlib"), QString::fromLatin1(zlibVersion()), QStringLiteral("Zlib"),
         QStringLiteral("https://zlib.net/zlib_license.html"), QStringLiteral("https://zlib.net/")},
        // DKIM signing and verification (relaycore/dkim).
        {QStringLiteral("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING)),
         QStringLiteral("Apache-2.0"), QStringLiteral("https://www.openssl.org/source/license.html"),
         QStringLiteral("https://www.openssl.org/")},
        // DNS look-ups (relaycore/dns).
        {QStringLiteral("libunbound"), QString::fromLatin1(ub_version()), QStringLiteral("BSD-3-Clause"),
         QStringLiteral("https://github.com/NLnetLabs/unbound/blob/master/LICENSE"),
         QStringLiteral("https://nlnetlabs.nl/projects/unbound/about/")},
        // International domain names, IDNA2008 / UTS #46 (relaycore/routing/idna).
        {QStringLiteral("ICU"), icuVersion(), QStringLiteral("Unicode-DFS-2016"),
         QStringLiteral("https://github.com/unicode-org/icu/blob/main/LICENSE"),
         QStringLiteral("https://icu.unicode.org/")},
        // The Public Suffix List for DMARC's organisational domain (readiness).
        {QStringLiteral("libpsl"), pslVersion(), QStringLiteral("MIT"),
         QStringLiteral("https://github.com/rockdaboot/libpsl/blob/master/COPYING"),
         QStringLiteral("https://github.com/rockdaboot/libpsl")},
    };
}

QString AboutDialog::versionLine()
{
    const QString commit = QStringLiteral(MAILROUTE_BUILD_COMMIT);
    const QString date = QStringLiteral(MAILROUTE_BUILD_DATE);
    QString line = QCoreApplication::applicationVersion();
    if (line.isEmpty())
        line = QStringLiteral(MAILROUTE_VERSION);
    if (!commit.isEmpty() && !date.isEmpty())
        line += QLatin1Char(' ') + tr("(commit %1, built %2)").arg(commit, date);
    else if (!date.isEmpty())
        line += QLatin1Char(' ') + tr("(built %1)").arg(date);
    return line;
}

QString AboutDialog::projectLicence()
{
    const QString spdx = QStringLiteral(MAILROUTE_LICENSE_SPDX);
    if (spdx == QLatin1String("LicenseRef-proprietary"))
        return tr(
            "MailRoute has not been published under a licence yet: all rights reserved by its authors.");
    return tr("MailRoute is licensed under %1.").arg(spdx);
}

QString AboutDialog::plainText()
{
    QString text = QStringLiteral("MailRoute ") + versionLine() + QLatin1Char('\n') + projectLicence() +
                   QLatin1Char('\n');
    const QList<ComponentInfo> libs = components();
    for (const ComponentInfo &c : libs)
        text += c.name + QLatin1Char(' ') + orUnknown(c.version) + QStringLiteral(" (") + c.licence +
                QStringLiteral(", ") + c.licenceUrl + QStringLiteral(")\n");
    return text;
}

} // namespace mailroute
