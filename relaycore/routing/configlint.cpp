// Pre-push warnings (configlint.h). Linear in the size of the configuration:
// every question ("would another rule match this result?", "which sources
// share a target?") is one lookup in an index built once per area, with the
// snapshot's matching semantics (user key case-insensitive, domain exact;
// docs/behaviour.md "Routing precedence": a result is never mapped again, the
// console shows it instead).
#include "relaycore/routing/configlint.h"

#include "relaycore/routing/allowedsenderslint.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/relayhostname.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/routing/settingkeys.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace mailroute {

namespace {

// A configuration of a million users can produce a million identical
// findings; nobody reads past the first few, so each kind is capped per area
// and the rest summarised in one line.
constexpr int kMaxFindingsPerKind = 25;

QString arrow(const QString &from, const QString &to)
{
    return from + QStringLiteral(" -> ") + to;
}

QString domainRule(const DomainMapping &m)
{
    return arrow(displayDomain(m.source), displayDomain(m.target));
}

QString userRule(const UserMapping &m)
{
    return arrow(m.source, m.target);
}

// Collects findings of one kind in one area, keeping the first few.
class Bucket
{
public:
    Bucket(std::optional<Area> area, LintFinding::Severity severity, QString summary)
        : m_area(area), m_severity(severity), m_summary(std::move(summary))
    {}

    void add(QString message)
    {
        if (m_findings.size() < kMaxFindingsPerKind)
            m_findings.append(LintFinding{m_severity, m_area, std::move(message)});
        else
            ++m_dropped;
    }

    void appendTo(QList<LintFinding> &out)
    {
        out.append(m_findings);
        if (m_dropped > 0)
            out.append(LintFinding{m_severity, m_area,
                                   QStringLiteral("... and %1 more %2.").arg(m_dropped).arg(m_summary)});
    }

private:
    std::optional<Area> m_area;
    LintFinding::Severity m_severity;
    QString m_summary;
    QList<LintFinding> m_findings;
    int m_dropped = 0;
};

// docs/behaviour.md "Who may send what": for a client outside the outbound
// allow-list, recipients are matched by Inbound user, Inbound domain, then
// Relay domain. A Relay rule for a domain Inbound also maps can therefore never
// fire.
void lintRelayVersusInbound(const ConfigData &config, QList<LintFinding> &out)
{
    QHash<QString, const DomainMapping *> inbound;
    for (const DomainMapping &m : config.area(Area::Inbound).domains)
        inbound.insert(m.source, &m); // the last one wins, as in the snapshot
    Bucket bucket(std::nullopt, LintFinding::Severity::Warning,
                  QStringLiteral("domains mapped in both Relay and Inbound"));
    QSet<QString> seen;
    for (const DomainMapping &relay : config.area(Area::Relay).domains) {
        const DomainMapping *in = inbound.value(relay.source);
        if (!in || seen.contains(relay.source))
            continue;
        seen.insert(relay.source);
        bucket.add(
            QStringLiteral("Domain %1 is mapped in both Relay (%2) and Inbound (%3): Inbound rules come "
                           "first (Inbound user, Inbound domain, Relay domain), so the Relay rule never "
                           "applies.")
                .arg(displayDomain(relay.source), domainRule(relay), domainRule(*in)));
    }
    bucket.appendTo(out);
}

// MailAddress::key() for a stored mailbox: its domain is normalised (lower
// case ACE), so folding the whole string folds exactly the local part, the
// way RoutingSnapshot matches; QString::toLower shares the data when nothing
// changes, so lower-case lists cost no allocation.
QString mailboxKey(const QString &stored)
{
    return stored.toLower();
}

// The checks of one area, over indexes built once: a hash join per question,
// so a million users lint in about the time it takes to read them.
class AreaLint
{
public:
    AreaLint(Area area, const AreaConfig &ac) : m_area(area), m_ac(ac)
    {
        for (const DomainMapping &m : ac.domains)
            m_domains.insert(m.source, m.target); // the last one wins, as in the snapshot
        for (auto it = m_domains.cbegin(); it != m_domains.cend(); ++it)
            m_domainSourcesByTarget[it.value()].append(it.key());
        for (QStringList &sources : m_domainSourcesByTarget)
            sources.sort();

        const QList<UserMapping> &users = ac.users;
        m_keys.reserve(users.size());
        for (const UserMapping &m : users)
            m_keys.append(mailboxKey(m.source));
        // Backwards, so the first insertion of a key is the last rule for it:
        // the one that is in effect.
        m_users.reserve(users.size());
        m_effective.assign(size_t(users.size()), false);
        for (qsizetype i = users.size() - 1; i >= 0; --i) {
            qsizetype &slot = m_users[m_keys[i]]; // 0: new; else index + 1
            if (slot == 0) {
                slot = i + 1;
                m_effective[size_t(i)] = true;
            }
        }
    }

