// Test helpers for the readiness checks: a real DNS server (dnsmasq) on
// 127.0.0.1 at a high port serving a small zone under .test, used by the
// relaycore, mailroutectl and console tests and the screenshots. Two dnsmasq
// processes: the main one (TTL 300) forwards longttl.test to a second one
// with TTL 3600, so one name server answers with a low and a high MX TTL. No
// root needed: the code under test is given nameserver() ("127.0.0.1:PORT").
// Each process is stopped by its own PID.
#pragma once

#include "tests/relaycore/delivery/dnsmasqprocess.h"

#include <QHostAddress>
#include <QStringList>

namespace mailroute::testing {

// The zone. The relay is relay.mailroute.test = 192.0.2.25.
//  ready.test      MX 10 relay.mailroute.test, SPF ip4:192.0.2.25 -all      -> all OK
//  byaddress.test  MX 10 mx.byaddress.test (A 192.0.2.25), SPF include: that authorises the relay
//  elsewhere.test  MX 10 mx.elsewhere.test, SPF include:_spf.provider.test ~all (not the relay)
//  longttl.test    MX 10 relay.mailroute.test with TTL 3600, SPF a:relay.mailroute.test -all
//  nospf.test      MX 10 relay.mailroute.test, no TXT
//  nullmx.test     null MX (RFC 7505)
//  nosuch.test     NXDOMAIN
struct ReadinessZone
{
    static QString relayHost() { return QStringLiteral("relay.mailroute.test"); }
    static QString relayAddress() { return QStringLiteral("192.0.2.25"); }

    static QStringList mainRecords()
    {
        return {
            QStringLiteral("--host-record=relay.mailroute.test,192.0.2.25"),
            QStringLiteral("--mx-host=ready.test,relay.mailroute.test,10"),
            QStringLiteral("--txt-record=ready.test,v=spf1 ip4:192.0.2.25 -all"),
            QStringLiteral("--mx-host=byaddress.test,mx.byaddress.test,10"),
            QStringLiteral("--host-record=mx.byaddress.test,192.0.2.25"),
            QStringLiteral("--txt-record=byaddress.test,v=spf1 include:_spf.relayhost.test -all"),
            QStringLiteral("--txt-record=_spf.relayhost.test,v=spf1 ip4:192.0.2.0/24 -all"),
            QStringLiteral("--mx-host=elsewhere.test,mx.elsewhere.test,10"),
            QStringLiteral("--host-record=mx.elsewhere.test,198.51.100.7"),
            QStringLiteral("--txt-record=elsewhere.test,v=spf1 include:_spf.provider.test ~all"),
            QStringLiteral("--txt-record=_spf.provider.test,v=spf1 ip4:198.51.100.0/24 -all"),
            QStringLiteral("--mx-host=nospf.test,relay.mailroute.test,10"),
            QStringLiteral("--mx-host=nullmx.test,.,0"),
        };
    }
    static QStringList longTtlRecords()
    {
        return {
            QStringLiteral("--mx-host=longttl.test,relay.mailroute.test,10"),
            QStringLiteral("--txt-record=longttl.test,v=spf1 a:relay.mailroute.test -all"),
        };
    }
};

// The zone above on one name server address (main + long-TTL forwarder).
class ReadinessDns final
{
public:
    QString start()
    {
        QString why = m_longTtl.start(ReadinessZone::longTtlRecords() +
                                      QStringList{QStringLiteral("--local-ttl=3600")});
        if (!why.isEmpty())
            return why;
        QStringList records = ReadinessZone::mainRecords();
        records << QStringLiteral("--server=/longttl.test/") + m_longTtl.dnsmasqServer()
                << QStringLiteral("--local=/test/");
        records << QStringLiteral("--local-ttl=300");
        return m_main.start(records);
    }
    // "127.0.0.1:PORT" for the nameserver options and MAILROUTE_NAMESERVER.
    QString nameserver() const { return m_main.nameserver(); }

private:
    DnsmasqProcess m_longTtl;
    DnsmasqProcess m_main;
};

} // namespace mailroute::testing
