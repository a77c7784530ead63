// The SMTP client state machine (RFC 5321 §3.3 transactions, §4.2 replies,
// §4.5.2 transparency, RFC 2920 pipelining, RFC 1870 SIZE, RFC 6152 8BITMIME,
// RFC 6531 SMTPUTF8). Pure; used on the engine thread.
#include "relaycore/delivery/smtpclientsession.h"

#include <utility>

namespace mailroute {

namespace {

const QByteArray kCrlf = QByteArrayLiteral("\r\n");

DeliveryVerdict verdictOf(const SmtpReply &reply)
{
    // RFC 5321 §4.2.1: 4yz is transient, 5yz permanent. A 1yz/3yz where a
    // 2yz/4yz/5yz belongs is a protocol error: retry later.
    return reply.isPermanent() ? DeliveryVerdict::PermanentFailure : DeliveryVerdict::TemporaryFailure;
}

// RFC 3463 code of a reply: the server's own, or the class default.
QString statusOf(const SmtpReply &reply)
{
    const QString own = reply.enhancedStatus();
    if (!own.isEmpty())
        return own;
    switch (reply.codeClass()) {
    case 2: return QStringLiteral("2.0.0");
    case 4: return QStringLiteral("4.0.0");
    case 5: return QStringLiteral("5.0.0");
    default: return QStringLiteral("4.5.0");
    }
}

// A session-level failure is never permanent for the message: another MX, or
// a later retry, may get through (Postfix's smtp_skip_5xx_greeting).
QString transientStatusOf(const SmtpReply &reply)
{
    const QString own = reply.enhancedStatus();
    return own.isEmpty() ? QStringLiteral("4.0.0") : QLatin1Char('4') + own.mid(1);
}

bool hasNonAscii(const QString &s)
{
    for (const QChar c : s) {
        if (c.unicode() > 0x7f)
            return true;
    }
    return false;
}

// CR or LF would end the command early and let the rest of an address become
// a command of its own; '<' and '>' would end the Path (RFC 5321 §4.1.2).
bool isSafeAddress(const QString &s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || u == u'<' || u == u'>')
            return false;
    }
    return true;
}

} // namespace

SmtpClientSession::SmtpClientSession(Options options, DeliveryRequest request)
    : m_options(std::move(options)), m_request(std::move(request))
{
    if (m_options.heloName.isEmpty())
        m_options.heloName = QStringLiteral("localhost");
    const qsizetype n = m_request.recipients.size();
    m_results.resize(n);
    m_decided.fill(false, n);
    m_accepted.fill(false, n);
    for (qsizetype i = 0; i < n; ++i)
        m_results[i].recipientId = m_request.recipientIds.value(i, 0);
}

QByteArray SmtpClientSession::encodeData(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + data.size() / 64 + 8);
    DotStuffer stuffer;
    stuffer.feed(data, out);
    stuffer.finish(out);
    return out;
}

void SmtpClientSession::DotStuffer::feed(QByteArrayView data, QByteArray &out)
{
    const char *d = data.data();
    qsizetype n = data.size();
    if (carryCR && n > 0) {
        carryCR = false;
        out.append(kCrlf); // CRLF as it was, or a bare CR made CRLF
        if (d[0] == '\n') {
            ++d;
            --n;
        }
        lineStart = true;
    }
    if (n > 0 && d[n - 1] == '\r') {
        // Whether it ends a line is known with the next chunk.
        carryCR = true;
        --n;
    }
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const char c = d[i];
        if (lineStart) {
            lineStart = false;
            if (c == '.') {
                out.append(d + runStart, i - runStart);
                out.append('.');
                runStart = i;
            }
        }
        if (c == '\r') {
            if (i + 1 < n && d[i + 1] == '\n') {
                ++i;
            } else {
                out.append(d + runStart, i - runStart);
                out.append(kCrlf);
                runStart = i + 1;
            }
            lineStart = true;
        } else if (c == '\n') {
            out.append(d + runStart, i - runStart);
            out.append(kCrlf);
            runStart = i + 1;
            lineStart = true;
        }
    }
    out.append(d + runStart, n - runStart);
}

void SmtpClientSession::DotStuffer::finish(QByteArray &out)
{
    if (carryCR) {
        carryCR = false;
        out.append(kCrlf);
        lineStart = true;
    }
    if (!lineStart)
        out.append(kCrlf);
    out.append(".\r\n");
}

