// Queue ids, the name a message has in the 250 reply, the logs and
// `mailroutectl queue`. Used by the Spool on the engine thread; not thread-safe.
//
// An id is 15 characters of Crockford base32 (0-9 A-Z without I L O U, so it
// reads back unambiguously over the phone): 9 for the milliseconds since the
// epoch, 2 for a counter within that millisecond, 4 random. Like Postfix's long
// queue ids they sort in the order they were issued. Within a process an id
// never repeats: the time part never goes backwards and a full counter carries
// into it. Across restarts the time has moved on; the spool also seeds the
// generator with its greatest id (observe()), so even a clock set back cannot
// reissue the id of a queued message, and the random part makes a clash with a
// long-gone message's id (which only the logs still name) improbable.
#pragma once

#include <QDateTime>
#include <QString>

namespace mailroute {

class QueueIdGenerator final
{
public:
    static constexpr int kLength = 15;

    QueueIdGenerator() = default;

    QString next(const QDateTime &now);
    // Never issue an id that sorts at or before `queueId` (ignored if malformed).
    void observe(const QString &queueId);

    static bool isWellFormed(const QString &queueId);

private:
    qint64 m_lastMsecs = -1;
    int m_counter = 0;
};

} // namespace mailroute
