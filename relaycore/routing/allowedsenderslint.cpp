// See allowedsenderslint.h. The ranges are those the providers publish in
// SPF (spf.protection.outlook.com, _spf.google.com and its netblocks) for
// mail their tenants send; the IPv4 list is what the Exchange Online and
// Google Workspace instructions lead an admin to allow-list. Overlap, not
// equality: 40.107.0.0/24 or 40.0.0.0/8 is as shared as 40.107.0.0/16.
#include "relaycore/routing/allowedsenderslint.h"

#include "relaycore/routing/allowedsenders.h"
#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"

#include <QSet>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace mailroute {

namespace {

struct Network
{
    std::array<uint8_t, 16> bytes{};
    int bits = 0; // 32 or 128
    int prefix = 0;
};

std::optional<int> decimal(QStringView s, int max)
{
    if (s.isEmpty() || s.size() > 3)
        return std::nullopt;
    int v = 0;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        v = v * 10 + (c.unicode() - u'0');
    }
    return v <= max ? std::optional<int>(v) : std::nullopt;
}

bool parseIpv4(QStringView s, uint8_t *out)
{
    const QList<QStringView> parts = s.split(u'.');
    if (parts.size() != 4)
        return false;
    for (int i = 0; i < 4; ++i) {
        const std::optional<int> v = decimal(parts[i], 255);
        if (!v)
            return false;
        out[i] = uint8_t(*v);
    }
    return true;
}

// RFC 4291 §2.2 text forms: hex groups, one "::", an IPv4 tail.
bool parseIpv6(QStringView s, uint8_t *out)
{
    std::array<uint16_t, 8> groups{};
    auto parseGroups = [](QStringView part, QList<uint16_t> &into, bool allowV4Tail) {
        if (part.isEmpty())
            return true;
        const QList<QStringView> items = part.split(u':');
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QStringView g = items[i];
            if (allowV4Tail && i == items.size() - 1 && g.contains(u'.')) {
                uint8_t v4[4];
                if (!parseIpv4(g, v4))
                    return false;
                into << uint16_t(v4[0] << 8 | v4[1]) << uint16_t(v4[2] << 8 | v4[3]);
                continue;
            }
            if (g.isEmpty() || g.size() > 4)
                return false;
            bool ok = false;
            const uint v = g.toString().toUInt(&ok, 16);
            if (!ok)
                return false;
            into << uint16_t(v);
        }
        return true;
    };
    const qsizetype gap = s.indexOf(u"::");
    QList<uint16_t> head;
    QList<uint16_t> tail;
    if (gap < 0) {
        if (!parseGroups(s, head, true) || head.size() != 8)
            return false;
    } else {
        if (s.indexOf(u"::", gap + 1) >= 0)
            return false;
        if (!parseGroups(s.left(gap), head, false) || !parseGroups(s.mid(gap + 2), tail, true) ||
            head.size() + tail.size() > 7)
            return false;
    }
    for (qsizetype i = 0; i < head.size(); ++i)
        groups[size_t(i)] = head[i];
    for (qsizetype i = 0; i < tail.size(); ++i)
        groups[size_t(8 - tail.size() + i)] = tail[i];
    for (size_t i = 0; i < 8; ++i) {
        out[2 * i] = uint8_t(groups[i] >> 8);
        out[2 * i + 1] = uint8_t(groups[i] & 0xff);
    }
    return true;
}

std::optional<Network> parseNetwork(const QString &text)
{
    const QString t = text.trimmed();
    const qsizetype slash = t.indexOf(u'/');
    const QStringView address = QStringView(t).left(slash < 0 ? t.size() : slash);
    Network n;
    if (address.contains(u':')) {
        if (!parseIpv6(address, n.bytes.data()))
            return std::nullopt;
        n.bits = 128;
    } else {
        if (!parseIpv4(address, n.bytes.data()))
            return std::nullopt;
        n.bits = 32;
    }
    n.prefix = n.bits;
    if (slash >= 0) {
        const std::optional<int> p = decimal(QStringView(t).mid(slash + 1), n.bits);
        if (!p)
            return std::nullopt;
        n.prefix = *p;
    }
    return n;
}

QString joinedForMessage(const QStringList &items, int shown)
{
    if (items.size() <= shown)
        return items.join(QStringLiteral(", "));
    return items.mid(0, shown).join(QStringLiteral(", ")) +
           QStringLiteral(" and %1 more").arg(items.size() - shown);
}

} // namespace