QByteArray SmtpClientSession::nextDataChunk()
{
    QByteArray out;
    if (!m_streaming || !m_request.body)
        return out;
    const BodyFile &body = *m_request.body;
    const qint64 left = body.size() - m_streamOffset;
    const qint64 want = qMin<qint64>(left, BodyFile::kBufferSize);
    QByteArray chunk(qsizetype(want), Qt::Uninitialized);
    const qint64 got = want > 0 ? body.read(m_streamOffset, chunk.data(), want) : 0;
    if (got < 0 || (want > 0 && got == 0)) {
        m_streaming = false; // the connection gives up: no final dot, nothing delivered
        return out;
    }
    m_streamOffset += got;
    out.reserve(qsizetype(got + got / 64 + 8));
    m_stuffer.feed(QByteArrayView(chunk.constData(), qsizetype(got)), out);
    if (m_streamOffset >= body.size()) {
        m_stuffer.finish(out);
        m_streaming = false;
        m_dataSent = true;
    }
    return out;
}

SmtpClientSession::Wait SmtpClientSession::waitingFor() const
{
    switch (m_state) {
    case State::Greeting: return Wait::Greeting;
    case State::Hello:
    case State::HeloFallback:
    case State::StartTls:
    case State::TlsHandshake:
    case State::Auth: return Wait::Hello;
    case State::Rset: return Wait::Rset;
    case State::Quit: return Wait::Quit;
    case State::Idle:
    case State::Closed: return Wait::Nothing;
    case State::Transaction: break;
    }
    if (m_pending.isEmpty())
        return Wait::Nothing;
    switch (m_pending.first().command) {
    case Command::Mail: return Wait::Mail;
    case Command::Rcpt: return Wait::Rcpt;
    case Command::Data: return Wait::DataInit;
    case Command::EndOfData:
    case Command::DiscardData: return Wait::DataEnd;
    case Command::Ehlo:
    case Command::Helo:
    case Command::StartTls:
    case Command::Auth: return Wait::Hello;
    case Command::Rset: return Wait::Rset;
    case Command::Quit: return Wait::Quit;
    }
    return Wait::Nothing;
}

QString SmtpClientSession::phase() const
{
    switch (m_state) {
    case State::Greeting: return QStringLiteral("receiving the initial server greeting");
    case State::Hello: return QStringLiteral("performing the EHLO handshake");
    case State::HeloFallback: return QStringLiteral("performing the HELO handshake");
    case State::StartTls: return QStringLiteral("sending STARTTLS");
    case State::TlsHandshake: return QStringLiteral("performing the TLS handshake");
    case State::Auth: return QStringLiteral("performing SMTP AUTH");
    case State::Rset: return QStringLiteral("sending RSET");
    case State::Quit: return QStringLiteral("sending QUIT");
    case State::Idle:
    case State::Closed: return QStringLiteral("idle");
    case State::Transaction: break;
    }
    if (m_pending.isEmpty())
        return QStringLiteral("in a transaction");
    switch (m_pending.first().command) {
    case Command::Mail: return QStringLiteral("sending MAIL FROM");
    case Command::Rcpt: return QStringLiteral("sending RCPT TO");
    case Command::Data: return QStringLiteral("sending DATA");
    case Command::EndOfData:
        return QStringLiteral("sending end of data -- message may be sent more than once");
    case Command::DiscardData: return QStringLiteral("sending end of data");
    case Command::Ehlo:
    case Command::Helo: return QStringLiteral("performing the EHLO handshake");
    case Command::StartTls: return QStringLiteral("sending STARTTLS");
    case Command::Auth: return QStringLiteral("performing SMTP AUTH");
    case Command::Rset: return QStringLiteral("sending RSET");
    case Command::Quit: return QStringLiteral("sending QUIT");
    }
    return {};
}

void SmtpClientSession::send(SmtpClientActions &out, const QByteArray &bytes, Command command, int index)
{
    m_pending.append(Pending{command, index});
    // Everything produced by one reply goes out in one write: with PIPELINING
    // that is the whole MAIL/RCPT/DATA group (RFC 2920 §3.1).
    if (!out.isEmpty() && out.last().kind == SmtpClientAction::Kind::Send) {
        out.last().bytes.append(bytes);
        return;
    }
    SmtpClientAction a;
    a.kind = SmtpClientAction::Kind::Send;
    a.bytes = bytes;
    out.append(std::move(a));
}

