// The messages spool_crash_helper stores and tst_spool checks after the kill:
// everything follows from a tag, so the test knows what each acknowledged
// queue id must hold without the child telling it more than "ACK id tag".
#pragma once

#include "relaycore/queue/queuedmessage.h"

#include <QByteArray>
#include <QString>

namespace mailroute::test {

inline int crashRecipientCount(int index)
{
    return 1 + index % 3;
}

inline QByteArray crashBody(const QString &tag, int index)
{
    QByteArray body = "Received: from client.example ([192.0.2.7])\r\nSubject: crash test " + tag.toLatin1() +
                      "\r\nX-Tag: " + tag.toLatin1() + "\r\n\r\n";
    const int lines = 20 + index % 40;
    for (int i = 0; i < lines; ++i)
        body +=
            "line " + QByteArray::number(i) + " of " + tag.toLatin1() + " ...........................\r\n";
    return body;
}

inline IncomingMessage crashMessage(const QString &tag, int index)
{
    IncomingMessage in;
    in.meta.sender = QStringLiteral("sender@warmsushi.example");
    in.meta.clientAddress = QStringLiteral("192.0.2.7");
    in.meta.heloName = tag;
    in.meta.generation = 1;
    for (int r = 0; r < crashRecipientCount(index); ++r) {
        QueuedRecipient rcpt;
        rcpt.address = QStringLiteral("user%1@drypizza.example").arg(r);
        rcpt.originalAddress = QStringLiteral("user%1@warmsushi.example").arg(r);
        in.meta.recipients.append(rcpt);
    }
    in.data = crashBody(tag, index);
    return in;
}

} // namespace mailroute::test
