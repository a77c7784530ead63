// Builds and writes the Postfix export of a generation; see the header for
// the decisions. Pure except for write() and exportActiveGeneration().
#include "relaycore/export/postfixexport.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/allowedsenders.h"
#include "relaycore/routing/idna.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/configstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryFile>

#include <algorithm>

#if defined(Q_OS_UNIX)
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace mailroute {

namespace {

const QString kRecipientCanonical = QStringLiteral("recipient_canonical");
const QString kSenderCanonical = QStringLiteral("sender_canonical");
const QString kRelayDomains = QStringLiteral("relay_domains");
const QString kTransport = QStringLiteral("transport");
const QString kMynetworks = QStringLiteral("mynetworks");
const QString kOutboundClients = QStringLiteral("outbound_clients");
// outbound.allowed_senders (relaycore/routing/allowedsenders.h): the
// allow-listed networks' restriction class, the sender domains it admits and
// the refusal for every other sender.
const QString kAllowedSenderClients = QStringLiteral("allowed_sender_clients");
const QString kAllowedSenders = QStringLiteral("allowed_senders");
const QString kSenderRefusal = QStringLiteral("allowed_senders_refusal.regexp");
const QString kSenderClass = QStringLiteral("mailroute_allowed_senders");
const QString kMasterCf = QStringLiteral("master.cf.fragment");
// The second pass for allow-listed clients' mail (see master.cf.fragment).
const QString kReinjectAddress = QStringLiteral("127.0.0.1:10026");
const QString kMainCf = QStringLiteral("main.cf.fragment");
const QString kPostmapScript = QStringLiteral("postmap.sh");
const QString kSaslExample = QStringLiteral("sasl_passwd.example");
const QString kTlsPolicy = QStringLiteral("tls_policy");
const QString kRegexpSuffix = QStringLiteral(".regexp");
const QString kKeyTable = QStringLiteral("KeyTable");
const QString kSigningTable = QStringLiteral("SigningTable");

QString setting(const ConfigData &config, const QString &key)
{
    const auto it = config.settings.constFind(key);
    if (it != config.settings.constEnd())
        return it.value();
    const SettingDef *def = SettingsSchema::find(key);
    return def ? def->defaultValue : QString();
}

// The domain as MailRoute stores it (ACE), then its Unicode form if it is an
// IDN: an SMTPUTF8 client may write either, and Postfix compares strings.
QStringList domainForms(const QString &aceDomain)
{
    QStringList forms{aceDomain};
    if (needsIdna(aceDomain)) {
        const Result<QString> unicode = idnaToUnicode(aceDomain);
        if (unicode && *unicode != aceDomain)
            forms << *unicode;
    }
    return forms;
}

QString folded(const QString &s)
{
    return s.toLower();
}

QString domainOf(const QString &address)
{
    return address.mid(address.lastIndexOf(QLatin1Char('@')) + 1);
}

QString localOf(const QString &address)
{
    return address.left(address.lastIndexOf(QLatin1Char('@')));
}

// A hash: source line is "key whitespace value"; a line starting with '#' is
// a comment (canonical(5) "TABLE FORMAT").
bool hashableKey(const QString &key)
{
    if (key.startsWith(QLatin1Char('#')))
        return false;
    return std::none_of(key.cbegin(), key.cend(), [](QChar c) { return c.isSpace(); });
}

// POSIX extended regular expression matching exactly `text` (regexp_table(5);
// Postfix scans for the closing '/' skipping backslash escapes).
QString regexpLiteral(const QString &text)
{
    static const QString special = QStringLiteral("\\^$.[]|()*+?{}/");
    QString out;
    out.reserve(text.size() * 2);
    for (const QChar c : text) {
        if (special.contains(c))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

// One lookup table with its hash: part and its regexp: part.
class Table
{
public:
    void add(const QString &key, const QString &value)
    {
        if (hashableKey(key)) {
            m_hash += key + QLatin1Char(' ') + value + QLatin1Char('\n');
        } else {
            // regexp: results interpolate $1..; a literal '$' is written "$$".
            QString literal = value;
            literal.replace(QLatin1Char('$'), QLatin1String("$$"));
            m_regexp += QStringLiteral("/^") + regexpLiteral(key) + QStringLiteral("$/ ") + literal +
                        QLatin1Char('\n');
        }
        ++m_count;
    }
    void comment(const QString &text) { m_hash += QStringLiteral("# ") + text + QLatin1Char('\n'); }
    int count() const { return m_count; }
    QString hashText() const { return m_hash; }
    QString regexpText() const { return m_regexp; }

private:
    QString m_hash;
    QString m_regexp;
    int m_count = 0;
};

struct Rule
{
    QString source; // "bob@x" or "x" (domain rules: the domain alone)
    QString target; // "bob.owen@y" or "y"
    bool user = false;
    Area area = Area::Inbound;
};

QString ruleText(const Rule &r)
{
    return r.user ? r.source + QStringLiteral(" -> ") + r.target
                  : displayDomain(r.source) + QStringLiteral(" -> ") + displayDomain(r.target);
}

void sortByFoldedSource(QList<Rule> &rules)
{
    std::stable_sort(rules.begin(), rules.end(),
                     [](const Rule &a, const Rule &b) { return folded(a.source) < folded(b.source); });
}

// The rules of one canonical map in docs/behaviour.md "Routing precedence": users, then domains.
QList<Rule> recipientRules(const ConfigData &config, QStringList &warnings)
{
    QList<Rule> users;
    for (const UserMapping &m : config.area(Area::Inbound).users)
        users << Rule{m.source, m.target, true, Area::Inbound};
    sortByFoldedSource(users);

    QList<Rule> domains;
    QHash<QString, QString> inboundDomains;
    for (const DomainMapping &m : config.area(Area::Inbound).domains) {
        domains << Rule{m.source, m.target, false, Area::Inbound};
        inboundDomains.insert(folded(m.source), m.target);
    }
    for (const DomainMapping &m : config.area(Area::Relay).domains) {
        if (const auto it = inboundDomains.constFind(folded(m.source)); it != inboundDomains.constEnd()) {
            warnings << QStringLiteral(
                            "Relay rule %1 -> %2 is not exported: the Inbound rule %1 -> %3 applies first "
                            "(docs/behaviour.md 'Routing precedence'), in MailRoute as in Postfix")
                            .arg(displayDomain(m.source), displayDomain(m.target), displayDomain(it.value()));
            continue;
        }
        domains << Rule{m.source, m.target, false, Area::Relay};
    }
    sortByFoldedSource(domains);
    return users + domains;
}

QList<Rule> senderRules(const ConfigData &config)
{
    QList<Rule> users;
    for (const UserMapping &m : config.area(Area::Outbound).users)
        users << Rule{m.source, m.target, true, Area::Outbound};
    sortByFoldedSource(users);
    QList<Rule> domains;
    for (const DomainMapping &m : config.area(Area::Outbound).domains)
        domains << Rule{m.source, m.target, false, Area::Outbound};
    sortByFoldedSource(domains);
    return users + domains;
}

// cleanup(8) maps a canonical result again until it maps to itself; MailRoute
// maps once (docs/behaviour.md "Routing precedence"). Names every rule whose
// result this map would change again.
void findChains(const QList<Rule> &rules, const QString &mapName, QStringList &warnings)
{
    QHash<QString, const Rule *> userRules;
    QHash<QString, const Rule *> domainRules;
    QHash<QString, int> movingUsersPerDomain; // user rules that change the address, per source domain
    for (const Rule &r : rules) {
        if (r.user) {
            userRules.insert(folded(r.source), &r);
            if (folded(r.source) != folded(r.target))
                ++movingUsersPerDomain[folded(domainOf(r.source))];
        } else {
            domainRules.insert(folded(r.source), &r);
        }
    }
    auto warn = [&](const Rule &first, const Rule &second, const QString &which) {
        warnings << QStringLiteral(
                        "%1: %2 is followed by %3 for %4 in Postfix (canonical maps are recursive; "
                        "MailRoute maps a result once)")
                        .arg(mapName, ruleText(first), ruleText(second), which);
    };
    for (const Rule &r : rules) {
        const QString resultDomain = r.user ? domainOf(r.target) : r.target;
        if (r.user) {
            if (const Rule *next = userRules.value(folded(r.target));
                next && folded(next->target) != folded(r.target)) {
                warn(r, *next, r.target);
                continue;
            }
            if (userRules.contains(folded(r.target)))
                continue; // the result maps to itself: Postfix stops there
        } else if (const int n = movingUsersPerDomain.value(folded(resultDomain)); n > 0) {
            for (const Rule &u : rules) {
                if (u.user && folded(domainOf(u.source)) == folded(resultDomain) &&
                    folded(u.source) != folded(u.target)) {
                    const QString example = localOf(u.source) + QLatin1Char('@') + r.source;
                    warn(r, u,
                         n == 1 ? example
                                : QStringLiteral("%1 (and %2 other user rules of %3)")
                                      .arg(example)
                                      .arg(n - 1)
                                      .arg(displayDomain(resultDomain)));
                    break;
                }
            }
        }
        if (const Rule *next = domainRules.value(folded(resultDomain));
            next && folded(next->target) != folded(resultDomain))
            warn(r, *next, r.user ? r.target : QStringLiteral("every address of ") + displayDomain(r.source));
    }
}

Table canonicalTable(const QList<Rule> &rules)
{
    Table t;
    bool domainsStarted = false;
    for (const Rule &r : rules) {
        if (r.user) {
            for (const QString &d : domainForms(domainOf(r.source)))
                t.add(localOf(r.source) + QLatin1Char('@') + d, r.target);
            continue;
        }
        if (!domainsStarted) {
            t.comment(QStringLiteral(
                "domain rules: the local part is kept (canonical(5): @domain -> @otherdomain)"));
            domainsStarted = true;
        }
        for (const QString &d : domainForms(r.source))
            t.add(QLatin1Char('@') + d, QLatin1Char('@') + r.target);
    }
    return t;
}

// Postfix's next-hop syntax is MailRoute's (hostport.h); an IP address goes in
// brackets, since Postfix would take a bare one as a name to look up MX for.
Result<QString> postfixNextHop(const QString &text)
{
    const Result<HostPort> hp = parseHostPort(text);
    if (!hp)
        return Result<QString>::failure(hp.error);
    if (hp->isAddress && !hp->bracketed) {
        HostPort bracketed = *hp;
        bracketed.bracketed = true;
        return Result<QString>::success(bracketed.toString());
    }
    return Result<QString>::success(hp->toString());
}

// outbound.allowed_clients in mynetworks syntax (IPv6 networks in brackets).
QStringList postfixNetworks(const QString &canonicalList)
{
    QStringList out{QStringLiteral("127.0.0.1/32"), QStringLiteral("[::1]/128")};
    for (const QString &item : SettingsSchema::toList(canonicalList)) {
        QString network = item;
        if (item.contains(QLatin1Char(':'))) {
            const qsizetype slash = item.indexOf(QLatin1Char('/'));
            network = QLatin1Char('[') + item.left(slash < 0 ? item.size() : slash) + QLatin1Char(']') +
                      (slash < 0 ? QStringLiteral("/128") : item.mid(slash));
        }
        if (!out.contains(network))
            out << network;
    }
    return out;
}

// The cidr: table that sends allow-listed clients' mail through the second pass
// (IPv6 without brackets in cidr_table(5)).
QString outboundClients(const QString &canonicalList)
{
    QString t;
    for (const QString &item : SettingsSchema::toList(canonicalList))
        t += item + QStringLiteral(" FILTER mailroute-outbound:[") +
             kReinjectAddress.section(QLatin1Char(':'), 0, 0) + QStringLiteral("]:") +
             kReinjectAddress.section(QLatin1Char(':'), 1) + QLatin1Char('\n');
    return t;
}

// The cidr: table that subjects allow-listed clients' relaying to the sender
// check (the restriction class kSenderClass of main.cf.fragment).
QString allowedSenderClients(const QString &canonicalList)
{
    QString t;
    for (const QString &item : SettingsSchema::toList(canonicalList))
        t += item + QLatin1Char(' ') + kSenderClass + QLatin1Char('\n');
    return t;
}

QString header(const QString &what, qint64 generation)
{
    return QStringLiteral(
               "# %1\n# Exported by MailRoute from generation %2; regenerate after every push\n"
               "# (mailroutectl export postfix DIR), then run postmap.sh and \"postfix reload\".\n")
        .arg(what, QString::number(generation));
}

// The keys that sign in this generation (state active), by domain.
QList<DkimKey> signingKeys(const ConfigData &config)
{
    QList<DkimKey> keys;
    for (const DkimKey &k : config.dkimKeys) {
        if (k.state == DkimKeyState::Active)
            keys << k;
    }
    std::sort(keys.begin(), keys.end(),
              [](const DkimKey &a, const DkimKey &b) { return a.domain < b.domain; });
    return keys;
}

QString dkimKeyName(const DkimKey &k)
{
    return k.domain + QLatin1Char('.') + k.selector;
}

// Where the relays read a key: DIR/dkim/DOMAIN.SELECTOR.pem. The export names
// it; the admin copies the file there (it is never exported).
QString relayKeyPath(const QString &dir, const DkimKey &k)
{
    return dir + QStringLiteral("/dkim/") + dkimKeyName(k) + QStringLiteral(".pem");
}

// DKIM (issue 10): Postfix cannot sign; OpenDKIM as a milter can, with the
// KeyTable and SigningTable of this export. Commented out: the milter must be
// installed and its keys copied first.
QString dkimMainCf(const ConfigData &config, const QString &dir)
{
    const QList<DkimKey> keys = signingKeys(config);
    QString t = QStringLiteral(
                    "\n"
                    "# DKIM: MailRoute signs Outbound mail for the rewritten sender domain; Postfix itself\n"
                    "# cannot sign. Use OpenDKIM as a milter with the KeyTable and SigningTable of this\n"
                    "# export, in opendkim.conf:\n"
                    "#   KeyTable      file:%1/KeyTable\n"
                    "#   SigningTable  refile:%1/SigningTable\n")
                    .arg(dir);
    if (keys.isEmpty()) {
        t += QStringLiteral("# This generation has no active DKIM key: nothing to sign.\n");
    } else {
        t += QStringLiteral(
            "# The private keys are NOT exported. Copy each key file to the path KeyTable names, on\n"
            "# every relay, readable only by OpenDKIM's user (mode 0600, in a folder of mode 0700):\n");
        for (const DkimKey &k : keys)
            t += QStringLiteral("#   %1 -> %2\n").arg(k.keyFile, relayKeyPath(dir, k));
        t += QStringLiteral(
            "# OpenDKIM signs every message whose From: domain is in SigningTable; MailRoute signs\n"
            "# only mail it rewrote to that domain.\n");
    }
    t += QStringLiteral(
             "# Sign after the Outbound rewrite: give the second pass of master.cf.fragment the milter\n"
             "# (\"-o smtpd_milters=inet:127.0.0.1:8891\" under %1), or every message here:\n"
             "#smtpd_milters = inet:127.0.0.1:8891\n"
             "#non_smtpd_milters = $smtpd_milters\n"
             "#milter_default_action = accept\n")
             .arg(kReinjectAddress);
    return t;
}

// Recipient verification (verify.*, docs/behaviour.md "Recipient
// verification") as Postfix's reject_unverified_recipient with the same cache
// times, so a fleet of Postfix relays answers RCPT as MailRoute does.
QString verifyMainCf(const ConfigData &config)
{
    if (setting(config, SettingKey::verifyRecipients()) == u"off")
        return QStringLiteral(
            "# Recipient verification is off (verify.recipients): unknown users are accepted and "
            "bounced later.\n");
    const qint64 positive = SettingsSchema::toInteger(setting(config, SettingKey::verifyPositiveTtl()));
    const qint64 negative = SettingsSchema::toInteger(setting(config, SettingKey::verifyNegativeTtl()));
    const QString sender = setting(config, SettingKey::relayVerifySender());
    const QStringList excluded = SettingsSchema::toList(setting(config, SettingKey::verifyExcludeDomains()));
    QString exclusions;
    if (!excluded.isEmpty()) {
        QStringList entries;
        for (const QString &d : excluded)
            entries << d + QStringLiteral("=OK");
        exclusions = QStringLiteral("check_recipient_access inline:{ ") + entries.join(QStringLiteral(", ")) +
                     QStringLiteral(" }, ");
    }
    return QStringLiteral(
               "# Recipient verification (verify.recipients = inbound): the target is asked at RCPT\n"
               "# whether it would take the rewritten address, so no backscatter is ever sent.\n"
               "# Allow-listed clients (mynetworks) are not verified; verify.exclude_domains are\n"
               "# matched against the recipient domain as received.\n"
               "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination, "
               "%1reject_unverified_recipient\n"
               "unverified_recipient_reject_code = 550\n"
               "unverified_recipient_defer_code = 450\n"
               "address_verify_positive_expire_time = %2s\n"
               "address_verify_positive_refresh_time = %3s\n"
               "address_verify_negative_cache = yes\n"
               "address_verify_negative_expire_time = %4s\n"
               "address_verify_negative_refresh_time = %5s\n"
               "address_verify_sender = %6\n"
               "address_verify_map = btree:$data_directory/verify_cache\n")
        .arg(exclusions, QString::number(positive), QString::number(std::max<qint64>(positive / 2, 1)),
             QString::number(negative), QString::number(std::max<qint64>(negative / 2, 1)),
             sender.isEmpty() ? QStringLiteral("<>") : sender);
}

QString mainCf(const ConfigData &config, qint64 generation, const QString &dir, bool hasSasl,
               const QString &relayhost)
{
    // Postfix's canonical maps cannot tell whether a DKIM signature covers a
    // field, so `unsigned` is exported as recipient header rewriting off
    // (signatures stay valid; build() says so in the warnings).
    const bool recipientHeaders = setting(config, SettingKey::rewriteRecipientHeaders()) == u"always";
    const bool senderHeaders = setting(config, SettingKey::rewriteSenderHeaders()) == u"yes";
    const bool headers = recipientHeaders || senderHeaders;
    const QList<qint64> schedule =
        SettingsSchema::toDurationList(setting(config, SettingKey::retrySchedule()));
    qint64 lifetime = 0;
    for (qint64 s : schedule)
        lifetime = std::max(lifetime, s);
    const QString hash = QStringLiteral("hash:") + dir + QLatin1Char('/');
    const QString regexp = QStringLiteral("regexp:") + dir + QLatin1Char('/');
    QString t = header(
        QStringLiteral("main.cf settings: add them to main.cf (or \"postconf -e\" each line)."), generation);
    t +=
        QStringLiteral(
            "# This relay is no final destination: it rewrites, then forwards "
            "(docs/behaviour.md 'Postfix export').\n"
            "mydestination =\n"
            "\n"
            "# Rewriting (docs/behaviour.md 'Envelope rewriting'). One recipient map for Relay and Inbound, "
            "Outbound for senders.\n"
            "# Postfix tries user@domain in every map before @domain: MailRoute's precedence.\n"
            "recipient_canonical_maps = %1recipient_canonical, %2recipient_canonical.regexp\n"
            "recipient_canonical_classes = %3\n"
            "# Outbound rules apply to allow-listed clients only (docs/behaviour.md 'Who may send what'): "
            "not here, where they would\n"
            "# apply to every client, but in the second pass of master.cf.fragment, which their mail\n"
            "# takes (smtpd_data_restrictions below).\n"
            "sender_canonical_maps =\n"
            "mailroute_sender_canonical_maps = %1sender_canonical, %2sender_canonical.regexp\n"
            "sender_canonical_classes = %4\n"
            "smtpd_data_restrictions = check_client_access cidr:%5/outbound_clients\n"
            "# canonical_maps would rewrite senders and recipients alike: MailRoute has no such rules.\n"
            "canonical_maps =\n"
            "%6"
            "# MailRoute knows no address extensions, bang paths, %-hacks or masquerading.\n"
            "recipient_delimiter =\n"
            "swap_bangpath = no\n"
            "allow_percent_hack = no\n"
            "append_dot_mydomain = no\n"
            "masquerade_domains =\n"
            "\n"
            "# Who may relay (docs/behaviour.md 'Who may send what'): allow-listed clients to anyone; "
            "others only to addresses a rule "
            "claims.\n"
            "mynetworks = %5/mynetworks\n"
            "relay_domains = %1relay_domains\n"
            "relay_recipient_maps = $recipient_canonical_maps\n"
            "smtpd_reject_unlisted_recipient = no\n"
            "# Allow-listed clients relay anywhere only for the sender domains of outbound.allowed_senders\n"
            "# (and <>): %5/allowed_sender_clients names them, the class below checks the sender; any\n"
            "# other sender may still reach the addresses a rule claims, as every client may.\n"
            "smtpd_relay_restrictions = check_client_access cidr:%5/allowed_sender_clients, "
            "permit_mynetworks, "
            "reject_unlisted_recipient, reject_unauth_destination\n"
            "smtpd_restriction_classes = mailroute_allowed_senders\n"
            "mailroute_allowed_senders = check_sender_access %1allowed_senders, reject_unlisted_recipient, "
            "permit_auth_destination, check_sender_access %2allowed_senders_refusal.regexp\n"
            "relay_domains_reject_code = 550\n"
            "# A rule for example.com does not cover sub.example.com (the default minus relay_domains and\n"
            "# smtpd_access_maps: outbound.allowed_senders names exact domains too).\n"
            "parent_domain_matches_subdomains = debug_peer_list, fast_flush_domains, mynetworks,\n"
            "    permit_mx_backup_networks, qmqpd_authorized_clients\n"
            "\n"
            "# Next hops (docs/behaviour.md 'Next hops and DNS'): per-domain routes, then the smart host, "
            "then MX records.\n"
            "transport_maps = %1transport\n")
            .arg(hash, regexp,
                 recipientHeaders ? QStringLiteral("envelope_recipient, header_recipient")
                                  : QStringLiteral("envelope_recipient"),
                 senderHeaders ? QStringLiteral("envelope_sender, header_sender")
                               : QStringLiteral("envelope_sender"),
                 dir,
                 headers ? QStringLiteral("# Rewrite headers of mail from every client, not only local ones "
                                          "(Postfix 2.2 and\n"
                                          "# later leave remote clients' headers alone unless this is set).\n"
                                          "local_header_rewrite_clients = permit_mynetworks\n"
                                          "remote_header_rewrite_domain = domain.invalid\n")
                         : QStringLiteral(
                               "# rewrite.recipient_headers and rewrite.sender_headers rewrite no header: "
                               "headers are left\n# alone, as MailRoute does.\n"
                               "remote_header_rewrite_domain =\n"));
    t += QStringLiteral("relayhost = %1\n").arg(relayhost);
    t += verifyMainCf(config);
    // TLS towards next hops (docs/behaviour.md "TLS"): delivery.tls_policy by
    // default; routes with a policy of their own and the smart host
    // (delivery.smarthost_tls) in tls_policy, keyed by the next hop as
    // transport and relayhost write it (TLS_README).
    t += QStringLiteral(
             "# TLS towards next hops: delivery.tls_policy, and per route / smart host in tls_policy.\n"
             "smtp_tls_security_level = %1\nsmtp_tls_policy_maps = %2tls_policy\n")
             .arg(setting(config, SettingKey::deliveryTlsPolicy()), hash);
    if (const QString ca = setting(config, SettingKey::deliveryTlsCaFile()); !ca.isEmpty())
        t += QStringLiteral("smtp_tls_CAfile = %1\n").arg(ca);
    if (hasSasl) {
        t +=
            QStringLiteral(
                "# The smart host wants SMTP AUTH: create %1/sasl_passwd from sasl_passwd.example with the\n"
                "# password (MailRoute keeps it in the keychain and never exports it), then run postmap.sh.\n"
                "# PLAIN and LOGIN only inside TLS, as MailRoute does.\n"
                "smtp_sasl_auth_enable = yes\n"
                "smtp_sasl_password_maps = %2sasl_passwd\n"
                "smtp_sasl_security_options = noanonymous, noplaintext\n"
                "smtp_sasl_tls_security_options = noanonymous\n")
                .arg(dir, hash);
    }
    const QString cert = setting(config, SettingKey::tlsCertificate());
    const QString key = setting(config, SettingKey::tlsKey());
    if (!cert.isEmpty() && !key.isEmpty()) {
        t += QStringLiteral(
                 "# STARTTLS for clients (copy the files to each relay).\n"
                 "smtpd_tls_cert_file = %1\nsmtpd_tls_key_file = %2\nsmtpd_tls_security_level = may\n"
                 "smtpd_tls_protocols = >=TLSv1.2\n")
                 .arg(cert, key);
    }
    t +=
        QStringLiteral(
            "\n"
            "# Limits (docs/behaviour.md 'Limits') from the settings.\n"
            "message_size_limit = %1\n"
            "smtpd_recipient_limit = %2\n"
            "# Loops (docs/behaviour.md 'Loop protection'): MailRoute refuses more than relay.max_hops "
            "Received: fields; Postfix\n"
            "# counts its own too and refuses at the limit, and the second pass adds one more.\n"
            "hopcount_limit = %3\n"
            "mailroute_pass2_hopcount_limit = %8\n"
            "smtpd_client_connection_count_limit = %4\n"
            "smtpd_timeout = %5s\n"
            "smtpd_hard_error_limit = %6\n"
            "# Postfix retries on its own back-off; give up when MailRoute's retry.schedule would.\n"
            "maximal_queue_lifetime = %7s\n"
            "bounce_queue_lifetime = %7s\n")
            .arg(setting(config, SettingKey::limitsMessageSize()),
                 setting(config, SettingKey::limitsRecipients()),
                 QString::number(SettingsSchema::toInteger(setting(config, SettingKey::relayMaxHops())) + 2),
                 setting(config, SettingKey::limitsSessionsPerIp()),
                 setting(config, SettingKey::limitsCommandTimeout()),
                 setting(config, SettingKey::limitsErrors()), QString::number(std::max<qint64>(lifetime, 1)),
                 QString::number(SettingsSchema::toInteger(setting(config, SettingKey::relayMaxHops())) + 3));
    const QString hostname = setting(config, SettingKey::relayHostname());
    t +=
        QStringLiteral(
            "# Each relay of a fleet has its own name (MailRoute's: %1).\n#myhostname = relay1.example.com\n")
            .arg(hostname.isEmpty() ? QStringLiteral("this machine's") : hostname);
    t += dkimMainCf(config, dir);
    return t;
}

QString masterCf(qint64 generation, const QString &dir)
{
    QString t =
        header(QStringLiteral("master.cf services: add them to master.cf. Allow-listed clients' mail comes "
                              "back\n# through %1, where only the Outbound rules apply; if that port is "
                              "taken,\n# change it here and in %2/outbound_clients.")
                   .arg(kReinjectAddress, dir),
               generation);
    t += QStringLiteral("mailroute-outbound unix -       -       n       -       -       smtp\n"
                        "  -o smtp_tls_security_level=none\n"
                        "%1 inet n       -       n       -       -       smtpd\n"
                        "  -o cleanup_service_name=mailroute-senders\n"
                        "  -o content_filter=\n"
                        "  -o smtpd_data_restrictions=\n"
                        "  -o smtpd_client_restrictions=\n"
                        "  -o smtpd_helo_restrictions=\n"
                        "  -o smtpd_sender_restrictions=\n"
                        "  -o smtpd_recipient_restrictions=\n"
                        "  -o smtpd_relay_restrictions=permit_mynetworks,reject\n"
                        "  -o mynetworks=127.0.0.0/8\n"
                        "  -o smtpd_client_connection_count_limit=0\n"
                        "  -o message_size_limit=0\n"
                        "  -o receive_override_options=no_unknown_recipient_checks\n"
                        "mailroute-senders unix n       -       n       -       0       cleanup\n"
                        "  -o hopcount_limit=$mailroute_pass2_hopcount_limit\n"
                        "  -o recipient_canonical_maps=\n"
                        "  -o sender_canonical_maps=$mailroute_sender_canonical_maps\n")
             .arg(kReinjectAddress);
    return t;
}

QString postmapScript(const QStringList &hashTables)
{
    QString t = QStringLiteral(
        "#!/bin/sh\n"
        "# Indexes the hash: tables of this MailRoute export; run it after every export, then\n"
        "# \"postfix reload\". The regexp: tables need no postmap. For a Postfix instance other\n"
        "# than /etc/postfix, set MAIL_CONFIG to its config directory.\n"
        "set -e\n"
        "cd \"$(dirname \"$0\")\"\n"
        "PATH=$PATH:/usr/sbin:/usr/local/sbin\n");
    for (const QString &name : hashTables)
        t += QStringLiteral("postmap hash:%1\n").arg(name);
    t += QStringLiteral("if [ -f sasl_passwd ]; then postmap hash:sasl_passwd; fi\n");
    return t;
}

} // namespace

const ExportedFile *PostfixExportResult::file(const QString &name) const
{
    for (const ExportedFile &f : files) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

PostfixExportResult PostfixExport::build(const ConfigData &config, qint64 generation,
                                         const QString &directory)
{
    PostfixExportResult r;
    r.generation = generation;
    const QString dir = QDir::cleanPath(directory);
    auto addFile = [&r](const QString &name, const QString &text, bool postmap) {
        r.files << ExportedFile{name, text.toUtf8(), postmap};
    };

    const QList<Rule> recipients = recipientRules(config, r.warnings);
    const QList<Rule> senders = senderRules(config);
    findChains(recipients, QStringLiteral("recipient_canonical"), r.warnings);
    findChains(senders, QStringLiteral("sender_canonical"), r.warnings);

    const Table rcpt = canonicalTable(recipients);
    r.recipientRules = rcpt.count();
    if (r.recipientRules > 0 && setting(config, SettingKey::rewriteRecipientHeaders()) == u"unsigned")
        r.warnings << QStringLiteral(
            "rewrite.recipient_headers unsigned cannot be expressed with Postfix's canonical maps (they "
            "cannot "
            "tell whether a DKIM signature covers To:/Cc:): exported as recipient header rewriting off, "
            "which "
            "keeps senders' signatures valid but leaves To:/Cc: of unsigned mail unrewritten too");
    addFile(kRecipientCanonical,
            header(QStringLiteral(
                       "Relay and Inbound rules, for recipient_canonical_maps and relay_recipient_maps."),
                   generation) +
                rcpt.hashText(),
            true);
    addFile(kRecipientCanonical + kRegexpSuffix,
            header(QStringLiteral(
                       "Recipient rules whose address the hash: format cannot hold (spaces, leading #)."),
                   generation) +
                rcpt.regexpText(),
            false);
    const Table snd = canonicalTable(senders);
    r.senderRules = snd.count();
    addFile(kSenderCanonical,
            header(QStringLiteral("Outbound rules, for the second pass (mailroute_sender_canonical_maps)."),
                   generation) +
                snd.hashText(),
            true);
    addFile(
        kSenderCanonical + kRegexpSuffix,
        header(QStringLiteral("Sender rules whose address the hash: format cannot hold (spaces, leading #)."),
               generation) +
            snd.regexpText(),
        false);

    // Every domain a Relay or Inbound rule claims
    // (docs/behaviour.md "Who may send what"), user rules' domains included;
    // relay_recipient_maps then admits only the addresses a rule matches.
    QStringList domains;
    for (const Rule &rule : recipients) {
        const QString d = rule.user ? domainOf(rule.source) : rule.source;
        for (const QString &form : domainForms(d)) {
            if (!domains.contains(form))
                domains << form;
        }
    }
    std::sort(domains.begin(), domains.end());
    QString relayDomains =
        header(QStringLiteral("Domains with a Relay or Inbound rule, for relay_domains."), generation);
    for (const QString &d : domains)
        relayDomains += d + QStringLiteral(" OK\n");
    addFile(kRelayDomains, relayDomains, true);

    QList<TransportRoute> routes = config.routes;
    std::sort(routes.begin(), routes.end(),
              [](const TransportRoute &a, const TransportRoute &b) { return a.domain < b.domain; });
    QString transport =
        header(QStringLiteral("Per-domain next hops (MailRoute routes), for transport_maps."), generation);
    QMap<QString, QString> tlsPolicies; // next hop -> Postfix TLS level
    auto addTlsPolicy = [&r, &tlsPolicies](const QString &hop, const QString &level, const QString &what) {
        if (const auto it = tlsPolicies.constFind(hop); it != tlsPolicies.constEnd() && it.value() != level) {
            r.warnings << QStringLiteral(
                              "%1: TLS policy %2 for %3 is not exported, %3 already has %4 (Postfix "
                              "keys the policy by next hop)")
                              .arg(what, level, hop, it.value());
            return;
        }
        tlsPolicies.insert(hop, level);
    };
    for (const TransportRoute &route : routes) {
        const Result<QString> hop = postfixNextHop(route.nextHop);
        if (!hop) {
            r.warnings << QStringLiteral("route %1 -> %2 is not exported: %3")
                              .arg(route.domain, route.nextHop, hop.error);
            continue;
        }
        for (const QString &form : domainForms(route.domain))
            transport += form + QStringLiteral(" smtp:") + *hop + QLatin1Char('\n');
        if (route.tls)
            addTlsPolicy(*hop, tlsPolicyName(*route.tls), QStringLiteral("route ") + route.domain);
    }
    addFile(kTransport, transport, true);

    QString relayhost;
    if (const QString smarthost = setting(config, SettingKey::deliverySmarthost()); !smarthost.isEmpty()) {
        const Result<QString> hop = postfixNextHop(smarthost);
        if (hop) {
            relayhost = *hop;
            addTlsPolicy(relayhost, setting(config, SettingKey::deliverySmarthostTls()),
                         SettingKey::deliverySmarthost());
        } else {
            r.warnings
                << QStringLiteral("delivery.smarthost %1 is not exported: %2").arg(smarthost, hop.error);
        }
    }
    QString tlsPolicy =
        header(QStringLiteral("TLS policy per next hop (routes with their own, the smart host), for "
                              "smtp_tls_policy_maps."),
               generation);
    for (auto it = tlsPolicies.constBegin(); it != tlsPolicies.constEnd(); ++it)
        tlsPolicy += it.key() + QLatin1Char(' ') + it.value() + QLatin1Char('\n');
    addFile(kTlsPolicy, tlsPolicy, true);

    // OpenDKIM's tables (opendkim.conf(5)): KeyTable "NAME DOMAIN:SELECTOR:KEYFILE",
    // SigningTable (refile:) "PATTERN NAME". No postmap: file: and refile: are read as text.
    QString keyTable =
        header(QStringLiteral("OpenDKIM KeyTable (KeyTable file:%1/KeyTable) of the active DKIM keys; "
                              "the key files\n# are not exported: copy them (mode 0600) to the paths "
                              "named here, on every relay.")
                   .arg(dir),
               generation);
    QString signingTable =
        header(QStringLiteral("OpenDKIM SigningTable (SigningTable refile:%1/SigningTable): "
                              "which key signs mail from\n# which sender domain.")
                   .arg(dir),
               generation);
    for (const DkimKey &k : signingKeys(config)) {
        keyTable += dkimKeyName(k) + QLatin1Char(' ') + k.domain + QLatin1Char(':') + k.selector +
                    QLatin1Char(':') + relayKeyPath(dir, k) + QLatin1Char('\n');
        signingTable +=
            QStringLiteral("*@") + k.domain + QLatin1Char(' ') + dkimKeyName(k) + QLatin1Char('\n');
    }
    addFile(kKeyTable, keyTable, false);
    addFile(kSigningTable, signingTable, false);

    addFile(
        kMynetworks,
        header(
            QStringLiteral("Clients that may relay anywhere (outbound.allowed_clients, plus this host), for "
                           "mynetworks."),
            generation) +
            postfixNetworks(setting(config, SettingKey::outboundAllowedClients())).join(QLatin1Char('\n')) +
            QLatin1Char('\n'),
        false);

    addFile(kOutboundClients,
            header(QStringLiteral(
                       "Allow-listed clients (outbound.allowed_clients): their mail takes the second pass "
                       "of\n# master.cf.fragment, where the Outbound rules rewrite senders. A cidr: "
                       "table, no postmap."),
                   generation) +
                outboundClients(setting(config, SettingKey::outboundAllowedClients())),
            false);
    addFile(
        kAllowedSenderClients,
        header(
            QStringLiteral(
                "Allow-listed clients (outbound.allowed_clients): their relaying goes through the sender\n# "
                "check of main.cf.fragment (restriction class mailroute_allowed_senders). A cidr: table."),
            generation) +
            allowedSenderClients(setting(config, SettingKey::outboundAllowedClients())),
        false);
    const AllowedSenders senderDomains = allowedSenders(config);
    QString allowed = header(
        senderDomains.derived
            ? QStringLiteral("Sender domains allow-listed clients may relay for: outbound.allowed_senders is "
                             "empty,\n# so the domains the Outbound rules name. <> (bounces) passes too.")
            : QStringLiteral("Sender domains allow-listed clients may relay for (outbound.allowed_senders). "
                             "<> (bounces)\n# passes too."),
        generation);
    allowed += QStringLiteral("<> OK\n");
    for (const QString &domain : senderDomains.domains) {
        for (const QString &form : domainForms(domain))
            allowed += form + QStringLiteral(" OK\n");
    }
    addFile(kAllowedSenders, allowed, true);
    addFile(
        kSenderRefusal,
        header(QStringLiteral("Every other sender of an allow-listed client, to an address no rule claims: "
                              "MailRoute's reply."),
               generation) +
            QStringLiteral("/^/ 550 5.7.1 sender domain not in outbound.allowed_senders\n"),
        false);
    addFile(kMasterCf, masterCf(generation, dir), false);
    const QString username = setting(config, SettingKey::smarthostUsername());
    const bool sasl = !username.isEmpty() && !relayhost.isEmpty();
    addFile(kMainCf, mainCf(config, generation, dir, sasl, relayhost), false);
    if (sasl) {
        addFile(kSaslExample,
                header(QStringLiteral("Copy to sasl_passwd, put the smart host's password in place of the "
                                      "placeholder, chmod 600, run postmap.sh."),
                       generation) +
                    relayhost + QLatin1Char(' ') + username +
                    QStringLiteral(":PASSWORD-FROM-YOUR-KEYCHAIN\n"),
                false);
    }
    QStringList hashTables;
    for (const ExportedFile &f : std::as_const(r.files)) {
        if (f.postmap)
            hashTables << f.name;
    }
    addFile(kPostmapScript, postmapScript(hashTables), false);
    return r;
}

Status PostfixExport::write(const PostfixExportResult &result, const QString &directory)
{
    if (directory.isEmpty())
        return Status::failure(QStringLiteral("no export directory given"));
    const QFileInfo info(directory);
    if (info.exists() && !info.isDir())
        return Status::failure(QStringLiteral("%1 exists and is not a directory").arg(directory));
    if (!info.exists() && !QDir().mkpath(directory))
        return Status::failure(QStringLiteral("cannot create the directory %1").arg(directory));

    // Every file goes to a temporary name first; only when all are written are
    // they renamed into place, so a failure leaves the previous export as it was.
    QList<std::pair<QString, QString>> staged; // temporary path, final path
    auto discard = [&staged] {
        for (const auto &s : std::as_const(staged))
            QFile::remove(s.first);
    };
    for (const ExportedFile &f : result.files) {
        QTemporaryFile tmp(
            QDir(directory).filePath(QStringLiteral(".") + f.name + QStringLiteral(".XXXXXX")));
        tmp.setAutoRemove(false);
        if (!tmp.open()) {
            discard();
            return Status::failure(
                QStringLiteral("cannot write into %1: %2").arg(directory, tmp.errorString()));
        }
        staged.append({tmp.fileName(), QDir(directory).filePath(f.name)});
        const bool script = f.name.endsWith(QLatin1String(".sh"));
        const QFileDevice::Permissions perms =
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
            QFileDevice::ReadOther |
            (script ? QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther
                    : QFileDevice::Permissions());
        bool ok = tmp.write(f.content) == f.content.size() && tmp.flush() && tmp.setPermissions(perms);
#if defined(Q_OS_UNIX)
        ok = ok && ::fsync(tmp.handle()) == 0;
#endif
        tmp.close();
        if (!ok) {
            discard();
            return Status::failure(
                QStringLiteral("cannot write %1: %2").arg(staged.last().second, tmp.errorString()));
        }
    }
    for (const auto &s : std::as_const(staged)) {
#if defined(Q_OS_UNIX)
        const bool renamed =
            ::rename(QFile::encodeName(s.first).constData(), QFile::encodeName(s.second).constData()) == 0;
#else
        QFile::remove(s.second);
        const bool renamed = QFile::rename(s.first, s.second);
#endif
        if (!renamed) {
            discard();
            return Status::failure(QStringLiteral("cannot rename %1 to %2").arg(s.first, s.second));
        }
    }
#if defined(Q_OS_UNIX)
    const int fd = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#endif
    return okStatus();
}

Result<PostfixExportResult> PostfixExport::exportActiveGeneration(const ConfigStore &store,
                                                                  const QString &directory)
{
    using R = Result<PostfixExportResult>;
    const std::optional<qint64> active = store.activeGeneration();
    if (!active)
        return R::failure(QStringLiteral("nothing has been pushed yet: the export is made from the active "
                                         "generation (push the configuration first)"));
    const Result<ConfigData> config = store.generationConfig(*active);
    if (!config)
        return R::failure(config.error);
    const QString dir = QDir::cleanPath(QDir(directory).absolutePath());
    // The folder's path is written into main.cf and master.cf (hash:DIR/...):
    // a blank, comma or brace splits a Postfix list, '$' expands, '#' starts
    // a comment.
    static const QRegularExpression unsafe(QStringLiteral("[\\s,$#{}]"));
    if (const QRegularExpressionMatch m = unsafe.match(dir); m.hasMatch())
        return R::failure(
            QStringLiteral("the folder %1 contains '%2', which cannot stand in a Postfix table "
                           "path in main.cf; choose a folder without blanks, commas, $, # or braces")
                .arg(dir, m.captured(0).at(0).isSpace() ? QStringLiteral("a blank") : m.captured(0)));
    PostfixExportResult result = build(*config, *active, dir);
    if (const Status st = write(result, dir); !st)
        return R::failure(st.error);
    return R::success(std::move(result));
}

} // namespace mailroute
