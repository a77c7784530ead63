// The check of a migration wave (issue 15 item 4): lint of the configuration
// the wave would make, DNS readiness of its target domains (MX or address
// records: somewhere to deliver to), and, when waves.probe_rate is above 0, a
// recipient probe of every target address (RecipientVerifier: connect to the
// target's next hop, EHLO, MAIL FROM, RCPT TO, RSET, QUIT — never DATA) at
// most waves.probe_rate probes per minute, on the injected clock. Fails when
// the configuration is invalid, a target domain has no mail server, or a
// target is refused (5xx); "unknown" probe verdicts and new lint warnings are
// listed but do not fail it.
//
// Asynchronous; lives on the thread that calls start() (the console's GUI
// thread, mailroutectl's main thread, the relay's WaveScheduler thread).
#pragma once

#include "relaycore/queue/clock.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/wave.h"

#include <QMap>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace mailroute {

class WaveChecker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WaveChecker)
public:
    struct Options
    {
        Wave wave;
        ConfigData before; // the active configuration (lint findings it has already are not new)
        ConfigData after;  // WaveStore::resultingConfig()
        QString trigger = QStringLiteral("on demand");
        // Settings that replace the configuration's own for the probe's next
        // hops (serve --smarthost).
        QMap<QString, QString> overrides;
        // "HOST[:PORT]" (MAILROUTE_NAMESERVER); empty: the system's resolver.
        QString nameserver;
        std::chrono::milliseconds dnsTimeout{10'000};
        // Probes per minute; -1: the configuration's waves.probe_rate; 0: no probe.
        int probeRate = -1;
        const Clock *clock = nullptr; // nullptr: the system clock
    };

    explicit WaveChecker(QObject *parent = nullptr);
    ~WaveChecker() override;

    // Starts a check; finished() follows, never from inside start().
    void start(Options options);
    bool isRunning() const;

signals:
    void finished(const mailroute::WaveCheck &check);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroute
