// Status colours (good, warning, bad) derived from the palette in use, so the
// console stays readable under a light or a dark theme: text colours keep the
// hue of the status but are lightened or darkened until they reach a WCAG
// contrast of 4.5 against the background they are drawn on; tinted
// backgrounds are the palette's Base blended with a little of the hue.
#pragma once

#include <QColor>
#include <QPalette>

namespace mailroute {

enum class Tone { Info, Good, Warning, Bad };

namespace theme {

// WCAG 2.x relative luminance (0 black … 1 white) and contrast ratio (1 … 21).
double relativeLuminance(const QColor &colour);
double contrastRatio(const QColor &a, const QColor &b);

// The reference hue of a tone (Info: the palette's Highlight).
QColor toneHue(Tone tone, const QPalette &palette);
// Text in the tone's hue with a contrast of at least 4.5 against background.
QColor toneText(Tone tone, const QColor &background, const QPalette &palette);
// The palette's Base tinted with the tone: banners, status cells.
QColor toneBackground(Tone tone, const QPalette &palette);
// A palette for a label showing text in a tone on the label's Window colour.
QPalette toneLabelPalette(Tone tone, const QPalette &palette);

} // namespace theme
} // namespace mailroute
