// IDNA through ICU (idna.h). ICU's UTS #46 implementation does the mapping
// (case, width, NFC), Punycode, hyphen and length checks, CONTEXTJ, CONTEXTO
// and the Bidi Rule. What UTS #46 still lets through for compatibility with
// IDNA2003 — characters valid there but not in IDNA2008, marked NV8/XV8 in
// the UTS #46 table: emoji, symbols, most punctuation — is refused here by
// deriving each code point's IDNA2008 property from Unicode, as RFC 5892 §3
// does. Debian's python3-idna, an independent IDNA2008 implementation, is the
// test oracle (tests/relaycore/routing/tst_idna.cpp).
#include "relaycore/routing/idna.h"

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <QStringList>

#include <array>

namespace mailroute {

namespace {

// Mail domains are at most 255 octets (RFC 5321 §4.5.3.1.2); longer input is
// refused before ICU sees it, so a pasted megabyte costs nothing.
constexpr qsizetype kMaxInput = 1024;
constexpr int32_t kCapacity = 1024;

const UIDNA *converter()
{
    static const UIDNA *const uts46 = [] {
        UErrorCode error = U_ZERO_ERROR;
        const UIDNA *c = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                             UIDNA_CHECK_CONTEXTO | UIDNA_NONTRANSITIONAL_TO_ASCII |
                                             UIDNA_NONTRANSITIONAL_TO_UNICODE,
                                         &error);
        return U_SUCCESS(error) ? c : nullptr;
    }();
    return uts46;
}

QString hexCodePoint(char32_t c)
{
    return QStringLiteral("U+") +
           QString::number(static_cast<uint>(c), 16).rightJustified(4, QLatin1Char('0')).toUpper();
}

// The first reason among ICU's error bits, in the order an admin fixes them;
// `disallowed` names the first disallowed character, if known.
QString describeErrors(uint32_t errors, const QString &disallowed = {})
{
    struct Reason
    {
        uint32_t bit;
        const char *text;
    };
    static const std::array<Reason, 14> reasons = {{
        {UIDNA_ERROR_EMPTY_LABEL, "The domain has an empty label (a leading dot or two dots in a row)."},
        {UIDNA_ERROR_DOMAIN_NAME_TOO_LONG,
         "The domain is longer than 253 octets in its ASCII form (RFC 1035)."},
        {UIDNA_ERROR_LABEL_TOO_LONG, "A label of the domain is longer than 63 octets in its ASCII form "
                                     "(RFC 1035 §2.3.4)."},
        {UIDNA_ERROR_DISALLOWED,
         "The domain contains a character that is not allowed in domain names (UTS #46, "
         "host-name rules)."},
        {UIDNA_ERROR_CONTEXTJ, "The domain contains a zero-width joiner or non-joiner (U+200D, U+200C) where "
                               "IDNA2008 does not allow one (RFC 5892 Appendix A.1/A.2): an invisible "
                               "look-alike."},
        {UIDNA_ERROR_CONTEXTO_PUNCTUATION,
         "The domain contains U+00B7, U+0375, U+05F3, U+05F4 or U+30FB outside "
         "the context IDNA2008 allows (RFC 5892 Appendix A)."},
        {UIDNA_ERROR_CONTEXTO_DIGITS,
         "The domain mixes Arabic-Indic and extended Arabic-Indic digits (RFC 5892 "
         "Appendix A.8, A.9)."},
        {UIDNA_ERROR_BIDI, "The domain breaks the Bidi Rule (RFC 5893): it mixes right-to-left and "
                           "left-to-right characters in a way that can display as another name."},
        {UIDNA_ERROR_LEADING_COMBINING_MARK, "A label of the domain starts with a combining mark (RFC 5891 "
                                             "§4.2.3.2)."},
        {UIDNA_ERROR_LEADING_HYPHEN, "A label of the domain starts with a hyphen (RFC 5891 §4.2.3.1)."},
        {UIDNA_ERROR_TRAILING_HYPHEN, "A label of the domain ends with a hyphen (RFC 5891 §4.2.3.1)."},
        {UIDNA_ERROR_HYPHEN_3_4, "A label of the domain has hyphens in its third and fourth positions, which "
                                 "IDNA reserves (RFC 5891 §4.2.3.1)."},
        {UIDNA_ERROR_PUNYCODE, "The domain has an \"xn--\" label that is not valid Punycode (RFC 3492)."},
        {UIDNA_ERROR_INVALID_ACE_LABEL, "The domain has an \"xn--\" label that does not decode to a valid "
                                        "IDNA label (RFC 5891 §5.4)."},
    }};
    for (const Reason &r : reasons) {
        if (!(errors & r.bit))
            continue;
        if (r.bit == UIDNA_ERROR_DISALLOWED && !disallowed.isEmpty())
            return QStringLiteral("The domain contains ") + disallowed +
                   QStringLiteral(", which is not allowed in domain names (IDNA, UTS #46 host-name rules).");
        return QString::fromUtf8(r.text);
    }
    return QStringLiteral("The internationalized domain is not valid IDNA (RFC 5891).");
}

// RFC 5892 §2.1-2.9 and §3: the IDNA2008 property of a code point, from
// Unicode properties (ICU's data, Unicode 15 in Debian 12). Returns true for
// PVALID, CONTEXTJ and CONTEXTO (whose contexts ICU checks).
bool permittedByIdna2008(UChar32 cp)
{
    // §2.6 Exceptions (F).
    switch (cp) {
    case 0x00DF: // PVALID
    case 0x03C2:
    case 0x06FD:
    case 0x06FE:
    case 0x0F0B:
    case 0x3007:
    case 0x00B7: // CONTEXTO
    case 0x0375:
    case 0x05F3:
    case 0x05F4:
    case 0x30FB: return true;
    case 0x0640: // DISALLOWED
    case 0x07FA:
    case 0x302E:
    case 0x302F:
    case 0x3031:
    case 0x3032:
    case 0x3033:
    case 0x3034:
    case 0x3035:
    case 0x303B: return false;
    default: break;
    }
    if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9)) // CONTEXTO digits
        return true;
    // §2.8 Unassigned (J); §2.7 BackwardCompatible (G) is empty.
    if (u_charType(cp) == U_UNASSIGNED)
        return false;
    // §2.9 LDH (K).
    if ((cp >= u'a' && cp <= u'z') || (cp >= u'0' && cp <= u'9') || cp == u'-')
        return true;
    // §2.5 JoinControl (H): CONTEXTJ.
    if (u_hasBinaryProperty(cp, UCHAR_JOIN_CONTROL))
        return true;
    // §2.2 Unstable (B): toNFKC(toCaseFold(toNFKC(cp))) != cp.
    {
        UErrorCode e = U_ZERO_ERROR;
        const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&e);
        if (U_FAILURE(e))
            return false;
        UChar in[2];
        int32_t inLength = 0;
        U16_APPEND_UNSAFE(in, inLength, cp);
        UChar a[64];
        UChar b[64];
        UChar c[64];
        const int32_t na = unorm2_normalize(nfkc, in, inLength, a, 64, &e);
        const int32_t nb = u_strFoldCase(b, 64, a, na, U_FOLD_CASE_DEFAULT, &e);
        const int32_t nc = unorm2_normalize(nfkc, b, nb, c, 64, &e);
        if (U_FAILURE(e) || nc != inLength || u_memcmp(c, in, inLength) != 0)
            return false;
    }
    // §2.3 IgnorableProperties (C).
    if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
        u_hasBinaryProperty(cp, UCHAR_WHITE_SPACE) || u_hasBinaryProperty(cp, UCHAR_NONCHARACTER_CODE_POINT))
        return false;
    // §2.4 IgnorableBlocks (D).
    const UBlockCode block = ublock_getCode(cp);
    if (block == UBLOCK_COMBINING_MARKS_FOR_SYMBOLS || block == UBLOCK_MUSICAL_SYMBOLS ||
        block == UBLOCK_ANCIENT_GREEK_MUSICAL_NOTATION)
        return false;
    // §2.10 OldHangulJamo (I).
    const int hst = u_getIntPropertyValue(cp, UCHAR_HANGUL_SYLLABLE_TYPE);
    if (hst == U_HST_LEADING_JAMO || hst == U_HST_VOWEL_JAMO || hst == U_HST_TRAILING_JAMO)
        return false;
    // §2.1 LetterDigits (A).
    switch (u_charType(cp)) {
    case U_LOWERCASE_LETTER:
    case U_UPPERCASE_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_MODIFIER_LETTER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK: return true;
    default: return false;
    }
}

