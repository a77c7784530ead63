// An inline message strip above a page's content (the outcome of an action,
// a refused edit), instead of a modal box for things that need no decision.
// Main (GUI) thread.
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace mailroute {

class InfoBanner final : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Success, Warning, Error };

    explicit InfoBanner(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind = Kind::Info);
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Info;
};

} // namespace mailroute
