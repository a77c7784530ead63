// The settings table and one parser per SettingType. Every parser turns what
// an admin typed into one canonical text, so the store, the diff shown before
// a push and mailroutectl all compare like with like. Pure; safe from any thread.
#include "relaycore/config/settingsschema.h"

#include "relaycore/config/hostport.h"
#include "relaycore/config/settingsmigration.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/routing/settingkeys.h"

#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace mailroute {

namespace {

constexpr qint64 kKiB = 1024;
constexpr qint64 kMiB = 1024 * kKiB;
constexpr qint64 kGiB = 1024 * kMiB;
constexpr qint64 kDay = 24 * 3600;
// Values are quoted back in error messages; a pasted certificate should not be.
constexpr qsizetype kMaxShownChars = 60;

QList<SettingDef> buildDefs()
{
    auto def = [](const QString &key, SettingType type, const char *defaultValue, const char *description,
                  qint64 min = 0, qint64 max = 0) {
        return SettingDef{key, type, QLatin1String(defaultValue), QLatin1String(description), min, max};
    };
    using T = SettingType;
    auto tlsPolicy = [](const QString &key, const char *description) {
        return SettingDef{key,
                          SettingType::String,
                          QStringLiteral("may"),
                          QLatin1String(description),
                          0,
                          0,
                          {QStringLiteral("may"), QStringLiteral("encrypt"), QStringLiteral("verify")}};
    };
    return {
        def(SettingKey::relayHostname(), T::Hostname, "",
            "Fully qualified host name the relay uses in its greeting, Received: fields and bounces; empty "
            "means "
            "this machine's host name, with .localdomain appended when it has no domain."),
        def(SettingKey::relayListen(), T::HostPort, "0.0.0.0:25",
            "Address and port the relay listens on for SMTP."),
        def(SettingKey::relayPublicAddress(), T::CidrList, "",
            "The relay's public IP address(es) as other mail servers see it, for the SPF readiness check; "
            "empty "
            "means the addresses of relay.hostname."),
        def(SettingKey::relayPostmaster(), T::Email, "",
            "The administrator's address: mail to postmaster and push confirmations go there."),
        def(SettingKey::relayMaxHops(), T::Integer, "50",
            "A message with more Received: fields than this is refused as a mail loop (554 5.4.6).", 1, 1000),
        SettingDef{
            SettingKey::rewriteRecipientHeaders(),
            T::String,
            QStringLiteral("unsigned"),
            QStringLiteral("Whether addresses in To:/Cc: are rewritten along with the envelope recipients: "
                           "unsigned (only where no valid DKIM signature of the sender covers the field, so "
                           "signed mail stays valid), always (breaks such signatures) or never."),
            0,
            0,
            {QStringLiteral("unsigned"), QStringLiteral("always"), QStringLiteral("never")}},
        SettingDef{
            SettingKey::rewriteSenderHeaders(),
            T::String,
            QStringLiteral("yes"),
            QStringLiteral("Whether addresses in From:/Sender:/Reply-To: of the Outbound area's clients are "
                           "rewritten along with the envelope sender: yes or no."),
            0,
            0,
            {QStringLiteral("yes"), QStringLiteral("no")}},
        def(SettingKey::outboundAllowedClients(), T::CidrList, "",
            "Networks whose clients may relay to any recipient, their senders rewritten by the Outbound "
            "area."),
        def(SettingKey::outboundAllowedSenders(), T::DomainList, "",
            "Envelope sender domains for which allowed clients may relay to any recipient (others get 550 "
            "5.7.1); "
            "empty means the domains the Outbound rules name."),
        def(SettingKey::deliverySmarthost(), T::HostPort, "",
            "Next hop for all mail without a per-domain route; empty means MX look-up in DNS."),
        def(SettingKey::deliveryConcurrencyPerDestination(), T::Integer, "10",
            "Maximum simultaneous connections to one next hop.", 1, 100),
        def(SettingKey::retrySchedule(), T::DurationList, "5m,20m,60m",
            "Delays after the first attempt at which a temporarily failed delivery is retried before it "
            "bounces.",
            1, 30 * kDay),
        def(SettingKey::retryMinBackoff(), T::Duration, "60",
            "Shortest time between two scheduled attempts for a recipient, also after a long stop of the "
            "relay.",
            1, kDay),
        def(SettingKey::retryDelayWarning(), T::Duration, "0",
            "After this long in the queue the sender gets one delay notice (a DSN that says delayed); 0 "
            "means never.",
            0, 30 * kDay),
        def(SettingKey::retryHoldMax(), T::Duration, "432000",
            "After a domain has been on hold this long the administrator is warned (log and "
            "relay.postmaster).",
            3600, 365 * kDay),
        def(SettingKey::logRetentionDays(), T::Integer, "30",
            "Days the message log and the action log are kept; older entries are deleted daily, 0 keeps them "
            "forever.",
            0, 36500),
        def(SettingKey::limitsMessageSize(), T::Size, "36700160",
            "Largest message accepted, in bytes (35M and 35MiB are accepted as input).", 1, 2 * kGiB),
        def(SettingKey::limitsRecipients(), T::Integer, "100", "Most recipients accepted in one message.", 1,
            100000),
        def(SettingKey::limitsCommandLine(), T::Integer, "512",
            "Longest SMTP command line accepted, in octets.", 512, 65536),
        def(SettingKey::limitsTextLine(), T::Integer, "1000",
            "Longest line of message text accepted, in octets.", 1000, 1048576),
        def(SettingKey::limitsSessions(), T::Integer, "200", "Most concurrent SMTP sessions.", 1, 100000),
        def(SettingKey::limitsSessionsPerIp(), T::Integer, "20",
            "Most concurrent SMTP sessions from one client address.", 1, 100000),
        def(SettingKey::limitsCommandTimeout(), T::Duration, "300",
            "Seconds the relay waits for an SMTP command.", 1, kDay),
        def(SettingKey::limitsDataTimeout(), T::Duration, "600",
            "Seconds the relay waits for the message text after DATA.", 1, kDay),
        def(SettingKey::limitsErrors(), T::Integer, "20",
            "Protocol errors tolerated before a session is closed.", 1, 1000),
        def(SettingKey::limitsJunkCommands(), T::Integer, "100",
            "NOOP, RSET, VRFY and unknown commands a session may send without delivering a message; the next "
            "one "
            "closes it (421 4.7.0).",
            1, 100000),
        def(SettingKey::tlsCertificate(), T::Path, "",
            "PEM certificate chain offered with STARTTLS; empty means STARTTLS is not offered."),
        def(SettingKey::tlsKey(), T::Path, "",
            "PEM private key of the certificate; a passphrase lives in the keychain."),
        SettingDef{SettingKey::tlsRequiredBeforeMail(),
                   T::String,
                   QStringLiteral("no"),
                   QStringLiteral(
                       "Clients that must use STARTTLS before MAIL (else 530 5.7.0): no, allowed_clients "
                       "(the outbound.allowed_clients networks) or all; needs tls.certificate and tls.key."),
                   0,
                   0,
                   {QStringLiteral("no"), QStringLiteral("allowed_clients"), QStringLiteral("all")}},
        def(SettingKey::smarthostUsername(), T::String, "",
            "User name for SMTP AUTH at the smart host; the password lives in the operating system's "
            "keychain."),
        tlsPolicy(
            SettingKey::deliveryTlsPolicy(),
            "TLS towards MX hosts and routes without a policy of their own: may (STARTTLS when offered), "
            "encrypt (TLS required) or verify (TLS required, certificate and host name checked)."),
        tlsPolicy(
            SettingKey::deliverySmarthostTls(),
            "TLS towards the smart host: may, encrypt or verify (SMTP AUTH is only ever sent inside TLS)."),
        def(SettingKey::deliveryTlsCaFile(), T::Path, "",
            "PEM file of extra certificate authorities trusted under the verify policy, besides the "
            "system's."),
        def(SettingKey::relayStopTimeout(), T::Duration, "30",
            "Seconds a stopping relay waits for deliveries in progress to get their answer before it exits.",
            1, 3600),
        SettingDef{
            SettingKey::relayConfirmations(),
            T::String,
            QStringLiteral("auto"),
            QStringLiteral("Confirmation emails to relay.postmaster after each push and user list upload: "
                           "auto (when relay.postmaster is set), on or off."),
            0,
            0,
            {QStringLiteral("auto"), QStringLiteral("on"), QStringLiteral("off")}},
        SettingDef{
            SettingKey::authDmarcReject(),
            T::String,
            QStringLiteral("no"),
            QStringLiteral("Whether mail from clients outside outbound.allowed_clients that fails DMARC "
                           "under its domain's p=reject is refused (550 5.7.1) at the end of DATA: no "
                           "(the target tenant decides; the verdicts go to Authentication-Results and the "
                           "log) or yes."),
            0,
            0,
            {QStringLiteral("no"), QStringLiteral("yes")}},
        def(SettingKey::arcDomain(), T::Hostname, "",
            "Domain whose active DKIM key seals forwarded mail with ARC, so that the target tenant can trust "
            "the results the relay saw; empty means no ARC sealing."),
        SettingDef{
            SettingKey::arcSeal(),
            T::String,
            QStringLiteral("modified"),
            QStringLiteral("Which messages get an ARC seal once arc.domain has an active key: modified "
                           "(those whose headers the relay rewrote), always or off."),
            0,
            0,
            {QStringLiteral("modified"), QStringLiteral("always"), QStringLiteral("off")}},
        // Recipient verification at RCPT (docs/behaviour.md "Recipient verification").
        SettingDef{
            SettingKey::verifyRecipients(),
            T::String,
            QStringLiteral("inbound"),
            QStringLiteral(
                "Whether the relay asks the target server if it would take an Inbound or Relay "
                "recipient before accepting it at RCPT: inbound (Inbound and Relay recipients) or off."),
            0,
            0,
            {QStringLiteral("off"), QStringLiteral("inbound")}},
        def(SettingKey::verifyExcludeDomains(), T::DomainList, "",
            "Recipient domains that are never verified at their target (mailroutectl verify exclude "
            "DOMAIN)."),
        def(SettingKey::verifyPositiveTtl(), T::Duration, "604800",
            "How long a recipient the target accepted is remembered without asking again.", 60, 90 * kDay),
        def(SettingKey::verifyNegativeTtl(), T::Duration, "10800",
            "How long a recipient the target refused is remembered without asking again.", 60, 30 * kDay),
        def(SettingKey::verifyConcurrency(), T::Integer, "2",
            "Most recipient verification probes to one next hop at the same time.", 1, 50),
        def(SettingKey::relayVerifySender(), T::Email, "",
            "Envelope sender of recipient verification probes; empty means the null sender <>."),
        def(SettingKey::wavesProbeRate(), T::Integer, "0",
            "Most recipient probes per minute when a migration wave is checked; 0 checks waves without "
            "probing "
            "their targets.",
            0, 600),
    };
}

QString shown(const QString &value)
{
    return QLatin1Char('\'') +
           (value.size() > kMaxShownChars ? value.left(kMaxShownChars) + QChar(0x2026) : value) +
           QLatin1Char('\'');
}

// Control characters never belong in a setting; CR and LF could also forge
// extra lines in settings files, logs or SMTP replies built from them.
QString controlCharacterProblem(const QString &value)
{
    for (const QChar ch : value) {
        switch (ch.unicode()) {
        case u'\r': return QStringLiteral("a carriage return (CR)");
        case u'\n': return QStringLiteral("a line feed (LF)");
        case u'\0': return QStringLiteral("a NUL character");
        default:
            if (ch.unicode() < 0x20 || ch.unicode() == 0x7F)
                return QStringLiteral("a control character (U+%1)")
                    .arg(ch.unicode(), 4, 16, QLatin1Char('0'));
        }
    }
    return {};
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1);
    QList<int> cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

QString suggestionFor(const QString &key)
{
    const QString folded = key.toLower();
    const SettingDef *best = nullptr;
    int bestDistance = 3;
    for (const SettingDef &d : SettingsSchema::all()) {
        const int distance = editDistance(folded, d.key);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = &d;
        }
    }
    // "recipients" for "limits.recipients": the section was left out.
    if (!best) {
        for (const SettingDef &d : SettingsSchema::all()) {
            if (d.key.section(QLatin1Char('.'), -1) == folded) {
                best = &d;
                break;
            }
        }
    }
    return best ? best->key : QString();
}

