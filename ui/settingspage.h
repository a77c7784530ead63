// Relay settings and activation: every setting of SettingsSchema in groups
// (listener, outbound clients, delivery and retries, per-domain routes,
// rewriting and limits, TLS with the loaded certificate), the smart host
// password and TLS key passphrase in the OS keychain (never in the draft), each checked as the user types
// with the same validation the store applies, with the reason shown under the field; and the Activate / Stop
// mail routing buttons. Saved settings go to the draft and reach the relay with the next push. Main (GUI)
// thread.
#pragma once

#include "relaycore/engine/relaystatus.h"
#include "ui/relayrunner.h"

#include <QMap>
#include <QStringList>
#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace mailroute {

class CertificatePanel;
class ConfigStore;
class DkimKeysPanel;
class InfoBanner;
class SecretRow;
class SecretStore;

class SettingsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPage(ConfigStore *store, QWidget *parent = nullptr);
    ~SettingsPage() override;

    // Re-reads the saved values (discarding unsaved edits of unchanged fields).
    void reload();
    void setRelayState(RelayRunner::Mode mode, const RelayStatus &status, const QString &spoolDirectory);

    QLineEdit *field(const QString &key) const;
    QCheckBox *checkField(const QString &key) const;
    // The header rewriting settings (rewrite.recipient_headers, rewrite.sender_headers).
    QComboBox *choiceField(const QString &key) const;
    QLabel *fieldMessage(const QString &key) const;
    QPushButton *saveButton() const { return m_save; }
    QPushButton *activateButton() const { return m_activate; }
    QPushButton *stopButton() const { return m_stop; }
    InfoBanner *banner() const { return m_banner; }
    SecretRow *smarthostPasswordRow() const { return m_passwordRow; }
    SecretRow *keyPassphraseRow() const { return m_passphraseRow; }
    CertificatePanel *certificatePanel() const { return m_certificate; }
    DkimKeysPanel *dkimPanel() const { return m_dkim; }
    bool hasInvalidFields() const;
    bool hasUnsavedChanges() const;
    // The keys whose field differs from the saved value (or is not valid).
    QStringList unsavedKeys() const;
    // Back to the saved values (the Revert button).
    void discardChanges();
    // The field's label ("Listen address and port"), translated; the key when it has none.
    static QString settingLabel(const QString &key);
    // Saves every changed field; returns false (and shows why) if one is invalid.
    bool save();

signals:
    void activateRequested();
    void stopRequested();
    void changed();

private:
    struct Field;
    QWidget *buildActivation();
    QWidget *buildGroup(const QString &title, const QString &intro, const QStringList &keys);
    QWidget *buildRoutes();
    QWidget *buildTls();
    void validateField(const QString &key);
    void updateButtons();
    void reloadRoutes();
    void addRoute();
    void removeRoutes();
    QString currentText(const QString &key) const;

    ConfigStore *m_store;
    InfoBanner *m_banner;
    QMap<QString, Field *> m_fields;
    QLabel *m_relayState = nullptr;
    QLabel *m_relayDetail = nullptr;
    QPushButton *m_activate = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_revert = nullptr;
    QTreeWidget *m_routes = nullptr;
    QLineEdit *m_routeDomain = nullptr;
    QLineEdit *m_routeHop = nullptr;
    QComboBox *m_routeTls = nullptr; // data: "" (delivery.tls_policy), "may", "encrypt", "verify"
    QLabel *m_routeMessage = nullptr;
    QPushButton *m_addRoute = nullptr;
    std::shared_ptr<SecretStore> m_secrets; // the keychain scoped to this database
    SecretRow *m_passwordRow = nullptr;
    SecretRow *m_passphraseRow = nullptr;
    CertificatePanel *m_certificate = nullptr;
    DkimKeysPanel *m_dkim = nullptr;
};

} // namespace mailroute
