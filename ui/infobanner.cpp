#include "ui/infobanner.h"

#include "ui/themecolours.h"

#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace mailroute {

InfoBanner::InfoBanner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("infoBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setObjectName(QStringLiteral("bannerDismissButton"));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss"));
    m_close->setAccessibleDescription(tr("Hides this message."));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void InfoBanner::showMessage(const QString &text, Kind kind)
{
    m_kind = kind;
    m_text->setText(text);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    switch (kind) {
    case Kind::Info:
    case Kind::Success: break;
    case Kind::Warning: icon = QStyle::SP_MessageBoxWarning; break;
    case Kind::Error: icon = QStyle::SP_MessageBoxCritical; break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    applyColours();
    show();
}

void InfoBanner::applyColours()
{
    // Tinted from the palette so it stays readable in dark themes too.
    Tone tone = Tone::Info;
    switch (m_kind) {
    case Kind::Info: break;
    case Kind::Success: tone = Tone::Good; break;
    case Kind::Warning: tone = Tone::Warning; break;
    case Kind::Error: tone = Tone::Bad; break;
    }
    // From the parent's palette (the theme in use), not from the tint set last time.
    QPalette pal = parentWidget() ? parentWidget()->palette() : QGuiApplication::palette();
    const QColor background = theme::toneBackground(tone, pal);
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, pal.color(QPalette::Text));
    m_applyingColours = true;
    setPalette(pal);
    m_applyingColours = false;
}

void InfoBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) &&
        !m_applyingColours)
        applyColours();
}

QString InfoBanner::text() const
{
    return m_text->text();
}

} // namespace mailroute
