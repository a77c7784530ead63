// The TLS section's view of tls.certificate: subject, issuer, validity and
// expiry of the certificate the path names (warning colour when expired or
// expiring within 30 days), and "Generate Self-Signed Certificate…" for a
// first test, which asks for the host name and runs SelfSignedCertificate.
// GUI thread.
#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QPushButton;

namespace mailroute {

class CertificatePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificatePanel)

public:
    explicit CertificatePanel(QWidget *parent = nullptr);
    ~CertificatePanel() override;

    // Shows the first certificate of the PEM file at `path` (empty: none set).
    void showCertificate(const QString &path);
    // Where generated files go, and the host name the dialog proposes.
    void setGenerationDefaults(const QString &directory, const QString &hostName);
    // Generates for `hostName` without asking; emits generated() on success,
    // shows the reason otherwise.
    bool generate(const QString &hostName);

    enum class Expiry { None, Valid, ExpiresSoon, Expired };
    Expiry expiry() const { return m_expiry; }
    QLabel *subjectLabel() const { return m_subject; }
    QLabel *issuerLabel() const { return m_issuer; }
    QLabel *validityLabel() const { return m_validity; }
    QLabel *expiryLabel() const { return m_expiryText; }
    QPushButton *generateButton() const { return m_generate; }

    static constexpr int kWarningDays = 30;

signals:
    void generated(const QString &certificatePath, const QString &keyPath);

private:
    void askAndGenerate();
    void setExpiryText(const QString &text, Expiry expiry);

    QLabel *m_subject;
    QLabel *m_issuer;
    QLabel *m_validity;
    QLabel *m_expiryText;
    QPushButton *m_generate;
    QString m_directory;
    QString m_hostName;
    Expiry m_expiry = Expiry::None;
};

} // namespace mailroute
