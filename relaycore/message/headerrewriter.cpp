// Address-field rewriting: a tokenizer for RFC 5322 §3.2 lexical tokens and a
// recursive-descent parser for §3.4 address-lists (with the §4.4 obsolete
// forms), both working on byte offsets into the message so that a rewrite is
// a list of (begin, end, replacement) edits applied in one pass.
#include "relaycore/message/headerrewriter.h"

#include "relaycore/message/headersection.h"

#include <QByteArrayAlgorithms>
#include <QStringDecoder>

#include <algorithm>
#include <utility>
#include <vector>

namespace mailroute {

namespace {

// RFC 5322 §2.1.1: a line MUST NOT be longer than 998 octets, CRLF excluded.
constexpr qsizetype kMaxLineOctets = 998;

enum class TokenKind { Atom, QuotedString, DomainLiteral, Comment, Space, Special };

struct Token
{
    TokenKind kind;
    qsizetype begin;
    qsizetype end;
    char special; // for Special: one of < > @ , : ; .
    bool fold;    // contains a CRLF (folding)
};

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// RFC 5322 §3.2.3 atext, plus UTF8-non-ascii (RFC 6532 §3.2) so that 8-bit
// display names tokenize; whether an address is valid UTF-8 is decided later.
bool isAtext(char ch)
{
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80)
        return true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~': return true;
    default: return false;
    }
}

bool isCrOrLf(char c)
{
    return c == '\r' || c == '\n';
}

// Scans a delimited token that may contain quoted-pairs and folding: a
// quoted-string (§3.2.4), a domain-literal (§3.4.1) or, with nesting, a
// comment (§3.2.2). `i` is on the opening delimiter; returns the offset after
// the closing one, or -1 when the token is not closed or holds a NUL or a
// quoted CR/LF. Every CR in a field body is the start of a fold (the caller
// refuses bare CR and LF), so it only needs noting.
qsizetype scanDelimited(const char *d, qsizetype i, qsizetype e, char open, char close, bool nests,
                        bool *fold)
{
    int depth = 0;
    for (qsizetype j = i; j < e; ++j) {
        const char c = d[j];
        if (c == '\\') {
            if (j + 1 >= e || isCrOrLf(d[j + 1]) || d[j + 1] == '\0')
                return -1;
            ++j;
            continue;
        }
        if (c == '\0')
            return -1;
        if (c == '\r') {
            *fold = true;
            continue;
        }
        if (j > i && c == open && open != close) {
            if (!nests)
                return -1; // '[' inside a domain literal (dtext excludes it)
            ++depth;
            continue;
        }
        if (j == i) {
            depth = 1;
            continue;
        }
        if (c == close) {
            if (--depth == 0)
                return j + 1;
        }
    }
    return -1;
}

// Splits a field body into RFC 5322 §3.2 tokens. False when the body is not
// lexically valid (unclosed quote, comment or literal, stray ')' or '\',
// control characters): such a field is left alone.
bool tokenize(const char *d, qsizetype b, qsizetype e, std::vector<Token> &out)
{
    qsizetype i = b;
    while (i < e) {
        const char c = d[i];
        if (isWsp(c) || c == '\r') {
            bool fold = false;
            qsizetype j = i;
            while (j < e) {
                if (isWsp(d[j])) {
                    ++j;
                } else if (d[j] == '\r' && j + 2 < e && d[j + 1] == '\n' && isWsp(d[j + 2])) {
                    fold = true;
                    j += 3;
                } else {
                    break;
                }
            }
            if (j == i)
                return false;
            out.push_back(Token{TokenKind::Space, i, j, 0, fold});
            i = j;
            continue;
        }
        if (c == '(' || c == '"' || c == '[') {
            bool fold = false;
            qsizetype j = -1;
            TokenKind kind = TokenKind::Comment;
            if (c == '(') {
                j = scanDelimited(d, i, e, '(', ')', true, &fold);
            } else if (c == '"') {
                j = scanDelimited(d, i, e, '"', '"', false, &fold);
                kind = TokenKind::QuotedString;
            } else {
                j = scanDelimited(d, i, e, '[', ']', false, &fold);
                kind = TokenKind::DomainLiteral;
            }
            if (j < 0)
                return false;
            out.push_back(Token{kind, i, j, 0, fold});
            i = j;
            continue;
        }
        switch (c) {
        case '<':
        case '>':
        case '@':
        case ',':
        case ':':
        case ';':
        case '.':
            out.push_back(Token{TokenKind::Special, i, i + 1, c, false});
            ++i;
            continue;
        default: break;
        }
        if (!isAtext(c))
            return false;
        qsizetype j = i;
        while (j < e && isAtext(d[j]))
            ++j;
        out.push_back(Token{TokenKind::Atom, i, j, 0, false});
        i = j;
    }
    return true;
}