SmtpClientActions SmtpClientSession::feed(QByteArrayView bytes)
{
    SmtpClientActions out;
    // During the handshake the socket hands over no plaintext; anything that
    // still arrives here is not from inside TLS and is never read as a reply.
    if (m_state == State::Closed || m_state == State::TlsHandshake)
        return out;
    m_reader.append(bytes);
    while (m_state != State::Closed && m_state != State::TlsHandshake) {
        SmtpReply reply;
        const SmtpReplyReader::Status status = m_reader.next(&reply);
        if (status == SmtpReplyReader::Status::NeedMore)
            break;
        if (status == SmtpReplyReader::Status::Error) {
            failSession(out,
                        QStringLiteral("protocol error from %1 while %2: %3")
                            .arg(m_options.peerName, phase(), m_reader.errorString()),
                        QStringLiteral("4.5.0"), false);
            break;
        }
        handleReply(out, reply);
    }
    return out;
}

void SmtpClientSession::handleReply(SmtpClientActions &out, const SmtpReply &reply)
{
    if (m_state == State::Greeting) {
        handleGreeting(out, reply);
        return;
    }
    if (m_pending.isEmpty()) {
        // Nothing was asked: an idle server announcing its shutdown (421), or
        // a server that is out of step with us. Either way it is done.
        failSession(out,
                    QStringLiteral("unexpected reply from %1 while %2: %3")
                        .arg(m_options.peerName, phase(), reply.text()),
                    QStringLiteral("4.5.0"), false);
        return;
    }
    const Pending pending = m_pending.takeFirst();
    if (pending.command == Command::EndOfData) {
        m_dataSent = false;  // any answer, even 421, settles whether the server took the message
        m_streaming = false; // a server that answers before the end gets no more of the body
    }
    if (pending.command == Command::Quit) {
        enterState(State::Closed);
        out.append(SmtpClientAction{SmtpClientAction::Kind::Close, {}, {}});
        return;
    }
    // RFC 5321 §3.8: 421 may answer any command; the server is closing the
    // channel, so every recipient not yet delivered is deferred.
    if (reply.code == 421) {
        failSession(out, reply.text(), statusOf(reply), false);
        return;
    }
    switch (pending.command) {
    case Command::Ehlo:
    case Command::Helo: handleHello(out, reply, pending.command); return;
    case Command::StartTls: handleStartTls(out, reply); return;
    case Command::Auth: handleAuth(out, reply); return;
    case Command::Rset:
        if (reply.isPositive()) {
            enterState(State::Transaction);
            sendTransactionCommands(out);
        } else {
            failSession(out, QStringLiteral("host %1 refused RSET: %2").arg(m_options.peerName, reply.text()),
                        transientStatusOf(reply), true);
        }
        return;
    default: handleTransactionReply(out, reply, pending); return;
    }
}

void SmtpClientSession::handleGreeting(SmtpClientActions &out, const SmtpReply &reply)
{
    if (!reply.isPositive()) {
        // RFC 5321 §3.1: after a 554 greeting the client sends QUIT. Like
        // Postfix (smtp_skip_5xx_greeting) this only rules out this server.
        failSession(out,
                    QStringLiteral("host %1 refused to talk to me: %2").arg(m_options.peerName, reply.text()),
                    transientStatusOf(reply), reply.code != 421);
        return;
    }
    enterState(State::Hello);
    send(out, "EHLO " + m_options.heloName.toUtf8() + kCrlf, Command::Ehlo);
}

void SmtpClientSession::handleHello(SmtpClientActions &out, const SmtpReply &reply, Command command)
{
    if (reply.isPositive()) {
        m_caps = {};
        if (command == Command::Ehlo)
            parseCapabilities(reply);
        afterHello(out);
        return;
    }
    // RFC 5321 §4.1.4 / §3.2: a server that does not know EHLO answers 5xx
    // (500, 502, 504, 550); it may still speak plain SMTP.
    if (command == Command::Ehlo && reply.isPermanent()) {
        enterState(State::HeloFallback);
        send(out, "HELO " + m_options.heloName.toUtf8() + kCrlf, Command::Helo);
        return;
    }
    failSession(out,
                QStringLiteral("host %1 refused %2: %3")
                    .arg(m_options.peerName,
                         command == Command::Ehlo ? QStringLiteral("EHLO") : QStringLiteral("HELO"),
                         reply.text()),
                transientStatusOf(reply), true);
}

