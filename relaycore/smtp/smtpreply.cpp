// The reply table and the wire form of a reply (RFC 5321 §4.2, RFC 2034).
// Texts follow Postfix's wording where an administrator would look for it in
// logs ("Error: need RCPT command", "Ok: queued as ...").
#include "relaycore/smtp/smtpreply.h"

namespace mailroute {

namespace {

// RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126). Anything else could end a
// reply early (CR/LF) or confuse a client; never sent.
char safeTextChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u == '\t' || (u >= 32 && u <= 126)) ? c : '?';
}

Reply make(int code, const char *enhanced, QByteArray text)
{
    return Reply{code, QByteArray(enhanced), std::move(text)};
}

} // namespace

void Reply::appendWire(QByteArray &out) const
{
    const QByteArray codeText = QByteArray::number(code);
    qsizetype start = 0;
    // An empty text still yields one line: "250 2.0.0\r\n" is valid (textstring optional).
    for (;;) {
        qsizetype end = text.indexOf('\n', start);
        const bool last = end < 0;
        if (last)
            end = text.size();
        out += codeText;
        out += last ? ' ' : '-';
        if (!enhanced.isEmpty()) {
            out += enhanced;
            if (end > start)
                out += ' ';
        }
        for (qsizetype i = start; i < end; ++i)
            out += safeTextChar(text.at(i));
        out += "\r\n";
        if (last)
            break;
        start = end + 1;
    }
}

QByteArray Reply::toWire() const
{
    QByteArray out;
    out.reserve(text.size() + 16);
    appendWire(out);
    return out;
}