bool allDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// Decimal digits only, so "0x10", "1e3" and " 5" are refused; no overflow.
std::optional<qint64> parseDecimal(QStringView s)
{
    if (!allDigits(s) || s.size() > 18)
        return std::nullopt;
    qint64 v = 0;
    for (const QChar c : s)
        v = v * 10 + (c.unicode() - u'0');
    return v;
}

// Splits "35MiB" into 35 and "MiB", "5 m" into 5 and "m".
std::optional<std::pair<qint64, QString>> splitNumberUnit(QStringView s)
{
    qsizetype i = 0;
    while (i < s.size() && s[i] >= u'0' && s[i] <= u'9')
        ++i;
    const auto number = parseDecimal(s.left(i));
    if (!number)
        return std::nullopt;
    return std::make_pair(*number, s.mid(i).trimmed().toString().toLower());
}

std::optional<qint64> multiply(qint64 a, qint64 b)
{
    if (b != 0 && a > std::numeric_limits<qint64>::max() / b)
        return std::nullopt;
    return a * b;
}

std::optional<qint64> parseSize(QStringView s)
{
    const auto nu = splitNumberUnit(s);
    if (!nu)
        return std::nullopt;
    const QString &unit = nu->second;
    qint64 factor = 0;
    // Binary multiples: mail systems mean 36700160 bytes by "35 MB" (Exchange does).
    if (unit.isEmpty() || unit == u"b")
        factor = 1;
    else if (unit == u"k" || unit == u"kb" || unit == u"kib")
        factor = kKiB;
    else if (unit == u"m" || unit == u"mb" || unit == u"mib")
        factor = kMiB;
    else if (unit == u"g" || unit == u"gb" || unit == u"gib")
        factor = kGiB;
    else
        return std::nullopt;
    return multiply(nu->first, factor);
}