// An addr-spec as token indices, first and last inclusive.
struct AddrSpecRef
{
    int first;
    int last;
};

// RFC 5322 §3.4 address-list, with obs-addr-list, obs-mbox-list,
// obs-group-list, obs-angle-addr (routes), obs-phrase, obs-local-part and
// obs-domain (§4.4), over the tokens of one field body.
class AddressListParser
{
public:
    explicit AddressListParser(const std::vector<Token> &tokens)
        : m_t(tokens), m_n(static_cast<int>(tokens.size()))
    {}

    bool parse(std::vector<AddrSpecRef> &out)
    {
        for (;;) {
            skipCfws();
            if (atEnd())
                return true;
            if (isSpecial(',')) { // obs-addr-list allows empty elements
                ++m_pos;
                continue;
            }
            if (!parseAddress(out))
                return false;
            skipCfws();
            if (atEnd())
                return true;
            if (!isSpecial(','))
                return false;
            ++m_pos;
        }
    }

private:
    bool atEnd() const { return m_pos >= m_n; }
    bool isSpecialAt(int i, char c) const
    {
        return i < m_n && m_t[i].kind == TokenKind::Special && m_t[i].special == c;
    }
    bool isSpecial(char c) const { return isSpecialAt(m_pos, c); }
    bool isCfwsAt(int i) const
    {
        return i < m_n && (m_t[i].kind == TokenKind::Space || m_t[i].kind == TokenKind::Comment);
    }
    bool isWord() const
    {
        return !atEnd() && (m_t[m_pos].kind == TokenKind::Atom || m_t[m_pos].kind == TokenKind::QuotedString);
    }
    void skipCfws()
    {
        while (isCfwsAt(m_pos))
            ++m_pos;
    }

    // phrase / obs-phrase (§3.2.5, §4.1): word *(word / "." / CFWS). Returns
    // the index after it (trailing CFWS included); *hadWord tells whether
    // there was a phrase at all.
    int scanPhrase(int from, bool *hadWord) const
    {
        *hadWord = false;
        int i = from;
        while (i < m_n) {
            const Token &t = m_t[i];
            if (t.kind == TokenKind::Atom || t.kind == TokenKind::QuotedString) {
                *hadWord = true;
            } else if (t.kind == TokenKind::Special && t.special == '.') {
                if (!*hadWord)
                    break;
            } else if (t.kind != TokenKind::Space && t.kind != TokenKind::Comment) {
                break;
            }
            ++i;
        }
        return i;
    }

    bool parseAddress(std::vector<AddrSpecRef> &out)
    {
        bool hadWord = false;
        const int j = scanPhrase(m_pos, &hadWord);
        if (hadWord && isSpecialAt(j, ':'))
            return parseGroup(j + 1, out);
        return parseMailbox(out);
    }

    // §3.4 group: display-name ":" [group-list] ";" [CFWS]. Groups do not nest.
    bool parseGroup(int afterColon, std::vector<AddrSpecRef> &out)
    {
        m_pos = afterColon;
        for (;;) {
            skipCfws();
            if (atEnd())
                return false;
            if (isSpecial(';')) {
                ++m_pos;
                skipCfws();
                return true;
            }
            if (isSpecial(',')) {
                ++m_pos;
                continue;
            }
            if (!parseMailbox(out))
                return false;
            skipCfws();
            if (isSpecial(','))
                ++m_pos;
            else if (!isSpecial(';'))
                return false;
        }
    }

    // §3.4 mailbox: name-addr / addr-spec.
    bool parseMailbox(std::vector<AddrSpecRef> &out)
    {
        bool hadWord = false;
        const int j = scanPhrase(m_pos, &hadWord);
        if (isSpecialAt(j, '<')) {
            m_pos = j + 1;
            skipCfws();
            if (isSpecial('@') && !parseObsRoute())
                return false;
            AddrSpecRef r{};
            if (!parseAddrSpec(r))
                return false;
            skipCfws();
            if (!isSpecial('>'))
                return false;
            ++m_pos;
            skipCfws();
            out.push_back(r);
            return true;
        }
        AddrSpecRef r{};
        if (!parseAddrSpec(r))
            return false;
        skipCfws();
        out.push_back(r);
        return true;
    }