    void run(QList<LintFinding> &out)
    {
        lintDomains();
        lintDomainMerges(); // before the user merges: domains first in the list
        lintUsers();
        m_loops.appendTo(out);
        m_chains.appendTo(out);
        m_merges.appendTo(out);
        m_noDomainRule.appendTo(out);
    }

private:
    qsizetype userIndex(const QString &key) const { return m_users.value(key, 0) - 1; }

    void lintDomains()
    {
        for (const DomainMapping &m : m_ac.domains) {
            if (m_domains.value(m.source) != m.target || !m_domainsSeen.insert(m.source).second)
                continue; // not the effective rule, or reported already
            if (m.source == m.target) {
                m_loops.add(QStringLiteral("%1 maps the domain to itself.").arg(domainRule(m)));
                continue;
            }
            const auto next = m_domains.constFind(m.target);
            if (next == m_domains.cend())
                continue;
            const DomainMapping second{m.target, *next};
            if (*next == m.source) {
                if (m.source < m.target) // a two-rule loop is reported once
                    m_loops.add(
                        QStringLiteral("%1 and %2 form a loop; rules are not chained, so each address is "
                                       "rewritten once.")
                            .arg(domainRule(m), domainRule(second)));
            } else {
                m_chains.add(
                    QStringLiteral("%1 is followed by %2, which would match the result; rules are not "
                                   "chained, so %3 goes to %4.")
                        .arg(domainRule(m), domainRule(second), displayDomain(m.source),
                             displayDomain(m.target)));
            }
        }
    }

    void lintUsers()
    {
        const QList<UserMapping> &users = m_ac.users;
        QHash<QString, qsizetype> firstByTarget;
        firstByTarget.reserve(users.size());
        std::map<qsizetype, QList<qsizetype>> groups; // first index -> all sources, list order

        for (qsizetype i = 0; i < users.size(); ++i) {
            if (!m_effective[size_t(i)])
                continue;
            const UserMapping &m = users[i];
            const QString &key = m_keys[i];
            const QString targetKey = mailboxKey(m.target);
            const qsizetype targetAt = m.target.lastIndexOf(QLatin1Char('@'));
            const qsizetype sourceAt = m.source.lastIndexOf(QLatin1Char('@'));
            if (targetAt <= 0 || sourceAt <= 0)
                continue; // not a mailbox; the store never holds one

            checkResult(m, key, targetKey, targetAt);
            checkDomainRulesInto(m, targetKey, sourceAt);

            qsizetype &first = firstByTarget[targetKey]; // 0: new; else index + 1
            if (first == 0) {
                first = i + 1;
            } else {
                QList<qsizetype> &group = groups[first - 1];
                if (group.isEmpty())
                    group.append(first - 1);
                group.append(i);
            }

            countIfNoDomainRule(m, sourceAt);
        }

        for (const auto &[first, group] : groups) {
            Q_UNUSED(first)
            QStringList sources;
            for (qsizetype i : group)
                sources.append(users[i].source);
            m_merges.add(QStringLiteral("%1 users map to %2 (%3): their mail merges into one mailbox.")
                             .arg(sources.size())
                             .arg(users[group.last()].target, sources.join(QStringLiteral(", "))));
        }

        const QString consequence = areaRewritesRecipients(m_area)
                                        ? QStringLiteral("mail to its other addresses is not routed")
                                        : QStringLiteral("its other senders are not rewritten");
        std::sort(m_noRuleOrder.begin(), m_noRuleOrder.end());
        for (const QString &domain : std::as_const(m_noRuleOrder)) {
            const auto [count, example] = m_noRule.value(domain);
            m_noDomainRule.add(
                QStringLiteral("%1 user mapping(s) in %2 (such as %3) but no domain rule for %2: %4.")
                    .arg(count)
                    .arg(displayDomain(domain), example, consequence));
        }
    }

