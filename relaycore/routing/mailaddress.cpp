// Mailbox and domain validation. Every address that enters MailRoute passes
// here, so the rules are deliberately stricter than RFC 5321 where the RFC
// permits syntax that is only ever used for routing tricks (source routes,
// '%' and '!' hacks, quoted '@'): a relay that rewrites and forwards mail must
// never let such an address reach a different domain than the one it names.
// Pure functions, safe from any thread.
#include "relaycore/routing/mailaddress.h"

#include "relaycore/routing/idna.h"

#include <QByteArray>
#include <QList>

namespace mailroute {

namespace {

// RFC 5321 §4.5.3.1.1 and §4.5.3.1.2.
constexpr qsizetype kMaxLocalPartOctets = 64;
constexpr qsizetype kMaxDomainOctets = 255;
constexpr qsizetype kMaxLabelOctets = 63;

QString hexCodePoint(char32_t c)
{
    return QStringLiteral("U+") +
           QString::number(static_cast<uint>(c), 16).rightJustified(4, QLatin1Char('0')).toUpper();
}

// How a character is named in an error: printable ASCII quoted, everything
// else as its code point, so a reason never carries an invisible character.
QString describeChar(QChar c)
{
    const char16_t u = c.unicode();
    if (u > 0x20 && u < 0x7f)
        return QLatin1Char('\'') + c + QLatin1Char('\'');
    if (u == 0x20)
        return QStringLiteral("a space");
    return hexCodePoint(u);
}

// RFC 5322 §3.2.3 atext (referenced by RFC 5321 §4.1.2 Atom), ASCII part.
bool isAsciiAtext(char16_t c)
{
    if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9'))
        return true;
    switch (c) {
    case u'!':
    case u'#':
    case u'$':
    case u'%':
    case u'&':
    case u'\'':
    case u'*':
    case u'+':
    case u'-':
    case u'/':
    case u'=':
    case u'?':
    case u'^':
    case u'_':
    case u'`':
    case u'{':
    case u'|':
    case u'}':
    case u'~': return true;
    default: return false;
    }
}

bool isAscii(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// Characters refused anywhere, quoted or not: RFC 5321 §4.1.2 qtextSMTP and
// atext exclude every control character, and a CR or LF inside an address is
// the classic header/command injection (docs/behaviour.md "Strict input"). C1
// controls, the Unicode line separators and unpaired surrogates are refused for
// the same reason in SMTPUTF8 addresses.
QString controlCharError(QStringView text, const QString &what)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u == u'\r' || u == u'\n' || u == 0x2028 || u == 0x2029)
            return what + QStringLiteral(" contains a line break (CR or LF).");
        if (u == 0)
            return what + QStringLiteral(" contains a NUL character.");
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f))
            return what + QStringLiteral(" contains the control character ") + hexCodePoint(u) +
                   QLatin1Char('.');
        if (QChar::isHighSurrogate(u)) {
            if (i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode())) {
                ++i;
                continue;
            }
            return what + QStringLiteral(" is not valid Unicode (unpaired surrogate).");
        }
        if (QChar::isLowSurrogate(u))
            return what + QStringLiteral(" is not valid Unicode (unpaired surrogate).");
    }
    return {};
}

// The routing tricks of RFC 5321 Appendix C and §3.6.1 ("%-hack") and UUCP
// bang paths. Postfix treats both as a relay attempt (allow_untrusted_routing
// = no); MailRoute refuses them outright so no rule can forward them.
QString routingTrickError(QStringView local)
{
    if (local.contains(QLatin1Char('%')))
        return QStringLiteral(
            "The local part contains '%', a source-routing trick (\"user%other.example@relay\") "
            "that is refused.");
    if (local.contains(QLatin1Char('!')))
        return QStringLiteral(
            "The local part contains '!', a UUCP bang path (\"host!user\") that is refused.");
    return {};
}

