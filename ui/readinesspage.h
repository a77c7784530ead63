// The Readiness page (docs/behaviour.md "The console", issue 6 items 1-3):
// before the cut-over,
//  - DNS: for each domain of the pushed configuration (or those typed in),
//    the MX records and their TTL, whether they point here, null MX /
//    NXDOMAIN, the SPF record and whether it authorises the relay, with the
//    record to publish; for Outbound targets their DKIM keys' records, the
//    DMARC record and a DMARC preview per Outbound rule (each finding that
//    proposes a record has a Copy button); colour-coded OK / warning /
//    failure with what to do;
//    a progress bar and Cancel while it runs (500 domains take a while);
//  - Connector: "Check connectivity" and "Send test email" for each next hop
//    (smart host, routes) as a TASK / STATUS / REPLY table;
//  - Remote side: step-by-step instructions with this relay's values.
// The checks are relaycore/readiness (DnsReadinessCheck, ConnectorCheck); the
// configuration is read on the BackgroundStore's thread (a generation may
// hold a million user mappings). Main (GUI) thread.
#pragma once

#include "relaycore/readiness/readinessplan.h"
#include "relaycore/readiness/readinessreport.h"

#include <QGuiApplication>
#include <QPalette>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTreeWidget;

namespace mailroute {

class BackgroundStore;
class ConnectorCheck;
class DnsReadinessCheck;
class RemoteInstructions;

class ReadinessPage final : public QWidget
{
    Q_OBJECT
public:
    enum class Tab { Dns, Connector, Instructions };

    // `nameserver`: MAILROUTE_NAMESERVER (empty: the system's resolver).
    explicit ReadinessPage(BackgroundStore *background, const QString &nameserver = {},
                           QWidget *parent = nullptr);
    ~ReadinessPage() override;

    // Re-reads the pushed configuration (the draft when nothing is pushed) on
    // the store's thread; reloaded() follows, then `then`.
    void reload(std::function<void()> then = {});
    bool isLoading() const { return m_loading > 0; }
    void showTab(Tab tab);

    // Starts the DNS check for the typed domains, or the configuration's.
    void checkDns();
    // Stops a DNS check that runs (the Cancel button beside its progress).
    void cancelDns();
    void checkConnectivity();
    void sendTestEmail();

    QLineEdit *domainsEdit() const { return m_domains; }
    QComboBox *hopCombo() const { return m_hop; }
    QLineEdit *recipientEdit() const { return m_recipient; }
    QTreeWidget *dnsTree() const { return m_dnsTree; }
    QProgressBar *dnsProgress() const { return m_dnsProgress; }
    QPushButton *cancelDnsButton() const { return m_cancelDns; }
    QTableWidget *connectorTable() const { return m_connectorTable; }
    RemoteInstructions *instructions() const { return m_instructions; }
    QString dnsSummary() const;
    QString connectorSummary() const;
    QString spfToPublish() const; // the record shown under the DNS table
    const QList<DomainReadiness> &dnsResults() const { return m_dnsResults; }
    bool isBusy() const; // a check runs
    // Issue 11: the active domain holds, shown under the relay's identity
    // (label "activeHolds") each time the page is shown.
    void setHoldsDatabase(const QString &databasePath);
    QLabel *holdsLabel() const { return m_holdsLabel; }

    // A status cell's background: the palette's Base tinted green, amber or
    // red (ui/themecolours.h), so the palette's Text stays readable on it.
    static QColor statusColor(ReadinessStatus status, const QPalette &palette = QGuiApplication::palette());
    static QString statusText(ReadinessStatus status);

signals:
    void reloaded();
    void dnsFinished();
    void dnsCancelled();
    void connectorFinished();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildDnsTab();
    QWidget *buildConnectorTab();
    void onDnsFinished(const QList<DomainReadiness> &results);
    void onDnsProgress(int answered, int asked);
    void showDnsRunning(bool running);
    void runConnector(bool send);
    void onConnectorStep(const ConnectorStep &step);
    void onConnectorFinished(const ConnectorReport &report);
    void showSpfFor(const QString &domain);
    void showRecord(const QString &name, const QString &record);
    void startDnsCheck(const QList<DomainCheck> &typed);
    void updateRelayLabel();
    void updateInstructions();
    void setSummary(QLabel *label, ReadinessStatus status, const QString &text);

    BackgroundStore *m_background;
    QString m_nameserver;
    ReadinessPlan m_plan;
    QString m_planError;
    std::optional<qint64> m_generation;
    int m_loading = 0;
    QString m_allowedClients;
    QTabWidget *m_tabs;
    QLabel *m_relayLabel;
    QLabel *m_holdsLabel = nullptr;
    QString m_holdsDatabase;
    QLineEdit *m_domains;
    QPushButton *m_checkDns;
    QProgressBar *m_dnsProgress;
    QPushButton *m_cancelDns;
    QTreeWidget *m_dnsTree;
    QLabel *m_dnsSummary;
    QLineEdit *m_spfRecord;
    QLabel *m_spfLabel;
    QPushButton *m_copySpf;
    QComboBox *m_hop;
    QLineEdit *m_recipient;
    QPushButton *m_checkConnector;
    QPushButton *m_sendTest;
    QTableWidget *m_connectorTable;
    QLabel *m_connectorSummary;
    RemoteInstructions *m_instructions;
    DnsReadinessCheck *m_dnsCheck;
    ConnectorCheck *m_connector = nullptr;
    QList<DomainReadiness> m_dnsResults;
    RelayIdentity m_checkedRelay;
};

} // namespace mailroute
