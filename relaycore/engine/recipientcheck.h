// An on-demand recipient verification for the console's Address tester,
// `mailroutectl verify ADDRESS` and the readiness check: the address goes
// through the recipient rules of a configuration (the draft or a pushed
// generation), then its target is probed afresh (never from, nor into, the
// relay's cache). One-shot: start(), then finished() once (never from inside
// start()); deletes nothing on its own. Lives on the caller's thread.
#pragma once

#include "relaycore/engine/recipientverifier.h"
#include "relaycore/routing/area.h"
#include "relaycore/routing/configdata.h"

#include <QObject>

#include <optional>

namespace mailroute {

struct RecipientCheck
{
    QString recipient;        // as given
    QString target;           // after the recipient rules (== recipient when none matches)
    std::optional<Area> area; // the area whose rule matched (Inbound or Relay), nullopt: none
    bool enabled = true;      // verify.recipients is not off
    bool excluded = false;    // the recipient's or the target's domain is in verify.exclude_domains
    VerifyOutcome outcome;    // the target's answer
    QString error;            // a bad address or configuration: nothing was probed
    // Whether the relay would verify this recipient at RCPT (for a client
    // that is not allow-listed).
    bool relayVerifies() const { return area && enabled && !excluded; }
};

class RecipientCheckRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecipientCheckRun)

public:
    struct Options
    {
        QString nameserver; // "HOST[:PORT]"; empty: the system's resolver
        DeliveryTimeouts timeouts = defaultVerifyTimeouts();
    };
    explicit RecipientCheckRun(QObject *parent = nullptr);
    explicit RecipientCheckRun(Options options, QObject *parent = nullptr);
    ~RecipientCheckRun() override;

    // Probes the target of `address` under `config`.
    void start(const ConfigData &config, const QString &address);
    // Probes `address` as it is (no rules): the readiness check's random
    // local part at a target domain.
    void startDirect(const ConfigData &config, const QString &address);

signals:
    void finished(const mailroute::RecipientCheck &check);

private:
    void probe(const ConfigData &config, RecipientCheck check);
    void finishLater(RecipientCheck check);

    Options m_options;
    RecipientVerifier *m_verifier = nullptr;
};

} // namespace mailroute

Q_DECLARE_METATYPE(mailroute::RecipientCheck)
