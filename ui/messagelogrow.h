// One line of the live message log as the console shows it: a relay event
// (docs/behaviour.md "Logs") turned into display columns once, when it arrives,
// so painting and filtering a 100,000-line log costs no formatting. A plain
// value.
#pragma once

#include "relaycore/store/configstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <optional>

namespace mailroute {

// How the console groups the relay's event kinds (relaycore/message/messageevent.h)
// for colours and filters. Refused: the relay's SMTP server refused a client for a policy reason
// (recipient, sender, size, hop limit, TLS, limits); not tied to a message.
enum class MessageLogKind : quint8 {
    Received,
    Rewritten,
    Delivered,
    Deferred,
    Bounced,
    Error,
    Refused,
    Other
};

struct MessageLogRow
{
    Q_DECLARE_TR_FUNCTIONS(MessageLogRow)

public:
    qint64 id = 0; // message_log id (0 when not stored yet)
    QDateTime time;
    QString timeText;
    QString queueId;
    QString event; // the engine's word, untranslated: "received", "delivered", ...
    MessageLogKind kind = MessageLogKind::Other;
    QString from;
    QString to;
    QString rewrittenTo;
    QString nextHop;
    QString status;
    // The rule that fired (rewritten events): "Inbound · domain rule · @a.example -> @b.example".
    QString rule;
    QString client; // the SMTP client's address (received, refused, error)
    // Bit areaIndex(a) set: the event belongs to a message a rule of area `a`
    // touched (learned from its "rewritten" events).
    quint8 areas = 0;

    static MessageLogRow fromEntry(const MessageLogEntry &entry, quint8 areas);
    static quint8 areaBit(Area area) { return static_cast<quint8>(1u << areaIndex(area)); }
    static MessageLogKind kindOf(MessageEvent event); // the console's grouping of the relay's kinds
    // What fired, for the Rule column: area, match kind, the rule's text.
    static QString ruleText(std::optional<Area> area, const QString &match, const QString &rule);
    bool contains(const QString &needle) const; // case-insensitive, any column
};

} // namespace mailroute
