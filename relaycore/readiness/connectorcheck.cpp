#include "relaycore/readiness/connectorcheck.h"

#include "relaycore/delivery/deliveryconnection.h"
#include "relaycore/delivery/nexthopresolver.h"
#include "relaycore/message/messagedate.h"
#include "relaycore/routing/mailaddress.h"

#include <QDateTime>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUuid>

namespace mailroute {

namespace {

using S = ReadinessStatus;

QString replyText(const SmtpReply &reply)
{
    QStringList lines;
    for (const QByteArray &line : reply.lines)
        lines << QString::number(reply.code) + QLatin1Char(' ') + QString::fromUtf8(line);
    return lines.join(QLatin1Char('\n'));
}

QString protocolName(QSsl::SslProtocol p)
{
    switch (p) {
    case QSsl::TlsV1_2: return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLS 1.3");
    default: return QStringLiteral("TLS");
    }
}

} // namespace

ConnectorCheck::ConnectorCheck(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectorCheck::onTimeout);
}

ConnectorCheck::~ConnectorCheck() = default;

QByteArray ConnectorCheck::testMessage(const QString &from, const QString &to, const QString &hop,
                                       const QString &heloName)
{
    const QDateTime now = QDateTime::currentDateTime();
    QByteArray m;
    m += "From: MailRoute readiness test <" + from.toUtf8() + ">\r\n";
    m += "To: <" + to.toUtf8() + ">\r\n";
    m += "Subject: MailRoute test message through " + hop.toUtf8() + "\r\n";
    m += "Date: " + formatRfc5322Date(now) + "\r\n";
    m += "Message-ID: <" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1() + '@' +
         heloName.toUtf8() + ">\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    m += "This is a test message from MailRoute's connector test (Readiness).\r\n";
    m += "It was sent by the relay " + heloName.toUtf8() + " through the next hop " + hop.toUtf8() + ".\r\n";
    m += "If it arrived, mail relayed through this next hop will arrive too.\r\n";
    return m;
}

Status ConnectorCheck::begin(const QString &hop, const QString &role, TlsPolicy tls)
{
    if (m_running)
        return Status::failure(QStringLiteral("a connector test is already running"));
    const auto spec = NextHopResolver::parseHopSpec(hop.trimmed());
    if (!spec.ok())
        return Status::failure(QStringLiteral("invalid next hop '%1': %2").arg(hop, spec.error));
    m_running = true;
    m_tls = tls;
    m_report = ConnectorReport{hop.trimmed(), role, tlsPolicyName(tls), {}};
    m_reader = SmtpReplyReader();
    m_sslErrors.clear();
    NextHopResolver::Settings settings;
    settings.smarthost = hop.trimmed();
    settings.nameserver = m_options.nameserver;
    settings.timeout = m_options.timeout;
    m_resolver = std::make_unique<NextHopResolver>(settings);
    m_phase = Phase::Resolving;
    // With a smart host set, every domain resolves to it.
    m_resolver->resolve(QStringLiteral("connector-test.invalid"), this,
                        [this](const NextHopLookup &lookup) { resolved(lookup); });
    return okStatus();
}

Status ConnectorCheck::checkConnectivity(const QString &hop, const QString &role, TlsPolicy tls)
{
    if (m_running)
        return Status::failure(QStringLiteral("a connector test is already running"));
    m_sending = false;
    return begin(hop, role, tls);
}

Status ConnectorCheck::sendTestEmail(const QString &hop, const QString &from, const QString &to,
                                     const QString &role, TlsPolicy tls)
{
    for (const QString &address : {from, to}) {
        const auto parsed = parseMailbox(address);
        if (!parsed.ok())
            return Status::failure(QStringLiteral("invalid address '%1': %2").arg(address, parsed.error));
    }
    if (m_running)
        return Status::failure(QStringLiteral("a connector test is already running"));
    m_sending = true;
    m_from = parseMailbox(from)->toString();
    m_to = parseMailbox(to)->toString();
    return begin(hop, role, tls);
}

void ConnectorCheck::step(const QString &task, ReadinessStatus status, const QString &detail)
{
    const ConnectorStep s{task, status, detail};
    m_report.steps.append(s);
    emit stepDone(s);
}