void SmtpClientSession::afterHello(SmtpClientActions &out)
{
    // docs/behaviour.md "TLS", RFC 3207 §4: STARTTLS whenever it is offered
    // (and not ruled out by a failed handshake under `may`); under
    // encrypt/verify nothing but QUIT is sent without it (Postfix's wording).
    const bool required = m_options.tls != TlsPolicy::May;
    if (!m_tlsActive) {
        if (m_caps.startTls && (m_options.attemptTls || required)) {
            enterState(State::StartTls);
            send(out, QByteArrayLiteral("STARTTLS\r\n"), Command::StartTls);
            return;
        }
        if (required) {
            failSession(
                out,
                QStringLiteral("TLS is required, but was not offered by host %1").arg(m_options.peerName),
                QStringLiteral("4.7.4"), true);
            return;
        }
    }
    proceed(out);
}

void SmtpClientSession::proceed(SmtpClientActions &out)
{
    // The connection is as secure as it gets: AUTH (which refuses to run
    // without TLS) when configured, then the transaction.
    if (m_options.auth)
        startAuth(out);
    else
        beginTransaction(out);
}

void SmtpClientSession::handleStartTls(SmtpClientActions &out, const SmtpReply &reply)
{
    if (reply.code == 220) {
        // RFC 3207 §4.2 / §6: whatever the server sent after its 220 (a
        // "250" pipelined behind it, say) was not protected by TLS and is
        // dropped unread; the conversation starts over inside TLS.
        m_reader = SmtpReplyReader();
        m_pending.clear();
        enterState(State::TlsHandshake);
        out.append(SmtpClientAction{SmtpClientAction::Kind::StartTls, {}, {}});
        return;
    }
    if (m_options.tls != TlsPolicy::May) {
        failSession(out,
                    QStringLiteral("TLS is required, but host %1 refused to start TLS: %2")
                        .arg(m_options.peerName, reply.text()),
                    QStringLiteral("4.7.4"), true, FailureCause::Tls);
        return;
    }
    // may: carry on in plaintext, as Postfix does after a refused STARTTLS.
    proceed(out);
}

SmtpClientActions SmtpClientSession::tlsStarted()
{
    SmtpClientActions out;
    if (m_state != State::TlsHandshake)
        return out;
    m_tlsActive = true;
    // RFC 3207 §4.2: forget everything learnt in plaintext and EHLO again.
    m_caps = {};
    enterState(State::Hello);
    send(out, "EHLO " + m_options.heloName.toUtf8() + kCrlf, Command::Ehlo);
    return out;
}

SmtpClientActions SmtpClientSession::tlsFailed(const QString &why, bool certificate)
{
    SmtpClientActions out;
    if (m_state != State::TlsHandshake)
        return out;
    const QString detail = why.isEmpty() ? QString() : QStringLiteral(": ") + why;
    const QString text =
        certificate
            ? QStringLiteral("Server certificate not verified: host %1%2").arg(m_options.peerName, detail)
            : QStringLiteral("Cannot start TLS: handshake failure with host %1%2")
                  .arg(m_options.peerName, detail);
    // The TLS layer is broken: not even QUIT can be sent.
    failSession(out, text, QStringLiteral("4.7.5"), false, FailureCause::Tls);
    if (m_options.tls == TlsPolicy::May) {
        for (SmtpClientAction &a : out) {
            if (a.kind == SmtpClientAction::Kind::Finished)
                a.outcome.tlsFallback = true;
        }
    }
    return out;
}

void SmtpClientSession::startAuth(SmtpClientActions &out)
{
    // docs/behaviour.md "TLS": credentials only ever travel inside TLS.
    if (!m_tlsActive) {
        failSession(out,
                    QStringLiteral("SMTP AUTH to host %1 needs TLS, which was not available; the credentials "
                                   "were not sent")
                        .arg(m_options.peerName),
                    QStringLiteral("4.7.0"), true, FailureCause::Tls);
        return;
    }
    const SmtpCredentials &c = *m_options.auth;
    m_authStep = 0;
    if (m_caps.authMechanisms.contains(QLatin1String("PLAIN"))) {
        // RFC 4616: authzid NUL authcid NUL passwd, sent as the initial
        // response (RFC 4954 §4).
        m_authMechanism = QByteArrayLiteral("PLAIN");
        const QByteArray token = '\0' + c.username.toUtf8() + '\0' + c.password.toUtf8();
        enterState(State::Auth);
        send(out, "AUTH PLAIN " + token.toBase64() + kCrlf, Command::Auth);
        return;
    }
    if (m_caps.authMechanisms.contains(QLatin1String("LOGIN"))) {
        m_authMechanism = QByteArrayLiteral("LOGIN");
        enterState(State::Auth);
        send(out, QByteArrayLiteral("AUTH LOGIN\r\n"), Command::Auth);
        return;
    }
    failSession(out,
                QStringLiteral("host %1 offers no SMTP AUTH mechanism MailRoute supports (PLAIN, LOGIN)%2")
                    .arg(m_options.peerName,
                         m_caps.authMechanisms.isEmpty()
                             ? QStringLiteral(": no AUTH announced")
                             : QStringLiteral(": offered ") + m_caps.authMechanisms.join(QLatin1Char(' '))),
                QStringLiteral("4.7.0"), true);
}

