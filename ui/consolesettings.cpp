#include "ui/consolesettings.h"

#include <QAbstractItemView>
#include <QHeaderView>
#include <QSettings>
#include <QTableView>
#include <QTreeView>

#include <memory>

namespace mailroute {

namespace {

// Explicit names: the application sets no organisation name, because that
// would move the default database (QStandardPaths::AppDataLocation) away
// from where mailroutectl looks for it.
std::unique_ptr<QSettings> open()
{
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                       QStringLiteral("MailRoute"), QStringLiteral("console"));
}

QString languageKey()
{
    return QStringLiteral("language"); // [General] in the INI file
}

} // namespace

QVariant ConsoleSettings::value(const QString &key, const QVariant &fallback)
{
    return open()->value(key, fallback);
}

void ConsoleSettings::setValue(const QString &key, const QVariant &value)
{
    open()->setValue(key, value);
}

namespace {

QHeaderView *horizontalHeaderOf(QAbstractItemView *view)
{
    if (auto *table = qobject_cast<QTableView *>(view))
        return table->horizontalHeader();
    if (auto *tree = qobject_cast<QTreeView *>(view))
        return tree->header();
    return nullptr;
}

// The views worth remembering: those with a visible column header.
QList<QAbstractItemView *> headedViews(const QWidget *root)
{
    QList<QAbstractItemView *> views;
    const QList<QAbstractItemView *> all = root->findChildren<QAbstractItemView *>();
    for (QAbstractItemView *view : all) {
        QHeaderView *header = horizontalHeaderOf(view);
        if (header && !header->isHidden() && view != header)
            views << view;
    }
    return views;
}

bool isSortable(const QAbstractItemView *view)
{
    if (auto *table = qobject_cast<const QTableView *>(view))
        return table->isSortingEnabled();
    if (auto *tree = qobject_cast<const QTreeView *>(view))
        return tree->isSortingEnabled();
    return false;
}

void sortBy(QAbstractItemView *view, int section, Qt::SortOrder order)
{
    if (auto *table = qobject_cast<QTableView *>(view))
        table->sortByColumn(section, order);
    else if (auto *tree = qobject_cast<QTreeView *>(view))
        tree->sortByColumn(section, order);
}

} // namespace

QString ConsoleSettings::viewHeaderKey(const QWidget *root, const QWidget *view)
{
    // Named ancestors (the pages are named per area), and the view itself by
    // name or, unnamed, by its place among its parent's views of its class.
    QStringList path;
    if (view->objectName().isEmpty()) {
        int index = 0;
        if (const QObject *parent = view->parent()) {
            for (const QObject *sibling : parent->children()) {
                if (sibling == view)
                    break;
                if (sibling->metaObject() == view->metaObject())
                    ++index;
            }
        }
        path << QString::fromLatin1(view->metaObject()->className()) + QLatin1Char('_') +
                    QString::number(index);
    } else {
        path << view->objectName();
    }
    for (const QWidget *w = view->parentWidget(); w && w != root; w = w->parentWidget()) {
        if (!w->objectName().isEmpty() && !w->objectName().startsWith(QLatin1String("qt_")))
            path.prepend(w->objectName());
    }
    return QStringLiteral("headers/") + path.join(QLatin1Char('.'));
}

// "widths;sort column;order", e.g. "120,300,88;1;1": readable in the INI
// file, and only what the person chose (the code's resize modes stay).
void ConsoleSettings::saveViewHeaders(const QWidget *root)
{
    auto settings = open();
    const QList<QAbstractItemView *> views = headedViews(root);
    for (QAbstractItemView *view : views) {
        const QHeaderView *header = horizontalHeaderOf(view);
        QStringList widths;
        for (int i = 0; i < header->count(); ++i)
            widths << QString::number(header->sectionSize(i));
        const QString state = widths.join(QLatin1Char(',')) + QLatin1Char(';') +
                              QString::number(isSortable(view) ? header->sortIndicatorSection() : -1) +
                              QLatin1Char(';') + QString::number(int(header->sortIndicatorOrder()));
        settings->setValue(viewHeaderKey(root, view), state);
    }
}

void ConsoleSettings::restoreViewHeaders(QWidget *root)
{
    auto settings = open();
    const QList<QAbstractItemView *> views = headedViews(root);
    for (QAbstractItemView *view : views) {
        const QStringList parts =
            settings->value(viewHeaderKey(root, view)).toString().split(QLatin1Char(';'));
        QHeaderView *header = horizontalHeaderOf(view);
        if (parts.size() != 3)
            continue;
        const QStringList widths = parts.at(0).split(QLatin1Char(','));
        if (widths.size() != header->count())
            continue; // the view has other columns now
        // Widths only where the person can resize (stretched and fitted
        // columns keep what the code gives them); never the last one when it
        // stretches.
        for (int i = 0; i < header->count(); ++i) {
            bool ok = false;
            const int width = widths.at(i).toInt(&ok);
            const bool stretchedLast = header->stretchLastSection() && i == header->count() - 1;
            if (ok && width > 0 && width < 10000 && !stretchedLast &&
                header->sectionResizeMode(i) == QHeaderView::Interactive)
                header->resizeSection(i, width);
        }
        bool ok = false;
        const int section = parts.at(1).toInt(&ok);
        const int order = parts.at(2).toInt();
        if (ok && isSortable(view) && section >= 0 && section < header->count() && (order == 0 || order == 1))
            sortBy(view, section, Qt::SortOrder(order));
    }
}

QString ConsoleSettings::language()
{
    return value(languageKey()).toString();
}

void ConsoleSettings::setLanguage(const QString &code)
{
    if (code.isEmpty())
        open()->remove(languageKey());
    else
        setValue(languageKey(), code);
}

} // namespace mailroute
