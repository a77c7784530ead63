#include "ui/mappingdelegate.h"
#include "ui/themecolours.h"

#include "relaycore/routing/mailaddress.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QToolTip>
#include <QValidator>

namespace mailroute {

namespace {

// Invalid text is "intermediate", never "invalid": every keystroke is
// allowed, but the item view's delegate neither commits nor closes an
// editor whose input is not acceptable (Return, Tab).
class MappingValidator final : public QValidator
{
public:
    MappingValidator(MappingDelegate::Kind kind, QObject *parent) : QValidator(parent), m_kind(kind) {}
    State validate(QString &input, int &pos) const override
    {
        Q_UNUSED(pos)
        return MappingDelegate::problem(m_kind, input).isEmpty() ? Acceptable : Intermediate;
    }

private:
    MappingDelegate::Kind m_kind;
};

} // namespace

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
    edit->setValidator(new MappingValidator(m_kind, edit));
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

void MappingDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *edit = qobject_cast<QLineEdit *>(editor); edit && edit->isModified())
        return;
    QStyledItemDelegate::setEditorData(editor, index);
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

bool MappingDelegate::eventFilter(QObject *object, QEvent *event)
{
    auto *edit = qobject_cast<QLineEdit *>(object);
    if (edit && edit->objectName() == QLatin1String("cellEditor")) {
        bool leaving = false;
        if (event->type() == QEvent::KeyPress) {
            const int key = static_cast<QKeyEvent *>(event)->key();
            leaving =
                key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Tab || key == Qt::Key_Backtab;
        } else if (event->type() == QEvent::FocusOut) {
            // Not when the focus only moved into the editor's own pop-ups.
            QWidget *now = QApplication::focusWidget();
            leaving = !now || (now != edit && !edit->isAncestorOf(now));
        }
        const QString why = leaving ? problem(m_kind, edit->text()) : QString();
        if (!why.isEmpty()) {
            // Refused: the editor stays open with the reason, for correction.
            QString reason = why;
            if (reason.endsWith(QLatin1Char('.')))
                reason.chop(1);
            emit invalidInput(tr("%1 is not valid: %2. Correct it, or press Esc to cancel.")
                                  .arg(edit->text().trimmed(), reason));
            QToolTip::showText(edit->mapToGlobal(QPoint(0, edit->height())), why, edit);
            if (event->type() == QEvent::FocusOut)
                return true; // the delegate would close it without a word
        }
    }
    return QStyledItemDelegate::eventFilter(object, event);
}

} // namespace mailroute
