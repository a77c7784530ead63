// See allowedsenders.h. The derived list takes both sides of every Outbound
// rule: the source side is what the organisation's new system sends as (and
// what the Outbound rules rewrite), the target side is the identity the
// outside world knows, which the old system — often in another shared cloud
// during a migration — still sends as.
#include "relaycore/routing/allowedsenders.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace mailroute {

namespace {

QString domainOfMailbox(const QString &stored)
{
    return stored.mid(stored.lastIndexOf(QLatin1Char('@')) + 1);
}

} // namespace

AllowedSenders allowedSenders(const ConfigData &config)
{
    AllowedSenders out;
    QSet<QString> seen;
    auto add = [&](const QString &domain) {
        if (!domain.isEmpty() && !seen.contains(domain)) {
            seen.insert(domain);
            out.domains.append(domain);
        }
    };
    // The setting holds normalised domains (settings are validated before
    // they are stored); normalise again so a generation written by an older
    // build cannot smuggle in a spelling the relay would never match.
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList items =
        config.settings.value(SettingKey::outboundAllowedSenders()).split(separators, Qt::SkipEmptyParts);
    for (const QString &item : items) {
        if (const Result<QString> d = normalizeDomain(item))
            add(*d);
    }
    if (items.isEmpty()) {
        out.derived = true;
        const AreaConfig &outbound = config.area(Area::Outbound);
        for (const DomainMapping &m : outbound.domains) {
            add(m.source);
            add(m.target);
        }
        for (const UserMapping &m : outbound.users) {
            add(domainOfMailbox(m.source));
            add(domainOfMailbox(m.target));
        }
    }
    std::sort(out.domains.begin(), out.domains.end());
    return out;
}

} // namespace mailroute
