// Settings & Activation ▸ Mail authentication (issue 10 item 6): the DKIM keys
// per domain (selector, algorithm, state) with the record to publish and a
// Copy button; Generate (domain, selector, algorithm), Rotate, Remove (asks
// first). Same operations as mailroutectl dkim, through DkimKeyring; the keys
// go to the draft and sign from the next push. Main (GUI) thread, on the
// window's ConfigStore.
#pragma once

#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace mailroute {

class ConfigStore;

class DkimKeysPanel final : public QGroupBox
{
    Q_OBJECT
public:
    enum Column { DomainColumn, SelectorColumn, AlgorithmColumn, StateColumn, RecordColumn };

    explicit DkimKeysPanel(ConfigStore *store, QWidget *parent = nullptr);

    void reload();

    QTreeWidget *keyList() const { return m_keys; }
    QLineEdit *domainEdit() const { return m_domain; }
    QLineEdit *selectorEdit() const { return m_selector; }
    QComboBox *algorithmCombo() const { return m_algorithm; }
    QPushButton *generateButton() const { return m_generate; }
    QPushButton *rotateButton() const { return m_rotate; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *copyButton() const { return m_copy; }
    QLabel *message() const { return m_message; }
    // The selected key's record line ("NAME<TAB>VALUE"), empty without one.
    QString selectedRecord() const;

signals:
    void changed();

private:
    void generate();
    void rotate();
    void remove();
    void copyRecord();
    void updateButtons();
    void showMessage(const QString &text, bool error);

    ConfigStore *m_store;
    QTreeWidget *m_keys;
    QLineEdit *m_domain;
    QLineEdit *m_selector;
    QComboBox *m_algorithm;
    QPushButton *m_generate;
    QPushButton *m_rotate;
    QPushButton *m_remove;
    QPushButton *m_copy;
    QLabel *m_message;
};

} // namespace mailroute