void SmtpClientSession::handleAuth(SmtpClientActions &out, const SmtpReply &reply)
{
    const SmtpCredentials &c = *m_options.auth;
    if (reply.code == 235) { // RFC 4954 §6
        m_authMechanism.clear();
        beginTransaction(out);
        return;
    }
    if (reply.code == 334 && m_authMechanism == "LOGIN" && m_authStep < 2) {
        // The LOGIN prompts ("Username:", "Password:") come in this order.
        ++m_authStep;
        const QString value = m_authStep == 1 ? c.username : c.password;
        send(out, value.toUtf8().toBase64() + kCrlf, Command::Auth);
        return;
    }
    // 535 and every other refusal defer (Postfix's smtp_sasl_auth_soft_bounce):
    // a password fixed in the keychain must not have bounced the mail.
    // The command is named with its secret masked.
    const QString command = m_authMechanism == "PLAIN" ? QStringLiteral("AUTH PLAIN ********")
                            : m_authStep == 0          ? QStringLiteral("AUTH LOGIN")
                                                       : QStringLiteral("********");
    failSession(out,
                QStringLiteral("SASL authentication failed; server %1 said: %2 (in reply to %3)")
                    .arg(m_options.peerName, reply.text(), command),
                transientStatusOf(reply), true, FailureCause::Authentication);
}

void SmtpClientSession::parseCapabilities(const SmtpReply &reply)
{
    m_caps.esmtp = true;
    // RFC 5321 §4.1.1.1: the first line names the server, each further line
    // is "keyword *(SP param)"; keywords are case-insensitive.
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QList<QByteArray> words = reply.lines.at(i).trimmed().split(' ');
        const QByteArray keyword = words.value(0).toUpper();
        if (keyword == "PIPELINING") {
            m_caps.pipelining = true;
        } else if (keyword == "8BITMIME") {
            m_caps.eightBitMime = true;
        } else if (keyword == "SMTPUTF8") {
            m_caps.smtputf8 = true;
        } else if (keyword == "STARTTLS") {
            m_caps.startTls = true;
        } else if (keyword == "ENHANCEDSTATUSCODES") {
            m_caps.enhancedStatusCodes = true;
        } else if (keyword == "SIZE") {
            m_caps.sizeAnnounced = true;
            bool ok = false;
            const qint64 limit = words.value(1).toLongLong(&ok);
            m_caps.sizeLimit = ok && limit > 0 ? limit : 0;
        } else if (keyword == "AUTH") {
            for (qsizetype w = 1; w < words.size(); ++w) {
                if (!words.at(w).isEmpty())
                    m_caps.authMechanisms.append(QString::fromLatin1(words.at(w).toUpper()));
            }
        }
    }
}

void SmtpClientSession::decide(int index, DeliveryVerdict verdict, const QString &reply,
                               const QString &status, FailureCause cause)
{
    RecipientResult &r = m_results[index];
    r.verdict = verdict;
    r.reply = reply;
    r.enhancedStatus = status;
    r.cause = verdict == DeliveryVerdict::Delivered ? FailureCause::None : cause;
    m_decided[index] = true;
}

void SmtpClientSession::decideFromReply(int index, const SmtpReply &reply, bool success)
{
    if (success && reply.isPositive()) {
        decide(index, DeliveryVerdict::Delivered, reply.text(), statusOf(reply));
        return;
    }
    if (reply.isPositive() || reply.codeClass() == 3) {
        decide(index, DeliveryVerdict::TemporaryFailure,
               QStringLiteral("unexpected reply from %1 while %2: %3")
                   .arg(m_options.peerName, phase(), reply.text()),
               QStringLiteral("4.5.0"));
        return;
    }
    decide(index, verdictOf(reply), reply.text(), statusOf(reply));
}

bool SmtpClientSession::anyAccepted() const
{
    for (qsizetype i = 0; i < m_accepted.size(); ++i) {
        if (m_accepted.at(i) && !m_decided.at(i))
            return true;
    }
    return false;
}

