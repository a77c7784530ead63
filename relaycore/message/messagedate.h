// RFC 5322 §3.3 date-time for the header fields the relay writes (Date,
// Received, the DSN's Arrival-Date and Last-Attempt-Date). Pure, any thread.
#pragma once

#include <QByteArray>
#include <QDateTime>

namespace mailroute {

// "Thu, 13 Feb 2025 23:32:54 +0100": English names whatever the locale,
// the numeric offset of `when` itself (a UTC time is written "+0000").
// An invalid `when` is formatted as the current time.
QByteArray formatRfc5322Date(const QDateTime &when);

} // namespace mailroute
