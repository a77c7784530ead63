// Key records (selector._domainkey.domain TXT) through the relay's
// DnsResolver (libunbound, cached by TTL): the KeyFetcher that
// ArcChain::validate() and arcChainResult() take, and dkimKeyAnswerOf(),
// which the DKIM checks at receipt (engine/dkiminboundcheck,
// mailauth/receiptverifier) use too. NODATA and NXDOMAIN are "no key" (permerror),
// anything else that is not an answer a temporary failure.
#pragma once

#include "relaycore/dkim/dkimverifier.h"

#include <QObject>

#include <chrono>

namespace mailroute {

class DnsResolver;
struct DnsAnswer;

DkimKeyAnswer dkimKeyAnswerOf(const DnsAnswer &answer);

// Replies come on the resolver's thread; none after `context` is destroyed.
DkimVerifier::KeyFetcher dnsKeyFetcher(DnsResolver *resolver, QObject *context,
                                       std::chrono::milliseconds timeout = std::chrono::milliseconds(8000));

} // namespace mailroute