qint64 durationUnitFactor(const QString &unit)
{
    if (unit.isEmpty() || unit == u"s")
        return 1;
    if (unit == u"m")
        return 60;
    if (unit == u"h")
        return 3600;
    if (unit == u"d")
        return kDay;
    return 0;
}

std::optional<qint64> parseDuration(QStringView s)
{
    const auto nu = splitNumberUnit(s);
    if (!nu)
        return std::nullopt;
    const qint64 factor = durationUnitFactor(nu->second);
    if (factor == 0)
        return std::nullopt;
    return multiply(nu->first, factor);
}

bool looksNumeric(QStringView s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return (c >= u'0' && c <= u'9') || c == u'.'; });
}

class Validator
{
public:
    Validator(const SettingDef &def, const QString &value) : m_def(def), m_value(value) {}

    Result<QString> run() const
    {
        // A setting whose default is empty may be emptied again (empty means
        // "not configured"); any other one gets its type's own error.
        if (m_value.isEmpty() && m_def.defaultValue.isEmpty())
            return Result<QString>::success(QString());
        switch (m_def.type) {
        case SettingType::String: return choice();
        case SettingType::Hostname: return hostname();
        case SettingType::Email: return email();
        case SettingType::Bool: return boolean();
        case SettingType::Integer: return integer();
        case SettingType::Size: return size();
        case SettingType::Duration: return duration();
        case SettingType::DurationList: return durationList();
        case SettingType::HostPort: return hostPort();
        case SettingType::CidrList: return cidrList();
        case SettingType::DomainList: return domainList();
        case SettingType::Path: return path();
        }
        return fail(QStringLiteral("has an unknown type"));
    }

private:
    Result<QString> choice() const
    {
        if (m_def.choices.isEmpty())
            return Result<QString>::success(m_value);
        const QString lower = m_value.toLower();
        if (!m_def.choices.contains(lower))
            return expected(QStringLiteral("one of ") + m_def.choices.join(QStringLiteral(", ")));
        return Result<QString>::success(lower);
    }
    Result<QString> fail(const QString &what) const
    {
        return Result<QString>::failure(m_def.key + QLatin1Char(' ') + what);
    }
    // "<key> must be <expectation>, got '<value>'"
    Result<QString> expected(const QString &expectation) const
    {
        return fail(QStringLiteral("must be ") + expectation + QStringLiteral(", got ") + shown(m_value));
    }
    QString range(const QString &unit = {}) const
    {
        return QStringLiteral("between ") + QString::number(m_def.min) + QStringLiteral(" and ") +
               QString::number(m_def.max) + unit;
    }
    Result<QString> inRange(std::optional<qint64> v, const QString &expectation) const
    {
        if (!v || *v < m_def.min || (m_def.max > 0 && *v > m_def.max))
            return expected(expectation);
        return Result<QString>::success(QString::number(*v));
    }

