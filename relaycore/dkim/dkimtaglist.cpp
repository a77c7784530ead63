#include "relaycore/dkim/dkimtaglist.h"

#include <QSet>

namespace mailroute {

namespace {

bool isFws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && isFws(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isFws(v.back()))
        v.chop(1);
    return v;
}

} // namespace

Result<QList<DkimTag>> parseDkimTagList(QByteArrayView text)
{
    using R = Result<QList<DkimTag>>;
    QList<DkimTag> out;
    QSet<QByteArray> seen;
    const QList<QByteArrayView> specs = [&] {
        QList<QByteArrayView> l;
        qsizetype start = 0;
        for (;;) {
            const qsizetype semi = text.indexOf(';', start);
            if (semi < 0) {
                l.append(text.sliced(start));
                break;
            }
            l.append(text.sliced(start, semi - start));
            start = semi + 1;
        }
        return l;
    }();
    for (qsizetype s = 0; s < specs.size(); ++s) {
        const QByteArrayView spec = trimmed(specs[s]);
        if (spec.isEmpty()) {
            if (s == specs.size() - 1 && s > 0)
                break; // a trailing ';' (§3.2)
            return R::failure(QStringLiteral("empty tag in the tag list"));
        }
        const qsizetype eq = spec.indexOf('=');
        if (eq < 0)
            return R::failure(QStringLiteral("tag without '=': %1")
                                  .arg(QString::fromLatin1(spec.first(qMin<qsizetype>(20, spec.size())))));
        const QByteArrayView name = trimmed(spec.first(eq));
        if (name.isEmpty() || !isAlpha(name.front()))
            return R::failure(QStringLiteral("invalid tag name '%1'")
                                  .arg(QString::fromLatin1(name.first(qMin<qsizetype>(20, name.size())))));
        for (char c : name) {
            if (!isAlpha(c) && !isDigit(c) && c != '_')
                return R::failure(
                    QStringLiteral("invalid tag name '%1'")
                        .arg(QString::fromLatin1(name.first(qMin<qsizetype>(20, name.size())))));
        }
        const QByteArrayView value = trimmed(spec.sliced(eq + 1));
        for (qsizetype i = 0; i < value.size(); ++i) {
            const auto u = static_cast<unsigned char>(value[i]);
            if (value[i] == '\r') {
                // FWS inside a value: CRLF must be followed by WSP.
                if (i + 2 >= value.size() || value[i + 1] != '\n' ||
                    (value[i + 2] != ' ' && value[i + 2] != '\t'))
                    return R::failure(QStringLiteral("bad line break in the value of tag %1")
                                          .arg(QString::fromLatin1(name)));
                ++i;
                continue;
            }
            if (value[i] == '\n')
                return R::failure(
                    QStringLiteral("bad line break in the value of tag %1").arg(QString::fromLatin1(name)));
            if (!(value[i] == ' ' || value[i] == '\t' || (u >= 0x21 && u <= 0x7e)))
                return R::failure(QStringLiteral("invalid character in the value of tag %1")
                                      .arg(QString::fromLatin1(name)));
        }
        const QByteArray key = name.toByteArray();
        if (seen.contains(key))
            return R::failure(QStringLiteral("tag %1 appears twice").arg(QString::fromLatin1(key)));
        seen.insert(key);
        out.append(DkimTag{key, value.toByteArray()});
    }
    return R::success(out);
}

QByteArray dkimWithoutWhitespace(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (char c : value) {
        if (!isFws(c))
            out.append(c);
    }
    return out;
}

} // namespace mailroute
