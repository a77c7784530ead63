#include "ui/emptystateoverlay.h"

#include <QAbstractItemView>
#include <QEvent>

namespace mailroute {

EmptyStateOverlay::EmptyStateOverlay(QAbstractItemView *view, const QString &text)
    : QLabel(text, view->viewport()), m_view(view), m_model(view->model())
{
    setObjectName(QStringLiteral("emptyState"));
    setWordWrap(true);
    setAlignment(Qt::AlignCenter);
    setTextFormat(Qt::PlainText);
    setAttribute(Qt::WA_TransparentForMouseEvents); // drops and clicks go to the view
    setForegroundRole(QPalette::PlaceholderText);
    view->viewport()->installEventFilter(this);
    if (m_model) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(m_model, signal, this, &EmptyStateOverlay::refresh);
        connect(m_model, &QAbstractItemModel::modelReset, this, &EmptyStateOverlay::refresh);
        connect(m_model, &QAbstractItemModel::layoutChanged, this, &EmptyStateOverlay::refresh);
    }
    refresh();
}

void EmptyStateOverlay::setHint(const QString &text)
{
    setText(text);
    place();
}

void EmptyStateOverlay::refresh()
{
    const QAbstractItemModel *model = m_model.data();
    setVisible(model ? model->rowCount() == 0 : false);
    place();
}

void EmptyStateOverlay::place()
{
    const QRect area = m_view->viewport()->rect().adjusted(16, 8, -16, -8);
    const int width = std::min(area.width(), fontMetrics().horizontalAdvance(QLatin1Char('x')) * 70);
    const int height = std::min(area.height(), heightForWidth(width));
    setGeometry(QRect(area.left() + (area.width() - width) / 2, area.top() + (area.height() - height) / 2,
                      width, height));
}

bool EmptyStateOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        place();
    return QLabel::eventFilter(watched, event);
}

} // namespace mailroute
