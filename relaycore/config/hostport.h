// One parser for every "host[:port]" MailRoute reads: relay.listen,
// delivery.smarthost and per-domain routes, in Postfix's next-hop syntax:
//   mx.example.com        host name (an MX look-up for a next hop)
//   mx.example.com:2525   ... with a port (the port applies to each MX host)
//   [mx.example.com]:587  brackets: this host itself, no MX look-up
//   192.0.2.7:25, [2001:db8::1]:25   IP addresses (IPv6 only in brackets)
// Pure; safe from any thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QHostAddress>
#include <QString>
#include <QStringView>

#include <optional>

namespace mailroute {

struct HostPort
{
    QString host; // lower-case host name (single labels such as "mailhub" allowed), or an IP address
    std::optional<quint16> port;
    bool bracketed = false; // written in brackets: no MX look-up (Postfix)
    bool isAddress = false; // host is an IP address

    quint16 portOr(quint16 fallback) const { return port.value_or(fallback); }
    QHostAddress address() const { return isAddress ? QHostAddress(host) : QHostAddress(); }
    // Canonical text: "mx.example.com", "[mx.example.com]:587", "192.0.2.7:25", "[2001:db8::1]:25".
    QString toString() const;
};

// Refuses, with a reason: empty text, '[' without ']', text after ']',
// unbracketed IPv6, IPv4 that is not a plain dotted quad ("127.1", "010.0.0.1"),
// an IPv6 scope id, host names that are neither a DNS name nor a single LDH
// label, '@', and ports outside 1..65535.
Result<HostPort> parseHostPort(QStringView text);

// A strict IP address: a plain dotted quad for IPv4 (QHostAddress alone also
// takes "127.1" and reads "010" as octal, which no admin means), any IPv6
// form without a scope id.
std::optional<QHostAddress> parseIpAddress(QStringView text);

} // namespace mailroute
