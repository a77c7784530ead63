// Item delegate for the mapping tables' in-place edit: the editor checks the
// text with the engine's parser as the user types (red frame and the reason
// as tool tip), and an invalid value is never handed to the model: Return,
// Tab or leaving the editor keeps it open with the reason (invalidInput and a
// tool tip at the editor) so it can be corrected; Esc cancels.
// Main (GUI) thread.
#pragma once

#include <QStyledItemDelegate>

namespace mailroute {

class MappingDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum class Kind { Domain, Mailbox };

    explicit MappingDelegate(Kind kind, QObject *parent = nullptr);

    // The reason `text` is refused, or an empty string when it is valid.
    static QString problem(Kind kind, const QString &text);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    // A refresh of the row while the user types (a page read by the pager)
    // leaves the typed text alone.
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    bool eventFilter(QObject *object, QEvent *event) override;

signals:
    void invalidInput(const QString &reason) const;

private:
    Kind m_kind;
};

} // namespace mailroute
