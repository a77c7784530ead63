// Helpers for the console's GUI tests: a fresh database, a platform when there
// is no display, and ways to reach widgets the way a person does (menus,
// non-blocking dialogs, the check box of a row, a file dialog's name field).
// Test-only; GUI thread.
#pragma once

#include "relaycore/store/configstore.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleOptionButton>
#include <QStyleOptionViewItem>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include "tests/skiporfail.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace mailroute::testing {

// Before QApplication: offscreen when there is no display (ctest outside
// xvfb-run), widget-based dialogs (a native one could not be driven), and
// settings in a test location.
inline void prepareGuiTest()
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        // CI promises a real window under Xvfb (tests/skiporfail.h): without a
        // display it fails rather than quietly testing offscreen. An explicit
        // QT_QPA_PLATFORM=offscreen is a choice, and honoured.
        if (runningInCi()) {
            std::fprintf(stderr,
                         "FAIL: CI=true: required service missing: an X display (run under xvfb-run -a, "
                         "as installer/setup.sh test does, or set QT_QPA_PLATFORM explicitly)\n");
            std::exit(1);
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QStandardPaths::setTestModeEnabled(true);
}

#define MAILROUTE_GUI_TEST_MAIN(TestClass)                                                                   \
    int main(int argc, char *argv[])                                                                         \
    {                                                                                                        \
        mailroute::testing::prepareGuiTest();                                                                \
        QApplication app(argc, argv);                                                                        \
        TestClass tc;                                                                                        \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }

// A database of its own in a temporary folder.
class TempDb final
{
public:
    TempDb()
        : m_path(m_dir.filePath(QStringLiteral("mailroute.db"))),
          m_store(std::make_unique<ConfigStore>(m_path))
    {
        m_opened = m_dir.isValid() && m_store->open().ok();
    }
    bool ok() const { return m_opened; }
    ConfigStore *store() const { return m_store.get(); }
    QString path() const { return m_path; }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<ConfigStore> m_store;
    bool m_opened = false;
};

// Opens `button`'s menu with a click and clicks `action` in it (the menu runs
// its own event loop, so the second click is scheduled before the first).
inline bool clickMenuItem(QToolButton *button, QAction *action)
{
    bool clicked = false;
    auto *poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, action, &clicked] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu || !menu->isVisible())
            return;
        poll->stop();
        const QRect rect = menu->actionGeometry(action);
        if (rect.isValid()) {
            QTest::mouseClick(menu, Qt::LeftButton, {}, rect.center());
            clicked = true;
        } else {
            menu->close();
        }
        poll->deleteLater();
    });
    poll->start();
    QTest::mouseClick(button, Qt::LeftButton);
    QTest::qWait(0);
    return clicked;
}

// Clicks the check box in front of a row, where a person would.
inline void clickCheckBox(QAbstractItemView *view, const QModelIndex &index)
{
    QStyleOptionViewItem opt;
    opt.initFrom(view->viewport());
    opt.rect = view->visualRect(index);
    opt.features |= QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDisplay;
    opt.text = index.data().toString();
    opt.checkState = index.data(Qt::CheckStateRole).value<Qt::CheckState>();
    const QRect check = view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &opt, view);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, check.center());
}

// Clicks a check box on its indicator (its middle may be empty space).
inline void clickCheckBox(QCheckBox *box)
{
    QStyleOptionButton opt;
    opt.initFrom(box);
    opt.text = box->text();
    const QRect indicator = box->style()->subElementRect(QStyle::SE_CheckBoxIndicator, &opt, box);
    QTest::mouseClick(box, Qt::LeftButton, {}, indicator.center());
}

// In a (widget-based) file dialog, goes to the folder of `path`, types the
// file name and clicks Open or Save, as a person does. (Typing a whole path
// lets the dialog select a folder that matches the first letters, and Save
// then opens that folder instead.)
inline bool chooseFile(QFileDialog *dialog, const QString &path)
{
    auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
    auto *buttons = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"));
    if (!edit || !buttons)
        return false;
    const QFileInfo info(path);
    dialog->setDirectory(info.absolutePath());
    // The completer's list pops up a little later, and a click while it is
    // up only closes it.
    edit->setCompleter(nullptr);
    edit->clear();
    QTest::keyClicks(edit, info.fileName());
    const QList<QAbstractButton *> all = buttons->buttons();
    for (QAbstractButton *b : all) {
        if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole && b->isEnabled()) {
            QTest::mouseClick(b, Qt::LeftButton);
            return true;
        }
    }
    return false;
}

// A visible top-level or child dialog with this object name, or nullptr.
template <typename T> T *findVisible(QObject *parent, const QString &name)
{
    const QList<T *> all = parent->findChildren<T *>(name);
    for (T *w : all) {
        if (w->isVisible())
            return w;
    }
    return nullptr;
}

inline void click(QAbstractButton *button)
{
    QTest::mouseClick(button, Qt::LeftButton);
}

inline void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace mailroute::testing
