// The Readiness page's step-by-step instructions for the other side (issue 6
// item 3, docs/behaviour.md "The console"): the MX change (and when the old TTL has run out), the
// Google Workspace outbound gateway, the Exchange Online / Office 365
// outbound connector to a partner organisation with this relay as smart host
// (with the TLS choice that matches tls.certificate), and the SPF record to
// publish, and the DKIM records to publish before connectors point at the
// relay; for inbound mail the relay forwards and ARC-seals, how Exchange
// Online (Set-ArcConfig, Enhanced Filtering for Connectors) and Google
// Workspace (inbound gateway) come to trust it. This relay's own values are filled in, each with a Copy
// button. Main (GUI) thread.
#pragma once

#include "relaycore/readiness/readinessreport.h"
#include "relaycore/routing/configdata.h"

#include <QWidget>

class QTabWidget;

namespace mailroute {

class RemoteInstructions final : public QWidget
{
    Q_OBJECT
public:
    enum class Section { Mx, GoogleWorkspace, ExchangeOnline, Spf, Dkim, Arc };

    explicit RemoteInstructions(QWidget *parent = nullptr);

    // The relay's values; `dns` the last DNS check (MX TTLs and SPF records
    // to publish), empty before one ran. `allowedClients` is
    // outbound.allowed_clients.
    void setValues(const RelayIdentity &relay, const QString &allowedClients,
                   const QList<DomainReadiness> &dns);
    // The draft's DKIM keys: the active and pending ones' records are listed.
    void setDkimKeys(const QList<DkimKey> &keys);
    // arc.domain (empty: not set): the ARC tab names it as the trusted sealer.
    void setArcDomain(const QString &domain);

    void showSection(Section section);
    // The values with a Copy button in a section, in order (tests, screenshots).
    QStringList values(Section section) const;
    QString stepsText(Section section) const;

private:
    QWidget *section(const QString &steps, const QList<std::pair<QString, QString>> &values);

    void rebuild();

    QTabWidget *m_tabs;
    RelayIdentity m_relay;
    QString m_allowedClients;
    QList<DomainReadiness> m_dns;
    QList<DkimKey> m_dkimKeys;
    QString m_arcDomain;
};

} // namespace mailroute
