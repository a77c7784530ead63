// DNS answers as plain values, keyed by (type, name): what the readiness
// checks looked up, so the SPF evaluation and the MX assessment are pure
// functions over them (tested with values, no name server). Safe to copy
// across threads.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

enum class DnsType { A, AAAA, MX, TXT };

struct DnsAnswer
{
    enum class Outcome {
        Records,   // NOERROR with records
        NoRecords, // NOERROR without records of this type (NODATA)
        NxDomain,  // the name does not exist
        Failure,   // SERVFAIL, time-out, refused: a temporary error
    };
    Outcome outcome = Outcome::Failure;
    // A/AAAA: addresses; MX: exchanges (lower case, no trailing dot; "" for a
    // null MX "."); TXT: one string per record, its character-strings joined
    // (RFC 7208 §3.3).
    QStringList values;
    QList<int> preferences; // MX only, parallel to values
    QList<quint32> ttls;    // parallel to values (seconds)
    QString error;          // Failure: the resolver's reason

    bool hasRecords() const { return outcome == Outcome::Records && !values.isEmpty(); }
    // RFC 7208 §4.6.4 "void lookup": no records or no such name.
    bool isVoid() const { return outcome == Outcome::NoRecords || outcome == Outcome::NxDomain
                                 || (outcome == Outcome::Records && values.isEmpty()); }
};

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
QString dnsTypeName(DnsType type);

} // namespace mailroute