namespace replies {

Reply greeting(const QByteArray &hostname)
{
    return make(220, "", hostname + " ESMTP MailRoute");
}

Reply bye(const QByteArray &hostname)
{
    return make(221, "2.0.0", hostname + " closing connection");
}

Reply helo(const QByteArray &hostname)
{
    return make(250, "", hostname);
}

Reply ehlo(const QByteArray &hostname, const QByteArray &extensions)
{
    return make(250, "", extensions.isEmpty() ? hostname : hostname + '\n' + extensions);
}

Reply ok()
{
    return make(250, "2.0.0", "Ok");
}

Reply senderOk()
{
    return make(250, "2.1.0", "Ok");
}

Reply recipientOk()
{
    return make(250, "2.1.5", "Ok");
}

Reply queued(const QByteArray &queueId)
{
    return make(250, "2.0.0", "Ok: queued as " + queueId);
}

Reply cannotVerify()
{
    return make(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
}

Reply help()
{
    return make(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321");
}

Reply readyToStartTls()
{
    return make(220, "2.0.0", "Ready to start TLS");
}

Reply startMailInput()
{
    return make(354, "", "End data with <CR><LF>.<CR><LF>");
}

Reply shuttingDown(const QByteArray &hostname)
{
    return make(421, "4.3.2", hostname + " Service shutting down, closing connection");
}

Reply tooManySessions(const QByteArray &hostname)
{
    return make(421, "4.7.0", hostname + " Error: too many connections, try again later");
}

Reply tooManyErrors(const QByteArray &hostname)
{
    return make(421, "4.7.0", hostname + " Error: too many errors");
}

Reply tooManyJunkCommands(const QByteArray &hostname)
{
    return make(421, "4.7.0", hostname + " Error: too many commands without mail");
}

Reply timeout(const QByteArray &hostname)
{
    return make(421, "4.4.2", hostname + " Error: timeout exceeded");
}

Reply pipelineOverflow(const QByteArray &hostname)
{
    return make(421, "4.7.0", hostname + " Error: too much pipelined input");
}

Reply internalError()
{
    // Fixed on purpose (Postfix cleanup_strerror): the client learns nothing
    // about the relay's internals; the detail is logged.
    return make(451, "4.3.0", "Error: internal error, try again later");
}

Reply tooManyRecipients()
{
    return make(452, "4.5.3", "Error: too many recipients");
}

Reply tlsNotAvailable()
{
    return make(454, "4.7.0", "TLS not available due to temporary reason");
}

Reply mustStartTlsFirst()
{
    // Postfix's wording under smtpd_tls_security_level=encrypt.
    return make(530, "5.7.0", "Must issue a STARTTLS command first");
}

Reply commandUnrecognized()
{
    return make(500, "5.5.2", "Error: command not recognized");
}

Reply emptyCommand()
{
    return make(500, "5.5.2", "Error: bad syntax");
}

Reply lineTooLong()
{
    return make(500, "5.5.2", "Error: line too long");
}

Reply bareLineEnding()
{
    return make(500, "5.5.2", "Error: bare CR or LF, or NUL, in command line");
}

Reply syntax(const QByteArray &usage)
{
    return make(501, "5.5.4", "Syntax: " + usage);
}

Reply badParameter()
{
    return make(501, "5.5.4", "Error: bad or repeated parameter");
}

Reply badSizeParameter()
{
    return make(501, "5.5.4", "Error: bad SIZE parameter");
}

Reply badBodyParameter()
{
    return make(501, "5.5.4", "Error: bad BODY parameter");
}

Reply badHelo()
{
    return make(501, "5.5.4", "Error: bad HELO/EHLO argument");
}

Reply commandNotImplemented()
{
    return make(502, "5.5.1", "Error: command not implemented");
}

Reply needHelo()
{
    return make(503, "5.5.1", "Error: send HELO/EHLO first");
}

Reply nestedMail()
{
    return make(503, "5.5.1", "Error: nested MAIL command");
}

Reply needMail()
{
    return make(503, "5.5.1", "Error: need MAIL command");
}

Reply needRecipient()
{
    return make(503, "5.5.1", "Error: need RCPT command");
}

Reply transactionInProgress()
{
    return make(503, "5.5.1", "Error: MAIL transaction in progress");
}

Reply tlsAlreadyActive()
{
    return make(503, "5.5.1", "Error: TLS already active");
}

Reply badSequenceRejected()
{
    return make(503, "5.5.1", "Error: connection refused, send QUIT");
}

Reply parameterNotImplemented()
{
    return make(504, "5.5.4", "Error: parameter value not implemented");
}

Reply relayDenied()
{
    return make(550, "5.7.1", "Error: relay access denied");
}

Reply senderNotAllowed(const QString &sender)
{
    return make(550, "5.7.1",
                QByteArray("<") + sender.toUtf8() +
                    QByteArray(">: sender domain not in outbound.allowed_senders"));
}

Reply messageTooBig()
{
    return make(552, "5.3.4", "Error: message size exceeds fixed limit");
}

Reply needSmtputf8()
{
    return make(553, "5.6.7", "Error: non-ASCII address requires SMTPUTF8");
}

Reply badSenderSyntax()
{
    return make(553, "5.1.7", "Error: bad sender address syntax");
}

Reply badRecipientSyntax()
{
    return make(553, "5.1.3", "Error: bad recipient address syntax");
}

Reply hopLimitExceeded()
{
    return make(554, "5.4.6", "Error: too many hops, mail loop?");
}

Reply noValidRecipients()
{
    return make(554, "5.5.1", "Error: no valid recipients");
}

Reply badMessageLineEnding()
{
    return make(554, "5.6.0", "Error: message contains bare CR, bare LF or NUL");
}

Reply messageLineTooLong()
{
    return make(554, "5.6.0", "Error: message text line too long");
}

Reply connectionRefused()
{
    return make(554, "5.7.1", "Error: connection refused");
}

Reply dmarcRejected()
{
    return make(550, "5.7.1", "Message refused: it fails DMARC and its domain publishes p=reject");
}

Reply parameterNotRecognized()
{
    return make(555, "5.5.4", "Error: unsupported MAIL or RCPT parameter");
}

} // namespace replies

} // namespace mailroute