void ConnectorCheck::resolved(const NextHopLookup &lookup)
{
    if (lookup.status != LookupStatus::Ok || lookup.hops.isEmpty()) {
        step(QStringLiteral("Resolve"), S::Failure,
             lookup.error.isEmpty() ? QStringLiteral("no address found") : lookup.error);
        done();
        return;
    }
    m_hop = lookup.hops.first();
    QStringList all;
    for (const NextHop &h : lookup.hops)
        all << h.toString();
    step(QStringLiteral("Resolve"), S::Ok, all.join(QStringLiteral(", ")));
    if (!m_sending) {
        connectTo(m_hop);
        return;
    }
    m_phase = Phase::Sending;
    DeliveryConnection::Options options;
    options.heloName = m_options.heloName;
    options.caCertificates = m_options.caCertificates;
    auto *connection = new DeliveryConnection(m_hop, options, this);
    connect(connection, &DeliveryConnection::finished, this,
            [this, connection](const SmtpClientOutcome &outcome) {
                onDelivered(outcome);
                connection->close();
            });
    connect(connection, &DeliveryConnection::closed, connection, &QObject::deleteLater);
    DeliveryRequest request;
    request.queueId = QStringLiteral("readiness-test");
    request.sender = m_from;
    request.recipientIds = {0};
    request.recipients = {m_to};
    request.destination = QStringLiteral("readiness:") + m_report.hop;
    request.hops = {m_hop};
    request.data = testMessage(m_from, m_to, m_report.hop, m_options.heloName);
    request.tls = m_tls;
    connection->deliver(request);
}

void ConnectorCheck::onDelivered(const SmtpClientOutcome &outcome)
{
    const QString task = QStringLiteral("Send test email to %1").arg(m_to);
    if (outcome.recipients.isEmpty()) {
        step(task, S::Failure, outcome.sessionError);
    } else {
        const RecipientResult &r = outcome.recipients.first();
        const S status = r.verdict == DeliveryVerdict::Delivered ? S::Ok : S::Failure;
        QString detail = r.reply;
        if (!r.nextHop.isEmpty())
            detail += QStringLiteral(" (%1)").arg(r.nextHop);
        step(task, status, detail);
    }
    done();
}

void ConnectorCheck::connectTo(const NextHop &hop)
{
    m_socket = new QSslSocket(this);
    connect(m_socket, &QSslSocket::connected, this, [this] {
        step(QStringLiteral("Connect"), S::Ok, QStringLiteral("connected to %1").arg(m_hop.toString()));
        m_phase = Phase::Banner;
        m_timer.start(m_options.timeout);
    });
    connect(m_socket, &QSslSocket::readyRead, this, &ConnectorCheck::onReadyRead);
    connect(m_socket, &QSslSocket::encrypted, this, &ConnectorCheck::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, &ConnectorCheck::onSocketError);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Reported, not fatal: the table says whether the certificate is trusted.
        m_sslErrors = errors;
        m_socket->ignoreSslErrors();
    });
    m_phase = Phase::Connecting;
    m_timer.start(m_options.timeout);
    m_socket->setPeerVerifyName(hop.host);
    if (!m_options.caCertificates.isEmpty()) {
        QSslConfiguration tls = m_socket->sslConfiguration();
        tls.addCaCertificates(m_options.caCertificates);
        m_socket->setSslConfiguration(tls);
    }
    m_socket->connectToHost(hop.address.isEmpty() ? hop.host : hop.address, hop.port);
}

QString ConnectorCheck::taskOf(Phase phase) const
{
    switch (phase) {
    case Phase::Resolving: return QStringLiteral("Resolve");
    case Phase::Connecting: return QStringLiteral("Connect");
    case Phase::Banner: return QStringLiteral("Banner");
    case Phase::Ehlo: return QStringLiteral("EHLO");
    case Phase::StartTls: return QStringLiteral("STARTTLS");
    case Phase::Handshake: return QStringLiteral("TLS handshake");
    case Phase::EhloTls: return QStringLiteral("EHLO after STARTTLS");
    case Phase::Quit: return QStringLiteral("QUIT");
    default: return QStringLiteral("Test");
    }
}

void ConnectorCheck::send(const QByteArray &line, Phase next)
{
    m_phase = next;
    m_socket->write(line + "\r\n");
    m_timer.start(m_options.timeout);
}

void ConnectorCheck::quit()
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        send("QUIT", Phase::Quit);
        return;
    }
    done();
}

void ConnectorCheck::onReadyRead()
{
    if (m_phase == Phase::Handshake)
        return; // QSslSocket delivers the first bytes after encrypted()
    m_reader.append(m_socket->readAll());
    SmtpReply reply;
    for (;;) {
        const auto status = m_reader.next(&reply);
        if (status == SmtpReplyReader::Status::NeedMore)
            return;
        if (status == SmtpReplyReader::Status::Error) {
            step(taskOf(m_phase), S::Failure,
                 QStringLiteral("malformed reply: %1").arg(m_reader.errorString()));
            m_socket->abort();
            done();
            return;
        }
        onReply(reply);
        if (!m_running)
            return;
    }
}

