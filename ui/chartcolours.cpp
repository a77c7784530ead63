#include "ui/chartcolours.h"

#include "ui/themecolours.h"

#include <cmath>

namespace mailroute::ChartColours {

namespace {

QColor hueOf(ChartColour colour, const QPalette &palette)
{
    switch (colour) {
    case ChartColour::Inbound: return palette.color(QPalette::Highlight);
    case ChartColour::Relay: return QColor(0x00, 0x83, 0x8f);    // teal
    case ChartColour::Outbound: return QColor(0xd8, 0x6b, 0x00); // orange
    case ChartColour::Delivered: return theme::toneHue(Tone::Good, palette);
    case ChartColour::Deferred: return theme::toneHue(Tone::Warning, palette);
    case ChartColour::Bounced: return theme::toneHue(Tone::Bad, palette);
    case ChartColour::Refused: return QColor(0x7b, 0x1f, 0xa2); // purple
    case ChartColour::UserRules: return palette.color(QPalette::Highlight);
    case ChartColour::DomainRule: return QColor(0x8d, 0x6e, 0x63); // brown-grey
    case ChartColour::Queue: return QColor(0x00, 0x83, 0x8f);
    case ChartColour::Domains: return palette.color(QPalette::Highlight);
    case ChartColour::NoRule: return QColor(0x75, 0x75, 0x75);
    }
    return palette.color(QPalette::Text);
}

QColor towards(QColor c, const QColor &background, double wanted)
{
    const bool dark = theme::relativeLuminance(background) < 0.18;
    const QColor target = dark ? QColor(Qt::white) : QColor(Qt::black);
    for (int step = 0; step < 24 && theme::contrastRatio(c, background) < wanted; ++step) {
        const auto mix = [](int x, int y) { return int(std::lround(x * 0.88 + y * 0.12)); };
        c = QColor(mix(c.red(), target.red()), mix(c.green(), target.green()), mix(c.blue(), target.blue()));
    }
    return theme::contrastRatio(c, background) < wanted ? target : c;
}

} // namespace

QColor fill(ChartColour colour, const QPalette &palette)
{
    return towards(hueOf(colour, palette), palette.color(QPalette::Base), 3.0);
}

QColor text(ChartColour colour, const QPalette &palette)
{
    return towards(hueOf(colour, palette), palette.color(QPalette::Base), 4.5);
}

} // namespace mailroute::ChartColours
