// Before mail routing stops (SPEC §1 "Activation"): do the MX records of the
// domains the relay receives mail for still point here? Looks up the MX
// records of the Inbound and Relay domain-mapping sources (QDnsLookup,
// asynchronous) and reports the domains whose exchangers are this relay's
// host names. Main (GUI) thread.
#pragma once

#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QStringList>

class QDnsLookup;

namespace mailroute {

class MxCheck final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxDomains = 50; // a stop dialog is no DNS survey

    explicit MxCheck(QObject *parent = nullptr);

    // `ourNames`: the host names MX records name when they point here
    // (relay.hostname, the machine's name). `nameserver` null: the system's.
    void start(const QStringList &domains, const QStringList &ourNames, const QHostAddress &nameserver = {});
    bool isRunning() const { return m_pending > 0; }

signals:
    // pointingHere: domain -> the MX host of ours it names; failed: domains
    // whose look-up failed (no answer, time-out).
    void finished(const QMap<QString, QString> &pointingHere, const QStringList &failed);

private:
    void onFinished(QDnsLookup *lookup, const QString &domain);

    QStringList m_ourNames; // lower case, no trailing dot
    QMap<QString, QString> m_pointingHere;
    QStringList m_failed;
    int m_pending = 0;
};

} // namespace mailroute
