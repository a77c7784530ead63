#include "relaycore/readiness/spfevaluator.h"

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

// "example.com/24//64", "/24", "//64", "" -> target, cidr4, cidr6 (RFC 7208 §5.6 dual-cidr-length).
bool parseDualCidr(QStringView rest, Term &t)
{
    qsizetype slash = rest.indexOf(u'/');
    t.target = (slash < 0 ? rest : rest.left(slash)).toString();
    if (slash < 0)
        return true;
    QStringView cidr = rest.mid(slash);
    if (!cidr.startsWith(u"//")) {
        const qsizetype next = cidr.indexOf(u"//");
        const auto v4 = parsePrefix(cidr.mid(1, next < 0 ? -1 : next - 1), 32);
        if (!v4)
            return false;
        t.cidr4 = *v4;
        cidr = next < 0 ? QStringView() : cidr.mid(next);
    }
    if (cidr.startsWith(u"//")) {
        const auto v6 = parsePrefix(cidr.mid(2), 128);
        if (!v6)
            return false;
        t.cidr6 = *v6;
    } else if (!cidr.isEmpty()) {
        return false;
    }
    return true;
}

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
        if (r.startsWith(u':')) {
            r = r.mid(1);
            if (r.isEmpty() || r.startsWith(u'/'))
                return QStringLiteral("'%1' has ':' without a domain").arg(text);
        } else if (!r.isEmpty() && !r.startsWith(u'/')) {
            return QStringLiteral("'%1' is not a valid mechanism").arg(text);
        }
        if (!parseDualCidr(r, t) || (t.name == u"ptr" && (t.cidr4 != 32 || t.cidr6 != 128)))
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
            return QStringLiteral("'%1' does not hold an IPv%2 address").arg(text, v4 ? QStringLiteral("4") : QStringLiteral("6"));
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
    case u'-':
        return Code::Fail;
    case u'~':
        return Code::SoftFail;
    case u'?':
        return Code::Neutral;
    default:
        return Code::Pass;
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
    case Code::None:
        return QStringLiteral("none");
    case Code::Neutral:
        return QStringLiteral("neutral");
    case Code::Pass:
        return QStringLiteral("pass");
    case Code::Fail:
        return QStringLiteral("fail");
    case Code::SoftFail:
        return QStringLiteral("softfail");
    case Code::TempError:
        return QStringLiteral("temperror");
    case Code::PermError:
        return QStringLiteral("permerror");
    case Code::Unsupported:
        return QStringLiteral("not evaluated");
    }
    return {};
}

