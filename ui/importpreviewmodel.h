// What a CSV upload would change in the area's user list, row by row: new,
// changed and removed mappings (the first few hundred of each kind; the
// dialog shows the full counts). Main (GUI) thread; filled with values
// computed on the store's worker thread.
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

class QTableView;

namespace mailroute {

class ImportPreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Change { New, Changed, Removed };
    struct Row
    {
        Change change = Change::New;
        QString source;
        QString currentTarget; // empty for New
        QString newTarget;     // empty for Removed
    };
    enum Column { ChangeColumn, SourceColumn, CurrentTargetColumn, NewTargetColumn, ColumnCount };

    explicit ImportPreviewModel(QObject *parent = nullptr);

    void setRows(QList<Row> rows);
    const QList<Row> &rows() const { return m_rows; }
    static QString changeText(Change change);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Row> m_rows;
};

// `table` shows `model` as the upload and wave dialogs do: read-only whole
// rows, alternating colours, no row numbers, the columns stretched but for
// the change column.
void showPreviewIn(QTableView *table, ImportPreviewModel *model);

} // namespace mailroute
