#include "ui/certificatepanel.h"
#include "ui/themecolours.h"

#include "ui/selfsignedcertificate.h"

#include <QFormLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSslCertificate>

namespace mailroute {

namespace {

QString names(const QSslCertificate &cert, bool subject)
{
    const auto info = [&](QSslCertificate::SubjectInfo what) {
        return (subject ? cert.subjectInfo(what) : cert.issuerInfo(what)).join(QStringLiteral(", "));
    };
    QStringList parts;
    for (const auto &[what, prefix] :
         {std::pair{QSslCertificate::CommonName, "CN="}, std::pair{QSslCertificate::Organization, "O="},
          std::pair{QSslCertificate::CountryName, "C="}}) {
        const QString v = info(what);
        if (!v.isEmpty())
            parts << QLatin1String(prefix) + v;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

CertificatePanel::CertificatePanel(QWidget *parent)
    : QWidget(parent), m_subject(new QLabel(this)), m_issuer(new QLabel(this)), m_validity(new QLabel(this)),
      m_expiryText(new QLabel(this)),
      m_generate(new QPushButton(tr("&Generate Self-Signed Certificate…"), this))
{
    setObjectName(QStringLiteral("certificatePanel"));
    m_subject->setObjectName(QStringLiteral("certificateSubject"));
    m_issuer->setObjectName(QStringLiteral("certificateIssuer"));
    m_validity->setObjectName(QStringLiteral("certificateValidity"));
    m_expiryText->setObjectName(QStringLiteral("certificateExpiry"));
    m_generate->setObjectName(QStringLiteral("generateCertificateButton"));
    m_generate->setToolTip(tr("For a first test: a certificate no client will trust, made with openssl, "
                              "written beside the database"));
    for (QLabel *l : {m_subject, m_issuer, m_validity, m_expiryText}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Subject:"), m_subject);
    form->addRow(tr("Issuer:"), m_issuer);
    form->addRow(tr("Valid:"), m_validity);
    form->addRow(tr("Expiry:"), m_expiryText);
    form->addRow(QString(), m_generate);
    connect(m_generate, &QPushButton::clicked, this, &CertificatePanel::askAndGenerate);
    showCertificate({});
}

CertificatePanel::~CertificatePanel() = default;

void CertificatePanel::setExpiryText(const QString &text, Expiry expiry)
{
    m_expiry = expiry;
    m_expiryText->setText(text);
    // The status hue, readable on this palette's background (ui/themecolours.h).
    if (expiry == Expiry::Expired)
        m_expiryText->setPalette(theme::toneLabelPalette(Tone::Bad, palette()));
    else if (expiry == Expiry::ExpiresSoon)
        m_expiryText->setPalette(theme::toneLabelPalette(Tone::Warning, palette()));
    else
        m_expiryText->setPalette(palette());
    QFont f = m_expiryText->font();
    f.setBold(expiry == Expiry::Expired || expiry == Expiry::ExpiresSoon);
    m_expiryText->setFont(f);
}

void CertificatePanel::showCertificate(const QString &path)
{
    m_subject->clear();
    m_issuer->clear();
    m_validity->clear();
    if (path.isEmpty()) {
        setExpiryText(tr("No certificate: STARTTLS is not offered."), Expiry::None);
        return;
    }
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(path, QSsl::Pem);
    if (certs.isEmpty() || certs.first().isNull()) {
        setExpiryText(tr("%1 holds no PEM certificate (or cannot be read).").arg(path), Expiry::Expired);
        return;
    }
    const QSslCertificate &cert = certs.first();
    const QLocale locale;
    m_subject->setText(names(cert, true));
    m_issuer->setText(cert.isSelfSigned() ? tr("%1 (self-signed)").arg(names(cert, false))
                                          : names(cert, false));
    const QDateTime from = cert.effectiveDate().toLocalTime();
    const QDateTime until = cert.expiryDate().toLocalTime();
    m_validity->setText(
        tr("%1 to %2")
            .arg(locale.toString(from, QLocale::ShortFormat), locale.toString(until, QLocale::ShortFormat)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int days = static_cast<int>(now.daysTo(cert.expiryDate()));
    const QString date = locale.toString(until.date(), QLocale::LongFormat);
    if (cert.expiryDate() < now)
        setExpiryText(tr("Expired on %1: renew it. Most senders still use it, but many refuse it.").arg(date),
                      Expiry::Expired);
    else if (days < kWarningDays)
        setExpiryText(tr("Expires in %n day(s), on %1: renew it soon.", nullptr, days).arg(date),
                      Expiry::ExpiresSoon);
    else
        setExpiryText(tr("Valid until %1 (%n day(s) left).", nullptr, days).arg(date), Expiry::Valid);
}

void CertificatePanel::setGenerationDefaults(const QString &directory, const QString &hostName)
{
    m_directory = directory;
    m_hostName = hostName;
}

void CertificatePanel::askAndGenerate()
{
    bool ok = false;
    const QString host =
        QInputDialog::getText(this, tr("Generate Self-Signed Certificate"),
                              tr("Host name the certificate is for (the name clients connect to):"),
                              QLineEdit::Normal, m_hostName, &ok);
    if (ok)
        generate(host);
}

bool CertificatePanel::generate(const QString &hostName)
{
    const Result<GeneratedCertificate> made = SelfSignedCertificate::generate(hostName, m_directory);
    if (!made.ok()) {
        setExpiryText(made.error, Expiry::Expired);
        return false;
    }
    showCertificate(made->certificatePath);
    emit generated(made->certificatePath, made->keyPath);
    return true;
}

} // namespace mailroute
