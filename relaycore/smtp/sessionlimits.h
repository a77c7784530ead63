// What one SMTP session enforces (SmtpSession). Its own header so that
// RelayConfig (relaycore/engine/relayconfig.h) holds one without the session.
#pragma once

#include <QtGlobal>

#include <chrono>

namespace mailroute {

// docs/behaviour.md "Limits" defaults; the engine fills these from the settings
// (limits.*), one struct per session.
struct SessionLimits
{
    qsizetype commandLine = 512;   // octets including CRLF (RFC 5321 §4.5.3.1.4)
    qsizetype textLine = 1000;     // octets including CRLF (RFC 5321 §4.5.3.1.6)
    qint64 messageSize = 36700160; // 35 MiB, octets of the unstuffed message
    int recipients = 100;          // accepted RCPTs per transaction (RFC 5321 §4.5.3.1.8)
    int errors = 20;               // error replies before 421 4.7.0 (reset by a delivered message)
    // NOOP, RSET, VRFY and unknown or unoffered verbs accepted; the next one
    // gets 421 4.7.0 and the session closes (reset by a delivered message).
    int junkCommands = 100;
    // Bytes buffered while a message awaits the engine's verdict; a client
    // that pipelines more than this is cut off after the verdict is sent.
    qsizetype pipelineBuffer = 64 * 1024;
    std::chrono::seconds commandTimeout{300};
    std::chrono::seconds dataTimeout{600};
};

} // namespace mailroute
