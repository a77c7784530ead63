// Accessibility of the console (issue 12): every interactive widget on every
// page and in the main dialogs has a name in the Qt accessibility tree (the
// walk names each offender), and a screen-reader pass from the main window
// down through QAccessible finds the key controls by role and name: the Push
// button, the domain and user tables with their column headers, the filters.
#include "tests/ui/accessibilitywalk.h"
#include "tests/ui/uitest.h"
#include "ui/aboutdialog.h"
#include "ui/areaconfigpage.h"
#include "ui/backgroundstore.h"
#include "ui/csvimportdialog.h"
#include "ui/holddialog.h"
#include "ui/infobanner.h"
#include "ui/mainwindow.h"
#include "ui/mappingdialog.h"
#include "ui/pushdialog.h"
#include "ui/rollbackdialog.h"

#include <QAccessible>
#include <QFile>
#include <QStackedWidget>
#include <QToolButton>

#include <algorithm>
#include <functional>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

void seed(ConfigStore *s)
{
    s->addDomainMapping(Area::Relay, u"coldsoup.example"_s, u"hotsoup.example"_s);
    s->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s);
    s->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s);
    s->addDomainMapping(Area::Outbound, u"drypizza.com"_s, u"warmsushi.com"_s);
    s->push();
    s->addUserMapping(Area::Inbound, u"zoe@warmsushi.com"_s, u"zoe.park@drypizza.com"_s);
}

struct Found
{
    QAccessibleInterface *iface = nullptr;
    QString path; // names of the ancestors in the accessibility tree
};

// Depth-first through the accessibility tree (bounded): the first node whose
// object has this object name, as a screen reader reaches it.
Found findInTree(QAccessibleInterface *node, const std::function<bool(QAccessibleInterface *)> &match,
                 const QString &path = {}, int depth = 0)
{
    if (!node || depth > 40)
        return {};
    if (match(node))
        return {node, path};
    const int n = std::min(node->childCount(), 2000);
    for (int i = 0; i < n; ++i) {
        QAccessibleInterface *child = node->child(i);
        // Item views: their cells are not walked (thousands), the view is.
        if (!child || !child->object())
            continue;
        if (Found f = findInTree(child, match, path + u'/' + node->text(QAccessible::Name), depth + 1);
            f.iface)
            return f;
    }
    return {};
}

Found byObjectName(QWidget *window, const QString &name)
{
    return findInTree(QAccessible::queryAccessibleInterface(window), [&name](QAccessibleInterface *i) {
        return i->object()->objectName() == name && i->object()->isWidgetType() &&
               static_cast<QWidget *>(i->object())->isVisible();
    });
}

// Each offender on a line of its own (a QVERIFY2 message is cut short).
void report(const QStringList &offenders)
{
    for (const QString &o : offenders)
        qWarning("no accessible name: %s", qPrintable(o));
}

QStringList columnHeaders(QAccessibleInterface *table)
{
    QStringList headers;
    QAccessibleTableInterface *t = table->tableInterface();
    if (!t)
        return headers;
    for (int c = 0; c < t->columnCount(); ++c)
        headers << t->columnDescription(c);
    return headers;
}

} // namespace

class TestAccessibility final : public QObject
{
    Q_OBJECT
private slots:
    void everyPageNamesItsInteractiveWidgets()
    {
        TempDb db;
        QVERIFY(db.ok());
        seed(db.store());
        MainWindow window(db.store());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        int checked = 0;
        QStringList offenders;
        for (const ConsolePage &row : consolePages()) {
            QVERIFY(window.showPage(row.key));
            QTest::qWait(50);
            auto *page = window.findChild<QStackedWidget *>(u"pages"_s)->currentWidget();
            QVERIFY(page);
            // Banners shown, as they are in use (their Dismiss button).
            const QList<InfoBanner *> banners = page->findChildren<InfoBanner *>();
            for (InfoBanner *b : banners)
                b->showMessage(u"A message."_s, InfoBanner::Kind::Warning);
            offenders += unnamedInteractiveWidgets(page, &checked);
        }
        // The window's own widgets outside the pages (navigation, status bar).
        const QStringList outside = unnamedInteractiveWidgets(&window);
        for (const QString &o : outside) {
            if (!o.contains(u"/pages/"_s) && !offenders.contains(o))
                offenders << o;
        }
        // Every page has something to operate; the walk really looked.
        QVERIFY2(checked > 60, qPrintable(QString::number(checked)));
        report(offenders);
        QVERIFY2(offenders.isEmpty(),
                 qPrintable(u"%1 without an accessible name (listed above)"_s.arg(offenders.size())));
    }

