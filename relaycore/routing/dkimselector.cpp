#include "relaycore/routing/dkimselector.h"

#include <QStringList>

namespace mailroute {

Result<QString> normalizeDkimSelector(const QString &text)
{
    const QString sel = text.trimmed().toLower();
    const auto bad = [&](const QString &why) {
        return Result<QString>::failure(QStringLiteral("invalid DKIM selector \"%1\": %2").arg(text, why));
    };
    if (sel.isEmpty())
        return bad(QStringLiteral("it is empty"));
    if (sel.size() > 63)
        return bad(QStringLiteral("longer than 63 characters"));
    for (const QString &label : sel.split(QLatin1Char('.'))) {
        if (label.isEmpty())
            return bad(QStringLiteral("empty label"));
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return bad(QStringLiteral("a label starts or ends with a hyphen"));
        for (const QChar c : label) {
            const char16_t u = c.unicode();
            if (!((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-'))
                return bad(QStringLiteral("only letters, digits, hyphens and dots are allowed"));
        }
    }
    return Result<QString>::success(sel);
}

} // namespace mailroute
