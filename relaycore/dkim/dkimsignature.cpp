#include "relaycore/dkim/dkimsignature.h"

#include "relaycore/dkim/dkimtaglist.h"

namespace mailroute {

namespace {

bool isDigits(QByteArrayView v, int maxDigits)
{
    if (v.isEmpty() || v.size() > maxDigits)
        return false;
    for (char c : v) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// sub-domain *("." sub-domain), RFC 5321 §4.1.2 (ASCII; A-labels for IDNs).
bool isDomainName(QByteArrayView v)
{
    if (v.isEmpty() || v.size() > 253)
        return false;
    qsizetype labelStart = 0;
    for (qsizetype i = 0; i <= v.size(); ++i) {
        if (i == v.size() || v[i] == '.') {
            const qsizetype len = i - labelStart;
            if (len == 0 || len > 63 || v[labelStart] == '-' || v[i - 1] == '-')
                return false;
            labelStart = i + 1;
            continue;
        }
        const char c = v[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_'; // '_' occurs in selectors
        if (!ok)
            return false;
    }
    return true;
}

// RFC 5322 §3.6.8 ftext: printable ASCII except ':'.
bool isFieldName(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == ':')
            return false;
    }
    return true;
}

std::optional<QByteArray> base64(QByteArrayView value)
{
    const QByteArray compact = dkimWithoutWhitespace(value);
    const auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace

Result<DkimSignature> parseDkimSignature(QByteArrayView value)
{
    using R = Result<DkimSignature>;
    const Result<QList<DkimTag>> tags = parseDkimTagList(value);
    if (!tags)
        return R::failure(tags.error);
    auto find = [&](const char *name) -> const QByteArray * {
        for (const DkimTag &t : *tags) {
            if (t.name == name)
                return &t.value;
        }
        return nullptr;
    };
    for (const char *required : {"v", "a", "b", "bh", "d", "h", "s"}) {
        if (!find(required))
            return R::failure(QStringLiteral("required tag %1= missing").arg(QLatin1String(required)));
    }
    DkimSignature sig;
    if (*find("v") != "1")
        return R::failure(QStringLiteral("unsupported version v=%1").arg(QString::fromLatin1(*find("v"))));

    const QByteArray a = find("a")->toLower();
    if (a == "rsa-sha256") {
        sig.ed25519 = false;
    } else if (a == "ed25519-sha256") {
        sig.ed25519 = true;
    } else if (a == "rsa-sha1") {
        return R::failure(QStringLiteral("rsa-sha1 signatures are not accepted (RFC 8301 §3.1)"));
    } else {
        return R::failure(QStringLiteral("unknown algorithm a=%1").arg(QString::fromLatin1(a.left(40))));
    }
    sig.algorithm = a;

    const std::optional<QByteArray> b = base64(*find("b"));
    if (!b || b->isEmpty())
        return R::failure(QStringLiteral("b= is not base64"));
    sig.signature = *b;
    const std::optional<QByteArray> bh = base64(*find("bh"));
    if (!bh || bh->isEmpty())
        return R::failure(QStringLiteral("bh= is not base64"));
    sig.bodyHash = *bh;

    if (const QByteArray *c = find("c")) {
        const QList<QByteArray> parts = c->split('/');
        if (parts.size() > 2)
            return R::failure(QStringLiteral("invalid c=%1").arg(QString::fromLatin1(c->left(40))));
        auto parse = [](const QByteArray &p) -> std::optional<DkimCanonicalization> {
            const QByteArray t = p.trimmed().toLower();
            if (t == "simple")
                return DkimCanonicalization::Simple;
            if (t == "relaxed")
                return DkimCanonicalization::Relaxed;
            return std::nullopt;
        };
        const auto header = parse(parts.at(0));
        const auto body =
            parts.size() == 2 ? parse(parts.at(1)) : std::optional(DkimCanonicalization::Simple);
        if (!header || !body)
            return R::failure(
                QStringLiteral("unknown canonicalization c=%1").arg(QString::fromLatin1(c->left(40))));
        sig.headerCanonicalization = *header;
        sig.bodyCanonicalization = *body;
    }

    const QByteArray d = find("d")->toLower();
    if (!isDomainName(d))
        return R::failure(QStringLiteral("invalid domain d=%1").arg(QString::fromLatin1(d.left(60))));
    sig.domain = QString::fromLatin1(d);
    const QByteArray s = find("s")->toLower();
    if (!isDomainName(s))
        return R::failure(QStringLiteral("invalid selector s=%1").arg(QString::fromLatin1(s.left(60))));
    sig.selector = QString::fromLatin1(s);

    const QByteArray h = dkimWithoutWhitespace(*find("h"));
    bool hasFrom = false;
    for (const QByteArray &name : h.split(':')) {
        if (!isFieldName(name))
            return R::failure(QStringLiteral("invalid field name in h="));
        const QByteArray lowerName = name.toLower();
        hasFrom = hasFrom || lowerName == "from";
        sig.signedFields.append(lowerName);
    }
    if (!hasFrom)
        return R::failure(QStringLiteral("h= does not include From (RFC 6376 §5.4)"));

    if (const QByteArray *i = find("i")) {
        // dkim-quoted-printable local part, then '@' and a domain that is d=
        // or below it (§3.5).
        const qsizetype at = i->lastIndexOf('@');
        if (at < 0)
            return R::failure(QStringLiteral("i= has no '@'"));
        const QByteArray idomain = i->mid(at + 1).toLower();
        if (!isDomainName(idomain) ||
            !(idomain == d || idomain.endsWith(QByteArray(QByteArrayLiteral(".") + d))))
            return R::failure(QStringLiteral("i= domain is not d= or a subdomain of it"));
        sig.identity = QString::fromLatin1(*i);
    } else {
        sig.identity = QStringLiteral("@") + sig.domain;
    }

    if (const QByteArray *l = find("l")) {
        if (!isDigits(*l, 76))
            return R::failure(QStringLiteral("invalid l="));
        bool ok = false;
        sig.bodyLength = l->toLongLong(&ok);
        if (!ok)
            return R::failure(QStringLiteral("l= out of range"));
    }
    if (const QByteArray *q = find("q")) {
        bool dnsTxt = false;
        for (const QByteArray &method : dkimWithoutWhitespace(*q).split(':'))
            dnsTxt = dnsTxt || method.toLower() == "dns/txt";
        if (!dnsTxt)
            return R::failure(QStringLiteral("q= does not offer dns/txt"));
    }
    for (const char *tag : {"t", "x"}) {
        if (const QByteArray *v = find(tag)) {
            if (!isDigits(*v, 12))
                return R::failure(QStringLiteral("invalid %1=").arg(QLatin1String(tag)));
            (tag[0] == 't' ? sig.timestamp : sig.expiration) = v->toLongLong();
        }
    }
    if (sig.timestamp && sig.expiration && *sig.expiration < *sig.timestamp)
        return R::failure(QStringLiteral("x= is before t="));
    return R::success(sig);
}

} // namespace mailroute
