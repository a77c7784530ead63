// Runs the DNS side of the readiness checks (issue 6 item 1): for each domain
// its MX records (and their exchangers' addresses, to see whether they are
// this relay) and its SPF record with everything SPF evaluation needs
// (include:, a, mx, exists, redirect=), then ReadinessAssessment. The relay's
// own addresses come from relay.public_address or, when that is empty, from
// its host name's A/AAAA records. DnsResolver (libunbound), asynchronous;
// every answer is looked up once per run; a look-up that gets no answer or
// SERVFAIL is "unknown", never "no record". progress() while it runs,
// cancel() to stop. Lives on the thread that calls start() (the GUI thread in
// the console, the main thread in mailroutectl).
#pragma once

#include "relaycore/readiness/dnsanswers.h"
#include "relaycore/readiness/readinessreport.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <chrono>
#include <functional>

namespace mailroute {

class DnsResolver;

class DnsReadinessCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DnsReadinessCheck)

public:
    static constexpr int kMaxDomains = 500;
    static constexpr int kMaxRounds = 40; // SPF include chains: each round follows one more level

    struct Options
    {
        QList<DomainCheck> domains;
        RelayIdentity relay; // no addresses: the A/AAAA records of relay.hostname
        // "HOST[:PORT]" (MAILROUTE_NAMESERVER); empty: the system's resolver.
        QString nameserver;
        std::chrono::milliseconds timeout{10'000}; // per look-up: then "no answer"
    };

    explicit DnsReadinessCheck(QObject *parent = nullptr);
    ~DnsReadinessCheck() override;

    // Starts a run; a run still going is abandoned. finished() follows,
    // never from inside start(), unless cancel() comes first.
    void start(Options options);
    // Stops the run: no finished(), cancelled() instead (from inside cancel()).
    void cancel();
    bool isRunning() const { return m_running; }
    // After finished(): the relay as checked (with the addresses found), the
    // answers collected.
    const RelayIdentity &relay() const { return m_options.relay; }
    const DnsAnswers &answers() const { return m_answers; }
    int lookups() const { return m_lookupCount; }

signals:
    // Look-ups answered of those asked so far; `asked` grows while SPF
    // include chains are followed.
    void progress(int answered, int asked);
    void finished(const QList<mailroute::DomainReadiness> &results);
    void cancelled();

private:
    void fetch(QSet<QString> keys, std::function<void()> then);
    void onAnswer(const QString &key, const DnsAnswer &answer, quint64 run);
    void afterDomains();
    void spfRound(int round);
    void finish();
    void dropLookups();

    Options m_options;
    DnsAnswers m_answers;
    QPointer<DnsResolver> m_resolver; // for m_options.nameserver; a child
    QList<quint64> m_inFlight;
    std::function<void()> m_then;
    int m_pending = 0;
    quint64 m_run = 0;
    int m_lookupCount = 0;
    int m_answered = 0;
    bool m_running = false;
};

} // namespace mailroute