    // Would another rule of this area match the result of `m`?
    // (docs/behaviour.md "Routing precedence": it is not followed; the admin
    // should know.) User list first, then the domain rule, exactly the
    // snapshot's order.
    void checkResult(const UserMapping &m, const QString &key, const QString &targetKey, qsizetype targetAt)
    {
        const qsizetype j = userIndex(targetKey);
        if (j >= 0) {
            const UserMapping &next = m_ac.users[j];
            if (targetKey == key)
                m_loops.add(QStringLiteral("%1 maps the address to itself.").arg(userRule(m)));
            else if (mailboxKey(next.target) != key)
                m_chains.add(chainMessage(userRule(m), userRule(next), m));
            else if (key < targetKey) // a two-rule loop is reported once
                m_loops.add(loopMessage(userRule(m), userRule(next)));
            return;
        }
        const QString targetDomain = m.target.mid(targetAt + 1);
        const auto rule = m_domains.constFind(targetDomain);
        if (rule == m_domains.cend())
            return;
        const DomainMapping next{targetDomain, *rule};
        const QString result = m.target.left(targetAt) + QLatin1Char('@') + *rule;
        if (mailboxKey(result) == key)
            m_loops.add(loopMessage(userRule(m), domainRule(next)));
        else
            m_chains.add(chainMessage(userRule(m), domainRule(next), m));
    }

    // Addresses that reach `m`'s source through a domain rule: L@x becomes
    // L@y by "@x -> @y", and then "L@y -> T" would match.
    void checkDomainRulesInto(const UserMapping &m, const QString &targetKey, qsizetype sourceAt)
    {
        if (m_domainSourcesByTarget.isEmpty())
            return;
        const QString sourceDomain = m.source.mid(sourceAt + 1);
        const auto into = m_domainSourcesByTarget.constFind(sourceDomain);
        if (into == m_domainSourcesByTarget.cend())
            return;
        const QString local = m.source.left(sourceAt);
        for (const QString &fromDomain : *into) {
            const QString before = local + QLatin1Char('@') + fromDomain;
            const QString beforeKey = mailboxKey(before);
            if (userIndex(beforeKey) >= 0)
                continue; // a user rule of its own takes it first
            if (beforeKey == targetKey)
                continue; // "L@y -> L@x" with "@x -> @y": the loop checkResult reports
            m_chains.add(
                QStringLiteral("%1 is followed by %2, which would match the result; rules are not "
                               "chained, so %3 goes to %4.")
                    .arg(domainRule(DomainMapping{fromDomain, sourceDomain}), userRule(m), before, m.source));
        }
    }

    void countIfNoDomainRule(const UserMapping &m, qsizetype sourceAt)
    {
        // Lists come grouped by domain, so remember the last answer rather
        // than allocating a domain string per user.
        const QStringView domain = QStringView(m.source).mid(sourceAt + 1);
        if (domain != m_lastDomain) {
            m_lastDomain = domain.toString();
            m_lastDomainRuled = m_domains.contains(m_lastDomain);
        }
        if (m_lastDomainRuled)
            return;
        auto it = m_noRule.find(m_lastDomain);
        if (it == m_noRule.end()) {
            m_noRule.insert(m_lastDomain, qMakePair(qsizetype(1), m.source));
            m_noRuleOrder.append(m_lastDomain);
        } else {
            ++it->first;
        }
    }

    void lintDomainMerges()
    {
        QHash<QString, QStringList> byTarget;
        for (auto it = m_domains.cbegin(); it != m_domains.cend(); ++it)
            byTarget[it.value()].append(displayDomain(it.key()));
        QStringList targets = byTarget.keys();
        targets.sort();
        for (const QString &target : std::as_const(targets)) {
            QStringList sources = byTarget.value(target);
            if (sources.size() < 2)
                continue;
            sources.sort();
            m_merges.add(
                QStringLiteral("%1 domains map to %2 (%3): addresses with the same local part in them end "
                               "up in one mailbox.")
                    .arg(sources.size())
                    .arg(displayDomain(target), sources.join(QStringLiteral(", "))));
        }
    }

    static QString chainMessage(const QString &first, const QString &second, const UserMapping &m)
    {
        return QStringLiteral(
                   "%1 is followed by %2, which would match the result; rules are not chained, so %3 "
                   "goes to %4.")
            .arg(first, second, m.source, m.target);
    }

    static QString loopMessage(const QString &first, const QString &second)
    {
        return QStringLiteral(
                   "%1 and %2 form a loop; rules are not chained, so each address is rewritten once.")
            .arg(first, second);
    }