    // The name the relay announces and signs bounces with (MAILER-DAEMON@name),
    // so it must be a fully qualified domain name, as Postfix's myhostname;
    // normalizeDomain refuses single labels, as it does for mail domains.
    Result<QString> hostname() const
    {
        const QString expectation = QStringLiteral("a fully qualified host name such as relay.example.com");
        if (m_value.startsWith(QLatin1Char('@')) || looksNumeric(m_value) ||
            m_value.startsWith(QLatin1Char('[')))
            return expected(expectation);
        const Result<QString> name = normalizeDomain(m_value);
        if (!name)
            return fail(QStringLiteral("must be ") + expectation + QStringLiteral(" (") + name.error +
                        QStringLiteral("), got ") + shown(m_value));
        return name;
    }

    Result<QString> email() const
    {
        const Result<MailAddress> address = parseMailbox(m_value);
        if (!address)
            return fail(QStringLiteral("must be an email address such as admin@example.com (") +
                        address.error + QStringLiteral("), got ") + shown(m_value));
        return Result<QString>::success(address->toString());
    }

    Result<QString> boolean() const
    {
        const QString v = m_value.toLower();
        if (v == u"true" || v == u"yes" || v == u"on" || v == u"1")
            return Result<QString>::success(QStringLiteral("true"));
        if (v == u"false" || v == u"no" || v == u"off" || v == u"0")
            return Result<QString>::success(QStringLiteral("false"));
        return expected(QStringLiteral("true or false (yes/no, on/off and 1/0 are accepted too)"));
    }

