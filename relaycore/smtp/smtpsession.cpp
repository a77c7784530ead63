// The SMTP server state machine: driving it (start, feed, the engine's
// verdicts, TLS, shutdown, timeouts), input framing (command lines and the
// DATA scanner) and the state and output helpers. The command table and one
// handler per SMTP command are in smtpsessioncommands.cpp; askPolicy() in
// smtpsession_p.h. Strict where strictness closes a hole
// (docs/behaviour.md "Strict input": only CRLF ends a line, only <CRLF>.<CRLF>
// ends DATA, so no bare CR or LF can ever make two messages out of one — "SMTP
// smuggling"), lenient only where real clients need it and no hole opens (a
// space after "FROM:", trailing spaces). The state changes only in
// enterState(); the policy is asked before the transaction changes.
#include "relaycore/smtp/smtpsession.h"

#include "relaycore/smtp/smtpsession_p.h"

#include <cstring>

namespace mailroute {

SmtpSession::SmtpSession(SessionConfig config, QHostAddress clientAddress, quint16 clientPort,
                         PolicySource policy)
    : m_config(std::move(config)), m_host(m_config.hostname.toLatin1()), m_policySource(std::move(policy))
{
    m_session.clientAddress = std::move(clientAddress);
    m_session.clientPort = clientPort;
}

SmtpSession::~SmtpSession() = default;

// ---------------------------------------------------------------- driving

void SmtpSession::start()
{
    if (m_state != SessionState::Initial)
        return;
    const Verdict v = askPolicy("connect", currentPolicy().get(),
                                [this](const SmtpPolicy &p) { return p.onConnect(m_session); });
    if (!v.accepted()) {
        // RFC 5321 §3.1: after a 554 greeting the client should QUIT; a
        // temporary refusal is a 421, which closes (see sendReply).
        logRefusal(v.reply, {}, {});
        sendReply(v.reply);
        enterState(v.kind == Verdict::Kind::Reject ? SessionState::Refused : SessionState::Closed);
        processBuffered();
        return;
    }
    sendReply(replies::greeting(m_host));
    enterState(SessionState::Greeted);
    // RFC 5321 §4.3.1: a client must wait for the greeting; what it sent
    // early is answered in order now rather than reinterpreted.
    processBuffered();
}

void SmtpSession::feed(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    switch (m_state) {
    case SessionState::Closed:
    case SessionState::TlsHandshake: return; // RFC 3207 §4.2: plaintext after STARTTLS is discarded
    case SessionState::Initial:
    case SessionState::AwaitingVerdict:
    case SessionState::AwaitingRecipient: bufferInput(bytes); return;
    default: break;
    }
    if (!m_in.isEmpty()) {
        m_in.append(bytes);
        processBuffered();
        return;
    }
    // The common case: parse straight from the caller's bytes, so message
    // text is copied once, into the transaction's buffer.
    const qsizetype used = consume(bytes.data(), bytes.size());
    keepUnconsumed(bytes.sliced(used));
}

// What consume() left: pipelined input while a message awaits its verdict,
// or a partial command line (shorter than the limit); discarded once closed
// or after STARTTLS.
void SmtpSession::keepUnconsumed(QByteArrayView rest)
{
    if (rest.isEmpty())
        return;
    switch (m_state) {
    case SessionState::Closed:
    case SessionState::TlsHandshake: return;
    case SessionState::Initial:
    case SessionState::AwaitingVerdict:
    case SessionState::AwaitingRecipient: bufferInput(rest); return;
    default: m_in.append(rest); return;
    }
}

std::vector<SessionAction> SmtpSession::takeActions()
{
    return std::exchange(m_actions, {});
}

void SmtpSession::messageAccepted(const QByteArray &queueId)
{
    if (m_state != SessionState::AwaitingVerdict) {
        diagnostic(QStringLiteral("messageAccepted() while no message awaits a verdict"));
        return;
    }
    sendReply(replies::queued(queueId));
    // Postfix's hard error limit counts errors "without delivering mail";
    // its junk command count is reset by a delivered message too.
    m_errors = 0;
    m_junkCommands = 0;
    resumeAfterVerdict();
}

void SmtpSession::messageRejected(const Reply &reply)
{
    if (m_state != SessionState::AwaitingVerdict) {
        diagnostic(QStringLiteral("messageRejected() while no message awaits a verdict"));
        return;
    }
    if (reply.isPermanentFailure() || reply.isTransientFailure()) {
        sendReply(reply);
    } else {
        diagnostic(QStringLiteral("messageRejected() with reply code %1").arg(reply.code));
        sendReply(replies::internalError());
    }
    resumeAfterVerdict();
}

void SmtpSession::recipientVerified(const Reply &reply)
{
    if (m_state != SessionState::AwaitingRecipient || !m_verifying) {
        diagnostic(QStringLiteral("recipientVerified() while no recipient awaits verification"));
        return;
    }
    EnvelopeRecipient rcpt = std::move(*m_verifying);
    m_verifying.reset();
    enterState(SessionState::InTransaction);
    if (reply.isPositive()) {
        m_tx.recipients.append(std::move(rcpt));
        sendReply(replies::recipientOk());
    } else {
        // Anything but a 4xx/5xx is a verifier bug: the client retries.
        const Reply r =
            reply.isPermanentFailure() || reply.isTransientFailure() ? reply : replies::internalError();
        ++m_rcptRefused;
        SessionAction refused;
        refused.kind = SessionAction::Kind::Refused;
        refused.sender = m_tx.nullSender ? QString() : m_tx.sender.toString();
        refused.recipient = rcpt.address.toString();
        refused.reply = r;
        m_actions.push_back(std::move(refused));
        sendError(r);
    }
    if (m_state == SessionState::Closed)
        return;
    if (m_inputOverflow) {
        sendReply(replies::pipelineOverflow(m_host));
        return;
    }
    processBuffered();
}

void SmtpSession::resumeAfterVerdict()
{
    if (m_state == SessionState::Closed)
        return;
    enterState(SessionState::Ready);
    if (m_inputOverflow) {
        logRefusal(replies::pipelineOverflow(m_host), {}, {});
        sendReply(replies::pipelineOverflow(m_host));
        return;
    }
    processBuffered();
}

void SmtpSession::tlsEstablished()
{
    if (m_state != SessionState::TlsHandshake) {
        diagnostic(QStringLiteral("tlsEstablished() outside a STARTTLS handshake"));
        return;
    }
    // RFC 3207 §4.2: discard everything learnt from the client before TLS.
    m_session.heloName.clear();
    m_session.esmtp = false;
    m_session.tls = true;
    resetTransaction();
    enterState(SessionState::Greeted);
}

void SmtpSession::shutdown()
{
    if (m_state == SessionState::Closed)
        return;
    sendReply(replies::shuttingDown(m_host));
}

void SmtpSession::timedOut()
{
    if (m_state == SessionState::Closed || timeoutKind() == TimeoutKind::None)
        return;
    sendReply(replies::timeout(m_host));
}

TimeoutKind SmtpSession::timeoutKind() const
{
    switch (m_state) {
    case SessionState::Greeted:
    case SessionState::Ready:
    case SessionState::InTransaction:
    case SessionState::Refused:
    case SessionState::TlsHandshake: return TimeoutKind::Command;
    case SessionState::Data: return TimeoutKind::Data;
    case SessionState::Initial:
    case SessionState::AwaitingVerdict:
    case SessionState::AwaitingRecipient:
    case SessionState::Closed: return TimeoutKind::None;
    }
    return TimeoutKind::None;
}

std::chrono::seconds SmtpSession::timeoutInterval() const
{
    switch (timeoutKind()) {
    case TimeoutKind::Command: return m_config.limits.commandTimeout;
    case TimeoutKind::Data: return m_config.limits.dataTimeout;
    case TimeoutKind::None: break;
    }
    return std::chrono::seconds{0};
}

// ---------------------------------------------------------------- input framing

void SmtpSession::bufferInput(QByteArrayView bytes)
{
    if (m_inputOverflow)
        return;
    if (m_in.size() + bytes.size() > m_config.limits.pipelineBuffer) {
        // Never grow without bound while the engine is busy: the pending
        // verdict is still sent, then the session closes (resumeAfterVerdict).
        m_inputOverflow = true;
        m_in.clear();
        return;
    }
    m_in.append(bytes);
}

void SmtpSession::processBuffered()
{
    if (m_in.isEmpty())
        return;
    switch (m_state) {
    case SessionState::Initial:
    case SessionState::AwaitingVerdict:
    case SessionState::AwaitingRecipient: return;
    case SessionState::Closed:
    case SessionState::TlsHandshake: m_in.clear(); return;
    default: break;
    }
    // consume() never appends to m_in while it reads from it: it stops as
    // soon as input would have to be buffered (AwaitingVerdict).
    const QByteArray input = std::exchange(m_in, QByteArray());
    const qsizetype used = consume(input.constData(), input.size());
    keepUnconsumed(QByteArrayView(input).sliced(used));
}

qsizetype SmtpSession::consume(const char *s, qsizetype n)
{
    qsizetype p = 0;
    while (p < n) {
        switch (m_state) {
        case SessionState::Data: p += consumeData(s + p, n - p); break;
        case SessionState::Greeted:
        case SessionState::Ready:
        case SessionState::InTransaction:
        case SessionState::Refused: {
            const qsizetype used = consumeCommandLine(s + p, n - p);
            if (used == 0)
                return p; // an incomplete line: wait for more
            p += used;
            break;
        }
        case SessionState::Initial:
        case SessionState::AwaitingVerdict:
        case SessionState::AwaitingRecipient:
        case SessionState::TlsHandshake:
        case SessionState::Closed: return p;
        }
    }
    return p;
}

// One command line, or one piece of an overlong line being discarded.
// Returns the octets consumed, 0 when the line is not complete yet.
qsizetype SmtpSession::consumeCommandLine(const char *s, qsizetype n)
{
    if (m_discarding) {
        // The tail of an overlong line is never executed (RFC 5321
        // §4.5.3.1.4 allows refusing it; executing it would run whatever an
        // attacker placed after the limit).
        if (m_discardCR && s[0] == '\n') {
            m_discarding = m_discardCR = false;
            return 1;
        }
        for (qsizetype from = 0;;) {
            const auto *lf = static_cast<const char *>(std::memchr(s + from, '\n', size_t(n - from)));
            if (!lf)
                break;
            const qsizetype q = lf - s;
            if (q > 0 && s[q - 1] == '\r') {
                m_discarding = m_discardCR = false;
                return q + 1;
            }
            from = q + 1;
        }
        m_discardCR = s[n - 1] == '\r';
        return n;
    }

    // Only CRLF ends a line; a bare LF is part of the (then refused) line.
    const qsizetype limit = m_config.limits.commandLine;
    const qsizetype window = qMin(n, limit);
    for (qsizetype from = 0;;) {
        const auto *lf = static_cast<const char *>(std::memchr(s + from, '\n', size_t(window - from)));
        if (!lf)
            break;
        const qsizetype q = lf - s;
        if (q > 0 && s[q - 1] == '\r') {
            handleCommand(s, q - 1);
            return q + 1;
        }
        from = q + 1;
    }
    if (n >= limit) {
        // No CRLF within the limit: the line is too long whatever follows.
        // Answer now so memory stays bounded, then drop up to its CRLF.
        m_discarding = true;
        m_discardCR = s[limit - 1] == '\r';
        sendError(replies::lineTooLong());
        return limit;
    }
    return 0;
}

// Message text after 354, straight into m_tx.data. Only <CRLF>.<CRLF> ends
// it (RFC 5321 §4.1.1.4); a line starting with '.' loses that '.' (§4.5.2).
// Bare CR, bare LF and NUL never end a line or the message: they mark it
// refused, and it is refused once its real end arrives
// (docs/behaviour.md "Strict input"). Runs of text are appended in one piece;
// only a stuffing dot or a chunk end splits a run. Returns the octets consumed
// (all of them unless the message ended).
qsizetype SmtpSession::consumeData(const char *s, qsizetype n)
{
    qsizetype p = 0;
    qsizetype run = 0; // first octet not yet appended
    if (m_scan.pendingCR) {
        m_scan.pendingCR = false;
        if (s[0] == '\n') {
            if (m_scan.dotLine && m_scan.lineLength == 0) {
                finishData();
                return 1;
            }
            appendData("\r\n", 2);
            endDataLine();
            p = run = 1;
        } else {
            refuseData(m_scan.badEnding); // a bare CR
            appendData("\r", 1);
            ++m_scan.lineLength;
        }
    }
    while (p < n) {
        if (m_scan.lineStart) {
            m_scan.lineStart = false;
            if (s[p] == '.') {
                appendData(s + run, p - run);
                m_scan.dotLine = true;
                run = ++p;
                continue;
            }
        }
        const auto *cr = static_cast<const char *>(std::memchr(s + p, '\r', size_t(n - p)));
        const qsizetype q = cr ? cr - s : n;
        if (q > p) {
            if (!m_scan.badEnding &&
                (std::memchr(s + p, '\n', size_t(q - p)) || std::memchr(s + p, '\0', size_t(q - p))))
                refuseData(m_scan.badEnding);
            m_scan.lineLength += q - p;
            if (m_scan.lineLength + 2 > m_config.limits.textLine && !m_scan.lineTooLong)
                refuseData(m_scan.lineTooLong);
        }
        if (!cr) {
            p = n;
            break;
        }
        if (q + 1 == n) {
            // CR as the last octet: whether it is a line end is known only
            // with the next chunk; it is appended then.
            appendData(s + run, q - run);
            m_scan.pendingCR = true;
            return n;
        }
        if (s[q + 1] == '\n') {
            if (m_scan.dotLine && m_scan.lineLength == 0) {
                appendData(s + run, q - run);
                finishData();
                return q + 2;
            }
            endDataLine();
            p = q + 2;
        } else {
            refuseData(m_scan.badEnding); // a bare CR
            ++m_scan.lineLength;
            p = q + 1;
        }
    }
    appendData(s + run, n - run);
    return n;
}

void SmtpSession::endDataLine()
{
    m_scan.lineStart = true;
    m_scan.dotLine = false;
    m_scan.lineLength = 0;
}

void SmtpSession::refuseData(bool &flag)
{
    flag = true;
    // The message will be refused: stop holding its text, keep counting.
    m_tx.data = QByteArray();
    m_spill.reset(); // removes the file
}

void SmtpSession::appendData(const char *s, qsizetype n)
{
    if (n <= 0)
        return;
    m_scan.size += n;
    if (!m_scan.tooBig && m_scan.size > m_config.limits.messageSize) {
        // RFC 1870 §6.3: refused at the end of DATA, never buffered beyond the limit.
        refuseData(m_scan.tooBig);
    }
    if (m_scan.refused())
        return;
    if (m_spill) {
        if (!m_spill->append(s, n)) {
            diagnostic(m_spill->error());
            refuseData(m_scan.spillFailed);
        }
        return;
    }
    m_tx.data.append(s, n);
    if (m_tx.data.size() > BodyFile::kSpillThreshold && !m_scan.keepInMemory)
        spillBody();
}

// Past BodyFile::kSpillThreshold the body goes to a file as it arrives, so a
// session holds a buffer, not the message (docs/architecture.md "Storage").
// The header section stays in memory for the intake's rewriting: until its
// end has arrived nothing spills.
void SmtpSession::spillBody()
{
    if (m_config.spillDirectory.isEmpty()) {
        m_scan.keepInMemory = true;
        return;
    }
    qsizetype headEnd = -1;
    if (m_tx.data.startsWith("\r\n")) {
        headEnd = 2; // an empty header section
    } else {
        const qsizetype from = qMax<qsizetype>(0, m_scan.headerScanned - 3);
        const qsizetype at = m_tx.data.indexOf("\r\n\r\n", from);
        if (at >= 0)
            headEnd = at + 4;
        else
            m_scan.headerScanned = m_tx.data.size();
    }
    if (headEnd < 0)
        return;
    QString error;
    m_spill = BodyFile::create(m_config.spillDirectory, &error);
    if (!m_spill) {
        diagnostic(error);
        m_scan.keepInMemory = true;
        return;
    }
    if (!m_spill->append(m_tx.data.constData() + headEnd, m_tx.data.size() - headEnd)) {
        diagnostic(m_spill->error());
        refuseData(m_scan.spillFailed);
        return;
    }
    m_tx.data.truncate(headEnd);
    m_tx.data.squeeze();
}

void SmtpSession::finishData()
{
    // The most useful reason first: a client can act on "too big".
    if (m_spill && !m_scan.refused() && !m_spill->finish()) {
        diagnostic(m_spill->error());
        refuseData(m_scan.spillFailed);
    }
    if (m_scan.refused()) {
        const Reply reply = m_scan.tooBig        ? replies::messageTooBig()
                            : m_scan.badEnding   ? replies::badMessageLineEnding()
                            : m_scan.lineTooLong ? replies::messageLineTooLong()
                                                 : replies::internalError();
        logRefusal(reply, refusalSender(m_tx), refusalRecipients(m_tx));
        sendError(reply);
        resetTransaction();
        enterState(idleState());
        return;
    }
    const Verdict v = askPolicy("message end", m_txPolicy.get(),
                                [this](const SmtpPolicy &p) { return p.onMessageEnd(m_session, m_tx); });
    if (!v.accepted()) {
        logRefusal(v.reply, refusalSender(m_tx), refusalRecipients(m_tx));
        sendError(v.reply);
        resetTransaction();
        enterState(idleState());
        return;
    }
    SessionAction a;
    a.kind = SessionAction::Kind::MessageReady;
    m_tx.body = std::move(m_spill);
    a.message.session = m_session;
    a.message.transaction = std::move(m_tx);
    a.message.policy = m_txPolicy;
    m_actions.push_back(std::move(a));
    resetTransaction();
    enterState(SessionState::AwaitingVerdict);
}

// ---------------------------------------------------------------- state and output

// The only place m_state changes. Closed is terminal: nothing leaves it, so
// an error limit reached half-way through a command cannot be undone by the
// rest of that command.
void SmtpSession::enterState(SessionState next)
{
    if (m_state == SessionState::Closed || m_state == next)
        return;
    m_state = next;
    switch (next) {
    case SessionState::Data: {
        m_scan = DataScan{};
        // One allocation when the client declared the size (RFC 1870):
        // appending then never reallocates and copies the text.
        const qint64 declared = m_tx.parameters.declaredSize;
        // A body that will spill needs no more than the threshold.
        qint64 cap = m_config.limits.messageSize;
        if (!m_config.spillDirectory.isEmpty())
            cap = qMin<qint64>(cap, BodyFile::kSpillThreshold + 1024);
        if (declared > 0)
            m_tx.data.reserve(qsizetype(qMin(declared + declared / 32 + 1024, cap)));
        break;
    }
    case SessionState::TlsHandshake: {
        // RFC 3207 §4.2 / docs/behaviour.md "Strict input": what was pipelined
        // after STARTTLS is discarded; the session starts over inside TLS.
        m_in.clear();
        m_discarding = m_discardCR = false;
        SessionAction a;
        a.kind = SessionAction::Kind::StartTls;
        m_actions.push_back(std::move(a));
        break;
    }
    case SessionState::Closed: {
        m_in.clear();
        resetTransaction();
        SessionAction a;
        a.kind = SessionAction::Kind::Close;
        m_actions.push_back(std::move(a));
        break;
    }
    default: break;
    }
}

void SmtpSession::resetTransaction()
{
    m_tx = Transaction{};
    m_spill.reset(); // an abandoned transaction's body file goes with it
    m_txPolicy.reset();
    m_rcptRefused = 0;
    m_verifying.reset();
}

SessionState SmtpSession::idleState() const
{
    return m_session.heloName.isEmpty() ? SessionState::Greeted : SessionState::Ready;
}

void SmtpSession::sendReply(const Reply &reply)
{
    if (m_state == SessionState::Closed)
        return;
    if (m_actions.empty() || m_actions.back().kind != SessionAction::Kind::SendReply) {
        SessionAction a;
        a.kind = SessionAction::Kind::SendReply;
        m_actions.push_back(std::move(a));
    }
    reply.appendWire(m_actions.back().bytes);
    // RFC 5321 §3.8: 421 means the server closes the channel.
    if (reply.closesConnection())
        enterState(SessionState::Closed);
}

// A failure reply the client caused; enough of them end the session
// (Postfix smtpd_hard_error_limit) so a confused or hostile client cannot
// hold a session slot forever.
void SmtpSession::sendError(const Reply &reply)
{
    sendReply(reply);
    if (reply.closesConnection() || m_state == SessionState::Closed)
        return;
    if (++m_errors >= m_config.limits.errors) {
        logRefusal(replies::tooManyErrors(m_host), {}, {});
        sendReply(replies::tooManyErrors(m_host));
    }
}

// One Refused action per policy refusal (docs/behaviour.md "Who may send
// what"): the engine writes it to the message log as a "refused" event with
// the client, these addresses and the reply. The reply itself goes out
// separately (sendReply/sendError), exactly as before.
void SmtpSession::logRefusal(const Reply &reply, const QString &sender, const QString &recipients)
{
    SessionAction a;
    a.kind = SessionAction::Kind::Refused;
    a.sender = sender;
    a.recipient = recipients;
    a.reply = reply;
    m_actions.push_back(std::move(a));
}

QString SmtpSession::refusalSender(const Transaction &tx)
{
    if (tx.nullSender)
        return QStringLiteral("<>");
    return tx.sender.toString();
}

QString SmtpSession::refusalRecipients(const Transaction &tx)
{
    QStringList out;
    for (const EnvelopeRecipient &r : tx.recipients)
        out << r.address.toString();
    return out.join(QStringLiteral(", "));
}

void SmtpSession::diagnostic(QString detail)
{
    SessionAction a;
    a.kind = SessionAction::Kind::Diagnostic;
    a.detail = std::move(detail);
    m_actions.push_back(std::move(a));
}

std::shared_ptr<const SmtpPolicy> SmtpSession::currentPolicy() const
{
    return m_policySource ? m_policySource() : nullptr;
}

} // namespace mailroute
