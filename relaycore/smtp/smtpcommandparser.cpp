// Lenient only where real clients need it and no hole opens (a space after
// "FROM:", trailing spaces); everything else is refused with the reply the
// session has always given for it.
#include "relaycore/smtp/smtpcommandparser.h"

#include <QStringDecoder>

#include <cstring>

namespace mailroute::smtpparse {

namespace {

bool startsWithNoCase(QByteArrayView a, const char *prefix)
{
    const auto n = qsizetype(std::strlen(prefix));
    return a.size() >= n && qstrnicmp(a.data(), n, prefix, n) == 0;
}

QByteArrayView skipSpaces(QByteArrayView s)
{
    qsizetype i = 0;
    while (i < s.size() && s[i] == ' ')
        ++i;
    return s.sliced(i);
}

// The next SP-separated "KEYWORD[=VALUE]" of a parameter list (RFC 5321 §4.1.2 esmtp-param).
QByteArrayView nextParam(QByteArrayView &params)
{
    params = skipSpaces(params);
    qsizetype end = params.indexOf(' ');
    if (end < 0)
        end = params.size();
    const QByteArrayView p = params.first(end);
    params = params.sliced(end);
    return p;
}

// Address text for parseMailbox: ASCII fast, UTF-8 strictly (an invalid
// sequence is a syntax error, never a replacement character).
bool decodeAddress(QByteArrayView bytes, QString &out)
{
    if (isAscii(bytes)) {
        out = QString::fromLatin1(bytes);
        return true;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    out = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

bool equalsNoCase(QByteArrayView a, const char *b)
{
    return qstrnicmp(a.data(), a.size(), b, -1) == 0;
}

bool isAscii(QByteArrayView s)
{
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

CommandLine splitCommandLine(QByteArrayView text)
{
    const qsizetype sp = text.indexOf(' ');
    CommandLine c;
    c.verb = sp < 0 ? text : text.first(sp);
    c.args = sp < 0 ? QByteArrayView() : skipSpaces(text.sliced(sp));
    return c;
}

bool isValidHeloName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > 255)
        return false;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return false;
    }
    return true;
}

PathArgs parsePathArgs(QByteArrayView args, const char *keyword)
{
    PathArgs r;
    if (!startsWithNoCase(args, keyword))
        return r;
    // Postfix tolerates "MAIL FROM: <a>" (strict_rfc821_envelopes = no);
    // Exchange and older clients send it.
    QByteArrayView rest = skipSpaces(args.sliced(qsizetype(std::strlen(keyword))));
    if (rest.isEmpty() || rest.front() != '<')
        return r;
    bool quoted = false;
    for (qsizetype i = 1; i < rest.size(); ++i) {
        const char c = rest[i];
        if (quoted && c == '\\') {
            ++i;
            continue;
        }
        if (c == '"') {
            quoted = !quoted;
        } else if (c == '>' && !quoted) {
            const QByteArrayView after = rest.sliced(i + 1);
            if (!after.isEmpty() && after.front() != ' ')
                return r; // "<a@b>x": not a path followed by parameters
            r.ok = true;
            r.inner = rest.sliced(1, i - 1);
            r.params = skipSpaces(after);
            return r;
        }
    }
    return r;
}

ParsedPath parsePath(QByteArrayView inner, bool smtputf8)
{
    ParsedPath r;
    if (!smtputf8 && !isAscii(inner)) {
        r.error = ParsedPath::Error::NeedsSmtputf8; // RFC 6531 §3.5
        return r;
    }
    QString text;
    if (!decodeAddress(inner, text)) {
        r.error = ParsedPath::Error::BadSyntax;
        return r;
    }
    Result<MailAddress> address = parseMailbox(text, AddressParseOptions{smtputf8});
    if (!address) {
        r.error = ParsedPath::Error::BadSyntax;
        return r;
    }
    r.text = std::move(text);
    r.address = std::move(*address);
    return r;
}

MailParamsResult parseMailParameters(QByteArrayView params, qint64 sizeLimit, MailParameters &parameters)
{
    MailParamsResult r;
    bool sawSize = false;
    bool sawBody = false;
    while (!params.isEmpty()) {
        const QByteArrayView param = nextParam(params);
        if (param.isEmpty())
            break;
        const qsizetype eq = param.indexOf('=');
        const QByteArrayView key = eq < 0 ? param : param.first(eq);
        const QByteArrayView value = eq < 0 ? QByteArrayView() : param.sliced(eq + 1);
        if (equalsNoCase(key, "SIZE")) {
            // RFC 1870 §5: size-value ::= 1*20DIGIT.
            bool digits = !value.isEmpty() && value.size() <= 20 && !sawSize;
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (!digits) {
                r.error = replies::badSizeParameter();
                return r;
            }
            bool fits = false;
            const qint64 size = value.toLongLong(&fits);
            // A value that overflows qint64 is certainly over the limit.
            if (!fits || size > sizeLimit) {
                r.error = replies::messageTooBig(); // RFC 1870 §6.1
                r.tooBig = true;
                return r;
            }
            parameters.declaredSize = size;
            sawSize = true;
        } else if (equalsNoCase(key, "BODY")) {
            if (sawBody) {
                r.error = replies::badParameter();
                return r;
            }
            if (equalsNoCase(value, "7BIT")) {
                parameters.body = BodyType::SevenBit;
            } else if (equalsNoCase(value, "8BITMIME")) {
                parameters.body = BodyType::EightBitMime;
            } else if (equalsNoCase(value, "BINARYMIME")) {
                r.error = replies::parameterNotImplemented(); // needs CHUNKING (RFC 3030 §3)
                return r;
            } else {
                r.error = replies::badBodyParameter();
                return r;
            }
            parameters.bodyGiven = true;
            sawBody = true;
        } else if (equalsNoCase(key, "SMTPUTF8")) {
            // RFC 6531 §3.4: the parameter has no value.
            if (eq >= 0 || parameters.smtputf8) {
                r.error = replies::badParameter();
                return r;
            }
            parameters.smtputf8 = true;
        } else {
            r.error = replies::parameterNotRecognized();
            return r;
        }
    }
    return r;
}

} // namespace mailroute::smtpparse
