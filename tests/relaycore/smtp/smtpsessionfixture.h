// The fixture the SmtpSession tests share (tst_smtpsession,
// tst_smtpsessiondata): a policy scripted by address conventions, the
// session configurations the tests name ("errors3", "tls", "pipe64",
// "refused", "tempfail") and the client's lines. Drive the session with
// SessionHarness (sessionharness.h).
#pragma once

#include "relaycore/smtp/smtpreply.h"
#include "relaycore/smtp/smtpsession.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <memory>
#include <stdexcept>

namespace mailroute::testing {

inline const QHostAddress kClient(QStringLiteral("203.0.113.10"));
inline const QHostAddress kRefusedClient(QStringLiteral("192.0.2.66"));
inline const QHostAddress kTempFailClient(QStringLiteral("192.0.2.67"));

// A policy scripted by address conventions, so transcripts can reach every
// verdict at every step.
class ScriptedPolicy final : public SmtpPolicy
{
public:
    explicit ScriptedPolicy(qint64 generation = 7) : m_generation(generation) {}

    qint64 generation() const override { return m_generation; }

    Verdict onConnect(const SessionInfo &s) const override
    {
        if (s.clientAddress == kRefusedClient)
            return Verdict::reject(replies::connectionRefused());
        if (s.clientAddress == kTempFailClient)
            return Verdict::tempFail(replies::tooManySessions("relay.example.com"));
        return Verdict::accept();
    }

    Verdict onHelo(const SessionInfo &, const QString &name) const override
    {
        if (name == QLatin1String("reject.example"))
            return Verdict::reject(Reply{550, "5.7.1", "HELO refused"});
        return Verdict::accept();
    }

    Verdict onMail(const SessionInfo &, const Transaction &tx) const override
    {
        const QString local = tx.sender.localPart;
        if (local == QLatin1String("reject"))
            return Verdict::reject(Reply{550, "5.7.1", "Sender refused"});
        if (local == QLatin1String("tempfail"))
            return Verdict::tempFail(Reply{451, "4.7.1", "Try later"});
        if (local == QLatin1String("throw"))
            throw std::runtime_error("database on fire at /var/secret/path");
        if (local == QLatin1String("badclass"))
            return Verdict::reject(Reply{250, "2.0.0", "Ok?"});
        RoutingDecision d;
        d.route.address = tx.sender;
        d.route.ruleSource = QStringLiteral("sender-rule");
        return Verdict::accept(d);
    }

    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &r) const override
    {
        const QString local = r.address.localPart;
        if (local == QLatin1String("reject"))
            return Verdict::reject(replies::relayDenied());
        if (local == QLatin1String("tempfail"))
            return Verdict::tempFail(Reply{450, "4.2.0", "Mailbox busy"});
        if (local == QLatin1String("throw"))
            throw std::runtime_error("boom");
        if (local == QLatin1String("close"))
            return Verdict::tempFail(Reply{421, "4.3.0", "relay.example.com closing"});
        RoutingDecision d;
        d.area = Area::Inbound;
        d.route.kind = MatchKind::Domain;
        d.route.address = MailAddress{r.address.localPart, QStringLiteral("rewritten.example")};
        d.route.ruleSource = QStringLiteral("@") + r.address.domain;
        return Verdict::accept(d);
    }

    Verdict onDataStart(const SessionInfo &, const Transaction &tx) const override
    {
        for (const EnvelopeRecipient &r : tx.recipients) {
            if (r.address.localPart == QLatin1String("nodata"))
                return Verdict::reject(Reply{554, "5.7.1", "No data for you"});
        }
        return Verdict::accept();
    }

    Verdict onMessageEnd(const SessionInfo &, const Transaction &tx) const override
    {
        if (tx.data.contains("X-Reject: yes"))
            return Verdict::reject(Reply{550, "5.7.1", "Content refused"});
        return Verdict::accept();
    }

private:
    qint64 m_generation;
};

inline SessionConfig configFor(const QString &variant)
{
    SessionConfig c;
    c.hostname = QStringLiteral("relay.example.com");
    c.limits.commandLine = 512;
    c.limits.textLine = 1000;
    c.limits.messageSize = 2000;
    c.limits.recipients = 3;
    c.limits.errors = 10;
    if (variant == QLatin1String("errors3"))
        c.limits.errors = 3;
    if (variant == QLatin1String("tls"))
        c.tlsAvailable = true;
    if (variant == QLatin1String("pipe64"))
        c.limits.pipelineBuffer = 64;
    return c;
}

inline QHostAddress clientFor(const QString &variant)
{
    if (variant == QLatin1String("refused"))
        return kRefusedClient;
    if (variant == QLatin1String("tempfail"))
        return kTempFailClient;
    return kClient;
}

inline PolicySource fixedPolicy(std::shared_ptr<const SmtpPolicy> p)
{
    return [p] { return p; };
}

// Client lines.
inline const QByteArray EHLO = "EHLO client.example\r\n";
inline const QByteArray HELO = "HELO client.example\r\n";
inline const QByteArray MAIL = "MAIL FROM:<alice@example.org>\r\n";
inline const QByteArray RCPT = "RCPT TO:<bob@example.net>\r\n";
inline const QByteArray RCPT2 = "RCPT TO:<carol@example.net>\r\n";
inline const QByteArray RCPT3 = "RCPT TO:<dave@example.net>\r\n";
inline const QByteArray RCPT4 = "RCPT TO:<erin@example.net>\r\n";
inline const QByteArray DATA = "DATA\r\n";
inline const QByteArray TEXT = "Subject: hi\r\n\r\nhello\r\n";
inline const QByteArray END = ".\r\n";
inline const QByteArray QUIT = "QUIT\r\n";
inline const QByteArray RSET = "RSET\r\n";
inline const QByteArray NOOP = "NOOP\r\n";

} // namespace mailroute::testing
