// The readiness check of recipient verification (issue 18): for every target
// domain the Inbound and Relay rules send mail to, a random local part is
// probed at its next hop (EHLO, MAIL FROM:<>, RCPT TO, QUIT; never DATA). A
// target that accepts it accepts any address: verification cannot refuse
// unknown users there (it accepts, then bounces later), so the domain is
// reported — exclude it (mailroutectl verify exclude) or make the tenant
// refuse unknown users at RCPT (Exchange Online: Directory-Based Edge
// Blocking). Lives on the caller's thread; finished() once per start().
#pragma once

#include "relaycore/engine/recipientcheck.h"
#include "relaycore/readiness/readinessreport.h"
#include "relaycore/routing/configdata.h"

#include <QList>
#include <QObject>

namespace mailroute {

struct CatchAllResult
{
    QString domain; // the target domain
    QString probed; // the random address asked about
    ReadinessStatus status = ReadinessStatus::Ok;
    QString verdict; // "refuses unknown addresses", "accepts any address", "could not tell"
    QString reply;   // the target's reply
    QString server;
    bool excluded = false; // in verify.exclude_domains already
};

class CatchAllCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatchAllCheck)

public:
    explicit CatchAllCheck(RecipientCheckRun::Options options = {}, QObject *parent = nullptr);
    ~CatchAllCheck() override;

    // The target domains of `config`'s Inbound and Relay rules, sorted.
    static QStringList targetDomains(const ConfigData &config);
    // Probes every target domain (all at once); finished() follows, never
    // from inside start(), with one result per domain in targetDomains() order.
    void start(const ConfigData &config);

signals:
    void finished(const QList<mailroute::CatchAllResult> &results);

private:
    RecipientCheckRun::Options m_options;
    QList<CatchAllResult> m_results;
    int m_pending = 0;
};

} // namespace mailroute
