#include "ui/themecolours.h"

#include <algorithm>
#include <cmath>

namespace mailroute::theme {

namespace {

double channel(int value)
{
    const double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

QColor blend(const QColor &a, const QColor &b, double amountOfB)
{
    const auto mix = [amountOfB](int x, int y) {
        return int(std::lround(x * (1 - amountOfB) + y * amountOfB));
    };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

} // namespace

double relativeLuminance(const QColor &colour)
{
    const QColor c = colour.toRgb();
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor toneHue(Tone tone, const QPalette &palette)
{
    switch (tone) {
    case Tone::Info: return palette.color(QPalette::Highlight);
    case Tone::Good: return QColor(0x2e, 0x7d, 0x32);
    case Tone::Warning: return QColor(0xb2, 0x6a, 0x00);
    case Tone::Bad: return QColor(0xc6, 0x28, 0x28);
    }
    return palette.color(QPalette::Text);
}

QColor toneText(Tone tone, const QColor &background, const QPalette &palette)
{
    // Toward white on a dark background, toward black on a light one, in
    // small steps so the hue stays recognisable; bounded.
    const bool dark = relativeLuminance(background) < 0.18;
    const QColor target = dark ? QColor(Qt::white) : QColor(Qt::black);
    QColor c = toneHue(tone, palette);
    for (int step = 0; step < 20 && contrastRatio(c, background) < 4.5; ++step)
        c = blend(c, target, 0.12);
    if (contrastRatio(c, background) < 4.5)
        return target;
    return c;
}

QColor toneBackground(Tone tone, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const bool dark = relativeLuminance(base) < 0.18;
    // A pale tint on light themes, a deep one on dark themes; the palette's
    // Text stays readable on both (checked by tst_themecolours).
    return blend(base, toneHue(tone, palette), dark ? 0.28 : 0.18);
}

QPalette toneLabelPalette(Tone tone, const QPalette &palette)
{
    QPalette pal = palette;
    for (const auto group : {QPalette::Active, QPalette::Inactive})
        pal.setColor(group, QPalette::WindowText,
                     toneText(tone, palette.color(group, QPalette::Window), palette));
    return pal;
}

} // namespace mailroute::theme
