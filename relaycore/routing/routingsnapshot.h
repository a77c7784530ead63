// The compiled, immutable routing rules of one configuration generation.
// Built once (console, mailroutectl or serve), then shared read-only between
// threads as std::shared_ptr<const RoutingSnapshot>. Lookups are O(1).
#pragma once

#include "relaycore/routing/allowedsenders.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/mailaddress.h"

#include <memory>

namespace mailroute {

enum class MatchKind { None, User, Domain };
QString matchKindKey(MatchKind k); // "none", "user", "domain"

struct RouteResult
{
    MatchKind kind = MatchKind::None;
    MailAddress address; // the result (the input unchanged when kind == None)
    QString ruleSource;  // "bob@warmsushi.com" or "@warmsushi.com"; empty for None
    QString ruleTarget;  // "bob.owen@drypizza.com" or "@drypizza.com"; empty for None
};

class RoutingSnapshot final
{
public:
    // Compiles `config`; the config is assumed validated (the store only holds
    // valid mappings). Duplicate sources: the last one wins.
    static std::shared_ptr<const RoutingSnapshot> compile(const ConfigData &config, qint64 generation = 0);

    qint64 generation() const;
    const ConfigData &config() const;

    // docs/behaviour.md "Routing precedence": the area's user list, then its
    // domain rule, then unchanged. Never chained: the result is not looked up
    // again.
    RouteResult route(Area area, const MailAddress &address) const;

    // Does any rule of this area match the address (user entry or domain rule)?
    MatchKind match(Area area, const MailAddress &address) const;

    // outbound.allowed_senders as this generation applies it (the setting, or
    // derived from the Outbound rules when it is empty; allowedsenders.h).
    const AllowedSenders &allowedSenders() const;
    // Is `domain` (normalised, as MailAddress::domain) one of them? Exact
    // match: a subdomain is another domain, as for the rules.
    bool isAllowedSenderDomain(const QString &domain) const;

    ~RoutingSnapshot();
    Q_DISABLE_COPY_MOVE(RoutingSnapshot)

private:
    RoutingSnapshot();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroute
