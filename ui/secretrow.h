// One secret of the OS keychain on the settings page (the smart host password,
// the TLS key passphrase): whether it is stored, a hidden field to store a new
// value, and Clear. The stored value never comes back into the window. The
// keychain calls block briefly in a local event loop. GUI thread.
#pragma once

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mailroute {

class SecretStore;

class SecretRow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretRow)

public:
    SecretRow(std::shared_ptr<SecretStore> store, QString name, QWidget *parent = nullptr);
    ~SecretRow() override;

    // Asks the keychain whether the secret is there and shows it.
    void refresh();
    // What the buttons do; false (and the reason shown) on failure.
    bool storeEntered();
    bool clearStored();

    QLineEdit *input() const { return m_input; }
    QPushButton *storeButton() const { return m_store; }
    QPushButton *clearButton() const { return m_clear; }
    QLabel *statusLabel() const { return m_status; }

signals:
    void changed();

private:
    void showStatus(const QString &text, bool error);

    std::shared_ptr<SecretStore> m_secrets;
    QString m_name;
    QLineEdit *m_input;
    QPushButton *m_store;
    QPushButton *m_clear;
    QLabel *m_status;
};

} // namespace mailroute
