// Runs the DNS side of the readiness checks (issue 6 item 1): for each domain
// its MX records (and their exchangers' addresses, to see whether they are
// this relay) and its SPF record with everything SPF evaluation needs
// (include:, a, mx, exists, redirect=), then ReadinessAssessment. The relay's
// own addresses come from relay.public_address or, when that is empty, from
// its host name's A/AAAA records. QDnsLookup, asynchronous; every answer is
// looked up once per run. Lives on the thread that calls start() (the GUI
// thread in the console, the main thread in mailroutectl).
#pragma once

#include "relaycore/readiness/dnsanswers.h"
#include "relaycore/readiness/readinessreport.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <functional>

class QDnsLookup;

namespace mailroute {

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
        QHostAddress nameserver; // null: the system's resolver (MAILROUTE_NAMESERVER otherwise)
    };

    explicit DnsReadinessCheck(QObject *parent = nullptr);
    ~DnsReadinessCheck() override;

    // Starts a run; a run still going is abandoned. finished() follows,
    // never from inside start().
    void start(Options options);
    bool isRunning() const { return m_running; }
    // After finished(): the relay as checked (with the addresses found), the
    // answers collected.
    const RelayIdentity &relay() const { return m_options.relay; }
    const DnsAnswers &answers() const { return m_answers; }
    int lookups() const { return m_lookupCount; }

signals:
    void finished(const QList<mailroute::DomainReadiness> &results);

private:
    void fetch(QSet<QString> keys, std::function<void()> then);
    void onLookup(QDnsLookup *lookup, const QString &key, quint64 run);
    void afterDomains();
    void spfRound(int round);
    void finish();

    Options m_options;
    DnsAnswers m_answers;
    std::function<void()> m_then;
    int m_pending = 0;
    quint64 m_run = 0;
    int m_lookupCount = 0;
    bool m_running = false;
};

} // namespace mailroute
