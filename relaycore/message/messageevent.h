// One relay event for the message log (docs/behaviour.md "Logs") and the
// typed kind the engine, the message log, the trace store, mailroutectl and
// the console share. The kind's name ("received", "delivered", ...) is the
// word stored in the database and printed by `mailroutectl logs`; only
// messageEventName() and messageEventFromName() turn one into the other.
#pragma once

#include "relaycore/routing/area.h"

#include <QDateTime>
#include <QString>
#include <QStringView>
#include <QVariantMap>

#include <optional>

namespace mailroute {

enum class MessageEvent : quint8 {
    // A message's life.
    Received,     // accepted and spooled (client, from, to, size, ...)
    Auth,         // the verdicts at receipt: spf, dkim, dmarc, arc
    Rewritten,    // an address or header field changed by a rule
    Kept,         // a header field left as it was (a DKIM signature covers it)
    Delivered,    // one recipient accepted by the next hop
    Deferred,     // one recipient to be retried
    Bounced,      // one recipient given up on; a DSN went to the sender
    DelayNotice,  // a delay DSN was sent (docs/behaviour.md "Delay warning")
    SentDot,      // the connection broke after the final dot was sent
    Deleted,      // removed from the queue by the administrator
    Confirmation, // a confirmation to relay.postmaster was queued or failed
    // Policy refusals at the SMTP server, not tied to a queued message.
    Refused,
    // The relay itself.
    Listening,
    Config,      // a pushed generation came into effect
    Verify,      // recipient verification results (verify.recipients)
    Held,        // a domain's deliveries held
    Released,    // ... and released
    HoldWarning, // a domain held for long
    Recovered,   // messages found in the spool at start
    Stopping,
    Stopped,
    Warning,
    Error,
    // A name this build does not know (a newer relay wrote it).
    Other,
};

// The stored word: "received", "delay_notice", "sent-dot", ...
QString messageEventName(MessageEvent event);
// The kind for a stored word; nullopt when unknown.
std::optional<MessageEvent> messageEventFromName(QStringView name);

// `fields` holds the details (client, sender, recipients, size, old/new
// address and rule, next hop, reply, reason, ...) and is stored as a JSON
// object, so values must be JSON-representable.
struct MessageLogEntry
{
    qint64 id = 0;   // assigned by the store
    QDateTime time;  // UTC; the store's clock when invalid
    QString queueId; // empty: not tied to a message (e.g. a refused RCPT)
    MessageEvent event = MessageEvent::Other;
    std::optional<Area> area; // the area whose rule applied, if any
    QVariantMap fields;

    QString eventName() const { return messageEventName(event); }
};

} // namespace mailroute