// RFC 5321 §4.1.2 Dot-string: atoms separated by single dots. RFC 6531 §3.3
// adds UTF8-non-ascii to atext for SMTPUTF8.
bool isDotString(QStringView s)
{
    if (s.isEmpty() || s.front() == QLatin1Char('.') || s.back() == QLatin1Char('.'))
        return false;
    char16_t prev = 0;
    for (QChar ch : s) {
        const char16_t c = ch.unicode();
        if (c == u'.') {
            if (prev == u'.')
                return false;
        } else if (c < 0x80) {
            if (!isAsciiAtext(c))
                return false;
        } else if (ch.isSpace()) {
            return false;
        }
        prev = c;
    }
    return true;
}

QString checkUnquotedLocalPart(QStringView local)
{
    if (QString e = routingTrickError(local); !e.isEmpty())
        return e;
    for (QChar ch : local) {
        const char16_t c = ch.unicode();
        if (ch.isSpace())
            return QStringLiteral("The address contains whitespace.");
        if (c == u'"')
            return QStringLiteral("The local part contains a quote; quotes are only allowed around the whole "
                                  "local part (RFC 5321 §4.1.2).");
        if (c < 0x80 && c != u'.' && !isAsciiAtext(c))
            return QStringLiteral("The local part contains ") + describeChar(ch) +
                   QStringLiteral(", which is only allowed inside a quoted local part (RFC 5321 §4.1.2).");
    }
    if (local.front() == QLatin1Char('.') || local.back() == QLatin1Char('.'))
        return QStringLiteral("The local part must not start or end with a dot (RFC 5321 §4.1.2).");
    if (local.contains(QStringLiteral("..")))
        return QStringLiteral("The local part must not contain two dots in a row (RFC 5321 §4.1.2).");
    return {};
}

// Validates the LDH labels of an ASCII (already ACE) domain in lower case.
QString checkLdhDomain(const QString &domain)
{
    if (domain.size() > kMaxDomainOctets)
        return QStringLiteral("The domain is %1 octets long; at most %2 are allowed (RFC 5321 §4.5.3.1.2).")
            .arg(domain.size())
            .arg(kMaxDomainOctets);
    qsizetype labels = 0;
    bool lastAllDigits = false;
    qsizetype start = 0;
    while (start <= domain.size()) {
        qsizetype end = domain.indexOf(QLatin1Char('.'), start);
        if (end < 0)
            end = domain.size();
        const QStringView label = QStringView(domain).mid(start, end - start);
        if (label.isEmpty())
            return QStringLiteral("The domain has an empty label (a leading dot or two dots in a row).");
        if (label.size() > kMaxLabelOctets)
            return QStringLiteral(
                       "The domain has a label of %1 octets; at most %2 are allowed (RFC 1035 §2.3.4).")
                .arg(label.size())
                .arg(kMaxLabelOctets);
        bool allDigits = true;
        for (QChar ch : label) {
            const char16_t c = ch.unicode();
            const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
            if (!ok)
                return QStringLiteral("The domain contains ") + describeChar(ch) +
                       QStringLiteral(
                           "; only letters, digits, hyphens and dots are allowed (RFC 5321 §4.1.2).");
            if (c < u'0' || c > u'9')
                allDigits = false;
        }
        if (label.front() == QLatin1Char('-') || label.back() == QLatin1Char('-'))
            return QStringLiteral("The domain label \"") + label.toString() +
                   QStringLiteral("\" starts or ends with a hyphen (RFC 5321 §4.1.2).");
        lastAllDigits = allDigits;
        ++labels;
        start = end + 1;
    }
    if (labels < 2)
        return QStringLiteral("The domain \"") + domain +
               QStringLiteral(
                   "\" has a single label; mail domains must be fully qualified (RFC 5321 §2.3.5).");
    if (lastAllDigits)
        return QStringLiteral(
            "The domain looks like an IP address; give a domain name (address literals are not "
            "accepted).");
    return {};
}