void SmtpClientSession::beginTransaction(SmtpClientActions &out)
{
    const qsizetype n = m_request.recipients.size();
    bool needUtf8 = m_request.smtputf8 || hasNonAscii(m_request.sender);
    for (const QString &r : std::as_const(m_request.recipients))
        needUtf8 = needUtf8 || hasNonAscii(r);

    auto refuseAll = [&](const QString &why, const QString &status) {
        for (qsizetype i = 0; i < n; ++i) {
            if (!m_decided.at(i))
                decide(int(i), DeliveryVerdict::PermanentFailure, why, status);
        }
    };
    if (needUtf8 && !m_caps.smtputf8) {
        // RFC 6531 §3.4: without SMTPUTF8 at the server the message cannot be
        // sent as it is; MailRoute does not downgrade (RFC 6857).
        refuseAll(
            QStringLiteral("SMTPUTF8 is required, but was not offered by host %1").arg(m_options.peerName),
            QStringLiteral("5.6.7"));
    } else if (m_caps.sizeLimit > 0 && m_request.size() > m_caps.sizeLimit) {
        // RFC 1870 §6.1: a message larger than the announced SIZE will be refused.
        refuseAll(QStringLiteral("message size %1 exceeds size limit %2 of server %3")
                      .arg(m_request.size())
                      .arg(m_caps.sizeLimit)
                      .arg(m_options.peerName),
                  QStringLiteral("5.3.4"));
    } else if (!isSafeAddress(m_request.sender)) {
        refuseAll(QStringLiteral("invalid sender address"), QStringLiteral("5.1.7"));
    } else {
        for (qsizetype i = 0; i < n; ++i) {
            if (!isSafeAddress(m_request.recipients.at(i)) || m_request.recipients.at(i).isEmpty())
                decide(int(i), DeliveryVerdict::PermanentFailure, QStringLiteral("invalid recipient address"),
                       QStringLiteral("5.1.3"));
        }
    }
    if (!m_decided.contains(false)) {
        endTransaction(out);
        return;
    }
    if (m_reused) {
        // The previous transaction left the server's state behind (a MAIL
        // without DATA, say); RSET also proves the idle connection still works.
        enterState(State::Rset);
        send(out, QByteArrayLiteral("RSET\r\n"), Command::Rset);
        return;
    }
    enterState(State::Transaction);
    sendTransactionCommands(out);
}

void SmtpClientSession::sendTransactionCommands(SmtpClientActions &out)
{
    bool needUtf8 = m_request.smtputf8 || hasNonAscii(m_request.sender);
    for (const QString &r : std::as_const(m_request.recipients))
        needUtf8 = needUtf8 || hasNonAscii(r);

    QByteArray mail = "MAIL FROM:<" + m_request.sender.toUtf8() + '>';
    if (m_caps.sizeAnnounced)
        mail += " SIZE=" + QByteArray::number(m_request.size()); // RFC 1870 §6
    if (m_request.eightBitMime && m_caps.eightBitMime)
        mail += " BODY=8BITMIME"; // RFC 6152 §3; without it the bytes go as they are, like Postfix
    if (needUtf8)
        mail += " SMTPUTF8"; // RFC 6531 §3.4
    mail += kCrlf;
    m_pipelined = m_caps.pipelining;
    send(out, mail, Command::Mail);
    if (!m_pipelined)
        return;
    // RFC 2920 §3.1: MAIL, every RCPT and DATA in one group; the replies come
    // back in the same order and m_pending matches them up.
    for (qsizetype i = 0; i < m_request.recipients.size(); ++i) {
        if (!m_decided.at(i))
            send(out, "RCPT TO:<" + m_request.recipients.at(i).toUtf8() + '>' + kCrlf, Command::Rcpt, int(i));
    }
    if (!m_request.probe)
        send(out, QByteArrayLiteral("DATA\r\n"), Command::Data);
}

void SmtpClientSession::sendNextRcptOrData(SmtpClientActions &out, int after)
{
    for (qsizetype i = after + 1; i < m_request.recipients.size(); ++i) {
        if (!m_decided.at(i)) {
            send(out, "RCPT TO:<" + m_request.recipients.at(i).toUtf8() + '>' + kCrlf, Command::Rcpt, int(i));
            return;
        }
    }
    // Every RCPT refused: no DATA (RFC 5321 §3.3); endTransaction follows.
    if (m_mailAccepted && anyAccepted() && !m_request.probe)
        send(out, QByteArrayLiteral("DATA\r\n"), Command::Data);
}

