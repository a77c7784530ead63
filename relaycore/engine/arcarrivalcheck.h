// The "arc=" of the message log's "auth" line (docs/behaviour.md "Mail
// authentication at receipt"): the ARC chain (RFC 8617) of the message as it
// arrived, validated with relaycore/arc. ReceiptVerifier calls it on a thread
// of the global pool, next to the DKIM hashing; a message without ARC fields
// costs one scan of its header. One with them gets a resolver of its own on
// that thread, which asks the relay's name server for the seal keys and waits
// for them (each look-up bounded by `lookupTimeout`), so the engine thread
// never waits. Verdicts: none, pass or fail (a key that cannot be fetched
// makes the chain fail, as RFC 8617 §5.2 has it).
#pragma once

#include "relaycore/mailauth/receiptverifier.h"

#include <chrono>
#include <functional>

namespace mailroute {

// `now`: seconds since the epoch, for the seals' t= checks.
ArcChainCheck arcArrivalCheck(const QString &nameserver, std::chrono::milliseconds lookupTimeout,
                              std::function<qint64()> now);

} // namespace mailroute