    Result<QString> integer() const
    {
        return inRange(parseDecimal(m_value), QStringLiteral("an integer ") + range());
    }

    Result<QString> size() const
    {
        return inRange(parseSize(m_value),
                       QStringLiteral("a size in bytes ") + range() +
                           QStringLiteral(" (a K, M or G suffix multiplies by 1024, 1024² or 1024³)"));
    }

    Result<QString> duration() const
    {
        return inRange(parseDuration(m_value), QStringLiteral("a duration ") +
                                                   range(QStringLiteral(" seconds")) +
                                                   QStringLiteral(" (such as 300, 300s, 5m or 1h)"));
    }

    // Each delay keeps the unit it was typed with ("5m" stays "5m"): the
    // schedule reads the way the admin thinks of it.
    Result<QString> durationList() const
    {
        const QString expectation = QStringLiteral("a comma-separated list of delays, each ") +
                                    range(QStringLiteral(" seconds")) +
                                    QStringLiteral(" (such as 5m,20m,60m)");
        QStringList canonical;
        const QStringList items = m_value.split(QLatin1Char(','));
        qint64 previous = 0;
        QString previousItem;
        for (const QString &raw : items) {
            const QString item = raw.trimmed();
            const auto nu = splitNumberUnit(item);
            const auto seconds = parseDuration(item);
            if (!nu || !seconds || *seconds < m_def.min || *seconds > m_def.max)
                return fail(QStringLiteral("must be ") + expectation + QStringLiteral(", got ") +
                            shown(m_value) + QStringLiteral(" (bad item ") + shown(item) + QLatin1Char(')'));
            // Offsets from the first attempt, not gaps: "2s,2s,2s" would be
            // one retry, not three, so it is refused rather than merged.
            if (!canonical.isEmpty() && *seconds <= previous)
                return fail(
                    QStringLiteral("must list strictly increasing delays, each counted from the first "
                                   "attempt (not the gap since the previous one): ") +
                    shown(item) + QStringLiteral(" does not come after ") + shown(previousItem) +
                    QStringLiteral(", got ") + shown(m_value));
            previous = *seconds;
            previousItem = item;
            canonical.append(QString::number(nu->first) + nu->second);
        }
        return Result<QString>::success(canonical.join(QLatin1Char(',')));
    }