// The Unicode form (UTS #46 output) must hold only IDNA2008 code points.
QString idna2008Problem(const QString &unicode)
{
    for (const char32_t cp : unicode.toUcs4()) {
        if (cp < 0x80 || cp == u'.')
            continue; // ASCII was checked by ICU's STD3 rules (and the caller's LDH check)
        if (!permittedByIdna2008(UChar32(cp)))
            return QStringLiteral("The domain contains ") + hexCodePoint(cp) +
                   QStringLiteral(
                       ", which IDNA2008 does not permit in domain names (RFC 5892; symbols, emoji and "
                       "punctuation are not allowed).");
    }
    return {};
}

// The first character UTS #46 (with host-name rules) disallows on its own:
// '_' quoted, anything else as its code point.
QString firstDisallowed(const UIDNA *uts46, QStringView domain)
{
    for (const char32_t cp : domain.toString().toUcs4()) {
        if (cp == u'.')
            continue;
        UChar in[2];
        int32_t inLength = 0;
        U16_APPEND_UNSAFE(in, inLength, UChar32(cp));
        UChar out[64];
        UErrorCode e = U_ZERO_ERROR;
        UIDNAInfo info = UIDNA_INFO_INITIALIZER;
        uidna_labelToASCII(uts46, in, inLength, out, 64, &info, &e);
        if (U_SUCCESS(e) && (info.errors & UIDNA_ERROR_DISALLOWED)) {
            if (cp > 0x20 && cp < 0x7f)
                return QLatin1Char('\'') + QChar(char16_t(cp)) + QLatin1Char('\'');
            return hexCodePoint(cp);
        }
    }
    return {};
}

