// The parsers of the SMTP server's command lines (RFC 5321 §4.1): pure
// functions from bytes to parts, no session state. SmtpSession dispatches
// through its command table (smtpsessioncommands.cpp) and calls these; what a
// parser rejects, the session answers with the reply the parser names.
#pragma once

#include "relaycore/routing/mailaddress.h"
#include "relaycore/smtp/smtpenvelope.h"
#include "relaycore/smtp/smtpreply.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace mailroute::smtpparse {

// ASCII case-insensitive comparison of a verb or keyword with `b`.
bool equalsNoCase(QByteArrayView a, const char *b);
bool isAscii(QByteArrayView s);

// One command line (without its CRLF, trailing spaces and tabs already
// cut): the verb, and its arguments with leading spaces skipped.
struct CommandLine
{
    QByteArrayView verb;
    QByteArrayView args;
};
CommandLine splitCommandLine(QByteArrayView text);

// RFC 5321 §2.4 / RFC 1869 §4.1.2: an EHLO argument is one token of printable ASCII.
bool isValidHeloName(QByteArrayView name);

// "FROM:<path> params" / "TO:<path> params" (RFC 5321 §4.1.1.2/3). The path
// may hold a quoted local part with '>' or spaces inside (§4.1.2
// Quoted-string), so the closing bracket is found outside quotes.
struct PathArgs
{
    bool ok = false;
    QByteArrayView inner;  // between the brackets
    QByteArrayView params; // after '>', leading spaces skipped
};
PathArgs parsePathArgs(QByteArrayView args, const char *keyword);

// The mailbox between the brackets of a non-empty MAIL or RCPT path: UTF-8
// only with SMTPUTF8 (RFC 6531 §3.5), decoded strictly (an invalid sequence
// is a syntax error, never a replacement character), then parseMailbox.
struct ParsedPath
{
    enum class Error { None, NeedsSmtputf8, BadSyntax };
    Error error = Error::None;
    QString text;        // the address as the client wrote it (ok only)
    MailAddress address; // (ok only)
    bool ok() const { return error == Error::None; }
};
ParsedPath parsePath(QByteArrayView inner, bool smtputf8);

// The parameters of MAIL FROM (RFC 1870 SIZE, RFC 6152 BODY, RFC 6531
// SMTPUTF8) into `parameters`. A failure names its reply; `tooBig` marks the
// one refusal for a policy reason (a declared SIZE over `sizeLimit`), which
// the session also logs.
struct MailParamsResult
{
    std::optional<Reply> error;
    bool tooBig = false;
};
MailParamsResult parseMailParameters(QByteArrayView params, qint64 sizeLimit, MailParameters &parameters);

} // namespace mailroute::smtpparse