void ConnectorCheck::onReply(const SmtpReply &reply)
{
    m_timer.stop();
    const QString text = replyText(reply);
    switch (m_phase) {
    case Phase::Banner:
        if (reply.code != 220) {
            step(QStringLiteral("Banner"), S::Failure, text);
            quit();
            return;
        }
        step(QStringLiteral("Banner"), S::Ok, text);
        send("EHLO " + m_options.heloName.toUtf8(), Phase::Ehlo);
        return;
    case Phase::Ehlo: {
        if (reply.code != 250) {
            step(QStringLiteral("EHLO"), S::Failure, text);
            quit();
            return;
        }
        step(QStringLiteral("EHLO"), S::Ok, text);
        bool startTls = false;
        for (const QByteArray &line : reply.lines.mid(1))
            startTls = startTls || line.trimmed().toUpper() == "STARTTLS";
        if (!startTls) {
            if (m_tls == TlsPolicy::May)
                step(QStringLiteral("STARTTLS offered"), S::Warning,
                     QStringLiteral("no: mail to this next hop travels unencrypted"));
            else
                step(QStringLiteral("STARTTLS offered"), S::Failure,
                     QStringLiteral(
                         "no, but the TLS policy for this next hop is %1: the relay will not deliver "
                         "to it")
                         .arg(tlsPolicyName(m_tls)));
            quit();
            return;
        }
        step(QStringLiteral("STARTTLS offered"), S::Ok, QStringLiteral("yes"));
        send("STARTTLS", Phase::StartTls);
        return;
    }
    case Phase::StartTls:
        if (reply.code != 220) {
            step(QStringLiteral("TLS handshake"), S::Failure, QStringLiteral("STARTTLS refused: ") + text);
            quit();
            return;
        }
        m_phase = Phase::Handshake;
        m_timer.start(m_options.timeout);
        m_reader = SmtpReplyReader(); // RFC 3207 §4.2: nothing from before the handshake counts
        m_socket->startClientEncryption();
        return;
    case Phase::EhloTls:
        step(QStringLiteral("EHLO after STARTTLS"), reply.code == 250 ? S::Ok : S::Failure, text);
        quit();
        return;
    case Phase::Quit:
        m_socket->disconnectFromHost();
        done();
        return;
    default: return;
    }
}

void ConnectorCheck::onEncrypted()
{
    m_timer.stop();
    const QSslCipher cipher = m_socket->sessionCipher();
    const QSslCertificate cert = m_socket->peerCertificate();
    const QString subject = cert.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    QString detail = QStringLiteral("%1, %2, certificate %3")
                         .arg(protocolName(m_socket->sessionProtocol()), cipher.name(),
                              subject.isEmpty() ? QStringLiteral("(no name)") : subject);
    if (m_sslErrors.isEmpty()) {
        step(QStringLiteral("TLS handshake"), S::Ok, detail + QStringLiteral(", trusted"));
    } else {
        QStringList why;
        for (const QSslError &e : std::as_const(m_sslErrors))
            why << e.errorString();
        why.removeDuplicates();
        // Under verify the relay refuses such a certificate; otherwise it is only encrypted.
        step(QStringLiteral("TLS handshake"), m_tls == TlsPolicy::Verify ? S::Failure : S::Warning,
             detail + QStringLiteral("; the certificate is not trusted: ") + why.join(QStringLiteral("; ")));
    }
    send("EHLO " + m_options.heloName.toUtf8(), Phase::EhloTls);
}

void ConnectorCheck::onSocketError()
{
    if (!m_running || !m_socket)
        return;
    if (m_phase == Phase::Quit) { // the server closed after 221, or without it
        done();
        return;
    }
    const QString why = m_socket->errorString();
    const Phase phase = m_phase;
    m_timer.stop();
    m_socket->abort();
    step(taskOf(phase), S::Failure,
         phase == Phase::Handshake ? QStringLiteral("TLS handshake failed: ") + why : why);
    done();
}

void ConnectorCheck::onTimeout()
{
    if (!m_running)
        return;
    // Every real step has its answer; a server that neither answers QUIT nor
    // closes does not make the check fail.
    if (m_phase == Phase::Quit) {
        if (m_socket)
            m_socket->abort();
        done();
        return;
    }
    step(taskOf(m_phase), S::Failure,
         QStringLiteral("no answer within %1 s")
             .arg(std::chrono::duration_cast<std::chrono::seconds>(m_options.timeout).count()));
    if (m_socket)
        m_socket->abort();
    done();
}

void ConnectorCheck::done()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    m_phase = Phase::Idle;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    emit finished(m_report);
}

} // namespace mailroute