    Area m_area;
    const AreaConfig &m_ac;
    QHash<QString, QString> m_domains; // effective domain rules
    QHash<QString, QStringList> m_domainSourcesByTarget;
    std::set<QString> m_domainsSeen;
    QList<QString> m_keys;             // per user: the source's key
    std::vector<bool> m_effective;     // per user: the last rule for its source
    QHash<QString, qsizetype> m_users; // source key -> effective index + 1

    QString m_lastDomain;
    bool m_lastDomainRuled = false;
    QHash<QString, QPair<qsizetype, QString>> m_noRule; // domain -> (count, first source)
    QStringList m_noRuleOrder;

    Bucket m_loops{m_area, LintFinding::Severity::Warning, QStringLiteral("rule loops")};
    Bucket m_chains{m_area, LintFinding::Severity::Warning, QStringLiteral("chained rules")};
    Bucket m_merges{m_area, LintFinding::Severity::Warning, QStringLiteral("targets with several sources")};
    Bucket m_noDomainRule{m_area, LintFinding::Severity::Info,
                          QStringLiteral("domains with users but no domain rule")};
};

} // namespace

namespace {

// Outbound TLS and SMTP AUTH settings that do not do what the admin likely
// means (issue 5). Settings hold canonical values; absent means the default.
void lintTransportSecurity(const ConfigData &config, QList<LintFinding> &out)
{
    const QString user = config.settings.value(SettingKey::smarthostUsername());
    if (!user.isEmpty() && config.settings.value(SettingKey::deliverySmarthost()).isEmpty())
        out.append(
            {LintFinding::Severity::Warning, std::nullopt,
             QStringLiteral("smarthost.username is set (%1) but delivery.smarthost is empty: SMTP AUTH is "
                            "never used")
                 .arg(user)});
    const QString mx = config.settings.value(SettingKey::deliveryTlsPolicy());
    if (!mx.isEmpty() && parseTlsPolicy(mx).value_or(TlsPolicy::May) != TlsPolicy::May)
        out.append(
            {LintFinding::Severity::Warning, std::nullopt,
             QStringLiteral("delivery.tls_policy is %1: mail to any MX host without STARTTLS (or, under "
                            "verify, without a certificate for its name) waits and then bounces; give "
                            "routes their own --tls instead")
                 .arg(mx)});
}

// The round-trip rule (issue 15 item 3, roundtrip.h): an Inbound user mapping
// whose target is not mapped back to its source in Outbound. The console
// recognises these findings by "Outbound inverse" and offers to create them.
void lintRoundTrip(const ConfigData &config, QList<LintFinding> &out)
{
    const RoundTripCheck check = checkRoundTrip(config);
    if (check.isClean())
        return;
    Bucket bucket(Area::Inbound, LintFinding::Severity::Warning,
                  QStringLiteral("Inbound user mappings without an Outbound inverse"));
    for (const RoundTripGap &g : check.missing)
        bucket.add(QStringLiteral("Inbound %1 has no Outbound inverse: replies from %2 leave under that "
                                  "address, not as %3; add Outbound %4.")
                       .arg(userRule(g.inbound), g.inverse.source, g.inverse.target, userRule(g.inverse)));
    for (const RoundTripConflict &c : check.conflicts)
        bucket.add(QStringLiteral("Inbound %1 has no Outbound inverse: Outbound %2 sends replies from %3 as "
                                  "%4, not as %5.")
                       .arg(userRule(c.inbound), userRule(c.outbound), c.outbound.source, c.outbound.target,
                            c.inbound.source));
    for (const RoundTripAmbiguity &a : check.ambiguous)
        bucket.add(QStringLiteral("%1 users map to %2 (%3) and none is its Outbound inverse: replies from %2 "
                                  "leave under that address.")
                       .arg(a.sources.size())
                       .arg(a.target, a.sources.join(QStringLiteral(", "))));
    bucket.appendTo(out);
}

} // namespace

QList<LintFinding> lintConfig(const ConfigData &config)
{
    QList<LintFinding> out;
    lintRelayVersusInbound(config, out);
    lintTransportSecurity(config, out);
    out.append(lintAllowedSenders(config));
    for (Area area : kAllAreas)
        AreaLint(area, config.area(area)).run(out);
    lintRoundTrip(config, out);
    // Bounces, EHLO and confirmations carry this name: a made-up one is
    // refused by many receivers (issue 11 item 1).
    if (const QString host = relayHostNameWarning(config.settings.value(SettingKey::relayHostname()));
        !host.isEmpty())
        out.append({LintFinding::Severity::Warning, std::nullopt, host});
    return out;
}

} // namespace mailroute