    Result<QString> hostPort() const
    {
        // The same parser as the relay's next hops (relaycore/config/hostport.h).
        const Result<HostPort> hp = parseHostPort(m_value);
        if (!hp)
            return fail(
                QStringLiteral("must be a host name, IP address or [host] with an optional port 1-65535 "
                               "(such as mail.example.com:25 or [192.0.2.7]:587): ") +
                hp.error + QStringLiteral(", got ") + shown(m_value));
        return Result<QString>::success(hp->toString());
    }

    // Whitespace or commas separate entries, as in Postfix's mynetworks.
    Result<QString> cidrList() const
    {
        QStringList canonical;
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        const QStringList items = m_value.split(separators, Qt::SkipEmptyParts);
        for (const QString &item : items) {
            const Result<QString> entry = cidr(item);
            if (!entry)
                return fail(QStringLiteral("must be a list of networks such as 10.0.0.0/8, 2001:db8::/32, "
                                           "192.0.2.7; ") +
                            entry.error);
            if (!canonical.contains(*entry))
                canonical.append(*entry);
        }
        return Result<QString>::success(canonical.join(QStringLiteral(", ")));
    }

    // Whitespace or commas separate entries; each is a mail domain as the
    // rules take it (optional '@', IDN to ACE), stored once.
    Result<QString> domainList() const
    {
        QStringList canonical;
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        const QStringList items = m_value.split(separators, Qt::SkipEmptyParts);
        for (const QString &item : items) {
            const Result<QString> domain = normalizeDomain(item);
            if (!domain)
                return fail(
                    QStringLiteral("must be a list of mail domains such as example.com, example.org; ") +
                    shown(item) + QStringLiteral(" is not one: ") + domain.error);
            if (!canonical.contains(*domain))
                canonical.append(*domain);
        }
        return Result<QString>::success(canonical.join(QStringLiteral(", ")));
    }

