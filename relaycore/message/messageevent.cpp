#include "relaycore/message/messageevent.h"

#include <array>
#include <utility>

namespace mailroute {

namespace {

// Every kind but Other, with the word the message log stores.
constexpr std::array<std::pair<MessageEvent, const char *>, 23> kNames{{
    {MessageEvent::Received, "received"},
    {MessageEvent::Auth, "auth"},
    {MessageEvent::Rewritten, "rewritten"},
    {MessageEvent::Kept, "kept"},
    {MessageEvent::Delivered, "delivered"},
    {MessageEvent::Deferred, "deferred"},
    {MessageEvent::Bounced, "bounced"},
    {MessageEvent::DelayNotice, "delay_notice"},
    {MessageEvent::SentDot, "sent-dot"},
    {MessageEvent::Deleted, "deleted"},
    {MessageEvent::Confirmation, "confirmation"},
    {MessageEvent::Refused, "refused"},
    {MessageEvent::Listening, "listening"},
    {MessageEvent::Config, "config"},
    {MessageEvent::Verify, "verify"},
    {MessageEvent::Held, "held"},
    {MessageEvent::Released, "released"},
    {MessageEvent::HoldWarning, "hold_warning"},
    {MessageEvent::Recovered, "recovered"},
    {MessageEvent::Stopping, "stopping"},
    {MessageEvent::Stopped, "stopped"},
    {MessageEvent::Warning, "warning"},
    {MessageEvent::Error, "error"},
}};

} // namespace

QString messageEventName(MessageEvent event)
{
    for (const auto &[kind, name] : kNames)
        if (kind == event)
            return QString::fromLatin1(name);
    return QStringLiteral("other");
}

std::optional<MessageEvent> messageEventFromName(QStringView name)
{
    for (const auto &[kind, word] : kNames)
        if (name == QLatin1String(word))
            return kind;
    return std::nullopt;
}

} // namespace mailroute
