// Item flags shared by the mapping tables (domains, users): every cell
// selectable and editable in place, the source cell also checkable.
// Main (GUI) thread, like the models that use it.
#pragma once

#include <QAbstractItemModel>

namespace mailroute {

inline Qt::ItemFlags mappingItemFlags(const QModelIndex &index, int sourceColumn)
{
    using Check = QAbstractItemModel::CheckIndexOption;
    if (!index.model() || !index.model()->checkIndex(index, Check::IndexIsValid | Check::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
    if (index.column() == sourceColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

} // namespace mailroute