    // §4.4 obs-route = obs-domain-list ":"; obs-domain-list =
    // *(CFWS / ",") "@" domain *("," [CFWS] ["@" domain]). The route is kept
    // as written; parseMailbox later refuses source routes anyway, but only
    // for the addr-spec, which is all that is rewritten.
    bool parseObsRoute()
    {
        for (;;) {
            if (!isSpecial('@'))
                return false;
            ++m_pos;
            skipCfws();
            if (!parseDomain(nullptr))
                return false;
            skipCfws();
            if (isSpecial(':')) {
                ++m_pos;
                skipCfws();
                return true;
            }
            if (!isSpecial(','))
                return false;
            while (isSpecial(',') || isCfwsAt(m_pos))
                ++m_pos;
        }
    }

    // domain = dot-atom / domain-literal / obs-domain (atoms with CFWS between).
    bool parseDomain(int *last)
    {
        if (!atEnd() && m_t[m_pos].kind == TokenKind::DomainLiteral) {
            if (last)
                *last = m_pos;
            ++m_pos;
            return true;
        }
        if (atEnd() || m_t[m_pos].kind != TokenKind::Atom)
            return false;
        int l = m_pos++;
        for (;;) {
            const int save = m_pos;
            skipCfws();
            if (!isSpecial('.')) {
                m_pos = save;
                break;
            }
            ++m_pos;
            skipCfws();
            if (atEnd() || m_t[m_pos].kind != TokenKind::Atom)
                return false;
            l = m_pos++;
        }
        if (last)
            *last = l;
        return true;
    }

    // §3.4.1 addr-spec = local-part "@" domain, with obs-local-part
    // (words and dots with CFWS between).
    bool parseAddrSpec(AddrSpecRef &r)
    {
        skipCfws();
        if (!isWord())
            return false;
        r.first = m_pos;
        ++m_pos;
        for (;;) {
            const int save = m_pos;
            skipCfws();
            if (!isSpecial('.')) {
                m_pos = save;
                break;
            }
            ++m_pos;
            skipCfws();
            if (!isWord())
                return false;
            ++m_pos;
        }
        skipCfws();
        if (!isSpecial('@'))
            return false;
        ++m_pos;
        skipCfws();
        return parseDomain(&r.last);
    }

    const std::vector<Token> &m_t;
    const int m_n;
    int m_pos = 0;
};

// RFC 5322 §3.2.2 unfolding: the CRLF of a fold is removed, its WSP stays.
void appendUnfolded(QByteArray &out, const char *d, const Token &t)
{
    if (!t.fold) {
        out.append(d + t.begin, t.end - t.begin);
        return;
    }
    for (qsizetype i = t.begin; i < t.end; ++i) {
        if (d[i] == '\r' && i + 1 < t.end && d[i + 1] == '\n') {
            ++i;
            continue;
        }
        out.append(d[i]);
    }
}

struct Edit
{
    qsizetype begin;
    qsizetype end;
    QByteArray replacement; // the new addr-spec
    QByteArray moved;       // comments that were inside the old addr-spec, unfolded
    bool fold;              // the old addr-spec had a line break inside
};

bool onlyWsp(const QByteArray &s, qsizetype from)
{
    for (qsizetype i = from; i < s.size(); ++i) {
        if (!isWsp(s[i]))
            return false;
    }
    return true;
}

// Applies the edits in one pass: the bytes between edits (and the body) are
// appended once.
QByteArray applyEdits(const QByteArray &message, const std::vector<Edit> &edits)
{
    const char *d = message.constData();
    const qsizetype n = message.size();
    qsizetype growth = 0;
    for (const Edit &e : edits)
        growth += e.replacement.size() + e.moved.size() + 3 - (e.end - e.begin);
    QByteArray out;
    out.reserve(n + qMax<qsizetype>(growth, 0));
    qsizetype cursor = 0;
    qsizetype lineStart = 0; // in `out`
    for (const Edit &e : edits) {
        const QByteArrayView chunk(d + cursor, e.begin - cursor);
        const qsizetype nl = chunk.lastIndexOf('\n');
        if (nl >= 0)
            lineStart = out.size() + nl + 1;
        out.append(chunk);

        qsizetype rest = e.end;
        while (rest < n && !isCrOrLf(d[rest]))
            ++rest;
        const qsizetype inserted = e.moved.size() + e.replacement.size();
        const qsizetype projected = (out.size() - lineStart) + inserted + (rest - e.end);
        const bool tooLong = projected > kMaxLineOctets && inserted > e.end - e.begin;
        // Never fold right after a line's leading WSP: that would leave a
        // whitespace-only line, which RFC 5322 §3.2.2 forbids and which many
        // parsers take for the end of the header section.
        if ((e.fold || tooLong) && !onlyWsp(out, lineStart)) {
            out.append("\r\n ", 3);
            lineStart = out.size() - 1;
        }
        out.append(e.moved);
        out.append(e.replacement);
        cursor = e.end;
    }
    out.append(d + cursor, n - cursor);
    return out;
}

} // namespace