void SmtpClientSession::handleTransactionReply(SmtpClientActions &out, const SmtpReply &reply,
                                               const Pending &pending)
{
    const qsizetype n = m_request.recipients.size();
    switch (pending.command) {
    case Command::Mail:
        if (reply.isPositive()) {
            m_mailAccepted = true;
            if (!m_pipelined)
                sendNextRcptOrData(out, -1);
        } else {
            // The RCPT replies that follow in a pipelined group belong to a
            // transaction that never began; they are read and ignored.
            for (qsizetype i = 0; i < n; ++i) {
                if (m_decided.at(i))
                    continue;
                // A probe whose sender is refused says nothing about the
                // recipient: no verdict, never a refusal.
                if (m_request.probe)
                    decide(int(i), DeliveryVerdict::TemporaryFailure,
                           QStringLiteral("probe sender refused by %1: %2")
                               .arg(m_options.peerName, reply.text()),
                           QStringLiteral("4.1.1"));
                else
                    decideFromReply(int(i), reply, false);
            }
        }
        break;
    case Command::Rcpt:
        if (m_mailAccepted && !m_decided.at(pending.index)) {
            if (reply.isPositive() && m_request.probe)
                decideFromReply(pending.index, reply, true); // a probe ends at RCPT
            else if (reply.isPositive())
                m_accepted[pending.index] = true;
            else
                decideFromReply(pending.index, reply, false);
        }
        if (!m_pipelined)
            sendNextRcptOrData(out, pending.index);
        break;
    case Command::Data:
        if (reply.code == 354) {
            if (m_mailAccepted && anyAccepted()) {
                if (m_request.body) {
                    // The header section now, the body as the socket drains.
                    m_stuffer = DotStuffer{};
                    QByteArray head;
                    head.reserve(m_request.data.size() + 64);
                    m_stuffer.feed(m_request.data, head);
                    m_streamOffset = 0;
                    m_streaming = true;
                    send(out, head, Command::EndOfData);
                } else {
                    send(out, encodeData(m_request.data), Command::EndOfData);
                    m_dataSent = true;
                }
            } else {
                // RFC 2920 §3.1: the server took DATA although no recipient
                // was accepted; an empty message ends it.
                send(out, QByteArrayLiteral(".\r\n"), Command::DiscardData);
            }
        } else {
            for (qsizetype i = 0; i < n; ++i) {
                if (m_accepted.at(i) && !m_decided.at(i))
                    decideFromReply(int(i), reply, false);
            }
        }
        break;
    case Command::EndOfData:
        // RFC 5321 §4.1.1.4: one reply for the whole message, every accepted
        // recipient shares it.
        for (qsizetype i = 0; i < n; ++i) {
            if (m_accepted.at(i) && !m_decided.at(i))
                decideFromReply(int(i), reply, true);
        }
        break;
    case Command::DiscardData:
    case Command::Ehlo:
    case Command::Helo:
    case Command::StartTls:
    case Command::Auth:
    case Command::Rset:
    case Command::Quit: break;
    }
    if (m_pending.isEmpty())
        endTransaction(out);
}

void SmtpClientSession::endTransaction(SmtpClientActions &out)
{
    SmtpClientOutcome outcome;
    for (qsizetype i = 0; i < m_results.size(); ++i) {
        if (!m_decided.at(i))
            decide(int(i), DeliveryVerdict::TemporaryFailure,
                   QStringLiteral("no reply from %1 for this recipient").arg(m_options.peerName),
                   QStringLiteral("4.5.0"));
        outcome.retryElsewhere.append(m_results.at(i).verdict == DeliveryVerdict::TemporaryFailure &&
                                      !(m_dataSent && m_accepted.at(i)));
    }
    outcome.recipients = m_results;
    outcome.connectionReusable = true;
    ++m_completed;
    enterState(State::Idle);
    SmtpClientAction a;
    a.kind = SmtpClientAction::Kind::Finished;
    a.outcome = std::move(outcome);
    out.append(std::move(a));
}

