// The email a confirmation request becomes (issue 11): from
// MAILER-DAEMON@<relay host name> to relay.postmaster, Auto-Submitted:
// auto-generated (RFC 3834 §5) so that auto-responders stay quiet, plain
// text (base64 when it is not ASCII). Pure, any thread.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace mailroute {

struct ConfirmationMessage
{
    QByteArray data;       // CRLF line ends, ready for the spool
    bool eightBit = false; // never: non-ASCII text is base64-encoded
    QString messageId;     // without the angle brackets

    static ConfirmationMessage build(const QString &hostName, const QString &postmaster,
                                     const QString &subject, const QString &body, const QDateTime &date,
                                     const QString &uniquePart);
};

} // namespace mailroute