// Shared by parseMailbox and normalizeDomain; `text` has no leading '@'.
Result<QString> normalizeDomainImpl(QStringView text)
{
    if (text.isEmpty())
        return Result<QString>::failure(QStringLiteral("The domain is empty."));
    if (QString e = controlCharError(text, QStringLiteral("The domain")); !e.isEmpty())
        return Result<QString>::failure(e);
    if (text.front() == QLatin1Char('['))
        return Result<QString>::failure(QStringLiteral(
            "Address literals such as [192.0.2.1] are not accepted; give a domain name (RFC 5321 §4.1.3)."));
    if (text.contains(QLatin1Char('@')))
        return Result<QString>::failure(QStringLiteral("The domain contains '@'."));
    for (QChar ch : text) {
        if (ch.isSpace())
            return Result<QString>::failure(QStringLiteral("The domain contains whitespace."));
    }
    // The root's trailing dot is how DNS spells a fully qualified name; it is
    // not part of the mail domain (Postfix strips it too). Only one.
    if (text.back() == QLatin1Char('.'))
        text.chop(1);
    if (text.isEmpty())
        return Result<QString>::failure(QStringLiteral("The domain is empty."));

    // IDNA2008 / UTS #46 through ICU (idna.h), nontransitional: "faß" stays
    // distinct from "fass"; an "xn--" label typed in ASCII must decode to a
    // valid label, or two spellings of one look-alike could collide. Plain
    // ASCII names only fold case here; the LDH check below is theirs.
    // ASCII input gets the RFC 5321 LDH check (and its reasons) first; the
    // common case, with no "xn--" label, needs nothing more (and no ICU).
    if (isAscii(text)) {
        QString lower = text.toString().toLower();
        if (QString e = checkLdhDomain(lower); !e.isEmpty())
            return Result<QString>::failure(e);
        if (!needsIdna(lower))
            return Result<QString>::success(std::move(lower));
    }
    const Result<QString> converted = idnaToAscii(text);
    if (!converted)
        return Result<QString>::failure(converted.error);
    const QString ascii = *converted;
    if (ascii.endsWith(QLatin1Char('.')))
        return Result<QString>::failure(
            QStringLiteral("The domain has an empty label (a leading dot or two dots in a row)."));
    if (QString e = checkLdhDomain(ascii); !e.isEmpty())
        return Result<QString>::failure(e);
    return Result<QString>::success(ascii);
}

} // namespace