QString SpfEvaluator::selectRecord(const QStringList &txt, int *count)
{
    // RFC 7208 §4.5: exactly "v=spf1" followed by a space or the end.
    static const QRegularExpression spf(QStringLiteral("^v=spf1( |$)"), QRegularExpression::CaseInsensitiveOption);
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

SpfResult SpfEvaluator::check(const QHostAddress &ip, const QString &domain)
{
    m_missing.clear();
    m_lookups = 0;
    m_voidLookups = 0;
    SpfResult r = checkHost(ip, DnsAnswers::canonicalName(domain), 0);
    r.lookups = m_lookups;
    r.incomplete = !m_missing.isEmpty();
    return r;
}

SpfResult SpfEvaluator::checkHost(const QHostAddress &ip, const QString &domain, int depth)
{
    const SpfResult incomplete = result(Code::TempError, QStringLiteral("look-ups still to be made"));
    const DnsAnswer *txt = lookup(DnsType::TXT, domain);
    if (!txt)
        return incomplete;
    if (txt->outcome == DnsAnswer::Outcome::Failure)
        return result(Code::TempError, QStringLiteral("TXT look-up for %1 failed: %2").arg(domain, txt->error));
    int count = 0;
    const QString record = selectRecord(txt->values, &count);
    if (count == 0)
        return result(Code::None, QStringLiteral("%1 has no SPF record").arg(domain));
    if (count > 1)
        return result(Code::PermError, QStringLiteral("%1 has %2 SPF records (RFC 7208 §4.5 allows one)").arg(domain).arg(count));

    QList<Term> terms;
    std::optional<Term> redirect;
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
            }
            continue; // exp= and unknown modifiers do not change the result (§6)
        }
        terms.append(std::move(t));
    }

    const auto countLookup = [this]() { return ++m_lookups > kLookupLimit; };
    const SpfResult tooMany =
        result(Code::PermError, QStringLiteral("more than %1 DNS look-ups (RFC 7208 §4.6.4)").arg(kLookupLimit));
    const auto voidAnswer = [this](const DnsAnswer *a) { return a->isVoid() && ++m_voidLookups > kVoidLookupLimit; };
    const SpfResult tooManyVoid = result(
        Code::PermError, QStringLiteral("more than %1 look-ups without an answer (RFC 7208 §4.6.4)").arg(kVoidLookupLimit));
    const bool v4 = ip.protocol() == QAbstractSocket::IPv4Protocol;
    const DnsType addressType = v4 ? DnsType::A : DnsType::AAAA;
    // A DNS-querying term's look-up (§4.6.4 counts it); a result when it
    // decides the evaluation (limit, missing answer, temperror), else the answer.
    const auto termLookup = [&](DnsType type, const QString &name, const QString &term,
                                const DnsAnswer **answer) -> std::optional<SpfResult> {
        if (countLookup())
            return tooMany;
        *answer = lookup(type, name);
        if (!*answer)
            return incomplete;
        if ((*answer)->outcome == DnsAnswer::Outcome::Failure)
            return result(Code::TempError, QStringLiteral("%1: %2 look-up failed: %3").arg(term, dnsTypeName(type), (*answer)->error));
        if (voidAnswer(*answer))
            return tooManyVoid;
        return std::nullopt;
    };

    // §4.6.2: mechanisms left to right, the first match decides.
    for (const Term &t : std::as_const(terms)) {
        if (t.target.contains(QLatin1Char('%')))
            return result(Code::Unsupported, QStringLiteral("'%1' uses an SPF macro, which this check does not evaluate").arg(t.text));
        const QString target = t.target.isEmpty() ? domain : DnsAnswers::canonicalName(t.target);
        bool match = false;
        if (t.name == u"all") {
            match = true;
        } else if (t.name == u"ip4" || t.name == u"ip6") {
            match = inSubnet(ip, t.target, t);
        } else if (t.name == u"include") {
            if (countLookup())
                return tooMany;
            if (depth >= kLookupLimit)
                return tooMany;
            const SpfResult inner = checkHost(ip, target, depth + 1);
            if (!m_missing.isEmpty())
                return incomplete;
            switch (inner.code) {
            case Code::Pass:
                match = true;
                break;
            case Code::Fail:
            case Code::SoftFail:
            case Code::Neutral:
                break;
            case Code::None:
                return result(Code::PermError, QStringLiteral("%1: %2 has no SPF record").arg(t.text, target));
            default:
                return inner;
            }
        } else if (t.name == u"a" || t.name == u"exists") {
            const DnsAnswer *a = nullptr;
            if (auto stop = termLookup(t.name == u"a" ? addressType : DnsType::A, target, t.text, &a))
                return *stop;
            if (t.name == u"exists")
                match = a->hasRecords();
            for (const QString &address : a->values)
                match = match || inSubnet(ip, address, t);
        } else if (t.name == u"mx") {
            const DnsAnswer *mx = nullptr;
            if (auto stop = termLookup(DnsType::MX, target, t.text, &mx))
                return *stop;
            if (mx->values.size() > kMxAddressLimit)
                return result(Code::PermError, QStringLiteral("%1: more than %2 MX hosts (RFC 7208 §4.6.4)").arg(t.text).arg(kMxAddressLimit));
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
            return result(Code::Unsupported, QStringLiteral("'%1': ptr is not evaluated by this check (RFC 7208 §5.5: do not use it)").arg(t.text));
        }
        if (match)
            return result(qualifierCode(t.qualifier), {}, t.text);
    }
    if (redirect) {
        if (countLookup())
            return tooMany;
        if (redirect->target.contains(QLatin1Char('%')))
            return result(Code::Unsupported, QStringLiteral("'%1' uses an SPF macro, which this check does not evaluate").arg(redirect->text));
        SpfResult inner = checkHost(ip, DnsAnswers::canonicalName(redirect->target), depth + 1);
        if (!m_missing.isEmpty())
            return incomplete;
        if (inner.code == Code::None)
            return result(Code::PermError, QStringLiteral("%1: %2 has no SPF record").arg(redirect->text, redirect->target));
        if (!inner.matched.isEmpty())
            inner.matched = redirect->text + QStringLiteral(" → ") + inner.matched;
        return inner;
    }
    return result(Code::Neutral, QStringLiteral("no mechanism matched"));
}

} // namespace mailroute
