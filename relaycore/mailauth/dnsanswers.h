// DNS answers (relaycore/dns/dnsanswer.h) as plain values, keyed by (type,
// name): what the readiness checks looked up, so the SPF evaluation and the
// MX assessment are pure functions over them (tested with values, no name server). Safe to copy
// across threads.
#pragma once

#include "relaycore/dns/dnsanswer.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

class DnsAnswers
{
public:
    static QString key(DnsType type, const QString &name);
    // Lower case, without a trailing dot: how names are compared and stored.
    static QString canonicalName(const QString &name);

    const DnsAnswer *find(DnsType type, const QString &name) const;
    void insert(DnsType type, const QString &name, DnsAnswer answer);
    bool contains(const QString &key) const { return m_answers.contains(key); }
    int size() const { return int(m_answers.size()); }

private:
    QHash<QString, DnsAnswer> m_answers;
};

// "TXT example.com" -> {TXT, "example.com"}; the inverse of DnsAnswers::key().
std::pair<DnsType, QString> splitDnsKey(const QString &key);

} // namespace mailroute