void SmtpClientSession::failSession(SmtpClientActions &out, const QString &why, const QString &status,
                                    bool sendQuit, FailureCause cause)
{
    const bool inTransaction = m_state != State::Idle && m_state != State::Quit && m_state != State::Closed;
    const bool stale = m_state == State::Rset;
    m_pending.clear();
    if (sendQuit && m_state != State::Quit && m_state != State::Closed) {
        SmtpClientAction q;
        q.kind = SmtpClientAction::Kind::Send;
        q.bytes = QByteArrayLiteral("QUIT\r\n");
        out.append(std::move(q));
    }
    if (m_state != State::Closed)
        out.append(SmtpClientAction{SmtpClientAction::Kind::Close, {}, {}});
    enterState(State::Closed);
    if (!inTransaction)
        return;
    SmtpClientOutcome outcome;
    for (qsizetype i = 0; i < m_results.size(); ++i) {
        if (!m_decided.at(i))
            decide(int(i), DeliveryVerdict::TemporaryFailure, why, status, cause);
        outcome.retryElsewhere.append(m_results.at(i).verdict == DeliveryVerdict::TemporaryFailure &&
                                      !(m_dataSent && m_accepted.at(i)));
    }
    outcome.recipients = m_results;
    outcome.staleConnection = stale;
    outcome.sessionError = why;
    SmtpClientAction a;
    a.kind = SmtpClientAction::Kind::Finished;
    a.outcome = std::move(outcome);
    out.append(std::move(a));
}

SmtpClientActions SmtpClientSession::connectionLost(const QString &why)
{
    if (m_state == State::TlsHandshake)
        return tlsFailed(why.isEmpty() ? QStringLiteral("lost connection") : why, false);
    SmtpClientActions out;
    if (m_state == State::Closed)
        return out;
    if (m_state == State::Idle || m_state == State::Quit) {
        enterState(State::Closed);
        out.append(SmtpClientAction{SmtpClientAction::Kind::Close, {}, {}});
        return out;
    }
    QString text = QStringLiteral("lost connection with %1 while %2").arg(m_options.peerName, phase());
    if (!why.isEmpty())
        text += QStringLiteral(" (") + why + QLatin1Char(')');
    failSession(out, text, QStringLiteral("4.4.2"), false, FailureCause::Connection);
    return out;
}

SmtpClientActions SmtpClientSession::timedOut()
{
    if (m_state == State::TlsHandshake)
        return tlsFailed(QStringLiteral("timed out"), false);
    SmtpClientActions out;
    if (m_state == State::Closed)
        return out;
    if (m_state == State::Idle || m_state == State::Quit) {
        enterState(State::Closed);
        out.append(SmtpClientAction{SmtpClientAction::Kind::Close, {}, {}});
        return out;
    }
    failSession(out,
                QStringLiteral("conversation with %1 timed out while %2").arg(m_options.peerName, phase()),
                QStringLiteral("4.4.2"), false, FailureCause::Connection);
    return out;
}

SmtpClientActions SmtpClientSession::startTransaction(DeliveryRequest request)
{
    SmtpClientActions out;
    m_request = std::move(request);
    const qsizetype n = m_request.recipients.size();
    m_results = QList<RecipientResult>(n);
    m_decided.fill(false, n);
    m_accepted.fill(false, n);
    for (qsizetype i = 0; i < n; ++i)
        m_results[i].recipientId = m_request.recipientIds.value(i, 0);
    m_mailAccepted = false;
    m_dataSent = false;
    m_streaming = false;
    m_pipelined = false;
    m_reused = true;
    if (m_state != State::Idle) {
        // The caller's bug, or a connection that died in the same event loop
        // turn: report it like a stale connection so a fresh one is tried.
        SmtpClientOutcome outcome;
        for (qsizetype i = 0; i < n; ++i) {
            decide(int(i), DeliveryVerdict::TemporaryFailure,
                   QStringLiteral("connection to %1 is not idle").arg(m_options.peerName),
                   QStringLiteral("4.4.2"), FailureCause::Connection);
            outcome.retryElsewhere.append(true);
        }
        outcome.recipients = m_results;
        outcome.staleConnection = true;
        outcome.sessionError = m_results.isEmpty() ? QString() : m_results.first().reply;
        SmtpClientAction a;
        a.kind = SmtpClientAction::Kind::Finished;
        a.outcome = std::move(outcome);
        out.append(std::move(a));
        return out;
    }
    beginTransaction(out);
    return out;
}

SmtpClientActions SmtpClientSession::quit()
{
    SmtpClientActions out;
    if (m_state == State::Idle) {
        enterState(State::Quit);
        send(out, QByteArrayLiteral("QUIT\r\n"), Command::Quit);
        return out;
    }
    if (m_state == State::Quit || m_state == State::Closed)
        return out;
    failSession(out, QStringLiteral("delivery to %1 was aborted").arg(m_options.peerName),
                QStringLiteral("4.3.0"), false, FailureCause::Local);
    return out;
}

} // namespace mailroute
