#include "ui/importpreviewmodel.h"
#include "ui/themecolours.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QHeaderView>
#include <QTableView>

namespace mailroute {

ImportPreviewModel::ImportPreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

void ImportPreviewModel::setRows(QList<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QString ImportPreviewModel::changeText(Change change)
{
    switch (change) {
    case Change::New: return tr("New");
    case Change::Changed: return tr("Changed");
    case Change::Removed: return tr("Removed");
    }
    return {};
}

int ImportPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ImportPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImportPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case ChangeColumn: return changeText(r.change);
        case SourceColumn: return r.source;
        case CurrentTargetColumn: return r.currentTarget;
        case NewTargetColumn: return r.newTarget;
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == ChangeColumn) {
        // Readable on the view's Base colour in light and dark themes.
        const QPalette pal = QGuiApplication::palette();
        const QColor base = pal.color(QPalette::Base);
        switch (r.change) {
        case Change::New: return QBrush(theme::toneText(Tone::Good, base, pal));
        case Change::Changed: return QBrush(theme::toneText(Tone::Warning, base, pal));
        case Change::Removed: return QBrush(theme::toneText(Tone::Bad, base, pal));
        }
    }
    return {};
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ChangeColumn: return tr("Change");
    case SourceColumn: return tr("Source");
    case CurrentTargetColumn: return tr("Current target");
    case NewTargetColumn: return tr("New target");
    default: return {};
    }
}

void showPreviewIn(QTableView *table, ImportPreviewModel *model)
{
    table->setModel(model);
    table->verticalHeader()->hide();
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(ImportPreviewModel::ChangeColumn,
                                                    QHeaderView::ResizeToContents);
}

} // namespace mailroute