    static Result<QString> cidr(const QString &item)
    {
        const qsizetype slash = item.indexOf(QLatin1Char('/'));
        const QString addressText = slash < 0 ? item : item.left(slash);
        const auto address = parseIpAddress(addressText);
        if (!address)
            return Result<QString>::failure(shown(item) +
                                            QStringLiteral(" is not an IPv4 or IPv6 address or network"));
        const int maxPrefix = address->protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        qint64 prefix = maxPrefix;
        if (slash >= 0) {
            const auto parsed = parseDecimal(QStringView(item).mid(slash + 1));
            if (!parsed || *parsed > maxPrefix)
                return Result<QString>::failure(shown(item) +
                                                QStringLiteral(" has a prefix length that is not 0-") +
                                                QString::number(maxPrefix));
            prefix = *parsed;
        }
        // A /0 would let every client on the Internet relay: an open relay.
        if (prefix == 0)
            return Result<QString>::failure(
                shown(item) + QStringLiteral(" allows every address and would make an open relay"));
        const QPair<QHostAddress, int> subnet =
            QHostAddress::parseSubnet(address->toString() + QLatin1Char('/') + QString::number(prefix));
        if (subnet.second < 0)
            return Result<QString>::failure(shown(item) + QStringLiteral(" is not a valid network"));
        const QString network = subnet.first.toString() + QLatin1Char('/') + QString::number(prefix);
        // As Postfix: host bits set usually mean a typo, so say what was probably meant.
        if (subnet.first != *address)
            return Result<QString>::failure(shown(item) +
                                            QStringLiteral(" has host bits set; did you mean '") + network +
                                            QStringLiteral("'?"));
        return Result<QString>::success(network);
    }

    // The relay may run as a service with another working directory.
    Result<QString> path() const
    {
        if (!QDir::isAbsolutePath(m_value))
            return expected(QStringLiteral("an absolute file path"));
        return Result<QString>::success(m_value);
    }

    const SettingDef &m_def;
    const QString &m_value;
};

} // namespace

const QList<SettingDef> &SettingsSchema::all()
{
    static const QList<SettingDef> defs = buildDefs();
    return defs;
}

const SettingDef *SettingsSchema::find(const QString &key)
{
    const QList<SettingDef> &defs = all();
    const auto it =
        std::find_if(defs.begin(), defs.end(), [&key](const SettingDef &d) { return d.key == key; });
    return it == defs.end() ? nullptr : &*it;
}

Result<QString> SettingsSchema::validate(const QString &key, const QString &value)
{
    const SettingDef *def = find(key);
    if (const QString retired = SettingsMigration::retiredKeyMessage(key); !def && !retired.isEmpty())
        return Result<QString>::failure(retired);
    if (!def) {
        // The value is never echoed: it might be the secret someone tried to store.
        QString why = QStringLiteral("unknown setting ") + shown(key);
        const QString folded = key.toLower();
        if (folded.contains(QLatin1String("password")) || folded.contains(QLatin1String("passphrase")) ||
            folded.contains(QLatin1String("secret")))
            why += QStringLiteral(
                "; passwords are not settings, they are kept in the operating system's keychain");
        else if (const QString suggestion = suggestionFor(key); !suggestion.isEmpty())
            why += QStringLiteral("; did you mean '") + suggestion + QStringLiteral("'?");
        return Result<QString>::failure(why);
    }
    if (const QString problem = controlCharacterProblem(value); !problem.isEmpty())
        return Result<QString>::failure(
            def->key + QStringLiteral(" must be a single line; the value contains ") + problem);
    const QString trimmed = value.trimmed();
    return Validator(*def, trimmed).run();
}

bool SettingsSchema::toBool(const QString &canonical)
{
    return canonical == u"true";
}

qint64 SettingsSchema::toInteger(const QString &canonical)
{
    return canonical.toLongLong();
}

QList<qint64> SettingsSchema::toDurationList(const QString &canonical)
{
    QList<qint64> seconds;
    const QStringList items = toList(canonical);
    for (const QString &item : items) {
        if (const auto v = parseDuration(item))
            seconds.append(*v);
    }
    return seconds;
}

QStringList SettingsSchema::toList(const QString &canonical)
{
    QStringList items;
    const QStringList raw = canonical.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &item : raw) {
        const QString t = item.trimmed();
        if (!t.isEmpty())
            items.append(t);
    }
    return items;
}

} // namespace mailroute