Result<MailAddress> parseMailbox(QStringView text, const AddressParseOptions &opts)
{
    using R = Result<MailAddress>;
    if (text.isEmpty())
        return R::failure(QStringLiteral("The address is empty."));
    if (QString e = controlCharError(text, QStringLiteral("The address")); !e.isEmpty())
        return R::failure(e);
    // RFC 6532 §3.1: NFC, so that two spellings of one name compare equal —
    // before any check, since normalising can make ASCII: U+037E GREEK
    // QUESTION MARK is ';' after NFC, and must then need quotes like ';'.
    QString normalized;
    if (!isAscii(text)) {
        for (const char32_t cp : text.toUcs4()) {
            // Invisible characters that make two addresses look alike or
            // reorder how one is shown (BOM, zero-width space, word joiner
            // and invisible operators, bidirectional marks, overrides and
            // isolates, tag characters); some decoders also drop a leading
            // U+FEFF. U+200C/U+200D (ZWNJ/ZWJ) stay: IDNA2008 and Persian or
            // Indic names need them.
            const bool invisible = cp == 0xFEFF || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
                                   cp == 0x061C || (cp >= 0x2060 && cp <= 0x2064) ||
                                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                                   (cp >= 0xE0000 && cp <= 0xE007F);
            if (invisible)
                return R::failure(QStringLiteral("The address contains the invisible formatting character ") +
                                  hexCodePoint(cp) + QLatin1Char('.'));
        }
        normalized = text.toString().normalized(QString::NormalizationForm_C);
        text = normalized;
    }
    if (text.front() == QLatin1Char('<') || text.back() == QLatin1Char('>'))
        return R::failure(QStringLiteral("Give the address without angle brackets, as local@domain."));
    if (text.front() == QLatin1Char('@')) {
        // RFC 5321 §4.1.2 A-d-l / Appendix C: "@relay:user@domain".
        if (text.contains(QLatin1Char(':')) || text.contains(QLatin1Char(',')))
            return R::failure(QStringLiteral("Source routes (\"@relay.example:user@domain\") are refused "
                                             "(RFC 5321 Appendix C)."));
        return R::failure(QStringLiteral("The local part (before '@') is empty."));
    }

    QString local;
    qsizetype at = -1;
    if (text.front() == QLatin1Char('"')) {
        // RFC 5321 §4.1.2 Quoted-string: qtextSMTP or quoted-pairSMTP.
        QString content;
        qsizetype i = 1;
        bool closed = false;
        for (; i < text.size(); ++i) {
            const QChar ch = text[i];
            const char16_t c = ch.unicode();
            if (c == u'"') {
                closed = true;
                break;
            }
            if (c == u'\\') {
                if (i + 1 >= text.size())
                    break;
                const char16_t n = text[i + 1].unicode();
                if (n < 0x20 || n > 0x7e)
                    return R::failure(QStringLiteral("A backslash in a quoted local part may only escape a "
                                                     "printable ASCII character (RFC 5321 §4.1.2)."));
                content += text[i + 1];
                ++i;
                continue;
            }
            if (c != u' ' && ch.isSpace())
                return R::failure(
                    QStringLiteral("The address contains whitespace other than a plain space."));
            content += ch;
        }
        if (!closed)
            return R::failure(QStringLiteral("The quoted local part has no closing quote."));
        if (i + 1 >= text.size() || text[i + 1] != QLatin1Char('@'))
            return R::failure(
                QStringLiteral("A quoted local part must be followed directly by '@' and the domain."));
        at = i + 1;
        if (content.isEmpty())
            return R::failure(QStringLiteral("The local part (before '@') is empty."));
        // A quoted '@' makes "\"a@b\"@relay" look deliverable to b (docs/behaviour.md "Strict input").
        if (content.contains(QLatin1Char('@')))
            return R::failure(
                QStringLiteral("A quoted local part that contains '@' is refused: it is a routing "
                               "trick, not a mailbox."));
        if (QString e = routingTrickError(content); !e.isEmpty())
            return R::failure(e);
        // RFC 5321 §4.1.2: a quoted form SHOULD NOT be used when the dot-string
        // form suffices; "bob" and bob are the same mailbox, so keep one
        // spelling (Postfix unquotes internally the same way). Otherwise keep
        // the quotes with the minimal escaping.
        if (isDotString(content)) {
            local = content;
        } else {
            local.reserve(content.size() + 2);
            local += QLatin1Char('"');
            for (QChar ch : content) {
                if (ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
                    local += QLatin1Char('\\');
                local += ch;
            }
            local += QLatin1Char('"');
        }
    } else {
        at = text.indexOf(QLatin1Char('@'));
        if (at < 0)
            return R::failure(QStringLiteral("The address has no '@'."));
        const QStringView lp = text.first(at);
        if (QString e = checkUnquotedLocalPart(lp); !e.isEmpty())
            return R::failure(e);
        local = lp.toString();
    }

    const QStringView domainText = text.mid(at + 1);
    if (domainText.contains(QLatin1Char('@')))
        return R::failure(QStringLiteral("The address contains more than one '@'."));
    if (domainText.isEmpty())
        return R::failure(QStringLiteral("The domain (after '@') is empty."));

    if (!opts.allowUtf8 && !isAscii(local))
        return R::failure(QStringLiteral("The local part contains non-ASCII characters, which need SMTPUTF8 "
                                         "(RFC 6531)."));
    const qsizetype localOctets = isAscii(local) ? local.size() : local.toUtf8().size();
    if (localOctets > kMaxLocalPartOctets)
        return R::failure(QStringLiteral("The local part is %1 octets long; at most %2 are allowed "
                                         "(RFC 5321 §4.5.3.1.1).")
                              .arg(localOctets)
                              .arg(kMaxLocalPartOctets));

    Result<QString> domain = normalizeDomainImpl(domainText);
    if (!domain)
        return R::failure(domain.error);
    return R::success(MailAddress{std::move(local), std::move(*domain)});
}

Result<QString> normalizeDomain(QStringView text)
{
    if (text.startsWith(QLatin1Char('@')))
        text = text.mid(1);
    return normalizeDomainImpl(text);
}

} // namespace mailroute
