// The connector test of the Readiness page and "mailroutectl check connector"
// (issue 6 item 2), against one next hop as configured (smart host or route,
// Postfix next-hop syntax, resolved by NextHopResolver like the relay does):
//  - checkConnectivity(): connect, the banner, EHLO, whether STARTTLS is
//    offered and whether the TLS handshake works (then EHLO again and QUIT);
//    every server reply is kept for the TASK / STATUS table.
//  - sendTestEmail(): one real message through that next hop with the relay's
//    own SMTP client (DeliveryConnection), so it takes the path relayed mail
//    takes.
// Lives on the thread that calls it (GUI thread / mailroutectl's main thread).
#pragma once

#include "relaycore/delivery/deliverytypes.h"
#include "relaycore/delivery/smtpreplyreader.h"
#include "relaycore/readiness/readinessreport.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QHostAddress>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

#include <chrono>
#include <memory>

class QSslSocket;

namespace mailroute {

class NextHopResolver;
struct SmtpClientOutcome;

class ConnectorCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectorCheck)

public:
    struct Options
    {
        QString heloName = QStringLiteral("localhost"); // relay.hostname
        QString nameserver;                             // "HOST[:PORT]"; empty: the system's resolver
        std::chrono::milliseconds timeout{30'000};      // per step (connect, each reply, handshake)
        QList<QSslCertificate> caCertificates; // delivery.tls_ca_file: trusted besides the system's CAs
    };

    explicit ConnectorCheck(Options options, QObject *parent = nullptr);
    ~ConnectorCheck() override;

    // Both refuse a bad next hop or address at once (nothing starts);
    // otherwise finished() follows, never from inside the call. One test at
    // a time: a second call while one runs is refused. `tls` is the relay's
    // policy for the hop (docs/behaviour.md "TLS"): under encrypt a missing
    // STARTTLS, under verify also an untrusted certificate, is a failure, not a
    // warning; the test email goes out under it.
    Status checkConnectivity(const QString &hop, const QString &role = {}, TlsPolicy tls = TlsPolicy::May);
    Status sendTestEmail(const QString &hop, const QString &from, const QString &to, const QString &role = {},
                         TlsPolicy tls = TlsPolicy::May);
    bool isRunning() const { return m_running; }

    // The test message (RFC 5322, CRLF), for tests and the log.
    static QByteArray testMessage(const QString &from, const QString &to, const QString &hop,
                                  const QString &heloName);

signals:
    void stepDone(const mailroute::ConnectorStep &step);
    void finished(const mailroute::ConnectorReport &report);

private:
    enum class Phase {
        Idle,
        Resolving,
        Connecting,
        Banner,
        Ehlo,
        StartTls,
        Handshake,
        EhloTls,
        Quit,
        Sending
    };

    Status begin(const QString &hop, const QString &role, TlsPolicy tls);
    void resolved(const NextHopLookup &lookup);
    void connectTo(const NextHop &hop);
    void onReadyRead();
    void onReply(const SmtpReply &reply);
    void onEncrypted();
    void onSocketError();
    void onTimeout();
    void onDelivered(const SmtpClientOutcome &outcome);
    void send(const QByteArray &line, Phase next);
    void step(const QString &task, ReadinessStatus status, const QString &detail);
    void quit();
    void done();
    QString taskOf(Phase phase) const;

    Options m_options;
    std::unique_ptr<NextHopResolver> m_resolver;
    QSslSocket *m_socket = nullptr;
    SmtpReplyReader m_reader;
    QTimer m_timer;
    Phase m_phase = Phase::Idle;
    bool m_running = false;
    bool m_sending = false; // sendTestEmail rather than checkConnectivity
    TlsPolicy m_tls = TlsPolicy::May;
    QString m_from;
    QString m_to;
    NextHop m_hop;
    QList<QSslError> m_sslErrors;
    ConnectorReport m_report;
};

} // namespace mailroute