HeaderRewriter::HeaderRewriter(QList<QByteArray> fieldNames, AddressMapper mapper)
    : m_fieldNames(std::move(fieldNames)), m_mapper(std::move(mapper))
{}

HeaderRewriter HeaderRewriter::skipping(const QList<QByteArray> &skipped) const
{
    QList<QByteArray> kept;
    for (const QByteArray &name : m_fieldNames) {
        const bool skip = std::any_of(skipped.begin(), skipped.end(), [&name](const QByteArray &s) {
            return s.compare(name, Qt::CaseInsensitive) == 0;
        });
        if (!skip)
            kept << name;
    }
    return HeaderRewriter(std::move(kept), m_mapper);
}

QList<QByteArray> HeaderRewriter::recipientFields()
{
    return {QByteArrayLiteral("To"), QByteArrayLiteral("Cc")};
}

QList<QByteArray> HeaderRewriter::senderFields()
{
    return {QByteArrayLiteral("From"), QByteArrayLiteral("Sender"), QByteArrayLiteral("Reply-To")};
}

HeaderRewriteResult HeaderRewriter::rewrite(const QByteArray &message) const
{
    HeaderRewriteResult result;
    result.message = message;
    if (m_fieldNames.isEmpty() || !m_mapper)
        return result;
    const HeaderSection section(message);
    if (section.hasBareLineEnds())
        return result;

    const char *d = message.constData();
    std::vector<Token> tokens;
    std::vector<AddrSpecRef> specs;
    std::vector<Edit> edits;
    for (const HeaderFieldSpan &f : section.fields()) {
        bool selected = false;
        for (const QByteArray &name : m_fieldNames) {
            if (section.nameIs(f, name)) {
                selected = true;
                break;
            }
        }
        if (!selected)
            continue;
        tokens.clear();
        specs.clear();
        if (!tokenize(d, f.bodyBegin, f.end, tokens))
            continue;
        AddressListParser parser(tokens);
        if (!parser.parse(specs))
            continue;

        const QString fieldName = QString::fromLatin1(section.name(f));
        for (const AddrSpecRef &s : specs) {
            QByteArray value;
            QByteArray moved;
            bool fold = false;
            for (int k = s.first; k <= s.last; ++k) {
                const Token &t = tokens[static_cast<size_t>(k)];
                if (t.kind == TokenKind::Space) {
                    fold = fold || t.fold;
                } else if (t.kind == TokenKind::Comment) {
                    fold = fold || t.fold;
                    appendUnfolded(moved, d, t);
                    moved.append(' ');
                } else {
                    appendUnfolded(value, d, t);
                }
            }
            // RFC 6532 §3.2: 8-bit addresses must be UTF-8; anything else is
            // not an address we can match, so it stays as written.
            QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString oldText = decoder.decode(value);
            if (decoder.hasError())
                continue;
            const Result<MailAddress> oldAddress = parseMailbox(oldText);
            if (!oldAddress)
                continue;
            const std::optional<QString> mapped = m_mapper(*oldAddress);
            if (!mapped)
                continue;
            // Written in its normalised form (domain in lower-case ACE,
            // needless quotes dropped): valid header syntax whatever the
            // callback's spelling, and 7-bit unless the local part is UTF-8.
            const Result<MailAddress> newAddress = parseMailbox(*mapped);
            if (!newAddress)
                continue;
            const QString newText = newAddress->toString();
            QByteArray replacement = newText.toUtf8();
            const qsizetype begin = tokens[static_cast<size_t>(s.first)].begin;
            const qsizetype end = tokens[static_cast<size_t>(s.last)].end;
            if (QByteArrayView(d + begin, end - begin) == QByteArrayView(replacement))
                continue;
            edits.push_back(Edit{begin, end, std::move(replacement), std::move(moved), fold});
            result.changes.append(HeaderChange{fieldName, oldText, newText});
        }
    }
    if (!edits.empty())
        result.message = applyEdits(message, edits);
    return result;
}

} // namespace mailroute