    void everyMainDialogNamesItsInteractiveWidgets()
    {
        TempDb db;
        QVERIFY(db.ok());
        seed(db.store());
        MainWindow window(db.store());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList offenders;
        auto walk = [&offenders](QWidget *dialog) {
            QTest::qWait(300);
            const QStringList found = unnamedInteractiveWidgets(dialog);
            offenders += found;
        };
        for (auto kind : {MappingDialog::Kind::Domain, MappingDialog::Kind::User}) {
            MappingDialog d(
                kind, Area::Inbound, [](const QString &) { return false; }, &window);
            d.show();
            walk(&d);
        }
        const QString csv = db.filePath(u"users.csv"_s);
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Source;Target\r\nalice@warmsushi.com;alice.owen@drypizza.com\r\nbad;x\r\n");
        }
        CsvImportDialog *import = window.configPage(Area::Inbound)->startImport(csv);
        QVERIFY(import);
        QTest::qWait(1000);
        walk(import);
        import->reject();
        PushDialog *push = window.openPushDialog();
        QTest::qWait(1000);
        walk(push);
        push->reject();
        RollbackDialog *rollback = window.openRollbackDialog();
        walk(rollback);
        rollback->reject();
        {
            HoldDialog hold(&window);
            hold.show();
            walk(&hold);
        }
        {
            AboutDialog about(&window);
            about.show();
            walk(&about);
        }
        report(offenders);
        QVERIFY2(offenders.isEmpty(),
                 qPrintable(u"%1 without an accessible name (listed above)"_s.arg(offenders.size())));
    }

    // The walk itself fails on an unnamed widget and names it.
    void walkNamesAnOffender()
    {
        QWidget root;
        root.setObjectName(u"root"_s);
        auto *named = new QToolButton(&root);
        named->setText(u"Go"_s);
        auto *iconOnly = new QToolButton(&root);
        iconOnly->setObjectName(u"iconOnly"_s);
        auto *edit = new QLineEdit(&root);
        edit->setObjectName(u"bareEdit"_s);
        int checked = 0;
        const QStringList offenders = unnamedInteractiveWidgets(&root, &checked);
        QCOMPARE(checked, 3);
        QCOMPARE(offenders.size(), 2);
        QVERIFY(offenders.at(0).startsWith(u"root/iconOnly"_s));
        QVERIFY(offenders.at(1).startsWith(u"root/bareEdit"_s));
        iconOnly->setAccessibleName(u"Dismiss"_s);
        edit->setAccessibleName(u"Filter"_s);
        QVERIFY(unnamedInteractiveWidgets(&root).isEmpty());
    }

    void screenReaderPass()
    {
        TempDb db;
        QVERIFY(db.ok());
        seed(db.store());
        MainWindow window(db.store());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Page::InboundConfig);
        QTest::qWait(300);

        QAccessibleInterface *root = QAccessible::queryAccessibleInterface(&window);
        QVERIFY(root);
        QCOMPARE(root->role(), QAccessible::Window);
        QCOMPARE(root->text(QAccessible::Name), u"MailRoute"_s);

        // The page navigation: a tree a screen reader can name.
        Found nav = byObjectName(&window, u"navigation"_s);
        QVERIFY(nav.iface);
        QVERIFY2(nav.iface->role() == QAccessible::Tree || nav.iface->role() == QAccessible::List,
                 qPrintable(QString::number(nav.iface->role())));
        QCOMPARE(nav.iface->text(QAccessible::Name), u"Pages"_s);

        Found push = byObjectName(&window, u"pushButton"_s);
        QVERIFY(push.iface);
        QCOMPARE(push.iface->role(), QAccessible::Button);
        QCOMPARE(push.iface->text(QAccessible::Name), u"Push"_s);
        QVERIFY(!push.iface->text(QAccessible::Description).isEmpty());
        QVERIFY(push.iface->actionInterface());
        QVERIFY(
            push.iface->actionInterface()->actionNames().contains(QAccessibleActionInterface::pressAction()));

        Found domains = byObjectName(&window, u"domainTable"_s);
        QVERIFY(domains.iface);
        QCOMPARE(domains.iface->role(), QAccessible::Table);
        QCOMPARE(domains.iface->text(QAccessible::Name), u"Domain mappings"_s);
        QVERIFY(!domains.iface->text(QAccessible::Description).isEmpty());
        const QStringList domainHeaders = columnHeaders(domains.iface);
        QCOMPARE(domainHeaders, (QStringList{u"Original Email Domain"_s, u"Redirected Email Domain"_s}));
        QCOMPARE(domains.iface->tableInterface()->rowCount(), 1);

        Found users = byObjectName(&window, u"userTable"_s);
        QVERIFY(users.iface);
        QCOMPARE(users.iface->role(), QAccessible::Table);
        QCOMPARE(users.iface->text(QAccessible::Name), u"User mappings"_s);
        const QStringList userHeaders = columnHeaders(users.iface);
        QCOMPARE(userHeaders, (QStringList{u"Source"_s, u"Target"_s}));

        Found domainFilter = byObjectName(&window, u"domainFilter"_s);
        QVERIFY(domainFilter.iface);
        QCOMPARE(domainFilter.iface->role(), QAccessible::EditableText);
        QCOMPARE(domainFilter.iface->text(QAccessible::Name), u"Filter domain mappings"_s);
        Found userFilter = byObjectName(&window, u"userFilter"_s);
        QVERIFY(userFilter.iface);
        QCOMPARE(userFilter.iface->role(), QAccessible::EditableText);
        QCOMPARE(userFilter.iface->text(QAccessible::Name), u"Filter user mappings"_s);
        // Typing through the accessibility interface filters the table.
        QVERIFY(userFilter.iface->editableTextInterface());
        userFilter.iface->editableTextInterface()->insertText(0, u"zoe"_s);
        QTRY_COMPARE(users.iface->tableInterface()->rowCount(), 1);

        // The logs page: its filters and the log table.
        window.showPage(MainWindow::Page::InboundLogs);
        QTest::qWait(200);
        Found scope = byObjectName(&window, u"scopeCombo"_s);
        QVERIFY(scope.iface);
        QCOMPARE(scope.iface->role(), QAccessible::ComboBox);
        QVERIFY(!scope.iface->text(QAccessible::Name).isEmpty());
        Found kind = byObjectName(&window, u"statusCombo"_s);
        QVERIFY(kind.iface);
        QCOMPARE(kind.iface->role(), QAccessible::ComboBox);
        QVERIFY(!kind.iface->text(QAccessible::Name).isEmpty());
        QVERIFY(scope.iface->text(QAccessible::Name) != kind.iface->text(QAccessible::Name));

        // The info banner's icon-only Dismiss button.
        window.showPage(MainWindow::Page::InboundConfig);
        window.configPage(Area::Inbound)->banner()->showMessage(u"Hello"_s, InfoBanner::Kind::Info);
        QTest::qWait(100);
        Found dismiss = findInTree(root, [](QAccessibleInterface *i) {
            return i->object()->objectName() == u"bannerDismissButton"_s &&
                   static_cast<QWidget *>(i->object())->isVisible();
        });
        QVERIFY(dismiss.iface);
        QCOMPARE(dismiss.iface->role(), QAccessible::Button);
        QCOMPARE(dismiss.iface->text(QAccessible::Name), u"Dismiss"_s);
        // Its own name, not one borrowed from the tool tip; and a description.
        QCOMPARE(static_cast<QWidget *>(dismiss.iface->object())->accessibleName(), u"Dismiss"_s);
        QVERIFY(!static_cast<QWidget *>(dismiss.iface->object())->accessibleDescription().isEmpty());
    }
};

MAILROUTE_GUI_TEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