const QList<SharedCloudRange> &sharedCloudRanges()
{
    static const QList<SharedCloudRange> ranges = [] {
        const QString microsoft = QStringLiteral("Microsoft Exchange Online");
        const QString google = QStringLiteral("Google Workspace");
        QList<SharedCloudRange> r;
        for (const char *n : {"40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "104.47.0.0/17",
                              "2a01:111:f400::/48", "2a01:111:f403::/48"})
            r.append({QString::fromLatin1(n), microsoft});
        for (const char *n :
             {"35.190.247.0/24",    "64.233.160.0/19",     "66.102.0.0/20",       "66.249.80.0/20",
              "72.14.192.0/18",     "74.125.0.0/16",       "108.177.8.0/21",      "173.194.0.0/16",
              "209.85.128.0/17",    "216.58.192.0/19",     "216.239.32.0/19",     "172.217.0.0/19",
              "172.253.56.0/21",    "172.253.112.0/20",    "108.177.96.0/19",     "35.191.0.0/16",
              "130.211.0.0/22",     "2001:4860:4000::/36", "2404:6800:4000::/36", "2607:f8b0:4000::/36",
              "2800:3f0:4000::/36", "2a00:1450:4000::/36", "2c0f:fb50:4000::/36"})
            r.append({QString::fromLatin1(n), google});
        return r;
    }();
    return ranges;
}

bool networksOverlap(const QString &a, const QString &b)
{
    const std::optional<Network> x = parseNetwork(a);
    const std::optional<Network> y = parseNetwork(b);
    if (!x || !y || x->bits != y->bits)
        return false;
    // They overlap exactly when they agree on the shorter prefix.
    const int common = std::min(x->prefix, y->prefix);
    for (int bit = 0; bit < common; ++bit) {
        const uint8_t mask = uint8_t(0x80 >> (bit % 8));
        if ((x->bytes[size_t(bit / 8)] & mask) != (y->bytes[size_t(bit / 8)] & mask))
            return false;
    }
    return true;
}

QList<LintFinding> lintAllowedSenders(const ConfigData &config)
{
    QList<LintFinding> out;
    const QString clientsSetting = config.settings.value(SettingKey::outboundAllowedClients());
    QStringList clients;
    for (const QString &item : clientsSetting.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!item.trimmed().isEmpty())
            clients << item.trimmed();
    }
    const AllowedSenders senders = allowedSenders(config);

    // The allow-listed networks that overlap a shared range, with the provider.
    QStringList shared;
    QSet<QString> providers;
    for (const QString &client : std::as_const(clients)) {
        for (const SharedCloudRange &range : sharedCloudRanges()) {
            if (networksOverlap(client, range.network)) {
                shared << QStringLiteral("%1 (%2 %3)").arg(client, range.provider, range.network);
                providers.insert(range.provider);
                break;
            }
        }
    }
    QStringList providerNames = providers.values();
    providerNames.sort();
    const QString who = providerNames.join(QStringLiteral(" and "));

    if (!clients.isEmpty() && senders.domains.isEmpty()) {
        QString message = QStringLiteral(
            "outbound.allowed_clients is set but no sender domain is allowed (outbound.allowed_senders is "
            "empty "
            "and no Outbound rule names a domain): allow-listed clients reach only Inbound and Relay "
            "recipients, and only bounces (<>) go anywhere; set outbound.allowed_senders to your "
            "organisation's domains");
        if (!shared.isEmpty())
            message += QStringLiteral(" (%1 is shared by every %2 tenant, so the sender domain is what tells "
                                      "your mail from theirs)")
                           .arg(joinedForMessage(shared, 3), who);
        out.append({LintFinding::Severity::Warning, std::nullopt, message + QLatin1Char('.')});
    } else if (!shared.isEmpty() && senders.derived) {
        out.append(
            {LintFinding::Severity::Info, std::nullopt,
             QStringLiteral("outbound.allowed_clients holds %1, shared by every %2 tenant: any of them "
                            "may relay through this relay as the sender domains derived from the "
                            "Outbound rules (%3); set outbound.allowed_senders to list your "
                            "organisation's domains explicitly.")
                 .arg(joinedForMessage(shared, 3), who, joinedForMessage(senders.domains, 8))});
    }

    if (!senders.derived) {
        const QSet<QString> allowed(senders.domains.cbegin(), senders.domains.cend());
        QSet<QString> reported;
        for (const DomainMapping &m : config.area(Area::Outbound).domains) {
            if (allowed.contains(m.source) || reported.contains(m.source))
                continue;
            reported.insert(m.source);
            out.append({LintFinding::Severity::Warning, Area::Outbound,
                        QStringLiteral("Outbound rule %1 -> %2: %3 is not in outbound.allowed_senders, so "
                                       "allow-listed clients sending as it reach only Inbound and Relay "
                                       "recipients.")
                            .arg(displayDomain(m.source), displayDomain(m.target), m.source)});
        }
    }
    return out;
}

} // namespace mailroute