enum class Direction { ToAscii, ToUnicode };

// Runs ICU one way; on success returns that form, and `unicode` the Unicode
// form for the IDNA2008 check.
Result<QString> convert(QStringView domain, Direction direction, QString *unicode)
{
    using R = Result<QString>;
    const UIDNA *uts46 = converter();
    if (!uts46)
        return R::failure(QStringLiteral("IDNA is not available (ICU could not be initialised)."));
    if (domain.size() > kMaxInput)
        return R::failure(QStringLiteral("The domain is longer than 255 octets (RFC 5321 §4.5.3.1.2)."));
    const auto *src = reinterpret_cast<const UChar *>(domain.utf16());
    const auto srcLength = int32_t(domain.size());
    UChar out[kCapacity];
    UErrorCode error = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    const int32_t n = direction == Direction::ToAscii
                          ? uidna_nameToASCII(uts46, src, srcLength, out, kCapacity, &info, &error)
                          : uidna_nameToUnicode(uts46, src, srcLength, out, kCapacity, &info, &error);
    if (error == U_BUFFER_OVERFLOW_ERROR || n >= kCapacity)
        return R::failure(QStringLiteral("The domain is longer than 255 octets (RFC 5321 §4.5.3.1.2)."));
    if (U_FAILURE(error))
        return R::failure(QStringLiteral("The internationalized domain cannot be converted (RFC 5891)."));
    if (info.errors != 0)
        return R::failure(describeErrors(info.errors, (info.errors & UIDNA_ERROR_DISALLOWED)
                                                          ? firstDisallowed(uts46, domain)
                                                          : QString()));
    const QString result = QString(reinterpret_cast<const QChar *>(out), n);
    if (direction == Direction::ToUnicode) {
        *unicode = result;
    } else {
        // The Unicode form of what ICU accepted: same rules, so no errors.
        UChar u[kCapacity];
        UErrorCode e = U_ZERO_ERROR;
        UIDNAInfo i = UIDNA_INFO_INITIALIZER;
        const int32_t m = uidna_nameToUnicode(uts46, out, n, u, kCapacity, &i, &e);
        if (U_FAILURE(e) || i.errors != 0 || m >= kCapacity)
            return R::failure(describeErrors(i.errors));
        *unicode = QString(reinterpret_cast<const QChar *>(u), m);
    }
    if (QString problem = idna2008Problem(*unicode); !problem.isEmpty())
        return R::failure(problem);
    return R::success(result.toLower());
}

} // namespace

bool needsIdna(QStringView domain)
{
    for (qsizetype i = 0; i < domain.size(); ++i) {
        const char16_t c = domain[i].unicode();
        if (c >= 0x80)
            return true;
        // "xn--" at the start of a label, any case.
        if ((i == 0 || domain[i - 1] == QLatin1Char('.')) && i + 4 <= domain.size() &&
            domain.mid(i, 4).compare(QLatin1String("xn--"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

Result<QString> idnaToAscii(QStringView domain)
{
    if (!needsIdna(domain))
        return Result<QString>::success(domain.toString().toLower());
    QString unicode;
    return convert(domain, Direction::ToAscii, &unicode);
}

Result<QString> idnaToUnicode(QStringView domain)
{
    if (!needsIdna(domain))
        return Result<QString>::success(domain.toString().toLower());
    QString unicode;
    return convert(domain, Direction::ToUnicode, &unicode);
}

} // namespace mailroute
