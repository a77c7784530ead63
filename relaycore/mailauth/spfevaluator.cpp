#include "relaycore/mailauth/spfevaluator.h"

#include "relaycore/config/hostport.h"

#include <QRegularExpression>

#include <optional>
#include <variant>

namespace mailroute {

namespace {

using Code = SpfResult::Code;

struct Term
{
    bool modifier = false;
    QChar qualifier = QLatin1Char('+');
    QString name;   // lower case: "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists", "redirect", ...
    QString target; // domain-spec (empty: the current domain) or address
    int cidr4 = 32;
    int cidr6 = 128;
    QString text; // as written, for SpfResult::matched
};

SpfResult result(Code code, QString reason = {}, QString matched = {})
{
    SpfResult r;
    r.code = code;
    r.reason = std::move(reason);
    r.matched = std::move(matched);
    return r;
}

std::optional<int> parsePrefix(QStringView text, int max)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    // RFC 7208 §5.6: no leading zeros, within the address length.
    if (!ok || n < 0 || n > max || (text.size() > 1 && text.front() == u'0') || text.startsWith(u'+'))
        return std::nullopt;
    return n;
}

// "example.com/24//64", "/24", "//64", "" -> target, cidr4, cidr6 (RFC 7208
// §5.6 dual-cidr-length): only a trailing "/digits" and "//digits" are
// prefix lengths; a '/' inside the domain-spec belongs to it (§7.1).
bool parseDualCidr(QStringView rest, Term &t)
{
    static const QRegularExpression cidr(QStringLiteral("^(.*?)(?:/([0-9]+))?(?://([0-9]+))?$"),
                                         QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = cidr.match(rest.toString());
    if (!m.hasMatch())
        return false;
    t.target = m.captured(1);
    if (m.hasCaptured(2)) {
        const auto v4 = parsePrefix(m.capturedView(2), 32);
        if (!v4)
            return false;
        t.cidr4 = *v4;
    }
    if (m.hasCaptured(3)) {
        const auto v6 = parsePrefix(m.capturedView(3), 128);
        if (!v6)
            return false;
        t.cidr6 = *v6;
    }
    return true;
}

bool domainSpecSyntax(const QString &spec, QString *error, bool domainEnd = true);

// One term of a record (RFC 7208 §4.6.1, §5, §6); an error text on a syntax error.
std::variant<Term, QString> parseTerm(const QString &text)
{
    Term t;
    t.text = text;
    static const QRegularExpression modifierName(QStringLiteral("^[A-Za-z][A-Za-z0-9_.-]*$"));
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    const qsizetype sep = text.indexOf(QRegularExpression(QStringLiteral("[:/]")));
    if (eq > 0 && (sep < 0 || eq < sep) && modifierName.match(text.left(eq)).hasMatch()) {
        t.modifier = true;
        t.name = text.left(eq).toLower();
        t.target = text.mid(eq + 1);
        if ((t.name == u"redirect" || t.name == u"exp") && t.target.isEmpty())
            return QStringLiteral("'%1' has no domain").arg(text);
        QString error;
        // exp= and redirect= take a domain-spec; other modifiers a macro-string (§6, §A).
        if (!domainSpecSyntax(t.target, &error, t.name == u"redirect" || t.name == u"exp"))
            return QStringLiteral("'%1': %2").arg(text, error);
        return t;
    }
    QString body = text;
    if (!body.isEmpty() && QStringLiteral("+-~?").contains(body.front())) {
        t.qualifier = body.front();
        body.remove(0, 1);
    }
    const qsizetype cut = body.indexOf(QRegularExpression(QStringLiteral("[:/]")));
    t.name = (cut < 0 ? body : body.left(cut)).toLower();
    const QString rest = cut < 0 ? QString() : body.mid(cut);
    const auto needDomain = [&]() -> std::optional<QString> {
        if (!rest.startsWith(QLatin1Char(':')) || rest.size() < 2)
            return QStringLiteral("'%1' needs ':' and a domain").arg(text);
        t.target = rest.mid(1);
        return std::nullopt;
    };
    if (t.name == u"all") {
        if (!rest.isEmpty())
            return QStringLiteral("'%1': 'all' takes no argument").arg(text);
    } else if (t.name == u"include" || t.name == u"exists") {
        if (auto e = needDomain())
            return *e;
    } else if (t.name == u"a" || t.name == u"mx" || t.name == u"ptr") {
        QStringView r = rest;
        const bool colon = r.startsWith(u':');
        if (colon) {
            r = r.mid(1);
            if (r.isEmpty() || r.startsWith(u'/'))
                return QStringLiteral("'%1' has ':' without a domain").arg(text);
        } else if (!r.isEmpty() && !r.startsWith(u'/')) {
            return QStringLiteral("'%1' is not a valid mechanism").arg(text);
        }
        // Without ':' only prefix lengths may follow ("a/24/" is not one).
        if (!parseDualCidr(r, t) || (!colon && !t.target.isEmpty()) ||
            (t.name == u"ptr" && (t.cidr4 != 32 || t.cidr6 != 128)))
            return QStringLiteral("'%1' has an invalid prefix length").arg(text);
    } else if (t.name == u"ip4" || t.name == u"ip6") {
        if (!rest.startsWith(QLatin1Char(':')))
            return QStringLiteral("'%1' needs ':' and an address").arg(text);
        const QString value = rest.mid(1);
        const qsizetype slash = value.lastIndexOf(QLatin1Char('/'));
        t.target = slash < 0 ? value : value.left(slash);
        const bool v4 = t.name == u"ip4";
        const auto address = parseIpAddress(t.target);
        if (!address || (address->protocol() == QAbstractSocket::IPv4Protocol) != v4)
            return QStringLiteral("'%1' does not hold an IPv%2 address")
                .arg(text, v4 ? QStringLiteral("4") : QStringLiteral("6"));
        if (slash >= 0) {
            const auto prefix = parsePrefix(QStringView(value).mid(slash + 1), v4 ? 32 : 128);
            if (!prefix)
                return QStringLiteral("'%1' has an invalid prefix length").arg(text);
            (v4 ? t.cidr4 : t.cidr6) = *prefix;
        }
    } else {
        return QStringLiteral("unknown mechanism '%1'").arg(text);
    }
    return t;
}

Code qualifierCode(QChar q)
{
    switch (q.unicode()) {
    case u'-': return Code::Fail;
    case u'~': return Code::SoftFail;
    case u'?': return Code::Neutral;
    default: return Code::Pass;
    }
}

bool inSubnet(const QHostAddress &ip, const QString &address, const Term &t)
{
    const QHostAddress a(address);
    if (a.isNull() || a.protocol() != ip.protocol())
        return false;
    return ip.isInSubnet(a, ip.protocol() == QAbstractSocket::IPv4Protocol ? t.cidr4 : t.cidr6);
}

} // namespace

QString SpfEvaluator::codeName(SpfResult::Code code)
{
    switch (code) {
    case Code::None: return QStringLiteral("none");
    case Code::Neutral: return QStringLiteral("neutral");
    case Code::Pass: return QStringLiteral("pass");
    case Code::Fail: return QStringLiteral("fail");
    case Code::SoftFail: return QStringLiteral("softfail");
    case Code::TempError: return QStringLiteral("temperror");
    case Code::PermError: return QStringLiteral("permerror");
    case Code::Unsupported: return QStringLiteral("not evaluated");
    }
    return {};
}

QString SpfEvaluator::selectRecord(const QStringList &txt, int *count)
{
    // RFC 7208 §4.5: exactly "v=spf1" followed by a space or the end.
    static const QRegularExpression spf(QStringLiteral("^v=spf1( |$)"),
                                        QRegularExpression::CaseInsensitiveOption);
    QString found;
    int n = 0;
    for (const QString &record : txt) {
        if (spf.match(record).hasMatch()) {
            if (n++ == 0)
                found = record;
        }
    }
    if (count)
        *count = n;
    return found;
}

QString SpfEvaluator::recordWith(const QString &record, const QList<std::pair<QHostAddress, int>> &addresses)
{
    QStringList added;
    for (const auto &[address, prefix] : addresses) {
        const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
        QString term = (v4 ? QStringLiteral("ip4:") : QStringLiteral("ip6:")) + address.toString();
        if (prefix >= 0 && prefix < (v4 ? 32 : 128))
            term += QLatin1Char('/') + QString::number(prefix);
        if (!added.contains(term))
            added << term;
    }
    if (record.trimmed().isEmpty())
        return QStringLiteral("v=spf1 ") + added.join(QLatin1Char(' ')) + QStringLiteral(" ~all");
    QStringList terms = record.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    qsizetype at = terms.size();
    for (qsizetype i = 1; i < terms.size(); ++i) {
        QString t = terms.at(i).toLower();
        if (!t.isEmpty() && QStringLiteral("+-~?").contains(t.front()))
            t.remove(0, 1);
        if (t == u"all" || t.startsWith(u"redirect=")) {
            at = i;
            break;
        }
    }
    for (qsizetype i = added.size() - 1; i >= 0; --i)
        terms.insert(at, added.at(i));
    return terms.join(QLatin1Char(' '));
}

const DnsAnswer *SpfEvaluator::lookup(DnsType type, const QString &name)
{
    const DnsAnswer *answer = m_dns.find(type, name);
    if (!answer)
        m_missing.insert(DnsAnswers::key(type, name));
    return answer;
}

QString SpfEvaluator::reverseName(const QHostAddress &ip)
{
    QStringList parts;
    if (ip.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v = ip.toIPv4Address();
        for (int shift = 0; shift < 32; shift += 8)
            parts << QString::number((v >> shift) & 0xff);
        return parts.join(QLatin1Char('.')) + QStringLiteral(".in-addr.arpa");
    }
    const Q_IPV6ADDR v6 = ip.toIPv6Address();
    for (int i = 15; i >= 0; --i) {
        parts << QString::number(v6[i] & 0xf, 16) << QString::number(v6[i] >> 4, 16);
    }
    return parts.join(QLatin1Char('.')) + QStringLiteral(".ip6.arpa");
}

namespace {

// §4.3: a name check_host() can look up: labels of 1 to 63 octets, at least
// two of them, 253 octets at most. A domain literal "[...]" is not one.
bool validDomain(const QString &domain)
{
    if (domain.isEmpty() || domain.size() > 253 || domain.startsWith(QLatin1Char('[')))
        return false;
    const QStringList labels = domain.split(QLatin1Char('.'));
    if (labels.size() < 2)
        return false;
    for (const QString &l : labels) {
        if (l.isEmpty() || l.toUtf8().size() > 63)
            return false;
    }
    return true;
}

// §4.6.1: the record is 7-bit ASCII, terms separated by spaces only.
bool asciiRecord(const QString &record)
{
    for (QChar c : record) {
        if (c.unicode() > 126 || (c.unicode() < 32))
            return false;
    }
    return true;
}

// The IPv4 address inside an IPv4-mapped IPv6 address (§5: it is IPv4).
QHostAddress unmapped(const QHostAddress &ip)
{
    bool ok = false;
    const quint32 v4 = ip.toIPv4Address(&ok);
    return ok && ip.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress(v4) : ip;
}

// §7.3 "URL escape" for upper-case macro letters: everything but unreserved characters.
QString urlEscape(const QString &value)
{
    return QString::fromLatin1(value.toUtf8().toPercentEncoding("", "", '%'));
}

// A domain-spec after expansion (§7.3): more than 253 octets loses its
// leftmost labels until it fits.
QString shortened(QString name)
{
    while (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    while (name.toUtf8().size() > 253) {
        const qsizetype dot = name.indexOf(QLatin1Char('.'));
        if (dot < 0)
            break;
        name = name.mid(dot + 1);
    }
    return name;
}

// §7.1 macro-string syntax of a domain-spec, and its domain-end (§4.6.1:
// "." toplabel, or a macro-expand): checked before evaluation.
bool domainSpecSyntax(const QString &spec, QString *error, bool domainEnd)
{
    static const QString letters = QStringLiteral("slodiphv"); // c, r, t: exp= only (§7.2)
    static const QString delimiters = QStringLiteral(".-+,/_=");
    bool endsInMacro = false;
    for (qsizetype i = 0; i < spec.size(); ++i) {
        const QChar c = spec.at(i);
        endsInMacro = false;
        if (c.unicode() < 0x21 || c.unicode() > 0x7e) {
            *error = QStringLiteral("not a visible ASCII character");
            return false;
        }
        if (c != QLatin1Char('%'))
            continue;
        if (i + 1 >= spec.size()) {
            *error = QStringLiteral("a '%' at the end");
            return false;
        }
        const QChar n = spec.at(++i);
        if (n == QLatin1Char('%') || n == QLatin1Char('_') || n == QLatin1Char('-')) {
            endsInMacro = true;
            continue;
        }
        if (n != QLatin1Char('{')) {
            *error = QStringLiteral("'%%1' is not a macro").arg(n);
            return false;
        }
        const qsizetype close = spec.indexOf(QLatin1Char('}'), i);
        if (close < 0 || close == i + 1) {
            *error = QStringLiteral("an unterminated macro");
            return false;
        }
        const QString body = spec.mid(i + 1, close - i - 1);
        i = close;
        if (!letters.contains(body.at(0).toLower())) {
            *error = QStringLiteral("unknown macro letter '%1'").arg(body.at(0));
            return false;
        }
        qsizetype k = 1;
        while (k < body.size() && body.at(k).isDigit())
            ++k;
        if (k < body.size() && body.at(k).toLower() == QLatin1Char('r'))
            ++k;
        for (; k < body.size(); ++k) {
            if (!delimiters.contains(body.at(k))) {
                *error = QStringLiteral("bad macro transformer '%1'").arg(body);
                return false;
            }
        }
        endsInMacro = true;
    }
    if (endsInMacro || !domainEnd)
        return true;
    QString name = spec;
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString top = dot < 0 ? QString() : name.mid(dot + 1);
    static const QRegularExpression toplabel(
        QStringLiteral("^(?=.*[A-Za-z])[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"));
    if (dot < 0 || !toplabel.match(top).hasMatch()) {
        *error = QStringLiteral("'%1' does not end in a top-level label").arg(spec);
        return false;
    }
    return true;
}

} // namespace

QString SpfEvaluator::senderDomain(const QString &mailFrom, const QString &helo)
{
    if (mailFrom.isEmpty())
        return DnsAnswers::canonicalName(helo);
    const qsizetype at = mailFrom.lastIndexOf(QLatin1Char('@'));
    return DnsAnswers::canonicalName(at < 0 ? mailFrom : mailFrom.mid(at + 1));
}

SpfResult SpfEvaluator::check(const QHostAddress &ip, const QString &domain)
{
    const QString d = DnsAnswers::canonicalName(domain);
    return run(ip, d, QStringLiteral("postmaster@") + d, d);
}

SpfResult SpfEvaluator::checkSender(const QHostAddress &ip, const QString &mailFrom, const QString &helo)
{
    QString local;
    QString domain;
    if (mailFrom.isEmpty()) {
        domain = helo;
    } else {
        const qsizetype at = mailFrom.lastIndexOf(QLatin1Char('@'));
        local = at < 0 ? QString() : mailFrom.left(at);
        domain = at < 0 ? mailFrom : mailFrom.mid(at + 1);
    }
    if (local.isEmpty())
        local = QStringLiteral("postmaster");
    while (domain.endsWith(QLatin1Char('.')))
        domain.chop(1);
    if (!validDomain(domain)) {
        m_missing.clear();
        return result(Code::None, QStringLiteral("'%1' is not a domain SPF can check").arg(domain));
    }
    return run(ip, DnsAnswers::canonicalName(domain), local + QLatin1Char('@') + domain, helo);
}

SpfResult SpfEvaluator::run(const QHostAddress &ip, const QString &domain, const QString &sender,
                            const QString &helo)
{
    m_missing.clear();
    m_lookups = 0;
    m_voidLookups = 0;
    m_ctx = Context{unmapped(ip), sender, helo};
    SpfResult r = checkHost(domain, 0);
    r.lookups = m_lookups;
    r.incomplete = !m_missing.isEmpty();
    return r;
}

std::optional<QStringList> SpfEvaluator::validatedNames(bool countVoid, bool *tooManyVoid)
{
    // §5.5: the PTR names of the address (the first 10), each kept when one
    // of its addresses is the client's.
    const DnsAnswer *ptr = lookup(DnsType::PTR, reverseName(m_ctx.ip));
    if (!ptr)
        return std::nullopt;
    if (countVoid && ptr->isVoid() && ++m_voidLookups > kVoidLookupLimit)
        *tooManyVoid = true;
    if (ptr->outcome != DnsAnswer::Outcome::Records)
        return QStringList();
    const DnsType type = m_ctx.ip.protocol() == QAbstractSocket::IPv4Protocol ? DnsType::A : DnsType::AAAA;
    QStringList valid;
    bool waiting = false;
    for (qsizetype i = 0; i < ptr->values.size() && i < 10; ++i) {
        const QString &name = ptr->values.at(i);
        const DnsAnswer *a = lookup(type, name);
        if (!a) {
            waiting = true;
            continue;
        }
        for (const QString &address : a->values) {
            if (QHostAddress(address) == m_ctx.ip) {
                valid << name;
                break;
            }
        }
    }
    if (waiting)
        return std::nullopt;
    return valid;
}

std::optional<QString> SpfEvaluator::expand(const QString &spec, const QString &domain, QString *error,
                                            bool *incomplete)
{
    QString out;
    const bool v4 = m_ctx.ip.protocol() == QAbstractSocket::IPv4Protocol;
    for (qsizetype i = 0; i < spec.size(); ++i) {
        const QChar c = spec.at(i);
        if (c != QLatin1Char('%')) {
            out += c;
            continue;
        }
        if (i + 1 >= spec.size()) {
            *error = QStringLiteral("'%1': a '%' at the end").arg(spec);
            return std::nullopt;
        }
        const QChar n = spec.at(++i);
        if (n == QLatin1Char('%')) {
            out += QLatin1Char('%');
            continue;
        }
        if (n == QLatin1Char('_')) {
            out += QLatin1Char(' ');
            continue;
        }
        if (n == QLatin1Char('-')) {
            out += QStringLiteral("%20");
            continue;
        }
        if (n != QLatin1Char('{')) {
            *error = QStringLiteral("'%1': '%%1' is not a macro").arg(spec).arg(n);
            return std::nullopt;
        }
        const qsizetype close = spec.indexOf(QLatin1Char('}'), i);
        if (close < 0 || close == i + 1) {
            *error = QStringLiteral("'%1': unterminated macro").arg(spec);
            return std::nullopt;
        }
        const QString body = spec.mid(i + 1, close - i - 1);
        i = close;
        const QChar letter = body.at(0);
        const QChar lower = letter.toLower();
        // transformers: *DIGIT [ "r" ], then delimiters
        qsizetype k = 1;
        QString digits;
        while (k < body.size() && body.at(k).isDigit())
            digits += body.at(k++);
        bool reverse = false;
        if (k < body.size() && body.at(k).toLower() == QLatin1Char('r')) {
            reverse = true;
            ++k;
        }
        const QString delimiters = body.mid(k);
        static const QString allowed = QStringLiteral(".-+,/_=");
        for (QChar d : delimiters) {
            if (!allowed.contains(d)) {
                *error = QStringLiteral("'%1': bad macro delimiter '%2'").arg(spec, d);
                return std::nullopt;
            }
        }
        int keep = 0;
        if (!digits.isEmpty()) {
            bool ok = false;
            keep = digits.toInt(&ok);
            if (!ok || keep == 0) {
                *error = QStringLiteral("'%1': a macro keeps at least one part").arg(spec);
                return std::nullopt;
            }
        }
        const QString &sender = m_ctx.sender;
        const qsizetype at = sender.lastIndexOf(QLatin1Char('@'));
        QString value;
        switch (lower.unicode()) {
        case u's': value = sender; break;
        case u'l': value = sender.left(at); break;
        case u'o': value = sender.mid(at + 1); break;
        case u'd': value = domain; break;
        case u'i':
            if (v4) {
                value = m_ctx.ip.toString();
            } else {
                const Q_IPV6ADDR a = m_ctx.ip.toIPv6Address();
                QStringList nibbles;
                for (int b = 0; b < 16; ++b)
                    nibbles << QString::number(a[b] >> 4, 16) << QString::number(a[b] & 0xf, 16);
                value = nibbles.join(QLatin1Char('.'));
            }
            break;
        case u'v': value = v4 ? QStringLiteral("in-addr") : QStringLiteral("ip6"); break;
        case u'h': value = m_ctx.helo; break;
        case u'p': {
            bool tooMany = false;
            const std::optional<QStringList> names = validatedNames(false, &tooMany);
            if (!names) {
                *incomplete = true;
                return QString();
            }
            // §7.3: the domain itself, else a subdomain of it, else any.
            value = QStringLiteral("unknown");
            for (const QString &name : *names) {
                if (name == domain) {
                    value = name;
                    break;
                }
            }
            if (value == u"unknown") {
                for (const QString &name : *names) {
                    if (name.endsWith(QLatin1Char('.') + domain)) {
                        value = name;
                        break;
                    }
                }
            }
            if (value == u"unknown" && !names->isEmpty())
                value = names->first();
            break;
        }
        default:
            // c, r, t are for exp= only (§7.2), which this evaluation never expands.
            *error = QStringLiteral("'%1': unknown macro letter '%2'").arg(spec, letter);
            return std::nullopt;
        }
        if (!digits.isEmpty() || reverse || !delimiters.isEmpty()) {
            QStringList parts;
            QString part;
            const QString split = delimiters.isEmpty() ? QStringLiteral(".") : delimiters;
            for (QChar ch : value) {
                if (split.contains(ch)) {
                    parts << part;
                    part.clear();
                } else {
                    part += ch;
                }
            }
            parts << part;
            if (reverse)
                std::reverse(parts.begin(), parts.end());
            if (keep > 0 && keep < parts.size())
                parts = parts.mid(parts.size() - keep);
            value = parts.join(QLatin1Char('.'));
        }
        out += letter.isUpper() ? urlEscape(value) : value;
    }
    return out;
}

SpfResult SpfEvaluator::checkHost(const QString &domain, int depth)
{
    const QHostAddress &ip = m_ctx.ip;
    const SpfResult incomplete = result(Code::TempError, QStringLiteral("look-ups still to be made"));
    if (!validDomain(domain))
        return result(Code::None, QStringLiteral("'%1' is not a domain SPF can check").arg(domain));
    const DnsAnswer *txt = lookup(DnsType::TXT, domain);
    if (!txt)
        return incomplete;
    if (txt->outcome == DnsAnswer::Outcome::Failure)
        return result(Code::TempError,
                      QStringLiteral("TXT look-up for %1 failed: %2").arg(domain, txt->error));
    int count = 0;
    const QString record = selectRecord(txt->values, &count);
    if (count == 0)
        return result(Code::None, QStringLiteral("%1 has no SPF record").arg(domain));
    if (count > 1)
        return result(
            Code::PermError,
            QStringLiteral("%1 has %2 SPF records (RFC 7208 §4.5 allows one)").arg(domain).arg(count));
    if (!asciiRecord(record))
        return result(
            Code::PermError,
            QStringLiteral("%1: the SPF record is not 7-bit ASCII text (RFC 7208 §3.1)").arg(domain));

    QList<Term> terms;
    std::optional<Term> redirect;
    bool sawExp = false;
    const QStringList words = record.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < words.size(); ++i) {
        auto parsed = parseTerm(words.at(i));
        if (const auto *error = std::get_if<QString>(&parsed))
            return result(Code::PermError, domain + QStringLiteral(": ") + *error);
        Term t = std::get<Term>(std::move(parsed));
        if (t.modifier) {
            if (t.name == u"redirect") {
                if (redirect)
                    return result(Code::PermError, domain + QStringLiteral(": more than one redirect="));
                redirect = t;
            } else if (t.name == u"exp") {
                if (sawExp)
                    return result(Code::PermError, domain + QStringLiteral(": more than one exp="));
                sawExp = true;
            }
            continue; // exp= and unknown modifiers do not change the result (§6)
        }
        terms.append(std::move(t));
    }
    // Syntax of every domain-spec before anything is evaluated (§4.6: a
    // record with a syntax error is a permerror whatever would match first).
    for (const Term &t : std::as_const(terms)) {
        QString error;
        if (t.name != u"ip4" && t.name != u"ip6" && !t.target.isEmpty() &&
            !domainSpecSyntax(t.target, &error))
            return result(Code::PermError, QStringLiteral("%1: '%2': %3").arg(domain, t.text, error));
    }
    if (redirect) {
        QString error;
        if (!domainSpecSyntax(redirect->target, &error))
            return result(Code::PermError, QStringLiteral("%1: '%2': %3").arg(domain, redirect->text, error));
    }

