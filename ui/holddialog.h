// Queue ▸ Hold…: asks for the domain to hold and, optionally, when the hold
// ends by itself; says what is wrong as you type. GUI thread.
#pragma once

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace mailroute {

class HoldDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit HoldDialog(QWidget *parent = nullptr);

    QString domain() const;  // normalised; empty while invalid
    QDateTime until() const; // UTC; invalid: until released
    QLineEdit *domainEdit() const { return m_domain; }
    QCheckBox *untilCheck() const { return m_untilCheck; }
    QDateTimeEdit *untilEdit() const { return m_until; }

private:
    void validate();

    QLineEdit *m_domain;
    QCheckBox *m_untilCheck;
    QDateTimeEdit *m_until;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
};

} // namespace mailroute
