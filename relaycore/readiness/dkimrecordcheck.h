// Whether a DKIM key's record is published (docs/behaviour.md "Mail
// authentication", rotation): a TXT look-up of SELECTOR._domainkey.DOMAIN
// whose p= must equal the key's public key. A push promotes a pending key only
// when this says Published. The look-up goes through DnsReadinessCheck (the
// readiness checks' resolver, MAILROUTE_NAMESERVER included), so it follows
// whatever resolver that class uses; assessDkimRecord() is the pure part.
// Lives on the thread that calls start().
#pragma once

#include "relaycore/readiness/dnsanswers.h"
#include "relaycore/routing/configdata.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

namespace mailroute {

class DnsReadinessCheck;

struct DkimRecordStatus
{
    enum class Outcome {
        Published, // a TXT record at the name carries this key's p=
        Missing,   // no such name, or no TXT record there
        Different, // TXT records there, none with this key's p= (an old key, a typo)
        Failure,   // the look-up failed (time-out, SERVFAIL): try again later
    };
    DkimKey key;
    QString name; // SELECTOR._domainkey.DOMAIN
    Outcome outcome = Outcome::Failure;
    QString detail; // for people: what was found
};

QString dkimRecordName(const DkimKey &key);
// The p= tag of a DKIM record (RFC 6376 §3.6.1), its folding blanks removed;
// empty when there is none.
QString dkimRecordPublicKey(const QString &record);
DkimRecordStatus assessDkimRecord(const DkimKey &key, const DnsAnswer *answer);

class DkimRecordCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DkimRecordCheck)

public:
    explicit DkimRecordCheck(QObject *parent = nullptr);
    ~DkimRecordCheck() override;

    // `nameserver` null: the system's resolver. finished() follows, never
    // from inside start(); with no keys it reports an empty list.
    // nameserver: "HOST[:PORT]" (MAILROUTE_NAMESERVER); empty: the system's resolver.
    void start(const QList<DkimKey> &keys, const QString &nameserver = {});

signals:
    void finished(const QList<mailroute::DkimRecordStatus> &results);

private:
    DnsReadinessCheck *m_check;
    QList<DkimKey> m_keys;
};

} // namespace mailroute
