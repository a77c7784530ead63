// Colours of the Overview's charts (issue 14), derived from the palette in
// use like ui/themecolours.h: each series keeps its hue and is lightened or
// darkened until it reaches a contrast of 3 against the chart's background
// (WCAG 1.4.11, graphical objects), so bars stay visible under a light and a
// dark theme. Statuses reuse the tones of the rest of the console (delivered
// good, deferred warning, bounced bad). Main (GUI) thread.
#pragma once

#include <QColor>
#include <QPalette>

namespace mailroute {

enum class ChartColour {
    Relay,
    Inbound,
    Outbound,
    Delivered,
    Deferred,
    Bounced,
    Refused,
    UserRules,
    DomainRule,
    Queue,
    Domains,
    NoRule,
};

namespace ChartColours {

// The series' fill on `background` (the chart's Base).
QColor fill(ChartColour colour, const QPalette &palette);
// The same fill with a contrast of at least 4.5 on `background`: text in the
// series' colour (values next to a bar).
QColor text(ChartColour colour, const QPalette &palette);

} // namespace ChartColours
} // namespace mailroute
