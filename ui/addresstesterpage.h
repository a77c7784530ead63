// "Where does this address go?": type an address, pick the direction, and see
// the rule that fires (docs/behaviour.md "Routing precedence", as the relay's
// RelayPolicy::routeRecipient decides it), the rewritten address and the next
// hop the relay would use (route, smart host, or the domain's MX). Tests the
// draft or the active generation, compiled on the store's worker thread. Main
// (GUI) thread.
#pragma once

#include "relaycore/routing/routingsnapshot.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QLineEdit;
class QTimer;

namespace mailroute {

class BackgroundStore;
class RelayPolicy;

class AddressTesterPage final : public QWidget
{
    Q_OBJECT
public:
    enum class Direction { Incoming, Outgoing };
    enum class Source { Draft, Active };

    explicit AddressTesterPage(BackgroundStore *background, QWidget *parent = nullptr);

    // The configuration changed: compile again before the next answer.
    void invalidate();
    void setSnapshotForTest(std::shared_ptr<const RoutingSnapshot> snapshot);

    QString verdictText() const;
    QString ruleText() const;
    QString resultText() const;
    QString nextHopText() const;
    // "Would the target accept this?": the probe's answer (empty before one).
    QString probeText() const;
    bool isProbing() const { return m_probing; }
    // Runs the probe for the address field (Incoming), as the button does.
    void probe();
    bool isCompiling() const { return m_compiling; }

    // The next hop for a final recipient domain in `config`, in words.
    static QString describeNextHop(const ConfigData &config, const QString &domain);

signals:
    void answered();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void compile();
    void evaluate();
    void setSnapshot(std::shared_ptr<const RoutingSnapshot> snapshot);

    BackgroundStore *m_background;
    QLineEdit *m_address;
    QComboBox *m_direction;
    QComboBox *m_source;
    QLabel *m_recipientLabel;
    QLineEdit *m_recipient;
    QLabel *m_verdict;
    QLabel *m_rule;
    QLabel *m_result;
    QLabel *m_nextHop;
    QLabel *m_snapshotInfo;
    QPushButton *m_probeButton;
    QLabel *m_probe;
    bool m_probing = false;
    int m_probeRequest = 0;
    QTimer *m_delay;
    std::shared_ptr<const RoutingSnapshot> m_snapshot;
    std::shared_ptr<const RelayPolicy> m_policy; // the relay's decisions over m_snapshot
    bool m_compiling = false;
    bool m_stale = true;
    int m_request = 0;
};

} // namespace mailroute
