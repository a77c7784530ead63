// What the console's status bar and `mailroutectl serve` show about a relay.
#pragma once

#include <QString>

namespace mailroute {

struct RelayStatus
{
    bool listening = false;
    QString listenAddress; // "0.0.0.0:25"; empty while stopped
    int sessions = 0;      // open SMTP sessions
    int queued = 0;        // messages with recipients still to deliver
    qint64 generation = 0; // active configuration generation
    QString error;         // why the relay is not listening, if it should be
};

} // namespace mailroute
