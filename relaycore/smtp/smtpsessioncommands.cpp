// SmtpSession's commands (RFC 5321 §4.1.1): the command table (one row per
// verb: handler, flags, usage), handleCommand() that checks a row's flags in
// order and dispatches to its handler, the junk-command limit, and one
// handler per command (EHLO/HELO with the EHLO keywords, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT, VRFY, HELP, STARTTLS, the verbs not offered). The
// framing, the DATA scanner and the state and output helpers they call are
// in smtpsession.cpp; the parsers of the arguments in smtpcommandparser.cpp.
#include "relaycore/smtp/smtpsession.h"

#include "relaycore/smtp/smtpcommandparser.h"
#include "relaycore/smtp/smtpsession_p.h"

#include <cstring>

namespace mailroute {

using namespace smtpparse;

// One row per verb (RFC 5321 §4.1.1). The flags' checks run in
// handleCommand() in the order of SmtpSession::CommandFlag, so each refusal
// is the one the verb has always had; what is left to a handler is what only
// it knows. Known verbs this server does not offer answer 502 (RFC 5321
// §4.2.4; BDAT: no CHUNKING, docs/behaviour.md "Extensions"; EXPN: mailing
// lists are not disclosed, §3.5); ETRN, EXPN and the other probes are junk as
// in Postfix.
const std::vector<SmtpSession::Command> &SmtpSession::commandTable()
{
    static const std::vector<Command> table = {
        {"EHLO", &SmtpSession::cmdEhlo, 0, ""},
        {"HELO", &SmtpSession::cmdHelo, 0, ""},
        {"MAIL", &SmtpSession::cmdMail, NeedsHelo | NoTransaction, ""},
        {"RCPT", &SmtpSession::cmdRcpt, NeedsHelo | NeedsTransaction, ""},
        {"DATA", &SmtpSession::cmdData, NoArguments | NeedsHelo | NeedsTransaction, "DATA"},
        {"RSET", &SmtpSession::cmdRset, Junk | NoArguments, "RSET"},
        {"NOOP", &SmtpSession::cmdNoop, Junk, ""},
        {"QUIT", &SmtpSession::cmdQuit, AllowedWhenRefused | NoArguments, "QUIT"},
        {"VRFY", &SmtpSession::cmdVrfy, Junk, ""},
        {"HELP", &SmtpSession::cmdHelp, 0, ""},
        {"STARTTLS", &SmtpSession::cmdStartTls, 0, ""},
        {"EXPN", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"BDAT", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"AUTH", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"ETRN", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"TURN", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"ATRN", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"SEND", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"SOML", &SmtpSession::cmdNotImplemented, Junk, ""},
        {"SAML", &SmtpSession::cmdNotImplemented, Junk, ""},
    };
    return table;
}

const SmtpSession::Command *SmtpSession::findCommand(QByteArrayView verb)
{
    if (verb.isEmpty())
        return nullptr;
    // The first letter (ASCII case folded) rules out most rows without a
    // full comparison; a verb is looked up for every command line.
    const char first = char(verb.front() | 0x20);
    for (const Command &c : commandTable()) {
        if (char(c.verb[0] | 0x20) == first && equalsNoCase(verb, c.verb))
            return &c;
    }
    return nullptr;
}

void SmtpSession::handleCommand(const char *line, qsizetype length)
{
    QByteArrayView text(line, length);
    // docs/behaviour.md "Strict input": a bare CR or LF (or a NUL) in a command
    // is refused, never reinterpreted as a line end.
    if (std::memchr(line, '\r', size_t(length)) || std::memchr(line, '\n', size_t(length)) ||
        std::memchr(line, '\0', size_t(length))) {
        sendError(replies::bareLineEnding());
        return;
    }
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    if (text.isEmpty()) {
        sendError(replies::emptyCommand());
        return;
    }
    const CommandLine cmd = splitCommandLine(text);
    const Command *command = findCommand(cmd.verb);
    const unsigned flags = command ? command->flags : unsigned(Junk);

    if (m_state == SessionState::Refused && !(flags & AllowedWhenRefused)) {
        // RFC 5321 §3.1: after a refused connection, 503 to all but QUIT.
        sendError(replies::badSequenceRejected());
        return;
    }
    if ((flags & Junk) && !admitJunkCommand())
        return;
    if (!command) {
        sendError(replies::commandUnrecognized());
        return;
    }
    if ((flags & NoArguments) && !cmd.args.isEmpty()) {
        sendError(replies::syntax(command->usage));
        return;
    }
    if ((flags & NeedsHelo) && m_state == SessionState::Greeted) {
        sendError(replies::needHelo());
        return;
    }
    if ((flags & NeedsTransaction) && m_state != SessionState::InTransaction) {
        sendError(replies::needMail());
        return;
    }
    if ((flags & NoTransaction) && m_state == SessionState::InTransaction) {
        sendError(replies::nestedMail());
        return;
    }
    (this->*command->handler)(cmd.args);
}

// A session that only idles with NOOP, RSET, VRFY or verbs it was never
// offered holds a slot without sending mail: after limits.junk_commands of
// them the next one ends it, like Postfix's smtpd_junk_command_limit (which
// counts them as errors past the limit; here the limit closes at once, so
// the figure is exact). A delivered message resets the count, as in Postfix.
bool SmtpSession::admitJunkCommand()
{
    if (m_junkCommands >= m_config.limits.junkCommands) {
        logRefusal(replies::tooManyJunkCommands(m_host), {}, {});
        sendReply(replies::tooManyJunkCommands(m_host));
        return false;
    }
    ++m_junkCommands;
    return true;
}

void SmtpSession::cmdEhlo(QByteArrayView args)
{
    hello(args, true);
}

void SmtpSession::cmdHelo(QByteArrayView args)
{
    hello(args, false);
}

void SmtpSession::hello(QByteArrayView args, bool extended)
{
    // RFC 5321 §4.1.1.1: "EHLO" SP ( Domain / address-literal ). Anything
    // after the first token is ignored, as Postfix does.
    qsizetype sp = args.indexOf(' ');
    const QByteArrayView name = sp < 0 ? args : args.first(sp);
    if (name.isEmpty()) {
        sendError(replies::syntax(extended ? "EHLO hostname" : "HELO hostname"));
        return;
    }
    if (!isValidHeloName(name)) {
        sendError(replies::badHelo());
        return;
    }
    const QString heloName = QString::fromLatin1(name);
    const Verdict v = askPolicy("helo", currentPolicy().get(), [this, &heloName](const SmtpPolicy &p) {
        return p.onHelo(m_session, heloName);
    });
    if (!v.accepted()) {
        logRefusal(v.reply, {}, {});
        sendError(v.reply);
        return;
    }
    // RFC 5321 §4.1.4: EHLO/HELO clears the transaction like RSET.
    resetTransaction();
    m_session.heloName = heloName;
    m_session.esmtp = extended;
    sendReply(extended ? replies::ehlo(m_host, ehloExtensions()) : replies::helo(m_host));
    enterState(SessionState::Ready);
}

QByteArray SmtpSession::ehloExtensions() const
{
    // RFC 2920, RFC 1870 §4, RFC 6152, RFC 2034, RFC 6531. Never CHUNKING
    // (docs/behaviour.md "Extensions"); STARTTLS only with a certificate and
    // before TLS (RFC 3207 §4.2).
    QByteArray e;
    e += "PIPELINING\nSIZE ";
    e += QByteArray::number(m_config.limits.messageSize);
    e += "\n8BITMIME\nENHANCEDSTATUSCODES\n";
    if (m_config.tlsAvailable && !m_session.tls)
        e += "STARTTLS\n";
    e += "SMTPUTF8";
    return e;
}

// After EHLO/HELO, outside a transaction (the table's NeedsHelo, NoTransaction).
void SmtpSession::cmdMail(QByteArrayView args)
{
    const PathArgs path = parsePathArgs(args, "FROM:");
    if (!path.ok) {
        sendError(replies::syntax("MAIL FROM:<address>"));
        return;
    }

    Transaction tx;
    const MailParamsResult params =
        parseMailParameters(path.params, m_config.limits.messageSize, tx.parameters);
    if (params.error) {
        if (params.tooBig)
            logRefusal(*params.error,
                       path.inner.isEmpty() ? QStringLiteral("<>") : QString::fromUtf8(path.inner), {});
        sendError(*params.error);
        return;
    }

    if (path.inner.isEmpty()) {
        tx.nullSender = true; // RFC 5321 §4.5.5: bounces and other notifications
    } else {
        ParsedPath sender = parsePath(path.inner, tx.parameters.smtputf8);
        if (!sender.ok()) {
            sendError(sender.error == ParsedPath::Error::NeedsSmtputf8 ? replies::needSmtputf8()
                                                                       : replies::badSenderSyntax());
            return;
        }
        tx.senderText = std::move(sender.text);
        tx.sender = std::move(sender.address);
    }

    // The transaction's policy: kept until the transaction ends
    // (docs/behaviour.md "Draft, push and generations").
    std::shared_ptr<const SmtpPolicy> policy = currentPolicy();
    if (policy)
        tx.generation = policy->generation();
    const Verdict v =
        askPolicy("mail", policy.get(), [this, &tx](const SmtpPolicy &p) { return p.onMail(m_session, tx); });
    if (!v.accepted()) {
        logRefusal(v.reply, refusalSender(tx), {});
        sendError(v.reply);
        return;
    }
    tx.senderRouting = v.routing;
    m_tx = std::move(tx);
    m_txPolicy = std::move(policy);
    m_rcptRefused = 0;
    sendReply(replies::senderOk());
    enterState(SessionState::InTransaction);
}

// Inside a transaction (the table's NeedsHelo, NeedsTransaction).
void SmtpSession::cmdRcpt(QByteArrayView args)
{
    const PathArgs path = parsePathArgs(args, "TO:");
    if (!path.ok) {
        sendError(replies::syntax("RCPT TO:<address>"));
        return;
    }
    // No RCPT parameters are offered (no DSN: NOTIFY/ORCPT, RFC 3461).
    if (!path.params.isEmpty()) {
        sendError(replies::parameterNotRecognized());
        return;
    }

    EnvelopeRecipient rcpt;
    if (equalsNoCase(path.inner, "postmaster")) {
        // RFC 5321 §4.5.1: <postmaster> without a domain must be accepted.
        rcpt.original = QStringLiteral("postmaster");
        Result<QString> domain = normalizeDomain(m_config.hostname);
        rcpt.address =
            MailAddress{QStringLiteral("postmaster"), domain ? *domain : m_config.hostname.toLower()};
        rcpt.postmasterAlias = true;
    } else {
        if (path.inner.isEmpty()) {
            sendError(replies::badRecipientSyntax());
            return;
        }
        ParsedPath recipient = parsePath(path.inner, m_tx.parameters.smtputf8);
        if (!recipient.ok()) {
            sendError(recipient.error == ParsedPath::Error::NeedsSmtputf8 ? replies::needSmtputf8()
                                                                          : replies::badRecipientSyntax());
            return;
        }
        rcpt.original = std::move(recipient.text);
        rcpt.address = std::move(recipient.address);
    }

    if (m_tx.recipients.size() >= m_config.limits.recipients) {
        // RFC 5321 §4.5.3.1.10: 452, and the client sends the rest in
        // another transaction. Not counted as an error: a pipelining client
        // sends all its RCPTs before it sees the first 452.
        logRefusal(replies::tooManyRecipients(), refusalSender(m_tx), rcpt.address.toString());
        sendReply(replies::tooManyRecipients());
        return;
    }

    const Verdict v = askPolicy("rcpt", m_txPolicy.get(), [this, &rcpt](const SmtpPolicy &p) {
        return p.onRecipient(m_session, m_tx, rcpt);
    });
    if (!v.accepted()) {
        ++m_rcptRefused;
        logRefusal(v.reply, refusalSender(m_tx), rcpt.address.toString());
        sendError(v.reply);
        return;
    }
    rcpt.routing = v.routing;
    if (v.verify) {
        // Recipient verification: the answer comes from recipientVerified();
        // what the client pipelines meanwhile waits in m_in.
        SessionAction a;
        a.kind = SessionAction::Kind::VerifyRecipient;
        a.sender = m_tx.nullSender ? QString() : m_tx.sender.toString();
        a.recipient = rcpt.address.toString();
        a.target = rcpt.routing.route.address.toString();
        m_actions.push_back(std::move(a));
        m_verifying = std::move(rcpt);
        enterState(SessionState::AwaitingRecipient);
        return;
    }
    m_tx.recipients.append(std::move(rcpt));
    sendReply(replies::recipientOk());
}

// No argument, inside a transaction (the table's flags).
void SmtpSession::cmdData(QByteArrayView)
{
    if (m_tx.recipients.isEmpty()) {
        // Postfix's wording when every RCPT was refused; the pipelining
        // client sees why DATA failed.
        sendError(m_rcptRefused > 0 ? replies::noValidRecipients() : replies::needRecipient());
        return;
    }
    const Verdict v = askPolicy("data", m_txPolicy.get(),
                                [this](const SmtpPolicy &p) { return p.onDataStart(m_session, m_tx); });
    if (!v.accepted()) {
        logRefusal(v.reply, refusalSender(m_tx), refusalRecipients(m_tx));
        sendError(v.reply);
        return;
    }
    sendReply(replies::startMailInput());
    enterState(SessionState::Data);
}

void SmtpSession::cmdRset(QByteArrayView)
{
    // RFC 5321 §4.1.1.5: only the transaction goes; the EHLO stays.
    resetTransaction();
    sendReply(replies::ok());
    enterState(idleState());
}

void SmtpSession::cmdNoop(QByteArrayView)
{
    sendReply(replies::ok()); // RFC 5321 §4.1.1.9: an argument is ignored
}

void SmtpSession::cmdQuit(QByteArrayView)
{
    sendReply(replies::bye(m_host));
    enterState(SessionState::Closed);
}

void SmtpSession::cmdVrfy(QByteArrayView args)
{
    if (args.isEmpty()) {
        sendError(replies::syntax("VRFY address"));
        return;
    }
    // RFC 5321 §3.5.3: 252 neither confirms nor denies a mailbox.
    sendReply(replies::cannotVerify());
}

void SmtpSession::cmdHelp(QByteArrayView)
{
    sendReply(replies::help());
}

void SmtpSession::cmdStartTls(QByteArrayView args)
{
    if (!m_config.tlsAvailable) {
        sendError(replies::commandNotImplemented()); // not advertised
        return;
    }
    if (m_session.tls) {
        sendError(replies::tlsAlreadyActive()); // RFC 3207 §4.2
        return;
    }
    if (!args.isEmpty()) {
        sendError(replies::syntax("STARTTLS")); // RFC 3207 §4
        return;
    }
    if (m_state == SessionState::InTransaction) {
        // RFC 3207 §4.2 would discard the transaction anyway; refusing it
        // (as Postfix does) tells the client instead of losing its MAIL/RCPT.
        sendError(replies::transactionInProgress());
        return;
    }
    sendReply(replies::readyToStartTls());
    enterState(SessionState::TlsHandshake);
}

void SmtpSession::cmdNotImplemented(QByteArrayView)
{
    sendError(replies::commandNotImplemented());
}

} // namespace mailroute
