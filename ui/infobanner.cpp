#include "ui/infobanner.h"

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
    m_close->setToolTip(tr("Dismiss"));
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
    // Tinted from the palette so it stays readable in dark themes too.
    QColor tint = palette().color(QPalette::Highlight);
    switch (kind) {
    case Kind::Info: break;
    case Kind::Success: tint = QColor(0x2e, 0x7d, 0x32); break;
    case Kind::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(0xed, 0x8b, 0x00);
        break;
    case Kind::Error:
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(0xc6, 0x28, 0x28);
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const auto mix = [](int a, int b) { return (a * 5 + b) / 6; };
    pal.setColor(QPalette::Window, QColor(mix(base.red(), tint.red()), mix(base.green(), tint.green()),
                                          mix(base.blue(), tint.blue())));
    setPalette(pal);
    show();
}

QString InfoBanner::text() const
{
    return m_text->text();
}

} // namespace mailroute
