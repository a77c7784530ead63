// `mailroutectl queue list`, as text and as --json: the recipients still
// queued, each with its message, in the spool's order.
#pragma once

#include "relaycore/queue/spool.h"

#include <functional>

namespace mailroute {

using QueuedRecipientRow = std::function<void(const QueuedMessage &, const QueuedRecipient &)>;

// Calls row(message, recipient) for each recipient the spool still has
// queued; the spool's error when it cannot list.
inline Status forEachQueuedRecipient(const Spool &spool, const QueuedRecipientRow &row)
{
    const auto messages = spool.list();
    if (!messages.ok())
        return Status::failure(messages.error);
    for (const QueuedMessage &m : *messages) {
        for (const QueuedRecipient &r : m.recipients) {
            if (r.status == RecipientStatus::Queued)
                row(m, r);
        }
    }
    return okStatus();
}

} // namespace mailroute
