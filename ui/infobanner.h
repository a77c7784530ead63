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

protected:
    // A theme switched while the console runs: the tint follows it.
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Info;
    bool m_applyingColours = false;
};

} // namespace mailroute
