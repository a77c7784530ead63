// The relay's own notices about a queued message (docs/behaviour.md "Bounces",
// "Retries and holds"), built from plain values the delivery scheduler holds:
// the bounce for recipients that failed for good, the one delay notice, and
// the administrator's hold warning. Pure, any thread; DsnBuilder writes the
// RFC 3464 report, the caller spools the result with a null envelope sender.
#pragma once

#include "relaycore/message/dsnbuilder.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace mailroute {

// The message a notice is about.
struct DsnOriginal
{
    QString sender;  // its envelope sender: the notice's recipient
    QString queueId; // its queue id
    QDateTime arrival;
    QByteArray message; // its content (only the header section is quoted)
};

// One recipient the notice reports on, as the queue has it.
struct DsnFailure
{
    QString address;         // final recipient
    QString originalAddress; // as the client gave it
    QString lastError;       // the reply or the relay's own reason ("5.1.2 domain ... not found")
    QDateTime retryUntil;    // delay notices: the end of its retry schedule
};

class DsnFactory final
{
public:
    // RFC 3464 Action: failed for `failures`; `nextHop` ("mx.x[192.0.2.1]:25")
    // names the Remote-MTA. A transient status becomes permanent (5.x.y).
    static Result<DsnMessage> bounce(const QString &reportingMta, const DsnOriginal &original,
                                     const QList<DsnFailure> &failures, const QString &nextHop,
                                     const QDateTime &now);
    // RFC 3464 Action: delayed for `waiting` (retry.delay_warning), as
    // Postfix's delay_warning_time.
    static Result<DsnMessage> delayNotice(const QString &reportingMta, const DsnOriginal &original,
                                          const QList<DsnFailure> &waiting, const QDateTime &now);
    // The plain-text notice to relay.postmaster that @domain has been on hold
    // longer than retry.hold_max (the admin is warned, never the senders).
    static QByteArray holdWarning(const QString &hostName, const QString &postmaster, const QString &queueId,
                                  const QString &domain, const QDateTime &since, int queued,
                                  const QDateTime &now);
};

} // namespace mailroute
