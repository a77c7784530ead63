// Item delegate for the mapping tables' in-place edit: the editor checks the
// text with the engine's parser as the user types (red frame and the reason
// as tool tip), and an invalid value is never handed to the model.
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
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

signals:
    void invalidInput(const QString &reason) const;

private:
    Kind m_kind;
};

} // namespace mailroute