    const auto countLookup = [this]() { return ++m_lookups > kLookupLimit; };
    const SpfResult tooMany = result(
        Code::PermError, QStringLiteral("more than %1 DNS look-ups (RFC 7208 §4.6.4)").arg(kLookupLimit));
    const auto voidAnswer = [this](const DnsAnswer *a) {
        return a->isVoid() && ++m_voidLookups > kVoidLookupLimit;
    };
    const SpfResult tooManyVoid = result(
        Code::PermError,
        QStringLiteral("more than %1 look-ups without an answer (RFC 7208 §4.6.4)").arg(kVoidLookupLimit));
    const bool v4 = ip.protocol() == QAbstractSocket::IPv4Protocol;
    const DnsType addressType = v4 ? DnsType::A : DnsType::AAAA;
    // A DNS-querying term's look-up; a result when it decides the
    // evaluation (missing answer, temperror, void limit), else the answer.
    const auto termLookup = [&](DnsType type, const QString &name, const QString &term,
                                const DnsAnswer **answer) -> std::optional<SpfResult> {
        *answer = lookup(type, name);
        if (!*answer)
            return incomplete;
        if ((*answer)->outcome == DnsAnswer::Outcome::Failure)
            return result(
                Code::TempError,
                QStringLiteral("%1: %2 look-up failed: %3").arg(term, dnsTypeName(type), (*answer)->error));
        if (voidAnswer(*answer))
            return tooManyVoid;
        return std::nullopt;
    };
    // The target of a term: its domain-spec expanded (§7), or the current domain.
    const auto targetOf = [&](const Term &t, QString *target) -> std::optional<SpfResult> {
        if (t.target.isEmpty()) {
            *target = domain;
            return std::nullopt;
        }
        QString error;
        bool wait = false;
        const std::optional<QString> expanded = expand(t.target, domain, &error, &wait);
        if (!expanded)
            return result(Code::PermError, QStringLiteral("%1: %2").arg(domain, error));
        if (wait)
            return incomplete;
        *target = DnsAnswers::canonicalName(shortened(*expanded));
        return std::nullopt;
    };

