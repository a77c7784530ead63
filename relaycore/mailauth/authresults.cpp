#include "relaycore/mailauth/authresults.h"

#include "relaycore/message/headersection.h"

#include <QStringList>

namespace mailroute {

namespace {

// A comment's text: parentheses and backslashes dropped, controls too.
QString commentText(const QString &text)
{
    QString out;
    for (QChar c : text) {
        if (c == QLatin1Char('(') || c == QLatin1Char(')') || c == QLatin1Char('\\') || c.unicode() < 0x20 ||
            c.unicode() == 0x7f)
            continue;
        out += c;
    }
    return out.simplified();
}

// A pvalue (RFC 8601 §2.2): as it is when it is a token or an address,
// quoted otherwise.
QString pvalue(const QString &value)
{
    static const QString special = QStringLiteral("()<>,;:\\\"/[]?= ");
    bool plain = !value.isEmpty();
    for (QChar c : value) {
        if ((special.contains(c) && c != QLatin1Char('@')) || c.unicode() < 0x21 || c.unicode() > 0x7e) {
            plain = false;
            break;
        }
    }
    if (plain)
        return value;
    QString q = value;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

int dkimRank(const QString &r)
{
    if (r == u"pass")
        return 5;
    if (r == u"fail")
        return 4;
    if (r == u"temperror")
        return 3;
    if (r == u"permerror")
        return 2;
    return 1;
}

// Skips CFWS (RFC 5322 §3.2.2) from `i`.
qsizetype skipCfws(QByteArrayView s, qsizetype i)
{
    int depth = 0;
    while (i < s.size()) {
        const char c = s.at(i);
        if (depth > 0) {
            if (c == '\\')
                ++i;
            else if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
        } else if (c == '(') {
            depth = 1;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            break;
        }
        ++i;
    }
    return i;
}

} // namespace

QString AuthVerdicts::dkimSummary() const
{
    QString best = QStringLiteral("none");
    for (const Dkim &d : dkim) {
        if (dkimRank(d.result) > dkimRank(best))
            best = d.result;
    }
    return best;
}

QVariantMap AuthVerdicts::logFields() const
{
    QVariantMap f{{QStringLiteral("spf"), spf},
                  {QStringLiteral("dkim"), dkimSummary()},
                  {QStringLiteral("dmarc"), dmarc},
                  {QStringLiteral("arc"), arc}};
    if (!fromDomain.isEmpty())
        f.insert(QStringLiteral("header_from"), fromDomain);
    if (!dmarcPolicy.isEmpty())
        f.insert(QStringLiteral("policy"), dmarcPolicy);
    return f;
}

QString AuthVerdicts::logText(const QVariantMap &fields)
{
    QStringList parts;
    for (const char *key : {"spf", "dkim", "dmarc", "arc"})
        parts << QLatin1String(key) + QLatin1Char('=') +
                     fields.value(QLatin1String(key), QStringLiteral("none")).toString();
    if (fields.contains(QStringLiteral("header_from")))
        parts << QStringLiteral("header.from=") + fields.value(QStringLiteral("header_from")).toString();
    if (fields.contains(QStringLiteral("policy")))
        parts << QStringLiteral("policy=") + fields.value(QStringLiteral("policy")).toString();
    return parts.join(QLatin1Char(' '));
}

AuthVerdicts AuthVerdicts::temporaryFailure(const QString &why)
{
    AuthVerdicts v;
    v.spf = QStringLiteral("temperror");
    v.dmarc = QStringLiteral("temperror");
    v.dkim << Dkim{QStringLiteral("temperror"), {}, {}, why};
    return v;
}

QByteArray authenticationResultsField(const QString &authservId, const AuthVerdicts &v)
{
    QStringList parts;
    QString spf = QStringLiteral("spf=") + v.spf;
    if (!v.spfIdentity.isEmpty())
        spf += (v.spfHelo ? QStringLiteral(" smtp.helo=") : QStringLiteral(" smtp.mailfrom=")) +
               pvalue(v.spfIdentity);
    parts << spf;
    if (v.dkim.isEmpty())
        parts << QStringLiteral("dkim=none");
    for (const AuthVerdicts::Dkim &d : v.dkim) {
        QString s = QStringLiteral("dkim=") + d.result;
        const QString reason = commentText(d.reason);
        if (!reason.isEmpty() && d.result != u"pass")
            s += QStringLiteral(" (") + reason + QLatin1Char(')');
        if (!d.domain.isEmpty())
            s += QStringLiteral(" header.d=") + pvalue(d.domain);
        if (!d.selector.isEmpty())
            s += QStringLiteral(" header.s=") + pvalue(d.selector);
        parts << s;
    }
    QString dmarc = QStringLiteral("dmarc=") + v.dmarc;
    if (!v.dmarcPolicy.isEmpty() && v.dmarc == u"fail")
        dmarc += QStringLiteral(" (p=%1 dis=%2)")
                     .arg(v.dmarcPolicy,
                          v.dmarcDisposition.isEmpty() ? QStringLiteral("none") : v.dmarcDisposition);
    if (!v.fromDomain.isEmpty())
        dmarc += QStringLiteral(" header.from=") + pvalue(v.fromDomain);
    parts << dmarc;

    const QString head = QStringLiteral("Authentication-Results: ") + authservId + QLatin1Char(';');
    QString one = head + QLatin1Char(' ') + parts.join(QStringLiteral("; "));
    if (one.size() > 78)
        one = head + QStringLiteral("\r\n\t") + parts.join(QStringLiteral(";\r\n\t"));
    return one.toUtf8() + "\r\n";
}

QString authservIdOf(QByteArrayView body)
{
    qsizetype i = skipCfws(body, 0);
    if (i >= body.size())
        return {};
    QByteArray id;
    if (body.at(i) == '"') {
        for (++i; i < body.size() && body.at(i) != '"'; ++i) {
            if (body.at(i) == '\\' && i + 1 < body.size())
                ++i;
            id += body.at(i);
        }
    } else {
        for (; i < body.size(); ++i) {
            const char c = body.at(i);
            if (c == ';' || c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
                break;
            id += c;
        }
    }
    return QString::fromUtf8(id);
}

QByteArray removeOwnAuthenticationResults(const QByteArray &message, const QString &authservId, int *removed)
{
    const HeaderSection section(message);
    QByteArray out;
    qsizetype copied = 0;
    int n = 0;
    for (const HeaderFieldSpan &f : section.fields()) {
        if (!section.nameIs(f, "authentication-results"))
            continue;
        if (authservIdOf(section.body(f)).compare(authservId, Qt::CaseInsensitive) != 0)
            continue;
        out.append(message.constData() + copied, f.begin - copied);
        copied = f.next;
        ++n;
    }
    if (removed)
        *removed = n;
    if (n == 0)
        return message;
    out.append(message.constData() + copied, message.size() - copied);
    return out;
}

QString fromHeaderDomain(const QByteArray &message)
{
    const HeaderSection section(message);
    if (section.count("from") != 1)
        return {};
    QByteArrayView body;
    for (const HeaderFieldSpan &f : section.fields()) {
        if (section.nameIs(f, "from"))
            body = section.body(f);
    }
    // Comments and quoted strings out, then every addr-spec's domain: the
    // text after '@' up to '>', ',', white space or the end.
    QByteArray plain;
    int depth = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const char c = body.at(i);
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (depth > 0) {
            if (c == '\\')
                ++i;
            else if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
            continue;
        }
        if (c == '"')
            quoted = true;
        else if (c == '(')
            depth = 1;
        else
            plain += c;
    }
    QString domain;
    qsizetype at = plain.indexOf('@');
    while (at >= 0) {
        qsizetype end = at + 1;
        while (end < plain.size() && !QByteArrayView(">,; \t\r\n").contains(plain.at(end)))
            ++end;
        const QString d = QString::fromUtf8(plain.mid(at + 1, end - at - 1)).trimmed().toLower();
        if (d.isEmpty() || (!domain.isEmpty() && d != domain))
            return {};
        domain = d;
        at = plain.indexOf('@', end);
    }
    while (domain.endsWith(QLatin1Char('.')))
        domain.chop(1);
    return domain;
}

} // namespace mailroute
