// RFC 5322 §3.3 date-time formatting. Hand-written rather than through
// QLocale so that the day and month names never follow the user's locale.
#include "relaycore/message/messagedate.h"

#include <cstdio>
#include <cstdlib>

namespace mailroute {

namespace {

constexpr const char *kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

} // namespace

QByteArray formatRfc5322Date(const QDateTime &when)
{
    const QDateTime t = when.isValid() ? when : QDateTime::currentDateTime();
    const QDate date = t.date();
    const QTime time = t.time();
    const int offsetMinutes = t.offsetFromUtc() / 60;
    const int absOffset = std::abs(offsetMinutes);
    char buf[64];
    // RFC 5322 §3.3: day "," date time zone, zone = ("+" / "-") 4DIGIT.
    const int len = std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
                                  kDays[date.dayOfWeek() - 1], date.day(), kMonths[date.month() - 1],
                                  date.year(), time.hour(), time.minute(), time.second(),
                                  offsetMinutes < 0 ? '-' : '+', absOffset / 60, absOffset % 60);
    return QByteArray(buf, len);
}

} // namespace mailroute
