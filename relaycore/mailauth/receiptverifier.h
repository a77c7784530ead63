// Mail authentication at receipt (docs/behaviour.md, "Mail authentication
// at receipt"): for a message from a client off outbound.allowed_clients,
// SPF (RFC 7208) of the client's address against MAIL FROM (HELO for the
// null sender), every DKIM signature (RFC 6376, RSA and Ed25519), and DMARC
// (RFC 7489) from the two. The verdicts become the Authentication-Results
// field the engine prepends and the message log's "auth" line.
//
// ReceiptVerifier lives on the engine thread. Every look-up goes through its
// DnsResolver (asynchronous; libunbound caches the answers by their TTL; no
// answer within the time-out is a temperror); SPF and DMARC are evaluated
// round by round over the answers so far (SpfEvaluator, DmarcEvaluator),
// which costs microseconds; DKIM hashing and signature checks, and the
// ArcChainCheck hook, run on QThreadPool::globalInstance().
#pragma once

#include "relaycore/mailauth/authresults.h"
#include "relaycore/message/bodyfile.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>

namespace mailroute {

class DnsResolver;
struct DnsAnswer;

struct ReceiptInput
{
    QByteArray message;  // as received, CRLF line ends (a large message: its header section)
    QHostAddress client; // the SMTP client's address
    QString helo;        // its HELO/EHLO name
    QString mailFrom;    // MAIL FROM; empty for the null sender <>
    BodyFilePtr body;    // a large message's body, after `message`; hashed from the file in chunks
};

// Validates the ARC chain of a message (RFC 8617) and answers "none",
// "pass" or "fail". Called on a pool thread, never on the engine thread; the
// default answers "none". The ARC stage's validator is plugged in here.
// `body`: as ReceiptInput::body.
using ArcChainCheck = std::function<QString(const QByteArray &message, const BodyFilePtr &body)>;

// What the engine calls; an interface so tests can hand in verdicts.
class ReceiptCheck
{
public:
    using Done = std::function<void(const AuthVerdicts &verdicts)>;
    virtual ~ReceiptCheck() = default;
    // Calls `done` once, on the engine thread, never from within start(),
    // unless cancel(id) comes first or the check is destroyed.
    virtual quint64 start(const ReceiptInput &input, Done done) = 0;
    virtual void cancel(quint64 id) = 0;
};

class ReceiptVerifier final : public QObject, public ReceiptCheck
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceiptVerifier)

public:
    struct Options
    {
        QString nameserver;                            // "HOST[:PORT]"; empty: the system's resolver
        std::chrono::milliseconds lookupTimeout{5000}; // per look-up; then temperror
        std::function<qint64()> now; // seconds since the epoch (DKIM x=); unset: the system clock
        ArcChainCheck arcCheck;      // unset: arc=none
        // 0..99 per message for DMARC pct=; unset: random.
        std::function<int()> sample;
    };

    explicit ReceiptVerifier(Options options, QObject *parent = nullptr);
    ~ReceiptVerifier() override;

    quint64 start(const ReceiptInput &input, Done done) override;
    void cancel(quint64 id) override;

    DnsResolver *resolver() const { return m_resolver; }

private:
    struct Check;
    struct Mailbox;

    void advance(quint64 id);
    void request(quint64 id, Check &check, const QString &key);
    void answered(quint64 id, const QString &key, const DnsAnswer &answer);
    void verifyOffThread(quint64 id, Check &check);
    void verified(quint64 id, const QList<AuthVerdicts::Dkim> &dkim, const QStringList &passDomains,
                  const QString &arc);
    void finish(quint64 id);

    Options m_options;
    DnsResolver *m_resolver;
    std::shared_ptr<Mailbox> m_mailbox;
    QHash<quint64, std::shared_ptr<Check>> m_checks;
    quint64 m_nextId = 0;
};

} // namespace mailroute
