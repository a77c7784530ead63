// The DNS server MailRoute asks when one is configured (MAILROUTE_NAMESERVER,
// RelayEngine::Options::nameserver): an IP address with an optional port,
// "192.0.2.53", "127.0.0.1:5353", "[2001:db8::53]:5353" or a bare
// "2001:db8::53" (port 53). A host name is refused: it would need a name
// server to find the name server. Pure; safe from any thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QHostAddress>
#include <QString>
#include <QStringView>

namespace mailroute {

struct NameServer
{
    QHostAddress address;
    quint16 port = 53;

    // "HOST[:PORT]"; an empty text is refused too (callers treat empty as
    // "the system's resolver" before asking).
    static Result<NameServer> parse(QStringView text);
    // "192.0.2.53:53", "[2001:db8::53]:5353"
    QString toString() const;
    // libunbound's forwarder syntax: "192.0.2.53@53"
    QByteArray toUnbound() const;
};

} // namespace mailroute
