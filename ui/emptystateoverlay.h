// A centred hint over an empty table ("No domain mappings yet. Use Domains ▸
// Create Domain Mapping…"): what a new user should do first, where the rows
// will appear. Shown while the view's model has no rows. Main (GUI) thread.
#pragma once

#include <QLabel>
#include <QPointer>

class QAbstractItemModel;
class QAbstractItemView;

namespace mailroute {

class EmptyStateOverlay final : public QLabel
{
    Q_OBJECT
public:
    // Follows view->model() as set now; call again after setModel().
    EmptyStateOverlay(QAbstractItemView *view, const QString &text);

    void setHint(const QString &text);
    void refresh();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QAbstractItemView *m_view;
    QPointer<QAbstractItemModel> m_model;
};

} // namespace mailroute
