#include "ui/mappingdelegate.h"
#include "ui/themecolours.h"

#include "relaycore/routing/mailaddress.h"

#include <QLineEdit>

namespace mailroute {

MappingDelegate::MappingDelegate(Kind kind, QObject *parent) : QStyledItemDelegate(parent), m_kind(kind) {}

QString MappingDelegate::problem(Kind kind, const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return kind == Kind::Domain ? tr("Enter a domain, for example @example.com.")
                                    : tr("Enter an address, for example user@example.com.");
    if (kind == Kind::Domain) {
        const Result<QString> d = normalizeDomain(t);
        return d ? QString() : d.error;
    }
    const Result<MailAddress> a = parseMailbox(t);
    return a ? QString() : a.error;
}

QWidget *MappingDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                       const QModelIndex &index) const
{
    Q_UNUSED(option)
    Q_UNUSED(index)
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QStringLiteral("cellEditor"));
    edit->setFrame(false);
    const Kind kind = m_kind;
    connect(edit, &QLineEdit::textChanged, edit, [edit, kind](const QString &text) {
        const QString why = problem(kind, text);
        edit->setToolTip(why);
        // A red frame rather than a palette change: readable in every theme.
        edit->setStyleSheet(
            why.isEmpty()
                ? QString()
                : QStringLiteral("QLineEdit { border: 2px solid %1; }")
                      .arg(theme::toneText(Tone::Bad, edit->palette().color(QPalette::Base), edit->palette())
                               .name()));
    });
    return edit;
}

void MappingDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *edit = qobject_cast<QLineEdit *>(editor);
    if (!edit)
        return;
    const QString why = problem(m_kind, edit->text());
    if (!why.isEmpty()) {
        emit invalidInput(tr("%1 was not saved: %2").arg(edit->text().trimmed(), why));
        return;
    }
    model->setData(index, edit->text().trimmed(), Qt::EditRole);
}

} // namespace mailroute
