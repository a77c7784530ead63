// The one date/time format of the console (issue 12): the locale's short date
// with a four-digit year and its time of day with seconds, in local time, on
// every page (logs, queue, holds, action log). Locale-aware: "12/6/2026
// 2:51:09 PM" in en_US, "06.12.2026 14:51:09" in de_DE. Main (GUI) thread.
#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace mailroute::DisplayTime {

// `time` in any time spec; shown in local time. Invalid: an empty string.
QString dateTime(const QDateTime &time, const QLocale &locale = QLocale());
// Only the time of day, with seconds (e.g. a retry later today).
QString timeOfDay(const QDateTime &time, const QLocale &locale = QLocale());
// The format strings behind them, for column widths and tests.
QString dateTimeFormat(const QLocale &locale = QLocale());
QString timeFormat(const QLocale &locale = QLocale());

} // namespace mailroute::DisplayTime