    // §4.6.2: mechanisms left to right, the first match decides.
    for (const Term &t : std::as_const(terms)) {
        bool match = false;
        if (t.name == u"all") {
            match = true;
        } else if (t.name == u"ip4" || t.name == u"ip6") {
            match = inSubnet(ip, t.target, t);
        } else if (t.name == u"include") {
            if (countLookup() || depth >= kLookupLimit)
                return tooMany;
            QString target;
            if (auto stop = targetOf(t, &target))
                return *stop;
            const SpfResult inner = checkHost(target, depth + 1);
            if (!m_missing.isEmpty())
                return incomplete;
            switch (inner.code) {
            case Code::Pass: match = true; break;
            case Code::Fail:
            case Code::SoftFail:
            case Code::Neutral: break;
            case Code::None:
                return result(Code::PermError,
                              QStringLiteral("%1: %2 has no SPF record").arg(t.text, target));
            default: return inner;
            }
        } else if (t.name == u"a" || t.name == u"exists") {
            if (countLookup())
                return tooMany;
            QString target;
            if (auto stop = targetOf(t, &target))
                return *stop;
            if (!validDomain(target))
                continue; // §4.8: an unusable name matches nothing
            const DnsAnswer *a = nullptr;
            if (auto stop = termLookup(t.name == u"a" ? addressType : DnsType::A, target, t.text, &a))
                return *stop;
            if (t.name == u"exists")
                match = a->hasRecords();
            for (const QString &address : a->values)
                match = match || inSubnet(ip, address, t);
        } else if (t.name == u"mx") {
            if (countLookup())
                return tooMany;
            QString target;
            if (auto stop = targetOf(t, &target))
                return *stop;
            if (!validDomain(target))
                continue;
            const DnsAnswer *mx = nullptr;
            if (auto stop = termLookup(DnsType::MX, target, t.text, &mx))
                return *stop;
            if (mx->values.size() > kMxAddressLimit)
                return result(Code::PermError, QStringLiteral("%1: more than %2 MX hosts (RFC 7208 §4.6.4)")
                                                   .arg(t.text)
                                                   .arg(kMxAddressLimit));
            for (const QString &exchange : mx->values) {
                if (exchange.isEmpty())
                    continue;
                const DnsAnswer *a = lookup(addressType, exchange);
                if (!a)
                    continue; // every exchange's addresses are asked for in one round
                for (const QString &address : a->values)
                    match = match || inSubnet(ip, address, t);
            }
            if (!m_missing.isEmpty())
                return incomplete;
        } else if (t.name == u"ptr") {
            if (countLookup())
                return tooMany;
            QString target;
            if (auto stop = targetOf(t, &target))
                return *stop;
            bool tooManyVoids = false;
            const std::optional<QStringList> names = validatedNames(true, &tooManyVoids);
            if (!names)
                return incomplete;
            if (tooManyVoids)
                return tooManyVoid;
            for (const QString &name : *names)
                match = match || name == target || name.endsWith(QLatin1Char('.') + target);
        }
        if (match)
            return result(qualifierCode(t.qualifier), {}, t.text);
    }
    if (redirect) {
        if (countLookup())
            return tooMany;
        QString target;
        if (auto stop = targetOf(*redirect, &target))
            return *stop;
        SpfResult inner = checkHost(target, depth + 1);
        if (!m_missing.isEmpty())
            return incomplete;
        if (inner.code == Code::None)
            return result(Code::PermError,
                          QStringLiteral("%1: %2 has no SPF record").arg(redirect->text, target));
        if (!inner.matched.isEmpty())
            inner.matched = redirect->text + QStringLiteral(" → ") + inner.matched;
        return inner;
    }
    return result(Code::Neutral, QStringLiteral("no mechanism matched"));
}

} // namespace mailroute
