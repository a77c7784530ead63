// Walks a widget tree the way a screen reader sees it: every interactive
// widget (buttons, line edits, combo boxes, spin boxes, item views, text
// editors, sliders) must have a name in the Qt accessibility tree. Used by
// tst_accessibility. Test-only; GUI thread.
#pragma once

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStringList>
#include <QTabBar>
#include <QTextEdit>
#include <QWidget>

namespace mailroute::testing {

// Where a widget is: the object names (or class names) from root down.
inline QString widgetPath(const QWidget *root, const QWidget *w)
{
    QStringList parts;
    for (const QWidget *p = w; p && p != root->parentWidget(); p = p->parentWidget()) {
        QString part =
            p->objectName().isEmpty() ? QString::fromLatin1(p->metaObject()->className()) : p->objectName();
        parts.prepend(part);
        if (p == root)
            break;
    }
    QString what = parts.join(QLatin1Char('/'));
    if (auto *b = qobject_cast<const QAbstractButton *>(w); b && !b->toolTip().isEmpty())
        what += QStringLiteral(" (tool tip '%1')").arg(b->toolTip());
    return what;
}

// Parts of composite widgets that Qt names through their owner (a combo
// box's line edit, a spin box's editor, a view's viewport, scroll bars, a
// tab bar's scroll arrows, a line edit's clear button): not walked.
inline bool isInternalPart(const QWidget *root, const QWidget *w)
{
    if (w->objectName().startsWith(QLatin1String("qt_")) || w->inherits("QTableCornerButton"))
        return true; // Qt's own parts; the corner button is mouse-only (select all)
    if (qobject_cast<const QScrollBar *>(w) || qobject_cast<const QHeaderView *>(w))
        return true;
    for (const QWidget *p = w->parentWidget(); p && p != root->parentWidget(); p = p->parentWidget()) {
        if (qobject_cast<const QComboBox *>(p) || qobject_cast<const QAbstractSpinBox *>(p) ||
            qobject_cast<const QTabBar *>(p) || qobject_cast<const QLineEdit *>(p) ||
            qobject_cast<const QScrollBar *>(p))
            return true;
        // A view's viewport and cell editors are its own; buttons placed in
        // its cells (setIndexWidget, setItemWidget) are walked.
        if (qobject_cast<const QAbstractItemView *>(p) && !qobject_cast<const QAbstractButton *>(w))
            return true;
        if (p == root)
            break;
    }
    return false;
}

inline bool isInteractive(const QWidget *w)
{
    return qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QLineEdit *>(w) ||
           qobject_cast<const QComboBox *>(w) || qobject_cast<const QAbstractSpinBox *>(w) ||
           qobject_cast<const QAbstractItemView *>(w) || qobject_cast<const QTextEdit *>(w) ||
           qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QAbstractSlider *>(w);
}

// The name a screen reader announces for w (its accessible name, else what
// Qt derives: a button's text, a buddy label, a group box's title).
inline QString accessibleName(QWidget *w)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    return iface ? iface->text(QAccessible::Name).trimmed() : QString();
}

// The interactive widgets under root (root included) without an accessible
// name, each as its path; `checked` counts those looked at.
inline QStringList unnamedInteractiveWidgets(QWidget *root, int *checked = nullptr)
{
    QStringList offenders;
    QList<QWidget *> all = root->findChildren<QWidget *>();
    all.prepend(root);
    for (QWidget *w : std::as_const(all)) {
        if (!isInteractive(w) || isInternalPart(root, w))
            continue;
        if (checked)
            ++*checked;
        if (accessibleName(w).isEmpty())
            offenders << widgetPath(root, w) + QStringLiteral(" [") +
                             QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(']');
    }
    return offenders;
}

} // namespace mailroute::testing
